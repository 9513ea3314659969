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


def scanned_file(pdf: bytes, rng: Random) -> tuple[bytes, str, int]:
    """The document as a scan: (file bytes, extension, dpi)."""
    dpi = rng.choice([150, 170, 200, 200])
    pages = [degrade(page, rng) for page in render_pages(pdf, dpi)]
    if len(pages) > 1:
        kind = rng.choice(["pdf", "pdf", "tiff"])
    else:
        kind = rng.choice(["png", "jpg", "jpg", "tiff", "pdf"])
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
    return buffer.getvalue(), kind, dpi
