"""What a verdict teaches: where the field sits on the document's layout, and, for a
correction, the label phrase printed before the right value.

``learn_from_verdict`` is called by the feedback services (``extraction.feedback``) once a
verdict's ``HumanFeedback`` row is stored, inside the verdict's transaction: a verdict that
records nothing (the same file imported twice, a value confirmed again) teaches nothing.
"""
from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from documents.models import Page

from ..models import (ExtractedField, HumanFeedback, LayoutFingerprint, LearnedFieldLocation, LearnedLabelPhrase,
                      effective_value)
from ..types import PageContent
from .fingerprint import (MATCH_THRESHOLD, is_multi_valued, layout_digest, layout_features, match_score, page_shape,
                          read_issuer)
from .phrases import is_label_phrase
from .spots import locate


def document_pages(document) -> list[PageContent]:
    """The document's pages as the extractor reads them (a split part's from its file's pages)."""
    from ..pipeline.base import page_content

    pages = list(Page.objects.filter(document=document).order_by("number"))
    if not pages and document.parent_id and document.page_start:
        pages = list(Page.objects.filter(document_id=document.parent_id, number__gte=document.page_start,
                                         number__lte=document.page_end or document.page_start).order_by("number"))
    return [page_content(page) for page in pages]


def layout_of(document, pages: list[PageContent]) -> LayoutFingerprint:
    """The learned layout the document belongs to, created when none is close enough."""
    features, issuer, shape = layout_features(pages), read_issuer(pages), page_shape(pages)
    feature_set = set(features)
    best, best_score = None, 0.0
    for pk, known_issuer, known_features in (LayoutFingerprint.objects
                                             .filter(document_type_id=document.document_type_id, page_shape=shape)
                                             .values_list("pk", "issuer", "features")):
        score = match_score(feature_set, issuer, set(known_features or []), known_issuer)
        if score > best_score:
            best, best_score = pk, score
    if best is not None and best_score >= MATCH_THRESHOLD:
        return LayoutFingerprint.objects.get(pk=best)
    layout, _ = LayoutFingerprint.objects.get_or_create(
        digest=layout_digest(document.document_type.code, shape, issuer, features),
        defaults={"document_type_id": document.document_type_id, "issuer": issuer, "page_shape": shape,
                  "page_count": len(pages), "features": features},
    )
    return layout


def _count(model, lookup: dict, defaults: dict) -> None:
    row, created = model.objects.get_or_create(**lookup, defaults=defaults)
    if not created:
        model.objects.filter(pk=row.pk).update(count=F("count") + 1, updated_at=timezone.now())


def learn_from_verdict(feedback: HumanFeedback, field) -> None:
    """Learn from one stored verdict on ``field`` (an ExtractedField with its schema and document).

    Confirmed: the value read is where the field sits. Corrected: where the corrected value is
    printed, when it can be found on the pages, and the words before it as a label phrase.
    Marked wrong, or an empty value confirmed: the layout does not carry the field.
    """
    document = field.document
    if document.document_type_id is None:
        return
    pages = document_pages(document)
    if not pages:
        return
    if feedback.kind == HumanFeedback.Kind.CORRECTED:
        value = feedback.corrected_value
    elif feedback.kind == HumanFeedback.Kind.CONFIRMED:
        value = field.value
    else:
        value = ""
    layout = layout_of(document, pages)
    if not HumanFeedback.objects.filter(document_id=document.pk).exclude(pk=feedback.pk).exists():
        LayoutFingerprint.objects.filter(pk=layout.pk).update(documents_learned=F("documents_learned") + 1,
                                                              updated_at=timezone.now())
    if not value:
        _count(LearnedFieldLocation, {"fingerprint": layout, "schema": field.schema, "key": "absent"}, {"absent": True})
        return
    if is_multi_valued(field.schema.extraction_hints):
        return  # a list of products: no one spot
    spot = locate(pages, field.schema.data_type, value)
    if spot is None:
        return
    _count(LearnedFieldLocation, {"fingerprint": layout, "schema": field.schema, "key": spot.key},
           {"page": spot.page, "bbox": [round(v, 5) for v in spot.bbox], "relation": spot.relation,
            "anchor": " ".join(spot.anchor)[:120], "offset": spot.offset, "value_words": spot.value_words,
            "followed_by": spot.followed_by, "clauses_skipped": spot.clauses_skipped,
            "words_skipped": spot.words_skipped})
    phrase = " ".join(spot.anchor)[:120]
    if feedback.kind == HumanFeedback.Kind.CORRECTED and spot.anchor and is_label_phrase(phrase, _other_values(field)):
        _count(LearnedLabelPhrase, {"schema": field.schema, "phrase": phrase}, {})


def _other_values(field) -> list[str]:
    """The values of the document's other fields, as they stand (corrected or as read)."""
    return [effective_value(*row) for row in ExtractedField.objects.filter(document_id=field.document_id)
            .exclude(pk=field.pk).values_list("status", "value", "corrected_value")]
