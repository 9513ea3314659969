"""A PDF with no document in it (a blank page, a 1×1 pt page) is refused at upload with a clear
French reason, and a bulk upload of only such files creates no dossier."""
from __future__ import annotations

import io

import pytest
from reportlab.pdfgen import canvas

from dossiers.models import Dossier
from tests.api.samples import facture_pdf

pytestmark = pytest.mark.django_db


def blank_pdf(width: float, height: float, pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    for _ in range(pages):
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def named(name: str, data: bytes):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def bulk(api, *files):
    return api.post("/api/v1/bulk-uploads/", {"files": list(files)}, format="multipart")


def test_a_blank_one_point_pdf_creates_no_dossier(api, media_root):
    response = bulk(api, named("vide.pdf", blank_pdf(1, 1)))

    assert response.status_code == 400
    error = response.json()["error"]["details"]["files"][0]["error"]
    assert error["code"] == "pdf_page_too_small"
    assert "trop petite (1×1 points" in error["message"]
    assert not Dossier.objects.exists() and media_root() == []


def test_a_pdf_of_blank_a4_pages_is_refused(api, media_root):
    response = bulk(api, named("blanc.pdf", blank_pdf(595, 842, pages=3)))

    assert response.status_code == 400
    error = response.json()["error"]["details"]["files"][0]["error"]
    assert error["code"] == "blank_pdf"
    assert "pages blanches" in error["message"]
    assert not Dossier.objects.exists()


def test_a_blank_page_beside_a_real_document_is_refused_alone(api, media_root):
    response = bulk(api, named("facture.pdf", facture_pdf("BLANC-1")), named("vide.pdf", blank_pdf(1, 1)))

    assert response.status_code == 201
    outcome = {f["filename"]: f["accepted"] for f in response.json()["upload"]["files"]}
    assert outcome == {"facture.pdf": True, "vide.pdf": False}


def test_the_portal_bulk_upload_explains_it_in_french(client, installer_user, media_root):
    client.force_login(installer_user)

    response = client.post("/portail/depot-groupe/", {"files": [named("vide.pdf", blank_pdf(1, 1))]})

    assert response.status_code == 400
    assert "trop petite" in response.content.decode()
    assert not Dossier.objects.exists()


def _pdf_drawing(draw) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(595, 842))
    draw(pdf)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_the_quick_text_check_reads_strings_shown_on_the_first_page():
    """Born-digital uploads skip pdfium's page load: their first page shows a string in a font.
    Spaces alone, a drawing or a blank page leave the decision to the render check."""
    from documents.ingest import _all_pages_blank, _first_page_shows_text

    assert _first_page_shows_text(facture_pdf("BLANC-2"))
    spaces = _pdf_drawing(lambda pdf: pdf.drawString(100, 700, "     "))
    drawing = _pdf_drawing(lambda pdf: pdf.rect(100, 600, 200, 100, fill=1))
    for data in (spaces, drawing, blank_pdf(595, 842)):
        assert not _first_page_shows_text(data)
    assert _all_pages_blank(spaces) and _all_pages_blank(blank_pdf(595, 842))
    assert not _all_pages_blank(drawing) and not _all_pages_blank(facture_pdf("BLANC-3"))
