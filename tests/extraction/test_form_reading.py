"""Reading official and printed forms: the regulatory attestation's dotted leader lines and
check boxes, certificates listing their domains, the tax office's pages, obligés' offers.

The pages are built from rows of text (``tests/extraction/pages.py``) the way a text layer
reports such forms: a value printed on its dots is one word with them (« ....DUPONT.... »).
"""
import pytest

from extraction.corpus.evaluate import load_specs
from extraction.fields import extract_fields
from extraction.reading import fixture_reading_data

from .pages import page


@pytest.fixture(scope="module")
def specs():
    return load_specs()


def read(specs, document_type: str, rows) -> dict:
    result = extract_fields([page(rows)], specs[document_type], fixture_reading_data(document_type))
    return {name: value.value for name, value in result.items()}


def test_values_printed_on_dotted_leaders_are_read_without_the_dots(specs):
    rows = [
        (0.30, 0.08, "ATTESTATION SUR L'HONNEUR"),
        (0.08, 0.14, "A / Identification du bénéficiaire"),
        (0.08, 0.18, "Adresse des travaux : ..............................12 rue des Lilas......"),
        (0.08, 0.21, "Code postal : ..........69100..."), (0.50, 0.21, "Ville : ..................Villeurbanne..."),
        (0.08, 0.26, "B / Identification du professionnel"),
        (0.08, 0.29, "Raison sociale : ..............................THERMI CONFORT..."),
        (0.08, 0.34, "C / Caractéristiques de l'opération"),
        (0.08, 0.37, "Référence de la facture : ………………………FA-2024-0815……"),
    ]
    got = read(specs, "attestation_honneur", rows)
    assert got["beneficiaire_adresse"] == "12 rue des Lilas"
    assert got["beneficiaire_ville"] == "Villeurbanne"
    assert got["raison_sociale_installateur"] == "THERMI CONFORT"
    assert got["reference_facture"] == "FA-2024-0815"

