"""The phrase patterns and the brand lexicon as the extractor takes them (``ReadingData``),
built from rows of the database (the extract stage) or of the reference fixtures (the
corpus evaluation, which runs without a database)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from cee.text import fold

from .extractors.text import token_texts

from .types import ReadingData

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def item_key(text: str) -> str:
    """An item of a product list as compared with another: its folded words."""
    return " ".join(token_texts(text or ""))


def reading_data(phrase_rows, brand_rows, product_rows=(), rejected_rows=()) -> ReadingData:
    """``phrase_rows``: (field name, pattern, weight) of one document type's active patterns;
    ``brand_rows``: (name, aliases) of the active brands; ``product_rows``: (brand, reference)
    of the active learned products, whose brands the lexicon does not name join it;
    ``rejected_rows``: (lexicon, text, replacement) of the items validators removed from product
    lists more often than they validated them (replacement: the validated item it held, or "")."""
    phrases: dict[str, list[tuple[str, float]]] = {}
    for name, pattern, weight in phrase_rows:
        phrases.setdefault(name, []).append((pattern, float(weight)))
    brands = [(name, tuple(str(a) for a in (aliases or []))) for name, aliases in brand_rows]
    products = tuple((str(brand), str(reference)) for brand, reference in product_rows if brand)
    known = {fold(form) for name, aliases in brands for form in (name, *aliases)}
    for brand in dict.fromkeys(brand for brand, _ in products):
        if fold(brand) not in known and len(brand) >= 3:
            brands.append((brand, ()))
            known.add(fold(brand))
    return ReadingData({name: tuple(items) for name, items in phrases.items()}, tuple(brands),
                       tuple((b, r) for b, r in products if r),
                       {(lexicon, item_key(text)): replacement for lexicon, text, replacement in rejected_rows
                        if item_key(text)})


@lru_cache(maxsize=16)
def fixture_reading_data(document_type_code: str) -> ReadingData:
    """The shipped patterns and brands of a document type, read from ``fixtures/``."""
    patterns = json.loads((FIXTURES / "phrase_patterns.json").read_text(encoding="utf-8"))
    brands = json.loads((FIXTURES / "product_brands.json").read_text(encoding="utf-8"))
    return reading_data(
        [(row["fields"]["schema"][1], row["fields"]["pattern"], row["fields"].get("weight", 0.9))
         for row in patterns if row["fields"]["schema"][0] == document_type_code and row["fields"].get("is_active", True)],
        [(row["fields"]["name"], row["fields"].get("aliases") or []) for row in brands if row["fields"].get("is_active", True)],
    )
