"""Completeness of a dossier: the documents each claimed operation requires, present or missing.

The rule is ``dossiers.completeness`` (the one the chain applies and the installer is asked
by); these are its lines as the review screen shows them, and the approval's blockers.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..completeness import claims_precarity, counts_for_completeness, is_present, is_required, missing_documents
from ..models import Dossier, DossierOperation


@dataclass
class RequirementLine:
    document_type_id: int
    label: str
    required: bool
    note: str
    documents: list = field(default_factory=list)

    @property
    def present(self) -> bool:
        return any(is_present(document) for document in self.documents)

    @property
    def missing(self) -> bool:
        return self.required and not self.present


@dataclass
class OperationChecklist:
    dossier_operation: DossierOperation
    lines: list[RequirementLine]

    @property
    def missing(self) -> list[RequirementLine]:
        if not counts_for_completeness(self.dossier_operation):
            return []
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
    precarity = claims_precarity(dossier)
    checklists = []
    for item in dossier_operations:
        lines = []
        for requirement in sorted(
            per_operation.get(item.operation_id, []),
            key=lambda r: (not r.required, r.document_type.display_order, r.document_type.name),
        ):
            required = is_required(requirement.required, requirement.document_type.code, precarity=precarity)
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
    """Labels of the required document types absent from ``dossier`` (the one rule:
    ``dossiers.completeness.missing_documents``)."""
    missing, _ = missing_documents(dossier)
    return [entry["label"] for entry in missing]
