"""Routine jobs: their schedules exist after `migrate`, and each job, run twice, does its work once."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from dossiers.models import Dossier, DossierStatus
from dossiers.routine import services
from dossiers.routine.models import NoticeKind, RoutineNotice
from dossiers.routine.schedules import ensure_schedules, schedules
from dossiers.routine.services import (
    flag_dossiers_after_rge_expiry, remind_idle_drafts, send_weekly_report, warn_rge_expiring,
)
from dossiers.routine.tasks import draft_reminders_task, rge_expiry_task, weekly_report_task
from tests.factories import DossierFactory, InstallerFactory, UserFactory

TODAY = dt.date(2026, 12, 7)  # a Monday


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def installer_with_rge_until(until: dt.date, email: str = "contact@renov.fr"):
    installer = InstallerFactory(rge_number="E-E12345", rge_valid_from=until - dt.timedelta(days=1000), rge_valid_until=until)
    UserFactory(installer=installer, email=email)
    return installer


@pytest.mark.django_db
def test_migrate_creates_each_schedule_once_and_keeps_it_on_the_next_migrate():
    # The test database was built by migrate: the post_migrate receiver already ran.
    names = set(schedules())
    assert set(Schedule.objects.filter(name__in=names).values_list("name", flat=True)) == names
    mail_fetch = Schedule.objects.get(func="dossiers.mail.tasks.fetch_mail_task")
    assert mail_fetch.schedule_type == Schedule.MINUTES and mail_fetch.minutes == 5 and mail_fetch.repeats == -1
    weekly = Schedule.objects.get(func="dossiers.routine.tasks.weekly_report_task")
    assert weekly.schedule_type == Schedule.WEEKLY and timezone.localtime(weekly.next_run).weekday() == 0
    chosen = timezone.now() + dt.timedelta(days=3)
    Schedule.objects.filter(pk=weekly.pk).update(next_run=chosen)

    call_command("migrate", verbosity=0)
    ensure_schedules()

    for name in names:
        assert Schedule.objects.filter(name=name).count() == 1
    assert Schedule.objects.get(pk=weekly.pk).next_run == chosen  # an administrator's choice is kept
    funcs = sorted(Schedule.objects.exclude(schedule_type=Schedule.ONCE).values_list("func", "name"))
    assert len({func for func, _ in funcs}) == len(funcs), f"a routine task scheduled twice: {funcs}"


@pytest.mark.django_db
def test_installer_is_warned_once_30_days_before_its_rge_ends():
    soon = installer_with_rge_until(TODAY + dt.timedelta(days=20))
    installer_with_rge_until(TODAY + dt.timedelta(days=45), email="later@renov.fr")

    assert warn_rge_expiring(TODAY) == 1
    assert warn_rge_expiring(TODAY) == 0
    assert warn_rge_expiring(TODAY + dt.timedelta(days=1)) == 0

    [message] = mail.outbox
    assert message.to == ["contact@renov.fr", soon.email] and "expire le" in message.subject
    assert "dans 20 jours" in message.body and soon.rge_number in message.body
    # A renewed certificate nearing its new end is warned again.
    soon.rge_valid_until = TODAY + dt.timedelta(days=400)
    soon.save()
    assert warn_rge_expiring(TODAY + dt.timedelta(days=380)) == 1


@pytest.mark.django_db
def test_open_dossiers_are_flagged_once_after_the_rge_ended():
    installer = installer_with_rge_until(TODAY - dt.timedelta(days=1))
    in_review = DossierFactory(installer=installer, status=DossierStatus.IN_REVIEW)
    draft = DossierFactory(installer=installer, status=DossierStatus.DRAFT)
    approved = DossierFactory(installer=installer, status=DossierStatus.APPROVED)
    valid = DossierFactory(installer=installer_with_rge_until(TODAY + dt.timedelta(days=90), email="ok@renov.fr"),
                           status=DossierStatus.IN_REVIEW)

    assert flag_dossiers_after_rge_expiry(TODAY) == 1
    assert flag_dossiers_after_rge_expiry(TODAY) == 0

    in_review.refresh_from_db()
    assert in_review.has_fraud_signal and [s["code"] for s in in_review.fraud_signals] == ["rge_expired"]
    assert "expiré le" in in_review.fraud_signals[0]["message"]
    assert in_review.activities.filter(verb="fraud_signal").count() == 1
    for untouched in (draft, approved, valid):
        untouched.refresh_from_db()
        assert not untouched.fraud_signals


@pytest.mark.django_db
def test_idle_drafts_are_reminded_once_per_version():
    installer = installer_with_rge_until(TODAY + dt.timedelta(days=365))
    idle = DossierFactory(installer=installer, status=DossierStatus.DRAFT)
    DossierFactory(installer=installer, status=DossierStatus.DRAFT)  # changed just now
    DossierFactory(installer=installer, status=DossierStatus.SUBMITTED)
    ten_days_ago = timezone.now() - dt.timedelta(days=10)
    Dossier.objects.filter(pk=idle.pk).update(updated_at=ten_days_ago)

    assert remind_idle_drafts() == 1
    assert remind_idle_drafts() == 0
    [message] = mail.outbox
    assert idle.reference in message.body and message.subject == "1 dossier en brouillon à compléter"

    # Changed since, then idle again: reminded again.
    Dossier.objects.filter(pk=idle.pk).update(updated_at=ten_days_ago + dt.timedelta(days=1))
    assert remind_idle_drafts() == 1 and len(mail.outbox) == 2


@pytest.mark.django_db
def test_weekly_report_gives_the_weeks_figures_once(settings):
    settings.CEE_WEEKLY_REPORT_RECIPIENTS = ["direction@obligé.fr"]
    tz = timezone.get_current_timezone()
    in_week = dt.datetime(2026, 12, 2, 10, tzinfo=tz)
    DossierFactory(status=DossierStatus.APPROVED, submitted_at=in_week - dt.timedelta(days=4), validated_at=in_week,
                   premium_eur=Decimal("1250.50"))
    DossierFactory(status=DossierStatus.PAID, submitted_at=in_week, validated_at=in_week + dt.timedelta(days=2),
                   premium_eur=Decimal("749.50"))
    DossierFactory(status=DossierStatus.REJECTED, submitted_at=in_week - dt.timedelta(days=10), validated_at=in_week,
                   premium_eur=Decimal("999"))
    DossierFactory(status=DossierStatus.IN_REVIEW, submitted_at=in_week)
    DossierFactory(status=DossierStatus.APPROVED, submitted_at=in_week - dt.timedelta(days=30),
                   validated_at=in_week - dt.timedelta(days=7), premium_eur=Decimal("5000"))  # the week before

    assert send_weekly_report(TODAY) is True
    assert send_weekly_report(TODAY + dt.timedelta(days=3)) is False

    [report] = mail.outbox
    assert report.to == ["direction@obligé.fr"] and "semaine 49" in report.subject
    assert "dossiers soumis : 2" in report.body  # submitted on 2 and 4 December
    assert "décisions : 2 validés, 1 refusé" in report.body
    assert "médiane 4,0 j, moyenne 5,3 j" in report.body  # 4, 2 and 10 days: refusals count too
    assert "primes des dossiers validés : 2\xa0000,00 €" in report.body
    assert "En revue : 1" in report.body
    assert RoutineNotice.objects.get(kind=NoticeKind.WEEKLY_REPORT).key == "2026-W49"


@pytest.mark.django_db
def test_a_failed_send_is_tried_again_on_the_next_run(monkeypatch):
    installer_with_rge_until(TODAY + dt.timedelta(days=10))

    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("serveur SMTP injoignable")

    with monkeypatch.context() as patched:
        patched.setattr(services, "send_templated_email", smtp_down)
        with pytest.raises(ConnectionRefusedError):
            warn_rge_expiring(TODAY)
    assert not RoutineNotice.objects.exists()

    assert warn_rge_expiring(TODAY) == 1 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_scheduled_tasks_run_the_jobs(settings):
    settings.CEE_WEEKLY_REPORT_RECIPIENTS = "direction@oblige.fr"
    installer_with_rge_until(timezone.localdate() + dt.timedelta(days=5))

    assert rge_expiry_task() == {"warned": 1, "flagged": 0}
    assert draft_reminders_task() == 0
    assert weekly_report_task() is True and weekly_report_task() is False


def test_the_schedules_are_listed_in_the_admin(admin_client):
    page = admin_client.get("/admin/django_q/schedule/")
    assert page.status_code == 200
    html = page.content.decode()
    for name in schedules():
        assert name in html
