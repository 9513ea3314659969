"""Dotted leaders between a form's captions and its values are taken away before OCR
(extraction.engines.leaders): the values are read alone, full stops and the dots of letters stay."""
from random import Random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extraction.corpus.reading import tesseract_available
from extraction.corpus.scan import degrade
from extraction.engines.leaders import without_dot_leaders
from extraction.engines.tesseract import TesseractEngine

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="Tesseract is not installed")


def _form(tilt: float = 0.0) -> Image.Image:
    """A software family's regulatory attestation as a 150 dpi scan shows it (software dev 1378):
    captions, a row of dots, the value; a sentence with its full stop and i's below."""
    image = Image.new("L", (1241, 1754), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 22)
    for y, caption, value, x_value in ((300, "Code postal :", "16000...", 520), (345, "Ville :", "Angoulême...", 900),
                                       (390, "Nom :", "GONCALVES...", 470)):
        draw.text((150, y), caption, font=font, fill=0)
        start = 150 + draw.textlength(caption + " ", font=font)
        x = start
        while x < x_value - 8:
            draw.ellipse((x, y + 19, x + 2.5, y + 21.5), fill=0)
            x += 6
        draw.text((x_value, y), value, font=font, fill=0)
    draw.text((150, 480), "Je certifie l'exactitude des informations. Fait à Lille.", font=font, fill=0)
    return image.rotate(tilt, resample=Image.BICUBIC, fillcolor=255) if tilt else image


@pytest.mark.parametrize("tilt", [0.0, 1.2])
def test_the_dots_between_captions_and_values_go_the_letters_and_full_stops_stay(tilt):
    page = _form(tilt)
    cleared = np.asarray(without_dot_leaders(page))
    before = np.asarray(page)
    assert (before[310:330, 300:460] < 150).sum() > 50  # the leader under « Code postal »'s row
    assert (cleared[310:330, 300:460] < 150).sum() == 0
    assert (cleared[480:520] < 150).sum() >= 0.97 * (before[480:520] < 150).sum()  # the sentence, its stops and i's


def test_a_page_without_leaders_is_left_as_it_is():
    image = Image.new("L", (1241, 1754), 255)
    ImageDraw.Draw(image).text((150, 300), "Facture n° 2024-118. Total : 1 250,00 € ... TTC",
                               font=ImageFont.truetype(FONT, 22), fill=0)
    assert without_dot_leaders(image) is image


@needs_tesseract
def test_the_values_a_scan_of_a_dotted_form_gives_are_read():
    scan = degrade(_form(0.8), Random(5))
    text = TesseractEngine(lang="fra").recognise(without_dot_leaders(scan), dpi=150).text
    # read with its dots, the scan lost « Ville » and « Nom » to them
    assert "Code postal : 16000" in text and "Nom : GONCALVES" in text and "Ville" in text
