"""Registering a page against a learned layout before reading a box on it: pure functions.

A spot without anchor is a box on the teaching page. The next document of the layout prints it
elsewhere when its page is shifted (a scan, a phone photo): read at the learned place, the box
then holds the line above or below. The layout's anchored spots are template words whose learned
place is known; where they are found on the page tells how far the page moved.
"""
from __future__ import annotations

from statistics import median

from ..extractors.layout import Line
from ..extractors.text import match_at

MAX_SHIFT = 0.12  # further than this (an eighth of the page), the anchor found is another one


def _anchor_places(spots: list[dict]) -> list[tuple[int, list[str], float, float]]:
    """(page, anchor tokens, learned top, learned right edge) of each distinct anchor of a
    layout's spots."""
    places, seen = [], set()
    for spot in spots:
        anchor = (spot.get("anchor") or "").split()
        offset, bbox = spot.get("offset"), spot.get("bbox")
        if spot.get("absent") or spot.get("relation") == "none" or not anchor or not offset or not bbox:
            continue
        key = (spot.get("page"), tuple(anchor))
        if key in seen:
            continue
        seen.add(key)
        places.append((spot.get("page"), anchor, bbox[1] - offset[1], bbox[2] - offset[2]))
    return places


def _found_at(lines: list[Line], anchor: list[str], top: float) -> tuple[float, float] | None:
    """(top, right edge) of the occurrence of ``anchor`` nearest ``top`` on the page's lines."""
    best = None
    for line in lines:
        texts = line.token_texts
        for i in range(len(texts)):
            end = match_at(texts, anchor, i)
            if end is None:
                continue
            word = line.words[line.tokens[end - 1].word]
            first = line.words[line.tokens[i].word]
            if best is None or abs(first.bbox[1] - top) < abs(best[0] - top):
                best = (first.bbox[1], word.bbox[2])
    return best


def anchor_moves(page_lines: dict[int, list[Line]], layout_spots: list[dict]) -> list[tuple[int, float, float, float]]:
    """(page, learned top, dx, dy) of each anchor of the layout found on the document: how far it
    moved since the teaching documents. ``page_lines``: the lines of each page, by its position
    in the document (1 = first)."""
    moves = []
    for page, anchor, top, right in _anchor_places(layout_spots):
        found = _found_at(page_lines.get(page) or [], anchor, top)
        if found is None:
            continue
        dx, dy = found[1] - right, found[0] - top
        if abs(dx) <= MAX_SHIFT and abs(dy) <= MAX_SHIFT:
            moves.append((page, top, dx, dy))
    return moves


def page_shift(moves: list[tuple[int, float, float, float]], page: int) -> tuple[float, float]:
    """How far (dx, dy) page ``page`` moved: the median move of the page's anchors
    (a scanned page shifted). Not the move of the anchors nearest the box: the blocks between
    them move with the document's values (a longer address, one more item line), and on the
    letters measured the nearest anchors' moves disagreed by more than a line's height while
    the median of the page held. (0, 0) without anchors found on the page."""
    on_page = [(dx, dy) for number, _, dx, dy in moves if number == page]
    if not on_page:
        return 0.0, 0.0
    return median(m[0] for m in on_page), median(m[1] for m in on_page)


def registered(spot: dict, shift: tuple[float, float]) -> dict:
    """``spot`` with its box moved by ``shift``."""
    dx, dy = shift
    if not dx and not dy:
        return spot
    x0, y0, x1, y1 = spot["bbox"]
    return {**spot, "bbox": [x0 + dx, y0 + dy, x1 + dx, y1 + dy]}
