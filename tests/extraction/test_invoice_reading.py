"""Reading totals tables, legal mentions, validity periods and item designations as real
documents print them: each reader is checked on pages written here (the way such documents
look, not from the extractor's rules) and, where one shows it, on a real public document read
in place from ``../shared/testdata/real`` (skipped where that folder is absent).
"""
import json
from pathlib import Path

import pytest

from extraction.corpus.evaluate import load_specs
from extraction.corpus.reading import pdf_pages
from extraction.fields import extract_fields
from extraction.reading import fixture_reading_data

from .pages import page, words_at

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "real"


@pytest.fixture(scope="module")
def specs():
    return load_specs()


def read(pages, specs, doc_type: str) -> dict:
    return {name: v.value for name, v in extract_fields(pages, specs[doc_type], fixture_reading_data(doc_type)).items()}


def real_pages(relative: str):
    path = REAL / relative
    if not path.exists():
        pytest.skip(f"real document {relative} not available")
    return pdf_pages(path, engine="pdfium")  # the text-layer reader the pipeline uses by default


# ---------------------------------------------------------------- amounts and legal mentions

def test_a_siret_after_the_tva_label_is_no_amount(specs):
    rows = [(0.29, 0.04, "TVA : FR11999999998 - SIRET : 99999999800010 - APE : 4778C - SARL au capital de 120 000,00 €"),
            (0.08, 0.40, "Désignation"), (0.70, 0.40, "Montant HT"),
            (0.08, 0.43, "Pose de l'isolant"), (0.70, 0.43, "624,90 €"),
            (0.60, 0.48, "Total HT"), (0.80, 0.48, "624,90 €"),
            (0.60, 0.50, "Taxes"), (0.80, 0.50, "46,25 €"),
            (0.60, 0.52, "Total TTC"), (0.80, 0.52, "671,15 €")]
    got = read([page(rows)], specs, "facture")
    assert got["montant_tva"] == "46.25"  # « Taxes » of the totals table, not the SIRET nor the capital
    assert got["montant_ht"] == "624.90"
    assert got["montant_ttc"] == "671.15"


def test_the_amount_without_tax_is_not_the_tax(specs):
    rows = [(0.07, 0.48, "Montant hors TVA soumis à une TVA à 20,00 %"), (0.88, 0.48, "10,83"),
            (0.07, 0.50, "TVA 20,00 % payée sur les débits"), (0.88, 0.50, "2,17"),
            (0.07, 0.52, "Total à payer"), (0.88, 0.52, "13,00 €")]
    got = read([page(rows)], specs, "facture")
    assert got["montant_ht"] == "10.83"
    assert got["montant_tva"] == "2.17"


def test_a_total_in_a_sentence_ending_a_clause_keeps_its_own_value(specs):
    """« la présente facture : 3297,07 € »: a label inside the sentence does not cut the amount away."""
    rows = [(0.09, 0.50, "Prime CEE versée par Carburoil Énergies et déduite de la présente facture : 3297,07 €.")]
    assert read([page(rows)], specs, "facture")["prime_cee"] == "3297.07"


def test_an_amount_right_aligned_under_a_narrower_header_keeps_its_thousands(specs):
    # a row of totals under their headers, each amount ending where its header ends: « 1 »
    # of « 1 634,39 » lies left of « Aide CEE », the cell must not be cut inside the number
    x = 0.0085  # one character (pages.CHAR_W)
    rows = [(0.20, 0.50, "Montant HT"), (0.42, 0.50, "TVA 5,5 %"), (0.63, 0.50, "Total TTC"), (0.845, 0.50, "Aide CEE"),
            (0.19, 0.53, "7 186,46 EUR"), (0.41, 0.53, "395,26 EUR"), (0.61, 0.53, "7 581,72 EUR"),
            (0.845 + 8 * x - 14 * x, 0.53, "- 1 634,39 EUR")]
    got = read([page(rows)], specs, "facture")
    assert got["prime_cee"] == "1634.39"
    assert got["montant_ttc"] == "7581.72"


@pytest.mark.parametrize("printed, ocr, expected", [
    ("3.668.441 €", True, "3668.44"),  # a scanned « 3 668,44 € »: comma read as a dot, a speck as a digit
    ("97728€", True, "977.28"),  # a scanned « 977,28 € » whose comma was lost
    ("3 668,44 €", True, "3668.44"),
    ("3.668.441 €", False, None),  # printed so in a text layer: no misreading to undo, no prime that large
])
def test_a_prime_too_large_for_a_cee_prime_is_a_misread_amount(specs, printed, ocr, expected):
    rows = [(0.08, 0.10, "TotalEnergies Marketing France"), (0.08, 0.30, "Opération : BAR-TH-172"),
            (0.08, 0.33, f"Prime CEE : {printed}")]
    got = read([page(rows, conf=0.8 if ocr else 1.0)], specs, "cadre_contribution")
    assert got.get("montant_prime") == expected


def test_an_invoice_in_english_gives_its_number_and_totals(specs):
    rows = [(0.05, 0.25, "Invoice VT/2022/0001"),
            (0.52, 0.45, "Subtotal"), (0.86, 0.45, "1,509.00 €"),
            (0.52, 0.47, "TVA 20%"), (0.88, 0.47, "301.80 €"),
            (0.52, 0.50, "Total"), (0.86, 0.50, "1,810.80 €")]
    got = read([page(rows)], specs, "facture")
    assert (got["numero_facture"], got["montant_ht"], got["montant_tva"], got["montant_ttc"]) == \
        ("VT/2022/0001", "1509.00", "301.80", "1810.80")


def test_real_factur_x_sample_reads_its_tax_from_the_totals_table(specs):
    got = read(real_pages("documents/oca-edi__Facture_FR_BASICWL.pdf"), specs, "facture")
    assert (got["montant_ht"], got["montant_tva"], got["montant_ttc"]) == ("624.90", "46.25", "671.15")


def test_real_odoo_invoice_in_english(specs):
    got = read(real_pages("documents/oca-edi__akretion_france-test.pdf"), specs, "facture")
    assert (got["numero_facture"], got["montant_ht"], got["montant_ttc"]) == ("VT/2022/0001", "1509.00", "1810.80")


def test_real_telecom_bill_separates_the_tax_from_its_base(specs):
    got = read(real_pages("documents/oca-edi__bouygues_telecom-test.pdf"), specs, "facture")
    assert (got["montant_ht"], got["montant_tva"]) == ("10.83", "2.17")


def test_a_legal_form_written_out_names_the_company_before_it(specs):
    """« BOUYGUES TELECOM - Société Anonyme au capital de … » (the real bill prints it up its margin),
    « Isolation Durand, société par actions simplifiée au capital de 8 000 € »: the name before the
    form written in words; « une société anonyme » in a sentence without a capital is none."""
    got = read(real_pages("documents/oca-edi__bouygues_telecom-test.pdf"), specs, "facture")
    assert got["raison_sociale_installateur"] == "BOUYGUES TELECOM"
    rows = [(0.08, 0.10, "FACTURE N° F2024-0412"), (0.08, 0.14, "Date : 12/03/2025"),
            (0.08, 0.95, "Isolation Durand, société par actions simplifiée au capital de 8 000 € - RCS Lyon 937 957 983")]
    assert read([page(rows)], specs, "facture")["raison_sociale_installateur"] == "Isolation Durand"
    rows[2] = (0.08, 0.95, "Prime versée par Énergie Plus, une société anonyme agréée")
    assert read([page(rows)], specs, "facture").get("raison_sociale_installateur") != "Énergie Plus"


def real_photo(relative: str, seed: int, tmp_path):
    """A phone photo of a real document (``extraction.corpus.scan``: askew, unevenly lit), read as
    the pipeline reads scans."""
    from random import Random

    from extraction.corpus.reading import read_pages, tesseract_available
    from extraction.corpus.scan import scanned_file

    path = REAL / relative
    if not path.exists() or not tesseract_available():
        pytest.skip(f"real document {relative} or Tesseract not available")
    data, kind, _ = scanned_file(path.read_bytes(), Random(seed), photo=True)
    photo = tmp_path / f"photo.{kind}"
    photo.write_bytes(data)
    return read_pages(photo, engine="pdfium")


def test_real_telecom_bill_photographed_reads_its_totals_and_the_odoo_invoice_its_issuer(specs, tmp_path):
    """On photos: the legal mentions printed up the bill's margin stay out of its totals' lines,
    « TVA » boxed at its last letter cuts no « Montant hors TVA » in two; the logo read as
    « A\\KICUIO)T 1 » is not the issuer's name."""
    got = read(real_photo("documents/oca-edi__bouygues_telecom-test.pdf", 207, tmp_path), specs, "facture")
    assert (got["montant_ht"], got["montant_tva"]) == ("10.83", "2.17")
    got = read(real_photo("documents/oca-edi__akretion_france-test.pdf", 206, tmp_path), specs, "facture")
    assert got["raison_sociale_installateur"] == "Akretion France"


# ---------------------------------------------------------------- RGE certificates

def test_a_validity_period_under_its_label_gives_both_ends(specs):
    rows = [(0.04, 0.45, "Dossier N° SE"), (0.64, 0.45, "Certificat numéro"), (0.80, 0.45, "valable :"),
            (0.04, 0.47, "Forme juridique : SARL"), (0.64, 0.47, "du 07/04/2023 au 06/04/2024"),
            (0.64, 0.51, "Attribution de la qualification :"), (0.64, 0.53, "Du 07/04/2022 au 06/04/2026")]
    got = read([page(rows)], specs, "certificat_rge")
    assert (got["date_debut_validite"], got["date_fin_validite"]) == ("2023-04-07", "2024-04-06")


def test_valable_with_one_date_is_the_end_of_validity(specs):
    rows = [(0.20, 0.09, "NUMÉRO E-E40989"), (0.47, 0.09, "VALABLE"), (0.68, 0.09, "04/02/2022"),
            (0.47, 0.105, "JUSQU'AU"), (0.81, 0.13, "ÉDITÉ LE"), (0.91, 0.13, "28/01/2021")]
    got = read([page(rows)], specs, "certificat_rge")
    assert got["date_fin_validite"] == "2022-02-04"
    assert got.get("date_debut_validite") != "2022-02-04"


def test_the_paid_leave_fund_number_is_not_the_certificate_number(specs):
    rows = [(0.22, 0.12, "NUMERO"), (0.32, 0.12, "E-E40989"),
            (0.10, 0.32, "Numéro caisse de congés payés :"), (0.32, 0.32, "2102200 02")]
    assert read([page(rows)], specs, "certificat_rge")["rge_numero"] == "E-E40989"


# ---------------------------------------------------------------- sentences and designations

def test_a_name_wrapped_before_the_verb_of_its_sentence_is_read_whole(specs):
    rows = [(0.08, 0.29, "Dans le cadre du dispositif des certificats d'économies d'énergie (CEE), HEXAGAZ DISTRIBUTION"),
            (0.08, 0.305, "SAS s'engage à contribuer financièrement à votre projet de travaux : opération BAR-TH-171.")]
    assert read([page(rows)], specs, "cadre_contribution")["nom_oblige"] == "HEXAGAZ DISTRIBUTION SAS"


def test_a_surname_that_is_also_a_brand_is_not_a_product(specs):
    rows = [(0.52, 0.145, "M. MILLET Philippe"), (0.52, 0.161, "127 route des Frères Lumière"), (0.52, 0.177, "47000 Agen"),
            (0.08, 0.34, "Désignation"), (0.80, 0.34, "Montant HT"),
            (0.08, 0.36, "Isolant mince multicouche Actis Triso Laine 140 mm"), (0.83, 0.36, "11 579,36")]
    got = read([page(rows)], specs, "facture")
    assert json.loads(got["marque"]) == ["Actis"]
    assert json.loads(got["reference_produit"]) == ["Triso Laine"]


def test_a_model_name_wrapped_to_the_next_line_goes_on_there(specs):
    rows = [(0.08, 0.43, "Système d'isolation par l'extérieur Saint-Gobain Weber weber.therm XM ultra"), (0.83, 0.43, "10 063,56"),
            (0.08, 0.444, "22 140 mm, résistance thermique R = 3,30 m².K/W")]
    got = read([page(rows)], specs, "facture")
    assert json.loads(got["reference_produit"]) == ["weber.therm XM ultra 22"]


def test_an_accessory_of_the_item_table_is_a_product_of_its_own_brand(specs):
    rows = [(0.08, 0.40, "Pompe à chaleur air/eau INVICTA Altea 8"), (0.80, 0.40, "9 800,00"),
            (0.08, 0.43, "Vase d'expansion FLAMCO Flexcon 25"), (0.80, 0.43, "204,00")]
    got = read([page(rows)], specs, "devis")
    assert json.loads(got["marque"]) == ["Invicta", "Flamco"]


def test_a_cop_closing_a_designation_line_is_read_on_the_next_line_not_in_the_quantity_column(specs):
    rows = [(0.10, 0.44, "Chauffe-eau thermodynamique ARISTON Nuos Evo A+, COP"), (0.65, 0.44, "1"), (0.86, 0.44, "2 920,67"),
            (0.10, 0.455, "de 3,09 selon EN 16147 (BAR-TH-148)")]
    assert read([page(rows)], specs, "devis")["cop"] == "3.09"


def test_the_date_under_the_client_signature_is_the_signature_date(specs):
    rows = [(0.52, 0.57, "Signature du client, précédée de la mention « Bon pour accord »"),
            (0.53, 0.59, "BPA"), (0.53, 0.61, "le 30/09/24")]
    assert read([page(rows)], specs, "devis")["date_signature"] == "2024-09-30"


def test_a_cop_at_the_end_of_a_wrapped_line_is_the_number_opening_the_next_one(specs):
    rows = [(0.08, 0.37, "Pompe à chaleur air/eau SAUNIER DUVAL GeniaAir Split 8"), (0.64, 0.37, "1"), (0.83, 0.37, "10 140,03"),
            (0.08, 0.40, "Efficacité énergétique saisonnière ETAS 132 % – COP"),
            (0.08, 0.415, "4,17 à +7/+35 °C"),
            (0.55, 0.50, "Total TTC"), (0.83, 0.50, "11 465,00 €")]
    assert read([page(rows)], specs, "devis")["cop"] == "4.17"


def test_a_total_glued_to_its_label_by_the_text_layer_keeps_its_thousands(specs):
    rows = [(0.56, 0.44, "Montant total HT"), (0.84, 0.44, "5 609,47 €"),
            (0.56, 0.46, "T.V.A. (5,5 %)"), (0.85, 0.46, "308,52 €"),
            (0.56, 0.48, "Total toutes taxes comprises5 917,99 €")]
    assert read([page(rows)], specs, "facture")["montant_ttc"] == "5917.99"


def test_the_tax_notice_addressee_without_its_civility_is_the_declarant(specs):
    rows = [(0.08, 0.09, "AVIS D'IMPÔT 2022"), (0.56, 0.09, "M. OU MME ALLARD SYLVIE"),
            (0.56, 0.115, "28 AVENUE DE LA LIBERTÉ"), (0.56, 0.13, "79000 NIORT")]
    got = read([page(rows)], specs, "avis_imposition")
    assert got["declarant_nom"] == "ALLARD SYLVIE"


def test_a_tax_notice_addressee_cut_after_the_first_civility_is_still_the_declarant(specs):
    # the column under the label starts right of « M »: « OU MME » opens the value
    rows = [(0.56, 0.09, "Nom du déclarant"), (0.52, 0.11, "M"), (0.56, 0.11, "OU MME DESCHAMPS LAURENT")]
    assert read([page(rows)], specs, "avis_imposition")["declarant_nom"] == "DESCHAMPS LAURENT"


# ---------------------------------------------------------------- address blocks

def test_a_billing_block_beside_a_delivery_block_keeps_its_name_and_street(specs):
    """The two columns' lines interleave; a contact person between the name and the street is no street."""
    rows = [(0.06, 0.146, "Adresse de livraison"),
            (0.55, 0.158, "Ma jolie boutique"), (0.06, 0.167, "Ma jolie boutique"),
            (0.06, 0.173, "35 rue de la République"), (0.55, 0.173, "Alexandre Payet"),
            (0.06, 0.188, "69001 Lyon"), (0.55, 0.188, "35 rue de la République"),
            (0.06, 0.203, "France"), (0.55, 0.203, "69001 Lyon")]
    got = read([page(rows)], specs, "facture")
    assert (got["beneficiaire_nom"], got["beneficiaire_adresse"]) == ("Ma jolie boutique", "35 rue de la République")
    assert (got["beneficiaire_code_postal"], got["beneficiaire_ville"]) == ("69001", "Lyon")


def test_a_country_after_the_town_is_not_part_of_it(specs):
    rows = [(0.55, 0.15, "M. Jean DUPONT"), (0.55, 0.165, "12 rue des Lilas"), (0.55, 0.18, "06000 NICE, FR")]
    got = read([page(rows)], specs, "facture")
    assert (got["beneficiaire_code_postal"], got["beneficiaire_ville"]) == ("06000", "NICE")


def test_real_factur_x_samples_give_the_buyers_block(specs):
    got = read(real_pages("documents/oca-edi__Facture_FR_BASICWL.pdf"), specs, "facture")
    assert (got["beneficiaire_nom"], got["beneficiaire_adresse"], got["beneficiaire_ville"]) == \
        ("Ma jolie boutique", "35 rue de la République", "Lyon")
    assert read(real_pages("documents/factur-x__invoice_EN16931.pdf"), specs, "facture")["beneficiaire_ville"] == "MA VILLE"


def test_the_tax_total_beats_the_first_row_of_a_tax_breakdown(specs):
    rows = [(0.59, 0.75, "Code"), (0.64, 0.75, "Taux"), (0.69, 0.75, "Base TVA"), (0.77, 0.75, "Montant TVA"),
            (0.60, 0.76, "S"), (0.64, 0.76, "20,00%"), (0.72, 0.76, "11,00"), (0.82, 0.76, "2,20"),
            (0.60, 0.78, "S"), (0.64, 0.78, "10,00%"), (0.72, 0.78, "27,00"), (0.82, 0.78, "2,70"),
            (0.50, 0.81, "TOTAL HT"), (0.66, 0.81, "TOTAL TVA"), (0.82, 0.81, "TOTAL TTC"),
            (0.51, 0.83, "38,00"), (0.68, 0.83, "4,90"), (0.84, 0.83, "42,90")]
    got = read([page(rows)], specs, "facture")
    assert (got["montant_ht"], got["montant_tva"], got["montant_ttc"]) == ("38.00", "4.90", "42.90")


def test_the_total_without_taxes_is_no_tax(specs):
    rows = [(0.15, 0.56, "Total hors taxes"), (0.33, 0.56, "TVA à 5,5 %"), (0.46, 0.56, "Total général TTC"),
            (0.18, 0.585, "15 649,41 €"), (0.36, 0.585, "860,72 €"), (0.51, 0.585, "16 510,13 €")]
    assert read([page(rows)], specs, "facture")["montant_tva"] == "860.72"


def test_real_factur_x_invoice_takes_the_tax_total_not_its_breakdown_by_rate(specs):
    got = read(real_pages("documents/factur-x__invoice_EN16931.pdf"), specs, "facture")
    assert (got["montant_ht"], got["montant_tva"], got["montant_ttc"]) == ("100.00", "4.90", "104.90")


def test_the_end_of_a_period_of_works_is_the_end_date(specs):
    rows = [(0.07, 0.30, "Date de réalisation des travaux : du 2024-02-19 au 2024-02-24"),
            (0.55, 0.50, "Total TTC"), (0.83, 0.50, "3 759,18 €")]
    assert read([page(rows)], specs, "facture")["date_fin_travaux"] == "2024-02-24"


def test_a_qualification_number_carried_over_to_the_next_line_of_a_sentence(specs):
    rows = [(0.07, 0.60, "BAR-TH-148). Ecodelta Certificats SAS verse une prime CEE de 1 253,29 € dans le cadre de"),
            (0.07, 0.615, "son rôle actif et incitatif, déduite du montant TTC. Entreprise qualifiée RGE QualiPAC n°"),
            (0.07, 0.63, "QPAC/2022/172421, valable jusqu'au 2026-10-13.")]
    assert read([page(rows)], specs, "facture")["rge_numero"] == "QPAC/2022/172421"


def test_a_heading_run_into_its_neighbours_cell_heads_the_value_under_it(specs):
    header = "Date d'engagement de l'opération (acceptation du devis) Date d'achèvement des travaux"
    second = next(w for w in words_at(0.067, 0.56, header)[1:] if w.text == "Date").bbox[0]
    rows = [(0.067, 0.56, header), (0.079, 0.58, "08/07/2024"), (second + 0.011, 0.58, "16/08/2024")]
    got = read([page(rows)], specs, "attestation_honneur")
    assert (got["date_engagement"], got["date_achevement"]) == ("2024-07-08", "2024-08-16")


def test_the_number_after_a_qualification_body_is_the_rge_number(specs):
    rows = [(0.07, 0.60, "dans le cadre de son rôle actif et incitatif, déduite du montant TTC. Entreprise qualifiée RGE"),
            (0.07, 0.615, "Qualibat n° E-E231735, valable jusqu'au 2027-11-14.")]
    assert read([page(rows)], specs, "facture")["rge_numero"] == "E-E231735"


def test_the_number_after_its_sign_under_a_sidebars_qualification_heading_is_the_rge_number(specs):
    """A sidebar beside the item table: « QUALIFICATION RGE » on the first item's line, the body's
    name, then « N° E-E562014 » (platform dev 1511); or the number right under the heading."""
    def sidebar(lines: list[str]) -> list:
        rows = [(0.30, 0.29, "Désignation"), (0.63, 0.29, "Qté"), (0.70, 0.29, "Unité"), (0.75, 0.29, "PU HT"),
                (0.81, 0.29, "TVA"), (0.86, 0.29, "Total HT"),
                (0.30, 0.31, "Isolation des combles perdus"), (0.63, 0.31, "160,00"), (0.70, 0.31, "m²"),
                (0.75, 0.31, "51,95 €"), (0.81, 0.31, "5,5 %"), (0.86, 0.31, "8 312,00 €"),
                (0.30, 0.343, "Produit : Saint-Gobain Weber /"), (0.30, 0.352, "weber.therm XM ultra 22")]
        return rows + [(0.034, 0.31 + 0.012 * k, text) for k, text in enumerate(lines)]

    got = read([page(sidebar(["QUALIFICATION RGE", "Qualibat", "N° E-E562014", "", "RÈGLEMENT"]))], specs, "facture")
    assert got["rge_numero"] == "E-E562014"
    got = read([page(sidebar(["QUALIFICATION RGE", "N° CEQ-RGE-2021-80096", "", "RÈGLEMENT"]))], specs, "facture")
    assert got["rge_numero"] == "CEQ-RGE-2021-80096"


def test_a_sentence_opening_with_a_labels_words_heads_no_value_and_the_site_heading_is_no_name(specs):
    """« Facture payable à réception, … à l'ordre de CONCEPT MARTIN. » reads as « facturé à » with a
    word inside: a sentence, no heading of « Cachet et signature de l'entreprise » under it; and
    « Lieu d'intervention » heading the site's address beside « Destinataire » is no client's name
    (network dev 1461)."""
    rows = [(0.07, 0.05, "CONCEPT MARTIN"), (0.07, 0.12, "FACTURE N° F-237654"),
            (0.08, 0.16, "Destinataire"), (0.45, 0.16, "Lieu d'intervention"),
            (0.08, 0.18, "Xavier RODRIGUES"), (0.45, 0.18, "3 boulevard Victor Hugo"),
            (0.08, 0.20, "3 boulevard Victor Hugo"), (0.45, 0.20, "80000 AMIENS"), (0.08, 0.22, "80000 AMIENS")]
    last = [(0.07, 0.30, "Facture payable à réception, par virement ou chèque à l'ordre de CONCEPT MARTIN."),
            (0.07, 0.33, "Cachet et signature de l'entreprise")]
    got = read([page(rows), page(last, number=2)], specs, "facture")
    assert (got["beneficiaire_nom"], got["beneficiaire_adresse"], got["beneficiaire_ville"]) == (
        "Xavier RODRIGUES", "3 boulevard Victor Hugo", "AMIENS")
    from extraction.extractors.labels import DocumentLayout
    from extraction.fields import _all_stop_labels, field_candidates

    name = next(spec for spec in specs["facture"] if spec.name == "beneficiaire_nom")
    found = field_candidates(name, DocumentLayout.of([page(last)]), _all_stop_labels(specs["facture"]))
    assert not any("Cachet" in c.value for c in found)
    # a sentence opened by « Entreprise » running on to a comma over the insurer's line (office dev 1430)
    terms = [(0.07, 0.30, "Entreprise titulaire de la qualification RGE Certibat n° CERTIBAT-RGE-38534, valable jusqu'au 07/07/2027,"),
             (0.07, 0.315, "Assurance décennale : MMA IARD, contrat n° 48680400, couvrant les travaux réalisés en France.")]
    installer = next(spec for spec in specs["facture"] if spec.name == "raison_sociale_installateur")
    found = field_candidates(installer, DocumentLayout.of([page(terms)]), _all_stop_labels(specs["facture"]))
    assert not any("MMA" in c.value for c in found)


def test_a_label_inside_an_identifier_is_no_label(specs):
    rows = [(0.07, 0.90, "EURL au capital de 50 000 € – RCS Poitiers 322 138 280 – Qualification RGE Certibat"),
            (0.07, 0.915, "n° CERTIBAT-RGE-24099 – Assurance décennale AXA")]
    # not « 24099 » after « n° … RGE » read across the identifier
    assert read([page(rows)], specs, "facture")["rge_numero"] == "CERTIBAT-RGE-24099"


def test_an_amount_cut_between_its_thousands_and_the_rest_by_the_line_end(specs):
    rows = [(0.08, 0.58, "Montant TTC 18 091,59 EUR"),
            (0.08, 0.60, "Prime CEE versée par Groupe Charbonnier Énergies et déduite de la présente facture : 3"),
            (0.08, 0.612, "812,57 EUR."), (0.08, 0.63, "Net à payer : 14 279,02 EUR")]
    assert read([page(rows)], specs, "facture")["prime_cee"] == "3812.57"


def test_a_scanned_forms_values_printed_a_line_above_their_captions(specs):
    # a filled form scanned: each value sits right of its caption, a line higher
    rows = [(0.07, 0.161, "1. Le bénéficiaire"),
            (0.265, 0.178, "SCI Famille Bodin"), (0.065, 0.191, "Raison sociale"),
            (0.269, 0.236, "98 bis cours de Bretagne"), (0.068, 0.249, "Adresse des travaux"),
            (0.263, 0.381, "14/07/2026"), (0.689, 0.381, "19/08/2026"),
            (0.078, 0.394, "Date d'engagement"), (0.504, 0.394, "Date d'achèvement"),
            (0.07, 0.45, "3. Le professionnel"), (0.065, 0.47, "Raison sociale Therm Concept")]
    got = read([page(rows)], specs, "attestation_honneur")
    assert (got["beneficiaire_nom"], got["beneficiaire_adresse"]) == ("SCI Famille Bodin", "98 bis cours de Bretagne")
    assert (got["date_engagement"], got["date_achevement"]) == ("2026-07-14", "2026-08-19")
    assert got["raison_sociale_installateur"] == "Therm Concept"


def test_a_value_stacked_over_another_label_is_not_raised_beside_it(specs):
    # label over value, one field under the other: the name is « Nom »'s, not « Adresse »'s
    rows = [(0.08, 0.20, "Nom du bénéficiaire :"), (0.08, 0.215, "DUPONT Marie"),
            (0.08, 0.23, "Adresse des travaux :"), (0.08, 0.245, "12 rue des Lilas")]
    assert read([page(rows)], specs, "attestation_honneur")["beneficiaire_adresse"] == "12 rue des Lilas"


def test_a_heading_a_skewed_scan_raised_right_of_a_label_is_no_value_of_it(specs):
    """« LIEU DES TRAVAUX », the right block's heading, a skewed scan prints a little higher
    than « CLIENT » beside it: another field's label, not the client's name."""
    rows = [(0.55, 0.19, "LIEU DES TRAVAUX"), (0.08, 0.198, "CLIENT"),
            (0.08, 0.209, "Luc et Maëlle DIDIER"), (0.55, 0.209, "91 quai Carnot"),
            (0.08, 0.224, "69 avenue Anatole France"), (0.55, 0.224, "37000 TOURS"), (0.08, 0.242, "51100 Reims")]
    assert read([page(rows, conf=0.9)], specs, "facture").get("beneficiaire_nom") != "LIEU DES TRAVAUX"


def test_the_next_blocks_heading_a_tilted_scan_put_under_an_anchor_ends_its_column(specs):
    """« FACTURÉ À » alone on its line, « LIEU DES TRAVAUX » right of it half a line lower: the
    client's block under the anchor is read in its own column, not stopped at that heading."""
    rows = [(0.08, 0.19, "FACTURÉ À"), (0.533, 0.198, "LIEU DES TRAVAUX"),
            (0.08, 0.209, "BOUTIN Emmanuel"), (0.535, 0.213, "145 avenue Jules Ferry"),
            (0.08, 0.226, "36 route Gambetta"), (0.535, 0.23, "69003 LYON"), (0.08, 0.242, "13001 Marseille")]
    got = read([page(rows, conf=0.9)], specs, "facture")
    assert got["beneficiaire_nom"] == "BOUTIN Emmanuel"


def test_a_pattern_written_with_the_euro_sign_reads_a_sentence_written_with_eur(specs):
    rows = [(0.08, 0.60, "Le montant total des travaux s'élève à 17 877,13 EUR TTC, soit 16 945,15 EUR HT et 931,98 EUR de TVA au taux"),
            (0.08, 0.615, "de 5,5 %.")]
    got = read([page(rows)], specs, "devis")
    assert (got["montant_ht"], got["montant_tva"], got["montant_ttc"]) == ("16945.15", "931.98", "17877.13")
