"""Reads of the configuration the stages need (document types' hints, field schemas)."""
from __future__ import annotations

from documents.models import DocumentType
from extraction.models import FieldSchema
from extraction.types import FieldSpec

FALLBACK_TYPE_CODE = "autre"


def hints_by_code() -> dict[str, dict]:
    """The classification hints of every active document type, by code."""
    return {
        code: hints or {}
        for code, hints in DocumentType.objects.filter(is_active=True).values_list("code", "classification_hints")
    }


def field_specs(document_type) -> list[tuple[FieldSchema, FieldSpec]]:
    """The active field schemas of a document type with the FieldSpec each becomes."""
    schemas = FieldSchema.objects.filter(document_type=document_type, is_active=True).order_by("display_order", "name")
    return [
        (
            schema,
            FieldSpec(
                name=schema.name,
                label=schema.label,
                data_type=schema.data_type,
                hints=schema.extraction_hints or {},
                validation_pattern=schema.validation_pattern,
                required=schema.required,
            ),
        )
        for schema in schemas
    ]
