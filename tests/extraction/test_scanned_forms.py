"""Forms and headers as OCR reads them: a date cut in two, values typed off their labels' line,
a garbled block label, a number's column heading parted from its sign."""
from __future__ import annotations

import json

import pytest

from extraction.extractors.layout import build_lines
from extraction.extractors.values import find_values
from extraction.fields import extract_fields
from extraction.reading import fixture_reading_data
from extraction.types import FieldValue, PageContent, Word

from .pages import CHAR_W, LINE_H, page
from .test_scanned_reading import SCAN, specs, values  # noqa: F401 (specs: the module's fixture)


def _word(text: str, x: float, y: float, conf: float = SCAN) -> Word:
    return Word(text, (x, y, x + len(text) * CHAR_W, y + LINE_H), conf)


def _cut(text: str, at: int, x: float, y: float, gap: float, conf: float = SCAN) -> list[Word]:
    """``text`` as two words cut after ``at`` characters, ``gap`` apart."""
    first = _word(text[:at], x, y, conf)
    return [first, _word(text[at:], first.bbox[2] + gap, y, conf)]


@pytest.mark.parametrize("text, at, expected", [("28/10/2025", 1, "2025-10-28"), ("13/09/2025", 4, "2025-09-13"),
                                                ("07/10/2025", 4, "2025-10-07")])
def test_a_date_ocr_cut_in_two_words_a_sliver_apart_is_one_date(text, at, expected):
    """« 2 8/10/2025 », « 13/0 9/2025 », « 07/1 0/2025 » (office dev 1443: an attestation's dates
    and a certificate's end of validity): the engine left a gap narrower than a space inside the
    date. A space's gap parts them (« 2 8/10/2025 » is then the 8th); a text layer's words are
    the document's."""
    assert [v.value for v in find_values("date", _cut(text, at, 0.3, 0.5, 0.25 * CHAR_W))] == [expected]
    spaced = [v.value for v in find_values("date", _cut(text, at, 0.3, 0.5, CHAR_W))]
    assert expected not in spaced
    assert expected not in [v.value for v in find_values("date", _cut(text, at, 0.3, 0.5, 0.25 * CHAR_W, conf=1.0))]


def test_dates_a_scan_cut_in_two_are_read_on_an_attestation(specs):
    rows = [(0.28, 0.06, "ATTESTATION SUR L'HONNEUR"), (0.05, 0.16, "Nom : MARY Laure"),
            (0.05, 0.19, "Adresse des travaux : 33 rue Jules Ferry 09000 Foix"), (0.05, 0.22, "Fiche : BAR-EN-101")]
    scan = page(rows, conf=SCAN)
    label = "Date d'engagement (signature du devis) :"
    words = list(scan.words)
    words += [_word(t, x, 0.30) for t, x in zip(label.split(), (0.05, 0.10, 0.21, 0.30, 0.33, 0.37))]
    words += _cut("13/09/2025", 4, 0.45, 0.30, 0.002)
    words += [_word(t, x, 0.33) for t, x in zip("Date d'achèvement des travaux :".split(), (0.05, 0.10, 0.22, 0.26, 0.33))]
    words += _cut("28/10/2025", 1, 0.36, 0.33, 0.002)
    scan = PageContent(1, scan.text, words, scan.width, scan.height, "ocr:tesseract")
    got = values(extract_fields([scan], specs["attestation_honneur"], fixture_reading_data("attestation_honneur")))
    assert (got.get("date_engagement"), got.get("date_achevement")) == ("2025-09-13", "2025-10-28")


def _form_row(y: float, cells: list[tuple[float, str]], conf: float = SCAN) -> list[Word]:
    words = []
    for x, text in cells:
        for token in text.split():
            words.append(_word(token, x, y, conf))
            x += (len(token) + 1) * CHAR_W
    return words


def test_a_value_typed_in_its_box_half_a_line_above_its_label_is_on_the_labels_line(specs):
    """« Date d'engagement | 05/06/2026 | Date d'achèvement » and, half a line higher in the box
    right of the last label, « 20/07/2026 » (retail dev 1589, an attestation's photo): no colon
    after the label, the value in a gap two characters or more right of it: one line. On a text
    layer, or further than half a line, two lines as before."""
    def lines_of(conf: float, shift: float):
        words = _form_row(0.36, [(0.055, "Date d'engagement"), (0.25, "05/06/2026"), (0.51, "Date d'achèvement")], conf)
        words += _form_row(0.36 - shift, [(0.705, "20/07/2026")], conf)
        scan = PageContent(1, "", words, 595.0, 842.0, "ocr:tesseract" if conf < 1 else "text_layer")
        return [[w.text for w in line.words] for line in build_lines(words, scan)]

    assert lines_of(SCAN, 0.5 * LINE_H) == [["Date", "d'engagement", "05/06/2026", "Date", "d'achèvement", "20/07/2026"]]
    assert len(lines_of(1.0, 0.5 * LINE_H)) == 2
    assert len(lines_of(SCAN, 0.7 * LINE_H)) == 2


def test_a_value_off_its_label_s_line_after_a_colon_the_scan_read_as_a_point(specs):
    """« Référence de la facturé . » and, a little higher, « FAC002475 » (office dev 1444: the
    frame's edge through the line, the page tilted): the lone point is the label's colon, the value
    on its line, and the invoice's reference read."""
    def lines_of(colon: str):
        words = _form_row(0.5707, [(0.082, f"Référence de la facturé {colon}")])
        words += _form_row(0.5707 - 0.6 * LINE_H, [(0.31, "FAC002475")])
        scan = PageContent(1, "", words, 595.0, 842.0, "ocr:tesseract")
        return scan, [[w.text for w in line.words] for line in build_lines(words, scan)]

    scan, lines = lines_of(".")
    assert lines == [["Référence", "de", "la", "facturé", ".", "FAC002475"]]
    got = extract_fields([scan], specs["attestation_honneur"], fixture_reading_data("attestation_honneur"))
    assert got["reference_facture"].value == "FAC002475"
    assert len(lines_of("«")[1]) == 2  # another sign is no colon


def _store_header(block_label: str) -> list[tuple[float, float, str]]:
    """A store's invoice header read by OCR: a table of references whose last column is the
    client's box (« Livraison / pose chez »), « N° client » parted in two cells."""
    return [(0.02, 0.027, "FACTURE N° FAC008085"),
            (0.02, 0.077, "Facture n°"), (0.186, 0.077, "Date de facture"), (0.356, 0.077, "N° de commande"),
            (0.524, 0.077, "N°"), (0.539, 0.077, "client"),
            (0.02, 0.095, "FAC008085"), (0.186, 0.095, "20/08/2025"), (0.356, 0.095, "8420752122"),
            (0.524, 0.095, "19942253"), (0.709, 0.095, block_label),
            (0.02, 0.113, "N° de magasin"), (0.186, 0.113, "Vendeur"), (0.356, 0.113, "Carte fidélité"),
            (0.711, 0.113, "M. et Mme GILLES Alexandre"),
            (0.02, 0.131, "0275"), (0.186, 0.131, "V259"), (0.356, 0.131, "9771405472641"), (0.523, 0.131, "20/08/2025"),
            (0.711, 0.131, "90 bis avenue de Verdun"),
            (0.711, 0.149, "66000 Perpignan"),
            (0.02, 0.21, "Objet : Système solaire combiné"),
            (0.02, 0.26, "Désignation"), (0.80, 0.26, "Montant HT"),
            (0.02, 0.28, "Système solaire combiné Giordano SSC Ecosol 300"), (0.80, 0.28, "9 366,35")]


def test_a_client_box_under_a_block_label_a_scan_misread_one_word_of(specs):
    """« Livraison / 2 chez » (« pose » read « 2 », retail dev 1589): the first and last words of
    the three-word label spelt right head the client's block, whose first line is the name; and
    « N° » parted from « client » by the scan heads a number's column, not a block: the address is
    not the date beside it in that column (« 20/08/2025 90 bis avenue de Verdun »)."""
    got = _read_store_header(specs, "Livraison / 2 chez")
    assert got.get("beneficiaire_nom") == "M. et Mme GILLES Alexandre"
    assert got.get("beneficiaire_adresse") == "90 bis avenue de Verdun"
    # the box's label beyond reading: the address is still not read under « N° client »
    assert _read_store_header(specs, "Lvraizon / 2 chez").get("beneficiaire_adresse") == "90 bis avenue de Verdun"


def _read_store_header(specs, block_label: str) -> dict:
    scan = page(_store_header(block_label), conf=SCAN)
    # the engine boxed « N° » at its ink, narrower than two letters: a cell apart from « client »
    words = [Word(w.text, (0.524, w.bbox[1], 0.528, w.bbox[3]), SCAN) if w.text == "N°" and w.bbox[0] == 0.524 else w
             for w in scan.words]
    scan = PageContent(1, scan.text, words, scan.width, scan.height, "ocr:tesseract")
    return values(extract_fields([scan], specs["facture"], fixture_reading_data("facture")))


def test_a_product_a_scan_spelt_twice_otherwise_is_listed_once():
    """« Aquarea WH-MDC09J3E5 » on the item line that names the brand, « Aquarea WH-MDCO9J3E5 »
    on the next (platform dev 1533), or the catalogue's « … 12 kW » beside the label's « … 12kW »
    (office dev 1443, with the first half's corrections): one product, first spelling kept. Two
    products whose letters differ are two."""
    from extraction.extractors.candidates import Candidate
    from extraction.extractors.field_hints import _Hints
    from extraction.extractors.multiple import choose_many
    from extraction.types import FieldSpec

    hints = _Hints.from_spec(FieldSpec("reference_produit", "Référence", "string",
                                       hints={"multiple": True, "lexicon": "reference"}))

    def mention(value: str, y: float, how: str = "lexicon") -> Candidate:
        return Candidate(value, value, 0.8, 1, [_word(value, 0.1, y)], how)

    def listed(candidates, labelled=None):
        return json.loads(choose_many(candidates, hints, lambda beside, h: labelled).value)

    assert listed([mention("Aquarea WH-MDC09J3E5", 0.3), mention("Aquarea WH-MDCO9J3E5", 0.32),
                   mention("TaHoma Therm", 0.34)]) == ["Aquarea WH-MDC09J3E5", "TaHoma Therm"]
    label = FieldValue("Aquarea T-CAP 12kW", "Aquarea T-CAP 12kW", 0.6, 1, (0.1, 0.2, 0.3, 0.21))
    assert listed([mention("Aquarea T-CAP 12 kW", 0.3)], label) == ["Aquarea T-CAP 12 kW"]
    assert listed([mention("Vana 60 mm", 0.3), mention("Vana 80 mm", 0.32)]) == ["Vana 60 mm", "Vana 80 mm"]


def test_a_stores_article_numbers_and_service_codes_under_ref_are_no_products(specs):
    """A store's quote whose « Réf. » column holds its article numbers (« 48827375 ») and service
    codes (« SRV-DEPL Frais de »), the header row garbled by the scan (« Moritant nr », retail dev
    1590): the products are those the item lines name, not the column's codes."""
    rows = [(0.13, 0.05, "MAISONÉA"), (0.60, 0.05, "PROPOSITION COMMERCIALE"), (0.10, 0.11, "N° de devis : D0259-25-057396"),
            (0.10, 0.27, "Réf."), (0.166, 0.27, "Désignation"), (0.62, 0.27, "Qté"), (0.70, 0.27, "Unité"),
            (0.78, 0.27, "PUHT"), (0.88, 0.27, "Moritant nr"),
            (0.086, 0.29, "48827375"), (0.166, 0.29, "Isolation de combles - Isover Comblissimo 4+"), (0.62, 0.29, "118,50"),
            (0.70, 0.29, "m2"), (0.78, 0.29, "88,99"), (0.88, 0.29, "10 545,32"),
            (0.086, 0.31, "68183599"), (0.166, 0.31, "Laine de roche Rockwool Rockroll 35"), (0.62, 0.31, "118,50"),
            (0.70, 0.31, "m2"), (0.78, 0.31, "5,93"), (0.88, 0.31, "702,71"),
            (0.086, 0.33, "SRV-DEPL Frais de"), (0.28, 0.33, "technicien"), (0.62, 0.33, "1"), (0.70, 0.33, "forfait"),
            (0.78, 0.33, "128,00"), (0.88, 0.33, "128,00")]
    got = values(extract_fields([page(rows, conf=SCAN)], specs["devis"], fixture_reading_data("devis")))
    assert json.loads(got["reference_produit"]) == ["Comblissimo 4+", "Rockroll 35"]
