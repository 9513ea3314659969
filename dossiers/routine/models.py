"""What the routine jobs already did, so that running one twice sends nothing twice."""
from __future__ import annotations

from django.db import models


class NoticeKind(models.TextChoices):
    RGE_EXPIRING = "rge_expiring", "Avertissement : RGE bientôt expiré"
    RGE_EXPIRED_FLAG = "rge_expired_flag", "Dossiers signalés : RGE expiré"
    DRAFT_REMINDER = "draft_reminder", "Relance : brouillon incomplet"
    WEEKLY_REPORT = "weekly_report", "Rapport hebdomadaire"


class RoutineNotice(models.Model):
    """One thing a routine job did once and must not do again: ``(kind, key)`` is unique
    (``key`` names the installer and RGE end date, the draft and its last change, the week)."""

    kind = models.CharField("type", max_length=30, choices=NoticeKind.choices)
    key = models.CharField("clé", max_length=200)
    installer = models.ForeignKey(
        "accounts.Installer", verbose_name="installateur", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name="dossier", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    recipients = models.JSONField("destinataires", default=list, blank=True)
    detail = models.TextField("détail", blank=True)
    created_at = models.DateTimeField("effectué le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "tâche planifiée effectuée"
        verbose_name_plural = "tâches planifiées effectuées"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="routine_notice_unique_key")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.key}"
