"""Webhook tests: a real HTTP receiver on a local port, tasks run at once, private addresses allowed."""
from __future__ import annotations

import os

import pytest
from django_q.conf import Conf

from tests.api.conftest import _fast_password_hashing, _fresh_cache, anonymous, api, other_api, validator_api  # noqa: F401
from tests.factories import DossierFactory

from .receiver import start_receiver

# Each test run uses its own port (CEE_TEST_WEBHOOK_PORT), so parallel runs do not collide.
PORT = int(os.environ.get("CEE_TEST_WEBHOOK_PORT", "8161"))


@pytest.fixture
def receiver():
    receiver, server = start_receiver(PORT)
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def webhook_settings(settings, monkeypatch):
    settings.CEE_WEBHOOK_ALLOW_PRIVATE = True
    settings.CEE_WEBHOOK_TIMEOUT_SECONDS = 5
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    # The scheduler turns a due schedule into a task through async_task, which reads Conf.SYNC.
    monkeypatch.setattr(Conf, "SYNC", True)
    return settings


@pytest.fixture
def dossier(installer_user):
    return DossierFactory(installer=installer_user.installer, created_by=installer_user)
