"""Seeding demo dossiers: built in memory (``plan``) and inserted batch by batch.

Dossiers and everything under them (timeline, operations, documents, extracted fields,
activity, invoices and payments) are inserted in batches, one transaction per batch
(a large seed on PostgreSQL: one transaction, indexes set aside), so 100 000 dossiers take
minutes, not hours. Bulk inserts send no signals: no simple-history rows are written for
seeded dossiers and extracted fields (their activity log is seeded instead).
"""
from __future__ import annotations

import bisect
import datetime
import random
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Activity, Installer
from billing.models import Invoice, InvoiceLine, InvoiceSequence, Payment, PriceList
from billing.pricing import price_or_none
from billing.services import format_invoice_number
from documents.models import Document, DocumentType
from extraction.models import ExtractedField, FieldSchema
from rules.cumac import applicable_coefficient, compute
from rules.zones import climate_zone

from ...models import (
    Dossier,
    DossierOperation,
    DossierStatus as S,
    Operation,
    RejectionReason,
    Timeline,
)
from ...services import format_reference, reserve_reference_numbers
from ..bulk_load import allocate_ids, indexes_set_aside, insert_instances, insert_rows
from .accounts import DemoAccounts
from .facts import (
    BONUS_START,
    CENT,
    FIELD_CONFIDENCES,
    OPERATION_WEIGHTS,
    PROCESSED,
    STATUS_PATHS,
    STATUS_WEIGHTS,
    TRANSITION_NAMES,
)
from .plan import (
    ACTIVITY_COLUMNS,
    DOCUMENT_COLUMNS,
    FIELD_COLUMNS,
    OPERATION_COLUMNS,
    TIMELINE_COLUMNS,
    DossierPlan,
    field_copy_line,
    field_row,
)

BATCH_DOSSIERS = 1000
BULK_LOAD_THRESHOLD = 5000  # dossiers from which PostgreSQL loads with indexes set aside


@dataclass
class SeedReport:
    dossiers: int = 0
    operations: int = 0
    documents: int = 0
    fields: int = 0
    activities: int = 0
    invoices: int = 0
    payments: int = 0
    by_status: dict = field(default_factory=dict)
    seconds: float = 0.0


class DossierSeeder:
    """Builds demo dossiers in memory and inserts them batch by batch."""

    def __init__(self, accounts: DemoAccounts, *, seed: int = 2026, log=print):
        self.rng = random.Random(seed)
        self.accounts = accounts
        self.log = log
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.operations = self._operations()
        self.codes = [code for code in OPERATION_WEIGHTS if code in self.operations]
        self.weights = [OPERATION_WEIGHTS[code] for code in self.codes]
        self.document_types = {t.code: t for t in DocumentType.objects.all()}
        self.schemas: dict[int, list[FieldSchema]] = {}
        for schema in FieldSchema.objects.filter(is_active=True).order_by("display_order"):
            self.schemas.setdefault(schema.document_type_id, []).append(schema)
        self.reasons = list(RejectionReason.objects.filter(is_active=True).values_list("label", flat=True)) or [
            "Pièce obligatoire manquante"
        ]
        self.dossier_type = ContentType.objects.get_for_model(Dossier)
        self.invoice_type = ContentType.objects.get_for_model(Invoice)
        self._kwh_cache: dict = {}
        self._coefficient_cache: dict = {}
        self._price_cache: dict = {}
        self._price_bounds = sorted(
            {d for start, end in PriceList.objects.values_list("valid_from", "valid_until")
             for d in (start, end + datetime.timedelta(days=1) if end else None) if d}
        )
        self._compute, self._coefficient, self._price_for, self._climate_zone = (
            compute, applicable_coefficient, price_or_none, climate_zone
        )

    def _operations(self) -> dict[str, Operation]:
        found = {}
        for operation in Operation.objects.filter(is_active=True).order_by("code", "-valid_from"):
            if operation.code not in found and (operation.cumac_parameters or {}).get("base"):
                found[operation.code] = operation
        return found

    # -- orchestration --

    def seed(self, count: int) -> SeedReport:
        """Create ``count`` dossiers over the demo companies; every status appears when ``count`` ≥ 10."""
        report = SeedReport()
        started = time.monotonic()
        statuses = self._statuses(count)
        installers = self.accounts.installers

        def batches():
            for start in range(0, count, BATCH_DOSSIERS):
                batch = statuses[start:start + BATCH_DOSSIERS]
                yield start, batch
                if count > BATCH_DOSSIERS:
                    self.log(f"  {start + len(batch)} / {count} dossiers ({time.monotonic() - started:.0f} s)")

        if connection.vendor == "postgresql" and count >= BULK_LOAD_THRESHOLD:
            # A large seed is one transaction that loads the tables with their foreign keys and
            # plain indexes set aside, then builds them again (checking every key): several times
            # faster than maintaining them row by row. The tables stay locked meanwhile.
            with transaction.atomic(), indexes_set_aside(BULK_MODELS, log=self.log):
                for start, batch in batches():
                    self._seed_batch(batch, installers, start, report)
            # Set the visibility map of the tables the queues count and filter, as autovacuum
            # would later, so their counts are index-only scans from the first request.
            if not connection.in_atomic_block:  # VACUUM cannot run inside a transaction
                with connection.cursor() as cursor:
                    for model in (Dossier, Document):
                        cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
        else:
            for start, batch in batches():
                with transaction.atomic():
                    self._seed_batch(batch, installers, start, report)
        report.seconds = time.monotonic() - started
        return report

    def _statuses(self, count: int) -> list[str]:
        every = list(STATUS_WEIGHTS)
        first = every[:count]
        rest = self.rng.choices(every, weights=list(STATUS_WEIGHTS.values()), k=max(0, count - len(first)))
        statuses = first + rest
        self.rng.shuffle(statuses)
        return statuses

    def _seed_batch(self, statuses: list[str], installers: list[Installer], offset: int, report: SeedReport) -> None:
        plans = [self._plan(status, installers[(offset + i) % len(installers)]) for i, status in enumerate(statuses)]
        # References: numbered per year of creation, from the same sequence as create_dossier.
        by_year: dict[int, list] = {}
        for plan in plans:
            by_year.setdefault(plan.created_at.year, []).append(plan)
        for year, year_plans in by_year.items():
            for plan, number in zip(year_plans, reserve_reference_numbers(year, len(year_plans))):
                plan.dossier.reference = format_reference(year, number)

        # Rows with children go through bulk_create (it returns their ids); the field values
        # are drawn first so the dossier's confidence, the mean of its fields', is known.
        # Document ids first: the fields' values and confidences are drawn before the dossiers are
        # inserted, so each dossier's confidence (the mean of its fields') goes in with it.
        document_ids = iter(allocate_ids(Document, sum(len(p.document_kinds) for p in plans)))
        for plan in plans:
            plan.document_rows = [(next(document_ids), kind) for kind in plan.document_kinds]
        field_specs = [(p, spec) for p in plans for spec in self._field_specs(p)]
        for plan, dossier_id in zip(plans, allocate_ids(Dossier, len(plans))):
            plan.dossier.id = dossier_id
        insert_instances(Dossier, [p.dossier for p in plans])
        # Below the dossiers (about 6 documents, 55 fields and 7 log entries each) rows are written
        # as plain tuples with ids drawn from the tables' sequences: COPY on PostgreSQL,
        # executemany elsewhere, several times faster than building model instances.
        operation_ids = iter(allocate_ids(DossierOperation, sum(len(p.codes) for p in plans)))
        operations = [row for p in plans for row in p.operations(operation_ids)]
        insert_rows(DossierOperation, OPERATION_COLUMNS, operations)
        insert_rows(Timeline, TIMELINE_COLUMNS, [p.timeline() for p in plans])
        documents = [row for p in plans for row in p.documents()]
        insert_rows(Document, DOCUMENT_COLUMNS, documents)
        fields = [field_row(plan, spec) for plan, spec in field_specs]
        insert_rows(ExtractedField, FIELD_COLUMNS, fields, line=field_copy_line)
        activities = [row for p in plans for row in self._activity_rows(p)]
        invoice_count, payment_count, invoice_activities = self._invoices([p for p in plans if p.status in (S.INVOICED, S.PAID)])
        activities += invoice_activities
        insert_rows(Activity, ACTIVITY_COLUMNS, activities)

        report.dossiers += len(plans)
        report.operations += len(operations)
        report.documents += len(documents)
        report.fields += len(fields)
        report.activities += len(activities)
        report.invoices += invoice_count
        report.payments += payment_count
        for plan in plans:
            report.by_status[plan.status] = report.by_status.get(plan.status, 0) + 1

    # -- one dossier --

    def _plan(self, status: str, installer: Installer) -> DossierPlan:
        return DossierPlan(self, status, installer)

    def cumac(self, operation: Operation, postal_code: str, housing: str, inputs: dict, precarity: str, day):
        """(kWh cumac, coefficient, price list, price, premium) of one operation, by the rules app's
        calculator; each part is memoised on the inputs it depends on."""
        kwh_key = (operation.pk, self._zone(postal_code), housing, tuple(sorted(inputs.items())))
        if kwh_key not in self._kwh_cache:
            try:
                result = self._compute(
                    operation, postal_code=postal_code, housing_type=housing, surface=inputs.get("surface_m2"),
                    etas=inputs.get("etas"), resistance=inputs.get("resistance_thermique"),
                    class_jumps=inputs.get("class_jumps"), date=day,
                )
                self._kwh_cache[kwh_key] = result.kwh_cumac
            except ValueError:
                self._kwh_cache[kwh_key] = Decimal("0")
        kwh = self._kwh_cache[kwh_key]
        coefficient_key = (operation.pk, day >= BONUS_START, day.year, precarity)
        if coefficient_key not in self._coefficient_cache:
            self._coefficient_cache[coefficient_key] = self._coefficient(
                operation.cumac_parameters, day=day, precarity=precarity
            )[0]
        coefficient = self._coefficient_cache[coefficient_key]
        # The list that applies changes only where a list starts or ends: one lookup per stretch.
        price_key = (operation.code, precarity in ("modeste", "tres_modeste"), bisect.bisect_right(self._price_bounds, day))
        if price_key not in self._price_cache:
            self._price_cache[price_key] = self._price_for(
                operation_code=operation.code, installer=None, day=day, precarity=precarity
            )
        price_list, price = self._price_cache[price_key]
        # billing's formula (billing.pricing.premium_eur): kWh × coefficient / 1000 × price, to the cent.
        premium = (kwh * coefficient / 1000 * price).quantize(CENT, rounding=ROUND_HALF_UP) if price else Decimal("0")
        return kwh, coefficient, price_list, price, premium

    def _zone(self, postal_code: str) -> str:
        try:
            return self._climate_zone(postal_code)
        except ValueError:
            return postal_code

    def _field_specs(self, plan: DossierPlan) -> list[tuple]:
        """(document, schema, value, confidence, status, confirmed_by, confirmed_at) of each field."""
        if plan.status not in PROCESSED:
            return []
        specs = []
        review = plan.field_review if plan.status in (S.REJECTED, S.IN_REVIEW) else None
        fixed_review = plan.field_review() if review is None else None
        choice = self.rng.choice
        for document_id, kind in plan.document_rows:
            for schema in self.schemas.get(kind.pk, []):
                value = plan.fact(kind.code, schema)
                if value is None:
                    continue
                specs.append((document_id, schema, value, choice(FIELD_CONFIDENCES), *(fixed_review or review())))
        if specs and plan.status != S.AWAITING_DOCUMENTS:
            mean = sum(spec[3] for spec in specs) / len(specs)
            plan.dossier.confidence_score = mean.quantize(Decimal("0.001"))
        return specs

    def _activity_rows(self, plan: DossierPlan) -> list[tuple]:
        dossier = plan.dossier
        rows = [
            _activity_row(plan.creator, "dossier_created", dossier, self.dossier_type, dossier.pk,
                          f"Dossier {dossier.reference} créé", {"operations": plan.codes, "demo": True}, dossier.created_at)
        ]
        for (source, target, actor_kind), at in zip(STATUS_PATHS[plan.status], plan.transition_times):
            actor = plan.creator if actor_kind == "installer" else plan.validator if actor_kind == "validator" else None
            reason = dossier.decision_reason if target == S.REJECTED else ""
            rows.append(
                _activity_row(
                    actor, "status_changed", dossier, self.dossier_type, dossier.pk,
                    f"« {S(source).label} » → « {S(target).label} »" + (f" : {reason}" if reason else ""),
                    {"from": source, "to": target, "transition": TRANSITION_NAMES[(source, target)], "reason": reason,
                     "demo": True},
                    at,
                )
            )
        return rows

    def _invoices(self, plans: list[DossierPlan]) -> tuple[int, int, list[tuple]]:
        """Invoices (numbers from billing's yearly sequence), their lines, and payments for paid dossiers."""
        if not plans:
            return 0, 0, []
        by_year: dict[int, list[DossierPlan]] = {}
        for plan in plans:
            by_year.setdefault(plan.invoice_date.year, []).append(plan)
        invoices = []
        for year, year_plans in by_year.items():
            # The same locked yearly sequence as billing.services.reserve_invoice_number, a range at once.
            InvoiceSequence.objects.bulk_create([InvoiceSequence(year=year, last_number=0)], ignore_conflicts=True)
            sequence = InvoiceSequence.objects.select_for_update().get(year=year)
            first = sequence.last_number + 1
            sequence.last_number += len(year_plans)
            sequence.save(update_fields=["last_number"])
            for number, plan in enumerate(year_plans, start=first):
                invoices.append(plan.invoice(format_invoice_number(year, number), year, number))
        for invoice, invoice_id in zip(invoices, allocate_ids(Invoice, len(invoices))):
            invoice.id = invoice_id
        insert_instances(Invoice, invoices)
        lines = [line for plan in plans for line in plan.invoice_lines()]
        for line, line_id in zip(lines, allocate_ids(InvoiceLine, len(lines))):
            line.id = line_id
        insert_instances(InvoiceLine, lines)
        payments = [plan.payment() for plan in plans if plan.status == S.PAID]
        for payment, payment_id in zip(payments, allocate_ids(Payment, len(payments))):
            payment.id = payment_id
        insert_instances(Payment, payments)
        activities = [
            _activity_row(
                None, "invoice_created", plan.dossier, self.invoice_type, plan.invoice_row.pk,
                f"Facture {plan.invoice_row.number} : {plan.invoice_row.total_eur} €",
                {"number": plan.invoice_row.number, "total_eur": str(plan.invoice_row.total_eur), "demo": True},
                plan.transition_times[-1] if plan.status == S.INVOICED else plan.transition_times[-2],
            )
            for plan in plans
        ]
        return len(invoices), len(payments), activities


def _activity_row(actor, verb, dossier, content_type, object_id, description, metadata, at) -> tuple:
    return (actor.pk if actor else None, verb, dossier.pk, content_type.pk, str(object_id), description, metadata,
            None, "", at)


BULK_MODELS = (Dossier, DossierOperation, Timeline, Document, ExtractedField, Activity, Invoice, InvoiceLine, Payment)
