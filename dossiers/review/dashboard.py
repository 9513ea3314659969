"""The figures of the admin dashboard: where the dossiers are, how fast they are decided,
where extraction goes wrong, which rules are overridden, who decides how much.

``dashboard_figures()`` reads (a fixed number of grouped queries, whatever the volume) and
returns plain data; the admin index draws it (``templates/admin/index.html``), with small
inline SVG charts computed here so that no chart library (nor network) is needed.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from extraction.models import EngineConfig, HumanFeedback, ModelMetric, RankingModel
from extraction.ranking import BASELINE_ENGINE, ENGINE
from rules.models import RuleResult

from ..models import Dossier, DossierStatus

CACHE_KEY = "review-dashboard-figures"
CACHE_SECONDS = 60
DECIDED_STATUSES = (DossierStatus.APPROVED, DossierStatus.REJECTED, DossierStatus.INVOICED, DossierStatus.PAID)
APPROVED_STATUSES = (DossierStatus.APPROVED, DossierStatus.INVOICED, DossierStatus.PAID)
SERIES_DAYS = 14
CHART_WIDTH, CHART_HEIGHT = 560.0, 140.0
MEDIAN_WINDOW_DAYS = 30
TOP = 8


@dataclass
class Bar:
    label: str
    value: float
    width: float  # % of the longest bar
    detail: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class DaySeries:
    """Two series per day (submitted, decided) drawn as grouped bars in an SVG."""

    days: list
    submitted: list[int]
    decided: list[int]
    bars: list[dict]
    ticks: list[dict]
    max_value: int


@dataclass
class DashboardFigures:
    status_bars: list[Bar]
    queue_total: int
    submitted_today: int
    submitted_week: int
    approved_today: int
    approved_week: int
    rejected_today: int
    rejected_week: int
    median_decision_hours: float | None
    decisions_in_window: int
    series: DaySeries
    field_corrections: list[Bar]
    engine_corrections: list[Bar]
    rule_overrides: list[Bar]
    validator_throughput: list[Bar]
    generated_at: datetime
    model_metrics: list[dict] = field(default_factory=list)


def _day_start(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _bars(rows: list[tuple[str, float, str]], extra: list[dict] | None = None) -> list[Bar]:
    top = max((value for _, value, _ in rows), default=0) or 1
    return [
        Bar(label=label, value=value, width=round(100 * value / top, 1), detail=detail, extra=(extra or [{}] * len(rows))[i])
        for i, (label, value, detail) in enumerate(rows)
    ]


def median_decision_seconds(since: datetime) -> tuple[float | None, int]:
    """Median of submission → decision durations of the dossiers decided since ``since``."""
    decided = Dossier.objects.filter(validated_at__gte=since, processing_seconds__isnull=False)
    if connection.vendor == "postgresql":
        sql, params = decided.values("processing_seconds").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY processing_seconds), count(*) "
                f"FROM ({sql}) AS decided",
                params,
            )
            median, count = cursor.fetchone()
        return (float(median) if median is not None else None), count
    values = list(decided.values_list("processing_seconds", flat=True))
    return (statistics.median(values) if values else None), len(values)


def _series(today) -> DaySeries:
    first = today - timedelta(days=SERIES_DAYS - 1)
    start = _day_start(first)
    zone = timezone.get_current_timezone()
    submitted = dict(
        Dossier.objects.filter(submitted_at__gte=start)
        .annotate(day=TruncDate("submitted_at", tzinfo=zone)).values_list("day").annotate(n=Count("pk")).order_by()
    )
    decided = dict(
        Dossier.objects.filter(validated_at__gte=start, status__in=DECIDED_STATUSES)
        .annotate(day=TruncDate("validated_at", tzinfo=zone)).values_list("day").annotate(n=Count("pk")).order_by()
    )
    days = [first + timedelta(days=i) for i in range(SERIES_DAYS)]
    sub = [submitted.get(day, 0) for day in days]
    dec = [decided.get(day, 0) for day in days]
    top = max(sub + dec + [1])
    # Geometry of a 560×160 chart (drawn about 1:1, so its text stays small): each day a
    # slot of 40 px holding two 14 px bars.
    height, slot = CHART_HEIGHT, CHART_WIDTH / SERIES_DAYS
    bars, ticks = [], []
    for i, day in enumerate(days):
        x = i * slot
        for offset, value, kind in ((5, sub[i], "sub"), (20, dec[i], "dec")):
            h = round(height * value / top, 1)
            bars.append({"x": round(x + offset, 1), "y": round(height - h, 1), "h": h, "kind": kind,
                         "title": f"{day:%d/%m} : {value} {'soumis' if kind == 'sub' else 'décidés'}"})
        if i % 2 == 1 or i == SERIES_DAYS - 1:
            ticks.append({"x": round(x + slot / 2, 1), "label": f"{day:%d/%m}"})
    return DaySeries(days=days, submitted=sub, decided=dec, bars=bars, ticks=ticks, max_value=top)


def _correction_bars(group_by: list[str], label) -> list[Bar]:
    rows = (
        HumanFeedback.objects.values(*group_by)
        .annotate(
            total=Count("pk"),
            bad=Count("pk", filter=Q(kind__in=[HumanFeedback.Kind.CORRECTED, HumanFeedback.Kind.WRONG])),
        )
        .order_by()
    )
    scored = sorted(
        ((label(row), row["bad"] / row["total"], row["bad"], row["total"]) for row in rows if row["total"]),
        key=lambda item: (-item[1], -item[3]),
    )[:TOP]
    return [
        Bar(label=name, value=round(rate * 100, 1), width=round(rate * 100, 1), detail=f"{bad}/{total}")
        for name, rate, bad, total in scored
    ]


def _override_bars() -> list[Bar]:
    rows = (
        RuleResult.objects.filter(overridden=True)
        .values("rule__code", "rule__name").annotate(n=Count("pk")).order_by("-n", "rule__code")[:TOP]
    )
    return _bars([(row["rule__name"] or row["rule__code"], row["n"], row["rule__code"]) for row in rows])


def _throughput_bars(since: datetime) -> list[Bar]:
    rows = (
        Dossier.objects.filter(validated_at__gte=since, validated_by__isnull=False)
        .values("validated_by__first_name", "validated_by__last_name", "validated_by__email")
        .annotate(
            n=Count("pk"),
            approved=Count("pk", filter=Q(status__in=APPROVED_STATUSES)),
            rejected=Count("pk", filter=Q(status=DossierStatus.REJECTED)),
        )
        .order_by("-n")[:TOP]
    )
    data = [
        (
            f"{row['validated_by__first_name']} {row['validated_by__last_name']}".strip() or row["validated_by__email"],
            row["n"],
            f"{row['approved']} validés, {row['rejected']} refusés",
        )
        for row in rows
    ]
    bars = _bars(data)
    for bar, row in zip(bars, rows):
        bar.extra = {
            "approved_width": round(bar.width * row["approved"] / row["n"], 1) if row["n"] else 0,
            "rejected_width": round(bar.width * row["rejected"] / row["n"], 1) if row["n"] else 0,
        }
    return bars


MODEL_VERSIONS_SHOWN = 3


def _version_number(text: str) -> int:
    digits = text.lstrip("v")
    return int(digits) if digits.isdigit() else 0


def _model_metrics() -> list[dict]:
    """The learned ranking's figures per field and version (the newest versions first), each
    beside the rule-based order measured on the same validated documents (two queries)."""
    used = set(RankingModel.objects.filter(is_active=True).values_list("field_name", "version"))
    rows = (ModelMetric.objects.filter(task=EngineConfig.Task.EXTRACTION, engine__in=[ENGINE, BASELINE_ENGINE])
            .order_by("-measured_at", "-pk")
            .values("field_name", "engine", "engine_version", "precision", "recall", "f1", "sample_size", "measured_at")[:300])
    versions: dict[tuple[str, str], dict] = {}
    for row in rows:
        key = (row["field_name"], row["engine_version"])
        entry = versions.setdefault(key, {"field": row["field_name"], "version": row["engine_version"],
                                          "measured_at": row["measured_at"], "documents": row["sample_size"],
                                          "used": (row["field_name"], _version_number(row["engine_version"])) in used})
        entry["model" if row["engine"] == ENGINE else "rules"] = row
    shown: dict[str, int] = {}
    out = []
    for entry in sorted(versions.values(), key=lambda e: (e["field"], -_version_number(e["version"]))):
        if "model" in entry and shown.get(entry["field"], 0) < MODEL_VERSIONS_SHOWN:
            shown[entry["field"]] = shown.get(entry["field"], 0) + 1
            out.append(entry)
    return out


def compute_dashboard_figures() -> DashboardFigures:
    """Every dashboard figure, fresh (about ten grouped queries)."""
    now = timezone.now()
    today = timezone.localdate()
    today_start = _day_start(today)
    week_start = _day_start(today - timedelta(days=today.weekday()))

    by_status = dict(Dossier.objects.values_list("status").annotate(n=Count("pk")).order_by())
    status_rows = [(label, by_status.get(value, 0), value) for value, label in DossierStatus.choices]
    status_bars = _bars(status_rows)

    counts = Dossier.objects.aggregate(
        submitted_today=Count("pk", filter=Q(submitted_at__gte=today_start)),
        submitted_week=Count("pk", filter=Q(submitted_at__gte=week_start)),
        approved_today=Count("pk", filter=Q(validated_at__gte=today_start, status__in=APPROVED_STATUSES)),
        approved_week=Count("pk", filter=Q(validated_at__gte=week_start, status__in=APPROVED_STATUSES)),
        rejected_today=Count("pk", filter=Q(validated_at__gte=today_start, status=DossierStatus.REJECTED)),
        rejected_week=Count("pk", filter=Q(validated_at__gte=week_start, status=DossierStatus.REJECTED)),
    )
    median, decided_count = median_decision_seconds(now - timedelta(days=MEDIAN_WINDOW_DAYS))
    return DashboardFigures(
        status_bars=status_bars,
        queue_total=by_status.get(DossierStatus.READY_FOR_REVIEW, 0) + by_status.get(DossierStatus.IN_REVIEW, 0),
        median_decision_hours=round(median / 3600, 1) if median is not None else None,
        decisions_in_window=decided_count,
        series=_series(today),
        field_corrections=_correction_bars(
            ["document_type_code", "field_name"], lambda row: f"{row['document_type_code']}.{row['field_name']}"
        ),
        engine_corrections=_correction_bars(
            ["engine_name", "engine_version"],
            lambda row: f"{row['engine_name'] or '?'} {row['engine_version']}".strip(),
        ),
        rule_overrides=_override_bars(),
        validator_throughput=_throughput_bars(now - timedelta(days=7)),
        generated_at=now,
        model_metrics=_model_metrics(),
        **counts,
    )


def dashboard_figures() -> DashboardFigures:
    """The dashboard figures, computed at most once a minute (the index page is opened often)."""
    return cache.get_or_set(CACHE_KEY, compute_dashboard_figures, CACHE_SECONDS)
