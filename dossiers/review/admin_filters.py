"""The review queue's filters (the Dossier changelist's sidebar), in the validators' words.

The bands (confidence, failed rules) and the filtering itself are ``dossiers.review.queue``'s,
so a filter here means what ``review_queue`` means.
"""
from __future__ import annotations

from datetime import date

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from accounts.models import User

from ..models import DossierStatus, Operation
from .queue import (
    CONFIDENCE_BANDS,
    FAILED_RULE_BANDS,
    QUEUE_STATUSES,
    filter_by_confidence_band,
    filter_by_failed_rules,
    filter_by_operation,
    filter_by_submission_dates,
)


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
