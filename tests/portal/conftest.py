"""Fixtures of the portal tests: a logged-in installer's browser session; the dossiers,
storage and hashing fixtures are the API tests' own."""
from __future__ import annotations

import pytest

from tests.api.conftest import (  # noqa: F401  (fixtures re-exported for this folder)
    _fast_password_hashing,
    _fresh_cache,
    media_root,
    my_dossier,
    synchronous_pipeline,
    their_dossier,
)


@pytest.fixture
def portal(client, installer_user):
    """The installer, logged in to the portal."""
    client.force_login(installer_user)
    return client
