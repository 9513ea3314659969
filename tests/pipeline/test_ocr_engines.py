"""The OCR engines, for real (no mocks): Tesseract on the public OCR samples through the whole
document chain, EasyOCR once on a small crop with the offline English weights."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from documents.models import DocumentStatus, Page
from dossiers.workflow.upload import ingest_file
from extraction.engines import configured_ocr_engine, get_ocr_engine, resolve_engine_name
from extraction.engines.easyocr_engine import cuda_available
from extraction.models import EngineConfig
from extraction.services import process_document

from . import samples
from .textmatch import best_match

pytestmark = pytest.mark.django_db

OCR = samples.REAL / "ocr"
EXPECTED = json.loads((OCR / "expected.json").read_text())
PROVENANCE = json.loads((OCR / "provenance.json").read_text())
SIMILARITY = 0.9


@pytest.fixture
def tesseract(db):
    EngineConfig.objects.filter(task="ocr").update(is_active=False)
    EngineConfig.objects.update_or_create(task="ocr", engine="tesseract",
                                          defaults={"is_active": True, "priority": 1, "parameters": {}})


def document_text(document) -> str:
    pages = Page.objects.filter(document__in=[document, *document.children.all()]).order_by("number")
    return "\n".join(page.text for page in pages)


# rotated.pdf: four dense 300-dpi pages, two upside down (orientation detection + a second
# reading): about a minute of CPU.
OCR_SAMPLES = [pytest.param(name, marks=pytest.mark.slow) if name == "rotated.pdf" else name for name in sorted(EXPECTED)]


@pytest.mark.parametrize("name", OCR_SAMPLES)
def test_tesseract_reads_the_ocr_samples(name, tesseract, dossier):
    document = ingest_file(dossier=dossier, fileobj_or_bytes=(OCR / name).read_bytes(), filename=name)
    process_document(document)
    document.refresh_from_db()
    assert document.status in (DocumentStatus.PROCESSED, DocumentStatus.SPLIT), document.error_message
    text = document_text(document)
    positions = []
    for sentence in EXPECTED[name]:
        similarity, position = best_match(sentence, text)
        assert similarity >= SIMILARITY, f"{sentence!r} not found (best {similarity:.2f}) in {text[:500]!r}"
        positions.append(position)
    if PROVENANCE[name].get("ordered"):
        assert positions == sorted(positions)


def test_ocr_words_carry_confidences_and_relative_boxes(tesseract, dossier):
    document = ingest_file(dossier=dossier, fileobj_or_bytes=(OCR / "simple.png").read_bytes(), filename="simple.png")
    process_document(document)
    [page] = Page.objects.filter(document=document)
    assert page.text_source == "ocr:tesseract" and not page.has_text_layer
    assert [w["text"] for w in page.words][:3] == ["This", "is", "a"]
    for word in page.words:
        x0, y0, x1, y1 = word["bbox"]
        assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1
        assert 0 < word["conf"] <= 1
    assert page.image.name.endswith(".jpg")


def test_a_scan_denser_than_the_ocr_resolution_is_read_scaled_down_with_boxes_on_the_original(settings):
    settings.CEE_OCR_DPI = 250
    engine = get_ocr_engine("tesseract", {})
    # A4 at 300 dpi, 150-dpi text drawn twice as large: the same page scanned at 300 dpi
    page = Image.open(io.BytesIO(samples.text_image(samples.FACTURE_LINES, size=(2480, 3508), font_size=68)))
    scaled, dpi = engine.reading_resolution(page, 300)
    assert dpi == 250 and scaled.size == (2067, 2923)
    assert engine.reading_resolution(page, 200) == (page, 200)  # never scaled up

    read = engine.recognise(page, dpi=300)
    assert best_match("Date de facture : 12/05/2024", read.text)[0] >= SIMILARITY
    at_full_size = engine.recognise(page, dpi=None)  # unknown resolution: read as it is
    date, same_date = (next(w for w in result.words if w.text == "Date") for result in (read, at_full_size))
    assert all(abs(a - b) < 0.01 for a, b in zip(date.bbox, same_date.bbox))  # boxes relative to the page


def test_upside_down_scan_is_turned_upright_before_reading(tesseract, dossier):
    data = samples.text_image(samples.FACTURE_LINES, angle=180)
    document = ingest_file(dossier=dossier, fileobj_or_bytes=data, filename="facture.png")
    process_document(document)
    [page] = Page.objects.filter(document=document)
    assert page.rotation == 180
    assert best_match("Date de facture : 12/05/2024", page.text)[0] >= SIMILARITY
    # The stored image is the upright one: the boxes point at the words in it.
    first = page.words[0]
    assert first["bbox"][1] < 0.2  # the title is at the top of the upright page


def test_sideways_scan_is_turned_and_its_boxes_match_the_stored_image(tesseract, dossier):
    data = samples.text_image(samples.DEVIS_LINES, angle=90)
    document = ingest_file(dossier=dossier, fileobj_or_bytes=data, filename="devis.png")
    process_document(document)
    [page] = Page.objects.filter(document=document)
    assert page.rotation == 90  # turned 90° clockwise back
    with page.image.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        assert image.height > image.width  # portrait again
    assert best_match("Date du devis : 15/03/2024", page.text)[0] >= SIMILARITY


def test_auto_engine_is_tesseract_without_a_gpu_and_easyocr_with_one():
    assert resolve_engine_name("auto") == ("easyocr" if cuda_available() else "tesseract")


def test_active_engine_config_decides_the_engine_and_its_parameters(db, settings):
    EngineConfig.objects.filter(task="ocr").update(is_active=False)
    settings.CEE_OCR_ENGINE = "tesseract"
    assert configured_ocr_engine() == ("tesseract", {})
    EngineConfig.objects.filter(task="ocr", engine="easyocr").update(is_active=True, parameters={"canvas_size": 1280})
    assert configured_ocr_engine() == ("easyocr", {"canvas_size": 1280})
    EngineConfig.objects.filter(task="ocr", engine="auto").update(is_active=True, priority=1)
    name, parameters = configured_ocr_engine()
    assert name == resolve_engine_name("auto")
    assert get_ocr_engine().name == name


@pytest.mark.slow
def test_easyocr_reads_a_small_crop_with_the_offline_english_weights(settings, tmp_path):
    image = Image.open(OCR / "simple.png").convert("RGB")
    engine = get_ocr_engine("easyocr", {"canvas_size": 640})
    result = engine.recognise(image)
    assert best_match("This is a test document", result.text)[0] >= 0.85
    assert result.words and all(0 <= v <= 1 for w in result.words for v in w.bbox)
    assert result.engine.startswith("easyocr ")
    # EasyOCR's writable folders are ours, never a download cache in the home directory.
    assert (Path(settings.CEE_EASYOCR_WORK_DIR) / "user_network").is_dir()


def test_blank_pages_are_not_sent_to_the_engine_and_sparse_ones_are(tesseract, dossier):
    from extraction.pipeline.ocr import looks_blank

    assert looks_blank(Image.new("RGB", (1240, 1754), "white"))
    assert not looks_blank(Image.open(io.BytesIO(samples.text_image(["Page 2"], font_size=24))))
    data = samples.REAL / "badinput" / "split-by-asn-1.pdf"  # blank pages 2, 5, 6, 8, 10
    document = ingest_file(dossier=dossier, fileobj_or_bytes=data.read_bytes(), filename="asn.pdf")
    process_document(document)
    pages = Page.objects.filter(document__in=[document, *document.children.all()]).order_by("number")
    blank = [p.number for p in pages if p.text_source.startswith("ocr") and not p.words]
    assert blank == [2, 5, 6, 8, 10]
