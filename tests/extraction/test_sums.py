"""The totals of a devis or a facture agree (HT + TVA = TTC): on a scan, the one total OCR
misread, or the sub-total taken for the total, gives way to the candidates that add up."""
import pytest

from extraction.corpus.evaluate import load_specs
from extraction.fields import extract_fields
from extraction.reading import fixture_reading_data

from .pages import page


@pytest.fixture(scope="module")
def specs():
    return load_specs()


def read(pages, specs, doc_type: str = "devis") -> dict:
    return {name: v.value for name, v in extract_fields(pages, specs[doc_type], fixture_reading_data(doc_type)).items()}


HEAD = [(0.08, 0.05, "ISOLATION DU CENTRE"), (0.08, 0.065, "SIRET 792 444 457 00031"),
        (0.60, 0.12, "DEVIS N° DV-2025-0412"), (0.60, 0.135, "Date : 14/03/2025")]


def _totals(ht: str, tva: str, ttc: str, y: float = 0.70) -> list:
    return [(0.60, y, "Total HT"), (0.80, y, ht), (0.60, y + 0.02, "TVA 5,5 %"), (0.80, y + 0.02, tva),
            (0.60, y + 0.04, "Total TTC"), (0.80, y + 0.04, ttc)]


def test_a_total_whose_comma_ocr_lost_is_read_again_to_add_up(specs):
    scanned = page(HEAD + _totals("957477 €", "526,61 €", "10 101,38 €"), conf=0.8)
    values = read([scanned], specs)
    assert (values["montant_ht"], values["montant_tva"], values["montant_ttc"]) == ("9574.77", "526.61", "10101.38")


def test_a_page_total_gives_way_to_the_total_that_adds_up(specs):
    # page 1 ends with its own « Total HT » (carried over), the last page with the document's
    rows = HEAD + [(0.60, 0.40, "Total HT"), (0.80, 0.40, "1 200,00 €"), (0.60, 0.42, "A reporter"), (0.80, 0.42, "1 200,00 €")]
    values = read([page(rows), page(_totals("2 000,00 €", "110,00 €", "2 110,00 €"), number=2)], specs)
    assert (values["montant_ht"], values["montant_tva"], values["montant_ttc"]) == ("2000.00", "110.00", "2110.00")


def test_totals_that_add_up_are_kept_and_those_that_cannot_are_left(specs):
    values = read([page(HEAD + _totals("1 000,00 €", "55,00 €", "1 055,00 €"))], specs)
    assert (values["montant_ht"], values["montant_tva"], values["montant_ttc"]) == ("1000.00", "55.00", "1055.00")
    # nothing adds up: each keeps what its own candidates chose
    values = read([page(HEAD + _totals("1 000,00 €", "55,00 €", "1 155,00 €"))], specs)
    assert (values["montant_ht"], values["montant_tva"], values["montant_ttc"]) == ("1000.00", "55.00", "1155.00")


def test_a_total_that_lost_digits_is_the_sum_of_the_two_others(specs):
    # the scan dropped a digit of the TTC (« 1 055,0 » read « 155,00 »): no candidate adds up, the
    # TTC's digits are the sum's with one lost
    values = read([page(HEAD + _totals("1 000,00 €", "55,00 €", "105,50 €"))], specs)
    assert (values["montant_ht"], values["montant_tva"], values["montant_ttc"]) == ("1000.00", "55.00", "1055.00")
    # no amount is one of the others' sum or difference with digits lost, or the VAT would be no rate: kept
    values = read([page(HEAD + _totals("1 000,00 €", "55,00 €", "2 000,00 €"))], specs)
    assert values["montant_ttc"] == "2000.00"


def test_a_vat_larger_than_a_fifth_of_its_base_is_the_difference_of_the_totals(specs):
    # « TVA 10 % » read with a stray « 000 »: 10 000 € of VAT on 8 068,40 € is no VAT; 806,84 € is 10 %
    values = read([page(HEAD + _totals("8 068,40 €", "10 000", "8 875,24 €"), conf=0.8)], specs)
    assert (values["montant_ht"], values["montant_tva"], values["montant_ttc"]) == ("8068.40", "806.84", "8875.24")


def test_a_total_without_its_comma_beside_a_garbled_vat_makes_the_vat_of_one_rate(specs):
    # office dev 1420: « 647277€ » for 6 472,77 €, the VAT's « 337,44 € » read as noise, another
    # amount of the page taken for it; 6 472,77 − 6 135,33 = 337,44 €, 5,5 % of the HT
    values = read([page(HEAD + _totals("6 135,33 €", "541865", "647277€"), conf=0.8)], specs)
    assert (values["montant_ht"], values["montant_tva"], values["montant_ttc"]) == ("6135.33", "337.44", "6472.77")
    # the comma put back makes no rate's VAT: nothing is made up
    values = read([page(HEAD + _totals("6 135,33 €", "541865", "657277€"), conf=0.8)], specs)
    assert values["montant_ttc"] == "657277.00"
