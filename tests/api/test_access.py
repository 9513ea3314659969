"""Who may call what: every installer endpoint and file URL, for every kind of caller.

An installer reaches only their company's objects (another company's answer 404, as if
they did not exist); an anonymous caller gets 401; staff tokens get 403 on these
installer-only endpoints.
"""
from __future__ import annotations

import pytest

from dossiers.models import DossierStatus
from dossiers.workflow.upload import ingest_file

from .samples import devis_pdf, facture_pdf, upload

pytestmark = pytest.mark.django_db

# (method, url template, body) — {dossier} and {document} are filled per test.
OBJECT_ENDPOINTS = [
    ("get", "/api/v1/dossiers/{dossier}/", None),
    ("patch", "/api/v1/dossiers/{dossier}/", {"beneficiary_name": "Intrus"}),
    ("post", "/api/v1/dossiers/{dossier}/submit/", None),
    ("get", "/api/v1/dossiers/{dossier}/documents/", None),
    ("post", "/api/v1/dossiers/{dossier}/documents/", "files"),
    ("get", "/api/v1/dossiers/{dossier}/status/", None),
    ("get", "/api/v1/documents/{document}/", None),
    ("get", "/api/v1/documents/{document}/download/", None),
]
COLLECTION_ENDPOINTS = [
    ("get", "/api/v1/dossiers/", None),
    ("post", "/api/v1/dossiers/", {"beneficiary_name": "Jean Dupont"}),
    ("post", "/api/v1/bulk-uploads/", "files"),
    ("get", "/api/v1/payments/", None),
    ("get", "/api/v1/profile/", None),
    ("patch", "/api/v1/profile/", {"company": {"city": "Lyon"}}),
]
ALL_ENDPOINTS = OBJECT_ENDPOINTS + COLLECTION_ENDPOINTS


@pytest.fixture
def their_document(their_dossier, other_installer_user, media_root):
    return ingest_file(dossier=their_dossier, fileobj_or_bytes=devis_pdf("AUTRE-1"), filename="devis.pdf", user=other_installer_user)


@pytest.fixture
def my_document(my_dossier, installer_user, media_root):
    return ingest_file(dossier=my_dossier, fileobj_or_bytes=facture_pdf("MOI-1"), filename="facture.pdf", user=installer_user)


def call(client, method, template, body, *, dossier=None, document=None):
    url = template.format(dossier=getattr(dossier, "pk", 0), document=getattr(document, "pk", 0))
    if body == "files":
        return getattr(client, method)(url, {"files": [upload("f.pdf", facture_pdf("X"))]}, format="multipart")
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, body, format="json")


@pytest.mark.parametrize("method,template,body", ALL_ENDPOINTS)
def test_anonymous_callers_get_401_with_the_error_body(anonymous, method, template, body, my_dossier, my_document):
    response = call(anonymous, method, template, body, dossier=my_dossier, document=my_document)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("method,template,body", ALL_ENDPOINTS)
def test_a_revoked_token_gets_401(installer_user, method, template, body, my_dossier, my_document):
    from rest_framework.test import APIClient

    from accounts.tokens import issue_token, revoke_token

    token, key = issue_token(installer_user, "ancien")
    revoke_token(token)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = call(client, method, template, body, dossier=my_dossier, document=my_document)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


@pytest.mark.parametrize("method,template,body", ALL_ENDPOINTS)
def test_validator_tokens_cannot_use_installer_endpoints(validator_api, method, template, body, my_dossier, my_document):
    response = call(validator_api, method, template, body, dossier=my_dossier, document=my_document)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize("method,template,body", OBJECT_ENDPOINTS)
def test_another_installers_objects_answer_404_and_stay_untouched(api, method, template, body, their_dossier, their_document):
    response = call(api, method, template, body, dossier=their_dossier, document=their_document)

    assert response.status_code == 404
    assert response.json()["error"] == {"code": "not_found", "message": "Ressource introuvable.", "details": {}}
    their_dossier.refresh_from_db()
    assert their_dossier.status == DossierStatus.DRAFT
    assert their_dossier.beneficiary_name != "Intrus"
    assert their_dossier.documents.count() == 1


@pytest.mark.parametrize("method,template,body", OBJECT_ENDPOINTS)
def test_my_own_objects_are_reachable(api, method, template, body, my_dossier, my_document):
    response = call(api, method, template, body, dossier=my_dossier, document=my_document)

    assert response.status_code in (200, 201)


def test_lists_hold_only_my_companys_dossiers(api, my_dossier, their_dossier):
    references = [row["reference"] for row in api.get("/api/v1/dossiers/").json()["results"]]

    assert references == [my_dossier.reference]


def test_a_dossier_cannot_be_created_for_another_company_by_sending_its_id(api, installer_user, other_installer_user):
    response = api.post(
        "/api/v1/dossiers/", {"beneficiary_name": "Jean", "installer": other_installer_user.installer_id}, format="json"
    )

    assert response.status_code == 201
    assert other_installer_user.installer.dossiers.count() == 0
    assert installer_user.installer.dossiers.count() == 1


def test_session_authentication_works_for_the_browsable_api(client, installer_user, my_dossier):
    client.force_login(installer_user)

    response = client.get("/api/v1/dossiers/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert response.json()["count"] == 1


# --- File URLs outside the API (served by dossiers.files) ----------------------------

def test_file_urls_answer_404_for_another_installers_document(client, installer_user, their_document):
    client.force_login(installer_user)

    assert client.get(f"/fichiers/documents/{their_document.pk}/").status_code == 404
    assert client.get(f"/fichiers/documents/{their_document.pk}/pages/1/").status_code == 404


def test_file_urls_send_anonymous_visitors_to_the_login_page(client, my_document):
    response = client.get(f"/fichiers/documents/{my_document.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/portail/connexion/")


def test_file_urls_serve_my_own_document(client, installer_user, my_document):
    client.force_login(installer_user)

    response = client.get(f"/fichiers/documents/{my_document.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_invoice_pdf_urls_answer_404_for_another_installers_invoice(client, installer_user, other_installer_user, administrator):
    from dossiers.workflow.invoicing import create_invoice_for_dossier
    from tests.billing.conftest import make_approved_dossier

    theirs = create_invoice_for_dossier(make_approved_dossier(installer=other_installer_user.installer), user=administrator)
    url = f"/facturation/factures/{theirs.pk}/pdf/"

    anonymous = client.get(url)
    client.force_login(installer_user)
    other = client.get(url)

    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/portail/connexion/")
    assert other.status_code == 404
