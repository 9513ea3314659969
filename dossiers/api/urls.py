"""The installer REST API, mounted under /api/v1/ (schema and Swagger UI: cee/urls.py)."""
from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from cee.api.exceptions import not_found
from dossiers.api.billing import PaymentListView
from dossiers.api.documents import DocumentViewSet
from dossiers.api.profile import ProfileView
from dossiers.api.views import BulkUploadView, DossierViewSet
from dossiers.webhooks.api import WebhookViewSet

app_name = "api"

router = SimpleRouter()
router.register("dossiers", DossierViewSet, basename="dossier")
router.register("documents", DocumentViewSet, basename="document")
router.register("webhooks", WebhookViewSet, basename="webhook")

urlpatterns = [
    path("bulk-uploads/", BulkUploadView.as_view(), name="bulk-upload"),
    path("payments/", PaymentListView.as_view(), name="payment-list"),
    path("profile/", ProfileView.as_view(), name="profile"),
    *router.urls,
    # Last: any other /api/v1/ path (an id that is not a number…) gets the API's JSON 404.
    re_path(r"", not_found, name="not-found"),
]
