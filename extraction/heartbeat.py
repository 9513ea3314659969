"""The lease of a document being processed: a heartbeat the worker keeps while it runs.

A thread beside the stages (one per process) refreshes ``Document.processing_heartbeat_at`` every
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
import os
import threading
import time

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


class _Beats:
    """The one heartbeat thread of a process and the documents it beats for.

    A thread started per document cost a start and a join for every document (a thread
    handed the CPU and back twice, a connection object made and closed): a tenth of a
    millisecond of CPU on a quiet machine, milliseconds of waiting on a busy one. This thread
    lives as long as the process and sleeps until the next beat due. Each document is beaten
    ``CEE_HEARTBEAT_SECONDS`` after it was taken, then at that interval, as before; its own
    connection is closed once no document is in hand."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.cond = threading.Condition()
        self.held: dict[int, int] = {}  # document id -> blocks holding it (a rerun inside a run)
        self.due: dict[int, float] = {}  # document id -> monotonic time of its next beat
        self.busy: set[int] = set()  # documents whose beat is being written
        self.connected = False  # the thread's connection may be open
        self.thread: threading.Thread | None = None

    def hold(self, document_id: int) -> None:
        with self.cond:
            self.held[document_id] = self.held.get(document_id, 0) + 1
            if self.held[document_id] == 1:
                self.due[document_id] = time.monotonic() + heartbeat_seconds()
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)
                self.thread.start()
            self.cond.notify_all()

    def release(self, document_id: int) -> None:
        """Stop beating for the document; return once no beat of it is being written and, when
        no document is left, the thread's connection is closed (as the join of its own thread did)."""
        with self.cond:
            self.held[document_id] -= 1
            if self.held[document_id]:
                return
            del self.held[document_id]
            self.due.pop(document_id, None)
            self.cond.notify_all()
            self.cond.wait_for(lambda: (document_id not in self.busy and (self.due or not self.connected))
                               or not self.thread.is_alive())

    def _next(self) -> tuple[list[int], bool]:
        """Under the lock: wait for the documents due (returned, marked busy) or for the
        connection to close (True)."""
        while True:
            if not self.due:
                if self.connected:
                    return [], True
                self.cond.wait()
                continue
            now = time.monotonic()
            ready = [pk for pk, at in self.due.items() if at <= now]
            if ready:
                interval = heartbeat_seconds()
                for pk in ready:
                    self.due[pk] = now + interval
                self.busy.update(ready)
                return ready, False
            self.cond.wait(min(self.due.values()) - now)

    def _run(self) -> None:
        while True:
            with self.cond:
                ready, close = self._next()
            if close:
                connection.close()  # this thread's own connection
                with self.cond:
                    self.connected = False
                    self.cond.notify_all()
                continue
            try:
                for document_id in ready:
                    with self.cond:
                        self.connected = True
                    try:
                        beat(document_id)
                    except DatabaseError as error:  # the database busy or away: the next beat tries again
                        logger.warning("Heartbeat of document %s not written: %s", document_id, error)
                        connection.close()  # a new one at the next beat, should this one be broken
            except Exception:  # never let the thread die: every document of the process depends on it
                logger.exception("Heartbeat failed")
            finally:
                with self.cond:
                    self.busy.difference_update(ready)
                    self.cond.notify_all()


_beats: _Beats | None = None
_beats_lock = threading.Lock()


def _process_beats() -> _Beats:
    """This process's heartbeat (a forked worker makes its own: the parent's thread is not in it)."""
    global _beats
    with _beats_lock:
        if _beats is None or _beats.pid != os.getpid():
            _beats = _Beats()
        return _beats


@contextlib.contextmanager
def heartbeat(document: Document):
    """While the block runs, keep the document's lease alive from the process's heartbeat thread.

    In-process runs (``Q_CLUSTER["sync"]``, the ``ingest`` command, tests) beat too: the
    thread only writes a timestamp; a beat the database refuses is retried at the next one.
    On SQLite there is no thread (``beats_while_running``).
    """
    if not beats_while_running():
        yield
        return
    beats = _process_beats()
    beats.hold(document.pk)
    try:
        yield
    finally:
        beats.release(document.pk)
