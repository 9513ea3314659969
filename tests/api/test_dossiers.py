"""The installer's dossiers through the API: create, list, filter, read, change, submit, follow."""
from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Installer
from billing.services import record_payment
from dossiers.models import Dossier, DossierOperation, DossierStatus, Operation
from dossiers.status import transition
from dossiers.workflow.invoicing import create_invoice_for_dossier
from extraction.models import StageRun
from rules.models import Rule, RuleResult
from tests.billing.conftest import make_approved_dossier
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


def test_creating_a_dossier_returns_it_with_its_location(api, installer_user):
    response = api.post(
        "/api/v1/dossiers/",
        {
            "beneficiary_name": "Jean Dupont", "beneficiary_postal_code": "69003", "beneficiary_city": "Lyon",
            "housing_type": "maison", "precarity_status": "modeste", "living_area_m2": "112.5",
            "operation_codes": ["bar-th-171"], "timeline": {"date_signature": "2026-01-20"},
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    dossier = Dossier.objects.get(pk=body["id"])
    assert response["Location"] == f"http://testserver/api/v1/dossiers/{dossier.pk}/"
    assert dossier.installer == installer_user.installer and dossier.created_by == installer_user
    assert body["status"] == "draft" and body["reference"].startswith("CEE-")
    assert [op["code"] for op in body["operations"]] == ["BAR-TH-171"]
    assert body["timeline"]["date_signature"] == "2026-01-20"
    assert body["living_area_m2"] == "112.50"
    assert body["payment"] == {"code": "not_invoiced", "label": "Non facturé"}


def test_invalid_data_is_refused_field_by_field(api):
    response = api.post(
        "/api/v1/dossiers/",
        {"beneficiary_postal_code": "6900", "housing_type": "chateau", "operation_codes": ["BAR-TH-999", "BAR-TH-104"]},
        format="json",
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert set(error["details"]) == {"beneficiary_name", "beneficiary_postal_code", "housing_type", "operation_codes"}
    assert "BAR-TH-104" in error["details"]["operation_codes"][0]  # abolished at the end of 2023
    assert Dossier.objects.count() == 0


def test_a_malformed_json_body_gets_the_same_error_shape(api):
    response = api.generic("POST", "/api/v1/dossiers/", "{pas du json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


@pytest.fixture
def my_dossiers(installer_user):
    company = installer_user.installer
    heat_pump = Operation.objects.filter(code="BAR-TH-171").first()
    attic = Operation.objects.filter(code="BAR-EN-101").first()
    old = DossierFactory(installer=company, reference="CEE-2025-000001", beneficiary_name="Marie Curie")
    Dossier.objects.filter(pk=old.pk).update(created_at=timezone.make_aware(datetime.datetime(2025, 6, 1, 12)))
    draft = DossierFactory(installer=company, reference="CEE-2026-000002", beneficiary_name="Jean Dupont")
    DossierOperation.objects.create(dossier=draft, operation=heat_pump)
    waiting = DossierFactory(
        installer=company, reference="CEE-2026-000003", beneficiary_name="Paul Durand",
        status=DossierStatus.AWAITING_DOCUMENTS, missing_documents=["avis_imposition"],
    )
    DossierOperation.objects.create(dossier=waiting, operation=attic)
    return {"old": old, "draft": draft, "waiting": waiting}


def references(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


def test_the_list_is_newest_first_and_paginated(api, my_dossiers):
    first = api.get("/api/v1/dossiers/?page_size=2").json()

    assert first["count"] == 3
    assert [row["reference"] for row in first["results"]] == ["CEE-2026-000003", "CEE-2026-000002"]
    assert first["next"].endswith("page=2&page_size=2")
    assert references(api.get(first["next"])) == ["CEE-2025-000001"]


def test_the_count_comes_with_every_page_and_pages_past_the_end_are_404(api, my_dossiers):
    last = api.get("/api/v1/dossiers/?page_size=2&page=last").json()
    filtered = api.get("/api/v1/dossiers/?status=awaiting_documents&page_size=2").json()
    nothing = api.get("/api/v1/dossiers/?status=rejected").json()

    assert (last["count"], [row["reference"] for row in last["results"]]) == (3, ["CEE-2025-000001"])
    assert last["next"] is None and last["previous"].endswith("page_size=2")
    assert (filtered["count"], filtered["next"], len(filtered["results"])) == (1, None, 1)
    assert (nothing["count"], nothing["results"], nothing["next"]) == (0, [], None)
    for page in ("3", "0", "-1", "deux"):
        response = api.get(f"/api/v1/dossiers/?page_size=2&page={page}")
        assert response.status_code == 404, page
        assert response.json()["error"]["code"] == "not_found"
    assert api.get("/api/v1/dossiers/?status=rejected&page=2").status_code == 404


@pytest.mark.parametrize(
    "query,expected",
    [
        ("status=awaiting_documents", ["CEE-2026-000003"]),
        ("status=draft&status=awaiting_documents", ["CEE-2026-000003", "CEE-2026-000002", "CEE-2025-000001"]),
        ("operation=BAR-TH-171", ["CEE-2026-000002"]),
        ("operation=bar-en-101", ["CEE-2026-000003"]),
        ("search=curie", ["CEE-2025-000001"]),
        ("search=2026-000002", ["CEE-2026-000002"]),
        ("created_before=2025-12-31", ["CEE-2025-000001"]),
        ("created_after=2026-01-01&ordering=reference", ["CEE-2026-000002", "CEE-2026-000003"]),
        ("ordering=beneficiary_name", None),  # not an offered ordering: ignored, default order
        ("ordering=-reference", ["CEE-2026-000003", "CEE-2026-000002", "CEE-2025-000001"]),
    ],
)
def test_the_list_filters_and_orders(api, my_dossiers, query, expected):
    result = references(api.get(f"/api/v1/dossiers/?{query}"))

    assert result == (expected or ["CEE-2026-000003", "CEE-2026-000002", "CEE-2025-000001"])


@pytest.mark.parametrize(
    "ordering,newest_id_first",
    [("status", False), ("-status", True), ("-submitted_at", True), ("premium_eur", False), ("-created_at", True)],
)
def test_paging_through_equal_sort_keys_neither_repeats_nor_skips_a_dossier(api, installer_user, ordering, newest_id_first):
    ids = [DossierFactory(installer=installer_user.installer).pk for _ in range(7)]
    same_moment = timezone.make_aware(datetime.datetime(2026, 3, 2, 9))
    Dossier.objects.filter(pk__in=ids).update(created_at=same_moment, submitted_at=same_moment)

    seen = []
    for page in (1, 2, 3, 4):
        seen += [row["id"] for row in api.get(f"/api/v1/dossiers/?ordering={ordering}&page_size=2&page={page}").json()["results"]]

    # the id breaks the ties, in the direction of the requested order
    assert seen == sorted(ids, reverse=newest_id_first)


def test_every_api_list_ordering_ends_with_the_id():
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from cee.api.base import StableOrderingFilter
    from dossiers.api.billing import PaymentListView
    from dossiers.api.views import DossierViewSet

    def ordering_for(view_class, query):
        request = Request(APIRequestFactory().get("/", query))
        return StableOrderingFilter().get_ordering(request, Dossier.objects.none(), view_class())

    assert ordering_for(DossierViewSet, {}) == ["-created_at", "-id"]
    assert ordering_for(DossierViewSet, {"ordering": "status,-premium_eur"}) == ["status", "-premium_eur", "-id"]
    assert ordering_for(PaymentListView, {"ordering": "amount"}) == ["amount", "id"]
    assert ordering_for(PaymentListView, {}) == ["-date", "-id"]
    assert DossierViewSet.filter_backends[-1] is PaymentListView.filter_backends[-1] is StableOrderingFilter


def test_an_invalid_filter_value_is_a_400(api, my_dossiers):
    response = api.get("/api/v1/dossiers/?status=perdu")

    assert response.status_code == 400
    assert "status" in response.json()["error"]["details"]


def test_list_rows_say_what_is_missing_and_what_failed(api, my_dossiers):
    waiting = my_dossiers["waiting"]
    blocking = Rule.objects.create(code="test-date-order", name="Devis avant facture", expression="1 = 2", error_message="x", severity="error")
    advisory = Rule.objects.create(code="test-warning", name="Écart de montant", expression="1 = 2", error_message="x", severity="warning")
    RuleResult.objects.create(dossier=waiting, rule=blocking, rule_version=1, status="failed", message="Devis signé après la facture.")
    RuleResult.objects.create(dossier=waiting, rule=advisory, rule_version=1, status="failed", message="Interne.")

    row = next(r for r in api.get("/api/v1/dossiers/").json()["results"] if r["id"] == waiting.pk)

    assert row["missing_documents"] == [{"code": "avis_imposition", "name": "Avis d'imposition", "operations": []}]
    assert row["rule_failure_count"] == 1
    assert row["operations"] == ["BAR-EN-101"]


def _list_queries(api, django_assert_max_num_queries, page_size: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"/api/v1/dossiers/?page_size={page_size}")
    assert len(response.json()["results"]) == page_size
    return len(queries)


def test_the_list_runs_the_same_few_queries_whatever_the_page_size(api, installer_user, django_assert_max_num_queries):
    company = installer_user.installer
    for index in range(30):
        dossier = DossierFactory(installer=company, missing_documents=["facture", {"code": "devis"}])
        DossierOperation.objects.create(dossier=dossier, operation=Operation.objects.filter(code="BAR-TH-171").first())
    api.get("/api/v1/dossiers/")  # the token's last-used time is written once a minute

    small, large = (_list_queries(api, django_assert_max_num_queries, n) for n in (5, 30))

    # the token, then the page with its count, rule failures and invoice state (and, on
    # PostgreSQL, its fiche codes); elsewhere the fiche codes in a third query
    assert small == large == (2 if connection.vendor == "postgresql" else 3)


def test_patching_a_draft_changes_only_what_is_sent(api, my_dossiers):
    draft = my_dossiers["draft"]

    response = api.patch(
        f"/api/v1/dossiers/{draft.pk}/",
        {"beneficiary_email": "jean.dupont@example.fr", "timeline": {"date_facture": "2026-02-06"}, "operation_codes": ["BAR-EN-101"]},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["beneficiary_name"] == "Jean Dupont"
    assert body["beneficiary_email"] == "jean.dupont@example.fr"
    assert body["timeline"]["date_facture"] == "2026-02-06"
    assert [op["code"] for op in body["operations"]] == ["BAR-EN-101"]
    assert draft.activities.filter(verb="dossier_updated").exists()


def test_a_dossier_under_review_cannot_be_patched(api, installer_user):
    dossier = DossierFactory(installer=installer_user.installer, status=DossierStatus.IN_REVIEW)

    response = api.patch(f"/api/v1/dossiers/{dossier.pk}/", {"beneficiary_name": "Autre"}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "dossier_not_editable"


def test_put_is_not_offered(api, my_dossiers):
    response = api.put(f"/api/v1/dossiers/{my_dossiers['draft'].pk}/", {"beneficiary_name": "X"}, format="json")

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_submitting_moves_a_draft_on_once(api, my_dossiers, installer_user):
    draft = my_dossiers["draft"]

    first = api.post(f"/api/v1/dossiers/{draft.pk}/submit/")
    second = api.post(f"/api/v1/dossiers/{draft.pk}/submit/")

    assert first.status_code == 200
    assert first.json()["status"] == "submitted" and first.json()["submitted_at"]
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "illegal_transition"
    draft.refresh_from_db()
    assert draft.submitted_by == installer_user


def test_the_status_report_shows_stages_missing_documents_and_installer_visible_failures(api, my_dossiers, installer_user):
    dossier = my_dossiers["draft"]
    transition(dossier, DossierStatus.SUBMITTED, actor=installer_user)
    transition(dossier, DossierStatus.PROCESSING)
    now = timezone.now()
    StageRun.objects.create(dossier=dossier, stage="classify", outcome="succeeded", started_at=now, duration_ms=40)
    StageRun.objects.create(dossier=dossier, stage="classify", outcome="failed", started_at=now, duration_ms=10, error="Traceback: secret")
    transition(dossier, DossierStatus.AWAITING_DOCUMENTS)
    Dossier.objects.filter(pk=dossier.pk).update(missing_documents=[{"code": "note_dimensionnement", "operations": ["BAR-TH-171"]}])
    blocking = Rule.objects.create(code="test-rge", name="RGE valide à l'engagement", expression="1 = 2", error_message="x", severity="error")
    waived = Rule.objects.create(code="test-waived", name="Dérogée", expression="1 = 2", error_message="x", severity="error")
    RuleResult.objects.create(dossier=dossier, rule=blocking, rule_version=1, status="failed", message="Certificat RGE expiré le 01/01/2026.", values={"internal": 1})
    RuleResult.objects.create(dossier=dossier, rule=waived, rule_version=1, status="failed", message="x", overridden=True, override_reason="vu")

    body = api.get(f"/api/v1/dossiers/{dossier.pk}/status/").json()

    assert body["status"] == "awaiting_documents" and body["in_progress"] is False
    assert [(s["stage"], s["runs"], s["failed"]) for s in body["stages"]] == [("classify", 2, 1)]
    assert "secret" not in str(body)
    assert body["missing_documents"] == [{"code": "note_dimensionnement", "name": "Note de dimensionnement", "operations": ["BAR-TH-171"]}]
    assert body["rule_failures"] == [
        {"rule": "RGE valide à l'engagement", "message": "Certificat RGE expiré le 01/01/2026.", "evaluated_at": body["rule_failures"][0]["evaluated_at"]}
    ]
    assert [h["to_status"] for h in body["history"]] == ["submitted", "processing", "awaiting_documents"]


def test_a_rejected_dossier_shows_its_reason(api, installer_user, validator):
    dossier = DossierFactory(installer=installer_user.installer, status=DossierStatus.IN_REVIEW)
    transition(dossier, DossierStatus.REJECTED, actor=validator, reason="Attestation sur l'honneur non signée.")

    detail = api.get(f"/api/v1/dossiers/{dossier.pk}/").json()
    report = api.get(f"/api/v1/dossiers/{dossier.pk}/status/").json()

    assert detail["rejection_reason"] == report["rejection_reason"] == "Attestation sur l'honneur non signée."


# --- Payments and profile ------------------------------------------------------------------

def test_payments_list_only_my_companys_payments(api, installer_user, other_installer_user, administrator):
    mine = make_approved_dossier(installer=installer_user.installer)
    theirs = make_approved_dossier(installer=other_installer_user.installer)
    for dossier, amount in ((mine, "1000.00"), (theirs, "2000.00")):
        invoice = create_invoice_for_dossier(dossier, user=administrator)
        record_payment(invoice, amount=amount, date=datetime.date(2026, 4, 15), method="transfer", reference="VIR-1", user=administrator)

    body = api.get("/api/v1/payments/").json()

    assert body["count"] == 1
    payment = body["results"][0]
    assert payment["amount"] == "1000.00" and payment["method_label"] == "Virement"
    assert payment["invoice"]["dossier_reference"] == mine.reference
    assert payment["invoice"]["status"] == "partially_paid"
    assert api.get("/api/v1/dossiers/").json()["results"][0]["payment"]["code"] == "partially_paid"


def test_the_profile_shows_my_company(api, installer_user):
    body = api.get("/api/v1/profile/").json()

    assert body["user"]["email"] == installer_user.email
    assert body["company"]["siret"] == installer_user.installer.siret


def test_patching_the_profile_validates_the_siret_and_keeps_back_office_fields(api, installer_user):
    company = installer_user.installer
    bad = api.patch("/api/v1/profile/", {"company": {"siret": "732 829 320 00075"}}, format="json")
    good = api.patch(
        "/api/v1/profile/",
        {"company": {"siret": "356 000 000 00048", "rge_number": "QPAC/61234", "rge_valid_until": "2030-05-31", "rge_status": "valid", "contract_reference": "PIRATE"}},
        format="json",
    )

    assert bad.status_code == 400
    assert "clé de contrôle" in bad.json()["error"]["details"]["company"]["siret"][0]
    assert good.status_code == 200, good.content
    rge_before = (company.rge_number, company.rge_valid_until)
    company.refresh_from_db()
    assert (company.siret, company.siren) == ("35600000000048", "356000000")
    # The RGE fields became a request for staff to approve (accounts.rge): nothing changed yet.
    assert (company.rge_number, company.rge_valid_until) == rge_before
    assert good.json()["rge_change_request"]["rge_number"] == "QPAC/61234"
    assert good.json()["rge_change_request"]["rge_valid_until"] == "2030-05-31"
    assert company.contract_reference != "PIRATE"
    assert company.history.first().history_user == installer_user


def test_the_profile_refuses_rge_dates_in_the_wrong_order(api):
    response = api.patch("/api/v1/profile/", {"company": {"rge_valid_from": "2027-01-01", "rge_valid_until": "2026-01-01"}}, format="json")

    assert response.status_code == 400
    assert "rge_valid_until" in response.json()["error"]["details"]["company"]


def test_a_siret_already_registered_by_another_company_is_refused(api, other_installer_user):
    response = api.patch("/api/v1/profile/", {"company": {"siret": other_installer_user.installer.siret}}, format="json")

    assert response.status_code == 400
    assert "siret" in response.json()["error"]["details"]["company"]
    assert Installer.objects.filter(siret=other_installer_user.installer.siret).count() == 1


def test_list_rows_are_exactly_what_the_documented_serializer_gives(api, installer_user, administrator, my_dossiers):
    from dossiers.api.serializers import DossierListSerializer
    from dossiers.installer_selectors import installer_dossier_list

    invoiced = make_approved_dossier(installer=installer_user.installer)
    create_invoice_for_dossier(invoiced, user=administrator)
    rule = Rule.objects.create(code="t-list", name="Contrôle", expression="1 = 2", error_message="x", severity="error")
    RuleResult.objects.create(dossier=my_dossiers["waiting"], rule=rule, rule_version=1, status="failed", message="x")
    transition(my_dossiers["draft"], DossierStatus.SUBMITTED, actor=installer_user)

    listed = api.get("/api/v1/dossiers/").json()["results"]
    documented = DossierListSerializer(installer_dossier_list(installer_user).order_by("-created_at", "-id"), many=True).data

    assert listed == [dict(row) for row in documented]
    assert {row["payment"]["code"] for row in listed} == {"not_invoiced", "issued"}


def test_answers_are_written_byte_for_byte_as_drf_would(api, installer_user, my_dossiers):
    from rest_framework.renderers import JSONRenderer

    my_dossiers["draft"].beneficiary_name = "Zoé L\u2028Hôte « 42 »"
    my_dossiers["draft"].save(update_fields=["beneficiary_name"])
    for path in ("/api/v1/dossiers/", f"/api/v1/dossiers/{my_dossiers['waiting'].pk}/", "/api/v1/profile/"):
        response = api.get(path)
        assert response.status_code == 200
        assert response.content == JSONRenderer().render(response.data), path
    assert b"L\\u2028H" in api.get("/api/v1/dossiers/").content
    browsable = api.get("/api/v1/dossiers/", HTTP_ACCEPT="application/json; indent=2")
    assert browsable.content.startswith(b'{\n  "count"')
