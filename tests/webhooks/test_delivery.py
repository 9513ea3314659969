"""Webhook deliveries against a real HTTP receiver: signature, retries, disabling, order, addresses."""
from __future__ import annotations

import datetime
import hashlib
import hmac

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_q.models import Schedule
from django_q.scheduler import scheduler

from dossiers.models import DossierStatus as S
from dossiers.status import transition
from dossiers.webhooks import services, signing
from dossiers.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


def endpoint_for(installer_user, receiver, **kwargs) -> WebhookEndpoint:
    return services.create_endpoint(installer=installer_user.installer, url=receiver.url, user=installer_user, **kwargs)


def move(dossier, target, capture, actor=None, **kwargs):
    with capture(execute=True):
        transition(dossier, target, actor=actor, **kwargs)


def make_due(delivery: WebhookDelivery) -> None:
    """Time passes: the planned retry (the delivery and its django-q2 schedule) is due now."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=past)
    Schedule.objects.filter(args=repr((delivery.pk,))).update(next_run=past)
    Schedule.objects.filter(args=str(delivery.pk)).update(next_run=past)


def test_a_status_change_is_posted_signed_with_the_endpoint_secret(installer_user, dossier, receiver,
                                                                     django_capture_on_commit_callbacks):
    endpoint = endpoint_for(installer_user, receiver)
    move(dossier, S.SUBMITTED, django_capture_on_commit_callbacks, actor=installer_user)

    [request] = receiver.requests
    assert request.path == "/hooks/cee" and request.headers["Content-Type"] == "application/json"
    header = request.headers["X-CEE-Signature"]
    # What an installer's receiver does (README): HMAC-SHA256 of "<t>.<body>" with the secret.
    parts = dict(item.split("=", 1) for item in header.split(","))
    expected = hmac.new(endpoint.secret.encode(), parts["t"].encode() + b"." + request.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected)
    assert signing.verify(endpoint.secret, header, request.body)
    assert not signing.verify("whsec_autre", header, request.body)
    assert not signing.verify(endpoint.secret, header, request.body + b" ")
    body = request.json
    assert body["event"] == "dossier.status_changed" == request.headers["X-CEE-Event"]
    assert body["id"] == request.headers["X-CEE-Delivery"]
    assert body["data"]["dossier"]["reference"] == dossier.reference
    assert (body["data"]["from_status"], body["data"]["to_status"]) == ("draft", "submitted")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 1, 200)
    assert delivery.response_excerpt == "reçu (200)" and delivery.next_attempt_at is None


def test_only_the_subscribed_events_of_the_company_are_sent(installer_user, dossier, receiver, validator,
                                                           django_capture_on_commit_callbacks):
    endpoint_for(installer_user, receiver, events=[WebhookEvent.REJECTED])
    other = DossierFactory(status=S.IN_REVIEW)  # another company's dossier
    move(dossier, S.SUBMITTED, django_capture_on_commit_callbacks, actor=installer_user)
    move(other, S.REJECTED, django_capture_on_commit_callbacks, actor=validator, reason="Pièces illisibles")
    assert receiver.requests == []
    dossier.status = S.IN_REVIEW
    dossier.save(update_fields=["status"])
    move(dossier, S.REJECTED, django_capture_on_commit_callbacks, actor=validator, reason="Pièces illisibles")
    [request] = receiver.requests
    assert request.json["event"] == "dossier.rejected" and request.json["data"]["reason"] == "Pièces illisibles"


def test_a_failed_delivery_is_retried_by_a_once_schedule_then_succeeds(installer_user, dossier, receiver,
                                                                      django_capture_on_commit_callbacks):
    endpoint_for(installer_user, receiver)
    receiver.statuses.extend([500])
    before = timezone.now()
    move(dossier, S.SUBMITTED, django_capture_on_commit_callbacks, actor=installer_user)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.last_error == "Réponse HTTP 500"
    # Exponential backoff: 60 s after the first attempt, through a django-q2 schedule run once.
    assert before + datetime.timedelta(seconds=59) <= delivery.next_attempt_at <= timezone.now() + datetime.timedelta(seconds=61)
    schedule = Schedule.objects.get(func="dossiers.webhooks.tasks.deliver_webhook")
    assert schedule.schedule_type == Schedule.ONCE and schedule.next_run == delivery.next_attempt_at
    assert services.backoff_seconds(2) == 120 and services.backoff_seconds(30) == 6 * 3600

    scheduler()  # not due yet: nothing is sent
    assert len(receiver.requests) == 1
    make_due(delivery)
    scheduler()  # django-q2's scheduler runs the task of the due schedule

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 2, 200)
    assert [r.json["id"] for r in receiver.requests] == [str(delivery.event_id)] * 2
    assert not Schedule.objects.filter(func="dossiers.webhooks.tasks.deliver_webhook").exists()
    assert WebhookEndpoint.objects.get().consecutive_failures == 0


def test_after_n_failures_in_a_row_the_endpoint_is_disabled_and_the_installer_told(
        settings, installer_user, receiver, django_capture_on_commit_callbacks, client):
    settings.CEE_WEBHOOK_DISABLE_AFTER = 3
    endpoint = endpoint_for(installer_user, receiver)
    receiver.statuses.extend([503, 503, 503])
    dossiers = [DossierFactory(installer=installer_user.installer) for _ in range(4)]
    for dossier in dossiers:
        move(dossier, S.SUBMITTED, django_capture_on_commit_callbacks, actor=installer_user)

    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.consecutive_failures == 3
    assert "3 échecs consécutifs" in endpoint.disabled_reason
    assert len(receiver.requests) == 3  # the fourth event waits for the reactivation
    [message] = mail.outbox
    assert "Webhook désactivé après 3 échecs" in message.subject and installer_user.email in message.to
    client.force_login(installer_user)
    page = client.get(f"/portail/webhooks/{endpoint.pk}/").content.decode()
    assert "Webhook désactivé" in page and "Réactiver" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/portail/webhooks/{endpoint.pk}/reactiver/")
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.consecutive_failures == 0
    assert WebhookDelivery.objects.filter(status="succeeded").count() == 4
    assert len(receiver.requests) == 3 + 4


def test_one_dossiers_events_are_delivered_in_order(installer_user, dossier, receiver, django_capture_on_commit_callbacks):
    endpoint_for(installer_user, receiver)
    receiver.statuses.extend([500])
    move(dossier, S.SUBMITTED, django_capture_on_commit_callbacks, actor=installer_user)
    move(dossier, S.PROCESSING, django_capture_on_commit_callbacks)
    first, second = WebhookDelivery.objects.order_by("pk")
    # The second event waits while the first one is being retried.
    assert len(receiver.requests) == 1
    second.refresh_from_db()
    assert second.status == "pending" and second.attempts == 0
    assert services.attempt_delivery(second.pk).attempts == 0

    make_due(first)
    scheduler()
    assert [r.json["data"]["to_status"] for r in receiver.requests] == ["submitted", "submitted", "processing"]
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}


def test_a_move_sends_its_own_event_after_the_status_change(installer_user, receiver, django_capture_on_commit_callbacks,
                                                            validator):
    endpoint_for(installer_user, receiver)
    dossier = DossierFactory(installer=installer_user.installer, status=S.IN_REVIEW)
    move(dossier, S.APPROVED, django_capture_on_commit_callbacks, actor=validator)
    assert [r.json["event"] for r in receiver.requests] == ["dossier.status_changed", "dossier.approved"]
    dossier = DossierFactory(installer=installer_user.installer, status=S.PROCESSING, missing_documents=[{"code": "devis"}])
    move(dossier, S.AWAITING_DOCUMENTS, django_capture_on_commit_callbacks)
    assert receiver.requests[-1].json["event"] == "dossier.documents_missing"
    assert receiver.requests[-1].json["data"]["missing_documents"] == [{"code": "devis"}]


def test_invoice_and_payment_events_come_from_billing(installer_user, administrator, receiver,
                                                      django_capture_on_commit_callbacks):
    import datetime as dt

    from billing.services import record_payment
    from dossiers.workflow.invoicing import create_invoice_for_dossier
    from tests.billing.conftest import make_approved_dossier

    endpoint_for(installer_user, receiver, events=[WebhookEvent.INVOICE_ISSUED, WebhookEvent.PAYMENT_RECEIVED])
    dossier = make_approved_dossier(installer=installer_user.installer)
    with django_capture_on_commit_callbacks(execute=True):
        invoice = create_invoice_for_dossier(dossier, user=administrator)
    with django_capture_on_commit_callbacks(execute=True):
        record_payment(invoice, amount=invoice.total_eur, date=dt.date.today(), method="transfer", user=administrator)
    issued, paid = [r.json for r in receiver.requests]
    assert issued["event"] == "invoice.issued" and issued["data"]["invoice"]["number"] == invoice.number
    assert paid["event"] == "payment.received" and paid["data"]["payment"]["amount"] == str(invoice.total_eur)
    assert paid["data"]["invoice"]["status"] == "paid"


def test_private_and_loopback_addresses_are_refused_unless_allowed(settings, installer_user, dossier, receiver,
                                                                   django_capture_on_commit_callbacks):
    endpoint = endpoint_for(installer_user, receiver)  # registered while allowed
    settings.CEE_WEBHOOK_ALLOW_PRIVATE = False
    for url in (receiver.url, "http://localhost:8161/", "http://10.1.2.3/", "http://169.254.169.254/latest",
                "http://[::1]:8161/", "http://192.168.0.10/", "ftp://example.fr/"):
        with pytest.raises(ValidationError) as refused:
            services.create_endpoint(installer=installer_user.installer, url=url)
        assert "url" in refused.value.message_dict
    move(dossier, S.SUBMITTED, django_capture_on_commit_callbacks, actor=installer_user)
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.last_status_code is None and "adresse privée" in delivery.last_error


def test_a_test_send_is_tried_once_and_does_not_count_towards_disabling(installer_user, receiver):
    endpoint = endpoint_for(installer_user, receiver)
    receiver.statuses.extend([500])
    delivery = services.send_test(endpoint)
    assert (delivery.status, delivery.last_status_code, delivery.next_attempt_at) == ("failed", 500, None)
    assert WebhookEndpoint.objects.get().consecutive_failures == 0
    assert services.send_test(endpoint).status == "succeeded"
    assert receiver.requests[-1].json["event"] == "webhook.test"


def test_the_readme_signature_check_accepts_a_real_delivery(installer_user, dossier, receiver,
                                                            django_capture_on_commit_callbacks):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    snippet = readme.split("## Webhooks", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(snippet, namespace)  # the installers' few lines, as published
    endpoint = endpoint_for(installer_user, receiver)
    move(dossier, S.SUBMITTED, django_capture_on_commit_callbacks, actor=installer_user)
    [request] = receiver.requests
    assert namespace["is_from_cee"](endpoint.secret, request.headers["X-CEE-Signature"], request.body)
    assert not namespace["is_from_cee"]("whsec_autre", request.headers["X-CEE-Signature"], request.body)


def test_a_name_that_does_not_resolve_is_registered_but_each_delivery_checks_it(settings, installer_user, dossier,
                                                                                 django_capture_on_commit_callbacks):
    settings.CEE_WEBHOOK_ALLOW_PRIVATE = False
    endpoint = services.create_endpoint(installer=installer_user.installer, url="https://erp.cee-test.invalid/hooks")
    move(dossier, S.SUBMITTED, django_capture_on_commit_callbacks, actor=installer_user)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == "pending" and "ne se résout pas" in delivery.last_error and delivery.next_attempt_at


def test_a_move_reads_the_endpoints_with_the_dossier_and_writes_for_a_company_that_has_one(installer_user, dossier):
    with CaptureQueriesContext(connection) as queries:
        transition(dossier, S.SUBMITTED, actor=installer_user)
    assert not [q["sql"] for q in queries if q["sql"].startswith('SELECT "dossiers_webhookendpoint".')]
    assert WebhookDelivery.objects.count() == 0

    # a disabled endpoint gets its deliveries too (sent when it is reactivated): no request here
    endpoint = WebhookEndpoint.objects.create(installer=installer_user.installer, url="https://hooks.example.com/cee",
                                              secret="whsec_x", is_active=False)
    transition(DossierFactory(installer=installer_user.installer, created_by=installer_user), S.SUBMITTED,
               actor=installer_user)
    [delivery] = WebhookDelivery.objects.all()
    assert (delivery.endpoint, delivery.event) == (endpoint, WebhookEvent.STATUS_CHANGED)
