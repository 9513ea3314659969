"""Label-anchored field extraction from located words, driven by the field schemas' hints.

``extract_fields(pages, specs)`` reads each page as lines and cells (``extractors.layout``),
finds the labels each field's hints list, and proposes candidate values where documents put
them: right of the label on the same line (``Total TTC : 12 450,00 €``), in the next cell of
a two-column form, on the lines below (``Date de facture`` over ``15/03/2024``), in a table
column under a header and on the row of a row label (``Total`` × ``Montant TTC``), inside a
block opened by a label (the client block: name, street, ``69100 VILLEURBANNE``), or through a
regular expression. The data type decides what a valid value looks like; every candidate is
scored and the best value wins, its confidence coming from its score, the margin over a
different value, and the OCR confidence of its words.

Hints (``FieldSchema.extraction_hints``; every key optional)::

    labels          ["date de facture", "facturé le"] or {"date de facture": 1.0, "le": 0.4}
    negative_labels labels that, where they cover a match, discard it ("date d'échéance")
    right           value may follow the label on its line (default true)
    below           value may sit on the lines below the label (default true)
    max_below       how many lines below to look (default 2)
    table           the label may be a column header: look down the column (default false)
    row_labels      rows whose cell under a header label is the value ("total", "total général")
    regex           patterns searched in each line; group 1 (or the match) is the value
    value_regex     a string value must match it; group 1, when present, is the value kept
    percent         numbers followed by % are: "allow" (default), "skip" or "require"
    currency        prefer numbers followed by € / EUR (true for amounts)
    absolute        keep the absolute value (a premium printed -1 500,00 €)
    zone            preferred area: header | footer | top | bottom | left | right
    context         words that, just above or left of the label, confirm the block ("client")
    avoid_context   words that, there, mean another party's block ("entreprise", "siret")
    rge_rows        a certificate's date is an RGE qualification's, not one on a row or card
                    without the mention (« — » in its row, under « Qualification sans mention RGE »)
    registered      factor for a SIRET whose SIREN the legal mentions print again (RCS, SIREN, VAT
                    number): the issuer's, not a store's or a partner's in a header grid
    avoid_section   words of a form's numbered section heading a label under it is another party's
                    (« 3. Le professionnel » over « Ville Angers », for the client's town), whatever the column
    block           {"line": 0} | {"find": "postal_code"} | {"after": "postal_code"} |
                    {"line_before": "postal_code"}: the value inside the block under the label
    scan            collect every value of the type in the document (CEE codes)
    presence        boolean: true when something (a name, a date, "lu et approuvé") fills the
                    area right of / below the label; {"max_below": 4, "ignore": ["cachet"]}
    statement       boolean: the labels are phrases of a statement ("depuis plus de 2 ans") read
                    with its box or Oui/Non answer (``extractors.statements``);
                    {"subject": ["bâtiment", "logement"], "negations": ["pas"]}
    max_words       longest string value kept (default 12)
    first_page_only only look at the first page
    units           numbers followed by one of these units are preferred ("m2.k/w", "%")
    skip_units      numbers followed by one of these are not values ("°", "m2.k" for a surface)
    top_line        weight of a fallback candidate: the first line of page 1 (a letterhead)
    top_line_exclude  words that make that first line a title, not a name ("attestation")
    stop_labels     extra words that end a text value
    period          "start" | "end": a date field reads its end of a period (« du 07/04/2023 au
                    06/04/2024 »); period_labels: labels whose value must be such a period
    max_value       a decimal above it is a misreading (a household's CEE prime: 50000); read by
                    OCR, it is read again as an amount that lost its decimal comma, else dropped
    min_value       a decimal below it is a misreading (an ETAS of 6 %: the scan lost a digit): dropped
    sum_of          ["montant_ht", "montant_tva"]: this total is their sum; where the values chosen
                    do not add up, the candidates that do are taken (``sums``)
    date_beside     {"field": "numero_devis", "weight": 0.5}: missing, the date in the cell right of the
                    document's number (``extractors.unlabelled``)
    distinct_from   ["raison_sociale_installateur"]: a value equal to one of these fields' is dropped
                    (the installer's name is no beneficiary's; nor the street, which opens with its number)
    one_person      a couple's name gives its first person (« M. et Mme TESSIER Marguerite et
                    Anne-Laure » → « TESSIER Marguerite »)
    mail_domain     weight of the words that spell the document's own e-mail or web domain, a cell
                    of their own (« ISO'FRANCE » over « contact@isofrance.fr »: ``extractors.domains``)
    town_after_postal  weight of a town after a labelled postal code and one short word, the town's
                    label a scan garbled (« Code postal | 09000 | Gide | Foix »: ``extractors.towns``)
    installer       "siret" | "name" | "rge": the field is the installer's SIRET, name or RGE number,
                    which the learning ties together across documents (``learning.issuers``)

Layout rules, the same for every field: a label is matched accent- and case-insensitively,
with one OCR typo in words of five letters or more (seven for a one-word label), or with one
extra word inside ("Montant global TTC"); it never spans two cells; a one- or two-letter label
("R", "CP") needs a separator or a cell of its own; a header written over two lines is read
as one label; a label with its value beside it is not a column header; a row of short
digit-free cells is a table header (values are below, not beside).

The extractor never reads anything but the words: no ground truth, no per-layout template.
"""
from __future__ import annotations

import dataclasses

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable

from accounts.validators import is_valid_siret
from cee.text import fold

from .extractors.candidates import Candidate, _base_score, _candidates_for_hit, _heads_cell
from .extractors.domains import domain_name_candidates
from .extractors.field_hints import _Hints, _Label
from .extractors.labels import DocumentLayout, _find_labels, _wrapped_label_hits
from .extractors.readers import (_block_candidates, _regex_candidates, _scan_candidates, _statement_candidates,
                                 _top_line_candidates)
from .extractors.lists import as_list, far_right_of, list_candidates, repeated_label_items
from .extractors.multiple import choose_many
from .extractors.qualifications import favour_rge_rows
from .extractors.names import one_person, split_name_candidates
from .extractors.quantities import quantity_candidates
from .extractors.text import PhraseSet, bounded_edit_distance, compact, phrase_set, token_texts
from .extractors.towns import town_after_postal_candidates
from .extractors.unlabelled import (beside_number_candidates, company_candidates, dateline_candidates,
                                    holder_candidates, lexicon_candidates, party_candidates, phrase_candidates,
                                    recipient_candidates, rejected)
from .normalise import (amount_without_its_comma, digits_read_for_letters, format_decimal, street_number_spaced,
                        zeros_read_as_o)
from .reading import item_key
from .sums import agree, sum_relations
from .types import FieldSpec, FieldValue, PageContent, ReadingData

__all__ = ["extract_fields", "extract_field", "DocumentLayout"]

MISREAD_SIRET_FACTOR = 0.9
MISREAD_SIRET_SLIPS = 2  # digits a scan may misread in a SIRET read right elsewhere on the page


# ---------------------------------------------------------------------------- choice

def _choose(candidates: list[Candidate], hints: _Hints) -> FieldValue | None:
    if not candidates:
        return None
    if hints.absolute:
        for c in candidates:
            if c.value.startswith("-"):
                c.value = format_decimal(abs(Decimal(c.value)))
    if hints.max_words == 1 and hints.value_regex is not None:  # an identifier: a scan's « FACO08171 »
        for c in candidates:
            if c.ocr_confidence < 1.0:
                c.value = zeros_read_as_o(c.value)
    if hints.company_name:  # a name in capitals: a scan's « 1S0 OUEST »
        for c in candidates:
            if c.ocr_confidence < 1.0:
                c.value = digits_read_for_letters(c.value)
    by_value: dict[str, list[Candidate]] = {}
    for c in candidates:
        by_value.setdefault(c.value, []).append(c)
    ranked = []
    for value, group in by_value.items():
        group.sort(key=lambda c: -c.score)
        support = sum(c.score for c in group[1:4])
        ranked.append((group[0].score + 0.1 * support, group[0]))
    ranked.sort(key=lambda item: -item[0])
    score, best = ranked[0]
    best = _read_clearly(_read_again(best, ranked, by_value), ranked)
    second = ranked[1][0] if len(ranked) > 1 else 0.0
    margin = (score - second) / score if score > 0 else 0.0
    confidence = min(0.99, score) * (0.55 + 0.45 * margin) * best.ocr_confidence
    return FieldValue(
        value=best.value,
        raw=best.raw,
        confidence=round(max(0.01, min(confidence, 0.99)), 3),
        page=best.page,
        bbox=tuple(round(v, 5) for v in best.bbox) if best.words else None,
    )


OCR_SLIPS = 2  # characters a scan may have lost or misread in a text value read elsewhere right


def _read_again(best: Candidate, ranked: list[tuple[float, Candidate]], by_value: dict[str, list[Candidate]]) -> Candidate:
    """On a scan, a text value read once (« Ba Rénovation », the footer's « Bati » OCR cut) gives
    way to a value a character or two apart that the page prints twice or more (the letterhead,
    the signature block): the same words read again, where the one reading slipped."""
    if best.ocr_confidence >= 1.0 or _places(by_value[best.value]) > 1 or any(ch.isdigit() for ch in best.value):
        return best
    own = fold(best.value)
    for _, other in ranked[1:]:
        if _places(by_value[other.value]) < 2 or len(own) < 5:
            continue
        theirs = fold(other.value)
        if theirs != own and bounded_edit_distance(own, theirs, OCR_SLIPS) <= OCR_SLIPS:
            return other
    return best


# A scan's word read with less confidence than this (« HaBit@60,80 », the prime's amount run into
# the obligé's name) gives way to another value read clearly, scored nearly as high.
GARBLED_READING = 0.4
_AMOUNT_VALUE_RE = re.compile(r"-?\d+\.\d{2}")
CLEAR_READING = 0.8
NEARLY_AS_HIGH = 0.75


def _read_clearly(best: Candidate, ranked: list[tuple[float, Candidate]]) -> Candidate:
    """The best candidate, or where a scan garbled the words of an amount, the best value read clearly whose
    score comes near (« Prime versée par … : 2 950,80 EUR » in a sentence over « Prime CEE …
    HaBit@60,80 EUR » in the totals)."""
    if best.ocr_confidence >= GARBLED_READING or not _AMOUNT_VALUE_RE.fullmatch(best.value):
        return best  # (a number read clearly elsewhere may be another's: a client company's SIRET)
    top = ranked[0][0]
    for score, other in ranked:
        if other.value != best.value and other.ocr_confidence >= CLEAR_READING and score >= NEARLY_AS_HIGH * top:
            return other
    return best


def _places(candidates: list[Candidate]) -> int:
    """Where on the pages the candidates were read (two readers of the same words read it once)."""
    return len({(c.page, round(c.bbox[0], 2), round(c.bbox[1], 2)) for c in candidates if c.words})


def _all_stop_labels(specs: list[FieldSpec], extra: list[str] | None = None) -> tuple[tuple[str, ...], ...]:
    ids = (tuple(map(id, specs)), tuple(extra or ()))
    seen = _STOPS_BY_ID.get(ids)
    if seen is not None and all(a is b for a, b in zip(seen[0], specs)):
        return seen[1]  # the same spec objects as last time (their content is not changed in place)
    key = tuple(json.dumps([s.name, s.label, s.hints], sort_keys=True, ensure_ascii=False) for s in specs) + tuple(extra or ())
    found = _STOPS_CACHE.get(key)
    if found is None:
        found = _STOPS_CACHE[key] = tuple(map(tuple, _compute_stop_labels(specs, extra)))
    if len(_STOPS_BY_ID) > 1024:
        _STOPS_BY_ID.clear()
    _STOPS_BY_ID[ids] = (list(specs), found)
    return found


_STOPS_CACHE: dict[tuple, tuple] = {}
_STOPS_BY_ID: dict[tuple, tuple[list[FieldSpec], tuple]] = {}


def _compute_stop_labels(specs: list[FieldSpec], extra: list[str] | None = None) -> list[list[str]]:
    stops: list[list[str]] = []
    for spec in specs:
        h = spec.hints or {}
        labels = h.get("labels") or [spec.label]
        for text in (labels.keys() if isinstance(labels, dict) else labels):
            toks = token_texts(text)
            if toks and (len(toks) > 1 or len(toks[0]) >= 3) and toks not in stops:
                stops.append(toks)
        for text in list((h.get("block") or {}).get("anchors", [])) + list(h.get("stop_labels", [])):
            toks = token_texts(text)
            if toks and toks not in stops:
                stops.append(toks)
    for text in extra or []:
        toks = token_texts(text)
        if toks and toks not in stops:
            stops.append(toks)
    return stops


@lru_cache(maxsize=1024)
def _other_labels(stop_labels: tuple, own: tuple) -> PhraseSet:
    mine = set(own)
    return phrase_set(tuple(s for s in stop_labels if s not in mine))


# A ranker rescores one field's candidates in place (``extraction.ranking.apply``).
Ranker = Callable[[FieldSpec, list[Candidate]], None]


def extract_field(spec: FieldSpec, layout: DocumentLayout, stop_labels: list[list[str]] | None = None,
                  reading: ReadingData | None = None, ranker: Ranker | None = None) -> FieldValue | None:
    """One field from a document already laid out; None when nothing valid was found.
    ``ranker``, when given, rescores the candidates of a single-valued field before the choice."""
    hints = _Hints.from_spec(spec)
    candidates = choice_candidates(spec, layout, stop_labels, reading)
    if hints.multiple:
        if reading is not None and reading.rejected and hints.lexicon:
            candidates = without_rejected(candidates, hints.lexicon, reading.rejected)
        return choose_many(candidates, hints, _choose)
    if ranker is not None and candidates:
        ranker(spec, candidates)
    return _choose(candidates, hints)


def without_rejected(candidates: list[Candidate], lexicon: str, rejected: dict[tuple[str, str], str]) -> list[Candidate]:
    """What validators removed from this kind of list left out (« SRV-EVAC » read for a brand),
    or read as the validated item it held (« MITSUBISHI ELECTRIC Ecodan » as « Mitsubishi Electric »)."""
    out = []
    for c in candidates:
        replacement = rejected.get((lexicon, item_key(c.value)))
        if replacement is None:
            out.append(c)
        elif replacement:
            out.append(dataclasses.replace(c, value=replacement))
    return out


def choice_candidates(spec: FieldSpec, layout: DocumentLayout, stop_labels: list[list[str]] | None = None,
                      reading: ReadingData | None = None) -> list[Candidate]:
    """The candidates ``extract_field`` chooses from: every scored one, rejected values left out."""
    hints = _Hints.from_spec(spec)
    return [c for c in field_candidates(spec, layout, stop_labels, reading) if not rejected(c.value, hints)]


def choose_value(spec: FieldSpec, candidates: list[Candidate]) -> FieldValue | None:
    """The value the scores of ``candidates`` choose for a single-valued field."""
    return _choose(candidates, _Hints.from_spec(spec))


def stop_labels_of(specs: list[FieldSpec]) -> tuple[tuple[str, ...], ...]:
    """Every field's labels (where a text value stops), as ``extract_fields`` uses them."""
    return _all_stop_labels(specs)


@dataclass
class _FieldPlan:
    """What finding one field needs that does not depend on the document."""

    hints: _Hints
    others: PhraseSet  # the other fields' labels
    block_stops: PhraseSet  # those and this field's labels and anchors
    every: list[_Label]  # labels and block anchors, longest first
    label_keys: set[tuple[str, ...]]
    anchors: set[tuple[str, ...]]
    every_keys: list[tuple[str, ...]]  # the tokens of ``every``
    negative_keys: list[tuple[str, ...]]

    @classmethod
    def of(cls, spec: FieldSpec, stop_labels) -> "_FieldPlan":
        """Kept per (spec, stop labels) objects: the pipeline reuses them from one document to the next."""
        seen = _PLANS_BY_ID.get((id(spec), id(stop_labels)))
        if seen is not None and seen[0] is spec and seen[1] is stop_labels:
            return seen[2]
        hints = _Hints.from_spec(spec)
        others = _other_labels(tuple(map(tuple, stop_labels)), tuple(tuple(l.tokens) for l in hints.labels))
        label_keys = {tuple(l.tokens) for l in hints.labels}
        every = hints.labels + [a for a in hints.block_anchors if tuple(a.tokens) not in label_keys]
        block_stops = phrase_set(tuple(others.phrases) + tuple(tuple(l.tokens) for l in every))
        every = sorted(every, key=lambda l: -len(l.tokens))
        plan = cls(hints, others, block_stops, every, label_keys, {tuple(a.tokens) for a in hints.block_anchors},
                   [tuple(l.tokens) for l in every], [tuple(neg) for neg in hints.negative_labels])
        if len(_PLANS_BY_ID) > 4096:
            _PLANS_BY_ID.clear()
        _PLANS_BY_ID[(id(spec), id(stop_labels))] = (spec, stop_labels, plan)
        return plan


_PLANS_BY_ID: dict[tuple[int, int], tuple[FieldSpec, Any, _FieldPlan]] = {}


def field_candidates(spec: FieldSpec, layout: DocumentLayout, stop_labels: list[list[str]] | None = None,
                     reading: ReadingData | None = None) -> list[Candidate]:
    """Every scored candidate for one field (what ``extract_field`` chooses from; for debugging)."""
    if stop_labels is None:
        stop_labels = _all_stop_labels([spec])
    plan = _FieldPlan.of(spec, stop_labels)
    hints, others, block_stops, every = plan.hints, plan.others, plan.block_stops, plan.every
    label_keys, anchors = plan.label_keys, plan.anchors
    if hints.scan:
        return _scan_candidates(spec, hints, layout)
    if hints.statement is not None:
        return _statement_candidates(hints, layout)
    candidates: list[Candidate] = []
    pages = layout.pages[:1] if hints.first_page_only else layout.pages
    vocabulary = layout.vocabulary
    starts_of = vocabulary.starts_of(plan.every_keys)
    possible_starts = frozenset().union(*starts_of) if every else frozenset()
    negative_starts = vocabulary.starts_of(plan.negative_keys)
    label_starts = dict(zip(plan.every_keys, starts_of))
    # labels and negatives none of whose first tokens is in the document are found nowhere in it
    present = [(label, starts) for label, starts in zip(every, starts_of) if starts]
    present_labels, present_starts = [label for label, _ in present], [starts for _, starts in present]
    negatives = [(neg, starts) for neg, starts in zip(hints.negative_labels, negative_starts) if starts]
    negative_labels, negative_starts = [neg for neg, _ in negatives], [starts for _, starts in negatives]
    for page in pages:
        for hit in _wrapped_label_hits(layout, page.number, hints.labels, label_starts):
            found = _candidates_for_hit(spec, hints, layout, hit, others, block_stops)
            candidates.extend(as_list(c) for c in found) if hints.list_items else candidates.extend(found)
        for line in layout.lines_with(page.number, possible_starts):
            for hit in _find_labels(line, present_labels, negative_labels, vocabulary, present_starts, negative_starts):
                if hit.label in label_keys and hints.list_items:
                    candidates.extend(list_candidates(hints, layout, hit, _base_score(hints, layout, hit), others))
                    # a line far right of the heading (« Le Président » beside a stamp) is no value under it either
                    candidates.extend(as_list(c) for c in _candidates_for_hit(spec, hints, layout, hit, others, block_stops)
                                      if c.how != "below" or not far_right_of(hit, c.words))
                elif hit.label in label_keys:
                    candidates.extend(_candidates_for_hit(spec, hints, layout, hit, others, block_stops))
                if hit.label in anchors and _heads_cell(hit):
                    base = _base_score(hints, layout, hit)
                    candidates.extend(_block_candidates(spec, hints, layout, hit, base, block_stops))
    if hints.list_items:
        candidates.extend(repeated_label_items(candidates))
    if hints.regex:
        candidates.extend(_regex_candidates(spec, hints, layout, others))
    if hints.top_line:
        candidates.extend(_top_line_candidates(spec, hints, layout, block_stops))
    candidates.extend(_unlabelled_candidates(spec, hints, layout, reading, others, block_stops))
    if hints.max_value is not None and spec.data_type == "decimal":
        candidates = _plausible_amounts(candidates, Decimal(str(hints.max_value)))
    if spec.data_type == "date":
        candidates = [c for c in candidates if c.value[:4] >= EARLIEST_YEAR]
    if hints.min_value is not None and spec.data_type == "decimal":
        # a value a scan lost digits of (« 6 % » for « 86 % » as an ETAS): none rather than that one
        candidates = [c for c in candidates if at_least(c.value, hints.min_value)]
    if spec.hints.get("rge_rows"):
        favour_rge_rows(candidates, layout)
    if spec.data_type == "siret" and len({c.value for c in candidates}) > 1:
        _favour_valid_reading(candidates)
    if spec.hints.get("registered") and len({c.value for c in candidates}) > 1:
        _favour_registered(candidates, layout, float(spec.hints["registered"]))
    if spec.validation_pattern:
        pattern = re.compile(spec.validation_pattern)
        for c in candidates:
            if not pattern.fullmatch(c.value):
                c.score *= 0.5
    return candidates


def _favour_valid_reading(candidates: list[Candidate]) -> None:
    """A SIRET failing its Luhn key, a digit or two away from one that passes, is that number
    misread by a scan (« 707 303 152 10096 » in the header, « … 10036 » in the footer): demoted."""
    valid = {c.value for c in candidates if is_valid_siret(c.value)}
    for c in candidates:
        if c.value not in valid and any(_digit_slips(c.value, v) <= MISREAD_SIRET_SLIPS for v in valid):
            c.score *= MISREAD_SIRET_FACTOR


def _digit_slips(read: str, other: str) -> int:
    """The digits two numbers of one length differ by (more than any slip when the lengths differ)."""
    return sum(a != b for a, b in zip(read, other)) if len(read) == len(other) else len(read) + len(other)


# « RCS Niort 964 410 054 », « SIREN 964410054 », « TVA intracommunautaire FR19964410054 »
_REGISTERED_SIREN_RE = re.compile(r"(?:\brcs\s+(?:[a-zà-ÿ'’\-]+\s+){0,3}(?:[ab]\s+)?|\bsiren\s*:?\s*|\bfr\s?\d{2}\s?)"
                                  r"(\d{3}\s?\d{3}\s?\d{3})\b", re.IGNORECASE)
def _favour_registered(candidates: list[Candidate], layout: DocumentLayout, bonus: float) -> None:
    """A SIRET whose SIREN the legal mentions print again (RCS, SIREN, intra-EU VAT number) is the
    company's: a store's or a partner's SIRET in a header grid is not (« SIRET 483 952 081 00097 »
    beside « RCS Niort 964 410 054 — SIRET 964 410 054 000 65 »)."""
    registered = {re.sub(r"\s", "", m.group(1)) for page in layout.pages for m in _REGISTERED_SIREN_RE.finditer(page.text)}
    if not registered:
        return
    for c in candidates:
        if c.value[:9] in registered:
            c.score *= bonus


# A dossier's documents date from the CEE scheme's years (2006 on): « loi n° 75-1334 du 31 décembre
# 1975 » in the conditions printed beside « la date de facturation » is no invoice's date.
EARLIEST_YEAR = "2000"


def at_least(value: str, floor) -> bool:
    """Whether the number ``value`` reaches the field's ``min_value`` hint (no hint, no number: yes)."""
    if floor is None:
        return True
    try:
        return abs(Decimal(value)) >= Decimal(str(floor))
    except ArithmeticError:
        return True


def _plausible_amounts(candidates: list[Candidate], max_value: Decimal) -> list[Candidate]:
    """Candidates above the field's ``max_value`` hint are misreadings (``within_max_value``):
    kept, at a lower score, only where read again as an amount that fits."""
    kept = []
    for c in candidates:
        value = within_max_value(c.value, c.raw, max_value, read_by_ocr=c.ocr_confidence < 1.0)
        if value is None:
            continue
        if value != c.value:
            c.value = value
            c.score *= 0.8
        kept.append(c)
    return kept


def within_max_value(value: str, raw: str, max_value: float | Decimal, *, read_by_ocr: bool) -> str | None:
    """``value`` (a normalised number read as ``raw``) against a field's ``max_value`` hint: as
    is when it fits (or is no number); above it, a misreading: read by OCR, read again as an
    amount whose decimal comma was lost or read as a dot (« 97728€ » for 977,28 €) when that
    fits; otherwise None. The extractor's candidates and the values read at learned spots."""
    try:
        number = Decimal(value)
    except ArithmeticError:
        return value
    limit = Decimal(str(max_value))
    if abs(number) <= limit:
        return value
    repaired = amount_without_its_comma(raw) if read_by_ocr else None
    if repaired is not None and repaired <= limit:
        return format_decimal(repaired.copy_sign(number))
    return None


def _unlabelled_candidates(spec: FieldSpec, hints: _Hints, layout: DocumentLayout, reading: ReadingData | None,
                           others: PhraseSet, labels: PhraseSet) -> list[Candidate]:
    """Candidates of the readers that need no label (``extractors.unlabelled``); ``others`` are
    the other fields' labels, ``labels`` every label (this field's too)."""
    out: list[Candidate] = []
    if reading is not None and reading.phrases.get(spec.name):
        out.extend(phrase_candidates(spec, hints, layout, reading, others))
    if not layout.pages:
        return out
    if hints.recipient:
        out.extend(recipient_candidates(spec, hints, layout, labels))
    if hints.dateline:
        out.extend(dateline_candidates(spec, hints, layout))
    if hints.legal_form:
        out.extend(company_candidates(spec, hints, layout))
    if hints.mail_domain:
        out.extend(domain_name_candidates(spec, hints, layout))
    if hints.holder:
        out.extend(holder_candidates(spec, hints, layout, labels))
    if hints.split_name:
        out.extend(split_name_candidates(spec, hints, layout))
    if hints.party:
        out.extend(party_candidates(spec, hints, layout))
    if hints.lexicon:
        out.extend(lexicon_candidates(hints, layout, reading))
    if hints.quantity:
        out.extend(quantity_candidates(spec, hints, layout))
    if hints.town_after_postal:
        out.extend(town_after_postal_candidates(spec, hints, layout, others))
    return out


def held_by_another(spec: FieldSpec, specs: list[FieldSpec], results: dict[str, FieldValue]) -> bool:
    """Whether the field's value is one its ``distinct_from`` hint says it never is: another field's
    (the installer's name is no beneficiary's), an address's only where it opens with a street's
    number (a name and an address read alike: which of the two slipped is unknown otherwise)."""
    found, others = results.get(spec.name), _Hints.from_spec(spec).distinct_from
    if found is None or not others:
        return False
    addresses = {other.name for other in specs if _Hints.from_spec(other).recipient == "adresse"}
    return any(bool(compact(found.value)) and compact(found.value) == compact(results[other].value) and (other not in addresses or found.value[:1].isdigit())
               for other in others if results.get(other) is not None)


def extract_fields(pages: list[PageContent], specs: list[FieldSpec], reading: ReadingData | None = None,
                   ranker: Ranker | None = None) -> dict[str, FieldValue]:
    """The fields of one document: {field name: FieldValue} for the fields found.

    ``pages`` are the document's pages (words with boxes relative to the page); ``specs`` its
    type's field specs; ``reading`` the phrase patterns and the brand lexicon, when given;
    ``ranker`` the learned ranking of candidates, when one is used.
    Fields with no valid candidate are absent from the result; a multi-valued field's value is
    a JSON list. Pure: no database, no storage; never raises on odd input (empty pages, OCR noise).
    """
    layout = DocumentLayout.of(pages)
    stop_labels = _all_stop_labels(specs)
    relations = sum_relations(specs, lambda spec: _Hints.from_spec(spec).sum_of)
    in_sums = {name for total, parts in relations.items() for name in (total, *parts)}
    results: dict[str, FieldValue] = {}
    kept: dict[str, list[Candidate]] = {}
    for spec in specs:
        if spec.name in in_sums and not _Hints.from_spec(spec).multiple:
            kept[spec.name] = candidates = choice_candidates(spec, layout, stop_labels, reading)
            if ranker is not None and candidates:
                ranker(spec, candidates)
            value = _choose(candidates, _Hints.from_spec(spec))
        else:
            value = extract_field(spec, layout, stop_labels, reading, ranker)
        if value is not None:
            hints = _Hints.from_spec(spec)
            if hints.recipient == "adresse" and value.value:
                value = dataclasses.replace(value, value=street_number_spaced(value.value))
            results[spec.name] = one_person(value) if hints.one_person else value
    for spec in specs:
        hints = _Hints.from_spec(spec)
        if spec.name in results and held_by_another(spec, specs, results):
            del results[spec.name]  # « Raison sociale THERMCONFORT » under a section heading a scan garbled
        number = results.get((hints.date_beside or {}).get("field"))
        if spec.name not in results and number is not None and number.value:
            value = _choose(beside_number_candidates(spec, hints, layout, number), hints)
            if value is not None:
                results[spec.name] = value
    return agree(relations, results, kept) if relations else results
