"""Runs stages: one StageRun per stage and document, retries, failures turned into readable errors."""
from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from documents.models import Document, DocumentStatus
from dossiers.activity import log_activity
from extraction.models import StageRun

from .base import DocumentContext, DossierContext, Stage, StageError, StopPipeline, TransientStageError
from .registry import document_stages, dossier_stages

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


def _finish(run: StageRun, started: float, outcome: str, *, error: str = "", details: dict | None = None) -> None:
    run.outcome = outcome
    run.duration_ms = int((time.perf_counter() - started) * 1000)
    run.error = error[:4000]
    run.details = details or {}
    run.save(update_fields=["outcome", "duration_ms", "error", "details"])


def run_stage(stage: Stage, ctx: DocumentContext | DossierContext) -> dict[str, Any]:
    """Run one stage in its own transaction, recording a StageRun per attempt.

    Retries transient errors (``TRANSIENT_ERRORS``) up to ``CEE_STAGE_MAX_ATTEMPTS``.
    Returns the stage's details; re-raises StopPipeline; raises StageError (with a French
    message) for any permanent failure, including unexpected exceptions.
    """
    document = ctx.document
    attempts = max_attempts()
    for attempt in range(1, attempts + 1):
        started = time.perf_counter()
        run = StageRun.objects.create(
            document=document, dossier=ctx.dossier, stage=stage.name, attempt=attempt,
            started_at=timezone.now(), outcome=StageRun.Outcome.RUNNING,
        )
        stopped: StopPipeline | None = None
        try:
            with transaction.atomic():
                try:
                    details = stage.run(ctx) or {}
                except StopPipeline as stop:  # a normal end: the stage's work commits
                    stopped, details = stop, {**stop.details, "stopped": stop.reason}
        except StageError as error:
            ctx.discard_written_files()
            _finish(run, started, StageRun.Outcome.FAILED, error=error.message, details={**error.details, "code": error.code})
            raise
        except TRANSIENT_ERRORS as exc:
            ctx.discard_written_files()
            if attempt < attempts:
                _finish(run, started, StageRun.Outcome.RETRYING, error=f"{type(exc).__name__}: {exc}")
                time.sleep(retry_delay(attempt))
                continue
            _finish(run, started, StageRun.Outcome.FAILED, error=f"{type(exc).__name__}: {exc}")
            raise StageError(
                f"l'étape « {stage.label} » a échoué {attempts} fois de suite ({type(exc).__name__}). "
                "Relancez le traitement plus tard.",
                code="transient_failure",
            ) from exc
        except Exception as exc:
            ctx.discard_written_files()
            logger.exception("Stage %s failed on %s", stage.name, document or ctx.dossier)
            _finish(run, started, StageRun.Outcome.FAILED, error=f"{type(exc).__name__}: {exc}")
            raise StageError(
                f"erreur inattendue à l'étape « {stage.label} » ({type(exc).__name__} : {exc}).",
                code="stage_failed",
            ) from exc
        ctx.written_files.clear()
        _finish(run, started, StageRun.Outcome.SUCCEEDED, details=details)
        if stopped is not None:
            raise stopped
        return details
    raise AssertionError("unreachable")  # pragma: no cover


def _record_skipped(stage: Stage, ctx) -> None:
    StageRun.objects.create(
        document=ctx.document, dossier=ctx.dossier, stage=stage.name, started_at=timezone.now(),
        outcome=StageRun.Outcome.SKIPPED, duration_ms=0,
    )


def _set_status(document: Document, status: str, *, error_code: str = "", error_message: str = "") -> None:
    now = timezone.now()
    Document.objects.filter(pk=document.pk).update(
        status=status, error_code=error_code, error_message=error_message, processed_at=now,
    )
    document.status, document.error_code, document.error_message, document.processed_at = status, error_code, error_message, now


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def fail_document(document: Document, *, code: str, message: str) -> None:
    """Leave ``document`` failed with a readable error, and say so on its dossier's log."""
    _set_status(document, DocumentStatus.FAILED, error_code=code, error_message=message)
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
                _record_skipped(stage, ctx)
                continue
            try:
                run_stage(stage, ctx)
            except StopPipeline as stop:
                _set_status(document, stop.status or DocumentStatus.PROCESSED)
                rest = chain[index + 1:]
                ctx.close()
                for part in stop.continue_with:
                    finished += run_document_stages(part, stages=rest)
                return finished
            except StageError as error:
                fail_document(document, code=error.code, message=f"{_sentence(stage.label)} : {_sentence(error.message)}")
                return finished
        _set_status(document, DocumentStatus.PROCESSED)
        return finished
    finally:
        ctx.close()


def run_dossier_stages(dossier, *, stages: list[Stage] | None = None) -> dict[str, dict]:
    """Run the dossier chain. Returns details per stage; raises StageError on a failure."""
    ctx = DossierContext(dossier)
    results: dict[str, dict] = {}
    for stage in stages if stages is not None else dossier_stages():
        if not stage.able_to_run(ctx):
            _record_skipped(stage, ctx)
            continue
        try:
            results[stage.name] = run_stage(stage, ctx)
        except StopPipeline as stop:
            results[stage.name] = {"stopped": stop.reason}
            break
    return results
