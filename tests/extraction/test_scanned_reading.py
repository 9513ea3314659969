"""Reading what OCR makes of a scanned page: the slips a reader sees through (a table's rule
glued to a word, a speck before a postal code, the superscript of « m² »), on OCR'd words only
(confidence below 1); a text layer's words are read as printed."""
import json

import pytest

from extraction.corpus.evaluate import load_specs
from extraction.fields import extract_fields
from extraction.reading import fixture_reading_data
from extraction.types import PageContent, Word

from .pages import page

SCAN = 0.9  # an OCR confidence


@pytest.fixture(scope="module")
def specs():
    return load_specs()


def values(result: dict) -> dict:
    return {name: value.value for name, value in result.items()}


def test_a_table_rule_glued_to_a_number_is_no_part_of_it(specs):
    """A boxed header row read by OCR: the box's left edge opens the number (classic dev seed 1520)."""
    rows = [(0.08, 0.30, "Référence"), (0.25, 0.30, "Date d'édition"), (0.45, 0.30, "Validité"), (0.62, 0.30, "Client n°"),
            (0.08, 0.315, "[DEV-2023-01800"), (0.25, 0.315, "24/03/2023"), (0.45, 0.315, "1 mois"),
            (0.62, 0.315, "C33715")]
    got = values(extract_fields([page(rows, conf=SCAN)], specs["devis"], fixture_reading_data("devis")))
    assert got["numero_devis"] == "DEV-2023-01800"


def test_a_speck_before_the_postal_code_still_ends_the_recipient_block(specs):
    """« ‘21000 DIJON. » on a phone photo of a letter (letters dev seed 1320)."""
    rows = [(0.08, 0.05, "Solutions Perrin"), (0.08, 0.07, "84 impasse des Acacias - 14000 Caen - 04 74 54 14 17"),
            (0.53, 0.15, "Mme GRENIER Christiane"), (0.53, 0.165, "138 boulevard Gambetta"), (0.53, 0.18, "‘21000 DIJON."),
            (0.72, 0.215, "Fait à Caen, le 3 juin 2025"), (0.08, 0.24, "Objet : Pompe à chaleur de type air/eau")]
    got = values(extract_fields([page(rows, conf=SCAN)], specs["devis"], fixture_reading_data("devis")))
    assert (got["beneficiaire_nom"], got["beneficiaire_adresse"], got["beneficiaire_code_postal"],
            got["beneficiaire_ville"]) == ("Mme GRENIER Christiane", "138 boulevard Gambetta", "21000", "DIJON")


def test_a_speck_read_as_a_letter_between_a_recipient_blocks_lines_breaks_no_block(specs):
    """retail dev 1586: « é », a speck of the letterhead's column the engine read with no confidence,
    made a line of its own between « 20 quai de Bretagne » and « 21000 DIJON »."""
    rows = [(0.097, 0.084, "Énergies Durand"), (0.53, 0.093, "Livraison / pose chez"),
            (0.096, 0.103, "76 ter impasse des Peupliers"), (0.53, 0.112, "Monsieur et Madame Jérôme Perrier"),
            (0.095, 0.118, "46000 Orléans"), (0.529, 0.129, "20 quai de Bretagne"),
            (0.094, 0.132, "Tél. 03 05 24 20 99 — contact@energiesdurand.fr"), (0.529, 0.145, "21000 DIJON"),
            (0.094, 0.148, "SIRET 999 892 649 10080"), (0.08, 0.20, "FACTURE N° FA-2514457")]
    scan = page(rows, conf=SCAN)
    specks = [Word("é", (0.288, 0.1405, 0.290, 0.1425), 0.0), Word("ë", (0.344, 0.1425, 0.346, 0.1445), 0.0)]
    scan = PageContent(scan.number, scan.text, scan.words + specks, scan.width, scan.height, scan.source)
    got = values(extract_fields([scan], specs["facture"], fixture_reading_data("facture")))
    assert (got["beneficiaire_nom"], got["beneficiaire_adresse"]) == ("Monsieur et Madame Jérôme Perrier",
                                                                      "20 quai de Bretagne")


def test_a_dash_read_with_no_confidence_stays_in_its_line():
    """office dev 1436: « THERMISOLATION - SARL au capital … », the dash read with no confidence
    is no speck: without it the name ran into the legal form."""
    from extraction.extractors.layout import build_lines

    scan = page([(0.20, 0.95, "THERMISOLATION"), (0.34, 0.95, "SARL au capital de 50 000 €")], conf=SCAN)
    dash = Word("-", (0.325, 0.9555, 0.331, 0.9575), 0.1)
    lines = build_lines(scan.words + [dash])
    assert [line.text for line in lines] == ["THERMISOLATION - SARL au capital de 50 000 €"]


def test_an_amount_a_scan_garbled_gives_way_to_the_same_field_read_clearly_elsewhere(specs):
    """network dev 1484: « Prime CEE Alliance Délégation HaBit@60,80 EUR », the prime's amount run
    into the obligé's name in the totals and read with no confidence, over the sentence's
    « Prime versée par Alliance Délégation Habitat : 2 950,80 EUR »."""
    rows = [(0.08, 0.05, "BATI FRANCE"), (0.08, 0.10, "FACTURE N° F-237000"),
            (0.08, 0.30, "Prime versée par Alliance Délégation Habitat : 2 950,80 EUR déduite du montant TTC"),
            (0.55, 0.60, "Montant total HT"), (0.80, 0.60, "6 078,62 EUR"), (0.55, 0.62, "TVA 5,5 %"),
            (0.80, 0.62, "334,32 EUR"), (0.55, 0.64, "Total TTC"), (0.80, 0.64, "6 412,94 EUR"),
            (0.55, 0.66, "Prime CEE Alliance Délégation"), (0.78, 0.66, "HaBit@60,80 EUR"),
            (0.55, 0.68, "NET À PAYER"), (0.80, 0.68, "3 462,14 EUR")]
    scan = page(rows, conf=SCAN)
    words = [Word(w.text, w.bbox, 0.15) if w.text == "HaBit@60,80" else w for w in scan.words]
    scan = PageContent(scan.number, scan.text, words, scan.width, scan.height, scan.source)
    assert values(extract_fields([scan], specs["facture"], fixture_reading_data("facture")))["prime_cee"] == "2950.80"


def test_a_model_codes_zero_a_scan_read_as_o_is_a_zero(specs):
    """network dev 1484, platform dev 1529: « Daikin Altherma 3 R EHBHO8D6V » for EHBH08D6V."""
    rows = [(0.08, 0.05, "CLIMCONCEPT"), (0.08, 0.10, "DEVIS N° D-2024-118"),
            (0.08, 0.40, "Pompe à chaleur air/eau Daikin Altherma 3 R EHBHO8D6V"), (0.66, 0.40, "1"),
            (0.75, 0.40, "9 052,81")]
    got = values(extract_fields([page(rows, conf=SCAN)], specs["devis"], fixture_reading_data("devis")))
    assert json.loads(got["reference_produit"]) == ["Altherma 3 R EHBH08D6V"]
    # a text layer prints what the document says
    got = values(extract_fields([page(rows)], specs["devis"], fixture_reading_data("devis")))
    assert json.loads(got["reference_produit"]) == ["Altherma 3 R EHBHO8D6V"]


@pytest.mark.parametrize("read, kept", [("EHVXO8S26E6V", "EHVX08S26E6V"), ("Aquarea WH-MDCO9J3E5", "Aquarea WH-MDC09J3E5"),
                                        ("ECO20", "ECO20"), ("PRO 2", "PRO 2"), ("Tescon No.1", "Tescon No.1")])
def test_zeros_in_model_codes(read, kept):
    from extraction.normalise import zeros_in_model_codes

    assert zeros_in_model_codes(read) == kept


def test_square_metres_whose_superscript_ocr_read_as_a_sign(specs):
    """OCR reads the ² of « m² » as « ? » or « ° » (letters dev seed 1320: 18 surfaces lost)."""
    rows = [(0.08, 0.40, "Isolant Knauf Insulation Supafil Loft 045 100 mm, résistance"), (0.60, 0.40, "59,50 m?"),
            (0.75, 0.40, "139,91"), (0.08, 0.415, "thermique R = 3,70 m?.K/W")]
    got = values(extract_fields([page(rows, conf=SCAN)], specs["devis"], fixture_reading_data("devis")))
    assert got["surface_m2"] == "59.50"
    rows = [(0.08, 0.40, "Pompe à chaleur air/eau"), (0.75, 0.40, "9 052,81"), (0.08, 0.415, "Pour un logement de 114 m° chauffés")]
    got = values(extract_fields([page(rows, conf=SCAN)], specs["facture"], fixture_reading_data("facture")))
    assert got["surface_m2"] == "114.00"


def test_a_label_s_colon_glued_to_the_name_after_it(specs):
    """« Nom du client :.Mme Denise GUILLAUME »: OCR read the colon and a speck into the name's first word
    (classic dev seed 1520)."""
    rows = [(0.08, 0.30, "CADRE A - Identification du bénéficiaire"), (0.08, 0.32, "Nom du client :.Mme Denise GUILLAUME"),
            (0.08, 0.34, "Adresse : 131 avenue du Château")]
    got = values(extract_fields([page(rows, conf=SCAN)], specs["attestation_honneur"],
                                fixture_reading_data("attestation_honneur")))
    assert got["beneficiaire_nom"] == "Mme Denise GUILLAUME"


def test_a_dash_ocr_boxed_around_its_ink_stays_in_its_line(specs):
    """OCR boxes « - » as a sliver at mid-height of its line: it made a line of its own, and the
    legal footer « HABITAT - SAS au capital… » lost the dash that names the company (classic dev
    seed 1520: the street under « Émetteur » was read as the company in 4 devis and factures)."""
    rows = [(0.05, 0.05, "HABITATHABITAT"), (0.05, 0.075, "Chauffage - Isolation - Énergies renouvelables"),
            (0.05, 0.12, "Émetteur"), (0.05, 0.135, "54 bis quai du Moulin"), (0.05, 0.15, "12000 Rodez"),
            (0.14, 0.943, "HABITATHABITAT - SAS au capital de 5 000 € - RCS Rodez 921 090 395")]
    scanned = page(rows, conf=SCAN)
    slivers = [Word(w.text, (w.bbox[0], w.bbox[1] + 0.0075, w.bbox[2], w.bbox[1] + 0.0081), w.conf)
               if w.text == "-" else w for w in scanned.words]
    scanned = PageContent(1, scanned.text, slivers, 595.0, 842.0, "ocr:tesseract")
    got = values(extract_fields([scanned], specs["devis"], fixture_reading_data("devis")))
    assert got["raison_sociale_installateur"] == "HABITATHABITAT"


def test_a_dateline_after_a_speck(specs):
    """A dash a scan puts before the dateline (letters dev seed 1320, a phone photo of a devis)."""
    rows = [(0.08, 0.05, "Thermi Pro"), (0.08, 0.065, "3 rue de la Gare - 63000 Clermont-Ferrand"),
            (0.55, 0.20, "- Clermont-Ferrand, le 06-07-24"), (0.08, 0.24, "Objet : Devis estimatif n° 202409678")]
    got = values(extract_fields([page(rows, conf=SCAN)], specs["devis"], fixture_reading_data("devis")))
    assert got["date_devis"] == "2024-07-06"


def test_the_comma_after_the_beneficiary_s_name_read_as_a_semicolon(specs):
    """« Je soussigné(e) LEFÈVRE Zacharie; demeurant … » on a scanned attestation (letters dev seed 1320)."""
    rows = [(0.08, 0.10, "A / Le bénéficiaire"),
            (0.08, 0.127, "Je soussigné(e) LEFÈVRE Zacharie; demeurant 19 avenue des Écoles, 92100"),
            (0.08, 0.143, "Boulogne-Billancourt, atteste sur l'honneur que les travaux ont été achevés le 11/11/2024.")]
    got = values(extract_fields([page(rows, conf=SCAN)], specs["attestation_honneur"],
                                fixture_reading_data("attestation_honneur")))
    assert (got["beneficiaire_nom"], got["beneficiaire_adresse"], got["beneficiaire_code_postal"],
            got["beneficiaire_ville"]) == ("LEFÈVRE Zacharie", "19 avenue des Écoles", "92100", "Boulogne-Billancourt")


def test_a_company_name_read_once_gives_way_to_its_reading_twice_elsewhere():
    """A scan cut the footer's « Bati » to « Ba »; the letterhead and the signature block print
    « Bati Rénovation » right: the name read twice wins over the one reading that slipped."""
    from extraction.corpus.evaluate import load_specs
    from extraction.fields import extract_fields
    from extraction.reading import fixture_reading_data

    from .pages import page

    rows = [(0.08, 0.05, "Bati Rénovation"), (0.08, 0.065, "150 quai Louis Pergaud"), (0.08, 0.08, "45000 Orléans"),
            (0.08, 0.16, "DEVIS N° DV-2025-118"),
            (0.55, 0.80, "Entreprise : Bati Rénovation"),
            (0.08, 0.95, "Ba Rénovation - SASU au capital de 100 000 € - SIRET 614 207 413 00095 - RCS Orléans")]
    specs = load_specs()["devis"]
    got = extract_fields([page(rows, conf=0.9)], specs, fixture_reading_data("devis"))
    assert got["raison_sociale_installateur"].value == "Bati Rénovation"


def test_a_siret_misread_against_its_luhn_key_gives_way_to_its_right_reading(specs):
    """The header's SIRET misread by a scan (« 10096 »), the footer's read right (« 10036 »): the
    reading that passes the Luhn key is the number; another company's SIRET is not demoted."""
    rows = [(0.08, 0.05, "BATI ALPES"), (0.08, 0.07, "103 rue des Mimosas 72000 Le Mans"),
            (0.08, 0.09, "SIRET : 707 303 152 10096"), (0.60, 0.16, "FACTURE N° FAC007864"),
            (0.08, 0.90, "SIRET 707 303 152 10036 - RCS Le Mans 707 303 152 - APE 4321A")]
    got = values(extract_fields([page(rows, conf=SCAN)], specs["facture"], fixture_reading_data("facture")))
    assert got["siret_installateur"] == "70730315210036"
    rows[-1] = (0.08, 0.90, "Pose sous-traitée à CLIM SERVICES, SIRET 642 478 556 00037")
    got = values(extract_fields([page(rows, conf=SCAN)], specs["facture"], fixture_reading_data("facture")))
    assert got["siret_installateur"] == "70730315210096"


def test_a_tax_abbreviation_glued_to_its_total_by_a_scan_is_still_the_label(specs):
    """« TOTALT.T.C. » (the space lost): the total is the TTC, not the net to pay after the prime."""
    from extraction.extractors.text import token_texts

    assert token_texts("TOTALT.T.C. MONTANTH.T.") == ["total", "ttc", "montant", "ht"]
    rows = [(0.08, 0.05, "THERMI SOLUTIONS"), (0.60, 0.16, "FACTURE N° FAC002161"),
            (0.55, 0.60, "Total HT"), (0.80, 0.60, "19 971,84 €"),
            (0.55, 0.62, "TVA à 5,5%"), (0.80, 0.62, "1 098,45 €"),
            (0.55, 0.64, "TOTALT.T.C."), (0.80, 0.64, "21 070,29 €"),
            (0.55, 0.66, "Déduction prime énergie"), (0.80, 0.66, "-1970,18€"),
            (0.55, 0.68, "NET À PAYER"), (0.80, 0.68, "19 100,11 €")]
    got = values(extract_fields([page(rows, conf=SCAN)], specs["facture"], fixture_reading_data("facture")))
    assert got["montant_ttc"] == "21070.29"


def test_a_vat_glued_to_its_rate_with_the_totals_commas_lost_by_a_scan(specs):
    """« TVA5,5% | 17158€ », « Total TTC | 329121€ »: the VAT's label glued to its rate is still
    the label, and the totals whose commas the scan lost are those that add up (3 119,63 € +
    171,58 € = 3 291,21 €), not the prime's « -2534,42 € » under them."""
    from extraction.extractors.text import token_texts

    assert token_texts("TVA5,5% TVA20%") == ["tva", "5", "5", "tva", "20"]
    rows = [(0.08, 0.05, "CLIMÉNERGIES"), (0.60, 0.10, "DEVIS N° D-25011"),
            (0.55, 0.49, "Total HT"), (0.80, 0.49, "3119,63€"),
            (0.55, 0.51, "TVA5,5%"), (0.80, 0.51, "17158€"),
            (0.55, 0.53, "Total TTC"), (0.80, 0.53, "329121€"),
            (0.55, 0.55, "Prime énergie CEE déduite"), (0.80, 0.55, "-2534,42€"),
            (0.55, 0.57, "Reste à charge TTC"), (0.80, 0.57, "756,79")]
    got = values(extract_fields([page(rows, conf=SCAN)], specs["devis"], fixture_reading_data("devis")))
    assert (got["montant_ht"], got["montant_tva"], got["montant_ttc"]) == ("3119.63", "171.58", "3291.21")


def test_an_identifiers_zero_a_scan_read_as_the_letter_o_is_a_zero(specs):
    """« FACO08171 »: the letter O before the zeros of a numbering is one of them (a text layer's
    characters are the document's, left as printed)."""
    rows = [(0.08, 0.05, "THERMI SOLUTIONS"), (0.60, 0.16, "FACTURE N° FACO08171"), (0.60, 0.18, "Date : 12/03/2025")]
    got = values(extract_fields([page(rows, conf=SCAN)], specs["facture"], fixture_reading_data("facture")))
    assert got["numero_facture"] == "FAC008171"
    got = values(extract_fields([page(rows)], specs["facture"], fixture_reading_data("facture")))
    assert got["numero_facture"] == "FACO08171"


def test_a_brand_a_scan_misread_two_look_alike_letters_of_is_the_lexicons(specs):
    """« Ciipsot Combi 400 »: a scan read « i » and « t » for the two « l » of Clipsol — letters read
    for one another count as one, one slip left; the lexicon's brand, not an unknown « Ciipsot »."""
    from extraction.extractors.brand_lexicon import ocr_first_tokens as _ocr_first_tokens
    from extraction.reading import fixture_reading_data

    brands = fixture_reading_data("devis").brands
    assert _ocr_first_tokens("ciipsot", brands) == ("clipsol",)
    assert _ocr_first_tokens("isolation", brands) == ()
    rows = [(0.08, 0.05, "ISO SUD"), (0.08, 0.10, "DEVIS N° DV-2024-0412"),
            (0.08, 0.30, "Désignation"), (0.62, 0.30, "Qté"), (0.70, 0.30, "PU HT"), (0.85, 0.30, "Total HT"),
            (0.08, 0.32, "Chauffe-eau solaire Ciipsot Combi 400"), (0.62, 0.32, "1"), (0.70, 0.32, "6 400,00"),
            (0.85, 0.32, "6 400,00")]
    got = values(extract_fields([page(rows, conf=SCAN)], specs["devis"], fixture_reading_data("devis")))
    assert (got.get("marque"), got.get("reference_produit")) == ('["Clipsol"]', '["Combi 400"]')


def test_an_installers_name_in_capitals_a_scan_read_digits_in_is_read_in_letters(specs):
    """« 1S0 OUEST — SARL au capital de 50 000 € » in a scanned footer: ISO OUEST, as a text layer
    would print it (on a text layer the characters stay as printed)."""
    from extraction.reading import fixture_reading_data

    rows = [(0.08, 0.10, "FACTURE N° F2024-0412"),
            (0.08, 0.95, "1S0 OUEST — SARL au capital de 50 000 € - SIRET 937 957 983 00052 — RCS Auxerre 937 957 983")]
    for conf, expected in ((SCAN, "ISO OUEST"), (1.0, "1S0 OUEST")):
        got = values(extract_fields([page(rows, conf=conf)], specs["facture"], fixture_reading_data("facture")))
        assert got.get("raison_sociale_installateur") == expected


def _with_words(scan: PageContent, words: list[Word]) -> PageContent:
    return PageContent(scan.number, scan.text, words, scan.width, scan.height, scan.source)


def test_legal_mentions_a_scan_read_up_the_margin_are_a_line_of_their_own(specs):
    """« BOUYGUES TELECOM - Société Anonyme au capital … » printed up a bill's right edge: the engine
    boxes each word to the strip (same left and right edges, the long words taller than wide),
    in reading order. Read across, they ran into the totals' lines (« … | 10,83 | 12,99 | 490 »)."""
    from extraction.extractors.layout import build_lines

    rows = [(0.04, 0.429, "Vos services Bouygues Telecom"), (0.80, 0.429, "10,83"), (0.90, 0.429, "12,99"),
            (0.04, 0.448, "Vos abonnements, forfaits et options"), (0.80, 0.448, "10,83"), (0.90, 0.448, "12,99"),
            (0.04, 0.506, "TVA 20,00 % payée sur les débits"), (0.80, 0.506, "2,17")]
    scan = page(rows, conf=SCAN)
    strip, y = [], 0.80
    for text in "BOUYGUES TELECOM - Société Anonyme au capital de 712 508 309,96 € - RCS PARIS 397 480 930".split():
        height = max(0.0035 * len(text), 0.002)
        strip.append(Word(text, (0.976, y - height, 0.995, y), 0.7))  # up the page: the first word lowest
        y -= height + 0.002
    lines = build_lines(scan.words + strip, scan)
    assert [" ".join(w.text for w in line.words) for line in lines if line.words[0].bbox[0] > 0.97] == \
        ["BOUYGUES TELECOM - Société Anonyme au capital de 712 508 309,96 € - RCS PARIS 397 480 930"]
    assert all(w.bbox[0] < 0.97 for line in lines if line.words[0].bbox[0] < 0.97 for w in line.words)
    assert [line.cells for line in lines[:3]] == [[(0, 4), (4, 5), (5, 6)], [(0, 5), (5, 6), (6, 7)], [(0, 7), (7, 8)]]


def test_a_word_a_scan_boxed_at_its_last_letters_cuts_no_label_in_two(specs):
    """« Montant hors TVA soumis à une TVA à 20,00 % | 10,83 » on a photo: the engine boxed
    « TVA » at its last letter, the gap before it as wide as a column's; its letters need the room
    of a word of three, and the label is read whole."""
    rows = [(0.06, 0.05, "BOUYGUES TELECOM"), (0.06, 0.12, "Date de facture : 02/11/2019"),
            (0.06, 0.14, "N° de facture : 11608848301659"),
            (0.04, 0.489, "Montant de la facture soumis à TVA"), (0.80, 0.489, "10,83"), (0.90, 0.489, "12,99"),
            (0.04, 0.516, "Montant hors TVA soumis à une TVA à 20,00 %"), (0.90, 0.516, "10,83")]
    scan = page(rows, conf=SCAN)
    words = list(scan.words)
    k = next(i for i, w in enumerate(words) if w.text == "TVA" and w.bbox[1] == 0.516)
    x1 = words[k].bbox[2]
    words[k] = Word("TVA", (x1 - 0.005, words[k].bbox[1], x1, words[k].bbox[3]), SCAN)
    got = values(extract_fields([_with_words(scan, words)], specs["facture"], fixture_reading_data("facture")))
    assert got["montant_ht"] == "10.83"


def test_a_logo_a_scan_read_as_doubtful_letters_is_not_the_companys_name(specs):
    """« A\\KICUIO)T 1 »: the name drawn in the logo's typeface, read with little confidence above
    the letterhead's first line read clearly (« Akretion France »)."""
    rows = [(0.05, 0.00, "A\\KICUIO)T 1"), (0.05, 0.027, "Akretion France"), (0.05, 0.046, "27 rue Henri Rolland"),
            (0.05, 0.065, "69100 Villeurbanne"), (0.59, 0.17, "Cabinet CACtus"), (0.05, 0.25, "Invoice VT/2022/0001")]
    scan = page(rows, conf=SCAN)
    words = [Word(w.text, w.bbox, 0.45) if w.bbox[1] == 0.0 else w for w in scan.words]
    got = values(extract_fields([_with_words(scan, words)], specs["facture"], fixture_reading_data("facture")))
    assert got["raison_sociale_installateur"] == "Akretion France"
    # a first line read clearly is the letterhead's name as before
    got = values(extract_fields([scan], specs["facture"], fixture_reading_data("facture")))
    assert got["raison_sociale_installateur"] == "A\\KICUIO)T 1"


def test_a_full_stop_a_scan_set_before_a_sirets_last_group_cuts_no_siret(specs):
    """« SIRET 696 370 188. 10082 » in a scanned footer (network dev 1485): the full stop a speck
    made before the group's space leaves the fourteen digits one SIRET."""
    rows = [(0.06, 0.05, "Facture n° F-246834 du 19/10/2024"),
            (0.14, 0.92, "SOLUEXPERT - SAS au capital de 5 000 € SIRET 696 370 188. 10082 - RCS Foix 696 370 188")]
    got = values(extract_fields([page(rows, conf=SCAN)], specs["facture"], fixture_reading_data("facture")))
    assert got["siret_installateur"] == "69637018810082"


def test_a_line_a_photo_shows_rising_more_than_the_page_is_one_line(specs):
    """« La société Mint Énergie, dont le siège social est situé … » on a phone photo (office dev
    1442): the line rises across the page more than the page's skew; its right-hand words sorted
    higher made a row of their own, « La société Mint » another, and the obligé lost its name."""
    from extraction.extractors.layout import build_lines

    rows = [(0.045, 0.03, "Mint Énergie"), (0.21, 0.073, "CONVENTION D'INCITATION AUX ÉCONOMIES D'ÉNERGIE"),
            (0.045, 0.138, "ENTRE LES SOUSSIGNÉS :")]
    rows += [(0.045, 0.30 + 0.016 * k, "Article 2 : le bénéficiaire s'engage à faire réaliser les travaux par un professionnel")
             for k in range(8)]
    scan = page(rows, conf=SCAN)
    words, x, y = list(scan.words), 0.045, 0.160
    for text in ("La société Mint Énergie, dont le siège social est situé 12 rue de la Chaussée d'Antin, 75009 Paris, "
                 "immatriculée au registre du commerce et des sociétés").split():
        width = len(text) * 0.0055
        words.append(Word(text, (x, y, x + width, y + 0.009), SCAN))
        x += width + 0.004
        y -= 0.0015 if text == "Mint" else 0.0005  # the photo's bend: a step where the words parted
    words += [Word(t, (x0, 0.176, x0 + 0.0055 * len(t), 0.185), SCAN)
              for t, x0 in (("sous", 0.044), ("le", 0.072), ("numéro", 0.086), ("963", 0.125), ("910", 0.145),
                            ("062,", 0.165), ("ci-après", 0.19), ("dénommée", 0.24), ("«", 0.295), ("l'Obligé", 0.303),
                            ("»,", 0.35))]
    lines = build_lines(words, scan)
    assert [" ".join(w.text for w in line.words)[:32] for line in lines[3:5]] == [
        "La société Mint Énergie, dont le", "sous le numéro 963 910 062, ci-a"]
    got = values(extract_fields([_with_words(scan, words)], specs["cadre_contribution"],
                                fixture_reading_data("cadre_contribution")))
    assert got["nom_oblige"] == "Mint Énergie"


def test_a_dash_a_scan_doubled_still_parts_a_senders_department_from_its_company(specs):
    """« De : Pôle Primes CEE -— Mint Énergie <primes@mint.fr> » (office dev 1442): the company is
    the part the mail names again, the doubled dash parts it from the department as one dash does."""
    rows = [(0.08, 0.034, "Messagerie — Valérie Ferrand"), (0.08, 0.062, "Mint Énergie Engagement de prime - CEE-206618"),
            (0.08, 0.093, "De :"), (0.18, 0.093, "Pôle Primes CEE -— Mint Énergie <primes@mint.fr>"),
            (0.08, 0.110, "Date :"), (0.18, 0.110, "17 août 2024 à 08:46"),
            (0.08, 0.124, "À :"), (0.18, 0.124, "Valérie Ferrand <valerie.66@example.fr>"),
            (0.08, 0.181, "Bonjour Mme FERRAND,"),
            (0.08, 0.207, "Nous avons le plaisir de vous confirmer que Mint Énergie s'engage à vous verser une prime")]
    got = values(extract_fields([page(rows, conf=SCAN)], specs["cadre_contribution"],
                                fixture_reading_data("cadre_contribution")))
    assert got["nom_oblige"] == "Mint Énergie"


def test_a_town_after_its_postal_code_is_read_where_the_scan_garbled_its_label(specs):
    """« Code postal | 09000 | Gide | Foix » (« Ville » read « Gide », retail dev 1588; « Væ: RODEZ »
    on platform dev 1529): the town after the labelled postal code and one short word, not the
    professional's town its own « Ville » label gives under « 3. Le professionnel »."""
    rows = [(0.28, 0.06, "ATTESTATION SUR L'HONNEUR"), (0.06, 0.137, "1. Le bénéficiniré"),
            (0.05, 0.162, "Nom"), (0.26, 0.162, "MARY"), (0.50, 0.162, "Prénom"), (0.62, 0.162, "Laure"),
            (0.05, 0.198, "Adresse des travaux"), (0.26, 0.198, "33 rue Jules Ferry"),
            (0.05, 0.228, "Code postal"), (0.26, 0.228, "09000"), (0.50, 0.228, "Gide"), (0.62, 0.228, "Foix"),
            (0.05, 0.250, "Téléphone"), (0.26, 0.250, "07 55 18 29 51"),
            (0.06, 0.45, "3. Le professionnel"), (0.05, 0.48, "Raison sociale"), (0.26, 0.48, "Habitat Dépôt Solutions"),
            (0.05, 0.51, "SIRET"), (0.26, 0.51, "92097153800052"), (0.50, 0.51, "Ville"), (0.62, 0.51, "Angoulême")]
    spec, reading = specs["attestation_honneur"], fixture_reading_data("attestation_honneur")
    assert values(extract_fields([page(rows, conf=SCAN)], spec, reading))["beneficiaire_ville"] == "Foix"
    # another field's label after the code is no town's: « Tél. » over a number, « Pays | France »
    rows[11] = (0.62, 0.228, "France")
    rows[10] = (0.50, 0.228, "Pays")
    assert values(extract_fields([page(rows, conf=SCAN)], spec, reading)).get("beneficiaire_ville") != "France"
