"""The back-office: files uploaded in the admin go through the ingest service; « Retraiter »
sends documents and dossiers through the pipeline again."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import Document, DocumentStatus
from dossiers.models import DossierStatus
from extraction.models import StageRun
from tests.factories import DossierFactory

from . import samples

pytestmark = pytest.mark.django_db


def test_administrator_uploads_files_into_a_dossier_and_submits_it(
    client, administrator, installer_company, django_capture_on_commit_callbacks
):
    dossier = DossierFactory(installer=installer_company)
    client.force_login(administrator)
    page = client.get(reverse("admin:documents_document_add"))
    assert page.status_code == 200 and "Déposer des documents" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:documents_document_add"), {
            "dossier": dossier.pk,
            "files": [SimpleUploadedFile("devis.pdf", samples.text_pdf([samples.DEVIS_LINES])),
                      SimpleUploadedFile("archive.zip", (samples.REAL / "badinput" / "simple.zip").read_bytes())],
            "submit_dossier": "on",
        }, follow=True)

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("« archive.zip » refusé" in m for m in messages)
    assert any("1 fichier(s) déposé(s)" in m for m in messages)
    [document] = Document.objects.filter(dossier=dossier)
    dossier.refresh_from_db()
    # Submitted, then processed at once (tasks run synchronously in tests).
    assert dossier.status == DossierStatus.AWAITING_DOCUMENTS
    document.refresh_from_db()
    assert document.status == DocumentStatus.PROCESSED and document.document_type.code == "devis"


def test_reprocess_action_on_documents_runs_the_chain_again(client, administrator, installer_company):
    dossier = DossierFactory(installer=installer_company, status=DossierStatus.SUBMITTED)
    client.force_login(administrator)
    client.post(reverse("admin:documents_document_add"), {
        "dossier": dossier.pk, "files": [SimpleUploadedFile("f.pdf", samples.text_pdf([samples.FACTURE_LINES]))],
    })
    document = Document.objects.get(dossier=dossier)
    runs = StageRun.objects.filter(document=document, stage="extract").count()

    response = client.post(reverse("admin:documents_document_changelist"),
                           {"action": "reprocess", "_selected_action": [document.pk]}, follow=True)

    assert any("remis en traitement" in str(m) for m in response.context["messages"])
    assert StageRun.objects.filter(document=document, stage="extract").count() == runs + 1


def test_reprocess_action_on_dossiers_queues_open_ones_and_refuses_closed_ones(rf, administrator, installer_company):
    from django.contrib import admin
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    from dossiers.models import Dossier
    from dossiers.workflow.admin_actions import reprocess_dossiers_action

    assert reprocess_dossiers_action.short_description.startswith("Retraiter")
    approved = DossierFactory(installer=installer_company, status=DossierStatus.APPROVED)
    waiting = DossierFactory(installer=installer_company, status=DossierStatus.READY_FOR_REVIEW)
    request = rf.post("/admin/dossiers/dossier/")
    request.user = administrator
    request.session = {}
    request._messages = FallbackStorage(request)

    reprocess_dossiers_action(admin.site._registry[Dossier], request, Dossier.objects.filter(pk__in=[approved.pk, waiting.pk]))

    messages = [str(m) for m in get_messages(request)]
    assert any(waiting.reference in m and "remis en traitement" in m for m in messages)
    assert any(approved.reference in m and "ne peut plus être retraité" in m for m in messages)
    approved.refresh_from_db()
    waiting.refresh_from_db()
    assert approved.status == DossierStatus.APPROVED
    # Reprocessed at once (synchronous tasks): no document, so straight back to review.
    assert waiting.status in (DossierStatus.AWAITING_DOCUMENTS, DossierStatus.READY_FOR_REVIEW)
    assert StageRun.objects.filter(dossier=waiting, stage="complete").exists()


def test_document_page_shows_pages_fields_and_stage_runs(client, administrator, dossier):
    from dossiers.workflow.upload import ingest_file
    from extraction.services import process_document

    document = ingest_file(dossier=dossier, fileobj_or_bytes=samples.text_pdf([samples.DEVIS_LINES]), filename="d.pdf")
    process_document(document)
    client.force_login(administrator)
    page = client.get(reverse("admin:documents_document_change", args=[document.pk])).content.decode()
    assert reverse("documents:document-file", args=[document.pk]) in page
    assert reverse("documents:page-image", args=[document.pk, 1]) in page
    assert "date_devis" in page or "Date du devis" in page
    assert "classify" in page
