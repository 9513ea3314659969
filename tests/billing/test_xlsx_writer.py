"""The streaming .xlsx writer, read back with openpyxl (an independent reader)."""
from __future__ import annotations

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl

from billing.models import PriceList
from dossiers.backoffice.exports import xlsx as xlsx_module
from dossiers.backoffice.exports.columns import Column, Export
from dossiers.backoffice.exports.writers import write_xlsx

EXPORT = Export(
    name="sample", model=PriceList, title="Échantillon: [test]",
    columns=(
        Column("Texte", "a"), Column("Nombre", "b", "decimal"), Column("Entier", "c", "int"),
        Column("Date", "d", "date"), Column("Horodatage", "e", "datetime"), Column("Oui/non", "f", "bool"),
        Column("Statut", "g", "choice", choices={"paid": "Payée"}), Column("JSON", "h", "json"),
    ),
)


def workbook_of(rows):
    buffer = io.BytesIO()
    count = write_xlsx(EXPORT, rows, buffer)
    buffer.seek(0)
    return count, openpyxl.load_workbook(buffer)


def test_values_come_back_with_their_types_and_formats():
    paris = ZoneInfo("Europe/Paris")
    rows = [(
        "Dupont & fils <SARL> « é »\x01", Decimal("12450.50"), 42, datetime.date(2026, 3, 15),
        datetime.datetime(2026, 1, 15, 9, 30, tzinfo=datetime.timezone.utc), True, "paid", '{"a":1}',
    ), ("=SUM(A1:A2)", Decimal("-0.01"), 0, None, None, False, "unknown", None)]
    count, book = workbook_of(rows)
    assert count == 2
    sheet = book.active
    assert sheet.title == "Échantillon   test "
    assert [c.value for c in sheet[1]] == EXPORT.headers
    first = [c for c in sheet[2]]
    assert first[0].value == "Dupont & fils <SARL> « é »"  # control character dropped, the rest intact
    assert first[1].value == 12450.5 and first[1].number_format == "#,##0.00"
    assert first[2].value == 42 and first[2].number_format == "0"
    assert first[3].value == datetime.datetime(2026, 3, 15) and first[3].number_format == "DD/MM/YYYY"
    local = datetime.datetime(2026, 1, 15, 9, 30, tzinfo=datetime.timezone.utc).astimezone(paris).replace(tzinfo=None)
    assert first[4].value == local and first[4].number_format == "DD/MM/YYYY HH:MM"
    assert first[5].value is True
    assert first[6].value == "Payée"
    second = [c.value for c in sheet[3]]
    assert second[0] == "=SUM(A1:A2)" and sheet[3][0].data_type == "s"  # text, never a formula
    assert second[1] == -0.01 and second[3] is None and second[5] is False and second[6] == "unknown"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:H3"


def test_rows_beyond_excels_limit_continue_on_another_sheet(monkeypatch):
    monkeypatch.setattr(xlsx_module, "EXCEL_MAX_ROWS", 3)  # header + 2 rows per sheet
    rows = [(f"ligne {i}", Decimal(i), i, None, None, None, None, None) for i in range(5)]
    count, book = workbook_of(rows)
    assert count == 5
    assert [len(list(sheet.iter_rows(min_row=2))) for sheet in book.worksheets] == [2, 2, 1]
    assert [row[0].value for sheet in book.worksheets for row in sheet.iter_rows(min_row=2)] == [f"ligne {i}" for i in range(5)]


def test_an_empty_export_is_a_valid_workbook_with_its_header():
    count, book = workbook_of([])
    assert count == 0
    assert [c.value for c in book.active[1]] == EXPORT.headers
