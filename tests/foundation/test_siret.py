"""SIRET validation: 14 digits, Luhn key, the La Poste exception, spaces normalised."""
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.services import create_installer
from accounts.validators import is_valid_siret, luhn_valid, validate_siret

LA_POSTE_ESTABLISHMENT = "35600000049837"  # digit sum 45, not Luhn-valid


def test_a_luhn_valid_siret_is_accepted():
    assert is_valid_siret("73282932000074")


def test_a_siret_failing_luhn_is_refused():
    assert not is_valid_siret("73282932000075")
    with pytest.raises(ValidationError) as error:
        validate_siret("73282932000075")
    assert error.value.code == "siret_checksum"


@pytest.mark.parametrize("value", ["7328293200007", "732829320000745", "7328293200007A", ""])
def test_a_siret_must_have_fourteen_digits(value):
    with pytest.raises(ValidationError) as error:
        validate_siret(value)
    assert error.value.code == "siret_format"


def test_la_poste_siret_with_digit_sum_multiple_of_five_is_accepted_despite_luhn():
    assert not luhn_valid(LA_POSTE_ESTABLISHMENT)
    assert sum(map(int, LA_POSTE_ESTABLISHMENT)) % 5 == 0
    assert is_valid_siret(LA_POSTE_ESTABLISHMENT)


def test_la_poste_siret_whose_digit_sum_is_not_a_multiple_of_five_is_refused():
    value = "35600000000002"
    assert not luhn_valid(value) and sum(map(int, value)) % 5 != 0
    assert not is_valid_siret(value)


def test_the_exception_is_only_for_la_poste():
    # Same digit-sum property, another SIREN: Luhn applies.
    value = "73282932000004"
    assert sum(map(int, value)) % 5 == 0 and not luhn_valid(value)
    assert not is_valid_siret(value)


@pytest.mark.django_db
def test_siret_typed_with_spaces_is_stored_as_digits_with_its_siren():
    company = create_installer(name="Isolation du Rhône", siret="732 829 320 00074")
    company.refresh_from_db()
    assert company.siret == "73282932000074"
    assert company.siren == "732829320"


@pytest.mark.django_db
def test_create_installer_refuses_an_invalid_siret_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        create_installer(name="Faux SIRET", siret="732 829 320 00075")
    assert "siret" in error.value.message_dict
    assert "invalide" in error.value.message_dict["siret"][0]


@pytest.mark.django_db
def test_admin_form_shows_the_siret_error(client, administrator):
    client.force_login(administrator)
    response = client.post(
        "/admin/accounts/installer/add/",
        {"name": "Faux SIRET", "siret": "732 829 320 00075", "rge_status": "unknown", "qualifications": "[]",
         "users-TOTAL_FORMS": "0", "users-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert "clé de contrôle incorrecte" in response.content.decode()


@pytest.mark.django_db
def test_admin_form_accepts_a_siret_with_spaces(client, administrator):
    from accounts.models import Installer

    client.force_login(administrator)
    response = client.post(
        "/admin/accounts/installer/add/",
        {"name": "Chauffage Corse", "siret": "732 829 320 00074", "rge_status": "valid", "qualifications": "",
         "is_active": "on", "users-TOTAL_FORMS": "0", "users-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    company = Installer.objects.get(name="Chauffage Corse")
    assert company.siret == "73282932000074"
    assert company.qualifications == []
