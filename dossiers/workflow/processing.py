"""The dossier workflow's services: process and reprocess dossiers, recover abandoned work.

These run synchronously; ``dossiers.workflow.tasks`` wraps them for django-q2 and the
``ingest`` command calls them directly. Each document goes through extraction's per-document
services (``extraction.services``), which leave it in a final state (processed, split or
failed — never ``processing``); the dossier moves only through ``dossiers.status.transition``.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from accounts.activity import log_activity
from documents.models import Document, DocumentStatus
from extraction import services as documents_pipeline
from extraction.heartbeat import stuck_after
from extraction.pipeline.base import StageError
from extraction.pipeline.hints import configuration_read_once
from extraction.pipeline.runner import unflushed_commits

from ..models import CLOSED_STATUSES, Dossier, DossierStatus
from ..status import can_transition, transition
from .chain import run_dossier_stages

logger = logging.getLogger(__name__)

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
        # A step of the chain like a stage: the commits that end it (each document's final
        # status, the routing in finish_dossier) wait for the disk and flush this one with them.
        with unflushed_commits():
            _move(dossier, DossierStatus.PROCESSING)
    if dossier.status != DossierStatus.PROCESSING:
        logger.info("Dossier %s is %s: nothing to process", dossier.reference, dossier.status)
        return dossier
    with configuration_read_once():
        for document in Document.objects.filter(dossier=dossier, parent__isnull=True, status=DocumentStatus.PENDING).order_by("pk"):
            documents_pipeline.process_document(document)
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
    documents_pipeline.rerun_document(document)
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
        documents_pipeline.reset_document(document)
    if dossier.status == DossierStatus.DRAFT:
        for document in Document.objects.filter(dossier=dossier, parent__isnull=True, status=DocumentStatus.PENDING):
            documents_pipeline.process_document(document)
        return dossier
    return process_dossier(dossier)


def recover_stuck_documents(*, now: dt.datetime | None = None, enqueue: bool = True) -> dict:
    """Take back the documents a killed worker abandoned, and the dossiers left in processing.

    The documents: ``extraction.services.recover_stuck_documents`` (requeued, or failed
    after too many attempts). Dossiers left in processing with nothing in work are requeued
    too. With ``enqueue``, the affected dossiers are queued for processing after the commit.
    Returns a summary: ``{"requeued", "failed", "dossiers"}``.
    """
    now = now or timezone.now()
    with transaction.atomic():
        summary = documents_pipeline.recover_stuck_documents(now=now)
        dossiers = set(summary["dossiers"])
        idle = Dossier.objects.filter(status=DossierStatus.PROCESSING, updated_at__lt=now - stuck_after()).exclude(
            documents__status=DocumentStatus.PROCESSING
        ).values_list("pk", flat=True)
        dossiers.update(idle)
        if enqueue and dossiers:
            from .tasks import enqueue_dossier_processing  # tasks calls this module's services

            for dossier_id in sorted(dossiers):
                transaction.on_commit(lambda pk=dossier_id: enqueue_dossier_processing(pk))
    return {"requeued": summary["requeued"], "failed": summary["failed"], "dossiers": sorted(dossiers)}
