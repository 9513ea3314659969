"""Filters of the installer's dossier list (django-filter)."""
from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q

from cee.api.base import InstallerFilterSet
from dossiers.installer_selectors import operation_ids
from dossiers.models import Dossier, DossierOperation, DossierStatus


class DossierFilter(InstallerFilterSet):
    # distinct=False: a filter on the dossier's own column cannot repeat a row, and DISTINCT
    # would make PostgreSQL read and sort every matching dossier instead of the page's.
    status = django_filters.MultipleChoiceFilter(
        choices=DossierStatus.choices, distinct=False,
        help_text="Statut(s) ; répétez le paramètre pour en combiner plusieurs.",
    )
    created = django_filters.DateFromToRangeFilter(
        field_name="created_at", help_text="Créé entre created_after et created_before (AAAA-MM-JJ, inclus)."
    )
    submitted = django_filters.DateFromToRangeFilter(
        field_name="submitted_at", help_text="Soumis entre submitted_after et submitted_before (AAAA-MM-JJ, inclus)."
    )
    operation = django_filters.CharFilter(method="filter_operation", help_text="Code fiche, ex. BAR-TH-171.")
    search = django_filters.CharFilter(method="filter_search", help_text="Recherche dans la référence et le nom du bénéficiaire.")

    class Meta:
        model = Dossier
        fields = ["status", "created", "submitted", "operation", "search"]

    def filter_operation(self, queryset, name, value):
        # EXISTS rather than a join: one row per dossier, no DISTINCT over the page; on fiche
        # ids, so each of the company's dossiers is probed (see installer_selectors.operation_ids).
        return queryset.filter(
            Exists(DossierOperation.objects.filter(dossier=OuterRef("pk"), operation_id__in=operation_ids(value)))
        )

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__icontains=value) | Q(beneficiary_name__icontains=value))
