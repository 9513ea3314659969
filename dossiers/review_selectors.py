"""Read side of the validators' review studio: the queue, the review screen, the consistency matrix.

Every function here reads; none writes. The queue and the review screen run a constant
number of queries whatever the number of dossiers, documents, pages or fields (the tests in
``tests/review`` hold them to it): the review screen loads each kind of row once and builds
everything else (field groups, completeness checklist, consistency matrix, blockers) in Python.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from functools import cached_property

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import Installer

from .models import (
    Activity,
    ActivityVerb,
    Dossier,
    DossierOperation,
    DossierStatus,
    OperationDocumentRequirement,
    PrecarityStatus,
    RejectionReason,
)
from .search import Unaccent, strip_accents

QUEUE_STATUSES = (DossierStatus.READY_FOR_REVIEW, DossierStatus.IN_REVIEW)
QUEUE_ORDERING = ("-priority", "submitted_at", "pk")

# A field read with less confidence than this is shown first and flagged "à vérifier".
LOW_CONFIDENCE = Decimal("0.80")

# Rule statuses that mean "this check did not pass" (listed first on the screen). Only a
# failure of a blocking rule (severity error; the engine stores it as "failed") blocks
# approval until it is overridden; a rule that could not run (a field absent, an error in
# the rule) is shown as unverified — the validator decides, an administrator fixes the rule.
FAILING_RULE_STATUSES = ("failed", "error", "not_evaluable")
BLOCKING_RULE_STATUS = "failed"
UNVERIFIED_RULE_STATUSES = ("error", "not_evaluable")
OVERRIDABLE_STATUSES = ("failed", "warning")
_RULE_STATUS_ORDER = {"failed": 0, "error": 1, "not_evaluable": 2, "warning": 3, "passed": 4}
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

# Filters of the queue, each a named band -> (label, condition). The admin's list filters and
# ``review_queue`` read these, so a band means the same thing everywhere.
CONFIDENCE_BANDS: dict[str, tuple[str, Q]] = {
    "low": ("Faible (< 60 %)", Q(confidence_score__lt=Decimal("0.6"))),
    "medium": ("Moyenne (60–80 %)", Q(confidence_score__gte=Decimal("0.6"), confidence_score__lt=Decimal("0.8"))),
    "high": ("Bonne (80–95 %)", Q(confidence_score__gte=Decimal("0.8"), confidence_score__lt=Decimal("0.95"))),
    "very_high": ("Très bonne (≥ 95 %)", Q(confidence_score__gte=Decimal("0.95"))),
    "unknown": ("Non calculée", Q(confidence_score__isnull=True)),
}
FAILED_RULE_BANDS: dict[str, tuple[str, Q]] = {
    "0": ("Aucune", Q(failed_rule_count=0)),
    "1": ("1", Q(failed_rule_count=1)),
    "2-3": ("2 à 3", Q(failed_rule_count__gte=2, failed_rule_count__lte=3)),
    "4+": ("4 et plus", Q(failed_rule_count__gte=4)),
}


# --------------------------------------------------------------------------- the queue

@dataclass(frozen=True)
class QueueFilters:
    """What a validator narrows the queue to. Empty values mean "no filter"."""

    statuses: tuple[str, ...] = QUEUE_STATUSES
    operation_code: str = ""
    installer_id: int | None = None
    assigned_to_id: int | None = None
    unassigned: bool = False
    confidence_band: str = ""
    failed_rules: str = ""
    fraud: bool | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None
    search: str = ""


def queue_rows() -> QuerySet[Dossier]:
    """Dossiers with what a queue row shows: installer, holder and operation codes (one prefetch)."""
    operations = DossierOperation.objects.select_related("operation").only(
        "id", "dossier_id", "operation__id", "operation__code"
    )
    return Dossier.objects.select_related("installer", "assigned_to").prefetch_related(
        Prefetch("operations", queryset=operations)
    )


def filter_by_operation(queryset: QuerySet[Dossier], code: str) -> QuerySet[Dossier]:
    """Dossiers claiming fiche ``code`` (any version).

    A subquery, not a join (a dossier with two operations must not appear twice), on the
    operations' ids read first: with the ids as constants PostgreSQL knows how common the
    fiche is and starts from the dossiers (ten times faster on 100,000 dossiers than letting
    it guess through a join on the code).
    """
    from .models import Operation

    operation_ids = list(Operation.objects.filter(code=code).values_list("pk", flat=True))
    ids = DossierOperation.objects.filter(operation_id__in=operation_ids).values("dossier_id")
    return queryset.filter(pk__in=ids)


def filter_by_confidence_band(queryset: QuerySet[Dossier], band: str) -> QuerySet[Dossier]:
    return queryset.filter(CONFIDENCE_BANDS[band][1]) if band in CONFIDENCE_BANDS else queryset


def filter_by_failed_rules(queryset: QuerySet[Dossier], band: str) -> QuerySet[Dossier]:
    return queryset.filter(FAILED_RULE_BANDS[band][1]) if band in FAILED_RULE_BANDS else queryset


def filter_by_submission_dates(queryset: QuerySet[Dossier], start: date | None, end: date | None) -> QuerySet[Dossier]:
    """Submitted on or after ``start`` and on or before ``end`` (local days, both included)."""
    zone = timezone.get_current_timezone()
    if start:
        queryset = queryset.filter(submitted_at__gte=datetime.combine(start, time.min, tzinfo=zone))
    if end:
        queryset = queryset.filter(submitted_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone))
    return queryset


_REFERENCE_RE = re.compile(r"^[A-Z]{2,4}-\d{4}-?\d*$|^[A-Z]{2,4}-[A-Z]-\d+$", re.IGNORECASE)


def search_dossiers(queryset: QuerySet[Dossier], term: str) -> QuerySet[Dossier]:
    """Search by reference, beneficiary, installer name or SIRET.

    A term shaped like a reference (``CEE-2026-0001``) matches references by prefix, 9 or 14
    digits match the installer's SIREN/SIRET exactly: both use an index. Anything else is a
    case- and accent-insensitive substring of the beneficiary or the installer's name.
    """
    term = term.strip()
    if not term:
        return queryset
    digits = re.sub(r"[\s.]", "", term)
    if digits.isdigit() and len(digits) == 14:
        return queryset.filter(installer__siret=digits)
    if digits.isdigit() and len(digits) == 9:
        return queryset.filter(installer__siren=digits)
    if _REFERENCE_RE.match(term):
        return queryset.filter(reference__istartswith=term)
    plain = strip_accents(term)
    # Installers are few: find the matching ones apart, so the dossier side is an index
    # lookup (trigram index on the folded beneficiary name, PostgreSQL) OR an installer list.
    installers = list(Installer.objects.alias(plain=Unaccent("name")).filter(plain__icontains=plain).values_list("pk", flat=True))
    matches = Q(beneficiary_plain__icontains=plain) | Q(reference__icontains=term)
    if installers:
        matches |= Q(installer__in=installers)
    return queryset.alias(beneficiary_plain=Unaccent("beneficiary_name")).filter(matches)


def review_queue(filters: QueueFilters | None = None) -> QuerySet[Dossier]:
    """The validators' queue: by default ready for review and in review, most urgent then oldest first."""
    filters = filters or QueueFilters()
    queryset = queue_rows()
    if filters.statuses:
        queryset = queryset.filter(status__in=filters.statuses)
    if filters.operation_code:
        queryset = filter_by_operation(queryset, filters.operation_code)
    if filters.installer_id:
        queryset = queryset.filter(installer_id=filters.installer_id)
    if filters.unassigned:
        queryset = queryset.filter(assigned_to__isnull=True)
    elif filters.assigned_to_id:
        queryset = queryset.filter(assigned_to_id=filters.assigned_to_id)
    queryset = filter_by_confidence_band(queryset, filters.confidence_band)
    queryset = filter_by_failed_rules(queryset, filters.failed_rules)
    if filters.fraud is not None:
        queryset = queryset.filter(has_fraud_signal=filters.fraud)
    queryset = filter_by_submission_dates(queryset, filters.submitted_from, filters.submitted_to)
    queryset = search_dossiers(queryset, filters.search)
    return queryset.order_by(*QUEUE_ORDERING)


def queue_status_counts() -> dict[str, int]:
    """How many dossiers are in each status of interest to validators (one grouped query)."""
    wanted = [
        DossierStatus.AWAITING_DOCUMENTS, DossierStatus.PROCESSING, DossierStatus.READY_FOR_REVIEW,
        DossierStatus.IN_REVIEW,
    ]
    # COUNT(*), not COUNT(id): the status index alone answers it (index-only scan).
    rows = Dossier.objects.filter(status__in=wanted).values_list("status").annotate(n=Count("*")).order_by()
    counts = {status: 0 for status in wanted}
    counts.update(dict(rows))
    return counts


def next_dossier_for(validator, *, exclude_pk: int | None = None) -> Dossier | None:
    """The dossier ``validator`` should open next.

    First what they already hold (in review, or ready and assigned to them), then the most
    urgent unassigned dossier ready for review; never a dossier someone else holds.
    """
    base = Dossier.objects.exclude(pk=exclude_pk) if exclude_pk else Dossier.objects.all()
    mine = base.filter(assigned_to=validator, status__in=QUEUE_STATUSES).order_by(*QUEUE_ORDERING).first()
    if mine is not None:
        return mine
    return (
        base.filter(status=DossierStatus.READY_FOR_REVIEW, assigned_to__isnull=True)
        .order_by(*QUEUE_ORDERING)
        .first()
    )


# --------------------------------------------------------------------- completeness

@dataclass
class RequirementLine:
    document_type_id: int
    label: str
    required: bool
    note: str
    documents: list = field(default_factory=list)

    @property
    def present(self) -> bool:
        return bool(self.documents)

    @property
    def missing(self) -> bool:
        return self.required and not self.documents


@dataclass
class OperationChecklist:
    dossier_operation: DossierOperation
    lines: list[RequirementLine]

    @property
    def missing(self) -> list[RequirementLine]:
        return [line for line in self.lines if line.missing]


# The avis d'imposition is optional in the requirement table but becomes required as soon as
# the dossier claims a precarity bonus (CEE-DOMAIN: "Avis d'imposition when a precarity bonus is claimed").
PRECARITY_DOCUMENT_TYPE = "avis_imposition"


def build_checklists(dossier: Dossier, dossier_operations, requirements, documents) -> list[OperationChecklist]:
    """The completeness checklist of each operation, from rows already loaded (no query).

    ``requirements`` are OperationDocumentRequirement rows with ``document_type`` loaded;
    ``documents`` the dossier's reviewable documents (a split parent is not one).
    """
    by_type: dict[int, list] = defaultdict(list)
    for document in documents:
        if document.document_type_id:
            by_type[document.document_type_id].append(document)
    per_operation: dict[int, list] = defaultdict(list)
    for requirement in requirements:
        per_operation[requirement.operation_id].append(requirement)
    claims_precarity = dossier.precarity_status != PrecarityStatus.NONE
    checklists = []
    for item in dossier_operations:
        lines = []
        for requirement in sorted(
            per_operation.get(item.operation_id, []),
            key=lambda r: (not r.required, r.document_type.display_order, r.document_type.name),
        ):
            required = requirement.required or (
                claims_precarity and requirement.document_type.code == PRECARITY_DOCUMENT_TYPE
            )
            lines.append(
                RequirementLine(
                    document_type_id=requirement.document_type_id,
                    label=requirement.document_type.name,
                    required=required,
                    note=requirement.note,
                    documents=by_type.get(requirement.document_type_id, []),
                )
            )
        checklists.append(OperationChecklist(item, lines))
    return checklists


def missing_required_documents(dossier: Dossier) -> list[str]:
    """Labels of the required document types absent from ``dossier`` (two queries)."""
    from documents.models import Document, DocumentStatus

    operations = list(dossier.operations.all())
    requirements = OperationDocumentRequirement.objects.filter(
        operation_id__in=[item.operation_id for item in operations]
    ).select_related("document_type")
    documents = Document.objects.filter(dossier=dossier).exclude(status=DocumentStatus.SPLIT).only(
        "id", "document_type_id"
    )
    missing: list[str] = []
    for checklist in build_checklists(dossier, operations, requirements, documents):
        for line in checklist.missing:
            if line.label not in missing:
                missing.append(line.label)
    return missing


def blocking_rule_results(dossier: Dossier):
    """Failed results of blocking rules (severity error), not overridden, of ``dossier``."""
    from rules.models import Rule, RuleResult

    return list(
        RuleResult.objects.filter(
            dossier=dossier, status=BLOCKING_RULE_STATUS, overridden=False, rule__severity=Rule.Severity.ERROR
        ).select_related("rule")
    )


def approval_blockers(dossier: Dossier) -> list[str]:
    """Why ``dossier`` cannot be approved now, in French; empty when it can (three queries)."""
    blockers = [
        f"Règle bloquante « {result.rule.name} » : {result.message or result.get_status_display()}"
        for result in blocking_rule_results(dossier)
    ]
    blockers += [f"Document obligatoire manquant : {label}" for label in missing_required_documents(dossier)]
    return blockers


# ----------------------------------------------------------------- the review screen

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
    html: str = ""  # the row's markup, rendered by the admin view (dossiers.admin_review.render_field_rows)

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
            return ", ".join(_as_list(self.value))
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
                shown.append((key, _short(value) if value not in (None, "") else ""))
        return shown


@dataclass
class HistoryEntry:
    at: datetime
    who: str
    what: str
    detail: str
    kind: str  # activity | field


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


HISTORY_LIMIT = 60


def dossier_for_review(pk: int) -> ReviewData:
    """Everything the review screen shows for dossier ``pk``, in a fixed number of queries.

    Raises Dossier.DoesNotExist. Large columns (page words and text, document text) are
    not loaded: the screen does not show them.
    """
    from documents.models import Document, DocumentStatus, Page
    from extraction.models import ExtractedField
    from rules.models import RuleResult

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
        history=_history(activities, field_history, {
            row.field.pk: f"{group.label} : {row.label}" for group in groups for row in group.rows
        }),
        rejection_reasons=reasons,
        fraud_signals=_fraud_signals(dossier, reviewable),
        attention_points=_attention_points(reviewable),
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


def _fraud_signals(dossier: Dossier, documents) -> list[dict]:
    """The dossier's fraud signals and its documents' fraud flags, as {label, detail} dicts.
    A document flag already told by a dossier signal (the same code) is not repeated."""
    signals = [_describe_signal(signal) for signal in dossier.fraud_signals or []]
    told = {signal["code"] for signal in signals}
    signals += [
        _describe_flag(flag, doc)
        for doc in documents for flag in doc.flags or []
        if _flag_code(flag) in FRAUD_FLAG_CODES and _flag_code(flag) not in told
    ]
    return signals


def _attention_points(documents) -> list[dict]:
    """The documents' other flags (uncertain type, repaired PDF, the same file in another of the
    installer's dossiers…): points a validator checks, not signs of fraud."""
    return [
        _describe_flag(flag, doc)
        for doc in documents for flag in doc.flags or []
        if _flag_code(flag) not in FRAUD_FLAG_CODES
    ]


def _flag_code(flag) -> str:
    return str(flag.get("code") or "") if isinstance(flag, dict) else str(flag)


def _describe_flag(flag, document) -> dict:
    described = _describe_signal(flag)
    described["detail"] = (described["detail"] + " — " if described["detail"] else "") + document.original_filename
    return described


# Document flags that are fraud signals; every other flag is a point of attention.
FRAUD_FLAG_CODES = frozenset({"duplicate_file_other_installer", "duplicate_invoice", "reused_invoice_number"})

_SIGNAL_LABELS = {
    "duplicate_file_other_installer": "Fichier identique déposé par un autre installateur",
    "duplicate_file_same_installer": "Fichier déjà déposé dans un autre dossier de l'installateur",
    "low_classification_confidence": "Type de document incertain",
    "declared_type_mismatch": "Type déclaré différent du type reconnu",
    "unrecognised_type": "Type de document non reconnu",
    "pdf_repaired": "PDF endommagé, réparé au dépôt",
    "facture_en_double": "Facture en double",
    "duplicate_file": "Fichier déjà déposé",
    "duplicate_hash": "Fichier déjà déposé",
    "reused_invoice_number": "Numéro de facture déjà utilisé",
    "duplicate_invoice": "Numéro de facture déjà utilisé",
    "same_address": "Même adresse dans plusieurs dossiers",
    "address_reused": "Même adresse dans plusieurs dossiers",
    "duplicate_beneficiary": "Même bénéficiaire, même opération",
}


def _describe_signal(signal) -> dict:
    if isinstance(signal, dict):
        code = str(signal.get("code") or signal.get("type") or signal.get("kind") or "")
        label = signal.get("label") or _SIGNAL_LABELS.get(code) or "Signal non répertorié"
        detail = signal.get("message") or signal.get("detail") or ""
        others = signal.get("dossiers") or signal.get("references") or signal.get("other_dossiers")
        if others and not detail:
            detail = "Aussi dans : " + ", ".join(str(o) for o in others)
        return {"code": code, "label": label, "detail": str(detail)}
    return {"code": str(signal), "label": _SIGNAL_LABELS.get(str(signal), "Signal non répertorié"),
            "detail": "" if str(signal) in _SIGNAL_LABELS else f"code {signal}"}


# The activity log's verbs, as the history tab names them (ActivityVerb's French labels).
VERB_LABELS = dict(ActivityVerb.choices)
_FIELD_CHANGES = {"+": "Champ créé", "~": "Champ", "-": "Champ supprimé"}


def _history(activities, field_history, field_labels: dict[int, str]) -> list[HistoryEntry]:
    entries = [
        HistoryEntry(
            at=item.created_at,
            who=_who(item.actor),
            what=VERB_LABELS.get(item.verb, "Action non répertoriée"),
            detail=item.description,
            kind="activity",
        )
        for item in activities
    ]
    for record in field_history:
        value = record.corrected_value if record.status == "corrected" else record.value
        label = field_labels.get(record.id, f"champ n° {record.id}")
        entries.append(
            HistoryEntry(
                at=record.history_date,
                who=_who(record.history_user) if record.history_user_id else "pipeline",
                what=_FIELD_CHANGES.get(record.history_type, "Champ"),
                detail=f"{label} — {record.get_status_display().lower()} : {_short(value) or '(vide)'}",
                kind="field",
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:HISTORY_LIMIT]


def _who(user) -> str:
    if user is None:
        return "système"
    return user.get_full_name() or user.email


def _short(value, limit: int = 80) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ----------------------------------------------------------------- value display

def _as_list(value: str) -> list[str]:
    if not value:
        return []
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return [part.strip() for part in re.split(r"[,;\s]+", value) if part.strip()]
    if isinstance(parsed, list):
        return [str(item) for item in parsed]
    return [str(parsed)]


NARROW_SPACE = "\u202f"


def display_value(data_type: str, value: str) -> str:
    """A normalised value as a French reader expects it (15/03/2024, 12 450,00, 732 829 320 00074)."""
    if value in (None, ""):
        return ""
    try:
        if data_type == "date":
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        if data_type == "decimal":
            number = Decimal(value)
            whole, _, frac = f"{number:,.2f}".partition(".")
            return whole.replace(",", NARROW_SPACE) + "," + frac
        if data_type == "siret" and len(value) == 14 and value.isdigit():
            return f"{value[:3]} {value[3:6]} {value[6:9]} {value[9:]}"
        if data_type == "cee_code":
            return ", ".join(_as_list(value))
        if data_type == "boolean":
            return {"true": "Oui", "false": "Non"}.get(value, value)
    except (ValueError, InvalidOperation):
        return value
    return value


# ------------------------------------------------------------- consistency matrix

MATRIX_COLUMNS = ["devis", "facture", "attestation_honneur", "cadre_contribution", "avis_imposition"]
_COLUMN_LABELS = {
    "devis": "Devis",
    "facture": "Facture",
    "attestation_honneur": "AH",
    "cadre_contribution": "Cadre",
    "avis_imposition": "Avis d'impôt",
}
_COLUMN_TITLES = {
    "devis": "Devis",
    "facture": "Facture",
    "attestation_honneur": "Attestation sur l'honneur",
    "cadre_contribution": "Cadre de contribution",
    "avis_imposition": "Avis d'imposition",
}


@dataclass(frozen=True)
class MatrixRowSpec:
    label: str
    kind: str  # name | address | exact | amount | date | codes | digits | info (shown, never compared)
    fields: dict[str, str]  # document type -> field name
    declared: str = ""  # attribute of the dossier (or a callable name) shown in the "Déclaré" column


MATRIX_ROWS: list[MatrixRowSpec] = [
    MatrixRowSpec(
        "Bénéficiaire", "name",
        {"devis": "beneficiaire_nom", "facture": "beneficiaire_nom", "attestation_honneur": "beneficiaire_nom",
         "cadre_contribution": "beneficiaire_nom", "avis_imposition": "declarant_nom"},
        "beneficiary_name",
    ),
    MatrixRowSpec(
        "Adresse des travaux", "address",
        {"devis": "beneficiaire_adresse", "facture": "beneficiaire_adresse",
         "attestation_honneur": "beneficiaire_adresse", "avis_imposition": "adresse"},
        "works_address",
    ),
    MatrixRowSpec(
        "Code postal", "exact",
        {"devis": "beneficiaire_code_postal", "facture": "beneficiaire_code_postal",
         "attestation_honneur": "beneficiaire_code_postal"},
        "works_postal_code",
    ),
    MatrixRowSpec(
        "Ville", "name",
        {"devis": "beneficiaire_ville", "facture": "beneficiaire_ville", "attestation_honneur": "beneficiaire_ville"},
        "works_city",
    ),
    MatrixRowSpec(
        "SIRET installateur", "digits",
        {"devis": "siret_installateur", "facture": "siret_installateur", "attestation_honneur": "siret_installateur"},
        "installer.siret",
    ),
    MatrixRowSpec(
        "Raison sociale", "name",
        {"devis": "raison_sociale_installateur", "facture": "raison_sociale_installateur",
         "attestation_honneur": "raison_sociale_installateur"},
        "installer.name",
    ),
    MatrixRowSpec("Montant HT", "amount", {"devis": "montant_ht", "facture": "montant_ht"}),
    MatrixRowSpec("Montant TTC", "amount", {"devis": "montant_ttc", "facture": "montant_ttc"}),
    MatrixRowSpec(
        "Prime CEE", "amount", {"facture": "prime_cee", "cadre_contribution": "montant_prime"}, "premium_eur"
    ),
    MatrixRowSpec(
        "Date d'engagement", "date", {"devis": "date_signature", "attestation_honneur": "date_engagement"},
        "timeline.date_signature",
    ),
    MatrixRowSpec(
        "Fin des travaux", "date",
        {"facture": "date_fin_travaux", "attestation_honneur": "date_achevement"},
        "timeline.date_fin_travaux",
    ),
    MatrixRowSpec("Date du document (chronologie)", "info", {
        "devis": "date_devis", "facture": "date_facture", "cadre_contribution": "date_cadre",
    }),
    MatrixRowSpec(
        "N° de facture", "exact", {"facture": "numero_facture", "attestation_honneur": "reference_facture"}
    ),
    MatrixRowSpec(
        "Opérations", "codes",
        {"devis": "operations", "facture": "operations", "attestation_honneur": "operations",
         "cadre_contribution": "operations"},
        "operations",
    ),
    MatrixRowSpec("Surface (m²)", "amount", {"devis": "surface_m2", "facture": "surface_m2"}, "living_area_m2"),
]

FUZZY_THRESHOLD = 0.85



@dataclass
class MatrixCell:
    value: str = ""
    display: str = ""
    field_id: int | None = None
    state: str = "empty"  # empty | na (not on this document) | match | fuzzy | mismatch | single | info


@dataclass
class MatrixRow:
    label: str
    declared: MatrixCell
    cells: list[MatrixCell]
    state: str  # ok | fuzzy | mismatch | partial | empty | info
    kind: str = ""

    @property
    def is_text(self) -> bool:
        """Names and addresses wrap; numbers, dates and codes stay on one line."""
        return self.kind in ("name", "address")


@dataclass
class MatrixColumn:
    code: str
    label: str
    document_id: int | None
    title: str = ""


@dataclass
class ConsistencyMatrix:
    columns: list[MatrixColumn]
    rows: list[MatrixRow]

    @property
    def mismatches(self) -> int:
        return sum(1 for row in self.rows if row.state == "mismatch")


_CIVILITY_RE = re.compile(r"\b(m|mr|mme|mlle|monsieur|madame|mademoiselle|m et mme|et)\b\.?", re.IGNORECASE)


def _fold(text: str) -> str:
    from extraction.normalise import fold

    return re.sub(r"[^a-z0-9 ]+", " ", fold(text))


def name_similarity(a: str, b: str) -> float:
    """How alike two names are (0–1): accents, case, civility and word order do not count."""
    def tokens(text: str) -> str:
        return " ".join(sorted(_CIVILITY_RE.sub(" ", _fold(text)).split()))

    left, right = tokens(a), tokens(b)
    if not left or not right:
        return 0.0
    if left == right:
        return 1.0
    return SequenceMatcher(None, left, right).ratio()


_ADDRESS_WORDS = {
    "rue": "rue", "r": "rue", "avenue": "av", "av": "av", "ave": "av", "boulevard": "bd", "bd": "bd", "bld": "bd",
    "allee": "all", "all": "all", "chemin": "ch", "che": "ch", "ch": "ch", "place": "pl", "pl": "pl",
    "impasse": "imp", "imp": "imp", "route": "rte", "rte": "rte", "bis": "bis", "ter": "ter",
}


def address_similarity(a: str, b: str) -> float:
    """How alike two street addresses are (0–1), road-type abbreviations folded (avenue = av)."""
    def tokens(text: str) -> list[str]:
        return [_ADDRESS_WORDS.get(word, word) for word in _fold(text).split() if word not in {"de", "des", "du", "la", "le", "l", "d"}]

    left, right = tokens(a), tokens(b)
    if not left or not right:
        return 0.0
    if left == right:
        return 1.0
    # The tax notice prints the whole address (street, postal code, city): compare the street part.
    shorter, longer = sorted((left, right), key=len)
    if " ".join(shorter) in " ".join(longer):
        return 0.95
    return SequenceMatcher(None, " ".join(left), " ".join(right)).ratio()


def _canonical(kind: str, value: str):
    if value in (None, ""):
        return None
    if kind == "amount":
        try:
            return Decimal(str(value)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            return str(value).strip()
    if kind == "digits":
        return re.sub(r"\D", "", str(value))
    if kind == "codes":
        return tuple(sorted(code.upper() for code in _as_list(str(value))))
    if kind == "exact":
        return str(value).strip().upper()
    return str(value).strip()


def _same(kind: str, a, b) -> str:
    """'match', 'fuzzy' or 'mismatch' for two canonical values of a row."""
    if a == b:
        return "match"
    if kind == "name":
        return "fuzzy" if name_similarity(a, b) >= FUZZY_THRESHOLD else "mismatch"
    if kind == "address":
        return "fuzzy" if address_similarity(a, b) >= FUZZY_THRESHOLD else "mismatch"
    if kind == "amount" and isinstance(a, Decimal) and isinstance(b, Decimal):
        return "match" if abs(a - b) < Decimal("0.01") else "mismatch"
    return "mismatch"


def _declared_value(dossier: Dossier, operations, path: str) -> tuple[str, str]:
    """The installer's declared value for a matrix row: (normalised, data type for display)."""
    if not path:
        return "", "string"
    if path == "operations":
        return json.dumps([item.operation.code for item in operations]), "cee_code"
    target = dossier
    for part in path.split("."):
        target = getattr(target, part, None) if target is not None else None
    if target is None:
        return "", "string"
    if isinstance(target, Decimal):
        return (str(target) if target else ""), "decimal"
    if isinstance(target, date):
        return target.isoformat(), "date"
    return str(target), "string"


_KIND_DATA_TYPE = {"amount": "decimal", "date": "date", "digits": "siret", "codes": "cee_code", "info": "date"}


def consistency_matrix(dossier: Dossier, groups: list[DocumentGroup], operations) -> ConsistencyMatrix:
    """Side by side, what each document says about the same facts; disagreements flagged.

    One column per document of the five compared types (a second facture gets its own
    column), plus the installer's declaration. In each row the value most documents agree
    on is the reference; a cell that differs from it is a mismatch, names and addresses
    compared fuzzily (accents, case, civility, word order and road abbreviations ignored).
    The declared column is shown for comparison but does not vote.
    """
    try:
        timeline = dossier.timeline
    except Exception:  # RelatedObjectDoesNotExist: a dossier without a timeline row
        timeline = None
    dossier_for_paths = _DeclaredView(dossier, timeline)

    columns: list[MatrixColumn] = []
    column_rows: list[dict[str, FieldRow]] = []
    for code in MATRIX_COLUMNS:
        matching = [g for g in groups if g.document.document_type_id and g.document.document_type.code == code]
        for index, group in enumerate(matching, start=1):
            label = _COLUMN_LABELS[code] + (f" ({index})" if len(matching) > 1 else "")
            columns.append(MatrixColumn(code=code, label=label, document_id=group.document.pk,
                                        title=f"{_COLUMN_TITLES[code]} — {group.document.original_filename}"))
            column_rows.append({row.field.schema.name: row for row in group.rows})

    rows: list[MatrixRow] = []
    for spec in MATRIX_ROWS:
        cells: list[MatrixCell] = []
        for column, by_name in zip(columns, column_rows):
            name = spec.fields.get(column.code)
            row = by_name.get(name) if name else None
            if row is None or row.status == "wrong" or not row.value:
                cells.append(MatrixCell(state="empty" if name else "na", field_id=row.field.pk if row else None))
                continue
            cells.append(MatrixCell(value=row.value, display=row.display_value, field_id=row.field.pk))
        declared_raw, declared_type = _declared_value(dossier_for_paths, operations, spec.declared)
        declared = MatrixCell(
            value=declared_raw,
            display=display_value(_KIND_DATA_TYPE.get(spec.kind, declared_type), declared_raw),
            state="empty" if not declared_raw else "single",
        )
        if all(cell.state == "na" for cell in cells):
            continue
        rows.append(_judge_row(spec, declared, cells))
    return ConsistencyMatrix(columns=columns, rows=rows)


def _judge_row(spec: MatrixRowSpec, declared: MatrixCell, cells: list[MatrixCell]) -> MatrixRow:
    present = [cell for cell in cells if cell.value]
    if not present:
        return MatrixRow(spec.label, declared, cells, "empty", spec.kind)
    if spec.kind == "info":
        # Different facts side by side (each document's own date): read, not compared.
        for cell in present:
            cell.state = "info"
        return MatrixRow(spec.label, declared, cells, "info", spec.kind)
    canon = [_canonical(spec.kind, cell.value) for cell in present]
    if len(present) == 1:
        present[0].state = "single"
        reference = canon[0]
        state = "partial"
    else:
        # The reference is the value most documents agree with; without a majority every
        # value is suspect.
        votes = [sum(1 for other in canon if _same(spec.kind, mine, other) != "mismatch") for mine in canon]
        best = max(votes)
        leaders = [index for index, n in enumerate(votes) if n == best]
        reference = canon[leaders[0]]
        ambiguous = any(_same(spec.kind, canon[i], reference) == "mismatch" for i in leaders[1:])
        for cell, value in zip(present, canon):
            cell.state = "mismatch" if ambiguous else _same(spec.kind, value, reference)
        states = {cell.state for cell in present}
        if "mismatch" in states:
            state = "mismatch"
        elif any(cell.state == "empty" for cell in cells):
            state = "partial"
        else:
            state = "fuzzy" if "fuzzy" in states else "ok"
        if ambiguous:
            reference = None
    if declared.value and reference is not None:
        declared.state = _same(spec.kind, _canonical(spec.kind, declared.value), reference)
    return MatrixRow(spec.label, declared, cells, state, spec.kind)


class _DeclaredView:
    """The dossier seen through dotted paths (``timeline.date_signature``, ``installer.siret``)."""

    def __init__(self, dossier: Dossier, timeline):
        self._dossier = dossier
        self.timeline = timeline

    def __getattr__(self, name):
        return getattr(self._dossier, name)
