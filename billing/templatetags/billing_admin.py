"""``{% export_buttons %}``: the "Exporter CSV / Excel" links of an admin list."""
from __future__ import annotations

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("admin/billing/export_buttons.html", takes_context=True)
def export_buttons(context):
    changelist = context.get("cl")
    request = context.get("request")
    if changelist is None or request is None:
        return {"links": [], "training_url": None}
    opts = changelist.opts
    query = request.GET.copy()
    for ignored in ("_changelist_filters", "p", "all"):
        query.pop(ignored, None)
    suffix = f"?{query.urlencode()}" if query else ""
    links = [
        (label, reverse("billing:export-changelist", args=[opts.app_label, opts.model_name, fmt]) + suffix)
        for label, fmt in (("Exporter CSV", "csv"), ("Exporter Excel", "xlsx"))
    ]
    training_url = None
    if (opts.app_label, opts.model_name) == ("extraction", "humanfeedback") and request.user.has_perm(
        "extraction.change_humanfeedback"
    ):
        training_url = reverse("billing:export-training") + suffix
    return {"links": links, "training_url": training_url, "csrf_token": context.get("csrf_token")}
