"""find_cee_codes(): operation codes as printed or as OCR reads them, without inventing any."""
from extraction.operation_codes import find_cee_codes


def test_codes_in_every_spelling_are_canonical_unique_and_ordered():
    text = "Fiche BAR TH 171 ; bar-th-172 ; BAR-TH171 (rappel : BAR-TH-171) ; BAT-EQ-127 ; IND-UT-116 ; AGRI-TH-104"
    assert find_cee_codes(text) == ["BAR-TH-171", "BAR-TH-172", "BAT-EQ-127", "IND-UT-116", "AGRI-TH-104"]


def test_ocr_look_alikes_in_the_number_are_read_as_digits():
    assert find_cee_codes("BAR-TH-l71 BAR-EN-1O1 8AR-TH-148") == ["BAR-TH-171", "BAR-EN-101", "BAR-TH-148"]


def test_a_typewriter_fonts_digits_read_apart_by_a_scan_are_one_number():
    assert find_cee_codes("Fiche : BAR-TH-1 12 Appareil ; BAR-EN-10 1") == ["BAR-TH-112", "BAR-EN-101"]
    assert find_cee_codes("BAR-TH-11 2025 ; BAR-TH-1 1 2") == ["BAR-TH-112"]  # no fourth digit, one space each


def test_unknown_sectors_families_and_mostly_letter_numbers_are_not_codes():
    text = "CABAR-TH-171 BAR-XX-171 FOO-TH-171 BAR-TH-lol BAR-TH-1714 REF-EN-101 TVA-FR-123"
    assert find_cee_codes(text) == []


def test_dashes_of_every_kind_and_no_separator():
    assert find_cee_codes("RES–CH–105 TRA-SE-101 BARTH113") == ["RES-CH-105", "TRA-SE-101", "BAR-TH-113"]


def test_empty_text():
    assert find_cee_codes("") == []


def test_a_hyphen_a_scan_read_as_another_sign():
    # letters dev seed 7301, a scanned cadre de contribution: « opération BAR:EN-101 » was missed
    assert find_cee_codes("opération BAR:EN-101 « Isolation » et BAR-TH=148, BAR~TH-171") == [
        "BAR-EN-101", "BAR-TH-148", "BAR-TH-171"]
