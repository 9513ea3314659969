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

Layout rules, the same for every field: a label is matched accent- and case-insensitively,
with one OCR typo in words of five letters or more (seven for a one-word label), or with one
extra word inside ("Montant global TTC"); it never spans two cells; a one- or two-letter label
("R", "CP") needs a separator or a cell of its own; a header written over two lines is read
as one label; a label with its value beside it is not a column header; a row of short
digit-free cells is a table header (values are below, not beside).

The extractor never reads anything but the words: no ground truth, no per-layout template.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from decimal import Decimal

from .extractors.layout import Line, build_lines, union_box
from .extractors.statements import read_statements
from .extractors.text import PhraseSet, Vocabulary, match_at, match_at_flex, phrase_set, token_texts
from .extractors.values import FoundValue, find_values
from .normalise import fold, format_decimal
from .types import BBox, FieldSpec, FieldValue, PageContent, Word

__all__ = ["extract_fields", "extract_field", "DocumentLayout"]

# How much each way of finding a value is trusted, before label, zone and context factors.
POSITION_WEIGHT = {
    "right": 1.0,
    "right_cell": 0.95,
    "row": 0.95,
    "block": 0.92,
    "regex": 0.9,
    "below": 0.85,
    "scan": 0.85,
    "column": 0.7,
    "presence": 0.8,
}
STRING_MAX_WORDS = 12
INSERTED_WORD_FACTOR = 0.85  # a label read with one extra word inside ("montant global TTC")
SEPARATORS = {":", "-", "–", "—", "=", "/", ":-", "...", "…", "|"}


@dataclass
class _Label:
    tokens: list[str]
    weight: float


@dataclass
class _Hints:
    labels: list[_Label]
    negative_labels: list[list[str]]
    right: bool
    below: bool
    max_below: int
    table: bool
    row_labels: list[list[str]]
    regex: list[re.Pattern]
    value_regex: re.Pattern | None
    percent: str
    currency: bool
    absolute: bool
    units: list[str]
    skip_units: list[str]
    zone: str | None
    context: tuple[tuple[str, ...], ...]
    avoid_context: tuple[tuple[str, ...], ...]
    block: dict | None
    block_anchors: list[_Label]
    scan: bool
    presence: dict | None
    max_words: int
    first_page_only: bool
    top_line: float
    top_line_exclude: tuple[tuple[str, ...], ...]
    statement: dict | None

    @classmethod
    def from_spec(cls, spec: FieldSpec) -> "_Hints":
        seen = _HINTS_BY_ID.get(id(spec))
        if seen is not None and seen[0] is spec:
            return seen[1]
        key = (spec.name, spec.label, spec.data_type, json.dumps(spec.hints or {}, sort_keys=True, ensure_ascii=False))
        compiled = _HINTS_CACHE.get(key)
        if compiled is None:
            compiled = _HINTS_CACHE[key] = cls._compile(spec)
        if len(_HINTS_BY_ID) > 4096:
            _HINTS_BY_ID.clear()
        _HINTS_BY_ID[id(spec)] = (spec, compiled)
        return compiled

    @classmethod
    def _compile(cls, spec: FieldSpec) -> "_Hints":
        h = spec.hints or {}
        raw_labels = h.get("labels") or [spec.label]
        if isinstance(raw_labels, dict):
            items = list(raw_labels.items())
        else:
            items = [(label, 1.0) for label in raw_labels]
        labels = [_Label(token_texts(text), float(weight)) for text, weight in items if token_texts(text)]
        presence = h.get("presence")
        if presence is True:
            presence = {}
        statement = h.get("statement")
        if statement is True:
            statement = {}
        return cls(
            labels=labels,
            negative_labels=[token_texts(t) for t in h.get("negative_labels", []) if token_texts(t)],
            right=h.get("right", True),
            below=h.get("below", True),
            max_below=int(h.get("max_below", 2)),
            table=bool(h.get("table", False)),
            row_labels=[token_texts(t) for t in h.get("row_labels", []) if token_texts(t)],
            regex=[re.compile(p, re.IGNORECASE) for p in h.get("regex", [])],
            value_regex=re.compile(h["value_regex"], re.IGNORECASE) if h.get("value_regex") else None,
            percent=h.get("percent", "allow"),
            currency=bool(h.get("currency", False)),
            absolute=bool(h.get("absolute", False)),
            units=[_fold_unit(u) for u in h.get("units", [])],
            skip_units=[_fold_unit(u) for u in h.get("skip_units", [])],
            zone=h.get("zone"),
            context=tuple(tuple(token_texts(t)) for t in h.get("context", []) if token_texts(t)),
            avoid_context=tuple(tuple(token_texts(t)) for t in h.get("avoid_context", []) if token_texts(t)),
            block=h.get("block"),
            block_anchors=[_Label(token_texts(t), 1.0) for t in (h.get("block") or {}).get("anchors", []) if token_texts(t)],
            scan=bool(h.get("scan", False)),
            presence=presence if isinstance(presence, dict) else None,
            max_words=int(h.get("max_words", STRING_MAX_WORDS)),
            first_page_only=bool(h.get("first_page_only", False)),
            top_line=float(h.get("top_line", 0) or 0),
            top_line_exclude=tuple(tuple(token_texts(t)) for t in h.get("top_line_exclude", []) if token_texts(t)),
            statement=statement if isinstance(statement, dict) else None,
        )


_HINTS_CACHE: dict[tuple, "_Hints"] = {}
_HINTS_BY_ID: dict[int, tuple[FieldSpec, "_Hints"]] = {}


@dataclass
class _LabelHit:
    line: Line
    start_word: int  # first word of the label
    end_word: int  # word after the label (or the label's last word when the value shares it)
    remainder: Word | None  # the rest of a word the label ends inside ("N°562044387")
    weight: float
    n_tokens: int
    label: tuple[str, ...] = ()
    column: tuple[float, float] | None = None  # set for a header written over two lines


@dataclass
class Candidate:
    value: str
    raw: str
    score: float
    page: int
    words: list[Word]
    how: str

    @property
    def bbox(self) -> BBox:
        return union_box(w.bbox for w in self.words)

    @property
    def ocr_confidence(self) -> float:
        return min(w.conf for w in self.words) * 0.5 + sum(w.conf for w in self.words) / len(self.words) * 0.5


@dataclass
class DocumentLayout:
    """A document's pages as lines, computed once and shared by every field."""

    pages: list[PageContent]
    lines: dict[int, list[Line]] = field(default_factory=dict)
    vocabulary: Vocabulary | None = None
    two_line_cells: dict = field(default_factory=dict)
    _token_lines: dict[int, dict[str, list[int]]] = field(default_factory=dict)

    @classmethod
    def of(cls, pages: list[PageContent]) -> "DocumentLayout":
        layout = cls(pages=list(pages))
        for page in layout.pages:
            layout.lines[page.number] = build_lines(page.words, page, page.number)
        layout.vocabulary = Vocabulary(t.text for line in layout.all_lines() for t in line.tokens)
        return layout

    def all_lines(self):
        for page in self.pages:
            yield from self.lines[page.number]

    def lines_with(self, page: int, tokens: frozenset[str]) -> list[Line]:
        """The lines of ``page`` holding one of ``tokens``, top to bottom."""
        index = self._token_lines.get(page)
        if index is None:
            index = self._token_lines[page] = {}
            for position, line in enumerate(self.lines[page]):
                for token in line.token_set:
                    index.setdefault(token, []).append(position)
        positions: set[int] = set()
        for token in tokens:
            positions.update(index.get(token, ()))
        lines = self.lines[page]
        return [lines[position] for position in sorted(positions)]


# ---------------------------------------------------------------------------- labels

def _original_token_ends(text: str) -> list[int]:
    return [m.end() for m in re.finditer(r"[^\W_]+", text)]


def _find_labels(line: Line, labels: list[_Label], negatives: list[list[str]], vocabulary: Vocabulary | None = None,
                 starts_of: list[frozenset[str]] | None = None,
                 negative_starts: list[frozenset[str]] | None = None) -> list[_LabelHit]:
    """The labels found on a line, longest first ("date de fin de validité" before "date");
    ``labels`` sorted longest first when ``starts_of`` (their possible first tokens) is given,
    ``negative_starts`` the possible first tokens of ``negatives``."""
    toks = line.token_texts
    vocabulary = vocabulary or Vocabulary(toks)
    if starts_of is None:
        labels = sorted(labels, key=lambda l: -len(l.tokens))
        starts_of = [vocabulary.starts(tuple(l.tokens)) for l in labels]
    if negative_starts is None:
        negative_starts = [vocabulary.starts(tuple(neg)) for neg in negatives]
    negatives = list(zip(negatives, negative_starts))
    hits: list[_LabelHit] = []
    taken: set[int] = set()
    present = line.token_set
    for label, starts in zip(labels, starts_of):
        if present.isdisjoint(starts):
            continue
        for i in range(len(toks)):
            if i in taken or toks[i] not in starts:
                continue
            found = match_at_flex(toks, label.tokens, i)
            if found is None:
                continue
            end, inserted = found
            if line.cell_of(line.tokens[i].word) != line.cell_of(line.tokens[end - 1].word):
                continue  # a label never spans two cells ("Total H.T. | TVA")
            if inserted and any(":" in w.text for w in line.words[line.tokens[i].word:line.tokens[end - 1].word]):
                continue  # "Marque : Godin – Modèle" is two labels, not "marque / modèle"
            if any(_covers(toks, neg, i, end, neg_starts) for neg, neg_starts in negatives):
                continue
            taken.update(range(i, end))
            first_word = line.tokens[i].word
            last_word = line.tokens[end - 1].word
            # does the label's last word go on with other tokens ("N°562044387", "Date:12/03")?
            same_word_tokens = [k for k in range(len(line.tokens)) if line.tokens[k].word == last_word]
            consumed = sum(1 for k in same_word_tokens if k < end)
            remainder = None
            if consumed < len(same_word_tokens):
                remainder = _word_remainder(line.words[last_word], consumed)
            weight = label.weight * (INSERTED_WORD_FACTOR if inserted else 1.0)
            hits.append(_LabelHit(line, first_word, last_word + 1, remainder, weight, len(label.tokens), tuple(label.tokens)))
    return hits


def _two_line_cells(lines: list[Line]) -> list[tuple[Line, int, int, list[str], list[str], tuple[float, float]]]:
    """Cells continued by one cell just below them, without digits: possible two-line headers.
    Each as (second line, its cell start, end, first tokens, all tokens, column span)."""
    pairs = []
    for line, following in zip(lines, lines[1:]):
        if following.top - line.bottom > 0.8 * line.height:
            continue
        for start, end in line.cells:
            x0, x1 = line.x_range(start, end)
            below = [(s, e) for s, e in following.cells
                     if following.x_range(s, e)[0] < x1 and following.x_range(s, e)[1] > x0]
            if len(below) != 1:
                continue
            s, e = below[0]
            continuation = following.words[s:e]
            if any(ch.isdigit() for w in continuation for ch in w.text):
                continue
            first = token_texts(" ".join(w.text for w in line.words[start:end]))
            if not first or len(first) > 6:
                continue
            combined = first + token_texts(" ".join(w.text for w in continuation))
            later = [c for c in line.cells if c[0] >= end]
            right = line.words[later[0][0]].bbox[0] - 0.005 if later else 1.0
            pairs.append((following, s, e, first, combined, (min(x0, following.x_range(s, e)[0]), max(x1, right))))
    return pairs


def _wrapped_label_hits(layout: "DocumentLayout", page: int, labels: list[_Label],
                        starts_of: dict[tuple[str, ...], frozenset[str]] | None = None) -> list[_LabelHit]:
    """Table headers written over two lines ("Total toutes taxes" / "comprises"): the hit is
    placed on the second line, so the values are looked for below it. ``starts_of``: the
    labels' possible first tokens, when known."""
    pairs = layout.two_line_cells.get(page)
    if pairs is None:
        pairs = layout.two_line_cells[page] = _two_line_cells(layout.lines[page])
    hits = []
    for following, s, e, first, combined, column in pairs:
        for label in labels:
            key = tuple(label.tokens)
            starts = starts_of[key] if starts_of is not None else layout.vocabulary.starts(key)
            if len(label.tokens) > len(first) and combined[0] in starts \
                    and match_at(combined, label.tokens, 0) == len(combined):
                hits.append(_LabelHit(following, s, e, None, label.weight, len(label.tokens), tuple(label.tokens), column))
    return hits


def _covers(toks: list[str], negative: list[str], start: int, end: int, starts: frozenset[str] | None = None) -> bool:
    """Whether a negative label longer than the match overlaps it ("date d'échéance" over "date").
    ``starts``: the tokens the negative may begin at (``Vocabulary.starts``), when known."""
    for j in range(max(0, start - len(negative) + 1), end):
        if starts is not None and toks[j] not in starts:
            continue
        neg_end = match_at(toks, negative, j)
        if neg_end is not None and neg_end > start and neg_end - j > end - start:
            return True
    return False


def _word_remainder(word: Word, consumed_tokens: int) -> Word | None:
    ends = _original_token_ends(word.text)
    if consumed_tokens == 0 or consumed_tokens > len(ends):
        return None
    cut = ends[consumed_tokens - 1]
    rest = word.text[cut:]
    stripped = rest.lstrip(" :.-–=°")
    if not stripped:
        return None
    offset = len(word.text) - len(stripped)
    x0, y0, x1, y1 = word.bbox
    frac = offset / max(len(word.text), 1)
    return Word(stripped, (x0 + (x1 - x0) * frac, y0, x1, y1), word.conf)


# ---------------------------------------------------------------------------- candidates

def _strip_separators(words: list[Word]) -> list[Word]:
    out = list(words)
    while out and (out[0].text in SEPARATORS or re.fullmatch(r"[:\-–—=.…|_]+", out[0].text)):
        out.pop(0)
    return out


def _cut_at_labels(words: list[Word], stop_labels: PhraseSet) -> list[Word]:
    """The words before the first other field's label (``Client : Jean Dupont Tél : …``)."""
    if not words or not stop_labels:
        return words
    toks: list[tuple[str, int]] = []
    for i, w in enumerate(words):
        for t in token_texts(w.text):
            toks.append((t, i))
    texts = [t for t, _ in toks]
    for k in range(1, len(texts)):
        if stop_labels.match(texts, k) is not None:
            word_index = toks[k][1]
            if word_index > 0:
                return words[:word_index]
    return words


def _values_in(data_type: str, words: list[Word], hints: _Hints, stop_labels) -> list[tuple[FoundValue, list[Word]]]:
    """Typed values in a run of words (for strings: the run itself, cut at other labels)."""
    words = _strip_separators(words)
    if not words:
        return []
    if data_type == "string":
        words = _cut_at_labels(words, stop_labels)[: hints.max_words]
        words = _strip_separators(words)
        # trailing separators ("Dupont Jean -")
        while words and re.fullmatch(r"[:\-–—=.…|_,;]+", words[-1].text):
            words.pop()
        if not words:
            return []
    found = find_values(data_type, words, hints.percent)
    if hints.skip_units:
        found = [fv for fv in found if not any(_unit_after(fv).startswith(u) for u in hints.skip_units)]
    results = []
    for fv in found:
        value_words = words[fv.start:fv.end]
        if data_type == "string" and hints.value_regex is not None:
            m = hints.value_regex.search(fv.value)
            if not m:
                continue
            kept = (m.group(1) if m.groups() and m.group(1) is not None else m.group(0)).strip()
            if not kept:
                continue
            fv = FoundValue(kept, kept, fv.start, fv.end)
        results.append((fv, value_words))
    return results


def _fold_unit(text: str) -> str:
    return re.sub(r"[\s.]", "", fold(text)).replace("²", "2")


def _unit_after(fv: FoundValue) -> str:
    return _fold_unit(fv.after)


def _typed_factor(fv: FoundValue, data_type: str, hints: _Hints, index: int) -> float:
    factor = 1.0 if index == 0 else max(0.5, 0.9 - 0.1 * index)
    if data_type in ("decimal", "integer"):
        if hints.currency:
            factor *= 1.05 if fv.currency else 0.9
        if hints.units:
            after = _unit_after(fv)
            if any(after.startswith(u) for u in hints.units):
                factor *= 1.1
            elif after[:1].isalpha() or after[:1] in "%€°":
                factor *= 0.4  # another unit: "190 m²" is not a resistance in m².K/W
            else:
                factor *= 0.8
    return factor


def _zone_factor(hints: _Hints, line: Line, page_number: int) -> float:
    factor = 1.0 if page_number == 1 else 0.97
    if not hints.zone:
        return factor
    x0, y0, x1, y1 = line.bbox
    zone = hints.zone
    inside = (
        (zone == "header" and y0 < 0.35)
        or (zone == "top" and y0 < 0.5)
        or (zone == "footer" and y0 > 0.8)
        or (zone == "bottom" and y0 > 0.5)
        or (zone == "left" and x0 < 0.5)
        or (zone == "right" and x0 >= 0.4)
    )
    return factor * (1.1 if inside else 0.9)


def _context_factor(hints: _Hints, layout: DocumentLayout, hit: _LabelHit) -> float:
    if not hints.context and not hints.avoid_context:
        return 1.0
    lines = layout.lines[hit.line.page]
    x0, _ = hit.line.x_range(hit.start_word, hit.end_word)
    near: list[list[str]] = []
    # the label's own line, left of the label, and the few lines above in the same column
    cell_start, _ = hit.line.cell_of(hit.start_word)
    near.append([t.text for t in hit.line.tokens if cell_start <= t.word < hit.start_word])
    near.append([t.text for t in hit.line.tokens if hit.start_word <= t.word < hit.end_word])
    for line in lines[max(0, hit.line.index - 6): hit.line.index]:
        toks = [t.text for t in line.tokens if abs(line.words[t.word].bbox[0] - x0) < 0.25 or line.words[t.word].bbox[0] <= x0 <= line.words[t.word].bbox[2]]
        near.append(toks)
    factor = 1.0
    if hints.context and any(_contains(toks, phrase_set(hints.context)) for toks in near):
        factor *= 1.15
    if hints.avoid_context and any(_contains(toks, phrase_set(hints.avoid_context)) for toks in near):
        factor *= 0.6
    return factor


def _contains(toks: list[str], phrases) -> bool:
    """Whether one of ``phrases`` (a PhraseSet, or one phrase) occurs in ``toks``."""
    if not isinstance(phrases, PhraseSet):
        return any(match_at(toks, phrases, i) is not None for i in range(len(toks)))
    return any(phrases.match(toks, i) is not None for i in range(len(toks)))


MAX_TEXT_GAP = 0.3  # beyond this (page widths), text in a cell to the right is another column


def _right_runs(hit: _LabelHit, data_type: str = "") -> list[tuple[list[Word], str]]:
    """Word runs right of the label: the rest of its cell, then the next cell on the line
    (for text, only when it is near or the label ends with a colon)."""
    line = hit.line
    cell_start, cell_end = line.cell_of(hit.start_word)
    prefix = [hit.remainder] if hit.remainder is not None else []
    runs = []
    same_cell = prefix + line.words[hit.end_word:cell_end]
    if _strip_separators(same_cell):
        runs.append((same_cell, "right"))
    next_cells = [c for c in line.cells if c[0] >= cell_end]
    if next_cells:
        start, end = next_cells[0]
        gap = line.words[start].bbox[0] - line.words[cell_end - 1].bbox[2]
        colon = line.words[cell_end - 1].text.endswith(":")
        if data_type != "string" or gap < MAX_TEXT_GAP or colon or len(line.cells) == 2:
            runs.append((line.words[start:end], "right_cell"))
    return runs


def _right_words(hit: _LabelHit) -> tuple[list[Word], bool]:
    """The first run right of the label (its cell's rest, else the next cell)."""
    runs = _right_runs(hit, "string")
    if not runs:
        return [], False
    words, how = runs[0]
    return words, how == "right_cell"


def _column_range(hit: _LabelHit) -> tuple[float, float]:
    """Horizontal span under a label: from its cell's left edge to the next cell on its line."""
    if hit.column is not None:
        return hit.column
    line = hit.line
    cell_start, cell_end = line.cell_of(hit.start_word)
    x0 = line.words[hit.start_word].bbox[0]
    x1 = max(w.bbox[2] for w in line.words[hit.start_word:hit.end_word])
    next_cells = [c for c in line.cells if c[0] >= cell_end]
    right_limit = line.words[next_cells[0][0]].bbox[0] if next_cells else 1.0
    return x0, max(x1, right_limit - 0.005)


def _words_in_range(line: Line, x0: float, x1: float, header_x: tuple[float, float] | None = None) -> list[Word]:
    """The words of ``line`` in the cells that overlap [x0, x1]."""
    chosen: list[tuple[int, int]] = []
    for start, end in line.cells:
        cx0, cx1 = line.x_range(start, end)
        if cx1 < x0 - 0.01 or cx0 > x1:
            continue
        # a wide cell that starts far left of the label belongs to another column
        if cx0 < x0 - 0.06 and header_x is not None and cx1 < header_x[0]:
            continue
        chosen.append((start, end))
    words: list[Word] = []
    for start, end in chosen:
        cell = line.words[start:end]
        if line.words[start].bbox[0] < x0 - 0.03:
            # a cell running in from the left holds the previous column's value too
            cell = [w for w in cell if w.bbox[2] > x0 - 0.005]
        words.extend(cell)
    return words


def _lines_below(layout: DocumentLayout, hit: _LabelHit, max_below: int) -> list[tuple[int, Line]]:
    lines = layout.lines[hit.line.page]
    out = []
    previous_bottom = hit.line.bottom
    h = hit.line.height
    for k, line in enumerate(lines[hit.line.index + 1:], 1):
        if len(out) >= max_below:
            break
        if line.top - previous_bottom > max(3.0 * h, 0.04):
            break
        out.append((k, line))
        previous_bottom = max(previous_bottom, line.bottom)
    return out


def _base_score(hints: _Hints, layout: DocumentLayout, hit: _LabelHit) -> float:
    base = hit.weight * (1 + 0.05 * (hit.n_tokens - 1)) * _zone_factor(hints, hit.line, hit.line.page)
    base *= _context_factor(hints, layout, hit)
    # a label in the middle of a sentence is less sure than one that opens its cell
    cell_start, _ = hit.line.cell_of(hit.start_word)
    if hit.start_word > cell_start:
        base *= 0.85
    return base


def _fills_cell(hit: _LabelHit) -> bool:
    return hit.line.cell_of(hit.start_word) == (hit.start_word, hit.end_word)


def _separator_follows(hit: _LabelHit) -> bool:
    """``=`` or ``:`` right after the label (in its last word or as the next word)."""
    if hit.remainder is not None:
        return True
    last = hit.line.words[hit.end_word - 1].text
    following = hit.line.words[hit.end_word].text if hit.end_word < len(hit.line.words) else ""
    return last.endswith((":", "=")) or following.startswith((":", "="))


def _is_header_row(line: Line) -> bool:
    """A table's header: three cells or more, short, without a digit ("Réf. | Désignation | Qté")."""
    if len(line.cells) < 3:
        return False
    for start, end in line.cells:
        words = line.words[start:end]
        if len(words) > 5 or any(ch.isdigit() for w in words for ch in w.text):
            return False
    return True


def _heads_cell(hit: _LabelHit) -> bool:
    """The label opens its cell, or a colon follows it (``… Client : M. Dupont``)."""
    cell_start, _ = hit.line.cell_of(hit.start_word)
    if hit.start_word == cell_start:
        return True
    last = hit.line.words[hit.end_word - 1].text
    following = hit.line.words[hit.end_word].text if hit.end_word < len(hit.line.words) else ""
    return last.endswith(":") or following.startswith(":")


def _starts_with_label(words: list[Word], labels: PhraseSet) -> bool:
    toks = token_texts(" ".join(w.text for w in _strip_separators(words)[:6]))
    return bool(toks) and labels.match(toks, 0) is not None


def _row_label_matches(line: Line, row_labels: list[list[str]]) -> bool:
    """The line's first cell is exactly a row label ("Total", "Total facture")."""
    start, end = line.cells[0] if line.cells else (0, len(line.words))
    toks = token_texts(" ".join(w.text for w in line.words[start:end]))
    return any(toks == row for row in row_labels)


def _candidates_for_hit(
    spec: FieldSpec, hints: _Hints, layout: DocumentLayout, hit: _LabelHit, stop_labels, all_labels=None
) -> list[Candidate]:
    data_type = spec.data_type
    base = _base_score(hints, layout, hit)
    out: list[Candidate] = []

    if hints.presence is not None:
        return _presence_candidates(hints, layout, hit, base, stop_labels)

    if len(hit.label) == 1 and len(hit.label[0]) <= 2 and not (_separator_follows(hit) or _fills_cell(hit)):
        return out  # "R" inside a product name is a letter; "R = 7,00", "CP : …", a "CP" cell are labels

    if data_type == "string" and hints.max_words > 1 and not _heads_cell(hit):
        return out  # "…, bénéficiaire de l'opération d'économies…": a word in a sentence, not a label

    if hints.right and not _is_header_row(hit.line):
        for words, how in _right_runs(hit, data_type):
            # the next cell holds another field's label: this label heads a column or a block
            if _starts_with_label(words, stop_labels):
                break
            found = _values_in(data_type, words, hints, stop_labels)[:3]
            for i, (fv, value_words) in enumerate(found):
                out.append(_candidate(fv, value_words, base * POSITION_WEIGHT[how] * _typed_factor(fv, data_type, hints, i), hit.line.page, how))
            if found:
                break
    if out:
        return out  # a label with its value beside it is not a column header

    if hints.below or hints.table:
        x0, x1 = _column_range(hit)
        limit = max(hints.max_below, 12 if hints.table else 0)
        k = 0
        for _, line in _lines_below(layout, hit, limit + 3):
            words = _words_in_range(line, x0, x1, (x0, x1))
            if not words:
                continue  # a line of another column (a header wrapped on two lines)
            k += 1
            if k > limit:
                break
            if _starts_with_label(words, all_labels or stop_labels):
                break
            found = _values_in(data_type, words, hints, stop_labels)
            if not found:
                continue
            fv, value_words = found[0]
            if k <= hints.max_below and hints.below:
                weight = POSITION_WEIGHT["below"] - 0.1 * (k - 1)
                how = "below"
            else:
                weight = POSITION_WEIGHT["column"] - 0.03 * k
                how = "column"
            out.append(_candidate(fv, value_words, base * weight * _typed_factor(fv, data_type, hints, 0), hit.line.page, how))
            if data_type == "string" and how == "below":
                break

    if hints.row_labels:
        x0, x1 = _column_range(hit)
        for line in layout.lines[hit.line.page][hit.line.index + 1:]:
            if not _row_label_matches(line, hints.row_labels):
                continue
            words = [w for w in line.words if w.bbox[2] >= x0 - 0.01 and w.bbox[0] <= x1 + 0.01]
            for fv, value_words in _values_in(data_type, words, hints, stop_labels)[:1]:
                out.append(_candidate(fv, value_words, base * POSITION_WEIGHT["row"] * _typed_factor(fv, data_type, hints, 0), hit.line.page, "row"))
    return out


def _candidate(fv: FoundValue, words: list[Word], score: float, page: int, how: str) -> Candidate:
    return Candidate(fv.value, fv.raw, score, page, words or [], how)


def _block_lines(layout: DocumentLayout, hit: _LabelHit, stop_labels, max_lines: int = 6) -> list[list[Word]]:
    """The lines of the block a label opens: text right of it, then the lines below in its column."""
    block: list[list[Word]] = []
    words, next_cell = _right_words(hit)
    words = [] if next_cell else _cut_at_labels(_strip_separators(words), stop_labels)
    if words:
        block.append(words)
    x0, x1 = _column_range(hit)
    if not words:
        x1 = max(x1, x0 + 0.3)
    last_bottom = hit.line.bottom
    h = hit.line.height
    for _, line in _lines_below(layout, hit, max_lines + 4):
        row = _words_in_range(line, x0 - 0.01, x1)
        row = [w for w in row if w.bbox[0] >= x0 - 0.03]
        if not row:
            continue  # a line of the neighbouring column, between two of ours
        if min(w.bbox[1] for w in row) - last_bottom > 2.2 * h:
            break
        # a labelled line ("Nom : …", "Adresse : …") is not part of an unlabelled block
        if _starts_with_label(row, stop_labels):
            break
        block.append(row)
        last_bottom = max(w.bbox[3] for w in row)
        if len(block) >= max_lines:
            break
    return block


def _block_candidates(spec, hints: _Hints, layout, hit: _LabelHit, base: float, stop_labels) -> list[Candidate]:
    block = _block_lines(layout, hit, stop_labels)
    if not block:
        return []
    rule = hints.block or {}
    weight = base * POSITION_WEIGHT["block"]
    data_type = spec.data_type
    chosen: list[Word] | None = None
    if "line" in rule:
        n = int(rule["line"])
        if n < len(block):
            chosen = block[n]
    elif "find" in rule or "after" in rule or "line_before" in rule:
        key_type = rule.get("find") or rule.get("after") or rule.get("line_before")
        for i, row in enumerate(block):
            found = find_values(key_type, row)
            if not found:
                continue
            fv = found[0]
            if key_type == "postal_code" and fv.start != 0:
                continue  # "69100 LYON": a postal code opens its line
            if "find" in rule:
                chosen = row[fv.start:fv.end]
            elif "after" in rule:
                chosen = row[fv.end:]
            else:
                chosen = block[i - 1] if i >= 1 else None
                if "line" not in rule and i >= 2 and rule.get("join_lines"):
                    chosen = [w for r in block[1:i] for w in r]
            break
    if not chosen:
        return []
    results = _values_in(data_type, chosen, hints, [])
    return [_candidate(fv, words, weight * (1.0 if i == 0 else 0.8), hit.line.page, "block") for i, (fv, words) in enumerate(results[:1])]


def _presence_candidates(hints: _Hints, layout, hit: _LabelHit, base: float, stop_labels) -> list[Candidate]:
    rule = hints.presence or {}
    ignore = [token_texts(t) for t in rule.get("ignore", [])]
    max_below = int(rule.get("max_below", 4))
    content: list[Word] = []
    words, _ = _right_words(hit)
    rows = [words] if words else []
    x0, x1 = _column_range(hit)
    for _, line in _lines_below(layout, hit, max_below):
        row = [w for w in _words_in_range(line, x0 - 0.01, x1) if w.bbox[0] >= x0 - 0.03]
        if not row:
            continue
        toks = token_texts(" ".join(w.text for w in row))
        if toks and stop_labels.match(toks, 0) is not None and not any(
            _contains(toks, ig) for ig in ignore
        ):
            break
        rows.append(row)
    for row in rows:
        toks = token_texts(" ".join(w.text for w in row))
        if any(_contains(toks, ig) for ig in ignore):
            continue
        letters = [t for t in toks if len(t) >= 2]
        if letters:
            content.extend(row)
    label_words = hit.line.words[hit.start_word:hit.end_word]
    if content:
        return [Candidate("true", " ".join(w.text for w in content), base * POSITION_WEIGHT["presence"], hit.line.page, content, "presence")]
    return [Candidate("false", "", base * 0.6, hit.line.page, label_words, "presence")]


def _regex_candidates(spec: FieldSpec, hints: _Hints, layout: DocumentLayout, stop_labels) -> list[Candidate]:
    out = []
    for line in layout.all_lines():
        if hints.first_page_only and line.page != layout.pages[0].number:
            continue
        text = line.text
        offsets = []
        pos = 0
        for w in line.words:
            offsets.append((pos, pos + len(w.text)))
            pos += len(w.text) + 1
        for pattern in hints.regex:
            for m in pattern.finditer(text):
                g = 1 if m.groups() else 0
                start, end = m.start(g), m.end(g)
                words = [w for w, (s, e) in zip(line.words, offsets) if e > start and s < end]
                if not words:
                    continue
                for fv, value_words in _values_in(spec.data_type, words, hints, [])[:1]:
                    score = POSITION_WEIGHT["regex"] * _zone_factor(hints, line, line.page)
                    out.append(_candidate(fv, value_words, score, line.page, "regex"))
    return out


def _statement_candidates(hints: _Hints, layout: DocumentLayout) -> list[Candidate]:
    """A yes/no statement found by its phrases (the labels), with its box or Oui/Non answer."""
    pages = layout.pages[:1] if hints.first_page_only else layout.pages
    phrases = [(label.tokens, label.weight) for label in hints.labels]
    return [Candidate("true" if hit.value else "false", hit.raw, hit.score, hit.page, hit.words, "statement")
            for page in pages for hit in read_statements(layout.lines[page.number], phrases, hints.statement)]


def _top_line_candidates(spec: FieldSpec, hints: _Hints, layout: DocumentLayout, stops: PhraseSet) -> list[Candidate]:
    """The first line of the first page, when it is short text (a letterhead's company name);
    weighted by ``top_line`` (low: any labelled value beats it)."""
    if not layout.pages:
        return []
    lines = layout.lines[layout.pages[0].number]
    if not lines or lines[0].top > 0.15:
        return []
    line = lines[0]
    start, end = line.cells[0]
    words = line.words[start:end]
    if len(words) > 5 or _starts_with_label(words, stops):
        return []
    if hints.top_line_exclude and _starts_with_label(words, phrase_set(hints.top_line_exclude)):
        return []  # a document title ("ATTESTATION SUR L'HONNEUR"), not a letterhead
    return [_candidate(fv, value_words, hints.top_line, line.page, "top_line")
            for fv, value_words in _values_in(spec.data_type, words, hints, stops)[:1]]


def _scan_candidates(spec: FieldSpec, hints: _Hints, layout: DocumentLayout) -> list[Candidate]:
    """Every value of the type in the document, as one list (``operations``)."""
    values: list[str] = []
    first_words: list[Word] = []
    page = None
    for line in layout.all_lines():
        for fv in find_values(spec.data_type, line.words):
            for code in json.loads(fv.value) if spec.data_type == "cee_code" else [fv.value]:
                if code not in values:
                    values.append(code)
                    if not first_words:
                        first_words = line.words[fv.start:fv.end]
                        page = line.page
    if not values:
        return []
    value = json.dumps(values) if spec.data_type == "cee_code" else values[0]
    return [Candidate(value, value, POSITION_WEIGHT["scan"], page or 1, first_words, "scan")]


# ---------------------------------------------------------------------------- choice

def _choose(candidates: list[Candidate], hints: _Hints) -> FieldValue | None:
    if not candidates:
        return None
    if hints.absolute:
        for c in candidates:
            if c.value.startswith("-"):
                c.value = format_decimal(abs(Decimal(c.value)))
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


def extract_field(spec: FieldSpec, layout: DocumentLayout, stop_labels: list[list[str]] | None = None) -> FieldValue | None:
    """One field from a document already laid out; None when nothing valid was found."""
    hints = _Hints.from_spec(spec)
    return _choose(field_candidates(spec, layout, stop_labels), hints)


@dataclass
class _FieldPlan:
    """What finding one field needs that does not depend on the document."""

    hints: _Hints
    others: PhraseSet  # the other fields' labels
    block_stops: PhraseSet  # those and this field's labels and anchors
    every: list[_Label]  # labels and block anchors, longest first
    label_keys: set[tuple[str, ...]]
    anchors: set[tuple[str, ...]]

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
        plan = cls(hints, others, block_stops, sorted(every, key=lambda l: -len(l.tokens)), label_keys,
                   {tuple(a.tokens) for a in hints.block_anchors})
        if len(_PLANS_BY_ID) > 4096:
            _PLANS_BY_ID.clear()
        _PLANS_BY_ID[(id(spec), id(stop_labels))] = (spec, stop_labels, plan)
        return plan


_PLANS_BY_ID: dict[tuple[int, int], tuple[FieldSpec, Any, _FieldPlan]] = {}


def field_candidates(spec: FieldSpec, layout: DocumentLayout, stop_labels: list[list[str]] | None = None) -> list[Candidate]:
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
    starts_of = [vocabulary.starts(tuple(l.tokens)) for l in every]
    possible_starts = frozenset().union(*starts_of) if every else frozenset()
    negative_starts = [vocabulary.starts(tuple(neg)) for neg in hints.negative_labels]
    label_starts = {tuple(l.tokens): starts for l, starts in zip(every, starts_of)}
    for page in pages:
        for hit in _wrapped_label_hits(layout, page.number, hints.labels, label_starts):
            candidates.extend(_candidates_for_hit(spec, hints, layout, hit, others, block_stops))
        for line in layout.lines_with(page.number, possible_starts):
            for hit in _find_labels(line, every, hints.negative_labels, vocabulary, starts_of, negative_starts):
                if hit.label in label_keys:
                    candidates.extend(_candidates_for_hit(spec, hints, layout, hit, others, block_stops))
                if hit.label in anchors and _heads_cell(hit):
                    base = _base_score(hints, layout, hit)
                    candidates.extend(_block_candidates(spec, hints, layout, hit, base, block_stops))
    if hints.regex:
        candidates.extend(_regex_candidates(spec, hints, layout, others))
    if hints.top_line:
        candidates.extend(_top_line_candidates(spec, hints, layout, block_stops))
    if spec.validation_pattern:
        pattern = re.compile(spec.validation_pattern)
        for c in candidates:
            if not pattern.fullmatch(c.value):
                c.score *= 0.5
    return candidates


def extract_fields(pages: list[PageContent], specs: list[FieldSpec]) -> dict[str, FieldValue]:
    """The fields of one document: {field name: FieldValue} for the fields found.

    ``pages`` are the document's pages (words with boxes relative to the page); ``specs`` its
    type's field specs. Fields with no valid candidate are absent from the result. Pure: no
    database, no storage; never raises on odd input (empty pages, OCR noise).
    """
    layout = DocumentLayout.of(pages)
    stop_labels = _all_stop_labels(specs)
    results: dict[str, FieldValue] = {}
    for spec in specs:
        value = extract_field(spec, layout, stop_labels)
        if value is not None:
            results[spec.name] = value
    return results
