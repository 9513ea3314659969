"""Plain data passed between pipeline stages and the extraction/classification logic.

These types are the contract between the pipeline (which reads files, runs OCR, stores
rows) and the pure functions that classify pages and extract fields from them: the
latter never touch the database or the storage, so they are testable on any text.
Boxes are relative to the page: ``(x0, y0, x1, y1)`` with 0 ≤ x, y ≤ 1, origin top-left.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Word:
    text: str
    bbox: BBox
    conf: float = 1.0  # 0..1; 1.0 for a text layer

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "conf": round(self.conf, 4), "bbox": [round(v, 5) for v in self.bbox]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Word":
        return cls(text=data["text"], bbox=tuple(data["bbox"]), conf=float(data.get("conf", 1.0)))


@dataclass
class PageContent:
    number: int  # 1-based, in the uploaded file
    text: str
    words: list[Word]
    width: float = 0.0  # points (PDF) or pixels (image), informative only
    height: float = 0.0
    source: str = "text_layer"  # text_layer | ocr:<engine>


@dataclass(frozen=True)
class FieldSpec:
    """What to extract: built from a FieldSchema row."""

    name: str
    label: str
    data_type: str  # extraction.models.DataType values
    hints: dict[str, Any] = field(default_factory=dict)
    validation_pattern: str = ""
    required: bool = False


@dataclass(frozen=True)
class ReadingData:
    """What the extractor reads beside the field hints, from the admin's data: the phrase
    patterns of each field (pattern with ``{valeur}``, weight) and the brand lexicon
    (name, other spellings)."""

    phrases: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    brands: tuple[tuple[str, tuple[str, ...]], ...] = ()
    products: tuple[tuple[str, str], ...] = ()  # (brand, reference) validators taught (``LearnedProduct``)
    # {(lexicon, item key): the validated item it held, or ""}: what validators removed from lists (``LearnedRejection``)
    rejected: dict[tuple[str, str], str] = field(default_factory=dict)

    def __hash__(self) -> int:
        return id(self)


@dataclass
class FieldValue:
    value: str  # normalised (SPEC 4b): ISO dates, dot decimals, 14-digit SIRET, JSON list for operations
    raw: str
    confidence: float  # 0..1
    page: int | None = None
    bbox: BBox | None = None


@dataclass
class Classification:
    code: str  # a DocumentType.code ("autre" when nothing fits)
    confidence: float  # 0..1
    scores: dict[str, float] = field(default_factory=dict)
