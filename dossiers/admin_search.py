"""The admin's global search page (/admin/recherche/): thin, the search is dossiers.global_search;
and the review queue's hint when its status filter hides what its search finds."""
from __future__ import annotations

from collections.abc import Iterable

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from .global_search import global_search, may_search


def search_view(request):
    """Results for ``?q=`` grouped by kind; validators and administrators only (403 otherwise)."""
    if not may_search(request.user):
        raise PermissionDenied("La recherche globale est réservée aux validateurs et au back-office.")
    query = request.GET.get("q", "").strip()[:200]
    results = global_search(query, user=request.user) if query else None
    context = {
        **admin.site.each_context(request), "title": "Recherche", "query": query, "results": results,
        "groups": [("Dossiers", results.dossiers), ("Installateurs", results.installers),
                   ("Documents", results.documents)] if results else [],
    }
    return TemplateResponse(request, "admin/search.html", context)



# Included under /admin/recherche/ by cee.urls.
urlpatterns = [path("", admin.site.admin_view(search_view), name="admin-search")]

def hidden_search_matches(request, changelist, *, parameter: str, all_value: str, shown: Iterable[str]) -> dict:
    """What the queue says when its search finds dossiers its status filter (``parameter``)
    hides: ``{"hidden_matches": N, "show_all_url": "?…&statut=tous"}``, or nothing.

    N counts the dossiers the same search and the other filters find in the statuses not
    ``shown``: Django's ``ChangeList.get_queryset`` with that one filter left out.
    """
    if not changelist.query.strip() or request.GET.get(parameter) == all_value:
        return {}
    hidden = changelist.get_queryset(request, exclude_parameters=[parameter]).exclude(status__in=list(shown)).count()
    if not hidden:
        return {}
    everything = request.GET.copy()
    everything[parameter] = all_value
    everything.pop("p", None)
    return {"hidden_matches": hidden, "show_all_url": "?" + everything.urlencode()}
