"""The lease of a document being processed: a heartbeat the worker keeps while it runs.

A thread beside the stages refreshes ``Document.processing_heartbeat_at`` every
``CEE_HEARTBEAT_SECONDS`` (10 s) for the document and its split parts still in processing,
on its own database connection, so an OCR stage that reads one page for minutes still shows
it is alive. A worker killed with the document in hand stops beating:
``recover_stuck_documents`` takes back a document whose heartbeat is older than
``CEE_HEARTBEAT_STALE_SECONDS`` (45 s), and never one that still beats, however long it runs.
On SQLite (one writer at a time) the lease is the claim's timestamp, kept for the task timeout.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Q
from django.utils import timezone

from documents.models import Document, DocumentStatus

logger = logging.getLogger(__name__)


def heartbeat_seconds() -> float:
    return float(getattr(settings, "CEE_HEARTBEAT_SECONDS", 10))


def stuck_after() -> dt.timedelta:
    """How long a document without a running heartbeat may stay in processing before it is
    considered abandoned: the task timeout and a minute (``CEE_STUCK_AFTER_SECONDS``)."""
    default = int(settings.Q_CLUSTER.get("timeout", 900)) + 60
    return dt.timedelta(seconds=int(getattr(settings, "CEE_STUCK_AFTER_SECONDS", default)))


def beats_while_running() -> bool:
    """SQLite lets one connection write at a time: a beat would wait for the stage's own
    transaction (an OCR stage writes its pages for minutes in one), so the lease would look
    dead while the job runs. There the claim's timestamp is the lease, kept for ``stuck_after``."""
    return connection.vendor != "sqlite"


def stale_after() -> dt.timedelta:
    """A heartbeat older than this was left by a dead worker (several beats missed)."""
    if not beats_while_running():
        return stuck_after()
    return dt.timedelta(seconds=float(getattr(settings, "CEE_HEARTBEAT_STALE_SECONDS", 45)))


def beat(document_id: int) -> int:
    """Refresh the heartbeat of the document and of its parts still in processing."""
    return Document.objects.filter(Q(pk=document_id) | Q(parent_id=document_id), status=DocumentStatus.PROCESSING).update(
        processing_heartbeat_at=timezone.now()
    )


def _beat_until(document_id: int, stop: threading.Event) -> None:
    try:
        while not stop.wait(heartbeat_seconds()):
            try:
                beat(document_id)
            except DatabaseError as error:  # the database busy or away: the next beat tries again
                logger.warning("Heartbeat of document %s not written: %s", document_id, error)
    finally:
        connection.close()  # this thread's own connection


@contextlib.contextmanager
def heartbeat(document: Document):
    """While the block runs, keep the document's lease alive from a background thread.

    In-process runs (``Q_CLUSTER["sync"]``, the ``ingest`` command, tests) beat too: the
    thread only writes a timestamp; a beat the database refuses is retried at the next one.
    On SQLite there is no thread (``beats_while_running``).
    """
    if not beats_while_running():
        yield
        return
    stop = threading.Event()
    thread = threading.Thread(target=_beat_until, args=(document.pk, stop), name=f"heartbeat-{document.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
