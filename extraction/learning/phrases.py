"""Learned label phrases as extra labels of the field schemas' extraction hints.

The extractor reads its labels from ``FieldSchema.extraction_hints["labels"]``; the active
learned phrases of a field join them (with a lower weight than the configured ones), so every
reader that follows labels uses them. A phrase that is a configured label of another field of
the same document type is left out: it names that other field.
"""
from __future__ import annotations

from django.conf import settings

from ..extractors.text import token_texts
from ..models import LearnedLabelPhrase

LEARNED_LABEL_WEIGHT = 0.9


def learned_phrases(document_type_id: int) -> dict[str, list[str]]:
    """Active learned phrases of a document type's fields, by field name, once they come from
    ``CEE_LEARNED_PHRASE_MIN_COUNT`` corrections (default 2)."""
    minimum = settings.CEE_LEARNED_PHRASE_MIN_COUNT
    phrases: dict[str, list[str]] = {}
    for name, phrase in (LearnedLabelPhrase.objects
                         .filter(schema__document_type_id=document_type_id, is_active=True, count__gte=minimum)
                         .order_by("-count", "phrase").values_list("schema__name", "phrase")):
        phrases.setdefault(name, []).append(phrase)
    return phrases


def _labels(hints: dict, label: str) -> dict[str, float]:
    raw = hints.get("labels") or [label]
    return {str(k): float(v) for k, v in raw.items()} if isinstance(raw, dict) else {str(k): 1.0 for k in raw}


def hints_with_learned_labels(schemas: list, phrases: dict[str, list[str]]) -> dict[str, dict]:
    """The extraction hints of ``schemas`` (FieldSchema rows of one type), the learned phrases
    added to the labels of their fields; only the fields that gain a label are returned."""
    if not phrases:
        return {}
    taken = {
        schema.name: {tuple(token_texts(text)) for text in _labels(schema.extraction_hints or {}, schema.label)}
        for schema in schemas
    }
    result = {}
    for schema in schemas:
        hints = dict(schema.extraction_hints or {})
        labels = _labels(hints, schema.label)
        others = set().union(*(t for name, t in taken.items() if name != schema.name))
        added = False
        for phrase in phrases.get(schema.name, []):
            tokens = tuple(token_texts(phrase))
            if tokens and tokens not in taken[schema.name] and tokens not in others:
                labels[phrase] = LEARNED_LABEL_WEIGHT
                added = True
        if added:
            hints["labels"] = labels
            result[schema.name] = hints
    return result
