"""The completeness rule of a dossier: the document types it must hold, and those missing.

One rule for the installer and the validator: the dossier chain's ``complete`` stage
(``dossiers.workflow.completeness``: ``Dossier.missing_documents``, which the installer sees
and is e-mailed) and the review (``dossiers.review``: the screen's checklists and what blocks
the approval) read it from here, so a document approval waits for is one the installer was
asked for.

Required: each document type the requirement table marks required for an operation of the
dossier (one a validator found non-compliant no longer counts), and the avis d'imposition as
soon as the dossier claims a precarity bonus; without any operation, ``DEFAULT_REQUIRED_TYPES``.
Present: a processed document of that type (a file still in work or unreadable is not).
"""
from __future__ import annotations

from django.conf import settings
from django.db.models import Q

from documents.models import Document, DocumentStatus
from extraction.pipeline.hints import document_type_names

from .models import DossierOperation, OperationDocumentRequirement, PrecarityStatus

# The avis d'imposition is optional in the requirement table but becomes required as soon as
# the dossier claims a precarity bonus (CEE-DOMAIN: "Avis d'imposition when a precarity bonus is claimed").
PRECARITY_DOCUMENT_TYPE = "avis_imposition"

# Without any operation (none declared, none detected) a CEE dossier still needs these.
DEFAULT_REQUIRED_TYPES = ("devis", "facture", "attestation_honneur")


def claims_precarity(dossier) -> bool:
    return dossier.precarity_status != PrecarityStatus.NONE


def is_required(required_in_table: bool, document_type_code: str, *, precarity: bool) -> bool:
    """Whether a requirement row's document type is required of a dossier (``precarity``:
    ``claims_precarity(dossier)``)."""
    return required_in_table or (precarity and document_type_code == PRECARITY_DOCUMENT_TYPE)


def counts_for_completeness(dossier_operation) -> bool:
    """An operation the validator found non-compliant requires nothing any more."""
    return dossier_operation.status != DossierOperation.Status.INVALID


def is_present(document) -> bool:
    """A document that fulfils its type's requirement: read, typed, not split into parts."""
    return document.status == DocumentStatus.PROCESSED and document.document_type_id is not None


def required_document_types(dossier) -> dict[str, list[str]]:
    """Required document type code → operation codes requiring it."""
    operations = list(
        DossierOperation.objects.filter(dossier=dossier).exclude(status=DossierOperation.Status.INVALID)
        .values_list("operation_id", "operation__code")
    )
    required: dict[str, list[str]] = {}
    if not operations:
        for code in getattr(settings, "CEE_DEFAULT_REQUIRED_DOCUMENT_TYPES", DEFAULT_REQUIRED_TYPES):
            required[code] = []
        return required
    precarity = claims_precarity(dossier)
    rows = Q(required=True) | Q(document_type__code=PRECARITY_DOCUMENT_TYPE) if precarity else Q(required=True)
    requirements = OperationDocumentRequirement.objects.filter(
        rows, operation_id__in=[op_id for op_id, _ in operations]
    ).values_list("required", "document_type__code", "operation__code")
    for required_in_table, type_code, operation_code in requirements:
        if not is_required(required_in_table, type_code, precarity=precarity):
            continue
        codes = required.setdefault(type_code, [])
        if operation_code not in codes:
            codes.append(operation_code)
    return required


def missing_documents(dossier) -> tuple[list[dict], list[dict]]:
    """(missing document types, unreadable files) of ``dossier``.

    A missing entry is ``{"document_type": code, "label": name, "operations": [codes]}``;
    an unreadable one ``{"document_id", "filename", "error"}``.
    """
    required = required_document_types(dossier)
    documents = list(
        Document.objects.filter(dossier=dossier, status__in=[DocumentStatus.PROCESSED, DocumentStatus.FAILED])
        .order_by("pk").values_list("pk", "status", "document_type__code", "original_filename", "error_message")
    )
    present = {code for _, status, code, _, _ in documents if status == DocumentStatus.PROCESSED and code is not None}
    names = document_type_names()
    missing = [
        {"document_type": code, "label": names.get(code, code), "operations": sorted(operations)}
        for code, operations in required.items()
        if code not in present
    ]
    failed = [
        {"document_id": pk, "filename": name, "error": error}
        for pk, status, _, name, error in documents if status == DocumentStatus.FAILED
    ]
    return missing, failed
