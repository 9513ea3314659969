"""Admin of what extraction learned from validators' verdicts: layouts, field positions, label
phrases. Each row can be switched off (``actif``); the learning as a whole is switched off by
deactivating the extraction engine setting ``learned`` (Réglages des moteurs)."""
from __future__ import annotations

from django.contrib import admin
from django.db.models import Count

from .models import (LayoutFingerprint, LearnedFieldLocation, LearnedIssuerValue, LearnedLabelPhrase, LearnedProduct,
                     LearnedRejection, RankingModel)


@admin.action(description="Activer la sélection")
def activate(modeladmin, request, queryset):
    queryset.update(is_active=True)


@admin.action(description="Désactiver la sélection")
def deactivate(modeladmin, request, queryset):
    queryset.update(is_active=False)


class LearnedFieldLocationInline(admin.TabularInline):
    model = LearnedFieldLocation
    fields = ["schema", "absent", "page", "relation", "anchor", "bbox", "constant", "count", "corrections", "is_active"]
    readonly_fields = ["schema", "absent", "page", "relation", "anchor", "bbox", "constant", "count", "corrections"]
    extra = 0
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LayoutFingerprint)
class LayoutFingerprintAdmin(admin.ModelAdmin):
    """Layouts learned from verdicts; the next document of a layout is read at the learned
    positions first."""

    list_display = ["digest", "document_type", "issuer", "page_shape", "page_count", "documents_learned",
                    "types_corrected", "location_count", "is_active", "updated_at"]
    list_filter = ["document_type", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["digest", "issuer"]
    list_select_related = ["document_type"]
    readonly_fields = ["document_type", "digest", "issuer", "page_count", "page_shape", "features",
                       "documents_learned", "types_corrected", "misread_as", "created_at", "updated_at"]
    inlines = [LearnedFieldLocationInline]
    actions = [activate, deactivate]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(location_total=Count("locations"))

    @admin.display(description="positions apprises", ordering="location_total")
    def location_count(self, obj):
        return obj.location_total


@admin.register(LearnedFieldLocation)
class LearnedFieldLocationAdmin(admin.ModelAdmin):
    list_display = ["schema", "fingerprint", "absent", "page", "relation", "anchor", "constant", "count", "corrections",
                    "is_active", "updated_at"]
    list_filter = ["schema__document_type", "absent", "relation", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["schema__name", "anchor", "constant", "fingerprint__digest", "fingerprint__issuer"]
    list_select_related = ["schema__document_type", "fingerprint__document_type"]
    readonly_fields = ["fingerprint", "schema", "key", "absent", "page", "bbox", "relation", "anchor", "offset",
                       "value_words", "followed_by", "value_head", "constant", "count", "corrections", "created_at",
                       "updated_at"]
    actions = [activate, deactivate]

    def has_add_permission(self, request):
        return False


@admin.register(LearnedLabelPhrase)
class LearnedLabelPhraseAdmin(admin.ModelAdmin):
    """Label phrases learned from corrections, used as extra labels of their field on every layout
    (from the number of corrections set by ``CEE_LEARNED_PHRASE_MIN_COUNT``) while active."""

    list_display = ["phrase", "schema", "count", "is_active", "updated_at"]
    list_filter = ["schema__document_type", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["phrase", "schema__name"]
    list_select_related = ["schema__document_type"]
    readonly_fields = ["schema", "phrase", "count", "created_at", "updated_at"]
    actions = [activate, deactivate]

    def has_add_permission(self, request):
        return False


@admin.register(LearnedProduct)
class LearnedProductAdmin(admin.ModelAdmin):
    """Products learned from the verdicts on brands and references: while active, a brand the
    lexicon does not name is read in item designations, and a reference a scan misread is put
    back in the spelling validated."""

    list_display = ["brand", "reference", "count", "is_active", "updated_at"]
    list_filter = ["is_active"]
    list_editable = ["is_active"]
    search_fields = ["brand", "reference"]
    readonly_fields = ["brand", "reference", "count", "created_at", "updated_at"]
    actions = [activate, deactivate]

    def has_add_permission(self, request):
        return False


@admin.register(LearnedRejection)
class LearnedRejectionAdmin(admin.ModelAdmin):
    """Items validators removed from the lists of brands or references the extractor read: while
    active, and removed more often than validated, they are left out of the lists read afterwards."""

    list_display = ["text", "replacement", "lexicon", "count", "is_active", "updated_at"]
    list_filter = ["lexicon", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["text", "replacement"]
    readonly_fields = ["lexicon", "text", "replacement", "count", "created_at", "updated_at"]
    actions = [activate, deactivate]

    def has_add_permission(self, request):
        return False


@admin.register(LearnedIssuerValue)
class LearnedIssuerValueAdmin(admin.ModelAdmin):
    """The name and RGE number validators confirmed beside an installer's SIRET: while active, the
    installer's next documents, of any type, read them where a scan garbled them or the
    extractor missed them."""

    list_display = ["siret", "kind", "value", "count", "is_active", "updated_at"]
    list_filter = ["kind", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["siret", "value"]
    readonly_fields = ["siret", "kind", "value", "count", "created_at", "updated_at"]
    actions = [activate, deactivate]

    def has_add_permission(self, request):
        return False


@admin.register(RankingModel)
class RankingModelAdmin(admin.ModelAdmin):
    """The learned rankings of candidates, one row a version of a field's model (``train_ranker``).
    Written by the training only; an administrator may switch a version off (``utilisé``), and the
    rule-based order then reads that field again."""

    list_display = ["field_name", "version", "is_active", "documents", "examples", "trained_at"]
    list_filter = ["is_active", "field_name"]
    search_fields = ["field_name"]
    fields = ["field_name", "version", "is_active", "documents", "examples", "feature_names", "trained_at"]
    readonly_fields = ["field_name", "version", "documents", "examples", "feature_names", "trained_at"]
    actions = [deactivate]

    def has_add_permission(self, request, obj=None):
        return False
