"""Back-office admin: price lists (with history), invoices (PDF, credit note), payments."""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from cee.admin import ReadOnlyAdminMixin, ReadOnlyInlineMixin

from . import services
from .documents import format_eur
from .models import Invoice, InvoiceLine, InvoiceSequence, Payment, PriceList


def money_column(field_name: str, description: str):
    """A list column writing an amount the French way (« 12 450,00 € »), sorted by the field."""

    @admin.display(description=description, ordering=field_name)
    def column(self, obj):
        return format_eur(getattr(obj, field_name))

    return column


@admin.register(PriceList)
class PriceListAdmin(SimpleHistoryAdmin):
    list_display = ["name", "operation_code_display", "installer", "valid_from", "valid_until", "price_classic",
                    "price_precarity", "share_on_validation_percent", "is_active"]
    list_filter = ["is_active", "operation_code", ("installer", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "operation_code", "installer__name", "contract_reference"]
    autocomplete_fields = ["installer"]
    date_hierarchy = "valid_from"
    # Prices typed the French way (« 6,500 »); a point is still understood.
    formfield_overrides = {models.DecimalField: {"localize": True}}
    fieldsets = [
        (None, {"fields": ["name", "is_active"]}),
        ("Portée", {"fields": ["operation_code", "installer", "contract_reference"],
                    "description": "La grille la plus précise valable à la date d'engagement s'applique : "
                                   "fiche + installateur, puis installateur, puis fiche, puis générale."}),
        ("Validité", {"fields": ["valid_from", "valid_until"]}),
        ("Prix (€/MWh cumac)", {"fields": ["price_classic", "price_precarity", "share_on_validation_percent"]}),
    ]

    @admin.display(description="fiche", ordering="operation_code")
    def operation_code_display(self, obj):
        return obj.operation_code or "toutes"


class InvoiceLineInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = InvoiceLine
    fields = ["position", "operation_code", "label", "base_kwh_cumac", "coefficient", "kwh_cumac", "unit_price",
              "share_on_validation_percent", "amount_eur"]


class PaymentInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Payment
    fields = ["date", "amount", "method", "reference", "created_by", "created_at"]


class YearFilter(admin.SimpleListFilter):
    title = "exercice"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).order_by("-year").values_list("year", flat=True).distinct()
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        return queryset.filter(year=self.value()) if self.value() else queryset


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label="Montant (€)", max_digits=12, decimal_places=2, min_value=0.01)
    date = forms.DateField(label="Date", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label="Moyen", choices=Payment.Method.choices, initial=Payment.Method.TRANSFER)
    reference = forms.CharField(label="Référence", max_length=100, required=False)
    allow_overpayment = forms.BooleanField(label="Trop-perçu accepté", required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label="Motif de l'annulation", widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Invoice)
class InvoiceAdmin(SimpleHistoryAdmin):
    list_display = ["number", "kind", "dossier_link", "installer", "issue_date", "due_date", "total_display",
                    "amount_paid_display", "status", "pdf_link"]
    total_display = money_column("total_eur", "total")
    amount_paid_display = money_column("amount_paid", "payé")
    list_filter = ["status", "kind", YearFilter, ("installer", admin.RelatedOnlyFieldListFilter), "issue_date"]
    search_fields = ["number", "dossier__reference", "installer__name", "installer__siret"]
    list_select_related = ["dossier", "installer"]
    date_hierarchy = "issue_date"
    inlines = [InvoiceLineInline, PaymentInline]
    actions = ["cancel_selected"]
    readonly_fields = ["number", "year", "sequence", "kind", "dossier", "installer", "credit_note_for", "kwh_cumac",
                       "unit_price", "total_eur", "amount_on_validation", "amount_on_registration", "amount_paid",
                       "issue_date", "due_date", "status", "pdf_link", "created_by", "created_at"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # invoices come from approved dossiers (services.create_invoice_for_dossier)

    def has_delete_permission(self, request, obj=None):
        return False  # never deleted: cancelled by a credit note

    @admin.display(description="dossier", ordering="dossier__reference")
    def dossier_link(self, obj):
        url = reverse("admin:dossiers_dossier_change", args=[obj.dossier_id])
        return format_html('<a href="{}">{}</a>', url, obj.dossier.reference)

    @admin.display(description="PDF")
    def pdf_link(self, obj):
        if obj.pk is None:
            return "—"
        return format_html('<a href="{}" target="_blank">PDF</a>', reverse("billing:invoice-pdf", args=[obj.pk]))

    def get_urls(self):
        return [
            path("<int:pk>/paiement/", self.admin_site.admin_view(self.record_payment_view), name="billing_invoice_payment"),
            path("<int:pk>/annuler/", self.admin_site.admin_view(self.cancel_view), name="billing_invoice_cancel"),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        invoice = self.get_object(request, object_id)
        if invoice is not None:
            is_invoice = invoice.kind == Invoice.Kind.INVOICE
            extra_context["can_record_payment"] = is_invoice and invoice.status in services.PAYABLE_STATUSES
            extra_context["can_cancel"] = (
                is_invoice and invoice.status != Invoice.Status.CANCELLED and not invoice.amount_paid
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def record_payment_view(self, request, pk: int):
        invoice = self.get_object(request, str(pk))
        if invoice is None or not request.user.has_perm("billing.add_payment"):
            return redirect("admin:billing_invoice_changelist")
        form = PaymentForm(request.POST or None, initial={"amount": invoice.total_eur - invoice.amount_paid})
        if request.method == "POST" and form.is_valid():
            try:
                services.record_payment(invoice, user=request.user, request=request, **form.cleaned_data)
            except (services.BillingError, services.ValidationError) as exc:
                form.add_error(None, exc.messages if hasattr(exc, "messages") else str(exc))
            else:
                self.message_user(request, f"Paiement enregistré sur {invoice.number}.", messages.SUCCESS)
                return redirect("admin:billing_invoice_change", invoice.pk)
        return render(request, "admin/billing/invoice_form.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "invoice": invoice, "form": form,
            "title": f"Enregistrer un paiement — {invoice.number}", "submit_label": "Enregistrer le paiement",
        })

    def cancel_view(self, request, pk: int):
        invoice = self.get_object(request, str(pk))
        if invoice is None or not request.user.has_perm("billing.change_invoice"):
            return redirect("admin:billing_invoice_changelist")
        form = CancelForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                credit = services.cancel_invoice(invoice, user=request.user, reason=form.cleaned_data["reason"], request=request)
            except services.BillingError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(request, f"Facture {invoice.number} annulée par l'avoir {credit.number}.", messages.SUCCESS)
                return redirect("admin:billing_invoice_change", credit.pk)
        return render(request, "admin/billing/invoice_form.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "invoice": invoice, "form": form,
            "title": f"Annuler la facture {invoice.number} par un avoir", "submit_label": "Émettre l'avoir",
        })

    @admin.action(description="Annuler par un avoir (motif demandé)", permissions=["change"])
    def cancel_selected(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Annulez une facture à la fois : un motif est demandé pour chacune.", messages.WARNING)
            return None
        return redirect("admin:billing_invoice_cancel", queryset.get().pk)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    # Read-only: a payment is recorded from the invoice (services.record_payment keeps statuses right).
    list_display = ["date", "amount_display", "method", "reference", "invoice", "installer_name", "created_by"]
    amount_display = money_column("amount", "montant")
    list_filter = ["method", ("invoice__installer", admin.RelatedOnlyFieldListFilter), "date"]
    search_fields = ["reference", "invoice__number", "invoice__dossier__reference", "invoice__installer__name"]
    list_select_related = ["invoice__installer", "created_by"]
    date_hierarchy = "date"
    readonly_fields = ["invoice", "amount", "date", "method", "reference", "created_by", "created_at"]
    fields = readonly_fields

    @admin.display(description="installateur", ordering="invoice__installer__name")
    def installer_name(self, obj):
        return obj.invoice.installer.name

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        try:
            queryset = response.context_data["cl"].queryset
        except (AttributeError, KeyError):
            return response
        response.context_data["total_amount"] = queryset.aggregate(total=Sum("amount"))["total"]
        return response


@admin.register(InvoiceSequence)
class InvoiceSequenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The last invoice number used per year: shown, never edited (numbering stays gap-free)."""

    list_display = ["year", "last_number"]
    ordering = ["-year"]
