"""Upload limits, each read from Django settings at call time (so tests can override them).

    CEE_MAX_UPLOAD_BYTES   largest accepted file: cee.uploads.max_file_bytes (shared with the
                           request limits of the portal and the API)
    CEE_MAX_PAGES          most pages (PDF pages or TIFF frames) in one file (200); more is
                           refused with ``too_many_pages`` rather than queued for minutes of work
    CEE_MAX_IMAGE_PIXELS   largest image or rendered page, in pixels (60 MP: an A4 page at
                           600 dpi is 35 MP); larger images are refused as decompression bombs
    CEE_MIN_IMAGE_SIDE     smallest accepted image side in pixels (100): icons and thumbnails
                           hold no readable document
    CEE_MIN_PDF_PAGE_SIDE  smallest accepted PDF page side in points (72, an inch): a receipt
                           is 160 wide, a business card 150; smaller pages hold no document
    CEE_TEXT_LAYER_ENGINE  the reader of PDF text layers, pdfium (default) or pdfplumber: a PDF
                           it cannot open is repaired or refused at upload (the extraction
                           pipeline reads the setting here too)
"""
from __future__ import annotations

from django.conf import settings

DEFAULT_MAX_IMAGE_PIXELS = 60_000_000
DEFAULT_MIN_IMAGE_SIDE = 100
DEFAULT_MAX_PAGES = 200
DEFAULT_MIN_PDF_PAGE_SIDE = 72
DEFAULT_TEXT_LAYER_ENGINE = "pdfium"


def max_pages() -> int:
    return int(getattr(settings, "CEE_MAX_PAGES", DEFAULT_MAX_PAGES))


def max_image_pixels() -> int:
    return int(getattr(settings, "CEE_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS))


def min_image_side() -> int:
    return int(getattr(settings, "CEE_MIN_IMAGE_SIDE", DEFAULT_MIN_IMAGE_SIDE))


def min_pdf_page_side() -> float:
    return float(getattr(settings, "CEE_MIN_PDF_PAGE_SIDE", DEFAULT_MIN_PDF_PAGE_SIDE))


def text_layer_engine() -> str:
    return str(getattr(settings, "CEE_TEXT_LAYER_ENGINE", DEFAULT_TEXT_LAYER_ENGINE))
