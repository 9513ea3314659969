"""The installer's payments (read-only): billing's payments as the installer API shows them."""
from __future__ import annotations

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from accounts.api.permissions import InstallerAPIMixin
from billing.models import Invoice, Payment
from cee.api.base import InstallerFilterSet, StableOrderingFilter
from cee.api.schema import error_responses

from ..installer_selectors import installer_payments
from .examples import PAYMENT_LIST


class PaymentInvoiceSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    dossier_reference = serializers.CharField(source="dossier.reference")

    class Meta:
        model = Invoice
        fields = ["id", "number", "status", "status_label", "issue_date", "due_date", "total_eur", "amount_paid", "dossier", "dossier_reference"]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    method_label = serializers.CharField(source="get_method_display")
    invoice = PaymentInvoiceSerializer()

    class Meta:
        model = Payment
        fields = ["id", "amount", "date", "method", "method_label", "reference", "invoice"]
        read_only_fields = fields


class PaymentFilter(InstallerFilterSet):
    date = django_filters.DateFromToRangeFilter(help_text="Payé entre date_after et date_before (AAAA-MM-JJ, inclus).")
    dossier = django_filters.CharFilter(field_name="invoice__dossier__reference", help_text="Référence du dossier.")
    invoice = django_filters.CharFilter(field_name="invoice__number", help_text="Numéro de facture.")

    class Meta:
        model = Payment
        fields = ["date", "dossier", "invoice", "method"]


class PaymentListView(InstallerAPIMixin, generics.ListAPIView):
    serializer_class = PaymentSerializer
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = PaymentFilter
    ordering_fields = ["date", "amount"]
    ordering = ["-date", "-id"]

    def get_queryset(self):
        return installer_payments(self.request.user)

    @extend_schema(
        summary="Lister mes paiements",
        description="Paiements reçus sur les factures de votre entreprise, avec la facture et le dossier concernés.",
        responses={200: PaymentSerializer(many=True), **error_responses(400, 404)},
        examples=[PAYMENT_LIST],
        tags=["Paiements"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
