"""What a verdict teaches: where the field sits on the document's layout, and, for a
correction, the label phrase printed before the right value.

``learn_from_verdict`` is called by the feedback services (``extraction.feedback``) once a
verdict's ``HumanFeedback`` row is stored, inside the verdict's transaction: a verdict that
records nothing (the same file imported twice, a value confirmed again) teaches nothing.
Inside ``verdict_batch()`` (an import of many verdicts) what a verdict reads that the verdicts
do not change is read once: the recipient fields' names once per batch, a document's pages,
layout and other values once per document.
"""
from __future__ import annotations

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass, field as dataclass_field

from django.db.models import F
from django.utils import timezone

from cee.text import tokens as name_words

from documents.models import Page

from ..extractors.text import token_texts
from ..models import (ExtractedField, FieldSchema, HumanFeedback, LayoutFingerprint, LearnedFieldLocation,
                      LearnedLabelPhrase, effective_value)
from ..types import PageContent
from .constants import CONSTANT_TYPES, constant_differs
from .fingerprint import (MATCH_THRESHOLD, is_multi_valued, layout_digest, layout_features, match_score, page_shape,
                          read_issuer)
from .issuers import learn_issuer_value
from .phrases import configured_labels, is_label_phrase
from .products import learn_products
from .shapes import value_head, with_shape
from .spots import locate


@dataclass
class _Batch:
    """What ``learn_from_verdict`` read for the verdicts of one batch: the recipient fields'
    names, and, for the document whose verdicts are being learned, its pages, its layout, its
    fields' values by field id (kept up to date with each verdict) and whether it was counted."""
    recipient_fields: set[str] | None = None
    document_id: int | None = None
    pages: list[PageContent] = dataclass_field(default_factory=list)
    layout: LayoutFingerprint | None = None
    values: dict[int, tuple[str, str]] = dataclass_field(default_factory=dict)
    counted: bool = False


_batch: ContextVar[_Batch | None] = ContextVar("learning_verdict_batch", default=None)


@contextlib.contextmanager
def verdict_batch():
    """Within this block, ``learn_from_verdict`` reads the recipient fields once, and each
    document's pages, layout and values once for its consecutive verdicts (an import). The
    verdicts must be the only writes to those fields meanwhile."""
    if _batch.get() is not None:
        yield
        return
    token = _batch.set(_Batch())
    try:
        yield
    finally:
        _batch.reset(token)


def _batch_for(document) -> _Batch | None:
    """The batch, turned to ``document`` (what it kept of the previous document dropped)."""
    batch = _batch.get()
    if batch is not None and batch.document_id != document.pk:
        batch.document_id, batch.pages, batch.layout, batch.values, batch.counted = document.pk, [], None, {}, False
    return batch


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


def _count(model, lookup: dict, defaults: dict, *, value: str = "", constant: str = "", **also: int) -> None:
    """One more verdict for the row of ``lookup`` (created with ``defaults``); ``also`` names
    other counters the verdict adds to (``corrections=1``); ``value``: the value taught, whose
    shape a learned location keeps; ``constant``: the value taught of a field a layout may print
    the same on every document (``constants.CONSTANT_TYPES``), kept while every verdict agrees."""
    shaped = {"value_shapes": with_shape([], value), "value_head": value_head(value) or None} if value else {}
    if constant:
        shaped["constant"] = constant
    row, created = model.objects.get_or_create(**lookup, defaults={**defaults, **shaped, **also})
    if not created:
        shaped = {}
        if value and with_shape(row.value_shapes, value) != row.value_shapes:
            shaped["value_shapes"] = with_shape(row.value_shapes, value)
        if value and row.value_head and value_head(value) != row.value_head:
            shaped["value_head"] = None  # two numberings taught: no head of the layout's
        if constant_differs(getattr(row, "constant", None), constant):
            shaped["constant"] = None  # two values taught: none is the layout's constant
        model.objects.filter(pk=row.pk).update(count=F("count") + 1, updated_at=timezone.now(), **shaped,
                                               **{name: F(name) + n for name, n in also.items()})


def misread(feedback: HumanFeedback, data_type: str) -> bool:
    """Whether a verdict says the extractor read another value than the document's: a value
    marked wrong, or corrected into other words. A correction of the case, a civility or the
    order of a name's words (« MORVAN André » into « André Morvan ») is no misreading, nor a
    value filled in where the extractor had read none (it missed it, and may read it next time)."""
    if feedback.kind == HumanFeedback.Kind.WRONG:
        return True
    if feedback.kind != HumanFeedback.Kind.CORRECTED or not feedback.original_value:
        return False
    if data_type == "string":
        return name_words(feedback.original_value) != name_words(feedback.corrected_value)
    return True


def learn_from_verdict(feedback: HumanFeedback, field) -> None:
    """Learn from one stored verdict on ``field`` (an ExtractedField with its schema and document).

    Confirmed: the value read is where the field sits. Corrected: where the corrected value is
    printed, when it can be found on the pages, and the words before it as a label phrase.
    Marked wrong, or an empty value confirmed: the layout does not carry the field. A verdict
    saying the extractor misread the value (``misread``) also counts as a correction of the
    location: the extractor's reading of that field on the layout failed.
    """
    document = field.document
    if document.document_type_id is None:
        return
    batch = _batch_for(document)
    if batch is not None and not batch.pages:
        batch.pages = document_pages(document)
        batch.values = _field_values(document.pk)
    if batch is not None:
        batch.values[field.pk] = (field.schema.name, field.effective_value)
    pages = batch.pages if batch is not None else document_pages(document)
    if not pages:
        return
    if feedback.kind == HumanFeedback.Kind.CORRECTED:
        value = feedback.corrected_value
    elif feedback.kind == HumanFeedback.Kind.CONFIRMED:
        value = field.value
    else:
        value = ""
    learn_issuer_value(field, value)
    changed = {"corrections": int(misread(feedback, field.schema.data_type))}
    layout = batch.layout if batch is not None and batch.layout is not None else layout_of(document, pages)
    if batch is not None:
        batch.layout = layout
    if not (batch is not None and batch.counted) and not (
            HumanFeedback.objects.filter(document_id=document.pk).exclude(pk=feedback.pk).exists()):
        LayoutFingerprint.objects.filter(pk=layout.pk).update(documents_learned=F("documents_learned") + 1,
                                                              updated_at=timezone.now())
    if batch is not None:
        batch.counted = True  # its next verdicts find this one
    if not value:
        _count(LearnedFieldLocation, {"fingerprint": layout, "schema": field.schema, "key": "absent"}, {"absent": True},
               **changed)
        return
    if is_multi_valued(field.schema.extraction_hints):  # a list of products: no one spot
        lexicon = (field.schema.extraction_hints or {}).get("lexicon")
        if lexicon:
            brand_fields = set(FieldSchema.objects.filter(document_type_id=field.schema.document_type_id,
                                                          extraction_hints__lexicon="marque").values_list("name", flat=True))
            brands = [v for name, v in _other_values(field, batch) if name in brand_fields]
            learn_products(lexicon, value, brands[0] if brands else None,
                           read=field.value if feedback.kind == HumanFeedback.Kind.CORRECTED else None)
        return
    others = _other_values(field, batch)
    # where the extractor read the value: confirmed, or corrected into the same words (the case, a
    # civility: « PERPIGNAN » into « Perpignan »): the place it read stays the place to learn
    confirmed = ((feedback.kind == HumanFeedback.Kind.CONFIRMED
                  or (feedback.kind == HumanFeedback.Kind.CORRECTED and feedback.original_value
                      and not changed["corrections"]))
                 and field.page and field.bbox)
    # The recipient's values change from one document of the layout to the next: never an anchor
    # (the issuer's own name and address, printed on every document of its template, may be).
    recipient = _recipient_fields(batch)
    labels = [tuple(token_texts(text)) for text in configured_labels(field.schema.extraction_hints or {},
                                                                     field.schema.label)]
    spot = locate(pages, field.schema.data_type, value, other_values=[v for name, v in others if name in recipient],
                  extracted_at=(field.page, tuple(field.bbox)) if confirmed else None, labels=labels,
                  foreign_labels=_labels_of_same_values(field, value, others, labels))
    if spot is None:
        return
    _count(LearnedFieldLocation, {"fingerprint": layout, "schema": field.schema, "key": spot.key},
           {"page": spot.page, "bbox": [round(v, 5) for v in spot.bbox], "relation": spot.relation,
            "anchor": " ".join(spot.anchor)[:120], "offset": spot.offset, "value_words": spot.value_words,
            "followed_by": spot.followed_by, "clauses_skipped": spot.clauses_skipped,
            "words_skipped": spot.words_skipped, "values_skipped": spot.values_skipped},
           value=value if field.schema.data_type == "string" else "",
           constant=value if field.schema.data_type in CONSTANT_TYPES else "", **changed)
    phrase = " ".join(spot.anchor)[:120]
    if (feedback.kind == HumanFeedback.Kind.CORRECTED and spot.anchor and spot.anchor_alone
            and is_label_phrase(phrase, [value for _, value in others])):
        _count(LearnedLabelPhrase, {"schema": field.schema, "phrase": phrase}, {})


def learn_type(document, misread_as: str) -> None:
    """A validator gave the document its type (``extraction.services.set_document_type``) where
    the classifier read ``misread_as``: its layout, under the right type, remembers it, so that the
    next document of the layout the classifier misreads the same way gets the right type."""
    if document.document_type_id is None or not misread_as or misread_as == document.document_type.code:
        return
    pages = document_pages(document)
    if not pages:
        return
    layout = layout_of(document, pages)
    LayoutFingerprint.objects.filter(pk=layout.pk).update(types_corrected=F("types_corrected") + 1,
                                                          misread_as=misread_as[:50], updated_at=timezone.now())


def _labels_of_same_values(field, value: str, others: list[tuple[str, str]], own: list[tuple[str, ...]]):
    """The labels of the document's other fields that hold the same value (an invoice whose
    works ended on its date of issue): a place after one of them is that field's, not this one's."""
    same = {name for name, other in others if other == value}
    if not same:
        return []
    return [label for schema in FieldSchema.objects.filter(document_type_id=field.schema.document_type_id, name__in=same)
            for label in (tuple(token_texts(text)) for text in configured_labels(schema.extraction_hints or {}, schema.label))
            if label and label not in own]


def _other_values(field, batch: _Batch | None) -> list[tuple[str, str]]:
    """The document's other fields with their values as they stand (corrected or as read)."""
    values = batch.values if batch is not None else _field_values(field.document_id)
    return [value for pk, value in values.items() if pk != field.pk]


def _field_values(document_id: int) -> dict[int, tuple[str, str]]:
    return {pk: (name, effective_value(status, value, corrected)) for pk, name, status, value, corrected in
            ExtractedField.objects.filter(document_id=document_id)
            .values_list("pk", "schema__name", "status", "value", "corrected_value")}


def _recipient_fields(batch: _Batch | None) -> set[str]:
    """Names of the fields that hold the recipient's identity (the ``recipient`` hint of one
    type or another: the beneficiary's name, street, postal code, town; the declarant)."""
    if batch is not None and batch.recipient_fields is not None:
        return batch.recipient_fields
    names = set(FieldSchema.objects.filter(extraction_hints__has_key="recipient").values_list("name", flat=True))
    if batch is not None:
        batch.recipient_fields = names
    return names
