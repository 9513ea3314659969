"""Suite-wide fixtures: reference data loaded once per test database, users of each role."""
from __future__ import annotations

import pytest
from django.core.management import call_command

from .factories import AdministratorFactory, InstallerFactory, UserFactory, ValidatorFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference fixtures (operations, document types, field schemas, rules…) once."""
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture
def administrator(db):
    return AdministratorFactory()


@pytest.fixture
def validator(db):
    return ValidatorFactory()


@pytest.fixture
def installer_company(db):
    return InstallerFactory()


@pytest.fixture
def installer_user(installer_company):
    return UserFactory(installer=installer_company)


@pytest.fixture
def other_installer_user(db):
    return UserFactory()
