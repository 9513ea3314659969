"""What an export is: a base model, a list of typed columns, how rows are read.

Each ``Column`` has a French header, an ``accessor`` (an ORM path read with ``values_list``,
or the name of an annotation given by ``expression``) and a ``type`` that decides how the
value is written:

=========  ===========================  ===============================  ======================
type       CSV « excel-fr » (default)   CSV « iso »                      XLSX cell
=========  ===========================  ===============================  ======================
text       as is                        as is                            text
choice     the French label             the stored code                  text (label)
int        ``1234``                     ``1234``                         number ``0``
decimal    ``12450,5`` (comma)          ``12450.5``                      number ``#,##0.00``
money      ``4254,12``                  ``4254.12``                      number ``#,##0.00``
ratio      ``0,875``                    ``0.875``                        number ``0.000``
date       ``15/03/2026``               ``2026-03-15``                   date ``DD/MM/YYYY``
datetime   ``15/03/2026 14:05:09``      ISO 8601 with offset             date ``DD/MM/YYYY HH:MM``
bool       ``Oui`` / ``Non``            ``true`` / ``false``             boolean
json       compact JSON                 compact JSON                     text (JSON)
=========  ===========================  ===============================  ======================

Datetimes are written in the project's time zone (``TIME_ZONE``, Europe/Paris).
Excel shows ``#,##0.00`` with the reader's locale, i.e. ``4 254,12`` in French.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet

TYPES = ("text", "choice", "int", "decimal", "money", "ratio", "date", "datetime", "bool", "json")


@dataclass(frozen=True)
class Column:
    header: str
    accessor: str
    type: str = "text"
    expression: Any = None
    choices: dict | None = None
    width: int | None = None
    help: str = ""

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"Unknown column type {self.type!r} for {self.header!r}")


@dataclass(frozen=True)
class Export:
    """One export: rows of ``model`` (filtered by the caller), written as ``columns``.

    ``ordering`` orders the rows; ``extra_ordering`` breaks ties (e.g. one row per dossier
    operation). ``description`` documents what a row is. ``date_field`` and ``installer_path``
    are what the ``export`` command's ``--since/--until`` and ``--installer`` filter on.
    """

    name: str
    model: type[Model]
    columns: tuple[Column, ...]
    title: str
    description: str = ""
    ordering: tuple[str, ...] = ("pk",)
    extra_ordering: tuple[str, ...] = ()
    annotations: dict = field(default_factory=dict)
    date_field: str = ""  # what --since/--until of the export command filter on
    installer_path: str = ""  # path to the installer, for --installer

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def rows(self, queryset: QuerySet | None = None, *, chunk_size: int = 2000):
        """Value tuples, one per row, streamed from the database in chunks.

        ``queryset`` (of ``model``: the admin's filtered list, a command's filters) selects the
        rows; it is used as a ``pk IN (subquery)`` so its own joins, annotations and DISTINCT
        never multiply or hide rows. One query, no N+1.
        """
        base = self.model._default_manager.all()
        if queryset is not None:
            base = base.filter(pk__in=queryset.values("pk"))
        annotations = {c.accessor: c.expression for c in self.columns if c.expression is not None}
        if annotations:
            base = base.annotate(**annotations)
        base = base.order_by(*self.ordering, *self.extra_ordering)
        return base.values_list(*[c.accessor for c in self.columns]).iterator(chunk_size=chunk_size)


def json_text(value) -> str:
    if value is None or value == "":
        return ""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str)
