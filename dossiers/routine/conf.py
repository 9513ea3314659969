"""Routine-job settings, each read from Django settings first, then from the environment.

    CEE_RGE_WARNING_DAYS              warn an installer this many days before its RGE ends (30)
    CEE_DRAFT_REMINDER_DAYS           remind a draft left untouched this many days (7)
    CEE_WEEKLY_REPORT_RECIPIENTS      comma-separated addresses of the weekly report (the active
                                      administrators when empty)
"""
from __future__ import annotations

import environ
from django.conf import settings

_env = environ.Env()


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name)) if hasattr(settings, name) else _env.int(name, default=default)


def rge_warning_days() -> int:
    return _int("CEE_RGE_WARNING_DAYS", 30)


def draft_reminder_days() -> int:
    return _int("CEE_DRAFT_REMINDER_DAYS", 7)


def weekly_report_recipients() -> list[str]:
    value = getattr(settings, "CEE_WEEKLY_REPORT_RECIPIENTS", None)
    if value is None:
        value = _env.list("CEE_WEEKLY_REPORT_RECIPIENTS", default=[])
    if isinstance(value, str):
        value = value.split(",")
    return [address.strip() for address in value if address.strip()]
