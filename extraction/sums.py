"""A document's totals agree: the amount excluding tax plus the VAT make the amount including tax.

Each total is chosen by its own candidates first (``fields._choose``). On a scan, one of them is
often misread — « 957477 » for 9 574,77 € (the comma lost), a sub-total's 17 432,97 € for the
total's 19 702,97 € — while the two others are right. Where a field's hints say ``"sum_of":
["montant_ht", "montant_tva"]`` and the three values chosen do not add up, the combination of
their candidates that adds up (to the cent) with the best scores is taken instead; a candidate
read by OCR also stands for the amount its digits make with the comma put back. Nothing changes
when the chosen values add up, when one of the three was not found at all, or when no
combination adds up. A VAT above 20 % of the amount it is charged on is no combination. Where no
combination adds up, the one amount whose digits are those the two others make with one or two lost
(a scan's dropped digit, thousands a glyph covered) is read as that sum or difference, and so
is a VAT above 20 % of its base, when the difference is one rate's; a total read without its
comma beside a VAT the scan garbled is the total with its comma, and the VAT the difference,
when that difference is one rate's VAT of the amount excluding tax.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from itertools import product

from .extractors.candidates import Candidate
from .normalise import amount_without_its_comma, format_decimal
from .types import FieldSpec, FieldValue

OPTIONS = 6  # distinct values tried per field, best first
CENT = Decimal("0.015")
MAX_VAT_RATE = Decimal("0.2")
RATES = (Decimal("0.055"), Decimal("0.1"), Decimal("0.2"))  # a repair makes a VAT of one rate
RATE_SLACK = Decimal("0.001")


def sum_relations(specs: list[FieldSpec], sum_of) -> dict[str, tuple[str, str]]:
    """{total field: (part, part)} from the hints (``sum_of(spec)`` gives a spec's parts), where
    the three are single-valued fields of these specs."""
    names = {spec.name for spec in specs}
    relations = {}
    for spec in specs:
        parts = sum_of(spec)
        if len(parts) == 2 and spec.name in names and all(part in names for part in parts):
            relations[spec.name] = (parts[0], parts[1])
    return relations


def agree(relations: dict[str, tuple[str, str]], values: dict[str, FieldValue],
          candidates: dict[str, list[Candidate]]) -> dict[str, FieldValue]:
    """``values`` where each relation's chosen totals add up, or made to from the candidates."""
    for total, (first, second) in relations.items():
        chosen = [values.get(name) for name in (first, second, total)]
        if any(value is None for value in chosen):
            continue
        amounts = [_amount(value.value) for value in chosen]
        if None in amounts or _adds_up(*amounts):
            continue
        best = _best_combination([_options(candidates.get(name, [])) for name in (first, second, total)])
        if best is None:
            _repair_one(values, (first, second, total), amounts)
            continue
        for name, (amount, candidate) in zip((first, second, total), best):
            if amount != _amount(values[name].value):
                values[name] = _value(amount, candidate)
    return values


def _repair_one(values: dict[str, FieldValue], names: tuple[str, str, str], amounts: list[Decimal]) -> None:
    """Where no candidates add up, the one amount whose digits are the sum's with one or two lost
    (« 374,17 » read for 3 794,17 €, « 598,44 » for 19 598,44 € whose thousands a glyph covered) is
    the one the two others make; nothing changes when none or several could be."""
    first, second, total = amounts
    derived = {names[0]: total - second, names[1]: total - first, names[2]: first + second}
    fits = [name for name, amount in zip(names, amounts)
            if derived[name] > 0 and _lost_digits(_digits(amount), _digits(derived[name]))]
    if not fits and _repair_lost_comma(values, names, amounts):
        return
    if not fits and second > MAX_VAT_RATE * first + CENT and 0 < first < total:
        fits = [names[1]]  # a VAT above 20 % of its base is a misreading (« 10 000 » of « TVA 10 % … »)
    if len(fits) != 1:
        return
    name = fits[0]
    repaired = [derived[n] if n == name else amount for n, amount in zip(names, amounts)]
    if not _adds_up(*repaired) or not any(abs(repaired[1] - rate * repaired[0]) <= RATE_SLACK * repaired[0] for rate in RATES):
        return  # the VAT would be no rate French invoices charge (5,5 %, 10 %, 20 %): no repair
    old = values[name]
    values[name] = FieldValue(format_decimal(derived[name]), old.raw, round(max(0.01, old.confidence * 0.8), 3),
                              old.page, old.bbox)


def _repair_lost_comma(values: dict[str, FieldValue], names: tuple[str, str, str], amounts: list[Decimal]) -> bool:
    """A total read without its comma (« 647277€ » for 6 472,77 €) beside a VAT a scan garbled
    (« 337,44 € » read « BME »): where the total with its comma put back is the other total
    plus one rate's VAT (5,5 %, 10 %, 20 %) of the amount excluding tax, both the total and the
    VAT are what the two totals make; nothing changes when neither total, or both, would do.
    Whether it repaired them."""
    first, _, total = amounts
    repairs = []
    for index in (0, 2):
        whole = amount_without_its_comma(values[names[index]].raw)
        if whole is None:
            continue
        base, full = (abs(whole), total) if index == 0 else (first, abs(whole))
        vat = full - base
        if base > 0 and vat > 0 and any(abs(vat - rate * base) <= RATE_SLACK * base for rate in RATES):
            repairs.append({names[index]: abs(whole), names[1]: vat})
    if len(repairs) != 1:
        return False
    for name, amount in repairs[0].items():
        old = values[name]
        values[name] = FieldValue(format_decimal(amount), old.raw, round(max(0.01, old.confidence * 0.8), 3),
                                  old.page, old.bbox)
    return True


def _digits(amount: Decimal) -> str:
    return format_decimal(amount).replace(".", "").lstrip("0")


def _lost_digits(read: str, full: str) -> bool:
    """Whether ``read`` is ``full`` with one or two of its digits lost."""
    if not read or not 1 <= len(full) - len(read) <= 2:
        return False
    it = iter(full)
    return all(ch in it for ch in read)


def adds_up(relations: dict[str, tuple[str, str]], values: dict[str, FieldValue], name: str) -> bool:
    """Whether ``name`` is in a relation whose three values (``values``) add up to the cent."""
    for total, (first, second) in relations.items():
        if name in (total, first, second):
            amounts = [_amount(values[n].value) if values.get(n) is not None else None for n in (first, second, total)]
            if None not in amounts and _adds_up(*amounts):
                return True
    return False


def _adds_up(first: Decimal, second: Decimal, total: Decimal) -> bool:
    return abs(first + second - total) <= CENT and total > 0 and 0 <= second <= first * MAX_VAT_RATE + CENT


def _options(candidates: list[Candidate]) -> list[tuple[Decimal, Candidate, float]]:
    """(amount, its best candidate, weight) for the best distinct amounts, weight 1 for the best."""
    best: dict[Decimal, tuple[float, Candidate]] = {}
    for c in candidates:
        readings = [(_amount(c.value), c.score)]
        if c.ocr_confidence < 1.0:
            repaired = amount_without_its_comma(c.raw)
            if repaired is not None:
                readings.append((repaired.copy_abs(), c.score * 0.8))
        for amount, score in readings:
            if amount is None:
                continue
            amount = abs(amount)
            if amount not in best or best[amount][0] < score:
                best[amount] = (score, c)
    ranked = sorted(best.items(), key=lambda item: -item[1][0])[:OPTIONS]
    if not ranked or ranked[0][1][0] <= 0:
        return []
    top = ranked[0][1][0]
    return [(amount, c, score / top) for amount, (score, c) in ranked]


def _best_combination(options: list[list[tuple[Decimal, Candidate, float]]]):
    best, best_weight = None, 0.0
    for combination in product(*options):
        if not _adds_up(*(amount for amount, _, _ in combination)):
            continue
        weight = sum(w for _, _, w in combination)
        if weight > best_weight:
            best, best_weight = [(amount, c) for amount, c, _ in combination], weight
    return best


def _amount(value: str | None) -> Decimal | None:
    try:
        return abs(Decimal(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


def _value(amount: Decimal, candidate: Candidate) -> FieldValue:
    confidence = min(0.99, candidate.score) * 0.8 * candidate.ocr_confidence
    return FieldValue(value=format_decimal(amount), raw=candidate.raw, confidence=round(max(0.01, confidence), 3),
                      page=candidate.page, bbox=tuple(round(v, 5) for v in candidate.bbox) if candidate.words else None)
