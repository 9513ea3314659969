"""The validators' queue in the admin: the Dossier changelist, and the DossierOperation admin.

The queue is the Dossier changelist: ready-for-review and in-review dossiers by default,
most urgent then oldest first, with the filters a validator needs (``admin_filters``) and
the actions on selected dossiers (``admin_actions``). Opening a dossier goes to the review
screen (``admin_screen``, mixed into the same ModelAdmin: its URLs live under the Dossier
admin's).
"""
from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import helpers
from django.db.models import BooleanField, Case, Value, When
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from accounts.activity import log_activity
from cee.admin import ReadOnlyAdminMixin, ReadOnlyInlineMixin
from cee.formats import format_duration

from ..admin_search import hidden_search_matches
from ..models import Dossier, DossierOperation, DossierStatus
from ..services import EDITABLE_DOSSIER_FIELDS, update_dossier
from .admin_actions import (
    EXTERNAL_ACTIONS,
    QueueActionForm,
    assign_to_chosen_validator,
    assign_to_me,
    release_selected,
)
from .admin_filters import (
    AssignedFilter,
    ConfidenceFilter,
    FailedRulesFilter,
    FraudFilter,
    InstallerFilter,
    OperationFilter,
    QueueStatusFilter,
    SubmittedFilter,
)
from .admin_screen import ReviewScreenAdminMixin, is_administrator_request, review_url
from .queue import QUEUE_ORDERING, QUEUE_STATUSES, queue_rows, queue_status_counts, search_dossiers


class DossierOperationInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = DossierOperation
    fields = ["operation", "status", "kwh_cumac", "coefficient", "premium_eur", "confidence"]
    show_change_link = False


@admin.register(Dossier)
class DossierAdmin(ReviewScreenAdminMixin, admin.ModelAdmin):
    """The queue and the review screen. Validators review; only administrators configure."""

    change_list_template = "admin/dossiers/dossier/queue.html"
    list_display = [
        "priority_badge", "reference_link", "beneficiary", "installer_link", "operation_codes",
        "confidence_pill", "failed_rules", "fraud_flag", "status_badge", "age",
    ]
    list_display_links = None
    list_filter = [
        QueueStatusFilter, AssignedFilter, OperationFilter, InstallerFilter, ConfidenceFilter,
        FailedRulesFilter, FraudFilter, SubmittedFilter,
    ]
    search_fields = ["reference"]  # the search itself is review.queue.search_dossiers
    search_help_text = "Référence, bénéficiaire, installateur ou SIRET — raccourci : /"
    ordering = QUEUE_ORDERING
    sortable_by = ["priority_badge", "reference_link", "confidence_pill", "failed_rules", "age"]
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    action_form = QueueActionForm
    actions = [assign_to_me, assign_to_chosen_validator, release_selected]
    inlines = [DossierOperationInline]
    fieldsets = [
        ("Bénéficiaire", {"fields": [
            "reference", "installer", "beneficiary_name", "beneficiary_address", "beneficiary_postal_code",
            "beneficiary_city", "beneficiary_email", "beneficiary_phone", "precarity_status",
        ]}),
        ("Travaux", {"fields": ["works_address", "works_postal_code", "works_city", "housing_type", "living_area_m2"]}),
        ("Revue", {"fields": [
            "status", "priority", "assigned_to", "confidence_score", "failed_rule_count", "has_fraud_signal",
            "fraud_signals", "missing_documents", "total_kwh_cumac", "premium_eur", "decision_reason",
        ]}),
        ("Dates", {"fields": [
            "created_at", "created_by", "submitted_at", "submitted_by", "validated_at", "validated_by",
            "processing_time",
        ]}),
    ]
    # Never edited by hand: the state machine, the pipeline and the services own them.
    workflow_fields = [
        "reference", "installer", "status", "assigned_to", "confidence_score", "failed_rule_count",
        "has_fraud_signal", "fraud_signals", "missing_documents", "total_kwh_cumac", "premium_eur",
        "decision_reason", "created_at", "created_by", "submitted_at", "submitted_by", "validated_at",
        "validated_by", "processing_time",
    ]

    # --- permissions: validators review, administrators configure --------------------

    def has_add_permission(self, request):
        return False  # dossiers come from installers (portal, API) through dossiers.services

    def has_delete_permission(self, request, obj=None):
        return is_administrator_request(request) and super().has_delete_permission(request, obj)

    def has_assign_permission(self, request):
        return is_administrator_request(request)

    def get_readonly_fields(self, request, obj=None):
        if not is_administrator_request(request):
            return [name for _, options in self.fieldsets for name in options["fields"]]
        return self.workflow_fields

    def save_model(self, request, obj, form, change):
        """An administrator's edit of the beneficiary or the site goes through update_dossier (logged)."""
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE_DOSSIER_FIELDS}
        if "priority" in form.changed_data:
            previous = Dossier.objects.values_list("priority", flat=True).get(pk=obj.pk)
            Dossier.objects.filter(pk=obj.pk).update(priority=obj.priority)
            log_activity("priority_changed", actor=request.user, target=obj,
                         description=f"Priorité {previous} → {obj.priority}", request=request)
        if changes:
            update_dossier(Dossier.objects.get(pk=obj.pk), by=request.user, request=request, **changes)

    def get_actions(self, request):
        actions = super().get_actions(request)
        for action, for_validators in EXTERNAL_ACTIONS:
            if is_administrator_request(request) or for_validators:
                name = action.__name__
                actions[name] = (action, name, getattr(action, "short_description", name))
        return actions

    # --- the queue -----------------------------------------------------------------

    def get_queryset(self, request):
        # "held_by_me" lets a row say "vous" without the admin keeping per-request state.
        return queue_rows().annotate(
            held_by_me=Case(When(assigned_to_id=request.user.pk, then=Value(True)), default=Value(False),
                            output_field=BooleanField())
        )

    def get_search_results(self, request, queryset, search_term):
        return search_dossiers(queryset, search_term), False

    def changelist_view(self, request, extra_context=None):
        counts = queue_status_counts()
        extra = {
            "status_counts": [
                {"status": status, "label": DossierStatus(status).label, "count": count,
                 "url": f"?statut={status}"}
                for status, count in counts.items()
            ],
            "mine_url": "?validateur=moi",
            "next_url": reverse("admin:dossiers_dossier_next"),
            "title": "File de revue",
            "is_nav_sidebar_enabled": False,
        }
        response = super().changelist_view(request, {**extra, **(extra_context or {})})
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            status = request.GET.get(QueueStatusFilter.parameter_name)
            response.context_data.update(hidden_search_matches(
                request, changelist, parameter=QueueStatusFilter.parameter_name, all_value=QueueStatusFilter.ALL,
                shown=QUEUE_STATUSES if status is None else [status],
            ))
        return response

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle" aria-label="Tout sélectionner">'))
    def action_checkbox(self, obj):
        # The admin renders this box through a form widget and its template, 50 times a page:
        # a third of the queue's time. The same markup, written directly.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="Sélectionner {}">',
            helpers.ACTION_CHECKBOX_NAME, obj.pk, obj.reference,
        )

    @admin.display(description="Prio.", ordering="priority")
    def priority_badge(self, obj):
        level = "high" if obj.priority >= 75 else "mid" if obj.priority >= 50 else "low"
        return format_html('<span class="q-prio q-prio-{}" title="Priorité {}">{}</span>', level, obj.priority, obj.priority)

    @admin.display(description="Référence", ordering="reference")
    def reference_link(self, obj):
        return format_html('<a class="q-ref" href="{}">{}</a>', review_url(obj.pk), obj.reference)

    @admin.display(description="Bénéficiaire")
    def beneficiary(self, obj):
        place = " ".join(p for p in (obj.works_postal_code or obj.beneficiary_postal_code,
                                     obj.works_city or obj.beneficiary_city) if p)
        return format_html('<span class="q-benef">{}</span><span class="q-sub">{}</span>', obj.beneficiary_name, place)

    @admin.display(description="Installateur")
    def installer_link(self, obj):
        return format_html(
            '<a class="q-inst" href="?installateur={}" title="Filtrer sur cet installateur — SIRET {}">{}</a>',
            obj.installer_id, obj.installer.siret, obj.installer.name,
        )

    @admin.display(description="Fiches")
    def operation_codes(self, obj):
        codes = sorted({item.operation.code for item in obj.operations.all()})
        return format_html_join("", '<span class="q-op">{}</span>', ((code,) for code in codes)) or "—"

    @admin.display(description="Confiance", ordering="confidence_score")
    def confidence_pill(self, obj):
        if obj.confidence_score is None:
            return mark_safe('<span class="q-conf q-conf-none">—</span>')
        value = float(obj.confidence_score)
        level = "low" if value < 0.6 else "mid" if value < 0.8 else "good"
        return format_html(
            '<span class="q-conf q-conf-{}"><span class="q-conf-bar" style="width:{}%"></span>{} %</span>',
            level, round(value * 100), round(value * 100),
        )

    @admin.display(description="Règles KO", ordering="failed_rule_count")
    def failed_rules(self, obj):
        if not obj.failed_rule_count:
            return mark_safe('<span class="q-rules q-rules-ok">0</span>')
        return format_html('<span class="q-rules q-rules-ko">{}</span>', obj.failed_rule_count)

    @admin.display(description="Fraude")
    def fraud_flag(self, obj):
        if not obj.has_fraud_signal:
            return mark_safe('<span class="q-none"></span>')
        return format_html('<span class="q-fraud" title="{}">⚑</span>',
                           f"{len(obj.fraud_signals or [])} signal(aux) de fraude")

    @admin.display(description="Statut")
    def status_badge(self, obj):
        holder = ""
        if obj.assigned_to_id:
            holder = "vous" if getattr(obj, "held_by_me", False) else (
                obj.assigned_to.get_full_name() or obj.assigned_to.email)
        return format_html(
            '<span class="q-status q-status-{}">{}</span><span class="q-sub">{}</span>',
            obj.status, obj.get_status_display(), holder,
        )

    @admin.display(description="durée de traitement")
    def processing_time(self, obj):
        return format_duration(obj.processing_seconds)

    @admin.display(description="Ancienneté", ordering="submitted_at")
    def age(self, obj):
        if not obj.submitted_at:
            return "—"
        days = (timezone.now() - obj.submitted_at).days
        text = "aujourd'hui" if days == 0 else f"{days} j"
        level = "old" if days > 20 else "mid" if days > 7 else "new"
        return format_html('<span class="q-age q-age-{}" title="Soumis le {}">{}</span>', level,
                           timezone.localtime(obj.submitted_at).strftime("%d/%m/%Y %H:%M"), text)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Validators work in the review screen; the raw form is for administrators."""
        if not is_administrator_request(request) and object_id and str(object_id).isdigit():
            return HttpResponseRedirect(reverse("admin:dossiers_dossier_review", args=[object_id]))
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(DossierOperation)
class DossierOperationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The operations claimed in dossiers, with their cumac and premium (read-only: the rules compute them)."""

    list_display = ["dossier_link", "operation", "status", "kwh_cumac", "coefficient", "premium_eur", "confidence"]
    list_filter = ["status", "operation__code"]
    search_fields = ["dossier__reference", "operation__code"]
    list_select_related = ["dossier", "operation"]
    readonly_fields = ["dossier", "operation", "status", "parameters", "kwh_cumac", "coefficient", "premium_eur",
                       "confidence", "detected_from"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    @admin.display(description="dossier", ordering="dossier__reference")
    def dossier_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:dossiers_dossier_review", args=[obj.dossier_id]),
                           obj.dossier.reference)
