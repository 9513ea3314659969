"""End to end in headless Chromium with an ENGLISH browser (``--lang=en-US``,
``intl.accept_languages=en-US,en``): every screen a validator, an administrator and an
installer use is in French, and fits a 1440 px and a 390 px wide window.

Run: ``pytest tests/review/test_browser_french.py`` (marked ``browser``). Screenshots of each
screen at 1440×1000 and 390×844 are written to ``tests/artifacts/`` (ignored by git).

The English strings looked for are Django admin's own (WELCOME, VIEW SITE, Filter, By …,
Search, Action:, Recent actions, Log out, Change password, Add, Save, Delete, History, Home,
Show counts, Run the selected action, Skip to main content, Toggle theme, Today, None, Changes)
and the ones the issue saw in ours (Created at/by, Installer, Operation, Actor, IP address,
status_changed, Duplicate file…, Low classification confidence, signalaux).
"""
from __future__ import annotations

import re
import shutil
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.activity import log_activity
from dossiers.models import Timeline
from rules.models import Rule
from tests.chromium import start_chromium
from tests.factories import AdministratorFactory, DocumentFactory, UserFactory, ValidatorFactory

from .builders import build_review_dossier
from .test_browser import (  # noqa: F401  (fixtures: the reference data, and back after the flush)
    ARTIFACTS,
    CHROMEDRIVER,
    CHROMIUM,
    PASSWORD,
    log_in,
    reference_data,
    reference_data_back_after_the_flush,
    wait_for,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)), reason="Chromium absent"),
]

DESKTOP, PHONE = (1440, 1000), (390, 844)

# Case-insensitive whole words of English UI, looked for in the visible text and in the
# title/placeholder/aria-label/value attributes (code-like tokens such as rule codes are removed first).
ENGLISH = [
    r"welcome", r"view site", r"filter", r"by \w+", r"search", r"recent actions", r"log ?out", r"change password",
    r"add", r"save", r"delete", r"history", r"home", r"show counts", r"run the selected action",
    r"skip to main content", r"toggle theme", r"today", r"none", r"changes", r"created (?:at|by)", r"installer",
    r"operation", r"actor", r"ip address", r"duplicate file", r"low classification", r"signalaux", r"select all",
    r"clear all filters", r"show all", r"results", r"yes", r"unknown", r"view",
]
ENGLISH_RE = re.compile(r"\b(?:" + "|".join(ENGLISH) + r")\b", re.IGNORECASE)
CASE_SENSITIVE = re.compile(r"Action:|status_changed")
CODE_LIKE = re.compile(r"\S*[-_./@]\S*")

VISIBLE_TEXT = """
const parts = [document.body.innerText, document.title];
for (const el of document.querySelectorAll('[title],[placeholder],[aria-label],input[type=submit],button[value]')) {
  if (el.closest('[hidden]') || el.getClientRects().length === 0) continue;
  for (const name of ['title', 'placeholder', 'aria-label', 'value']) {
    if (el.getAttribute(name) && (name !== 'value' || el.matches('input[type=submit]'))) parts.push(el.getAttribute(name));
  }
}
return parts.join('\\n');
"""

LAYOUT = """
const doc = document.documentElement;
const out = {pageOverflow: doc.scrollWidth - doc.clientWidth, clipped: []};
for (const selector of arguments[0]) {
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > doc.clientWidth + 1) out.clipped.push(selector + ' right=' + Math.round(box.right));
    let parent = el.parentElement;
    while (parent && parent !== document.body) {
      const style = getComputedStyle(parent);
      // A box that hides or scrolls sideways what does not fit: the column is cut off.
      if (style.overflowX !== 'visible' && parent.scrollWidth > parent.clientWidth + 1) {
        out.clipped.push(selector + ' cut by ' + (parent.id || parent.className));
        break;
      }
      parent = parent.parentElement;
    }
  }
}
return out;
"""


@pytest.fixture(scope="module")
def english_browser():
    driver = start_chromium("en-US", accept_languages="en-US,en")
    yield driver
    driver.quit()


def english_found(browser) -> list[str]:
    text = CODE_LIKE.sub(" ", browser.execute_script(VISIBLE_TEXT))
    return sorted({m.group(0) for m in ENGLISH_RE.finditer(text)} | {m.group(0) for m in CASE_SENSITIVE.finditer(text)})


def visit(browser, url: str, name: str, layout_selectors=(), tab: str = "") -> dict:
    """Open ``url`` at both sizes, save the screenshots, and return what is English or clipped."""
    found = {}
    for label, size in (("1440", DESKTOP), ("390", PHONE)):
        browser.set_window_size(*size)
        browser.get(url)
        wait_for(browser, lambda b: b.execute_script("return document.readyState") == "complete")
        if tab:  # a panel of the review screen: shown by its tab
            browser.execute_script("document.querySelector(arguments[0]).click()", f'[data-tab="{tab}"]')
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        # The whole page in one picture: the window grown to the page's height.
        height = browser.execute_script("return Math.min(document.documentElement.scrollHeight, 6000)")
        browser.set_window_size(size[0], max(size[1], height))
        browser.save_screenshot(str(ARTIFACTS / f"fr-{name}-{label}.png"))
        browser.set_window_size(*size)
        english = english_found(browser)
        if english:
            found[f"{name} ({label}): English"] = english
        if label == "1440":
            layout = browser.execute_script(LAYOUT, list(layout_selectors))
            if layout["pageOverflow"] > 0 or layout["clipped"]:
                found[f"{name} (1440): layout"] = layout
    return found


def test_every_screen_is_french_for_an_english_browser_and_fits_1440_px(english_browser, live_server, reference_data):
    browser = english_browser
    admin = AdministratorFactory(first_name="Alice", last_name="Admin")
    validator = ValidatorFactory(first_name="Claire", last_name="Validatrice")
    dossier = build_review_dossier(priority=90, beneficiary_name="Dupont Jean")
    Timeline.objects.update_or_create(dossier=dossier, defaults={"date_signature": date(2023, 3, 14)})
    dossier.premium_eur = Decimal("0")
    dossier.processing_seconds = 10968971
    dossier.save(update_fields=["premium_eur", "processing_seconds"])
    DocumentFactory(dossier=dossier, original_filename="doublon.pdf", flags=[
        {"code": "duplicate_file_other_installer", "message": "Fichier identique déjà déposé par un autre installateur."},
        {"code": "low_classification_confidence", "message": "Type incertain (confiance 0.41)."},
    ])
    for _ in range(3):
        build_review_dossier(priority=30, images=False)
    log_activity("status_changed", target=dossier, description="Soumis → Prêt pour revue")
    rule = Rule.objects.order_by("pk").first()
    rule.description += " (revue)"
    rule.save()
    installer = UserFactory(installer=dossier.installer)
    for user in (admin, validator, installer):
        user.set_password(PASSWORD)
        user.save()

    problems = {}
    log_in(browser, live_server, validator)
    queue = live_server.url + reverse("admin:dossiers_dossier_changelist")
    problems |= visit(browser, queue, "file-de-revue", ["#result_list thead th:last-child", "#result_list tbody td:last-child"])
    review = live_server.url + reverse("admin:dossiers_dossier_review", args=[dossier.pk])
    problems |= visit(browser, review, "ecran-de-revue", [".s-stats", "[role=tablist]"])
    problems |= visit(browser, review, "ecran-de-revue-matrice", [".m-table th:last-child", ".m-table td:last-child"],
                      tab="matrix")
    problems |= visit(browser, review, "ecran-de-revue-dossier", tab="dossier")
    problems |= visit(browser, review, "ecran-de-revue-historique", tab="history")
    problems |= visit(browser, live_server.url + reverse("admin:index"), "tableau-de-bord")

    log_in(browser, live_server, admin)
    problems |= visit(browser, live_server.url + reverse("admin:rules_rule_change", args=[rule.pk]), "atelier-regles")
    problems |= visit(browser, live_server.url + reverse("admin:rules_rule_history", args=[rule.pk]), "historique-regle")
    problems |= visit(browser, live_server.url + reverse("admin:accounts_activity_changelist"), "journal-activite")
    problems |= visit(browser, live_server.url + reverse("admin:dossiers_dossier_change", args=[dossier.pk]), "fiche-dossier")

    browser.delete_all_cookies()
    from selenium.webdriver.common.by import By

    browser.get(live_server.url + reverse("portal:login"))
    browser.find_element(By.NAME, "username").send_keys(installer.email)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit], form input[type=submit]").click()
    wait_for(browser, lambda b: "/connexion/" not in b.current_url)
    problems |= visit(browser, live_server.url + reverse("portal:dashboard"), "portail-dossiers")
    problems |= visit(browser, live_server.url + reverse("portal:dossier", args=[dossier.pk]), "portail-dossier")
    assert "aucun prix CEE en vigueur au 14/03/2023" in browser.execute_script("return document.body.innerText")

    assert problems == {}
