"""Values that running text carries over to the next line after their label: an identifier
after « … RGE QualiPAC n° » at a line's end, an amount cut between its thousands and the rest;
and the heading that, though run into its neighbour's cell, heads a column rather than ends a
sentence; and the value a scanned form prints a line higher than its label, right of it."""
from __future__ import annotations

import re

from ..types import Word
from .columns import _lines_below
from .field_hints import _Hints
from .labels import DocumentLayout, _LabelHit
from .layout import Line
from .prose import LABEL_TAIL_WORDS, label_goes_on
from .text import token_tuple


def amount_carried_over(layout: DocumentLayout, line: Line, words: list[Word]) -> list[Word]:
    """The words opening the next line where an amount is cut between its thousands and the rest
    (« … déduite de la présente facture : 3 » / « 812,57 EUR. »); [] else."""
    lines = layout.lines[line.page]
    if not re.fullmatch(r"\d{1,3}", words[-1].text) or line.index + 1 >= len(lines):
        return []
    following = lines[line.index + 1]
    if following.top - line.bottom > line.height or not following.words \
            or not re.fullmatch(r"\d{3}[,.]\d{2}\b.*", following.words[0].text):
        return []
    return following.words[:2]


def heads_a_column(layout: DocumentLayout, hit: _LabelHit) -> bool:
    """A capitalised label in the middle of its cell over a value that starts right under it on
    the next line: the heading of a second column its neighbour ran into (« Date d'engagement de
    l'opération (acceptation du devis) Date d'achèvement des travaux » over « 08/07/2024 »
    and « 16/08/2024 »), not the end of a sentence carried on below."""
    first = hit.line.words[hit.start_word]
    if hit.start_word == hit.line.cell_of(hit.start_word)[0] or not first.text[:1].isupper():
        return False
    for _, line in _lines_below(layout, hit, 1):
        return any(abs(line.words[start].bbox[0] - first.bbox[0]) <= 0.02 for start, _ in line.cells)
    return False


def identifier_like(data_type: str, hints: _Hints) -> bool:
    """A number, a date, or a text of one word in the shape of an identifier (« QPAC/2022/172421 »):
    what running text may carry over to the next line after its label (« … RGE QualiPAC n° » /
    « QPAC/2022/172421, valable jusqu'au … »)."""
    return data_type != "string" or (hints.max_words == 1 and hints.value_regex is not None)


RAISED_FACTOR = 0.85  # a value beside its label, half a line to a line higher: less sure than on its line


def raised_value(layout: DocumentLayout, hit: _LabelHit, labels=None) -> list[Word]:
    """The words right of a label with nothing right of it on its line, on the line just above,
    where that line prints nothing over the label (a filled form's value printed above its
    caption line: « SCI Famille Bodin » over « Raison sociale »), up to the next label's place on
    the label's line. A line above with words over the label is another field's value, and words
    opening with one of ``labels`` (a PhraseSet) another field's label (« LIEU DES TRAVAUX »
    a skewed scan raised right of « CLIENT »)."""
    line = hit.line
    cell_end = line.cell_of(hit.end_word - 1)[1]
    tail = line.words[hit.end_word:cell_end]
    if tail and (len(tail) > LABEL_TAIL_WORDS or not all(label_goes_on(w.text) for w in tail)):
        return []  # words follow the label in its cell (not a longer label's own words: « Nom et prénom » « du bénéficiaire »)
    if line.index == 0:
        return []
    above = layout.lines[line.page][line.index - 1]
    label_start, label_end = line.words[hit.start_word].bbox[0], line.words[cell_end - 1].bbox[2]
    if above.bottom < line.top - 0.5 * line.height or above.top >= line.top \
            or any(w.bbox[0] < label_end and w.bbox[2] > label_start for w in above.words):
        return []
    limit = next((w.bbox[0] for w in line.words[cell_end:]), 1.0)
    start = next((k for k, w in enumerate(above.words) if label_end < w.bbox[0] < limit), None)
    if start is None:
        return []
    words = above.words[start:above.cell_of(start)[1]]
    opening = token_tuple(" ".join(w.text for w in words[:6]).lstrip(":-–— "))
    return [] if labels is not None and opening and labels.match(opening, 0) is not None else words
