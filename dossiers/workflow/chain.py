"""The dossier chain: the stages a dossier goes through once its documents are read, in order.

    detect       the CEE operations and the timeline, from the extracted values
    beneficiary  a bulk upload's placeholder beneficiary, from the documents
    complete     the one completeness check (missing documents: the installer is asked, the chain stops)
    rules        the validation rules, kWh cumac, premium and priority (the ``rules`` app)

The stages follow extraction's stage contract (``extraction.pipeline.base.Stage``) and run
through its ``run_stage`` (one transaction and one StageRun per attempt, retries, readable
errors); the order is this list, nothing else.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from documents.models import Document
from extraction.pipeline.base import Stage, StopPipeline
from extraction.pipeline.runner import record_skipped, run_stage, write_runs

from ..models import Dossier
from .beneficiary import BulkBeneficiaryStage
from .completeness import CompletenessStage
from .detect import DetectOperationsStage
from .rules_stage import RulesStage

DOSSIER_CHAIN: tuple[type[Stage], ...] = (DetectOperationsStage, BulkBeneficiaryStage, CompletenessStage, RulesStage)


def dossier_stages() -> list[Stage]:
    """Fresh instances of the dossier stages, in chain order."""
    return [cls() for cls in DOSSIER_CHAIN]


@dataclass
class DossierContext:
    dossier: Dossier
    written_files: list[tuple[Any, str]] = field(default_factory=list)
    document: Document | None = None  # dossier stages record StageRuns without a document
    runs: list = field(default_factory=list)  # StageRuns not yet written (see runner.run_stage)

    @property
    def dossier_id(self) -> int:
        return self.dossier.pk

    def discard_written_files(self) -> None:
        self.written_files.clear()

    def close(self) -> None:
        pass


def run_dossier_stages(dossier, *, stages: list[Stage] | None = None) -> dict[str, dict]:
    """Run the dossier chain. Returns details per stage; raises StageError on a failure."""
    ctx = DossierContext(dossier)
    results: dict[str, dict] = {}
    try:
        for stage in stages if stages is not None else dossier_stages():
            if not stage.able_to_run(ctx):
                record_skipped(stage, ctx)
                continue
            try:
                results[stage.name] = run_stage(stage, ctx)
            except StopPipeline as stop:
                results[stage.name] = {"stopped": stop.reason}
                break
    finally:
        write_runs(ctx)
    return results
