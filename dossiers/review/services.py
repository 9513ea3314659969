"""Writes of the validators' review studio: open (claim), release, take over, decide, notify.

One validator holds a dossier under review: opening a dossier that is ready for review
assigns it to the validator and moves it to ``in_review`` through the state machine;
anyone else who opens it sees who holds it and may only look. Every decision (field
verdicts, rule overrides, approval, rejection) is refused to anyone but the holder.
Every service runs in one transaction and leaves a trace in the activity log (directly or
through ``dossiers.status.transition``).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.activity import log_activity
from cee.mail import send_templated_email

from ..models import Dossier, DossierOperation, DossierStatus, RejectionReason
from ..status import transition
from ..workflow.invoicing import on_dossier_approved
from .approval import approval_blockers
from .queue import next_dossier_for

logger = logging.getLogger(__name__)


class ReviewError(Exception):
    """Base class of the review errors; ``str()`` is a French sentence for the validator."""


class NotHolder(ReviewError, PermissionDenied):
    """The user does not hold the dossier (someone else reviews it, or nobody opened it)."""


class ApprovalRefused(ReviewError):
    """Approval while a blocking rule fails or a required document is missing."""

    def __init__(self, dossier: Dossier, blockers: list[str]):
        self.blockers = blockers
        super().__init__(
            f"Le dossier {dossier.reference} ne peut pas être validé : " + " ; ".join(blockers) + "."
        )


def is_reviewer(user) -> bool:
    """Validators and administrators review; installers and anonymous users never do."""
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.is_staff
        and (user.is_superuser or user.role in ("validator", "administrator"))
    )


def is_administrator(user) -> bool:
    return bool(user is not None and user.is_authenticated and (user.is_superuser or user.role == "administrator"))


def _name(user) -> str:
    return (user.get_full_name() or user.email) if user is not None else "personne"


@dataclass(frozen=True)
class ReviewAccess:
    """What ``user`` may do on ``dossier`` right now, and what to tell them."""

    dossier: Dossier
    can_edit: bool
    holder: object | None
    notice: str = ""
    claimed: bool = False

    @property
    def held_by_other(self) -> bool:
        return self.holder is not None and not self.can_edit and self.dossier.status in (
            DossierStatus.READY_FOR_REVIEW, DossierStatus.IN_REVIEW,
        )


def review_access(dossier: Dossier, user) -> ReviewAccess:
    """Whether ``user`` holds ``dossier`` (no write). Reads ``assigned_to`` already loaded."""
    holder = dossier.assigned_to if dossier.assigned_to_id else None
    status = dossier.status
    if not is_reviewer(user):
        return ReviewAccess(dossier, False, holder, "Vous n'avez pas accès à la revue des dossiers.")
    if status == DossierStatus.IN_REVIEW and dossier.assigned_to_id == user.pk:
        return ReviewAccess(dossier, True, holder)
    if status == DossierStatus.IN_REVIEW:
        return ReviewAccess(
            dossier, False, holder,
            f"{_name(holder)} a ce dossier en revue. Vous pouvez le consulter sans le modifier.",
        )
    if status == DossierStatus.READY_FOR_REVIEW and holder is not None and holder.pk != user.pk:
        return ReviewAccess(
            dossier, False, holder,
            f"Ce dossier est assigné à {_name(holder)}. Vous pouvez le consulter sans le modifier.",
        )
    if status == DossierStatus.READY_FOR_REVIEW:
        return ReviewAccess(dossier, False, holder, "Ce dossier n'est pas encore ouvert en revue.")
    return ReviewAccess(
        dossier, False, holder,
        f"Ce dossier est « {dossier.get_status_display()} » : il n'est plus en revue, consultation seule.",
    )


def open_for_review(dossier: Dossier, user, *, request=None) -> ReviewAccess:
    """Open ``dossier`` for ``user``: claim it when it is free, otherwise say who holds it.

    A dossier ready for review that nobody holds (or that an administrator assigned to
    ``user``) is assigned to ``user`` and moved to ``in_review`` through the state machine
    (logged). Opening a dossier one already holds changes nothing; opening one somebody
    else holds, or one that is not under review any more, changes nothing and returns a
    read-only access with a notice. The row is locked while deciding, so two validators
    opening the same dossier at the same instant cannot both claim it.
    Raises PermissionDenied when ``user`` is not a validator or an administrator.
    """
    if not is_reviewer(user):
        raise PermissionDenied("Seuls les validateurs et les administrateurs ouvrent un dossier en revue.")
    claimed = False
    with transaction.atomic():
        locked = Dossier.objects.select_for_update(of=("self",)).select_related("assigned_to").get(pk=dossier.pk)
        if locked.status == DossierStatus.READY_FOR_REVIEW and locked.assigned_to_id in (None, user.pk):
            # The state machine assigns the dossier to the actor when nobody holds it.
            transition(locked, DossierStatus.IN_REVIEW, actor=user, request=request)
            locked.assigned_to = user
            claimed = True
    _copy_state(locked, dossier)
    access = review_access(locked, user)
    return ReviewAccess(access.dossier, access.can_edit, access.holder, access.notice, claimed)


def _copy_state(source: Dossier, target: Dossier) -> None:
    for name in ("status", "assigned_to_id", "validated_at", "validated_by_id", "decision_reason", "updated_at"):
        setattr(target, name, getattr(source, name))


def require_holder(dossier: Dossier, user) -> None:
    """Raise NotHolder unless ``user`` holds ``dossier`` in review (reads the current row)."""
    current = Dossier.objects.select_related("assigned_to").get(pk=dossier.pk)
    access = review_access(current, user)
    if not access.can_edit:
        raise NotHolder(access.notice or "Vous ne tenez pas ce dossier en revue.")


def release(dossier: Dossier, user, *, request=None) -> Dossier:
    """Put a dossier under review back in the queue, unassigned.

    The holder may release their dossier; an administrator may release anyone's (a
    validator on leave). Moves in_review → ready_for_review through the state machine and
    logs a ``review_released`` activity. Raises NotHolder otherwise, IllegalTransition when
    the dossier is not in review.
    """
    with transaction.atomic():
        locked = Dossier.objects.select_for_update(of=("self",)).select_related("assigned_to").get(pk=dossier.pk)
        if not is_administrator(user) and not review_access(locked, user).can_edit:
            raise NotHolder(review_access(locked, user).notice or "Vous ne tenez pas ce dossier en revue.")
        previous = locked.assigned_to
        transition(locked, DossierStatus.READY_FOR_REVIEW, actor=user, request=request)
        Dossier.objects.filter(pk=locked.pk).update(assigned_to=None)
        locked.assigned_to = None
        log_activity(
            "review_released",
            actor=user,
            target=locked,
            description=f"Revue libérée (tenue par {_name(previous)})",
            metadata={"previous_holder": previous.pk if previous else None},
            request=request,
        )
    _copy_state(locked, dossier)
    return locked


def take_over(dossier: Dossier, user, *, request=None) -> ReviewAccess:
    """An administrator takes a dossier someone else holds (or was assigned), and opens it.

    Reassigns through ``dossiers.services.assign_dossier`` (logged) and claims it when it
    is ready for review. Raises PermissionDenied for anyone but an administrator.
    """
    from ..services import assign_dossier

    if not is_administrator(user):
        raise PermissionDenied("Seul un administrateur peut reprendre un dossier tenu par un autre validateur.")
    with transaction.atomic():
        assign_dossier(dossier, validator=user, by=user, request=request)
        return open_for_review(dossier, user, request=request)


def assign_to_validator(dossiers, validator, *, by, request=None) -> tuple[list[Dossier], list[str]]:
    """Assign each of ``dossiers`` to ``validator`` (an administrator's bulk assignment, or
    a validator taking dossiers for themself). Returns (assigned, refusals in French).

    A dossier another validator already has in review is left alone unless ``by`` is an
    administrator; dossiers outside the review statuses are refused by ``assign_dossier``.
    """
    from ..services import assign_dossier

    assigned, refused = [], []
    for dossier in dossiers:
        if (
            dossier.status == DossierStatus.IN_REVIEW
            and dossier.assigned_to_id not in (None, validator.pk)
            and not is_administrator(by)
        ):
            refused.append(f"{dossier.reference} : en revue par {_name(dossier.assigned_to)}")
            continue
        try:
            assign_dossier(dossier, validator=validator, by=by, request=request)
        except (ValidationError, PermissionDenied) as error:
            refused.append(f"{dossier.reference} : {_message(error)}")
        else:
            assigned.append(dossier)
    return assigned, refused


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def approve_dossier(dossier: Dossier, user, *, comment: str = "", request=None) -> Dossier:
    """Approve a dossier ``user`` holds in review.

    Refused (ApprovalRefused, listing why) while a blocking rule (severity error) fails, is
    in error or could not be evaluated without an override, or while a document required
    by one of its operations is missing. Guarantees: one transaction; in_review → approved
    through the state machine (decision time and author recorded, logged); the dossier's
    declared or detected operations become conforming. Raises NotHolder when ``user`` does
    not hold it.
    """
    with transaction.atomic():
        locked = Dossier.objects.select_for_update(of=("self",)).select_related("assigned_to").get(pk=dossier.pk)
        access = review_access(locked, user)
        if not access.can_edit:
            raise NotHolder(access.notice)
        blockers = approval_blockers(locked)
        if blockers:
            raise ApprovalRefused(locked, blockers)
        transition(locked, DossierStatus.APPROVED, actor=user, reason=comment.strip(), request=request)
        locked.operations.filter(
            status__in=[DossierOperation.Status.DECLARED, DossierOperation.Status.DETECTED]
        ).update(status=DossierOperation.Status.VALID)
    # Approval → invoice: at once when CEE_AUTO_INVOICE_ON_APPROVAL is set (a refusal is logged).
    on_dossier_approved(locked, user, request=request)
    _copy_state(locked, dossier)
    return locked


def reject_dossier(dossier: Dossier, user, *, reason: RejectionReason | str, comment: str = "", request=None) -> Dossier:
    """Reject a dossier ``user`` holds in review, with a reason from the configured list.

    ``reason`` is an active RejectionReason (or its code); ``comment`` is free text the
    installer will read. Guarantees: one transaction; in_review → rejected through the
    state machine with the reason recorded and logged; once committed, the installer's
    users (and the company's contact address) receive a French email saying why.
    Raises NotHolder, ValidationError for an unknown or inactive reason.
    """
    if isinstance(reason, str):
        reason = RejectionReason.objects.filter(code=reason, is_active=True).first()
    if reason is None or not reason.is_active:
        raise ValidationError({"reason": "Choisissez un motif de refus dans la liste."}, code="invalid_reason")
    comment = comment.strip()
    text = reason.label + (f" — {comment}" if comment else "")
    with transaction.atomic():
        locked = Dossier.objects.select_for_update(of=("self",)).select_related("assigned_to").get(pk=dossier.pk)
        access = review_access(locked, user)
        if not access.can_edit:
            raise NotHolder(access.notice)
        transition(
            locked, DossierStatus.REJECTED, actor=user, reason=text,
            metadata={"rejection_reason": reason.code, "comment": comment}, request=request,
        )
        dossier_pk = locked.pk
        transaction.on_commit(lambda: send_rejection_email(dossier_pk, reason_label=reason.label, comment=comment))
    _copy_state(locked, dossier)
    return locked


def send_rejection_email(dossier_pk: int, *, reason_label: str, comment: str) -> int:
    """Email the installer that a dossier was rejected (French templates ``emails/rejection*``).

    Returns the number of messages sent (0 when the installer has no address). Logged as a
    ``rejection_notified`` activity; a mail server failure is logged, never raised (the
    rejection itself is already committed).
    """
    dossier = Dossier.objects.select_related("installer", "validated_by").get(pk=dossier_pk)
    recipients = dossier.installer.email_addresses()
    if not recipients:
        logger.warning("Dossier %s rejected but its installer has no email address", dossier.reference)
        return 0
    context = {
        "dossier": dossier,
        "installer": dossier.installer,
        "reason": reason_label,
        "comment": comment,
        "decided_at": timezone.localtime(dossier.validated_at) if dossier.validated_at else timezone.localtime(),
        "portal_url": settings.SITE_URL.rstrip("/") + "/portail/",
    }
    try:
        sent = send_templated_email("rejection", context, recipients)
    except Exception:  # the SMTP server is down: the rejection stands, the failure is visible in the log
        logger.exception("Rejection email for dossier %s could not be sent", dossier.reference)
        sent = 0
    log_activity(
        "rejection_notified",
        target=dossier,
        description=("E-mail de refus envoyé à " + ", ".join(recipients)) if sent else "Échec de l'envoi de l'e-mail de refus",
        metadata={"recipients": recipients, "sent": bool(sent)},
    )
    return sent


def next_in_queue(validator, *, after: Dossier | None = None) -> Dossier | None:
    """The next dossier ``validator`` should review (see ``dossiers.review.queue.next_dossier_for``)."""
    return next_dossier_for(validator, exclude_pk=after.pk if after is not None else None)
