"""Comb fields (one character a box) are made readable before OCR (extraction.engines.combs):
the boxes are taken away and the characters set side by side, the « / » between a date's combs
kept; pages without combs, tables, checkboxes and underlines are left as they are."""
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extraction.corpus.reading import tesseract_available
from extraction.engines.combs import compact_combs
from extraction.engines.tesseract import TesseractEngine

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
LABEL_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="Tesseract is not installed")


def _comb(draw, x: int, y: int, text: str, box: int = 33, height: int = 42) -> int:
    """``text`` one character a box from (x, y); the x after the comb."""
    font = ImageFont.truetype(FONT, 28)
    draw.rectangle((x, y, x + box * len(text), y + height), outline=0, width=2)
    for i, ch in enumerate(text):
        draw.line((x + box * i, y, x + box * i, y + height), fill=0, width=2)
        draw.text((x + box * i + 8, y + 5), ch, font=font, fill=0)
    return x + box * len(text)


def _form() -> Image.Image:
    """An A4 page at 200 dpi: a postal code, a SIRET and a date in combs, a checkbox, a table."""
    image = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(image)
    label = ImageFont.truetype(LABEL_FONT, 30)
    draw.text((150, 300), "Code postal :", font=label, fill=0)
    _comb(draw, 400, 292, "72000")
    draw.text((150, 400), "N° SIRET :", font=label, fill=0)
    _comb(draw, 400, 392, "67580341510015")
    draw.text((150, 500), "Date d'engagement :", font=label, fill=0)
    x = _comb(draw, 520, 492, "14")
    draw.text((x + 6, 496), "/", font=label, fill=0)
    x = _comb(draw, x + 30, 492, "09")
    draw.text((x + 6, 496), "/", font=label, fill=0)
    _comb(draw, x + 30, 492, "2023")
    draw.rectangle((150, 600, 180, 630), outline=0, width=2)  # a checkbox
    draw.text((195, 598), "propriétaire occupant", font=label, fill=0)
    for row in range(4):  # a table
        draw.line((150, 800 + row * 60, 1500, 800 + row * 60), fill=0, width=2)
    for column in (150, 700, 1100, 1500):
        draw.line((column, 800, column, 980), fill=0, width=2)
    return image


def _lines(image: Image.Image) -> list[str]:
    return TesseractEngine(lang="fra").recognise(image, dpi=200).text.splitlines()


def test_a_page_without_combs_is_left_as_it_is():
    image = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(image)
    draw.text((150, 300), "Facture n° FA-2025-0412", font=ImageFont.truetype(LABEL_FONT, 30), fill=0)
    draw.rectangle((150, 600, 180, 630), outline=0, width=2)
    draw.line((150, 700, 1500, 700), fill=0, width=2)
    assert compact_combs(image) is image


def test_only_the_combs_change():
    image = _form()
    out = np.asarray(compact_combs(image))
    before = np.asarray(image)
    changed = np.argwhere(out != before)
    assert changed.size
    assert changed[:, 0].min() >= 290 and changed[:, 0].max() <= 540  # the three comb lines, nothing else
    assert (out[590:1000] == before[590:1000]).all()  # the checkbox and the table are untouched


@needs_tesseract
def test_the_characters_of_combs_are_read_as_words():
    text = "\n".join(_lines(compact_combs(_form())))
    assert "72000" in text
    assert "67580341510015" in text
    assert "14/09/2023" in text.replace(" ", "")
