"""Table and frame rules taken off a page before OCR.

A box drawn round the client's block, a table's grid, a form's frame: on a scan, a rule that
touches a line of text (the last line of a framed block, skewed onto its border) makes Tesseract
drop or garble the whole line (« 56100 Lorient » under a frame's bottom read « Des Lorient »).
The rules are found on the page image as thin runs of ink (a morphological opening with a thin
element, across and down the page, short enough to follow a skewed scan's stair-steps) that chain
into a line far longer than any letter's stroke or dash, and turned to paper. A dark band's fill
(a table header in white letters) is thick and stays, its letters with it.
"""
from __future__ import annotations

import numpy as np
from PIL import Image

STEP = 0.03  # of the page's width: the thin runs a rule is made of (a skewed rule's steps)
MIN_RULE = 0.08  # of the page's width: chained, they make a rule at least this long
MAX_THICKNESS = 0.005  # of the page's width: thicker runs are a band's fill, not a rule


def clear_rules(image: Image.Image) -> Image.Image:
    """``image`` (greyscale) with its long horizontal and vertical rules turned to paper; the image
    itself when it has none."""
    import cv2

    from .combs import _threshold

    gray = np.asarray(image if image.mode == "L" else image.convert("L"))
    if gray.ndim != 2 or gray.size == 0:
        return image
    width = gray.shape[1]
    step, length, thick = max(int(STEP * width), 12), int(MIN_RULE * width), max(int(MAX_THICKNESS * width), 4)
    ink = (gray < _threshold(gray)).astype(np.uint8)

    def opened(mask, size):
        return cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size))

    rules = np.zeros_like(ink)
    for element, band, axis in (((step, 1), (1, thick), 2), ((1, step), (thick, 1), 3)):
        runs = opened(ink, element)
        runs &= 1 - cv2.dilate(opened(runs, band), np.ones((5, 5), np.uint8))  # a band's fill
        count, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
        long_ = np.flatnonzero(stats[:, axis] >= length)
        long_ = long_[long_ > 0]
        if long_.size:
            rules |= np.isin(labels, long_).astype(np.uint8)
    if not rules.any():
        return image
    cleared = gray.copy()
    cleared[cv2.dilate(rules, np.ones((3, 3), np.uint8)).astype(bool)] = 255
    return Image.fromarray(cleared, mode="L")
