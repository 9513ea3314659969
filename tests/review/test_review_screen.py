"""The review screen: what it shows, who may act, its JSON endpoints, its query count."""
from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cee.text import FUZZY_THRESHOLD, fuzzy_ratio
from dossiers.models import DossierStatus
from dossiers.review.screen import dossier_for_review
from extraction.models import ExtractedField, HumanFeedback
from rules.models import RuleResult
from tests.factories import AdministratorFactory, UserFactory

from .builders import add_bare_document, build_review_dossier

pytestmark = pytest.mark.django_db

MISREAD_TTC = {"facture.montant_ttc": ("1245.00", "1 245,00", 0.41)}
JSON = {"HTTP_ACCEPT": "application/json", "HTTP_X_REQUESTED_WITH": "fetch"}


def review_url(dossier, *parts):
    if not parts:
        return reverse("admin:dossiers_dossier_review", args=[dossier.pk])
    name, *args = parts
    return reverse(f"admin:dossiers_dossier_review_{name}", args=[dossier.pk, *args])


def field_of(dossier, key):
    code, name = key.split(".")
    return ExtractedField.objects.get(dossier=dossier, document__document_type__code=code, schema__name=name)


def test_opening_the_screen_claims_the_dossier_and_shows_pages_fields_rules_and_matrix(client, validator):
    dossier = build_review_dossier(misread=MISREAD_TTC)
    client.force_login(validator)

    response = client.get(review_url(dossier))

    assert response.status_code == 200
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.IN_REVIEW and dossier.assigned_to == validator
    html = response.content.decode()
    # Pages come from the permission-checked file view.
    assert html.count('class="v-page"') == 5
    assert reverse("documents:page-image", args=[dossier.documents.first().pk, 1]) in html
    # The misread amount is flagged, sits first in the invoice's group and carries its box.
    facture_group = html[html.index("Facture</button>"):]
    first_row = re.search(r'<li class="f-row ([^"]*)" id="field-(\d+)"[^>]*data-bbox="([^"]*)"', facture_group)
    ttc = field_of(dossier, "facture.montant_ttc")
    assert first_row.group(2) == str(ttc.pk)
    assert "f-attn" in first_row.group(1) and first_row.group(3).count(",") == 3
    # The failing rule, the values it read and the mismatch in the matrix.
    assert "r10-facture-ht-tva-ttc" in html and "facture.montant_ttc" in html
    assert 'class="m-cell m-mismatch"' in html
    assert "tenu par vous" in html


def test_a_second_validator_gets_a_read_only_screen_and_cannot_post(client, validator, other_validator):
    dossier = build_review_dossier(images=False)
    client.force_login(validator)
    client.get(review_url(dossier))
    client.force_login(other_validator)

    response = client.get(review_url(dossier))

    html = response.content.decode()
    assert "a ce dossier en revue" in html and validator.get_full_name() in html
    assert 'data-action="confirm"' not in html and 'id="decide-approve"' not in html
    field = field_of(dossier, "devis.date_devis")
    answer = client.post(review_url(dossier, "field", field.pk, "confirm"), **JSON)
    assert answer.status_code == 403 and "en revue" in answer.json()["message"]
    assert not HumanFeedback.objects.exists()


def test_an_administrator_may_take_over_from_the_screen(client, validator):
    dossier = build_review_dossier(images=False)
    client.force_login(validator)
    client.get(review_url(dossier))
    administrator = AdministratorFactory()
    client.force_login(administrator)
    assert "Reprendre le dossier" in client.get(review_url(dossier)).content.decode()

    client.post(review_url(dossier, "take_over"))

    dossier.refresh_from_db()
    assert dossier.assigned_to == administrator


def test_correcting_a_field_answers_json_with_the_re_rendered_screen(client, validator):
    dossier = build_review_dossier(misread=MISREAD_TTC, images=False)
    client.force_login(validator)
    client.get(review_url(dossier))
    ttc = field_of(dossier, "facture.montant_ttc")

    answer = client.post(review_url(dossier, "field", ttc.pk, "correct"), {"value": "12 450,00"}, **JSON)

    assert answer.status_code == 200
    body = answer.json()
    assert body["ok"] and "corrigé" in body["message"]
    assert "12\u202f450,00" in body["rows"][str(ttc.pk)] and "f-corrected" in body["rows"][str(ttc.pk)]
    assert "r10-facture-ht-tva-ttc" not in body["panels"]["rules"].split("r-passed")[0]
    assert set(body["panels"]) == {"rules", "matrix", "dossier", "history"}
    history = body["panels"]["history"]
    assert "Facture : Montant TTC — corrigé : 12450.00" in history and validator.get_full_name() in history
    assert HumanFeedback.objects.get(extracted_field=ttc).kind == "corrected"


def test_an_invalid_value_is_refused_with_its_message(client, validator):
    dossier = build_review_dossier(images=False)
    client.force_login(validator)
    client.get(review_url(dossier))
    field = field_of(dossier, "devis.siret_installateur")

    answer = client.post(review_url(dossier, "field", field.pk, "correct"), {"value": "123"}, **JSON)

    assert answer.status_code == 400 and "SIRET" in answer.json()["message"]


def test_without_javascript_actions_redirect_back_with_a_message(client, validator):
    dossier = build_review_dossier(images=False)
    client.force_login(validator)
    client.get(review_url(dossier))
    field = field_of(dossier, "devis.date_devis")

    response = client.post(review_url(dossier, "field", field.pk, "confirm"), follow=True)

    assert response.redirect_chain[-1][0].endswith(f"#field-{field.pk}")
    assert "confirmé" in response.content.decode()


def test_override_needs_a_reason_then_approval_opens_the_next_dossier(client, validator):
    dossier = build_review_dossier(facts_changes={"facture.etas": "105.00"}, images=False)
    add_bare_document(dossier, "note_dimensionnement")
    following = build_review_dossier(images=False, priority=10)
    client.force_login(validator)
    client.get(review_url(dossier))
    result = RuleResult.objects.get(dossier=dossier, rule__code="r11-etas-pac")

    refused = client.post(review_url(dossier, "decide", "approve"), **JSON)
    assert refused.status_code == 409 and refused.json()["blockers"]
    empty = client.post(review_url(dossier, "override", result.pk), {"reason": "  "}, **JSON)
    assert empty.status_code == 400 and "obligatoire" in empty.json()["message"]

    done = client.post(review_url(dossier, "override", result.pk), {"reason": "Fiche produit : Etas 126 %"}, **JSON)
    assert done.status_code == 200
    approved = client.post(review_url(dossier, "decide", "approve"), **JSON)

    assert approved.json()["redirect"] == review_url(following)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.APPROVED


def test_get_does_not_run_actions(client, validator):
    dossier = build_review_dossier(images=False)
    client.force_login(validator)
    client.get(review_url(dossier))
    field = field_of(dossier, "devis.date_devis")
    response = client.get(review_url(dossier, "field", field.pk, "confirm"), **JSON)
    assert response.status_code == 405
    assert not HumanFeedback.objects.exists()


def test_page_images_are_served_only_to_those_who_may_see_the_dossier(client, validator):
    dossier = build_review_dossier(document_types=("devis",))
    url = reverse("documents:page-image", args=[dossier.documents.get().pk, 1])
    client.force_login(validator)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])[:3] == b"\xff\xd8\xff"

    client.force_login(UserFactory())  # an installer of another company
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_review_screen_query_count_does_not_grow_with_documents_fields_or_dossiers(client, validator):
    def screen_queries(dossier) -> int:
        client.get(review_url(dossier))  # the first visit claims it (writes); measure the next one
        with CaptureQueriesContext(connection) as captured:
            response = client.get(review_url(dossier))
            assert response.status_code == 200
        return len(captured)

    client.force_login(validator)
    small = build_review_dossier(document_types=("devis",), images=False)
    small_count = screen_queries(small)
    large = build_review_dossier(misread=MISREAD_TTC, images=False)
    add_bare_document(large, "note_dimensionnement")
    for _ in range(3):
        build_review_dossier(images=False, run_rules=False)
    large_count = screen_queries(large)

    assert large.fields.count() > 10 * small.documents.count()
    assert large_count == small_count
    assert small_count <= 20


def test_names_and_addresses_match_fuzzily():
    assert fuzzy_ratio("M. Jean DUPONT", "Dupont Jean") == 1.0
    assert fuzzy_ratio("Dupont Jean-Pierre", "Dupond Jean Pierre") >= FUZZY_THRESHOLD
    assert fuzzy_ratio("Dupont Jean", "Martin Claire") < 0.5
    assert fuzzy_ratio("3 allée des Tilleuls", "3 ALLEE DES TILLEULS") == 1.0
    assert fuzzy_ratio("12 avenue Jean Jaurès", "12 av. Jean Jaures") >= FUZZY_THRESHOLD
    assert fuzzy_ratio("3 allée des Tilleuls", "3 allée des Tilleuls 69003 Lyon") >= FUZZY_THRESHOLD
    assert fuzzy_ratio("3 allée des Tilleuls", "18 rue Victor Hugo") < FUZZY_THRESHOLD


def test_the_matrix_flags_the_odd_value_out_and_accepts_a_differently_written_name():
    dossier = build_review_dossier(
        misread=MISREAD_TTC,
        facts_changes={"attestation_honneur.beneficiaire_nom": "M. DUPONT Jean 0"},
        images=False, run_rules=False, beneficiary_name="Dupont Jean 0",
    )
    matrix = dossier_for_review(dossier.pk).matrix
    rows = {row.label: row for row in matrix.rows}
    labels = [column.label for column in matrix.columns]

    ttc = rows["Montant TTC"]
    assert ttc.state == "mismatch"
    states = {labels[i]: cell.state for i, cell in enumerate(ttc.cells) if cell.value}
    assert states == {"Devis": "mismatch", "Facture": "mismatch"}  # two documents, no majority
    assert rows["Bénéficiaire"].state == "fuzzy"
    assert rows["SIRET installateur"].state == "ok"
    assert rows["Opérations"].state == "ok"


def test_values_read_from_documents_are_escaped(client, validator):
    dossier = build_review_dossier(images=False, run_rules=False)
    field = field_of(dossier, "devis.raison_sociale_installateur")
    ExtractedField.objects.filter(pk=field.pk).update(value='<img src=x onerror="alert(1)">', raw_text="<b>lu</b>")
    client.force_login(validator)

    html = client.get(review_url(dossier)).content.decode()

    assert '<img src=x onerror="alert(1)">' not in html and "<b>lu</b>" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_validators_review_and_only_administrators_edit_the_dossier_form(client, validator):
    dossier = build_review_dossier(images=False, run_rules=False)
    change_url = reverse("admin:dossiers_dossier_change", args=[dossier.pk])
    client.force_login(validator)
    assert client.get(change_url)["Location"] == review_url(dossier)
    assert client.post(reverse("admin:dossiers_dossier_delete", args=[dossier.pk]), {"post": "yes"}).status_code == 403

    client.force_login(AdministratorFactory())
    response = client.get(change_url)
    assert response.status_code == 200
    # The workflow is never edited by hand, even by an administrator.
    assert 'name="status"' not in response.content.decode()
