"""Lines of text a rule runs through are read again on their own (extraction.engines.struck):
a form's frame drawn short across its last line, on a tilted scan (office dev 1436)."""
import pytest
from PIL import Image, ImageDraw, ImageFont

from extraction.corpus.reading import tesseract_available
from extraction.engines.struck import struck_rules, with_struck_lines_read
from extraction.engines.tesseract import TesseractEngine

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="Tesseract is not installed")


def _form(struck: bool, tilt: float = 1.5) -> Image.Image:
    """A section of a form at 200 dpi: three lines in a frame whose bottom edge runs through the
    last one (or under it)."""
    image = Image.new("L", (1654, 900), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 30)
    draw.text((160, 200), "Date d'engagement de l'opération : 05/09/2023", font=font, fill=0)
    draw.text((160, 280), "Date d'achèvement des travaux : 11/10/2023", font=font, fill=0)
    draw.text((160, 360), "N° de la facture : FAC008555", font=font, fill=0)
    bottom = 378 if struck else 420
    draw.rectangle((130, 150, 1500, bottom), outline=0, width=3)
    return image.rotate(tilt, resample=Image.BICUBIC, fillcolor=255) if tilt else image


def test_a_rule_through_a_line_of_text_is_found_one_under_it_is_not():
    assert len(struck_rules(_form(struck=True))) == 1
    assert struck_rules(_form(struck=False)) == []


@needs_tesseract
def test_the_struck_line_is_read_again_and_the_rest_of_the_page_kept():
    image = _form(struck=True)
    engine = TesseractEngine(lang="fra")
    first = engine.recognise(image, dpi=200)
    result = with_struck_lines_read(engine, image, first, dpi=200)
    assert "facture" not in first.text  # read with the rule through it, the line was noise
    assert "facture" in result.text and "08555" in result.text
    assert "05/09/2023" in result.text and "11/10/2023" in result.text
    assert result.details.get("struck_lines") == 1


def test_a_word_the_page_read_surer_at_the_same_place_is_kept_over_the_strip_s():
    """The strip reads the label the rule ran through; the value the rule only touched loses the
    foot of a digit there (« F2026-2524 ») where the page read it right, and surer."""
    from extraction.engines.struck import _surer_of_each
    from extraction.types import Word

    page = [Word("N°-de-te-facture-", (0.092, 0.573, 0.211, 0.583), 0.28), Word("F2025-2524", (0.241, 0.571, 0.349, 0.58), 0.91)]
    strip = [Word("N°", (0.092, 0.573, 0.107, 0.581), 0.94), Word("de", (0.114, 0.573, 0.13, 0.581), 0.94),
             Word("la", (0.137, 0.573, 0.147, 0.582), 0.85), Word("facturé", (0.154, 0.574, 0.203, 0.583), 0.75),
             Word("F2026-2524", (0.241, 0.572, 0.349, 0.579), 0.79)]
    assert [w.text for w in _surer_of_each(strip, page)] == ["N°", "de", "la", "facturé", "F2025-2524"]
    # a page word standing over several of the strip's is no twin of any of them
    assert [w.text for w in _surer_of_each(strip[:4], [Word("N°-de-la-facture", (0.092, 0.573, 0.203, 0.583), 0.99)])] == \
        ["N°", "de", "la", "facturé"]
