"""Phrase patterns and the brand lexicon are data: loaded from the fixtures, edited in the admin,
read by the extract stage (once per pipeline run, again after an edit)."""
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from documents.models import DocumentType
from extraction.models import FieldSchema, PhrasePattern, ProductBrand
from extraction.pipeline.hints import configuration_read_once
from extraction.pipeline.reading import document_reading_data

pytestmark = pytest.mark.django_db


def test_the_shipped_patterns_and_brands_are_loaded():
    facture = DocumentType.objects.get(code="facture")
    data = document_reading_data(facture)
    assert ("le montant de la prime s'élève à {valeur}", 0.95) in data.phrases["prime_cee"]
    names = {name for name, _ in data.brands}
    assert {"Isover", "Daikin", "De Dietrich", "Saunier Duval", "Knauf Insulation"} <= names
    assert dict(data.brands)["Knauf Insulation"] == ("Knauf",)


def test_a_pattern_added_or_switched_off_in_the_admin_is_read_by_the_next_run():
    cadre = DocumentType.objects.get(code="cadre_contribution")
    schema = FieldSchema.objects.get(document_type=cadre, name="nom_oblige")
    pattern = "prime versée par {valeur} au titre"
    with configuration_read_once():
        assert pattern not in [p for p, _ in document_reading_data(cadre).phrases["nom_oblige"]]
    row = PhrasePattern.objects.create(schema=schema, pattern=pattern, weight=0.9)
    with configuration_read_once():
        assert (pattern, 0.9) in document_reading_data(cadre).phrases["nom_oblige"]
    row.is_active = False
    row.save()
    with configuration_read_once():
        assert pattern not in [p for p, _ in document_reading_data(cadre).phrases["nom_oblige"]]


def test_a_pattern_needs_its_value_slot_and_a_weight_up_to_one():
    schema = FieldSchema.objects.get(document_type__code="facture", name="prime_cee")
    with pytest.raises(IntegrityError), transaction.atomic():
        PhrasePattern.objects.create(schema=schema, pattern="le montant de la prime", weight=0.9)
    with pytest.raises(IntegrityError), transaction.atomic():
        PhrasePattern.objects.create(schema=schema, pattern="prime de {valeur}", weight=1.5)


def test_the_admin_lists_patterns_and_brands_in_french(client, administrator):
    client.force_login(administrator)
    patterns = client.get(reverse("admin:extraction_phrasepattern_changelist"))
    brands = client.get(reverse("admin:extraction_productbrand_changelist") + "?family=pompe_a_chaleur")
    assert patterns.status_code == brands.status_code == 200
    assert "phrases types" in patterns.content.decode().lower()
    assert "Daikin" in brands.content.decode() and "Isover" not in brands.content.decode()
    ProductBrand.objects.filter(name="Daikin").update(is_active=False)
    assert "Daikin" not in {name for name, _ in document_reading_data(DocumentType.objects.get(code="devis")).brands}


def test_ingest_json_gives_a_multi_valued_field_as_a_list():
    from dossiers.workflow.ingest_summary import document_summary

    document = {"pk": 7, "page_start": 1, "page_end": 1, "page_count": 1, "document_type__code": "devis",
                "classification_confidence": 0.9}
    fields = [{"schema__name": "marque", "schema__data_type": "string", "value": '["Isover", "Siga"]', "confidence": 0.85,
               "page": 1, "bbox": None},
              {"schema__name": "raison_sociale_installateur", "schema__data_type": "string", "value": "ISOL'CONFORT 63",
               "confidence": 0.7, "page": 1, "bbox": None}]
    summary = document_summary(document, fields)["fields"]
    assert summary["marque"]["value"] == ["Isover", "Siga"]
    assert summary["raison_sociale_installateur"]["value"] == "ISOL'CONFORT 63"
