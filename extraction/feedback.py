"""A validator's verdict on an extracted value: confirm, correct, mark wrong.

Each verdict changes the field (status, who, when; the correction normalised like the
extractor's output), stores a ``HumanFeedback`` row — the training signal: what the engine
read, what it should have read, the engine and its version, its confidence, and the context
around the value on the page — and, when the value the rules see has changed, announces it
(``signals.field_corrected``; the dossier workflow re-runs the rules that read this field).
All in one transaction per verdict.

These services do not check who may review the dossier: the review studio
(``dossiers.review.services.require_holder``) does before calling them.
"""
from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from documents.models import Page

from .learning.services import learn_from_verdict
from .models import ExtractedField, FieldStatus, HumanFeedback
from .signals import field_corrected

logger = logging.getLogger(__name__)

# How far around the field's box the context reaches, in page heights / widths.
_CONTEXT_MARGIN_Y = 0.03
_CONTEXT_MARGIN_X = 0.25
_CONTEXT_TEXT_CHARS = 160


def field_key(field: ExtractedField) -> str:
    """The name rules use for this field: ``<document type code>.<field name>``."""
    document_type = field.document.document_type
    return f"{document_type.code if document_type else 'autre'}.{field.schema.name}"


def value_seen_by_rules(field: ExtractedField) -> str | None:
    """What the rules read from this field: nothing once a validator marked it wrong."""
    return None if field.status == FieldStatus.WRONG else field.effective_value


def engine_name_and_version(field: ExtractedField) -> tuple[str, str]:
    """Split ``field.engine`` ("tesseract 5.3.0", "anchors@2") into name and version."""
    engine = (field.engine or "").strip()
    if not engine:
        return field.method, ""
    for separator in ("@", " ", "/"):
        if separator in engine:
            name, version = engine.split(separator, 1)
            return name.strip(), version.strip()
    return engine, ""


def feedback_context(field: ExtractedField) -> dict:
    """Where the value sat: page, box, the raw text read, and the words around it on the page."""
    context: dict = {
        "page": field.page,
        "bbox": field.bbox,
        "raw_text": field.raw_text,
        "method": field.method,
        "data_type": field.schema.data_type,
        "dossier_reference": field.dossier.reference,
        "document_filename": field.document.original_filename,
    }
    page = _page_of(field)
    if page is None:
        return context
    context["page_text_source"] = page.text_source
    words = page.words or []
    if field.bbox and words:
        x0, y0, x1, y1 = (float(v) for v in field.bbox)
        near = []
        for word in words:
            try:
                wx0, wy0, wx1, wy1 = (float(v) for v in word["bbox"])
            except (KeyError, TypeError, ValueError):
                continue
            centre_y = (wy0 + wy1) / 2
            if y0 - _CONTEXT_MARGIN_Y <= centre_y <= y1 + _CONTEXT_MARGIN_Y and wx1 >= x0 - _CONTEXT_MARGIN_X and wx0 <= x1 + _CONTEXT_MARGIN_X:
                near.append((round(wy0, 3), wx0, str(word.get("text", ""))))
        context["surrounding_text"] = " ".join(text for _, _, text in sorted(near))
    elif page.text:
        text = page.text
        at = text.find(field.raw_text) if field.raw_text else -1
        start = max(0, at - _CONTEXT_TEXT_CHARS) if at >= 0 else 0
        context["surrounding_text"] = text[start: start + 2 * _CONTEXT_TEXT_CHARS + len(field.raw_text or "")]
    return context


def _page_of(field: ExtractedField):
    if not field.page:
        return None
    document = field.document
    page = Page.objects.filter(document=document, number=field.page).first()
    if page is None and document.parent_id:
        offset = (document.page_start or 1) - 1
        page = Page.objects.filter(document_id=document.parent_id, number=field.page + offset).first()
    return page


def _locked(field: ExtractedField) -> ExtractedField:
    return (
        ExtractedField.objects.select_for_update(of=("self",))
        .select_related("schema", "document__document_type", "dossier")
        .get(pk=field.pk)
    )


def _record(field: ExtractedField, *, kind: str, user, original: str, corrected: str, note: str = "") -> HumanFeedback:
    name, version = engine_name_and_version(field)
    context = feedback_context(field)
    if note:
        context["note"] = note
    feedback = HumanFeedback.objects.create(
        extracted_field=field,
        dossier_id=field.dossier_id,
        document_id=field.document_id,
        document_type_code=field.document.document_type.code if field.document.document_type_id else "autre",
        field_name=field.schema.name,
        kind=kind,
        original_value=original,
        corrected_value=corrected,
        context=context,
        engine_name=name,
        engine_version=version,
        confidence_before=field.confidence,
        created_by=user,
    )
    try:
        # A verdict is the validator's work: what it teaches must not cost it (own savepoint).
        with transaction.atomic():
            learn_from_verdict(feedback, field)
    except Exception:
        logger.exception("Learning from feedback %s failed", feedback.pk)
    return feedback


def _announce_correction(field: ExtractedField, user) -> None:
    """Tell the apps above (``signals.field_corrected``: the dossier workflow re-runs the rules
    that read ``field``), inside the verdict's transaction."""
    field_corrected.send(sender=ExtractedField, field=field, changed_fields={field_key(field)}, actor=user)


def _save(field: ExtractedField, user, update_fields: list[str]) -> None:
    field._history_user = user  # django-simple-history: the field's history names the validator
    field.save(update_fields=[*update_fields, "updated_at"])


def _apply_to_caller(source: ExtractedField, target: ExtractedField) -> None:
    for name in ("value", "status", "original_value", "corrected_value", "confirmed_by_id", "confirmed_at",
                 "corrected_by_id", "corrected_at", "updated_at"):
        setattr(target, name, getattr(source, name))


def confirm_field(field: ExtractedField, user, *, request=None) -> HumanFeedback | None:
    """Confirm that the value read is right.

    Guarantees: the field becomes confirmed (by ``user``, now) and a ``confirmed`` feedback
    row is stored; the rules re-run only if the field had been marked wrong (its value is
    back in play). A field already corrected stays corrected: its correction is the
    validator's value, confirming it again records nothing and returns None.
    """
    with transaction.atomic():
        locked = _locked(field)
        if locked.status == FieldStatus.CORRECTED:
            return None
        before = value_seen_by_rules(locked)
        locked.status = FieldStatus.CONFIRMED
        locked.confirmed_by, locked.confirmed_at = user, timezone.now()
        _save(locked, user, ["status", "confirmed_by", "confirmed_at"])
        feedback = _record(locked, kind=HumanFeedback.Kind.CONFIRMED, user=user, original=locked.value, corrected="")
        if value_seen_by_rules(locked) != before:
            _announce_correction(locked, user)
    _apply_to_caller(locked, field)
    return feedback


def correct_field(field: ExtractedField, value: str, user, *, request=None) -> HumanFeedback | None:
    """Replace the value read by ``value``, typed as the field's schema says.

    ``value`` is what the validator typed (``15/03/2024`` or ``2024-03-15``, ``12 450,00``,
    a SIRET with spaces…); it is normalised by ``extraction.normalise.normalise`` exactly as
    the extractor's output is. Guarantees: the field becomes corrected (value kept as
    extracted, the first extracted value kept in ``original_value``, the correction in
    ``corrected_value``), a ``corrected`` feedback row records engine value → correction,
    and the rules that read the field re-run. Typing the value already there confirms an
    unreviewed field and changes nothing otherwise (returns None).
    Raises ValueError (French message) when ``value`` is not a valid value of that type.
    """
    from .normalise import normalise

    data_type = field.schema.data_type
    normalised = normalise(data_type, value)
    with transaction.atomic():
        locked = _locked(field)
        if normalised == locked.effective_value and locked.status != FieldStatus.WRONG:
            # Nothing to correct: the value is right. Unreviewed, that is a confirmation.
            feedback = confirm_field(locked, user, request=request) if locked.status == FieldStatus.UNREVIEWED else None
            _apply_to_caller(locked, field)
            return feedback
        before = value_seen_by_rules(locked)
        locked.original_value = locked.original_value or locked.value
        locked.corrected_value = normalised
        locked.status = FieldStatus.CORRECTED
        locked.corrected_by, locked.corrected_at = user, timezone.now()
        _save(locked, user, ["original_value", "corrected_value", "status", "corrected_by", "corrected_at"])
        feedback = _record(
            locked, kind=HumanFeedback.Kind.CORRECTED, user=user, original=locked.value, corrected=normalised
        )
        if value_seen_by_rules(locked) != before:
            _announce_correction(locked, user)
    _apply_to_caller(locked, field)
    return feedback


def mark_field_wrong(field: ExtractedField, user, *, note: str = "", request=None) -> HumanFeedback:
    """Say the value read is wrong without giving the right one (unreadable, absent from the page).

    Guarantees: the field becomes wrong — the rules no longer read it, so a rule that needs
    it says it cannot be evaluated — a ``wrong`` feedback row is stored (with ``note`` in
    its context), and the rules that read the field re-run.
    """
    with transaction.atomic():
        locked = _locked(field)
        before = value_seen_by_rules(locked)
        locked.status = FieldStatus.WRONG
        locked.corrected_by, locked.corrected_at = user, timezone.now()
        _save(locked, user, ["status", "corrected_by", "corrected_at"])
        feedback = _record(
            locked, kind=HumanFeedback.Kind.WRONG, user=user, original=locked.value, corrected="", note=note.strip()
        )
        if value_seen_by_rules(locked) != before:
            _announce_correction(locked, user)
    _apply_to_caller(locked, field)
    return feedback
