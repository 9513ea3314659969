"""Throttling per API token, with the error body and Retry-After."""
from __future__ import annotations

import pytest

from .conftest import token_client

pytestmark = pytest.mark.django_db

TINY_RATES = {"token": "3/min", "anon": "2/min"}


@pytest.fixture
def tiny_rates(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": TINY_RATES}


def test_a_token_over_its_rate_gets_429_with_retry_after(tiny_rates, api):
    statuses = [api.get("/api/v1/dossiers/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/dossiers/")
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert error["details"]["retry_after_seconds"] >= 1
    assert int(response["Retry-After"]) >= 1


def test_each_token_has_its_own_budget(tiny_rates, installer_user):
    first, second = token_client(installer_user), token_client(installer_user)
    for _ in range(3):
        first.get("/api/v1/profile/")

    assert first.get("/api/v1/profile/").status_code == 429
    assert second.get("/api/v1/profile/").status_code == 200
