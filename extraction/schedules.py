"""The django-q2 schedules the document pipeline relies on, created or brought up to date after
every ``migrate`` (``post_migrate``, so a fresh database, the test database and an upgraded one
all have them, once each).

- every hour, ``purge_orphan_files``: stored files no row refers to (an upload whose
  transaction failed, a part image written by a run that died before its commit), once an
  hour old;
- every night, ``train_rankers``: a new version of the learned ranking of candidates from the
  day's verdicts (``manage.py train_ranker``), used only where it chooses better.

The every-minute recovery of stuck documents is the dossier workflow's (``dossiers.routine.schedules``).
"""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

SCHEDULES = {
    "Suppression des fichiers orphelins": {"func": "documents.tasks.purge_orphan_files_task", "minutes": 60},
    "Entraînement du classement appris": {"func": "extraction.ranking.tasks.train_rankers_task", "schedule_type": "D",
                                          "hour": 2},
}


def ensure_schedules(**kwargs) -> None:
    """Create the schedules above, or bring their task and frequency up to date (idempotent;
    the next run time of an existing one is left as it is)."""
    from django_q.models import Schedule

    for name, schedule in SCHEDULES.items():
        wanted = {"schedule_type": Schedule.MINUTES, **schedule, "repeats": -1}
        hour = wanted.pop("hour", None)
        first = {"next_run": _next_at(hour)} if hour is not None else {}  # nightly: at that hour, not at migrate
        Schedule.objects.update_or_create(name=name, defaults=wanted, create_defaults={**wanted, "name": name, **first})


def _next_at(hour: int):
    """The next ``hour``:00, local time."""
    now = timezone.localtime()
    run = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return run if run > now else run + timedelta(days=1)
