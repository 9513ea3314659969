"""Installers known by their SIRET (extraction.learning.issuers): the name and RGE number
validators confirmed beside a SIRET, on any document, read again on the installer's next
documents of every type whatever a scan did to their letters."""
from __future__ import annotations

from dataclasses import replace

import pytest

from extraction.learning import issuers
from extraction.models import LearnedIssuerValue
from extraction.types import FieldSpec, FieldValue
from tests.pipeline.test_import_feedback import import_lines
from tests.pipeline.test_learned_spots import sentence_page
from tests.pipeline.test_learning import ingest, letter_facture

SIRET = "73282932000074"  # the SIRET letter_facture prints


def _learned() -> dict:
    return {(row.siret, row.kind): (row.value, row.count) for row in LearnedIssuerValue.objects.all()}


@pytest.mark.django_db
def test_a_siret_and_a_name_validated_on_one_document_teach_the_installer(tmp_path, validator):
    facture = ingest(tmp_path, "f1.pdf", letter_facture("F-1", "Ginette Guyot", "4 rue Haute", "03100 Montluçon", "10 550,00"))
    # the name alone, the SIRET not judged yet: whose name is it?
    import_lines(tmp_path, validator, [{"document": facture["id"], "field": "raison_sociale_installateur",
                                        "value": "Isolation Confort"}], name="a.jsonl")
    assert _learned() == {}
    rows = [{"document": facture["id"], "field": "siret_installateur", "value": "732 829 320 00074"},
            {"document": facture["id"], "field": "rge_numero", "value": "QB/26616"}]
    import_lines(tmp_path, validator, rows, name="b.jsonl")
    assert _learned() == {(SIRET, "name"): ("Isolation Confort", 1), (SIRET, "rge"): ("QB/26616", 1)}
    import_lines(tmp_path, validator, rows, name="b.jsonl")  # the same file again adds nothing
    assert _learned()[(SIRET, "rge")] == ("QB/26616", 1)

    second = ingest(tmp_path, "f2.pdf", letter_facture("F-2", "Marc Petit", "2 rue Basse", "03100 Montluçon", "9 000,00"))
    import_lines(tmp_path, validator, [
        {"document": second["id"], "field": "siret_installateur", "value": None},  # marked absent: no SIRET to tie to
        {"document": second["id"], "field": "raison_sociale_installateur", "value": "Isolation Confort"}], name="c.jsonl")
    assert _learned()[(SIRET, "name")] == ("Isolation Confort", 1)


@pytest.mark.django_db
def test_the_admin_lists_the_installers_values_and_switches_one_off(administrator, client):
    from django.urls import reverse

    row = LearnedIssuerValue.objects.create(siret=SIRET, kind="name", value="Iso' Ouest", count=3)
    LearnedIssuerValue.objects.create(siret=SIRET, kind="rge", value="QE/26616", count=2, is_active=False)
    client.force_login(administrator)
    page = client.get(reverse("admin:extraction_learnedissuervalue_changelist")).content.decode()
    assert "Iso&#x27; Ouest" in page and "QE/26616" in page and "raison sociale" in page
    assert list(issuers.known_issuers()) == [SIRET] and "rge" not in issuers.known_issuers()[SIRET]
    client.post(reverse("admin:extraction_learnedissuervalue_changelist"),
                {"action": "deactivate", "_selected_action": [row.pk]})
    assert issuers.known_issuers() == {}


NAME = FieldSpec("raison_sociale_installateur", "Raison sociale", "string", hints={"installer": "name"})
RGE = FieldSpec("rge_numero", "N° RGE", "string", hints={"installer": "rge"})
SIRET_SPEC = FieldSpec("siret_installateur", "SIRET", "siret", hints={"installer": "siret"})
KNOWN = {SIRET: {"name": [("Iso' Ouest", 3)], "rge": [("QE/26616", 2)]}}


def scanned(pages):
    return [replace(page, source="ocr:tesseract") for page in pages]


def _read(monkeypatch, pages, read: dict[str, str], known=KNOWN) -> dict[str, str]:
    monkeypatch.setattr(issuers, "known_issuers", lambda: known)
    values = {}
    for name, text in read.items():
        word = next((w for w in pages[0].words if w.text == text.split()[0]), pages[0].words[-1])
        values[name] = FieldValue(text, text, 0.6, page=1, bbox=word.bbox)
    issuers.read_known_issuer(pages, [SIRET_SPEC, NAME, RGE], values, {})
    return {name: value.value for name, value in values.items()}


def test_on_a_scan_the_name_and_number_garbled_beside_a_known_siret_are_the_validated_ones(monkeypatch):
    page = scanned(sentence_page("150' Ouest", "SIRET : 73282932000074", "Qualibat RGE n° QB/26616"))
    got = _read(monkeypatch, page, {"siret_installateur": SIRET, "raison_sociale_installateur": "150' Ouest",
                                    "rge_numero": "QB/26616"})
    assert got == {"siret_installateur": SIRET, "raison_sociale_installateur": "Iso' Ouest", "rge_numero": "QE/26616"}
    # « 10' Ouest »: a letter lost and one read as a digit
    page = scanned(sentence_page("10' Ouest", "SIRET : 73282932000074"))
    assert _read(monkeypatch, page, {"siret_installateur": SIRET, "raison_sociale_installateur": "10' Ouest"}
                 )["raison_sociale_installateur"] == "Iso' Ouest"


def test_a_siret_a_scan_misread_by_one_digit_is_the_known_one_and_a_missed_name_is_found_on_the_page(monkeypatch):
    page = scanned(sentence_page("Devis n° D-12", "Iso' 0uest - 4 rue Haute 03100 Montluçon", "SIRET 73282932000O74"))
    got = _read(monkeypatch, page, {"siret_installateur": "73282932000574"})
    assert got == {"siret_installateur": SIRET, "raison_sociale_installateur": "Iso' Ouest"}


def test_what_the_page_does_not_print_or_another_siret_is_left_as_read(monkeypatch):
    # a born-digital page prints what it prints: another company's name stays, nothing is invented
    page = sentence_page("RÉNOVATION MARTIN", "SIRET : 73282932000074")
    assert _read(monkeypatch, page, {"siret_installateur": SIRET, "raison_sociale_installateur": "RÉNOVATION MARTIN"}) == {
        "siret_installateur": SIRET, "raison_sociale_installateur": "RÉNOVATION MARTIN"}
    # a SIRET nobody validated, or on a text layer one digit away from a known one: another installer
    page = sentence_page("150 Ouest", "SIRET : 73282932000082")
    for siret in ("73282932000082", "73282932000075"):
        assert _read(monkeypatch, page, {"siret_installateur": siret, "raison_sociale_installateur": "150 Ouest"}
                     )["raison_sociale_installateur"] == "150 Ouest"
