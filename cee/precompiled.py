"""Read queries whose SQL is compiled once per database and run with fresh parameters.

Building and compiling an ORM query costs more CPU than PostgreSQL spends running a small
one; a query run on every correction or every page, whose shape never changes, can be
compiled once. ``precompiled`` wraps a function that builds a ``values()`` or
``values_list()`` queryset from its arguments (ids, codes: plain parameters of the SQL); the
first call compiles it with stand-in values, later calls bind their own and apply the
converters the ORM would (dates and decimals on SQLite, JSON on PostgreSQL)::

    @precompiled
    def field_rows(dossier_id):
        return ExtractedField.objects.filter(dossier_id=dossier_id).values_list("pk", "value")

    field_rows.rows(42)      # the rows, as list(field_rows(42)) would give them

The function must use each argument as a query parameter only (not to choose a filter or
a join), so that one SQL statement serves every call. Arguments are integers (ids) or
strings (codes, hashes); a statement is compiled per database and per argument types.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import FlatValuesListIterable, ValuesIterable, ValuesListIterable

# Stand-in parameter values, never a real id or code: found again in the compiled parameters.
_STAND_INS = tuple(-7_300_000_000 - index for index in range(16))
_TEXT_STAND_INS = tuple(f"\u2063precompiled stand-in {index}\u2063" for index in range(16))


def _stand_in(index: int, argument: Any):
    """The stand-in of argument ``index``: a string for a string, else an integer."""
    return _TEXT_STAND_INS[index] if isinstance(argument, str) else _STAND_INS[index]


class _Compiled:
    def __init__(self, queryset: QuerySet, alias: str, stand_ins: tuple):
        query = queryset.query
        compiler = query.get_compiler(using=alias)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.slots = []
        for stand_in in stand_ins:
            slots = [index for index, value in enumerate(self.params) if type(value) is type(stand_in) and value == stand_in]
            if not slots:
                raise ValueError("precompiled: every argument must be a parameter of the query")
            self.slots.append(slots)
        fields = [item[0] for item in compiler.select[: compiler.col_count]]
        self.converters = list(compiler.get_converters(fields).items())
        iterable = queryset._iterable_class
        if iterable is ValuesIterable:
            self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
            self.shape = "dict"
        elif iterable is FlatValuesListIterable:
            self.shape = "flat"
        elif iterable is ValuesListIterable:
            self.shape = "tuple"
        else:
            raise TypeError("precompiled: the function must return a values() or values_list() queryset")

    def run(self, alias: str, arguments: tuple) -> list:
        params = list(self.params)
        for slots, value in zip(self.slots, arguments):
            for index in slots:
                params[index] = value
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            converted = []
            for row in rows:
                row = list(row)
                for position, (functions, expression) in self.converters:
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
                converted.append(row)
            rows = converted
        if self.shape == "dict":
            names = self.names
            return [dict(zip(names, row)) for row in rows]
        if self.shape == "flat":
            return [row[0] for row in rows]
        return [tuple(row) for row in rows]


class PrecompiledQuery:
    def __init__(self, build: Callable[..., QuerySet]):
        functools.update_wrapper(self, build)
        self.build = build
        self._compiled: dict[tuple, _Compiled] = {}

    def __call__(self, *arguments) -> QuerySet:
        return self.build(*arguments)

    def rows(self, *arguments: Any, using: str = DEFAULT_DB_ALIAS) -> list:
        """The rows of ``build(*arguments)``, through the statement compiled once per database."""
        key = (using, *(isinstance(argument, str) for argument in arguments))
        compiled = self._compiled.get(key)
        if compiled is None:
            stand_ins = tuple(_stand_in(index, argument) for index, argument in enumerate(arguments))
            compiled = self._compiled[key] = _Compiled(self.build(*stand_ins).using(using), using, stand_ins)
        return compiled.run(using, arguments)


def precompiled(build: Callable[..., QuerySet]) -> PrecompiledQuery:
    return PrecompiledQuery(build)
