"""Text printed along a page's margin is read again turned upright (extraction.engines.margins):
a scanned invoice's legal mentions running up its left edge (platform dev 1533)."""
import pytest
from PIL import Image, ImageDraw, ImageFont

from extraction.corpus.reading import tesseract_available
from extraction.engines.margins import margin_strips, with_margins_read
from extraction.engines.tesseract import TesseractEngine
from extraction.extractors.layout import build_lines
from extraction.types import PageContent

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
MENTION = "ISOLATION LEFÈVRE – EURL au capital de 10 000 € – SIRET 526 655 006 10099 – RCS Lens"
needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="Tesseract is not installed")


def _invoice(angle: int) -> Image.Image:
    """An invoice's page at 200 dpi, the company's legal mentions printed along its left edge,
    turned ``angle`` degrees counter-clockwise (90: reading down the page, 270: up)."""
    image = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 34)
    for k, line in enumerate(["FACTURE N° F-2024-118", "Date : 12/03/2024", "Client : M. Jean DUPONT",
                              "12 rue des Lilas 69007 Lyon", "Isolation des combles perdus 79,00 m2",
                              "Total TTC : 3 128,00 €"]):
        draw.text((200, 300 + 80 * k), line, font=font, fill=0)
    small = ImageFont.truetype(FONT, 22)
    box = draw.textbbox((0, 0), MENTION, font=small)
    strip = Image.new("L", (box[2] + 10, box[3] + 10), 255)
    ImageDraw.Draw(strip).text((5, 5), MENTION, font=small, fill=0)
    image.paste(strip.rotate(angle, expand=True), (50, 400))
    return image


def _margin_lines(words, size) -> list[str]:
    page = PageContent(1, "", words, float(size[0]), float(size[1]), "ocr:tesseract")
    return [line.text for line in build_lines(words, page) if line.bbox[2] < 0.1]


@needs_tesseract
def test_legal_mentions_read_upside_down_along_the_margin_are_read_again_upright():
    image = _invoice(270)
    engine = TesseractEngine(lang="fra")
    first = engine.recognise(image, dpi=200)
    assert margin_strips(first.words, image.size)  # tall, narrow words near the edge
    assert not any("526 655 006 10099" in line for line in _margin_lines(first.words, image.size))
    result = with_margins_read(engine, image, first, dpi=200)
    assert result.details.get("margin_strips") == 1
    assert any("SIRET 526 655 006 10099" in line for line in _margin_lines(result.words, image.size))
    assert "Total TTC" in result.text and "DUPONT" in result.text  # the rest of the page as it was read


@needs_tesseract
def test_a_margin_the_page_reading_read_well_is_not_read_again():
    image = _invoice(90)
    engine = TesseractEngine(lang="fra")
    first = engine.recognise(image, dpi=200)
    assert with_margins_read(engine, image, first, dpi=200) is first


def test_only_tall_narrow_words_near_an_edge_make_a_strip():
    """A line of text starting at the margin, or a tall word in the page's body (a table's
    vertical heading), is no margin strip; two tall words one above the other at the edge are one."""
    from extraction.types import Word

    size = (1654, 2339)
    wide = [Word("Total", (0.03, 0.5, 0.08, 0.51), 0.9), Word("TTC", (0.085, 0.5, 0.11, 0.51), 0.9)]
    body = [Word("Désignation", (0.40, 0.3, 0.41, 0.36), 0.9)]
    assert margin_strips(wide + body, size) == []
    up = [Word("ISOLATION", (0.030, 0.16, 0.038, 0.20), 0.4), Word("SIRET", (0.031, 0.34, 0.039, 0.36), 0.4)]
    assert margin_strips(wide + body + up, size) == [(0.030, 0.039)]
