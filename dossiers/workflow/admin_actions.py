"""Admin actions « Retraiter » on the dossier and document admins.

The Dossier admin (dossiers.review.admin_queue) picks up ``reprocess_dossiers_action``; the
Document admin uses ``reprocess_documents_action``. Both only queue the work
(``dossiers.workflow.tasks``): the workflow moves the dossiers through the state machine.
"""
from __future__ import annotations

from django.contrib import admin, messages

from ..models import CLOSED_STATUSES, DossierStatus
from .tasks import enqueue_document_reprocessing, enqueue_dossier_reprocessing


def _report(modeladmin, request, queued: list[str], refused: list[str], what: str) -> None:
    if queued:
        modeladmin.message_user(
            request, f"{len(queued)} {what} remis en traitement : {', '.join(queued[:10])}"
            + ("…" if len(queued) > 10 else ""), messages.SUCCESS,
        )
    for line in refused:
        modeladmin.message_user(request, line, messages.WARNING)


def _refusal(dossier) -> str | None:
    if dossier.status in CLOSED_STATUSES:
        return f"{dossier.reference} : dossier {DossierStatus(dossier.status).label.lower()}, il ne peut plus être retraité."
    return None


@admin.action(description="Retraiter les dossiers sélectionnés (lecture, extraction, contrôles)")
def reprocess_dossiers_action(modeladmin, request, queryset):
    queued, refused = [], []
    for dossier in queryset.order_by("pk"):
        refusal = _refusal(dossier)
        if refusal:
            refused.append(refusal)
            continue
        enqueue_dossier_reprocessing(dossier.pk, request.user.pk)
        queued.append(dossier.reference)
    _report(modeladmin, request, queued, refused, "dossier(s)")


@admin.action(description="Retraiter les documents sélectionnés")
def reprocess_documents_action(modeladmin, request, queryset):
    queued, refused = [], []
    for document in queryset.select_related("dossier").order_by("pk"):
        refusal = _refusal(document.dossier)
        if refusal:
            refused.append(f"{document.original_filename} — {refusal}")
            continue
        enqueue_document_reprocessing(document.pk, request.user.pk)
        queued.append(document.original_filename)
    _report(modeladmin, request, queued, refused, "document(s)")
