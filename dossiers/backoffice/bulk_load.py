"""Loading many rows fast: ids drawn from the sequences, COPY on PostgreSQL, indexes set aside.

Domain-free database tools of the demo seeding (``dossiers.backoffice.demo``): rows go in
without model instances, ``save()`` or signals.
"""
from __future__ import annotations

import contextlib
import datetime
import functools
import json
import time

from django.db import connection, models
from django.utils import timezone


@contextlib.contextmanager
def indexes_set_aside(model_list, *, log=print):
    """PostgreSQL, inside the caller's transaction: drop the foreign keys and the plain
    (non-unique) indexes of ``model_list``'s tables, let the caller load rows, then create
    them again as they were (re-adding a foreign key checks every row at once) and refresh
    the planner's statistics. Primary keys and unique constraints stay in place throughout.
    An error rolls the whole transaction back, the dropped definitions with it."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in model_list]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY conrelid, conname",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisunique AND NOT indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid) ORDER BY indexrelid",
            [tables],
        )
        indexes = cursor.fetchall()
        # Earlier writes of this transaction may have foreign-key checks pending (Django's keys
        # are deferred): run them now, or PostgreSQL refuses to alter the tables.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        for table in tables:
            cursor.execute(f"ANALYZE {quote(table)}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's keys are deferrable, initially deferred
    log(f"  {len(indexes)} index et {len(foreign_keys)} clés étrangères reconstruits et vérifiés "
        f"en {time.monotonic() - started:.0f} s")


def allocate_ids(model, count: int) -> list[int]:
    """Draw ``count`` primary keys for ``model`` from its table's sequence (inside the caller's
    transaction; on SQLite the open write transaction keeps other writers out)."""
    if count == 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) FROM {connection.ops.quote_name(table)}")
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def insert_instances(model, objects: list) -> None:
    """Insert unsaved ``model`` instances whose primary keys are already set (``allocate_ids``)
    through ``insert_rows``: the values as they stand, no ``save()``, signals or auto_now."""
    fields = model._meta.concrete_fields
    files = {f.attname for f in fields if isinstance(f, models.FileField)}

    stamped = {f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    now = timezone.now()

    def value(obj, f):
        raw = getattr(obj, f.attname)
        if f.attname in files:
            return raw.name or ""
        if raw is None and f.attname in stamped:  # what save() would stamp; explicit times are kept
            return now
        return raw

    insert_rows(model, [f.name for f in fields], [tuple(value(obj, f) for f in fields) for obj in objects])


def insert_rows(model, names: list[str], rows: list[tuple], *, chunk: int = 5000, line=None) -> None:
    """Insert plain rows into ``model``'s table, without model instances or signals.

    ``names`` are field names, in the order of each row's values. Fields not named get their
    default (their model default, "" for text, NULL where allowed), so a column another app
    adds later does not break the seed. JSON fields take Python objects or an already
    serialised string. PostgreSQL gets a COPY; other databases an executemany. ``line``, for
    PostgreSQL, formats one row as a COPY text line (the named columns only), several times
    faster than psycopg's generic per-value row writer on millions of rows.
    """
    fields = [model._meta.get_field(name) for name in names]
    named = {f.column for f in fields}
    defaults = []
    for f in model._meta.concrete_fields:
        if f.column in named or f.primary_key:
            continue
        fields.append(f)
        defaults.append(timezone.now() if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default())
    defaults = tuple(defaults)
    json_positions = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)

    def as_json(value):
        if value is None or isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                if line is None:
                    for row in rows:
                        row = [*row, *defaults]
                        for i in json_positions:
                            row[i] = as_json(row[i])
                        copy.write_row(row)
                else:  # a table-specific formatter for the big tables: one f-string a row
                    tail = "".join("\t" + copy_text(as_json(value) if isinstance(f, models.JSONField) else value)
                                   for f, value in zip(fields[len(names):], defaults))
                    for start in range(0, len(rows), chunk):
                        copy.write("".join([line(row) + tail + "\n" for row in rows[start:start + chunk]]))
            return
        datetime_positions = [i for i, f in enumerate(fields) if isinstance(f, models.DateTimeField)]
        adapted: dict = {}  # many rows share a timestamp: convert each one once

        def as_datetime(value):
            if value not in adapted:
                adapted[value] = connection.ops.adapt_datetimefield_value(value)
            return adapted[value]

        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        for start in range(0, len(rows), chunk):
            prepared = []
            for row in rows[start:start + chunk]:
                row = [*row, *defaults]
                for i in json_positions:
                    row[i] = as_json(row[i])
                for i in datetime_positions:
                    row[i] = as_datetime(row[i])
                prepared.append(row)
            cursor.executemany(sql, prepared)


COPY_NULL = "\\N"


@functools.lru_cache(maxsize=100_000)
def copy_time(value) -> str:
    """A timestamp in COPY text format; many rows share one, so each is converted once."""
    return "\\N" if value is None else value.isoformat()


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format (NULL as \\N, backslash escapes)."""
    kind = type(value)
    if kind is str or isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(_COPY_ESCAPES)
        return str(value)
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is datetime.datetime or kind is datetime.date:
        return value.isoformat()
    return str(value)  # int, Decimal
