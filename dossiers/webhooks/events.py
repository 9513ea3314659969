"""What is sent when: the events of a dossier's life, as webhook deliveries.

Called inside the transaction that makes the change (the state machine's ``transition``,
billing's invoice and payment signals): the deliveries are written with the change or not at
all, and handed to the workers once it is committed.
"""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from ..models import DossierStatus
from .models import WebhookDelivery, WebhookEndpoint, WebhookEvent

# The status an event of its own is sent for, besides ``dossier.status_changed``.
STATUS_EVENTS = {
    DossierStatus.AWAITING_DOCUMENTS: WebhookEvent.DOCUMENTS_MISSING,
    DossierStatus.APPROVED: WebhookEvent.APPROVED,
    DossierStatus.REJECTED: WebhookEvent.REJECTED,
}


def dossier_data(dossier) -> dict:
    return {
        "id": dossier.pk,
        "reference": dossier.reference,
        "status": dossier.status,
        "status_label": DossierStatus(dossier.status).label,
        "api_url": f"{settings.SITE_URL.rstrip('/')}/api/v1/dossiers/{dossier.pk}/",
    }


def envelope(event_id: uuid.UUID, event: str, data: dict) -> dict:
    return {"id": str(event_id), "event": event, "created_at": timezone.now().isoformat(), "data": data}


def record_events(installer_id: int, dossier_id: int | None, events: list[tuple[str, dict]]) -> list[WebhookDelivery]:
    """Write one delivery per (event, endpoint of the installer that subscribed to it) and have
    them sent once the current transaction commits. Disabled endpoints get theirs too: they are
    sent, in order, when the endpoint is reactivated."""
    endpoints = list(WebhookEndpoint.objects.filter(installer_id=installer_id))
    deliveries = []
    for event, data in events:
        for endpoint in endpoints:
            if endpoint.wants(event):
                event_id = uuid.uuid4()
                deliveries.append(WebhookDelivery(
                    endpoint=endpoint, event_id=event_id, event=event, dossier_id=dossier_id,
                    payload=envelope(event_id, event, data), next_attempt_at=timezone.now(),
                ))
    if not deliveries:
        return []
    # One at a time: the primary keys give the order of one dossier's events on every database.
    for delivery in deliveries:
        delivery.save()
    ids = [d.pk for d in deliveries if d.endpoint.is_active]
    if ids:
        from .tasks import enqueue_deliveries

        transaction.on_commit(lambda: enqueue_deliveries(ids), robust=True)
    return deliveries


def with_endpoint_flag(dossiers: QuerySet) -> QuerySet:
    """``dossiers`` with ``has_webhook_endpoints``: whether their installer has an endpoint, read
    with the dossier (the state machine's locking read) instead of a query of its own per move."""
    return dossiers.annotate(has_webhook_endpoints=Exists(WebhookEndpoint.objects.filter(installer_id=OuterRef("installer_id"))))


def record_status_change(dossier, source: str, target: str, reason: str = "") -> list[WebhookDelivery]:
    """``dossier.status_changed`` for every move, and the move's own event for documents missing, approval, rejection.

    Nothing to write for a dossier read by ``with_endpoint_flag`` whose installer has no endpoint
    (most installers: a dossier moves three times or more through its processing alone)."""
    if getattr(dossier, "has_webhook_endpoints", True) is False:
        return []
    base = dossier_data(dossier)
    events = [(WebhookEvent.STATUS_CHANGED, {"dossier": base, "from_status": source, "to_status": target, "reason": reason})]
    own = STATUS_EVENTS.get(target)
    if own == WebhookEvent.DOCUMENTS_MISSING:
        events.append((own, {"dossier": base, "missing_documents": dossier.missing_documents or []}))
    elif own == WebhookEvent.REJECTED:
        events.append((own, {"dossier": base, "reason": reason}))
    elif own is not None:
        events.append((own, {"dossier": base, "total_kwh_cumac": str(dossier.total_kwh_cumac),
                             "premium_eur": str(dossier.premium_eur)}))
    return record_events(dossier.installer_id, dossier.pk, events)


def invoice_data(invoice) -> dict:
    return {
        "number": invoice.number, "issue_date": invoice.issue_date.isoformat(), "due_date": invoice.due_date.isoformat(),
        "total_eur": str(invoice.total_eur), "amount_paid": str(invoice.amount_paid), "status": invoice.status,
        "kwh_cumac": str(invoice.kwh_cumac),
    }


def record_invoice_issued(sender, invoice, dossier, **kwargs) -> None:
    """Receiver of ``billing.signals.invoice_issued``."""
    record_events(invoice.installer_id, dossier.pk, [
        (WebhookEvent.INVOICE_ISSUED, {"dossier": dossier_data(dossier), "invoice": invoice_data(invoice)}),
    ])


def record_payment_received(sender, payment, invoice, dossier, **kwargs) -> None:
    """Receiver of ``billing.signals.payment_received``."""
    record_events(invoice.installer_id, dossier.pk, [
        (WebhookEvent.PAYMENT_RECEIVED, {
            "dossier": dossier_data(dossier), "invoice": invoice_data(invoice),
            "payment": {"amount": str(payment.amount), "date": payment.date.isoformat(), "method": payment.method,
                        "reference": payment.reference},
        }),
    ])
