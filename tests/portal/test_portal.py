"""The installer portal, page by page, through Django's test client."""
from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts.models import ApiToken
from dossiers.models import Dossier, DossierStatus
from dossiers.status import transition
from rules.models import Rule, RuleResult
from tests.api.samples import devis_pdf, docx_bytes, facture_pdf, job_documents, upload
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

PAGES = ["/portail/", "/portail/dossiers/nouveau/", "/portail/depot-groupe/", "/portail/paiements/",
         "/portail/entreprise/", "/portail/jetons/"]


# --- Access -----------------------------------------------------------------------------------

@pytest.mark.parametrize("url", PAGES + ["/portail/dossiers/{pk}/", "/portail/dossiers/{pk}/modifier/", "/portail/dossiers/{pk}/etat.json"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, my_dossier, url):
    response = client.get(url.format(pk=my_dossier.pk))

    assert response.status_code == 302
    assert response["Location"].startswith("/portail/connexion/?next=")


@pytest.mark.parametrize("url", PAGES + ["/portail/dossiers/{pk}/"])
def test_staff_accounts_are_pointed_to_the_back_office(client, validator, my_dossier, url):
    client.force_login(validator)

    response = client.get(url.format(pk=my_dossier.pk))

    assert response.status_code == 403
    assert "back-office" in response.content.decode()


@pytest.mark.parametrize("method,url", [
    ("get", "/portail/dossiers/{pk}/"), ("get", "/portail/dossiers/{pk}/modifier/"), ("get", "/portail/dossiers/{pk}/etat.json"),
    ("post", "/portail/dossiers/{pk}/soumettre/"), ("post", "/portail/dossiers/{pk}/documents/"),
])
def test_another_installers_dossier_is_a_404(portal, their_dossier, method, url):
    response = getattr(portal, method)(url.format(pk=their_dossier.pk))

    assert response.status_code == 404
    their_dossier.refresh_from_db()
    assert their_dossier.status == DossierStatus.DRAFT


def test_another_users_token_cannot_be_revoked(portal, other_installer_user):
    from accounts.tokens import issue_token

    token, _key = issue_token(other_installer_user, "le sien")

    assert portal.post(f"/portail/jetons/{token.pk}/revoquer/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- Authentication ---------------------------------------------------------------------------

def test_an_installer_logs_in_with_email_and_lands_on_the_dashboard(client, installer_user):
    response = client.post("/portail/connexion/", {"username": installer_user.email.upper(), "password": "motdepasse-test-1"})

    assert response.status_code == 302 and response["Location"] == "/portail/"
    assert "Mes dossiers" in client.get("/portail/").content.decode()


def test_a_wrong_password_says_so_in_french(client, installer_user):
    response = client.post("/portail/connexion/", {"username": installer_user.email, "password": "faux"})

    assert response.status_code == 200
    assert "E-mail ou mot de passe incorrect" in response.content.decode()


def test_staff_logging_in_here_are_sent_to_the_admin(client, validator):
    response = client.post("/portail/connexion/", {"username": validator.email, "password": "motdepasse-test-1"})

    assert response["Location"] == "/admin/"


def test_logout_is_a_post(portal):
    response = portal.post("/portail/deconnexion/")

    assert response.status_code == 302
    assert portal.get("/portail/").status_code == 302


def test_password_reset_by_email_sets_a_new_password(client, installer_user):
    client.post("/portail/mot-de-passe/oublie/", {"email": installer_user.email})

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [installer_user.email] and "mot de passe" in message.subject.lower()
    link = re.search(r"https?://[^/]+(/portail/mot-de-passe/nouveau/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choisissez un nouveau mot de passe" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": "Nouveau-mdp-2026!", "new_password2": "Nouveau-mdp-2026!"})
    assert done["Location"] == "/portail/mot-de-passe/nouveau/termine/"
    installer_user.refresh_from_db()
    assert installer_user.check_password("Nouveau-mdp-2026!")


def test_password_reset_for_an_unknown_email_reveals_nothing(client):
    response = client.post("/portail/mot-de-passe/oublie/", {"email": "personne@example.fr"})

    assert response["Location"] == "/portail/mot-de-passe/oublie/envoye/"
    assert mail.outbox == []


# --- Dashboard ----------------------------------------------------------------------------------

def test_the_dashboard_lists_my_dossiers_with_what_is_missing_and_failing(portal, installer_user, their_dossier):
    waiting = DossierFactory(
        installer=installer_user.installer, status=DossierStatus.AWAITING_DOCUMENTS, beneficiary_name="Paul Durand",
        missing_documents=[{"document_type": "certificat_rge", "label": "Certificat RGE", "operations": ["BAR-EN-101"]}],
    )
    rule = Rule.objects.create(code="t-rge", name="RGE valide", expression="1 = 2", error_message="x", severity="error")
    RuleResult.objects.create(dossier=waiting, rule=rule, rule_version=1, status="failed", message="RGE expiré.")

    page = portal.get("/portail/").content.decode()

    assert waiting.reference in page and "Paul Durand" in page
    assert "Documents manquants" in page and "Manque : Certificat RGE" in page
    assert "1 contrôle en échec" in page
    assert their_dossier.reference not in page


def test_the_dashboard_filters_and_paginates(portal, installer_user):
    for index in range(25):
        DossierFactory(installer=installer_user.installer, beneficiary_name=f"Client {index:02d}")
    DossierFactory(installer=installer_user.installer, beneficiary_name="Zoé Unique", status=DossierStatus.SUBMITTED)

    first = portal.get("/portail/").content.decode()
    second = portal.get("/portail/?page=2").content.decode()
    found = portal.get("/portail/?search=unique").content.decode()
    submitted = portal.get("/portail/?status=submitted").content.decode()

    assert "26 dossiers" in first and "Page 1 / 2" in first
    assert "Page 2 / 2" in second
    assert "Zoé Unique" in found and "Client 03" not in found
    assert "1 dossier" in submitted and "Zoé Unique" in submitted


# --- Dossiers -------------------------------------------------------------------------------------

def test_creating_a_dossier_from_the_form(portal, installer_user):
    response = portal.post("/portail/dossiers/nouveau/", {
        "beneficiary_name": "Jean Dupont", "beneficiary_postal_code": "69003", "beneficiary_city": "Lyon",
        "housing_type": "maison", "precarity_status": "none", "operation_codes": ["BAR-EN-101"], "date_signature": "2026-01-20",
    })

    dossier = Dossier.objects.get()
    assert response["Location"] == f"/portail/dossiers/{dossier.pk}/"
    assert dossier.installer == installer_user.installer and dossier.status == DossierStatus.DRAFT
    assert list(dossier.operations.values_list("operation__code", flat=True)) == ["BAR-EN-101"]
    assert str(dossier.timeline.date_signature) == "2026-01-20"
    page = portal.get(response["Location"]).content.decode()
    assert "créé" in page and "Brouillon" in page


def test_the_form_explains_what_is_wrong(portal):
    response = portal.post("/portail/dossiers/nouveau/", {"beneficiary_postal_code": "123", "housing_type": "maison", "precarity_status": "none"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Le code postal doit comporter 5 chiffres." in page and "Ce champ est obligatoire." in page
    assert Dossier.objects.count() == 0


def test_the_form_offers_only_fiches_in_force(portal):
    page = portal.get("/portail/dossiers/nouveau/").content.decode()

    assert "BAR-TH-171" in page and "BAR-TH-104" not in page


def test_editing_a_draft_and_not_a_dossier_in_review(portal, installer_user, my_dossier):
    edited = portal.post(f"/portail/dossiers/{my_dossier.pk}/modifier/", {
        "beneficiary_name": "Jeanne Dupont", "housing_type": "appartement", "precarity_status": "modeste",
    })
    in_review = DossierFactory(installer=installer_user.installer, status=DossierStatus.IN_REVIEW)
    refused = portal.get(f"/portail/dossiers/{in_review.pk}/modifier/")

    my_dossier.refresh_from_db()
    assert edited.status_code == 302
    assert (my_dossier.beneficiary_name, my_dossier.housing_type) == ("Jeanne Dupont", "appartement")
    assert refused.status_code == 302 and refused["Location"] == f"/portail/dossiers/{in_review.pk}/"


def test_uploading_several_files_shows_a_verdict_per_file(portal, my_dossier, media_root):
    response = portal.post(f"/portail/dossiers/{my_dossier.pk}/documents/", {
        "files": [upload("devis.pdf", devis_pdf()), upload("vide.pdf", b""), upload("notes.docx", docx_bytes())],
    })

    assert response.status_code == 302
    page = portal.get(response["Location"]).content.decode()
    assert "Résultat du dernier envoi" in page
    assert re.search(r"devis\.pdf</span>\s*<span class=\"verdict\">Accepté", page)
    assert re.search(r"vide\.pdf</span>\s*<span class=\"verdict\">Refusé</span><span class=\"reason\">Le fichier est vide", page)
    assert "notes.docx" in page and "Format de fichier non pris en charge" in page
    assert my_dossier.documents.count() == 1 and len(media_root()) == 1
    assert "Résultat du dernier envoi" not in portal.get(response["Location"]).content.decode()  # shown once


def test_the_upload_script_gets_json_per_file(portal, my_dossier, media_root):
    response = portal.post(
        f"/portail/dossiers/{my_dossier.pk}/documents/", {"files": [upload("facture.pdf", facture_pdf())], "document_type": "facture"},
        HTTP_ACCEPT="application/json", HTTP_X_UPLOAD_BATCH="b1",
    )

    assert response.status_code == 201
    [row] = response.json()["files"]
    assert row["accepted"] and row["filename"] == "facture.pdf"
    assert my_dossier.documents.get().declared_type.code == "facture"


def test_uploads_without_the_csrf_token_are_refused(client, installer_user, my_dossier, media_root):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(installer_user)

    response = browser.post(f"/portail/dossiers/{my_dossier.pk}/documents/", {"files": [upload("devis.pdf", devis_pdf())]})

    assert response.status_code == 403
    assert my_dossier.documents.count() == 0


def test_the_dossier_page_shows_missing_documents_with_an_add_form_and_the_rejection_reason(portal, installer_user, validator):
    waiting = DossierFactory(installer=installer_user.installer, status=DossierStatus.AWAITING_DOCUMENTS,
                             missing_documents=[{"document_type": "cadre_contribution", "operations": ["BAR-TH-171"]}])
    rejected = DossierFactory(installer=installer_user.installer, status=DossierStatus.IN_REVIEW)
    transition(rejected, DossierStatus.REJECTED, actor=validator, reason="Signature du bénéficiaire absente sur l'AH.")

    waiting_page = portal.get(f"/portail/dossiers/{waiting.pk}/").content.decode()
    rejected_page = portal.get(f"/portail/dossiers/{rejected.pk}/").content.decode()

    assert "Documents manquants" in waiting_page and "Cadre de contribution" in waiting_page
    assert 'name="document_type" value="cadre_contribution"' in waiting_page
    assert "Dossier refusé" in rejected_page and "Signature du bénéficiaire absente sur l&#x27;AH." in rejected_page
    assert "Motif : Signature du bénéficiaire absente" in rejected_page  # in the history too


def test_submitting_and_following_the_dossier_to_the_missing_documents(
    portal, installer_user, media_root, synchronous_pipeline, django_capture_on_commit_callbacks
):
    _facts, pdfs = job_documents(("BAR-EN-101",))
    dossier = DossierFactory(installer=installer_user.installer, created_by=installer_user)
    portal.post(f"/portail/dossiers/{dossier.pk}/documents/", {
        "files": [upload(f"{t}.pdf", pdfs[t]) for t in ("devis", "facture", "attestation_honneur", "cadre_contribution")],
    })

    with django_capture_on_commit_callbacks(execute=True):
        submitted = portal.post(f"/portail/dossiers/{dossier.pk}/soumettre/")

    page = portal.get(submitted["Location"]).content.decode()
    assert "Dossier soumis" in page
    assert "Documents manquants" in page and "Certificat RGE" in page
    state = portal.get(f"/portail/dossiers/{dossier.pk}/etat.json").json()
    assert state["status"] == "awaiting_documents" and state["documents"]["processed"] == 4


def test_bulk_upload_creates_the_dossier_and_opens_it(portal, installer_user, media_root):
    response = portal.post("/portail/depot-groupe/", {"files": [upload("devis.pdf", devis_pdf()), upload("cv.docx", docx_bytes())]})

    dossier = Dossier.objects.get()
    assert response["Location"] == f"/portail/dossiers/{dossier.pk}/"
    page = portal.get(response["Location"]).content.decode()
    assert f"Dossier {dossier.reference} créé à partir de 1 fichier(s)" in page
    assert "cv.docx" in page and "Refusé" in page
    assert dossier.status == DossierStatus.SUBMITTED


def test_bulk_upload_of_only_bad_files_creates_nothing(portal, media_root):
    response = portal.post("/portail/depot-groupe/", {"files": [upload("cv.docx", docx_bytes())]})

    assert response.status_code == 400
    assert "aucun dossier n&#x27;a été créé" in response.content.decode()
    assert Dossier.objects.count() == 0 and media_root() == []


# --- Company, tokens, payments ----------------------------------------------------------------

def company_form(installer, **changes):
    data = {
        "name": installer.name, "siret": installer.siret, "address": installer.address, "postal_code": installer.postal_code,
        "city": installer.city, "email": installer.email, "phone": "", "contact_name": "", "rge_number": installer.rge_number,
        "rge_valid_from": "2024-01-01", "rge_valid_until": "2028-01-01", "qualifications": "pompe_a_chaleur, isolation",
    }
    return {**data, **changes}


def test_the_company_profile_checks_the_siret(portal, installer_user):
    company = installer_user.installer
    bad = portal.post("/portail/entreprise/", company_form(company, siret="732 829 320 00075"))
    good = portal.post("/portail/entreprise/", company_form(company, siret="356 000 000 00048", rge_number="QPAC/61234"))

    assert "clé de contrôle incorrecte" in bad.content.decode()
    assert good.status_code == 302
    rge_before = (company.rge_number, company.qualifications)
    company.refresh_from_db()
    assert (company.siret, company.siren) == ("35600000000048", "356000000")
    # The RGE fields became a request for staff to approve (accounts.rge): nothing changed yet.
    assert (company.rge_number, company.qualifications) == rge_before
    request = company.rge_change_requests.get()
    assert (request.rge_number, request.qualifications) == ("QPAC/61234", ["pompe_a_chaleur", "isolation"])


def test_an_api_token_is_shown_once_then_only_its_prefix(portal, installer_user):
    created = portal.post("/portail/jetons/", {"name": "Logiciel de devis"})
    key = re.search(r'<code class="token-key" id="token-key">([^<]+)</code>', created.content.decode()).group(1)
    token = ApiToken.objects.get(user=installer_user)

    later = portal.get("/portail/jetons/").content.decode()
    revoked = portal.post(f"/portail/jetons/{token.pk}/revoquer/")

    assert key.startswith(token.prefix) and created["Cache-Control"] == "no-store"
    assert key not in later and f"{token.prefix}…" in later
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/dossiers/").status_code == 401


def test_the_payments_page_lists_my_invoices_and_payments(portal, installer_user, other_installer_user, administrator):
    import datetime

    from billing.services import record_payment
    from dossiers.workflow.invoicing import create_invoice_for_dossier
    from tests.billing.conftest import make_approved_dossier

    mine = create_invoice_for_dossier(make_approved_dossier(installer=installer_user.installer), user=administrator)
    theirs = create_invoice_for_dossier(make_approved_dossier(installer=other_installer_user.installer), user=administrator)
    record_payment(mine, amount="500.00", date=datetime.date(2026, 4, 15), method="cheque", reference="CHQ-77", user=administrator)

    page = portal.get("/portail/paiements/").content.decode()

    assert mine.number in page and theirs.number not in page
    assert f'href="/facturation/factures/{mine.pk}/pdf/"' in page
    assert "CHQ-77" in page and "Chèque" in page and "500,00" in page


def test_the_dashboard_runs_the_same_few_queries_whatever_the_number_of_rows(portal, installer_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(count: int) -> int:
        for _ in range(count):
            DossierFactory(installer=installer_user.installer, missing_documents=[{"document_type": "facture"}])
        with CaptureQueriesContext(connection) as captured:
            assert portal.get("/portail/").status_code == 200
        return len(captured)

    portal.get("/portail/")  # reference names are cached after the first page
    assert queries_for(2) == queries_for(18)


def test_an_upload_announced_too_large_is_refused_before_reading_it(portal, my_dossier, settings, media_root):
    settings.CEE_MAX_REQUEST_BYTES = 1000

    response = portal.post(f"/portail/dossiers/{my_dossier.pk}/documents/", {"files": [upload("devis.pdf", devis_pdf())]},
                           HTTP_ACCEPT="application/json")

    assert response.status_code == 413
    assert "trop volumineux" in response.json()["error"]
    assert my_dossier.documents.count() == 0
