"""Dossier and account services: what they create, what they refuse, what they log."""
from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Activity, Role
from accounts.roles import ROLE_GROUP_NAMES
from accounts.services import create_user
from dossiers.models import Dossier, DossierStatus, Operation, Timeline
from dossiers.services import (
    assign_dossier,
    create_dossier,
    format_reference,
    reopen_dossier,
    submit_dossier,
    update_dossier,
)
from dossiers.status import IllegalTransition, ReasonRequired, TransitionNotAllowed
from tests.factories import DossierFactory, UserFactory, ValidatorFactory

pytestmark = pytest.mark.django_db


def new_dossier(user, **extra):
    values = dict(
        installer=user.installer, created_by=user, beneficiary_name="Mme Louise Garnier",
        beneficiary_address="14 rue Victor Hugo", beneficiary_postal_code="69003", beneficiary_city="Lyon",
        housing_type="maison", precarity_status="modeste", operation_codes=["BAR-TH-171"],
    )
    values.update(extra)
    return create_dossier(**values)


# --- create_dossier ---------------------------------------------------------------

def test_create_dossier_gives_a_readable_unique_reference_a_timeline_and_operations(installer_user):
    first = new_dossier(installer_user)
    second = new_dossier(installer_user, operation_codes=["bar-en-101", "BAR-EN-101", "BAR-TH-148"])

    year = timezone.localdate().year
    assert first.reference.startswith(f"CEE-{year}-") and len(first.reference) == len(f"CEE-{year}-000001")
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1
    assert first.status == DossierStatus.DRAFT
    assert Timeline.objects.filter(dossier=first).exists()
    assert sorted(second.operations.values_list("operation__code", flat=True)) == ["BAR-EN-101", "BAR-TH-148"]
    created = Activity.objects.get(dossier=first, verb="dossier_created")
    assert created.actor == installer_user


def test_create_dossier_skips_a_reference_already_taken_outside_the_sequence(installer_user):
    first = new_dossier(installer_user)
    year, number = timezone.localdate().year, int(first.reference[-6:])
    DossierFactory(reference=format_reference(year, number + 1), installer=installer_user.installer)

    second = new_dossier(installer_user)

    assert second.reference == format_reference(year, number + 2)


def test_create_dossier_takes_the_fiche_version_in_force_at_the_engagement_date(installer_user):
    old = Operation.objects.get(code="BAR-EN-101")
    Operation.objects.filter(pk=old.pk).update(valid_until=datetime.date(2025, 12, 31))
    new = Operation.objects.create(
        code="BAR-EN-101", name=old.name, sector=old.sector, category=old.category, version="A39-TEST",
        valid_from=datetime.date(2026, 1, 1), cumac_parameters=old.cumac_parameters,
    )

    signed_2025 = new_dossier(installer_user, operation_codes=["BAR-EN-101"], timeline={"date_signature": datetime.date(2025, 6, 2)})
    signed_2026 = new_dossier(installer_user, operation_codes=["BAR-EN-101"], timeline={"date_signature": datetime.date(2026, 2, 2)})

    assert signed_2025.operations.get().operation == old
    assert signed_2026.operations.get().operation == new


def test_create_dossier_refuses_an_unknown_fiche_and_creates_nothing(installer_user):
    before = Dossier.objects.count()
    with pytest.raises(ValidationError):
        new_dossier(installer_user, operation_codes=["BAR-XX-999"])
    assert Dossier.objects.count() == before


def test_an_installer_cannot_create_a_dossier_for_another_company(installer_user, other_installer_user):
    with pytest.raises(PermissionDenied):
        new_dossier(installer_user, installer=other_installer_user.installer)


def test_create_dossier_refuses_an_invalid_postal_code(installer_user):
    with pytest.raises(ValidationError):
        new_dossier(installer_user, beneficiary_postal_code="690031")


# --- update_dossier -----------------------------------------------------------------

def test_installer_updates_a_draft_and_the_change_is_logged(installer_user):
    dossier = new_dossier(installer_user)
    update_dossier(dossier, by=installer_user, beneficiary_city="Villeurbanne", date_devis=datetime.date(2026, 1, 5))

    dossier.refresh_from_db()
    assert dossier.beneficiary_city == "Villeurbanne"
    assert dossier.timeline.date_devis == datetime.date(2026, 1, 5)
    entry = Activity.objects.get(dossier=dossier, verb="dossier_updated")
    assert entry.metadata["changes"]["beneficiary_city"] == ["Lyon", "Villeurbanne"]


def test_installer_cannot_update_a_submitted_dossier_but_staff_can(installer_user, validator):
    dossier = new_dossier(installer_user)
    submit_dossier(dossier, user=installer_user)
    with pytest.raises(PermissionDenied):
        update_dossier(dossier, by=installer_user, beneficiary_city="Bron")
    update_dossier(dossier, by=validator, beneficiary_city="Bron")
    dossier.refresh_from_db()
    assert dossier.beneficiary_city == "Bron"


def test_update_dossier_refuses_fields_it_does_not_own(installer_user):
    dossier = new_dossier(installer_user)
    with pytest.raises(ValidationError):
        update_dossier(dossier, by=installer_user, status=DossierStatus.APPROVED)


def test_another_installer_cannot_update_the_dossier(installer_user, other_installer_user):
    dossier = new_dossier(installer_user)
    with pytest.raises(PermissionDenied):
        update_dossier(dossier, by=other_installer_user, beneficiary_city="Bron")


# --- submit / assign / reopen ---------------------------------------------------------

def test_submit_moves_a_draft_to_submitted_and_records_who(installer_user):
    dossier = new_dossier(installer_user)
    submit_dossier(dossier, user=installer_user)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.submitted_by == installer_user and dossier.submitted_at is not None
    assert Activity.objects.filter(dossier=dossier, verb="status_changed", metadata__to="submitted").exists()


def test_submit_enqueues_processing_once_committed(installer_user, monkeypatch, django_capture_on_commit_callbacks):
    from dossiers.workflow import tasks

    enqueued = []
    monkeypatch.setattr(tasks, "enqueue_dossier_processing", enqueued.append)
    dossier = new_dossier(installer_user)
    with django_capture_on_commit_callbacks(execute=True):
        submit_dossier(dossier, user=installer_user)
    assert enqueued == [dossier.pk]


def test_submit_twice_is_an_illegal_transition(installer_user):
    dossier = new_dossier(installer_user)
    submit_dossier(dossier, user=installer_user)
    with pytest.raises(IllegalTransition):
        submit_dossier(dossier, user=installer_user)


def test_another_installer_cannot_submit_the_dossier(installer_user, other_installer_user):
    dossier = new_dossier(installer_user)
    with pytest.raises(PermissionDenied):
        submit_dossier(dossier, user=other_installer_user)


def test_administrator_assigns_a_dossier_to_a_validator(administrator, validator):
    dossier = DossierFactory(status=DossierStatus.READY_FOR_REVIEW)
    assign_dossier(dossier, validator=validator, by=administrator)
    dossier.refresh_from_db()
    assert dossier.assigned_to == validator
    entry = Activity.objects.get(dossier=dossier, verb="assigned")
    assert entry.actor == administrator and entry.metadata["to"] == validator.pk


def test_a_validator_assigns_only_to_themself(validator):
    dossier = DossierFactory(status=DossierStatus.READY_FOR_REVIEW)
    assign_dossier(dossier, validator=validator, by=validator)
    with pytest.raises(PermissionDenied):
        assign_dossier(dossier, validator=ValidatorFactory(), by=validator)


def test_a_dossier_cannot_be_assigned_to_an_installer_or_by_one(administrator, installer_user):
    dossier = DossierFactory(status=DossierStatus.READY_FOR_REVIEW, installer=installer_user.installer)
    with pytest.raises(ValidationError):
        assign_dossier(dossier, validator=installer_user, by=administrator)
    with pytest.raises(PermissionDenied):
        assign_dossier(dossier, validator=installer_user, by=installer_user)


def test_a_draft_cannot_be_assigned(administrator, validator):
    with pytest.raises(ValidationError):
        assign_dossier(DossierFactory(status=DossierStatus.DRAFT), validator=validator, by=administrator)


def test_only_an_administrator_reopens_a_rejected_dossier_with_a_reason(administrator, validator):
    dossier = DossierFactory(status=DossierStatus.REJECTED)
    with pytest.raises(TransitionNotAllowed):
        reopen_dossier(dossier, by=validator, reason="Pièce reçue")
    with pytest.raises(ReasonRequired):
        reopen_dossier(dossier, by=administrator, reason="")
    reopen_dossier(dossier, by=administrator, reason="Pièce reçue")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT


# --- accounts ---------------------------------------------------------------------------

def test_an_installer_user_needs_a_company(db):
    with pytest.raises(ValidationError) as error:
        create_user(email="poseur@exemple.fr", role=Role.INSTALLER)
    assert "installer" in error.value.message_dict


def test_a_validator_cannot_belong_to_a_company(installer_company):
    with pytest.raises(ValidationError) as error:
        create_user(email="val@exemple.fr", role=Role.VALIDATOR, installer=installer_company)
    assert "installer" in error.value.message_dict


def test_created_users_get_their_role_group_and_admin_access(installer_company):
    validator = create_user(email="Val@Exemple.fr", role=Role.VALIDATOR, password="demo-valid-2026")
    installer = create_user(email="pose@exemple.fr", role=Role.INSTALLER, installer=installer_company)
    assert validator.email == "val@exemple.fr"
    assert validator.is_staff and not installer.is_staff
    assert list(validator.groups.values_list("name", flat=True)) == [ROLE_GROUP_NAMES[Role.VALIDATOR]]
    assert list(installer.groups.values_list("name", flat=True)) == [ROLE_GROUP_NAMES[Role.INSTALLER]]
    assert validator.check_password("demo-valid-2026")
    assert not installer.has_usable_password()


def test_changing_a_role_moves_the_user_to_the_new_group_and_admin_access(installer_user):
    installer_user.role = Role.VALIDATOR
    installer_user.installer = None
    installer_user.save()
    installer_user.refresh_from_db()
    assert installer_user.is_staff
    assert list(installer_user.groups.values_list("name", flat=True)) == [ROLE_GROUP_NAMES[Role.VALIDATOR]]


def test_weak_passwords_are_refused(installer_company):
    with pytest.raises(ValidationError):
        create_user(email="faible@exemple.fr", role=Role.INSTALLER, installer=installer_company, password="123")


def test_a_second_account_with_the_same_email_is_refused(validator):
    with pytest.raises(ValidationError):
        create_user(email=validator.email.upper(), role=Role.VALIDATOR)
