"""Admin of document types and pages, and the inlines the Document admin shows.

The Document admin itself (its upload form and its reprocess action work on the dossier and
the pipeline) is registered by dossiers.backoffice.document_admin: same URLs and names."""
from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from cee.admin import PrettyJSONAdminMixin, ReadOnlyAdminMixin, ReadOnlyInlineMixin, pretty_json_html

from .models import Document, DocumentSearchVector, DocumentType, Page


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


class PageInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Page
    fields = ["number", "thumbnail", "text_source", "has_text_layer", "ocr_confidence", "rotation", "word_count"]
    show_change_link = True

    @admin.display(description="image")
    def thumbnail(self, page):
        if not page.image:
            return "—"
        url = reverse("documents:page-image", args=[page.document_id, page.number])
        return format_html('<a href="{0}" target="_blank"><img src="{0}" alt="page {1}" style="height: 90px; border: 1px solid #ccc;"></a>', url, page.number)

    @admin.display(description="mots")
    def word_count(self, page):
        return len(page.words or [])


class PartInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Document
    fk_name = "parent"
    fields = ["original_filename", "document_type", "page_start", "page_end", "status", "classification_confidence"]
    show_change_link = True
    verbose_name = "partie découpée"
    verbose_name_plural = "parties découpées (plusieurs documents dans un fichier)"


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


@admin.register(DocumentSearchVector)
class DocumentSearchVectorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The documents' full-text vectors, for a look when a document is not found: read-only, a
    PostgreSQL trigger writes them from the text (empty on SQLite)."""

    list_display = ["document"]
    search_fields = ["document__original_filename", "document__dossier__reference"]
    list_select_related = ["document"]
    fields = ["document", "vector"]
    readonly_fields = fields
