"""In headless Chromium, under the Content-Security-Policy: the API docs (Swagger UI, ReDoc), the
portal (its confirmation dialogs included) and the admin render, and the browser reports no
refused script, style or image."""
from __future__ import annotations

import shutil

import pytest

from tests.chromium import start_chromium
from tests.factories import AdministratorFactory, UserFactory

from .test_browser import CHROMEDRIVER, CHROMIUM, PASSWORD, css, reference_data, wait_for  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)), reason="Chromium absent"),
]


@pytest.fixture(scope="module")
def chromium():
    driver = start_chromium(console_log=True)
    yield driver
    driver.quit()


def refusals(driver) -> list[str]:
    """What the console says the policy refused since the last call."""
    return [entry["message"] for entry in driver.get_log("browser")
            if "Content Security Policy" in entry["message"] or "Refused to" in entry["message"]]


def log_in(driver, live_server, url: str, email: str) -> None:
    driver.get(live_server.url + url)
    css(driver, "#id_username").send_keys(email)
    css(driver, "#id_password").send_keys(PASSWORD)
    css(driver, "#id_password").submit()


def test_swagger_ui_and_redoc_render_under_the_policy(chromium, live_server, reference_data):
    refusals(chromium)
    chromium.get(live_server.url + "/api/v1/docs/")
    wait_for(chromium, lambda d: len(d.find_elements("css selector", ".swagger-ui .opblock")) > 5)
    assert refusals(chromium) == []

    chromium.get(live_server.url + "/api/v1/redoc/")
    wait_for(chromium, lambda d: d.find_elements("css selector", "[role=search], .api-content"))
    # ReDoc's "API docs by Redocly" badge is an image from its CDN: blocked, as any other host.
    assert [message for message in refusals(chromium) if "cdn.redoc.ly" not in message] == []


def test_the_portal_and_its_confirmation_dialogs_work_under_the_policy(chromium, live_server, reference_data):
    from accounts.tokens import issue_token

    user = UserFactory()
    issue_token(user, "Logiciel de devis")
    refusals(chromium)
    log_in(chromium, live_server, "/portail/connexion/", user.email)
    wait_for(chromium, lambda d: "/portail/" in d.current_url and "connexion" not in d.current_url)
    chromium.get(live_server.url + "/portail/jetons/")
    css(chromium, "form[data-confirm] button").click()
    alert = wait_for(chromium, lambda d: d.switch_to.alert)
    assert "Révoquer ce jeton" in alert.text
    alert.dismiss()  # refused: the token stays
    assert refusals(chromium) == []
    assert user.api_tokens.get().revoked_at is None


def test_the_admin_renders_under_the_policy(chromium, live_server, reference_data):
    admin = AdministratorFactory(is_superuser=True)
    refusals(chromium)
    chromium.delete_all_cookies()
    log_in(chromium, live_server, "/admin/login/", admin.email)
    wait_for(chromium, lambda d: d.find_elements("css selector", "#content-main"))
    chromium.get(live_server.url + "/admin/accounts/installer/add/")
    wait_for(chromium, lambda d: d.find_elements("css selector", "#installer_form"))
    assert refusals(chromium) == []
