"""Read generated files back as ``PageContent`` for evaluation, through the pipeline's own
engines: the text-layer reader for born-digital PDFs (pdfplumber or pdfium words) and the
Tesseract engine for scans (images, image-only PDFs).

These are the evaluation harness's readers (tests and ``bench/accuracy.py``); they need
Django settings (the engines read theirs), not the database.
"""
from __future__ import annotations

from pathlib import Path

from ..types import PageContent

SCAN_DPI = 200


def pdf_pages(path: str | Path, engine: str = "pdfplumber") -> list[PageContent]:
    """Every page of a PDF through its text layer (``engine``: pdfplumber or pdfium)."""
    from ..engines.text_layer import read_text_layer

    pages = read_text_layer(pdf_bytes(path), engine=engine)
    return [PageContent(p.number, p.text, p.words, p.width, p.height, "text_layer") for p in pages]


def pdf_bytes(path: str | Path) -> bytes:
    """A PDF's bytes as the pipeline reads them: filled-in form fields drawn into the pages."""
    from ..engines.forms import flatten_form_fields

    return flatten_form_fields(Path(path).read_bytes())


def tesseract_available() -> bool:
    from ..engines.tesseract import tesseract_command

    try:
        tesseract_command()
    except Exception:
        return False
    return True


def ocr_image(image, number: int = 1, lang: str = "fra", dpi: int | None = None) -> PageContent:
    """Tesseract on a PIL image prepared as the OCR stage prepares it (``prepared_for_ocr``: its
    lighting evened out, its dark bands and combs made readable): words with
    confidences and relative boxes."""
    from ..engines.tesseract import TesseractEngine
    from ..pipeline.ocr import prepared_for_ocr, read_prepared

    reading = prepared_for_ocr(image.convert("L"))
    result = read_prepared(TesseractEngine(lang=lang), reading, dpi)
    width, height = image.size
    return PageContent(number, result.text, result.words, float(width), float(height), "ocr:tesseract")


def image_pages(path: str | Path, lang: str = "fra") -> list[PageContent]:
    """Every frame of an image file (PNG, JPEG, multi-page TIFF) through Tesseract."""
    from PIL import Image, ImageSequence

    pages = []
    with Image.open(str(path)) as image:
        dpi = image.info.get("dpi", (None,))[0]
        for i, frame in enumerate(ImageSequence.Iterator(image), 1):
            pages.append(ocr_image(frame.copy(), i, lang, int(dpi) if dpi else None))
    return pages


def scanned_pdf_pages(path: str | Path, dpi: int | None = None, lang: str = "fra") -> list[PageContent]:
    """An image-only PDF rendered page by page and read by Tesseract: each page at its scan's
    own resolution, as the OCR stage renders it (``pipeline.ocr.scan_dpi``), or at ``dpi``.
    (Read at a fixed 200 dpi, the 150–170 dpi scans of generated corpora scored 0.890 where the
    pipeline's reading scores 0.906: the harness measures what ingest does.)"""
    import pypdfium2 as pdfium
    from django.conf import settings

    from ..pipeline.ocr import scan_dpi

    document = pdfium.PdfDocument(pdf_bytes(path))
    try:
        pages = []
        for index in range(len(document)):
            resolution = dpi or scan_dpi(document, index, int(settings.CEE_OCR_DPI))
            image = document[index].render(scale=resolution / 72).to_pil().convert("L")
            pages.append(ocr_image(image, index + 1, lang, resolution))
        return pages
    finally:
        document.close()


def read_pages(path: str | Path, lang: str = "fra", engine: str = "pdfplumber") -> list[PageContent]:
    """Born-digital PDFs through their text layer; image PDFs and images through Tesseract."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        pages = pdf_pages(path, engine)
        if sum(len(p.words) for p in pages) >= 5 * len(pages):
            return pages
        return scanned_pdf_pages(path, lang=lang)
    return image_pages(path, lang)


def ink_sources(path: str | Path, pages: list[PageContent], dpi: int = SCAN_DPI) -> dict:
    """What the signature detector looks at, per page number: the drawing objects of a
    born-digital PDF page, else the page image (an image-only PDF rendered, an image's frames)."""
    from ..extractors.signatures import InkSource, pdf_page_drawings

    path = Path(path)
    sources = {}
    if path.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium

        from ..corpus.scan import render_pages

        document = pdfium.PdfDocument(pdf_bytes(path))
        try:
            drawings = {p.number: pdf_page_drawings(document[p.number - 1]) for p in pages
                        if p.source == "text_layer" and p.number <= len(document)}
        finally:
            document.close()
        sources = {n: InkSource(drawings=d) for n, d in drawings.items() if d is not None}
        if len(sources) < len(pages):
            images = render_pages(pdf_bytes(path), dpi)
            sources.update({p.number: InkSource(image=images[p.number - 1]) for p in pages if p.number not in sources})
        return sources
    from PIL import Image, ImageSequence

    with Image.open(str(path)) as image:
        for i, frame in enumerate(ImageSequence.Iterator(image), 1):
            sources[i] = InkSource(image=frame.convert("L"))
    return sources
