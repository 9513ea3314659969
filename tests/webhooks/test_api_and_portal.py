"""Webhooks through the API (/api/v1/webhooks/) and the portal: secret shown once, one company's endpoints, test send."""
from __future__ import annotations

import pytest

from dossiers.webhooks.models import WebhookDelivery, WebhookEndpoint
from dossiers.webhooks.services import create_endpoint

pytestmark = pytest.mark.django_db


def test_an_installer_creates_an_endpoint_and_sees_the_secret_once(api, receiver):
    created = api.post("/api/v1/webhooks/", {"url": receiver.url, "events": ["dossier.approved"]}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("whsec_") and body["events"] == ["dossier.approved"] and body["is_active"]
    assert WebhookEndpoint.objects.get().secret == body["secret"]
    listed = api.get("/api/v1/webhooks/").json()
    assert [e["url"] for e in listed["results"]] == [receiver.url]
    assert "secret" not in listed["results"][0]
    assert "secret" not in api.get(f"/api/v1/webhooks/{body['id']}/").json()


def test_bad_urls_and_events_get_the_json_error_body(api, settings):
    settings.CEE_WEBHOOK_ALLOW_PRIVATE = False
    refused = api.post("/api/v1/webhooks/", {"url": "http://127.0.0.1:8161/x"}, format="json")
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "validation_error" and "adresse privée" in error["details"]["url"][0]
    unknown = api.post("/api/v1/webhooks/", {"url": "https://erp.example.fr/", "events": ["dossier.vole"]}, format="json")
    assert unknown.status_code == 400 and "events" in unknown.json()["error"]["details"]


def test_the_test_action_sends_now_and_returns_the_delivery(api, installer_user, receiver):
    endpoint = create_endpoint(installer=installer_user.installer, url=receiver.url)
    answer = api.post(f"/api/v1/webhooks/{endpoint.pk}/test/")
    assert answer.status_code == 200
    assert answer.json()["status"] == "succeeded" and answer.json()["last_status_code"] == 200
    assert receiver.requests[0].json["event"] == "webhook.test"
    log = api.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/").json()
    assert [d["event"] for d in log] == ["webhook.test"]


def test_another_company_neither_sees_nor_deletes_an_endpoint_and_staff_are_refused(
        api, other_api, validator_api, anonymous, installer_user, receiver):
    endpoint = create_endpoint(installer=installer_user.installer, url=receiver.url)
    assert other_api.get("/api/v1/webhooks/").json()["results"] == []
    for method, path in (("get", ""), ("delete", ""), ("post", "test/")):
        assert getattr(other_api, method)(f"/api/v1/webhooks/{endpoint.pk}/{path}").status_code == 404
    assert validator_api.get("/api/v1/webhooks/").status_code == 403
    assert anonymous.get("/api/v1/webhooks/").status_code == 401
    assert receiver.requests == []
    assert api.delete(f"/api/v1/webhooks/{endpoint.pk}/").status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_the_schema_documents_the_webhook_endpoints(anonymous):
    paths = anonymous.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in ("/api/v1/webhooks/", "/api/v1/webhooks/{id}/", "/api/v1/webhooks/{id}/test/",
                 "/api/v1/webhooks/{id}/deliveries/", "/api/v1/webhooks/{id}/reactivate/"):
        assert path in paths


def test_the_portal_registers_an_endpoint_shows_its_secret_once_and_its_log(client, installer_user, receiver):
    client.force_login(installer_user)
    page = client.post("/portail/webhooks/", {"url": receiver.url, "description": "ERP", "events": ["dossier.approved"]})
    endpoint = WebhookEndpoint.objects.get()
    text = page.content.decode()
    assert page.status_code == 200 and endpoint.secret in text and "ne sera plus jamais affiché" in text
    assert page["Cache-Control"] == "no-store"
    assert endpoint.secret not in client.get("/portail/webhooks/").content.decode()

    sent = client.post(f"/portail/webhooks/{endpoint.pk}/test/", follow=True)
    text = sent.content.decode()
    assert "Envoi de test reçu : réponse HTTP 200" in text and "Journal des envois" in text and "Livré" in text
    assert WebhookDelivery.objects.get().event == "webhook.test"

    client.post(f"/portail/webhooks/{endpoint.pk}/supprimer/")
    assert not WebhookEndpoint.objects.exists()


def test_the_portal_pages_belong_to_the_company(client, other_installer_user, installer_user, receiver, validator):
    endpoint = create_endpoint(installer=installer_user.installer, url=receiver.url)
    client.force_login(other_installer_user)
    assert client.get(f"/portail/webhooks/{endpoint.pk}/").status_code == 404
    assert client.post(f"/portail/webhooks/{endpoint.pk}/supprimer/").status_code == 404
    client.force_login(validator)
    assert client.get("/portail/webhooks/").status_code == 403


def test_a_number_where_the_schema_says_text_is_refused(api):
    answer = api.post("/api/v1/webhooks/", {"url": "https://erp.example.fr/cee", "description": 0}, format="json")
    assert answer.status_code == 400 and "description" in answer.json()["error"]["details"]
