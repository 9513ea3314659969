"""Reading the documents of networks, délégataires and small artisans: the France Rénov'
directory printed as RGE proof (the company's card over a one-line address, a table of
qualifications with « Certificat » and « Date de début » columns), item tables with the seller's
article codes, models after an item's number, unknown brands in capitals, a délégataire whose
name holds another field's label word, forms in two far-apart columns, « Page : 1 / 2 », and
the wordings « Chantier réceptionné le … », « Suite à notre passage du … ». Pages are written
here the way such documents look (the network family of the corpus draws them too).
"""
import json
from pathlib import Path

import pytest

from extraction.classification import segment_pages
from extraction.corpus.evaluate import load_specs
from extraction.corpus.generate import CorpusOptions, generate_corpus
from extraction.corpus.reading import pdf_pages
from extraction.fields import extract_fields
from extraction.reading import fixture_reading_data

from .pages import CHAR_W, page

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(scope="module")
def specs():
    return load_specs()


def read(pages, specs, doc_type: str) -> dict:
    return {name: v.value for name, v in extract_fields(pages, specs[doc_type], fixture_reading_data(doc_type)).items()}


LETTERHEAD = [(0.08, 0.05, "HABITAT SUD"), (0.08, 0.065, "138 ter place de Bretagne – 87000 Limoges"),
              (0.08, 0.08, "SIRET 792 444 457 00031")]
ITEMS_HEADER = [(0.08, 0.30, "Réf."), (0.16, 0.30, "Désignation"), (0.68, 0.30, "Qté"), (0.73, 0.30, "U."),
                (0.78, 0.30, "P.U. HT"), (0.88, 0.30, "Montant HT")]


def _item(y: float, code: str, designation: str, quantity: str, unit: str, price: str, total: str):
    return [(0.08, y, code), (0.16, y, designation), (0.68, y, quantity), (0.73, y, unit), (0.78, y, price),
            (0.88, y, total)]


def _right(y: float, text: str, edge: float = 0.92) -> tuple[float, float, str]:
    """``text`` right-aligned on ``edge``."""
    return edge - len(text) * CHAR_W, y, text


def test_the_rge_directory_printout_gives_holder_number_and_dates(specs):
    rows = [
        (0.03, 0.02, "06/07/2023, 16:33"), (0.40, 0.02, "Annuaire des professionnels RGE | France Rénov'"),
        (0.08, 0.11, "Accueil › Annuaire des professionnels RGE › ISO'RÉNOVATION"),
        (0.08, 0.14, "Annuaire des professionnels RGE"),
        (0.09, 0.19, "ISO'RÉNOVATION"), (0.78, 0.19, "Entreprise RGE"),
        (0.09, 0.215, "95 bis place Marcel Pagnol, 20000 Ajaccio"),
        (0.09, 0.235, "SIRET : 683 081 210 00091"),
        (0.09, 0.255, "Téléphone : 09 72 21 78 25"),
        (0.07, 0.42, "Qualifications et certifications"),
        (0.07, 0.445, "Organisme"), (0.20, 0.445, "Qualification"), (0.32, 0.445, "Domaine"),
        (0.54, 0.445, "Certificat"), (0.70, 0.445, "Date de début"), (0.82, 0.445, "Date de fin de"),
        (0.84, 0.458, "validité"),
        (0.07, 0.475, "QUALIBAT"), (0.20, 0.475, "Qualibat RGE"), (0.32, 0.475, "Isolation du toit"),
        (0.54, 0.475, "E-E765667"), (0.70, 0.475, "26/04/2021"), (0.82, 0.475, "25/04/2025"),
        (0.03, 0.97, "https://france-renov.gouv.fr/annuaire-rge/entreprise/68308121000091"), (0.95, 0.97, "1/1"),
    ]
    got = read([page(rows)], specs, "certificat_rge")
    assert got["raison_sociale"] == "ISO'RÉNOVATION"
    assert got["rge_numero"] == "E-E765667"
    assert got["date_debut_validite"] == "2021-04-26"


def test_a_scanned_check_mark_read_as_plus_opens_the_domain_list_and_a_heading_ends_it(specs):
    """OCR reads the directory's check mark « ✓ » as « + »: it is the item's bullet, and the section
    heading under the list (no bullet) is no domain."""
    rows = [(0.09, 0.19, "Ouest Lefèvre"), (0.78, 0.19, "Entreprise RGE"),
            (0.09, 0.215, "166 rue du Château, 22000 Saint-Brieuc"),
            (0.07, 0.30, "Domaines de travaux"), (0.07, 0.325, "+ Pompe à chaleur : chauffage"),
            (0.07, 0.36, "Qualifications et certifications")]
    got = read([page(rows, conf=0.85)], specs, "certificat_rge")
    assert json.loads(got["domaines"]) == ["Pompe à chaleur : chauffage"]


def test_the_sellers_article_codes_are_no_product_references(specs):
    rows = LETTERHEAD + [(0.08, 0.16, "FACTURE N° 202303093")] + ITEMS_HEADER
    rows += _item(0.32, "DÉP001", "Dépose de l'ancienne chaudière", "1", "Ft", "477,00", "477,00")
    rows += _item(0.34, "SUP002", "Poêle à granulés SUPRA Elise 2", "1", "pce", "3 280,35", "3 280,35")
    rows += _item(0.36, "FER003", "Filtre magnétique – marque FERNOX, réf. TF1 Omega", "3", "ens", "402,00", "1 206,00")
    rows += _item(0.38, "MAI004", "Main d'œuvre d'installation", "5", "h", "45,00", "225,00")
    got = read([page(rows)], specs, "facture")
    assert json.loads(got["reference_produit"]) == ["Elise 2", "TF1 Omega"]


def test_a_sellers_row_numbered_code_is_no_product_reference_on_its_own(specs):
    rows = LETTERHEAD + [(0.08, 0.16, "DEVIS N° DEV-2025-06122")] + ITEMS_HEADER
    rows += _item(0.32, "LIA004", "Liaisons frigorifiques et condensats", "5", "ml", "41,00", "205,00")
    rows += _item(0.34, "INS005", "Installation, réglages et essais", "1", "Ft", "1 093,96", "1 093,96")
    got = read([page(rows)], specs, "devis")
    assert got.get("reference_produit") in (None, "", "[]")


def test_a_labelled_reference_keeps_its_first_word_and_an_unknown_brand_in_capitals_is_read(specs):
    rows = LETTERHEAD + [(0.08, 0.16, "DEVIS N° DEV-2023-00149")] + ITEMS_HEADER
    rows += _item(0.32, "1.1", "Kit hydraulique – marque Caleffi, réf. Kit 165 DN25", "2", "U", "255,00", "510,00")
    rows += _item(0.34, "1.2", "Support mural de groupe extérieur FISCHER SMG 450", "2", "ens", "111,00", "222,00")
    rows += _item(0.36, "1.3", "Évacuation des déchets et DEEE", "1", "Ft", "110,00", "110,00")
    # a brand in capitals before a model in two words; a capitalised one before a code in capitals
    rows += _item(0.38, "1.4", "Membrane hygro-régulante AMPACK Ampatex Variano", "3", "ens", "240,00", "720,00")
    rows += _item(0.40, "1.5", "Cache-spot de protection Isolspot IS-250", "1", "pce", "353,00", "353,00")
    rows += _item(0.42, "1.6", "Fourniture et pose Ballon Eau chaude", "1", "pce", "53,00", "53,00")
    # capitalised only, before a code in capitals and its number
    rows += _item(0.44, "1.7", "Rehausse de trappe de visite Nicoll TRV 60", "1", "pce", "42,00", "42,00")
    got = read([page(rows)], specs, "devis")
    assert json.loads(got["reference_produit"]) == ["Kit 165 DN25", "SMG 450", "Ampatex Variano", "IS-250", "TRV 60"]
    assert [b.lower() for b in json.loads(got["marque"])] == ["caleffi", "fischer", "ampack", "isolspot", "nicoll"]


def test_a_scans_price_cell_in_capitals_is_no_brand(specs):
    """A scan ran the unit and the price into one cell and misread a digit (« pc&72,00 EUR /2,00
    EUR »): « EUR » after a figure, a currency, is no brand in capitals before a model."""
    rows = LETTERHEAD + [(0.08, 0.16, "FACTURE N° FAC008936")] + ITEMS_HEADER
    rows += _item(0.32, "1", "Isolant laine de verre Isover Integra ZAP 35", "84,50", "m2", "41,29 EUR", "3 488,01 EUR")
    rows += _item(0.34, "2", "Écran de sous-toiture HPV", "1", "pc&72,00 EUR /2,00 EUR", "", "")
    got = read([page(rows)], specs, "facture")
    assert json.loads(got["marque"]) == ["Isover"]
    assert json.loads(got["reference_produit"]) == ["Integra ZAP 35"]


def test_the_model_goes_on_under_the_designation_after_the_items_number(specs):
    rows = LETTERHEAD + [(0.08, 0.16, "FACTURE N° 202405839"),
                         (0.08, 0.30, "N° Désignation des ouvrages"), (0.62, 0.30, "Quantité"), (0.88, 0.30, "Total HT"),
                         (0.08, 0.32, "Lot 1 : Chauffage – pompe à chaleur"),
                         (0.08, 0.34, "1.1"), (0.12, 0.34, "Pompe à chaleur air/eau Panasonic"), (0.62, 0.34, "1 pce"),
                         (0.88, 0.34, "15417,76 €"),
                         (0.12, 0.355, "Aquarea T-CAP 12 kW"),
                         (0.12, 0.37, "Puissance calorifique nominale : 6 kW")]
    got = read([page(rows)], specs, "facture")
    assert json.loads(got["reference_produit"]) == ["Aquarea T-CAP 12 kW"]


def test_a_sentences_last_word_opening_a_line_is_no_label(specs):
    """« Selon DTU en vigueur et préconisations du » / « fabricant »: « fabricant » labels no brand."""
    rows = LETTERHEAD + [(0.08, 0.16, "DEVIS N° DEV-2024-0310")] + ITEMS_HEADER
    rows += _item(0.32, "ÉVA001", "Évacuation des déchets et DEEE", "1", "Ft", "110,00", "110,00")
    rows += [(0.16, 0.335, "Selon DTU en vigueur et préconisations du"), (0.16, 0.35, "fabricant")]
    rows += _item(0.365, "NEU002", "Neutralisation et évacuation de la cuve fioul", "1", "ens", "944,00", "944,00")
    rows += _item(0.385, "PAN003", "Pompe à chaleur air/eau Panasonic Aquarea WH-MDC09J3E5", "1", "U", "12 345,95",
                  "12 345,95")
    got = read([page(rows)], specs, "devis")
    assert [b.lower() for b in json.loads(got["marque"])] == ["panasonic"]


@pytest.mark.parametrize("sentence", [
    "Dans le cadre du dispositif des certificats d'économies d'énergie, Objectif Prime Énergie SAS s'engage à vous",
    "Dans le cadre du dispositif des certificats d'économies d'énergie, Objectif Prime Énergie SAS",
])
def test_a_delegataires_name_holding_another_fields_word_is_read_whole(specs, sentence):
    rows = [(0.07, 0.04, "Objectif Prime Énergie SAS"), (0.07, 0.06, "Pôle Délégation CEE"),
            (0.07, 0.075, "27 avenue Jean Jaurès"), (0.07, 0.09, "69007 Lyon"),
            (0.07, 0.20, "Objet : engagement de versement de la prime CEE"),
            (0.07, 0.30, sentence), (0.07, 0.315, "s'engage à vous apporter une contribution financière pour les travaux"),
            (0.07, 0.40, "Montant de la prime CEE"), (0.55, 0.40, "3 117,76 €")]
    got = read([page(rows)], specs, "cadre_contribution")
    assert got["nom_oblige"] == "Objectif Prime Énergie SAS"


def test_a_form_in_two_far_apart_columns_reads_its_values_at_the_right(specs):
    rows = [(0.08, 0.05, "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES"),
            (0.08, 0.10, "AVIS DE SITUATION DÉCLARATIVE À L'IMPÔT SUR LE REVENU 2022"),
            (0.08, 0.12, "Revenus de l'année 2021"),
            (0.09, 0.19, "Déclarant 1"), _right(0.19, "PINTO BENJAMIN"),
            (0.09, 0.21, "Date d'établissement"), _right(0.21, "27/07/2022"),
            (0.09, 0.23, "Nombre de part(s)"), _right(0.23, "1,50"),
            (0.09, 0.25, "Revenu fiscal de référence"), _right(0.25, "46 260")]
    got = read([page(rows)], specs, "avis_imposition")
    assert got["declarant_nom"] == "PINTO BENJAMIN"


def test_completion_and_survey_dates_in_the_networks_wordings(specs):
    facture = read([page(LETTERHEAD + [(0.08, 0.16, "FACTURE N° F-241658"),
                                       (0.08, 0.22, "Chantier réceptionné le 08/09/2024")])], specs, "facture")
    devis = read([page(LETTERHEAD + [(0.08, 0.16, "DEVIS N° DEV-2024-0088"),
                                     (0.08, 0.22, "Suite à notre passage du 23/04/2024 pour le relevé des mesures")])],
                 specs, "devis")
    assert facture["date_fin_travaux"] == "2024-09-08"
    assert devis["date_visite_technique"] == "2024-04-23"


def test_page_colon_one_of_two_opens_the_next_document(tmp_path):
    """Network dev seed 1451, dossier 17: a devis and a facture of two pages each, numbered
    « Page : 1 / 2 », then the attestation."""
    manifest = generate_corpus(tmp_path, CorpusOptions(dossiers=17, seed=1451, family="network", scanned_ratio=0.0))
    truth = next(f for f in manifest["files"] if f["file"] == "dossier_0017/dossier.pdf")
    hints = {o["fields"]["code"]: o["fields"].get("classification_hints") or {}
             for o in json.loads((FIXTURES / "document_types.json").read_text())}
    segments = segment_pages(pdf_pages(tmp_path / truth["file"]), hints)
    expected = [(d["type"], d["pages"]) for d in truth["documents"]]
    assert [(s.code, s.pages) for s in segments] == expected


def test_the_stamp_under_the_signatures_is_no_clients_address(specs):
    """Page 2 of a devis: « Le client reconnaît… » is a sentence, « Signature du client » heads a
    signature, and the stamp the OCR reads below them is the issuer's."""
    first = page(LETTERHEAD + [(0.55, 0.13, "Madame Océane LENOIR"), (0.55, 0.145, "4 place du Château"),
                               (0.55, 0.16, "64000 PAU"), (0.08, 0.22, "DEVIS N° 202504092")])
    second = page([(0.08, 0.05, "Devis n° 202504092 du 18/03/2025 (suite)"),
                   (0.08, 0.09, "Le client reconnaît avoir pris connaissance des conditions générales de vente."),
                   (0.08, 0.11, "Cachet et signature de l'entreprise"), (0.55, 0.11, "Signature du client"),
                   (0.15, 0.145, "SERVICES LEFÈVRE"), (0.15, 0.16, "28000 GRENOBLE"),
                   (0.55, 0.145, "Bon pour accord le 07/04/2025")], number=2)
    got = read([first, second], specs, "devis")
    assert (got["beneficiaire_adresse"], got["beneficiaire_ville"]) == ("4 place du Château", "PAU")


def test_article_codes_are_told_across_lots_and_long_designations(specs):
    """The code column runs past a product's ten lines of description and a lot's subtotal."""
    rows = LETTERHEAD + [(0.08, 0.16, "FACTURE N° FAC008535")] + ITEMS_HEADER + [(0.08, 0.315, "1. CHAUFFAGE – GÉOTHERMIE")]
    rows += _item(0.33, "HIT001", "Fourniture et pose : pompe à chaleur géothermique", "1", "U", "11 335,32", "11 335,32")
    rows += [(0.16, 0.345, "HITACHI Yutaki S RWM-4.0NE")]
    rows += [(0.16, 0.36 + 0.015 * i, "la régulation avec sonde extérieure et thermostat d'ambiance, le vase") for i in range(10)]
    rows += _item(0.52, "CAL002", "Kit hydraulique Caleffi Kit 165 DN25", "2", "pce", "255,00", "510,00")
    rows += [(0.08, 0.535, "Sous-total Chauffage – géothermie"), (0.88, 0.535, "11 845,32")]
    rows += _item(0.55, "ÉCH003", "Échafaudage roulant pour accès en hauteur", "1", "ens", "303,00", "303,00")
    rows += _item(0.565, "MAI004", "Main d'œuvre d'installation", "13", "h", "48,00", "624,00")
    rows += [(0.08, 0.60, "Travaux réalisés par une entreprise qualifiée RGE : Certibat n° CERTIBAT-RGE-55690.")]
    got = read([page(rows)], specs, "facture")
    assert json.loads(got["reference_produit"]) == ["Yutaki S RWM-4.0NE", "Kit 165 DN25"]
    assert got["rge_numero"] == "CERTIBAT-RGE-55690"


def test_a_delegataires_attestation_gives_the_installer_in_its_labelled_cell_and_a_glued_cross(specs):
    rows = [(0.07, 0.04, "Ouest Certificats Énergie SAS"), (0.60, 0.04, "Réf. dossier : OPE-2024-235323"),
            (0.07, 0.06, "Gestion des dossiers"),
            (0.20, 0.10, "ATTESTATION SUR L'HONNEUR DE RÉALISATION"),
            (0.07, 0.20, "Nom et prénom du bénéficiaire"), (0.42, 0.20, "Blondel Alexandrie"),
            (0.07, 0.32, "Entreprise (raison sociale)"), (0.42, 0.32, "BATI PLUS"),
            (0.07, 0.34, "SIRET de l'entreprise"), (0.42, 0.34, "55416342800028"),
            (0.07, 0.46, "Logement achevé depuis plus de deux ans :"), (0.42, 0.46, "XOui"), (0.50, 0.46, "Non"),
            (0.07, 0.50, "Le bénéficiaire et le professionnel attestent sur l'honneur que l'opération ci-dessus a été"),
            (0.07, 0.515, "engagée après la proposition de Ouest Certificats Énergie SAS."),
            (0.07, 0.95, "Ouest Certificats Énergie SAS – formulaire AH v4.9 – page 1/1")]
    got = read([page(rows)], specs, "attestation_honneur")
    assert got["raison_sociale_installateur"] == "BATI PLUS"
    assert got["batiment_plus_de_2_ans"] == "true"


def test_a_scans_stray_bar_makes_no_table_header_of_a_form_row(specs):
    """OCR reads a box's right side as a third cell « | »: the row is still a label and its value."""
    rows = [(0.07, 0.04, "Groupe Néréa Délégation"), (0.20, 0.10, "ATTESTATION SUR L'HONNEUR DE RÉALISATION"),
            (0.07, 0.16, "Nom et prénom du bénéficiaire"), (0.38, 0.16, "LENOIR Océane"), (0.90, 0.16, "|"),
            (0.07, 0.18, "Adresse des travaux"), (0.38, 0.18, "4 place du Château")]
    got = read([page(rows, conf=0.9)], specs, "attestation_honneur")
    assert got["beneficiaire_nom"] == "LENOIR Océane"


def test_a_sentence_or_a_lots_heading_down_a_product_column_is_no_product(specs):
    """A scan cuts cells its own way: a note and a lot's title fall in the « Modèle » column."""
    rows = LETTERHEAD + [(0.08, 0.16, "FACTURE N° F-2025-0311"),
                         (0.08, 0.30, "Désignation"), (0.45, 0.30, "Marque"), (0.58, 0.30, "Modèle"),
                         (0.80, 0.30, "Qté"), (0.88, 0.30, "Total HT"),
                         (0.58, 0.315, "Lot 1 - Chauffage au"),
                         (0.08, 0.33, "Poêle à bois"), (0.45, 0.33, "Godin"), (0.58, 0.33, "Carvin 7 kW"),
                         (0.80, 0.33, "1"), (0.88, 0.33, "3 120,00 €"),
                         (0.08, 0.36, "Thermostat connecté"), (0.45, 0.36, "Tado"), (0.58, 0.36, "V3+ Smart"),
                         (0.80, 0.36, "1"), (0.88, 0.36, "199,00 €"),
                         (0.58, 0.375, "Travaux réalisés du 8 juin")]
    got = read([page(rows, conf=0.9)], specs, "facture")
    assert json.loads(got["reference_produit"]) == ["Carvin 7 kW", "V3+ Smart"]


@pytest.mark.parametrize("unit, fiche, expected", [
    ("", "BAR-EN-101", "76.00"), ("m²", "BAR-EN-101", "76.00"), ("ens", "BAR-EN-101", None), ("", "BAR-TH-148", None)])
def test_the_insulated_surface_as_the_quantity_of_the_insulation_row(specs, unit, fiche, expected):
    """Only the quantity column gives the surface (« tous les 10 m² » of the description is none),
    for an insulation fiche and a quantity that counts no pieces."""
    header = [(0.08, 0.30, "Description"), (0.62, 0.30, "Qté"), (0.68, 0.30, "U."), (0.74, 0.30, "PU HT"),
              (0.88, 0.30, "Total HT €")]
    rows = LETTERHEAD + [(0.08, 0.16, "DEVIS N° DEV-2023-0412")] + header + [
        (0.08, 0.32, "Isolation des combles perdus – Laine de verre URSA"), (0.62, 0.32, "76,00"),
        (0.68, 0.32, unit), (0.74, 0.32, "35,19"), (0.88, 0.32, "2 674,44"),
        (0.08, 0.335, "pose de piges de contrôle d'épaisseur tous les 10 m² et fiche d'identification"),
        (0.08, 0.35, f"Opération {fiche} éligible aux CEE")]
    got = read([page([r for r in rows if r[2]])], specs, "devis")
    if expected:
        assert got["surface_m2"] == expected
    else:
        assert got.get("surface_m2") != "76.00"


def test_a_spacing_in_square_metres_is_no_surface_where_tous_ends_the_line_before(specs):
    """« … tous » / « les 10 m² et fiche d'identification » (the description wrapped between the
    two words): 10 m² is the piges' spacing, no surface, whatever line « tous » is on."""
    header = [(0.08, 0.30, "Description"), (0.62, 0.30, "Qté"), (0.74, 0.30, "PU HT"), (0.88, 0.30, "Total HT €")]
    rows = LETTERHEAD + [(0.08, 0.16, "DEVIS N° DEV-2023-0412")] + header + [
        (0.08, 0.32, "Rehausse de trappe de visite NICOLL TRV 60"), (0.62, 0.32, "1"), (0.74, 0.32, "665,00"),
        (0.88, 0.32, "665,00"),
        (0.08, 0.335, "pose de piges de contrôle d'épaisseur tous"),
        (0.08, 0.35, "les 10 m² et fiche d'identification du chantier"),
        (0.08, 0.365, "Opération BAR-TH-148 éligible aux CEE")]
    assert read([page(rows)], specs, "devis").get("surface_m2") != "10.00"


def test_a_stamp_ocr_read_under_a_text_layers_ref_column_is_no_product(specs):
    """A born-digital invoice's second page: « Réf. » heads the table, the totals follow, and the
    installer's stamp (an image the pipeline reads by OCR: « 02100 SAINT- ») sits under the
    column: no model (network dev 1475)."""
    from dataclasses import replace

    from .pages import words_at

    header = [(0.081, 0.173, "Réf."), (0.17, 0.173, "Désignation"), (0.62, 0.173, "Qté U."),
              (0.74, 0.173, "P.U. HT"), (0.88, 0.173, "Montant HT")]
    first = page(LETTERHEAD + [(0.08, 0.112, "FACTURE N° F-252459")] + header + [
        (0.17, 0.193, "Pompe à chaleur Viessmann Vitocal 200-A AWO-M-E-AC 201.B10"),
        (0.62, 0.193, "1 u"), (0.74, 0.193, "12 000,00"), (0.88, 0.193, "12 000,00 €")])
    totals = ["Total HT", "Montant TVA (5,5 %)", "Montant total TTC", "Prime CEE Prim'Avenir Énergies", "NET À PAYER"]
    rows = LETTERHEAD + [(0.08, 0.112, "Facture n° F-252459 du 31/10/2025 (suite)")] + header + [
        (0.571, 0.193, "Sous-total Travaux préparatoires"), (0.88, 0.193, "1 776,00 €")]
    rows += [(0.515, 0.224 + 0.019 * k, label) for k, label in enumerate(totals)]
    rows += [(0.88, 0.224 + 0.019 * k, "1 000,00 €") for k in range(len(totals))]
    rows += [(0.3, 0.332, "Facture payable à réception, par virement ou chèque."),
             (0.3, 0.358, "Cachet et signature de l'entreprise")]
    second = page(rows, number=2)
    stamp = words_at(0.137, 0.391, "HERMIQUE RO", 0.86) + words_at(0.107, 0.401, "02100 SAINT-", 0.86)
    got = read([first, replace(second, words=second.words + stamp)], specs, "facture")
    assert json.loads(got["reference_produit"]) == ["Vitocal 200-A AWO-M-E-AC 201.B10"]


def test_a_column_header_over_two_lines_ending_on_de_is_a_label(specs):
    """« Date de » / « début » (and « Date de fin de » / « validité »): the header's first line ends on
    « de », which does not make « début » the end of a sentence."""
    rows = [(0.09, 0.19, "HABITAT ÉNERGIES"), (0.09, 0.205, "7 bis avenue des Roses, 37000 Tours"),
            (0.075, 0.401, "Organisme"), (0.199, 0.401, "Qualification"), (0.325, 0.401, "Domaine"),
            (0.551, 0.401, "Certificat"), (0.72, 0.401, "Date de"), (0.814, 0.401, "Date de fin de"),
            (0.727, 0.416, "début"), (0.839, 0.416, "validité"),
            (0.075, 0.431, "QUALIFELEC Qualifelec RGE"), (0.325, 0.431, "Chauffe-eau"), (0.551, 0.431, "QF-83430"),
            (0.711, 0.431, "26/01/2022"), (0.829, 0.431, "25/01/2026"), (0.325, 0.447, "thermodynamique")]
    got = read([page(rows, conf=0.9)], specs, "certificat_rge")
    assert (got["date_debut_validite"], got["date_fin_validite"]) == ("2022-01-26", "2026-01-25")


def test_a_header_over_two_lines_beside_another_in_one_cell_is_a_label(specs):
    """A text layer's tall boxes narrow the gap between « Date de début » and « Date de fin de » to
    less than a cell's: one cell over « validité », which still completes the second header."""
    second = 0.70 + len("Date de début ") * CHAR_W
    rows = [(0.09, 0.19, "HABITAT ÉNERGIES"), (0.09, 0.205, "7 bis avenue des Roses, 37000 Tours"),
            (0.075, 0.401, "Organisme"), (0.199, 0.401, "Qualification"), (0.325, 0.401, "Domaine"),
            (0.551, 0.401, "Certificat"), (0.70, 0.401, "Date de début Date de fin de"),
            (second + 2 * CHAR_W, 0.416, "validité"),
            (0.075, 0.431, "QUALIBAT Qualibat RGE"), (0.325, 0.431, "Isolation du toit"), (0.551, 0.431, "E-E717429"),
            (0.70, 0.431, "22/05/2023"), (second, 0.431, "21/05/2027")]
    got = read([page(rows)], specs, "certificat_rge")
    assert (got.get("date_debut_validite"), got.get("date_fin_validite")) == ("2023-05-22", "2027-05-21")


def test_the_general_terms_name_no_company(specs):
    """The general terms of sale mention the seller in running text: « … conclues par la société Pro
    Martin avec ses clients consommateurs ou professionnels. Toute commande implique… »."""
    rows = [(0.08, 0.10, "Article 1 - Champ d'application"),
            (0.08, 0.12, "Les présentes conditions s'appliquent aux ventes conclues par la"),
            (0.08, 0.135, "Société Pro Martin avec ses clients consommateurs ou"),
            (0.08, 0.15, "Professionnels. Toute commande implique l'acceptation sans réserve des présentes")]
    got = read([page(rows)], specs, "devis")
    assert got.get("raison_sociale_installateur") in (None, "Pro Martin")


def test_the_footers_company_before_an_em_dash_and_its_legal_form_not_the_rge_mention(specs):
    """« Solu France — SAS au capital de … » in the footer names the company; the line « Entreprise
    RGE — Qualibat — certificat n° … » under it is its qualification, not its name."""
    rows = [(0.08, 0.05, "DEVIS N° D-006804"), (0.08, 0.07, "Établi le 13/09/2025"),
            (0.08, 0.12, "Client"), (0.08, 0.135, "Monsieur BRUNEAU Jean"), (0.08, 0.15, "156 chemin Marcel Pagnol"),
            (0.08, 0.165, "09000 Foix"),
            (0.08, 0.90, "Solu France — SAS au capital de 20 000 € — SIRET 698.457.462.00027 — RCS Montpellier 698 457 462"),
            (0.08, 0.915, "Entreprise RGE — Qualibat — certificat n° E-E958927")]
    assert read([page(rows)], specs, "devis")["raison_sociale_installateur"] == "Solu France"


def test_a_skewed_scans_designations_drifting_under_ref_leave_the_article_codes_aside(specs):
    """A scan turned a little: the designation's wrapped lines start at 0.161 where « Désignation »
    starts at 0.167, on the edge of the « Réf. » column; the article codes are still a column of
    codes (none a product), the designations still the next column."""
    rows = LETTERHEAD + [(0.074, 0.30, "Réf."), (0.167, 0.30, "Désignation"), (0.649, 0.30, "Qté"),
                         (0.702, 0.30, "U."), (0.78, 0.30, "P.U. HT"), (0.88, 0.30, "Montant HT")]
    rows += [(0.073, 0.32, "GI0001"), (0.166, 0.32, "Système solaire combiné Giordano"), (0.65, 0.32, "1"),
             (0.70, 0.32, "ens"), (0.78, 0.32, "11 883,90 €"), (0.88, 0.32, "11 883,90 €"),
             (0.166, 0.335, "SSC Ecosol 300")]
    drift = ["Mise en service par station agréée", "Comprenant : l'unité extérieure sur supports, le",
             "module hydraulique intérieur avec circulateur à", "haute efficacité, la régulation avec sonde",
             "extérieure et thermostat d'ambiance, le vase", "d'expansion, les organes de sécurité, le",
             "remplissage et la purge du circuit, les essais et la", "mise en service, la remise de la notice et du",
             "certificat de conformité au client.", "Fiche technique et notice remises au client à la", "réception"]
    rows += [(0.165 - 0.0004 * i, 0.35 + 0.013 * i, text) for i, text in enumerate(drift)]
    rows += [(0.066, 0.50, "CALO02"), (0.160, 0.50, "Kit hydraulique - marque Caleffi, réf."), (0.65, 0.50, "2"),
             (0.70, 0.50, "ens"), (0.78, 0.50, "193,00 €"), (0.88, 0.50, "386,00 €"), (0.160, 0.515, "Kit 165 DN25"),
             (0.065, 0.53, "ÉVA003"), (0.160, 0.53, "Évacuation des déchets et DEEE"), (0.65, 0.53, "1"),
             (0.70, 0.53, "Ft"), (0.78, 0.53, "117,00 €"), (0.88, 0.53, "117,00 €")]
    got = json.loads(read([page(rows)], specs, "devis")["reference_produit"])
    assert "GI0001" not in got and "SSC Ecosol 300" in got


def test_a_stamp_read_by_ocr_printing_the_companys_name_names_no_brand(specs):
    """Page 2's round stamp, an image the OCR reads (« THERMI » / « 56 100 SOLUTIONS »): the word the
    letterhead prints is that word, not a slip of the lexicon's « Thermia »."""
    first = [(0.08, 0.03, "THERMI SOLUTIONS"), (0.08, 0.05, "36 bis rue des Peupliers – 56100 Lorient"),
             (0.08, 0.16, "DEVIS N° D2025-1022"), *ITEMS_HEADER,
             *_item(0.32, "", "Chauffe-eau thermodynamique ARISTON Nuos Evo A+", "1", "u", "3 169,96", "3 169,96")]
    stamp = [(0.60, 0.80, "Signature du client"), (0.10, 0.80, "Cachet de l'entreprise"),
             (0.14, 0.83, "THERMI"), (0.12, 0.85, "56 100 SOLUTIONS"), (0.12, 0.87, "SIRET 38 LORIENT")]
    got = read([page(first), page(stamp, number=2, conf=0.84)], specs, "devis")
    assert [b.lower() for b in json.loads(got["marque"])] == ["ariston"]
    assert json.loads(got["reference_produit"]) == ["Nuos Evo A+"]
    # all of it scanned: the letterhead, the footer and the stamp read « THERMI » alike
    footer = [(0.08, 0.95, "THERMI SOLUTIONS – SAS au capital de 100 000 € – SIRET 381 316 009 00053")]
    got = read([page(first + footer, conf=0.9), page(stamp, number=2, conf=0.84)], specs, "devis")
    assert [b.lower() for b in json.loads(got["marque"])] == ["ariston"]


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_a_certificate_number_run_into_the_date_cell_is_cut_from_the_date(specs, tmp_path, engine):
    """The directory's « Certificat » cell too narrow for its number: the text layer glues it to the
    « Date de début » beside it (« CERTIBAT-RGE-89965808/05/2022 »)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "annuaire.pdf"
    sheet = canvas.Canvas(str(path), pagesize=A4)
    sheet.setFont("Helvetica-Bold", 14)
    sheet.drawString(60, 760, "CLIM SERVICES")
    sheet.setFont("Helvetica", 9)
    sheet.drawString(60, 745, "SIRET : 64247855600037")
    sheet.drawString(60, 700, "Qualifications et certifications")
    header = [(60, "Organisme"), (150, "Domaine"), (330, "Certificat"), (420, "Date de début"), (490, "Date de fin de")]
    for x, text in header:
        sheet.drawString(x, 680, text)
    sheet.drawString(490, 671, "validité")
    number = "CERTIBAT-RGE-899658"
    row = [(60, "CERTIBAT"), (150, "Pompe à chaleur : chauffage"), (330, number),
           (330 + sheet.stringWidth(number, "Helvetica", 9), "08/05/2022"), (490, "07/05/2026")]
    for x, text in row:
        sheet.drawString(x, 658, text)
    sheet.save()

    pages = pdf_pages(path, engine=engine)
    assert {number, "08/05/2022"} <= {w.text for w in pages[0].words}
    got = read(pages, specs, "certificat_rge")
    assert (got["rge_numero"], got["date_debut_validite"]) == (number, "2022-05-08")


def test_the_billing_address_block_heads_the_clients_name(specs):
    """« Adresse de facturation » beside « Adresse des travaux », the client's name opening the
    first block (network dev 1476); a block without a name gives none, not its street."""
    rows = LETTERHEAD + [(0.08, 0.16, "Devis n° DEV-2024-07183"),
                         (0.08, 0.26, "Adresse de facturation"), (0.52, 0.26, "Adresse des travaux"),
                         (0.08, 0.272, "Brigitte GONCALVES"), (0.52, 0.272, "9 avenue du Lavoir"),
                         (0.08, 0.284, "9 avenue du Lavoir"), (0.52, 0.284, "24000 PÉRIGUEUX"),
                         (0.08, 0.296, "24000 PÉRIGUEUX")]
    got = read([page(rows)], specs, "devis")
    assert (got.get("beneficiaire_nom"), got.get("beneficiaire_adresse")) == ("Brigitte GONCALVES", "9 avenue du Lavoir")
    nameless = [r for r in rows if r[2] != "Brigitte GONCALVES"]
    assert read([page(nameless)], specs, "devis").get("beneficiaire_nom") in (None, "")


def test_a_certificate_number_with_the_next_columns_date_set_close_to_it(specs):
    # network dev 1481: the directory's table, « QPAC/2021/686223 05/10/2021 » one run under
    # « Certificat » and « Date de / début »
    rows = [(0.06, 0.10, "HABITAT HABITAT Entreprise RGE"), (0.06, 0.12, "SIRET : 925.481.053.10053"),
            (0.06, 0.406, "Organisme"), (0.16, 0.406, "Qualification"), (0.324, 0.406, "Domaine"),
            (0.545, 0.406, "Certificat"), (0.71, 0.406, "Date de"), (0.81, 0.406, "Date de fin de"),
            (0.717, 0.418, "début"), (0.827, 0.418, "validité"),
            (0.06, 0.437, "QUALIT'ENR"), (0.16, 0.437, "QualiPAC RGE"), (0.324, 0.437, "Pompe à chaleur"),
            (0.545, 0.437, "QPAC/2021/686223 05/10/2021"), (0.86, 0.437, "04/10/2025")]
    assert read([page(rows)], specs, "certificat_rge")["rge_numero"] == "QPAC/2021/686223"


def test_the_directorys_own_domain_names_no_certified_company(specs):
    # network dev 1483: the France Rénov' directory's page, its site printed at the foot; the
    # certificate's holder is the company the page is about
    rows = [(0.06, 0.02, "30/01/2025 09:43 Annuaire des professionnels RGE | France Rénov'"),
            (0.06, 0.05, "RÉPUBLIQUE FRANÇAISE"), (0.60, 0.05, "France Rénov'"),
            (0.06, 0.10, "Annuaire des professionnels RGE"), (0.06, 0.13, "ISO'CONCEPT Entreprise RGE"),
            (0.06, 0.15, "105 ter rue de la Paix, 81000 Albi"), (0.06, 0.17, "SIRET : 925.481.053.10053"),
            (0.06, 0.95, "https://france-renov.gouv.fr/annuaire-rge/entreprise/92548105310053 1/1")]
    assert read([page(rows)], specs, "certificat_rge").get("raison_sociale") != "France Rénov'"


def test_the_surface_is_the_insulations_quantity_not_a_count_on_a_row_sharing_a_linking_word(specs):
    # network dev 1483: « Échafaudage de pied | 1 » above the insulation's row; « de » of « fibre de
    # bois » (a row word of the hint) made it the insulation's row
    rows = [(0.07, 0.10, "FACTURE N° 202400045"), (0.07, 0.12, "Objet : Isolation des murs (BAR-EN-102)"),
            (0.072, 0.32, "Description"), (0.611, 0.32, "Qté"), (0.686, 0.32, "PU HT"), (0.84, 0.32, "Total HT €"),
            (0.072, 0.36, "Échafaudage de pied, montage"), (0.625, 0.36, "1"), (0.686, 0.36, "444,00 €"),
            (0.84, 0.36, "444,00 €"),
            (0.072, 0.40, "Fourniture et pose de isolant mince ACTIS"), (0.583, 0.40, "116,00"), (0.686, 0.40, "117,16 €"),
            (0.84, 0.40, "13 590,56 €")]
    assert read([page(rows)], specs, "facture")["surface_m2"] == "116.00"


def test_a_forms_value_typed_a_little_low_right_of_its_label_is_read(specs):
    # network dev 1482: a délégataire's attestation, « 08/04/25 » typed under the line of its caption
    rows = [(0.10, 0.05, "ATTESTATION SUR L'HONNEUR DE RÉALISATION"),
            (0.097, 0.30, "Nom et prénom du bénéficiaire"), (0.458, 0.30, "MORIN Adrien"),
            (0.097, 0.367, "Date d'acceptation du devis"), (0.458, 0.379, "08/04/25"),
            (0.097, 0.40, "Date de fin des travaux"), (0.458, 0.40, "02/05/2025")]
    assert read([page(rows)], specs, "attestation_honneur")["date_engagement"] == "2025-04-08"


def test_a_brand_in_capitals_ending_a_scanned_row_takes_its_model_from_the_line_under_it(specs):
    # network dev 1484: « 1.2 Membrane hygro-régulante AMPACK » over « Ampatex Variano », the scan
    # running the quantity, unit and prices into one cell after the designation
    rows = LETTERHEAD + [(0.08, 0.16, "FACTURE N° F-237000")] + ITEMS_HEADER
    rows += _item(0.32, "1.1", "Isolation du plancher bas ISOVER GR 32 Revêtu Kraft", "118,00", "m²", "35,09", "4 140,62")
    rows += [(0.08, 0.36, "1.2"), (0.16, 0.36, "Membrane hygro-régulante AMPACK"),
             (0.46, 0.36, "4 pce190,00 EUR 5,5 760,00 EUR"), (0.16, 0.375, "Ampatex Variano")]
    rows += [(0.16, 0.40, "Épaisseur 320 mm - R = 3,50 m².K/W")]
    got = read([page(rows, conf=0.9)], specs, "facture")
    assert json.loads(got["reference_produit"]) == ["GR 32 Revêtu Kraft", "Ampatex Variano"]
    assert [b.lower() for b in json.loads(got["marque"])] == ["isover", "ampack"]


def test_a_brand_in_capitals_ending_a_row_over_the_items_description_names_no_model(specs):
    # the line under the designation goes on describing the item: no model alone there
    rows = LETTERHEAD + [(0.08, 0.16, "FACTURE N° F-237001")] + ITEMS_HEADER
    rows += [(0.08, 0.36, "1.2"), (0.16, 0.36, "Isolant en vrac SOUFFLAGE"),
             (0.46, 0.36, "4 pce190,00 EUR 5,5 760,00 EUR"), (0.16, 0.375, "Épaisseur 320 mm - R = 7,00 m².K/W")]
    got = read([page(rows, conf=0.9)], specs, "facture")
    assert "SOUFFLAGE" not in (got.get("marque") or "")


def test_a_forms_name_typed_a_little_high_right_of_a_longer_label_is_read(specs):
    # network dev 1484: « Bonneau Frédéric » typed half a line above « Nom et prénom du bénéficiaire »
    rows = [(0.10, 0.05, "ATTESTATION SUR L'HONNEUR DE RÉALISATION"),
            (0.428, 0.293, "Bonneau Frédéric"), (0.053, 0.30, "Nom et prénom du bénéficiaire"),
            (0.406, 0.34, "168 allée Lamartine"), (0.053, 0.34, "Adresse des travaux"),
            (0.053, 0.38, "Entreprise (raison sociale)"), (0.406, 0.38, "HABITAT ALPES")]
    assert read([page(rows, conf=0.9)], specs, "attestation_honneur")["beneficiaire_nom"] == "Bonneau Frédéric"


def test_a_forms_name_a_scans_wide_space_cut_in_two_cells_is_read_whole(specs):
    # network dev 1484: « Nom et prénom du bénéficiaire | CARPENTIER | Philippine » looked like a
    # table's header row of three cells
    rows = [(0.10, 0.05, "ATTESTATION SUR L'HONNEUR DE RÉALISATION"),
            (0.069, 0.30, "Nom et prénom du bénéficiaire"), (0.50, 0.30, "CARPENTIER"), (0.62, 0.30, "Philippine"),
            (0.069, 0.34, "Adresse des travaux"), (0.402, 0.34, "53 boulevard Paul Bert"),
            (0.069, 0.38, "Entreprise (raison sociale)"), (0.402, 0.38, "Batialpes")]
    assert read([page(rows, conf=0.9)], specs, "attestation_honneur")["beneficiaire_nom"] == "CARPENTIER Philippine"


def test_a_scans_misread_given_name_and_town_labels_are_still_labels(specs):
    # network dev 1484: « Prénon : », « Vile: » on the regulatory attestation's scan
    rows = [(0.30, 0.05, "ATTESTATION SUR L'HONNEUR"), (0.08, 0.20, "B - Bénéficiaire de l'opération"),
            (0.08, 0.23, "Nom : MOULIN"), (0.45, 0.23, "Prénon : Dominique"),
            (0.08, 0.26, "Adresse des travaux : 37 rue des Écoles"),
            (0.08, 0.29, "Code postal : 56100"), (0.45, 0.29, "Vile: Lorient"),
            (0.08, 0.34, "C - Professionnel ayant réalisé l'opération"), (0.08, 0.37, "Raison sociale : FRANCE FONTAINE")]
    got = read([page(rows, conf=0.9)], specs, "attestation_honneur")
    assert got["beneficiaire_nom"] == "Dominique MOULIN"
    assert got["beneficiaire_ville"] == "Lorient"


def test_a_short_label_misread_without_a_colon_is_no_label(specs):
    rows = [(0.30, 0.05, "ATTESTATION SUR L'HONNEUR"), (0.08, 0.20, "B - Bénéficiaire de l'opération"),
            (0.08, 0.23, "Nom : MOULIN Dominique"), (0.08, 0.26, "Adresse des travaux : 37 rue des Écoles"),
            (0.08, 0.29, "Code postal : 56100"), (0.08, 0.32, "Vile Lorient")]
    assert read([page(rows, conf=0.9)], specs, "attestation_honneur").get("beneficiaire_ville") != "Lorient"


def test_the_next_sections_heading_is_no_name_under_an_anchor(specs):
    # network dev 1484: the name lost to the scan, « C - Professionnel ayant réalisé l'opération »
    # under « Le bénéficiaire est : … » was read as the beneficiary's name
    rows = [(0.30, 0.05, "ATTESTATION SUR L'HONNEUR"), (0.08, 0.20, "B - Bénéficiaire de l'opération"),
            (0.08, 0.26, "Adresse des travaux : 37 rue des Écoles"),
            (0.08, 0.382, "Le bénéficiaire est :"), (0.30, 0.382, "propriétaire."), (0.42, 0.382, "[] locataire"),
            (0.08, 0.414, "C - Professionnel ayant réalisé l'opération"), (0.08, 0.435, "Raison sociale :"),
            (0.30, 0.435, "FRANCE FONTAINE")]
    assert "Professionnel" not in (read([page(rows, conf=0.9)], specs, "attestation_honneur").get("beneficiaire_nom") or "")
