"""API token issuing and lookup. Keys are shown once; only their SHA-256 is stored."""
from __future__ import annotations

import functools
import hashlib
import secrets

from django.db import connections, router, transaction
from django.utils import timezone

from .models import ApiToken, User

PREFIX_LENGTH = 8


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the clear key (never stored)."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:PREFIX_LENGTH], key_hash=hash_key(key))
    return token, key


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def find_active_token(key: str) -> ApiToken | None:
    """The token of ``key`` with its user loaded, if neither the token is revoked nor the user
    deactivated; else None. One query, against the database every time: a revoked token
    stops working at once.

    Every API request calls this: the statement is written once (compiling the equivalent
    ORM query cost more CPU than running it), and reads the token's and the user's own
    columns — the user's company is loaded only by the views that use it.
    """
    alias = router.db_for_read(ApiToken)
    connection = connections[alias]
    lookup = _token_lookup(alias)
    with connection.cursor() as cursor:
        cursor.execute(lookup.sql, [hash_key(key)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = lookup.convert(row, connection)
    split = len(lookup.token_names)
    token = ApiToken.from_db(alias, lookup.token_names, values[:split])
    token.user = User.from_db(alias, lookup.user_names, values[split:])
    return token


class _TokenLookup:
    """The token-and-user statement for one database, with the converters the ORM would apply
    to its columns (none on PostgreSQL; dates and booleans on SQLite). Built once per database
    alias; it holds no connection (connections belong to threads)."""

    def __init__(self, alias: str):
        connection = connections[alias]
        quote = connection.ops.quote_name
        token_fields, user_fields = ApiToken._meta.concrete_fields, User._meta.concrete_fields
        self.token_names = [field.attname for field in token_fields]
        self.user_names = [field.attname for field in user_fields]
        token_table, user_table = ApiToken._meta.db_table, User._meta.db_table

        def column(field) -> str:
            return f"{quote(field.model._meta.db_table)}.{quote(field.column)}"

        token_field = ApiToken._meta.get_field
        self.sql = (
            f"SELECT {', '.join(column(f) for f in (*token_fields, *user_fields))} "
            f"FROM {quote(token_table)} INNER JOIN {quote(user_table)} "
            f"ON {column(token_field('user'))} = {column(User._meta.pk)} "
            f"WHERE {column(token_field('key_hash'))} = %s AND {column(token_field('revoked_at'))} IS NULL "
            f"AND {column(User._meta.get_field('is_active'))}"
        )
        self.converters = []
        for index, field in enumerate((*token_fields, *user_fields)):
            expression = field.get_col(field.model._meta.db_table)
            functions = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
            if functions:
                self.converters.append((index, expression, functions))

    def convert(self, row, connection) -> list:
        values = list(row)
        for index, expression, functions in self.converters:
            for function in functions:
                values[index] = function(values[index], expression, connection)
        return values


@functools.cache
def _token_lookup(alias: str) -> _TokenLookup:
    return _TokenLookup(alias)
