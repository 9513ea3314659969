"""Documents as the installer API shows them."""
from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from documents.models import Document, DocumentType


class DocumentTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentType
        fields = ["code", "name"]


class DocumentSerializer(serializers.ModelSerializer):
    document_type = DocumentTypeSerializer(read_only=True, allow_null=True, help_text="Type reconnu (null tant que le document n'est pas classé).")
    declared_type = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True, help_text="Type déclaré au dépôt.")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    dossier_reference = serializers.CharField(source="dossier.reference", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id", "dossier", "dossier_reference", "original_filename", "document_type", "declared_type",
            "status", "status_label", "error_message", "mime_type", "size", "sha256", "page_count",
            "parent", "page_start", "page_end", "uploaded_at", "processed_at", "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document: Document) -> str:
        path = reverse("api:document-download", kwargs={"pk": document.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class FileErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code stable : empty_file, unsupported_type, too_large, duplicate, encrypted…")
    message = serializers.CharField(help_text="Raison du refus, en français.")


class FileResultSerializer(serializers.Serializer):
    filename = serializers.CharField()
    accepted = serializers.BooleanField()
    document = DocumentSerializer(allow_null=True, help_text="Le document créé (null si refusé).")
    error = FileErrorSerializer(allow_null=True, help_text="La raison du refus (null si accepté).")


class UploadResultSerializer(serializers.Serializer):
    accepted = serializers.IntegerField(help_text="Nombre de fichiers acceptés.")
    refused = serializers.IntegerField(help_text="Nombre de fichiers refusés.")
    files = FileResultSerializer(many=True, help_text="Un résultat par fichier, dans l'ordre d'envoi.")


class UploadRequestSerializer(serializers.Serializer):
    """Multipart form: one or more ``files`` parts; optionally the type they all are."""

    files = serializers.ListField(
        child=serializers.FileField(), allow_empty=False, min_length=1,
        help_text="Un ou plusieurs fichiers (PDF, JPEG, PNG, TIFF, HEIC), répétez la partie « files ».",
    )
    document_type = serializers.SlugRelatedField(
        slug_field="code", queryset=DocumentType.objects.filter(is_active=True), required=False,
        help_text="Type des fichiers envoyés (devis, facture, attestation_honneur…), si vous le connaissez.",
    )
