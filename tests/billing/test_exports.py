"""Exports: what is read back with the csv module and openpyxl equals the database rows;
the admin's filters and search decide the rows; the command filters the same way."""
from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from billing.models import Invoice, Payment, PriceList
from billing.services import record_payment
from dossiers.backoffice.exports import export_to_file, get_export, generic_export
from dossiers.models import Dossier, DossierOperation, DossierStatus
from dossiers.workflow.invoicing import create_invoice_for_dossier
from extraction.models import HumanFeedback
from tests.factories import DossierFactory, InstallerFactory

from .conftest import make_approved_dossier

D = datetime.date


def fr_decimal(text: str) -> Decimal | None:
    return Decimal(text.replace(",", ".")) if text else None


def fr_date(text: str) -> datetime.date | None:
    return datetime.datetime.strptime(text, "%d/%m/%Y").date() if text else None


def read_csv(path) -> tuple[list[str], list[dict]]:
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode()), "French Excel needs the UTF-8 BOM"
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";")
    header, *rows = list(reader)
    return header, [dict(zip(header, row)) for row in rows]


@pytest.fixture
def dossiers(db):
    """Two approved dossiers with operations (one with two) and a draft without any."""
    installer = InstallerFactory(name="Isol'Pro « Rhône »; SAS")  # a quote, guillemets and the delimiter
    first = make_approved_dossier(installer=installer, operations=(("BAR-TH-171", "109080.00", "5"), ("BAR-EN-101", "1234.56", "1")))
    second = make_approved_dossier(operations=(("BAR-EN-102", "98765.43", "2"),), precarity="modeste")
    empty = DossierFactory(status=DossierStatus.DRAFT, beneficiary_name="=HYPERLINK(\"http://x\")")
    return first, second, empty


def expected_dossier_rows():
    """The database's truth, read independently of the export code."""
    rows = []
    for dossier in Dossier.objects.order_by("pk"):
        operations = list(dossier.operations.order_by("pk")) or [None]
        timeline = getattr(dossier, "timeline", None)
        for operation in operations:
            rows.append({
                "Référence": dossier.reference,
                "Statut": dossier.get_status_display(),
                "Installateur": dossier.installer.name,
                "SIRET installateur": dossier.installer.siret,
                "Bénéficiaire": dossier.beneficiary_name,
                "Précarité": dossier.get_precarity_status_display(),
                "Date d'engagement": timeline.date_signature if timeline else None,
                "Total kWh cumac dossier": dossier.total_kwh_cumac,
                "Fiche": operation.operation.code if operation else "",
                "kWh cumac opération": operation.kwh_cumac if operation else None,
                "Coefficient": operation.coefficient if operation else None,
            })
    return rows


def test_dossiers_csv_reads_back_equal_to_the_database_one_row_per_operation(dossiers, tmp_path):
    path = tmp_path / "dossiers.csv"
    count = export_to_file(get_export("dossiers"), Dossier.objects.all(), path, "csv")
    header, rows = read_csv(path)
    assert header == get_export("dossiers").headers
    expected = expected_dossier_rows()
    assert count == len(rows) == len(expected) == 4
    for got, want in zip(rows, expected):
        assert got["Référence"] == want["Référence"]
        assert got["Statut"] == want["Statut"]
        assert got["Installateur"] == want["Installateur"]
        assert got["SIRET installateur"] == want["SIRET installateur"]
        assert got["Précarité"] == want["Précarité"]
        assert fr_date(got["Date d'engagement"]) == want["Date d'engagement"]
        assert fr_decimal(got["Total kWh cumac dossier"]) == want["Total kWh cumac dossier"]
        assert got["Fiche"] == want["Fiche"]
        assert fr_decimal(got["kWh cumac opération"]) == want["kWh cumac opération"]
        assert fr_decimal(got["Coefficient"]) == want["Coefficient"]
    # Text that a spreadsheet would run as a formula is neutralised.
    assert rows[-1]["Bénéficiaire"] == "'=HYPERLINK(\"http://x\")"


def test_csv_iso_style_is_comma_separated_with_iso_dates(dossiers, tmp_path):
    path = tmp_path / "dossiers.csv"
    export_to_file(get_export("dossiers"), Dossier.objects.all(), path, "csv", csv_style="iso")
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    first = rows[0]
    assert first["Date d'engagement"] == "2025-11-03"
    assert Decimal(first["Total kWh cumac dossier"]) == dossiers[0].total_kwh_cumac
    assert first["Statut"] == "approved"


def test_dossiers_xlsx_cells_are_real_numbers_and_dates_with_french_formats(dossiers, tmp_path):
    path = tmp_path / "dossiers.xlsx"
    export_to_file(get_export("dossiers"), Dossier.objects.all(), path, "xlsx")
    sheet = openpyxl.load_workbook(path).active
    header = [cell.value for cell in sheet[1]]
    assert header == get_export("dossiers").headers
    col = {name: index for index, name in enumerate(header)}
    data = list(sheet.iter_rows(min_row=2))
    expected = expected_dossier_rows()
    assert len(data) == len(expected)
    for cells, want in zip(data, expected):
        assert cells[col["Référence"]].value == want["Référence"]
        assert cells[col["SIRET installateur"]].value == want["SIRET installateur"]  # text, no lost zeros
        total = cells[col["Total kWh cumac dossier"]]
        assert isinstance(total.value, (int, float)) and Decimal(str(total.value)) == want["Total kWh cumac dossier"]
        assert total.number_format == "#,##0.00"
        engagement = cells[col["Date d'engagement"]]
        if want["Date d'engagement"] is None:
            assert engagement.value is None
        else:
            assert isinstance(engagement.value, datetime.datetime) and engagement.value.date() == want["Date d'engagement"]
            assert engagement.number_format == "DD/MM/YYYY"
        kwh = cells[col["kWh cumac opération"]].value
        assert (kwh is None) if want["kWh cumac opération"] is None else Decimal(str(kwh)) == want["kWh cumac opération"]
    formula_like = data[-1][col["Bénéficiaire"]]
    assert formula_like.value == '=HYPERLINK("http://x")' and formula_like.data_type == "s"


def test_invoices_and_payments_export_amounts_to_the_cent(administrator, tmp_path):
    invoice = create_invoice_for_dossier(make_approved_dossier(), user=administrator, issue_date=D(2026, 2, 2))
    record_payment(invoice, amount="2977.88", date=D(2026, 3, 1), method="transfer", reference="VIR 1", user=administrator)
    path = tmp_path / "factures.xlsx"
    export_to_file(get_export("invoices"), Invoice.objects.all(), path, "xlsx")
    sheet = openpyxl.load_workbook(path).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]]))
    assert row["Numéro"] == invoice.number
    assert row["Total (€)"] == pytest.approx(4254.12)
    assert row["Payé (€)"] == pytest.approx(2977.88)
    assert row["Reste dû (€)"] == pytest.approx(1276.24)
    assert row["Statut"] == "Partiellement payée"
    assert row["Date d'émission"] == datetime.datetime(2026, 2, 2)
    csv_path = tmp_path / "paiements.csv"
    export_to_file(get_export("payments"), Payment.objects.all(), csv_path, "csv")
    _, payments = read_csv(csv_path)
    assert [(p["Montant (€)"], p["Date"], p["Moyen"], p["Facture"]) for p in payments] == [
        ("2977.88".replace(".", ","), "01/03/2026", "Virement", invoice.number)
    ]


def test_datetimes_are_written_in_local_time(dossiers, tmp_path):
    first = dossiers[0]
    moment = datetime.datetime(2026, 7, 1, 8, 30, tzinfo=datetime.timezone.utc)  # 10:30 in Paris (summer)
    Dossier.objects.filter(pk=first.pk).update(submitted_at=moment)
    path = tmp_path / "d.csv"
    export_to_file(get_export("dossiers"), Dossier.objects.filter(pk=first.pk), path, "csv")
    _, rows = read_csv(path)
    assert rows[0]["Soumis le"] == "01/07/2026 10:30:00"
    xlsx = tmp_path / "d.xlsx"
    export_to_file(get_export("dossiers"), Dossier.objects.filter(pk=first.pk), xlsx, "xlsx")
    sheet = openpyxl.load_workbook(xlsx).active
    header = [cell.value for cell in sheet[1]]
    assert sheet[2][header.index("Soumis le")].value == datetime.datetime(2026, 7, 1, 10, 30)


def test_any_model_without_a_documented_export_gets_its_own_fields(db, tmp_path):
    export = generic_export(PriceList)
    path = tmp_path / "prix.csv"
    export_to_file(export, PriceList.objects.all(), path, "csv")
    _, rows = read_csv(path)
    general = PriceList.objects.get(pk=1)
    assert any(fr_decimal(r["Prix classique (€/mwhc)"]) == general.price_classic for r in rows)


# --- the admin -----------------------------------------------------------------------------

def export_url(app_label, model_name, fmt, query=""):
    return reverse("billing:export-changelist", args=[app_label, model_name, fmt]) + query


def streamed_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body, newline=""), delimiter=";"))


def test_admin_export_follows_the_dossier_list_filters_without_selecting(client, administrator, dossiers):
    client.force_login(administrator)
    response = client.get(export_url("dossiers", "dossier", "csv", "?statut=approved"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    references = {row["Référence"] for row in streamed_csv(response)}
    assert references == {dossiers[0].reference, dossiers[1].reference}
    response = client.get(export_url("dossiers", "dossier", "csv", "?statut=draft"))
    assert {row["Référence"] for row in streamed_csv(response)} == {dossiers[2].reference}


def test_admin_export_follows_search_and_filters_on_invoices(client, administrator):
    invoices = [create_invoice_for_dossier(make_approved_dossier(), user=administrator) for _ in range(3)]
    record_payment(invoices[1], amount=invoices[1].total_eur, date=D(2026, 3, 1), method="transfer", user=administrator)
    client.force_login(administrator)
    response = client.get(export_url("billing", "invoice", "csv", "?status__exact=paid"))
    assert [row["Numéro"] for row in streamed_csv(response)] == [invoices[1].number]
    response = client.get(export_url("billing", "invoice", "csv", f"?q={invoices[2].dossier.reference}"))
    assert [row["Numéro"] for row in streamed_csv(response)] == [invoices[2].number]
    response = client.get(export_url("billing", "invoice", "xlsx", "?status__exact=issued"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sorted(row[0].value for row in sheet.iter_rows(min_row=2)) == sorted([invoices[0].number, invoices[2].number])


def test_admin_list_shows_the_export_buttons_with_the_current_query(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("admin:billing_invoice_changelist") + "?status__exact=paid")
    assert export_url("billing", "invoice", "csv", "?status__exact=paid").encode() in response.content
    assert export_url("billing", "invoice", "xlsx", "?status__exact=paid").encode() in response.content


def test_site_wide_export_action_exports_the_selected_rows(client, administrator, dossiers):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:dossiers_dossier_changelist") + "?statut=tous",
        {"action": "export_csv", "_selected_action": [dossiers[1].pk]},
    )
    assert response.status_code == 200
    assert [row["Référence"] for row in streamed_csv(response)] == [dossiers[1].reference]


def test_installers_and_validators_without_view_right_cannot_export(client, installer_user, dossiers):
    client.force_login(installer_user)
    response = client.get(export_url("dossiers", "dossier", "csv"))
    assert response.status_code in (302, 404)  # no admin access at all
    assert b"CEE-" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_export_is_logged_in_the_activity(client, administrator, dossiers):
    from accounts.models import Activity

    client.force_login(administrator)
    b"".join(client.get(export_url("dossiers", "dossier", "csv", "?statut=approved")).streaming_content)
    entry = Activity.objects.get(verb="export")
    assert entry.actor == administrator and entry.metadata["export"] == "dossiers"


# --- the command ---------------------------------------------------------------------------

def test_export_command_filters_by_status_and_date(dossiers, tmp_path):
    Dossier.objects.filter(pk=dossiers[0].pk).update(created_at=timezone.make_aware(datetime.datetime(2025, 6, 1)))
    out = tmp_path / "approved.xlsx"
    call_command("export", "dossiers", "--format", "xlsx", "--out", str(out), "--status", "approved",
                 "--since", "2026-01-01", stdout=io.StringIO())
    sheet = openpyxl.load_workbook(out).active
    assert {row[0].value for row in sheet.iter_rows(min_row=2)} == {dossiers[1].reference}


# --- training data -------------------------------------------------------------------------

def make_feedback(dossier, **fields):
    values = dict(dossier=dossier, document_type_code="facture", field_name="date_facture", kind="corrected",
                  original_value="2026-01-05", corrected_value="2026-01-15", context={"text": "Facture du 15/01/2026"},
                  engine_name="anchors", engine_version="1.0", confidence_before=Decimal("0.620"))
    values.update(fields)
    return HumanFeedback.objects.create(**values)


def test_training_export_writes_jsonl_filtered_and_marks_the_batch(dossiers, tmp_path):
    dossier = dossiers[0]
    wanted = make_feedback(dossier)
    confirmed = make_feedback(dossier, kind="confirmed", original_value="2026-01-20", corrected_value="")
    other_field = make_feedback(dossier, field_name="montant_ttc")
    other_type = make_feedback(dossier, document_type_code="devis")
    old = make_feedback(dossier)
    HumanFeedback.objects.filter(pk=old.pk).update(created_at=timezone.make_aware(datetime.datetime(2024, 1, 1)))
    out = tmp_path / "train.jsonl"
    call_command("export_training_data", "--field", "date_facture", "--document-type", "facture",
                 "--since", "2025-01-01", "--out", str(out), stdout=io.StringIO())
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [wanted.pk, confirmed.pk]
    first = records[0]
    assert first["input"] == {"document_type": "facture", "field": "date_facture", "extracted_value": "2026-01-05",
                              "context": {"text": "Facture du 15/01/2026"}}
    assert first["corrected_value"] == "2026-01-15"
    assert first["metadata"]["engine"] == "anchors" and first["metadata"]["confidence_before"] == 0.62
    assert records[1]["corrected_value"] == "2026-01-20"  # confirmed: the extracted value was right
    batch = first["batch"]
    marked = HumanFeedback.objects.filter(export_batch=batch, used_for_training=True)
    assert set(marked.values_list("pk", flat=True)) == {wanted.pk, confirmed.pk}
    assert not HumanFeedback.objects.filter(pk__in=[other_field.pk, other_type.pk, old.pk], used_for_training=True).exists()
    again = tmp_path / "again.jsonl"
    call_command("export_training_data", "--field", "date_facture", "--out", str(again), stdout=io.StringIO())
    assert [json.loads(line)["id"] for line in again.read_text().splitlines()] == [old.pk, other_type.pk]  # the rest went in the first batch


def test_training_export_from_the_feedback_admin_list_follows_its_filters(client, administrator, dossiers):
    wanted = make_feedback(dossiers[0], document_type_code="facture")
    other = make_feedback(dossiers[0], document_type_code="devis")
    client.force_login(administrator)
    listing = client.get(reverse("admin:extraction_humanfeedback_changelist") + "?document_type_code__exact=facture")
    button = reverse("billing:export-training") + "?document_type_code__exact=facture"
    assert button.encode() in listing.content
    response = client.post(button)
    assert response.status_code == 200
    records = [json.loads(line) for line in response.content.decode().splitlines()]
    assert [r["id"] for r in records] == [wanted.pk]
    wanted.refresh_from_db(), other.refresh_from_db()
    assert wanted.used_for_training and wanted.export_batch == records[0]["batch"]
    assert not other.used_for_training


def test_validators_cannot_mark_feedback_for_training(client, validator, dossiers):
    make_feedback(dossiers[0])
    client.force_login(validator)
    assert client.post(reverse("billing:export-training")).status_code == 404
    assert not HumanFeedback.objects.filter(used_for_training=True).exists()
