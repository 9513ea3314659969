"""Export views behind the "Exporter CSV / Excel" buttons of every admin list.

The button passes the list's current querystring; the view rebuilds the very queryset the
list shows (filters, search, date hierarchy) through
``ModelAdmin.get_changelist_instance(request).get_queryset(request)``, so "every filtered
row" is exported without selecting anything.
"""
from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse

from extraction.models import HumanFeedback

from .admin_actions import log_export
from .exports import FORMATS, export_for_model, export_response
from .training import export_training_jsonl


def _model_admin(app_label: str, model_name: str):
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label == app_label and model._meta.model_name == model_name:
            return model_admin
    raise Http404


def changelist_queryset(request, model_admin):
    """The queryset the admin list shows for this request's querystring."""
    changelist = model_admin.get_changelist_instance(request)
    return changelist.get_queryset(request)


def export_changelist(request, app_label: str, model_name: str, fmt: str):
    """Export the admin list of ``app_label.model_name`` as filtered by the querystring."""
    if fmt not in FORMATS:
        raise Http404
    model_admin = _model_admin(app_label, model_name)
    if not model_admin.has_view_permission(request):
        raise Http404
    try:
        queryset = changelist_queryset(request, model_admin)
    except IncorrectLookupParameters:
        return HttpResponseBadRequest("Filtres invalides.")
    export = export_for_model(model_admin.model)
    log_export(request, export, fmt, "liste d'administration")
    return export_response(export, queryset, fmt)


def export_training_changelist(request):
    """JSONL training export of the human-feedback admin list as filtered (marks the rows)."""
    model_admin = admin.site._registry.get(HumanFeedback)
    if model_admin is None or not request.user.has_perm("extraction.change_humanfeedback"):
        raise Http404
    if request.method != "POST":
        return redirect(reverse("admin:extraction_humanfeedback_changelist") + "?" + request.GET.urlencode())
    try:
        queryset = changelist_queryset(request, model_admin)
    except IncorrectLookupParameters:
        return HttpResponseBadRequest("Filtres invalides.")
    lines: list[str] = []
    batch = export_training_jsonl(queryset, lines.append, user=request.user, filters=dict(request.GET.items()))
    response = HttpResponse("".join(lines), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="entrainement-{batch.batch_id}.jsonl"'
    return response
