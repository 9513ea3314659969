"""Answer boxes drawn, not printed: a web form's printout or a filled PDF draws the radio button
or the check box before « Oui » and « Non » as vector paths (a circle, and a dot inside it when
ticked; a square, and a check mark or a fill when ticked), which no text layer holds. The yes/no
statements (``statements``) read marks as text (« ☒ Oui ☐ Non »): a box found drawn just left of
an answer word becomes that mark, an invisible word over the box, so that every reader of the
statement sees it as the document shows it.

A box is a path object about the answer's height, ending just before the word; it is ticked
when another object lies inside it (the dot, the check mark), empty when it stands alone. A
scan's ink is left to OCR: its boxes are in the pixels, not objects.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from cee.text import fold

from ..types import BBox, FieldSpec, PageContent, Word
from .signatures import InkSource

TICKED, EMPTY = "☒", "☐"
_ANSWERS = frozenset({"oui", "non"})
_REACH = 3.0  # how far left of the word, in word heights, its box may start
_MAX_SIDE = 2.5  # the largest box, in word heights


def _answer(word: Word) -> bool:
    return fold(word.text).strip(" .,;:!?()[]") in _ANSWERS


def _centre_inside(inner: BBox, outer: BBox) -> bool:
    x, y = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] < x < outer[2] and outer[1] < y < outer[3] and inner != outer


def drawn_marks(page: PageContent, drawings: list[tuple[str, BBox, int]]) -> list[Word]:
    """A mark word (``TICKED`` or ``EMPTY``) over each box drawn just left of an answer word
    that no printed word separates from it."""
    marks = []
    for word in page.words:
        if not _answer(word):
            continue
        x0, y0, x1, y1 = word.bbox
        height = max(y1 - y0, 1e-3)
        left, top, bottom = x0 - _REACH * height, y0 - 0.5 * height, y1 + 0.5 * height
        if any(other is not word and other.bbox[2] <= x0 + 1e-4 and other.bbox[2] > left
               and other.bbox[1] < y1 and y0 < other.bbox[3] for other in page.words):
            continue  # a printed mark or another word stands between: the text tells
        paths = [box for kind, box, _ in drawings
                 if kind == "path" and box[0] >= left and box[2] <= x0 + 1e-4 and box[1] >= top and box[3] <= bottom
                 and box[2] - box[0] <= _MAX_SIDE * height and box[3] - box[1] <= _MAX_SIDE * height]
        if not paths:
            continue
        outer = max(paths, key=lambda box: (box[2] - box[0]) * (box[3] - box[1]))
        ticked = any(_centre_inside(box, outer) for box in paths)
        marks.append(Word(TICKED if ticked else EMPTY, outer, 1.0))
    return marks


def with_drawn_marks(pages: list[PageContent], specs: list[FieldSpec],
                     sources: Callable[[], dict[int, InkSource]]) -> list[PageContent]:
    """``pages`` with the marks of their drawn answer boxes among their words, for a schema with a
    yes/no statement (``sources()`` is called only then); the pages as they are otherwise."""
    if not any((spec.hints or {}).get("statement") is not None for spec in specs):
        return pages
    if not any(_answer(word) for page in pages for word in page.words):
        return pages
    found = sources()
    out = []
    for page in pages:
        source = found.get(page.number)
        marks = drawn_marks(page, source.drawings) if source is not None and source.drawings else []
        if not marks:
            out.append(page)
            continue
        out.append(replace(page, words=[*page.words, *marks]))
    return out
