"""Fixtures of the review studio's tests: files under a temporary folder, a second validator."""
from __future__ import annotations

import pytest

from tests.factories import ValidatorFactory


@pytest.fixture(autouse=True)
def review_media(settings, tmp_path):
    """Page images are written under the test's own folder, never under var/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "media"), "base_url": "/media-private/"}},
    }
    return tmp_path / "media"


@pytest.fixture
def other_validator(db):
    return ValidatorFactory(first_name="Bruno", last_name="Lefèvre")
