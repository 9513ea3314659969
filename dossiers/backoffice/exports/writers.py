"""Writing an export's rows as CSV (streamed) or XLSX (openpyxl write-only, constant memory).

CSV, style ``excel-fr`` (default, what French Excel opens with a double click): UTF-8 with a
BOM, ``;`` as delimiter (the comma is the French decimal separator), decimal comma, dates
``DD/MM/YYYY``. Style ``iso`` (machine consumers): UTF-8 without BOM, ``,``, decimal point,
ISO 8601 dates. XLSX (xlsx.py): numbers and dates are real cells with number formats
``#,##0.00`` (shown ``4 254,12`` by a French Excel), ``DD/MM/YYYY``, ``DD/MM/YYYY HH:MM``.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

from django.conf import settings

from .columns import Column, Export, json_text
from .xlsx import xlsx_stream

CSV_STYLES = ("excel-fr", "iso")
BOM = "\ufeff"
ROWS_PER_CHUNK = 500


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
    head = writer.writerow(export.headers)
    yield (BOM + head) if style == "excel-fr" else head
    buffer: list[str] = []
    for row in rows:
        buffer.append(writer.writerow([convert(value) for convert, value in zip(converters, row)]))
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

def xlsx_chunks(export: Export, rows: Iterable[tuple]) -> Iterator[bytes]:
    """The .xlsx bytes, produced as rows come (see xlsx.py for why not openpyxl)."""
    return xlsx_stream(
        title=export.title,
        headers=export.headers,
        column_types=[column.type for column in export.columns],
        column_labels=[
            {key: str(label) for key, label in column.choices.items()} if column.type == "choice" and column.choices else None
            for column in export.columns
        ],
        widths=[column.width or _default_width(column) for column in export.columns],
        rows=rows,
        zone=_local_zone(),
    )


def write_xlsx(export: Export, rows: Iterable[tuple], target) -> int:
    """Write the .xlsx workbook to ``target`` (a path or a binary file object); returns the
    number of data rows. Memory stays flat whatever the number of rows."""
    counted = RowCounter(rows)
    if hasattr(target, "write"):
        for chunk in xlsx_chunks(export, counted):
            target.write(chunk)
    else:
        with open(target, "wb") as handle:
            for chunk in xlsx_chunks(export, counted):
                handle.write(chunk)
    return counted.count


def _default_width(column: Column) -> int:
    return {"date": 12, "datetime": 17, "bool": 8, "int": 10, "money": 14, "decimal": 14, "ratio": 10}.get(
        column.type, max(12, min(40, len(column.header) + 4))
    )
