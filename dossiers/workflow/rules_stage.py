"""Dossier stage ``rules``: the validation rules (the ``rules`` app) once the dossier is complete."""
from __future__ import annotations

from extraction.pipeline.base import DOSSIER, Stage

from ..models import DossierStatus
from .rules_run import run_rules_for_dossier


class RulesStage(Stage):
    """Runs every applicable rule on a complete dossier (results, cumac, confidence, priority).

    Takes a dossier still in processing after the completeness check. Delegates to
    ``rules_run.run_rules_for_dossier``, whose results replace the previous run's.
    """

    name = "rules"
    label = "contrôles réglementaires"
    scope = DOSSIER

    def able_to_run(self, ctx) -> bool:
        return ctx.dossier.status == DossierStatus.PROCESSING

    def run(self, ctx):
        results = run_rules_for_dossier(ctx.dossier)
        statuses: dict[str, int] = {}
        for result in results or []:
            status = getattr(result, "status", "unknown")
            statuses[status] = statuses.get(status, 0) + 1
        return {"results": statuses}
