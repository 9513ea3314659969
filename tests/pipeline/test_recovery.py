"""Recovery of documents abandoned by a dead worker: a heartbeat tells them from long jobs still
running; the page images of the interrupted run go; the schedules that drive it exist once.
(A real qcluster killed mid-job: test_worker_kill.py.)"""
from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from documents.models import Document, DocumentStatus, Page
from documents.storage import document_storage
from dossiers.workflow import processing
from dossiers.workflow.upload import ingest_file
from extraction import services
from extraction.heartbeat import beat, heartbeat, stale_after
from dossiers.routine.schedules import ensure_schedules as ensure_dossier_schedules
from extraction.schedules import ensure_schedules
from tests.factories import DossierFactory

from . import samples


def upload(dossier, name="devis.pdf", lines=samples.DEVIS_LINES):
    return ingest_file(dossier=dossier, fileobj_or_bytes=samples.text_pdf([lines]), filename=name,
                       schedule_processing=False)


def in_processing(document, *, started_ago: dt.timedelta, beat_ago: dt.timedelta | None):
    now = timezone.now()
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.PROCESSING, processing_started_at=now - started_ago, processing_attempts=1,
        processing_heartbeat_at=None if beat_ago is None else now - beat_ago,
    )


@pytest.mark.django_db
def test_a_long_job_whose_worker_still_beats_is_never_taken_back(dossier):
    long_ocr = upload(dossier)
    in_processing(long_ocr, started_ago=dt.timedelta(hours=3), beat_ago=dt.timedelta(seconds=5))

    summary = processing.recover_stuck_documents(enqueue=False)

    long_ocr.refresh_from_db()
    assert summary["requeued"] == [] and summary["failed"] == []
    assert long_ocr.status == DocumentStatus.PROCESSING


def test_the_lease_lasts_45_seconds_and_on_sqlite_the_task_timeout():
    # SQLite: one writer at a time, no heartbeat thread (extraction.heartbeat.beats_while_running).
    expected = 45 if connection.vendor != "sqlite" else 900 + 60
    assert stale_after() == dt.timedelta(seconds=expected)


@pytest.mark.django_db
def test_a_document_whose_heartbeat_stopped_is_requeued_at_the_next_recovery(dossier):
    abandoned = upload(dossier)
    silent = stale_after() + dt.timedelta(seconds=15)  # a minute on PostgreSQL
    in_processing(abandoned, started_ago=silent + dt.timedelta(seconds=10), beat_ago=silent)
    just_claimed = upload(dossier, "facture.pdf", samples.FACTURE_LINES)
    in_processing(just_claimed, started_ago=dt.timedelta(seconds=1), beat_ago=dt.timedelta(seconds=1))

    summary = processing.recover_stuck_documents(enqueue=False)

    assert summary["requeued"] == [abandoned.pk]
    abandoned.refresh_from_db()
    assert abandoned.status == DocumentStatus.PENDING and abandoned.processing_heartbeat_at is None
    services.process_document(abandoned)
    abandoned.refresh_from_db()
    assert abandoned.status == DocumentStatus.PROCESSED


@pytest.mark.django_db
def test_page_images_an_interrupted_run_stored_without_rows_are_removed_on_recovery(
    dossier, stored_files, django_capture_on_commit_callbacks,
):
    document = upload(dossier)
    services.process_document(document)
    kept = sorted(Page.objects.filter(document=document).values_list("image", flat=True))
    assert kept and all(kept)
    storage = document_storage()
    # What a worker killed in the middle of the OCR stage leaves: images saved, rows never committed.
    unsaved = [storage.save(f"pages/{dossier.pk}/{document.pk}/{n:04d}-dead.jpg", ContentFile(b"jpeg")) for n in (2, 3)]
    other_document = upload(dossier, "facture.pdf", samples.FACTURE_LINES)
    elsewhere = storage.save(f"pages/{dossier.pk}/{other_document.pk}/0001-live.jpg", ContentFile(b"jpeg"))
    in_processing(document, started_ago=stale_after() * 2, beat_ago=stale_after() + dt.timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True):  # removed once the recovery has committed
        processing.recover_stuck_documents(enqueue=False)

    names = stored_files()
    assert not set(unsaved) & set(names)
    assert set(kept) <= set(names)  # the committed pages stay until the rerun replaces them
    assert elsewhere in names  # another document's folder is not touched


@pytest.mark.django_db
def test_a_beat_refreshes_the_document_and_its_parts_still_in_processing(dossier):
    root = upload(dossier)
    in_processing(root, started_ago=dt.timedelta(minutes=1), beat_ago=dt.timedelta(minutes=1))
    part = Document.objects.create(dossier=dossier, parent=root, original_filename="p1", mime_type=root.mime_type,
                                   sha256=root.sha256, status=DocumentStatus.PROCESSING, page_start=1, page_end=1)
    done = Document.objects.create(dossier=dossier, parent=root, original_filename="p2", mime_type=root.mime_type,
                                   sha256=root.sha256, status=DocumentStatus.PROCESSED, page_start=2, page_end=2)
    before = timezone.now()

    assert beat(root.pk) == 2

    for document in (root, part, done):
        document.refresh_from_db()
    assert root.processing_heartbeat_at >= before and part.processing_heartbeat_at >= before
    assert done.processing_heartbeat_at is None


@pytest.mark.skipif(connection.vendor == "sqlite", reason="no heartbeat thread on SQLite (one writer at a time)")
@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_keeps_the_lease_while_the_work_runs(settings, committed_reference_data):
    settings.CEE_HEARTBEAT_SECONDS = 0.05
    dossier = DossierFactory()
    document = upload(dossier)
    in_processing(document, started_ago=dt.timedelta(hours=1), beat_ago=dt.timedelta(hours=1))
    stale = timezone.now() - dt.timedelta(minutes=59)

    with heartbeat(document):
        time.sleep(0.5)  # a stage reading a page
        document.refresh_from_db()
        assert document.processing_heartbeat_at > stale  # written by the thread, on its own connection
        assert processing.recover_stuck_documents(enqueue=False)["requeued"] == []


@pytest.mark.skipif(connection.vendor == "sqlite", reason="no heartbeat thread on SQLite (one writer at a time)")
@pytest.mark.django_db(transaction=True)
def test_one_heartbeat_thread_beats_one_document_after_another_and_stops_with_each(settings, committed_reference_data):
    settings.CEE_HEARTBEAT_SECONDS = 0.05
    dossier = DossierFactory()
    first, second = upload(dossier), upload(dossier, name="facture.pdf", lines=["FACTURE", "Total TTC : 1 000,00 €"])
    for document in (first, second):
        in_processing(document, started_ago=dt.timedelta(hours=1), beat_ago=dt.timedelta(hours=1))
    stale = timezone.now() - dt.timedelta(minutes=59)

    for document in (first, second):
        with heartbeat(document):
            time.sleep(0.3)
        document.refresh_from_db()
        assert document.processing_heartbeat_at > stale
    last_beats = [d.processing_heartbeat_at for d in (first, second)]
    time.sleep(0.3)  # no document in hand: nothing is beaten any more

    assert [Document.objects.get(pk=d.pk).processing_heartbeat_at for d in (first, second)] == last_beats
    assert [t.name for t in threading.enumerate()].count("heartbeat") == 1


@pytest.mark.django_db
def test_recovery_every_minute_and_orphan_purge_every_hour_are_scheduled_once():
    from django_q.models import Schedule

    ensure_schedules()  # as after every migrate: idempotent
    ensure_dossier_schedules()
    recovery = Schedule.objects.get(func="dossiers.workflow.tasks.recover_stuck_documents_task")
    purge = Schedule.objects.get(func="documents.tasks.purge_orphan_files_task")
    assert (recovery.schedule_type, recovery.minutes, recovery.repeats) == (Schedule.MINUTES, 1, -1)
    assert (purge.schedule_type, purge.minutes, purge.repeats) == (Schedule.MINUTES, 60, -1)


@pytest.mark.django_db
def test_a_recovery_schedule_made_before_the_workflow_moved_points_at_the_new_task_after_migrate():
    """A database scheduled by extraction/migrations/0002 (task ``extraction.tasks.…``, gone)
    has the same row, by name, pointed at the dossier workflow's task by the post_migrate sync."""
    from django.core.management import call_command
    from django_q.models import Schedule

    Schedule.objects.filter(name="Récupération des documents bloqués").update(
        func="extraction.tasks.recover_stuck_documents_task"
    )
    call_command("migrate", verbosity=0)

    [recovery] = Schedule.objects.filter(name="Récupération des documents bloqués")
    assert recovery.func == "dossiers.workflow.tasks.recover_stuck_documents_task"
    assert (recovery.schedule_type, recovery.minutes, recovery.repeats) == (Schedule.MINUTES, 1, -1)
    assert not Schedule.objects.filter(func__startswith="extraction.tasks.").exists()


@pytest.mark.django_db
def test_a_claim_leaves_the_document_as_the_database_holds_it_and_takes_a_pending_document_only(dossier):
    document = upload(dossier)
    assert Document._meta.get_field("dossier").is_cached(document)
    Document.objects.filter(pk=document.pk).update(processing_attempts=2, error_code="stale", error_message="old")
    started = timezone.now()

    assert services.claim_document(document)

    expected = Document.objects.get(pk=document.pk)
    for field in Document._meta.concrete_fields:
        assert getattr(document, field.attname) == getattr(expected, field.attname), field.name
    assert (document.status, document.processing_attempts, document.error_code) == (DocumentStatus.PROCESSING, 3, "")
    assert document.processing_started_at == document.processing_heartbeat_at >= started
    assert not Document._meta.get_field("dossier").is_cached(document)  # as refresh_from_db leaves it
    assert not services.claim_document(document)  # in processing: someone has it
    assert Document.objects.get(pk=document.pk).processing_attempts == 3
