"""Ink that a page reading left unread: text the engine's page segmentation dropped.

Tesseract's automatic layout analysis (psm 3) sometimes takes a whole paragraph next to a
ruled grid, a framed article of a convention or a cell of an Excel-like table for a picture,
and returns no word for it. ``unread_regions`` finds those places from the image itself:
dark pixels that no read word covers, ruling lines and large marks (signatures, stamps, logos)
left aside, grouped into text-like runs. The engine then reads only them a second time.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from extraction.types import Word

INK_LEVEL = 170  # darker than this (0–255, lighting evened out, page halved) is ink
# A ruling line is a run of ink at least this long (relative to the page's width or height).
RULE_LENGTH = 0.06
# Unread ink worth a second reading: at least this many character-sized marks, in runs.
MIN_MARKS = 40
MIN_RUN_MARKS = 2
ANALYSIS_SCALE = 2  # the ink is looked at on a page halved in each direction


@dataclass(frozen=True)
class UnreadInk:
    """Character-sized ink in text-like runs that no trusted word covers, on the analysis grid."""

    boxes: list[tuple[int, int, int, int]]  # runs of characters: left, top, right, bottom
    clutter: np.ndarray  # bool: rules, frames, signatures, stamps, logos; words already read
    scale: int  # the grid is the page at 1/scale of its size
    count: int  # characters (connected marks)


def _character_height(words: list[Word], height: int) -> float:
    heights = sorted((w.bbox[3] - w.bbox[1]) * height for w in words if len(w.text) >= 3)
    if not heights:
        return height / 110.0  # 10-point print on an A4 page
    return max(heights[len(heights) // 2], 6.0)


def _runs(ink: np.ndarray, length: int, axis: int) -> np.ndarray:
    """The pixels of ``ink`` that belong to a straight run at least ``length`` long along ``axis``
    (a morphological opening by a line, in time independent of ``length``)."""
    from scipy import ndimage

    full = ndimage.uniform_filter1d(ink.astype(np.float32), size=length, axis=axis, mode="constant") > 0.999
    return ndimage.maximum_filter1d(full, size=length, axis=axis, mode="constant") & ink


def _without_rules(ink: np.ndarray) -> np.ndarray:
    rows, columns = ink.shape
    horizontal = _runs(ink, max(int(columns * RULE_LENGTH), 3), axis=1)
    vertical = _runs(ink, max(int(rows * RULE_LENGTH), 3), axis=0)
    return ink & ~horizontal & ~vertical


def unread_ink(image: Image.Image, words: list[Word]) -> UnreadInk | None:
    """The characters on ``image`` that none of ``words`` covers (None when there are too few
    to be worth a second reading). Ruling lines, box frames, signatures, stamps, logos and
    specks of noise are no characters."""
    from scipy import ndimage

    scale = ANALYSIS_SCALE if min(image.size) > 1000 else 1
    small = image.convert("L")
    if scale > 1:
        small = small.resize((image.width // scale, image.height // scale), Image.BOX)
    grey = np.asarray(small)
    height, width = grey.shape
    char = _character_height(words, height)
    all_ink = grey < INK_LEVEL
    ink = _without_rules(all_ink)
    read = np.zeros(ink.shape, bool)
    pad = max(int(char * 0.25), 1)
    for word in words:
        x0, y0, x1, y1 = word.bbox
        read[max(int(y0 * height) - pad, 0):int(y1 * height) + pad + 1,
             max(int(x0 * width) - pad, 0):int(x1 * width) + pad + 1] = True
    ink &= ~read
    labels, count = ndimage.label(ink)
    if not count:
        return None
    keep = np.zeros(count + 1, bool)
    large = np.zeros(count + 1, bool)
    for index, piece in enumerate(ndimage.find_objects(labels), 1):
        mark_height = piece[0].stop - piece[0].start
        mark_width = piece[1].stop - piece[1].start
        # A character (or an accent, a comma): not a speck, not a frame, a signature or a logo.
        large[index] = mark_height > 1.8 * char or mark_width > 3.0 * char
        keep[index] = not large[index] and (mark_height >= 0.25 * char or mark_width >= 0.4 * char)
    marks = keep[labels]
    # Marks of one word or line joined: a gap of about a character's width between them.
    joined = ndimage.binary_dilation(marks, structure=np.ones((max(int(char * 0.3), 1), max(int(char * 0.9), 1)), bool))
    runs, run_count = ndimage.label(joined)
    boxes, total = [], 0
    for index, piece in enumerate(ndimage.find_objects(runs), 1):
        inside = np.unique(labels[piece][(runs[piece] == index) & marks[piece]])
        characters = int((inside > 0).sum())
        if characters >= MIN_RUN_MARKS:
            boxes.append((piece[1].start, piece[0].start, piece[1].stop, piece[0].stop))
            total += characters
    if total < MIN_MARKS:
        return None
    clutter = (all_ink & ~ink & ~read) | large[labels] | read  # rules, large marks, words read
    return UnreadInk(boxes=boxes, clutter=clutter, scale=scale, count=total)


def unread_ink_image(image: Image.Image, unread: UnreadInk) -> Image.Image:
    """A white page showing only the runs of unread characters as they are on ``image``, without
    the frames, rules and marks around them nor the words already read."""
    from scipy import ndimage

    grey = np.asarray(image.convert("L"))
    shown = np.zeros(unread.clutter.shape, bool)
    for x0, y0, x1, y1 in unread.boxes:
        shown[max(y0 - 1, 0):y1 + 1, max(x0 - 1, 0):x1 + 1] = True
    shown &= ~ndimage.binary_dilation(unread.clutter)
    if unread.scale > 1:
        shown = np.repeat(np.repeat(shown, unread.scale, axis=0), unread.scale, axis=1)
    full = np.zeros(grey.shape, bool)
    rows, columns = min(shown.shape[0], grey.shape[0]), min(shown.shape[1], grey.shape[1])
    full[:rows, :columns] = shown[:rows, :columns]
    return Image.fromarray(np.where(full, grey, 255).astype(np.uint8), mode="L")
