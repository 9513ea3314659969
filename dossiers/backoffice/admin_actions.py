"""Admin actions of the back office, usable on any ModelAdmin.

- ``create_invoices_action``: "Créer les factures" on the Dossier list (many approved dossiers).
- ``export_csv_action`` / ``export_xlsx_action``: registered site-wide (``admin.site.add_action``
  in dossiers.admin), they export the selected rows — or every filtered row with "select all".
- ``export_training_data_action``: on the HumanFeedback list, JSONL for training.
"""
from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone

from accounts.activity import log_activity

from ..workflow.invoicing import create_invoices_for_dossiers
from .exports import export_for_model, export_response
from .training import export_training_jsonl


@admin.action(description="Créer les factures des dossiers validés sélectionnés")
def create_invoices_action(modeladmin, request, queryset):
    try:
        result = create_invoices_for_dossiers(
            queryset.select_related("installer").order_by("pk"), user=request.user, request=request
        )
    except PermissionDenied as exc:
        modeladmin.message_user(request, str(exc), messages.ERROR)
        return None
    if result.created:
        numbers = ", ".join(invoice.number for invoice in result.created[:10])
        more = f" (+{len(result.created) - 10})" if len(result.created) > 10 else ""
        modeladmin.message_user(request, f"{len(result.created)} facture(s) créée(s) : {numbers}{more}.", messages.SUCCESS)
    for dossier, reason in result.refused[:20]:
        modeladmin.message_user(request, reason, messages.WARNING)
    if len(result.refused) > 20:
        modeladmin.message_user(request, f"… et {len(result.refused) - 20} autre(s) dossier(s) non facturé(s).", messages.WARNING)
    return None


def log_export(request, export, fmt: str, source: str) -> None:
    log_activity(
        "export", actor=request.user, request=request,
        description=f"Export {export.name} ({fmt.upper()}) depuis {source}",
        metadata={"export": export.name, "format": fmt, "source": source, "query": request.GET.urlencode()},
    )


def _export_action(fmt: str):
    def action(modeladmin, request, queryset):
        export = export_for_model(modeladmin.model)
        log_export(request, export, fmt, "action d'administration")
        return export_response(export, queryset, fmt)

    action.__name__ = f"export_{fmt}_action"
    return action


export_csv_action = admin.action(description="Exporter la sélection en CSV")(_export_action("csv"))
export_xlsx_action = admin.action(description="Exporter la sélection en Excel (.xlsx)")(_export_action("xlsx"))


@admin.action(description="Exporter pour l'entraînement (JSONL, marque les lignes)")
def export_training_data_action(modeladmin, request, queryset):
    if not request.user.has_perm("extraction.change_humanfeedback"):
        modeladmin.message_user(request, "Vous n'avez pas le droit de marquer les retours humains.", messages.ERROR)
        return None
    content = []
    batch = export_training_jsonl(queryset, content.append, user=request.user, include_exported=True)
    response = HttpResponse("".join(content), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="entrainement-{batch.batch_id}.jsonl"'
    modeladmin.message_user(request, f"Lot {batch.batch_id} : {batch.count} retour(s) exporté(s).", messages.SUCCESS)
    return response
