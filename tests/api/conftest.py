"""Fixtures of the API tests: token-authenticated clients of each role, dossiers of two companies."""
from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.tokens import issue_token
from tests.factories import DossierFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Users are created in nearly every test: the production hasher would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _roomy_per_address_rates(settings):
    # Every test client calls from one address, and schemathesis sends thousands of anonymous
    # or wrongly authenticated requests in one test: not password guessing. The per-address
    # rates are tested on their own (tests/foundation/test_lockout.py, test_throttling.py).
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "anon": "100000/min", "auth_failure": "100000/h"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters and cached reference data live in the cache: each test starts afresh.
    cache.clear()
    yield
    cache.clear()


def token_client(user) -> APIClient:
    _token, key = issue_token(user, "tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def api(installer_user) -> APIClient:
    """The installer's integration: a client sending its token."""
    return token_client(installer_user)


@pytest.fixture
def other_api(other_installer_user) -> APIClient:
    return token_client(other_installer_user)


@pytest.fixture
def validator_api(validator) -> APIClient:
    return token_client(validator)


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


@pytest.fixture
def my_dossier(installer_user):
    return DossierFactory(installer=installer_user.installer, created_by=installer_user)


@pytest.fixture
def their_dossier(other_installer_user):
    return DossierFactory(installer=other_installer_user.installer, created_by=other_installer_user)


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files go to a fresh folder; returns a function listing the stored files."""
    folder = tmp_path / "media"
    folder.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(folder)}},
    }

    def stored_files() -> list:
        return sorted(p for p in folder.rglob("*") if p.is_file())

    return stored_files


@pytest.fixture
def synchronous_pipeline(settings):
    """django-q2 runs tasks at once, in the calling thread (with on_commit callbacks run)."""
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
