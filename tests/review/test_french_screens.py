"""What a validator meets every day, in French: fraud signals apart from points of attention,
durations and amounts written the French way, the queue exported as filtered."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.review.screen import dossier_for_review
from tests.factories import DocumentFactory, DossierFactory

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("admin:dossiers_dossier_changelist")


def ready(**kwargs):
    kwargs.setdefault("status", "ready_for_review")
    kwargs.setdefault("submitted_at", timezone.now() - timedelta(days=1))
    return DossierFactory(**kwargs)


def flagged_dossier():
    dossier = ready(has_fraud_signal=True, fraud_signals=[{
        "code": "duplicate_file_other_installer",
        "message": "Le fichier « devis.pdf » est identique à un fichier déposé par un autre installateur.",
    }])
    DocumentFactory(dossier=dossier, original_filename="devis.pdf", flags=[
        {"code": "duplicate_file_other_installer", "message": "Fichier identique déjà déposé par un autre installateur."},
        {"code": "low_classification_confidence", "message": "Type incertain (confiance 0.41)."},
    ])
    return dossier


def test_low_classification_confidence_is_a_point_of_attention_not_a_fraud_signal():
    data = dossier_for_review(flagged_dossier().pk)

    assert [signal["label"] for signal in data.fraud_signals] == ["Fichier identique déposé par un autre installateur"]
    assert [point["label"] for point in data.attention_points] == ["Type de document incertain"]
    assert "devis.pdf" in data.attention_points[0]["detail"]


def test_the_review_screen_names_signals_in_french(client, validator):
    dossier = flagged_dossier()
    client.force_login(validator)
    html = client.get(reverse("admin:dossiers_dossier_review", args=[dossier.pk])).content.decode()

    assert "1</b> signal de fraude" in html
    assert "signalaux" not in html
    assert "Points d'attention" in html and "Type de document incertain" in html
    assert "Duplicate file" not in html and "Low classification" not in html


def test_two_fraud_signals_are_written_signaux(client, validator):
    dossier = ready(has_fraud_signal=True, fraud_signals=[{"code": "duplicate_invoice"}, {"code": "same_address"}])
    client.force_login(validator)
    html = client.get(reverse("admin:dossiers_dossier_review", args=[dossier.pk])).content.decode()
    assert "2</b> signaux de fraude" in html


def test_the_dossier_page_writes_the_processing_time_in_days_and_hours(client, administrator):
    dossier = ready(processing_seconds=10968971)
    client.force_login(administrator)
    html = client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk])).content.decode()
    assert "126\u00a0j 22\u00a0h" in html
    assert "10968971" not in html


def test_the_activity_log_shows_actions_in_french(client, administrator):
    from accounts.activity import log_activity

    dossier = ready()
    log_activity("status_changed", target=dossier, description="Soumis → Prêt pour revue")
    client.force_login(administrator)
    html = client.get(reverse("admin:accounts_activity_changelist")).content.decode()
    assert "Changement de statut" in html
    assert ">status_changed<" not in html
    for english in ("Created at", "ACTOR", "Actor", "IP address", "Ip address"):
        assert english not in html, english


def test_the_rule_history_names_its_columns_in_french_and_an_empty_reason_as_a_dash(client, administrator):
    from rules.models import Rule

    rule = Rule.objects.order_by("pk").first()
    rule.description = rule.description + " (modifiée)"
    rule.save()
    client.force_login(administrator)
    html = client.get(reverse("admin:rules_rule_history", args=[rule.pk])).content.decode()
    assert "Modifications" in html and "Motif de la modification" in html
    assert ">Changes<" not in html and "None" not in html


def test_the_queue_exports_what_it_shows_with_its_filters(client, validator):
    kept = ready(beneficiary_name="Hélène Lefèvre")
    other = ready(beneficiary_name="Paul Martin")
    ready(status="approved", beneficiary_name="Approuvé Déjà")
    client.force_login(validator)

    html = client.get(QUEUE_URL, {"q": "lefevre"}).content.decode()
    csv_url = reverse("billing:export-changelist", args=["dossiers", "dossier", "csv"]) + "?q=lefevre"
    assert csv_url in html
    assert reverse("billing:export-changelist", args=["dossiers", "dossier", "xlsx"]) + "?q=lefevre" in html

    response = client.get(csv_url)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body, newline=""), delimiter=";"))
    assert {row["Référence"] for row in rows} == {kept.reference}

    everything = client.get(reverse("billing:export-changelist", args=["dossiers", "dossier", "csv"]))
    body = b"".join(everything.streaming_content).decode("utf-8-sig")
    listed = {row["Référence"] for row in csv.DictReader(io.StringIO(body, newline=""), delimiter=";")}
    assert listed == {kept.reference, other.reference}  # the queue's default: ready and in review
