"""Admin of the extraction configuration (field schemas, engines) and of its outputs."""
from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from cee.admin import PrettyJSONAdminMixin, json_object, pretty_json_html

from . import admin_learning  # noqa: F401  (registers the learned layouts and phrases)
from . import admin_reading  # noqa: F401  (registers the phrase patterns and the brand lexicon)
from .models import EngineConfig, ExtractedField, FieldSchema, HumanFeedback, ModelMetric, StageRun

ENGINES_BY_TASK = {
    EngineConfig.Task.OCR: ("auto", "tesseract", "easyocr"),
    EngineConfig.Task.CLASSIFICATION: ("keywords",),
    EngineConfig.Task.EXTRACTION: ("anchors", "learned"),
}


class FieldSchemaForm(forms.ModelForm):
    def clean_extraction_hints(self):
        return json_object(self.cleaned_data.get("extraction_hints"), field_label="Les indices d'extraction")


@admin.register(FieldSchema)
class FieldSchemaAdmin(PrettyJSONAdminMixin, SimpleHistoryAdmin):
    """A field to extract from a document type. The extraction hints (label variants, regular
    expressions, value below the label, table columns) are data: edit them here, no code."""

    form = FieldSchemaForm
    list_display = ["document_type", "name", "label", "data_type", "required", "display_order", "is_active"]
    list_filter = ["document_type", "data_type", "required", "is_active"]
    search_fields = ["name", "label", "document_type__code"]
    list_select_related = ["document_type"]
    ordering = ["document_type__display_order", "display_order", "name"]


@admin.register(ExtractedField)
class ExtractedFieldAdmin(SimpleHistoryAdmin):
    """Values read by the pipeline. Validators confirm or correct them in the review screen;
    here they are read, filtered and traced (history)."""

    list_display = ["schema", "value", "confidence", "status", "method", "page", "document", "dossier"]
    list_filter = ["status", "method", "schema__document_type", "engine"]
    search_fields = ["value", "raw_text", "dossier__reference", "schema__name"]
    list_select_related = ["schema__document_type", "document", "dossier"]
    readonly_fields = ["document", "dossier", "schema", "value", "raw_text", "confidence", "page", "bbox",
                       "method", "engine", "original_value", "corrected_value", "status",
                       "confirmed_by", "confirmed_at", "corrected_by", "corrected_at", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False


@admin.register(HumanFeedback)
class HumanFeedbackAdmin(admin.ModelAdmin):
    """Validators' verdicts on extracted values: the training signal (read-only)."""

    list_display = ["created_at", "document_type_code", "field_name", "kind", "original_value", "corrected_value",
                    "engine_name", "used_for_training", "created_by"]
    list_filter = ["kind", "document_type_code", "used_for_training", "engine_name"]
    search_fields = ["field_name", "original_value", "corrected_value", "dossier__reference"]
    list_select_related = ["created_by"]
    readonly_fields = [f.name for f in HumanFeedback._meta.fields]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False


class EngineConfigForm(forms.ModelForm):
    def clean_parameters(self):
        return json_object(self.cleaned_data.get("parameters"), field_label="Les paramètres")

    def clean(self):
        cleaned = super().clean()
        task, engine = cleaned.get("task"), cleaned.get("engine")
        allowed = ENGINES_BY_TASK.get(task)
        if allowed and engine not in allowed:
            self.add_error("engine", f"Moteurs possibles pour cette tâche : {', '.join(allowed)}.")
        return cleaned


@admin.register(EngineConfig)
class EngineConfigAdmin(PrettyJSONAdminMixin, SimpleHistoryAdmin):
    """Which engine runs each task. For OCR the active row with the lowest priority wins;
    ``auto`` picks EasyOCR on a GPU host, Tesseract otherwise."""

    form = EngineConfigForm
    list_display = ["task", "engine", "is_active", "priority", "effective_engine"]
    list_filter = ["task", "is_active"]
    search_fields = ["engine", "notes"]
    ordering = ["task", "priority"]

    @admin.display(description="moteur effectif sur ce serveur")
    def effective_engine(self, obj):
        if obj.task != EngineConfig.Task.OCR:
            return "—"
        from .engines import resolve_engine_name

        try:
            return resolve_engine_name(obj.engine, probe_cuda=False)
        except Exception as error:  # an unknown name saved before validation existed
            return str(error)


@admin.register(ModelMetric)
class ModelMetricAdmin(admin.ModelAdmin):
    """Measured quality of the engines (read-only)."""

    list_display = ["measured_at", "task", "document_type_code", "field_name", "engine", "engine_version",
                    "accuracy", "precision", "recall", "f1", "sample_size"]
    list_filter = ["task", "engine", "document_type_code"]
    search_fields = ["field_name", "engine", "document_type_code"]
    readonly_fields = [f.name for f in ModelMetric._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(StageRun)
class StageRunAdmin(admin.ModelAdmin):
    """Every run of every pipeline stage: outcome, duration, error (read-only)."""

    list_display = ["started_at", "stage", "outcome", "attempt", "duration_ms", "document_link", "dossier"]
    list_filter = ["outcome", "stage"]
    search_fields = ["dossier__reference", "document__original_filename", "error"]
    list_select_related = ["dossier", "document"]
    date_hierarchy = "started_at"
    fields = ["dossier", "document", "stage", "outcome", "attempt", "started_at", "duration_ms", "error", "details_display"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="document")
    def document_link(self, obj):
        if not obj.document_id:
            return "—"
        url = reverse("admin:documents_document_change", args=[obj.document_id])
        return format_html('<a href="{}">{}</a>', url, obj.document.original_filename)

    @admin.display(description="détails")
    def details_display(self, obj):
        return pretty_json_html(obj.details)
