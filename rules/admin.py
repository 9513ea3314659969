"""The rule studio in the admin: rules (versioned, syntax-checked, testable, with an impact
preview), the read-only list of rule results and overrides, climate zones and precarity
ceilings. The studio's two pages try rules on dossiers: dossiers.backoffice.rule_studio adds
them and registers the Rule admin."""
from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from cee.admin import ReadOnlyAdminMixin

from . import services
from .forms import RuleForm
from .models import ClimateZone, PrecarityCeiling, Rule, RuleResult


class RuleAdmin(SimpleHistoryAdmin):
    form = RuleForm
    list_display = ["code", "name", "scope", "severity", "operations", "document_type", "is_active", "overridable",
                    "version"]
    list_filter = ["is_active", "scope", "severity", "overridable", "document_type"]
    search_fields = ["code", "name", "expression", "description"]
    list_select_related = ["document_type"]
    readonly_fields = ["version", "created_at", "updated_at"]
    actions = ["activate", "deactivate"]
    fieldsets = [
        (None, {"fields": ["code", "name", "description", "is_active"]}),
        ("Portée", {"fields": ["scope", "operation_codes", "document_type"]}),
        ("Contrôle", {
            "fields": ["expression", "severity", "error_message", "overridable"],
            "description": (
                "Langage des règles : champs <code>facture.date_facture</code>, <code>dossier.*</code>, "
                "<code>installer.*</code>, <code>operation.*</code> ; comparaisons, AND / OR / NOT, IN, "
                "fonctions DAYS_BETWEEN, DATE_ADD, ABS, ROUND, MIN, MAX, LEN, IS_EMPTY, COALESCE, CONTAINS, "
                "MATCHES, VALIDATE_SIRET, VALIDATE_SIREN, RGE_VALID_AT, FUZZY_MATCH, CLIMATE_ZONE, CUMAC… "
                "Le message peut citer les valeurs lues : <code>{facture.date_facture}</code>."
            ),
        }),
        ("Version", {"fields": ["version", "created_at", "updated_at"]}),
    ]

    @admin.display(description="fiches")
    def operations(self, obj):
        return ", ".join(obj.operation_codes or []) or "toutes"

    def get_changeform_initial_data(self, request):
        # A new rule starts inactive: test it, preview its impact, then activate it.
        return {"is_active": False, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        services.save_rule(obj, user=request.user)

    @admin.action(description="Activer les règles sélectionnées", permissions=["change"])
    def activate(self, request, queryset):
        self._set_active(request, queryset, True)

    @admin.action(description="Désactiver les règles sélectionnées", permissions=["change"])
    def deactivate(self, request, queryset):
        self._set_active(request, queryset, False)

    def _set_active(self, request, queryset, active: bool):
        count = 0
        for rule in queryset.filter(is_active=not active):
            rule.is_active = active
            try:
                services.save_rule(rule, user=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{rule.code} : {'; '.join(exc.messages)}", messages.ERROR)
                continue
            count += 1
        self.message_user(request, f"{count} règle(s) {'activée(s)' if active else 'désactivée(s)'}.", messages.SUCCESS)


@admin.register(RuleResult)
class RuleResultAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: results are written by the runner, overrides by the review screen."""

    list_display = ["dossier_link", "rule", "rule_version", "status", "overridden", "override_by", "override_at",
                    "override_reason_short", "evaluated_at"]
    list_filter = ["overridden", "status", "rule", ("override_at", admin.DateFieldListFilter),
                   ("evaluated_at", admin.DateFieldListFilter)]
    search_fields = ["dossier__reference", "rule__code", "override_reason", "message"]
    list_select_related = ["dossier", "rule", "override_by"]
    date_hierarchy = "evaluated_at"
    readonly_fields = [field.name for field in RuleResult._meta.fields]

    @admin.display(description="dossier", ordering="dossier__reference")
    def dossier_link(self, obj):
        try:
            url = reverse("admin:dossiers_dossier_change", args=[obj.dossier_id])
        except Exception:  # noqa: BLE001 - the dossier admin may not be registered
            return obj.dossier.reference
        return format_html('<a href="{}">{}</a>', url, obj.dossier.reference)

    @admin.display(description="motif")
    def override_reason_short(self, obj):
        return (obj.override_reason[:80] + "…") if len(obj.override_reason) > 80 else obj.override_reason


@admin.register(ClimateZone)
class ClimateZoneAdmin(SimpleHistoryAdmin):
    list_display = ["departement", "name", "zone"]
    list_filter = ["zone"]
    search_fields = ["departement", "name"]


@admin.register(PrecarityCeiling)
class PrecarityCeilingAdmin(SimpleHistoryAdmin):
    list_display = ["year", "region", "category", "persons", "ceiling_eur", "extra_per_person_eur", "confirmed"]
    list_filter = ["year", "region", "category", "confirmed"]
