"""The value of a multi-valued field (``"multiple": true``: marque, reference_produit): every
product the document names, as a JSON list in reading order.

The brand lexicon's findings give the list; a value read beside a label (``Marque : Isover``,
``Référence : GR 32 Revêtu Kraft``) confirms one of them, is written in its place when it
says more (a longer reference), or joins the list when the lexicon does not know the brand.
"""
from __future__ import annotations

import json
from typing import Callable

from ..types import FieldValue
from .candidates import Candidate
from .catalogue import ocr_skeleton
from .field_hints import _Hints
from .text import similar, token_texts


# The headings of a VAT recap or totals printed under an item table's columns.
_RECAP_WORDS = frozenset({"taux", "base", "total", "totaux", "montant", "tva", "ht", "ttc", "net", "acompte", "sous"})


def _key(value: str) -> tuple[str, ...]:
    return tuple(token_texts(value))


def _overlaps(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether ``short`` opens ``long`` or stands inside it (« GR 32 » in « GR 32 Revêtu Kraft »)."""
    n = len(short)
    return n > 0 and any(long[i:i + n] == short for i in range(len(long) - n + 1))


def _spelt_again(value: str, values: list[str]) -> bool:
    """Whether ``value`` is one of ``values`` spelt otherwise by a scan: the same letters and
    digits but for spacing and look-alikes (« Aquarea T-CAP 12kW » beside « … 12 kW », the
    catalogue's spelling; « WH-MDCO9J3E5 » beside « WH-MDC09J3E5 »)."""
    skeleton = ocr_skeleton(value)
    return bool(skeleton) and any(ocr_skeleton(other) == skeleton for other in values)


REPEATED_LABEL = 0.95  # a label repeated item after item reads each value at the same score


def _each_item_labelled(beside: list[Candidate], found: list[Candidate]) -> list[Candidate]:
    """Values read beside a label that each item repeats (« Marque : Atlantic – Réf. : Alfea… » /
    « Marque : Sauermann – Réf. : Si-SOC 600 »): when two lines or more give the best score read
    the same way, each is a product, as the lexicon's findings are."""
    if not beside:
        return []
    best = max(beside, key=lambda c: c.score)
    if best.how not in ("right", "right_cell"):
        return []  # under a column's heading: the column's rows are read as such (article codes are no products)
    same = [c for c in beside if c.how == best.how and c.score >= REPEATED_LABEL * best.score and c.words]
    lines = {(c.page, round(c.bbox[1], 3)) for c in same}
    if len(lines) < 2:
        return []
    keys = [_key(c.value) for c in found]
    out: list[Candidate] = []
    for c in sorted(same, key=lambda c: (c.page, c.bbox[1])):
        key = _key(c.value)
        if key and not any(_overlaps(key, k) or _overlaps(k, key) for k in keys):
            out.append(Candidate(c.value, c.raw, c.score, c.page, c.words, "lexicon"))
            keys.append(key)
    return out


def _service_code(value: str) -> bool:
    """One word in capitals without a digit (« POSE », « DEPL »), or short ones joined by a dash
    opening the value (« SRV-DEPL Frais de »): a seller's code, never a maker's model (a brand
    may be written so: « DELTA » under « Marque »); or digits alone (« 48827375 »), a store's
    article number in its « Réf. » column, where the item lines name the products."""
    text = value.strip()
    first = text.split()[0] if text else ""
    letters = first.replace("-", "")
    abbreviated = "-" in first and letters.isalpha() and letters.isupper() \
        and all(1 <= len(part) <= 4 for part in first.split("-"))  # (not « DELTA-NOVAFLEXX »)
    return (" " not in text and text.isalpha() and text.isupper()) or text.replace(" ", "").isdigit() or abbreviated


def _no_other_brand(value: str, brands: list[tuple[str, ...]]) -> bool:
    """Whether a value read beside « Marque » adds no brand to those the lexicon found: it holds
    one of them with more words (the model's cell the text layer ran into the brand's), or it
    is a model's code (a digit in it: no maker is named so), or one of them as a scan misread it."""
    key = _key(value)
    return (any(c.isdigit() for c in value) or any(_overlaps(k, key) for k in brands)
            or any(len(k) == len(key) and all(map(similar, key, k)) for k in brands))  # « Rockwoo! »: a scan's Rockwool


def choose_many(candidates: list[Candidate], hints: _Hints,
                choose_one: Callable[[list[Candidate], _Hints], FieldValue | None]) -> FieldValue | None:
    """Every value of a multi-valued field, as a ``FieldValue`` holding a JSON list."""
    found = [c for c in candidates if c.how == "lexicon"]
    beside = [c for c in candidates if c.how not in ("lexicon", "column")]
    labelled = choose_one(beside, hints)
    extra = _each_item_labelled(beside, found)
    if extra:
        found = sorted(found + extra, key=lambda c: (c.page, c.bbox[1] if c.words else 0.0))
    values: list[str] = []
    keys: list[tuple[str, ...]] = []
    for c in found:
        key = _key(c.value)
        if key and not any(_overlaps(key, k) or _overlaps(k, key) for k in keys) \
                and not _spelt_again(c.value, values):  # "Duo+" again as "Duo+ 320"
            values.append(c.value)
            keys.append(key)
    if labelled is not None and found and hints.lexicon == "reference" and _service_code(labelled.value):
        labelled = None  # « POSE » under « Réf. » on a page of its own: the store's code for the fitting
    if labelled is not None and found and hints.lexicon == "marque" and _no_other_brand(labelled.value, keys):
        labelled = None  # « VIESSMANN Vitocal 200-A » (a brand's cell run into its model's), « EHVX08S26E6V »
    if labelled is not None and labelled.value:
        label_key = _key(labelled.value)
        if label_key and not any(_overlaps(label_key, k) for k in keys) and not _spelt_again(labelled.value, values):
            replaced = [i for i, k in enumerate(keys) if _overlaps(k, label_key)]
            if replaced:
                values[replaced[0]] = labelled.value  # the label says more than the designation
                keys[replaced[0]] = label_key
            elif labelled.confidence >= 0.3:
                values.insert(0, labelled.value)
                keys.insert(0, label_key)
    # the other rows of a « Marque » / « Modèle » column: one product each
    for c in sorted((c for c in candidates if c.how == "column"), key=lambda c: (c.page, c.bbox[1] if c.words else 0)):
        key = _key(c.value)
        if not any(t.isalpha() for t in key) or key[0] in _RECAP_WORDS:
            continue  # « 10 % », « 1 234,00 », « Taux »: a VAT recap's rate, amount or heading under the column
        if found and hints.lexicon == "reference" and _service_code(c.value):
            continue  # « POSE » in the « Réf. » column of the fitting's row: the seller's code, no product
        if key and not any(_overlaps(key, k) or _overlaps(k, key) for k in keys):
            values.append(c.value)
            keys.append(key)
    if not values:
        return None
    if not found and labelled is not None:
        return FieldValue(json.dumps(values, ensure_ascii=False), labelled.raw, labelled.confidence,
                          labelled.page, labelled.bbox)
    if not found:  # only the rows of a column, none read right under its heading
        column = [c for c in candidates if c.how == "column"]
        first = column[0]
        return FieldValue(json.dumps(values, ensure_ascii=False), " ; ".join(values),
                          round(max(0.01, min(first.score * first.ocr_confidence, 0.99)), 3), first.page,
                          tuple(round(v, 5) for v in first.bbox) if first.words else None)
    first = found[0]
    agreeing = labelled is not None and any(_overlaps(_key(labelled.value), k) or _overlaps(k, _key(labelled.value))
                                           for k in keys)
    confidence = min(c.score * c.ocr_confidence for c in found) * (1.0 if agreeing or labelled is None else 0.9)
    return FieldValue(
        value=json.dumps(values, ensure_ascii=False),
        raw=" ; ".join(" ".join(w.text for w in c.words) for c in found),
        confidence=round(max(0.01, min(confidence, 0.99)), 3),
        page=first.page,
        bbox=tuple(round(v, 5) for v in first.bbox) if first.words else None,
    )
