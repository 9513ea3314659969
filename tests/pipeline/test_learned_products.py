"""Products learned from the verdicts on brands and references (``LearnedProduct``): a brand the
lexicon does not name is read on the next documents, and a reference a scan misread is put back
in the spelling validated."""
from __future__ import annotations

import json

import pytest

from extraction.extractors.layout import build_lines
from extraction.extractors.catalogue import in_catalogue, ocr_skeleton
from extraction.extractors.products import find_products
from extraction.models import EngineConfig, LearnedProduct, LearnedRejection
from extraction.reading import fixture_reading_data, reading_data

from ..extraction.pages import page
from .test_learning import correct, ingest, positioned_pdf, value_of

pytestmark = pytest.mark.django_db


def devis(number: str, designation: str, top: float) -> bytes:
    """A devis whose item line names a heat pump of a brand the shipped lexicon does not know."""
    return positioned_pdf([
        (60, 60, "THERMI'CONFORT SAS"), (60, 76, "3 rue de la Gare 69100 Villeurbanne - SIRET 732 829 320 00074"),
        (60, 130, f"DEVIS N° {number}"), (60, 148, "Date du devis : 12/05/2024"),
        (60, top, designation), (420, top, "1"), (480, top, "9 800,00 €"),
        (60, top + 18, "Opération BAR-TH-171 - pompe à chaleur air/eau"),
        (60, top + 60, "Total HT : 9 800,00 €"), (60, top + 78, "Total TTC : 10 339,00 €"),
    ])


def test_a_brand_and_reference_a_validator_taught_are_read_on_the_next_documents(tmp_path, validator):
    first = ingest(tmp_path, "d1.pdf", devis("D-1", "Pompe à chaleur Heliatherm Orion 12 kW", 300))
    assert not value_of(first, "marque")  # the shipped lexicon does not know the brand

    correct(first["id"], "marque", json.dumps(["Heliatherm"]), validator)
    correct(first["id"], "reference_produit", json.dumps(["Orion 12 kW"]), validator)
    assert set(LearnedProduct.objects.values_list("brand", "reference", "count")) == {
        ("Heliatherm", "", 1), ("Heliatherm", "Orion 12 kW", 1)}

    # another layout (the item line lower), another model of the brand
    second = ingest(tmp_path, "d2.pdf", devis("D-2", "Fourniture PAC HELIATHERM Orion 16 kW air/eau", 360))
    assert value_of(second, "marque") == ["Heliatherm"]
    assert value_of(second, "reference_produit") == ["Orion 16 kW"]

    EngineConfig.objects.create(task=EngineConfig.Task.EXTRACTION, engine="learned", is_active=False)
    third = ingest(tmp_path, "d3.pdf", devis("D-3", "Pompe à chaleur Heliatherm Orion 12 kW", 300))
    assert not value_of(third, "marque")  # learning switched off


def test_a_reference_misread_by_ocr_is_put_back_in_the_validated_spelling():
    reading = reading_data([], [(name, aliases) for name, aliases in fixture_reading_data("devis").brands],
                           [("Daikin", "Altherma 3 R EHBH08D6V"), ("Thermador", "NTH01-FR-EC"), ("Thermador", "")])
    assert ("Thermador", ()) in reading.brands  # a brand only validators named joins the lexicon
    rows = [(0.08, 0.40, "Pompe à chaleur Daikin Altherma 3 R EHBHO8D6V"), (0.08, 0.44, "Thermostat Thermador NTHO1-FR-EC")]
    for conf, expected in ((0.9, ["Altherma 3 R EHBH08D6V", "NTH01-FR-EC"]),
                           (1.0, ["Altherma 3 R EHBHO8D6V", "NTHO1-FR-EC"])):  # a text layer says what is printed
        mentions = find_products(build_lines(page(rows, conf=conf).words), reading.brands)
        assert [m.reference for m in in_catalogue(mentions, reading.products)] == expected
    # a long reference a scan read a character short, and only that
    mentions = find_products(build_lines(page([(0.08, 0.40, "Pompe Viessmann Vitocal 200-A AWO-M-E-AC 201.10")],
                                              conf=0.9).words), reading.brands)
    taught = (("VIESSMANN", "Vitocal 200-A AWO-M-E-AC 201.B10"),)  # the brand in the validator's case
    assert [m.reference for m in in_catalogue(mentions, taught)] == ["Vitocal 200-A AWO-M-E-AC 201.B10"]
    assert [m.reference for m in in_catalogue(mentions, (("Viessmann", "Vitocal 200-A AWO-M-E-AC 202.10"),))] == [
        "Vitocal 200-A AWO-M-E-AC 201.10"]  # a character swapped: maybe another model
    # another model is no misreading: « ETBH16 » is not « ETBH12 »
    assert ocr_skeleton("ETBH16") != ocr_skeleton("ETBH12") and ocr_skeleton("NTHO1-FR-EC") == ocr_skeleton("NTH01 FR EC")


def test_a_scan_s_slip_in_a_brand_s_first_word_still_names_it():
    brands = fixture_reading_data("facture").brands
    rows = [(0.08, 0.40, "isolant Rockwoo!l Rockmur 032 100 mm, résistance thermique R = 3,50 m2.K/W")]
    assert [(m.brand, m.reference) for m in find_products(build_lines(page(rows, conf=0.9).words), brands)] == [
        ("Rockwool", "Rockmur 032")]
    # on a text layer the words are the document's: « Rockwoo!l » is no brand of the lexicon
    assert find_products(build_lines(page(rows).words), brands) == []
    # a word designations print, spelt right, is that word: « Panneau » is no « Janneau »
    rows = [(0.08, 0.40, "Panneau fibre de bois Steico Steico flex 036 5 m2")]
    assert [m.brand for m in find_products(build_lines(page(rows, conf=0.9).words), brands)] == ["Steico"]


def test_a_reference_cut_short_of_a_validated_one_printed_whole_is_the_validated_one():
    brands = [(name, aliases) for name, aliases in fixture_reading_data("devis").brands]
    rows = [(0.08, 0.40, "92095997 Ballon de stockage De Dietrich B 50 tampon"), (0.66, 0.40, "2 u"), (0.8, 0.40, "649,62"),
            (0.08, 0.43, "Ballon De Dietrich B 50 litres"), (0.8, 0.43, "320,00")]
    lines = build_lines(page(rows).words)
    mentions = find_products(lines, reading_data([], brands, []).brands)
    assert [m.reference for m in mentions] == ["B 50", "B 50"]  # « tampon » reads as a description
    taught = (("De Dietrich", "B 50 tampon"),)
    # where the words after it are the taught ones, and there only
    assert [m.reference for m in in_catalogue(mentions, taught, lines)] == ["B 50 tampon", "B 50"]


def two_products(number: str, top: float) -> bytes:
    return positioned_pdf([
        (60, 60, "THERMI'CONFORT SAS"), (60, 76, "3 rue de la Gare 69100 Villeurbanne - SIRET 732 829 320 00074"),
        (60, 130, f"DEVIS N° {number}"), (60, 148, "Date du devis : 12/05/2024"),
        (60, top, "Pompe à chaleur air/eau Atlantic Alfea Excellia A.I. 11"), (420, top, "1"), (480, top, "9 800,00 €"),
        (60, top + 18, "Thermostat d'ambiance Somfy TaHoma Therm"), (420, top + 18, "1"), (480, top + 18, "149,00 €"),
        (60, top + 60, "Total HT : 9 949,00 €"), (60, top + 78, "Total TTC : 10 496,20 €"),
    ])


def test_an_item_a_validator_removed_from_a_list_is_left_out_of_the_next_documents_lists(tmp_path, validator):
    first = ingest(tmp_path, "d1.pdf", two_products("D-1", 300))
    assert value_of(first, "marque") == ["Atlantic", "Somfy"]
    # the validated lists name the heat pump only (the thermostat is no product of the operation)
    correct(first["id"], "marque", json.dumps(["Atlantic"]), validator)
    correct(first["id"], "reference_produit", json.dumps(["Alfea Excellia A.I. 11"]), validator)
    assert set(LearnedRejection.objects.values_list("lexicon", "text", "replacement", "count")) == {
        ("marque", "Somfy", "", 1), ("reference", "TaHoma Therm", "", 1)}

    second = ingest(tmp_path, "d2.pdf", two_products("D-2", 340))
    assert value_of(second, "marque") == ["Atlantic"]
    assert value_of(second, "reference_produit") == ["Alfea Excellia A.I. 11"]

    # an item validated more often than removed stays; one switched off in the admin is read again
    LearnedProduct.objects.create(brand="Somfy", count=2)
    LearnedRejection.objects.filter(lexicon="reference").update(is_active=False)
    third = ingest(tmp_path, "d3.pdf", two_products("D-3", 300))
    assert value_of(third, "marque") == ["Atlantic", "Somfy"]
    assert value_of(third, "reference_produit") == ["Alfea Excellia A.I. 11", "TaHoma Therm"]


def test_an_item_a_validator_cut_down_to_the_item_it_held_is_read_so_on_the_next_documents(tmp_path, validator):
    """The extractor read the brand with the model run into it; the validator kept the brand:
    the next documents' lists hold the brand."""
    first = ingest(tmp_path, "d1.pdf", two_products("D-1", 300))
    correct(first["id"], "marque", json.dumps(["Atlantic", "Somfy"]), validator)
    correct(first["id"], "reference_produit", json.dumps(["Alfea Excellia A.I. 11", "TaHoma"]), validator)
    assert set(LearnedRejection.objects.values_list("lexicon", "text", "replacement")) == {
        ("reference", "TaHoma Therm", "TaHoma")}
    second = ingest(tmp_path, "d2.pdf", two_products("D-2", 340))
    assert value_of(second, "reference_produit") == ["Alfea Excellia A.I. 11", "TaHoma"]
