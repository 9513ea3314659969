"""The django-q2 schedules of the dossiers app, created or brought up to date after every
``migrate`` (a ``post_migrate`` receiver: a fresh database, the test database and an upgraded
one all have them, once each, found by name). They are visible and editable in the admin
(*Django Q → Tâches planifiées*); a run time chosen there is kept.

Besides the routine jobs, the workflow's recovery of the work a killed worker abandoned runs
every minute (``dossiers.workflow.tasks.recover_stuck_documents_task``): a document whose worker
died (heartbeat older than 45 s) is requeued or failed, and its dossier processed again. The
cluster looks at its schedules every 30 s, so a killed worker's document is taken back about 45
to 135 s after its last heartbeat. The row keeps the name extraction/migrations/0002 gave it, so
a database made before the workflow moved to ``dossiers`` has its row pointed at the new task
path by the next ``migrate``. The orphan-file purge is ``extraction.schedules``'.
"""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

MAIL_FETCH = "Relevé des boîtes mail"
RGE_EXPIRY = "Échéances RGE : avertissements et signalements"
DRAFT_REMINDERS = "Relance des brouillons incomplets"
WEEKLY_REPORT = "Rapport hebdomadaire du back-office"
STUCK_RECOVERY = "Récupération des documents bloqués"


def _next(hour: int, weekday: int | None = None) -> dt.datetime:
    """The next ``hour``:00 local time (on ``weekday``, Monday = 0, when given)."""
    now = timezone.localtime()
    run = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    while run <= now or (weekday is not None and run.weekday() != weekday):
        run += dt.timedelta(days=1)
    return run


def schedules() -> dict[str, dict]:
    from django_q.models import Schedule

    return {
        MAIL_FETCH: {"func": "dossiers.mail.tasks.fetch_mail_task", "schedule_type": Schedule.MINUTES, "minutes": 5},
        RGE_EXPIRY: {"func": "dossiers.routine.tasks.rge_expiry_task", "schedule_type": Schedule.DAILY,
                     "next_run": _next(6)},
        DRAFT_REMINDERS: {"func": "dossiers.routine.tasks.draft_reminders_task", "schedule_type": Schedule.DAILY,
                          "next_run": _next(9)},
        WEEKLY_REPORT: {"func": "dossiers.routine.tasks.weekly_report_task", "schedule_type": Schedule.WEEKLY,
                        "next_run": _next(7, weekday=0)},
        STUCK_RECOVERY: {"func": "dossiers.workflow.tasks.recover_stuck_documents_task",
                         "schedule_type": Schedule.MINUTES, "minutes": 1},
    }


def ensure_schedules(**kwargs) -> None:
    """Create the schedules above, or bring their task and frequency up to date (idempotent;
    the next run time of an existing one is left as it is)."""
    from django_q.models import Schedule

    for name, wanted in schedules().items():
        next_run = wanted.pop("next_run", None)
        Schedule.objects.update_or_create(
            name=name, defaults={**wanted, "repeats": -1},
            create_defaults={**wanted, "repeats": -1, "name": name, **({"next_run": next_run} if next_run else {})},
        )
