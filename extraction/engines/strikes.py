"""Long ruling lines taken off a page before OCR, the letters they cross kept.

A form's frame drawn through the last line of its section, a table rule a scan's skew lays
across a row, an underline: where a straight line runs through printed words, Tesseract's line
finder drops the whole line of text (a frame's bottom over « Référence de la facture : FAC007781 »
left the invoice's number unread on every scan of an office family's attestation). The long
lines are found on the page image (a probabilistic Hough transform, slightly skewed lines
included) and their pixels turned to paper, except where a letter's stroke runs on above or
below the line (that column belongs to the letter). Lines shorter than a quarter of the page's
width are left alone: a letter's bar, a dash, a comb's box (``combs``).
"""
from __future__ import annotations

import numpy as np
from PIL import Image

MIN_LENGTH = 0.25  # of the page's width
MAX_SLOPE = 0.1  # near horizontal: a scan's skew, not a diagonal
HALF_BAND = 2  # pixels above and below the fitted line searched for the line's own pixels
LETTER_REACH = 2  # ink this close above or below the line's pixels: a letter crossing it


def clear_struck_lines(image: Image.Image) -> Image.Image:
    """``image`` (greyscale) with its long near-horizontal lines taken away where no letter
    crosses them; the image itself when it has none."""
    import cv2

    gray = np.asarray(image if image.mode == "L" else image.convert("L"))
    if gray.ndim != 2 or gray.size == 0:
        return image
    height, width = gray.shape
    ink = gray < _threshold(gray)
    segments = cv2.HoughLinesP(ink.astype(np.uint8) * 255, 1, np.pi / 720, threshold=int(0.15 * width),
                               minLineLength=int(MIN_LENGTH * width), maxLineGap=4)
    if segments is None:
        return image
    cleared = gray.copy()
    erased = False
    for x1, y1, x2, y2 in segments.reshape(-1, 4):
        if abs(int(y2) - int(y1)) > MAX_SLOPE * abs(int(x2) - int(x1)):
            continue
        erased |= _erase_line(ink, cleared, int(x1), int(y1), int(x2), int(y2))
    return Image.fromarray(cleared, mode="L") if erased else image


def _erase_line(ink: np.ndarray, cleared: np.ndarray, x1: int, y1: int, x2: int, y2: int) -> bool:
    """Turn to paper, column by column, the run of ink through the fitted line, where no ink lies
    within ``LETTER_REACH`` above or below the run."""
    if x2 < x1:
        x1, y1, x2, y2 = x2, y2, x1, y1
    height, width = ink.shape
    erased = False
    for x in range(max(x1, 0), min(x2 + 1, width)):
        y = int(round(y1 + (y2 - y1) * (x - x1) / max(x2 - x1, 1)))
        top, bottom = max(y - HALF_BAND, 0), min(y + HALF_BAND + 1, height)
        column = ink[:, x]
        rows = np.flatnonzero(column[top:bottom])
        if not rows.size:
            continue
        low, high = top + rows[0], top + rows[-1]
        if column[max(low - LETTER_REACH, 0):low].any() or column[high + 1:high + 1 + LETTER_REACH].any():
            continue  # a letter's stroke crosses the line here
        cleared[low:high + 1, x] = 255
        erased = True
    return erased


def _threshold(gray: np.ndarray) -> int:
    from .combs import _threshold as otsu

    return otsu(gray)
