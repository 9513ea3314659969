"""The routine jobs. Each may run any number of times: what it did is recorded as a
``RoutineNotice`` (unique kind + key) in the transaction that does it, so a second run, or
two at once, sends and flags nothing twice. A mail server failure rolls that record back:
the next run tries again.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.activity import log_activity
from cee.mail import send_templated_email

from ..models import Dossier
from . import conf
from .models import NoticeKind, RoutineNotice
from .selectors import (
    administrator_addresses, idle_drafts, installers_with_rge_ending,
    open_dossiers_of_expired_rge, weekly_figures,
)

logger = logging.getLogger(__name__)

RGE_EXPIRED_SIGNAL = "rge_expired"


def _once(kind: str, key: str, **fields) -> bool:
    """Record ``(kind, key)``; False when it was already recorded (by this run or another)."""
    _notice, created = RoutineNotice.objects.get_or_create(kind=kind, key=key, defaults=fields)
    return created


def _portal_url() -> str:
    return settings.SITE_URL.rstrip("/") + "/portail/"


def warn_rge_expiring(today: dt.date | None = None) -> int:
    """E-mail each installer whose RGE ends within ``CEE_RGE_WARNING_DAYS`` days, once per end
    date (a renewed certificate that nears its new end is warned again). Returns the count warned."""
    today = today or timezone.localdate()
    warned = 0
    for installer in installers_with_rge_ending(today, conf.rge_warning_days()):
        recipients = installer.email_addresses()
        if not recipients:
            logger.warning("Installer %s: RGE ends on %s but no address to warn", installer.pk, installer.rge_valid_until)
            continue
        with transaction.atomic():
            key = f"{installer.pk}:{installer.rge_valid_until.isoformat()}"
            if not _once(NoticeKind.RGE_EXPIRING, key, installer=installer, recipients=recipients,
                         detail=f"RGE {installer.rge_number} valide jusqu'au {installer.rge_valid_until:%d/%m/%Y}"):
                continue
            send_templated_email("rge_expiring", {
                "installer": installer, "days_left": (installer.rge_valid_until - today).days, "portal_url": _portal_url(),
            }, recipients)
        warned += 1
    return warned


def flag_dossiers_after_rge_expiry(today: dt.date | None = None) -> int:
    """Put a ``rge_expired`` signal on every open dossier of an installer whose RGE has ended,
    once per dossier and end date, for the validator to check that the certificate covered the
    works. Returns the count flagged."""
    today = today or timezone.localdate()
    flagged = 0
    for dossier in open_dossiers_of_expired_rge(today):
        until = dossier.installer.rge_valid_until
        with transaction.atomic():
            if not _once(NoticeKind.RGE_EXPIRED_FLAG, f"{dossier.pk}:{until.isoformat()}", installer=dossier.installer,
                         dossier=dossier, detail=f"RGE expiré le {until:%d/%m/%Y}"):
                continue
            locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
            message = (f"Le certificat RGE de l'installateur a expiré le {until:%d/%m/%Y} : vérifiez qu'il couvrait "
                       "la date d'engagement des travaux.")
            locked.fraud_signals = [*locked.fraud_signals, {
                "code": RGE_EXPIRED_SIGNAL, "label": "RGE expiré", "message": message,
                "rge_valid_until": until.isoformat(), "detected_at": timezone.now().isoformat(),
            }]
            locked.has_fraud_signal = True
            locked.save(update_fields=["fraud_signals", "has_fraud_signal", "updated_at"])
            log_activity("fraud_signal", target=locked, description=f"Signal : {message}",
                         metadata={"code": RGE_EXPIRED_SIGNAL, "rge_valid_until": until.isoformat()})
        flagged += 1
    return flagged


def remind_idle_drafts(now: dt.datetime | None = None) -> int:
    """E-mail each installer the drafts it left untouched ``CEE_DRAFT_REMINDER_DAYS`` days, one
    message per installer; each draft is reminded once per version (a draft changed since is
    reminded again when it lies idle again). Returns the number of drafts reminded."""
    now = now or timezone.now()
    by_installer: dict[int, list[Dossier]] = defaultdict(list)
    for dossier in idle_drafts(now, conf.draft_reminder_days()):
        by_installer[dossier.installer_id].append(dossier)
    reminded = 0
    for drafts in by_installer.values():
        installer = drafts[0].installer
        recipients = installer.email_addresses()
        if not recipients:
            continue
        with transaction.atomic():
            fresh = [
                draft for draft in drafts
                if _once(NoticeKind.DRAFT_REMINDER, f"{draft.pk}:{draft.updated_at.isoformat()}", installer=installer,
                         dossier=draft, recipients=recipients, detail=f"Brouillon {draft.reference}")
            ]
            if not fresh:
                continue
            send_templated_email("draft_reminder", {
                "installer": installer, "drafts": fresh, "portal_url": _portal_url(),
                "idle_days": conf.draft_reminder_days(),
            }, recipients)
        reminded += len(fresh)
    return reminded


def send_weekly_report(today: dt.date | None = None) -> bool:
    """E-mail the back office the figures of the last full week (Monday to Sunday): dossiers
    submitted, decisions, decision delays, premiums approved, open dossiers by status. Once
    per week. Returns whether it was sent now."""
    today = today or timezone.localdate()
    start = today - dt.timedelta(days=today.weekday() + 7)
    end = start + dt.timedelta(days=7)
    recipients = conf.weekly_report_recipients() or administrator_addresses()
    if not recipients:
        logger.warning("Weekly report of %s: nobody to send it to", start)
        return False
    year, week, _ = start.isocalendar()
    with transaction.atomic():
        if not _once(NoticeKind.WEEKLY_REPORT, f"{year}-W{week:02d}", recipients=recipients,
                     detail=f"Semaine du {start:%d/%m/%Y}"):
            return False
        figures = weekly_figures(start, end, timezone.get_current_timezone())
        send_templated_email("weekly_report", {
            "figures": figures, "week": week, "last_day": end - dt.timedelta(days=1),
            "admin_url": settings.SITE_URL.rstrip("/") + "/admin/",
        }, recipients)
    return True
