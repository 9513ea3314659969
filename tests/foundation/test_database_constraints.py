"""Constraints held by the database itself: writes that bypass forms and full_clean
(``objects.create`` / ``update``) are refused."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from accounts.models import Role, User
from billing.models import Invoice, Payment
from documents.models import DocumentType
from dossiers.models import Dossier, DossierOperation, Operation
from extraction.models import ExtractedField, FieldSchema
from tests.factories import DocumentFactory, DossierFactory, InstallerFactory

pytestmark = pytest.mark.django_db


def refused(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_duplicate_dossier_reference_is_refused():
    first = DossierFactory()
    refused(lambda: Dossier.objects.create(reference=first.reference, installer=first.installer, beneficiary_name="Autre"))


@pytest.mark.parametrize("field", ["premium_eur", "total_kwh_cumac"])
def test_negative_dossier_amounts_are_refused(field):
    dossier = DossierFactory()
    refused(lambda: Dossier.objects.filter(pk=dossier.pk).update(**{field: Decimal("-0.01")}))


@pytest.mark.parametrize("field", ["premium_eur", "kwh_cumac"])
def test_negative_dossier_operation_amounts_are_refused(field):
    dossier = DossierFactory()
    operation = Operation.objects.get(code="BAR-EN-101")
    refused(lambda: DossierOperation.objects.create(dossier=dossier, operation=operation, **{field: Decimal("-1")}))


def test_dossier_confidence_above_one_is_refused():
    dossier = DossierFactory()
    refused(lambda: Dossier.objects.filter(pk=dossier.pk).update(confidence_score=Decimal("1.001")))


def test_document_confidence_above_one_is_refused():
    document = DocumentFactory()
    refused(lambda: type(document).objects.filter(pk=document.pk).update(classification_confidence=Decimal("1.5")))


def test_extracted_field_confidence_above_one_is_refused():
    document = DocumentFactory()
    schema = FieldSchema.objects.filter(document_type=document.document_type).first() or FieldSchema.objects.create(
        document_type=DocumentType.objects.get(code="devis"), name="numero_devis", label="N° de devis"
    )
    refused(
        lambda: ExtractedField.objects.create(
            document=document, dossier=document.dossier, schema=schema, value="D-1", confidence=Decimal("1.2")
        )
    )


def test_installer_user_without_company_is_refused():
    refused(lambda: User.objects.create(email="sans-entreprise@exemple.fr", role=Role.INSTALLER, installer=None))


@pytest.mark.parametrize("role", [Role.VALIDATOR, Role.ADMINISTRATOR])
def test_staff_user_with_a_company_is_refused(role):
    company = InstallerFactory()
    refused(lambda: User.objects.create(email=f"{role}@exemple.fr", role=role, installer=company, is_staff=True))


def test_installer_siret_must_be_fourteen_digits_in_the_database():
    company = InstallerFactory()
    refused(lambda: type(company).objects.filter(pk=company.pk).update(siret="1234"))


def _invoice(**overrides):
    dossier = DossierFactory()
    values = dict(
        number="F-2026-00001", year=2026, sequence=1, dossier=dossier, installer=dossier.installer,
        kwh_cumac=Decimal("109080"), unit_price=Decimal("7.8"), total_eur=Decimal("850.82"),
        amount_on_validation=Decimal("595.57"), amount_on_registration=Decimal("255.25"),
        issue_date=datetime.date(2026, 3, 1), due_date=datetime.date(2026, 3, 31),
    )
    values.update(overrides)
    return Invoice.objects.create(**values)


def test_invoice_due_before_issue_is_refused():
    refused(lambda: _invoice(issue_date=datetime.date(2026, 3, 1), due_date=datetime.date(2026, 2, 28)))


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-10")])
def test_payment_amount_must_be_positive(amount):
    invoice = _invoice()
    refused(lambda: Payment.objects.create(invoice=invoice, amount=amount, date=datetime.date(2026, 4, 1)))


def test_a_valid_payment_is_accepted():
    invoice = _invoice()
    Payment.objects.create(invoice=invoice, amount=Decimal("100"), date=datetime.date(2026, 4, 1))
    assert invoice.payments.count() == 1
