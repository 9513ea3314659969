"""A quantity read off an item table: the number under the « Qté » heading on the row that names
what the field measures (hint ``quantity``).

Quotes of insulation work often give the insulated surface nowhere else than as the quantity of
the insulation line (« Isolation des combles perdus – Laine de verre URSA | 76,00 | 35,19 | … »),
with or without a unit column. The hint names the heading words, the row words and the fiches
whose operation has such a quantity: ``{"headers": ["qté"], "rows": ["isolation", "isolant"],
"fiches": ["BAR-EN-"], "weight": 0.65}``. Nothing is read from a document that names none of
those fiches, from a row whose unit counts something else (« u », « ens », « h », « ml »), nor a
count of one or an amount of money.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ..types import FieldSpec
from .candidates import Candidate, _candidate
from .columns import _is_header_row, _item_row
from .field_hints import _Hints
from .labels import DocumentLayout
from .text import token_texts
from .values import find_values

# Units that make a quantity a count, a length or a time, not a surface.
OTHER_UNITS = frozenset({"u", "un", "unite", "ens", "ensemble", "h", "heure", "heures", "ml", "m", "pce", "piece",
                         "pieces", "forfait", "forf", "ft", "fft", "kg", "l", "jour", "jours", "lot", "eur", "euros"})
SURFACE_UNITS = frozenset({"m2", "m²"})
COLUMN_SLACK = 0.04  # a number right-aligned under a narrower heading starts left of it


def quantity_candidates(spec: FieldSpec, hints: _Hints, layout: DocumentLayout) -> list[Candidate]:
    rule = hints.quantity or {}
    headers = {t for h in rule.get("headers", ["qté", "quantité"]) for t in token_texts(h)}
    # the words of the rows' phrases, not their linking words (« fibre de bois »: any row with « de »
    # named the insulation, « Échafaudage de pied | 1 » ended the reading before the insulation's row)
    rows = {t for r in rule.get("rows", []) for t in token_texts(r) if len(t) > 3}
    fiches = tuple(f.upper() for f in rule.get("fiches", []))
    weight = float(rule.get("weight", 0.65))
    if not rows or not _names_a_fiche(layout, fiches):
        return []
    for page in layout.pages:
        span = heading = None
        for line in layout.lines[page.number]:
            if _is_header_row(line) and not line.token_set.isdisjoint(headers):
                token = next(t for t in line.tokens if t.text in headers)
                word = line.words[token.word]
                span, heading = (word.bbox[0] - COLUMN_SLACK, word.bbox[2] + COLUMN_SLACK), (word.bbox[0], word.bbox[2])
                continue
            if span is None or not _item_row(line) or line.token_set.isdisjoint(rows):
                continue
            under = [k for k, w in enumerate(line.words) if span[0] <= (w.bbox[0] + w.bbox[2]) / 2 <= span[1]]
            if not under:
                continue
            under = _under_heading(line, under, heading)
            words = line.words[under[0]:under[-1] + 1]
            found = find_values(spec.data_type, words)
            if not found or found[0].currency:
                continue
            after = token_texts(line.words[under[-1] + 1].text) if under[-1] + 1 < len(line.words) else []
            unit = after[0] if after else ""
            if unit in OTHER_UNITS or not _more_than_one(found[0].value):
                return []  # « 3 | ens », « 1 »: the row counts pieces
            factor = 1.1 if unit in SURFACE_UNITS else 1.0
            fv = found[0]
            return [_candidate(fv, words[fv.start:fv.end], weight * factor, page.number, "quantity")]
    return []


def _under_heading(line, under: list[int], heading: tuple[float, float]) -> list[int]:
    """Of the words under the heading with its slack, those from the first word under the heading
    itself on (with the words set close before it: « 1 250,00 »): a model's name ending in a
    number, run up to the column (« weber.therm XM ultra 22 » | « 85,50 » under « Qté »), is no
    quantity."""
    inside = [k for k in under if line.words[k].bbox[2] > heading[0] and line.words[k].bbox[0] < heading[1]]
    if not inside:
        return under
    first = inside[0]
    while first > under[0] and line.words[first].bbox[0] - line.words[first - 1].bbox[2] <= 0.5 * line.height:
        first -= 1
    return [k for k in under if k >= first]


def _names_a_fiche(layout: DocumentLayout, fiches: tuple[str, ...]) -> bool:
    if not fiches:
        return True
    return any(f in page.text.upper() for page in layout.pages for f in fiches)


def _more_than_one(value: str) -> bool:
    try:
        return Decimal(value) > 1
    except (InvalidOperation, TypeError):
        return False
