"""The dossier state machine: the only place a dossier's status changes.

    draft → submitted → processing → awaiting_documents ⇄ processing → ready_for_review
    → in_review → approved | rejected ; approved → invoiced → paid ;
    rejected → draft (reopened by an administrator).

A few moves back are allowed on purpose: a validator releases a dossier
(in_review → ready_for_review) and staff reprocess one (ready_for_review / in_review →
processing) after a document was added. Every move is logged in the activity log.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.activity import log_activity
from cee.exceptions import DomainError

from .models import Dossier, DossierStatus as S
from .webhooks.events import record_status_change, with_endpoint_flag

SYSTEM = "system"
INSTALLER = "installer"
VALIDATOR = "validator"
ADMINISTRATOR = "administrator"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    name: str
    actors: frozenset[str]
    requires_reason: bool = False


def _t(source, target, name, *actors, requires_reason=False) -> Transition:
    return Transition(source, target, name, frozenset(actors) | {ADMINISTRATOR}, requires_reason)


TRANSITIONS: tuple[Transition, ...] = (
    _t(S.DRAFT, S.SUBMITTED, "submit", INSTALLER, SYSTEM),
    _t(S.SUBMITTED, S.PROCESSING, "start_processing", SYSTEM),
    _t(S.PROCESSING, S.AWAITING_DOCUMENTS, "request_documents", SYSTEM),
    _t(S.AWAITING_DOCUMENTS, S.PROCESSING, "resume_processing", SYSTEM, INSTALLER),
    _t(S.PROCESSING, S.READY_FOR_REVIEW, "finish_processing", SYSTEM),
    _t(S.READY_FOR_REVIEW, S.IN_REVIEW, "start_review", VALIDATOR),
    _t(S.IN_REVIEW, S.READY_FOR_REVIEW, "release_review", VALIDATOR),
    _t(S.READY_FOR_REVIEW, S.PROCESSING, "reprocess", SYSTEM, VALIDATOR),
    _t(S.IN_REVIEW, S.PROCESSING, "reprocess_in_review", SYSTEM, VALIDATOR),
    _t(S.IN_REVIEW, S.APPROVED, "approve", VALIDATOR),
    _t(S.IN_REVIEW, S.REJECTED, "reject", VALIDATOR, requires_reason=True),
    _t(S.APPROVED, S.INVOICED, "invoice", SYSTEM),
    _t(S.INVOICED, S.PAID, "mark_paid", SYSTEM),
    # The invoice was cancelled by a credit note: the dossier can be invoiced again.
    _t(S.INVOICED, S.APPROVED, "cancel_invoice", SYSTEM, requires_reason=True),
    _t(S.REJECTED, S.DRAFT, "reopen", requires_reason=True),
)

_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}


class DossierTransitionError(DomainError):
    """Base class of the errors raised when a dossier cannot move (the API answers 409)."""

    status_code, code = 409, "illegal_transition"


class IllegalTransition(DossierTransitionError):
    pass


class TransitionNotAllowed(DossierTransitionError, PermissionDenied):
    status_code, code = 403, "transition_not_allowed"


class ReasonRequired(DossierTransitionError):
    status_code, code = 400, "reason_required"


def allowed_targets(source: str) -> list[str]:
    return [t.target for t in TRANSITIONS if t.source == source]


def actor_role(actor) -> str:
    """The role a user acts with in the state machine; None is the system."""
    if actor is None:
        return SYSTEM
    if actor.is_superuser or actor.role == ADMINISTRATOR:
        return ADMINISTRATOR
    return actor.role


def can_transition(dossier: Dossier, target: str, actor=None) -> bool:
    transition = _BY_PAIR.get((dossier.status, target))
    return transition is not None and actor_role(actor) in transition.actors


def _label(status: str) -> str:
    return f"« {S(status).label} »"


@transaction.atomic
def transition(dossier: Dossier, target: str, *, actor=None, reason: str = "", metadata: dict | None = None, request=None) -> Dossier:
    """Move ``dossier`` to ``target`` and log it.

    Locks the row so two concurrent moves cannot both succeed from the same status.
    Raises IllegalTransition for a move the machine does not have, TransitionNotAllowed
    when the actor's role may not make it, ReasonRequired for a rejection or reopening
    without a reason. Returns the updated dossier.
    """
    locked = with_endpoint_flag(Dossier.objects.select_for_update()).get(pk=dossier.pk)
    source = locked.status
    if target not in S.values:
        raise IllegalTransition(f"Statut inconnu : {target!r}.")
    found = _BY_PAIR.get((source, target))
    if found is None:
        allowed = ", ".join(_label(s) for s in allowed_targets(source)) or "aucun"
        raise IllegalTransition(
            f"Le dossier {locked.reference} ne peut pas passer de {_label(source)} à {_label(target)}. "
            f"Statuts possibles depuis {_label(source)} : {allowed}."
        )
    role = actor_role(actor)
    if role not in found.actors:
        raise TransitionNotAllowed(
            f"Un utilisateur « {role} » ne peut pas faire passer le dossier {locked.reference} "
            f"de {_label(source)} à {_label(target)}."
        )
    if found.requires_reason and not reason.strip():
        raise ReasonRequired(f"Un motif est obligatoire pour passer le dossier {locked.reference} à {_label(target)}.")

    now = timezone.now()
    locked.status = target
    update_fields = ["status", "updated_at"]
    if target == S.SUBMITTED:
        locked.submitted_at, locked.submitted_by = now, actor
        update_fields += ["submitted_at", "submitted_by"]
    elif target in (S.APPROVED, S.REJECTED) and source == S.IN_REVIEW:
        # Only the review decision records who decided (not a cancelled invoice's return).
        locked.validated_at, locked.validated_by = now, actor
        locked.decision_reason = reason
        update_fields += ["validated_at", "validated_by", "decision_reason"]
        if locked.submitted_at:
            locked.processing_seconds = int((now - locked.submitted_at).total_seconds())
            update_fields.append("processing_seconds")
    elif target == S.DRAFT:
        locked.validated_at = locked.validated_by = None
        update_fields += ["validated_at", "validated_by"]
    if target == S.IN_REVIEW and actor is not None and locked.assigned_to_id is None:
        locked.assigned_to = actor
        update_fields.append("assigned_to")
    locked.save(update_fields=update_fields)
    log_activity(
        "status_changed",
        actor=actor,
        target=locked,
        description=f"{_label(source)} → {_label(target)}" + (f" : {reason}" if reason else ""),
        metadata={"from": source, "to": target, "transition": found.name, "reason": reason, **(metadata or {})},
        request=request,
    )
    record_status_change(locked, source, target, reason)
    # The caller's instance reflects the new state too.
    for field in set(update_fields) | {"status"}:
        setattr(dossier, field, getattr(locked, field))
    return locked
