"""Products learned from the verdicts on the multi-valued product fields (``LearnedProduct``).

A verdict on a document's brands (``lexicon: marque``) teaches each brand; one on its references
(``lexicon: reference``) teaches each reference with the brand at the same place of the
document's brands as they stand (corrected or as read), when both lists are as long. What the
extractor does with them: ``reading.reading_data`` and ``extractors.catalogue.in_catalogue``.
"""
from __future__ import annotations

import json

from django.db.models import F
from django.utils import timezone

from ..models import LearnedProduct, LearnedRejection
from ..reading import item_key

MAX_BRAND, MAX_REFERENCE = 60, 120


def values_of(text) -> list[str]:
    """A multi-valued field's values: its JSON list, or the one value written plain."""
    if not text:
        return []
    if isinstance(text, list):
        items = text
    else:
        try:
            items = json.loads(text)
        except (TypeError, ValueError):
            items = [text]
        if not isinstance(items, list):
            items = [items]
    return [str(item).strip() for item in items if item is not None and str(item).strip()]


def learn_products(lexicon: str, value, brands_now, read=None) -> None:
    """Count what one verdict on a product field teaches. ``lexicon``: the field's ``lexicon``
    hint; ``value``: the list validated; ``brands_now``: the document's brands as they stand;
    ``read``: the list the extractor read, when the verdict corrected it (the items it held that
    the validated list does not are counted as removed, ``LearnedRejection``)."""
    items = values_of(value)
    if read is not None and lexicon in LearnedRejection.Lexicon.values:
        kept = {item_key(item) for item in items}
        for item in dict.fromkeys(values_of(read)):
            if item_key(item) and item_key(item) not in kept and len(item) <= MAX_REFERENCE:
                replacement = _held(item, [v for v in items if item_key(v)])
                row, created = LearnedRejection.objects.get_or_create(lexicon=lexicon, text=item,
                                                                      defaults={"replacement": replacement})
                if not created:
                    LearnedRejection.objects.filter(pk=row.pk).update(count=F("count") + 1, replacement=replacement,
                                                                      updated_at=timezone.now())
    if lexicon == "marque":
        pairs = [(brand, "") for brand in items]
    elif lexicon == "reference":
        brands = values_of(brands_now)
        if len(brands) != len(items):
            return  # which brand makes which reference is not known
        pairs = list(zip(brands, items))
    else:
        return
    for brand, reference in dict.fromkeys(pairs):
        if len(brand) > MAX_BRAND or len(reference) > MAX_REFERENCE:
            continue
        row, created = LearnedProduct.objects.get_or_create(brand=brand, reference=reference)
        if not created:
            LearnedProduct.objects.filter(pk=row.pk).update(count=F("count") + 1, updated_at=timezone.now())


def _held(item: str, validated: list[str]) -> str:
    """The one validated item whose words open or end the removed one (« Watts » of « Watts BA
    2760 », « BA 2760 » of « Watts BA 2760 »), or ""."""
    words = item_key(item).split()
    held = [v for v in validated if (lambda w: w != words and (words[:len(w)] == w or words[-len(w):] == w))(item_key(v).split())]
    return held[0] if len(held) == 1 else ""
