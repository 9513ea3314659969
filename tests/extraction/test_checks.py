"""The OCR system checks: a wrong setting is an error, a missing OCR tool a warning, each
with a French message and a hint; this host (Tesseract with French) passes them."""
from __future__ import annotations

import shutil

import pytest
from django.core import checks
from django.test import override_settings

from extraction.checks import check_ocr

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract absent")


def ids(messages) -> list[str]:
    return [message.id for message in messages]


@needs_tesseract
@override_settings(CEE_OCR_ENGINE="tesseract", CEE_TESSERACT_CMD="tesseract", CEE_TESSERACT_LANG="fra")
def test_a_host_with_tesseract_and_french_passes_and_manage_py_check_runs_the_ocr_checks():
    assert check_ocr() == []
    assert check_ocr in checks.registry.registry.get_checks()


@override_settings(CEE_OCR_ENGINE="tesseract", CEE_TESSERACT_CMD="/nonexistent/tesseract")
def test_a_missing_tesseract_binary_is_a_warning_naming_the_packages():
    [message] = check_ocr()
    assert message.id == "extraction.W001" and message.level == checks.WARNING
    assert "Tesseract introuvable" in message.msg and "/nonexistent/tesseract" in message.msg
    assert "tesseract-ocr-fra" in message.hint


@needs_tesseract
@override_settings(CEE_OCR_ENGINE="tesseract", CEE_TESSERACT_CMD="tesseract", CEE_TESSERACT_LANG="fra+xyz")
def test_a_language_tesseract_lacks_is_a_warning_naming_its_package():
    [message] = check_ocr()
    assert message.id == "extraction.W002" and message.level == checks.WARNING
    assert "xyz" in message.msg and "fra" in message.msg  # installed ones listed
    assert "tesseract-ocr-xyz" in message.hint


@pytest.mark.parametrize("overrides, error_id", [
    ({"CEE_OCR_ENGINE": "tesseract5"}, "extraction.E001"),
    ({"CEE_OCR_ENGINE": "EasyOCR"}, "extraction.E001"),
    ({"CEE_OCR_DPI": 0}, "extraction.E002"),
    ({"CEE_TESSERACT_LANG": "fra, eng"}, "extraction.E003"),
    ({"CEE_EASYOCR_LANGS": []}, "extraction.E004"),
])
def test_an_engine_setting_value_no_engine_accepts_is_an_error(overrides, error_id):
    with override_settings(**overrides):
        messages = check_ocr()
    assert ids(messages) == [error_id]
    assert messages[0].level == checks.ERROR and messages[0].hint


@override_settings(CEE_OCR_ENGINE="easyocr", CEE_EASYOCR_LANGS=["en"])
def test_a_missing_easyocr_model_directory_is_a_warning(tmp_path):
    with override_settings(CEE_EASYOCR_MODEL_DIR=str(tmp_path / "absent")):
        [message] = check_ocr()
    assert message.id == "extraction.W003" and "absent" in message.msg
    assert "craft_mlt_25k.pth" in message.hint


@override_settings(CEE_OCR_ENGINE="easyocr")
def test_easyocr_weights_missing_from_the_model_directory_are_named(tmp_path):
    (tmp_path / "craft_mlt_25k.pth").write_bytes(b"")
    with override_settings(CEE_EASYOCR_MODEL_DIR=str(tmp_path), CEE_EASYOCR_LANGS=["en"]):
        assert check_ocr()[0].msg.endswith("english_g2.pth (langues : en).")
    with override_settings(CEE_EASYOCR_MODEL_DIR=str(tmp_path), CEE_EASYOCR_LANGS=["fr", "en"]):
        assert "latin_g2.pth" in check_ocr()[0].msg
    (tmp_path / "english_g2.pth").write_bytes(b"")
    with override_settings(CEE_EASYOCR_MODEL_DIR=str(tmp_path), CEE_EASYOCR_LANGS=["en"]):
        assert check_ocr() == []


@override_settings(CEE_OCR_ENGINE="easyocr", CEE_EASYOCR_MODEL_DIR="", CEE_EASYOCR_LANGS=["en"])
def test_the_packaged_easyocr_weights_pass():
    pytest.importorskip("easyocr_en_models")
    assert check_ocr() == []
