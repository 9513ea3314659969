"""django-q2 entry points of the dossier workflow: load ids, call the services, nothing else.

``enqueue_*`` put a task on the queue (or run it at once when ``Q_CLUSTER["sync"]`` is
true, as in tests and single-process set-ups). A worker killed mid-task is covered by
``recover_stuck_documents_task``, scheduled every minute (``dossiers.workflow.schedules``): it
requeues the documents whose heartbeat stopped (``extraction.heartbeat``). django-q2 would
redeliver the task only after ``retry`` seconds (20 minutes).
"""
from __future__ import annotations

from django.conf import settings

from documents.models import Document

from ..models import Dossier
from . import processing


def _enqueue(function: str, *args, group: str | None = None):
    from django_q.tasks import async_task

    return async_task(function, *args, group=group, sync=bool(settings.Q_CLUSTER.get("sync", False)))


def enqueue_dossier_processing(dossier_id: int):
    """Queue the processing of a submitted dossier (its pending documents, then the dossier stages)."""
    return _enqueue("dossiers.workflow.tasks.process_dossier_task", dossier_id, group=f"dossier-{dossier_id}")


def enqueue_document_reprocessing(document_id: int, actor_id: int | None = None):
    return _enqueue("dossiers.workflow.tasks.reprocess_document_task", document_id, actor_id)


def enqueue_dossier_reprocessing(dossier_id: int, actor_id: int | None = None):
    return _enqueue("dossiers.workflow.tasks.reprocess_dossier_task", dossier_id, actor_id, group=f"dossier-{dossier_id}")


def _user(actor_id):
    if actor_id is None:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=actor_id).first()


def process_dossier_task(dossier_id: int) -> str:
    dossier = Dossier.objects.filter(pk=dossier_id).first()
    if dossier is None:
        return "deleted"
    return processing.process_dossier(dossier).status


def reprocess_document_task(document_id: int, actor_id: int | None = None) -> str:
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return "deleted"
    return processing.reprocess_document(document, actor=_user(actor_id)).status


def reprocess_dossier_task(dossier_id: int, actor_id: int | None = None) -> str:
    dossier = Dossier.objects.filter(pk=dossier_id).first()
    if dossier is None:
        return "deleted"
    return processing.reprocess_dossier(dossier, actor=_user(actor_id)).status


def recover_stuck_documents_task() -> dict:
    return processing.recover_stuck_documents()
