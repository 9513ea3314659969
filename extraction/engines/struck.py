"""Rules running through a line of text taken away before OCR, the letters' strokes kept.

A form's frame drawn across its last line (« Le logement est achevé depuis plus de 2 ans » with
the box's bottom side through the words), a table's border a tilted scan brings onto the text
under it, a strike or an underline touching the letters: an OCR engine reads the struck line as
noise (« Éetogementestachevé depuis ptos-de 2-ans-—{[-oni—{f}-non »). Here each long horizontal
run of ink (a rule, a few degrees of tilt allowed) is cleared where letters touch it along a
stretch of the rule — a text line's worth of strokes above or below it — except where a
letter's stroke crosses it (ink right above and right below). A rule with nothing touching it
(a frame's side, a table's border away from the words) stays: the engine's layout analysis
uses it. Pages without such a rule come back as they are.
"""
from __future__ import annotations

import numpy as np
from PIL import Image

from .base import otsu_threshold

MIN_RULE = 0.04  # of the page width: the shortest run of ink that is a rule, not a letter's bar
TOUCH = 2  # pixels above or below a rule where a letter's ink touches it
STRETCH = 0.02  # of the page width: the stretch of rule over which touching letters are counted
MIN_TOUCHING = 0.25  # share of that stretch's columns where letters touch the rule: text on it


def clear_struck_rules(image: Image.Image) -> Image.Image:
    """``image`` (greyscale) with the stretches of rule that run through text cleared (see the
    module docstring); the image itself when there are none."""
    from scipy import ndimage

    gray = np.asarray(image if image.mode == "L" else image.convert("L"))
    if gray.ndim != 2 or min(gray.shape) < 50:
        return image
    ink = gray < otsu_threshold(gray[::4, ::4])
    width = gray.shape[1]
    length = max(21, int(width * MIN_RULE)) | 1
    # runs of ``length`` pixels of ink and more (a horizontal opening, in linear time)
    runs = ndimage.uniform_filter1d(ink.astype(np.float32), size=length, axis=1) > 1 - 0.5 / length
    rules = ndimage.maximum_filter1d(runs.view(np.uint8), size=length, axis=1).astype(bool)
    if not rules.any():
        return image
    rules = ndimage.binary_dilation(rules, structure=np.ones((3, 1), dtype=bool)) & ink  # the rule's whole thickness
    letters = ink & ~rules
    above, below = _touching(letters, rules, 1), _touching(letters, rules, -1)
    touched = ndimage.maximum_filter1d((above | below).view(np.uint8), size=7, axis=0)  # a tilted rule's rows
    share = ndimage.uniform_filter1d(touched, size=max(5, int(width * STRETCH)), axis=1, output=np.float32)
    cleared = rules & (share >= MIN_TOUCHING) & ~(above & below)
    if not cleared.any():
        return image
    out = gray.copy()
    out[cleared] = int(np.percentile(gray, 90))
    return Image.fromarray(out, mode="L")


def _shift(mask: np.ndarray, down: int) -> np.ndarray:
    """``mask`` moved ``down`` rows down (up when negative), emptied where it came from."""
    out = np.zeros_like(mask)
    if down > 0:
        out[down:] = mask[:-down]
    elif down < 0:
        out[:down] = mask[-down:]
    return out


def _touching(letters: np.ndarray, rules: np.ndarray, side: int) -> np.ndarray:
    """The rule pixels whose run across the rule's thickness has letters' ink within ``TOUCH``
    pixels of its edge: above it (``side`` 1) or below it (-1)."""
    near = np.zeros_like(letters)
    for distance in range(1, TOUCH + 1):
        near |= _shift(letters, side * distance)  # ink ``distance`` rows above (below) each pixel
    found = rules & near
    for _ in range(6):  # a rule a few pixels thick: its pixels share what touches its edge
        found |= rules & _shift(found, side)
    return found
