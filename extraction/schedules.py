"""The django-q2 schedules the pipeline relies on, created or brought up to date after every
``migrate`` (``post_migrate``, so a fresh database, the test database and an upgraded one all
have them, once each).

- every minute, ``recover_stuck_documents``: a document whose worker died (heartbeat older
  than 45 s) is requeued or failed. The cluster looks at its schedules every 30 s, so a
  killed worker's document is taken back about 45 to 135 s after its last heartbeat;
- every hour, ``purge_orphan_files``: stored files no row refers to (an upload whose
  transaction failed, a part image written by a run that died before its commit), once an
  hour old.
"""
from __future__ import annotations

SCHEDULES = {
    # The name of extraction/migrations/0002, so the schedule it created is the one updated.
    "Récupération des documents bloqués": {"func": "extraction.tasks.recover_stuck_documents_task", "minutes": 1},
    "Suppression des fichiers orphelins": {"func": "documents.tasks.purge_orphan_files_task", "minutes": 60},
}


def ensure_schedules(**kwargs) -> None:
    """Create or update the schedules above (idempotent; a ``post_migrate`` receiver)."""
    from django_q.models import Schedule

    for name, schedule in SCHEDULES.items():
        Schedule.objects.update_or_create(
            name=name, defaults={**schedule, "schedule_type": Schedule.MINUTES, "repeats": -1},
        )
