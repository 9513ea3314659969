"""Dossier stage ``detect``: the CEE operations a dossier claims, read from its attestation, devis and
facture, matched to the fiche version in force at the engagement date."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import NamedTuple

from django.utils import timezone

from accounts.activity import log_activity
from documents.models import Document, DocumentStatus
from extraction.models import ExtractedField, FieldStatus, StageRun, effective_value
from extraction.operation_codes import find_cee_codes
from extraction.pipeline.base import DOSSIER, Stage

from ..models import DossierOperation, Operation, Timeline

SOURCE_TYPES = ("attestation_honneur", "devis", "facture")

# Timeline field ← (document type, extracted field) in order of preference.
TIMELINE_SOURCES = {
    "date_devis": [("devis", "date_devis")],
    "date_signature": [("devis", "date_signature"), ("attestation_honneur", "date_engagement")],
    "date_fin_travaux": [("facture", "date_fin_travaux"), ("attestation_honneur", "date_achevement")],
    "date_facture": [("facture", "date_facture")],
}


def parse_codes(value: str) -> list[str]:
    """An ``operations`` value: a JSON list of codes (SPEC 4b), or codes in free text."""
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        parsed = None
    if isinstance(parsed, list):
        return [str(code).strip().upper() for code in parsed if str(code).strip()]
    return find_cee_codes(value or "")


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


class ExtractedValue(NamedTuple):
    """A usable extracted value of a dossier: the one that counts, its document and confidence."""

    document_id: int
    confidence: Decimal
    effective_value: str


def extracted_values(dossier) -> dict[tuple[str, str], list[ExtractedValue]]:
    """Usable extracted values of the dossier's processed documents, by (type, field), best
    first (read as plain rows: a dossier holds dozens of fields)."""
    rows = (
        ExtractedField.objects.filter(dossier=dossier, document__status=DocumentStatus.PROCESSED)
        .exclude(status=FieldStatus.WRONG)
        .order_by("-confidence", "document_id")
        .values_list("document__document_type__code", "schema__name", "document_id", "confidence",
                     "status", "value", "corrected_value")
    )
    found: dict[tuple[str, str], list[ExtractedValue]] = {}
    for type_code, name, document_id, confidence, status, value, corrected_value in rows:
        value = effective_value(status, value, corrected_value)
        if value and type_code is not None:
            found.setdefault((type_code, name), []).append(ExtractedValue(document_id, confidence, value))
    return found


class DetectOperationsStage(Stage):
    """Fills the Timeline from extracted dates and records the operations found.

    Takes a dossier whose documents are processed. Guarantees: empty Timeline dates (or
    dates this stage set before) take the extracted ones; each code found in an
    attestation, devis or facture that matches a fiche version in force at the engagement
    date (Timeline.date_signature, else today) has a DossierOperation (status
    ``detected``, its sources and confidence); detected rows no longer supported are
    removed (declared or reviewed ones never are). Unknown codes and codes with no version
    in force are reported in the details and in the dossier's activity log.
    """

    name = "detect"
    label = "détection des opérations"
    scope = DOSSIER

    def run(self, ctx):
        dossier = ctx.dossier
        values = extracted_values(dossier)
        timeline, timeline_set = self._fill_timeline(dossier, values)
        engagement = timeline.date_signature or timezone.localdate()

        sources: dict[str, list[dict]] = {}
        confidence: dict[str, Decimal] = {}
        documents_with_field = set()
        for (type_code, field_name), rows in values.items():
            if type_code not in SOURCE_TYPES or field_name != "operations":
                continue
            for row in rows:
                documents_with_field.add(row.document_id)
                for code in parse_codes(row.effective_value):
                    sources.setdefault(code, []).append({"document_id": row.document_id, "type": type_code, "field": "operations"})
                    confidence[code] = max(confidence.get(code, Decimal("0")), row.confidence)
        # Documents whose field was not found: look for codes anywhere in their text.
        fallback_documents = Document.objects.filter(
            dossier=dossier, status=DocumentStatus.PROCESSED, document_type__code__in=SOURCE_TYPES
        ).exclude(pk__in=documents_with_field).select_related("document_type").only("text", "document_type__code")
        for document in fallback_documents:
            for code in find_cee_codes(document.text):
                sources.setdefault(code, []).append({"document_id": document.pk, "type": document.document_type.code, "field": "texte"})
                confidence.setdefault(code, Decimal("0.5"))

        matched, unknown, not_in_force = {}, [], []
        versions_of: dict[str, list[Operation]] = {}
        for operation in Operation.objects.filter(code__in=list(sources)).order_by("-valid_from"):
            versions_of.setdefault(operation.code, []).append(operation)
        for code in sources:
            versions = versions_of.get(code, [])
            if not versions:
                unknown.append(code)
                continue
            in_force = [op for op in versions if op.in_force_at(engagement)]
            if not in_force:
                not_in_force.append(code)
                continue
            matched[code] = in_force[0]

        existing = {row.operation_id: row for row in DossierOperation.objects.filter(dossier=dossier)}
        kept, new_rows = set(), []
        for code, operation in matched.items():
            row = existing.get(operation.pk)
            kept.add(operation.pk)
            if row is None:
                new_rows.append(DossierOperation(
                    dossier=dossier, operation=operation, status=DossierOperation.Status.DETECTED,
                    confidence=confidence.get(code), detected_from=sources[code],
                ))
            else:
                row.detected_from = sources[code]
                row.confidence = confidence.get(code)
                row.save(update_fields=["detected_from", "confidence"])
        DossierOperation.objects.bulk_create(new_rows)
        stale = [row.pk for op_id, row in existing.items()
                 if op_id not in kept and row.status == DossierOperation.Status.DETECTED]
        DossierOperation.objects.filter(pk__in=stale).delete()

        if unknown or not_in_force:
            parts = []
            if unknown:
                parts.append(f"codes inconnus : {', '.join(unknown)}")
            if not_in_force:
                parts.append(f"fiches non en vigueur au {engagement:%d/%m/%Y} : {', '.join(not_in_force)}")
            log_activity(
                "operations_unmatched",
                target=dossier,
                description="Opérations non reconnues — " + " ; ".join(parts) + ".",
                metadata={"unknown": unknown, "not_in_force": not_in_force, "engagement_date": engagement.isoformat()},
            )
        return {
            "engagement_date": engagement.isoformat(),
            "engagement_date_known": bool(timeline.date_signature),
            "detected": sorted(matched),
            "unknown_codes": unknown,
            "not_in_force": not_in_force,
            "removed": len(stale),
            "timeline_set": timeline_set,
        }

    def _fill_timeline(self, dossier, values) -> tuple[Timeline, dict[str, str]]:
        """Set Timeline dates from the documents; never overwrite a date someone else entered.
        Returns the timeline and the dates this stage wrote."""
        previous = (
            StageRun.objects.filter(dossier=dossier, stage=self.name, outcome=StageRun.Outcome.SUCCEEDED)
            .order_by("-started_at").values_list("details", flat=True).first()
        ) or {}
        ours = previous.get("timeline_set", {})
        timeline, _ = Timeline.objects.get_or_create(dossier=dossier)
        original_end = timeline.date_fin_travaux
        written: dict[str, str] = {}
        changed = []
        for field_name, candidates in TIMELINE_SOURCES.items():
            extracted = next(
                (d for t, f in candidates for row in values.get((t, f), []) if (d := _parse_date(row.effective_value))),
                None,
            )
            current = getattr(timeline, field_name)
            set_by_us = current is not None and ours.get(field_name) == current.isoformat()
            if extracted is None:
                if set_by_us:  # the document that gave it is gone or corrected to nothing
                    setattr(timeline, field_name, None)
                    changed.append(field_name)
                continue
            if current is None or set_by_us:
                if current != extracted:
                    setattr(timeline, field_name, extracted)
                    changed.append(field_name)
                written[field_name] = extracted.isoformat()
        start, end = timeline.date_debut_travaux, timeline.date_fin_travaux
        if start and end and end < start and "date_fin_travaux" in changed:
            # A declared works start after the extracted end: keep the row valid, let rules flag it.
            timeline.date_fin_travaux = original_end
            written.pop("date_fin_travaux", None)
        if changed:
            timeline.save()
        return timeline, written
