"""Content-Security-Policy on the portal, the admin and the API docs (no inline script without the
request's nonce), and uploaded files served so that a hostile file cannot script the site."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from documents.models import Document
from dossiers.workflow.upload import ingest_file
from tests.api.samples import facture_pdf

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd40000000049454e44ae426082"
)
HOSTILE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/api/v1/profile/")</script></svg>'


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


def assert_strict_scripts(response) -> None:
    policy = directives(response)
    scripts = policy["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert policy["object-src"] == ["'none'"] and policy["default-src"] == ["'self'"]
    nonces = [source for source in scripts if source.startswith("'nonce-")]
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
    for attributes in inline:  # every inline script carries this response's nonce
        assert nonces and f'nonce="{nonces[0][7:-1]}"' in attributes, attributes


@pytest.mark.parametrize("url", ["/portail/connexion/", "/portail/mot-de-passe/oublie/", "/admin/login/"])
def test_login_pages_send_a_strict_policy(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert_strict_scripts(response)


def test_portal_and_admin_pages_send_it_once_logged_in(client, installer_user, administrator):
    client.force_login(installer_user)
    assert_strict_scripts(client.get("/portail/jetons/"))
    client.force_login(administrator)
    assert_strict_scripts(client.get("/admin/"))


def test_api_docs_send_it_and_their_start_up_scripts_obey_it(client):
    swagger = client.get("/api/v1/docs/")
    redoc = client.get("/api/v1/redoc/")

    assert_strict_scripts(swagger)
    assert_strict_scripts(redoc)
    assert "<script>" not in swagger.content.decode()
    assert re.search(r'<script nonce="[^"]+">\s*Redoc.init', redoc.content.decode())


def test_no_template_or_script_has_an_inline_event_handler():
    handler = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("templates", "static", "accounts", "documents", "dossiers", "billing", "extraction", "rules")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".html", ".js", ".py"} and "emails" not in path.parts and handler.search(path.read_text())
    ]
    assert offenders == []


def test_an_uploaded_pdf_is_shown_as_a_pdf_never_as_a_page(client, installer_user, my_dossier, media_root):
    document = ingest_file(dossier=my_dossier, fileobj_or_bytes=facture_pdf("CSP-1"), filename="facture.pdf", user=installer_user)
    client.force_login(installer_user)

    response = client.get(f"/fichiers/documents/{document.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    # No sandbox: Chrome and Safari would not start their PDF viewer (see documents.storage).
    assert "sandbox" not in response.get("Content-Security-Policy", "")


def test_an_uploaded_image_is_shown_sandboxed(client, installer_user, my_dossier, media_root):
    document = ingest_file(dossier=my_dossier, fileobj_or_bytes=facture_pdf("CSP-4"), filename="facture.pdf", user=installer_user)
    document.file.save("photo.png", ContentFile(PNG), save=False)
    Document.objects.filter(pk=document.pk).update(file=document.file.name, mime_type="image/png")
    client.force_login(installer_user)

    response = client.get(f"/fichiers/documents/{document.pk}/")

    assert response["Content-Disposition"].startswith("inline;")
    assert "sandbox" in directives(response) and directives(response)["default-src"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_of_a_type_browsers_run_is_downloaded_never_shown(client, installer_user, my_dossier, media_root):
    document = ingest_file(dossier=my_dossier, fileobj_or_bytes=facture_pdf("CSP-2"), filename="facture.pdf", user=installer_user)
    # As if an SVG had got in (ingest refuses it): the serving side holds on its own.
    document.file.save("hostile.svg", ContentFile(HOSTILE_SVG), save=False)
    Document.objects.filter(pk=document.pk).update(file=document.file.name, mime_type="image/svg+xml")
    client.force_login(installer_user)

    response = client.get(f"/fichiers/documents/{document.pk}/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in directives(response)
    assert response["X-Content-Type-Options"] == "nosniff"


def test_api_downloads_are_sandboxed_too(api, installer_user, my_dossier, media_root):
    document = ingest_file(dossier=my_dossier, fileobj_or_bytes=facture_pdf("CSP-3"), filename="facture.pdf", user=installer_user)
    document.file.save("hostile.svg", ContentFile(HOSTILE_SVG), save=False)
    Document.objects.filter(pk=document.pk).update(file=document.file.name, mime_type="image/svg+xml")

    response = api.get(f"/api/v1/documents/{document.pk}/download/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in directives(response)
