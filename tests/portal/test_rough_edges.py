"""The portal states an installer would trip on: a premium missing without a reason, a split
file still "being recognised", a beneficiary named after a field label."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import PriceList
from billing.pricing import missing_premium_reason, price_for
from documents.models import DocumentStatus, DocumentType
from dossiers.bulk import PLACEHOLDER_BENEFICIARY
from dossiers.workflow.beneficiary import fill_beneficiary_from_documents
from dossiers.models import Timeline
from extraction.models import ExtractedField, FieldSchema
from tests.factories import DocumentFactory, DossierFactory, DossierOperationFactory

pytestmark = pytest.mark.django_db

BEFORE_THE_FIRST_PRICE_LIST = datetime.date(2023, 3, 14)


def dossier_signed_on(day, installer, **kwargs):
    dossier = DossierFactory(installer=installer, status="ready_for_review", **kwargs)
    DossierOperationFactory(dossier=dossier, kwh_cumac=Decimal("42000"))
    Timeline.objects.create(dossier=dossier, date_signature=day)
    return dossier


def test_no_price_list_before_the_first_one_is_said_with_its_date(installer_company):
    assert PriceList.objects.filter(valid_from__lte=BEFORE_THE_FIRST_PRICE_LIST).count() == 0
    reason = missing_premium_reason(premium=Decimal("0"), engagement_date=BEFORE_THE_FIRST_PRICE_LIST,
                                    installer=installer_company, operation_codes=["BAR-TH-171"])
    assert reason == "aucun prix CEE en vigueur au 14/03/2023"
    assert missing_premium_reason(premium=Decimal("12.50"), engagement_date=BEFORE_THE_FIRST_PRICE_LIST) == ""
    assert missing_premium_reason(premium=None, engagement_date=None).startswith("date d'engagement inconnue")


def test_the_portal_says_why_a_2023_dossier_has_no_premium(portal, installer_user):
    dossier = dossier_signed_on(BEFORE_THE_FIRST_PRICE_LIST, installer_user.installer)
    html = portal.get(reverse("portal:dossier", args=[dossier.pk])).content.decode()
    assert "aucun prix CEE en vigueur au 14/03/2023" in html


def test_the_review_screen_says_why_too(client, validator, installer_company):
    dossier = dossier_signed_on(BEFORE_THE_FIRST_PRICE_LIST, installer_company)
    client.force_login(validator)
    html = client.get(reverse("admin:dossiers_dossier_review", args=[dossier.pk])).content.decode()
    assert "aucun prix CEE en vigueur au 14/03/2023" in html


def test_the_dossier_export_carries_the_reason(installer_company):
    from dossiers.backoffice.exports.definitions import DOSSIERS

    old = dossier_signed_on(BEFORE_THE_FIRST_PRICE_LIST, installer_company)
    recent = dossier_signed_on(datetime.date(2026, 3, 14), installer_company)
    column = DOSSIERS.headers.index("Motif prime absente")
    reference = DOSSIERS.headers.index("Référence")
    reasons = {row[reference]: row[column] for row in DOSSIERS.rows()}
    assert reasons[old.reference] == "aucun prix CEE en vigueur au 14/03/2023"
    assert reasons[recent.reference] == ""


def test_the_back_office_enters_a_2023_price_list_in_the_admin(client, administrator, installer_company):
    client.force_login(administrator)
    response = client.post(reverse("admin:billing_pricelist_add"), {
        "name": "Grille 2023", "is_active": "on", "operation_code": "", "installer": "", "contract_reference": "",
        "valid_from": "01/01/2023", "valid_until": "31/12/2023",
        "price_classic": "6,500", "price_precarity": "9,000", "share_on_validation_percent": "70",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    price_list, price = price_for(operation_code="BAR-TH-171", installer=installer_company,
                                  date=BEFORE_THE_FIRST_PRICE_LIST, precarity_status="none")
    assert price_list.name == "Grille 2023" and price == Decimal("6.5")
    assert missing_premium_reason(premium=Decimal("0"), engagement_date=BEFORE_THE_FIRST_PRICE_LIST,
                                  installer=installer_company, operation_codes=["BAR-TH-171"]) == ""


def test_a_split_file_shows_the_types_of_its_parts(portal, my_dossier):
    parent = DocumentFactory(dossier=my_dossier, original_filename="scan-complet.pdf", status=DocumentStatus.SPLIT,
                             document_type=None, page_count=3)
    DocumentFactory(dossier=my_dossier, parent=parent, page_start=1, page_end=1, status=DocumentStatus.PROCESSED,
                    document_type=DocumentType.objects.get(code="devis"))
    DocumentFactory(dossier=my_dossier, parent=parent, page_start=2, page_end=3, status=DocumentStatus.PROCESSED,
                    document_type=DocumentType.objects.get(code="facture"))
    html = portal.get(reverse("portal:dossier", args=[my_dossier.pk])).content.decode()
    assert "découpé en : Devis, Facture" in html
    assert "type en cours de reconnaissance" not in html


def read(dossier, type_code, field, value):
    document = DocumentFactory(dossier=dossier, status=DocumentStatus.PROCESSED,
                               document_type=DocumentType.objects.get(code=type_code))
    ExtractedField.objects.create(document=document, dossier=dossier, value=value, confidence=Decimal("0.9"),
                                  schema=FieldSchema.objects.get(document_type__code=type_code, name=field))


@pytest.mark.parametrize("label", ["Téléphone", "TELEPHONE :", "Adresse", "Nom et prénom"])
def test_a_bulk_upload_never_names_its_beneficiary_after_a_field_label(installer_company, label):
    dossier = DossierFactory(installer=installer_company, beneficiary_name=PLACEHOLDER_BENEFICIARY)
    read(dossier, "attestation_honneur", "beneficiaire_nom", label)
    read(dossier, "facture", "beneficiaire_nom", "Mme Claire Dubois")

    changes = fill_beneficiary_from_documents(dossier)

    assert changes["beneficiary_name"] == "Mme Claire Dubois"
    dossier.refresh_from_db()
    assert dossier.beneficiary_name == "Mme Claire Dubois"


def test_a_bulk_upload_keeps_its_placeholder_when_only_labels_were_read(installer_company):
    dossier = DossierFactory(installer=installer_company, beneficiary_name=PLACEHOLDER_BENEFICIARY)
    read(dossier, "facture", "beneficiaire_nom", "Téléphone")
    assert fill_beneficiary_from_documents(dossier) == {}
    dossier.refresh_from_db()
    assert dossier.beneficiary_name == PLACEHOLDER_BENEFICIARY


def test_admin_invoice_and_payment_lists_write_amounts_the_french_way(client, administrator):
    from billing.services import record_payment
    from dossiers.workflow.invoicing import create_invoice_for_dossier
    from tests.billing.conftest import make_approved_dossier

    invoice = create_invoice_for_dossier(make_approved_dossier(), user=administrator)
    record_payment(invoice, amount=Decimal("1234.5"), date=datetime.date(2026, 3, 1), method="transfer", user=administrator)
    client.force_login(administrator)

    invoices = client.get(reverse("admin:billing_invoice_changelist")).content.decode()
    payments = client.get(reverse("admin:billing_payment_changelist")).content.decode()
    whole, cents = f"{invoice.total_eur:.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", "\u00a0")
    assert f"{grouped},{cents}\u00a0€" in invoices
    assert "1\u00a0234,50\u00a0€" in payments
