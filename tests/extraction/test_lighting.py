"""Phone photos lit unevenly are read with their lighting evened out (extraction.engines.lighting)."""
from random import Random

import numpy as np
import pytest
from PIL import Image

from extraction.corpus.reading import ocr_image, tesseract_available
from extraction.corpus.scan import degrade, render_pages
from extraction.engines.lighting import even_lighting, stretched_contrast
from extraction.engines.tesseract import TesseractEngine
from tests.extraction.test_signatures import attestation_pdf


def _page(dpi: int = 150) -> Image.Image:
    (page,) = render_pages(attestation_pdf({"beneficiaire": None, "installateur": None}), dpi)
    return page


def _shadowed(image: Image.Image) -> Image.Image:
    """A strong shadow across the sheet: the lower right a third darker than the upper left."""
    pixels = np.asarray(image, dtype=np.float32)
    h, w = pixels.shape
    light = 1.0 - 0.55 * (np.linspace(0, 1, w)[None, :] * 0.5 + np.linspace(0, 1, h)[:, None] * 0.5)
    return Image.fromarray(np.clip(pixels * light, 0, 255).astype(np.uint8), mode="L")


def test_an_evenly_lit_scan_is_left_as_it_is():
    scan = degrade(_page(), Random(2))
    assert even_lighting(scan) is scan


def test_a_shadowed_page_gets_a_white_background_and_keeps_its_ink():
    flat = np.asarray(even_lighting(_shadowed(_page())), dtype=np.float32)
    h, w = flat.shape
    corners = [flat[:h // 8, :w // 8], flat[-h // 8:, -w // 8:]]
    assert all(np.percentile(c, 50) > 235 for c in corners)  # paper white in the light and in the shadow
    assert (flat < 100).mean() > 0.002  # the text is still there


@pytest.mark.skipif(not tesseract_available(), reason="Tesseract is not installed")
def test_ocr_reads_more_of_a_shadowed_page():
    shadowed = _shadowed(_page(200))
    plain = TesseractEngine(lang="fra").recognise(shadowed, dpi=200)
    evened = ocr_image(shadowed, dpi=200)
    assert len(evened.words) >= len(plain.words)
    assert "ATTESTATION" in evened.text and "bénéficiaire" in evened.text


def _faded(image: Image.Image) -> Image.Image:
    """A grey photocopy: ink at 150 on paper at 200."""
    pixels = np.asarray(image, dtype=np.float32)
    return Image.fromarray((150 + pixels / 255.0 * 50).astype(np.uint8), mode="L")


def test_a_scan_with_black_ink_keeps_its_grey_levels():
    scan = degrade(_page(), Random(2))
    assert stretched_contrast(scan) is scan


def test_a_faded_page_is_stretched_to_black_ink_on_white_paper():
    stretched = np.asarray(stretched_contrast(_faded(_page())), dtype=np.float32)
    assert np.percentile(stretched, 50) > 240 and stretched.min() < 20


@pytest.mark.skipif(not tesseract_available(), reason="Tesseract is not installed")
def test_ocr_reads_a_faded_scan():
    faded = degrade(_faded(_page(200)), Random(3))
    clean = set(TesseractEngine(lang="fra").recognise(_page(200), dpi=200).text.split())
    read = set(ocr_image(faded, dpi=200).text.split())
    assert len(read & clean) >= 0.8 * len(clean)
    assert "ATTESTATION" in read
