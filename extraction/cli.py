"""What the ``ingest`` command prints: one JSON-ready summary per input file."""
from __future__ import annotations

import json

from django.db.models import Prefetch

from documents.models import Document, DocumentStatus
from extraction.models import DataType, ExtractedField


def _value(field: ExtractedField):
    if field.schema.data_type == DataType.CEE_CODE:
        try:
            parsed = json.loads(field.value)
            if isinstance(parsed, list):
                return parsed
        except ValueError:
            pass
    return field.value


def document_summary(document: Document) -> dict:
    """``{"type", "confidence", "pages", "fields"}`` of a processed document (boxes relative 0–1)."""
    first = document.page_start or 1
    last = document.page_end or document.page_count or first
    fields = {}
    for field in document.fields.all():
        if field.value == "":
            continue
        fields[field.schema.name] = {
            "value": _value(field),
            "confidence": float(field.confidence),
            "page": field.page,
            "bbox": field.bbox,
        }
    return {
        "type": document.document_type.code if document.document_type_id else None,
        "confidence": float(document.classification_confidence) if document.classification_confidence is not None else None,
        "pages": list(range(first, last + 1)),
        "fields": fields,
    }


def file_summary(path: str, document: Document | None, *, error: dict | None = None) -> dict:
    """The output object of one input file: its documents (the parts when it was split)."""
    result: dict = {"file": path, "documents": []}
    if document is not None:
        fields = Prefetch("fields", queryset=ExtractedField.objects.select_related("schema").only(
            "document_id", "value", "confidence", "page", "bbox", "schema__name", "schema__data_type",
        ).order_by("schema__display_order", "schema__name"))
        family = (
            Document.objects.filter(pk=document.pk) | Document.objects.filter(parent_id=document.pk)
        ).select_related("document_type").defer(
            "text", "flags", "document_type__classification_hints", "document_type__description",
        ).prefetch_related(fields).order_by("page_start", "pk")
        failures = []
        for member in family:
            if member.status == DocumentStatus.SPLIT:
                continue
            if member.status == DocumentStatus.FAILED:
                failures.append({"code": member.error_code or "failed", "message": member.error_message})
                continue
            result["documents"].append(document_summary(member))
        if failures and error is None:
            error = failures[0] if len(failures) == 1 else {"code": "failed", "message": " ; ".join(f["message"] for f in failures)}
    if error is not None:
        result["error"] = error
    return result
