"""End to end in headless Chromium: a validator clears dossiers from the queue with the keyboard.

Run: ``pytest tests/review/test_browser.py`` (marked ``browser``). Screenshots of the queue and
of the review screen are written to ``tests/artifacts/`` (ignored by git) for a person to look at.
The dossiers are built row by row with real rendered page images (tests/review/builders.py)
and the real rules; the server is pytest-django's ``live_server`` on the test database.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from dossiers.models import DossierStatus, RejectionReason
from extraction.models import ExtractedField
from rules.models import RuleResult
from tests.chromium import CHROMEDRIVER, CHROMIUM, start_chromium
from tests.factories import UserFactory, ValidatorFactory

from .builders import add_bare_document, build_review_dossier

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PASSWORD = "motdepasse-test-1"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)), reason="Chromium absent"),
]


@pytest.fixture(scope="module", autouse=True)
def reference_data_back_after_the_flush(django_db_blocker):
    """A transactional test empties the database when it ends: the tests after this module
    need the reference data again (the role groups come back by themselves on post_migrate)."""
    yield
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture
def reference_data(transactional_db):
    call_command("load_reference_data", verbosity=0)


@pytest.fixture(scope="module")
def browser():
    driver = start_chromium(console_log=True)
    driver.set_window_size(1600, 960)
    yield driver
    driver.quit()


def wait_for(browser, condition, timeout=15):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout).until(condition)


def by_css(selector):
    from selenium.webdriver.common.by import By

    return (By.CSS_SELECTOR, selector)


def log_in(browser, live_server, user):
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    browser.get(live_server.url + reverse("admin:login"))
    browser.find_element(By.NAME, "username").send_keys(user.email)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    wait_for(browser, lambda b: "/admin/login/" not in b.current_url)


def press(browser, *keys):
    from selenium.webdriver.common.action_chains import ActionChains

    chain = ActionChains(browser)
    for key in keys:
        chain.send_keys(key)
    chain.perform()


def shot(browser, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    browser.save_screenshot(str(path))
    return path


def class_of(browser, element_id: str) -> str:
    """The class of an element, read afresh (the screen re-renders pieces after each action)."""
    return browser.execute_script("const e = document.getElementById(arguments[0]); return e ? e.className : '';",
                                  element_id)


def field_of(dossier, key):
    code, name = key.split(".")
    return ExtractedField.objects.get(dossier=dossier, document__document_type__code=code, schema__name=name)


def test_a_validator_corrects_a_field_overrides_a_rule_and_approves_from_the_keyboard(browser, live_server, reference_data):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    validator = ValidatorFactory(first_name="Claire", last_name="Validatrice")
    dossier = build_review_dossier(
        misread={"facture.montant_ttc": ("1245.00", "1 245,00", 0.41)},
        facts_changes={"facture.etas": "105.00"},
        priority=90, beneficiary_name="Dupont Jean",
    )
    add_bare_document(dossier, "note_dimensionnement")
    following = build_review_dossier(priority=40, beneficiary_name="Martin Claire")
    for _ in range(4):
        build_review_dossier(priority=20, images=False)
    log_in(browser, live_server, validator)

    # The queue: the most urgent dossier first; open it with the keyboard.
    browser.get(live_server.url + reverse("admin:dossiers_dossier_changelist"))
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#result_list a.q-ref"))
    first_row = browser.find_element(By.CSS_SELECTOR, "#result_list tbody tr a.q-ref")
    assert first_row.text == dossier.reference
    shot(browser, "queue.png")
    press(browser, "j", Keys.ENTER)

    # The review screen: the dossier is now held by this validator.
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#studio.js"))
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.IN_REVIEW and dossier.assigned_to == validator
    wait_for(browser, lambda b: b.execute_script(
        "return Array.from(document.querySelectorAll('.v-page img')).slice(0, 2).every(i => i.complete && i.naturalWidth > 0)"))
    shot(browser, "review.png")

    # Select the misread amount: its box is drawn on its page, where the renderer put the value.
    ttc = field_of(dossier, "facture.montant_ttc")
    row = browser.find_element(By.ID, f"field-{ttc.pk}")
    row.find_element(By.CSS_SELECTOR, ".f-label").click()
    box = wait_for(browser, lambda b: b.find_element(By.CSS_SELECTOR, f"#page-{ttc.document.pages.get().pk} .v-box"))
    assert box.is_displayed()
    geometry = browser.execute_script(
        "const box = arguments[0].getBoundingClientRect(), page = arguments[0].parentElement.getBoundingClientRect();"
        "return [(box.left - page.left) / page.width, (box.top - page.top) / page.height,"
        "        (box.right - page.left) / page.width, (box.bottom - page.top) / page.height];", box)
    expected = ttc.bbox
    assert all(abs(a - b) < 0.02 for a, b in zip(geometry, expected)), (geometry, expected)
    shot(browser, "review-field-selected.png")

    # Correct it: e, type, Enter. The rules that read it run again.
    press(browser, "e")
    editor = browser.switch_to.active_element
    assert editor.get_attribute("name") == "value"
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys("12 450,00", Keys.ENTER)
    wait_for(browser, lambda b: "f-corrected" in class_of(b, f"field-{ttc.pk}"))
    ttc.refresh_from_db()
    assert ttc.corrected_value == "12450.00"
    assert RuleResult.objects.get(dossier=dossier, rule__code="r10-facture-ht-tva-ttc").status == "passed"

    # Override the Etas rule: o opens its reason, Enter saves it.
    press(browser, "o")
    reason_box = browser.switch_to.active_element
    assert reason_box.tag_name == "textarea"
    reason_box.send_keys("Etas 126 % sur la fiche produit certifiée jointe au dossier", Keys.ENTER)
    etas = RuleResult.objects.get(dossier=dossier, rule__code="r11-etas-pac")
    wait_for(browser, lambda b: "r-overridden" in class_of(b, f"rule-{etas.pk}"))
    etas.refresh_from_db()
    assert etas.overridden and etas.override_by == validator
    shot(browser, "review-rules.png")

    press(browser, "4")
    shot(browser, "review-dossier.png")
    press(browser, "5")
    shot(browser, "review-history.png")
    press(browser, "1")

    # Approve: a, then Ctrl+Enter in the comment. The next dossier opens.
    press(browser, "a")
    shot(browser, "review-approve.png")
    comment = browser.switch_to.active_element
    assert comment.get_attribute("name") == "comment"
    comment.send_keys("Conforme après correction du TTC.", Keys.CONTROL, Keys.ENTER)
    wait_for(browser, lambda b: b.current_url.endswith(reverse("admin:dossiers_dossier_review", args=[following.pk])))
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.APPROVED and dossier.validated_by == validator

    # The dashboard counts the decision.
    browser.get(live_server.url + reverse("admin:index"))
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".dash-kpis"))
    shot(browser, "dashboard.png")


def test_a_validator_rejects_a_dossier_and_the_installer_is_emailed(browser, live_server, reference_data):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    validator = ValidatorFactory(first_name="Hugo", last_name="Contrôleur")
    dossier = build_review_dossier(beneficiary_name="Bernard Lucie")
    installer_user = UserFactory(installer=dossier.installer, email="gerant@chauffage.example.fr")
    reason = RejectionReason.objects.filter(is_active=True).order_by("display_order").first()
    mail.outbox.clear()
    log_in(browser, live_server, validator)

    browser.get(live_server.url + reverse("admin:dossiers_dossier_review", args=[dossier.pk]))
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#studio.js"))
    press(browser, "2")  # the consistency matrix
    shot(browser, "review-matrix.png")
    press(browser, "r")
    select = browser.switch_to.active_element
    assert select.get_attribute("name") == "reason"
    Select(select).select_by_value(reason.code)
    comment = browser.find_element(By.CSS_SELECTOR, "#decide-reject textarea[name=comment]")
    comment.send_keys("L'attestation sur l'honneur n'est pas signée par le bénéficiaire.", Keys.CONTROL, Keys.ENTER)

    wait_for(browser, lambda b: "/review/" not in b.current_url or str(dossier.pk) not in b.current_url)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.REJECTED
    wait_for(browser, lambda b: len(mail.outbox) == 1)
    message = mail.outbox[0]
    assert installer_user.email in message.to
    assert dossier.reference in message.subject and reason.label in message.body
    assert "n'est pas signée par le bénéficiaire" in message.body
