"""The validators' studio in the admin: the queue (Dossier changelist) and the review screen.

The queue is the Dossier changelist: ready-for-review and in-review dossiers by default,
most urgent then oldest first, with the filters a validator needs. Opening a dossier goes
to the review screen (a custom admin view, ``<pk>/review/``), which claims the dossier for
the validator (``dossiers.review.services.open_for_review``). The screen's actions are small POST
endpoints under ``<pk>/review/``: they answer JSON (the re-rendered pieces of the screen) to
the page's script and redirect back with a message to a plain form post, so the screen
works without JavaScript. Views stay thin: reads in ``review.queue`` and ``review.screen``,
writes in ``review.services`` and ``extraction.feedback``.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache

import jinja2
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Case, Q, Value, When
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import get_script_prefix, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.middleware.csrf import get_token

from cee.admin import ReadOnlyAdminMixin
from cee.formats import format_duration

from .review import services as review
from .admin_search import hidden_search_matches
from .models import Dossier, DossierOperation, DossierStatus, Operation
from .review.queue import (
    CONFIDENCE_BANDS,
    FAILED_RULE_BANDS,
    QUEUE_ORDERING,
    QUEUE_STATUSES,
    filter_by_confidence_band,
    filter_by_failed_rules,
    filter_by_operation,
    filter_by_submission_dates,
    queue_rows,
    queue_status_counts,
    search_dossiers,
)
from .review.screen import dossier_for_review

# ------------------------------------------------------------------ queue filters


class QueueStatusFilter(admin.SimpleListFilter):
    """Status, defaulting to the queue (ready for review + in review) rather than everything."""

    title = "statut"
    parameter_name = "statut"
    ALL = "tous"

    def lookups(self, request, model_admin):
        return [(value, label) for value, label in DossierStatus.choices] + [(self.ALL, "Tous les statuts")]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset.filter(status__in=QUEUE_STATUSES)
        if value == self.ALL:
            return queryset
        return queryset.filter(status=value)

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "À traiter (prêts + en revue)",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class OperationFilter(admin.SimpleListFilter):
    title = "fiche CEE"
    parameter_name = "fiche"

    def lookups(self, request, model_admin):
        codes = Operation.objects.order_by("code").values_list("code", flat=True).distinct()
        return [(code, code) for code in codes]

    def queryset(self, request, queryset):
        return filter_by_operation(queryset, self.value()) if self.value() else queryset


class InputFilter(admin.SimpleListFilter):
    """A filter typed in a box (too many values to list), e.g. an installer's name or SIRET."""

    template = "admin/review/input_filter.html"
    placeholder = ""

    def lookups(self, request, model_admin):
        return [("_", "_")]  # has_output() needs one; the template draws an input instead

    def choices(self, changelist):
        yield {
            "value": self.value() or "",
            "placeholder": self.placeholder,
            "parameter": self.parameter_name,
            "clear": changelist.get_query_string(remove=[self.parameter_name]),
            "hidden": [
                (key, value)
                for key, value in changelist.get_filters_params().items()
                if key != self.parameter_name
            ]
            + [(key, value) for key, value in self.request.GET.items() if key in ("q", "o")],
        }


class InstallerFilter(InputFilter):
    title = "installateur"
    parameter_name = "installateur"
    placeholder = "Nom, SIRET ou n°"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        if value.isdigit() and len(value) < 9:
            return queryset.filter(installer_id=int(value))
        digits = value.replace(" ", "")
        if digits.isdigit():
            return queryset.filter(Q(installer__siret__startswith=digits) | Q(installer__siren=digits[:9]))
        return queryset.filter(installer__name__icontains=value)


class AssignedFilter(admin.SimpleListFilter):
    title = "validateur"
    parameter_name = "validateur"

    def lookups(self, request, model_admin):
        from accounts.models import User

        staff = (
            User.objects.filter(is_active=True, is_staff=True)
            .filter(Q(role__in=["validator", "administrator"]) | Q(is_superuser=True))
            .order_by("first_name", "last_name", "email")
        )
        return [("moi", "Moi"), ("aucun", "Non assigné")] + [(str(u.pk), u.get_full_name() or u.email) for u in staff]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "moi":
            return queryset.filter(assigned_to=request.user)
        if value == "aucun":
            return queryset.filter(assigned_to__isnull=True)
        if value and value.isdigit():
            return queryset.filter(assigned_to_id=int(value))
        return queryset


class ConfidenceFilter(admin.SimpleListFilter):
    title = "confiance"
    parameter_name = "confiance"

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in CONFIDENCE_BANDS.items()]

    def queryset(self, request, queryset):
        return filter_by_confidence_band(queryset, self.value() or "")


class FailedRulesFilter(admin.SimpleListFilter):
    title = "règles en échec"
    parameter_name = "regles"

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in FAILED_RULE_BANDS.items()]

    def queryset(self, request, queryset):
        return filter_by_failed_rules(queryset, self.value() or "")


class FraudFilter(admin.SimpleListFilter):
    title = "signal de fraude"
    parameter_name = "fraude"

    def lookups(self, request, model_admin):
        return [("oui", "Avec signal"), ("non", "Sans signal")]

    def queryset(self, request, queryset):
        if self.value() in ("oui", "non"):
            return queryset.filter(has_fraud_signal=self.value() == "oui")
        return queryset


class SubmittedFilter(admin.ListFilter):
    """Submission date: quick ranges and a from/to pair of date inputs."""

    title = "date de soumission"
    template = "admin/review/date_range_filter.html"
    start_parameter, end_parameter = "soumis_du", "soumis_au"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        for name in (self.start_parameter, self.end_parameter):
            if name in params:
                self.used_parameters[name] = params.pop(name)[-1]

    def _date(self, name) -> date | None:
        try:
            return date.fromisoformat(self.used_parameters.get(name, ""))
        except ValueError:
            return None

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.start_parameter, self.end_parameter]

    def queryset(self, request, queryset):
        return filter_by_submission_dates(queryset, self._date(self.start_parameter), self._date(self.end_parameter))

    def choices(self, changelist):
        today = timezone.localdate()
        quick = [
            ("Aujourd'hui", today, today),
            ("7 derniers jours", today - timezone.timedelta(days=6), today),
            ("30 derniers jours", today - timezone.timedelta(days=29), today),
            ("Plus de 30 jours", None, today - timezone.timedelta(days=30)),
        ]
        start, end = self._date(self.start_parameter), self._date(self.end_parameter)
        remove = [self.start_parameter, self.end_parameter]
        yield {
            "kind": "quick",
            "links": [{"display": "Toutes", "selected": not start and not end,
                       "query_string": changelist.get_query_string(remove=remove)}]
            + [
                {
                    "display": label,
                    "selected": (start, end) == (a, b),
                    "query_string": changelist.get_query_string(
                        {k: v.isoformat() for k, v in ((self.start_parameter, a), (self.end_parameter, b)) if v},
                        remove=remove,
                    ),
                }
                for label, a, b in quick
            ],
            "start": start.isoformat() if start else "",
            "end": end.isoformat() if end else "",
            "start_parameter": self.start_parameter,
            "end_parameter": self.end_parameter,
            "hidden": [(k, v) for k, v in changelist.get_filters_params().items() if k not in remove]
            + [(key, value) for key, value in self.request.GET.items() if key in ("q", "o")],
        }


# --------------------------------------------------------------------- actions


class QueueActionForm(helpers.ActionForm):
    """The action bar, with the validator an administrator assigns the selected dossiers to."""

    validator = forms.ModelChoiceField(
        queryset=None, required=False, label="Validateur", empty_label="— validateur —"
    )

    def __init__(self, *args, **kwargs):
        from accounts.models import User

        super().__init__(*args, **kwargs)
        self.fields["validator"].queryset = (
            User.objects.filter(is_active=True, is_staff=True)
            .filter(Q(role__in=["validator", "administrator"]) | Q(is_superuser=True))
            .order_by("first_name", "last_name", "email")
        )


def _report(modeladmin, request, assigned, refused, verb):
    if assigned:
        modeladmin.message_user(request, f"{len(assigned)} dossier(s) {verb}.", messages.SUCCESS)
    for line in refused[:10]:
        modeladmin.message_user(request, line, messages.WARNING)
    if len(refused) > 10:
        modeladmin.message_user(request, f"… et {len(refused) - 10} autre(s) refus.", messages.WARNING)


@admin.action(description="M'assigner les dossiers sélectionnés")
def assign_to_me(modeladmin, request, queryset):
    assigned, refused = review.assign_to_validator(
        queryset.select_related("assigned_to"), request.user, by=request.user, request=request
    )
    _report(modeladmin, request, assigned, refused, "vous sont assignés")


@admin.action(description="Assigner au validateur choisi…", permissions=["assign"])
def assign_to_chosen_validator(modeladmin, request, queryset):
    form = QueueActionForm(request.POST)
    validator = form.fields["validator"].queryset.filter(pk=request.POST.get("validator") or 0).first()
    if validator is None:
        modeladmin.message_user(request, "Choisissez le validateur dans la liste à côté de l'action.", messages.ERROR)
        return
    assigned, refused = review.assign_to_validator(
        queryset.select_related("assigned_to"), validator, by=request.user, request=request
    )
    _report(modeladmin, request, assigned, refused, f"assignés à {validator.get_full_name() or validator.email}")


@admin.action(description="Libérer (remettre dans la file, non assignés)", permissions=["assign"])
def release_selected(modeladmin, request, queryset):
    done, refused = 0, []
    for dossier in queryset.filter(status=DossierStatus.IN_REVIEW).select_related("assigned_to"):
        try:
            review.release(dossier, request.user, request=request)
            done += 1
        except (review.ReviewError, PermissionDenied) as error:
            refused.append(f"{dossier.reference} : {error}")
    _report(modeladmin, request, [None] * done, refused, "remis dans la file")


# Actions other apps offer on dossiers, and whether validators may use them (the state
# machine lets validators send a dossier back to processing; invoicing is the back office's).
EXTERNAL_ACTIONS = (
    ("dossiers.workflow.admin_actions", "reprocess_dossiers_action", True),
    ("dossiers.backoffice.admin_actions", "create_invoices_action", False),
)


def _external_actions() -> list[tuple]:
    """(action, validators allowed) for each external action whose app provides it."""
    found = []
    for module, name, for_validators in EXTERNAL_ACTIONS:
        try:
            imported = __import__(module, fromlist=[name])
        except ImportError:
            continue
        action = getattr(imported, name, None)
        if action is not None:
            found.append((action, for_validators))
    return found


# ------------------------------------------------------------------ the admins


class DossierOperationInline(admin.TabularInline):
    model = DossierOperation
    fields = ["operation", "status", "kwh_cumac", "coefficient", "premium_eur", "confidence"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


def review_url(pk: int) -> str:
    """The review screen's address of dossier ``pk`` (reversed once per URL prefix, not per row)."""
    return _review_url_pattern(get_script_prefix()).replace("/0/", f"/{pk}/", 1)


@lru_cache(maxsize=8)
def _review_url_pattern(script_prefix: str) -> str:
    return reverse("admin:dossiers_dossier_review", args=[0])


@lru_cache(maxsize=1)
def _field_row_template():
    """The field row's Jinja2 template.

    The review screen shows sixty fields or more, each with three small forms; written in
    the Django template language that single partial took most of the page's server time,
    Jinja2 (a declared dependency, compiled to Python) renders it about ten times faster.
    Everything else on the screen stays in Django templates.
    """
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(settings.BASE_DIR / "templates")),
        autoescape=True,
        auto_reload=settings.DEBUG,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("admin/dossiers/dossier/review/_field_row.jinja")


def render_field_rows(request, data, *, can_edit: bool) -> None:
    """Render every field row of ``data`` into its ``html`` (marked safe: autoescaped by Jinja2)."""
    template = _field_row_template()
    shared = {
        "can_edit": can_edit,
        "field_url": review_url(data.dossier.pk) + "field/",
        "csrf_input": format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)),
    }
    for group in data.groups:
        for row in group.rows:
            row.html = mark_safe(template.render(row=row, **shared))


def _is_administrator(request) -> bool:
    return review.is_administrator(request.user)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "") or request.headers.get("X-Requested-With") == "fetch"


class ReviewStudioError(Exception):
    """An action answered with a message and a status, as JSON or as a redirect."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
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
        return _is_administrator(request) and super().has_delete_permission(request, obj)

    def has_assign_permission(self, request):
        return _is_administrator(request)

    def get_readonly_fields(self, request, obj=None):
        if not _is_administrator(request):
            return [name for _, options in self.fieldsets for name in options["fields"]]
        return self.workflow_fields

    def save_model(self, request, obj, form, change):
        """An administrator's edit of the beneficiary or the site goes through update_dossier (logged)."""
        from .services import EDITABLE_DOSSIER_FIELDS, update_dossier

        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE_DOSSIER_FIELDS}
        if "priority" in form.changed_data:
            previous = Dossier.objects.values_list("priority", flat=True).get(pk=obj.pk)
            Dossier.objects.filter(pk=obj.pk).update(priority=obj.priority)
            from accounts.activity import log_activity

            log_activity("priority_changed", actor=request.user, target=obj,
                         description=f"Priorité {previous} → {obj.priority}", request=request)
        if changes:
            update_dossier(Dossier.objects.get(pk=obj.pk), by=request.user, request=request, **changes)

    def get_actions(self, request):
        actions = super().get_actions(request)
        for action, for_validators in _external_actions():
            if _is_administrator(request) or for_validators:
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
        if not _is_administrator(request) and object_id and str(object_id).isdigit():
            return HttpResponseRedirect(reverse("admin:dossiers_dossier_review", args=[object_id]))
        return super().change_view(request, object_id, form_url, extra_context)

    # --- the review screen's URLs ----------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        review_urls = [
            path("suivant/", wrap(self.next_view), name="dossiers_dossier_next"),
            path("<int:pk>/review/", wrap(self.review_view), name="dossiers_dossier_review"),
            path("<int:pk>/review/field/<int:field_pk>/<str:action>/", wrap(self.field_action_view),
                 name="dossiers_dossier_review_field"),
            path("<int:pk>/review/rule/<int:result_pk>/override/", wrap(self.override_view),
                 name="dossiers_dossier_review_override"),
            path("<int:pk>/review/decide/<str:decision>/", wrap(self.decide_view),
                 name="dossiers_dossier_review_decide"),
            path("<int:pk>/review/release/", wrap(self.release_view), name="dossiers_dossier_review_release"),
            path("<int:pk>/review/take-over/", wrap(self.take_over_view), name="dossiers_dossier_review_take_over"),
            path("<int:pk>/review/next/", wrap(self.save_and_next_view), name="dossiers_dossier_review_next"),
        ]
        return review_urls + super().get_urls()

    def _dossier_or_404(self, request, pk) -> Dossier:
        dossier = get_object_or_404(Dossier.objects.select_related("assigned_to"), pk=pk)
        if not self.has_view_permission(request, dossier):
            raise PermissionDenied
        return dossier

    def _review_url(self, pk, anchor: str = "") -> str:
        return reverse("admin:dossiers_dossier_review", args=[pk]) + (f"#{anchor}" if anchor else "")

    def review_view(self, request, pk):
        """The review screen. Opening it claims a free dossier (``open_for_review``): that is
        what "open from the queue" means; a dossier someone else holds opens read-only."""
        dossier = self._dossier_or_404(request, pk)
        access = review.open_for_review(dossier, request.user, request=request) if review.is_reviewer(
            request.user) else review.review_access(dossier, request.user)
        if access.claimed:
            messages.info(request, f"Dossier {dossier.reference} ouvert : il vous est assigné.")
        data = dossier_for_review(pk)
        render_field_rows(request, data, can_edit=access.can_edit)
        context = {
            **self.admin_site.each_context(request),
            **self._screen_context(request, data, access),
            "title": f"Revue {data.dossier.reference}",
            "opts": self.model._meta,
            "is_nav_sidebar_enabled": False,
            "queue_url": self._queue_url(request),
        }
        return TemplateResponse(request, "admin/dossiers/dossier/review.html", context)

    def _queue_url(self, request) -> str:
        referer = request.headers.get("Referer", "")
        queue = reverse("admin:dossiers_dossier_changelist")
        if referer and queue in referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}):
            return referer
        return queue

    def _screen_context(self, request, data, access) -> dict:
        base = review_url(data.dossier.pk)
        return {
            "data": data,
            "dossier": data.dossier,
            "access": access,
            "can_edit": access.can_edit,
            "can_take_over": _is_administrator(request) and not access.can_edit and data.dossier.status in QUEUE_STATUSES,
            # Action addresses are written as prefix + id: reversing a URL per rule costs more than its card.
            "rule_url": base + "rule/",
        }

    def _panels(self, request, pk, access=None) -> dict:
        """The screen's pieces re-rendered after an action (same templates as the full page)."""
        data = dossier_for_review(pk)
        if access is None:
            access = review.review_access(data.dossier, request.user)
        context = self._screen_context(request, data, access)
        context["request"] = request
        render = lambda name: render_to_string(f"admin/dossiers/dossier/review/{name}.html", context, request=request)  # noqa: E731
        render_field_rows(request, data, can_edit=access.can_edit)
        rows = {str(row.field.pk): row.html for group in data.groups for row in group.rows}
        return {
            "rows": rows,
            "groups": {
                str(group.document.pk): {"to_check": group.to_check, "reviewed": group.reviewed, "total": len(group.rows)}
                for group in data.groups
            },
            "panels": {name: render(f"_{name}") for name in ("rules", "matrix", "dossier", "history")},
            "summary": render("_summary"),
            "tabs": {"fields": data.fields_to_check, "matrix": data.matrix.mismatches,
                     "rules": len(data.blocking_rules)},
        }

    def _answer(self, request, pk, message: str, *, anchor: str = "", level=messages.SUCCESS, status=200, extra=None):
        if _wants_json(request):
            body = {"ok": status < 400, "message": message, **(extra or {})}
            if status < 400:
                body.update(self._panels(request, pk))
            return JsonResponse(body, status=status)
        messages.add_message(request, level if status < 400 else messages.ERROR, message)
        return HttpResponseRedirect(self._review_url(pk, anchor))

    def _post_only(self, request):
        if request.method != "POST":
            raise ReviewStudioError("Cette action se fait par un envoi de formulaire (POST).", 405)

    def _run(self, request, pk, action, *, anchor=""):
        """Run ``action()`` -> message; turn the review errors into answers with a status."""
        try:
            self._post_only(request)
            if not review.is_reviewer(request.user):
                raise PermissionDenied("Seuls les validateurs et les administrateurs peuvent faire cette action.")
            message = action()
        except ReviewStudioError as error:
            return self._answer(request, pk, str(error), anchor=anchor, status=error.status)
        except review.ApprovalRefused as error:
            return self._answer(request, pk, str(error), anchor=anchor, status=409, extra={"blockers": error.blockers})
        except (review.NotHolder, PermissionDenied) as error:
            return self._answer(request, pk, str(error) or "Action non autorisée.", anchor=anchor, status=403)
        except ValidationError as error:
            return self._answer(request, pk, " ".join(error.messages), anchor=anchor, status=400)
        except ValueError as error:  # a typed value that is not a value of its type (extraction.normalise)
            return self._answer(request, pk, str(error), anchor=anchor, status=400)
        return self._answer(request, pk, message, anchor=anchor)

    def field_action_view(self, request, pk, field_pk, action):
        """Confirm (``confirm``), correct (``correct``, with ``value``) or mark wrong (``wrong``) a field."""
        from extraction import feedback
        from extraction.models import ExtractedField

        dossier = self._dossier_or_404(request, pk)
        field = get_object_or_404(
            ExtractedField.objects.select_related("schema", "document__document_type", "dossier"), pk=field_pk, dossier=dossier
        )

        def act():
            review.require_holder(dossier, request.user)
            label = field.schema.label
            if action == "confirm":
                feedback.confirm_field(field, request.user, request=request)
                return f"« {label} » confirmé."
            if action == "correct":
                result = feedback.correct_field(field, request.POST.get("value", ""), request.user, request=request)
                return f"« {label} » corrigé." if result is None or result.kind == "corrected" else f"« {label} » confirmé."
            if action == "wrong":
                feedback.mark_field_wrong(field, request.user, note=request.POST.get("note", ""), request=request)
                return f"« {label} » marqué faux."
            raise ReviewStudioError("Action inconnue.", 404)

        return self._run(request, pk, act, anchor=f"field-{field_pk}")

    def override_view(self, request, pk, result_pk):
        """Override a failed rule result, with a mandatory reason (``rules.services.override_rule_result``)."""
        from rules.models import RuleResult

        dossier = self._dossier_or_404(request, pk)
        result = get_object_or_404(RuleResult.objects.select_related("rule"), pk=result_pk, dossier=dossier)

        def act():
            from rules.services import override_rule_result

            review.require_holder(dossier, request.user)
            reason = request.POST.get("reason", "").strip()
            if not reason:
                raise ReviewStudioError("Le motif de la dérogation est obligatoire.")
            if not result.rule.overridable:
                raise ReviewStudioError(f"La règle « {result.rule.name} » n'accepte pas de dérogation.", 403)
            override_rule_result(result, user=request.user, reason=reason, request=request)
            return f"Dérogation enregistrée pour « {result.rule.name} »."

        return self._run(request, pk, act, anchor=f"rule-{result_pk}")

    def decide_view(self, request, pk, decision):
        """Approve or reject, then open the next dossier in the queue."""
        dossier = self._dossier_or_404(request, pk)
        try:
            self._post_only(request)
            if decision == "approve":
                review.approve_dossier(dossier, request.user, comment=request.POST.get("comment", ""), request=request)
                message = f"Dossier {dossier.reference} validé."
            elif decision == "reject":
                review.reject_dossier(
                    dossier, request.user, reason=request.POST.get("reason", ""),
                    comment=request.POST.get("comment", ""), request=request,
                )
                message = f"Dossier {dossier.reference} refusé ; l'installateur est prévenu par e-mail."
            else:
                raise ReviewStudioError("Décision inconnue.", 404)
        except ReviewStudioError as error:
            return self._answer(request, pk, str(error), status=error.status)
        except review.ApprovalRefused as error:
            return self._answer(request, pk, str(error), status=409, extra={"blockers": error.blockers})
        except (review.NotHolder, PermissionDenied) as error:
            return self._answer(request, pk, str(error), status=403)
        except ValidationError as error:
            return self._answer(request, pk, " ".join(error.messages), status=400)
        return self._go_next(request, dossier, message)

    def _go_next(self, request, current: Dossier, message: str):
        following = review.next_in_queue(request.user, after=current)
        url = self._review_url(following.pk) if following else reverse("admin:dossiers_dossier_changelist")
        if following is None:
            message += " La file est vide : plus aucun dossier à prendre."
        if _wants_json(request):
            return JsonResponse({"ok": True, "message": message, "redirect": url})
        messages.success(request, message)
        return HttpResponseRedirect(url)

    def release_view(self, request, pk):
        dossier = self._dossier_or_404(request, pk)
        try:
            self._post_only(request)
            review.release(dossier, request.user, request=request)
        except ReviewStudioError as error:
            return self._answer(request, pk, str(error), status=error.status)
        except (review.ReviewError, PermissionDenied) as error:
            return self._answer(request, pk, str(error), status=403)
        messages.success(request, f"Dossier {dossier.reference} remis dans la file.")
        return HttpResponseRedirect(reverse("admin:dossiers_dossier_changelist"))

    def take_over_view(self, request, pk):
        dossier = self._dossier_or_404(request, pk)
        try:
            self._post_only(request)
            review.take_over(dossier, request.user, request=request)
        except ReviewStudioError as error:
            return self._answer(request, pk, str(error), status=error.status)
        except (review.ReviewError, PermissionDenied, ValidationError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            return self._answer(request, pk, text, status=403)
        messages.success(request, f"Vous avez repris le dossier {dossier.reference}.")
        return HttpResponseRedirect(self._review_url(pk))

    def save_and_next_view(self, request, pk):
        """"Enregistrer et suivant": every verdict is already saved; keep this dossier and open the next."""
        dossier = self._dossier_or_404(request, pk)
        if request.method != "POST":
            return self._answer(request, pk, "Cette action se fait par un envoi de formulaire (POST).", status=405)
        return self._go_next(request, dossier, f"Dossier {dossier.reference} gardé en revue.")

    def next_view(self, request):
        """The queue's "Dossier suivant" button: open the validator's next dossier."""
        if not review.is_reviewer(request.user):
            raise PermissionDenied
        following = review.next_in_queue(request.user)
        if following is None:
            messages.info(request, "Aucun dossier à prendre : la file est vide.")
            return HttpResponseRedirect(reverse("admin:dossiers_dossier_changelist"))
        return HttpResponseRedirect(self._review_url(following.pk))


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
