"""Accent-insensitive search (dossiers.search) on PostgreSQL: the ``unaccent`` and ``pg_trgm``
extensions (both trusted: the database owner may create them), an IMMUTABLE ``cee_unaccent``
function, and trigram indexes on the folded beneficiary name and the reference so a substring search over
100 000 dossiers reads an index instead of folding every row. SQLite registers
``cee_unaccent`` in Python on each connection and needs nothing here."""
from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # unaccent() is only STABLE (its dictionary could change); with the dictionary named, the
    # result depends on the text alone, which lets an index use it.
    "CREATE OR REPLACE FUNCTION cee_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
    "AS $$ SELECT unaccent('unaccent'::regdictionary, $1) $$",
    # The expression Django writes for ``alias(x=Unaccent(...)).filter(x__icontains=...)``.
    "CREATE INDEX IF NOT EXISTS dossier_beneficiary_search_idx ON dossiers_dossier "
    "USING gin ((UPPER(cee_unaccent(beneficiary_name)::text)) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS dossier_reference_search_idx ON dossiers_dossier "
    "USING gin ((UPPER(reference::text)) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS dossier_beneficiary_search_idx",
    "DROP INDEX IF EXISTS dossier_reference_search_idx",
    "DROP FUNCTION IF EXISTS cee_unaccent(text)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0004_fewer_redundant_indexes")]

    operations = [migrations.RunPython(forward, backward)]
