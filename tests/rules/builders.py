"""Realistic dossiers for the rules tests and the benchmark: an installer with its RGE,
a dossier with its timeline, operations, documents and extracted fields (SPEC 4b names).

``dossier_with_documents()`` gives a BAR-TH-171 heat-pump dossier in Lyon (H1) that passes
every fixture rule; pass ``fields={"facture": {"date_facture": "2025-10-01"}}`` (merged into
the defaults, ``None`` removes a field) to break one thing at a time.
"""
from __future__ import annotations

import copy
import datetime
import hashlib
import itertools
import json
from decimal import Decimal

from django.utils import timezone

from documents.models import Document, DocumentStatus, DocumentType
from dossiers.models import Dossier, DossierOperation, DossierStatus, Operation, Timeline
from extraction.models import ExtractedField, FieldSchema
from tests.factories import InstallerFactory, make_siret

_counter = itertools.count(1)

INSTALLER_SIRET = make_siret(732829320 * 10000 + 9001)

DEFAULT_FIELDS = {
    "devis": {
        "numero_devis": "D-2025-0107", "date_devis": "2025-10-20", "date_signature": "2025-10-25",
        "siret_installateur": INSTALLER_SIRET, "raison_sociale_installateur": "Énergie Rénov Lyon SARL",
        "beneficiaire_nom": "M. Jean Dupont", "beneficiaire_adresse": "3 allée des Tilleuls",
        "beneficiaire_code_postal": "69003", "beneficiaire_ville": "Lyon",
        "montant_ht": "12000.00", "montant_tva": "660.00", "montant_ttc": "12660.00",
        "operations": '["BAR-TH-171"]', "surface_m2": "100", "marque": "Atlantic",
        "reference_produit": "Alfea Extensa AI 8", "etas": "130",
    },
    "facture": {
        "numero_facture": "F-2025-0042", "date_facture": "2025-11-20", "date_fin_travaux": "2025-11-18",
        "siret_installateur": INSTALLER_SIRET, "raison_sociale_installateur": "Énergie Rénov Lyon SARL",
        "rge_numero": "QPAC/60042", "beneficiaire_nom": "DUPONT Jean", "beneficiaire_adresse": "3 allée des Tilleuls",
        "beneficiaire_code_postal": "69003", "beneficiaire_ville": "Lyon",
        "montant_ht": "12000.00", "montant_tva": "660.00", "montant_ttc": "12660.00", "prime_cee": "4254.12",
        "operations": '["BAR-TH-171"]', "surface_m2": "100", "marque": "Atlantic",
        "reference_produit": "Alfea Extensa AI 8", "etas": "130",
    },
    "attestation_honneur": {
        "operations": '["BAR-TH-171"]', "beneficiaire_nom": "Jean Dupont", "beneficiaire_adresse": "3 allée des Tilleuls",
        "beneficiaire_code_postal": "69003", "beneficiaire_ville": "Lyon", "date_engagement": "2025-10-25",
        "date_achevement": "2025-11-18", "siret_installateur": INSTALLER_SIRET,
        "raison_sociale_installateur": "Énergie Rénov Lyon SARL", "reference_facture": "F-2025-0042",
        "signature_beneficiaire": "true", "signature_installateur": "true", "batiment_plus_de_2_ans": "true",
    },
    "cadre_contribution": {
        "date_cadre": "2025-10-01", "nom_oblige": "Obligé Énergie SA", "beneficiaire_nom": "Jean Dupont",
        "montant_prime": "4254.12", "operations": '["BAR-TH-171"]',
    },
    "certificat_rge": {
        "rge_numero": "QPAC/60042", "siret": INSTALLER_SIRET, "raison_sociale": "Énergie Rénov Lyon SARL",
        "date_debut_validite": "2024-01-15", "date_fin_validite": "2027-01-14", "domaines": "Pompe à chaleur",
    },
    "avis_imposition": {
        "declarant_nom": "M. et Mme DUPONT Jean", "annee_revenus": "2024", "revenu_fiscal_reference": "30000",
        "nombre_parts": "2", "adresse": "3 allée des Tilleuls 69003 Lyon",
    },
}


def merged_fields(overrides: dict | None) -> dict:
    fields = copy.deepcopy(DEFAULT_FIELDS)
    for document_type, values in (overrides or {}).items():
        if values is None:
            fields.pop(document_type, None)
            continue
        target = fields.setdefault(document_type, {})
        for name, value in values.items():
            if value is None:
                target.pop(name, None)
            else:
                target[name] = value
    return fields


def installer(**overrides):
    defaults = dict(
        siret=INSTALLER_SIRET, rge_number="QPAC/60042", rge_valid_from=datetime.date(2024, 1, 15),
        rge_valid_until=datetime.date(2027, 1, 14), rge_status="valid",
        qualifications=["pompe_a_chaleur", "isolation_combles", "chauffage_bois", "solaire_thermique"],
    )
    defaults.update(overrides)
    from accounts.models import Installer

    existing = Installer.objects.filter(siret=defaults["siret"]).first()
    if existing is not None:
        for name, value in defaults.items():
            setattr(existing, name, value)
        existing.save()
        return existing
    return InstallerFactory(**defaults)


DEFAULT_TIMELINE = {
    "date_devis": datetime.date(2025, 10, 20), "date_signature": datetime.date(2025, 10, 25),
    "date_debut_travaux": datetime.date(2025, 11, 10), "date_fin_travaux": datetime.date(2025, 11, 18),
    "date_facture": datetime.date(2025, 11, 20),
}


def dossier_with_documents(*, fields: dict | None = None, operations=("BAR-TH-171",), installer_obj=None,
                           operation_parameters: dict | None = None, timeline: dict | None = None,
                           **dossier_fields) -> Dossier:
    """A dossier ready for review with every document of a BAR-TH-171 file (see module
    docstring). ``timeline`` overrides dates of the Timeline (None removes one)."""
    number = next(_counter)
    values = dict(
        reference=f"CEE-R-{number:06d}-{timezone.now():%H%M%S%f}", beneficiary_name="Jean Dupont",
        beneficiary_address="3 allée des Tilleuls", beneficiary_postal_code="69003", beneficiary_city="Lyon",
        works_address="3 allée des Tilleuls", works_postal_code="69003", works_city="Lyon",
        housing_type="maison", living_area_m2=Decimal("100"), precarity_status="none",
        status=DossierStatus.READY_FOR_REVIEW,
        submitted_at=timezone.make_aware(datetime.datetime(2025, 12, 1, 10, 0)),
    )
    values.update(dossier_fields)
    dossier = Dossier.objects.create(installer=installer_obj or installer(), **values)
    Timeline.objects.create(dossier=dossier, **{**DEFAULT_TIMELINE, **(timeline or {})})
    for code in operations:
        DossierOperation.objects.create(
            dossier=dossier, operation=Operation.objects.filter(code=code).order_by("-valid_from").first(),
            parameters=(operation_parameters or {}).get(code, {}),
        )
    add_documents(dossier, merged_fields(fields))
    return dossier


def add_documents(dossier: Dossier, fields_by_type: dict, *, confidence="0.950") -> list[Document]:
    documents = []
    schemas = {(s.document_type.code, s.name): s for s in FieldSchema.objects.select_related("document_type")}
    for code, values in fields_by_type.items():
        document = Document.objects.create(
            dossier=dossier, document_type=DocumentType.objects.get(code=code), original_filename=f"{code}.pdf",
            mime_type="application/pdf", size=2048,
            sha256=hashlib.sha256(f"{dossier.reference}-{code}-{next(_counter)}".encode()).hexdigest(),
            page_count=1, status=DocumentStatus.PROCESSED, classification_confidence=Decimal(confidence),
        )
        ExtractedField.objects.bulk_create([
            ExtractedField(document=document, dossier=dossier, schema=schemas[(code, name)], value=value,
                           raw_text=value, confidence=Decimal("0.900"), page=1)
            for name, value in values.items()
        ])
        documents.append(document)
    return documents


def field(dossier: Dossier, name: str) -> ExtractedField:
    document_type, field_name = name.split(".")
    return ExtractedField.objects.get(dossier=dossier, schema__document_type__code=document_type, schema__name=field_name)


def context_json(overrides: dict | None = None) -> str:
    """The flat JSON context of the default dossier (for rule_eval and the tester)."""
    flat = {f"{code}.{name}": value for code, values in merged_fields(overrides).items() for name, value in values.items()}
    return json.dumps(flat)
