"""The installer company's self-service profile (portal and API share this service)."""
from __future__ import annotations

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction

from .activity import log_activity
from .models import Installer, RgeChangeRequest, User
from .rge import RGE_FIELDS, request_rge_change
from .validators import normalise_identifier

# What an installer may change about their own company. The RGE status, the contract
# reference and the active flag are set by the back-office; the RGE number, validity and
# qualifications may be sent but only become a request that staff approve (accounts.rge).
COMPANY_FIELDS = ("name", "siret", "address", "postal_code", "city", "email", "phone", "contact_name")
EDITABLE_FIELDS = COMPANY_FIELDS + RGE_FIELDS


class ProfileUpdate(NamedTuple):
    installer: Installer
    rge_change_request: RgeChangeRequest | None  # created or still pending for the RGE fields sent


@transaction.atomic
def update_company_profile(installer: Installer, *, changes: dict, user: User, request=None) -> ProfileUpdate:
    """Apply ``changes`` (a subset of EDITABLE_FIELDS) to ``installer`` and log who did it.

    The company fields change at once. The SIRET is normalised (spaces, dots removed) and
    validated (14 digits, Luhn, unique); the SIREN follows the SIRET. The RGE fields change
    nothing: when they differ from the company's they become a pending ``RgeChangeRequest``
    (see accounts.rge), returned with the installer. Raises
    django.core.exceptions.ValidationError with per-field messages, and saves nothing, when a
    value is invalid or a field is not editable.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"Champs non modifiables : {', '.join(sorted(unknown))}.", code="unknown_field")
    rge_changes = {field: value for field, value in changes.items() if field in RGE_FIELDS}
    changes = {field: value for field, value in changes.items() if field not in RGE_FIELDS}
    change_request = request_rge_change(installer, changes=rge_changes, user=user, request=request) if rge_changes else None
    locked = Installer.objects.select_for_update().get(pk=installer.pk)
    before = {field: getattr(locked, field) for field in changes}
    for field, value in changes.items():
        setattr(locked, field, value)
    if "siret" in changes:
        locked.siret = normalise_identifier(locked.siret)
        locked.siren = locked.siret[:9]
    locked.full_clean()
    changed = {f: [str(before[f]), str(getattr(locked, f))] for f in changes if before[f] != getattr(locked, f)}
    if not changed:
        return ProfileUpdate(locked, change_request)
    locked._history_user = user  # token-authenticated calls bypass the history middleware
    locked.save()
    log_activity(
        "installer_profile_updated", actor=user, target=locked,
        description="Profil de l'entreprise modifié : " + ", ".join(sorted(changed)),
        metadata={"changes": changed}, request=request,
    )
    return ProfileUpdate(locked, change_request)
