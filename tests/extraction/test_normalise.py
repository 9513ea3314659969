"""normalise(): every French way of writing a value gives one canonical form (SPEC 4b)."""
import json
from decimal import Decimal

import pytest

from extraction.normalise import (amount_without_its_comma, digits_read_for_letters, normalise, parse_amount, parse_date,
                                 parse_decimal)


@pytest.mark.parametrize("raw", [
    "15/03/2024", "15-03-2024", "15.03.2024", "15.03.24", "15/03/24", "15 mars 2024", "15 MARS 2024",
    "15 Mars 2024", "Le : 15/03/2024", "lundi 15 mars 2024", "2024-03-15", "15 mar. 2024", "15/O3/2024",
    "15/03/2 024", "15/03/20 24",  # a scan's space inside the year
    "15/03/20 2 4", "15/03/2 0 2 4",  # a typewriter font's digits read apart
])
def test_dates_are_iso(raw):
    assert normalise("date", raw) == "2024-03-15"


@pytest.mark.parametrize("raw, expected", [
    ("1er mars 2024", "2024-03-01"), ("02 Juillet 2015", "2015-07-02"), ("3 fevrier 2023", "2023-02-03"),
    ("31 décembre 1999", "1999-12-31"), ("1er août 2025", "2025-08-01"), ("01/01/70", "1970-01-01"),
])
def test_dates_in_words_and_two_digit_years(raw, expected):
    assert normalise("date", raw) == expected


@pytest.mark.parametrize("raw, message", [
    ("mars 2024", "jour manquant"), ("31/02/2024", "impossible"), ("hier", "illisible"), ("", "absente"),
])
def test_bad_dates_are_refused_in_french(raw, message):
    with pytest.raises(ValueError, match=message):
        normalise("date", raw)


@pytest.mark.parametrize("raw", [
    "12 450,00 €", "12450,00 EUR", "12.450,00", "12,450.00", "12\u202f450,00\u00a0€", "12\u00a0450,00 €",
    "12 450 €", "12450", "€ 12 450,00", "12 450,00 euros", "12.450", "12:450,00 €",  # a scan's colon for the space
])
def test_amounts_are_dot_decimals_with_two_places(raw):
    assert normalise("decimal", raw) == "12450.00"


@pytest.mark.parametrize("raw, expected", [
    ("1 234.5", "1234.50"), ("0,75 €", "0.75"), ("- 1 500,00 €", "-1500.00"), ("3,125", "3.125"),
    ("7,00 m².K/W", "7.00"), ("126 %", "126.00"), ("29.99", "29.99"), ("1,234,567.89", "1234567.89"),
])
def test_other_decimals(raw, expected):
    assert normalise("decimal", raw) == expected


def test_parse_helpers_return_python_values():
    assert parse_amount("12 450,5 €") == Decimal("12450.50")
    assert parse_decimal("2,5") == Decimal("2.5")
    assert parse_date("15 mars 2024").isoformat() == "2024-03-15"


@pytest.mark.parametrize("raw", ["abc", "1,2,3", "12 et 13", ""])
def test_bad_numbers_are_refused(raw):
    with pytest.raises(ValueError):
        normalise("decimal", raw)


@pytest.mark.parametrize("raw, expected", [
    ("97728€", Decimal("977.28")),  # 977,28 € whose comma OCR lost
    ("3.668.441 €", Decimal("3668.44")),  # 3 668,44 €: comma read as a dot, a speck read as a digit
    ("3 668.441", Decimal("3668.44")),
    ("3 668,44 €", None),  # its cents are there
    ("12", None),
])
def test_an_amount_is_read_again_as_one_that_lost_its_decimal_comma(raw, expected):
    assert amount_without_its_comma(raw) == expected


def test_integers():
    assert normalise("integer", "25 115 €") == "25115"
    assert normalise("integer", "2 024") == "2024"
    assert normalise("integer", "3,00") == "3"
    with pytest.raises(ValueError, match="entier"):
        normalise("integer", "2,5")


@pytest.mark.parametrize("raw", ["123 456 789 00012", "123.456.789.00012", "12345678900012", "123 456 789 000 12",
                                 "SIRET : 123 456 789 00012", "N° 123-456-789-00012"])
def test_siret_keeps_its_14_digits(raw):
    assert normalise("siret", raw) == "12345678900012"


@pytest.mark.parametrize("raw", ["123 456 789", "1234567890001234", "ABCDEFGHIJKLMN"])
def test_siret_other_than_14_digits_is_refused(raw):
    with pytest.raises(ValueError, match="SIRET"):
        normalise("siret", raw)


@pytest.mark.parametrize("raw, expected", [("69100", "69100"), ("69 100", "69100"), ("20090", "20090"),
                                           ("20200", "20200"), ("97400", "97400"), ("01000", "01000")])
def test_postal_codes_including_corsica(raw, expected):
    assert normalise("postal_code", raw) == expected


@pytest.mark.parametrize("raw", ["6910", "691000", "00100", "99000", "Lyon"])
def test_impossible_postal_codes_are_refused(raw):
    with pytest.raises(ValueError, match="postal"):
        normalise("postal_code", raw)


@pytest.mark.parametrize("raw", ["BAR-TH-171", "BAR TH 171", "BAR-TH171", "bar-th-171", "BAR–TH–171", "Fiche BAR-TH-l71"])
def test_cee_codes_become_a_json_list(raw):
    assert json.loads(normalise("cee_code", raw)) == ["BAR-TH-171"]


def test_several_cee_codes_keep_their_order_once_each():
    assert json.loads(normalise("cee_code", "BAR-EN-101 et BAR-EN-103, puis BAR EN 101")) == ["BAR-EN-101", "BAR-EN-103"]


def test_text_without_cee_code_is_refused():
    with pytest.raises(ValueError, match="CEE"):
        normalise("cee_code", "Isolation des combles")


@pytest.mark.parametrize("raw, expected", [
    ("oui", "true"), ("OUI", "true"), ("x", "true"), ("coché", "true"), ("Signé", "true"), ("☑", "true"),
    ("Lu et approuvé", "true"), ("non", "false"), ("Non coché", "false"), ("☐", "false"), ("non signé", "false"),
])
def test_booleans(raw, expected):
    assert normalise("boolean", raw) == expected


def test_strings_lose_label_separators_and_extra_spaces():
    assert normalise("string", " :  Jean   Dupont - ") == "Jean Dupont"
    with pytest.raises(ValueError):
        normalise("string", " : ")


def test_unknown_data_type_is_refused():
    with pytest.raises(ValueError, match="inconnu"):
        normalise("colour", "bleu")


def test_a_street_number_glued_to_its_bis_or_ter_is_set_apart_and_read_so_in_a_client_block():
    from extraction.corpus.evaluate import load_specs
    from extraction.fields import extract_fields
    from extraction.normalise import street_number_spaced
    from extraction.reading import fixture_reading_data

    from .pages import page

    assert street_number_spaced("77ter rue du Général de Gaulle") == "77 ter rue du Général de Gaulle"
    assert street_number_spaced("12BIS avenue Foch") == "12 BIS avenue Foch"
    assert street_number_spaced("12 bis avenue Foch") == "12 bis avenue Foch"
    assert street_number_spaced("3 rue Terrasse") == "3 rue Terrasse" and street_number_spaced("7 ter") == "7 ter"
    # a scan read « 77ter » (retail dev 1568)
    rows = [(0.08, 0.05, "ISOLATION DU CENTRE"), (0.60, 0.12, "FACTURE N° F-2025-0412"),
            (0.55, 0.20, "Client :"), (0.55, 0.22, "Mme Isabelle JEAN"), (0.55, 0.24, "77ter rue du Général de Gaulle"),
            (0.55, 0.26, "13100 AIX-EN-PROVENCE")]
    got = extract_fields([page(rows, conf=0.9)], load_specs()["facture"], fixture_reading_data("facture"))
    assert got["beneficiaire_adresse"].value == "77 ter rue du Général de Gaulle"


@pytest.mark.parametrize("read, expected", [("1S0 OUEST", "ISO OUEST"), ("1S0 SUD", "ISO SUD"), ("150 SUD", "150 SUD"),
                                            ("2M RENOV", "2M RENOV"), ("A2B Isolation", "A2B Isolation"),
                                            ("THERM1CONFORT", "THERMICONFORT"), ("Iso 2000", "Iso 2000")])
def test_digits_a_scan_read_for_a_names_capitals_are_letters_again(read, expected):
    assert digits_read_for_letters(read) == expected
