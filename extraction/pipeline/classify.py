"""Stage ``classify``: the document's type and a confidence, from the types' hints (data)."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from documents.models import DocumentType

from .base import Stage, StageError
from .hints import FALLBACK_TYPE_CODE, hints_by_code, read_once
from .registry import register

DEFAULT_REVIEW_THRESHOLD = 0.6
MISMATCH_FLAG = "declared_type_mismatch"
LOW_CONFIDENCE_FLAG = "low_classification_confidence"
UNRECOGNISED_FLAG = "unrecognised_type"
# The classifier's type was replaced by the one a validator gave documents of the same layout
# (``learning.apply.learned_type``).
LEARNED_TYPE_FLAG = "type_learned_from_layout"
LEARNED_TYPE_CONFIDENCE = 0.75
OWN_FLAGS = (MISMATCH_FLAG, LOW_CONFIDENCE_FLAG, UNRECOGNISED_FLAG, LEARNED_TYPE_FLAG)
# A validator gave the type (``extraction.services.set_document_type``): kept when the document
# is processed again. The flag carries the type's code.
TYPE_SET_FLAG = "type_set_by_validator"


def review_threshold() -> float:
    """Below this confidence a validator checks the type: the active classification
    EngineConfig's ``review_threshold``, else ``CEE_CLASSIFICATION_REVIEW_THRESHOLD`` (0.6).
    Read once per run (``hints.configuration_read_once``)."""
    return read_once(("review_threshold",), _read_review_threshold)


def _read_review_threshold() -> float:
    from extraction.models import EngineConfig

    parameters = (
        EngineConfig.objects.filter(task=EngineConfig.Task.CLASSIFICATION, is_active=True)
        .order_by("priority", "pk").values_list("parameters", flat=True).first()
    ) or {}
    try:
        return float(parameters["review_threshold"])
    except (KeyError, TypeError, ValueError):
        return float(getattr(settings, "CEE_CLASSIFICATION_REVIEW_THRESHOLD", DEFAULT_REVIEW_THRESHOLD))


def _document_type(code: str) -> DocumentType | None:
    return read_once(("document_type", code), lambda: DocumentType.objects.filter(code=code).first())


def as_confidence(value: float) -> Decimal:
    return Decimal(str(round(min(max(float(value), 0.0), 1.0), 3)))


@register
class ClassifyStage(Stage):
    """Sets ``document_type``, ``classification_confidence``, ``needs_review`` and ``text``.

    Takes a document with its pages read. A type a validator gave (``TYPE_SET_FLAG``) is
    kept. Otherwise the classifier's answer wins; a type the installer declared is kept only
    when the classifier is not confident (and the document is flagged for review either way
    when they disagree). Below the review threshold
    (see ``review_threshold``), or when no CEE type is recognised (``autre``), the
    document needs a validator's look.
    """

    name = "classify"
    label = "classification"
    order = 40

    def run(self, ctx):
        from extraction.classification import classify_text
        from extraction.learning.apply import learned_type

        document = ctx.document
        pages = ctx.pages()
        text = "\n\n".join(p.text for p in pages if p.text)
        result = classify_text(text, hints_by_code())
        code, confidence = result.code, float(result.confidence)
        threshold = review_threshold()
        declared = document.declared_type
        flags = [f for f in document.flags if f.get("code") not in OWN_FLAGS]
        set_by_validator = next((f["type"] for f in flags if f.get("code") == TYPE_SET_FLAG), None)
        learned = None if set_by_validator else learned_type(ctx.page_contents(), code, getattr(_document_type(code), "pk", None))
        if set_by_validator:
            code, confidence, declared = set_by_validator, 1.0, None
        elif learned:
            flags.append({"code": LEARNED_TYPE_FLAG, "type": learned,
                          "message": f"Reconnu « {result.code} », type « {learned} » appris d'un modèle corrigé par un validateur."})
            code, confidence = learned, max(confidence, LEARNED_TYPE_CONFIDENCE)
        if declared is not None and declared.code != code:
            if confidence < threshold:
                code = declared.code
            flags.append({
                "code": MISMATCH_FLAG,
                "message": f"Déclaré « {declared.name} », reconnu « {code} » (confiance {confidence:.2f}).",
            })
        if confidence < threshold:
            flags.append({"code": LOW_CONFIDENCE_FLAG, "message": f"Type incertain (confiance {confidence:.2f})."})
        if code == FALLBACK_TYPE_CODE and (declared is None or declared.code != FALLBACK_TYPE_CODE):
            flags.append({"code": UNRECOGNISED_FLAG, "message": "Aucun type de document CEE reconnu."})
        document_type = _document_type(code) or _document_type(FALLBACK_TYPE_CODE)
        if document_type is None:
            raise StageError(f"type de document « {code} » introuvable dans la configuration.", code="unknown_type")
        document.document_type = document_type
        document.classification_confidence = as_confidence(confidence)
        document.needs_review = confidence < threshold or any(f["code"] in (MISMATCH_FLAG, UNRECOGNISED_FLAG) for f in flags)
        document.text = text
        document.flags = flags
        document.save(update_fields=["document_type", "classification_confidence", "needs_review", "text", "flags"])
        top = sorted(result.scores.items(), key=lambda item: -item[1])[:4]
        return {"type": document_type.code, "confidence": round(confidence, 3), "scores": dict(top)}
