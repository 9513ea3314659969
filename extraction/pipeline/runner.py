"""Runs stages: one StageRun per stage and document, retries, failures turned into readable errors."""
from __future__ import annotations

import contextlib
import logging
import time
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from accounts.activity import log_activity
from documents.models import Document, DocumentStatus
from extraction.models import StageRun

from .base import DocumentContext, Stage, StageError, StopPipeline, TransientStageError
from .registry import document_stages

logger = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_RETRY_DELAY_SECONDS = 0.5


def _transient_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [TransientStageError, OperationalError, InterfaceError, ConnectionError, TimeoutError]
    try:
        from botocore.exceptions import ConnectionClosedError, EndpointConnectionError, ReadTimeoutError

        errors += [ConnectionClosedError, EndpointConnectionError, ReadTimeoutError]
    except ImportError:  # pragma: no cover - boto3 is a declared dependency
        pass
    return tuple(errors)


TRANSIENT_ERRORS = _transient_errors()


def max_attempts() -> int:
    return int(getattr(settings, "CEE_STAGE_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def retry_delay(attempt: int) -> float:
    return float(getattr(settings, "CEE_STAGE_RETRY_DELAY_SECONDS", DEFAULT_RETRY_DELAY_SECONDS)) * attempt


@contextlib.contextmanager
def unflushed_commits():
    """Inside the block, each transaction this connection begins commits without waiting for
    the disk (PostgreSQL's ``synchronous_commit`` off, for that transaction only).

    The setting goes out with the transaction's first statement (``SET LOCAL`` just before
    it), so the block adds no savepoint and no round trip of its own: an ``atomic()`` inside
    it that is the outermost one stays a plain transaction (an upload's, a transition's), and
    a transaction without a statement sends nothing. Statements run outside any ``atomic()``
    (autocommit) and transactions already begun are left as they are. Elsewhere than on
    PostgreSQL, nothing changes; inside a transaction already open, neither.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block or getattr(connection, "_cee_unflushed_commits", False):
        yield
        return
    from psycopg.pq import TransactionStatus

    def set_local_first(execute, sql, params, many, context):
        # IDLE inside an atomic block: this statement begins the transaction (psycopg sends BEGIN).
        if connection.in_atomic_block and connection.connection.info.transaction_status == TransactionStatus.IDLE:
            context["cursor"].cursor.execute("SET LOCAL synchronous_commit TO OFF")
        return execute(sql, params, many, context)

    connection._cee_unflushed_commits = True
    try:
        with connection.execute_wrapper(set_local_first):
            yield
    finally:
        connection._cee_unflushed_commits = False


@contextlib.contextmanager
def unflushed_transaction():
    """``transaction.atomic()`` whose commit does not wait for the disk, when it is the
    outermost block (see ``unflushed_commits``).

    For the intermediate writes of a document's chain (its claim, each stage). The chain's
    last write, the document's final status (``_set_status``), commits normally, and the
    write-ahead log is flushed in order: once a document is processed, split or failed,
    everything its stages wrote is on disk too. A database crash before that loses at most
    work of a document still in ``processing``, which ``recover_stuck_documents`` requeues.
    Other sessions see the commit at once, as always. Saves a disk flush (a few ms) per stage.
    """
    with unflushed_commits(), transaction.atomic():
        yield


def _record(ctx, stage: Stage, *, attempt: int, started_at, started: float, outcome: str,
            error: str = "", details: dict | None = None) -> StageRun:
    """A StageRun for this attempt, kept on the context until the chain writes them all."""
    run = StageRun(
        document=ctx.document, dossier_id=ctx.dossier_id, stage=stage.name, attempt=attempt, started_at=started_at,
        outcome=outcome, duration_ms=int((time.perf_counter() - started) * 1000), error=error[:4000],
        details=details or {},
    )
    ctx.runs.append(run)
    return run


def write_runs(ctx) -> None:
    if ctx.runs:
        StageRun.objects.bulk_create(ctx.runs)
        ctx.runs.clear()


def run_stage(stage: Stage, ctx) -> dict[str, Any]:
    """Run one stage in its own transaction, recording a StageRun per attempt.

    ``ctx`` is a DocumentContext, or the dossier chain's context (``dossiers.workflow.chain``):
    anything with ``document``, ``dossier_id``, ``runs``, ``written_files`` and
    ``discard_written_files()``.

    The stage's work commits with its transaction (not waited for on disk: see
    ``unflushed_transaction``). Each attempt's StageRun (succeeded, retrying, failed) is
    kept on the context and written with the rest of the chain's: by the document's final
    status (``_set_status``) or at the end of the dossier chain, one INSERT for them all.
    Retries transient errors (``TRANSIENT_ERRORS``) up to ``CEE_STAGE_MAX_ATTEMPTS``.
    Returns the stage's details; re-raises StopPipeline; raises StageError (with a French
    message) for any permanent failure, including unexpected exceptions.
    """
    attempts = max_attempts()
    for attempt in range(1, attempts + 1):
        started, started_at = time.perf_counter(), timezone.now()
        stopped: StopPipeline | None = None
        try:
            with unflushed_transaction():
                try:
                    details = stage.run(ctx) or {}
                except StopPipeline as stop:  # a normal end: the stage's work commits
                    stopped, details = stop, {**stop.details, "stopped": stop.reason}
        except StageError as error:
            ctx.discard_written_files()
            _record(ctx, stage, attempt=attempt, started_at=started_at, started=started, outcome=StageRun.Outcome.FAILED,
                    error=error.message, details={**error.details, "code": error.code})
            raise
        except TRANSIENT_ERRORS as exc:
            ctx.discard_written_files()
            if attempt < attempts:
                _record(ctx, stage, attempt=attempt, started_at=started_at, started=started,
                        outcome=StageRun.Outcome.RETRYING, error=f"{type(exc).__name__}: {exc}")
                time.sleep(retry_delay(attempt))
                continue
            _record(ctx, stage, attempt=attempt, started_at=started_at, started=started,
                    outcome=StageRun.Outcome.FAILED, error=f"{type(exc).__name__}: {exc}")
            raise StageError(
                f"l'étape « {stage.label} » a échoué {attempts} fois de suite ({type(exc).__name__}). "
                "Relancez le traitement plus tard.",
                code="transient_failure",
            ) from exc
        except Exception as exc:
            ctx.discard_written_files()
            logger.exception("Stage %s failed on %s", stage.name, ctx.document or ctx.dossier)
            _record(ctx, stage, attempt=attempt, started_at=started_at, started=started,
                    outcome=StageRun.Outcome.FAILED, error=f"{type(exc).__name__}: {exc}")
            raise StageError(
                f"erreur inattendue à l'étape « {stage.label} » ({type(exc).__name__} : {exc}).",
                code="stage_failed",
            ) from exc
        _record(ctx, stage, attempt=attempt, started_at=started_at, started=started,
                outcome=StageRun.Outcome.SUCCEEDED, details=details)
        ctx.written_files.clear()
        if stopped is not None:
            raise stopped
        return details
    raise AssertionError("unreachable")  # pragma: no cover


def record_skipped(stage: Stage, ctx) -> None:
    """A skipped stage's row, written later with the chain's other StageRuns."""
    ctx.runs.append(StageRun(
        document=ctx.document, dossier_id=ctx.dossier_id, stage=stage.name, started_at=timezone.now(),
        outcome=StageRun.Outcome.SKIPPED, duration_ms=0,
    ))


def _set_status(document: Document, status: str, *, error_code: str = "", error_message: str = "",
                ctx: DocumentContext | None = None) -> None:
    """The document's final status, with the StageRuns of its chain (``ctx``), in one
    transaction whose commit is waited for on disk."""
    now = timezone.now()
    with transaction.atomic():
        Document.objects.filter(pk=document.pk).update(
            status=status, error_code=error_code, error_message=error_message, processed_at=now,
        )
        if ctx is not None:
            write_runs(ctx)
    document.status, document.error_code, document.error_message, document.processed_at = status, error_code, error_message, now


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def fail_document(document: Document, *, code: str, message: str, ctx: DocumentContext | None = None) -> None:
    """Leave ``document`` failed with a readable error, and say so on its dossier's log."""
    _set_status(document, DocumentStatus.FAILED, error_code=code, error_message=message, ctx=ctx)
    log_activity(
        "document_failed",
        target=document,
        dossier=document.dossier,
        description=f"Échec du traitement de « {document.original_filename} » : {message}",
        metadata={"document_id": document.pk, "code": code},
    )


def run_document_stages(document: Document, *, stages: list[Stage] | None = None) -> list[Document]:
    """Run the document chain on ``document``; return every document it finished (split parts too).

    Never raises for a stage failure: the document ends ``processed``, ``split`` or
    ``failed`` (with ``error_code`` and a French ``error_message``).
    """
    chain = stages if stages is not None else document_stages()
    ctx = DocumentContext(document)
    finished = [document]
    try:
        for index, stage in enumerate(chain):
            if not stage.able_to_run(ctx):
                record_skipped(stage, ctx)
                continue
            try:
                run_stage(stage, ctx)
            except StopPipeline as stop:
                _set_status(document, stop.status or DocumentStatus.PROCESSED, ctx=ctx)
                rest = chain[index + 1:]
                ctx.close()
                for part in stop.continue_with:
                    finished += run_document_stages(part, stages=rest)
                return finished
            except StageError as error:
                fail_document(document, code=error.code, message=f"{_sentence(stage.label)} : {_sentence(error.message)}",
                              ctx=ctx)
                return finished
        _set_status(document, DocumentStatus.PROCESSED, ctx=ctx)
        return finished
    finally:
        ctx.close()

