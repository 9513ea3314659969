"""Completeness of a dossier: the documents each claimed operation requires, present or missing.

Moved as is from the review selectors; the pipeline's own completeness stage is to be
unified with it (one rule, with the precarity requirement).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..completeness import PRECARITY_DOCUMENT_TYPE
from ..models import Dossier, DossierOperation, OperationDocumentRequirement, PrecarityStatus


@dataclass
class RequirementLine:
    document_type_id: int
    label: str
    required: bool
    note: str
    documents: list = field(default_factory=list)

    @property
    def present(self) -> bool:
        return bool(self.documents)

    @property
    def missing(self) -> bool:
        return self.required and not self.documents


@dataclass
class OperationChecklist:
    dossier_operation: DossierOperation
    lines: list[RequirementLine]

    @property
    def missing(self) -> list[RequirementLine]:
        return [line for line in self.lines if line.missing]


def build_checklists(dossier: Dossier, dossier_operations, requirements, documents) -> list[OperationChecklist]:
    """The completeness checklist of each operation, from rows already loaded (no query).

    ``requirements`` are OperationDocumentRequirement rows with ``document_type`` loaded;
    ``documents`` the dossier's reviewable documents (a split parent is not one).
    """
    by_type: dict[int, list] = defaultdict(list)
    for document in documents:
        if document.document_type_id:
            by_type[document.document_type_id].append(document)
    per_operation: dict[int, list] = defaultdict(list)
    for requirement in requirements:
        per_operation[requirement.operation_id].append(requirement)
    claims_precarity = dossier.precarity_status != PrecarityStatus.NONE
    checklists = []
    for item in dossier_operations:
        lines = []
        for requirement in sorted(
            per_operation.get(item.operation_id, []),
            key=lambda r: (not r.required, r.document_type.display_order, r.document_type.name),
        ):
            required = requirement.required or (
                claims_precarity and requirement.document_type.code == PRECARITY_DOCUMENT_TYPE
            )
            lines.append(
                RequirementLine(
                    document_type_id=requirement.document_type_id,
                    label=requirement.document_type.name,
                    required=required,
                    note=requirement.note,
                    documents=by_type.get(requirement.document_type_id, []),
                )
            )
        checklists.append(OperationChecklist(item, lines))
    return checklists


def missing_required_documents(dossier: Dossier) -> list[str]:
    """Labels of the required document types absent from ``dossier`` (two queries)."""
    from documents.models import Document, DocumentStatus

    operations = list(dossier.operations.all())
    requirements = OperationDocumentRequirement.objects.filter(
        operation_id__in=[item.operation_id for item in operations]
    ).select_related("document_type")
    documents = Document.objects.filter(dossier=dossier).exclude(status=DocumentStatus.SPLIT).only(
        "id", "document_type_id"
    )
    missing: list[str] = []
    for checklist in build_checklists(dossier, operations, requirements, documents):
        for line in checklist.missing:
            if line.label not in missing:
                missing.append(line.label)
    return missing
