"""Bulk upload through the real pipeline (run synchronously): the dossier is made from the
files, its beneficiary and operations are read from them, and what is missing is listed."""
from __future__ import annotations

import pytest

from dossiers.bulk import PLACEHOLDER_BENEFICIARY
from dossiers.models import Dossier, DossierStatus

from .samples import job_documents, upload

pytestmark = pytest.mark.django_db


def test_a_bulk_upload_is_read_named_and_completed_by_adding_the_missing_file(
    api, media_root, synchronous_pipeline, django_capture_on_commit_callbacks
):
    facts, pdfs = job_documents(("BAR-EN-101",))
    files = [upload(f"{t}.pdf", pdfs[t], "application/pdf") for t in ("devis", "facture", "attestation_honneur", "cadre_contribution")]

    with django_capture_on_commit_callbacks(execute=True):
        created = api.post("/api/v1/bulk-uploads/", {"files": files}, format="multipart")

    assert created.status_code == 201
    assert created.json()["dossier"]["beneficiary_name"] == PLACEHOLDER_BENEFICIARY  # answered before processing
    dossier = Dossier.objects.get(pk=created.json()["dossier"]["id"])
    report = api.get(f"/api/v1/dossiers/{dossier.pk}/status/").json()
    assert report["status"] == DossierStatus.AWAITING_DOCUMENTS
    assert [m["code"] for m in report["missing_documents"]] == ["certificat_rge"]
    assert {s["stage"] for s in report["stages"]} >= {"text", "classify", "extract", "detect", "beneficiary", "complete"}
    detail = api.get(f"/api/v1/dossiers/{dossier.pk}/").json()
    assert facts.beneficiary.last_name.upper() in detail["beneficiary_name"].upper()
    assert detail["beneficiary_postal_code"] == facts.beneficiary.postal_code
    assert detail["works_city"]
    assert [op["code"] for op in detail["operations"]] == ["BAR-EN-101"]
    assert sorted(d["document_type"]["code"] for d in detail["documents"]) == sorted(
        ["devis", "facture", "attestation_honneur", "cadre_contribution"]
    )

    with django_capture_on_commit_callbacks(execute=True):
        added = api.post(
            f"/api/v1/dossiers/{dossier.pk}/documents/",
            {"files": [upload("rge.pdf", pdfs["certificat_rge"], "application/pdf")], "document_type": "certificat_rge"},
            format="multipart",
        )

    assert added.status_code == 201
    report = api.get(f"/api/v1/dossiers/{dossier.pk}/status/").json()
    assert report["missing_documents"] == []
    assert report["status"] == DossierStatus.READY_FOR_REVIEW
    assert [h["to_status"] for h in report["history"]] == [
        "submitted", "processing", "awaiting_documents", "processing", "ready_for_review",
    ]


def test_the_beneficiary_typed_by_the_installer_is_never_replaced(
    api, installer_user, media_root, synchronous_pipeline, django_capture_on_commit_callbacks
):
    _facts, pdfs = job_documents(("BAR-EN-101",))
    created = api.post("/api/v1/dossiers/", {"beneficiary_name": "Mme Jeanne Martin"}, format="json").json()
    api.post(f"/api/v1/dossiers/{created['id']}/documents/", {"files": [upload("ah.pdf", pdfs["attestation_honneur"])]}, format="multipart")

    with django_capture_on_commit_callbacks(execute=True):
        api.post(f"/api/v1/dossiers/{created['id']}/submit/")

    dossier = Dossier.objects.get(pk=created["id"])
    assert dossier.status == DossierStatus.AWAITING_DOCUMENTS
    assert dossier.beneficiary_name == "Mme Jeanne Martin"
