"""What the signature detector looks at in a stored document, page by page
(``extraction.extractors.signatures``): the drawing objects of a born-digital PDF page, or the
upright page image the OCR stage stored for a scan."""
from __future__ import annotations

import logging

from PIL import Image

from extraction.extractors.signatures import InkSource, pdf_page_drawings

from .rendering import render_pdf_page

logger = logging.getLogger(__name__)
INK_DPI = 150  # a PDF page whose ink is in an image (a scan with a text layer added)


def page_ink_sources(ctx) -> dict[int, InkSource]:
    sources: dict[int, InkSource] = {}
    for page in ctx.pages():
        try:
            if (page.text_source or "").startswith("ocr:"):
                if page.image:
                    with page.image.open("rb") as handle:
                        sources[page.number] = InkSource(image=Image.open(handle).convert("L"))
                continue
            if not ctx.is_pdf:
                continue
            pdf = ctx.pdfium_document()
            if page.number > len(pdf):
                continue
            loaded = pdf[page.number - 1]
            try:
                drawings = pdf_page_drawings(loaded)
                if drawings is None:
                    image, _ = render_pdf_page(pdf, page.number - 1, INK_DPI, page=loaded)
                    sources[page.number] = InkSource(image=image.convert("L"))
                else:
                    sources[page.number] = InkSource(drawings=drawings)
            finally:
                loaded.close()
        except (OSError, ValueError) as exc:  # no ink source: the words' reading stays
            logger.warning("Signature zones of page %s of document %s not read: %s", page.number, ctx.document.pk, exc)
    return sources
