"""An installer's webhook endpoints and the log of what was sent to them."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class WebhookEvent(models.TextChoices):
    STATUS_CHANGED = "dossier.status_changed", "Changement de statut d'un dossier"
    DOCUMENTS_MISSING = "dossier.documents_missing", "Documents manquants"
    APPROVED = "dossier.approved", "Dossier validé"
    REJECTED = "dossier.rejected", "Dossier refusé"
    INVOICE_ISSUED = "invoice.issued", "Facture émise"
    PAYMENT_RECEIVED = "payment.received", "Paiement reçu"
    TEST = "webhook.test", "Envoi de test"


SUBSCRIBABLE_EVENTS = [event for event in WebhookEvent if event != WebhookEvent.TEST]


class WebhookEndpoint(models.Model):
    """A URL of an installer's system that receives a signed JSON POST for each event it subscribed to.

    ``secret`` signs every delivery (HMAC-SHA256); it is shown once, when the endpoint is
    created, and never displayed again. After ``CEE_WEBHOOK_DISABLE_AFTER`` failed attempts in
    a row the endpoint is disabled (``disabled_at``, ``disabled_reason``) and the installer told.
    """

    installer = models.ForeignKey(
        "accounts.Installer", verbose_name="installateur", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField("URL", max_length=500)
    description = models.CharField("description", max_length=200, blank=True)
    events = models.JSONField(
        "événements", default=list, blank=True, help_text="Codes des événements envoyés ; vide : tous les événements."
    )
    secret = models.CharField("secret de signature", max_length=80, editable=False)
    is_active = models.BooleanField("actif", default=True)
    consecutive_failures = models.PositiveIntegerField("échecs consécutifs", default=0)
    disabled_at = models.DateTimeField("désactivé le", null=True, blank=True)
    disabled_reason = models.CharField("motif de désactivation", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="créé par", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "webhook"
        verbose_name_plural = "webhooks"
        ordering = ["installer", "pk"]
        indexes = [models.Index(fields=["installer", "is_active"], name="webhook_installer_active_idx")]

    def __str__(self) -> str:
        return f"{self.url} ({self.installer})"

    def wants(self, event: str) -> bool:
        return event == WebhookEvent.TEST or not self.events or event in self.events

    def event_labels(self) -> list[str]:
        if not self.events:
            return ["Tous les événements"]
        return [WebhookEvent(code).label for code in self.events if code in WebhookEvent.values]


class WebhookDelivery(models.Model):
    """One event sent (or to send) to one endpoint: its payload, attempts and last answer.

    Deliveries of one endpoint about one dossier go out in ``pk`` order: a delivery waits
    while an earlier one of the same endpoint and dossier is still pending.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        SUCCEEDED = "succeeded", "Livré"
        FAILED = "failed", "Abandonné"

    endpoint = models.ForeignKey(WebhookEndpoint, verbose_name="webhook", on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField("identifiant d'événement", default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField("événement", max_length=40, choices=WebhookEvent.choices)
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name="dossier", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField("contenu")
    status = models.CharField("statut", max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField("tentatives", default=0)
    last_status_code = models.PositiveIntegerField("code HTTP", null=True, blank=True)
    response_excerpt = models.TextField("début de la réponse", blank=True)
    last_error = models.CharField("erreur", max_length=500, blank=True)
    next_attempt_at = models.DateTimeField("prochain essai", null=True, blank=True)
    last_attempt_at = models.DateTimeField("dernier essai", null=True, blank=True)
    delivered_at = models.DateTimeField("livré le", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "envoi de webhook"
        verbose_name_plural = "envois de webhooks"
        ordering = ["-pk"]
        indexes = [
            # "Is an earlier delivery of this endpoint and dossier still pending?" and the log per endpoint.
            models.Index(fields=["endpoint", "dossier", "status"], name="webhook_delivery_order_idx"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | Q(next_attempt_at__isnull=True), name="webhook_delivery_done_has_no_next",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} → {self.endpoint.url} ({self.get_status_display()})"
