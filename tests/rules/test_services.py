"""Running the rules of a dossier: results replaced, overrides kept while their inputs hold,
partial re-runs after a correction, cumac and totals, confidence and priority."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max

from accounts.models import Activity
from documents.models import Document
from dossiers.models import Dossier
from dossiers.workflow.rules_run import run_rules_for_dossier
from extraction.models import FieldStatus
from rules.context import build_dossier_context
from rules.models import Rule, RuleResult
from rules.services import cancel_override, override_rule_result

from .builders import add_documents, dossier_with_documents, field, installer

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier():
    installer()
    return dossier_with_documents()


def results(dossier):
    return {(r.rule.code, r.dossier_operation_id): r for r in RuleResult.objects.filter(dossier=dossier).select_related("rule")}


def result_of(dossier, code):
    return RuleResult.objects.get(dossier=dossier, rule__code=code)


def correct(dossier, name, value):
    extracted = field(dossier, name)
    extracted.status = FieldStatus.CORRECTED
    extracted.corrected_value = value
    extracted.save()
    return extracted


# -- running ---------------------------------------------------------------------------------

def test_a_run_stores_one_result_per_applicable_rule_with_version_values_and_message(dossier):
    returned = run_rules_for_dossier(dossier)
    stored = results(dossier)
    assert len(returned) == len(stored) > 30
    one = result_of(dossier, "r02-engagement-avant-facture")
    assert one.status == "passed" and one.rule_version == 1
    assert one.values == {"devis.date_signature": "2025-10-25", "facture.date_facture": "2025-11-20"}
    assert one.fields_involved == ["devis.date_signature", "facture.date_facture"]
    # per-operation rules point at their dossier operation
    assert result_of(dossier, "r11-etas-pac").dossier_operation == dossier.operations.get()
    # rules whose filters do not match produce no result
    assert not RuleResult.objects.filter(dossier=dossier, rule__code="r11-r-combles-bar-en-101").exists()


def test_a_run_computes_cumac_premium_and_dossier_totals(dossier):
    run_rules_for_dossier(dossier)
    operation = dossier.operations.get()
    assert (operation.kwh_cumac, operation.coefficient, operation.premium_eur) == (
        Decimal("109080.00"), Decimal("5.000"), Decimal("4254.12"))
    dossier.refresh_from_db()
    assert dossier.total_kwh_cumac == Decimal("545400.00")  # bonified: 109 080 × 5
    assert dossier.premium_eur == Decimal("4254.12")
    assert dossier.failed_rule_count == 0
    assert Decimal("0.9") <= dossier.confidence_score <= 1
    assert 0 <= dossier.priority <= 100


def test_a_failing_rule_counts_and_shows_its_message(dossier):
    correct(dossier, "facture.date_facture", "2025-10-01")
    run_rules_for_dossier(dossier)
    result = result_of(dossier, "r02-engagement-avant-facture")
    assert result.status == "failed"
    assert result.message == ("Le devis a été signé le 25/10/2025, après la facture du 01/10/2025 : "
                              "engagement postérieur à l'achèvement.")
    dossier.refresh_from_db()
    assert dossier.failed_rule_count == 1
    assert dossier.confidence_score < Decimal("0.95")


def test_a_rerun_replaces_results_in_place(dossier):
    run_rules_for_dossier(dossier)
    before = {key: r.pk for key, r in results(dossier).items()}
    correct(dossier, "facture.date_facture", "2025-10-01")
    run_rules_for_dossier(dossier)
    after = results(dossier)
    assert {key: r.pk for key, r in after.items()} == before
    assert after[("r02-engagement-avant-facture", None)].status == "failed"


def test_a_full_rerun_drops_results_of_rules_that_no_longer_apply(dossier):
    run_rules_for_dossier(dossier)
    rule = Rule.objects.get(code="r11-marque-reference")
    rule.is_active = False
    rule.save()
    run_rules_for_dossier(dossier)
    assert not RuleResult.objects.filter(dossier=dossier, rule=rule).exists()


def test_after_a_correction_only_the_rules_reading_the_field_run(dossier):
    run_rules_for_dossier(dossier)
    stamps = dict(RuleResult.objects.filter(dossier=dossier).values_list("rule__code", "evaluated_at"))
    correct(dossier, "facture.date_facture", "2025-10-01")
    returned = run_rules_for_dossier(dossier, changed_fields={"facture.date_facture"})
    codes = {r.rule.code for r in returned}
    assert "r02-engagement-avant-facture" in codes
    assert "r09-nom-devis-facture" not in codes
    for code in codes:
        assert "facture.date_facture" in Rule.objects.get(code=code).expression or code in (
            "r04-depot-12-mois",)  # reads dossier.date_achevement, derived from the facture date
    after = dict(RuleResult.objects.filter(dossier=dossier).values_list("rule__code", "evaluated_at"))
    assert all(after[code] == stamps[code] for code in stamps if code not in codes)
    assert result_of(dossier, "r02-engagement-avant-facture").status == "failed"


def test_a_whole_document_can_be_named_as_changed(dossier):
    run_rules_for_dossier(dossier)
    returned = run_rules_for_dossier(dossier, changed_fields={"cadre_contribution.*"})
    assert {r.rule.code for r in returned} == {"r01-cadre-avant-engagement", "r10-prime-cadre-facture"}


def test_a_field_marked_wrong_is_not_read(dossier):
    extracted = field(dossier, "facture.date_facture")
    extracted.status = FieldStatus.WRONG
    extracted.save()
    run_rules_for_dossier(dossier)
    result = result_of(dossier, "r02-engagement-avant-facture")
    assert result.status == "not_evaluable"
    assert "`facture.date_facture`" in result.message


def test_with_two_factures_the_most_confident_is_read_and_said(dossier):
    add_documents(dossier, {"facture": {"date_facture": "2025-10-01", "numero_facture": "F-9"}}, confidence="0.990")
    context = build_dossier_context(dossier)
    assert context["facture.date_facture"] == datetime.date(2025, 10, 1)
    assert "2 documents « facture »" in context["_sources"]["facture"]["note"]
    run_rules_for_dossier(dossier)
    result = result_of(dossier, "r02-engagement-avant-facture")
    assert result.status == "failed"
    assert "2 documents « facture »" in result.values["_sources"]["facture"]


def test_a_rule_with_a_broken_expression_gives_an_error_result_not_a_crash(dossier):
    Rule.objects.create(code="zz-cassee", name="Cassée", expression="facture.date_facture <=", error_message="x")
    run_rules_for_dossier(dossier)
    result = result_of(dossier, "zz-cassee")
    assert result.status == "error"
    assert "colonne" in result.message


# -- overrides -------------------------------------------------------------------------------

@pytest.fixture
def failing(dossier):
    correct(dossier, "facture.montant_ttc", "12700.00")  # TTC differs from the devis: a warning, and HT+TVA≠TTC
    run_rules_for_dossier(dossier)
    return dossier


def test_a_validator_overrides_a_failed_rule_with_a_reason(failing, validator):
    result = result_of(failing, "r10-facture-ht-tva-ttc")
    assert result.status == "failed"
    failing.refresh_from_db()
    assert failing.failed_rule_count == 1
    overridden = override_rule_result(result, user=validator, reason="Remise commerciale expliquée sur la facture")
    assert overridden.overridden and overridden.override_by == validator and overridden.override_at
    assert overridden.override_values == overridden.values
    failing.refresh_from_db()
    assert failing.failed_rule_count == 0
    activity = Activity.objects.get(verb="rule.overridden", dossier=failing)
    assert activity.actor == validator
    assert activity.metadata["reason"] == "Remise commerciale expliquée sur la facture"
    assert activity.metadata["values"]["facture.montant_ttc"] == "12700.00"


def test_an_override_survives_a_rerun_while_the_values_are_unchanged(failing, validator):
    override_rule_result(result_of(failing, "r10-facture-ht-tva-ttc"), user=validator, reason="Justifié")
    run_rules_for_dossier(failing)
    run_rules_for_dossier(failing, changed_fields={"facture.montant_ttc"})
    result = result_of(failing, "r10-facture-ht-tva-ttc")
    assert result.overridden and result.override_reason == "Justifié"
    failing.refresh_from_db()
    assert failing.failed_rule_count == 0


def test_an_override_is_dropped_when_a_value_it_was_given_on_changes(failing, validator):
    override_rule_result(result_of(failing, "r10-facture-ht-tva-ttc"), user=validator, reason="Justifié")
    correct(failing, "facture.montant_ttc", "12710.00")
    run_rules_for_dossier(failing, changed_fields={"facture.montant_ttc"}, actor=validator)
    result = result_of(failing, "r10-facture-ht-tva-ttc")
    assert result.status == "failed" and not result.overridden and result.override_reason == ""
    dropped = Activity.objects.get(verb="rule.override_dropped", dossier=failing)
    assert dropped.metadata["previous_values"]["facture.montant_ttc"] == "12700.00"
    failing.refresh_from_db()
    assert failing.failed_rule_count == 1


def test_an_override_is_dropped_when_the_rule_passes_again(failing, validator):
    override_rule_result(result_of(failing, "r10-facture-ht-tva-ttc"), user=validator, reason="Justifié")
    correct(failing, "facture.montant_ttc", "12660.00")
    run_rules_for_dossier(failing, changed_fields={"facture.montant_ttc"})
    result = result_of(failing, "r10-facture-ht-tva-ttc")
    assert result.status == "passed" and not result.overridden


def test_an_override_needs_a_reason(failing, validator):
    with pytest.raises(ValidationError, match="motif"):
        override_rule_result(result_of(failing, "r10-facture-ht-tva-ttc"), user=validator, reason="  ")


def test_only_failed_or_warning_results_of_overridable_rules_can_be_overridden(failing, validator):
    with pytest.raises(ValidationError, match="non conforme ou en avertissement"):
        override_rule_result(result_of(failing, "r09-nom-devis-facture"), user=validator, reason="x")
    warning = result_of(failing, "r10-ttc-devis-facture")
    assert warning.status == "warning"
    assert override_rule_result(warning, user=validator, reason="Avenant au devis").overridden
    correct(failing, "facture.date_facture", "2025-10-01")
    run_rules_for_dossier(failing)
    with pytest.raises(ValidationError, match="n'admet pas de dérogation"):
        override_rule_result(result_of(failing, "r02-engagement-avant-facture"), user=validator, reason="x")


def test_an_installer_cannot_override(failing, installer_user):
    with pytest.raises(PermissionDenied):
        override_rule_result(result_of(failing, "r10-facture-ht-tva-ttc"), user=installer_user, reason="x")


def test_cancelling_an_override(failing, validator):
    result = override_rule_result(result_of(failing, "r10-facture-ht-tva-ttc"), user=validator, reason="Justifié")
    cancelled = cancel_override(result, user=validator)
    assert not cancelled.overridden and cancelled.override_by is None
    assert Activity.objects.filter(verb="rule.override_cancelled", dossier=failing).exists()
    failing.refresh_from_db()
    assert failing.failed_rule_count == 1
    with pytest.raises(ValidationError):
        cancel_override(cancelled, user=validator)


def test_the_caller_instance_gets_the_new_totals(dossier):
    run_rules_for_dossier(dossier)
    assert dossier.premium_eur == Decimal("4254.12")
    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.premium_eur, stored.priority, stored.confidence_score) == (
        dossier.premium_eur, dossier.priority, dossier.confidence_score)


def test_results_keep_the_rule_version_they_ran(dossier):
    run_rules_for_dossier(dossier)
    from rules.services import save_rule

    rule = Rule.objects.get(code="r11-etas-pac")
    rule.expression = "facture.etas >= 126"
    save_rule(rule)
    assert rule.version == 2
    run_rules_for_dossier(dossier)
    assert RuleResult.objects.filter(rule=rule).aggregate(Max("rule_version"))["rule_version__max"] == 2


def test_correcting_a_cumac_input_recomputes_the_cumac(dossier):
    run_rules_for_dossier(dossier)
    correct(dossier, "facture.etas", "145")
    returned = run_rules_for_dossier(dossier, changed_fields={"facture.etas"})
    assert {"r11-etas-pac", "r11-cumac-calcule"} <= {r.rule.code for r in returned}
    operation = dossier.operations.get()
    assert operation.kwh_cumac == Decimal("131040.00")  # 109 200 (Etas ≥ 140) × 1 × 1.2
    assert dossier.premium_eur == Decimal("5110.56")  # 131.04 × 5 × 7.8


def test_a_correction_of_another_field_keeps_the_stored_cumac(dossier):
    run_rules_for_dossier(dossier)
    correct(dossier, "facture.beneficiaire_nom", "Jean Dupond")
    returned = run_rules_for_dossier(dossier, changed_fields={"facture.beneficiaire_nom"})
    assert {r.rule.code for r in returned} == {"r09-nom-devis-facture"}
    assert dossier.operations.get().kwh_cumac == Decimal("109080.00")
    assert dossier.premium_eur == Decimal("4254.12")


def test_a_bare_dossier_without_timeline_or_documents_runs_without_crashing():
    from tests.factories import DossierFactory, DossierOperationFactory

    bare = DossierFactory(works_postal_code="", beneficiary_postal_code="")
    DossierOperationFactory(dossier=bare)
    returned = run_rules_for_dossier(bare)
    statuses = {r.rule.code: r.status for r in returned}
    assert statuses["r04-depot-12-mois"] == "not_evaluable"
    assert statuses["r11-cumac-calcule"] == "warning"  # no postal code: no zone, no cumac
    assert "r01-cadre-avant-engagement" not in statuses  # needs a cadre de contribution
    assert bare.operations.get().kwh_cumac == 0


def test_a_document_of_unknown_confidence_is_not_preferred(dossier):
    # PostgreSQL sorts NULL first in descending order: the choice must not depend on the database.
    (unknown,) = add_documents(dossier, {"facture": {"date_facture": "2025-10-01"}})
    Document.objects.filter(pk=unknown.pk).update(classification_confidence=None)
    assert build_dossier_context(dossier)["facture.date_facture"] == datetime.date(2025, 11, 20)


def test_the_statuses_rules_name_by_value_are_the_dossier_app_s():
    # rules sits below the dossier app: it names the statuses that are not a filed claim by value.
    from dossiers.models import DossierStatus
    from rules.selectors import NOT_FILED

    assert NOT_FILED == (DossierStatus.DRAFT, DossierStatus.REJECTED)
