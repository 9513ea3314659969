"""Writing an export's rows as CSV (streamed) or XLSX (openpyxl write-only, constant memory).

CSV, style ``excel-fr`` (default, what French Excel opens with a double click): UTF-8 with a
BOM, ``;`` as delimiter (the comma is the French decimal separator), decimal comma, dates
``DD/MM/YYYY``. Style ``iso`` (machine consumers): UTF-8 without BOM, ``,``, decimal point,
ISO 8601 dates. XLSX: numbers and dates are real cells with French-friendly number formats.
"""
from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

from django.conf import settings

from .columns import Column, Export, json_text

CSV_STYLES = ("excel-fr", "iso")
BOM = "\ufeff"
ROWS_PER_CHUNK = 500

XLSX_NUMBER_FORMATS = {
    "int": "0",
    "decimal": "#,##0.00",
    "money": "#,##0.00",
    "ratio": "0.000",
    "date": "DD/MM/YYYY",
    "datetime": "DD/MM/YYYY HH:MM",
}


def _local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --- CSV ---------------------------------------------------------------------------------

def _csv_converter(column: Column, style: str):
    """A function value → text for one column (None → empty)."""
    french = style == "excel-fr"
    zone = _local_zone()
    kind = column.type
    if kind in ("decimal", "money", "ratio"):
        if french:
            return lambda v: "" if v is None else str(v).replace(".", ",")
        return lambda v: "" if v is None else str(v)
    if kind == "int":
        return lambda v: "" if v is None else str(v)
    if kind == "date":
        if french:
            return lambda v: "" if v is None else f"{v.day:02d}/{v.month:02d}/{v.year:04d}"
        return lambda v: "" if v is None else v.isoformat()
    if kind == "datetime":
        if french:
            def fr_datetime(v):
                if v is None:
                    return ""
                v = v.astimezone(zone) if v.tzinfo else v
                return f"{v.day:02d}/{v.month:02d}/{v.year:04d} {v.hour:02d}:{v.minute:02d}:{v.second:02d}"
            return fr_datetime
        return lambda v: "" if v is None else (v.astimezone(zone) if v.tzinfo else v).isoformat(timespec="seconds")
    if kind == "bool":
        yes, no = ("Oui", "Non") if french else ("true", "false")
        return lambda v: "" if v is None else (yes if v else no)
    if kind == "choice":
        if french and column.choices:
            labels = {key: str(label) for key, label in column.choices.items()}
            return lambda v: "" if v is None else labels.get(v, v)
        return lambda v: "" if v is None else str(v)
    if kind == "json":
        return json_text
    if french:
        return _spreadsheet_safe_text
    return lambda v: "" if v is None else str(v)


# A cell starting with one of these is run as a formula by spreadsheet software
# (CSV/formula injection): in the excel-fr style, such text gets a leading apostrophe.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe_text(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


class _Echo:
    """A file-like object whose ``write`` returns what it was given (for csv.writer)."""

    def write(self, value):
        return value


def csv_chunks(export: Export, rows: Iterable[tuple], *, style: str = "excel-fr") -> Iterator[str]:
    """The CSV text in chunks of ``ROWS_PER_CHUNK`` rows, header and BOM first."""
    if style not in CSV_STYLES:
        raise ValueError(f"Style CSV inconnu : {style!r} (attendu : {', '.join(CSV_STYLES)}).")
    writer = csv.writer(_Echo(), delimiter=";" if style == "excel-fr" else ",", lineterminator="\r\n")
    converters = [_csv_converter(column, style) for column in export.columns]
    pairs = list(enumerate(converters))
    head = writer.writerow(export.headers)
    yield (BOM + head) if style == "excel-fr" else head
    buffer: list[str] = []
    for row in rows:
        buffer.append(writer.writerow([convert(row[i]) for i, convert in pairs]))
        if len(buffer) >= ROWS_PER_CHUNK:
            yield "".join(buffer)
            buffer.clear()
    if buffer:
        yield "".join(buffer)


class RowCounter:
    """Wraps a row iterator and counts what went through."""

    def __init__(self, rows: Iterable[tuple]):
        self._rows = iter(rows)
        self.count = 0

    def __iter__(self):
        return self

    def __next__(self):
        row = next(self._rows)
        self.count += 1
        return row


def write_csv(export: Export, rows: Iterable[tuple], handle, *, style: str = "excel-fr") -> int:
    """Write the CSV to an open text file (opened with ``newline=""``); returns the row count."""
    counted = RowCounter(rows)
    for chunk in csv_chunks(export, counted, style=style):
        handle.write(chunk)
    return counted.count


# --- XLSX --------------------------------------------------------------------------------

def write_xlsx(export: Export, rows: Iterable[tuple], target) -> int:
    """Write an .xlsx workbook (one sheet) to ``target`` (a path or a binary file object).

    The workbook is write-only: rows go to disk as they come, so memory stays flat.
    Returns the number of data rows written.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=export.title[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(export.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width or _default_width(column)

    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="0F4C81")
    header = []
    for title in export.headers:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)

    zone = _local_zone()
    plan = []
    for column in export.columns:
        number_format = XLSX_NUMBER_FORMATS.get(column.type)
        if column.type == "choice" and column.choices:
            labels = {key: str(label) for key, label in column.choices.items()}
            plan.append(("map", labels, None))
        elif column.type == "json":
            plan.append(("json", None, None))
        elif column.type == "datetime":
            plan.append(("datetime", None, number_format))
        elif number_format:
            plan.append(("styled", None, number_format))
        else:
            plan.append(("raw", None, None))

    # One styled cell per column, reused row after row: the write-only sheet serialises each
    # appended row at once, so only the value changes (building a styled cell per value
    # would triple the time of a large export).
    cells = []
    for how, _, number_format in plan:
        cell = None
        if number_format:
            cell = WriteOnlyCell(sheet)
            cell.number_format = number_format
        cells.append(cell)
    plan = [(how, labels, cell) for (how, labels, _), cell in zip(plan, cells)]

    count = 0
    for row in rows:
        out = []
        for value, (how, labels, cell) in zip(row, plan):
            if value is None:
                out.append(None)
            elif how == "raw":
                if value.__class__ is str and value.startswith("="):
                    # Text, never a formula (openpyxl would write "=…" as one).
                    text_cell = WriteOnlyCell(sheet, value=value)
                    text_cell.data_type = "s"
                    out.append(text_cell)
                else:
                    out.append(value)
            elif how == "map":
                out.append(labels.get(value, value))
            elif how == "json":
                out.append(json_text(value))
            else:
                if how == "datetime" and value.tzinfo is not None:
                    value = value.astimezone(zone).replace(tzinfo=None)
                cell.value = value
                out.append(cell)
        sheet.append(out)
        count += 1
    if count:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(export.columns))}{count + 1}"
    workbook.save(target)
    return count


def _default_width(column: Column) -> int:
    return {"date": 12, "datetime": 17, "bool": 8, "int": 10, "money": 14, "decimal": 14, "ratio": 10}.get(
        column.type, max(12, min(40, len(column.header) + 4))
    )


def xlsx_temporary_file(export: Export, rows: Iterable[tuple]):
    """Write the workbook to an anonymous temporary file; returns ``(file, row_count)``,
    the file rewound and deleted by the system once closed."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    count = write_xlsx(export, rows, handle)
    handle.seek(0)
    return handle, count


