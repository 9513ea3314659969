"""The completeness rule of a dossier: the document types it must hold, and those missing.

The dossier chain's ``complete`` stage (``dossiers.workflow.completeness``) and the review
(``dossiers.review.completeness``) read it from here.
"""
from __future__ import annotations

from django.conf import settings

from documents.models import Document, DocumentStatus
from extraction.pipeline.hints import document_type_names

from .models import DossierOperation, OperationDocumentRequirement

# The avis d'imposition is optional in the requirement table but becomes required as soon as
# the dossier claims a precarity bonus (CEE-DOMAIN: "Avis d'imposition when a precarity bonus is claimed").
PRECARITY_DOCUMENT_TYPE = "avis_imposition"

# Without any operation (none declared, none detected) a CEE dossier still needs these.
DEFAULT_REQUIRED_TYPES = ("devis", "facture", "attestation_honneur")


def required_document_types(dossier) -> dict[str, list[str]]:
    """Required document type code → operation codes requiring it."""
    operations = list(
        DossierOperation.objects.filter(dossier=dossier).exclude(status=DossierOperation.Status.INVALID)
        .values_list("operation_id", "operation__code")
    )
    required: dict[str, list[str]] = {}
    if not operations:
        for code in getattr(settings, "CEE_DEFAULT_REQUIRED_DOCUMENT_TYPES", DEFAULT_REQUIRED_TYPES):
            required[code] = []
        return required
    requirements = OperationDocumentRequirement.objects.filter(
        operation_id__in=[op_id for op_id, _ in operations], required=True
    ).values_list("document_type__code", "operation__code")
    for type_code, operation_code in requirements:
        codes = required.setdefault(type_code, [])
        if operation_code not in codes:
            codes.append(operation_code)
    return required


def missing_documents(dossier) -> tuple[list[dict], list[dict]]:
    """(missing document types, unreadable files) of ``dossier``.

    A missing entry is ``{"document_type": code, "label": name, "operations": [codes]}``;
    an unreadable one ``{"document_id", "filename", "error"}``.
    """
    required = required_document_types(dossier)
    documents = list(
        Document.objects.filter(dossier=dossier, status__in=[DocumentStatus.PROCESSED, DocumentStatus.FAILED])
        .order_by("pk").values_list("pk", "status", "document_type__code", "original_filename", "error_message")
    )
    present = {code for _, status, code, _, _ in documents if status == DocumentStatus.PROCESSED and code is not None}
    names = document_type_names()
    missing = [
        {"document_type": code, "label": names.get(code, code), "operations": sorted(operations)}
        for code, operations in required.items()
        if code not in present
    ]
    failed = [
        {"document_id": pk, "filename": name, "error": error}
        for pk, status, _, name, error in documents if status == DocumentStatus.FAILED
    ]
    return missing, failed
