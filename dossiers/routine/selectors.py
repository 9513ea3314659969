"""Reads of the routine jobs: whom to warn, what to flag, which drafts lie idle, the week's figures."""
from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from accounts.models import Installer, Role, User

from ..models import Dossier, DossierStatus

# Dossiers a validator may still act on: an expired RGE is flagged on these.
OPEN_STATUSES = [DossierStatus.SUBMITTED, DossierStatus.PROCESSING, DossierStatus.AWAITING_DOCUMENTS,
                 DossierStatus.READY_FOR_REVIEW, DossierStatus.IN_REVIEW]


def installers_with_rge_ending(today: dt.date, within_days: int):
    """Active installers whose RGE ends between today and ``within_days`` days from now."""
    return Installer.objects.filter(
        is_active=True, rge_valid_until__gte=today, rge_valid_until__lte=today + dt.timedelta(days=within_days),
    ).exclude(rge_number="").order_by("rge_valid_until", "pk")


def open_dossiers_of_expired_rge(today: dt.date):
    """Open dossiers of installers whose RGE ended before ``today``."""
    return Dossier.objects.filter(
        status__in=OPEN_STATUSES, installer__rge_valid_until__lt=today,
    ).exclude(installer__rge_number="").select_related("installer").order_by("pk")


def idle_drafts(now: dt.datetime, idle_days: int):
    """Drafts nobody changed for ``idle_days`` days, by installer."""
    return Dossier.objects.filter(
        status=DossierStatus.DRAFT, updated_at__lt=now - dt.timedelta(days=idle_days), installer__is_active=True,
    ).select_related("installer").order_by("installer_id", "created_at", "pk")


@dataclass
class WeeklyFigures:
    start: dt.date
    end: dt.date  # exclusive
    submitted: int
    approved: int
    rejected: int
    median_days: float | None
    mean_days: float | None
    premiums_eur: Decimal
    open_by_status: list[tuple[str, int]]


def weekly_figures(start: dt.date, end: dt.date, tz) -> WeeklyFigures:
    """Dossiers submitted and decided in [start, end), decision delays (days from submission),
    premiums approved, and today's open dossiers by status."""
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end, dt.time.min, tzinfo=tz)
    submitted = Dossier.objects.filter(submitted_at__gte=since, submitted_at__lt=until).count()
    decided = Dossier.objects.filter(validated_at__gte=since, validated_at__lt=until)
    approved = decided.exclude(status=DossierStatus.REJECTED)
    delays = [
        (validated - submitted_at).total_seconds() / 86400
        for validated, submitted_at in decided.exclude(submitted_at=None).values_list("validated_at", "submitted_at")
    ]
    by_status = dict(
        Dossier.objects.filter(status__in=OPEN_STATUSES).values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return WeeklyFigures(
        start=start, end=end, submitted=submitted,
        approved=approved.count(), rejected=decided.filter(status=DossierStatus.REJECTED).count(),
        median_days=round(statistics.median(delays), 1) if delays else None,
        mean_days=round(statistics.fmean(delays), 1) if delays else None,
        premiums_eur=approved.aggregate(total=Sum("premium_eur"))["total"] or Decimal("0"),
        open_by_status=[(DossierStatus(status).label, by_status.get(status, 0)) for status in OPEN_STATUSES],
    )


def administrator_addresses() -> list[str]:
    return list(
        User.objects.filter(Q(role=Role.ADMINISTRATOR) | Q(is_superuser=True), is_active=True).exclude(email="")
        .order_by("pk").values_list("email", flat=True)
    )
