"""The installer's profile: their user and their company."""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator
from rest_framework import serializers

from accounts.models import Installer, RgeChangeRequest, User
from accounts.profile import EDITABLE_FIELDS
from accounts.validators import normalise_identifier, validate_siret
from cee.api.fields import JSONTypesChecked, PostalCodeField, SiretField


class ProfileUserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["email", "first_name", "last_name"]
        read_only_fields = fields


class CompanySerializer(JSONTypesChecked, serializers.ModelSerializer):
    rge_status_label = serializers.CharField(source="get_rge_status_display", read_only=True)
    # A CharField: the stored value may be blank, which an OpenAPI "email" format forbids.
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, validators=[EmailValidator(message="Saisissez une adresse e-mail valide.")])
    # The RGE block is read-only here: an installer's change is a request staff approve (accounts.rge).
    qualifications = serializers.ListField(child=serializers.CharField(max_length=80), read_only=True)
    siret = SiretField(help_text="14 chiffres (groupés 3-3-3-5 par des espaces ou des points, ou non), clé de contrôle vérifiée.")
    postal_code = PostalCodeField(required=False, help_text="5 chiffres.")

    class Meta:
        model = Installer
        fields = [
            "name", "siret", "siren", "address", "postal_code", "city", "email", "phone", "contact_name",
            "rge_number", "rge_valid_from", "rge_valid_until", "rge_status", "rge_status_label", "qualifications",
            "contract_reference",
        ]
        read_only_fields = [
            "siren", "rge_number", "rge_valid_from", "rge_valid_until", "rge_status", "rge_status_label",
            "contract_reference",
        ]

    def validate_siret(self, value: str) -> str:
        try:
            validate_siret(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages)
        return normalise_identifier(value)

    def validate(self, attrs):
        start = attrs.get("rge_valid_from", getattr(self.instance, "rge_valid_from", None))
        end = attrs.get("rge_valid_until", getattr(self.instance, "rge_valid_until", None))
        if start and end and end < start:
            raise serializers.ValidationError({"rge_valid_until": "La fin de validité RGE précède son début."})
        return attrs


class RgeChangeRequestSerializer(serializers.ModelSerializer):
    """An RGE change the installer asked for, waiting for (or decided by) our staff."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    qualifications = serializers.ListField(child=serializers.CharField(), read_only=True)
    changed_fields = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = RgeChangeRequest
        fields = [
            "id", "status", "status_label", "rge_number", "rge_valid_from", "rge_valid_until", "qualifications",
            "changed_fields", "created_at",
        ]
        read_only_fields = fields


class ProfileSerializer(serializers.Serializer):
    user = ProfileUserSerializer(read_only=True)
    company = CompanySerializer()
    rge_change_request = RgeChangeRequestSerializer(
        read_only=True, allow_null=True,
        help_text="Votre demande de modification RGE en attente de vérification par nos équipes, sinon null. "
        "Les données RGE de l'entreprise (et les contrôles des dossiers) ne changent qu'à son approbation.",
    )


class CompanyPatchSerializer(CompanySerializer):
    """Every field optional: only what is sent changes. The RGE fields sent do not change the
    company: they become a request that staff approve (``rge_change_request`` in the answer)."""

    rge_number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    rge_valid_from = serializers.DateField(required=False, allow_null=True)
    rge_valid_until = serializers.DateField(required=False, allow_null=True)
    qualifications = serializers.ListField(child=serializers.CharField(max_length=80), required=False, max_length=50)

    siret = SiretField(required=False, help_text="14 chiffres (groupés 3-3-3-5 par des espaces ou des points, ou non), clé de contrôle vérifiée.")

    class Meta(CompanySerializer.Meta):
        read_only_fields = ["siren", "rge_status", "rge_status_label", "contract_reference"]
        extra_kwargs = {name: {"required": False} for name in CompanySerializer.Meta.fields}


class ProfilePatchSerializer(JSONTypesChecked, serializers.Serializer):
    company = CompanyPatchSerializer()

    def validate_company(self, values: dict) -> dict:
        return {key: value for key, value in values.items() if key in EDITABLE_FIELDS}
