"""Make a born-digital page look scanned: rendered at 150–200 dpi, turned by 1–3°, blurred,
noisy, a little uneven in contrast, saved as PNG, JPEG, TIFF or an image-only PDF."""
from __future__ import annotations

import io
import time
from random import Random

import numpy as np
from PIL import Image, ImageFilter


def render_pages(pdf: bytes, dpi: int) -> list[Image.Image]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return [document[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(document))]
    finally:
        document.close()


def degrade(image: Image.Image, rng: Random) -> Image.Image:
    """One scanner's defects, drawn from ``rng`` (deterministic for a seed)."""
    angle = rng.uniform(1.0, 3.0) * rng.choice([-1, 1])
    rotated = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    blurred = rotated.filter(ImageFilter.GaussianBlur(radius=rng.uniform(0.3, 0.8)))
    pixels = np.asarray(blurred, dtype=np.float32)
    noise_rng = np.random.default_rng(rng.randint(0, 2**31 - 1))
    pixels = pixels * rng.uniform(0.9, 1.0) + rng.uniform(0, 12)  # paper not quite white, ink not quite black
    pixels += noise_rng.normal(0, rng.uniform(4, 11), pixels.shape)
    speckles = noise_rng.random(pixels.shape) < rng.uniform(0.0002, 0.001)
    pixels[speckles] = 0
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")


def photograph(image: Image.Image, rng: Random) -> Image.Image:
    """A phone photo of the page: seen a little askew (perspective), unevenly lit (a shadow
    falling across the sheet), softer, with the table showing at the edges."""
    w, h = image.size
    m = lambda frac: rng.uniform(0, frac)  # noqa: E731
    quad = (w * m(0.04), h * m(0.03), w * m(0.04), h * (1 - m(0.03)), w * (1 - m(0.04)), h * (1 - m(0.03)),
            w * (1 - m(0.04)), h * m(0.03))
    warped = image.transform((w, h), Image.QUAD, quad, resample=Image.BICUBIC, fillcolor=110)
    pixels = np.asarray(warped, dtype=np.float32)
    xs = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    ys = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    a, b = rng.uniform(-0.25, 0.25), rng.uniform(-0.25, 0.25)
    light = 1.0 - np.clip(a * (xs - 0.5) + b * (ys - 0.5) + rng.uniform(0.0, 0.15), 0, 0.45)
    pixels = pixels * light
    noise_rng = np.random.default_rng(rng.randint(0, 2**31 - 1))
    pixels += noise_rng.normal(0, rng.uniform(3, 7), pixels.shape)
    photo = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
    return photo.filter(ImageFilter.GaussianBlur(radius=rng.uniform(0.4, 0.9)))


def scanned_file(pdf: bytes, rng: Random, *, photo: bool = False) -> tuple[bytes, str, int]:
    """The document as a scan: (file bytes, extension, dpi); as a phone photo (JPEG) when ``photo``."""
    if photo:
        dpi = rng.choice([140, 160, 180])
        pages = [photograph(page, rng) for page in render_pages(pdf, dpi)]
        buffer = io.BytesIO()
        if len(pages) > 1:
            fixed = time.gmtime(1704067200)
            pages[0].save(buffer, "PDF", resolution=dpi, save_all=True, append_images=pages[1:], creationDate=fixed, modDate=fixed)
            return buffer.getvalue(), "pdf", dpi
        pages[0].save(buffer, "JPEG", dpi=(dpi, dpi), quality=rng.randint(70, 88))
        return buffer.getvalue(), "jpg", dpi
    dpi = rng.choice([150, 170, 200, 200])
    pages = [degrade(page, rng) for page in render_pages(pdf, dpi)]
    if len(pages) > 1:
        kind = rng.choice(["pdf", "pdf", "tiff"])
    else:
        kind = rng.choice(["png", "jpg", "jpg", "tiff", "pdf"])
    return save_scan(pages, kind, dpi, rng), kind, dpi


def save_scan(pages: list[Image.Image], kind: str, dpi: int, rng: Random) -> bytes:
    """Scanned pages as a file of ``kind`` (pdf, tiff: every page; jpg, png: the first)."""
    buffer = io.BytesIO()
    if kind == "pdf":
        fixed = time.gmtime(1704067200)  # 2024-01-01: byte-identical files for a seed
        pages[0].save(buffer, "PDF", resolution=dpi, save_all=True, append_images=pages[1:], creationDate=fixed, modDate=fixed)
    elif kind == "tiff":
        pages[0].save(buffer, "TIFF", dpi=(dpi, dpi), compression="tiff_deflate", save_all=True, append_images=pages[1:])
    elif kind == "jpg":
        pages[0].save(buffer, "JPEG", dpi=(dpi, dpi), quality=rng.randint(60, 85))
    else:
        pages[0].save(buffer, "PNG", dpi=(dpi, dpi))
    return buffer.getvalue()
