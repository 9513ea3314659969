"""Page images: rendered once per page, at a bounded size, stored for the viewer.

Text-layer pages are rendered at ``CEE_PAGE_IMAGE_DPI`` (the viewer's resolution); pages
that need OCR are rendered at ``CEE_OCR_DPI`` and that same image, turned upright and
scaled down, becomes the viewer's image. Rendering is capped in pixels so an absurd page
size (a 5-metre poster) cannot exhaust memory.
"""
from __future__ import annotations

import contextlib
import io

import pypdfium2.raw as pdfium_c
from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from documents import conf as documents_conf
from documents.models import Page

VIEWER_JPEG_QUALITY = 80
VIEWER_MAX_SIDE = 2400


def viewer_dpi() -> int:
    return int(settings.CEE_PAGE_IMAGE_DPI)


def ocr_dpi() -> int:
    return int(settings.CEE_OCR_DPI)


def render_pdf_page(pdf, index: int, dpi: int, *, page=None) -> tuple[Image.Image, int]:
    """Page ``index`` of a pypdfium2 document as an RGB image of its own (``/Rotate`` applied).

    Returns the image and the dpi it was really rendered at (lower when the page is so large
    that ``dpi`` would exceed ``CEE_MAX_IMAGE_PIXELS``). ``page``: the page already loaded.
    """
    with rendered_pdf_page(pdf, index, dpi, page=page) as (image, real_dpi):
        return image.convert("RGB"), real_dpi


@contextlib.contextmanager
def rendered_pdf_page(pdf, index: int, dpi: int, *, page=None):
    """Page ``index`` rendered, as ``render_pdf_page``, but as an RGBX image that shares
    pdfium's buffer (no copy): valid inside the block only. Yields (image, real dpi).

    ``page``: the page already loaded (a caller reading its text layer first); else it is
    loaded here and closed after.
    """
    loaded = page if page is not None else pdf[index]
    bitmap = None
    try:
        width_pt, height_pt = loaded.get_size()
        scale = dpi / 72.0
        pixels = (width_pt * scale) * (height_pt * scale)
        limit = documents_conf.max_image_pixels()
        if pixels > limit:
            scale *= (limit / pixels) ** 0.5
        # BGRx with the bytes reversed is RGBX, which PIL maps without copying (it copies RGB).
        bitmap = loaded.render(scale=scale, may_draw_forms=True, rev_byteorder=True,
                               force_bitmap_format=pdfium_c.FPDFBitmap_BGRx)
        yield bitmap.to_pil(), max(int(round(scale * 72)), 1)
    finally:
        if bitmap is not None:
            bitmap.close()
        if page is None:
            loaded.close()


def image_frames(image: Image.Image):
    """Each frame of an opened image file as an upright RGB image (EXIF orientation applied)."""
    frames = getattr(image, "n_frames", 1) if image.format == "TIFF" else 1
    for index in range(frames):
        image.seek(index)
        yield index, flatten_to_rgb(ImageOps.exif_transpose(image.copy()))


def flatten_to_rgb(image: Image.Image) -> Image.Image:
    """RGB on a white background (transparent scans turn black otherwise)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode == "1" or image.mode.startswith("I;16") or image.mode in ("I", "F"):
        image = image.convert("L")
    return image.convert("RGB") if image.mode != "RGB" else image


def image_dpi(image: Image.Image) -> int | None:
    dpi = image.info.get("dpi")
    try:
        value = int(round(float(dpi[0]))) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    return value if 50 <= value <= 1200 else None


def viewer_jpeg(image: Image.Image, source_dpi: int | None) -> bytes:
    """The viewer's image: scaled down to the viewer dpi (or a maximum side), JPEG."""
    target = viewer_dpi()
    scale = min(1.0, target / source_dpi) if source_dpi else 1.0
    scale = min(scale, VIEWER_MAX_SIDE / max(image.size))
    if scale < 0.999:
        image = image.resize((max(int(image.width * scale), 1), max(int(image.height * scale), 1)), Image.BILINEAR)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=VIEWER_JPEG_QUALITY)
    return buffer.getvalue()


def store_page_image(ctx, page: Page, image: Image.Image, source_dpi: int | None) -> None:
    """Save the viewer image of ``page`` (not the row) and register the file on the context."""
    page.image.save("page.jpg", ContentFile(viewer_jpeg(image, source_dpi)), save=False)
    ctx.remember_file(page.image.storage, page.image.name)
