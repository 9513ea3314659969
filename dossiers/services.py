"""Writes on dossiers: create, update, submit, assign, reopen.

Each service runs in one transaction, validates with ``full_clean()``, records what it
did in the activity log and moves statuses only through ``dossiers.status.transition``.
Views, API views, admin actions and tasks call these functions; none of them writes a
dossier by hand.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.activity import log_activity
from rules.cumac import version_in_force

from .models import (
    Dossier,
    DossierOperation,
    DossierReferenceSequence,
    DossierStatus,
    HousingType,
    Operation,
    PrecarityStatus,
    Timeline,
)
from .selectors import can_view_dossier
from .status import transition

logger = logging.getLogger(__name__)

REFERENCE_PREFIX = "CEE"

# What an installer may still edit: before submission, and while documents are missing.
INSTALLER_EDITABLE_STATUSES = frozenset({DossierStatus.DRAFT, DossierStatus.AWAITING_DOCUMENTS})

# Fields ``update_dossier`` accepts, on the dossier and on its timeline.
EDITABLE_DOSSIER_FIELDS = frozenset(
    {
        "beneficiary_name", "beneficiary_address", "beneficiary_postal_code", "beneficiary_city",
        "beneficiary_email", "beneficiary_phone", "works_address", "works_postal_code", "works_city",
        "housing_type", "living_area_m2", "precarity_status",
    }
)
EDITABLE_TIMELINE_FIELDS = frozenset(
    {"date_devis", "date_signature", "date_debut_travaux", "date_fin_travaux", "date_facture"}
)

# Statuses in which a dossier is waiting for, or under, a validator's review.
ASSIGNABLE_STATUSES = frozenset(
    {
        DossierStatus.SUBMITTED, DossierStatus.PROCESSING, DossierStatus.AWAITING_DOCUMENTS,
        DossierStatus.READY_FOR_REVIEW, DossierStatus.IN_REVIEW,
    }
)

_MAX_REFERENCE_ATTEMPTS = 5


# --- References ---------------------------------------------------------------------

def format_reference(year: int, number: int) -> str:
    """``CEE-2026-000123``: the human-readable reference of the ``number``-th dossier of ``year``."""
    return f"{REFERENCE_PREFIX}-{year}-{number:06d}"


def reserve_reference_numbers(year: int, count: int = 1) -> range:
    """Reserve ``count`` consecutive dossier numbers for ``year`` and return them.

    Must run inside a transaction: the year's sequence row stays locked until it commits,
    so concurrent callers get disjoint ranges. Used one at a time by ``create_dossier``
    and by the batch at a time by the demo seed.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    # The row may not exist yet: create it (a concurrent creator makes one of us retry).
    try:
        with transaction.atomic():
            DossierReferenceSequence.objects.get_or_create(year=year)
    except IntegrityError:
        pass
    sequence = DossierReferenceSequence.objects.select_for_update().get(year=year)
    first = sequence.last_number + 1
    sequence.last_number += count
    sequence.save(update_fields=["last_number"])
    return range(first, first + count)


def next_reference(year: int | None = None) -> str:
    """Reserve and return the next dossier reference of ``year`` (today's year by default)."""
    year = year or timezone.localdate().year
    return format_reference(year, reserve_reference_numbers(year, 1)[0])


# --- Operations ---------------------------------------------------------------------

def operation_in_force(code: str, day: date | None = None) -> Operation:
    """The version of fiche ``code`` in force on ``day`` (today by default), else its latest version.

    Raises ValidationError when no operation has this code.
    """
    found = version_in_force(Operation.objects.filter(code=code.strip().upper()), day or timezone.localdate())
    if found is None:
        raise ValidationError({"operation_codes": f"Fiche CEE inconnue : « {code} »."}, code="unknown_operation")
    return found


def _add_operations(dossier: Dossier, codes: Iterable[str], day: date | None) -> list[DossierOperation]:
    created = []
    seen: set[str] = set()
    for code in codes:
        normalised = code.strip().upper()
        if not normalised or normalised in seen:
            continue
        seen.add(normalised)
        item = DossierOperation(
            dossier=dossier, operation=operation_in_force(normalised, day), status=DossierOperation.Status.DECLARED
        )
        item.full_clean()
        item.save()
        created.append(item)
    return created


# --- Permission helpers -------------------------------------------------------------

def _is_staff_role(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in ("administrator", "validator")))


def _is_administrator(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role == "administrator"))


def _require_access(user, dossier: Dossier) -> None:
    if not can_view_dossier(user, dossier):
        raise PermissionDenied(f"Vous n'avez pas accès au dossier {dossier.reference}.")


# --- Services -----------------------------------------------------------------------

def create_dossier(
    *,
    installer,
    created_by,
    beneficiary_name: str,
    beneficiary_address: str = "",
    beneficiary_postal_code: str = "",
    beneficiary_city: str = "",
    beneficiary_email: str = "",
    beneficiary_phone: str = "",
    works_address: str = "",
    works_postal_code: str = "",
    works_city: str = "",
    housing_type: str = HousingType.MAISON,
    living_area_m2=None,
    precarity_status: str = PrecarityStatus.NONE,
    operation_codes: Iterable[str] = (),
    timeline: dict | None = None,
    request=None,
) -> Dossier:
    """Create a draft dossier for ``installer`` with its timeline and declared operations.

    Takes the beneficiary and works site, the housing type and precarity status, the CEE
    codes declared (each matched to the version in force at the engagement date given in
    ``timeline['date_signature']``, else today, else the latest version) and optional
    timeline dates. ``created_by`` is an installer user of that company or a staff user.

    Guarantees: one transaction; a unique reference ``CEE-<year>-<number>``; a Timeline
    row; one DossierOperation per distinct code; a ``dossier_created`` activity.
    Raises PermissionDenied when ``created_by`` may not create a dossier for this
    installer, ValidationError for invalid data, an inactive installer or an unknown code.
    """
    if created_by is None or not created_by.is_authenticated:
        raise PermissionDenied("Seul un utilisateur connecté peut créer un dossier.")
    if not _is_staff_role(created_by) and not (
        created_by.role == "installer" and created_by.installer_id == installer.pk
    ):
        raise PermissionDenied("Vous ne pouvez créer un dossier que pour votre propre entreprise.")
    if not installer.is_active:
        raise ValidationError({"installer": f"L'installateur {installer.name} est désactivé."}, code="inactive_installer")
    timeline_values = _timeline_values(timeline or {})
    codes = list(operation_codes or ())

    with transaction.atomic():
        dossier = Dossier(
            installer=installer,
            beneficiary_name=beneficiary_name.strip(),
            beneficiary_address=beneficiary_address.strip(),
            beneficiary_postal_code=beneficiary_postal_code.strip(),
            beneficiary_city=beneficiary_city.strip(),
            beneficiary_email=beneficiary_email.strip(),
            beneficiary_phone=beneficiary_phone.strip(),
            works_address=works_address.strip(),
            works_postal_code=works_postal_code.strip(),
            works_city=works_city.strip(),
            housing_type=housing_type,
            living_area_m2=living_area_m2,
            precarity_status=precarity_status,
            status=DossierStatus.DRAFT,
            created_by=created_by,
        )
        _save_with_new_reference(dossier)
        timeline_row = Timeline(dossier=dossier, **timeline_values)
        timeline_row.full_clean()
        timeline_row.save()
        operations = _add_operations(dossier, codes, timeline_values.get("date_signature"))
        log_activity(
            "dossier_created",
            actor=created_by,
            target=dossier,
            description=f"Dossier {dossier.reference} créé",
            metadata={"operations": [item.operation.code for item in operations]},
            request=request,
        )
    return dossier


def _save_with_new_reference(dossier: Dossier) -> None:
    """Give ``dossier`` the next free reference and insert it.

    The sequence makes collisions impossible between callers of this function; a reference
    taken outside it (an import, a restored backup) makes the insert fail on the unique
    constraint, and the next number is drawn (the sequence increment is kept, outside the
    savepoint).
    """
    for attempt in range(1, _MAX_REFERENCE_ATTEMPTS + 1):
        dossier.reference = next_reference()
        # The reference's uniqueness is checked by the database constraint, not by a query.
        dossier.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                dossier.save(force_insert=True)
            return
        except IntegrityError:
            if attempt == _MAX_REFERENCE_ATTEMPTS or not Dossier.objects.filter(reference=dossier.reference).exists():
                raise
            logger.warning("Dossier reference %s already taken, drawing the next one", dossier.reference)
            dossier.pk = None


def _timeline_values(values: dict) -> dict:
    unknown = set(values) - EDITABLE_TIMELINE_FIELDS
    if unknown:
        raise ValidationError(f"Dates inconnues : {', '.join(sorted(unknown))}.", code="unknown_field")
    return dict(values)


def update_dossier(dossier: Dossier, *, by, request=None, **changes) -> Dossier:
    """Change a dossier's beneficiary, site, housing, precarity or timeline dates.

    Accepts the fields of ``EDITABLE_DOSSIER_FIELDS`` and ``EDITABLE_TIMELINE_FIELDS``, plus
    ``operation_codes`` (replaces the declared operations; not allowed once processing
    has detected some). Installers may edit their company's dossiers only while they are
    in draft or awaiting documents; administrators and validators at any status.

    Guarantees: one transaction, full_clean on the dossier and timeline, a
    ``dossier_updated`` activity listing the fields changed with old and new values.
    Raises PermissionDenied (no access, or an installer outside an editable status),
    ValidationError (unknown field, invalid value, unknown operation code).
    """
    _require_access(by, dossier)
    operation_codes = changes.pop("operation_codes", None)
    unknown = set(changes) - EDITABLE_DOSSIER_FIELDS - EDITABLE_TIMELINE_FIELDS
    if unknown:
        raise ValidationError(f"Champs non modifiables : {', '.join(sorted(unknown))}.", code="unknown_field")

    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if not _is_staff_role(by) and locked.status not in INSTALLER_EDITABLE_STATUSES:
            raise PermissionDenied(
                f"Le dossier {locked.reference} est « {locked.get_status_display()} » : il ne peut plus être modifié."
            )
        diff: dict[str, list] = {}
        for name, value in changes.items():
            if name in EDITABLE_DOSSIER_FIELDS:
                if isinstance(value, str):
                    value = value.strip()
                if getattr(locked, name) != value:
                    diff[name] = [_jsonable(getattr(locked, name)), _jsonable(value)]
                    setattr(locked, name, value)
        locked.full_clean(validate_unique=False)
        locked.save()

        timeline_row, _ = Timeline.objects.get_or_create(dossier=locked)
        for name, value in changes.items():
            if name in EDITABLE_TIMELINE_FIELDS and getattr(timeline_row, name) != value:
                diff[name] = [_jsonable(getattr(timeline_row, name)), _jsonable(value)]
                setattr(timeline_row, name, value)
        timeline_row.full_clean()
        timeline_row.save()

        if operation_codes is not None:
            before = sorted(locked.operations.values_list("operation__code", flat=True))
            wanted = sorted({code.strip().upper() for code in operation_codes if code.strip()})
            if before != wanted:
                if locked.operations.exclude(status=DossierOperation.Status.DECLARED).exists():
                    raise ValidationError(
                        {"operation_codes": "Des opérations ont déjà été détectées : modifiez-les depuis la revue."},
                        code="operations_locked",
                    )
                locked.operations.all().delete()
                _add_operations(locked, wanted, timeline_row.date_signature)
                diff["operation_codes"] = [before, wanted]

        if diff:
            log_activity(
                "dossier_updated",
                actor=by,
                target=locked,
                description=f"Dossier {locked.reference} modifié : {', '.join(sorted(diff))}",
                metadata={"changes": diff},
                request=request,
            )
    for name in EDITABLE_DOSSIER_FIELDS | {"updated_at"}:
        setattr(dossier, name, getattr(locked, name))
    return locked


def _jsonable(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def submit_dossier(dossier: Dossier, *, user, request=None) -> Dossier:
    """Submit a draft dossier for processing.

    ``user`` is an installer of the dossier's company or a staff user. Moves the dossier
    draft → submitted through the state machine (which logs it) and, once the transaction
    commits, enqueues the processing pipeline (``dossiers.workflow.tasks.enqueue_dossier_processing``).
    Raises PermissionDenied without access, IllegalTransition when the dossier is not a draft,
    ValidationError without a beneficiary.
    """
    _require_access(user, dossier)
    if not dossier.beneficiary_name.strip():
        raise ValidationError({"beneficiary_name": "Le nom du bénéficiaire est obligatoire."}, code="required")
    with transaction.atomic():
        moved = transition(dossier, DossierStatus.SUBMITTED, actor=user, request=request)
        # Looked up when called: the workflow's modules import this one (bulk uploads submit).
        from .workflow import tasks as workflow_tasks

        transaction.on_commit(lambda: workflow_tasks.enqueue_dossier_processing(moved.pk))
    return moved


def assign_dossier(dossier: Dossier, *, validator, by, request=None) -> Dossier:
    """Assign ``dossier`` to ``validator`` (a validator or an administrator), or unassign with None.

    ``by`` is an administrator, or a validator assigning to themself. Allowed while the
    dossier is submitted, in processing, awaiting documents, ready for review or in
    review. Guarantees one transaction and an ``assigned`` activity (from/to user ids).
    Raises PermissionDenied or ValidationError.
    """
    if not _is_staff_role(by):
        raise PermissionDenied("Seuls les administrateurs et les validateurs peuvent assigner un dossier.")
    if not _is_administrator(by) and (validator is None or validator.pk != by.pk):
        raise PermissionDenied("Un validateur ne peut assigner un dossier qu'à lui-même.")
    if validator is not None and (not validator.is_active or not _is_staff_role(validator)):
        raise ValidationError({"assigned_to": f"{validator} n'est pas un validateur actif."}, code="not_a_validator")
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.status not in ASSIGNABLE_STATUSES:
            raise ValidationError(
                f"Le dossier {locked.reference} est « {locked.get_status_display()} » : il ne peut plus être assigné.",
                code="not_assignable",
            )
        previous = locked.assigned_to_id
        locked.assigned_to = validator
        locked.save(update_fields=["assigned_to", "updated_at"])
        log_activity(
            "assigned",
            actor=by,
            target=locked,
            description=(f"Assigné à {validator}" if validator else "Assignation retirée"),
            metadata={"from": previous, "to": validator.pk if validator else None},
            request=request,
        )
    dossier.assigned_to = validator
    return locked


def reopen_dossier(dossier: Dossier, *, by, reason: str, request=None) -> Dossier:
    """Reopen a rejected dossier (rejected → draft) so its installer can correct it.

    Only an administrator may (the state machine enforces it); the reason is mandatory
    and logged with the transition. Raises IllegalTransition when the dossier is not
    rejected, TransitionNotAllowed for another role, ReasonRequired without a reason.
    """
    return transition(dossier, DossierStatus.DRAFT, actor=by, reason=reason, request=request)
