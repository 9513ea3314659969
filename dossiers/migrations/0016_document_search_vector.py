"""The documents' search vectors are stored (documents.DocumentSearchVector, one row per document)
instead of indexed as an expression over ``documents_document.text``.

With the expression index (migration 0011), every update of a document row that is not HOT (its
status is indexed, so most are: six to nine per document through the pipeline) recomputed
``to_tsvector`` over the whole text, through the ``unaccent`` dictionary, and re-inserted every
lexeme into the GIN index. Now a trigger computes the vector when a document is inserted with a text
or its text changes, and only then; the GIN index is on the stored vector. The vector is the very one
0011 indexed (same configuration, weight B), so ranks and matches stay the same.
PostgreSQL only: on SQLite the table stays empty and the search folds accents in Python."""
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

VECTOR = "setweight(to_tsvector('french_unaccent', COALESCE(NEW.text, '')), 'B')"
FORWARD = [
    f"""CREATE OR REPLACE FUNCTION cee_document_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO documents_documentsearchvector (document_id, vector) VALUES (NEW.id, {VECTOR})
  ON CONFLICT (document_id) DO UPDATE SET vector = EXCLUDED.vector;
  RETURN NULL;
END $$""",
    # A document is mostly inserted before its text is read: no row until it has a text.
    "CREATE TRIGGER document_search_vector_insert AFTER INSERT ON documents_document "
    "FOR EACH ROW WHEN (NEW.text <> '') EXECUTE FUNCTION cee_document_search_refresh()",
    # UPDATE OF text fires whenever text is in the SET list (a full save() writes every column):
    # the WHEN clause keeps the computation for a text that really changed.
    "CREATE TRIGGER document_search_vector_update AFTER UPDATE OF text ON documents_document "
    "FOR EACH ROW WHEN (OLD.text IS DISTINCT FROM NEW.text) EXECUTE FUNCTION cee_document_search_refresh()",
    "CREATE INDEX IF NOT EXISTS document_search_vector_idx ON documents_documentsearchvector USING gin (vector)",
    "DROP INDEX IF EXISTS document_fulltext_idx",
    # Last: its rows leave deferred foreign-key checks pending, which forbid a CREATE INDEX after it.
    "INSERT INTO documents_documentsearchvector (document_id, vector) "
    "SELECT id, setweight(to_tsvector('french_unaccent', COALESCE(text, '')), 'B') FROM documents_document "
    "WHERE text <> '' ON CONFLICT (document_id) DO NOTHING",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS document_search_vector_insert ON documents_document",
    "DROP TRIGGER IF EXISTS document_search_vector_update ON documents_document",
    "DROP FUNCTION IF EXISTS cee_document_search_refresh()",
    "DROP INDEX IF EXISTS document_search_vector_idx",
    "DELETE FROM documents_documentsearchvector",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)
    # The expression index of 0011, for the search as it was.
    index = GinIndex(SearchVector("text", weight="B", config="french_unaccent"), name="document_fulltext_idx")
    schema_editor.add_index(apps.get_model("documents", "Document"), index)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0015_delete_activity"),
        ("documents", "0007_document_search_vector"),
    ]

    operations = [migrations.RunPython(forward, backward)]
