"""The review services: claiming a dossier, who may act on it, the approval rules, rejection."""
from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Activity
from dossiers.models import DossierStatus, RejectionReason
from dossiers.review import services as review
from dossiers.review.approval import approval_blockers
from dossiers.review.screen import dossier_for_review
from rules.models import RuleResult
from rules.services import override_rule_result
from tests.factories import AdministratorFactory, DossierFactory, UserFactory

from .builders import add_bare_document, build_review_dossier

pytestmark = pytest.mark.django_db

ETAS_TOO_LOW = {"facture.etas": "105.00"}


def complete_dossier(**kwargs):
    """Every document BAR-TH-171 requires, consistent, without images (faster)."""
    dossier = build_review_dossier(images=False, **kwargs)
    add_bare_document(dossier, "note_dimensionnement")
    return dossier


# --- opening and holding ---------------------------------------------------------------

def test_opening_a_ready_dossier_assigns_it_and_moves_it_to_in_review(validator):
    dossier = DossierFactory(status=DossierStatus.READY_FOR_REVIEW)

    access = review.open_for_review(dossier, validator)

    dossier.refresh_from_db()
    assert access.claimed and access.can_edit
    assert dossier.status == DossierStatus.IN_REVIEW
    assert dossier.assigned_to == validator
    moves = Activity.objects.filter(dossier=dossier, verb="status_changed")
    assert [m.metadata["to"] for m in moves] == [DossierStatus.IN_REVIEW]


def test_a_second_validator_sees_who_holds_the_dossier_and_may_only_look(validator, other_validator):
    dossier = DossierFactory(status=DossierStatus.READY_FOR_REVIEW)
    review.open_for_review(dossier, validator)

    access = review.open_for_review(dossier, other_validator)

    dossier.refresh_from_db()
    assert not access.can_edit and not access.claimed
    assert access.held_by_other
    assert validator.get_full_name() in access.notice
    assert dossier.assigned_to == validator
    with pytest.raises(review.NotHolder):
        review.require_holder(dossier, other_validator)


def test_a_dossier_an_administrator_assigned_to_someone_is_not_claimed_by_another(validator, other_validator):
    dossier = DossierFactory(status=DossierStatus.READY_FOR_REVIEW, assigned_to=validator)

    access = review.open_for_review(dossier, other_validator)
    assert not access.can_edit and "assigné à" in access.notice

    mine = review.open_for_review(dossier, validator)
    assert mine.claimed and mine.can_edit


def test_reopening_ones_own_dossier_changes_nothing(validator):
    dossier = DossierFactory(status=DossierStatus.READY_FOR_REVIEW)
    review.open_for_review(dossier, validator)
    again = review.open_for_review(dossier, validator)
    assert again.can_edit and not again.claimed
    assert Activity.objects.filter(dossier=dossier, verb="status_changed").count() == 1


def test_an_approved_dossier_opens_read_only(validator):
    dossier = DossierFactory(status=DossierStatus.APPROVED)
    access = review.open_for_review(dossier, validator)
    assert not access.can_edit and "Validé" in access.notice


def test_installers_cannot_open_a_dossier_for_review(installer_user):
    dossier = DossierFactory(status=DossierStatus.READY_FOR_REVIEW, installer=installer_user.installer)
    with pytest.raises(PermissionDenied):
        review.open_for_review(dossier, installer_user)


def test_release_puts_the_dossier_back_in_the_queue_unassigned(validator, other_validator):
    dossier = DossierFactory(status=DossierStatus.READY_FOR_REVIEW)
    review.open_for_review(dossier, validator)
    with pytest.raises(review.NotHolder):
        review.release(dossier, other_validator)

    review.release(dossier, validator)

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.READY_FOR_REVIEW and dossier.assigned_to is None
    assert Activity.objects.filter(dossier=dossier, verb="review_released").exists()


def test_an_administrator_takes_over_a_dossier_held_by_a_validator(validator):
    administrator = AdministratorFactory()
    dossier = DossierFactory(status=DossierStatus.READY_FOR_REVIEW)
    review.open_for_review(dossier, validator)

    with pytest.raises(PermissionDenied):
        review.take_over(dossier, UserFactory(role="validator"))
    access = review.take_over(dossier, administrator)

    dossier.refresh_from_db()
    assert access.can_edit and dossier.assigned_to == administrator and dossier.status == DossierStatus.IN_REVIEW


def test_bulk_assignment_skips_dossiers_another_validator_reviews_unless_an_administrator_assigns(
    validator, other_validator
):
    held = DossierFactory(status=DossierStatus.READY_FOR_REVIEW)
    free = DossierFactory(status=DossierStatus.READY_FOR_REVIEW)
    review.open_for_review(held, other_validator)
    held.refresh_from_db()

    assigned, refused = review.assign_to_validator([held, free], validator, by=validator)
    assert assigned == [free] and len(refused) == 1 and held.reference in refused[0]

    administrator = AdministratorFactory()
    assigned, refused = review.assign_to_validator([held], validator, by=administrator)
    held.refresh_from_db()
    assert assigned == [held] and held.assigned_to == validator


# --- approval ---------------------------------------------------------------------------

def test_approval_is_refused_while_a_blocking_rule_fails(validator):
    dossier = complete_dossier(facts_changes=ETAS_TOO_LOW)
    review.open_for_review(dossier, validator)

    with pytest.raises(review.ApprovalRefused) as refused:
        review.approve_dossier(dossier, validator)

    assert any("Etas" in blocker or "r11" in blocker or "ETAS" in blocker.upper() for blocker in refused.value.blockers)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.IN_REVIEW


def test_approval_goes_through_once_the_blocking_rule_is_overridden_with_a_reason(validator):
    dossier = complete_dossier(facts_changes=ETAS_TOO_LOW)
    review.open_for_review(dossier, validator)
    result = RuleResult.objects.get(dossier=dossier, rule__code="r11-etas-pac")
    assert result.status == RuleResult.Status.FAILED

    override_rule_result(result, user=validator, reason="Etas 126 % sur la fiche produit certifiée jointe")
    approved = review.approve_dossier(dossier, validator, comment="RAS")

    assert approved.status == DossierStatus.APPROVED
    assert approved.validated_by == validator and approved.validated_at is not None
    assert set(approved.operations.values_list("status", flat=True)) == {"valid"}


def test_approval_is_refused_while_a_required_document_is_missing(validator):
    dossier = build_review_dossier(images=False)  # no sizing note, which BAR-TH-171 requires
    review.open_for_review(dossier, validator)

    assert "Document obligatoire manquant : Note de dimensionnement" in approval_blockers(dossier)
    with pytest.raises(review.ApprovalRefused):
        review.approve_dossier(dossier, validator)


def test_a_precarity_claim_makes_the_tax_notice_required(validator):
    dossier = complete_dossier(precarity_status="modeste")
    assert "Document obligatoire manquant : Avis d'imposition" in approval_blockers(dossier)


def test_with_its_tax_notice_a_precarity_dossier_is_complete_for_approval_and_on_the_screen(validator):
    dossier = complete_dossier(precarity_status="modeste")
    add_bare_document(dossier, "avis_imposition")
    assert not [blocker for blocker in approval_blockers(dossier) if blocker.startswith("Document obligatoire")]
    assert not [blocker for blocker in dossier_for_review(dossier.pk).blockers if blocker.startswith("Document obligatoire")]


def test_only_the_holder_approves(validator, other_validator):
    dossier = complete_dossier()
    review.open_for_review(dossier, validator)
    with pytest.raises(review.NotHolder):
        review.approve_dossier(dossier, other_validator)


# --- rejection --------------------------------------------------------------------------

def test_rejection_needs_a_reason_from_the_list_and_emails_the_installers_users(
    validator, django_capture_on_commit_callbacks
):
    dossier = complete_dossier()
    colleague = UserFactory(installer=dossier.installer, email="compta@renov.example.fr")
    UserFactory(installer=dossier.installer, email="parti@renov.example.fr", is_active=False)
    review.open_for_review(dossier, validator)
    reason = RejectionReason.objects.filter(is_active=True).first()
    with pytest.raises(ValidationError):
        review.reject_dossier(dossier, validator, reason="motif-inexistant")

    with django_capture_on_commit_callbacks(execute=True):
        review.reject_dossier(dossier, validator, reason=reason.code, comment="La facture n'est pas signée.")

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.REJECTED
    assert reason.label in dossier.decision_reason
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert colleague.email in message.to and "parti@renov.example.fr" not in message.to
    assert dossier.installer.email in message.to
    assert dossier.reference in message.subject and reason.label in message.subject
    assert "La facture n'est pas signée." in message.body and "refusé" in message.body
    html = message.alternatives[0][0]
    assert reason.label in html
    assert Activity.objects.filter(dossier=dossier, verb="rejection_notified", metadata__sent=True).exists()


def test_no_email_when_the_rejection_is_rolled_back(validator, django_capture_on_commit_callbacks):
    dossier = complete_dossier()
    reason = RejectionReason.objects.filter(is_active=True).first()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(review.NotHolder):
            review.reject_dossier(dossier, validator, reason=reason.code)  # not opened: not held
    assert mail.outbox == []


# --- the next dossier -------------------------------------------------------------------

def test_next_in_queue_is_what_i_hold_then_the_most_urgent_oldest_unassigned(validator, other_validator):
    from django.utils import timezone

    now = timezone.now()
    old_urgent = DossierFactory(status=DossierStatus.READY_FOR_REVIEW, priority=90, submitted_at=now - timezone.timedelta(days=9))
    DossierFactory(status=DossierStatus.READY_FOR_REVIEW, priority=90, submitted_at=now - timezone.timedelta(days=2))
    DossierFactory(status=DossierStatus.READY_FOR_REVIEW, priority=20, submitted_at=now - timezone.timedelta(days=30))
    DossierFactory(status=DossierStatus.READY_FOR_REVIEW, priority=99, assigned_to=other_validator, submitted_at=now)

    assert review.next_in_queue(validator) == old_urgent

    mine = DossierFactory(status=DossierStatus.IN_REVIEW, priority=10, assigned_to=validator, submitted_at=now)
    assert review.next_in_queue(validator) == mine
    assert review.next_in_queue(validator, after=mine) == old_urgent
