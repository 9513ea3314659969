"""The admin dashboard: figures computed from the data, drawn on the admin index."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dossiers.review.dashboard import compute_dashboard_figures
from dossiers.models import DossierStatus
from extraction.models import HumanFeedback
from rules.models import Rule, RuleResult
from tests.factories import DossierFactory, ValidatorFactory

pytestmark = pytest.mark.django_db


def decided(validator, status, *, hours: float, when=None):
    when = when or timezone.now()
    return DossierFactory(
        status=status, submitted_at=when - timedelta(hours=hours), validated_at=when, validated_by=validator,
        processing_seconds=int(hours * 3600),
    )


def feedback(dossier, field, kind, engine="tesseract", version="5.3"):
    return HumanFeedback.objects.create(
        dossier=dossier, document_type_code="facture", field_name=field, kind=kind, engine_name=engine,
        engine_version=version,
    )


def test_figures_by_status_today_median_corrections_overrides_and_throughput(validator):
    other = ValidatorFactory(first_name="Bruno", last_name="Lefèvre")
    now = timezone.now()
    DossierFactory(status=DossierStatus.READY_FOR_REVIEW, submitted_at=now)
    DossierFactory(status=DossierStatus.IN_REVIEW, submitted_at=now - timedelta(days=40))
    first = decided(validator, DossierStatus.APPROVED, hours=10)
    decided(validator, DossierStatus.REJECTED, hours=30)
    decided(other, DossierStatus.APPROVED, hours=50)
    decided(other, DossierStatus.APPROVED, hours=5, when=now - timedelta(days=60))  # outside every window
    for kind in ("corrected", "corrected", "wrong", "confirmed"):
        feedback(first, "montant_ttc", kind)
    feedback(first, "date_facture", "confirmed", engine="pdfplumber", version="0.11")
    rule = Rule.objects.get(code="r11-etas-pac")
    RuleResult.objects.create(dossier=first, rule=rule, rule_version=1, status="failed", overridden=True,
                              override_by=validator, override_at=now, override_reason="Fiche produit jointe")

    figures = compute_dashboard_figures()

    by_status = {bar.detail: bar.value for bar in figures.status_bars}
    assert by_status[DossierStatus.READY_FOR_REVIEW] == 1 and by_status[DossierStatus.APPROVED] == 3
    assert figures.queue_total == 2
    # Three decisions made now, one two months ago.
    assert figures.approved_today + figures.rejected_today == 3
    assert (figures.approved_week, figures.rejected_week) == (2, 1)
    assert figures.median_decision_hours == 30.0 and figures.decisions_in_window == 3
    fields = {bar.label: (bar.value, bar.detail) for bar in figures.field_corrections}
    assert fields["facture.montant_ttc"] == (75.0, "3/4")
    assert fields["facture.date_facture"] == (0.0, "0/1")
    engines = {bar.label: bar.value for bar in figures.engine_corrections}
    assert engines == {"tesseract 5.3": 75.0, "pdfplumber 0.11": 0.0}
    assert [(bar.detail, bar.value) for bar in figures.rule_overrides] == [("r11-etas-pac", 1)]
    throughput = {bar.label: (bar.value, bar.detail) for bar in figures.validator_throughput}
    assert throughput[validator.get_full_name()] == (2, "1 validés, 1 refusés")
    assert throughput["Bruno Lefèvre"] == (1, "1 validés, 0 refusés")
    assert sum(figures.series.decided) == 3


def test_dashboard_query_count_does_not_grow_with_the_data(validator):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            compute_dashboard_figures()
        return len(captured)

    decided(validator, DossierStatus.APPROVED, hours=3)
    small = queries()
    for hours in range(1, 30):
        decided(ValidatorFactory(), DossierStatus.APPROVED if hours % 3 else DossierStatus.REJECTED, hours=hours)
    assert queries() == small


def test_the_admin_index_shows_the_dashboard_to_validators(client, validator):
    cache.clear()
    decided(validator, DossierStatus.APPROVED, hours=4)
    client.force_login(validator)

    html = client.get(reverse("admin:index")).content.decode()

    assert "Dossiers par statut" in html and "Soumis et décidés, 14 derniers jours" in html
    assert "<svg" in html and "délai médian" in html
    assert reverse("admin:dossiers_dossier_next") in html
