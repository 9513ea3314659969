"""Reads on webhooks: an installer's endpoints and the delivery log shown to them."""
from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import WebhookDelivery, WebhookEndpoint

LOG_LENGTH = 50


def endpoints_of(user) -> QuerySet[WebhookEndpoint]:
    """The endpoints of ``user``'s company (none for a user without one), with their pending count."""
    if user is None or not user.is_authenticated or not user.installer_id:
        return WebhookEndpoint.objects.none()
    return (
        WebhookEndpoint.objects.filter(installer_id=user.installer_id)
        .annotate(pending_count=Count("deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.PENDING)))
        .order_by("pk")
    )


def delivery_log(endpoint: WebhookEndpoint, limit: int = LOG_LENGTH) -> QuerySet[WebhookDelivery]:
    """The endpoint's latest deliveries, newest first, with their dossier's reference."""
    return endpoint.deliveries.select_related("dossier").order_by("-pk")[:limit]
