"""Admin of the dossiers app's configuration (operations, rejection reasons) and logs.

The Dossier and DossierOperation admin (the review queue and screen) lives in
dossiers/review/admin_queue.py. Also registers the site-wide "Exporter CSV / Excel" actions
(see dossiers.backoffice.admin_actions).
"""
from __future__ import annotations

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cee.admin import PrettyJSONAdminMixin, ReadOnlyAdminMixin, json_object, pretty_json_html
from rules.cumac import check_parameters

from .backoffice.admin_actions import export_csv_action, export_xlsx_action
from .models import (
    DossierReferenceSequence,
    Operation,
    OperationDocumentRequirement,
    ReferenceDataRow,
    RejectionReason,
    Timeline,
)


admin.site.add_action(export_csv_action, "export_csv")
admin.site.add_action(export_xlsx_action, "export_xlsx")


class OperationDocumentRequirementInline(admin.TabularInline):
    model = OperationDocumentRequirement
    fields = ["document_type", "required", "note"]
    extra = 0
    verbose_name = "document exigé"
    verbose_name_plural = "documents exigés pour cette fiche"


class OperationForm(forms.ModelForm):
    def clean_cumac_parameters(self):
        params = json_object(self.cleaned_data.get("cumac_parameters"), field_label="Les paramètres cumac")
        # The calculator knows the shape it reads: a table it cannot use is refused here, not at run time.
        problems = check_parameters(params)
        if problems:
            raise forms.ValidationError(problems)
        return params


@admin.register(Operation)
class OperationAdmin(PrettyJSONAdminMixin, SimpleHistoryAdmin):
    """A CEE fiche, one row per version. The version in force at the engagement date applies;
    an abolished fiche stays (inactive) because old dossiers cite it."""

    form = OperationForm
    list_display = ["code", "name", "version", "valid_from", "valid_until", "is_active", "coup_de_pouce", "requirement_count"]
    list_filter = ["sector", "category", "is_active", "coup_de_pouce"]
    search_fields = ["code", "name", "version", "description"]
    ordering = ["code", "-valid_from"]
    inlines = [OperationDocumentRequirementInline]
    readonly_fields = ["cumac_parameters_display"]
    fieldsets = [
        (None, {"fields": ["code", "name", "sector", "category", "version", "description"]}),
        ("Validité", {"fields": ["valid_from", "valid_until", "is_active", "coup_de_pouce"]}),
        (
            "Calcul des kWh cumac",
            {
                "fields": ["cumac_parameters"],
                "description": "Tables de la fiche en JSON : montant de base par zone / type de logement / classe "
                "(« base »), facteurs multiplicatifs (« multipliers »), grandeur multipliée (« per »), seuils "
                "techniques (« thresholds ») et bonifications (« bonuses »).",
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("document_requirements")

    @admin.display(description="documents exigés")
    def requirement_count(self, obj):
        return len(obj.document_requirements.all())

    @admin.display(description="paramètres cumac")
    def cumac_parameters_display(self, obj):
        return pretty_json_html(obj.cumac_parameters)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only visitors (validators) get the indented block, not a one-line dump.
            return [
                (name, {**options, "fields": ["cumac_parameters_display" if f == "cumac_parameters" else f for f in options["fields"]]})
                for name, options in fieldsets
            ]
        return fieldsets


@admin.register(OperationDocumentRequirement)
class OperationDocumentRequirementAdmin(admin.ModelAdmin):
    list_display = ["operation", "document_type", "required", "note"]
    list_filter = ["required", "document_type", "operation__sector"]
    search_fields = ["operation__code", "document_type__name", "document_type__code", "note"]
    list_select_related = ["operation", "document_type"]
    ordering = ["operation__code", "document_type__display_order"]


@admin.register(RejectionReason)
class RejectionReasonAdmin(SimpleHistoryAdmin):
    list_display = ["label", "code", "display_order", "is_active"]
    list_editable = ["display_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "label"]
    prepopulated_fields = {"code": ["label"]}


@admin.register(Timeline)
class TimelineAdmin(admin.ModelAdmin):
    list_display = ["dossier", "date_devis", "date_signature", "date_debut_travaux", "date_fin_travaux", "date_facture"]
    search_fields = ["dossier__reference", "dossier__beneficiary_name"]
    list_select_related = ["dossier"]
    date_hierarchy = "date_signature"
    raw_id_fields = ["dossier"]
    show_full_result_count = False


@admin.register(DossierReferenceSequence)
class DossierReferenceSequenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Shown for information: the numbers are drawn by dossiers.services."""

    list_display = ["year", "last_number"]
    readonly_fields = ["year", "last_number"]


@admin.register(ReferenceDataRow)
class ReferenceDataRowAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What ``load_reference_data`` last wrote, row by row: its detail page says whether the
    row was edited in the admin since (such a row is kept by the next load, unless --force)."""

    list_display = ["model_label", "key", "loaded_at"]
    list_filter = ["model_label"]
    search_fields = ["key"]
    fields = ["model_label", "key", "loaded_at", "state"]
    readonly_fields = fields

    @admin.display(description="état")
    def state(self, obj):
        from .management.commands.load_reference_data import edited_since_loaded

        edited = edited_since_loaded(obj)
        if edited is None:
            return "Ligne supprimée : le prochain chargement la recrée."
        if edited:
            return "Modifiée dans l'admin depuis le chargement : conservée (load_reference_data --force la remplacerait)."
        return "Telle que chargée : le prochain chargement la mettra à jour si les fichiers de référence changent."


from .review import admin_queue  # noqa: E402,F401 - registers the Dossier (queue, review screen) and DossierOperation ModelAdmins
from .backoffice import document_admin  # noqa: E402,F401 - registers the Document admin (upload form, reprocess)
from .mail import admin as mail_admin  # noqa: E402,F401 - registers the mail-ingestion ModelAdmins
from .routine import admin as routine_admin  # noqa: E402,F401 - registers the routine-job ModelAdmin


from .webhooks import admin as webhooks_admin  # noqa: E402,F401 - registers the webhook ModelAdmins
