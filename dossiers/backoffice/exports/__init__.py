"""CSV and Excel exports of any filtered list: the admin, the ``export`` command and the benchmark
all go through ``export_response`` / ``export_to_file`` here.

    from dossiers.backoffice.exports import get_export, export_to_file
    export_to_file(get_export("dossiers"), Dossier.objects.filter(status="approved"), "out.xlsx", "xlsx")

The column sets are documented in ``definitions.py``; how each type is written in
``columns.py``; the file formats in ``writers.py``.
"""
from __future__ import annotations

from django.db import models
from django.http import StreamingHttpResponse
from django.utils import timezone

from .columns import Column, Export
from .definitions import EXPORTS
from .writers import CSV_STYLES, csv_chunks, write_csv, write_xlsx, xlsx_chunks

FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_FIELD_TYPES = {
    models.DateTimeField: "datetime",
    models.DateField: "date",
    models.DecimalField: "decimal",
    models.BooleanField: "bool",
    models.JSONField: "json",
    models.IntegerField: "int",
    models.BigIntegerField: "int",
    models.PositiveIntegerField: "int",
    models.PositiveSmallIntegerField: "int",
    models.SmallIntegerField: "int",
    models.PositiveBigIntegerField: "int",
    models.AutoField: "int",
    models.BigAutoField: "int",
    models.FloatField: "decimal",
}


def get_export(name: str) -> Export:
    """The named export (``dossiers``, ``documents``, …); KeyError with the known names."""
    try:
        return EXPORTS[name]
    except KeyError:
        raise KeyError(f"Export inconnu : {name!r}. Exports : {', '.join(sorted(EXPORTS))}.") from None


def export_for_model(model: type[models.Model]) -> Export:
    """The documented export of ``model``, or a plain one of its own fields for any other model."""
    for export in EXPORTS.values():
        if export.model is model:
            return export
    return generic_export(model)


def generic_export(model: type[models.Model]) -> Export:
    """Every concrete field of ``model`` (foreign keys as their id), typed from the field class."""
    columns = []
    for field in model._meta.concrete_fields:
        accessor = field.attname
        if field.is_relation:
            kind = "int" if isinstance(field.target_field, (models.AutoField, models.BigAutoField, models.IntegerField)) else "text"
        else:
            kind = next((t for cls, t in _FIELD_TYPES.items() if type(field) is cls), None)
            if kind is None:
                kind = next((t for cls, t in _FIELD_TYPES.items() if isinstance(field, cls)), "text")
        if field.choices and not field.is_relation:
            columns.append(Column(str(field.verbose_name).capitalize(), accessor, "choice", choices=dict(field.flatchoices)))
        else:
            columns.append(Column(str(field.verbose_name).capitalize(), accessor, kind))
    name = model._meta.model_name
    return Export(name=name, model=model, title=str(model._meta.verbose_name_plural).capitalize()[:31], columns=tuple(columns))


def export_filename(export: Export, fmt: str) -> str:
    return f"{export.name}-{timezone.localtime():%Y%m%d-%H%M%S}.{fmt}"


def export_response(export: Export, queryset, fmt: str, *, csv_style: str = "excel-fr"):
    """An HTTP response carrying the export of ``queryset``.

    Both are streamed as rows come from the database, so the download starts at once and
    memory stays flat: CSV chunk by chunk, XLSX as a zip written with data descriptors.
    """
    filename = export_filename(export, fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in csv_chunks(export, export.rows(queryset), style=csv_style)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    elif fmt == "xlsx":
        response = StreamingHttpResponse(xlsx_chunks(export, export.rows(queryset)), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        raise ValueError(f"Format inconnu : {fmt!r} (attendu : csv ou xlsx).")
    response["Cache-Control"] = "private, no-store"
    return response


def export_to_file(export: Export, queryset, path, fmt: str, *, csv_style: str = "excel-fr") -> int:
    """Write the export of ``queryset`` to ``path``; returns the number of rows."""
    if fmt == "csv":
        with open(path, "w", encoding="utf-8", newline="") as handle:
            return write_csv(export, export.rows(queryset), handle, style=csv_style)
    if fmt == "xlsx":
        return write_xlsx(export, export.rows(queryset), str(path))
    raise ValueError(f"Format inconnu : {fmt!r} (attendu : csv ou xlsx).")


__all__ = [
    "CSV_STYLES", "EXPORTS", "FORMATS", "Column", "Export", "export_for_model", "export_response",
    "export_to_file", "generic_export", "get_export",
]
