"""Every rule of fixtures/rules.json on a dossier that passes it and one that does not.

Each case builds real dossiers (documents, extracted fields, timeline, installer) with
tests.rules.builders, builds the context the runner builds, and evaluates that one rule.
"""
from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from documents.models import Document, DocumentType
from dossiers.workflow.rules_run import dossier_context
from extraction.models import FieldSchema
from rules import engine
from rules.context import OPERATIONS, for_operation
from rules.dsl import compile_expression
from rules.models import Rule
from tests.factories import make_siret

from .builders import dossier_with_documents, installer

pytestmark = pytest.mark.django_db

OTHER_SIRET = make_siret(552100554 * 10000 + 17)
FIXTURE_CODES = [row["fields"]["code"] for row in json.loads((Path(settings.BASE_DIR) / "fixtures/rules.json").read_text())]


@dataclass
class Setup:
    """How to build a dossier: builder arguments, installer changes, extra context keys (for
    fields not in the schemas yet), and a callable creating other dossiers first."""

    kwargs: dict = field(default_factory=dict)
    installer: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    before: object = None


def S(before=None, installer=None, extra=None, **kwargs):
    return Setup(kwargs, installer or {}, extra or {}, before)


INSULATION = {"operations": ("BAR-EN-101",), "fields": {"facture": {"resistance_thermique": "7"}}}


def F(**by_type):
    return {"fields": by_type}


def twin(**kwargs):
    """Another filed dossier of the same installer, at the same address, created first."""
    return lambda: dossier_with_documents(**kwargs)


def same_file(dossier):
    other = dossier_with_documents(fields={"facture": {"numero_facture": "F-2025-0999"}})
    document = Document.objects.filter(dossier=dossier, document_type__code="devis").first()
    Document.objects.filter(dossier=other, document_type__code="devis").update(sha256=document.sha256)


# code → (passing setup, failing setup, expected failing status)
CASES: dict[str, tuple[Setup, Setup, str]] = {
    "r01-cadre-avant-engagement": (S(), S(**F(cadre_contribution={"date_cadre": "2025-10-30"})), "failed"),
    "r02-engagement-avant-facture": (S(), S(**F(facture={"date_facture": "2025-10-01"})), "failed"),
    "r02-ah-engagement-avant-achevement": (S(), S(**F(attestation_honneur={"date_achevement": "2025-10-20"})), "failed"),
    "r02-ah-engagement-egal-devis": (S(), S(**F(attestation_honneur={"date_engagement": "2025-10-26"})), "warning"),
    "r02-devis-date-avant-signature": (S(), S(**F(devis={"date_devis": "2025-10-26"})), "warning"),
    "r02-dates-pas-dans-le-futur": (S(), S(**F(facture={"date_facture": "2099-01-01"})), "warning"),
    "r03-delai-7-jours-isolation": (
        S(**INSULATION, timeline={"date_debut_travaux": datetime.date(2025, 11, 2)}),
        S(**INSULATION, timeline={"date_debut_travaux": datetime.date(2025, 11, 1)}), "failed"),
    "r03-visite-prealable-isolation": (
        S(operations=("BAR-EN-101",), **F(devis={"date_visite_technique": "2025-10-15"})),
        S(operations=("BAR-EN-101",), **F(devis={"date_visite_technique": "2025-10-22"})), "failed"),
    "r04-depot-12-mois": (
        S(submitted_at=timezone.make_aware(datetime.datetime(2026, 11, 18, 12))),
        S(submitted_at=timezone.make_aware(datetime.datetime(2026, 11, 19, 12))), "failed"),
    "r05-fiche-en-vigueur": (S(), S(timeline={"date_signature": datetime.date(2023, 12, 31)}), "failed"),
    "r06-batiment-plus-de-2-ans": (S(), S(**F(attestation_honneur={"batiment_plus_de_2_ans": "false"})), "failed"),
    "r07-rge-valide-engagement": (S(), S(installer={"rge_valid_until": datetime.date(2025, 10, 24)}), "failed"),
    "r07-rge-domaine-isolation": (S(**INSULATION), S(**INSULATION, installer={"qualifications": ["pompe_a_chaleur"]}),
                                  "warning"),
    "r07-rge-domaine-pac": (S(), S(installer={"qualifications": ["isolation_combles"]}), "warning"),
    "r07-rge-domaine-bois": (S(operations=("BAR-TH-112",)), S(operations=("BAR-TH-112",),
                             installer={"qualifications": ["pompe_a_chaleur"]}), "warning"),
    "r07-rge-domaine-solaire": (S(operations=("BAR-TH-143",)), S(operations=("BAR-TH-143",),
                                installer={"qualifications": ["pompe_a_chaleur"]}), "warning"),
    "r07-certificat-rge-engagement": (S(), S(**F(certificat_rge={"date_fin_validite": "2025-10-24"})), "failed"),
    "r07-certificat-rge-siret": (S(), S(**F(certificat_rge={"siret": OTHER_SIRET})), "warning"),
    "r07-rge-numero-facture": (S(**F(facture={"rge_numero": "qpac 60042"})), S(**F(facture={"rge_numero": "QPAC/60043"})),
                               "warning"),
    "r08-siret-devis": (S(), S(**F(devis={"siret_installateur": "73282932000075"})), "failed"),
    "r08-siret-facture": (S(), S(**F(facture={"siret_installateur": "12345678901234"})), "failed"),
    "r08-siret-attestation-honneur": (S(), S(**F(attestation_honneur={"siret_installateur": "1234"})), "failed"),
    "r08-siret-devis-installateur": (S(), S(**F(devis={"siret_installateur": OTHER_SIRET})), "warning"),
    "r08-siret-facture-installateur": (S(), S(**F(facture={"siret_installateur": OTHER_SIRET})), "warning"),
    "r08-siret-attestation-honneur-installateur": (
        S(), S(**F(attestation_honneur={"siret_installateur": OTHER_SIRET})), "warning"),
    "r08-siren-siret-installateur": (S(), S(installer={"siren": "732829321"}), "failed"),
    "r09-nom-dossier-devis": (S(), S(**F(devis={"beneficiaire_nom": "Paul Martin"})), "warning"),
    "r09-nom-devis-facture": (S(), S(**F(facture={"beneficiaire_nom": "Paul Martin"})), "warning"),
    "r09-nom-devis-ah": (S(), S(**F(attestation_honneur={"beneficiaire_nom": "Paul Martin"})), "warning"),
    "r09-nom-avis-imposition": (S(), S(**F(avis_imposition={"declarant_nom": "Paul Martin"})), "warning"),
    "r09-adresse-devis-facture": (S(**F(facture={"beneficiaire_adresse": "3 all. des Tilleuls"})),
                                  S(**F(facture={"beneficiaire_code_postal": "69004"})), "warning"),
    "r09-adresse-travaux-ah": (S(), S(**F(attestation_honneur={"beneficiaire_adresse": "14 rue de la République"})),
                               "warning"),
    "r09-adresse-avis-imposition": (S(), S(**F(avis_imposition={"adresse": "8 boulevard Voltaire 75011 Paris"})),
                                    "warning"),
    "r10-ttc-devis-facture": (S(), S(**F(facture={"montant_ttc": "12700.00"})), "warning"),
    "r10-facture-ht-tva-ttc": (S(), S(**F(facture={"montant_tva": "600.00"})), "failed"),
    "r10-devis-ht-tva-ttc": (S(), S(**F(devis={"montant_ht": "12100.00"})), "failed"),
    "r10-prime-sur-facture": (S(), S(**F(facture={"prime_cee": None})), "failed"),
    "r10-prime-cadre-facture": (S(), S(**F(cadre_contribution={"montant_prime": "3000.00"})), "warning"),
    "r11-r-combles-bar-en-101": (S(**INSULATION), S(operations=("BAR-EN-101",), **F(facture={"resistance_thermique": "6.5"})),
                                 "failed"),
    "r11-r-murs-bar-en-102": (S(operations=("BAR-EN-102",), **F(facture={"resistance_thermique": "3.7"})),
                              S(operations=("BAR-EN-102",), **F(facture={"resistance_thermique": "3.6"})), "failed"),
    "r11-r-plancher-bar-en-103": (S(operations=("BAR-EN-103",), **F(facture={"resistance_thermique": "3"})),
                                  S(operations=("BAR-EN-103",), **F(facture={"resistance_thermique": "2.9"})), "failed"),
    "r11-etas-pac": (S(**F(facture={"etas": "111"})), S(**F(facture={"etas": "110"})), "failed"),
    "r11-etas-poele": (S(operations=("BAR-TH-112",), **F(facture={"etas": "66"})),
                       S(operations=("BAR-TH-112",), **F(facture={"etas": "65"})), "failed"),
    "r11-surface-isolation": (S(**INSULATION), S(operations=("BAR-EN-101",), **F(facture={"surface_m2": "0"})), "failed"),
    "r11-marque-reference": (S(), S(**F(facture={"marque": None})), "warning"),
    "r11-cumac-calcule": (S(), S(operations=("BAR-TH-159",)), "warning"),
    "r11-operation-dans-ah": (S(), S(**F(attestation_honneur={"operations": '["BAR-EN-101"]'})), "warning"),
    "r12-signatures-ah": (S(), S(**F(attestation_honneur={"signature_installateur": "false"})), "failed"),
    "r12-devis-signe": (S(), S(**F(devis={"date_signature": None})), "failed"),
    "r13-doublon-numero-facture": (S(before=twin(fields={"facture": {"numero_facture": "F-2025-0001"}})),
                                   S(before=twin()), "failed"),
    "r13-doublon-fichier": (S(before=twin(fields={"facture": {"numero_facture": "F-2025-0998"}})),
                            S(after=same_file), "failed"),
    "r13-doublon-beneficiaire-operation": (
        S(before=twin(beneficiary_name="Marie Durand", fields={"facture": {"numero_facture": "F-2025-0001"}})),
        S(before=twin(beneficiary_name="DUPONT Jean", fields={"facture": {"numero_facture": "F-2025-0001"}})), "failed"),
    "r14-cumul-148-pac": (S(operations=("BAR-TH-148",)), S(operations=("BAR-TH-148", "BAR-TH-171")), "failed"),
    "rp-precarite-justifiee": (
        S(precarity_status="modeste"), S(precarity_status="tres_modeste"), "failed"),
    "rp-avis-imposition-recent": (
        S(precarity_status="modeste"), S(precarity_status="modeste", **F(avis_imposition={"annee_revenus": "2020"})),
        "warning"),
}


def evaluate_case(code: str, setup: Setup):
    rule = Rule.objects.get(code=code)
    if callable(setup.before):
        setup.before()
    company = installer(**setup.installer)
    kwargs = dict(setup.kwargs)
    after = kwargs.pop("after", None)
    dossier = dossier_with_documents(installer_obj=company, **kwargs)
    if after is not None:
        after(dossier)
    context = dossier_context(dossier)
    context.update(setup.extra)
    planned = engine.plan(rule)
    runs = engine.runs_for(planned, context)
    assert runs, f"{code} does not apply to its test dossier"
    evaluations = [engine.evaluate_planned(planned, for_operation(context, entry), operation_entry=entry) for entry in runs]
    return evaluations


def test_every_fixture_rule_has_a_case():
    assert sorted(CASES) == sorted(FIXTURE_CODES)


def test_every_active_rule_parses_and_reads_only_fields_the_schemas_extract():
    document_types = set(DocumentType.objects.values_list("code", flat=True))
    extracted = {f"{code}.{name}" for code, name in
                 FieldSchema.objects.filter(is_active=True).values_list("document_type__code", "name")}
    active = Rule.objects.filter(is_active=True)
    assert {"r03-visite-prealable-isolation", "r06-batiment-plus-de-2-ans"} <= {rule.code for rule in active}
    for rule in active:
        reads = compile_expression(rule.expression).reads
        assert {name for name in reads if name.partition(".")[0] in document_types} <= extracted, rule.code


@pytest.mark.parametrize("code", sorted(CASES))
def test_fixture_rule_passes_on_a_compliant_dossier(code):
    evaluations = evaluate_case(code, CASES[code][0])
    assert [(e.status, e.message) for e in evaluations] == [("passed", "")] * len(evaluations)


@pytest.mark.parametrize("code", sorted(CASES))
def test_fixture_rule_fails_on_a_non_compliant_dossier(code):
    _passing, failing, expected = CASES[code]
    evaluations = evaluate_case(code, failing)
    statuses = {e.status for e in evaluations}
    assert expected in statuses, [(e.status, e.message) for e in evaluations]
    failed = next(e for e in evaluations if e.status == expected)
    assert failed.message and "{" not in failed.message  # the template was filled in


def test_a_precarity_claim_without_a_tax_notice_cannot_be_evaluated_and_says_why():
    installer()
    dossier = dossier_with_documents(precarity_status="modeste", fields={"avis_imposition": None})
    context = dossier_context(dossier)
    evaluation = engine.evaluate_planned(engine.plan(Rule.objects.get(code="rp-precarite-justifiee")), context)
    assert evaluation.status == "not_evaluable"
    assert "`avis_imposition.revenu_fiscal_reference`" in evaluation.message


def evaluations_of(code: str, **kwargs):
    installer()
    context = dossier_context(dossier_with_documents(**kwargs))
    planned = engine.plan(Rule.objects.get(code=code))
    return [engine.evaluate_planned(planned, for_operation(context, entry), operation_entry=entry)
            for entry in engine.runs_for(planned, context)]


def test_the_prior_visit_may_be_on_the_day_of_the_devis():
    (evaluation,) = evaluations_of("r03-visite-prealable-isolation", operations=("BAR-EN-102",),
                                   fields={"devis": {"date_visite_technique": "2025-10-20", "date_devis": "2025-10-20"}})
    assert evaluation.status == "passed"


def test_a_devis_without_a_visit_date_cannot_be_checked_for_the_visit():
    (evaluation,) = evaluations_of("r03-visite-prealable-isolation", operations=("BAR-EN-103",))
    assert evaluation.status == "not_evaluable"
    assert "`devis.date_visite_technique`" in evaluation.message


def test_the_prior_visit_is_only_checked_for_insulation():
    assert evaluations_of("r03-visite-prealable-isolation", fields={"devis": {"date_visite_technique": "2025-11-01"}}) == []


def test_an_attestation_silent_on_the_building_age_cannot_be_evaluated():
    (evaluation,) = evaluations_of("r06-batiment-plus-de-2-ans",
                                   fields={"attestation_honneur": {"batiment_plus_de_2_ans": None}})
    assert evaluation.status == "not_evaluable"
    assert "`attestation_honneur.batiment_plus_de_2_ans`" in evaluation.message


def test_the_building_age_rule_runs_for_each_listed_operation_only():
    both = evaluations_of("r06-batiment-plus-de-2-ans", operations=("BAR-EN-101", "BAR-TH-148"),
                          fields={"attestation_honneur": {"batiment_plus_de_2_ans": "false"}})
    assert [(e.dossier_operation.operation.code, e.status) for e in both] == [("BAR-EN-101", "failed"),
                                                                             ("BAR-TH-148", "failed")]
    assert "BAR-EN-101" in both[0].message and "25/10/2025" in both[0].message
    assert evaluations_of("r06-batiment-plus-de-2-ans", operations=("BAR-TH-174",)) == []


def test_the_compliant_dossier_passes_every_active_rule_that_applies():
    installer()
    dossier = dossier_with_documents()
    context = dossier_context(dossier)
    planned = [engine.plan(rule) for rule in Rule.objects.filter(is_active=True)]
    evaluations = engine.evaluate_rules(planned, context)
    assert {e.rule.code for e in evaluations} >= {"r01-cadre-avant-engagement", "r11-etas-pac", "r13-doublon-fichier"}
    assert [(e.rule.code, e.message) for e in evaluations if e.status != "passed"] == []
    assert len(context[OPERATIONS]) == 1
