"""Pipeline services: process and reprocess documents and dossiers, recover abandoned work.

These run the stages synchronously; ``extraction.tasks`` wraps them for django-q2 and the
``ingest`` command calls them directly. Every function leaves documents in a final state
(processed, split or failed — never ``processing``) and moves the dossier only through
``dossiers.status.transition``.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.activity import log_activity
from documents.models import Document, DocumentStatus
from documents.storage import remove_unreferenced_page_images
from dossiers.models import Dossier, DossierStatus
from dossiers.status import can_transition, transition

from .heartbeat import heartbeat, stale_after, stuck_after
from .pipeline.base import StageError
from .pipeline.hints import configuration_read_once
from .pipeline.registry import stage_class
from .pipeline.runner import fail_document, run_document_stages, run_dossier_stages, unflushed_transaction

logger = logging.getLogger(__name__)

CLOSED_STATUSES = {DossierStatus.APPROVED, DossierStatus.REJECTED, DossierStatus.INVOICED, DossierStatus.PAID}
REPROCESSABLE_STATUSES = {
    DossierStatus.SUBMITTED, DossierStatus.PROCESSING, DossierStatus.AWAITING_DOCUMENTS,
    DossierStatus.READY_FOR_REVIEW, DossierStatus.IN_REVIEW,
}


class ReprocessNotAllowed(Exception):
    """The dossier is closed (approved, rejected, invoiced, paid) or still a draft."""


def _actor_for(dossier: Dossier, target: str, actor):
    """The user when the state machine lets them make the move, else the system (logged with them)."""
    return actor if actor is not None and can_transition(dossier, target, actor) else None


def _move(dossier: Dossier, target: str, *, actor=None, reason: str = "") -> None:
    transition(
        dossier, target, actor=_actor_for(dossier, target, actor), reason=reason,
        metadata={"requested_by": getattr(actor, "email", None)} if actor is not None else None,
    )


def claim_document(document: Document) -> bool:
    """Mark a pending document as being processed by this worker; False if someone else has it."""
    now = timezone.now()
    with unflushed_transaction():  # the chain's final status commit flushes it
        claimed = Document.objects.filter(pk=document.pk, status=DocumentStatus.PENDING).update(
            status=DocumentStatus.PROCESSING, processing_started_at=now, processing_heartbeat_at=now,
            processing_attempts=F("processing_attempts") + 1, error_code="", error_message="",
        )
        if claimed:
            document.refresh_from_db()
    return bool(claimed)


def process_document(document: Document) -> list[Document]:
    """Run the document stages on a pending, uploaded document.

    Returns the documents finished (the document, plus its parts when it was split), each
    processed, split or failed with a readable error. Returns [] when the document was not
    pending (another worker holds it, or it is done). Never raises for a stage failure.
    """
    if not claim_document(document):
        return []
    with configuration_read_once(), heartbeat(document):
        return run_document_stages(document)


def process_dossier(dossier: Dossier) -> Dossier:
    """Process a submitted dossier's pending documents, then its dossier stages.

    Takes a dossier submitted, in processing, or awaiting documents (moved to processing
    first). Processes each pending uploaded document, then — when no document is still in
    work elsewhere — detects operations, checks completeness (missing documents:
    ``awaiting_documents`` + e-mail) and runs the rules, and finally moves a complete
    dossier to ``ready_for_review``. Other statuses: nothing is done. Returns the dossier.
    """
    dossier.refresh_from_db()
    if dossier.status in (DossierStatus.SUBMITTED, DossierStatus.AWAITING_DOCUMENTS):
        _move(dossier, DossierStatus.PROCESSING)
    if dossier.status != DossierStatus.PROCESSING:
        logger.info("Dossier %s is %s: nothing to process", dossier.reference, dossier.status)
        return dossier
    with configuration_read_once():
        for document in Document.objects.filter(dossier=dossier, parent__isnull=True, status=DocumentStatus.PENDING).order_by("pk"):
            process_document(document)
        if Document.objects.filter(dossier=dossier, status__in=[DocumentStatus.PENDING, DocumentStatus.PROCESSING]).exists():
            return dossier  # a document uploaded meanwhile, or held by another worker, who will finish
        return finish_dossier(dossier)


def finish_dossier(dossier: Dossier) -> Dossier:
    """Run the dossier stages once every document is done, and route the dossier.

    Holds the dossier's row lock so two workers finishing together do not both route it.
    A failing dossier stage does not leave the dossier in processing: the error is logged
    on the dossier and it goes to review, where a validator sees it.
    """
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.status != DossierStatus.PROCESSING:
            dossier.refresh_from_db()
            return dossier
        try:
            run_dossier_stages(locked)
        except StageError as error:
            log_activity(
                "pipeline_failed", target=locked,
                description=f"Le traitement automatique du dossier a échoué : {error.message} "
                            "Le dossier est transmis en revue pour un contrôle manuel.",
                metadata={"code": error.code},
            )
        locked.refresh_from_db()
        if locked.status == DossierStatus.PROCESSING:
            transition(locked, DossierStatus.READY_FOR_REVIEW, reason="Traitement automatique terminé.")
    dossier.refresh_from_db()
    return dossier


def _reset_document(document: Document) -> None:
    """Back to pending; the text stage removes the previous pages and parts when it reruns."""
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.PENDING, error_code="", error_message="", processing_started_at=None,
        processing_heartbeat_at=None, processing_attempts=0,
    )
    document.refresh_from_db()


def _reopen_for_processing(dossier: Dossier, *, actor) -> None:
    if dossier.status in CLOSED_STATUSES:
        raise ReprocessNotAllowed(
            f"Le dossier {dossier.reference} est {DossierStatus(dossier.status).label.lower()} : il ne peut plus être retraité."
        )
    if dossier.status == DossierStatus.DRAFT:
        return  # documents of a draft are processed without moving the dossier
    if dossier.status != DossierStatus.PROCESSING and dossier.status != DossierStatus.SUBMITTED:
        _move(dossier, DossierStatus.PROCESSING, actor=actor, reason="Retraitement demandé.")


def reprocess_document(document: Document, *, actor=None) -> Document:
    """Process one document again from scratch (a split part: classification and extraction again).

    Reviewed field values are kept (see the extract stage). The dossier goes back to
    processing and through its dossier stages. Raises ReprocessNotAllowed for a closed
    dossier. Returns the document, refreshed.
    """
    dossier = document.dossier
    _reopen_for_processing(dossier, actor=actor)
    log_activity("document_reprocessed", actor=actor, target=document, dossier=dossier,
                 description=f"Retraitement de « {document.original_filename} ».")
    if document.parent_id:
        now = timezone.now()
        Document.objects.filter(pk=document.pk).update(
            status=DocumentStatus.PROCESSING, processing_started_at=now, processing_heartbeat_at=now,
        )
        document.refresh_from_db()
        with heartbeat(document):
            run_document_stages(document, stages=[stage_class("classify")(), stage_class("extract")()])
    else:
        _reset_document(document)
        process_document(document)
    dossier.refresh_from_db()
    if dossier.status == DossierStatus.PROCESSING:
        process_dossier(dossier)
    document.refresh_from_db()
    return document


def reprocess_dossier(dossier: Dossier, *, actor=None) -> Dossier:
    """Process every uploaded document of the dossier again, then the dossier stages.

    Raises ReprocessNotAllowed for a closed dossier. Returns the dossier, refreshed.
    """
    _reopen_for_processing(dossier, actor=actor)
    log_activity("dossier_reprocessed", actor=actor, target=dossier, description="Retraitement complet du dossier.")
    for document in Document.objects.filter(dossier=dossier, parent__isnull=True).order_by("pk"):
        _reset_document(document)
    if dossier.status == DossierStatus.DRAFT:
        for document in Document.objects.filter(dossier=dossier, parent__isnull=True, status=DocumentStatus.PENDING):
            process_document(document)
        return dossier
    return process_dossier(dossier)


def max_processing_attempts() -> int:
    return int(settings.Q_CLUSTER.get("max_attempts", 3) or 3)


def recover_stuck_documents(*, now: dt.datetime | None = None, enqueue: bool = True) -> dict:
    """Requeue or fail documents abandoned in ``processing`` (a worker killed mid-job).

    A document in processing whose worker stopped beating (heartbeat older than
    ``heartbeat.stale_after``: 45 s, the task timeout on SQLite; without a heartbeat: processing
    for longer than the task timeout) goes back to pending when it has attempts left, else fails with
    a readable error. A document whose heartbeat is fresh is left alone, however long it has
    run. The split parts of an interrupted file are dropped with it (the file is read again),
    and the page images its interrupted run stored without committing their rows are
    deleted. Dossiers left in processing with nothing in work are requeued too. With
    ``enqueue``, the affected dossiers are queued for processing after the commit. Returns a
    summary.
    """
    now = now or timezone.now()
    cutoff, silent_since = now - stuck_after(), now - stale_after()
    requeued, failed, dossiers = [], [], set()
    with transaction.atomic():
        stuck = Document.objects.select_for_update().filter(status=DocumentStatus.PROCESSING).filter(
            Q(processing_heartbeat_at__lt=silent_since)
            | Q(processing_heartbeat_at__isnull=True, processing_started_at__lt=cutoff)
            | Q(processing_heartbeat_at__isnull=True, processing_started_at__isnull=True, uploaded_at__lt=cutoff)
        )
        root_ids = {parent_id or pk for pk, parent_id in stuck.values_list("pk", "parent_id")}
        roots = {root.pk: root for root in Document.objects.select_for_update().filter(pk__in=root_ids)}
        for root in roots.values():
            dossiers.add(root.dossier_id)
            interrupted = [root.pk, *root.children.values_list("pk", flat=True)]
            if root.processing_attempts >= max_processing_attempts():
                root.children.filter(status=DocumentStatus.PROCESSING).update(status=DocumentStatus.FAILED)
                fail_document(root, code="interrupted", message=(
                    "Le traitement de ce fichier a été interrompu plusieurs fois (délai dépassé). "
                    "Vérifiez qu'il n'est pas endommagé ou exceptionnellement lourd, puis déposez-le à nouveau."
                ))
                failed.append(root.pk)
            else:
                root.children.all().delete()
                Document.objects.filter(pk=root.pk).update(
                    status=DocumentStatus.PENDING, processing_started_at=None, processing_heartbeat_at=None,
                )
                requeued.append(root.pk)
            transaction.on_commit(lambda root=root, ids=interrupted: remove_unreferenced_page_images(root.dossier_id, ids))
        idle = Dossier.objects.filter(status=DossierStatus.PROCESSING, updated_at__lt=cutoff).exclude(
            documents__status=DocumentStatus.PROCESSING
        ).values_list("pk", flat=True)
        dossiers.update(idle)
        if requeued or failed:
            logger.warning("Recovered stuck documents: requeued %s, failed %s", requeued, failed)
        if enqueue and dossiers:
            from .tasks import enqueue_dossier_processing

            for dossier_id in sorted(dossiers):
                transaction.on_commit(lambda pk=dossier_id: enqueue_dossier_processing(pk))
    return {"requeued": requeued, "failed": failed, "dossiers": sorted(dossiers)}
