"""Answer boxes drawn as vector paths before « Oui » and « Non » (a web form's printout): read as
the marks they show, on a PDF drawn here and read as the pipeline reads it."""
from __future__ import annotations

import io
from dataclasses import replace

import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extraction.corpus.evaluate import load_specs
from extraction.corpus.reading import ocr_image, pdf_pages, tesseract_available
from extraction.extractors.signatures import InkSource, pdf_page_drawings
from extraction.extractors.ticks import EMPTY, TICKED, drawn_marks, scanned_marks, with_drawn_marks
from extraction.fields import extract_fields
from extraction.reading import fixture_reading_data
from extraction.types import PageContent, Word

HEIGHT = A4[1]


def form(answer: bool | None, square: bool = False) -> bytes:
    """An attestation's statement over two radio buttons (or check boxes), ``answer`` ticked."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(40, HEIGHT - 50, "Attestation sur l'honneur")
    c.setFont("Helvetica", 9)
    c.drawString(40, HEIGHT - 200, "Le bâtiment est existant depuis plus de 2 ans à la date d'engagement de l'opération")
    for k, (text, value) in enumerate((("Oui", True), ("Non", False))):
        y = HEIGHT - 216 - 16 * k
        if square:
            c.rect(40, y - 1, 9, 9, stroke=1, fill=0)
            if answer is value:
                c.line(42, y + 3, 44, y + 1)
                c.line(44, y + 1, 48, y + 7)
        else:
            c.circle(44.5, y + 3.5, 5, stroke=1, fill=0)
            if answer is value:
                c.circle(44.5, y + 3.5, 2.6, stroke=0, fill=1)
        c.drawString(56, y, text)
    c.showPage()
    c.save()
    return out.getvalue()


def read(data: bytes, tmp_path) -> tuple[list, dict]:
    path = tmp_path / "attestation.pdf"
    path.write_bytes(data)
    pages = pdf_pages(path, engine="pdfium")
    pdf = pdfium.PdfDocument(data)
    sources = {1: InkSource(drawings=pdf_page_drawings(pdf[0]))}
    return pages, sources


@pytest.mark.parametrize("square", [False, True])
@pytest.mark.parametrize("answer, expected", [(True, "true"), (False, "false")])
def test_a_drawn_box_before_an_answer_is_read_as_its_mark(tmp_path, answer, expected, square):
    pages, sources = read(form(answer, square), tmp_path)
    marks = drawn_marks(pages[0], sources[1].drawings)
    assert [m.text for m in sorted(marks, key=lambda m: m.bbox[1])] == (
        [TICKED, EMPTY] if answer else [EMPTY, TICKED])
    specs = load_specs()["attestation_honneur"]
    reading = fixture_reading_data("attestation_honneur")
    got = extract_fields(with_drawn_marks(pages, specs, lambda: sources), specs, reading)
    assert got["batiment_plus_de_2_ans"].value == expected
    # without the drawings, the first bare answer is all the words say
    assert extract_fields(pages, specs, reading)["batiment_plus_de_2_ans"].value == "true"


def test_no_box_ticked_gives_no_mark_inside_and_pages_without_a_statement_are_left_alone(tmp_path):
    pages, sources = read(form(None), tmp_path)
    assert [m.text for m in drawn_marks(pages[0], sources[1].drawings)] == [EMPTY, EMPTY]
    called = []
    devis = load_specs()["devis"]
    assert with_drawn_marks(pages, devis, lambda: called.append(1) or sources) is pages and not called


needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="Tesseract is not installed")


def scanned_form(answer: bool | None, dpi: int = 150):
    """The check-box form printed and scanned: a grey image, no drawing objects left."""
    from extraction.corpus.scan import render_pages

    return render_pages(form(answer, square=True), dpi)[0]


@needs_tesseract
@pytest.mark.parametrize("answer, expected", [(True, "true"), (False, "false")])
def test_on_a_scan_the_box_holding_more_ink_is_the_ticked_answer(answer, expected):
    image = scanned_form(answer)
    page = replace(ocr_image(image, 1, dpi=150), source="ocr:tesseract")
    marked = scanned_marks(page, image)
    marks = sorted((w for w in marked.words if w.text in (TICKED, EMPTY)), key=lambda w: w.bbox[1])
    assert [m.text for m in marks] == ([TICKED, EMPTY] if answer else [EMPTY, TICKED])
    specs = load_specs()["attestation_honneur"]
    got = extract_fields(with_drawn_marks([page], specs, lambda: {1: InkSource(image=image)}), specs,
                         fixture_reading_data("attestation_honneur"))
    assert got["batiment_plus_de_2_ans"].value == expected


def ocr_words(image, *placed: tuple[str, tuple[float, float, float, float]]):
    return PageContent(1, " ".join(text for text, _ in placed), [Word(text, box, 0.6) for text, box in placed],
                       image.width, image.height, source="ocr:tesseract")


def test_answers_as_ocr_misreads_them_and_the_stray_characters_of_their_boxes():
    from PIL import Image, ImageDraw

    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    for left, ticked in ((124, True), (285, False)):  # two 18 px boxes, a check mark in the first
        draw.rectangle((left, 760, left + 18, 778), outline=0, width=2)
        if ticked:
            draw.line((left + 3, 770, left + 8, 776, left + 16, 762), fill=0, width=3)
    # « Qui 3 Non + »: the ticked box not read, the empty one read as « 3 »
    page = ocr_words(image, ("Qui", (0.118, 0.433, 0.14, 0.445)), ("3", (0.228, 0.434, 0.245, 0.445)),
                     ("Non", (0.25, 0.433, 0.275, 0.445)), ("+", (0.4, 0.435, 0.41, 0.437)))
    marked = scanned_marks(page, image)
    assert [w.text for w in sorted(marked.words, key=lambda w: w.bbox[0])] == [TICKED, "Oui", EMPTY, "Non", "+"]
    # the viewer's downscaled copy of the scan: light grey ink on a grey paper
    image = Image.new("L", (1240, 1754), 235)
    draw = ImageDraw.Draw(image)
    for left, ticked in ((124, True), (285, False)):
        draw.rectangle((left, 760, left + 18, 778), outline=180, width=1)
        if ticked:
            draw.line((left + 3, 770, left + 8, 776, left + 16, 762), fill=175, width=2)
    marked = scanned_marks(page, image)
    assert [w.text for w in sorted(marked.words, key=lambda w: w.bbox[0])] == [TICKED, "Oui", EMPTY, "Non", "+"]
    # two boxes inked alike: no answer the text does not give
    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    for left in (124, 285):
        draw.rectangle((left, 760, left + 18, 778), outline=0, width=2)
    assert scanned_marks(page, image) is page
    # no box before the answers (« Oui » written out in a sentence): left alone
    assert scanned_marks(page, Image.new("L", (1240, 1754), 255)) is page


def test_a_rule_through_both_boxes_the_cross_inside_one_tells_the_ticked_answer():
    """A form's frame edge, tilted by the scan, runs through both boxes of « ☐ oui ☒ non » (a
    viewer's small copy of the page, thin strokes): measured around, both hold the rule's ink
    alike; inside, one holds the cross and the other paper. The « non » the rule cut down to its
    lower half is still on its « oui »'s line."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (909, 1286), 255)
    draw = ImageDraw.Draw(image)
    for left in (380, 436):
        draw.rectangle((left, 378, left + 14, 392), outline=0, width=1)
    draw.line((438, 380, 448, 390), fill=0, width=1)
    draw.line((448, 380, 438, 390), fill=0, width=1)
    draw.rectangle((375, 381, 377, 383), fill=0)  # the question's colon, just before the first box
    draw.rectangle((375, 388, 377, 390), fill=0)
    draw.line((100, 385, 450, 385), fill=0, width=2)
    draw.line((450, 386, 800, 386), fill=0, width=2)
    page = ocr_words(image, ("oui", (0.44, 0.2955, 0.46, 0.3048)), ("non", (0.5016, 0.300, 0.5237, 0.3048)))
    marked = scanned_marks(page, image)
    assert [w.text for w in sorted(marked.words, key=lambda w: w.bbox[0])] == [EMPTY, "Oui", TICKED, "Non"]
