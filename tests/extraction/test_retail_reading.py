"""Reading the documents of home-improvement retailers and energy suppliers' CEE programmes: the
supplier's offer letter naming its obligé in a sentence (« …, Hexaly Énergies contribue à vos
travaux »), a partner contract's articles (« Article 1 – Lumina Énergie SA s'engage à verser… »),
and qualification certificates as a table with « Attribuée le » and « Valable jusqu'au »
columns. Pages are written here the way such documents look (the retail family of the corpus
draws them too)."""
import json

import pytest

from extraction.corpus.evaluate import load_specs
from extraction.fields import extract_fields
from extraction.reading import fixture_reading_data

from .pages import page


@pytest.fixture(scope="module")
def specs():
    return load_specs()


def read(rows, specs, doc_type: str) -> dict:
    return {name: v.value for name, v in extract_fields([page(rows)], specs[doc_type], fixture_reading_data(doc_type)).items()}


def test_the_supplier_offer_names_the_oblige_contributing_to_the_works(specs):
    rows = [(0.08, 0.04, "Coup de pouce Hexaly"), (0.08, 0.06, "HEXALY"), (0.50, 0.06, "Service clients : 09 70 63 10 58"),
            (0.08, 0.10, "Vos références"), (0.08, 0.12, "N° client : CL878283703"), (0.55, 0.12, "M. et Mme Robert FERNANDES"),
            (0.08, 0.25, "Le 9 septembre 2024"), (0.08, 0.28, "Objet : votre Offre Prime Énergie Isolation"),
            (0.08, 0.32, "Dans le cadre du dispositif des Certificats d'Économies d'Énergie, Hexaly Énergies contribue à vos travaux"),
            (0.08, 0.335, "de rénovation réalisés par notre partenaire Habitat Dépôt Installation (49000 Angers).")]
    assert read(rows, specs, "cadre_contribution")["nom_oblige"] == "Hexaly Énergies"


def test_an_article_heading_is_not_part_of_the_oblige_committing_itself(specs):
    rows = [(0.08, 0.04, "CONTRAT DE PARTENARIAT CEE"), (0.08, 0.06, "Récapitulatif de l'offre Coup de pouce"),
            (0.08, 0.10, "Entre"), (0.50, 0.10, "Et le partenaire"),
            (0.08, 0.20, "Date d'émission de l'offre"), (0.40, 0.20, "13 septembre 2025"),
            (0.08, 0.40, "Article 1 – Lumina Énergie SA s'engage à verser la prime indiquée ci-dessus, dans le cadre de son"),
            (0.08, 0.415, "rôle actif et incitatif, pour l'opération décrite.")]
    assert read(rows, specs, "cadre_contribution")["nom_oblige"] == "Lumina Énergie SA"


def test_a_qualification_tables_dates_under_attribuee_le_and_valable_jusquau(specs):
    rows = [(0.08, 0.04, "CERTIFICAT DE QUALIFICATION"), (0.08, 0.06, "QUALIBAT N° E-E779774"),
            (0.08, 0.08, "Édité le 10/03/2025"),
            (0.08, 0.20, "Code"), (0.177, 0.20, "Libellé"), (0.443, 0.20, "Domaine RGE"), (0.691, 0.20, "Attribuée le"),
            (0.807, 0.20, "Valable jusqu'au"),
            (0.08, 0.22, "7131"), (0.177, 0.22, "Isolation thermique par soufflage"), (0.443, 0.22, "Isolation du toit"),
            (0.691, 0.22, "19 avril 2023"), (0.807, 0.22, "18 avril 2027")]
    got = read(rows, specs, "certificat_rge")
    assert (got["date_debut_validite"], got["date_fin_validite"]) == ("2023-04-19", "2027-04-18")


STORE_TABLE = [(0.074, 0.40, "Réf."), (0.177, 0.40, "Désignation"), (0.62, 0.40, "Qté"), (0.66, 0.40, "Unité"),
               (0.70, 0.40, "PU HT"), (0.77, 0.40, "Remise %"), (0.83, 0.40, "TVA %"), (0.88, 0.40, "Montant HT")]


def _row(y, code, designation, qty, unit, price, discount, total):
    return [(0.074, y, code), (0.177, y, designation), (0.62, y, qty), (0.66, y, unit), (0.70, y, price),
            (0.77, y, discount), (0.83, y, "5,5"), (0.88, y, total)]


def test_a_stores_article_codes_and_service_codes_are_no_products(specs):
    """« Réf. » holds the store's codes: EAN-like numbers for the goods, « SRV-MES », « POSE » for
    the services; the products are the brands' models in the designations."""
    rows = [(0.08, 0.04, "Magasin Bricoval Nantes (n° 0369)"), (0.70, 0.04, "DEVIS")] + STORE_TABLE
    rows += _row(0.42, "62923556", "Chaudière Okofen Pellematic Compact 16", "1", "u", "17 588,09", "0", "17 588,09")
    rows += _row(0.44, "88965215", "Thermostat Frisquet Eco Radio System Visio", "2", "u", "288,78", "5", "548,68")
    rows += _row(0.46, "SRV-PROT", "Protection des sols et du mobilier", "1", "forfait", "236,00", "0", "236,00")
    rows += _row(0.48, "SRV-MES", "Mise en service et réglages", "1", "forfait", "100,00", "0", "100,00")
    rows += _row(0.50, "POSE", "Forfait pose et main d'œuvre", "1", "forfait", "293,34", "0", "293,34")
    got = read(rows, specs, "devis")
    assert json.loads(got["reference_produit"]) == ["Pellematic Compact 16", "Eco Radio System Visio"]


def test_a_model_under_its_designation_after_the_stores_code(specs):
    """The text layer runs the code into the designation (« 22674010 Système solaire combiné –
    Giordano »); the model opens the designation's next line, under the designation, not the code."""
    header = [(0.151, 0.40, "Désignation") if text == "Désignation" else (x, y, text) for x, y, text in STORE_TABLE]
    rows = [(0.08, 0.04, "Magasin Bricoval Le Mans (n° 0117)"), (0.70, 0.04, "PROPOSITION COMMERCIALE")] + header
    rows += [(0.074, 0.42, "22674010 Système solaire combiné – Giordano"), (0.62, 0.42, "1"), (0.66, 0.42, "u"),
             (0.70, 0.42, "9.601,81"), (0.77, 0.42, "0"), (0.83, 0.42, "5,5"), (0.88, 0.42, "9.601,81"),
             (0.151, 0.435, "SSC Ecosol 300"), (0.151, 0.45, "Efficacité énergétique saisonnière ETAS 123 %")]
    got = read(rows, specs, "devis")
    assert json.loads(got["reference_produit"]) == ["SSC Ecosol 300"]
    assert json.loads(got["marque"]) == ["Giordano"]
