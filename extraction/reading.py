"""The phrase patterns and the brand lexicon as the extractor takes them (``ReadingData``),
built from rows of the database (the extract stage) or of the reference fixtures (the
corpus evaluation, which runs without a database)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .types import ReadingData

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def reading_data(phrase_rows, brand_rows) -> ReadingData:
    """``phrase_rows``: (field name, pattern, weight) of one document type's active patterns;
    ``brand_rows``: (name, aliases) of the active brands."""
    phrases: dict[str, list[tuple[str, float]]] = {}
    for name, pattern, weight in phrase_rows:
        phrases.setdefault(name, []).append((pattern, float(weight)))
    brands = tuple((name, tuple(str(a) for a in (aliases or []))) for name, aliases in brand_rows)
    return ReadingData({name: tuple(items) for name, items in phrases.items()}, brands)


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
