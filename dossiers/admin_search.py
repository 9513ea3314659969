"""The admin's global search page (/admin/recherche/): thin, the search is dossiers.global_search."""
from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

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
