"""drf-spectacular postprocessing: the reference data an integrator may send, as enums.

The fiche codes in force and the document type codes live in the database (fixtures,
admin), not in code; the schema is generated per request, so it lists today's values.
Without a database (schema generated offline), the fields stay plain strings.
"""
from __future__ import annotations

from django.db import DatabaseError

from documents.models import DocumentType
from dossiers.api.serializers import active_operation_codes


def _reference_codes() -> tuple[list[str], list[str]]:
    try:
        return sorted(active_operation_codes()), list(
            DocumentType.objects.filter(is_active=True).order_by("display_order", "code").values_list("code", flat=True)
        )
    except DatabaseError:
        return [], []


def add_reference_enums(result, generator, request, public):
    operations, document_types = _reference_codes()
    schemas = result.get("components", {}).get("schemas", {})
    if operations:
        for name in ("DossierWriteRequest", "PatchedDossierWriteRequest"):
            items = schemas.get(name, {}).get("properties", {}).get("operation_codes", {}).get("items")
            if items is not None:
                items["enum"] = operations
    if document_types:
        field = schemas.get("UploadRequestRequest", {}).get("properties", {}).get("document_type")
        if field is not None:
            field["enum"] = document_types  # a multipart part is text: it cannot be null
    return result
