"""The global search on PostgreSQL (dossiers.global_search): a ``french_unaccent`` text search
configuration (the French one with the ``unaccent`` dictionary before the French stemmer,
so « Rénov'Énergie » and « renov energie » give the same lexemes) and GIN indexes on the
weighted vectors the search builds for dossiers, installers and documents. SQLite needs nothing."""
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIG = "french_unaccent"
CREATE_CONFIG = """
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
    CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
    ALTER TEXT SEARCH CONFIGURATION french_unaccent
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
END $$;
"""

# The same (field, weight) lists as dossiers.global_search: an index serves the query only
# when its expression is the query's to the letter.
INDEXES = [
    ("dossiers", "Dossier", "dossier_fulltext_idx", [
        ("reference", "A"), ("beneficiary_name", "A"), ("beneficiary_address", "B"), ("beneficiary_postal_code", "B"),
        ("beneficiary_city", "B"), ("works_address", "B"), ("works_postal_code", "B"), ("works_city", "B")]),
    ("accounts", "Installer", "installer_fulltext_idx", [
        ("name", "A"), ("siret", "A"), ("siren", "A"), ("address", "B"), ("postal_code", "B"), ("city", "B"),
        ("contact_name", "B"), ("rge_number", "B")]),
    ("documents", "Document", "document_fulltext_idx", [("text", "B")]),
]


def vector(fields):
    by_weight = {}
    for name, weight in fields:
        by_weight.setdefault(weight, []).append(name)
    parts = [SearchVector(*names, weight=weight, config=CONFIG) for weight, names in sorted(by_weight.items())]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined + part
    return combined


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_CONFIG)
    for app_label, model_name, name, fields in INDEXES:
        schema_editor.add_index(apps.get_model(app_label, model_name), GinIndex(vector(fields), name=name))


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _app_label, _model_name, name, _fields in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0009_mail_ingestion"),
        ("accounts", "0001_initial"),
        ("documents", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
