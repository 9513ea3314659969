"""Dossiers ready for review, built row by row with real rendered page images.

``build_review_dossier`` makes a BAR-TH-171 dossier whose documents agree with each other
(one set of facts), renders each document's page as a JPEG (DejaVu Sans on an A4 page at
100 dpi) with every field printed as "Label : value", and stores one ExtractedField per field
schema carrying the box of its value on that page. ``misread`` lets a test make the
extraction read a value wrongly (with a low confidence) while the page shows the true one,
as OCR does. The real rules then run (``dossiers.workflow.rules_run.run_rules_for_dossier``).
"""
from __future__ import annotations

import hashlib
import io
import itertools
import json
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from documents.models import Document, DocumentStatus, DocumentType, Page
from dossiers.models import DossierOperation, DossierStatus, Operation, Timeline
from extraction.models import ExtractedField, FieldSchema
from tests.factories import DossierFactory, InstallerFactory

FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
PAGE_WIDTH, PAGE_HEIGHT = 827, 1169  # A4 at 100 dpi
REVIEW_DOCUMENT_TYPES = ("devis", "facture", "attestation_honneur", "cadre_contribution", "certificat_rge")
TITLES = {
    "devis": "DEVIS", "facture": "FACTURE", "attestation_honneur": "ATTESTATION SUR L'HONNEUR",
    "cadre_contribution": "CADRE DE CONTRIBUTION", "certificat_rge": "CERTIFICAT DE QUALIFICATION RGE",
    "avis_imposition": "AVIS D'IMPÔT SUR LES REVENUS", "note_dimensionnement": "NOTE DE DIMENSIONNEMENT",
}
_counter = itertools.count(1)


def coherent_facts(installer, dossier) -> dict[str, dict[str, str]]:
    """Normalised values (SPEC 4b) of every field, consistent across the documents."""
    today = timezone.localdate()
    engagement = today - timedelta(days=70)
    devis_date = engagement - timedelta(days=6)
    cadre_date = engagement - timedelta(days=12)
    invoice_date = engagement + timedelta(days=35)
    ht, tva = Decimal("11800.00"), Decimal("650.00")
    ttc = ht + tva
    prime = Decimal("4254.12")
    name, address = dossier.beneficiary_name, dossier.works_address
    postal_code, city = dossier.works_postal_code, dossier.works_city
    operations = json.dumps(["BAR-TH-171"])
    common = {
        "siret_installateur": installer.siret, "raison_sociale_installateur": installer.name,
        "beneficiaire_nom": name, "beneficiaire_adresse": address, "beneficiaire_code_postal": postal_code,
        "beneficiaire_ville": city,
    }
    product = {"surface_m2": "110.00", "marque": "Atlantic", "reference_produit": "Alfea Excellia A.I. 14",
               "etas": "126.00", "cop": "4.10"}
    number = next(_counter)
    invoice_number = f"FA-2026-{number:05d}"
    return {
        "devis": {
            "numero_devis": f"DV-2026-{number:05d}", "date_devis": devis_date.isoformat(),
            "date_signature": engagement.isoformat(), **common, "montant_ht": str(ht), "montant_tva": str(tva),
            "montant_ttc": str(ttc), "operations": operations, **product, "resistance_thermique": "",
        },
        "facture": {
            "numero_facture": invoice_number, "date_facture": invoice_date.isoformat(),
            "date_fin_travaux": (invoice_date - timedelta(days=2)).isoformat(), **common,
            "rge_numero": installer.rge_number, "montant_ht": str(ht), "montant_tva": str(tva), "montant_ttc": str(ttc),
            "prime_cee": str(prime), "operations": operations, **product, "resistance_thermique": "",
        },
        "attestation_honneur": {
            "operations": operations, **{k: v for k, v in common.items()},
            "date_engagement": engagement.isoformat(), "date_achevement": (invoice_date - timedelta(days=2)).isoformat(),
            "reference_facture": invoice_number, "signature_beneficiaire": "true", "signature_installateur": "true",
        },
        "cadre_contribution": {
            "date_cadre": cadre_date.isoformat(), "nom_oblige": "Énergies Obligées SA", "beneficiaire_nom": name,
            "montant_prime": str(prime), "operations": operations,
        },
        "certificat_rge": {
            "rge_numero": installer.rge_number, "siret": installer.siret, "raison_sociale": installer.name,
            "date_debut_validite": installer.rge_valid_from.isoformat(),
            "date_fin_validite": installer.rge_valid_until.isoformat(), "domaines": "Pompe à chaleur",
        },
        "avis_imposition": {
            "declarant_nom": name, "annee_revenus": str(today.year - 1), "revenu_fiscal_reference": "21450",
            "nombre_parts": "2.00", "adresse": f"{address} {postal_code} {city}",
        },
    }


def printed(data_type: str, value: str) -> str:
    """How a document prints a normalised value (French formats)."""
    if not value:
        return ""
    if data_type == "date":
        year, month, day = value.split("-")
        return f"{day}/{month}/{year}"
    if data_type == "decimal":
        whole, _, cents = f"{Decimal(value):,.2f}".partition(".")
        return f"{whole.replace(',', ' ')},{cents}"
    if data_type == "siret":
        return f"{value[:3]} {value[3:6]} {value[6:9]} {value[9:]}"
    if data_type == "cee_code":
        return ", ".join(json.loads(value))
    if data_type == "boolean":
        return "Signé" if value == "true" else "Non signé"
    return value


def render_page(title: str, subtitle: str, lines: list[tuple[str, str]]) -> tuple[bytes, list[list[float]], list[dict]]:
    """A JPEG page with ``title`` and one "label : value" line per field.

    Returns the image bytes, the relative box [x0, y0, x1, y1] of each value, and the OCR-like
    words (text, conf, bbox) of the page.
    """
    image = Image.new("RGB", (PAGE_WIDTH, PAGE_HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT_PATH, 15)
    bold = ImageFont.truetype(BOLD_PATH, 15)
    heading = ImageFont.truetype(BOLD_PATH, 26)
    draw.rectangle([40, 36, PAGE_WIDTH - 40, 40], fill="#1f4e79")
    draw.text((60, 60), title, font=heading, fill="#1f4e79")
    draw.text((60, 100), subtitle, font=font, fill="#555555")
    boxes, words = [], []

    def add_words(text, x, y, used_font):
        for word in text.split():
            left, top, right, bottom = draw.textbbox((x, y), word, font=used_font)
            words.append({"text": word, "conf": 1.0, "bbox": [round(left / PAGE_WIDTH, 5), round(top / PAGE_HEIGHT, 5),
                                                               round(right / PAGE_WIDTH, 5), round(bottom / PAGE_HEIGHT, 5)]})
            x = right + draw.textlength(" ", font=used_font)

    y = 160
    for label, value in lines:
        draw.text((60, y), f"{label} :", font=font, fill="#333333")
        add_words(f"{label} :", 60, y, font)
        if value:
            draw.text((360, y), value, font=bold, fill="#000000")
            left, top, right, bottom = draw.textbbox((360, y), value, font=bold)
            boxes.append([round(left / PAGE_WIDTH, 4), round(top / PAGE_HEIGHT, 4),
                          round(right / PAGE_WIDTH, 4), round(bottom / PAGE_HEIGHT, 4)])
            add_words(value, 360, y, bold)
        else:
            boxes.append(None)
        y += 44 if len(lines) < 20 else 42
        draw.line([60, y - 12, PAGE_WIDTH - 60, y - 12], fill="#e5e5e5")
    draw.text((60, PAGE_HEIGHT - 60), "Document généré pour les tests de la revue — page 1/1", font=font, fill="#999999")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue(), boxes, words


def add_document(dossier, code: str, values: dict[str, str], *, misread=None, confidences=None, images=True) -> Document:
    """A processed document of type ``code`` with one page and one ExtractedField per schema field.

    ``misread`` maps a field name to (value read, raw text, confidence): the page still shows
    the true value. ``confidences`` sets the confidence of other fields (default 0.97).
    """
    misread, confidences = misread or {}, confidences or {}
    document_type = DocumentType.objects.get(code=code)
    schemas = list(FieldSchema.objects.filter(document_type=document_type, is_active=True).order_by("display_order"))
    serial = next(_counter)
    document = Document.objects.create(
        dossier=dossier, document_type=document_type, declared_type=document_type,
        original_filename=f"{code}-{dossier.reference}.pdf", mime_type="application/pdf", size=48_000,
        sha256=hashlib.sha256(f"{dossier.pk}-{code}-{serial}".encode()).hexdigest(), page_count=1,
        status=DocumentStatus.PROCESSED, classification_confidence=Decimal("0.950"), processed_at=timezone.now(),
    )
    lines = [(schema.label, printed(schema.data_type, values.get(schema.name, ""))) for schema in schemas]
    page = Page(document=document, number=1, width=595.0, height=842.0, has_text_layer=True, text_source="text_layer",
                text="\n".join(f"{label} : {value}" for label, value in lines))
    boxes: list = [None] * len(lines)
    if images:
        jpeg, boxes, words = render_page(TITLES.get(code, code.upper()), f"{dossier.installer.name} — {dossier.reference}", lines)
        page.words = words
        page.image.save(f"{document.pk}-1.jpg", ContentFile(jpeg), save=False)
    else:
        # Without an image, boxes follow the same layout so the fields still point somewhere.
        boxes = [[0.435, round((160 + 44 * i) / PAGE_HEIGHT, 4), 0.7, round((178 + 44 * i) / PAGE_HEIGHT, 4)]
                 for i in range(len(lines))]
    page.save()
    rows = []
    for index, schema in enumerate(schemas):
        true_value = values.get(schema.name, "")
        value, raw, confidence = misread.get(
            schema.name, (true_value, lines[index][1], confidences.get(schema.name, 0.97 if true_value else 0))
        )
        rows.append(ExtractedField(
            document=document, dossier=dossier, schema=schema, value=value, raw_text=raw,
            confidence=Decimal(str(confidence)).quantize(Decimal("0.001")),
            page=1 if value or schema.name in misread else None,
            bbox=boxes[index] if (value and boxes[index]) else None,
            method="text_layer", engine="pdfplumber 0.11",
        ))
    ExtractedField.objects.bulk_create(rows)
    return document


def build_review_dossier(
    *,
    installer=None,
    status: str = DossierStatus.READY_FOR_REVIEW,
    document_types=REVIEW_DOCUMENT_TYPES,
    misread: dict[str, tuple[str, str, float]] | None = None,
    facts_changes: dict[str, str] | None = None,
    images: bool = True,
    run_rules: bool = True,
    priority: int | None = None,
    **dossier_fields,
):
    """A BAR-TH-171 dossier ready for review, with its documents, pages, fields and rule results.

    ``priority`` replaces the one the rules compute. ``misread`` and ``facts_changes`` use
    "<document type>.<field>" keys: the first makes the
    extraction read a wrong value, the second changes what the document really says.
    """
    installer = installer or InstallerFactory(qualifications=["pompe_a_chaleur"])
    submitted_days_ago = dossier_fields.pop("submitted_days_ago", 3)
    dossier = DossierFactory(
        installer=installer, status=status, priority=priority if priority is not None else 50, housing_type="maison", living_area_m2=Decimal("110"),
        submitted_at=timezone.now() - timedelta(days=submitted_days_ago), **dossier_fields,
    )
    facts = coherent_facts(installer, dossier)
    for key, value in (facts_changes or {}).items():
        code, name = key.split(".", 1)
        facts[code][name] = value
    Timeline.objects.create(
        dossier=dossier, date_devis=facts["devis"]["date_devis"], date_signature=facts["devis"]["date_signature"],
        date_fin_travaux=facts["facture"]["date_fin_travaux"], date_facture=facts["facture"]["date_facture"],
    )
    operation = Operation.objects.filter(code="BAR-TH-171").order_by("-valid_from").first()
    DossierOperation.objects.create(
        dossier=dossier, operation=operation, status=DossierOperation.Status.DETECTED,
        parameters={"surface_m2": "110", "etas": "126"},
    )
    by_type: dict[str, dict] = {}
    for key, value in (misread or {}).items():
        code, name = key.split(".", 1)
        by_type.setdefault(code, {})[name] = value
    for code in document_types:
        add_document(dossier, code, facts.get(code, {}), misread=by_type.get(code), images=images)
    if run_rules:
        from dossiers.workflow.rules_run import run_rules_for_dossier

        run_rules_for_dossier(dossier)
        if priority is not None:  # the rules compute a priority; a test that sets one keeps it
            type(dossier).objects.filter(pk=dossier.pk).update(priority=priority)
        dossier.refresh_from_db()
    return dossier


def add_bare_document(dossier, code: str) -> Document:
    """A document with no fields (a sizing note, a photo): it only counts for completeness."""
    document_type = DocumentType.objects.get(code=code)
    return Document.objects.create(
        dossier=dossier, document_type=document_type, original_filename=f"{code}-{next(_counter)}.pdf",
        mime_type="application/pdf", size=1000, sha256=hashlib.sha256(f"bare-{next(_counter)}".encode()).hexdigest(),
        page_count=1, status=DocumentStatus.PROCESSED,
    )
