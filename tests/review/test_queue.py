"""The queue: what it lists by default, in which order, its filters, search, counts and actions."""
from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dossiers.models import DossierStatus
from dossiers.review.queue import QueueFilters, review_queue
from tests.factories import AdministratorFactory, DossierFactory, DossierOperationFactory, InstallerFactory

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("admin:dossiers_dossier_changelist")


def ready(**kwargs):
    kwargs.setdefault("status", DossierStatus.READY_FOR_REVIEW)
    kwargs.setdefault("submitted_at", timezone.now() - timedelta(days=1))
    return DossierFactory(**kwargs)


def test_the_queue_lists_ready_and_in_review_dossiers_most_urgent_then_oldest():
    now = timezone.now()
    urgent_old = ready(priority=80, submitted_at=now - timedelta(days=10))
    urgent_new = ready(priority=80, submitted_at=now - timedelta(days=1))
    calm = ready(priority=20, submitted_at=now - timedelta(days=40))
    in_review = ready(status=DossierStatus.IN_REVIEW, priority=50)
    ready(status=DossierStatus.PROCESSING, priority=100)
    ready(status=DossierStatus.APPROVED, priority=100)

    assert list(review_queue()) == [urgent_old, urgent_new, in_review, calm]


def test_the_queue_filters_compose(validator, other_validator):
    lyon = InstallerFactory(name="Chauffage Lyonnais")
    match = ready(installer=lyon, confidence_score=Decimal("0.55"), failed_rule_count=2, has_fraud_signal=True,
                  assigned_to=validator)
    DossierOperationFactory(dossier=match)
    ready(installer=lyon, confidence_score=Decimal("0.95"), failed_rule_count=0)
    ready(confidence_score=Decimal("0.55"), failed_rule_count=2, has_fraud_signal=True, assigned_to=other_validator)

    filters = QueueFilters(
        operation_code="BAR-TH-171", installer_id=lyon.pk, assigned_to_id=validator.pk, confidence_band="low",
        failed_rules="2-3", fraud=True,
        submitted_from=timezone.localdate() - timedelta(days=2), submitted_to=timezone.localdate(),
    )
    assert list(review_queue(filters)) == [match]
    assert list(review_queue(QueueFilters(submitted_to=timezone.localdate() - timedelta(days=5)))) == []


@pytest.mark.parametrize(
    "term", ["CEE-T-", "dupont jean", "rénov 7", "73282932000", "siret"],
)
def test_search_by_reference_beneficiary_installer_or_siret(term):
    installer = InstallerFactory(name="Énergie Rénov 7 SARL")
    found = ready(installer=installer, beneficiary_name="Dupont Jean-Pierre")
    if term == "siret":
        term = installer.siret
    if term == "73282932000":
        term = installer.siret[:9]  # the SIREN
    results = list(review_queue(QueueFilters(search=term)))
    assert found in results


@pytest.mark.parametrize("term", ["helene lefevre", "HÉLÈNE", "lefèvre", "energie renov", "Cœur"])
def test_search_ignores_accents_and_case_on_both_sides(term):
    found = ready(installer=InstallerFactory(name="Énergie Rénov Cœur de France"), beneficiary_name="Mme Hélène Lefèvre")
    other = ready(installer=InstallerFactory(name="Thermi Sud"), beneficiary_name="M. Jean Martin")

    results = list(review_queue(QueueFilters(search=term)))

    assert found in results and other not in results


def test_the_queue_page_shows_counts_per_status_and_links_to_the_review_screen(client, validator):
    first = ready(priority=90)
    ready(status=DossierStatus.IN_REVIEW, assigned_to=validator)
    ready(status=DossierStatus.AWAITING_DOCUMENTS)
    client.force_login(validator)

    response = client.get(QUEUE_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "File de revue" in html
    assert '<strong>1</strong> prêt pour revue' in html and '<strong>1</strong> en revue' in html
    assert '<strong>1</strong> documents manquants' in html
    assert reverse("admin:dossiers_dossier_review", args=[first.pk]) in html
    assert "vous" in html  # the dossier I hold says so


def test_the_queue_filters_through_the_admin_query_string(client, validator):
    lyon = InstallerFactory(name="Chauffage Lyonnais")
    kept = ready(installer=lyon, confidence_score=Decimal("0.5"))
    dropped = ready(confidence_score=Decimal("0.5"))
    client.force_login(validator)

    response = client.get(QUEUE_URL, {"installateur": "lyonnais", "confiance": "low", "fraude": "non"})

    html = response.content.decode()
    assert kept.reference in html and dropped.reference not in html


def test_queue_query_count_does_not_grow_with_the_number_of_dossiers(client, validator):
    def queue_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(QUEUE_URL, {"fiche": "BAR-TH-171"})
            assert response.status_code == 200
        return len(captured)

    client.force_login(validator)
    for _ in range(3):
        DossierOperationFactory(dossier=ready(assigned_to=validator))
    small = queue_queries()
    for _ in range(40):
        DossierOperationFactory(dossier=ready(installer=InstallerFactory()))
    large = queue_queries()

    assert large == small
    assert small <= 14


def test_assign_to_me_from_the_queue(client, validator):
    dossiers = [ready(), ready()]
    client.force_login(validator)

    response = client.post(QUEUE_URL, {"action": "assign_to_me", "_selected_action": [d.pk for d in dossiers]})

    assert response.status_code == 302
    for dossier in dossiers:
        dossier.refresh_from_db()
        assert dossier.assigned_to == validator


def test_an_administrator_assigns_selected_dossiers_to_a_chosen_validator(client, validator):
    dossiers = [ready(), ready()]
    client.force_login(AdministratorFactory())

    client.post(QUEUE_URL, {"action": "assign_to_chosen_validator", "validator": validator.pk,
                            "_selected_action": [d.pk for d in dossiers]})

    for dossier in dossiers:
        dossier.refresh_from_db()
        assert dossier.assigned_to == validator


def test_a_validator_cannot_assign_dossiers_to_someone_else(client, validator, other_validator):
    dossier = ready()
    client.force_login(validator)

    response = client.post(QUEUE_URL, {"action": "assign_to_chosen_validator", "validator": other_validator.pk,
                                       "_selected_action": [dossier.pk]})

    dossier.refresh_from_db()
    assert dossier.assigned_to is None
    assert response.status_code in (200, 302)  # the admin answers "no action selected"


def test_installers_never_reach_the_queue(client, installer_user):
    client.force_login(installer_user)
    response = client.get(QUEUE_URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_next_button_opens_the_most_urgent_free_dossier(client, validator):
    ready(priority=10)
    urgent = ready(priority=95)
    client.force_login(validator)

    response = client.get(reverse("admin:dossiers_dossier_next"))

    assert response["Location"] == reverse("admin:dossiers_dossier_review", args=[urgent.pk])


def test_reprocessing_is_offered_to_validators_and_invoicing_to_administrators_only(client, validator):
    ready()
    client.force_login(validator)
    html = client.get(QUEUE_URL).content.decode()
    assert 'value="reprocess_dossiers_action"' in html
    assert 'value="create_invoices_action"' not in html and 'value="assign_to_chosen_validator"' not in html

    client.force_login(AdministratorFactory())
    html = client.get(QUEUE_URL).content.decode()
    assert 'value="create_invoices_action"' in html and 'value="assign_to_chosen_validator"' in html


def test_the_queue_rows_are_the_markup_the_admin_would_write(client, validator, monkeypatch):
    """The queue writes its rows itself (dossiers.templatetags.queue_list): the page must be
    byte for byte what Django's result_list gives, held, fraud, empty and missing values included."""
    from dossiers.templatetags import queue_list

    held = ready(priority=90, assigned_to=validator, status=DossierStatus.IN_REVIEW, confidence_score=Decimal("0.55"))
    DossierOperationFactory(dossier=held)
    ready(priority=60, has_fraud_signal=True, fraud_signals=[{"kind": "x"}], confidence_score=None, failed_rule_count=2,
          beneficiary_name="Zoé <Dupont> & fils", submitted_at=None)
    ready(status=DossierStatus.IN_REVIEW, assigned_to=AdministratorFactory(first_name="Anne", last_name="Lenoir"))
    client.force_login(validator)

    fast = client.get(QUEUE_URL, {"o": "-1"}).content.decode()
    monkeypatch.setattr(queue_list, "fast_results", lambda cl: list(queue_list.results(cl)))
    admin_way = client.get(QUEUE_URL, {"o": "-1"}).content.decode()

    def strip(html: str) -> str:  # the CSRF token is masked afresh on every page
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)

    assert "Zoé &lt;Dupont&gt; &amp; fils" in fast and 'class="field-operation_codes"' in fast
    assert fast.count('class="action-checkbox"') == 3
    assert strip(fast) == strip(admin_way)
