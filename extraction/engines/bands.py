"""Light text on dark bands made dark on light before OCR.

Invoicing tools print the company's name, address and SIRET in white on a dark header band, a
sidebar or a table's header row. Engines binarise a page for dark ink on light paper: white
letters on a dark band come out broken or not at all (« EXPERT ROUX SN », « 29 31 07 SIRET » for
« 09 23 29 31 02 · … · SIRET 975 330 382 000 97 »). Each large dark area of the page — dark over
most of its box, wider than a column — is turned negative, so its letters read as any other.
Pages without such areas are returned as they are.
"""
from __future__ import annotations

import numpy as np
from PIL import Image

from .base import ink_components

SHRINK = 4  # the page is searched on a copy this many times smaller
DARK = 150  # grey level under which a pixel of the copy is dark (a band lit unevenly on a photo: up to 140)
MIN_AREA = 0.004  # of the page, for a dark area to be a band (not a word, a logo, a signature)
MIN_FILL = 0.6  # share of its box the dark area covers (white letters leave holes)
MIN_WIDTH = 0.12  # of the page width
NOISE = 20  # grey levels above the band's level that are a scan's noise, not a letter


def invert_dark_bands(image: Image.Image) -> Image.Image:
    """``image`` (greyscale) with its dark bands turned negative; the image itself when it has none."""
    from scipy import ndimage

    gray = np.asarray(image if image.mode == "L" else image.convert("L"))
    if gray.ndim != 2 or min(gray.shape) < 8 * SHRINK:
        return image
    small = gray[::SHRINK, ::SHRINK] < DARK
    labels, components = ink_components(small)
    height, width = small.shape
    bands = []
    for index, found, h, w, area in components:
        if h * w < MIN_AREA * height * width or w < MIN_WIDTH * width:
            continue
        filled = ndimage.binary_fill_holes(labels[found] == index)  # the band with its letters
        if filled.sum() < MIN_FILL * h * w or area < 0.5 * filled.sum():
            continue  # a frame, a grid or a photograph's outline, not a band
        bands.append((found[0].start * SHRINK, found[1].start * SHRINK, filled))
    if not bands:
        return image
    out = gray.copy()
    for top, left, filled in bands:
        # the band's own pixels, not its box: a tilted page's band leaves paper and text in its box
        full = np.repeat(np.repeat(filled, SHRINK, 0), SHRINK, 1)[:gray.shape[0] - top, :gray.shape[1] - left]
        mask = ndimage.binary_erosion(full, iterations=2)
        box = (slice(top, top + mask.shape[0]), slice(left, left + mask.shape[1]))
        paper = _paper_around(gray, top, left, full)
        negative = _negative(gray[box], mask, paper)
        region = out[box]
        region[mask] = negative[mask]
        # the band's edge, left dark around its negative, would read as a frame: paper too
        region[ndimage.binary_dilation(full, iterations=2) & ~mask] = paper
    return Image.fromarray(out, mode="L")


def _paper_around(gray: np.ndarray, top: int, left: int, full: np.ndarray) -> int:
    """The grey level of the paper just around a band (``full``, within ``region``): its negative
    is laid on that level. A grey photo's paper is no white; a band made pure white on it would
    be the page's brightest patch, and the engine's single threshold, set between that white and
    the paper, reads the whole paper as ink (half the page's lines lost)."""
    from scipy import ndimage

    margin = 12
    y0, x0 = max(top - margin, 0), max(left - margin, 0)
    area = gray[y0:top + full.shape[0] + margin, x0:left + full.shape[1] + margin]
    band = np.zeros(area.shape, dtype=bool)
    band[top - y0:top - y0 + full.shape[0], left - x0:left - x0 + full.shape[1]] = full[:area.shape[0] - (top - y0),
                                                                                       :area.shape[1] - (left - x0)]
    ring = ndimage.binary_dilation(band, iterations=margin - 2) & ~ndimage.binary_dilation(band, iterations=4)
    around = area[ring]
    if not around.size:
        return 255
    return int(np.clip(np.median(around), DARK, 255))


def _negative(region: np.ndarray, mask: np.ndarray, paper: int = 255) -> np.ndarray:
    """A band's letters dark on paper: each pixel's lift above the band's own level around it (a
    photo lights a band unevenly; outside ``mask`` counts as the band's usual level), stretched to
    the range below the ``paper`` level and turned negative."""
    from scipy import ndimage

    pixels = region.astype(np.float32)
    if mask.any():
        pixels = np.where(mask, pixels, float(np.median(pixels[mask])))
    # the band's level: a median over some forty pixels around (letters and a scan's specks are too
    # small to move it), taken on a smaller copy
    small = ndimage.median_filter(pixels[::SHRINK, ::SHRINK], size=9)
    level = np.repeat(np.repeat(small, SHRINK, 0), SHRINK, 1)[:pixels.shape[0], :pixels.shape[1]]
    lift = np.clip(pixels - level - NOISE, 0, None)
    top = float(np.percentile(lift[mask], 99.5)) if mask.any() else 0.0
    return (paper - np.clip(lift * (paper / (top or 1.0)), 0, paper)).astype(np.uint8)
