"""Read generated files back as ``PageContent`` for evaluation: pdfplumber words for
born-digital PDFs, Tesseract TSV for scans.

These are the evaluation harness's readers (tests and ``bench/accuracy.py``); the pipeline
itself reads files through its own text and OCR stages.
"""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

from ..types import PageContent, Word


def pdf_pages(path: str | Path) -> list[PageContent]:
    """Every page of a PDF with a text layer, as words with relative boxes."""
    import pdfplumber

    pages = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            width, height = float(page.width), float(page.height)
            words = [
                Word(w["text"], (w["x0"] / width, w["top"] / height, w["x1"] / width, w["bottom"] / height))
                for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)
            ]
            text = page.extract_text() or ""
            pages.append(PageContent(page.page_number, text, words, width, height, "text_layer"))
    return pages


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_image(image, number: int = 1, lang: str = "fra") -> PageContent:
    """Tesseract on a PIL image: words with confidences and relative boxes."""
    width, height = image.size
    buffer = io.BytesIO()
    image.convert("L").save(buffer, format="PNG", dpi=image.info.get("dpi", (200, 200)))
    proc = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", lang, "--psm", "3", "tsv"],
        input=buffer.getvalue(), capture_output=True, check=True, timeout=120,
    )
    reader = csv.DictReader(io.StringIO(proc.stdout.decode("utf-8", "replace")), delimiter="\t", quoting=csv.QUOTE_NONE)
    words, lines, current, last_key = [], [], [], None
    for row in reader:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        left, top, w, h = (int(row[k]) for k in ("left", "top", "width", "height"))
        conf = max(0.0, min(float(row.get("conf") or 0) / 100, 1.0))
        word = Word(text, (left / width, top / height, (left + w) / width, (top + h) / height), conf)
        words.append(word)
        key = (row["block_num"], row["par_num"], row["line_num"])
        if key != last_key and current:
            lines.append(" ".join(current))
            current = []
        current.append(text)
        last_key = key
    if current:
        lines.append(" ".join(current))
    return PageContent(number, "\n".join(lines), words, float(width), float(height), "ocr:tesseract")


def image_pages(path: str | Path, lang: str = "fra") -> list[PageContent]:
    """Every frame of an image file (PNG, JPEG, multi-page TIFF) through Tesseract."""
    from PIL import Image, ImageSequence

    pages = []
    with Image.open(str(path)) as image:
        for i, frame in enumerate(ImageSequence.Iterator(image), 1):
            pages.append(ocr_image(frame.copy(), i, lang))
    return pages


def scanned_pdf_pages(path: str | Path, dpi: int = 200, lang: str = "fra") -> list[PageContent]:
    """An image-only PDF rendered page by page and read by Tesseract."""
    import pdfplumber

    pages = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            image = page.to_image(resolution=dpi).original
            pages.append(ocr_image(image, page.page_number, lang))
    return pages


def read_pages(path: str | Path, lang: str = "fra") -> list[PageContent]:
    """Born-digital PDFs through their text layer; image PDFs and images through Tesseract."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        pages = pdf_pages(path)
        if sum(len(p.words) for p in pages) >= 5 * len(pages):
            return pages
        return scanned_pdf_pages(path, lang=lang)
    return image_pages(path, lang)
