"""Adding uploaded files to a dossier, and the bulk upload: one job's files → a new dossier.

Both the portal and the API call these services; each file is ingested on its own
(``dossiers.workflow.upload.ingest_file``), so one refused file never costs the others, and the
result says per file whether it was accepted and, if not, why.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.activity import log_activity
from documents.ingest import IngestError

from .models import CLOSED_STATUSES, Dossier
from .selectors import can_view_dossier
from .services import create_dossier, submit_dossier
from .workflow.upload import ingest_file

# Shown until the pipeline has read the beneficiary from the documents.
PLACEHOLDER_BENEFICIARY = "À compléter (dépôt groupé)"


class UploadNotAllowed(Exception):
    """The dossier's status does not accept new files."""

    code = "dossier_closed"

    def __init__(self, dossier: Dossier):
        self.dossier = dossier
        super().__init__(
            f"Le dossier {dossier.reference} est « {dossier.get_status_display()} » : il n'accepte plus de "
            "nouveaux documents. Contactez votre validateur si un document doit être remplacé."
        )

    @property
    def message(self) -> str:
        return str(self)


@dataclass
class FileOutcome:
    """The result of one uploaded file: the document created, or why it was refused."""

    filename: str
    document: object | None = None
    code: str = ""
    message: str = ""

    @property
    def accepted(self) -> bool:
        return self.document is not None


@dataclass
class BulkUpload:
    dossier: Dossier | None
    outcomes: list[FileOutcome]

    @property
    def accepted(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.accepted]


def _ingest_each(dossier: Dossier, files: Iterable, *, user, declared_type_code: str | None, request=None) -> list[FileOutcome]:
    outcomes = []
    for upload in files:
        name = getattr(upload, "name", "") or "fichier"
        try:
            document = ingest_file(
                dossier=dossier, fileobj_or_bytes=upload, filename=name, user=user,
                declared_type_code=declared_type_code, request=request,
            )
        except IngestError as error:
            outcomes.append(FileOutcome(filename=name, code=error.code, message=error.message))
        else:
            outcomes.append(FileOutcome(filename=name, document=document))
    return outcomes


def add_files_to_dossier(
    dossier: Dossier,
    files: Iterable,
    *,
    user,
    declared_type_code: str | None = None,
    refused: Sequence[FileOutcome] = (),
    request=None,
) -> list[FileOutcome]:
    """Ingest ``files`` (uploaded file objects) into ``dossier``, each independently.

    ``refused`` are files already turned away on arrival (too large) to report with the
    others. Each accepted file is logged and resumes the pipeline as ``ingest_file``
    does: a dossier awaiting documents goes back to processing, a submitted or processing
    one reads the new file; a draft waits for its submission.
    Returns one FileOutcome per file, in order, refused ones last.
    Raises PermissionDenied when ``user`` may not see the dossier, UploadNotAllowed when
    the dossier is closed (decided, invoiced, paid).
    """
    if not can_view_dossier(user, dossier):
        raise PermissionDenied(f"Vous n'avez pas accès au dossier {dossier.reference}.")
    dossier.refresh_from_db(fields=["status"])
    if dossier.status in CLOSED_STATUSES:
        raise UploadNotAllowed(dossier)
    return _ingest_each(dossier, files, user=user, declared_type_code=declared_type_code, request=request) + list(refused)


def create_dossier_from_files(*, user, files: Sequence, refused: Sequence[FileOutcome] = (), request=None) -> BulkUpload:
    """The bulk upload: a new dossier from all the files of one job.

    Creates a draft dossier for ``user``'s company with a placeholder beneficiary
    (``PLACEHOLDER_BENEFICIARY``, replaced from the documents once they are read), ingests
    every file, submits the dossier and lets the pipeline split, classify, detect the
    operations and list what is missing, in the background. Returns at once.
    When no file is accepted the dossier is deleted again and ``BulkUpload.dossier`` is
    None: nothing is kept. Raises PermissionDenied for a user without a company and
    ValidationError when the company is inactive.
    """
    installer = getattr(user, "installer", None)
    if installer is None:
        raise PermissionDenied("Le dépôt groupé est réservé aux comptes installateurs.")
    # Short transactions on purpose: holding one across the ingest of many files would
    # block every other dossier creation on the reference sequence.
    dossier = create_dossier(installer=installer, created_by=user, beneficiary_name=PLACEHOLDER_BENEFICIARY, request=request)
    outcomes = _ingest_each(dossier, files, user=user, declared_type_code=None, request=request) + list(refused)
    accepted = [o for o in outcomes if o.accepted]
    if not accepted:
        dossier.delete()
        return BulkUpload(dossier=None, outcomes=outcomes)
    with transaction.atomic():
        log_activity(
            "bulk_upload", actor=user, target=dossier,
            description=f"Dépôt groupé : {len(accepted)} fichier(s) accepté(s), {len(outcomes) - len(accepted)} refusé(s)",
            metadata={
                "accepted": [o.document.pk for o in accepted],
                "refused": [{"filename": o.filename, "code": o.code} for o in outcomes if not o.accepted],
            },
            request=request,
        )
        submit_dossier(dossier, user=user, request=request)
    dossier.refresh_from_db()
    return BulkUpload(dossier=dossier, outcomes=outcomes)
