"""``{% review_dashboard %}``: the validators' dashboard drawn on the admin index."""
from django import template
from django.urls import reverse

from ..review.dashboard import dashboard_figures
from ..review.services import is_reviewer

register = template.Library()


@register.inclusion_tag("admin/review/dashboard.html", takes_context=True)
def review_dashboard(context):
    request = context.get("request")
    if request is None or not is_reviewer(request.user):
        return {"show": False}
    return {
        "show": True,
        "figures": dashboard_figures(),
        "queue_url": reverse("admin:dossiers_dossier_changelist"),
        "next_url": reverse("admin:dossiers_dossier_next"),
    }
