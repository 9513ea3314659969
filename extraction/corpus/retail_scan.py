"""Scans of the ``retail`` family (see ``retail_facts``): the scanner's usual defects (``scan.degrade``:
turned by 1–3°, blurred, noisy) or a phone photo (``scan.photograph``), and on some pages a faded
copy (low contrast: grey ink on greyish paper, a photocopy of a photocopy, a scanner set too
light). A filled-in PDF form is printed with its values before it is scanned (the printer draws
the form's fields, as a viewer does).
"""
from __future__ import annotations

import io
from random import Random

import numpy as np
from PIL import Image

from .scan import degrade, photograph, save_scan


def render_printed(pdf: bytes, dpi: int) -> list[Image.Image]:
    """The pages as printed: form fields drawn with their values."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        document.init_forms()
        return [document[i].render(scale=dpi / 72, may_draw_forms=True).to_pil().convert("L") for i in range(len(document))]
    finally:
        document.close()


def fade(image: Image.Image, rng: Random) -> Image.Image:
    """Low contrast: the ink lifted to grey, the paper darkened a little."""
    pixels = np.asarray(image, dtype=np.float32)
    ink, paper = rng.uniform(85, 125), rng.uniform(205, 232)
    pixels = ink + pixels * (paper - ink) / 255.0
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")


def retail_scanned_file(pdf: bytes, rng: Random, *, photo: bool = False) -> tuple[bytes, str, int]:
    """The document as a scan (file bytes, extension, dpi); faded on about a third of the files."""
    faded = rng.random() < 0.35
    dpi = rng.choice([140, 160, 180]) if photo else rng.choice([150, 170, 200, 200])
    pages = []
    for page in render_printed(pdf, dpi):
        page = fade(page, rng) if faded else page
        pages.append(photograph(page, rng) if photo else degrade(page, rng))
    if photo and len(pages) == 1:
        buffer = io.BytesIO()
        pages[0].save(buffer, "JPEG", dpi=(dpi, dpi), quality=rng.randint(70, 88))
        return buffer.getvalue(), "jpg", dpi
    kind = "pdf" if photo else (rng.choice(["pdf", "pdf", "tiff"]) if len(pages) > 1 else rng.choice(["png", "jpg", "jpg", "tiff", "pdf"]))
    return save_scan(pages, kind, dpi, rng), kind, dpi
