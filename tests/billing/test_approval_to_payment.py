"""End to end through the real rules engine and review service: approve, invoice, pay."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from billing.models import Invoice
from billing.services import record_payment
from dossiers.models import DossierStatus
from dossiers.review import services as review
from dossiers.workflow.invoicing import create_invoice_for_dossier
from tests.review.builders import add_bare_document, build_review_dossier


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


def approvable_dossier(validator):
    dossier = build_review_dossier(images=False)
    add_bare_document(dossier, "note_dimensionnement")
    review.open_for_review(dossier, validator)
    return dossier


def test_the_invoice_bills_exactly_the_premium_the_rules_computed(validator, administrator):
    dossier = approvable_dossier(validator)
    review.approve_dossier(dossier, validator)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.APPROVED and dossier.total_kwh_cumac > 0
    invoice = create_invoice_for_dossier(dossier, user=administrator)
    assert invoice.kwh_cumac == dossier.total_kwh_cumac
    assert invoice.total_eur == dossier.premium_eur
    record_payment(invoice, amount=invoice.amount_on_validation, date=datetime.date.today(), method="transfer", user=administrator)
    record_payment(invoice, amount=invoice.amount_on_registration, date=datetime.date.today(), method="transfer", user=administrator)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PAID
    assert Invoice.objects.get(pk=invoice.pk).amount_paid == invoice.total_eur > Decimal("0")


def test_with_auto_invoicing_the_approval_creates_the_invoice(settings, validator):
    settings.CEE_AUTO_INVOICE_ON_APPROVAL = True
    dossier = approvable_dossier(validator)
    approved = review.approve_dossier(dossier, validator)
    assert approved.status == DossierStatus.INVOICED
    invoice = Invoice.objects.get(dossier=dossier)
    assert invoice.total_eur == approved.premium_eur
