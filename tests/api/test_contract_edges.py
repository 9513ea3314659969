"""Where the code and the OpenAPI schema disagreed (found by schemathesis, issue 15): each edge
pinned by itself. test_schema_contract.py runs every check over every operation."""
from __future__ import annotations

import json

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

NEW_DOSSIER = {"beneficiary_name": "Jean Dupont", "beneficiary_postal_code": "69003", "operation_codes": ["BAR-TH-171"]}


def schema_of(client) -> dict:
    return client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()


def assert_json_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    error = json.loads(response.content)["error"]
    assert error["code"] == code and error["message"]
    return error


@pytest.mark.parametrize("path", ["/api/v1/dossiers/0.5/", "/api/v1/documents/1.0/", "/api/v1/dossiers/abc/status/",
                                  "/api/v1/nothing-here/"])
def test_an_id_that_is_not_an_integer_or_an_unknown_path_gets_the_json_404(api, path):
    error = assert_json_error(api.get(path), 404, "not_found")
    assert error["message"] == "Ressource introuvable."


def test_a_post_to_a_non_integer_id_gets_the_json_404_not_a_csrf_page(api):
    assert_json_error(api.post("/api/v1/dossiers/0.5/submit/"), 404, "not_found")


@override_settings(DEBUG=False)
def test_errors_django_answers_itself_keep_the_json_body_under_api_only(client, rf):
    from cee.api.exceptions import server_error

    assert_json_error(client.get("/api/v2/dossiers/"), 404, "not_found")  # cee.urls.handler404
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
    assert_json_error(server_error(rf.get("/api/v1/dossiers/")), 500, "server_error")
    assert server_error(rf.get("/portail/"))["Content-Type"].startswith("text/html")


def test_the_postal_code_schema_is_one_pattern_that_the_empty_string_matches_once(api):
    schemas = schema_of(api)["components"]["schemas"]
    for name, field in (("Company", "postal_code"), ("DossierWriteRequest", "beneficiary_postal_code"),
                        ("DossierWriteRequest", "works_postal_code")):
        prop = schemas[name]["properties"][field]
        assert "oneOf" not in prop and prop["type"] == "string" and prop["pattern"] == "^([0-9]{5})?$"


@pytest.mark.parametrize("query", ["submitted_before=", "created_after=", "created_after=05/12/2026",
                                   "submitted_before=2026-1-5", "status=", "page_size=", "page_size=null",
                                   "page_size=0", "page_size=101", "page_size=2.5", "page_size=5&page_size=5"])
def test_an_empty_or_malformed_list_parameter_is_refused_with_a_french_message(api, query):
    code = "invalid_pagination" if query.startswith("page_size") else "validation_error"
    error = assert_json_error(api.get(f"/api/v1/dossiers/?{query}"), 400, code)
    assert "paramètre" in str(error).lower() or "choix" in str(error).lower()


@pytest.mark.parametrize("page", ["", "null", "0", "abc", "1&page=1"])
def test_a_page_that_is_not_a_number_from_one_is_a_page_that_does_not_exist(api, page):
    assert_json_error(api.get(f"/api/v1/dossiers/?page={page}"), 404, "not_found")


def test_an_empty_payment_filter_is_refused_but_an_empty_text_search_is_allowed(api):
    assert_json_error(api.get("/api/v1/payments/?method="), 400, "validation_error")
    assert api.get("/api/v1/dossiers/?search=").status_code == 200
    assert api.get("/api/v1/dossiers/?page_size=100&page=1").status_code == 200


def test_the_pagination_bounds_are_in_the_schema(api):
    parameters = {p["name"]: p["schema"] for p in schema_of(api)["paths"]["/api/v1/dossiers/"]["get"]["parameters"]}
    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 100}
    assert parameters["page"] == {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "enum": ["last"]}]}


@pytest.mark.parametrize("key", ["", " ", " cle-1", "clé", "a" * 256])
def test_an_empty_or_malformed_idempotency_key_is_refused(api, key):
    error = assert_json_error(
        api.post("/api/v1/dossiers/", NEW_DOSSIER, format="json", HTTP_IDEMPOTENCY_KEY=key), 400, "invalid_idempotency_key",
    )
    assert "Idempotency-Key" in error["message"]


@pytest.mark.parametrize("area", ["-5", "1e2", " 12", "12.", "", 112, 112.5])
def test_a_living_area_other_than_a_plain_positive_decimal_text_is_refused(api, area):
    error = assert_json_error(api.post("/api/v1/dossiers/", {**NEW_DOSSIER, "living_area_m2": area}, format="json"),
                              400, "validation_error")
    assert "living_area_m2" in error["details"]


def test_a_plain_positive_decimal_text_is_accepted_and_the_schema_says_no_sign(api):
    response = api.post("/api/v1/dossiers/", {**NEW_DOSSIER, "living_area_m2": "112.5"}, format="json")
    assert response.status_code == 201 and response.json()["living_area_m2"] == "112.50"
    area = schema_of(api)["components"]["schemas"]["DossierWriteRequest"]["properties"]["living_area_m2"]
    assert area["pattern"] == r"^[0-9]{1,6}(?:\.[0-9]{1,2})?$"  # no sign (it was "^-?…")


@pytest.mark.parametrize("body", [{"beneficiary_name": 0}, {"beneficiary_name": "A", "operation_codes": "BAR-TH-171"},
                                  {"beneficiary_name": "A", "timeline": {"date_signature": 20260120}}])
def test_a_value_of_another_json_type_than_the_schemas_is_refused_not_converted(api, body):
    assert_json_error(api.post("/api/v1/dossiers/", body, format="json"), 400, "validation_error")


def test_profile_qualifications_must_be_texts_and_the_siret_follows_its_pattern(api):
    assert_json_error(api.patch("/api/v1/profile/", {"company": {"qualifications": [0]}}, format="json"), 400, "validation_error")
    assert_json_error(api.patch("/api/v1/profile/", {"company": {"siret": " 73282932000017"}}, format="json"), 400, "validation_error")
    siret = schema_of(api)["components"]["schemas"]["Company"]["properties"]["siret"]
    assert siret["format"] == "siret" and siret["pattern"]


@pytest.mark.parametrize("path", ["/api/v1/bulk-uploads/", "my-dossier"])
def test_an_empty_declared_document_type_is_refused(api, my_dossier, media_root, path):
    from .samples import devis_pdf

    url = f"/api/v1/dossiers/{my_dossier.pk}/documents/" if path == "my-dossier" else path
    response = api.post(url, {"files": [upload_of(devis_pdf("VIDE-1"))], "document_type": ""}, format="multipart")
    assert_json_error(response, 400, "validation_error")


def upload_of(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("devis.pdf", data, content_type="application/pdf")
