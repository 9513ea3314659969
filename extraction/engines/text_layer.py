"""Text-layer readers: the words a born-digital PDF page already holds, with their boxes.

Two readers share one output (``TextLayerPage``): ``pdfium`` (pypdfium2, the PDF engine
pdfplumber renders with; the default, ~10 ms for a dense page) and ``pdfplumber``
(pdfminer.six; same words, but 10–20× slower on dense pages because it parses every
character in Python). Choose with ``settings.CEE_TEXT_LAYER_ENGINE``. Boxes are relative to
the page as displayed (``/Rotate`` applied), origin top-left.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterator

from django.conf import settings

from documents.conf import text_layer_engine
from extraction.types import Word

from .base import clamp_bbox, text_from_words

DEFAULT_MIN_TEXT_CHARS = 10
# Pages whose images cover more than this share of the page are OCR'd too: a text layer
# can sit beside a scanned block (a typed header over a scanned form).
DEFAULT_IMAGE_COVERAGE_FOR_OCR = 0.3
DEFAULT_MIN_OCR_IMAGE_AREA = 0.01


@dataclass
class TextLayerPage:
    number: int  # 1-based
    width: float  # points, as displayed
    height: float
    rotation: int  # the page's /Rotate
    words: list[Word] = field(default_factory=list)
    text: str = ""
    image_coverage: float = 0.0  # share of the page area covered by images
    image_regions: list[tuple[float, float, float, float]] = field(default_factory=list)  # relative boxes

    def usable(self) -> bool:
        """Enough real characters to trust the layer (not a scan with a stray header)."""
        minimum = int(getattr(settings, "CEE_MIN_TEXT_LAYER_CHARS", DEFAULT_MIN_TEXT_CHARS))
        characters = "".join(w.text for w in self.words)
        good = sum(1 for ch in characters if ch.isalnum())
        broken = characters.count("\ufffd") + characters.count("(cid:") * 6 + sum(
            1 for ch in characters if unicodedata.category(ch) in ("Co", "Cn")
        )
        return good >= minimum and broken <= 0.2 * max(len(characters), 1)

    def ocr_regions(self) -> list[tuple[float, float, float, float]]:
        """Image blocks of a text page worth reading (text may exist only inside them).

        The whole page when images cover most of it; otherwise each image of at least
        ``CEE_MIN_OCR_IMAGE_AREA`` of the page (1 %: stamps, pasted scans — not bullets).
        """
        threshold = float(getattr(settings, "CEE_IMAGE_COVERAGE_FOR_OCR", DEFAULT_IMAGE_COVERAGE_FOR_OCR))
        if self.image_coverage > threshold:
            return [(0.0, 0.0, 1.0, 1.0)]
        minimum = float(getattr(settings, "CEE_MIN_OCR_IMAGE_AREA", DEFAULT_MIN_OCR_IMAGE_AREA))
        return [r for r in self.image_regions if (r[2] - r[0]) * (r[3] - r[1]) >= minimum]


def text_layer_engine_name() -> str:
    """``CEE_TEXT_LAYER_ENGINE``, read where ingest reads it too (documents.conf)."""
    return text_layer_engine()


def text_layer_engine_label(name: str | None = None) -> str:
    return _engine_label(name or text_layer_engine_name())


@functools.lru_cache(maxsize=4)
def _engine_label(name: str) -> str:
    if name == "pdfplumber":
        import pdfplumber

        return f"pdfplumber {pdfplumber.__version__}"
    import pypdfium2

    return f"pdfium {pypdfium2.version.PYPDFIUM_INFO}"


def read_text_layer(data: bytes, *, pdfium_document=None, engine: str | None = None) -> list[TextLayerPage]:
    """Every page of the PDF ``data`` with its text-layer words (possibly none)."""
    engine = engine or text_layer_engine_name()
    if engine == "pdfplumber":
        return _read_with_pdfplumber(data)
    if engine != "pdfium":
        raise ValueError(f"Unknown text-layer engine {engine!r} (pdfium, pdfplumber)")
    import pypdfium2

    document = pdfium_document or pypdfium2.PdfDocument(data)
    try:
        return [layer for layer, _ in pdfium_pages(document)]
    finally:
        if pdfium_document is None:
            document.close()


def pdfium_pages(document) -> Iterator[tuple[TextLayerPage, Any]]:
    """Each page of a pypdfium2 document: its text layer and the loaded pdfium page, which
    stays open until the next one is asked for (a caller renders it without loading and
    parsing it a second time)."""
    for index in range(len(document)):
        page = document[index]
        try:
            yield _pdfium_page(page, index), page
        finally:
            page.close()


def _display_mapper(left, bottom, right, top, rotation):
    """Maps a point in PDF user space to (u, v) relative to the displayed page, origin top-left."""
    width, height = (right - left) or 1.0, (top - bottom) or 1.0
    if rotation == 90:
        return lambda x, y: ((y - bottom) / height, (x - left) / width)
    if rotation == 180:
        return lambda x, y: ((right - x) / width, (y - bottom) / height)
    if rotation == 270:
        return lambda x, y: ((top - y) / height, (right - x) / width)
    return lambda x, y: ((x - left) / width, (top - y) / height)


def _pdfium_page(page, index: int) -> TextLayerPage:
    """The text layer of a loaded pdfium page (``index``: its position, from 0)."""
    import pypdfium2.raw as pdfium_c

    rotation = page.get_rotation() % 360
    left, bottom, right, top = page.get_cropbox()
    width, height = right - left, top - bottom
    shown_width, shown_height = (height, width) if rotation in (90, 270) else (width, height)
    to_display = _display_mapper(left, bottom, right, top, rotation)
    result = TextLayerPage(number=index + 1, width=shown_width, height=shown_height, rotation=rotation)

    covered = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        o_left, o_bottom, o_right, o_top = obj.get_bounds()
        w = max(0.0, min(o_right, right) - max(o_left, left))
        h = max(0.0, min(o_top, top) - max(o_bottom, bottom))
        if w * h > 0:
            covered += w * h
            u0, v0 = to_display(max(o_left, left), min(o_top, top))
            u1, v1 = to_display(min(o_right, right), max(o_bottom, bottom))
            result.image_regions.append(clamp_bbox(u0, v0, u1, v1))
    result.image_coverage = min(covered / max(width * height, 1.0), 1.0)

    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return result
        text = textpage.get_text_range(0, count)
        if len(text) != count:  # surrogate pairs or odd fonts: fall back to one call per char
            text = "".join(textpage.get_text_range(i, 1) or " " for i in range(count))
        result.words = without_glued_dates(_words_from_chars(text, textpage, to_display))
    finally:
        textpage.close()
    result.text = text_from_words(result.words)
    return result


def _words_from_chars(text: str, textpage, to_display) -> list[Word]:
    """Words from pdfium's characters: split at whitespace, line changes and wide gaps.

    Calls pdfium's loose-box function directly with one reused rectangle, read in one
    unpacking, and compares with conditional expressions rather than min()/max() calls:
    this loop runs once per character and dominates the text stage.
    """
    import ctypes
    import struct

    import pypdfium2.raw as pdfium_c

    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    read_rect = functools.partial(struct.Struct("ffff").unpack_from, memoryview(rect).cast("B"))  # left, top, right, bottom
    raw = textpage.raw
    loose_box = pdfium_c.FPDFText_GetLooseCharBox
    words: list[Word] = []
    chars: list[str] = []
    x0 = y0 = x1 = y1 = 0.0
    for index, char in enumerate(text):
        if char.isspace() or char in "\x02\x00":
            if chars:
                words.append(_word(chars, (x0, y0, x1, y1), to_display))
                chars = []
            continue
        loose_box(raw, index, rect_ref)
        c_left, c_top, c_right, c_bottom = read_rect()
        if chars:
            height, c_height = y1 - y0, c_top - c_bottom
            line_height = c_height if c_height > height else height
            if 1.0 > line_height:
                line_height = 1.0
            overlap = (c_top if c_top < y1 else y1) - (c_bottom if c_bottom > y0 else y0)
            gap = c_left - x1
            # pdfium inserts spaces for gaps; this catches words placed side by side without one.
            if (overlap <= 0.3 * (c_height if c_height < height else height) or gap > 0.6 * line_height
                    or gap < -2 * line_height) and not _sideways_next(raw, index, (x0, y0, x1, y1), (c_left, c_bottom, c_right, c_top)):
                words.append(_word(chars, (x0, y0, x1, y1), to_display))
                chars = []
        if chars:
            if c_left < x0:
                x0 = c_left
            if c_bottom < y0:
                y0 = c_bottom
            if c_right > x1:
                x1 = c_right
            if c_top > y1:
                y1 = c_top
        else:
            x0, y0, x1, y1 = c_left, c_bottom, c_right, c_top
        chars.append(char)
    if chars:
        words.append(_word(chars, (x0, y0, x1, y1), to_display))
    return words


SIDEWAYS_ANGLES = (math.pi / 2, 3 * math.pi / 2)


def _sideways_next(raw, index: int, box, char) -> bool:
    """Whether character ``index`` (its box ``char``: left, bottom, right, top) carries on the word
    in ``box`` down or up the page: text printed sideways (a margin's legal mentions turned a
    quarter), whose characters follow each other vertically in the same narrow column. Only asked
    where a horizontal reading would end the word, and the angle only where the boxes line up."""
    import pypdfium2.raw as pdfium_c

    x0, y0, x1, y1 = box
    c_left, c_bottom, c_right, c_top = char
    width = c_right - c_left
    if width <= 0 or min(c_right, x1) - max(c_left, x0) < 0.8 * max(width, x1 - x0):
        return False  # not the same column
    if min(abs(y0 - c_top), abs(c_bottom - y1)) > 0.3 * width:
        return False  # not the next character down or up
    angle = pdfium_c.FPDFText_GetCharAngle(raw, index)
    return any(abs(angle - a) < 0.1 for a in SIDEWAYS_ANGLES)


_GLUED_DATE_RE = re.compile(r"(.{4,}?[A-Za-z0-9])(\d{2})/(\d{2})/(\d{4})")


def without_glued_dates(words: list[Word]) -> list[Word]:
    """``words`` with a date the text layer glued to the end of the word before it cut off, as its
    own word: an identifier that overflows its table cell into the next one touches the date
    there (« CERTIBAT-RGE-899658 » | « 08/05/2022 » read « CERTIBAT-RGE-89965808/05/2022 »)."""
    out = []
    for word in words:
        match = _GLUED_DATE_RE.fullmatch(word.text) if len(word.text) > 14 and "/" in word.text else None
        if match is None or not _real_date(*match.group(2, 3, 4)):
            out.append(word)
            continue
        x0, y0, x1, y1 = word.bbox
        cut = x0 + (x1 - x0) * len(match.group(1)) / len(word.text)
        out.append(Word(match.group(1), (x0, y0, cut, y1), word.conf))
        out.append(Word(word.text[len(match.group(1)):], (cut, y0, x1, y1), word.conf))
    return out


def _real_date(day: str, month: str, year: str) -> bool:
    try:
        return 1900 < int(year) < 2200 and bool(dt.date(int(year), int(month), int(day)))
    except ValueError:
        return False


def _word(chars: list[str], box, to_display) -> Word:
    u0, v0 = to_display(box[0], box[3])
    u1, v1 = to_display(box[2], box[1])
    return Word(text=unicodedata.normalize("NFC", "".join(chars)), bbox=clamp_bbox(u0, v0, u1, v1), conf=1.0)


def _read_with_pdfplumber(data: bytes) -> list[TextLayerPage]:
    import pdfplumber

    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            width, height = float(page.width), float(page.height)
            result = TextLayerPage(number=page.page_number, width=width, height=height,
                                   rotation=int(page.rotation or 0) % 360)
            area = max(width * height, 1.0)
            covered = 0.0
            for image in page.images:
                x0, x1 = max(float(image["x0"]), 0.0), min(float(image["x1"]), width)
                y0, y1 = max(float(image["top"]), 0.0), min(float(image["bottom"]), height)
                if x1 > x0 and y1 > y0:
                    covered += (x1 - x0) * (y1 - y0)
                    result.image_regions.append(clamp_bbox(x0 / width, y0 / height, x1 / width, y1 / height))
            result.image_coverage = min(covered / area, 1.0)
            words, upward = [], []
            for w in page.extract_words(keep_blank_chars=False, return_chars=True):
                text = w["text"]
                # text turned to read bottom to top: pdfplumber reads its letters and words top down
                reads_up = not w.get("upright", True) and w["chars"] and w["chars"][0]["matrix"][1] > 0
                word = Word(text=unicodedata.normalize("NFC", text[::-1] if reads_up else text),
                            bbox=clamp_bbox(w["x0"] / width, w["top"] / height, w["x1"] / width, w["bottom"] / height),
                            conf=1.0)
                (upward if reads_up else words).append(word)
            result.words = without_glued_dates(words) + upward[::-1]
            result.text = text_from_words(result.words)
            pages.append(result)
            page.close()
    return pages
