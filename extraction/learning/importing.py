"""Verdicts validated elsewhere, imported from a JSON-lines file (bootstrapping an instance
from a backlog): ``{"document": <id>, "field": "<schema field name>", "value": ...}`` a line.

Every line is read and checked before anything is written, and the verdicts are applied in one
transaction: a malformed line, an unknown document or field, or a value that is not of the
field's type imports nothing, and the error names the line. Each verdict goes through the
review screen's services (``extraction.feedback``), as the validator's: an equal value
confirms, another value corrects, ``null`` says the document does not carry the field. A
verdict already given changes nothing, so importing a file twice adds nothing.

The lines of a document name the fields of its true type. When the classifier took it for
another type, and exactly one type has every field its lines name, the document takes that type
as the validator's correction (``extraction.services.set_document_type``) before its verdicts
are applied; when none or several have, the file is refused like an unknown field.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from documents.models import Document, DocumentType

from .. import feedback
from ..models import DataType, ExtractedField, FieldSchema, FieldStatus
from ..normalise import normalise
from ..services import set_document_type
from .fingerprint import is_multi_valued
from .services import verdict_batch

ABSENT_NOTE = "Absent du document (import de retours)."
RETYPE_NOTE = "import de retours"


class FeedbackImportError(ValueError):
    """A line that cannot be imported; ``line`` is its number (1-based)."""

    def __init__(self, line: int, message: str):
        super().__init__(f"Ligne {line} : {message}")
        self.line = line


@dataclass
class _Verdict:
    line: int
    document: Document
    schema: FieldSchema
    text: str | None  # what the validator would type; None: the document does not carry the field


def _as_text(line: int, schema: FieldSchema, value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        if schema.data_type != DataType.BOOLEAN:
            raise FeedbackImportError(line, f"« {schema.name} » n'est pas un champ oui/non.")
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(Decimal(str(value)))
    if isinstance(value, list):
        if not value or not all(isinstance(item, str) for item in value):
            raise FeedbackImportError(line, "une liste de valeurs doit contenir des textes.")
        if schema.data_type == DataType.CEE_CODE:
            return ", ".join(value)
        if is_multi_valued(schema.extraction_hints):
            return json.dumps(value, ensure_ascii=False)  # as the extractor writes a multi-valued field
        if len(value) > 1:
            raise FeedbackImportError(line, f"« {schema.name} » ne prend qu'une valeur.")
        return value[0]
    if isinstance(value, str):
        return value
    raise FeedbackImportError(line, "la valeur doit être un texte, une liste, true/false ou null.")


def _parse(lines) -> list[tuple[int, int, str, object]]:
    rows = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except ValueError as error:
            raise FeedbackImportError(number, f"JSON illisible ({error.msg}).") from None
        if not isinstance(data, dict) or set(data) != {"document", "field", "value"}:
            raise FeedbackImportError(number, 'un objet {"document", "field", "value"} est attendu.')
        if not isinstance(data["document"], int) or isinstance(data["document"], bool):
            raise FeedbackImportError(number, "« document » doit être l'identifiant (entier) d'un document.")
        if not isinstance(data["field"], str) or not data["field"]:
            raise FeedbackImportError(number, "« field » doit être le nom d'un champ.")
        rows.append((number, data["document"], data["field"], data["value"]))
    return rows


def _true_types(rows, documents: dict[int, Document], schemas: dict) -> dict[int, DocumentType]:
    """The type each misclassified document's lines name: the one type having every field they
    give, for a document whose own type lacks one of them."""
    named: dict[int, set[str]] = defaultdict(set)
    for _, document_id, name, _ in rows:
        named[document_id].add(name)
    misread = {document_id: names for document_id, names in named.items() if document_id in documents
               and any((documents[document_id].document_type_id, name) not in schemas for name in names)}
    if not misread:
        return {}
    fields_of: dict[int, set[str]] = defaultdict(set)
    for type_id, name in FieldSchema.objects.values_list("document_type_id", "name"):
        fields_of[type_id].add(name)
    types = DocumentType.objects.in_bulk(fields_of)
    found = {}
    for document_id, names in misread.items():
        fitting = [type_id for type_id, fields in fields_of.items() if names <= fields]
        if len(fitting) == 1:
            found[document_id] = types[fitting[0]]
    return found


def read_verdicts(lines) -> tuple[list[_Verdict], dict[int, DocumentType]]:
    """Every line checked (JSON, document, field of its type, value of the field's type);
    raises FeedbackImportError naming the first bad line. Also returns the documents whose lines
    give them another type (``_true_types``), by id."""
    rows = _parse(lines)
    documents = Document.objects.select_related("document_type").in_bulk({row[1] for row in rows})
    schemas = {(s.document_type_id, s.name): s for s in FieldSchema.objects.filter(
        document_type_id__in={d.document_type_id for d in documents.values() if d.document_type_id})}
    retyped = _true_types(rows, documents, schemas)
    if retyped:
        schemas.update({(s.document_type_id, s.name): s for s in FieldSchema.objects.filter(
            document_type_id__in={t.pk for t in retyped.values()})})
    seen: dict[tuple[int, str], tuple[int, str | None]] = {}
    verdicts = []
    for number, document_id, name, value in rows:
        document = documents.get(document_id)
        if document is None:
            raise FeedbackImportError(number, f"document {document_id} introuvable.")
        type_id = retyped[document_id].pk if document_id in retyped else document.document_type_id
        schema = schemas.get((type_id, name))
        if schema is None:
            type_code = document.document_type.code if document.document_type_id else "non classé"
            raise FeedbackImportError(number, f"le champ « {name} » n'existe pas pour un document de type {type_code}.")
        text = _as_text(number, schema, value)
        canonical = None
        if text is not None:
            try:
                canonical = normalise(schema.data_type, text)
            except ValueError as error:
                raise FeedbackImportError(number, f"valeur invalide pour « {name} » : {error}") from None
        if (document_id, name) in seen:
            first, given = seen[document_id, name]
            if given == canonical:
                continue  # the same verdict again (one file named twice in a backlog, read once)
            raise FeedbackImportError(number, f"champ « {name} » du document {document_id} déjà donné ligne {first}, "
                                              "avec une autre valeur.")
        seen[document_id, name] = (number, canonical)
        verdicts.append(_Verdict(number, document, schema, text))
    return verdicts, retyped


def _field_of(verdict: _Verdict) -> ExtractedField:
    """The document's field for the schema, created empty when the extractor left none."""
    field, _ = ExtractedField.objects.get_or_create(
        document=verdict.document, schema=verdict.schema, defaults={"dossier_id": verdict.document.dossier_id})
    field.document, field.schema = verdict.document, verdict.schema
    return field


def _apply(verdict: _Verdict, user) -> str:
    field = _field_of(verdict)
    if verdict.text is None:
        if field.status == FieldStatus.WRONG or (field.status != FieldStatus.UNREVIEWED and field.effective_value == ""):
            return "unchanged"
        if field.effective_value == "":
            feedback.confirm_field(field, user)
            return "confirmed"
        feedback.mark_field_wrong(field, user, note=ABSENT_NOTE)
        return "marked_wrong"
    status = field.status
    recorded = feedback.correct_field(field, verdict.text, user)
    if recorded is None:
        return "unchanged"
    return "confirmed" if status == FieldStatus.UNREVIEWED and field.status == FieldStatus.CONFIRMED else "corrected"


def import_feedback(lines, user) -> Counter:
    """Import the verdicts of ``lines`` (JSON lines) as ``user``'s, all or nothing.

    Returns the count of each outcome (confirmed, corrected, marked_wrong, unchanged, and
    retyped: the documents whose lines gave them another type).
    Raises FeedbackImportError (nothing imported) when a line is wrong.
    """
    outcomes: Counter = Counter()
    with transaction.atomic():
        verdicts, retyped = read_verdicts(lines)
        for verdict in verdicts:
            if verdict.document.pk in retyped:
                set_document_type(verdict.document, retyped.pop(verdict.document.pk), user, note=RETYPE_NOTE)
                outcomes["retyped"] += 1
        with verdict_batch():
            for verdict in verdicts:
                outcomes[_apply(verdict, user)] += 1
    return outcomes
