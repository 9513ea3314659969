"""Stage ``ocr``: pages without a usable text layer (scans, photos) are read by the configured
OCR engine, turned upright first when needed; image blocks inside text pages are read too."""
from __future__ import annotations

from PIL import Image

from documents.models import Page

from extraction.engines import OcrEngineError, OcrEngineUnavailable, get_ocr_engine
from extraction.engines.base import OcrEngine, OcrResult, centre_inside, clamp_bbox, text_from_words
from extraction.engines.bands import invert_dark_bands
from extraction.engines.combs import compact_combs
from extraction.engines.leaders import without_dot_leaders
from extraction.engines.lighting import even_lighting, stretched_contrast
from extraction.engines.margins import with_margins_read
from extraction.engines.struck import with_struck_lines_read
from extraction.types import Word

from .base import Stage, StageError, TransientStageError
from .registry import register
from .rendering import image_dpi, image_frames, ocr_dpi, render_pdf_page, store_page_image

# Below this mean word confidence (or with sideways text) the page may be turned: ask the
# engine's orientation detection and keep the better reading.
ORIENTATION_CHECK_CONFIDENCE = 0.7
REGION_MARGIN = 0.01
MIN_REGION_PIXELS = 24
# Images of unknown resolution: assume a phone photo or scan at this dpi.
ASSUMED_IMAGE_DPI = 200
# A scanned PDF page is rendered at its scan's own resolution (measured: a 150–200 dpi
# scan upsampled to 300 dpi reads worse and twice as slowly), within these bounds.
MIN_SCAN_DPI = 150

NO_TEXT_MESSAGE = (
    "aucun texte lisible n'a été trouvé dans ce fichier. S'il s'agit d'un document, déposez un scan "
    "net (300 dpi) ou une photo prise bien à plat ; s'il s'agit d'une photo, déclarez-la comme « Photo »."
)


def looks_blank(image: Image.Image) -> bool:
    """No ink at all (a blank back of a double-sided scan, a separator sheet): nothing to read."""
    small = image.convert("L")
    small.thumbnail((600, 600))
    # One short line of small print on an A4 page is about 0.0006 of the pixels; a blank
    # page 0 (a speckled one more, and is read: better slow than missing a word).
    dark = sum(small.histogram()[:180])
    return dark <= 0.0001 * small.width * small.height


def prepared_for_ocr(image: Image.Image) -> Image.Image:
    """The page as the engine is given it: a photo's shadow flattened, light letters on dark
    bands turned dark, a faded page's grey levels stretched, comb fields' boxes and dotted leaders
    taken away; the page itself kept as it is."""
    return without_dot_leaders(compact_combs(stretched_contrast(even_lighting(invert_dark_bands(image)))))


def read_prepared(engine: OcrEngine, reading: Image.Image, dpi: int | None) -> OcrResult:
    """The engine's reading of a page prepared for it (``prepared_for_ocr``), the lines a rule runs
    through and the margins' sideways text read again (``extraction.engines.struck``, ``.margins``)."""
    result = with_struck_lines_read(engine, reading, engine.recognise(reading, dpi=dpi), dpi)
    return with_margins_read(engine, reading, result, dpi)


def read_upright(engine: OcrEngine, image: Image.Image, dpi: int | None) -> tuple[OcrResult, Image.Image]:
    """Read ``image``; when the reading is poor or the text runs sideways, try it turned upright.

    A blank page is not sent to the engine at all; an unevenly lit one (a phone photo) is read
    with its lighting evened out (``extraction.engines.lighting``), its dark bands' light letters made
    dark (``extraction.engines.bands``), a form's comb fields with their characters side by side
    (``extraction.engines.combs``)."""
    if looks_blank(image):
        return OcrResult(words=[], text="", engine=engine.label, details={"blank": True}), image
    reading = prepared_for_ocr(image)
    result = read_prepared(engine, reading, dpi)
    sideways = result.looks_sideways(image.width, image.height)
    if len(result.words) >= 3 and (sideways or result.mean_confidence < ORIENTATION_CHECK_CONFIDENCE):
        rotation = engine.detect_rotation(reading)
        if rotation:
            turned = image.rotate(-rotation, expand=True)  # PIL turns counter-clockwise
            second = engine.recognise(reading.rotate(-rotation, expand=True), dpi=dpi)
            if second.quality >= result.quality * (0.9 if sideways else 1.0):
                second.rotation = rotation
                return second, turned
    return result, image


def scan_dpi(pdf, index: int, ceiling: int) -> int:
    """The resolution of the scan filling page ``index`` (its largest image), within
    [MIN_SCAN_DPI, ceiling]; ``ceiling`` when the page is not one big image."""
    import pypdfium2.raw as pdfium_c

    page = pdf[index]
    try:
        width_pt, height_pt = page.get_size()
        largest = None
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            left, bottom, right, top = obj.get_bounds()
            area = (right - left) * (top - bottom)
            if largest is None or area > largest[0]:
                largest = (area, obj.get_px_size(), max(right - left, top - bottom))
        if largest is None or largest[0] < 0.5 * width_pt * height_pt or largest[2] <= 0:
            return ceiling
        native = max(largest[1]) / (largest[2] / 72.0)
    finally:
        page.close()
    return int(min(max(round(native), MIN_SCAN_DPI), ceiling))


@register
class OcrStage(Stage):
    """OCR of the pages the text stage could not read, through the configured engine.

    Takes an uploaded document whose pages exist. Guarantees each page without a text layer
    gets words (relative boxes, engine confidences), text, its OCR confidence, the rotation
    applied and a stored upright viewer image; text pages with large images get the words
    found only inside those images added. Raises StageError ``ocr_unavailable`` when no
    engine can run here, ``no_text`` when nothing at all could be read (unless the file
    was declared as a photo).
    """

    name = "ocr"
    label = "reconnaissance de caractères (OCR)"
    order = 20

    def able_to_run(self, ctx) -> bool:
        if ctx.document.parent_id is not None:
            return False
        return bool(ctx.ocr_regions) or any(not page.text_source for page in ctx.pages())

    def run(self, ctx):
        try:
            engine = get_ocr_engine()
        except OcrEngineUnavailable as exc:
            raise StageError(str(exc), code="ocr_unavailable") from exc
        pages = {p.number: p for p in ctx.pages()}
        full = [n for n, p in sorted(pages.items()) if not p.text_source]
        details = {"engine": engine.label, "pages": full, "rotations": {}, "regions": {}, "dpi": {}}
        try:
            if ctx.is_pdf:
                pdf = ctx.pdfium_document()
                for number in full:
                    image, dpi = render_pdf_page(pdf, number - 1, scan_dpi(pdf, number - 1, ocr_dpi()))
                    self._read_page(ctx, engine, pages[number], image, dpi, details)
                for number, regions in sorted(ctx.ocr_regions.items()):
                    if number in pages and number not in full:
                        self._read_regions(ctx, engine, pages[number], regions, details)
            else:
                with ctx.open_image() as opened:
                    for index, frame in image_frames(opened):
                        page = pages.get(index + 1)
                        if page is not None and not page.text_source:
                            page.width, page.height = frame.size
                            self._read_page(ctx, engine, page, frame, image_dpi(opened) or ASSUMED_IMAGE_DPI, details)
        except OcrEngineUnavailable as exc:
            raise StageError(str(exc), code="ocr_unavailable") from exc
        except OcrEngineError as exc:
            raise TransientStageError(str(exc)) from exc
        ctx.ocr_regions.clear()
        ctx._contents = None  # the pages' words changed
        declared_photo = ctx.document.declared_type_id and ctx.document.declared_type.code == "photo"
        if not any(p.words for p in pages.values()) and not declared_photo:
            raise StageError(NO_TEXT_MESSAGE, code="no_text", details=details)
        return details

    def _read_page(self, ctx, engine, page: Page, image: Image.Image, dpi: int | None, details: dict) -> None:
        details["dpi"][str(page.number)] = dpi
        result, upright = read_upright(engine, image, dpi)
        page.words = [w.as_json() for w in result.words]
        page.text = result.text
        page.has_text_layer = False
        page.text_source = f"ocr:{engine.name}"
        page.ocr_confidence = round(result.mean_confidence, 4) if result.words else None
        page.rotation = result.rotation
        if result.rotation in (90, 270):
            page.width, page.height = page.height, page.width
        store_page_image(ctx, page, upright, dpi)
        page.save(update_fields=["words", "text", "has_text_layer", "text_source", "ocr_confidence", "rotation",
                                 "width", "height", "image"])
        if result.rotation:
            details["rotations"][str(page.number)] = result.rotation

    def _read_regions(self, ctx, engine, page: Page, regions, details: dict) -> None:
        image, dpi = render_pdf_page(ctx.pdfium_document(), page.number - 1, ocr_dpi())
        existing = [Word.from_json(w) for w in page.words]
        existing_boxes = [w.bbox for w in existing]
        added: list[Word] = []
        for x0, y0, x1, y1 in regions:
            x0, y0 = max(x0 - REGION_MARGIN, 0.0), max(y0 - REGION_MARGIN, 0.0)
            x1, y1 = min(x1 + REGION_MARGIN, 1.0), min(y1 + REGION_MARGIN, 1.0)
            box = (int(x0 * image.width), int(y0 * image.height), int(x1 * image.width), int(y1 * image.height))
            if box[2] - box[0] < MIN_REGION_PIXELS or box[3] - box[1] < MIN_REGION_PIXELS:
                continue
            result = engine.recognise(image.crop(box), dpi=dpi)
            for word in result.words:
                mapped = Word(
                    text=word.text,
                    conf=word.conf,
                    bbox=clamp_bbox(x0 + word.bbox[0] * (x1 - x0), y0 + word.bbox[1] * (y1 - y0),
                                    x0 + word.bbox[2] * (x1 - x0), y0 + word.bbox[3] * (y1 - y0)),
                )
                if not centre_inside(mapped, existing_boxes):
                    added.append(mapped)
        details["regions"][str(page.number)] = len(added)
        if added:
            words = existing + added
            page.words = [w.as_json() for w in words]
            page.text = text_from_words(words)
            page.text_source = f"text_layer+ocr:{engine.name}"
            page.ocr_confidence = round(sum(w.conf for w in added) / len(added), 4)
            page.save(update_fields=["words", "text", "text_source", "ocr_confidence"])
