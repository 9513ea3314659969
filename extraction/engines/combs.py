"""Comb fields made readable before OCR: one character a box, the boxes taken away.

Cerfa-like forms give the postal code, the SIRET, the telephone and the dates one character a
box (« |7|2|0|0|0| », « |1|4| / |0|9| / |2|0|2|3| »). An OCR engine reads the box sides as
letters and the characters, a box apart, as separate words: « [o[oTo] », « GOBODBNAOAQONE » for a
SIRET. Here each comb is found on the page image — one connected frame, wider than tall, of the
height of a line, with top and bottom sides and vertical sides at a regular pitch — its frame is
taken away, and the characters of its boxes are set back side by side at a text's spacing where
the comb was (with the « / » between the combs of one date), so the engine reads « 72000 » and
« 14/09/2023 » as the words they are, where they are. Pages without combs are left untouched.
"""
from __future__ import annotations

import numpy as np
from PIL import Image

from .base import ink_components

# A comb's height as a share of the page's width (4 to 12 mm on an A4 page), and its shape.
MIN_HEIGHT, MAX_HEIGHT = 0.012, 0.06
MIN_BOXES = 2
MAX_FILL = 0.35  # share of its bounding box a frame covers (thin sides)
STROKE = 0.45  # a vertical side runs down at least this share of the comb's height
REGULAR = 1.6  # widest box / narrowest box


def compact_combs(image: Image.Image) -> Image.Image:
    """``image`` (greyscale) with its comb fields' frames taken away and their characters set side
    by side; the image itself when it has no comb."""
    gray = np.asarray(image if image.mode == "L" else image.convert("L"))
    if gray.ndim != 2 or gray.size == 0:
        return image
    ink = gray < _threshold(gray)
    labels, components = ink_components(ink, np.ones((3, 3), dtype=bool))
    width = gray.shape[1]
    combs = []
    for index, found, h, w, area in components:
        if not (MIN_HEIGHT * width <= h <= MAX_HEIGHT * width and w >= 1.5 * h) or area > MAX_FILL * w * h:
            continue
        frame = labels[found] == index
        sides = _sides(frame, h)
        if sides is not None:
            combs.append(_Comb(found[0].start, found[1].start, h, w, frame, sides))
    if not combs:
        return image
    out = gray.copy()
    for group in _lines_of(combs):
        _compact(out, ink, group)
    return Image.fromarray(out, mode="L")


class _Comb:
    def __init__(self, top: int, left: int, height: int, width: int, frame: np.ndarray, sides: list[tuple[int, int]]):
        self.top, self.left, self.height, self.width = top, left, height, width
        self.frame, self.sides = frame, sides

    @property
    def pitch(self) -> float:
        return (self.sides[-1][0] - self.sides[0][1]) / max(1, len(self.sides) - 1)


def _threshold(gray: np.ndarray) -> int:
    """Otsu's threshold of the page: between paper and ink."""
    histogram = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = histogram.sum()
    levels = np.arange(256)
    weight = np.cumsum(histogram)
    mean = np.cumsum(histogram * levels)
    between = (mean[-1] * weight / total - mean) ** 2 / np.maximum(weight * (total - weight), 1e-9)
    return int(np.argmax(between))


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    padded = np.concatenate(([0], flags.astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))


def _sides(frame: np.ndarray, h: int) -> list[tuple[int, int]] | None:
    """The columns of a comb's vertical sides, when ``frame`` is one: top and bottom sides, at
    least three vertical sides (two boxes) at a regular pitch; None otherwise."""
    w = frame.shape[1]
    if frame[: h // 4].sum() < 0.6 * w or frame[3 * h // 4:].sum() < 0.6 * w:
        return None
    run = np.zeros(w, dtype=np.int32)
    longest = np.zeros(w, dtype=np.int32)
    for row in frame:  # the longest vertical run of each column: a side, not a top or bottom line
        run = (run + 1) * row
        np.maximum(longest, run, out=longest)
    sides: list[tuple[int, int]] = []
    for start, end in _runs(longest >= STROKE * h):
        if sides and start - sides[-1][1] < 0.3 * h:
            sides[-1] = (sides[-1][0], end)  # one slanted side cut in two
        else:
            sides.append((start, end))
    if len(sides) < MIN_BOXES + 1:
        return None
    boxes = [b[0] - a[1] for a, b in zip(sides, sides[1:])]
    if min(boxes) < 0.4 * h or max(boxes) > REGULAR * min(boxes):
        return None
    return sides


def _lines_of(combs: list[_Comb]) -> list[list[_Comb]]:
    """Combs of one field side by side (a date's day, month and year) as one group."""
    groups: list[list[_Comb]] = []
    for comb in sorted(combs, key=lambda c: c.left):  # a slanted line: left to right, not top to bottom
        for group in groups:
            last = group[-1]
            if abs((last.top + last.height / 2) - (comb.top + comb.height / 2)) < 0.5 * comb.height \
                    and 0 <= comb.left - (last.left + last.width) < 1.5 * max(last.pitch, comb.pitch):
                group.append(comb)
                break
        else:
            groups.append([comb])
    for group in groups:
        group.sort(key=lambda c: c.left)
    return groups


def _glyph(ink: np.ndarray, top: int, left: int) -> tuple[int, int, int, int] | None:
    """The box around the marks of a character (its specks left out), in page pixels."""
    from scipy import ndimage

    labels, count = ndimage.label(ink, structure=np.ones((3, 3), dtype=bool))
    if not count:
        return None
    areas = np.bincount(labels.ravel())[1:]
    kept = np.flatnonzero(areas >= 0.15 * areas.max()) + 1
    ys, xs = np.nonzero(np.isin(labels, kept))
    return top + int(ys.min()), left + int(xs.min()), top + int(ys.max()) + 1, left + int(xs.max()) + 1


def _compact(out: np.ndarray, ink: np.ndarray, group: list[_Comb]) -> None:
    """The group's frames and characters cleared, its characters (and the marks between its
    combs) drawn again side by side from its left edge, at the same height."""
    from scipy import ndimage

    height, width = out.shape
    glyphs = []  # (top, left, bottom, right) in page pixels, left to right
    for k, comb in enumerate(group):
        frame = ndimage.binary_dilation(comb.frame, iterations=1)
        box = (slice(comb.top, comb.top + comb.height), slice(comb.left, comb.left + comb.width))
        marks = ink[box] & ~comb.frame
        for (_, inner), (outer, _) in zip(comb.sides, comb.sides[1:]):
            found = _glyph(marks[:, inner:outer], comb.top, comb.left + inner)
            if found is not None:
                glyphs.append(found)
        cleared = out[box]
        cleared[frame] = 255
        if k + 1 < len(group):  # the « / » between a date's combs
            nxt = group[k + 1]
            top, bottom = min(comb.top, nxt.top), max(comb.top + comb.height, nxt.top + nxt.height)
            left, right = comb.left + comb.width, nxt.left
            if right > left:
                found = _glyph(ink[top:bottom, left:right], top, left)
                if found is not None:
                    glyphs.append(found)
    pieces = [(t, l, b, r, out[max(0, t - 2):min(height, b + 2), max(0, l - 2):min(width, r + 2)].copy())
              for t, l, b, r in glyphs]
    first, last = group[0], group[-1]
    top = min(c.top for c in group)
    bottom = max(c.top + c.height for c in group)
    out[top:bottom, first.left:last.left + last.width] = 255
    if not pieces:
        return
    pitch = int(np.median([r - l for _, l, _, r, _ in pieces])) + max(1, int(0.04 * first.height))
    x = first.left + first.sides[0][1] + 2
    for t, l, b, r, piece in pieces:
        ph, pw = piece.shape
        y0 = max(0, t - 2)
        x0 = x + max(0, (pitch - pw) // 2)
        target = out[y0:y0 + ph, x0:x0 + pw]
        if target.shape != piece.shape:
            break
        np.minimum(target, piece, out=target)
        x += max(pitch, pw)
