"""Invoices: amounts to the cent, split, numbering, credit notes, statuses, the PDF document."""
from __future__ import annotations

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import Activity
from billing.documents import render_invoice_html, render_invoice_pdf, store_invoice_pdf
from billing.models import Invoice, PriceList
from billing.services import InvoiceError, cancel_invoice, compute_invoice, round_cents
from dossiers.models import DossierStatus
from dossiers.workflow.invoicing import (
    billable_operations,
    create_invoice_for_dossier,
    create_invoices_for_dossiers,
    on_dossier_approved,
)
from tests.factories import InstallerFactory

from .conftest import make_approved_dossier

D = datetime.date


def test_rounding_is_half_up_to_the_cent():
    assert round_cents(Decimal("0.005")) == Decimal("0.01")
    assert round_cents(Decimal("0.004999")) == Decimal("0.00")
    assert round_cents(Decimal("2.675")) == Decimal("2.68")  # float would give 2.67


def test_worked_check_heat_pump_coup_de_pouce_is_4254_12_eur(administrator):
    """CEE-DOMAIN.md: 109 080 kWh cumac × 5 at 7.8 €/MWhc = 4 254.12 €, split 70/30."""
    dossier = make_approved_dossier(operations=(("BAR-TH-171", "109080.00", "5"),))
    invoice = create_invoice_for_dossier(dossier, user=administrator, issue_date=D(2026, 1, 15))
    assert invoice.kwh_cumac == Decimal("545400.00")
    assert invoice.unit_price == Decimal("7.800")
    assert invoice.total_eur == Decimal("4254.12")
    assert invoice.amount_on_validation == Decimal("2977.88")  # 2977.884 → 2977.88
    assert invoice.amount_on_registration == Decimal("1276.24")
    assert invoice.amount_on_validation + invoice.amount_on_registration == invoice.total_eur
    assert invoice.due_date == D(2026, 2, 14)
    assert invoice.status == Invoice.Status.ISSUED
    assert invoice.number == "FAC-2026-000001"
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.INVOICED


def test_precarity_dossier_is_billed_at_the_precarity_price(administrator):
    dossier = make_approved_dossier(operations=(("BAR-EN-101", "153000.00", "1"),), precarity="tres_modeste")
    invoice = create_invoice_for_dossier(dossier, user=administrator)
    assert invoice.unit_price == Decimal("11.000")
    assert invoice.total_eur == Decimal("1683.00")


def test_each_line_is_rounded_to_the_cent_and_the_total_is_their_sum(administrator):
    # 1234.57 kWh × 7.8 / 1000 = 9.629646 → 9.63 ; 333.33 × 2 = 666.66 kWh → 5.199948 → 5.20
    dossier = make_approved_dossier(operations=(("BAR-TH-171", "1234.57", "1"), ("BAR-EN-101", "333.33", "2")))
    draft = compute_invoice(dossier, billable_operations(dossier))
    assert [line.amount_eur for line in draft.lines] == [Decimal("9.63"), Decimal("5.20")]
    assert draft.total_eur == Decimal("14.83")
    assert draft.kwh_cumac == Decimal("1901.23")
    # 70 % of each line: 6.741 → 6.74 ; 3.64 → 3.64
    assert draft.amount_on_validation == Decimal("10.38")
    assert draft.amount_on_registration == Decimal("4.45")


def test_installer_contract_price_and_share_apply(administrator):
    installer = InstallerFactory(contract_reference="CT-2025-01")
    PriceList.objects.create(name="Contrat", installer=installer, operation_code="BAR-TH-171", valid_from=D(2025, 1, 1),
                             price_classic=Decimal("8.250"), price_precarity=Decimal("12.000"),
                             share_on_validation_percent=Decimal("50"))
    dossier = make_approved_dossier(installer=installer, operations=(("BAR-TH-171", "90900.00", "1"),))
    invoice = create_invoice_for_dossier(dossier, user=administrator)
    assert invoice.unit_price == Decimal("8.250")
    assert invoice.total_eur == Decimal("749.93")  # 90.9 × 8.25 = 749.925 → 749.93 (half-up)
    assert invoice.amount_on_validation == Decimal("374.97")  # 50 % of 749.93 = 374.965 → 374.97
    assert invoice.amount_on_registration == Decimal("374.96")
    line = invoice.lines.get()
    assert (line.operation_code, line.kwh_cumac, line.amount_eur) == ("BAR-TH-171", Decimal("90900.00"), Decimal("749.93"))


def test_only_an_approved_dossier_can_be_invoiced(administrator):
    dossier = make_approved_dossier(status=DossierStatus.IN_REVIEW)
    with pytest.raises(InvoiceError, match="validé"):
        create_invoice_for_dossier(dossier, user=administrator)
    assert not Invoice.objects.filter(dossier=dossier).exists()


def test_a_dossier_whose_total_disagrees_with_its_operations_is_not_billed(administrator):
    dossier = make_approved_dossier()
    dossier.total_kwh_cumac = Decimal("109080.00")  # the unweighted figure
    dossier.save(update_fields=["total_kwh_cumac"])
    with pytest.raises(InvoiceError, match="ne correspond pas"):
        create_invoice_for_dossier(dossier, user=administrator)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.APPROVED


def test_a_refused_invoice_gives_its_number_back(administrator):
    good = make_approved_dossier()
    no_price = make_approved_dossier(engagement=D(2023, 6, 1))  # no price list before 2024
    first = create_invoice_for_dossier(good, user=administrator, issue_date=D(2026, 3, 1))
    with pytest.raises(InvoiceError, match="Aucune grille"):
        create_invoice_for_dossier(no_price, user=administrator, issue_date=D(2026, 3, 1))
    second = create_invoice_for_dossier(make_approved_dossier(), user=administrator, issue_date=D(2026, 3, 1))
    assert second.sequence == first.sequence + 1


def test_numbering_restarts_each_year_and_is_formatted(administrator):
    a = create_invoice_for_dossier(make_approved_dossier(), user=administrator, issue_date=D(2031, 12, 31))
    b = create_invoice_for_dossier(make_approved_dossier(), user=administrator, issue_date=D(2032, 1, 1))
    assert (a.number, b.number) == ("FAC-2031-000001", "FAC-2032-000001")


def test_a_validator_may_not_invoice(validator, approved_dossier):
    with pytest.raises(PermissionDenied):
        create_invoice_for_dossier(approved_dossier, user=validator)


def test_invoicing_is_logged_with_who_did_it(administrator, approved_dossier):
    invoice = create_invoice_for_dossier(approved_dossier, user=administrator)
    created = Activity.objects.get(verb="invoice_created", dossier=approved_dossier)
    assert created.actor == administrator
    assert created.metadata["number"] == invoice.number
    assert Activity.objects.filter(verb="status_changed", dossier=approved_dossier, metadata__to="invoiced").exists()


def test_batch_invoicing_reports_each_refusal_and_bills_the_rest(administrator):
    ok1, ok2 = make_approved_dossier(), make_approved_dossier()
    draft = make_approved_dossier(status=DossierStatus.DRAFT)
    result = create_invoices_for_dossiers([ok1, draft, ok2], user=administrator)
    assert [i.dossier_id for i in result.created] == [ok1.pk, ok2.pk]
    assert [d.pk for d, _ in result.refused] == [draft.pk]


def test_credit_note_cancels_the_invoice_with_its_own_number_and_negative_amounts(administrator, approved_dossier):
    invoice = create_invoice_for_dossier(approved_dossier, user=administrator, issue_date=D(2026, 4, 1))
    credit = cancel_invoice(invoice, user=administrator, reason="Prix erroné", issue_date=D(2026, 4, 2))
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.CANCELLED
    assert credit.kind == Invoice.Kind.CREDIT_NOTE
    assert credit.credit_note_for == invoice
    assert credit.sequence == invoice.sequence + 1 and credit.year == 2026
    assert (credit.total_eur, credit.amount_on_validation, credit.amount_on_registration) == (
        -invoice.total_eur, -invoice.amount_on_validation, -invoice.amount_on_registration)
    assert [line.amount_eur for line in credit.lines.all()] == [-line.amount_eur for line in invoice.lines.all()]
    assert Invoice.objects.filter(pk=invoice.pk).exists()  # never deleted
    approved_dossier.refresh_from_db()
    assert approved_dossier.status == DossierStatus.APPROVED
    again = create_invoice_for_dossier(approved_dossier, user=administrator, issue_date=D(2026, 4, 3))
    assert again.sequence == credit.sequence + 1


def test_cancelling_needs_a_reason_and_happens_once(administrator, approved_dossier):
    invoice = create_invoice_for_dossier(approved_dossier, user=administrator)
    with pytest.raises(InvoiceError, match="motif"):
        cancel_invoice(invoice, user=administrator, reason="  ")
    credit = cancel_invoice(invoice, user=administrator, reason="Doublon")
    with pytest.raises(InvoiceError, match="déjà annulée"):
        cancel_invoice(invoice, user=administrator, reason="Doublon")
    with pytest.raises(InvoiceError, match="avoir"):
        cancel_invoice(credit, user=administrator, reason="Doublon")


def test_auto_invoice_on_approval_is_off_by_default_and_on_when_set(settings, administrator):
    dossier = make_approved_dossier()
    assert on_dossier_approved(dossier, administrator) is None
    assert not Invoice.objects.filter(dossier=dossier).exists()
    settings.CEE_AUTO_INVOICE_ON_APPROVAL = True
    invoice = on_dossier_approved(dossier, administrator)
    assert invoice is not None and invoice.dossier_id == dossier.pk


def test_auto_invoice_refusal_does_not_break_the_approval(settings, validator):
    settings.CEE_AUTO_INVOICE_ON_APPROVAL = True
    dossier = make_approved_dossier(engagement=D(2023, 1, 1))  # no price list then
    assert on_dossier_approved(dossier, validator) is None
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.APPROVED
    assert Activity.objects.filter(verb="auto_invoice_refused", dossier=dossier).exists()


def test_invoice_document_carries_the_french_mentions(administrator, approved_dossier, settings):
    settings.CEE_BILLING_ISSUER_IBAN = "FR7630006000011234567890189"
    settings.CEE_BILLING_ISSUER_SIRET = "73282932000074"
    invoice = create_invoice_for_dossier(approved_dossier, user=administrator)
    html = unescape(render_invoice_html(invoice))
    for expected in [invoice.number, "4\u00a0254,12\u00a0€", "2\u00a0977,88\u00a0€", "1\u00a0276,24\u00a0€",
                     "FR76 3000 6000 0112 3456 7890 189", "SIRET 73282932000074", approved_dossier.installer.siret,
                     "hors du champ d'application de la TVA", "40 €", "L441-10", approved_dossier.reference]:
        assert expected in html
    settings.CEE_INVOICE_VAT_MENTION = "TVA non applicable, art. 293 B du CGI"
    assert "art. 293 B du CGI" in unescape(render_invoice_html(invoice))


def test_invoice_pdf_is_a_real_pdf_stored_once(administrator, approved_dossier, tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}
    invoice = create_invoice_for_dossier(approved_dossier, user=administrator)
    pdf = render_invoice_pdf(invoice)
    assert pdf.startswith(b"%PDF-")
    stored = store_invoice_pdf(invoice)
    assert stored.pdf.name.endswith(f"{invoice.number}.pdf")
    first_name = stored.pdf.name
    assert store_invoice_pdf(stored).pdf.name == first_name
    with stored.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_a_fractional_coefficient_rounding_difference_of_a_hundredth_is_tolerated(administrator):
    # 333.33 × 1.5 = 499.995: the rules round the total half-even (499.99 ... 500.00), the
    # line is rounded half-up (500.00): both figures are within 0.01 kWh.
    dossier = make_approved_dossier(operations=(("BAR-TH-171", "333.33", "1.5"),))
    dossier.total_kwh_cumac = Decimal("499.99")
    dossier.save(update_fields=["total_kwh_cumac"])
    invoice = create_invoice_for_dossier(dossier, user=administrator)
    assert invoice.kwh_cumac == Decimal("500.00")
    assert invoice.total_eur == Decimal("3.90")  # 0.5 MWhc × 7.8
