"""Reading the documents of home-improvement retailers and energy suppliers' CEE programmes: the
supplier's offer letter naming its obligé in a sentence (« …, Hexaly Énergies contribue à vos
travaux »), a partner contract's articles (« Article 1 – Lumina Énergie SA s'engage à verser… »),
and qualification certificates as a table with « Attribuée le » and « Valable jusqu'au »
columns. Pages are written here the way such documents look (the retail family of the corpus
draws them too)."""
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
