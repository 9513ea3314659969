"""Light letters on a dark band (an invoicing tool's header, a sidebar) are turned dark on light
before OCR (extraction.engines.bands); pages without such bands are left as they are."""
from random import Random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extraction.corpus.reading import tesseract_available
from extraction.corpus.scan import photograph
from extraction.engines.bands import invert_dark_bands
from extraction.engines.lighting import even_lighting
from extraction.engines.tesseract import TesseractEngine

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="Tesseract is not installed")


def _page(band: bool) -> Image.Image:
    """An A4 page at 200 dpi: a header (white on a dark band, lit unevenly, or black on white), a line of text."""
    image = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 34)
    if band:
        for x in range(1654):  # darker on the left, as a photo lights it
            draw.line((x, 0, x, 360), fill=40 + x * 90 // 1654)
    ink = 250 if band else 0
    draw.text((120, 130), "EXPERT ROUX", font=font, fill=ink)
    draw.text((120, 200), "SIRET 975 330 382 00097", font=font, fill=ink)
    draw.text((120, 600), "Objet : pompe à chaleur air/eau", font=font, fill=0)
    draw.rectangle((120, 900, 1500, 1100), outline=0, width=3)  # a frame is no band
    return image


def test_a_page_without_a_dark_band_is_left_as_it_is():
    image = _page(band=False)
    assert invert_dark_bands(image) is image


def test_the_band_turns_white_and_its_letters_dark():
    out = np.asarray(invert_dark_bands(_page(band=True)))
    assert np.median(out[:360]) > 200  # the band is paper now
    assert out[:360].min() < 100  # its letters are ink
    assert (out[400:] == np.asarray(_page(band=True))[400:]).all()  # the rest of the page is untouched


@needs_tesseract
@pytest.mark.parametrize("seed", [2, 3, 4])
def test_the_bands_letters_are_read_on_a_phone_photo(seed):
    """Photographed, the band is lit unevenly: without it turned negative first, Tesseract loses
    « SIRET … » (seeds 2, 3) or « EXPERT ROUX » (seed 4); the lighting is evened out after."""
    photo = photograph(_page(band=True), Random(seed))
    text = TesseractEngine(lang="fra").recognise(even_lighting(invert_dark_bands(photo)), dpi=200).text
    assert "EXPERT ROUX" in text
    assert "975 330 382 00097" in text


def _grey_page() -> Image.Image:
    """A phone photo's grey page (paper at 200, grey ink): a dark band with the company's name
    in white, and a letter's lines under it."""
    image = Image.new("L", (1654, 2339), 200)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 30)
    draw.rectangle((120, 100, 700, 260), fill=90)
    draw.text((180, 160), "FLAMME BLEUE", font=font, fill=235)
    for k, line in enumerate(["Objet : votre offre Prime Énergie Isolation", "M. et Mme René RIVIÈRE",
                              "122 chemin Marcel Pagnol", "33000 BORDEAUX", "Total de votre prime : 2 772,90 EUR"]):
        draw.text((120, 500 + 90 * k), line, font=font, fill=130)
    return image


def test_on_grey_paper_the_band_becomes_paper_of_the_same_grey():
    """A band made pure white on grey paper would be the page's brightest patch: the engine's
    single threshold, set between that white and the paper, reads the paper as ink."""
    page = _grey_page()
    out = np.asarray(invert_dark_bands(page))
    band = out[110:250, 130:690]
    assert abs(float(np.median(band)) - 200) <= 10
    assert band.min() < 120  # its letters are ink
    assert (out[400:] == np.asarray(page)[400:]).all()


@needs_tesseract
def test_a_grey_page_with_a_band_keeps_its_lines():
    text = TesseractEngine(lang="fra").recognise(even_lighting(invert_dark_bands(_grey_page())), dpi=200).text
    assert "FLAMME BLEUE" in text
    assert "122 chemin Marcel Pagnol" in text
    assert "2 772,90" in text
