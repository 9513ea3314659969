"""The review screen of one dossier, read in a fixed number of queries.

The screen loads each kind of row once (documents, pages, fields, rule results,
requirements, history) and builds everything else — field groups, the completeness
checklist, the consistency matrix, the blockers — in Python (``tests/review`` holds the
query count constant whatever the number of documents, pages or fields).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from accounts.models import Activity
from documents.models import Document, DocumentStatus, Page
from extraction.models import ExtractedField
from rules.models import RuleResult

from ..models import Dossier, DossierOperation, OperationDocumentRequirement, RejectionReason
from .approval import BLOCKING_RULE_STATUS, FAILING_RULE_STATUSES, OVERRIDABLE_STATUSES, UNVERIFIED_RULE_STATUSES
from .completeness import OperationChecklist, build_checklists
from .flags import attention_points, fraud_signals
from .history import HISTORY_LIMIT, HistoryEntry, history_entries, short_text
from .matrix import ConsistencyMatrix, consistency_matrix
from .values import as_list, display_value

# A field read with less confidence than this is shown first and flagged "à vérifier".
LOW_CONFIDENCE = Decimal("0.80")

# The order of the rules on the screen: what did not pass first, the most severe first.
_RULE_STATUS_ORDER = {"failed": 0, "error": 1, "not_evaluable": 2, "warning": 3, "passed": 4}
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class FieldRow:
    """One extracted field as the review screen shows it (derived values computed once)."""

    field: object  # extraction.models.ExtractedField
    key: str  # "devis.date_devis", the name rules use
    label: str
    data_type: str
    value: str
    confidence: float
    rule_codes: list[str]
    page_id: int | None
    bbox: list[float] | None
    blocking: bool = False  # read by a blocking rule that fails
    html: str = ""  # the row's markup, rendered by the admin view (dossiers.review.admin_screen.render_field_rows)

    @cached_property
    def urgency(self) -> int:
        """Which doubtful field to look at first: 3 a blocking rule reads it, 2 it was read
        with low confidence, 1 a warning reads it, 0 nothing to check."""
        if not self.needs_attention:
            return 0
        if self.blocking:
            return 3
        return 2 if self.low_confidence else 1

    @cached_property
    def low_confidence(self) -> bool:
        return self.confidence < float(LOW_CONFIDENCE)

    @cached_property
    def needs_attention(self) -> bool:
        """Unreviewed and either read by a failing rule, or doubtful: read with low confidence,
        or required and not found. An optional field the document does not carry is not a doubt."""
        if self.field.status != "unreviewed":
            return False
        if self.rule_codes:
            return True
        return self.low_confidence and (bool(self.value) or self.field.schema.required)

    @property
    def status(self) -> str:
        return self.field.status

    @cached_property
    def display_value(self) -> str:
        return display_value(self.data_type, self.value)

    @cached_property
    def confidence_pct(self) -> int:
        return round(self.confidence * 100)

    @cached_property
    def confidence_level(self) -> str:
        return "low" if self.confidence < 0.6 else "mid" if self.low_confidence else "good"

    @cached_property
    def bbox_attr(self) -> str:
        return ",".join(f"{float(v):.4f}" for v in self.bbox) if self.bbox else ""

    @cached_property
    def original_display(self) -> str:
        """The engine's value, shown struck through beside a correction."""
        if self.status == "corrected" and self.field.value != self.value:
            return display_value(self.data_type, self.field.value)
        return ""

    @cached_property
    def input_value(self) -> str:
        """The value as the typed input wants it (ISO date, dot decimal, list as codes)."""
        if self.data_type == "cee_code":
            return ", ".join(as_list(self.value))
        if self.data_type == "decimal":
            return self.value.replace(".", ",")
        return self.value


@dataclass
class DocumentGroup:
    document: object
    label: str
    rows: list[FieldRow]
    page_ids: list[int]

    @property
    def to_check(self) -> int:
        return sum(1 for row in self.rows if row.needs_attention)

    @property
    def reviewed(self) -> int:
        return sum(1 for row in self.rows if row.status != "unreviewed")


@dataclass
class ViewerPage:
    page: object
    document_id: int
    label: str

    @property
    def aspect(self) -> float:
        """Height / width, so the viewer reserves the right space before the image loads."""
        if self.page.width and self.page.height:
            return round(self.page.height / self.page.width, 4)
        return 1.4142


@dataclass
class RuleRow:
    result: object  # rules.models.RuleResult
    fields: list[tuple[int, str]]  # (field id, "Document : label") of the fields it read
    value_types: dict[str, str] = field(default_factory=dict)  # key -> data type, for display

    @property
    def field_ids(self) -> list[int]:
        return [pk for pk, _ in self.fields]

    @property
    def rule(self):
        return self.result.rule

    @property
    def is_failing(self) -> bool:
        return self.result.status in FAILING_RULE_STATUSES or self.result.status == "warning"

    @property
    def is_blocking(self) -> bool:
        return (
            self.result.status == BLOCKING_RULE_STATUS
            and not self.result.overridden
            and self.result.rule.severity == "error"
        )

    @property
    def is_unverified(self) -> bool:
        """A blocking rule that could not run: the validator must check it by hand."""
        return self.result.status in UNVERIFIED_RULE_STATUSES and self.result.rule.severity == "error"

    @property
    def can_override(self) -> bool:
        # As rules.services.override_rule_result allows: a failure or a warning, never a rule
        # that could not run (correct the field it lacks instead).
        return self.rule.overridable and not self.result.overridden and self.result.status in OVERRIDABLE_STATUSES

    @property
    def values(self) -> list[tuple[str, str]]:
        """What the rule read, as a French reader writes it (private keys left out)."""
        shown = []
        for key, value in sorted((self.result.values or {}).items()):
            if key.startswith("_"):
                continue
            data_type = self.value_types.get(key)
            if data_type and isinstance(value, (str, int, float)) and value != "":
                shown.append((key, display_value(data_type, str(value))))
            else:
                shown.append((key, short_text(value) if value not in (None, "") else ""))
        return shown


@dataclass
class ReviewData:
    dossier: Dossier
    operations: list[DossierOperation]
    groups: list[DocumentGroup]
    pages: list[ViewerPage]
    rules: list[RuleRow]
    checklists: list[OperationChecklist]
    matrix: "ConsistencyMatrix"
    history: list[HistoryEntry]
    rejection_reasons: list[RejectionReason]
    fraud_signals: list[dict]
    attention_points: list[dict] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[FieldRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def failing_rules(self) -> list[RuleRow]:
        return [row for row in self.rules if row.is_failing]

    @property
    def passed_rules(self) -> list[RuleRow]:
        return [row for row in self.rules if not row.is_failing]

    @property
    def blocking_rules(self) -> list[RuleRow]:
        return [row for row in self.rules if row.is_blocking]

    @property
    def unverified_rules(self) -> list[RuleRow]:
        return [row for row in self.rules if row.is_unverified]

    @property
    def fields_to_check(self) -> int:
        return sum(1 for row in self.rows if row.needs_attention)

    @property
    def fields_reviewed(self) -> int:
        return sum(1 for row in self.rows if row.status != "unreviewed")


def dossier_for_review(pk: int) -> ReviewData:
    """Everything the review screen shows for dossier ``pk``, in a fixed number of queries.

    Raises Dossier.DoesNotExist. Large columns (page words and text, document text) are
    not loaded: the screen does not show them.
    """
    dossier = Dossier.objects.select_related("installer", "assigned_to", "validated_by", "timeline").get(pk=pk)
    operations = list(dossier.operations.select_related("operation").order_by("operation__code"))
    documents = list(
        Document.objects.filter(dossier=dossier)
        .select_related("document_type")
        .defer("text")
        .order_by("document_type__display_order", "uploaded_at", "page_start", "pk")
    )
    pages = list(
        Page.objects.filter(document__dossier=dossier).defer("words", "text").order_by("document_id", "number")
    )
    fields = list(
        ExtractedField.objects.filter(dossier=dossier)
        .select_related("schema")
        .order_by("document_id", "schema__display_order", "schema__name")
    )
    results = list(RuleResult.objects.filter(dossier=dossier).select_related("rule"))
    requirements = list(
        OperationDocumentRequirement.objects.filter(operation_id__in=[item.operation_id for item in operations])
        .select_related("document_type")
    )
    activities = list(
        Activity.objects.filter(dossier=dossier).select_related("actor").order_by("-created_at")[:HISTORY_LIMIT]
    )
    field_history = list(
        ExtractedField.history.filter(dossier_id=dossier.pk)
        .select_related("history_user")
        .order_by("-history_date")[:HISTORY_LIMIT]
    )
    reasons = list(RejectionReason.objects.filter(is_active=True))

    reviewable = [doc for doc in documents if doc.status != DocumentStatus.SPLIT]
    viewer_pages, page_lookup, pages_of = _viewer_pages(reviewable, documents, pages)

    failing_keys: dict[str, list[str]] = defaultdict(list)
    blocking_keys: set[str] = set()
    for result in results:
        if result.status != "passed" and not result.overridden:
            for key in result.fields_involved or []:
                failing_keys[str(key)].append(result.rule.code)
                if result.status == BLOCKING_RULE_STATUS and result.rule.severity == "error":
                    blocking_keys.add(str(key))

    type_code = {doc.pk: (doc.document_type.code if doc.document_type_id else "autre") for doc in documents}
    rows_by_doc: dict[int, list[FieldRow]] = defaultdict(list)
    for item in fields:
        key = f"{type_code.get(item.document_id, 'autre')}.{item.schema.name}"
        page = page_lookup(item.document_id, item.page) if item.page else None
        rows_by_doc[item.document_id].append(
            FieldRow(
                field=item,
                key=key,
                label=item.schema.label,
                data_type=item.schema.data_type,
                value=item.effective_value,
                confidence=float(item.confidence),
                rule_codes=sorted(set(failing_keys.get(key, []))),
                page_id=page.pk if page else None,
                bbox=item.bbox if page and _valid_bbox(item.bbox) else None,
                blocking=key in blocking_keys,
            )
        )
    groups = []
    for doc in reviewable:
        rows = rows_by_doc.get(doc.pk, [])
        # Most urgent first (blocking rule, low confidence, warning; least confident first),
        # then the schema's order (the sort is stable).
        rows.sort(key=lambda r: (-r.urgency, r.confidence if r.urgency else 0))
        label = doc.document_type.name if doc.document_type_id else "Document non classé"
        groups.append(DocumentGroup(document=doc, label=label, rows=rows, page_ids=pages_of.get(doc.pk, [])))

    key_to_rows: dict[str, list[tuple[int, str]]] = defaultdict(list)
    value_types: dict[str, str] = {}
    for group in groups:
        for row in group.rows:
            key_to_rows[row.key].append((row.field.pk, f"{group.label} : {row.label}"))
            value_types[row.key] = row.data_type
    rule_rows = [
        RuleRow(
            result=result,
            fields=[item for key in result.fields_involved or [] for item in key_to_rows.get(str(key), [])],
            value_types=value_types,
        )
        for result in results
    ]
    rule_rows.sort(
        key=lambda r: (
            _RULE_STATUS_ORDER.get(r.result.status, 5) if not r.result.overridden else 4,
            _SEVERITY_ORDER.get(r.rule.severity, 3),
            r.rule.code,
        )
    )
    checklists = build_checklists(dossier, operations, requirements, reviewable)
    data = ReviewData(
        dossier=dossier,
        operations=operations,
        groups=groups,
        pages=viewer_pages,
        rules=rule_rows,
        checklists=checklists,
        matrix=consistency_matrix(dossier, groups, operations),
        history=history_entries(activities, field_history, {
            row.field.pk: f"{group.label} : {row.label}" for group in groups for row in group.rows
        }),
        rejection_reasons=reasons,
        fraud_signals=fraud_signals(dossier, reviewable),
        attention_points=attention_points(reviewable),
    )
    data.blockers = [
        f"Règle bloquante « {row.rule.name} »" for row in data.blocking_rules
    ] + [
        f"Document obligatoire manquant : {line.label} ({checklist.dossier_operation.operation.code})"
        for checklist in checklists
        for line in checklist.missing
    ]
    return data


def _valid_bbox(bbox) -> bool:
    try:
        x0, y0, x1, y1 = (float(v) for v in bbox)
    except (TypeError, ValueError):
        return False
    return 0 <= x0 < x1 <= 1.0001 and 0 <= y0 < y1 <= 1.0001


def _viewer_pages(reviewable, documents, pages):
    """The pages the viewer shows, and a lookup (document, page number) -> Page.

    A document split out of a multi-document PDF may have no Page rows of its own: its
    pages are then the parent's pages in its page range, and its fields' page numbers are
    looked up first in its own numbering, then in the parent's.
    """
    by_doc: dict[int, dict[int, object]] = defaultdict(dict)
    for page in pages:
        by_doc[page.document_id][page.number] = page
    parent_of = {doc.pk: doc.parent_id for doc in documents}
    start_of = {doc.pk: doc.page_start for doc in documents}

    def own_pages(doc) -> list:
        if by_doc.get(doc.pk):
            return [by_doc[doc.pk][n] for n in sorted(by_doc[doc.pk])]
        if doc.parent_id and by_doc.get(doc.parent_id):
            parent_pages = by_doc[doc.parent_id]
            first, last = doc.page_start or 1, doc.page_end or max(parent_pages)
            return [parent_pages[n] for n in sorted(parent_pages) if first <= n <= last]
        return []

    viewer: list[ViewerPage] = []
    pages_of: dict[int, list[int]] = {}
    for doc in reviewable:
        label = doc.document_type.name if doc.document_type_id else "Non classé"
        mine = own_pages(doc)
        pages_of[doc.pk] = [page.pk for page in mine]
        for index, page in enumerate(mine, start=1):
            viewer.append(ViewerPage(page=page, document_id=doc.pk, label=f"{label} p.{index}"))

    def lookup(document_id: int, number: int):
        if number in by_doc.get(document_id, {}):
            return by_doc[document_id][number]
        parent = parent_of.get(document_id)
        if parent and by_doc.get(parent):
            offset = (start_of.get(document_id) or 1) - 1
            return by_doc[parent].get(number + offset) or by_doc[parent].get(number)
        return None

    return viewer, lookup, pages_of
