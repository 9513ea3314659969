"""The phrase patterns and the brand lexicon of a document type, read once per pipeline run."""
from __future__ import annotations

from extraction.models import LearnedProduct, LearnedRejection, PhrasePattern, ProductBrand
from extraction.reading import item_key, reading_data
from extraction.types import ReadingData

from .hints import learning_on, read_once


def document_reading_data(document_type) -> ReadingData:
    """The active phrase patterns of the type's active fields, the active brands and the active
    learned products."""
    return read_once(("reading_data", document_type.pk), lambda: reading_data(
        PhrasePattern.objects.filter(schema__document_type=document_type, schema__is_active=True, is_active=True)
        .order_by("schema__name", "pattern").values_list("schema__name", "pattern", "weight"),
        ProductBrand.objects.filter(is_active=True).order_by("name").values_list("name", "aliases"),
        LearnedProduct.objects.filter(is_active=True).order_by("brand", "-count", "reference")
        .values_list("brand", "reference") if learning_on() else (),
        rejected_items() if learning_on() else (),
    ))


def rejected_items() -> list[tuple[str, str, str]]:
    """(lexicon, text, replacement) of the active items validators removed from product lists
    more often than they validated them as a brand or a reference (``LearnedProduct``)."""
    rows = list(LearnedRejection.objects.filter(is_active=True).values_list("lexicon", "text", "replacement", "count"))
    if not rows:
        return []
    validated: dict[tuple[str, str], int] = {}
    for brand, reference, count in LearnedProduct.objects.values_list("brand", "reference", "count"):
        key = ("reference", item_key(reference)) if reference else ("marque", item_key(brand))
        validated[key] = validated.get(key, 0) + count
    return [(lexicon, text, replacement) for lexicon, text, replacement, count in rows
            if count > validated.get((lexicon, item_key(text)), 0)]
