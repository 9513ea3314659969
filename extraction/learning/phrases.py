"""Learned label phrases as extra labels of the field schemas' extraction hints.

The extractor reads its labels from ``FieldSchema.extraction_hints["labels"]``; the active
learned phrases of a field join them (with a lower weight than the configured ones), so every
reader that follows labels uses them. A phrase that is a configured label of another field of
the same document type is left out: it names that other field.

A phrase is learned from the words printed before a corrected value; on a letter those are
often the value before it (the street before the town, the name over the address): such words
never become a label (``is_label_phrase``).
"""
from __future__ import annotations

from django.conf import settings

from ..extractors.text import token_texts
from ..models import LearnedLabelPhrase

LEARNED_LABEL_WEIGHT = 0.9
# Words of an address or a person's name as printed, never of a label: a phrase holding one was
# read off the value before the corrected one (« 12 quai Jules Ferry, 69007 Lyon »).
_VALUE_WORDS = {"rue", "avenue", "boulevard", "bd", "impasse", "chemin", "quai", "route", "allee", "square",
                "lotissement", "residence", "hameau", "faubourg", "bis", "ter",
                "mme", "mr", "mlle", "monsieur", "madame", "mademoiselle"}
_SMALL_WORDS = {"de", "du", "des", "la", "le", "les", "et", "en", "au", "aux", "sur", "pour", "par"}
# Words naming the works (an item's designation, the fiche's title): printed before a surface or a
# product on one letter, they are no label of it on another, where they name the company
# (« ISO' ISOLATION ») or another line.
_WORKS_WORDS = {"isolation", "isolant", "isolants", "combles", "comble", "perdus", "toiture", "toitures", "rampant",
                "rampants", "plancher", "planchers", "mur", "murs", "pompe", "chaleur", "chaudiere", "chaudieres",
                "fenetre", "fenetres", "ballon", "thermodynamique", "solaire", "poele", "insert", "ventilation",
                "vmc", "radiateur", "radiateurs", "thermostat", "regulation", "operation", "fiche", "cee", "travaux",
                "fourniture", "pose", "bar", "en", "th"}


def is_label_phrase(phrase: str, other_values=()) -> bool:
    """Whether ``phrase`` (the folded words before a corrected value) may name its field on
    other layouts: not when it holds an address's or a civility's word, nor when it only names
    the works (« isolation »: the item line before a surface), nor a word of
    ``other_values`` (the document's values of its other fields: « isolation » read before a
    surface is the installer's name « Isolation Confort », not a label)."""
    tokens = token_texts(phrase)
    if not tokens or _VALUE_WORDS & set(tokens) or set(tokens) <= _WORKS_WORDS | _SMALL_WORDS:
        return False
    taken = {t for value in other_values if value for t in token_texts(value) if len(t) > 2 and t not in _SMALL_WORDS}
    return not taken & set(tokens)


def learned_phrases(document_type_id: int) -> dict[str, list[str]]:
    """Active learned phrases of a document type's fields, by field name, once they come from
    ``CEE_LEARNED_PHRASE_MIN_COUNT`` corrections (default 2)."""
    minimum = settings.CEE_LEARNED_PHRASE_MIN_COUNT
    phrases: dict[str, list[str]] = {}
    for name, phrase in (LearnedLabelPhrase.objects
                         .filter(schema__document_type_id=document_type_id, is_active=True, count__gte=minimum)
                         .order_by("-count", "phrase").values_list("schema__name", "phrase")):
        if is_label_phrase(phrase):  # rows learned before the words of values were left out
            phrases.setdefault(name, []).append(phrase)
    return phrases


def configured_labels(hints: dict, label: str) -> dict[str, float]:
    """A field's labels with their weights, as its extraction hints give them (its name by default)."""
    raw = hints.get("labels") or [label]
    return {str(k): float(v) for k, v in raw.items()} if isinstance(raw, dict) else {str(k): 1.0 for k in raw}


def hints_with_learned_labels(schemas: list, phrases: dict[str, list[str]]) -> dict[str, dict]:
    """The extraction hints of ``schemas`` (FieldSchema rows of one type), the learned phrases
    added to the labels of their fields; only the fields that gain a label are returned."""
    if not phrases:
        return {}
    taken = {
        schema.name: {tuple(token_texts(text)) for text in configured_labels(schema.extraction_hints or {}, schema.label)}
        for schema in schemas
    }
    result = {}
    for schema in schemas:
        hints = dict(schema.extraction_hints or {})
        labels = configured_labels(hints, schema.label)
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
