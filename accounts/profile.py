"""The installer company's self-service profile (portal and API share this service)."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from dossiers.activity import log_activity

from .models import Installer, User
from .validators import normalise_identifier

# What an installer may change about their own company. The RGE status, the contract
# reference and the active flag are set by the back-office.
EDITABLE_FIELDS = (
    "name", "siret", "address", "postal_code", "city", "email", "phone", "contact_name",
    "rge_number", "rge_valid_from", "rge_valid_until", "qualifications",
)


@transaction.atomic
def update_company_profile(installer: Installer, *, changes: dict, user: User, request=None) -> Installer:
    """Apply ``changes`` (a subset of EDITABLE_FIELDS) to ``installer`` and log who did it.

    The SIRET is normalised (spaces, dots removed) and validated (14 digits, Luhn,
    unique); the SIREN follows the SIRET. Raises django.core.exceptions.ValidationError
    with per-field messages, and saves nothing, when a value is invalid or a field is not
    editable.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"Champs non modifiables : {', '.join(sorted(unknown))}.", code="unknown_field")
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
        return locked
    locked._history_user = user  # token-authenticated calls bypass the history middleware
    locked.save()
    log_activity(
        "installer_profile_updated", actor=user, target=locked,
        description="Profil de l'entreprise modifié : " + ", ".join(sorted(changed)),
        metadata={"changes": changed}, request=request,
    )
    return locked
