"""Even out the lighting of a photographed page before OCR.

A phone photo of a sheet is lit unevenly (a shadow across it, one corner brighter); engines
binarise with one threshold for the page, so the darker half reads as noise and whole lines
are lost. The page's background is estimated from a small copy whose text is dilated away
(the brightest pixel around each point), and each pixel is divided by it: paper becomes white
everywhere, ink stays dark. Scans are evenly lit and are left as they are.
"""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

UNEVEN_SPREAD = 35  # grey levels between the darkest and brightest 5 % of the paper
_SHRINK = 8


def _background(gray: Image.Image) -> Image.Image:
    small = gray.resize((max(1, gray.width // _SHRINK), max(1, gray.height // _SHRINK)), Image.BILINEAR)
    return small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(4))


def even_lighting(image: Image.Image) -> Image.Image:
    """``image`` (greyscale) with its background flattened to white when it is unevenly lit;
    the image itself otherwise."""
    gray = image if image.mode == "L" else image.convert("L")
    background = _background(gray)
    paper = np.asarray(background, dtype=np.float32)
    low, high = np.percentile(paper, [5, 95])
    if high - low <= UNEVEN_SPREAD:
        return image
    full = np.asarray(background.resize(gray.size, Image.BILINEAR), dtype=np.float32)
    pixels = np.asarray(gray, dtype=np.float32)
    flat = np.clip(pixels / np.maximum(full, 1.0) * 255.0, 0, 255).astype(np.uint8)
    return Image.fromarray(flat, mode="L")


FADED_SPREAD = 140  # grey levels between the ink and the paper below which a page is faded
_INK_SHARE, _PAPER_SHARE = 0.3, 50  # percentiles: the darkest ink, the median paper


def stretched_contrast(image: Image.Image) -> Image.Image:
    """``image`` (greyscale) with its grey levels stretched so that its darkest ink is black and its
    paper white, when it is faded (a light photocopy, a grey scan: ink at 150 on paper at 200, which
    the engine's threshold splits badly, losing a header grid's values and a recipient block); the
    image itself otherwise."""
    gray = image if image.mode == "L" else image.convert("L")
    small = gray.copy()
    small.thumbnail((1200, 1200))
    pixels = np.asarray(small, dtype=np.float32)
    ink, paper = np.percentile(pixels, [_INK_SHARE, _PAPER_SHARE])
    if paper - ink >= FADED_SPREAD or paper - ink < 20:
        return image
    full = np.asarray(gray, dtype=np.float32)
    stretched = np.clip((full - ink) * (255.0 / (paper - ink)), 0, 255).astype(np.uint8)
    return Image.fromarray(stretched, mode="L")
