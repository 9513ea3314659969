"""Reads of the configuration the stages need (document types' hints, field schemas), made
once per pipeline run.

``configuration_read_once()`` opens a run (the ingest command, the processing of a dossier
or of a document): inside it each read made through ``read_once`` hits the database the
first time only, so the documents of one dossier share one copy; outside it every call
reads afresh. An edit saved in the admin meanwhile is seen by the next run.
"""
from __future__ import annotations

import contextlib
from contextvars import ContextVar
from typing import Any, Callable

from documents.models import DocumentType
from extraction.models import FieldSchema
from extraction.types import FieldSpec

FALLBACK_TYPE_CODE = "autre"

_run_reads: ContextVar[dict | None] = ContextVar("pipeline_configuration_reads", default=None)


@contextlib.contextmanager
def configuration_read_once():
    """Within this block, each read made through ``read_once`` happens once (nested blocks
    share the outermost one's)."""
    if _run_reads.get() is not None:
        yield
        return
    token = _run_reads.set({})
    try:
        yield
    finally:
        _run_reads.reset(token)


def read_once(key: tuple, load: Callable[[], Any]) -> Any:
    """``load()``, called once per run for ``key`` (every time outside a run)."""
    reads = _run_reads.get()
    if reads is None:
        return load()
    if key not in reads:
        reads[key] = load()
    return reads[key]


def hints_by_code() -> dict[str, dict]:
    """The classification hints of every active document type, by code."""
    return read_once(("hints",), lambda: {
        code: hints or {}
        for code, hints in DocumentType.objects.filter(is_active=True).values_list("code", "classification_hints")
    })


def field_specs(document_type) -> list[tuple[FieldSchema, FieldSpec]]:
    """The active field schemas of a document type with the FieldSpec each becomes."""
    return read_once(("field_specs", document_type.pk), lambda: _load_field_specs(document_type))


def _load_field_specs(document_type) -> list[tuple[FieldSchema, FieldSpec]]:
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
