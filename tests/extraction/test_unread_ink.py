"""Ink a page reading left unread is read a second time (extraction.engines.unread, TesseractEngine).

Tesseract's page layout analysis drops paragraphs next to ruled grids or inside frames; the
engine finds the characters no word covers (rules, frames and signatures are no characters)
and reads only them again."""
from pathlib import Path
from random import Random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extraction.corpus.generate import CorpusOptions, generate_corpus
from extraction.corpus.reading import tesseract_available
from extraction.corpus.scan import degrade, render_pages
from extraction.engines.lighting import even_lighting
from extraction.engines.tesseract import TesseractEngine
from extraction.engines.unread import unread_ink, unread_ink_image
from extraction.types import Word

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LINES = ["Devis pour Madame Odile Perrin", "Nous attestons sur l'honneur", "Fait à Chambéry le 26/11/2025"]
needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="Tesseract is not installed")


def _page() -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    """An A4 page at 200 dpi: three lines of text, a ruled grid, a framed box and a scribble;
    and each line's pixel box."""
    image = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 34)
    boxes = []
    for index, line in enumerate(LINES):
        xy = (160, 300 + index * 160)
        draw.text(xy, line, font=font, fill=0)
        boxes.append(draw.textbbox(xy, line, font=font))
    for row in range(5):  # an empty grid
        draw.line((160, 900 + row * 60, 1500, 900 + row * 60), fill=0, width=3)
    for column in (160, 600, 1000, 1500):
        draw.line((column, 900, column, 1140), fill=0, width=3)
    draw.rectangle((160, 1300, 900, 1500), outline=0, width=3)  # a signature box
    points = [(300 + i * 9, 1400 + int(60 * np.sin(i / 3.0))) for i in range(50)]
    draw.line(points, fill=0, width=5)  # the signature
    return image, boxes


def _words(boxes, image) -> list[Word]:
    w, h = image.size
    return [Word(text=t, bbox=(b[0] / w, b[1] / h, b[2] / w, b[3] / h), conf=0.95) for t, b in zip(LINES, boxes)]


def test_text_no_word_covers_is_found_and_rules_frames_and_signatures_are_not():
    image, boxes = _page()
    unread = unread_ink(image, _words(boxes, image)[:1])  # the first line was read, the others not
    assert unread is not None
    scale = unread.scale
    found = [(x0 * scale, y0 * scale, x1 * scale, y1 * scale) for x0, y0, x1, y1 in unread.boxes]
    for line in boxes[1:]:
        assert any(f[0] <= line[0] + 10 and f[2] >= line[2] - 10 and f[1] <= line[3] and f[3] >= line[1] for f in found)
    assert all(f[1] > boxes[0][3] for f in found)  # nothing of the line read
    assert all(f[3] < 900 for f in found)  # the grid, the box and the signature are no text
    canvas = np.asarray(unread_ink_image(image, unread))
    assert (canvas[300:340, 160:800] < 128).sum() == 0  # the line read is erased
    assert (canvas[460:500, 160:800] < 128).sum() > 500  # the unread line is shown
    assert (canvas[880:1500] < 128).sum() == 0  # no rule, frame or scribble


def test_a_fully_read_page_needs_no_second_reading():
    image, boxes = _page()
    assert unread_ink(image, _words(boxes, image)) is None


@needs_tesseract
def test_the_engine_reads_the_lines_its_first_reading_left():
    image, boxes = _page()
    engine = TesseractEngine(lang="fra")
    arguments = ["-l", "fra", "--psm", "3", "--oem", "1", "--dpi", "200"]
    (kept, _), (added, _) = engine._read_unread(image, _words(boxes, image)[:1], [(1,)], arguments, threads=1,
                                                timeout=60)
    assert [w.text for w in kept] == [LINES[0]]  # kept as it was
    assert {"attestons", "l'honneur", "Chambéry", "26/11/2025"} <= {w.text for w in added}
    # A doubtful first reading of an unread line gives way to the second reading.
    doubtful = Word(text="Nou5", bbox=_words(boxes, image)[1].bbox, conf=0.1)
    (kept, _), (added, _) = engine._read_unread(image, [*_words(boxes, image)[:1], doubtful], [(1,), (2,)],
                                                arguments, threads=1, timeout=60)
    assert [w.text for w in kept] == [LINES[0]] and "attestons" in [w.text for w in added]


@needs_tesseract
def test_a_scanned_attestation_keeps_the_paragraph_under_its_framed_part(tmp_path: Path):
    """Office dev seed 1400: Tesseract's layout analysis drops the sworn statement under the
    framed « Description de l'opération » and the place it was signed at."""
    manifest = generate_corpus(tmp_path, CorpusOptions(dossiers=4, seed=1400, family="office", scanned_ratio=0.0))
    name = next(f["file"] for f in manifest["files"] if f["file"] == "dossier_0004/attestation_honneur.pdf")
    (page, *_) = render_pages((tmp_path / name).read_bytes(), 200)
    scan = even_lighting(degrade(page, Random(name)))
    result = TesseractEngine(lang="fra").recognise(scan, dpi=200)
    assert result.details.get("second_pass_words", 0) > 0
    assert {"attestons", "l'honneur", "Dax"} <= {w.text for w in result.words}
    # Tesseract's own lines stay whole in the page's text, the lines read again placed among them.
    lines = result.text.splitlines()
    assert "ATTESTATION SUR L'HONNEUR" in result.text
    assert lines.index(next(t for t in lines if "attestons" in t)) > lines.index(next(t for t in lines if "Description" in t))


def test_a_doubtful_reading_gives_way_only_to_a_second_reading_of_all_of_it():
    """The certificate's « 10/06/2014 » read at confidence 0 and read again as « 014 » stays."""
    from extraction.engines.tesseract import _covered

    doubtful = Word(text="10/06/2014", bbox=(0.382, 0.743, 0.453, 0.759), conf=0.0)
    assert not _covered(doubtful, [Word(text="014", bbox=(0.430, 0.743, 0.453, 0.759), conf=0.97)])
    assert _covered(doubtful, [Word(text="10/06", bbox=(0.382, 0.743, 0.415, 0.759), conf=0.9),
                               Word(text="/2014", bbox=(0.415, 0.743, 0.453, 0.759), conf=0.9)])
