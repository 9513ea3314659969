"""Fillable PDF forms sent without flattening: the values typed into their fields are read.

The attestations here are real AcroForm PDFs (reportlab's form fields, with the appearance
streams a viewer draws, or only a value and « NeedAppearances » as some tools leave them);
they go through the same text-layer readers and extractors as every born-digital file.
"""
import pytest

from extraction.corpus.evaluate import load_specs
from extraction.corpus.reading import pdf_pages
from extraction.engines.forms import flatten_form_fields
from extraction.engines.text_layer import read_text_layer
from extraction.fields import extract_fields
from extraction.reading import fixture_reading_data

from .filled_forms import filled_attestation, without_appearances


@pytest.fixture(scope="module")
def specs():
    return load_specs()


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_a_text_layer_alone_misses_the_fields_and_the_flattened_file_has_them(engine):
    data = filled_attestation(built=True)
    (raw,) = read_text_layer(data, engine=engine)
    assert "GUYOT" not in raw.text  # why flattening exists: the values are not page text

    (page,) = read_text_layer(flatten_form_fields(data), engine=engine)
    assert "Nom du bénéficiaire : GUYOT Ginette" in page.text
    assert "Date d'engagement de l'opération : 14/02/2025" in page.text
    assert "[X] Le bâtiment est achevé" in page.text


def test_an_unticked_box_reads_as_an_empty_box():
    (page,) = read_text_layer(flatten_form_fields(filled_attestation(built=False)))
    assert "[ ] Le bâtiment est achevé" in page.text
    assert "[X]" not in page.text


def test_values_without_their_drawing_are_drawn_by_pdfium_then_read():
    (page,) = read_text_layer(flatten_form_fields(without_appearances(filled_attestation(built=True, name="MARTIN Paul"))))
    assert "Nom du bénéficiaire : MARTIN Paul" in page.text


def test_a_file_without_a_form_comes_back_unchanged():
    data = filled_attestation(built=True, with_form=False)
    assert flatten_form_fields(data) is data
    broken = b"%PDF-1.7\nnot a pdf"
    assert flatten_form_fields(broken) is broken


@pytest.mark.parametrize("built", [True, False])
def test_the_attestation_fields_are_extracted_from_a_filled_form(specs, tmp_path, built):
    path = tmp_path / "attestation.pdf"
    path.write_bytes(filled_attestation(built=built))
    pages = pdf_pages(path, engine="pdfium")
    got = {name: value.value for name, value in
           extract_fields(pages, specs["attestation_honneur"], fixture_reading_data("attestation_honneur")).items()}
    assert got["beneficiaire_nom"] == "GUYOT Ginette"
    assert got["beneficiaire_code_postal"] == "69100"
    assert got["date_engagement"] == "2025-02-14"
    assert got["date_achevement"] == "2025-03-28"
    assert got["reference_facture"] == "FA-2025-0412"
    assert got["batiment_plus_de_2_ans"] == ("true" if built else "false")
