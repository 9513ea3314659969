"""The OpenAPI schema: valid and warning-free (the live API honours it: test_schema_contract.py)."""
from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_schema_validates_without_any_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    text = (tmp_path / "schema.yaml").read_text()
    for path in (
        "/api/v1/dossiers/:", "/api/v1/dossiers/{id}/:", "/api/v1/dossiers/{id}/submit/:", "/api/v1/dossiers/{id}/documents/:",
        "/api/v1/dossiers/{id}/status/:", "/api/v1/documents/{id}/:", "/api/v1/documents/{id}/download/:",
        "/api/v1/bulk-uploads/:", "/api/v1/payments/:", "/api/v1/profile/:",
    ):
        assert path in text
    assert "Idempotency-Key" in text and "tokenAuth" in text


@pytest.mark.django_db
def test_the_swagger_page_and_schema_are_served(client):
    assert client.get("/api/v1/docs/").status_code == 200
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["info"]["title"] and "/api/v1/dossiers/" in schema["paths"]
