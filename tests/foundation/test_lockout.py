"""Password guessing: portal and admin logins locked per e-mail and address (django-axes),
unlocked by an administrator or by time; password reset requests and failed API
authentications counted too."""
from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tokens import issue_token
from tests.factories import AdministratorFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-test-1"  # tests.factories.UserFactory
PORTAL_LOGIN = "/portail/connexion/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def guess(client: Client, url: str, email: str, times: int) -> list[int]:
    return [client.post(url, {"username": email, "password": f"faux-{n}"}).status_code for n in range(times)]


def logs_in(client: Client, url: str, email: str, password: str = PASSWORD) -> bool:
    client.post(url, {"username": email, "password": password})
    return "_auth_user_id" in client.session


def test_portal_login_refuses_the_right_password_after_25_wrong_ones():
    user = UserFactory()
    attacker = Client(REMOTE_ADDR="203.0.113.7")

    statuses = guess(attacker, PORTAL_LOGIN, user.email, 25)
    response = attacker.post(PORTAL_LOGIN, {"username": user.email, "password": PASSWORD})

    assert statuses[0] == 200 and statuses[-1] == 429
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    assert "_auth_user_id" not in attacker.session


def test_a_change_of_case_in_the_email_does_not_start_a_fresh_count(settings):
    user = UserFactory()
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(settings.AXES_FAILURE_LIMIT):
        variant = user.email.upper() if n % 2 else user.email
        attacker.post(PORTAL_LOGIN, {"username": f" {variant} ", "password": "faux"})

    assert not logs_in(attacker, PORTAL_LOGIN, user.email.upper())


def test_admin_login_refuses_the_right_password_after_25_wrong_ones():
    admin = AdministratorFactory()
    attacker = Client(REMOTE_ADDR="203.0.113.8")

    guess(attacker, ADMIN_LOGIN, admin.email, 25)
    response = attacker.post(ADMIN_LOGIN, {"username": admin.email, "password": PASSWORD})

    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert "_auth_user_id" not in attacker.session


def test_the_lockout_holds_one_address_not_the_account_everywhere(settings):
    user = UserFactory()
    guess(Client(REMOTE_ADDR="203.0.113.7"), PORTAL_LOGIN, user.email, settings.AXES_FAILURE_LIMIT)

    assert logs_in(Client(REMOTE_ADDR="198.51.100.20"), PORTAL_LOGIN, user.email)


def test_an_administrator_unlocks_the_account_in_the_admin(settings):
    user = UserFactory()
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    guess(attacker, PORTAL_LOGIN, user.email, settings.AXES_FAILURE_LIMIT)
    assert not logs_in(attacker, PORTAL_LOGIN, user.email)
    attempt = AccessAttempt.objects.get(username=user.email)

    staff = Client()
    staff.force_login(AdministratorFactory(is_superuser=True))
    listing = staff.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and user.email in listing.content.decode()
    staff.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )

    assert not AccessAttempt.objects.exists()
    assert logs_in(attacker, PORTAL_LOGIN, user.email)


def test_the_lockout_ends_after_the_cool_off_time(settings):
    user = UserFactory()
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    guess(attacker, PORTAL_LOGIN, user.email, settings.AXES_FAILURE_LIMIT)
    assert not logs_in(attacker, PORTAL_LOGIN, user.email)

    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))

    assert logs_in(attacker, PORTAL_LOGIN, user.email)


def test_password_reset_requests_are_limited_per_address_and_email(settings):
    settings.CEE_PASSWORD_RESET_RATE = "3/h"
    user = UserFactory()
    client = Client(REMOTE_ADDR="203.0.113.9")

    statuses = [client.post("/portail/mot-de-passe/oublie/", {"email": user.email}).status_code for _ in range(4)]
    elsewhere = Client(REMOTE_ADDR="198.51.100.21").post("/portail/mot-de-passe/oublie/", {"email": user.email.upper()})

    assert statuses == [302, 302, 302, 429]
    assert elsewhere.status_code == 429  # the same e-mail from another address
    assert len(mail.outbox) == 3
    refused = client.post("/portail/mot-de-passe/oublie/", {"email": "autre@example.fr"})
    assert "Trop de demandes de réinitialisation" in refused.content.decode()


def test_api_refuses_a_valid_token_after_25_wrong_ones_from_the_address(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth_failure": "20/h"},
    }
    _token, key = issue_token(UserFactory(), "tests")
    attacker = APIClient(REMOTE_ADDR="203.0.113.10")

    statuses = [
        attacker.get("/api/v1/profile/", HTTP_AUTHORIZATION=f"Token faux{n:040d}").status_code for n in range(25)
    ]
    response = attacker.get("/api/v1/profile/", HTTP_AUTHORIZATION=f"Token {key}")
    elsewhere = APIClient(REMOTE_ADDR="198.51.100.22").get("/api/v1/profile/", HTTP_AUTHORIZATION=f"Token {key}")

    assert statuses[:20] == [401] * 20 and statuses[20:] == [429] * 5
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) >= 1
    assert elsewhere.status_code == 200


def test_a_forged_forwarded_for_header_does_not_give_a_fresh_budget(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth_failure": "3/h"},
    }
    attacker = APIClient(REMOTE_ADDR="203.0.113.11")
    statuses = [
        attacker.get("/api/v1/profile/", HTTP_AUTHORIZATION="Token faux", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(4)
    ]

    assert statuses == [401, 401, 401, 429]


def test_anonymous_api_calls_get_the_anonymous_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "2/min"},
    }
    anonymous = APIClient(REMOTE_ADDR="203.0.113.12")

    statuses = [anonymous.get("/api/v1/dossiers/").status_code for _ in range(3)]

    assert statuses == [401, 401, 429]
