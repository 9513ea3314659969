"""django-q2 entry points of the routine jobs (their schedules: ``dossiers.routine.schedules``)."""
from __future__ import annotations

from .services import flag_dossiers_after_rge_expiry, remind_idle_drafts, send_weekly_report, warn_rge_expiring


def rge_expiry_task() -> dict:
    return {"warned": warn_rge_expiring(), "flagged": flag_dossiers_after_rge_expiry()}


def draft_reminders_task() -> int:
    return remind_idle_drafts()


def weekly_report_task() -> bool:
    return send_weekly_report()
