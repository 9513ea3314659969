"""Billing URLs, included under /facturation/ by cee/urls.py."""
from django.contrib import admin
from django.urls import path

from . import admin_exports, views

app_name = "billing"

urlpatterns = [
    path("factures/<int:pk>/pdf/", views.invoice_pdf, name="invoice-pdf"),
    path(
        "exports/<slug:app_label>/<slug:model_name>/<slug:fmt>/",
        admin.site.admin_view(admin_exports.export_changelist),
        name="export-changelist",
    ),
    path(
        "exports/entrainement/",
        admin.site.admin_view(admin_exports.export_training_changelist),
        name="export-training",
    ),
]
