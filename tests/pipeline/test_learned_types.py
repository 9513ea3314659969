"""A type a validator corrected is learned with the document's layout: the next document of that
layout the classifier misreads the same way gets the corrected type (``learning.apply.learned_type``)."""
from __future__ import annotations

import pytest

from extraction.models import LayoutFingerprint

from .test_import_feedback import import_lines, ingest

pytestmark = pytest.mark.django_db


def facture_lines(number: str, client: str, amount: str) -> list[str]:
    return [
        f"FACTURE N° {number}",
        "Date de facture : 12/05/2024",
        "Entreprise Isolation Confort SARL - SIRET 732 829 320 00074",
        f"Client : {client}, 3 allée des Tilleuls, 69003 Lyon",
        "Pompe à chaleur air/eau - opération BAR-TH-171",
        f"Montant HT : {amount} €   TVA : 550,00 €   Net à payer TTC : 10 550,00 €",
        "Prime CEE déduite : 4 000,00 €",
    ]


def retype_as_devis(tmp_path, validator, document_id: int, name: str) -> None:
    rows = [{"document": document_id, "field": "numero_devis", "value": "DV-2024-118"},
            {"document": document_id, "field": "date_devis", "value": "02/04/2024"}]
    assert "1 document(s) reclassé(s)" in import_lines(tmp_path, validator, rows, name)


def test_the_next_document_of_a_corrected_layout_gets_the_corrected_type(tmp_path, validator):
    first = ingest(tmp_path, "premier.pdf", facture_lines("F-2024-0107", "Madame Jeanne Dupont", "10 000,00"))
    assert first["type"] == "facture"
    retype_as_devis(tmp_path, validator, first["id"], "retours.jsonl")
    layout = LayoutFingerprint.objects.get(document_type__code="devis")
    assert (layout.types_corrected, layout.misread_as) == (1, "facture")

    second = ingest(tmp_path, "second.pdf", facture_lines("F-2024-0212", "Monsieur Paul Martin", "9 000,00"))

    assert second["type"] == "devis"
    from documents.models import Document
    flags = Document.objects.get(pk=second["id"]).flags
    assert any(f["code"] == "type_learned_from_layout" and f["type"] == "devis" for f in flags)


def test_a_document_of_another_layout_keeps_the_classifiers_type(tmp_path, validator):
    first = ingest(tmp_path, "premier.pdf", facture_lines("F-2024-0107", "Madame Jeanne Dupont", "10 000,00"))
    retype_as_devis(tmp_path, validator, first["id"], "retours.jsonl")

    other = ingest(tmp_path, "autre.pdf", [
        "Chauffage Martin & Fils", "12 route de Vienne, 38200 Vienne",
        "Vienne, le 4 juin 2024", "M. Bernard Lefort", "8 impasse du Moulin", "38780 Estrablin",
        "Facture 2024/118", "Remplacement de la chaudière par une pompe à chaleur air/eau Atlantic Alféa",
        "Total hors taxes 8 200,00 €", "TVA 5,5 % 451,00 €", "Total TTC 8 651,00 €",
    ])

    assert other["type"] == "facture"


def test_a_layout_validated_under_the_classifiers_type_keeps_it(tmp_path, validator):
    """Two documents of one layout, one confirmed as a facture and one corrected to a devis: the
    layout's own type wins, the correction does not spread to its factures."""
    confirmed = ingest(tmp_path, "facture.pdf", facture_lines("F-2024-0107", "Madame Jeanne Dupont", "10 000,00"))
    import_lines(tmp_path, validator, [{"document": confirmed["id"], "field": "numero_facture", "value": "F-2024-0107"}],
                 "confirmations.jsonl")
    corrected = ingest(tmp_path, "devis.pdf", facture_lines("F-2024-0150", "Monsieur Paul Martin", "9 000,00"))
    retype_as_devis(tmp_path, validator, corrected["id"], "retours.jsonl")

    third = ingest(tmp_path, "troisieme.pdf", facture_lines("F-2024-0212", "Madame Léa Roux", "8 000,00"))

    assert third["type"] == "facture"


def test_learning_switched_off_keeps_the_classifiers_type(tmp_path, validator):
    from extraction.models import EngineConfig

    first = ingest(tmp_path, "premier.pdf", facture_lines("F-2024-0107", "Madame Jeanne Dupont", "10 000,00"))
    retype_as_devis(tmp_path, validator, first["id"], "retours.jsonl")
    EngineConfig.objects.update_or_create(task=EngineConfig.Task.EXTRACTION, engine="learned",
                                          defaults={"is_active": False})

    second = ingest(tmp_path, "second.pdf", facture_lines("F-2024-0212", "Monsieur Paul Martin", "9 000,00"))

    assert second["type"] == "facture"
