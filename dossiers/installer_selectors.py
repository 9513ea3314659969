"""Read-side queries for the installer portal and API.

Everything an installer reads goes through ``dossiers_visible_to`` (the one visibility
check); this module adds what the installer pages need around it: annotations and
prefetches for the lists (a constant number of queries per page), the status summary,
the rule failures an installer is meant to see, the payments.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from accounts.models import Activity
from billing.models import Invoice, Payment
from documents.models import Document, DocumentType
from extraction.models import StageRun
from rules.models import Rule, RuleResult

from .models import Dossier, DossierOperation, DossierStatus, Operation

# Reference data read on every list page (document type names, fiche ids) is cached this long.
REFERENCE_CACHE_SECONDS = 60
from .selectors import dossiers_visible_to


def installer_rule_failures_query() -> QuerySet[RuleResult]:
    """Failed blocking rules not waived by a validator: what an installer must fix.

    Warnings, informational rules and overridden failures stay internal.
    """
    return RuleResult.objects.filter(
        status=RuleResult.Status.FAILED, rule__severity=Rule.Severity.ERROR, overridden=False
    )


def _billed_invoices() -> QuerySet[Invoice]:
    return Invoice.objects.filter(kind=Invoice.Kind.INVOICE).exclude(status=Invoice.Status.CANCELLED).order_by("-issue_date", "-id")


@functools.cache
def _rule_failure_count() -> Coalesce:
    # Built once: the expression is the same for every request (Django copies it when used).
    failures = (
        installer_rule_failures_query().filter(dossier=OuterRef("pk"))
        .order_by().values("dossier").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(failures, output_field=IntegerField()), Value(0))


@functools.cache
def _latest_invoice_status() -> Subquery:
    return Subquery(_billed_invoices().filter(dossier=OuterRef("pk")).values("status")[:1])


def _with_rule_failure_count(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return queryset.annotate(rule_failure_count=_rule_failure_count())


# What a list row shows (API list, portal dashboard): the wide JSON columns stay in the table.
LIST_FIELDS = (
    "id", "reference", "installer_id", "status", "beneficiary_name", "works_postal_code", "works_city",
    "total_kwh_cumac", "premium_eur", "missing_documents", "created_at", "submitted_at", "updated_at",
)


def installer_dossier_list(user) -> QuerySet[Dossier]:
    """The user's visible dossiers for a list page, in a constant number of queries: only the
    columns a row shows, the count of installer-visible rule failures annotated, the fiche
    codes and the latest invoice's state prefetched."""
    operations = (
        DossierOperation.objects.select_related("operation")
        .only("id", "dossier_id", "operation_id", "operation__code").order_by("operation__code")
    )
    invoices = _billed_invoices().only("id", "dossier_id", "status", "issue_date")
    return _with_rule_failure_count(dossiers_visible_to(user).only(*LIST_FIELDS)).prefetch_related(
        Prefetch("operations", queryset=operations),
        Prefetch("invoices", queryset=invoices, to_attr="billed_invoices"),
    )


# The API list builds its rows from plain values: no model instances, no per-row fields.
LIST_VALUES = (
    "id", "reference", "status", "beneficiary_name", "works_postal_code", "works_city",
    "total_kwh_cumac", "premium_eur", "missing_documents", "created_at", "submitted_at", "updated_at",
    "rule_failure_count", "invoice_status",
)


@functools.cache
def _operation_codes() -> Subquery:
    from django.contrib.postgres.expressions import ArraySubquery

    return ArraySubquery(
        DossierOperation.objects.filter(dossier=OuterRef("pk")).order_by("operation__code").values("operation__code")
    )


def installer_dossier_rows(user) -> QuerySet[Dossier]:
    """The user's visible dossiers with their installer-visible rule failures counted, their
    latest invoice's status (null: not invoiced) and, on PostgreSQL, their fiche codes
    (``operation_codes``, an array column; elsewhere ``operation_codes_of`` reads them for the
    page in a second query) — correlated subqueries, evaluated for the rows of the page only —
    as dicts of ``LIST_VALUES``: filter, order and read it.

    For the list's own query only (not as a subquery of another): the subqueries are
    compiled once and refer to the top-level ``dossiers_dossier`` table.
    """
    return dossiers_visible_to(user, _list_rows(connection.alias, connection.vendor))


@functools.cache
def _list_rows(alias: str, vendor: str) -> QuerySet[Dossier]:
    # Resolving and compiling these subqueries on every request cost more CPU than the rest
    # of the page query; their SQL never changes, so the ORM compiles them once per database
    # and the annotated queryset is kept (querysets are copied, never changed, when narrowed),
    # with the columns the list reads already chosen (values() costs about as much again).
    expressions = {"rule_failure_count": _rule_failure_count(), "invoice_status": _latest_invoice_status()}
    if vendor == "postgresql":
        expressions["operation_codes"] = _operation_codes()
    query = Dossier.objects.annotate(**expressions).query
    compiler = query.get_compiler(using=alias)
    compiled = {}
    for name in expressions:
        resolved = query.annotations[name]
        sql, params = compiler.compile(resolved)
        compiled[name] = RawSQL(sql, tuple(params), output_field=resolved.output_field)
    columns = LIST_VALUES + (("operation_codes",) if "operation_codes" in expressions else ())
    return Dossier.objects.using(alias).annotate(**compiled).values(*columns)


def operation_ids(code: str) -> list[int]:
    """The ids of every version of fiche ``code`` (kept a minute in the cache). Filtering
    dossiers on ids rather than on a join to the fiches lets PostgreSQL probe each of the
    company's dossiers instead of hashing every dossier of that fiche (75 ms → 4 ms on 100k)."""
    code = code.strip().upper()

    def ids() -> list[int]:
        return list(Operation.objects.filter(code=code).values_list("pk", flat=True))

    if len(code) > Operation._meta.get_field("code").max_length:
        return []  # no fiche has such a code
    if not (code.isascii() and code.isprintable() and " " not in code):
        # Not a key every cache backend accepts (memcached), and surely no fiche's code: asked
        # of the database without filling the cache.
        return ids()
    return cache.get_or_set(f"installer_selectors:operation_ids:{code}", ids, REFERENCE_CACHE_SECONDS)


def operation_codes_of(dossier_ids: list[int]) -> dict[int, list[str]]:
    """The fiche codes of each listed dossier, in one query."""
    codes: dict[int, list[str]] = {pk: [] for pk in dossier_ids}
    for dossier_id, code in (
        DossierOperation.objects.filter(dossier_id__in=dossier_ids)
        .order_by("operation__code").values_list("dossier_id", "operation__code")
    ):
        codes[dossier_id].append(code)
    return codes


def installer_dossier_detail(user) -> QuerySet[Dossier]:
    """The user's visible dossiers with what a detail page shows."""
    return (
        _with_rule_failure_count(dossiers_visible_to(user))
        .select_related("timeline")
        .prefetch_related(
            Prefetch("operations", queryset=DossierOperation.objects.select_related("operation").order_by("operation__code")),
            Prefetch("invoices", queryset=_billed_invoices(), to_attr="billed_invoices"),
        )
    )


def dossier_documents(dossier: Dossier) -> QuerySet[Document]:
    return dossier.documents.select_related("document_type", "declared_type").order_by("uploaded_at", "page_start", "pk")


def rule_failures_for(dossier: Dossier) -> list[RuleResult]:
    return list(installer_rule_failures_query().filter(dossier=dossier).select_related("rule").order_by("rule__code"))


# --- Missing documents -----------------------------------------------------------

@dataclass(frozen=True)
class MissingDocument:
    code: str
    name: str
    operations: tuple[str, ...] = ()




def document_type_names() -> dict[str, str]:
    """code → name of every document type (a handful of rows, renamed once in a blue moon:
    kept a minute in the cache so busy lists skip the query)."""
    return cache.get_or_set(
        "installer_selectors:document_type_names",
        lambda: dict(DocumentType.objects.values_list("code", "name")),
        REFERENCE_CACHE_SECONDS,
    )


def missing_documents(dossier: Dossier, names: dict[str, str] | None = None) -> list[MissingDocument]:
    """``Dossier.missing_documents`` as named entries (see ``missing_documents_from``).
    Pass ``names`` (``document_type_names()``) when listing many dossiers."""
    return missing_documents_from(dossier.missing_documents, names)


def missing_documents_from(raw: list | None, names: dict[str, str] | None = None) -> list[MissingDocument]:
    """A stored missing-document list as named entries.

    The completeness stage stores either document type codes or objects with a
    ``code`` (``document_type``) and optionally the operations that need it; both read the same.
    """
    raw = raw or []
    entries: list[tuple[str, tuple[str, ...]]] = []
    for item in raw:
        if isinstance(item, str):
            entries.append((item, ()))
        elif isinstance(item, dict):
            code = item.get("code") or item.get("document_type") or item.get("type") or ""
            ops = item.get("operations") or ([item["operation"]] if item.get("operation") else [])
            if code:
                entries.append((str(code), tuple(str(o) for o in ops)))
    if not entries:
        return []
    if names is None:
        names = dict(DocumentType.objects.filter(code__in=[c for c, _ in entries]).values_list("code", "name"))
    return [MissingDocument(code=c, name=names.get(c, c), operations=ops) for c, ops in entries]


# --- Payment state ------------------------------------------------------------------

PAYMENT_STATES = {
    "not_invoiced": "Non facturé",
    Invoice.Status.DRAFT: "Facture en préparation",
    Invoice.Status.ISSUED: "Facturé, en attente de paiement",
    Invoice.Status.PARTIALLY_PAID: "Partiellement payé",
    Invoice.Status.PAID: "Payé",
}
PAYMENT_STATE_CHOICES = [(str(code), label) for code, label in PAYMENT_STATES.items()]


def payment_state(dossier: Dossier) -> tuple[str, str]:
    """(code, label) of the dossier's billing: from its latest invoice, if any."""
    invoices = getattr(dossier, "billed_invoices", None)
    if invoices is None:
        invoices = list(_billed_invoices().filter(dossier=dossier)[:1])
    return payment_state_of(invoices[0].status if invoices else None)


def payment_state_of(invoice_status: str | None) -> tuple[str, str]:
    """(code, label) for the status of a dossier's latest invoice (None: not invoiced)."""
    code = invoice_status or "not_invoiced"
    return code, PAYMENT_STATES.get(code, code)


# --- Status, stages, history ----------------------------------------------------------

def status_history(dossier: Dossier) -> QuerySet[Activity]:
    """The dossier's status changes, oldest first (the portal's timeline)."""
    return dossier.activities.filter(verb="status_changed").select_related("actor").order_by("created_at", "pk")


def stage_summary(dossier: Dossier) -> list[dict[str, Any]]:
    """Per pipeline stage: how many runs, how many failed, the latest outcome and time.

    Error texts stay internal: a failed document carries its own installer-facing
    message (``Document.error_message``).
    """
    summary: dict[str, dict[str, Any]] = {}
    runs = StageRun.objects.filter(dossier=dossier).order_by("started_at", "pk").values(
        "stage", "outcome", "started_at", "duration_ms"
    )
    for run in runs:
        entry = summary.setdefault(
            run["stage"], {"stage": run["stage"], "runs": 0, "failed": 0, "last_outcome": "", "last_run_at": None, "total_ms": 0}
        )
        entry["runs"] += 1
        entry["failed"] += run["outcome"] == StageRun.Outcome.FAILED
        entry["last_outcome"] = run["outcome"]
        entry["last_run_at"] = run["started_at"]
        entry["total_ms"] += run["duration_ms"] or 0
    labels = dict(StageRun.Outcome.choices)
    for entry in summary.values():
        entry["last_outcome_label"] = labels.get(entry["last_outcome"], entry["last_outcome"])
    return list(summary.values())


def document_progress(dossier: Dossier) -> dict[str, int]:
    """Count of the dossier's documents per processing status."""
    counts = dict(dossier.documents.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status, _ in Document._meta.get_field("status").choices}


IN_PROGRESS_STATUSES = frozenset({DossierStatus.SUBMITTED, DossierStatus.PROCESSING})


# --- Payments -------------------------------------------------------------------------

def installer_payments(user) -> QuerySet[Payment]:
    """Payments on invoices of the user's company (nothing for staff or anonymous)."""
    if user is None or not user.is_authenticated or not getattr(user, "installer_id", None) or user.role != "installer":
        return Payment.objects.none()
    return Payment.objects.filter(invoice__installer_id=user.installer_id).select_related("invoice", "invoice__dossier")


def installer_invoices(user) -> QuerySet[Invoice]:
    if user is None or not user.is_authenticated or not getattr(user, "installer_id", None) or user.role != "installer":
        return Invoice.objects.none()
    return Invoice.objects.filter(installer_id=user.installer_id).select_related("dossier").order_by("-issue_date", "-id")
