"""Reads of what was learned, made once per pipeline run (``configuration_read_once``)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..models import LayoutFingerprint, LearnedFieldLocation
from ..pipeline.hints import read_once


@dataclass
class KnownLayout:
    pk: int
    issuer: str
    shape: str
    features: frozenset[str]
    spots: dict[str, list[dict]] = field(default_factory=dict)  # field name -> locations, most agreed first


def known_layouts(document_type_id: int) -> list[KnownLayout]:
    """The active learned layouts of a document type with their active field locations
    (two queries per document type and run)."""
    return read_once(("known_layouts", document_type_id), lambda: _load_layouts(document_type_id))


def _load_layouts(document_type_id: int) -> list[KnownLayout]:
    layouts = {
        pk: KnownLayout(pk, issuer, shape, frozenset(features or []))
        for pk, issuer, shape, features in LayoutFingerprint.objects.filter(
            document_type_id=document_type_id, is_active=True).values_list("pk", "issuer", "page_shape", "features")
    }
    if not layouts:
        return []
    rows = (LearnedFieldLocation.objects.filter(fingerprint_id__in=list(layouts), is_active=True)
            .order_by("-count", "pk")
            .values("fingerprint_id", "schema__name", "absent", "page", "bbox", "relation", "anchor", "offset", "count",
                    "value_words", "followed_by"))
    for row in rows:
        layouts[row["fingerprint_id"]].spots.setdefault(row["schema__name"], []).append(row)
    return list(layouts.values())
