"""The /facturation/ URLs (namespace "billing", included by cee/urls.py): the invoice PDF and the
admin lists' CSV / Excel and training exports."""
from django.contrib import admin
from django.urls import path

from . import admin_exports, invoice_pdf

app_name = "billing"

urlpatterns = [
    path("factures/<int:pk>/pdf/", invoice_pdf.invoice_pdf, name="invoice-pdf"),
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
