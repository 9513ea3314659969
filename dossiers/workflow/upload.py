"""The one upload service: every upload (portal, API, admin, bulk, mail, CLI) goes through
``ingest_file``.

The file side — what the bytes really are, the limits, storing the file with its ``Document``
row, both or neither — is documents' (``documents.ingest``); this module adds what an upload
does to its dossier, in the same transaction: a closed dossier takes no file, the same file in
another installer's dossier is a fraud signal on both, the upload is logged, and a dossier
already past the pipeline goes back to processing (the pipeline is enqueued once the
transaction commits).
"""
from __future__ import annotations

from typing import BinaryIO

from django.db import transaction
from django.utils import timezone

from accounts.activity import log_activity
from documents.ingest import SAME_FILE_LIMIT, IngestError, check_upload, store_upload
from documents.models import Document

from ..models import CLOSED_STATUSES, Dossier, DossierStatus
from ..status import can_transition, transition
from . import tasks as workflow_tasks

# Dossiers whose pipeline must pick up a new document.
RUNNING_STATUSES = {DossierStatus.SUBMITTED, DossierStatus.PROCESSING}
RESUMED_STATUSES = {DossierStatus.AWAITING_DOCUMENTS, DossierStatus.READY_FOR_REVIEW, DossierStatus.IN_REVIEW}

FRAUD_DUPLICATE_OTHER_INSTALLER = "duplicate_file_other_installer"
DUPLICATE_SAME_INSTALLER = "duplicate_file_same_installer"


def ingest_file(
    *,
    dossier: Dossier,
    fileobj_or_bytes: bytes | BinaryIO,
    filename: str,
    user=None,
    declared_type_code: str | None = None,
    schedule_processing: bool = True,
    request=None,
) -> Document:
    """Check, store and register one uploaded file in ``dossier``; return the new Document.

    Takes the file as bytes or a file object (an ``UploadedFile`` works), the name the
    user gave it (kept only for display, sanitised), the uploading user, and optionally
    the document type the user declared (a ``DocumentType.code``).

    Guarantees: the row and the stored file exist together or not at all; the same file
    (SHA-256) twice in a dossier is refused; the same file in another installer's dossier
    is accepted and flagged as a fraud signal on both dossiers and both documents. A
    dossier awaiting documents (or already reviewed) goes back to processing, and — with
    ``schedule_processing`` — the pipeline is enqueued once the transaction commits for
    dossiers already submitted. If the caller's own enclosing transaction rolls back after
    this returns, the stored file is left behind: ``purge_orphan_files`` removes those.

    Raises IngestError with code ``empty_file``, ``too_large``, ``unsupported_type``,
    ``encrypted_pdf``, ``corrupt_pdf``, ``pdf_page_too_small``, ``blank_pdf``, ``corrupt_image``,
    ``image_too_small``, ``image_too_large``, ``too_many_pages``, ``duplicate_in_dossier``,
    ``unknown_document_type`` or ``dossier_closed``.
    """
    upload = check_upload(fileobj_or_bytes, filename=filename, declared_type_code=declared_type_code)
    if dossier.status in CLOSED_STATUSES:
        raise IngestError(
            "dossier_closed",
            f"Le dossier {dossier.reference} est {DossierStatus(dossier.status).label.lower()} : "
            "il n'accepte plus de nouveaux documents.",
            filename=upload.display_name,
        )

    def record_upload(document: Document, same_file_elsewhere: list[Document]) -> None:
        locked = document.dossier
        _flag_same_file_elsewhere(document, locked, same_file_elsewhere)
        log_activity(
            "document_uploaded",
            actor=user,
            target=document,
            dossier=locked,
            description=f"Fichier « {upload.display_name} » déposé ({upload.inspected.page_count} page(s)).",
            metadata={"document_id": document.pk, "sha256": upload.sha256, "mime_type": upload.inspected.mime},
            request=request,
        )
        _resume_dossier(locked, user=user, schedule_processing=schedule_processing, request=request)

    document = store_upload(upload, dossier=dossier, user=user, on_stored=record_upload)
    dossier.status = document.dossier.status
    return document


def _flag_same_file_elsewhere(document: Document, dossier: Dossier, others: list[Document]) -> None:
    """Flag identical files already in other dossiers (``others``): a fraud signal across installers."""
    others = others[:SAME_FILE_LIMIT]
    if not others:
        return
    now = timezone.now().isoformat()
    other_installers = [d for d in others if d.dossier.installer_id != dossier.installer_id]
    same_installer = [d for d in others if d.dossier.installer_id == dossier.installer_id]
    if same_installer:
        document.flags.append(
            {
                "code": DUPLICATE_SAME_INSTALLER,
                "message": "Fichier identique déjà déposé dans un autre dossier du même installateur.",
                "other_documents": [d.pk for d in same_installer],
                "other_dossiers": sorted({d.dossier.reference for d in same_installer}),
            }
        )
    if other_installers:
        document.flags.append(
            {
                "code": FRAUD_DUPLICATE_OTHER_INSTALLER,
                "message": "Fichier identique déjà déposé par un autre installateur.",
                "other_documents": [d.pk for d in other_installers],
                "other_dossiers": sorted({d.dossier.reference for d in other_installers}),
            }
        )
        _add_fraud_signal(dossier, document, other_installers, now)
        for other_dossier_id in sorted({d.dossier_id for d in other_installers}):
            other_dossier = Dossier.objects.select_for_update().get(pk=other_dossier_id)
            mine = [d for d in other_installers if d.dossier_id == other_dossier_id]
            _add_fraud_signal(other_dossier, mine[0], [document], now)
            for other_document in mine:
                other_document.flags = [*other_document.flags, {
                    "code": FRAUD_DUPLICATE_OTHER_INSTALLER,
                    "message": "Fichier identique déposé ensuite par un autre installateur.",
                    "other_documents": [document.pk],
                    "other_dossiers": [dossier.reference],
                }]
                other_document.save(update_fields=["flags"])
    document.save(update_fields=["flags"])


def _add_fraud_signal(dossier: Dossier, document: Document, others: list[Document], detected_at: str) -> None:
    dossier.fraud_signals = [*dossier.fraud_signals, {
        "code": FRAUD_DUPLICATE_OTHER_INSTALLER,
        "message": f"Le fichier « {document.original_filename} » est identique à un fichier "
                   "déposé par un autre installateur.",
        "sha256": document.sha256,
        "document_id": document.pk,
        "other_document_ids": [o.pk for o in others],
        "other_dossiers": sorted({o.dossier.reference for o in others}),
        "detected_at": detected_at,
    }]
    dossier.has_fraud_signal = True
    dossier.save(update_fields=["fraud_signals", "has_fraud_signal", "updated_at"])
    log_activity(
        "fraud_signal",
        target=dossier,
        description="Signal de fraude : fichier identique déposé par un autre installateur.",
        metadata={"code": FRAUD_DUPLICATE_OTHER_INSTALLER, "sha256": document.sha256,
                  "other_dossiers": sorted({o.dossier.reference for o in others})},
    )


def _resume_dossier(dossier: Dossier, *, user, schedule_processing: bool, request) -> None:
    """A new document restarts the pipeline of a dossier that was already past it."""
    if dossier.status in RESUMED_STATUSES:
        actor = user if user is not None and can_transition(dossier, DossierStatus.PROCESSING, user) else None
        transition(
            dossier, DossierStatus.PROCESSING, actor=actor, request=request,
            reason="Nouveau document déposé.", metadata={"cause": "document_uploaded"},
        )
    if schedule_processing and dossier.status in RUNNING_STATUSES:
        dossier_id = dossier.pk
        transaction.on_commit(lambda: workflow_tasks.enqueue_dossier_processing(dossier_id))
