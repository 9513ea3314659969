"""Reads of the configuration the stages need (document types' hints, field schemas, the
classification threshold), made once per pipeline run, and kept between runs while that
configuration does not change.

``configuration_read_once()`` opens a run (the ingest command, the processing of a dossier
or of a document): inside it each read made through ``read_once`` hits the database the
first time only; outside it every call reads afresh. On PostgreSQL a run starts with one
query, a hash of the content of the tables these reads come from (document types, field
schemas, engine settings): while it is unchanged the reads of the previous run are used
again, so an edit saved anywhere (admin, another process, a rolled-back test) is seen by
the next run. SQLite (the embedded default) does the same, the rows joined by the query and
hashed in Python. Elsewhere each run reads afresh.
"""
from __future__ import annotations

import contextlib
from contextvars import ContextVar
from typing import Any, Callable

from django.db import connection

from documents.models import DocumentType
from extraction.models import (EngineConfig, FieldSchema, LayoutFingerprint, LearnedFieldLocation, LearnedLabelPhrase,
                               LearnedProduct, PhrasePattern, ProductBrand)
from extraction.types import FieldSpec

FALLBACK_TYPE_CODE = "autre"
# PhrasePattern and ProductBrand: what extract_fields reads beside the hints (pipeline.reading)
CONFIGURATION_MODELS = (DocumentType, FieldSchema, EngineConfig, LearnedLabelPhrase, PhrasePattern, ProductBrand)
# Tables that grow with every verdict: their row count, latest change, ids, active ids (and agreeing
# verdicts) stand for their content.
LEARNED_MODELS = (LayoutFingerprint, LearnedFieldLocation, LearnedProduct)  # (learned products: pipeline.reading)

_run_reads: ContextVar[dict | None] = ContextVar("pipeline_configuration_reads", default=None)
_kept: dict[str, Any] = {"fingerprint": None, "reads": {}}


@contextlib.contextmanager
def configuration_read_once():
    """Within this block, each read made through ``read_once`` happens once (nested blocks
    share the outermost one's), or not at all when the configuration is as the last run saw it."""
    if _run_reads.get() is not None:
        yield
        return
    fingerprint = configuration_fingerprint()
    if fingerprint is None or fingerprint != _kept["fingerprint"]:
        _kept["fingerprint"], _kept["reads"] = fingerprint, {}
    token = _run_reads.set(_kept["reads"])
    try:
        yield
    finally:
        _run_reads.reset(token)


def configuration_fingerprint() -> str | None:
    """A hash of every row of the configuration tables (PostgreSQL, SQLite), else None."""
    if connection.vendor == "sqlite":
        return _sqlite_fingerprint()
    if connection.vendor != "postgresql":
        return None
    tables = [connection.ops.quote_name(model._meta.db_table) for model in CONFIGURATION_MODELS]
    parts = ", ".join(f"(SELECT string_agg(t::text, ',' ORDER BY t.id) FROM {table} t)" for table in tables)
    for model in LEARNED_MODELS:
        table = connection.ops.quote_name(model._meta.db_table)
        counted = ", sum(count)" if model is LearnedFieldLocation else ""
        parts += (f", (SELECT concat_ws(',', count(*), max(updated_at), sum(id), "
                  f"sum(CASE WHEN is_active THEN id ELSE 0 END){counted}) FROM {table})")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT md5(concat_ws('|', {parts}))")
        return cursor.fetchone()[0]


def _sqlite_fingerprint() -> str:
    """The PostgreSQL fingerprint's content on SQLite (the embedded default): every column of
    every configuration row quoted and joined, the learned tables' counts and sums; hashed here."""
    import hashlib

    parts = []
    for model in CONFIGURATION_MODELS:
        table = connection.ops.quote_name(model._meta.db_table)
        row = " || ',' || ".join(f"quote({connection.ops.quote_name(f.column)})" for f in model._meta.concrete_fields)
        parts.append(f"(SELECT group_concat(r, ';') FROM (SELECT {row} AS r FROM {table} ORDER BY id))")
    for model in LEARNED_MODELS:
        table = connection.ops.quote_name(model._meta.db_table)
        counted = " || ',' || ifnull(sum(count), 0)" if model is LearnedFieldLocation else ""
        parts.append(f"(SELECT count(*) || ',' || ifnull(max(updated_at), '') || ',' || ifnull(sum(id), 0) || ',' || "
                     f"ifnull(sum(CASE WHEN is_active THEN id ELSE 0 END), 0){counted} FROM {table})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        values = cursor.fetchone()
    return hashlib.md5("|".join("" if v is None else str(v) for v in values).encode("utf-8"),
                       usedforsecurity=False).hexdigest()


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


def document_type_names() -> dict[str, str]:
    """The name of every document type, by code."""
    return read_once(("document_type_names",), lambda: dict(DocumentType.objects.values_list("code", "name")))


def field_specs(document_type) -> list[tuple[FieldSchema, FieldSpec]]:
    """The active field schemas of a document type with the FieldSpec each becomes."""
    return read_once(("field_specs", document_type.pk), lambda: _load_field_specs(document_type))


def _load_field_specs(document_type) -> list[tuple[FieldSchema, FieldSpec]]:
    from extraction.learning.phrases import hints_with_learned_labels, learned_phrases

    schemas = list(FieldSchema.objects.filter(document_type=document_type, is_active=True).order_by("display_order", "name"))
    learned = hints_with_learned_labels(schemas, learned_phrases(document_type.pk)) if learning_on() else {}
    return [
        (
            schema,
            FieldSpec(
                name=schema.name,
                label=schema.label,
                data_type=schema.data_type,
                hints=learned.get(schema.name) or schema.extraction_hints or {},
                validation_pattern=schema.validation_pattern,
                required=schema.required,
            ),
        )
        for schema in schemas
    ]


def learning_on() -> bool:
    """Whether what was learned from verdicts is used: off when an administrator deactivated
    the ``learned`` extraction engine setting."""
    return read_once(("learning_on",), lambda: not EngineConfig.objects.filter(
        task=EngineConfig.Task.EXTRACTION, engine="learned", is_active=False).exists())
