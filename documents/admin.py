"""Admin of document types, documents and pages. Uploads go through documents.ingest."""
from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from cee.admin import PrettyJSONAdminMixin, pretty_json_html
from dossiers.models import DossierStatus
from extraction.models import ExtractedField, StageRun

from .forms import DocumentUploadForm
from .ingest import IngestError, ingest_file
from .models import Document, DocumentType, Page


@admin.register(DocumentType)
class DocumentTypeAdmin(PrettyJSONAdminMixin, SimpleHistoryAdmin):
    """A kind of document; its classification hints (weighted keywords, titles, negative
    words) are what the classifier reads."""

    list_display = ["name", "code", "is_active", "display_order", "document_count"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    ordering = ["display_order", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_documents=Count("documents"))

    @admin.display(description="documents", ordering="_documents")
    def document_count(self, obj):
        return obj._documents


def _file_link(document: Document):
    if not document.source.file:
        return "—"
    return format_html('<a href="{}" target="_blank" rel="noopener">Ouvrir le fichier</a>',
                       reverse("documents:document-file", args=[document.pk]))


class PageInline(admin.TabularInline):
    model = Page
    fields = ["number", "thumbnail", "text_source", "has_text_layer", "ocr_confidence", "rotation", "word_count"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="image")
    def thumbnail(self, page):
        if not page.image:
            return "—"
        url = reverse("documents:page-image", args=[page.document_id, page.number])
        return format_html('<a href="{0}" target="_blank"><img src="{0}" alt="page {1}" style="height: 90px; border: 1px solid #ccc;"></a>', url, page.number)

    @admin.display(description="mots")
    def word_count(self, page):
        return len(page.words or [])


class PartInline(admin.TabularInline):
    model = Document
    fk_name = "parent"
    fields = ["original_filename", "document_type", "page_start", "page_end", "status", "classification_confidence"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = "partie découpée"
    verbose_name_plural = "parties découpées (plusieurs documents dans un fichier)"

    def has_add_permission(self, request, obj=None):
        return False


class ExtractedFieldInline(admin.TabularInline):
    model = ExtractedField

    fields = ["schema", "value", "confidence", "page", "method", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("schema")


class StageRunInline(admin.TabularInline):
    model = StageRun

    fields = ["stage", "outcome", "attempt", "started_at", "duration_ms", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["started_at"]
    verbose_name_plural = "étapes du traitement"

    def has_add_permission(self, request, obj=None):
        return False


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
        from dossiers.workflow.admin_actions import reprocess_documents_action

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
        from dossiers.services import submit_dossier

        try:
            submit_dossier(dossier, user=request.user, request=request)
        except Exception as error:  # a dossier without beneficiary, a refused move: say why
            self.message_user(request, f"Dossier non soumis : {error}", messages.WARNING)
        else:
            self.message_user(request, f"Dossier {dossier.reference} soumis : traitement lancé.", messages.SUCCESS)


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    """Pages as the pipeline read them (read-only): text, words with boxes, image."""

    list_display = ["document", "number", "text_source", "has_text_layer", "ocr_confidence", "rotation"]
    list_filter = ["text_source", "has_text_layer"]
    search_fields = ["document__original_filename", "document__dossier__reference", "text"]
    list_select_related = ["document"]
    fields = ["document", "number", "width", "height", "image_preview", "text_source", "has_text_layer",
              "ocr_confidence", "rotation", "text", "words_display"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="image")
    def image_preview(self, page):
        if not page.image:
            return "—"
        url = reverse("documents:page-image", args=[page.document_id, page.number])
        return format_html('<img src="{}" alt="page {}" style="max-width: 600px; border: 1px solid #ccc;">', url, page.number)

    @admin.display(description="mots (texte, confiance, zone)")
    def words_display(self, page):
        return pretty_json_html((page.words or [])[:200])
