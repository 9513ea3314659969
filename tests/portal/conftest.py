"""Fixtures of the portal tests: a logged-in installer's browser session, files kept apart."""
from __future__ import annotations

import pytest

from tests.api.conftest import media_root  # noqa: F401  (re-exported fixture)
from tests.factories import DossierFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def portal(client, installer_user):
    """The installer, logged in to the portal."""
    client.force_login(installer_user)
    return client


@pytest.fixture
def my_dossier(installer_user):
    return DossierFactory(installer=installer_user.installer, created_by=installer_user)


@pytest.fixture
def their_dossier(other_installer_user):
    return DossierFactory(installer=other_installer_user.installer, created_by=other_installer_user)


@pytest.fixture
def synchronous_pipeline(settings):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
