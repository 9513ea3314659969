"""RGE data: an installer asks for a change, staff approve or refuse it (services).

An installer's RGE number, validity dates and qualifications decide whether its dossiers
pass the RGE rule checks, so the installer cannot set them: what it sends from the portal
or the API becomes a ``RgeChangeRequest`` and the company's data, and the rule checks,
stay as they were until a member of staff approves it in the admin. The other source is
the public RGE list (``accounts.rge_list``, ``manage.py import_rge_list``).
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .activity import log_activity
from .models import Installer, RgeChangeRequest, RgeChangeStatus, User

RGE_FIELDS = ("rge_number", "rge_valid_from", "rge_valid_until", "qualifications")


def _shown(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    return str(value) if value not in (None, "") else "—"


def rge_data(obj) -> dict:
    """The RGE block of an installer or of a request."""
    return {field: getattr(obj, field) for field in RGE_FIELDS}


@transaction.atomic
def request_rge_change(installer: Installer, *, changes: dict, user: User, request=None) -> RgeChangeRequest | None:
    """Record the installer's wish to change RGE fields (a subset of RGE_FIELDS); change nothing.

    Returns the pending request: a new one, which replaces an earlier pending one (that one
    becomes ``superseded``), or the pending one when it already asks for exactly this. Returns
    None when the values sent are the company's current ones (nothing to ask). Raises
    ValidationError (per field) when a value is invalid, e.g. the end of validity before its start.
    """
    unknown = set(changes) - set(RGE_FIELDS)
    if unknown:
        raise ValidationError(f"Champs RGE inconnus : {', '.join(sorted(unknown))}.", code="unknown_field")
    locked = Installer.objects.select_for_update().get(pk=installer.pk)
    current = rge_data(locked)
    proposed = {**current, **changes}
    changed = [field for field in RGE_FIELDS if proposed[field] != current[field]]
    pending = RgeChangeRequest.objects.filter(installer=locked, status=RgeChangeStatus.PENDING).first()
    if not changed:
        return None
    if pending is not None and rge_data(pending) == proposed:
        return pending
    start, end = proposed["rge_valid_from"], proposed["rge_valid_until"]
    if start and end and end < start:
        raise ValidationError({"rge_valid_until": "La fin de validité RGE précède son début."}, code="rge_dates")
    change = RgeChangeRequest(installer=locked, requested_by=user, changed_fields=changed, **proposed)
    change.full_clean(exclude=["installer", "requested_by", "decided_by"])
    if pending is not None:
        pending.status = RgeChangeStatus.SUPERSEDED
        pending.decided_at = timezone.now()
        pending.save(update_fields=["status", "decided_at"])
    change.save()
    log_activity(
        "rge_change_requested", actor=user, target=locked,
        description="Demande de modification RGE : " + ", ".join(
            f"{RgeChangeRequest._meta.get_field(field).verbose_name} {_shown(current[field])} → {_shown(proposed[field])}"
            for field in changed
        ),
        metadata={"request": change.pk, "changes": {f: [_shown(current[f]), _shown(proposed[f])] for f in changed}},
        request=request,
    )
    return change


def _decide(change: RgeChangeRequest) -> RgeChangeRequest:
    locked = RgeChangeRequest.objects.select_for_update().get(pk=change.pk)
    if locked.status != RgeChangeStatus.PENDING:
        raise ValidationError(
            f"Cette demande est déjà « {locked.get_status_display()} » : elle ne peut plus être traitée.",
            code="already_decided",
        )
    return locked


@transaction.atomic
def approve_rge_change(change: RgeChangeRequest, *, user: User, request=None) -> Installer:
    """Apply a pending request to its installer's RGE data, and record who approved it.

    Raises ValidationError when the request is no longer pending, or when its values no
    longer fit the company (the model's checks), in which case nothing changes.
    """
    locked = _decide(change)
    installer = Installer.objects.select_for_update().get(pk=locked.installer_id)
    before = rge_data(installer)
    for field, value in rge_data(locked).items():
        setattr(installer, field, value)
    installer.full_clean()
    installer._history_user = user
    installer.save()
    locked.status, locked.decided_by, locked.decided_at = RgeChangeStatus.APPROVED, user, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    log_activity(
        "rge_change_approved", actor=user, target=installer,
        description=f"Demande de modification RGE n° {locked.pk} approuvée",
        metadata={"request": locked.pk, "before": {f: _shown(v) for f, v in before.items()}}, request=request,
    )
    return installer


@transaction.atomic
def reject_rge_change(change: RgeChangeRequest, *, user: User, note: str = "", request=None) -> RgeChangeRequest:
    """Refuse a pending request: the installer's data stays as it is. Raises ValidationError
    when the request is no longer pending."""
    locked = _decide(change)
    locked.status, locked.decided_by, locked.decided_at = RgeChangeStatus.REJECTED, user, timezone.now()
    locked.decision_note = note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    log_activity(
        "rge_change_rejected", actor=user, target=locked.installer,
        description=f"Demande de modification RGE n° {locked.pk} refusée" + (f" : {note}" if note else ""),
        metadata={"request": locked.pk}, request=request,
    )
    return locked


def pending_rge_change(installer: Installer) -> RgeChangeRequest | None:
    """The installer's request waiting for staff, if any (a selector, for the portal and the API)."""
    return RgeChangeRequest.objects.filter(installer=installer, status=RgeChangeStatus.PENDING).first()
