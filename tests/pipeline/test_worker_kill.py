"""A real worker killed in the middle of a job: ``manage.py qcluster`` runs on the test database
(django-q2's ORM broker), reads a scanned file with Tesseract, and is killed with SIGKILL while
its OCR stage has stored page images whose rows are not committed. A new worker is started:
the document must come back (heartbeat gone stale, recovery every minute) and end processed,
with no file left that no row refers to."""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from PIL import Image

from documents.models import Document, DocumentStatus, Page
from documents.storage import stored_file_names
from dossiers.models import Dossier, DossierStatus
from dossiers.routine.schedules import ensure_schedules
from dossiers.workflow.tasks import enqueue_dossier_processing
from dossiers.workflow.upload import ingest_file
from tests.factories import DossierFactory

from . import samples

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a second process (the worker) shares the test database only on a server database",
    ),
]

PAGES = 5
# How long each wait may last before the test gives up (a deadline, not a measure).
MID_JOB_DEADLINE = 240
RECOVERY_DEADLINE = 300


def scanned_pdf(pages: int) -> bytes:
    """A PDF of page images only (no text layer): each page goes through the OCR stage."""
    images = [
        Image.open(io.BytesIO(samples.text_image([f"Page {n} / {pages}", *samples.DEVIS_LINES]))).convert("RGB")
        for n in range(1, pages + 1)
    ]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=150)
    return buffer.getvalue()


def database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Cluster:
    """``manage.py qcluster`` in its own process group, on the test database and media folder."""

    def __init__(self, tmp_path: Path, media: Path, name: str):
        env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "CACHE_REDIS_URL")}
        env.update(
            DATABASE_URL=database_url(), MEDIA_ROOT=str(media), CEE_VAR_DIR=str(tmp_path / "var"), Q_WORKERS="1",
            Q_SYNC="false", CEE_OCR_ENGINE="tesseract", PYTHONUNBUFFERED="1",
            DJANGO_SECRET_KEY=django_settings.SECRET_KEY,  # tasks are signed with it
        )
        self.log = tmp_path / f"{name}.log"
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"], cwd=django_settings.BASE_DIR, env=env,
            stdout=self.log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL to every process of the cluster (sentinel, pusher, monitor, worker, tesseract)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def page_images_without_rows(document: Document) -> list[str]:
    referenced = set(Page.objects.filter(document=document).exclude(image="").values_list("image", flat=True))
    prefix = f"pages/{document.dossier_id}/{document.pk}/"
    return [name for name in stored_file_names() if name.startswith(prefix) and name not in referenced]


def orphans() -> list[str]:
    referenced = set(Document.objects.exclude(file="").values_list("file", flat=True))
    referenced |= set(Page.objects.exclude(image="").values_list("image", flat=True))
    return [name for name in stored_file_names() if name not in referenced]


def wait_for(condition, deadline: float, cluster: Cluster, what: str):
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        result = condition()
        if result:
            return result
        if cluster.process.poll() is not None:
            pytest.fail(f"the worker exited while waiting for {what}:\n{cluster.output()}")
        time.sleep(0.2)
    pytest.fail(f"no {what} after {deadline} s:\n{cluster.output()}")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_ocr_leaves_nothing_stuck_or_orphaned(tmp_path, settings, media_storage,
                                                                  committed_reference_data):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": False}  # queued on the ORM broker, for the worker
    ensure_schedules()
    dossier = DossierFactory(status=DossierStatus.SUBMITTED)
    document = ingest_file(dossier=dossier, fileobj_or_bytes=scanned_pdf(PAGES), filename="devis-scanne.pdf",
                           schedule_processing=False)
    enqueue_dossier_processing(dossier.pk)

    first = Cluster(tmp_path, media_storage, "first")
    try:
        # The OCR stage has stored images of pages it read; their rows are not committed yet.
        wait_for(lambda: page_images_without_rows(document), MID_JOB_DEADLINE, first, "page read by the OCR stage")
    finally:
        first.kill()
    killed_at = time.monotonic()
    document.refresh_from_db()
    assert document.status == DocumentStatus.PROCESSING  # the kill hit the job, not after it
    assert page_images_without_rows(document)  # what the dead run left behind

    second = Cluster(tmp_path, media_storage, "second")
    try:
        def finished():
            document.refresh_from_db()
            dossier.refresh_from_db()
            return document.status != DocumentStatus.PROCESSING and dossier.status != DossierStatus.PROCESSING

        wait_for(finished, RECOVERY_DEADLINE, second, "end of the interrupted document's processing")
        print(f"document back and finished {time.monotonic() - killed_at:.0f} s after the kill")
    finally:
        second.kill()

    document.refresh_from_db()
    assert document.status == DocumentStatus.PROCESSED, (document.error_code, document.error_message)
    assert document.processing_attempts == 2  # taken back once, by the recovery
    pages = Page.objects.filter(document=document)
    assert pages.count() == PAGES == document.page_count
    assert all(pages.values_list("image", flat=True)) and all(page.text for page in pages)
    assert orphans() == []
    assert Dossier.objects.get(pk=dossier.pk).status in (DossierStatus.READY_FOR_REVIEW, DossierStatus.AWAITING_DOCUMENTS)
