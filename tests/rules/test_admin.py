"""The rule studio in the admin: syntax errors pointed at on save, the tester, the impact
preview and activation, the read-only list of overrides, the reference tables."""
from __future__ import annotations

import json

import pytest
from django.urls import reverse

from dossiers.workflow.rules_run import run_rules_for_dossier
from rules.models import Rule, RuleResult
from rules.services import override_rule_result

from .builders import context_json, dossier_with_documents, installer

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def rule_form(**overrides):
    data = {
        "code": "test-nouvelle-regle", "name": "Nouvelle règle", "description": "", "scope": "dossier",
        "operation_codes": "[]", "document_type": "", "severity": "error",
        "expression": "devis.date_signature <= facture.date_facture", "error_message": "Signé le {devis.date_signature}",
        "overridable": "on",
    }
    data.update(overrides)
    return data


def test_saving_a_rule_with_a_syntax_error_points_at_it(admin_client):
    response = admin_client.post(reverse("admin:rules_rule_add"), rule_form(expression="devis.date_signature <= <= 3"))
    assert response.status_code == 200
    assert not Rule.objects.filter(code="test-nouvelle-regle").exists()
    html = response.content.decode()
    assert "Erreur de syntaxe ligne 1, colonne 25 : valeur attendue" in html
    assert '<pre class="rule-caret">devis.date_signature &lt;= &lt;= 3\n                        ^</pre>' in html


def test_saving_a_rule_with_an_unknown_function_or_bad_filters_is_refused(admin_client):
    response = admin_client.post(reverse("admin:rules_rule_add"), rule_form(
        expression="VERIFIE(devis.date_signature)", operation_codes='["bar-th-171"]', error_message="{pas un champ}"))
    html = response.content.decode()
    assert "fonction inconnue VERIFIE" in html
    assert "Code(s) de fiche invalide(s) : bar-th-171" in html
    assert "n&#x27;est pas un champ" in html


def test_a_new_rule_is_saved_inactive_then_a_change_makes_a_new_version(admin_client, administrator):
    response = admin_client.post(reverse("admin:rules_rule_add"), rule_form())
    assert response.status_code == 302
    rule = Rule.objects.get(code="test-nouvelle-regle")
    assert (rule.version, rule.is_active) == (1, False)
    response = admin_client.post(reverse("admin:rules_rule_change", args=[rule.pk]),
                                 rule_form(expression="devis.date_signature < facture.date_facture"))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.version == 2
    assert rule.history.count() == 2 and rule.history.first().history_user == administrator
    admin_client.post(reverse("admin:rules_rule_change", args=[rule.pk]),
                      rule_form(expression="devis.date_signature < facture.date_facture", name="Renommée"))
    rule.refresh_from_db()
    assert rule.version == 2  # the name does not change what the rule checks


def test_the_change_form_links_to_the_tester_and_the_impact_preview(admin_client):
    rule = Rule.objects.get(code="r02-engagement-avant-facture")
    html = admin_client.get(reverse("admin:rules_rule_change", args=[rule.pk])).content.decode()
    assert reverse("admin:rules_rule_trial", args=[rule.pk]) in html
    assert reverse("admin:rules_rule_impact", args=[rule.pk]) in html


def test_the_tester_runs_a_rule_on_a_dossier_and_shows_the_values_read(admin_client):
    installer()
    dossier = dossier_with_documents(fields={"facture": {"date_facture": "2025-10-01"}})
    rule = Rule.objects.get(code="r02-engagement-avant-facture")
    url = reverse("admin:rules_rule_trial", args=[rule.pk])
    assert admin_client.get(url).status_code == 200
    html = admin_client.post(url, {"expression": rule.expression, "dossier": dossier.reference}).content.decode()
    assert 'data-status="failed"' in html
    assert "<code>facture.date_facture</code></td><td>01/10/2025" in html
    assert "engagement postérieur à l&#x27;achèvement" in html
    assert not RuleResult.objects.filter(dossier=dossier).exists()  # a test writes nothing


def test_the_tester_accepts_a_pasted_json_context_and_a_draft_expression(admin_client):
    rule = Rule.objects.get(code="r02-engagement-avant-facture")
    url = reverse("admin:rules_rule_trial", args=[rule.pk])
    html = admin_client.post(url, {"expression": "facture.montant_ttc > 10000", "context_json": context_json()}).content.decode()
    assert 'data-status="passed"' in html and "12660" in html
    html = admin_client.post(url, {"expression": "facture.montant_ttc >", "context_json": "{}"}).content.decode()
    assert "Erreur de syntaxe ligne 1, colonne 22" in html and "rule-caret" in html
    html = admin_client.post(url, {"expression": rule.expression, "context_json": "{pas du json"}).content.decode()
    assert "JSON invalide" in html
    html = admin_client.post(url, {"expression": rule.expression, "dossier": "INCONNU"}).content.decode()
    assert "Aucun dossier de référence" in html


def test_the_impact_preview_counts_outcomes_on_recent_dossiers_with_links(admin_client):
    installer()
    good = dossier_with_documents()
    bad = dossier_with_documents(fields={"facture": {"date_facture": "2025-10-01"}})
    unknown = dossier_with_documents(fields={"facture": {"date_facture": None}})
    rule = Rule.objects.create(code="test-impact", name="Impact", expression="devis.date_signature <= facture.date_facture",
                               error_message="Facture du {facture.date_facture}", is_active=False)
    url = reverse("admin:rules_rule_impact", args=[rule.pk])
    assert admin_client.get(url).status_code == 200
    html = admin_client.post(url, {"expression": rule.expression, "limit": 200}).content.decode()
    assert 'data-count="passed">1<' in html
    assert 'data-count="failed">1<' in html
    assert 'data-count="not_evaluable">1<' in html
    for dossier in (good, bad, unknown):
        assert reverse("admin:dossiers_dossier_change", args=[dossier.pk]) in html
    assert "Facture du 01/10/2025" in html
    assert "Activer la règle" in html


def test_activating_from_the_impact_page_makes_the_next_run_use_the_rule(admin_client):
    installer()
    rule = Rule.objects.create(code="test-activation", name="Activation", expression="facture.montant_ttc < 10000",
                               error_message="TTC {facture.montant_ttc}", is_active=False)
    response = admin_client.post(reverse("admin:rules_rule_impact", args=[rule.pk]), {"activate": "1"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.is_active
    dossier = dossier_with_documents()
    run_rules_for_dossier(dossier)
    result = RuleResult.objects.get(dossier=dossier, rule=rule)
    assert (result.status, result.message) == ("failed", "TTC 12660")


def test_a_validator_cannot_open_the_rule_studio_pages_to_change_rules(client, validator):
    client.force_login(validator)
    rule = Rule.objects.get(code="r02-engagement-avant-facture")
    assert client.post(reverse("admin:rules_rule_impact", args=[rule.pk]), {"activate": "1"}).status_code == 403


def test_the_overrides_list_is_filterable_and_read_only(admin_client, validator):
    installer()
    dossier = dossier_with_documents(fields={"facture": {"montant_ttc": "12700.00"}})
    run_rules_for_dossier(dossier)
    result = RuleResult.objects.get(dossier=dossier, rule__code="r10-facture-ht-tva-ttc")
    override_rule_result(result, user=validator, reason="Arrondi justifié par l'installateur")
    url = reverse("admin:rules_ruleresult_changelist")
    html = admin_client.get(url, {"overridden__exact": "1"}).content.decode()
    assert "Arrondi justifié" in html and dossier.reference in html
    assert admin_client.get(url, {"status__exact": "failed", "rule__id__exact": result.rule_id}).status_code == 200
    detail = admin_client.get(reverse("admin:rules_ruleresult_change", args=[result.pk]))
    assert detail.status_code == 200
    assert admin_client.get(reverse("admin:rules_ruleresult_add")).status_code == 403


def test_reference_tables_have_their_admin(admin_client):
    assert admin_client.get(reverse("admin:rules_climatezone_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:rules_precarityceiling_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:rules_rule_changelist")).status_code == 200
    html = admin_client.get(reverse("admin:rules_climatezone_changelist"), {"q": "Corse"}).content.decode()
    assert "2A" in html and "2B" in html


def test_context_json_helper_is_valid_json():
    assert json.loads(context_json())["facture.date_facture"] == "2025-11-20"


def test_the_add_form_starts_a_rule_inactive(admin_client):
    html = admin_client.get(reverse("admin:rules_rule_add")).content.decode()
    assert 'name="is_active" id="id_is_active"' in html and 'name="is_active" id="id_is_active" checked' not in html
