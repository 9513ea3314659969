"""The dossier state machine: every allowed move works for each allowed actor and is logged;
every other (source, target) pair raises IllegalTransition; a role that may not make a move
raises TransitionNotAllowed."""
from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from accounts.models import Activity
from dossiers.models import DossierStatus
from dossiers.status import (
    ADMINISTRATOR,
    INSTALLER,
    SYSTEM,
    TRANSITIONS,
    VALIDATOR,
    IllegalTransition,
    ReasonRequired,
    TransitionNotAllowed,
    transition,
)
from tests.factories import AdministratorFactory, DossierFactory, UserFactory, ValidatorFactory

ROLES = [SYSTEM, INSTALLER, VALIDATOR, ADMINISTRATOR]
ALLOWED = [(t, role) for t in TRANSITIONS for role in sorted(t.actors)]
FORBIDDEN_ROLES = [(t, role) for t in TRANSITIONS for role in ROLES if role not in t.actors]
PAIRS = {(t.source, t.target) for t in TRANSITIONS}
ILLEGAL = [(s, t) for s, t in itertools.product(DossierStatus.values, repeat=2) if (s, t) not in PAIRS]


def actor_for(role, dossier):
    if role == SYSTEM:
        return None
    if role == INSTALLER:
        return UserFactory(installer=dossier.installer)
    if role == VALIDATOR:
        return ValidatorFactory()
    return AdministratorFactory()


@pytest.mark.django_db
@pytest.mark.parametrize(("move", "role"), ALLOWED, ids=[f"{t.source}->{t.target}-by-{r}" for t, r in ALLOWED])
def test_allowed_transition_moves_the_dossier_and_is_logged(move, role):
    dossier = DossierFactory(status=move.source)
    actor = actor_for(role, dossier)
    before = timezone.now()

    moved = transition(dossier, move.target, actor=actor, reason="Motif de test" if move.requires_reason else "")

    assert moved.status == move.target
    dossier.refresh_from_db()
    assert dossier.status == move.target
    entry = Activity.objects.get(dossier=dossier, verb="status_changed")
    assert entry.actor == actor
    assert entry.created_at >= before
    assert entry.metadata["from"] == move.source
    assert entry.metadata["to"] == move.target
    assert entry.metadata["transition"] == move.name


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), ILLEGAL, ids=[f"{s}->{t}" for s, t in ILLEGAL])
def test_move_outside_the_machine_raises_illegal_transition(source, target):
    dossier = DossierFactory(status=source)
    with pytest.raises(IllegalTransition):
        transition(dossier, target, actor=AdministratorFactory(), reason="Motif")
    dossier.refresh_from_db()
    assert dossier.status == source
    assert not Activity.objects.filter(dossier=dossier).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("move", "role"), FORBIDDEN_ROLES, ids=[f"{t.source}->{t.target}-by-{r}" for t, r in FORBIDDEN_ROLES]
)
def test_role_that_may_not_make_the_move_is_refused(move, role):
    dossier = DossierFactory(status=move.source)
    with pytest.raises(TransitionNotAllowed):
        transition(dossier, move.target, actor=actor_for(role, dossier), reason="Motif")
    dossier.refresh_from_db()
    assert dossier.status == move.source


@pytest.mark.django_db
@pytest.mark.parametrize("move", [t for t in TRANSITIONS if t.requires_reason], ids=lambda t: t.name)
def test_rejection_and_reopening_need_a_reason(move):
    dossier = DossierFactory(status=move.source)
    with pytest.raises(ReasonRequired):
        transition(dossier, move.target, actor=AdministratorFactory(), reason="  ")
    dossier.refresh_from_db()
    assert dossier.status == move.source


@pytest.mark.django_db
def test_unknown_status_is_an_illegal_transition():
    dossier = DossierFactory(status=DossierStatus.DRAFT)
    with pytest.raises(IllegalTransition):
        transition(dossier, "archived", actor=AdministratorFactory())


@pytest.mark.django_db
def test_decision_records_who_and_when_and_the_processing_time(validator):
    dossier = DossierFactory(status=DossierStatus.IN_REVIEW, submitted_at=timezone.now())
    transition(dossier, DossierStatus.REJECTED, actor=validator, reason="Facture illisible")
    dossier.refresh_from_db()
    assert dossier.validated_by == validator
    assert dossier.validated_at is not None
    assert dossier.decision_reason == "Facture illisible"
    assert dossier.processing_seconds is not None
