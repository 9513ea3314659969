"""Per-document pipeline services: process and reprocess a document, recover abandoned ones.

These run the document stages synchronously, on the document they are given; the dossier's
workflow (``dossiers.workflow.processing``) calls them and moves the dossier. Every function
leaves documents in a final state (processed, split or failed — never ``processing``).
"""
from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from documents.models import Document, DocumentStatus, DocumentType
from documents.storage import remove_unreferenced_page_images

from .heartbeat import heartbeat, stale_after, stuck_after
from .learning.services import learn_type
from .models import ExtractedField
from .pipeline.classify import OWN_FLAGS, TYPE_SET_FLAG
from .pipeline.hints import configuration_read_once
from .pipeline.registry import stage_class
from .pipeline.runner import fail_document, run_document_stages, unflushed_transaction

logger = logging.getLogger(__name__)


def claim_document(document: Document) -> bool:
    """Mark a pending document as being processed by this worker; False if someone else has it.

    ``document`` then holds the row as the claim left it (as ``refresh_from_db`` gives it)."""
    now = timezone.now()
    with unflushed_transaction():  # the chain's final status commit flushes it
        if connection.features.can_return_columns_from_insert:
            return _claim_returning_row(document, now)
        claimed = Document.objects.filter(pk=document.pk, status=DocumentStatus.PENDING).update(
            status=DocumentStatus.PROCESSING, processing_started_at=now, processing_heartbeat_at=now,
            processing_attempts=F("processing_attempts") + 1, error_code="", error_message="",
        )
        if claimed:
            document.refresh_from_db()
    return bool(claimed)


def _claim_returning_row(document: Document, now) -> bool:
    """The claim's UPDATE returning the row (PostgreSQL; SQLite since 3.35, which returns rows
    from an INSERT too): one statement where the update and ``refresh_from_db`` were two."""
    meta, quote = Document._meta, connection.ops.quote_name
    column = {field.attname: quote(field.column) for field in meta.concrete_fields}
    loaded = [field for field in meta.concrete_fields if field.attname not in document.get_deferred_fields()]
    at = meta.get_field("processing_started_at").get_db_prep_value(now, connection)
    rows = list(Document.objects.raw(
        f"UPDATE {quote(meta.db_table)} SET {column['status']} = %s, {column['processing_started_at']} = %s, "
        f"{column['processing_heartbeat_at']} = %s, {column['processing_attempts']} = {column['processing_attempts']} + 1, "
        f"{column['error_code']} = %s, {column['error_message']} = %s "
        f"WHERE {column[meta.pk.attname]} = %s AND {column['status']} = %s "
        f"RETURNING {', '.join(column[field.attname] for field in loaded)}",
        [DocumentStatus.PROCESSING, at, at, "", "", document.pk, DocumentStatus.PENDING],
    ))
    if not rows:
        return False
    # What refresh_from_db does with the row it reads: the values, cached relations dropped.
    document._prefetched_objects_cache = {}
    for field in loaded:
        setattr(document, field.attname, getattr(rows[0], field.attname))
        if field.is_relation and field.is_cached(document):
            field.delete_cached_value(document)
    for relation in [*meta.related_objects, *(field for field in meta.private_fields if field.is_relation)]:
        if relation.is_cached(document):
            relation.delete_cached_value(document)
    document._state.db = rows[0]._state.db
    return True


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


def reset_document(document: Document) -> None:
    """Back to pending; the text stage removes the previous pages and parts when it reruns."""
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.PENDING, error_code="", error_message="", processing_started_at=None,
        processing_heartbeat_at=None, processing_attempts=0,
    )
    document.refresh_from_db()


def rerun_document(document: Document) -> None:
    """Process one document again from scratch (a split part: classification and extraction again).

    Reviewed field values are kept (see the extract stage). The document ends processed,
    split or failed; its dossier is not touched (``dossiers.workflow.processing`` does that).
    """
    if document.parent_id:
        now = timezone.now()
        Document.objects.filter(pk=document.pk).update(
            status=DocumentStatus.PROCESSING, processing_started_at=now, processing_heartbeat_at=now,
        )
        document.refresh_from_db()
        with heartbeat(document):
            run_document_stages(document, stages=[stage_class("classify")(), stage_class("extract")()])
    else:
        reset_document(document)
        process_document(document)


def set_document_type(document: Document, document_type: DocumentType, user, *, note: str = "") -> None:
    """A validator's correction of the document's type. The values read for the other type go
    (their verdicts stay in the feedback history, detached); the fields of the new type are
    created by the verdicts that follow. The type is kept when the document is processed again
    (``pipeline.classify.TYPE_SET_FLAG``)."""
    before = document.document_type.name if document.document_type_id else "non classé"
    misread_as = document.document_type.code if document.document_type_id else ""
    with transaction.atomic():
        ExtractedField.objects.filter(document=document).exclude(schema__document_type=document_type).delete()
        document.flags = [f for f in document.flags if f.get("code") not in (*OWN_FLAGS, TYPE_SET_FLAG)] + [{
            "code": TYPE_SET_FLAG, "type": document_type.code,
            "message": f"Type corrigé par {user} : « {before} » → « {document_type.name} »" + (f" ({note})." if note else "."),
        }]
        document.document_type = document_type
        document.classification_confidence = 1
        document.save(update_fields=["document_type", "classification_confidence", "flags"])
        learn_type(document, misread_as)


def max_processing_attempts() -> int:
    return int(settings.Q_CLUSTER.get("max_attempts", 3) or 3)


def recover_stuck_documents(*, now: dt.datetime | None = None) -> dict:
    """Requeue or fail documents abandoned in ``processing`` (a worker killed mid-job).

    A document in processing whose worker stopped beating (heartbeat older than
    ``heartbeat.stale_after``: 45 s, the task timeout on SQLite; without a heartbeat: processing
    for longer than the task timeout) goes back to pending when it has attempts left, else fails with
    a readable error. A document whose heartbeat is fresh is left alone, however long it has
    run. The split parts of an interrupted file are dropped with it (the file is read again),
    and the page images its interrupted run stored without committing their rows are
    deleted. Returns ``{"requeued": [document ids], "failed": [document ids], "dossiers": {their
    dossier ids}}``; processing those dossiers again is the caller's (``dossiers.workflow``).
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
        if requeued or failed:
            logger.warning("Recovered stuck documents: requeued %s, failed %s", requeued, failed)
    return {"requeued": requeued, "failed": failed, "dossiers": dossiers}
