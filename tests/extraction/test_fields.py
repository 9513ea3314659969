"""extract_fields(): label-anchored values from located words, driven by the schema hints."""
import json
from pathlib import Path

import pytest

from extraction.corpus.evaluate import load_specs
from extraction.corpus.reading import pdf_pages
from extraction.fields import extract_fields
from extraction.types import FieldSpec, PageContent, Word

from .pages import page

REAL_INVOICES = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "real" / "invoices"


@pytest.fixture(scope="module")
def specs():
    return load_specs()


def values(result):
    return {name: field.value for name, field in result.items()}


def assert_found(result, expected):
    got = {name: result[name].value if name in result else None for name in expected}
    assert got == expected


def test_value_right_of_its_label(specs):
    p = page([(0.08, 0.20, "Facture n° F2024-0042"), (0.08, 0.23, "Date de facture : 15/03/2024"),
              (0.08, 0.26, "Date d'échéance : 30/04/2024")])
    result = extract_fields([p], specs["facture"])
    assert result["numero_facture"].value == "F2024-0042"
    assert result["date_facture"].value == "2024-03-15"
    assert result["date_facture"].page == 1
    x0, y0, x1, y1 = result["date_facture"].bbox
    assert 0.08 < x0 < x1 <= 1 and 0.23 <= y0 < y1 < 0.26  # the value's words, not the label's


def test_value_on_the_line_below_its_label(specs):
    p = page([(0.10, 0.20, "Date d'émission"), (0.45, 0.20, "Numéro de facture"),
              (0.10, 0.215, "15 mars 2024"), (0.45, 0.215, "FA-2024-00017")])
    result = extract_fields([p], specs["facture"])
    assert result["date_facture"].value == "2024-03-15"
    assert result["numero_facture"].value == "FA-2024-00017"


def test_table_column_read_on_the_total_row(specs):
    p = page([
        (0.08, 0.40, "Désignation"), (0.55, 0.40, "Montant HT"), (0.75, 0.40, "Montant TTC"),
        (0.08, 0.42, "Isolation des combles"), (0.55, 0.42, "4 500,00"), (0.75, 0.42, "4 747,50"),
        (0.08, 0.44, "Main d'oeuvre"), (0.55, 0.44, "500,00"), (0.75, 0.44, "527,50"),
        (0.08, 0.46, "Total"), (0.55, 0.46, "5 000,00"), (0.75, 0.46, "5 275,00"),
    ])
    result = extract_fields([p], specs["devis"])
    assert result["montant_ht"].value == "5000.00"
    assert result["montant_ttc"].value == "5275.00"


def test_total_ttc_wins_over_net_a_payer_after_the_premium(specs):
    p = page([(0.55, 0.60, "Total HT"), (0.80, 0.60, "10 000,00 €"), (0.55, 0.62, "TVA 5,5 %"), (0.80, 0.62, "550,00 €"),
              (0.55, 0.64, "Total TTC"), (0.80, 0.64, "10 550,00 €"), (0.55, 0.66, "Prime CEE"), (0.80, 0.66, "- 2 500,00 €"),
              (0.55, 0.68, "Net à payer"), (0.80, 0.68, "8 050,00 €"),
              (0.08, 0.95, "ECO RENOV SAS – TVA intracommunautaire FR12 345678901")])
    result = extract_fields([p], specs["facture"])
    assert_found(result, {"montant_ht": "10000.00", "montant_tva": "550.00", "montant_ttc": "10550.00",
                                   "prime_cee": "2500.00"})


def test_ocr_noise_accents_dropped_and_a_typo(specs):
    clean = page([(0.08, 0.2, "Date de facturation : 02/07/2015")])
    noisy = page([(0.08, 0.2, "Date de factnration : O2/07/2015")], conf=0.6)
    noisy_result = extract_fields([noisy], specs["facture"])
    assert noisy_result["date_facture"].value == "2015-07-02"
    assert noisy_result["date_facture"].confidence < extract_fields([clean], specs["facture"])["date_facture"].confidence
    no_accents = page([(0.08, 0.2, "Resistance thermique R = 7,00 m2.K/W"), (0.08, 0.23, "Surface isolee : 85 m2")])
    result = extract_fields([no_accents], specs["devis"])
    assert result["resistance_thermique"].value == "7.00"
    assert result["surface_m2"].value == "85.00"


def test_client_block_under_a_heading(specs):
    p = page([
        (0.08, 0.05, "ECO RENOV HABITAT"), (0.08, 0.07, "3 rue de l'Industrie"), (0.08, 0.09, "69003 Lyon"),
        (0.08, 0.11, "SIRET : 123 456 789 00012"),
        (0.58, 0.07, "Client"), (0.58, 0.09, "M. Jean DUPONT"), (0.58, 0.11, "12 rue des Lilas"),
        (0.58, 0.13, "69100 VILLEURBANNE"),
    ])
    result = extract_fields([p], specs["devis"])
    assert_found(result, {
        "beneficiaire_nom": "M. Jean DUPONT", "beneficiaire_adresse": "12 rue des Lilas",
        "beneficiaire_code_postal": "69100", "beneficiaire_ville": "VILLEURBANNE", "siret_installateur": "12345678900012",
    })


def test_labelled_client_lines_beside_the_company_column(specs):
    p = page([
        (0.08, 0.10, "Entreprise"), (0.55, 0.10, "Bénéficiaire"),
        (0.08, 0.12, "Adresse : 3 rue de l'Industrie"), (0.55, 0.12, "Nom : Sophie Martin"),
        (0.08, 0.14, "69003 Lyon"), (0.55, 0.14, "Adresse : 8 avenue Jean Jaurès"),
        (0.55, 0.16, "CP / Ville : 38000 Grenoble"),
    ])
    result = extract_fields([p], specs["facture"])
    assert_found(result, {"beneficiaire_nom": "Sophie Martin", "beneficiaire_adresse": "8 avenue Jean Jaurès",
                                   "beneficiaire_code_postal": "38000", "beneficiaire_ville": "Grenoble"})


def test_label_and_value_inside_running_text(specs):
    p = page([(0.05, 0.95, "ECO RENOV HABITAT – SAS au capital de 10 000 € – RCS Lyon 123 456 789 – SIRET : 123 456 789 00012")])
    result = extract_fields([p], specs["facture"])
    assert result["siret_installateur"].value == "12345678900012"
    assert result["raison_sociale_installateur"].value == "ECO RENOV HABITAT"


def test_every_operation_code_of_the_document(specs):
    p = page([(0.08, 0.3, "Isolation des combles (BAR-EN-101)"), (0.08, 0.32, "Isolation du plancher – fiche BAR EN 103"),
              (0.08, 0.34, "Rappel : BAR-EN-101")])
    assert json.loads(extract_fields([p], specs["devis"])["operations"].value) == ["BAR-EN-101", "BAR-EN-103"]


def test_signatures_are_present_or_absent(specs):
    p = page([
        (0.08, 0.70, "Signature du bénéficiaire"), (0.55, 0.70, "Signature du professionnel"),
        (0.08, 0.72, "(précédée de la mention « Lu et approuvé »)"),
        (0.08, 0.75, "Lu et approuvé"), (0.08, 0.77, "Jean Dupont"),
    ])
    result = extract_fields([p], specs["attestation_honneur"])
    assert result["signature_beneficiaire"].value == "true"
    assert result["signature_installateur"].value == "false"
    assert result["signature_installateur"].confidence < result["signature_beneficiaire"].confidence


def test_hints_are_data_a_new_field_needs_no_code():
    spec = FieldSpec("numero_contrat", "N° de contrat", "string",
                     {"labels": ["contrat n°", "numéro de contrat"], "value_regex": r"^([A-Z]{2}-\d+)$", "max_words": 1})
    p = page([(0.1, 0.1, "Numéro de contrat : CT-55812 signé le 12/03/2024")])
    assert extract_fields([p], [spec])["numero_contrat"].value == "CT-55812"


def test_empty_pages_give_no_field(specs):
    assert extract_fields([PageContent(1, "", [])], specs["facture"]) == {}
    assert extract_fields([], specs["facture"]) == {}


@pytest.mark.parametrize("name", ["NetpresseInvoice.pdf", "free_fiber.pdf"])
def test_real_french_invoices(specs, name):
    expected = json.loads((REAL_INVOICES / "expected.json").read_text())[name]
    result = extract_fields(pdf_pages(REAL_INVOICES / name), specs["facture"])
    for field in ("numero_facture", "date_facture", "montant_ttc", "montant_ht"):
        assert result[field].value == expected[field], field


from hypothesis import given, settings, strategies as st  # noqa: E402

_word = st.builds(
    lambda text, x, y, w, h, conf: Word(text, (x, y, min(1.0, x + w), min(1.0, y + h)), conf),
    st.text(alphabet=st.sampled_from(list("0123456789 ,.:/-€%°²abcdeéèfghilmnorstuvxzACDEFHNRSTUVÉ'()")), min_size=1, max_size=12),
    st.floats(0, 0.95), st.floats(0, 0.97), st.floats(0.001, 0.2), st.floats(0.001, 0.03), st.floats(0, 1),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_word, max_size=60))
def test_odd_pages_never_raise(words):
    specs = load_specs()
    p = PageContent(1, "", words)
    for doc_type in ("devis", "facture", "attestation_honneur", "avis_imposition"):
        for name, value in extract_fields([p], specs[doc_type]).items():
            assert 0 <= value.confidence <= 1
            assert value.bbox is None or all(0 <= v <= 1 for v in value.bbox)


def test_a_date_before_the_cee_scheme_is_no_documents_date():
    """Conditions printed in two columns: « … en vigueur à la date de facturation (5,5 % … » beside
    « … conformément à la loi n° 75-1334 du 31 décembre 1975. »: that date is no invoice's."""
    from extraction.reading import fixture_reading_data

    def line(x: float, y: float, text: str) -> list:
        words = []
        for token in text.split():
            words.append(Word(token, (x, y, x + 0.0052 * len(token), y + 0.008)))
            x += 0.0052 * (len(token) + 1)
        return words

    words = (line(0.09, 0.10, "FACTURE N° FAC008286") + line(0.58, 0.166, "Date lundi 11 novembre 2024")
             + line(0.092, 0.261, "Article 4 – Prix") + line(0.522, 0.261, "Article 11 – Sous-traitance")
             + line(0.092, 0.290, "en vigueur à la date de facturation (5,5 % pour les travaux d'amélioration de la")
             + line(0.522, 0.290, "75-1334 du 31 décembre 1975.")
             + line(0.092, 0.299, "qualité énergétique, 10 % pour les travaux induits, 20 % dans les autres cas)."))
    got = extract_fields([PageContent(1, "", words, 595, 842, "text_layer")], load_specs()["facture"],
                         fixture_reading_data("facture"))
    assert got["date_facture"].value == "2024-11-11"
