"""A document laid out as lines (``DocumentLayout``) and the labels of the hints found on them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..types import PageContent, Word
from .field_hints import _Label
from .layout import Line, build_lines
from .text import Vocabulary, match_at, match_at_flex, similar, token_texts

INSERTED_WORD_FACTOR = 0.85  # a label read with one extra word inside ("montant global TTC")


def _inside_identifier(line: Line, k: int) -> bool:
    """Whether token ``k`` of ``line`` is a later token of a word holding digits (« RGE » of
    « CERTIBAT-RGE-24099 »), not the first one of its word (« N° » of « N°562044387 »)."""
    word = line.tokens[k].word
    return k > 0 and line.tokens[k - 1].word == word and any(ch.isdigit() for ch in line.words[word].text)


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
class DocumentLayout:
    """A document's pages as lines, computed once and shared by every field."""

    pages: list[PageContent]
    lines: dict[int, list[Line]] = field(default_factory=dict)
    vocabulary: Vocabulary | None = None
    two_line_cells: dict = field(default_factory=dict)  # page: (``_two_line_cells``, their first tokens)
    _token_lines: dict[int, dict[str, list[int]]] = field(default_factory=dict)
    zones: dict = field(default_factory=dict)  # what the unlabelled readers found, read once per document
    context_factors: dict = field(default_factory=dict)  # ``candidates._context_factor`` by hit and context, and
    # the tokens around each hit it reads

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


# The word's tokens as ``text.tokens`` cuts them (a long word glued to a number is two), in the original text.
_ORIGINAL_TOKEN_RE = re.compile(r"[^\W\d_]{5,}(?=\d)|[^\W_]+")


def _original_token_ends(text: str) -> list[int]:
    return [m.end() for m in _ORIGINAL_TOKEN_RE.finditer(text)]


def _misread_before_colon(line: Line, label: list[str], i: int) -> tuple[int, bool] | None:
    """A short one-word label a scan misread by a letter, its colon right after it (« Vile: Lorient »
    for « Ville : »): the colon makes it a label, where the word alone may be another (« Denis »
    is no « devis »)."""
    if len(label) != 1 or not similar(line.token_texts[i], label[0]):
        return None
    k = line.tokens[i].word
    word = line.words[k]
    colon = word.text.endswith(":") or (k + 1 < len(line.words) and line.words[k + 1].text == ":")
    if word.conf >= 1.0 or sum(t.word == k for t in line.tokens) != 1 or not colon:
        return None
    return i + 1, False


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
    present = line.token_set
    # a negative none of whose possible first tokens is on the line covers nothing there
    negatives = [(neg, starts) for neg, starts in zip(negatives, negative_starts) if not present.isdisjoint(starts)]
    hits: list[_LabelHit] = []
    taken: set[int] = set()
    positions = line.token_positions
    for label, starts in zip(labels, starts_of):
        if present.isdisjoint(starts):
            continue
        at = [i for token in starts if token in positions for i in positions[token]]
        if len(at) > 1:
            at.sort()
        for i in at:
            if i in taken:
                continue
            found = match_at_flex(toks, label.tokens, i) or _misread_before_colon(line, label.tokens, i)
            if found is None:
                continue
            end, inserted = found
            if line.cell_of(line.tokens[i].word) != line.cell_of(line.tokens[end - 1].word):
                continue  # a label never spans two cells ("Total H.T. | TVA")
            if inserted and any(":" in w.text for w in line.words[line.tokens[i].word:line.tokens[end - 1].word]):
                continue  # "Marque : Godin – Modèle" is two labels, not "marque / modèle"
            if any(_covers(toks, neg, i, end, neg_starts, inserted) for neg, neg_starts in negatives):
                continue
            first_word = line.tokens[i].word
            if _inside_identifier(line, i) or _inside_identifier(line, end - 1):
                continue  # « RGE » inside the identifier « CERTIBAT-RGE-24099 »: no label
            taken.update(range(i, end))
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
            later = [c for c in line.cells if c[0] >= end]
            right = line.words[later[0][0]].bbox[0] - 0.005 if later else 1.0
            below_x0 = following.x_range(s, e)[0]
            # the whole cell, and the runs of its last words over the continuation: two headers the
            # cell holds where their gap is narrow for tall boxes (« Date de début Date de fin de »
            # over « validité »)
            for head in range(start, end):
                if head > start and line.words[head].bbox[0] > below_x0 + 0.005:
                    break
                first = token_texts(" ".join(w.text for w in line.words[head:end]))
                if not first or len(first) > 6:
                    continue
                combined = first + token_texts(" ".join(w.text for w in continuation))
                left = x0 if head == start else line.words[head].bbox[0]
                pairs.append((following, s, e, first, combined, (min(left, below_x0), max(x1, right))))
    return pairs


def _wrapped_label_hits(layout: "DocumentLayout", page: int, labels: list[_Label],
                        starts_of: dict[tuple[str, ...], frozenset[str]] | None = None) -> list[_LabelHit]:
    """Table headers written over two lines ("Total toutes taxes" / "comprises"): the hit is
    placed on the second line, so the values are looked for below it. ``starts_of``: the
    labels' possible first tokens, when known."""
    found = layout.two_line_cells.get(page)
    if found is None:
        pairs = _two_line_cells(layout.lines[page])
        found = layout.two_line_cells[page] = (pairs, frozenset(combined[0] for *_, combined, _ in pairs))
    pairs, firsts = found
    if not pairs:
        return []
    wanted = []  # (label, its key, its possible first tokens), for the labels that may begin a pair
    for label in labels:
        key = tuple(label.tokens)
        starts = starts_of[key] if starts_of is not None else layout.vocabulary.starts(key)
        if not starts.isdisjoint(firsts):
            wanted.append((label, key, starts))
    hits = []
    for following, s, e, first, combined, column in pairs:
        for label, key, starts in wanted:
            if len(key) > len(first) and combined[0] in starts and match_at(combined, label.tokens, 0) == len(combined):
                hits.append(_LabelHit(following, s, e, None, label.weight, len(key), key, column))
    return hits


def _covers(toks: list[str], negative: list[str], start: int, end: int, starts: frozenset[str] | None = None,
            inserted: bool = False) -> bool:
    """Whether a negative label longer than the match overlaps it ("date d'échéance" over "date").
    ``starts``: the tokens the negative may begin at (``Vocabulary.starts``), when known;
    ``inserted``: the match took a word inside the label, so a negative as long as the match
    that spells that word covers it (« Montant hors TVA » read as « montant TVA »)."""
    for j in range(max(0, start - len(negative) + 1), end):
        if starts is not None and toks[j] not in starts:
            continue
        neg_end = match_at(toks, negative, j)
        if neg_end is not None and neg_end > start and (neg_end - j > end - start or inserted and neg_end - j == end - start):
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
