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
    rows = (LearnedFieldLocation.objects.filter(fingerprint_id__in=list(layouts), is_active=True, schema__is_active=True)
            .order_by("-count", "pk")
            .values("fingerprint_id", "schema__name", "absent", "page", "bbox", "relation", "anchor", "offset", "count", "corrections",
                    "value_words", "followed_by", "clauses_skipped", "words_skipped", "values_skipped",
                    "value_shapes", "value_head", "constant"))
    for row in rows:
        layouts[row["fingerprint_id"]].spots.setdefault(row["schema__name"], []).append(row)
    return list(layouts.values())


@dataclass
class CorrectedLayout:
    """A learned layout whose documents' type a validator corrected: their type, and the type
    the classifier gave them."""
    type_code: str
    misread_as: str
    issuer: str
    shape: str
    features: frozenset[str]


def corrected_layouts() -> list[CorrectedLayout]:
    """The active learned layouts taught by a type correction (one query per run)."""
    return read_once(("corrected_layouts",), lambda: [
        CorrectedLayout(code, misread_as, issuer, shape, frozenset(features or []))
        for code, misread_as, issuer, shape, features in LayoutFingerprint.objects.filter(
            is_active=True, types_corrected__gt=0).exclude(misread_as="")
        .values_list("document_type__code", "misread_as", "issuer", "page_shape", "features")])


def type_anchors(document_type_id: int) -> dict[str, list[dict]]:
    """The anchored spots (text before or above the value) of every active learned layout of a
    document type, by field name, most agreed first: what can be looked for on any layout."""
    return read_once(("type_anchors", document_type_id), lambda: _anchors(document_type_id))


def _anchors(document_type_id: int) -> dict[str, list[dict]]:
    anchors: dict[str, list[dict]] = {}
    for layout in known_layouts(document_type_id):
        for name, spots in layout.spots.items():
            anchors.setdefault(name, []).extend(
                {**spot, "fingerprint_id": layout.pk} for spot in spots
                if not spot["absent"] and spot["relation"] != "none" and _specific(spot["anchor"]))
    for spots in anchors.values():
        spots.sort(key=lambda spot: -spot["count"])
    return anchors


def _specific(anchor: str) -> bool:
    """An anchor worth looking for on another layout: two words or more, or one long word."""
    words = anchor.split()
    return len(words) >= 2 or (len(words) == 1 and len(words[0]) >= 6)
