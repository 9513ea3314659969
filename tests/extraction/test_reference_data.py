"""The field schemas and classification hints shipped as reference data (SPEC 4b is the contract)."""
import pytest
from django.core.management import call_command

from documents.models import DocumentType
from extraction.models import FieldSchema

SPEC_4B = {
    "devis": "numero_devis date_devis date_signature siret_installateur raison_sociale_installateur beneficiaire_nom "
             "beneficiaire_adresse beneficiaire_code_postal beneficiaire_ville montant_ht montant_tva montant_ttc "
             "operations surface_m2 resistance_thermique marque reference_produit etas cop",
    "facture": "numero_facture date_facture date_fin_travaux siret_installateur raison_sociale_installateur rge_numero "
               "beneficiaire_nom beneficiaire_adresse beneficiaire_code_postal beneficiaire_ville montant_ht montant_tva "
               "montant_ttc prime_cee operations surface_m2 resistance_thermique marque reference_produit etas cop",
    "attestation_honneur": "operations beneficiaire_nom beneficiaire_adresse beneficiaire_code_postal beneficiaire_ville "
                           "date_engagement date_achevement siret_installateur raison_sociale_installateur "
                           "reference_facture signature_beneficiaire signature_installateur",
    "cadre_contribution": "date_cadre nom_oblige beneficiaire_nom montant_prime operations",
    "certificat_rge": "rge_numero siret raison_sociale date_debut_validite date_fin_validite domaines",
    "avis_imposition": "declarant_nom annee_revenus revenu_fiscal_reference nombre_parts adresse",
}
# Optional fields beyond SPEC 4b that rules read (CEE-DOMAIN controls 3 and 6).
RULE_FIELDS = {"devis": "date_visite_technique", "attestation_honneur": "batiment_plus_de_2_ans"}


@pytest.mark.django_db
def test_every_spec_field_has_a_schema_with_label_variants():
    for code, names in SPEC_4B.items():
        schemas = {s.name: s for s in FieldSchema.objects.filter(document_type__code=code)}
        assert set(names.split()) | set(RULE_FIELDS.get(code, "").split()) == set(schemas), code
        for schema in schemas.values():
            hints = schema.extraction_hints
            assert schema.label and (hints.get("labels") or hints.get("scan")), schema


@pytest.mark.django_db
def test_canonical_data_types():
    types = dict(FieldSchema.objects.values_list("name", "data_type").distinct())
    assert types["date_facture"] == "date" and types["montant_ttc"] == "decimal" and types["siret_installateur"] == "siret"
    assert types["beneficiaire_code_postal"] == "postal_code" and types["operations"] == "cee_code"
    assert types["signature_beneficiaire"] == "boolean" and types["annee_revenus"] == "integer"
    assert types["date_visite_technique"] == "date" and types["batiment_plus_de_2_ans"] == "boolean"


@pytest.mark.django_db
def test_reference_data_loads_twice_without_duplicates():
    before = FieldSchema.objects.count(), DocumentType.objects.count()
    call_command("load_reference_data", verbosity=0)
    assert (FieldSchema.objects.count(), DocumentType.objects.count()) == before


@pytest.mark.django_db
def test_every_document_type_but_autre_has_title_keywords():
    for document_type in DocumentType.objects.exclude(code__in=["autre", "photo"]):
        assert document_type.classification_hints.get("title_keywords"), document_type.code
