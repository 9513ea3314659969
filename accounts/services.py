"""Writes on accounts: installer companies and users.

Each function validates with ``full_clean()`` (so the SIRET checksum and the
role/company rule give clear French messages before the database constraints do),
runs in one transaction and records the action in the activity log.
"""
from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from .activity import log_activity
from .models import Installer, Role, User
from .validators import normalise_identifier

INSTALLER_FIELDS = frozenset(
    {
        "siren", "address", "postal_code", "city", "email", "phone", "contact_name", "rge_number",
        "rge_valid_from", "rge_valid_until", "rge_status", "qualifications", "contract_reference", "is_active",
    }
)
USER_FIELDS = frozenset({"first_name", "last_name", "phone", "is_active"})


@transaction.atomic
def create_installer(*, name: str, siret: str, created_by=None, request=None, **fields) -> Installer:
    """Create an installer company.

    Takes its name, its SIRET (spaces, dots and dashes are removed) and any of
    ``INSTALLER_FIELDS``. The SIREN defaults to the SIRET's first nine digits.
    Guarantees a validated row (14 digits, Luhn, La Poste exception) and an
    ``installer_created`` activity. Raises ValidationError on an invalid or duplicate
    SIRET, an unknown field or any invalid value.
    """
    unknown = set(fields) - INSTALLER_FIELDS
    if unknown:
        raise ValidationError(f"Champs inconnus : {', '.join(sorted(unknown))}.", code="unknown_field")
    if "siren" in fields:
        fields["siren"] = normalise_identifier(fields["siren"])
    installer = Installer(name=name.strip(), siret=normalise_identifier(siret), **fields)
    installer.clean()  # fills the SIREN before the field validators look at it
    installer.full_clean()
    installer.save()
    log_activity(
        "installer_created",
        actor=created_by,
        target=installer,
        description=f"Installateur {installer.name} créé",
        metadata={"siret": installer.siret},
        request=request,
    )
    return installer


@transaction.atomic
def create_user(
    *,
    email: str,
    role: str,
    installer: Installer | None = None,
    password: str | None = None,
    is_superuser: bool = False,
    created_by=None,
    request=None,
    **fields,
) -> User:
    """Create a user with a role.

    An installer user must belong to exactly one ``installer`` company; administrators and
    validators belong to none and get admin access (``is_staff``). ``password`` is checked
    against the password validators; without one the account cannot log in until a
    password is set. ``is_superuser`` is only accepted for administrators.
    Guarantees the role's group (accounts.signals) and a ``user_created`` activity.
    Raises ValidationError for a missing/forbidden company, an unknown role, a duplicate
    e-mail, a weak password or an invalid value.
    """
    unknown = set(fields) - USER_FIELDS
    if unknown:
        raise ValidationError(f"Champs inconnus : {', '.join(sorted(unknown))}.", code="unknown_field")
    if role not in Role.values:
        raise ValidationError({"role": f"Rôle inconnu : « {role} »."}, code="unknown_role")
    if is_superuser and role != Role.ADMINISTRATOR:
        raise ValidationError({"is_superuser": "Seul un administrateur peut être superutilisateur."}, code="superuser_role")
    user = User(
        email=(email or "").strip().lower(),
        role=role,
        installer=installer,
        is_staff=role in (Role.ADMINISTRATOR, Role.VALIDATOR),
        is_superuser=is_superuser,
        **fields,
    )
    user.full_clean(exclude=["password"])
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    log_activity(
        "user_created",
        actor=created_by,
        target=user,
        description=f"Utilisateur {user.email} créé ({user.get_role_display()})",
        metadata={"role": role, "installer": installer.pk if installer else None},
        request=request,
    )
    return user
