"""Admin of what the extractor reads beside the field hints: phrase patterns and the brand lexicon."""
from __future__ import annotations

from django.contrib import admin

from .models import PhrasePattern, ProductBrand


@admin.register(PhrasePattern)
class PhrasePatternAdmin(admin.ModelAdmin):
    """Sentences that carry a field's value (« le montant de la prime s'élève à {valeur} »):
    add one here and the next documents are read with it, no code."""

    list_display = ["pattern", "schema", "weight", "is_active"]
    list_filter = ["is_active", "schema__document_type", "schema__name"]
    list_editable = ["is_active"]
    search_fields = ["pattern", "schema__name"]
    list_select_related = ["schema__document_type"]
    autocomplete_fields = ["schema"]


@admin.register(ProductBrand)
class ProductBrandAdmin(admin.ModelAdmin):
    """Manufacturers found by name in item designations (marque and reference of the product)."""

    list_display = ["name", "family", "aliases", "is_active"]
    list_filter = ["family", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["name"]
