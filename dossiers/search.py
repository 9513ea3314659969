"""Accent-insensitive text search: ``Unaccent(expression)`` in queries.

PostgreSQL runs ``cee_unaccent``, an IMMUTABLE wrapper of the ``unaccent`` extension with a
trigram index on the folded beneficiary name (migration ``dossiers.0005``); SQLite runs the
same folding in Python, registered on each new connection. Validators type « Helene » or « LEFEVRE » and find
« Hélène Lefèvre ».
"""
from __future__ import annotations

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import CharField, Func


def strip_accents(text: str | None) -> str | None:
    """``text`` without its diacritics (« Lefèvre » → « Lefevre »); case is kept."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("œ", "oe").replace("Œ", "OE")


class Unaccent(Func):
    function = "cee_unaccent"
    output_field = CharField()


def register_sqlite_unaccent(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("cee_unaccent", 1, strip_accents, deterministic=True)


connection_created.connect(register_sqlite_unaccent, dispatch_uid="dossiers.search.unaccent")
