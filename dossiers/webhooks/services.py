"""Writes on webhooks: register, remove, reactivate, test, and one attempt of one delivery.

A delivery is attempted by a django-q2 task (``tasks.deliver_webhook``). A failed attempt
(no answer, or a status outside 2xx) is tried again later with an exponential backoff
(``CEE_WEBHOOK_RETRY_BASE_SECONDS`` × 2^(attempt−1), at most 6 h): a django-q2 schedule of
type ONCE at that time runs the task again. After ``CEE_WEBHOOK_MAX_ATTEMPTS`` attempts the
delivery is abandoned; after ``CEE_WEBHOOK_DISABLE_AFTER`` failed attempts in a row the
endpoint is disabled and the installer receives an e-mail. One endpoint's deliveries about
one dossier go out in order: a delivery waits while an earlier one is pending, and the end
of each one (success or abandon) sends the next.
"""
from __future__ import annotations

import datetime
import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.activity import log_activity
from cee.mail import send_templated_email

from . import conf, signing, transport
from .events import envelope
from .models import SUBSCRIBABLE_EVENTS, WebhookDelivery, WebhookEndpoint, WebhookEvent

logger = logging.getLogger(__name__)
MAX_BACKOFF_SECONDS = 6 * 3600
PENDING = WebhookDelivery.Status.PENDING


def backoff_seconds(attempts: int) -> int:
    """Wait before the attempt that follows attempt number ``attempts`` (1, 2, …)."""
    return min(conf.retry_base_seconds() * 2 ** (attempts - 1), MAX_BACKOFF_SECONDS)


# --- Endpoints ---------------------------------------------------------------------------

def _validate(url: str, events: list[str]) -> None:
    unknown = [e for e in events if e not in {str(s) for s in SUBSCRIBABLE_EVENTS}]
    if unknown:
        raise ValidationError({"events": [f"Événement inconnu : {', '.join(unknown)}."]})
    try:
        transport.check_url(url, unresolved_ok=True)
    except transport.AddressRefused as refused:
        raise ValidationError({"url": [str(refused)]})


@transaction.atomic
def create_endpoint(*, installer, url: str, events: list[str] | None = None, description: str = "", user=None,
                    request=None) -> WebhookEndpoint:
    """Register ``url`` for ``installer``'s events (all of them when ``events`` is empty).

    The URL must be http(s) and its host, when it resolves, to public addresses only
    (unless ``CEE_WEBHOOK_ALLOW_PRIVATE``); each delivery checks it again. Returns the endpoint with its new ``secret``, the only time
    the caller may show it. Raises ``ValidationError`` keyed by field.
    """
    events = list(dict.fromkeys(events or []))
    _validate(url, events)
    endpoint = WebhookEndpoint(
        installer=installer, url=url, events=events, description=description, secret=signing.new_secret(), created_by=user,
    )
    # The URL was checked above as the API's schema states it; Django's URLValidator would
    # refuse some that the schema allows (a host name over 253 characters): those fail at delivery.
    endpoint.full_clean(exclude=["url"])
    endpoint.save()
    log_activity("webhook_created", actor=user, target=endpoint, description=f"Webhook créé : {url}", request=request)
    return endpoint


@transaction.atomic
def delete_endpoint(endpoint: WebhookEndpoint, *, user=None, request=None) -> None:
    """Remove the endpoint and its delivery log."""
    log_activity("webhook_deleted", actor=user, target=endpoint.installer, description=f"Webhook supprimé : {endpoint.url}",
                 request=request)
    endpoint.delete()


def reactivate_endpoint(endpoint: WebhookEndpoint, *, user=None, request=None) -> WebhookEndpoint:
    """Turn a disabled endpoint back on and send what waited meanwhile, in order."""
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.is_active, endpoint.consecutive_failures = True, 0
        endpoint.disabled_at, endpoint.disabled_reason = None, ""
        endpoint.save(update_fields=["is_active", "consecutive_failures", "disabled_at", "disabled_reason"])
        waiting = endpoint.deliveries.filter(status=PENDING)
        waiting.update(next_attempt_at=timezone.now())
        ids = list(waiting.order_by("pk").values_list("pk", flat=True))
        log_activity("webhook_reactivated", actor=user, target=endpoint, description=f"Webhook réactivé : {endpoint.url}",
                     request=request)
    if ids:
        from .tasks import enqueue_deliveries

        enqueue_deliveries(ids)
    return endpoint


def send_test(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Send a ``webhook.test`` event now, in the caller's process, and return its delivery.

    A test is tried once: it neither retries nor counts towards disabling the endpoint.
    """
    delivery = WebhookDelivery(endpoint=endpoint, event=WebhookEvent.TEST, next_attempt_at=timezone.now())
    delivery.payload = envelope(delivery.event_id, WebhookEvent.TEST, {
        "installer": {"id": endpoint.installer_id, "name": endpoint.installer.name},
        "message": "Envoi de test depuis CEE Validation.",
    })
    delivery.save()
    return attempt_delivery(delivery.pk)


# --- Deliveries --------------------------------------------------------------------------

def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def headers_for(delivery: WebhookDelivery, body: bytes) -> dict[str, str]:
    return {
        signing.HEADER: signing.signature_header(delivery.endpoint.secret, body),
        "X-CEE-Event": delivery.event,
        "X-CEE-Delivery": str(delivery.event_id),
    }


def waits_for_earlier(delivery: WebhookDelivery) -> bool:
    if delivery.dossier_id is None:
        return False
    return WebhookDelivery.objects.filter(
        endpoint_id=delivery.endpoint_id, dossier_id=delivery.dossier_id, status=PENDING, pk__lt=delivery.pk,
    ).exists()


def _claim(delivery_id: int) -> WebhookDelivery | None:
    """Lock the delivery and count an attempt, or None when it is not to be sent now (done,
    endpoint disabled, not yet due, or an earlier event of the dossier still pending)."""
    now = timezone.now()
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().select_related("endpoint").filter(pk=delivery_id).first()
        if delivery is None or delivery.status != PENDING:
            return None
        is_test = delivery.event == WebhookEvent.TEST
        if (not delivery.endpoint.is_active and not is_test) or (delivery.next_attempt_at and delivery.next_attempt_at > now):
            return None
        if waits_for_earlier(delivery):
            return None
        delivery.attempts += 1
        delivery.last_attempt_at = now
        # A lease: while this attempt runs, another task finds it not due.
        delivery.next_attempt_at = now + datetime.timedelta(seconds=3 * conf.timeout_seconds())
        delivery.save(update_fields=["attempts", "last_attempt_at", "next_attempt_at"])
    return delivery


def attempt_delivery(delivery_id: int) -> WebhookDelivery | None:
    """Send the delivery once if it is due, record the answer, and plan what follows.

    Returns the delivery as recorded, or None when there was nothing to send now. Never
    raises for a network error or an error status: they are recorded on the delivery.
    """
    delivery = _claim(delivery_id)
    if delivery is None:
        return WebhookDelivery.objects.filter(pk=delivery_id).first()
    body = body_of(delivery)
    answer = transport.post(delivery.endpoint.url, body, headers_for(delivery, body))
    return _record_answer(delivery, answer)


def _record_answer(delivery: WebhookDelivery, answer: transport.Answer) -> WebhookDelivery:
    from .tasks import enqueue_deliveries, schedule_retry

    now = timezone.now()
    is_test = delivery.event == WebhookEvent.TEST
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
        delivery.endpoint = endpoint
        delivery.last_status_code = answer.status_code
        delivery.response_excerpt = answer.excerpt
        delivery.last_error = answer.error or ("" if answer.succeeded else f"Réponse HTTP {answer.status_code}")
        delivery.next_attempt_at = None
        if answer.succeeded:
            delivery.status, delivery.delivered_at = WebhookDelivery.Status.SUCCEEDED, now
            if not is_test:
                endpoint.consecutive_failures = 0
        elif is_test:
            delivery.status = WebhookDelivery.Status.FAILED
        else:
            endpoint.consecutive_failures += 1
            if delivery.attempts >= conf.max_attempts():
                delivery.status = WebhookDelivery.Status.FAILED
            else:
                delivery.next_attempt_at = now + datetime.timedelta(seconds=backoff_seconds(delivery.attempts))
                at = delivery.next_attempt_at
                transaction.on_commit(lambda: schedule_retry(delivery.pk, delivery.attempts, at), robust=True)
            if endpoint.is_active and endpoint.consecutive_failures >= conf.disable_after():
                _disable(endpoint, delivery.last_error)
        delivery.save(update_fields=[
            "status", "last_status_code", "response_excerpt", "last_error", "next_attempt_at", "delivered_at",
        ])
        endpoint.save(update_fields=["consecutive_failures", "is_active", "disabled_at", "disabled_reason"])
        following = None
        if delivery.status != PENDING and delivery.dossier_id is not None:
            following = endpoint.deliveries.filter(
                dossier_id=delivery.dossier_id, status=PENDING, pk__gt=delivery.pk,
            ).order_by("pk").values_list("pk", flat=True).first()
    if following is not None and endpoint.is_active:
        enqueue_deliveries([following])
    return delivery


def _disable(endpoint: WebhookEndpoint, last_error: str) -> None:
    failures = endpoint.consecutive_failures
    endpoint.is_active = False
    endpoint.disabled_at = timezone.now()
    endpoint.disabled_reason = f"Désactivé après {failures} échecs consécutifs. Dernière erreur : {last_error}"[:255]
    log_activity("webhook_disabled", target=endpoint, description=endpoint.disabled_reason)
    transaction.on_commit(lambda: notify_disabled(endpoint.pk, last_error), robust=True)


def notify_disabled(endpoint_id: int, last_error: str) -> int:
    """E-mail the installer that an endpoint was disabled (a mail failure is logged, never raised)."""
    endpoint = WebhookEndpoint.objects.select_related("installer").get(pk=endpoint_id)
    context = {
        "endpoint": endpoint, "failures": endpoint.consecutive_failures, "last_error": last_error,
        "url": f"{settings.SITE_URL.rstrip('/')}/portail/webhooks/{endpoint.pk}/",
    }
    try:
        return send_templated_email("webhook_disabled", context, endpoint.installer.email_addresses())
    except Exception:
        logger.exception("Webhook-disabled e-mail for endpoint %s failed", endpoint.pk)
        return 0
