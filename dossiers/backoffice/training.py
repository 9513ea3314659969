"""Training data export: human feedback on extracted values as JSONL, rows marked by batch.

One JSON object per line::

    {"id": 42, "batch": "tr-20260115-101500-a1b2c3", "label": "corrected",
     "input": {"document_type": "facture", "field": "date_facture", "extracted_value": "2026-01-05",
               "context": {...the text around, page, box...}},
     "corrected_value": "2026-01-15",
     "metadata": {"engine": "anchors", "engine_version": "1.2", "confidence_before": 0.62,
                  "dossier": "CEE-2026-000123", "document_id": 7, "extracted_field_id": 99,
                  "created_at": "2026-01-15T10:12:00+01:00", "created_by": "val@…"}}

``corrected_value`` is the value a person says is right: the correction for ``corrected``,
the extracted value itself for ``confirmed``, the correction if one was typed (else null)
for ``wrong``. Exported rows get ``used_for_training = True`` and the batch id in
``export_batch``; by default rows already exported are left out.
"""
from __future__ import annotations

import datetime
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.activity import log_activity
from extraction.models import HumanFeedback

MARK_CHUNK = 1000


@dataclass(frozen=True)
class TrainingBatch:
    batch_id: str
    count: int


def new_batch_id() -> str:
    return f"tr-{timezone.localtime():%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def training_feedback(
    *, field: str | None = None, document_type: str | None = None, since: datetime.date | None = None,
    until: datetime.date | None = None, include_exported: bool = False, base: QuerySet | None = None,
) -> QuerySet[HumanFeedback]:
    """The feedback rows to export, filtered by field name, document type code and creation
    date (``since``/``until`` inclusive, in the project's time zone)."""
    queryset = base if base is not None else HumanFeedback.objects.all()
    if field:
        queryset = queryset.filter(field_name=field)
    if document_type:
        queryset = queryset.filter(document_type_code=document_type)
    if since:
        queryset = queryset.filter(created_at__date__gte=since)
    if until:
        queryset = queryset.filter(created_at__date__lte=until)
    if not include_exported:
        queryset = queryset.filter(used_for_training=False)
    return queryset


def training_record(row: dict, batch_id: str) -> dict:
    kind = row["kind"]
    if kind == HumanFeedback.Kind.CONFIRMED:
        corrected = row["original_value"]
    else:
        corrected = row["corrected_value"] or None
    confidence = row["confidence_before"]
    created_at = row["created_at"]
    return {
        "id": row["id"],
        "batch": batch_id,
        "label": kind,
        "input": {
            "document_type": row["document_type_code"],
            "field": row["field_name"],
            "extracted_value": row["original_value"],
            "context": row["context"] or {},
        },
        "corrected_value": corrected,
        "metadata": {
            "engine": row["engine_name"],
            "engine_version": row["engine_version"],
            "confidence_before": float(confidence) if confidence is not None else None,
            "dossier": row["dossier__reference"],
            "document_id": row["document_id"],
            "extracted_field_id": row["extracted_field_id"],
            "created_at": timezone.localtime(created_at).isoformat() if created_at else None,
            "created_by": row["created_by__email"],
        },
    }


def export_training_jsonl(
    queryset: QuerySet[HumanFeedback], write: Callable[[str], object], *, user=None, include_exported: bool = False,
    batch_id: str | None = None, filters: dict | None = None,
) -> TrainingBatch:
    """Write ``queryset``'s feedback as JSONL through ``write`` and mark the rows with a batch id.

    Takes a HumanFeedback queryset (already filtered), a function receiving text, and the
    user (for the activity log). In one transaction: reads the rows (oldest first), writes
    one line each, sets ``used_for_training``/``export_batch`` on exactly those rows. If
    writing fails, nothing is marked. Returns the batch id and row count.
    """
    batch_id = batch_id or new_batch_id()
    if not include_exported:
        queryset = queryset.filter(used_for_training=False)
    fields = [
        "id", "kind", "document_type_code", "field_name", "original_value", "corrected_value", "context",
        "engine_name", "engine_version", "confidence_before", "dossier__reference", "document_id",
        "extracted_field_id", "created_at", "created_by__email",
    ]
    count = 0
    with transaction.atomic():
        rows = (
            HumanFeedback.objects.filter(pk__in=queryset.values("pk"))
            .select_for_update(of=("self",))
            .order_by("created_at", "pk")
            .values(*fields)
        )
        pending: list[int] = []
        for row in rows.iterator(chunk_size=2000):
            write(json.dumps(training_record(row, batch_id), ensure_ascii=False, default=str) + "\n")
            pending.append(row["id"])
            count += 1
            if len(pending) >= MARK_CHUNK:
                HumanFeedback.objects.filter(pk__in=pending).update(used_for_training=True, export_batch=batch_id)
                pending.clear()
        if pending:
            HumanFeedback.objects.filter(pk__in=pending).update(used_for_training=True, export_batch=batch_id)
        log_activity(
            "training_export", actor=user, description=f"Export d'entraînement {batch_id} : {count} retour(s)",
            metadata={"batch": batch_id, "count": count, "filters": filters or {}},
        )
    return TrainingBatch(batch_id=batch_id, count=count)
