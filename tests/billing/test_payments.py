"""Payments: to the cent, no silent overpayment, invoice and dossier statuses follow."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from billing.models import Invoice, Payment
from billing.services import PaymentError, cancel_invoice, record_payment
from dossiers.models import DossierStatus
from dossiers.workflow.invoicing import create_invoice_for_dossier

D = datetime.date


@pytest.fixture
def invoice(administrator, approved_dossier):
    return create_invoice_for_dossier(approved_dossier, user=administrator, issue_date=D(2026, 1, 15))  # 4 254.12 €


def pay(invoice, amount, user, **extra):
    return record_payment(invoice, amount=amount, date=D(2026, 2, 1), method=Payment.Method.TRANSFER,
                          reference="VIR-1", user=user, **extra)


def test_payment_on_validation_then_on_registration_settles_the_invoice_and_the_dossier(invoice, administrator):
    pay(invoice, invoice.amount_on_validation, administrator)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PARTIALLY_PAID
    assert invoice.amount_paid == Decimal("2977.88")
    assert invoice.dossier.status == DossierStatus.INVOICED
    pay(invoice, "1276.24", administrator)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert invoice.amount_paid == invoice.total_eur == Decimal("4254.12")
    invoice.dossier.refresh_from_db()
    assert invoice.dossier.status == DossierStatus.PAID


def test_overpayment_is_refused_unless_explicitly_accepted(invoice, administrator):
    with pytest.raises(PaymentError, match="dépasse le reste dû"):
        pay(invoice, "4254.13", administrator)
    assert not invoice.payments.exists()
    pay(invoice, "4254.13", administrator, allow_overpayment=True)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert invoice.amount_paid == Decimal("4254.13")


@pytest.mark.parametrize("amount", ["0", "-5", "10.005", "NaN", "dix"])
def test_amounts_must_be_positive_and_in_cents(invoice, administrator, amount):
    with pytest.raises(PaymentError):
        pay(invoice, amount, administrator)
    assert not invoice.payments.exists()


def test_a_cancelled_invoice_and_a_credit_note_take_no_payment(invoice, administrator):
    credit = cancel_invoice(invoice, user=administrator, reason="Erreur")
    with pytest.raises(PaymentError, match="Annulée"):
        pay(invoice, "10.00", administrator)
    with pytest.raises(PaymentError, match="avoir"):
        pay(credit, "10.00", administrator)


def test_an_invoice_with_payments_cannot_be_cancelled(invoice, administrator):
    from billing.services import InvoiceError

    pay(invoice, "100.00", administrator)
    with pytest.raises(InvoiceError, match="paiements"):
        cancel_invoice(invoice, user=administrator, reason="Erreur")


def test_a_validator_cannot_record_payments(invoice, validator):
    with pytest.raises(PermissionDenied):
        pay(invoice, "10.00", validator)
