"""The Document admin: uploaded files and the documents split out of them. Its upload form
puts files into a dossier (through the one upload service) and its action reprocesses
documents, so it is registered from the dossier app; /admin/documents/document/ and its URL
names are unchanged (they follow the model). The document types and pages stay in
documents.admin."""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from cee.admin import ReadOnlyInlineMixin
from documents.admin import PageInline, PartInline
from documents.ingest import IngestError
from documents.models import Document, DocumentType
from extraction.models import ExtractedField, StageRun

from ..models import Dossier, DossierStatus
from ..services import submit_dossier
from ..workflow.admin_actions import reprocess_documents_action
from ..workflow.upload import ingest_file


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class DocumentUploadForm(forms.Form):
    dossier = forms.ModelChoiceField(
        queryset=Dossier.objects.select_related("installer").order_by("-created_at"), label="Dossier",
    )
    declared_type = forms.ModelChoiceField(
        queryset=DocumentType.objects.filter(is_active=True), required=False, label="Type déclaré",
        help_text="Facultatif : le type est reconnu automatiquement.",
    )
    files = MultipleFileField(label="Fichiers", help_text="PDF ou images (JPEG, PNG, TIFF, HEIC, WebP) ; plusieurs à la fois.")
    submit_dossier = forms.BooleanField(
        required=False, initial=True, label="Soumettre le dossier et lancer le traitement",
        help_text="Pour un dossier en brouillon ; un dossier déjà soumis est traité automatiquement.",
    )


def _file_link(document: Document):
    if not document.source.file:
        return "—"
    return format_html('<a href="{}" target="_blank" rel="noopener">Ouvrir le fichier</a>',
                       reverse("documents:document-file", args=[document.pk]))


class ExtractedFieldInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ExtractedField

    fields = ["schema", "value", "confidence", "page", "method", "status"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("schema")


class StageRunInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = StageRun

    fields = ["stage", "outcome", "attempt", "started_at", "duration_ms", "error"]
    ordering = ["started_at"]
    verbose_name_plural = "étapes du traitement"


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Uploaded files and the documents split out of them, with their pages, fields and stages.

    « Ajouter » opens the upload form (several files, through the ingest service); a
    document's values are corrected in the review screen, not here.
    """

    list_display = ["original_filename", "dossier", "document_type", "status", "classification_confidence",
                    "needs_review", "page_count", "uploaded_at"]
    list_filter = ["status", "needs_review", "document_type", "mime_type"]
    search_fields = ["original_filename", "dossier__reference", "dossier__beneficiary_name", "sha256"]
    list_select_related = ["dossier", "document_type"]
    date_hierarchy = "uploaded_at"
    actions = ["reprocess"]
    inlines = [PartInline, PageInline, ExtractedFieldInline, StageRunInline]
    fieldsets = [
        (None, {"fields": ["dossier", "original_filename", "file_link", "parent", "page_start", "page_end"]}),
        ("Type", {"fields": ["document_type", "declared_type", "classification_confidence", "needs_review"]}),
        ("Traitement", {"fields": ["status", "error_code", "error_message", "processing_attempts",
                                    "processing_started_at", "processed_at", "flags_display"]}),
        ("Fichier", {"fields": ["mime_type", "size", "page_count", "sha256", "uploaded_by", "uploaded_at"],
                     "classes": ["collapse"]}),
        ("Texte", {"fields": ["text"], "classes": ["collapse"]}),
    ]
    readonly_fields = ["dossier", "original_filename", "file_link", "parent", "page_start", "page_end",
                       "document_type", "declared_type", "classification_confidence", "status", "error_code",
                       "error_message", "processing_attempts", "processing_started_at", "processed_at",
                       "flags_display", "mime_type", "size", "page_count", "sha256", "uploaded_by", "uploaded_at", "text"]

    @admin.display(description="fichier")
    def file_link(self, obj):
        return _file_link(obj)

    @admin.display(description="signaux")
    def flags_display(self, obj):
        if not obj.flags:
            return "—"
        return format_html_join("", "<div>{}</div>", ((f.get("message") or f.get("code"),) for f in obj.flags))

    @admin.action(description="Retraiter les documents sélectionnés")
    def reprocess(self, request, queryset):
        return reprocess_documents_action(self, request, queryset)

    def add_view(self, request, form_url="", extra_context=None):
        """The upload form: each file through ``ingest_file``, one message per file."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        initial = {"dossier": request.GET.get("dossier")} if request.GET.get("dossier") else {}
        form = DocumentUploadForm(request.POST or None, request.FILES or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            dossier = form.cleaned_data["dossier"]
            declared = form.cleaned_data["declared_type"]
            accepted = 0
            for upload in form.cleaned_data["files"]:
                try:
                    ingest_file(dossier=dossier, fileobj_or_bytes=upload, filename=upload.name, user=request.user,
                                declared_type_code=declared.code if declared else None, request=request)
                    accepted += 1
                except IngestError as error:
                    self.message_user(request, f"« {error.filename or upload.name} » refusé : {error.message}", messages.ERROR)
            if accepted:
                self.message_user(request, f"{accepted} fichier(s) déposé(s) dans {dossier.reference}.", messages.SUCCESS)
            dossier.refresh_from_db()
            if accepted and form.cleaned_data["submit_dossier"] and dossier.status == DossierStatus.DRAFT:
                self._submit(request, dossier)
            return redirect(f"{reverse('admin:documents_document_changelist')}?dossier__id__exact={dossier.pk}")
        context = {
            **self.admin_site.each_context(request),
            "title": "Déposer des documents",
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "has_view_permission": self.has_view_permission(request),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/documents/document/upload.html", context)

    def _submit(self, request, dossier):
        try:
            submit_dossier(dossier, user=request.user, request=request)
        except Exception as error:  # a dossier without beneficiary, a refused move: say why
            self.message_user(request, f"Dossier non soumis : {error}", messages.WARNING)
        else:
            self.message_user(request, f"Dossier {dossier.reference} soumis : traitement lancé.", messages.SUCCESS)
