"""classify_text / classify_pages / segment_pages with the document types' hints (fixture data)."""
import pytest

from extraction.classification import classify_pages, classify_text, segment_pages
from extraction.corpus.evaluate import load_hints

from .pages import page


@pytest.fixture(scope="module")
def hints():
    return load_hints()


DEVIS = """ECO RENOV HABITAT
12 rue des Lilas 69100 Villeurbanne
DEVIS N° D2024-0153
Date : 12/03/2024  Validité de l'offre : 3 mois
Isolation des combles perdus – BAR-EN-101
Total HT 4 500,00 €  TVA 5,5 % 247,50 €  Total TTC 4 747,50 €
Bon pour accord, le 20/03/2024"""

FACTURE = """ECO RENOV HABITAT
FACTURE N° F2024-0042
Date de facture : 15/04/2024
Suivant devis n° D2024-0153 accepté le 20/03/2024
Total TTC 4 747,50 €  Prime CEE - 1 500,00 €  Net à payer 3 247,50 €
Pénalités de retard : trois fois le taux d'intérêt légal"""

AH = """ATTESTATION SUR L'HONNEUR
CADRE A – Identification du bénéficiaire
Je soussigné atteste sur l'honneur que les travaux ont été réalisés.
Référence de la facture : F2024-0042 ; devis accepté le 20/03/2024
Date d'engagement de l'opération : 20/03/2024
Signature du bénéficiaire   Signature du professionnel"""


@pytest.mark.parametrize("text, expected", [(DEVIS, "devis"), (FACTURE, "facture"), (AH, "attestation_honneur")])
def test_documents_that_quote_each_other_are_told_apart_by_their_title(hints, text, expected):
    result = classify_text(text, hints)
    assert result.code == expected
    assert result.confidence >= 0.8


def test_ocr_without_accents_and_with_a_typo_still_classifies(hints):
    text = "AVIS D'IMPOT 2024\nIMPOT SUR LES REVENUS de l'annee 2023\nRevenu fiscal de referense : 25 115\nNombre de parts : 2"
    assert classify_text(text, hints).code == "avis_imposition"


def test_case_does_not_matter(hints):
    assert classify_text(FACTURE.lower(), hints).code == "facture"


def test_nothing_recognisable_is_autre(hints):
    result = classify_text("Liste de courses\npain, lait, oeufs", hints)
    assert result.code == "autre"
    assert 0 <= result.confidence <= 1


def test_empty_text_is_autre(hints):
    assert classify_text("", hints).code == "autre"


def test_confidence_grows_with_the_margin_over_the_second_type(hints):
    clear = classify_text(FACTURE, hints)
    mixed = classify_text("Facture\nDevis n° 12 bon pour accord validité de l'offre", hints)
    assert clear.confidence > mixed.confidence


def test_hints_may_add_types_and_keywords(hints):
    custom = dict(hints, contrat_entretien={"title_keywords": {"contrat d'entretien": 12}, "keywords": {"entretien annuel": 3}})
    assert classify_text("CONTRAT D'ENTRETIEN\nEntretien annuel de la chaudière", custom).code == "contrat_entretien"


def _text_page(number, text):
    rows = [(0.08, 0.05 + 0.03 * i, line) for i, line in enumerate(text.splitlines())]
    return page(rows, number=number)


def test_pages_give_first_page_cues(hints):
    pages = [_text_page(1, DEVIS), _text_page(2, "Conditions générales\nLes travaux sont garantis.\nPage 2/2")]
    first, second = classify_pages(pages, hints)
    assert first.title_code == "devis" and first.starts_document
    assert second.page_of == (2, 2) and second.continues_document and not second.starts_document


def test_a_multi_document_file_is_segmented_at_titles(hints):
    pages = [
        _text_page(1, DEVIS + "\nPage 1/2"),
        _text_page(2, "Conditions générales de vente\nGarantie décennale.\nPage 2/2"),
        _text_page(3, FACTURE),
        _text_page(4, AH),
    ]
    segments = segment_pages(pages, hints)
    assert [(s.code, s.pages) for s in segments] == [("devis", [1, 2]), ("facture", [3]), ("attestation_honneur", [4])]
