"""Statements compiled once (cee.precompiled) give the rows the ORM gives, converters included."""
from __future__ import annotations

import pytest

from cee.precompiled import precompiled
from dossiers.models import Dossier
from dossiers.workflow.rules_run import run_rules_for_dossier
from rules import selectors
from rules.models import RuleResult
from rules.services import override_rule_result
from tests.rules.builders import dossier_with_documents, field

pytestmark = pytest.mark.django_db


def test_the_runners_reads_match_the_orm_query_for_every_dossier(validator):
    first = dossier_with_documents()
    second = dossier_with_documents(fields={"facture": {"date_facture": "2019-01-01"}})
    target = field(first, "facture.numero_facture")
    target.status, target.corrected_value = "corrected", "FAC-2025-0042"
    target.save()
    for dossier in (first, second):
        run_rules_for_dossier(dossier)
    failed = RuleResult.objects.filter(dossier=second, status="failed", rule__overridable=True).first()
    override_rule_result(failed, user=validator, reason="Vu avec l'installateur")  # dates and JSON in the row

    for dossier in (first, second):
        # Twice: the first call compiles (or reuses the statement of the dossier before).
        for _ in range(2):
            assert selectors.documents_with_fields(dossier) == list(selectors._documents_with_fields(dossier.pk))
            rows = selectors.result_rows(dossier)
            assert rows == list(selectors._result_rows(dossier.pk)) and rows
    # Typed as the ORM types them on every database (dates, decimals, JSON).
    row = selectors.result_rows(first)[0]
    assert isinstance(row["values"], dict) and row["evaluated_at"].tzinfo is not None
    assert selectors.documents_with_fields(Dossier(pk=-1)) == []


def test_an_argument_that_is_not_a_parameter_or_a_model_queryset_is_refused():
    @precompiled
    def sliced(limit):
        return Dossier.objects.values_list("pk", flat=True)[: 10]

    @precompiled
    def instances(pk):
        return Dossier.objects.filter(pk=pk)

    with pytest.raises(ValueError):
        sliced.rows(3)
    with pytest.raises(TypeError):
        instances.rows(1)


def test_flat_and_tuple_rows():
    dossier = dossier_with_documents()

    @precompiled
    def references(installer_id):
        return Dossier.objects.filter(installer_id=installer_id).values_list("reference", flat=True)

    @precompiled
    def pairs(installer_id):
        return Dossier.objects.filter(installer_id=installer_id).values_list("pk", "reference")

    assert references.rows(dossier.installer_id) == [dossier.reference]
    assert pairs.rows(dossier.installer_id) == [(dossier.pk, dossier.reference)]


def test_text_arguments_are_parameters_too_and_mix_with_ids():
    dossier = dossier_with_documents()
    same_dossier = precompiled(
        lambda installer_id, reference: Dossier.objects.filter(installer_id=installer_id, reference=reference)
        .values_list("pk", flat=True)
    )
    for _ in range(2):  # compiled by the first call, reused by the second
        assert same_dossier.rows(dossier.installer_id, dossier.reference) == [dossier.pk]
        assert same_dossier.rows(dossier.installer_id, "another reference") == []
