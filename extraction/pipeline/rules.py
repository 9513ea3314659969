"""Stage ``rules``: the validation rules (the ``rules`` app) once the dossier is complete."""
from __future__ import annotations

from dossiers.models import DossierStatus

from .base import DOSSIER, Stage
from .registry import register


def rules_runner():
    """``dossiers.workflow.rules_run.run_rules_for_dossier`` when the dossier app provides it."""
    try:
        from dossiers.workflow.rules_run import run_rules_for_dossier
    except ImportError:
        return None
    return run_rules_for_dossier


@register
class RulesStage(Stage):
    """Runs every applicable rule on a complete dossier (results, cumac, confidence, priority).

    Takes a dossier still in processing after the completeness check. Delegates to the
    rules app, whose results replace the previous run's.
    """

    name = "rules"
    label = "contrôles réglementaires"
    scope = DOSSIER
    order = 130

    def able_to_run(self, ctx) -> bool:
        return ctx.dossier.status == DossierStatus.PROCESSING and rules_runner() is not None

    def run(self, ctx):
        results = rules_runner()(ctx.dossier)
        statuses: dict[str, int] = {}
        for result in results or []:
            status = getattr(result, "status", "unknown")
            statuses[status] = statuses.get(status, 0) + 1
        return {"results": statuses}
