"""The extract stage's one call into the learning: a document whose layout was learned is read
at the learned spots first; what is found there wins over the generic extractor's value."""
from __future__ import annotations

import json

from ..pipeline.hints import learning_on
from ..types import FieldSpec, FieldValue, PageContent
from .fingerprint import (BOX_MATCH_THRESHOLD, MATCH_THRESHOLD, is_multi_valued, layout_features, match_score,
                          page_shape, read_issuer)
from .registration import anchor_moves, page_shift, registered
from .selectors import KnownLayout, known_layouts, type_anchors
from .spots import page_lines_of, read_at


NUMERIC_TYPES = ("decimal", "integer")
ANCHOR_CONFIDENCE = 0.75  # an anchor learned on another layout is weaker evidence than the layout's own spot


def learned_confidence(agreeing: int, verdicts: int) -> float:
    """0.7 for a spot one verdict taught, towards 0.99 as more agree, lowered by those that do not."""
    return round(min(0.99, (0.7 + 0.29 * agreeing / (agreeing + 1)) * (agreeing / max(verdicts, agreeing)) ** 0.5), 3)


def matching_layout(document_type_id: int, pages: list[PageContent]) -> tuple[KnownLayout | None, float]:
    """The learned layout of this type closest to the pages, if close enough, and its score."""
    layouts = known_layouts(document_type_id)
    if not layouts:
        return None, 0.0
    features, issuer, shape = set(layout_features(pages)), read_issuer(pages), page_shape(pages)
    scored = [(match_score(features, issuer, layout.features, layout.issuer), layout.pk, layout)
              for layout in layouts if layout.shape == shape]
    if not scored:
        return None, 0.0
    score, _, best = max(scored, key=lambda item: (item[0], -item[1]))
    return (best, score) if score >= MATCH_THRESHOLD else (None, score)


def read_learned_spots(document_type_id: int, pages: list[PageContent], specs: list[FieldSpec],
                       values: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """``values`` (the generic extractor's, by field name) with the learned spots of the
    document's layout read first: a value found at a spot replaces the generic one, a field
    the layout was taught not to carry is dropped. Unchanged when learning is off or the
    layout is new."""
    if not pages or not learning_on():
        return values
    layout, score = matching_layout(document_type_id, pages)
    lines_of: dict = {}
    result = dict(values)
    if layout is not None:
        _read_layout_spots(layout, score, pages, specs, result, lines_of)
    _fill_from_anchors(document_type_id, pages, specs, result, lines_of, skip=layout.pk if layout else None)
    return result


def _read_layout_spots(layout: KnownLayout, score: float, pages, specs, result: dict, lines_of: dict) -> None:
    for spec in specs:
        spots = layout.spots.get(spec.name)
        if not spots or is_multi_valued(spec.hints):  # lists of products: their own reader
            continue
        present = sum(s["count"] for s in spots if not s["absent"])
        absent = sum(s["count"] for s in spots if s["absent"])
        if absent > present:
            if score >= BOX_MATCH_THRESHOLD:  # only a layout this close says the field is not printed
                result.pop(spec.name, None)
            continue
        generic = result.get(spec.name)
        for spot in spots:
            if spot["absent"] or (spot["relation"] == "none" and score < BOX_MATCH_THRESHOLD):
                continue
            found = read_at(pages, spec.data_type, _registered(layout, spot, pages, lines_of), lines_of)
            if found is not None and spec.data_type == "cee_code" and generic is not None and generic.value:
                found = _with_codes_of(found, generic)
            if found is not None:
                found.confidence = learned_confidence(spot["count"], present + absent)
                # Only a layout close enough to be the same template, where the verdicts agree on the
                # field's place (or more sure than the generic reading), overrules what the generic
                # extractor read; a looser match only fills what it left empty.
                missing = generic is None or generic.value in (None, "")
                close = not missing and score >= BOX_MATCH_THRESHOLD and (spot["count"] == present + absent
                                                            or found.confidence >= generic.confidence)
                # an anchor two verdicts or more agree on holds on a looser match too (a scan's
                # OCR noise lowers the similarity of the same template)
                agreed = (not missing and spot["relation"] != "none" and spot["count"] >= 2
                          and found.confidence >= generic.confidence)
                if missing or close or agreed:
                    result[spec.name] = found
                break


def _registered(layout: KnownLayout, spot: dict, pages: list[PageContent], lines_of: dict) -> dict:
    """A box spot moved as far as the layout's anchors moved on this document (a scanned page
    shifted); an anchored spot as is."""
    if spot["relation"] != "none" or not spot.get("bbox") or not spot.get("page"):
        return spot
    if "moves" not in lines_of:  # once per document: where the layout's anchors are found
        every_spot = [s for spots in layout.spots.values() for s in spots]
        lines = {index: page_lines_of(page, lines_of) for index, page in enumerate(sorted(pages, key=lambda p: p.number), 1)}
        lines_of["moves"] = anchor_moves(lines, every_spot)
    return registered(spot, page_shift(lines_of["moves"], spot["page"]))


def _fill_from_anchors(document_type_id: int, pages, specs, result: dict, lines_of: dict, skip: int | None) -> None:
    """Fields still missing read after the anchors learned on the type's other layouts (the words
    before or above the value), most agreed first, with a lower confidence: a field the generic
    extractor found is left alone."""
    for spec in specs:
        found_before = result.get(spec.name)
        if (found_before is not None and found_before.value not in (None, "")) or is_multi_valued(spec.hints):
            continue
        for spot in type_anchors(document_type_id).get(spec.name, []):
            # a number after a borrowed anchor is too easily another number: two verdicts needed
            if spot["fingerprint_id"] == skip or (spec.data_type in NUMERIC_TYPES and spot["count"] < 2):
                continue
            found = read_at(pages, spec.data_type, spot, lines_of)
            # the place of another layout may hold another field's value there (the dateline read
            # as a signature date): what another field of the document already holds is not this one
            if found is not None and not _held_by_another_field(specs, result, spec, found.value):
                found.confidence = round(ANCHOR_CONFIDENCE * learned_confidence(spot["count"], spot["count"]), 3)
                result[spec.name] = found
                break


def _with_codes_of(found: FieldValue, generic: FieldValue) -> FieldValue:
    """The operation codes read at a spot joined to those the generic extractor read, its
    first: a spot taught by a one-product document holds the first product's line, and the
    next document may list several."""
    try:
        codes = json.loads(generic.value) + json.loads(found.value)
    except (TypeError, ValueError):
        return found
    found.value = json.dumps(list(dict.fromkeys(codes)))
    return found


def _held_by_another_field(specs: list[FieldSpec], result: dict, spec: FieldSpec, value: str) -> bool:
    return any(other.name != spec.name and other.data_type == spec.data_type and result.get(other.name) is not None
               and result[other.name].value == value for other in specs)
