"""Uploading documents through the API: one verdict per file, nothing kept of a refused file."""
from __future__ import annotations

import pytest
from django.test import override_settings

from documents.models import Document
from dossiers.bulk import PLACEHOLDER_BENEFICIARY
from dossiers.models import Dossier, DossierStatus

from .samples import devis_pdf, docx_bytes, facture_pdf, png_bytes, upload

pytestmark = pytest.mark.django_db


def documents_url(dossier) -> str:
    return f"/api/v1/dossiers/{dossier.pk}/documents/"


def test_several_files_get_one_verdict_each_and_only_good_ones_are_stored(api, my_dossier, media_root):
    response = api.post(
        documents_url(my_dossier),
        {
            "files": [
                upload("devis.pdf", devis_pdf(), "application/pdf"),
                upload("vide.pdf", b"", "application/pdf"),
                upload("notes.docx", docx_bytes()),
                upload("photo.png", png_bytes(), "image/png"),
            ]
        },
        format="multipart",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["accepted"], body["refused"]) == (2, 2)
    verdicts = {f["filename"]: (f["accepted"], (f["error"] or {}).get("code")) for f in body["files"]}
    assert verdicts == {
        "devis.pdf": (True, None),
        "vide.pdf": (False, "empty_file"),
        "notes.docx": (False, "unsupported_type"),
        "photo.png": (True, None),
    }
    refused = next(f for f in body["files"] if f["filename"] == "notes.docx")
    assert "Word" in refused["error"]["message"]
    assert set(my_dossier.documents.values_list("original_filename", flat=True)) == {"devis.pdf", "photo.png"}
    assert len(media_root()) == 2


def test_all_files_refused_is_a_400_with_the_reason_per_file_and_nothing_stored(api, my_dossier, media_root):
    response = api.post(
        documents_url(my_dossier),
        {"files": [upload("vide.pdf", b""), upload("cv.docx", docx_bytes())]},
        format="multipart",
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "all_files_refused"
    assert [f["error"]["code"] for f in error["details"]["files"]] == ["empty_file", "unsupported_type"]
    assert Document.objects.count() == 0
    assert media_root() == []


def test_a_file_over_the_size_limit_is_refused_while_streaming(api, my_dossier, media_root):
    with override_settings(CEE_MAX_UPLOAD_BYTES=20_000):
        response = api.post(
            documents_url(my_dossier),
            {"files": [upload("gros-scan.pdf", devis_pdf() + b"%" + b"0" * 30_000), upload("petit.pdf", devis_pdf())]},
            format="multipart",
        )

    assert response.status_code == 201
    verdicts = {f["filename"]: (f["accepted"], (f["error"] or {}).get("code")) for f in response.json()["files"]}
    assert verdicts == {"petit.pdf": (True, None), "gros-scan.pdf": (False, "too_large")}
    assert my_dossier.documents.count() == 1


def test_a_body_announced_too_large_is_refused_before_it_is_read(api, my_dossier):
    with override_settings(CEE_MAX_REQUEST_BYTES=1000):
        response = api.post(documents_url(my_dossier), {"files": [upload("devis.pdf", devis_pdf())]}, format="multipart")

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"
    assert my_dossier.documents.count() == 0


def test_a_request_without_files_is_a_400(api, my_dossier):
    response = api.post(documents_url(my_dossier), {"document_type": "devis"}, format="multipart")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "no_files"


def test_the_declared_type_is_kept_and_an_unknown_one_refused(api, my_dossier, media_root):
    ok = api.post(documents_url(my_dossier), {"files": [upload("d.pdf", devis_pdf())], "document_type": "devis"}, format="multipart")
    bad = api.post(documents_url(my_dossier), {"files": [upload("f.pdf", facture_pdf())], "document_type": "bon_de_commande"}, format="multipart")

    assert ok.status_code == 201
    assert ok.json()["files"][0]["document"]["declared_type"] == "devis"
    assert bad.status_code == 400
    assert "document_type" in bad.json()["error"]["details"]


def test_the_same_file_twice_in_a_dossier_is_refused(api, my_dossier, media_root):
    api.post(documents_url(my_dossier), {"files": [upload("devis.pdf", devis_pdf())]}, format="multipart")
    again = api.post(documents_url(my_dossier), {"files": [upload("devis-copie.pdf", devis_pdf())]}, format="multipart")

    assert again.status_code == 400
    assert again.json()["error"]["details"]["files"][0]["error"]["code"] == "duplicate_in_dossier"
    assert len(media_root()) == 1


def test_a_closed_dossier_takes_no_files(api, installer_user, media_root):
    from tests.factories import DossierFactory

    approved = DossierFactory(installer=installer_user.installer, status=DossierStatus.APPROVED)
    response = api.post(documents_url(approved), {"files": [upload("devis.pdf", devis_pdf())]}, format="multipart")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "dossier_closed"
    assert media_root() == []


def test_documents_are_listed_and_downloaded_as_uploaded(api, my_dossier, media_root):
    content = devis_pdf()
    created = api.post(documents_url(my_dossier), {"files": [upload("devis dupont.pdf", content)]}, format="multipart").json()
    document = created["files"][0]["document"]

    listed = api.get(documents_url(my_dossier)).json()
    detail = api.get(f"/api/v1/documents/{document['id']}/").json()
    download = api.get(f"/api/v1/documents/{document['id']}/download/")

    assert [d["id"] for d in listed] == [document["id"]]
    assert detail["original_filename"] == "devis dupont.pdf"
    assert detail["download_url"].endswith(f"/api/v1/documents/{document['id']}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == content


def test_bulk_upload_returns_the_new_submitted_dossier_at_once(api, installer_user, media_root):
    response = api.post(
        "/api/v1/bulk-uploads/",
        {"files": [upload("devis.pdf", devis_pdf()), upload("facture.pdf", facture_pdf()), upload("vide.pdf", b"")]},
        format="multipart",
    )

    assert response.status_code == 201
    body = response.json()
    dossier = Dossier.objects.get(pk=body["dossier"]["id"])
    assert response["Location"].endswith(f"/api/v1/dossiers/{dossier.pk}/")
    assert dossier.installer == installer_user.installer
    assert dossier.beneficiary_name == PLACEHOLDER_BENEFICIARY
    assert body["dossier"]["status"] != DossierStatus.DRAFT
    assert dossier.submitted_at is not None
    assert (body["upload"]["accepted"], body["upload"]["refused"]) == (2, 1)
    assert dossier.documents.filter(parent__isnull=True).count() == 2


def test_bulk_upload_with_no_acceptable_file_creates_no_dossier(api, media_root):
    response = api.post("/api/v1/bulk-uploads/", {"files": [upload("cv.docx", docx_bytes())]}, format="multipart")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "all_files_refused"
    assert Dossier.objects.count() == 0
    assert media_root() == []
