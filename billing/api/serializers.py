"""Payments (and their invoices) as the installer API shows them."""
from __future__ import annotations

from rest_framework import serializers

from billing.models import Invoice, Payment


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
