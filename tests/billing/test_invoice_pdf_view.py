"""The invoice PDF is served to staff and to the invoice's installer only (404 for anyone else)."""
from __future__ import annotations

import pytest
from django.urls import reverse

from dossiers.workflow.invoicing import create_invoice_for_dossier

from .conftest import make_approved_dossier


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture
def invoice(administrator, installer_company, private_storage):
    return create_invoice_for_dossier(make_approved_dossier(installer=installer_company), user=administrator)


def pdf_bytes(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_installer_downloads_its_own_invoice(client, installer_user, invoice):
    client.force_login(installer_user)
    response = client.get(reverse("billing:invoice-pdf", args=[invoice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert invoice.number in response["Content-Disposition"]
    assert pdf_bytes(response).startswith(b"%PDF-")
    invoice.refresh_from_db()
    assert invoice.pdf.name  # rendered once, then stored


def test_an_installer_never_gets_another_installers_invoice(client, other_installer_user, invoice):
    client.force_login(other_installer_user)
    response = client.get(reverse("billing:invoice-pdf", args=[invoice.pk]))
    assert response.status_code == 404


def test_staff_download_any_invoice_and_anonymous_users_are_sent_to_log_in(client, validator, invoice):
    response = client.get(reverse("billing:invoice-pdf", args=[invoice.pk]))
    assert response.status_code == 302
    client.force_login(validator)
    assert client.get(reverse("billing:invoice-pdf", args=[invoice.pk])).status_code == 200


def test_the_admin_invoice_page_links_the_pdf_and_payment(client, administrator, invoice):
    client.force_login(administrator)
    response = client.get(reverse("admin:billing_invoice_change", args=[invoice.pk]))
    assert response.status_code == 200
    assert reverse("billing:invoice-pdf", args=[invoice.pk]).encode() in response.content
    assert reverse("admin:billing_invoice_payment", args=[invoice.pk]).encode() in response.content


def test_payment_recorded_from_the_admin_settles_the_invoice(client, administrator, invoice):
    client.force_login(administrator)
    response = client.post(reverse("admin:billing_invoice_payment", args=[invoice.pk]),
                           {"amount": str(invoice.total_eur), "date": "2026-03-01", "method": "transfer", "reference": "VIR"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    assert invoice.dossier.status == "paid"


def test_admin_batch_action_creates_invoices_for_approved_dossiers(client, administrator):
    dossiers = [make_approved_dossier() for _ in range(3)]
    client.force_login(administrator)
    response = client.post(reverse("admin:dossiers_dossier_changelist") + "?statut=tous",
                           {"action": "create_invoices_action", "_selected_action": [d.pk for d in dossiers]}, follow=True)
    assert response.status_code == 200
    for dossier in dossiers:
        dossier.refresh_from_db()
        assert dossier.status == "invoiced"
        assert dossier.invoices.count() == 1


def test_back_office_lists_open_with_their_filters(client, administrator, invoice):
    from billing.services import record_payment

    record_payment(invoice, amount="100.00", date=invoice.issue_date, method="transfer", user=administrator)
    client.force_login(administrator)
    for name, query in [
        ("admin:billing_invoice_changelist", f"?year={invoice.year}&installer__id__exact={invoice.installer_id}"),
        ("admin:billing_payment_changelist", f"?invoice__installer__id__exact={invoice.installer_id}"),
        ("admin:billing_pricelist_changelist", "?is_active__exact=1"),
    ]:
        response = client.get(reverse(name) + query)
        assert response.status_code == 200, name
    response = client.get(reverse("admin:billing_payment_changelist") + f"?q={invoice.number}")
    assert invoice.number.encode() in response.content
    assert client.get(reverse("admin:billing_pricelist_history", args=[1])).status_code == 200


def test_the_pdf_is_rendered_after_commit_through_the_task_queue(settings, administrator, private_storage,
                                                                   django_capture_on_commit_callbacks):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    with django_capture_on_commit_callbacks(execute=True):
        invoice = create_invoice_for_dossier(make_approved_dossier(), user=administrator)
    invoice.refresh_from_db()
    assert invoice.pdf.name.endswith(f"{invoice.number}.pdf")
    with invoice.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
