"""The pipeline as a whole: stages with one contract, their runs recorded, failures made
readable, outputs replaced on a re-run, dossiers routed through the state machine."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import OperationalError
from django.utils import timezone

from accounts.models import Activity
from documents.models import Document, DocumentStatus, Page
from dossiers.models import DossierOperation, DossierStatus, Timeline
from dossiers.workflow import processing
from dossiers.workflow.chain import dossier_stages
from dossiers.workflow.upload import ingest_file
from extraction import services
from extraction.models import EngineConfig, ExtractedField, FieldSchema, FieldStatus, StageRun
from extraction.pipeline import Stage, document_stages
from extraction.pipeline.base import StageError, StopPipeline
from tests.factories import DossierFactory, UserFactory

from . import samples

pytestmark = pytest.mark.django_db


def upload(dossier, lines_per_page, name="document.pdf", **options):
    return ingest_file(dossier=dossier, fileobj_or_bytes=samples.text_pdf(lines_per_page), filename=name,
                       schedule_processing=False, **options)


def test_every_stage_follows_one_contract_in_chain_order():
    assert [s.name for s in document_stages()] == ["text", "ocr", "split", "classify", "extract"]
    assert [s.name for s in dossier_stages()] == ["detect", "beneficiary", "complete", "rules"]
    for stage in document_stages() + dossier_stages():
        assert isinstance(stage, Stage)
        assert stage.label and stage.__doc__
        assert callable(stage.able_to_run) and callable(stage.run)


def test_born_digital_devis_is_read_typed_and_extracted_with_boxes(dossier, stored_files):
    document = upload(dossier, [samples.DEVIS_LINES], "devis.pdf")
    services.process_document(document)
    document.refresh_from_db()

    assert document.status == DocumentStatus.PROCESSED
    assert document.document_type.code == "devis"
    assert document.classification_confidence >= 0.6 and not document.needs_review
    [page] = Page.objects.filter(document=document)
    assert page.has_text_layer and page.text_source == "text_layer"
    assert "Date du devis : 15/03/2024" in page.text
    assert page.image.name.endswith(".jpg")
    assert sorted(stored_files()) == sorted([document.file.name, page.image.name])

    fields = {f.schema.name: f for f in ExtractedField.objects.filter(document=document).select_related("schema")}
    schema_names = set(FieldSchema.objects.filter(document_type__code="devis", is_active=True).values_list("name", flat=True))
    assert set(fields) == schema_names  # one row per schema field, found or not
    date = fields["date_devis"]
    assert date.value == "2024-03-15"
    assert date.page == 1 and date.method == "text_layer" and date.engine.startswith("pdfium")
    x0, y0, x1, y1 = date.bbox
    assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 0.3  # near the top of the page
    assert fields["siret_installateur"].value == "73282932000074"
    assert fields["montant_ttc"].value == "10550.00"

    runs = list(StageRun.objects.filter(document=document).order_by("started_at", "pk").values_list("stage", "outcome"))
    assert runs == [("text", "succeeded"), ("ocr", "skipped"), ("split", "skipped"),
                    ("classify", "succeeded"), ("extract", "succeeded")]
    assert all(run.duration_ms is not None for run in StageRun.objects.filter(document=document))


def test_reprocessing_replaces_the_outputs_and_keeps_reviewed_values(
    dossier, stored_files, validator, django_capture_on_commit_callbacks
):
    dossier.status = DossierStatus.SUBMITTED
    dossier.save()
    document = upload(dossier, [samples.FACTURE_LINES], "facture.pdf")
    processing.process_dossier(dossier)
    first_files = stored_files()
    numero = ExtractedField.objects.get(document=document, schema__name="numero_facture")
    numero.status, numero.corrected_value, numero.corrected_by = FieldStatus.CORRECTED, "F-2024-0107-B", validator
    numero.save()
    count = ExtractedField.objects.filter(document=document).count()

    with django_capture_on_commit_callbacks(execute=True):
        processing.reprocess_document(document, actor=validator)

    assert ExtractedField.objects.filter(document=document).count() == count
    assert Page.objects.filter(document=document).count() == 1
    kept = ExtractedField.objects.get(document=document, schema__name="numero_facture")
    assert kept.pk == numero.pk and kept.effective_value == "F-2024-0107-B"
    assert len(stored_files()) == len(first_files)  # the old page image was replaced, not kept


def test_a_configuration_edit_is_seen_by_the_next_run_even_without_save(dossier):
    first = upload(dossier, [samples.DEVIS_LINES], "devis.pdf")
    services.process_document(first)
    assert ExtractedField.objects.filter(document=first, schema__name="siret_installateur").exists()

    # a queryset update sends no signal and writes no history: the next run still sees it
    FieldSchema.objects.filter(document_type__code="devis", name="siret_installateur").update(is_active=False)
    EngineConfig.objects.update_or_create(task="classification", engine="keywords",
                                          defaults={"is_active": True, "priority": 0, "parameters": {"review_threshold": 1.0}})
    second = upload(dossier, [samples.DEVIS_LINES + ["Référence interne 2"]], "devis-2.pdf")
    services.process_document(second)
    second.refresh_from_db()

    assert not ExtractedField.objects.filter(document=second, schema__name="siret_installateur").exists()
    assert ExtractedField.objects.filter(document=second, schema__name="date_devis").exists()
    assert second.needs_review  # below the new threshold


def test_file_holding_devis_facture_and_attestation_is_split_into_three_documents(dossier):
    document = upload(dossier, [samples.DEVIS_LINES, samples.FACTURE_LINES, samples.ATTESTATION_LINES], "scan.pdf")
    finished = services.process_document(document)
    document.refresh_from_db()

    assert document.status == DocumentStatus.SPLIT
    parts = list(document.children.order_by("page_start"))
    assert [(p.document_type.code, p.page_start, p.page_end) for p in parts] == [
        ("devis", 1, 1), ("facture", 2, 2), ("attestation_honneur", 3, 3)]
    assert all(p.status == DocumentStatus.PROCESSED for p in parts)
    assert set(finished) == {document, *parts}
    assert not Page.objects.filter(document=document).exists()  # the pages moved to their parts
    assert [p.pages.get().number for p in parts] == [1, 2, 3]
    facture_date = ExtractedField.objects.get(document=parts[1], schema__name="date_facture")
    assert facture_date.value == "2024-05-12" and facture_date.page == 2


def test_reprocessing_a_split_file_replaces_its_parts(dossier):
    document = upload(dossier, [samples.DEVIS_LINES, samples.FACTURE_LINES], "scan.pdf")
    services.process_document(document)
    first_parts = set(document.children.values_list("pk", flat=True))

    processing.reprocess_document(document)

    parts = list(document.children.order_by("page_start"))
    assert [(p.document_type.code, p.page_start, p.page_end) for p in parts] == [("devis", 1, 1), ("facture", 2, 2)]
    assert len(first_parts) == 2 and not first_parts & {p.pk for p in parts}
    assert not Document.objects.filter(pk__in=first_parts).exists()
    assert [p.pages.get().number for p in parts] == [1, 2]
    assert not Page.objects.filter(document=document).exists()


def test_continued_pages_stay_in_one_document(dossier):
    pages = [samples.DEVIS_LINES + ["Page 1/2"], ["Conditions générales de vente du devis", "Page 2/2"]]
    document = upload(dossier, pages, "devis.pdf")
    services.process_document(document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.PROCESSED
    assert document.document_type.code == "devis" and document.children.count() == 0


def test_unclear_document_is_flagged_for_review(dossier):
    document = upload(dossier, [["Bonjour, voici le document demandé.", "Cordialement"]], "courrier.pdf")
    services.process_document(document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.PROCESSED
    assert document.document_type.code == "autre"
    assert document.needs_review
    assert any(flag["code"] == "unrecognised_type" for flag in document.flags)


def test_declared_type_contradicted_by_the_content_is_flagged(dossier):
    document = upload(dossier, [samples.FACTURE_LINES], "devis.pdf", declared_type_code="devis")
    services.process_document(document)
    document.refresh_from_db()
    assert document.document_type.code == "facture"
    assert document.needs_review
    assert any(flag["code"] == "declared_type_mismatch" for flag in document.flags)


def test_a_failing_stage_leaves_a_readable_error_and_no_document_in_processing(dossier, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("modèle de classification illisible")

    monkeypatch.setattr("extraction.classification.classify_text", broken)
    document = upload(dossier, [samples.DEVIS_LINES], "devis.pdf")
    services.process_document(document)
    document.refresh_from_db()

    assert document.status == DocumentStatus.FAILED
    assert document.error_code == "stage_failed"
    assert document.error_message.startswith("Classification : ")
    assert "modèle de classification illisible" in document.error_message
    failed = StageRun.objects.get(document=document, stage="classify")
    assert failed.outcome == "failed" and "ValueError" in failed.error
    assert not StageRun.objects.filter(document=document, stage="extract", outcome="succeeded").exists()
    assert Activity.objects.filter(dossier=dossier, verb="document_failed").exists()
    assert not Document.objects.filter(status=DocumentStatus.PROCESSING).exists()


def test_transient_errors_are_retried(dossier, monkeypatch):
    from extraction.pipeline import classify

    calls = []
    real = classify.ClassifyStage.run

    def flaky(self, ctx):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(self, ctx)

    monkeypatch.setattr(classify.ClassifyStage, "run", flaky)
    document = upload(dossier, [samples.DEVIS_LINES], "devis.pdf")
    services.process_document(document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.PROCESSED
    runs = list(StageRun.objects.filter(document=document, stage="classify").order_by("attempt")
                .values_list("attempt", "outcome"))
    assert runs == [(1, "retrying"), (2, "succeeded")]


def test_files_written_by_a_failed_stage_are_removed(dossier, monkeypatch, stored_files):
    from extraction.pipeline import text

    real = text.TextStage._pdf_pages

    def fail_after_rendering(self, ctx):
        real(self, ctx)
        raise StageError("panne simulée après le rendu des pages", code="simulated")

    monkeypatch.setattr(text.TextStage, "_pdf_pages", fail_after_rendering)
    document = upload(dossier, [samples.DEVIS_LINES], "devis.pdf")
    services.process_document(document)
    assert stored_files() == [document.file.name]  # the rendered page image went with the rollback
    assert not Page.objects.filter(document=document).exists()


def test_image_with_no_text_fails_with_a_clear_no_text_error(dossier):
    data = (samples.REAL / "badinput" / "no-text-alpha.png").read_bytes()
    document = ingest_file(dossier=dossier, fileobj_or_bytes=data, filename="dessin.png")
    services.process_document(document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.error_code == "no_text"
    assert "aucun texte lisible" in document.error_message.lower()
    assert not ExtractedField.objects.filter(document=document).exists()  # nothing invented


def test_worker_killed_mid_job_is_recovered(dossier, settings):
    settings.CEE_STUCK_AFTER_SECONDS = 600
    document = upload(dossier, [samples.DEVIS_LINES], "devis.pdf")
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.PROCESSING, processing_started_at=long_ago,
                                                   processing_attempts=1)
    recent = upload(dossier, [samples.FACTURE_LINES], "facture.pdf")
    Document.objects.filter(pk=recent.pk).update(status=DocumentStatus.PROCESSING, processing_started_at=timezone.now(),
                                                 processing_attempts=1)

    summary = processing.recover_stuck_documents(enqueue=False)

    assert summary["requeued"] == [document.pk] and summary["failed"] == []
    document.refresh_from_db()
    recent.refresh_from_db()
    assert document.status == DocumentStatus.PENDING
    assert recent.status == DocumentStatus.PROCESSING  # still within the task timeout
    services.process_document(document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.PROCESSED


def test_document_interrupted_too_often_fails_instead_of_looping(dossier, settings):
    settings.CEE_STUCK_AFTER_SECONDS = 600
    document = upload(dossier, [samples.DEVIS_LINES], "devis.pdf")
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.PROCESSING, processing_started_at=timezone.now() - dt.timedelta(hours=2),
        processing_attempts=settings.Q_CLUSTER["max_attempts"],
    )
    summary = processing.recover_stuck_documents(enqueue=False)
    document.refresh_from_db()
    assert summary["failed"] == [document.pk]
    assert document.status == DocumentStatus.FAILED and document.error_code == "interrupted"
    assert "interrompu" in document.error_message


def complete_dossier_files():
    return {
        "devis.pdf": [samples.DEVIS_LINES],
        "facture.pdf": [samples.FACTURE_LINES],
        "attestation.pdf": [samples.ATTESTATION_LINES],
        "cadre.pdf": [samples.CADRE_LINES],
        "rge.pdf": [samples.RGE_LINES],
    }


def test_incomplete_dossier_waits_for_documents_and_the_installer_is_emailed(
    installer_company, django_capture_on_commit_callbacks
):
    installer = UserFactory(installer=installer_company, email="pose@renov.example.fr")
    dossier = DossierFactory(installer=installer_company, status=DossierStatus.SUBMITTED)
    for name, pages in complete_dossier_files().items():
        upload(dossier, pages, name)

    with django_capture_on_commit_callbacks(execute=True):
        processing.process_dossier(dossier)
    dossier.refresh_from_db()

    [operation] = DossierOperation.objects.filter(dossier=dossier)
    assert operation.operation.code == "BAR-TH-171" and operation.status == DossierOperation.Status.DETECTED
    timeline = Timeline.objects.get(dossier=dossier)
    assert timeline.date_signature == dt.date(2024, 3, 20) and timeline.date_facture == dt.date(2024, 5, 12)
    assert dossier.status == DossierStatus.AWAITING_DOCUMENTS
    assert [m["document_type"] for m in dossier.missing_documents] == ["note_dimensionnement"]
    [message] = mail.outbox
    assert installer.email in message.to
    assert "Note de dimensionnement" in message.body
    assert f"/portail/dossiers/{dossier.pk}/" in message.body
    assert message.subject == f"Dossier {dossier.reference} : un document manque"

    # The missing note arrives: the dossier goes back to processing and on to review.
    with django_capture_on_commit_callbacks(execute=True):
        upload(dossier, [samples.NOTE_LINES], "note.pdf")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING
    processing.process_dossier(dossier)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.READY_FOR_REVIEW
    assert dossier.missing_documents == []
    assert StageRun.objects.filter(dossier=dossier, stage="complete", outcome="succeeded").count() == 2


def test_a_precarity_claim_asks_the_installer_for_the_tax_notice_that_approval_then_finds(
    installer_company, django_capture_on_commit_callbacks
):
    """One completeness rule (dossiers.completeness): what approval requires is what the
    installer is asked for. Before, the chain ignored precarity: the installer was never asked
    for the avis d'imposition, and approval was then blocked by its absence."""
    from dossiers.review.approval import approval_blockers

    installer = UserFactory(installer=installer_company, email="pose@renov.example.fr")
    dossier = DossierFactory(installer=installer_company, status=DossierStatus.SUBMITTED, precarity_status="modeste")
    for name, pages in {**complete_dossier_files(), "note.pdf": [samples.NOTE_LINES]}.items():
        upload(dossier, pages, name)

    with django_capture_on_commit_callbacks(execute=True):
        processing.process_dossier(dossier)
    dossier.refresh_from_db()

    assert dossier.status == DossierStatus.AWAITING_DOCUMENTS
    assert dossier.missing_documents == [
        {"document_type": "avis_imposition", "label": "Avis d'imposition", "operations": ["BAR-TH-171"]}
    ]
    [message] = mail.outbox
    assert installer.email in message.to and "Avis d'imposition" in message.body
    assert "Document obligatoire manquant : Avis d'imposition" in approval_blockers(dossier)

    with django_capture_on_commit_callbacks(execute=True):
        upload(dossier, [samples.AVIS_LINES], "avis.pdf")
    processing.process_dossier(dossier)
    dossier.refresh_from_db()

    assert Document.objects.get(dossier=dossier, original_filename="avis.pdf").document_type.code == "avis_imposition"
    assert dossier.status == DossierStatus.READY_FOR_REVIEW and dossier.missing_documents == []
    assert not [blocker for blocker in approval_blockers(dossier) if blocker.startswith("Document obligatoire manquant")]


def test_a_classic_dossier_is_not_asked_for_a_tax_notice(dossier):
    dossier.status = DossierStatus.SUBMITTED
    dossier.save()
    for name, pages in {**complete_dossier_files(), "note.pdf": [samples.NOTE_LINES]}.items():
        upload(dossier, pages, name)
    processing.process_dossier(dossier)
    dossier.refresh_from_db()
    assert dossier.precarity_status == "none"
    assert dossier.status == DossierStatus.READY_FOR_REVIEW and dossier.missing_documents == []


def test_unknown_and_abolished_codes_are_reported(dossier):
    dossier.status = DossierStatus.SUBMITTED
    dossier.save()
    lines = samples.ATTESTATION_LINES + ["Opérations : BAR-TH-104 et BAR-TH-999"]
    upload(dossier, [lines], "attestation.pdf")
    processing.process_dossier(dossier)

    details = StageRun.objects.get(dossier=dossier, stage="detect").details
    assert details["detected"] == ["BAR-TH-171"]
    assert details["unknown_codes"] == ["BAR-TH-999"]
    assert details["not_in_force"] == ["BAR-TH-104"]  # abolished 31/12/2023, engagement 20/03/2024
    report = Activity.objects.get(dossier=dossier, verb="operations_unmatched")
    assert "BAR-TH-999" in report.description and "BAR-TH-104" in report.description


def test_dossier_stage_failure_sends_the_dossier_to_review_with_the_error(dossier, monkeypatch):
    from dossiers.workflow import detect

    def broken(self, ctx):
        raise StageError("référentiel des fiches indisponible")

    monkeypatch.setattr(detect.DetectOperationsStage, "run", broken)
    dossier.status = DossierStatus.SUBMITTED
    dossier.save()
    upload(dossier, [samples.DEVIS_LINES], "devis.pdf")
    processing.process_dossier(dossier)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.READY_FOR_REVIEW
    failure = Activity.objects.get(dossier=dossier, verb="pipeline_failed")
    assert "référentiel des fiches indisponible" in failure.description


def test_stop_pipeline_keeps_the_stage_work(dossier):
    """A stage that ends the chain (StopPipeline) commits what it did (the split parts)."""
    assert issubclass(StopPipeline, Exception)
    document = upload(dossier, [samples.DEVIS_LINES, samples.FACTURE_LINES], "deux.pdf")
    services.process_document(document)
    assert Document.objects.filter(parent=document).count() == 2
    split = StageRun.objects.get(document=document, stage="split")
    assert split.outcome == "succeeded" and split.details["stopped"] == "2 documents"
