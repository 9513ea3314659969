"""What the ``ingest`` command prints: one JSON-ready summary per input file.

Read as plain rows (two queries per file, no model instances, their SQL compiled once): the
command prints one summary per file and dossiers hold a few dozen fields each.
"""
from __future__ import annotations

import json

from django.db.models import Q

from cee.precompiled import precompiled
from documents.models import Document, DocumentStatus
from extraction.models import DataType, ExtractedField

DOCUMENT_COLUMNS = ("pk", "status", "error_code", "error_message", "page_start", "page_end", "page_count",
                    "document_type__code", "classification_confidence")
FIELD_COLUMNS = ("document_id", "schema__name", "schema__data_type", "value", "confidence", "page", "bbox")


def _value(data_type: str, value: str):
    """A multi-valued field's value (CEE codes; marque, reference_produit, domaines: a JSON list)
    as a list, any other as its text."""
    if data_type == DataType.CEE_CODE or value.startswith("["):
        try:
            parsed = json.loads(value)
            if isinstance(parsed, list):
                return parsed
        except ValueError:
            pass
    return value


def document_summary(document: dict, fields: list[dict]) -> dict:
    """``{"id", "type", "confidence", "pages", "fields"}`` of a processed document (its database id,
    boxes relative 0–1),
    from its row (``DOCUMENT_COLUMNS``) and its fields' rows (``FIELD_COLUMNS``) in display order."""
    first = document["page_start"] or 1
    last = document["page_end"] or document["page_count"] or first
    confidence = document["classification_confidence"]
    return {
        "id": document["pk"],
        "type": document["document_type__code"],
        "confidence": float(confidence) if confidence is not None else None,
        "pages": list(range(first, last + 1)),
        "fields": {
            field["schema__name"]: {
                "value": _value(field["schema__data_type"], field["value"]),
                "confidence": float(field["confidence"]),
                "page": field["page"],
                "bbox": field["bbox"],
            }
            for field in fields
            if field["value"] != ""
        },
    }


@precompiled
def _family_rows(document_id):
    """The document and its split parts (``DOCUMENT_COLUMNS``), in page order."""
    return (Document.objects.filter(Q(pk=document_id) | Q(parent_id=document_id))
            .order_by("page_start", "pk").values(*DOCUMENT_COLUMNS))


@precompiled
def _family_field_rows(document_id):
    """The extracted fields (``FIELD_COLUMNS``) of the document and of its split parts, in display order."""
    family = Document.objects.filter(Q(pk=document_id) | Q(parent_id=document_id)).values("pk")
    return (ExtractedField.objects.filter(document_id__in=family)
            .order_by("schema__display_order", "schema__name").values(*FIELD_COLUMNS))


def file_summary(path: str, document: Document | None, *, error: dict | None = None) -> dict:
    """The output object of one input file: its documents (the parts when it was split)."""
    result: dict = {"file": path, "documents": []}
    if document is not None:
        family = _family_rows.rows(document.pk)
        fields_of: dict[int, list[dict]] = {}
        for field in _family_field_rows.rows(document.pk):
            fields_of.setdefault(field["document_id"], []).append(field)
        failures = []
        for member in family:
            if member["status"] == DocumentStatus.SPLIT:
                continue
            if member["status"] == DocumentStatus.FAILED:
                failures.append({"code": member["error_code"] or "failed", "message": member["error_message"]})
                continue
            result["documents"].append(document_summary(member, fields_of.get(member["pk"], [])))
        if failures and error is None:
            error = failures[0] if len(failures) == 1 else {"code": "failed", "message": " ; ".join(f["message"] for f in failures)}
    if error is not None:
        result["error"] = error
    return result
