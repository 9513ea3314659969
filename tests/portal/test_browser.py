"""End to end in headless Chromium: an installer completes a dossier in the portal.

Logs in, creates a dossier, uploads several files at once (per-file verdicts, refused
files explained), submits it, sees the missing-document list, adds the missing file and
sees the dossier move on. The pipeline runs for real, synchronously (django-q2 ``sync``),
on pytest-django's ``live_server``. Screenshots (desktop and phone) go to
``tests/artifacts/`` (ignored by git) for a person to look at.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from dossiers.models import Dossier, DossierStatus
from tests.api.samples import docx_bytes, job_documents
from tests.factories import UserFactory

from tests.chromium import CHROMEDRIVER, CHROMIUM, start_chromium

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PASSWORD = "motdepasse-test-1"
PHONE = (390, 844)
DESKTOP = (1280, 900)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)), reason="Chromium absent"),
]


@pytest.fixture(scope="module", autouse=True)
def reference_data_back_after_the_flush(django_db_blocker):
    """A transactional test empties the database when it ends: later tests need the
    reference data again."""
    yield
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture
def reference_data(transactional_db):
    call_command("load_reference_data", verbosity=0)


@pytest.fixture(scope="module")
def browser():
    driver = start_chromium()
    driver.set_window_size(*DESKTOP)
    yield driver
    driver.quit()


def wait_for(browser, condition, timeout=60):
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    # The page reloads itself after an upload: elements read mid-reload are retried (Chrome may
    # also answer « Node with given id does not belong to the document », a plain WebDriverException).
    return WebDriverWait(
        browser, timeout, poll_frequency=0.2,
        ignored_exceptions=(NoSuchElementException, StaleElementReferenceException, WebDriverException),
    ).until(condition)


def css(browser, selector):
    from selenium.webdriver.common.by import By

    return browser.find_element(By.CSS_SELECTOR, selector)


def all_css(browser, selector):
    from selenium.webdriver.common.by import By

    return browser.find_elements(By.CSS_SELECTOR, selector)


def shot(browser, name: str, size=DESKTOP) -> Path:
    """A full-height screenshot of the page at ``size`` (width) for a person to judge."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.set_window_size(*size)
    height = browser.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    browser.set_window_size(size[0], max(size[1], min(height + 120, 4000)))
    browser.execute_script("window.scrollTo(0, 0)")
    path = ARTIFACTS / name
    browser.save_screenshot(str(path))
    browser.set_window_size(*DESKTOP)
    return path


def page_text(browser) -> str:
    return css(browser, "body").text


@pytest.fixture
def job_files(tmp_path):
    facts, pdfs = job_documents(("BAR-EN-101",))
    paths = {}
    for doc_type, content in pdfs.items():
        path = tmp_path / f"{doc_type}.pdf"
        path.write_bytes(content)
        paths[doc_type] = path
    (tmp_path / "notes-chantier.docx").write_bytes(docx_bytes())
    (tmp_path / "vide.pdf").write_bytes(b"")
    paths["docx"], paths["empty"] = tmp_path / "notes-chantier.docx", tmp_path / "vide.pdf"
    return facts, paths


def test_an_installer_creates_uploads_submits_and_completes_a_dossier(
    browser, live_server, reference_data, settings, tmp_path, job_files
):
    from selenium.webdriver.common.by import By

    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                           "OPTIONS": {"location": str(media)}}}
    facts, files = job_files
    installer = UserFactory(first_name="Camille", last_name="Martin")

    # Log in.
    browser.delete_all_cookies()
    browser.get(live_server.url + "/portail/")
    assert "/portail/connexion/" in browser.current_url
    shot(browser, "portal-01-login-phone.png", PHONE)
    css(browser, "#id_username").send_keys(installer.email)
    css(browser, "#id_password").send_keys(PASSWORD)
    css(browser, "button[type=submit]").click()
    wait_for(browser, lambda b: "Mes dossiers" in page_text(b))
    shot(browser, "portal-02-empty-dashboard.png")

    # Create a dossier.
    browser.find_element(By.LINK_TEXT, "Nouveau dossier").click()
    css(browser, "#id_beneficiary_name").send_keys(facts.beneficiary.display)
    css(browser, "#id_beneficiary_address").send_keys(facts.beneficiary.street)
    css(browser, "#id_beneficiary_postal_code").send_keys(facts.beneficiary.postal_code)
    css(browser, "#id_beneficiary_city").send_keys(facts.beneficiary.city)
    css(browser, "input[name=operation_codes][value='BAR-EN-101']").click()
    shot(browser, "portal-03-new-dossier.png")
    css(browser, "form.form button[type=submit]").click()
    wait_for(browser, lambda b: "Brouillon" in page_text(b) and "Ajouter des documents" in page_text(b))
    dossier = Dossier.objects.get(installer=installer.installer)
    assert dossier.beneficiary_name == facts.beneficiary.display

    # Upload several files at once: four good ones, a Word file and an empty file.
    chosen = [files[t] for t in ("devis", "facture", "attestation_honneur", "cadre_contribution")] + [files["docx"], files["empty"]]
    css(browser, "form.upload-form input[type=file]").send_keys("\n".join(str(p) for p in chosen))
    css(browser, "form.upload-form button[type=submit]").click()
    # The script sends the files one by one and shows each verdict, then reloads the page:
    # the verdicts are read in one script call, before the reload.
    verdicts = wait_for(browser, lambda b: b.execute_script("""
        const rows = document.querySelectorAll("form.upload-form .file-progress li.accepted, form.upload-form .file-progress li.refused");
        if (rows.length < 6) return null;
        const out = {};
        rows.forEach(li => { out[li.querySelector(".file-name").textContent.split(" (")[0]] = li.className; });
        return out;"""), timeout=120)
    assert verdicts == {"devis.pdf": "accepted", "facture.pdf": "accepted", "attestation_honneur.pdf": "accepted",
                        "cadre_contribution.pdf": "accepted", "notes-chantier.docx": "refused", "vide.pdf": "refused"}
    shot(browser, "portal-04-upload-progress.png")
    wait_for(browser, lambda b: "Résultat du dernier envoi" in page_text(b))
    results = {row.find_element(By.CSS_SELECTOR, ".file-name").text: row.text for row in all_css(browser, ".file-result")}
    assert "Accepté" in results["devis.pdf"]
    assert "Refusé" in results["notes-chantier.docx"] and "Format de fichier non pris en charge" in results["notes-chantier.docx"]
    assert "Le fichier est vide" in results["vide.pdf"]
    assert len(all_css(browser, "ul.documents li.document")) == 4
    shot(browser, "portal-05-uploaded.png")

    # Submit: the pipeline reads the documents and lists what is missing.
    css(browser, "form[action$='/soumettre/'] button").click()
    wait_for(browser, lambda b: "Documents manquants" in page_text(b))
    assert "Certificat RGE" in css(browser, "#manquants").text
    assert css(browser, ".page-head .badge").text == "Documents manquants"
    shot(browser, "portal-06-missing-documents.png")
    shot(browser, "portal-07-missing-documents-phone.png", PHONE)

    # Add the missing file from the missing-document list.
    css(browser, "#manquants input[type=file]").send_keys(str(files["certificat_rge"]))
    css(browser, "#manquants button[type=submit]").click()
    wait_for(browser, lambda b: "Prêt pour revue" in css(b, ".page-head .badge").text)
    assert not all_css(browser, "#manquants")
    history = css(browser, ".timeline").text
    for label in ("Soumis", "En traitement", "Documents manquants", "Prêt pour revue"):
        assert label in history
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.READY_FOR_REVIEW
    assert dossier.documents.filter(document_type__code="certificat_rge").exists()
    shot(browser, "portal-08-ready-for-review.png")

    # The dashboard shows where it stands, on a desktop and on a phone.
    browser.find_element(By.LINK_TEXT, "Mes dossiers").click()
    wait_for(browser, lambda b: dossier.reference in page_text(b))
    assert "Prêt pour revue" in page_text(browser)
    shot(browser, "portal-09-dashboard.png")
    shot(browser, "portal-10-dashboard-phone.png", PHONE)

    # The other pages of the account, as a person sees them.
    browser.find_element(By.LINK_TEXT, "API").click()
    css(browser, "#id_name").send_keys("Logiciel de devis")
    css(browser, "form.inline-form button").click()
    wait_for(browser, lambda b: "Votre nouveau jeton" in page_text(b))
    assert css(browser, "#token-key").text.startswith(installer.api_tokens.get().prefix)
    shot(browser, "portal-13-api-token.png")
    browser.find_element(By.LINK_TEXT, "Entreprise").click()
    wait_for(browser, lambda b: "Qualification RGE" in page_text(b))
    shot(browser, "portal-14-company-phone.png", PHONE)
    browser.find_element(By.LINK_TEXT, "Paiements").click()
    wait_for(browser, lambda b: "Paiements reçus" in page_text(b))
    shot(browser, "portal-15-payments.png")


def test_an_installer_drops_a_whole_job_on_the_bulk_upload_page(browser, live_server, reference_data, settings, tmp_path, job_files):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                           "OPTIONS": {"location": str(tmp_path / "media")}}}
    facts, files = job_files
    installer = UserFactory()
    browser.delete_all_cookies()
    browser.get(live_server.url + "/portail/connexion/")
    css(browser, "#id_username").send_keys(installer.email)
    css(browser, "#id_password").send_keys(PASSWORD)
    css(browser, "button[type=submit]").click()
    wait_for(browser, lambda b: "Mes dossiers" in page_text(b))

    browser.get(live_server.url + "/portail/depot-groupe/")
    shot(browser, "portal-11-bulk-upload.png")
    chosen = [files[t] for t in ("devis", "facture", "attestation_honneur", "cadre_contribution", "certificat_rge")]
    css(browser, "form.js-bulk input[type=file]").send_keys("\n".join(str(p) for p in chosen))
    css(browser, "form.js-bulk button[type=submit]").click()

    wait_for(browser, lambda b: "/portail/dossiers/" in b.current_url and "Résultat du dernier envoi" in page_text(b))
    dossier = Dossier.objects.get(installer=installer.installer)
    assert dossier.reference in page_text(browser)
    wait_for(browser, lambda b: "Prêt pour revue" in css(b, ".page-head .badge").text)
    assert facts.beneficiary.last_name.upper() in css(browser, ".page-head").text.upper()
    shot(browser, "portal-12-bulk-dossier.png")
