"""Top-level URLs: the admin (validators, administrators), the portal, the API.

The apps' URLs are included by name (strings): the core imports no app."""
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

admin.site.site_header = "CEE Validation — back-office"
admin.site.site_title = "CEE Validation"
admin.site.index_title = "Tableau de bord"

urlpatterns = [
    path("", RedirectView.as_view(url="/portail/", permanent=False)),
    path("admin/recherche/", include("dossiers.admin_search")),
    # The activity log moved from the dossiers app to accounts: old bookmarks still lead to it.
    re_path(r"^admin/dossiers/activity/(?P<rest>.*)$",
            RedirectView.as_view(url="/admin/accounts/activity/%(rest)s", permanent=True, query_string=True)),
    path("admin/", admin.site.urls),
    path("fichiers/", include("dossiers.files_urls")),
    path("facturation/", include("dossiers.backoffice.urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file (?script=), not inline: fits a strict CSP.
    path("api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/redoc/", SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html"), name="api-redoc"),
    path("api/v1/", include("dossiers.api.urls")),
    path("portail/", include("dossiers.portal.urls")),
]

# Errors Django answers itself (no route, a failure outside a view): the API's JSON error body
# under /api/, Django's pages elsewhere.
handler400 = "cee.api.exceptions.bad_request"
handler403 = "cee.api.exceptions.permission_denied"
handler404 = "cee.api.exceptions.page_not_found"
handler500 = "cee.api.exceptions.server_error"
