"""Dossiers as the installer API reads and writes them."""
from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cee.api.fields import JSONTypesChecked, NonNegativeDecimalField, PostalCodeField
from documents.api.serializers import DocumentSerializer
from dossiers import installer_selectors as sel
from dossiers.models import Dossier, DossierOperation, DossierStatus, HousingType, Operation, PrecarityStatus, Timeline


def active_operation_codes(day=None) -> set[str]:
    """Codes of the fiches an installer may declare today."""
    day = day or timezone.localdate()
    return set(
        Operation.objects.filter(is_active=True, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .values_list("code", flat=True)
    )


class DossierOperationSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="operation.code")
    name = serializers.CharField(source="operation.name")
    version = serializers.CharField(source="operation.version")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = DossierOperation
        fields = ["code", "name", "version", "status", "status_label", "kwh_cumac", "premium_eur"]
        read_only_fields = fields


class MissingDocumentSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code du type de document.")
    name = serializers.CharField(help_text="Nom du type de document.")
    operations = serializers.ListField(child=serializers.CharField(), help_text="Fiches qui l'exigent (si connu).")


class RuleFailureSerializer(serializers.Serializer):
    rule = serializers.CharField(source="rule.name", help_text="Contrôle non satisfait.")
    message = serializers.CharField(help_text="Ce qui ne va pas, et comment le corriger.")
    evaluated_at = serializers.DateTimeField()


class PaymentStateSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=sel.PAYMENT_STATE_CHOICES)
    label = serializers.CharField()


class DossierListSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    operations = serializers.SerializerMethodField()
    missing_documents = serializers.SerializerMethodField()
    rule_failure_count = serializers.IntegerField(read_only=True, help_text="Contrôles bloquants en échec.")
    payment = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "id", "reference", "status", "status_label", "beneficiary_name", "works_postal_code", "works_city",
            "operations", "total_kwh_cumac", "premium_eur", "missing_documents", "rule_failure_count",
            "payment", "created_at", "submitted_at", "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_operations(self, dossier: Dossier) -> list[str]:
        return [item.operation.code for item in dossier.operations.all()]

    @extend_schema_field(MissingDocumentSerializer(many=True))
    def get_missing_documents(self, dossier: Dossier):
        if not dossier.missing_documents:
            return []
        if "document_type_names" not in self.context:
            self.context["document_type_names"] = sel.document_type_names()
        return MissingDocumentSerializer(sel.missing_documents(dossier, self.context["document_type_names"]), many=True).data

    @extend_schema_field(PaymentStateSerializer)
    def get_payment(self, dossier: Dossier):
        code, label = sel.payment_state(dossier)
        return {"code": code, "label": label}


_MONEY = serializers.DecimalField(max_digits=14, decimal_places=2)
_STATUS_LABELS = dict(DossierStatus.choices)


def _moment(value, zone) -> str | None:
    """An aware datetime as DRF's DateTimeField writes it: in ``zone`` (the current time zone),
    ISO 8601, Z for UTC."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _money(value) -> str:
    """A DecimalField(max_digits=14, decimal_places=2) as DRF writes it. The database's value
    has its two decimals already (the common case: no quantizing needed); str() writes such a
    Decimal in plain notation, ending with them (a sixth of the cost of checking as_tuple())."""
    text = str(value)
    if text[-3:-2] == ".":
        return text
    return _MONEY.to_representation(value)


def dossier_list_rows(values: list[dict]) -> list[dict]:
    """The rows of the dossier list, shaped as DossierListSerializer documents them, from the
    dicts of ``installer_dossier_rows(...)`` (and, where the rows do not carry the fiche codes,
    one query for them).

    A list page is the API's busiest answer: building it from plain values avoids a model
    instance and a serializer field call per cell (about three times faster than the
    serializer on 25 rows). ``test_dossiers.py`` checks both give the same output.
    """
    if not values:
        return []
    codes = None if "operation_codes" in values[0] else sel.operation_codes_of([row["id"] for row in values])
    names = sel.document_type_names() if any(row["missing_documents"] for row in values) else {}
    zone = timezone.get_current_timezone()
    rows = []
    for row in values:
        code, label = sel.payment_state_of(row["invoice_status"])
        rows.append({
            "id": row["id"],
            "reference": row["reference"],
            "status": row["status"],
            "status_label": _STATUS_LABELS.get(row["status"], row["status"]),
            "beneficiary_name": row["beneficiary_name"],
            "works_postal_code": row["works_postal_code"],
            "works_city": row["works_city"],
            "operations": row["operation_codes"] if codes is None else codes.get(row["id"], []),
            "total_kwh_cumac": _money(row["total_kwh_cumac"]),
            "premium_eur": _money(row["premium_eur"]),
            "missing_documents": [
                {"code": m.code, "name": m.name, "operations": list(m.operations)}
                for m in sel.missing_documents_from(row["missing_documents"], names)
            ],
            "rule_failure_count": row["rule_failure_count"],
            "payment": {"code": code, "label": label},
            "created_at": _moment(row["created_at"], zone),
            "submitted_at": _moment(row["submitted_at"], zone),
            "updated_at": _moment(row["updated_at"], zone),
        })
    return rows


class TimelineSerializer(JSONTypesChecked, serializers.ModelSerializer):
    class Meta:
        model = Timeline
        fields = ["date_devis", "date_signature", "date_debut_travaux", "date_fin_travaux", "date_facture"]


class DossierDetailSerializer(DossierListSerializer):
    # A CharField: a blank e-mail is allowed, which an OpenAPI "email" format forbids.
    beneficiary_email = serializers.CharField(read_only=True)
    housing_type_label = serializers.CharField(source="get_housing_type_display", read_only=True)
    precarity_status_label = serializers.CharField(source="get_precarity_status_display", read_only=True)
    operations = DossierOperationSerializer(many=True, read_only=True)
    timeline = serializers.SerializerMethodField()
    rule_failures = serializers.SerializerMethodField()
    rejection_reason = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    class Meta(DossierListSerializer.Meta):
        fields = [
            "id", "reference", "status", "status_label",
            "beneficiary_name", "beneficiary_address", "beneficiary_postal_code", "beneficiary_city",
            "beneficiary_email", "beneficiary_phone", "works_address", "works_postal_code", "works_city",
            "housing_type", "housing_type_label", "living_area_m2", "precarity_status", "precarity_status_label",
            "operations", "timeline", "total_kwh_cumac", "premium_eur", "missing_documents", "rule_failure_count",
            "rule_failures", "rejection_reason", "payment", "documents", "created_at", "submitted_at", "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(TimelineSerializer)
    def get_timeline(self, dossier: Dossier):
        # A missing one-to-one row raises an AttributeError subclass: getattr's default covers it.
        return TimelineSerializer(getattr(dossier, "timeline", None) or Timeline()).data

    @extend_schema_field(RuleFailureSerializer(many=True))
    def get_rule_failures(self, dossier: Dossier):
        return RuleFailureSerializer(sel.rule_failures_for(dossier), many=True).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_rejection_reason(self, dossier: Dossier) -> str | None:
        return dossier.decision_reason or None if dossier.status == "rejected" else None

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, dossier: Dossier):
        return DocumentSerializer(sel.dossier_documents(dossier), many=True, context=self.context).data


class StageSerializer(serializers.Serializer):
    stage = serializers.CharField(help_text="Étape du traitement (split, text, classify, extract, detect, complete, rules…).")
    runs = serializers.IntegerField(help_text="Exécutions (une par document pour les étapes par document).")
    failed = serializers.IntegerField(help_text="Exécutions en échec.")
    last_outcome = serializers.CharField()
    last_outcome_label = serializers.CharField()
    last_run_at = serializers.DateTimeField(allow_null=True)
    total_ms = serializers.IntegerField(help_text="Durée cumulée (ms).")


class StatusChangeSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    from_status = serializers.CharField(allow_null=True)
    to_status = serializers.CharField()
    description = serializers.CharField()


class DocumentProgressSerializer(serializers.Serializer):
    pending = serializers.IntegerField()
    processing = serializers.IntegerField()
    processed = serializers.IntegerField()
    failed = serializers.IntegerField()
    split = serializers.IntegerField()


class DossierStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=DossierStatus.choices)
    status_label = serializers.CharField()
    in_progress = serializers.BooleanField(help_text="Vrai tant que le traitement automatique tourne.")
    documents = DocumentProgressSerializer(help_text="Nombre de documents par statut de traitement.")
    stages = StageSerializer(many=True)
    missing_documents = MissingDocumentSerializer(many=True)
    rule_failures = RuleFailureSerializer(many=True)
    rejection_reason = serializers.CharField(allow_null=True)
    history = StatusChangeSerializer(many=True, help_text="Changements de statut, du plus ancien au plus récent.")
    updated_at = serializers.DateTimeField()


class DossierWriteSerializer(JSONTypesChecked, serializers.Serializer):
    """What an installer declares; every field optional on PATCH."""

    beneficiary_name = serializers.CharField(max_length=200, help_text="Nom du bénéficiaire des travaux.")
    beneficiary_address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    beneficiary_postal_code = PostalCodeField(required=False)
    beneficiary_city = serializers.CharField(max_length=120, required=False, allow_blank=True)
    beneficiary_email = serializers.EmailField(required=False, allow_blank=True)
    beneficiary_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    works_address = serializers.CharField(max_length=255, required=False, allow_blank=True, help_text="Adresse des travaux (si différente).")
    works_postal_code = PostalCodeField(required=False)
    works_city = serializers.CharField(max_length=120, required=False, allow_blank=True)
    housing_type = serializers.ChoiceField(choices=HousingType.choices, required=False)
    living_area_m2 = NonNegativeDecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)
    precarity_status = serializers.ChoiceField(choices=PrecarityStatus.choices, required=False)
    operation_codes = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, max_length=20,
        help_text="Fiches CEE déclarées (ex. [\"BAR-TH-171\"]) ; elles sont aussi détectées dans les documents.",
    )
    timeline = TimelineSerializer(required=False, help_text="Dates connues : devis, signature (engagement), travaux, facture.")

    def validate_operation_codes(self, codes: list[str]) -> list[str]:
        wanted = [code.strip().upper() for code in codes if code.strip()]
        unknown = sorted(set(wanted) - active_operation_codes())
        if unknown:
            raise serializers.ValidationError(
                f"Fiche(s) inconnue(s) ou non en vigueur aujourd'hui : {', '.join(unknown)}."
            )
        return wanted

    def validate_timeline(self, values: dict) -> dict:
        return {key: value for key, value in values.items() if value is not None}
