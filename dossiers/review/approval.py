"""What blocks the approval of a dossier: failed blocking rules and missing required documents.

The rule statuses the review screen groups its rules by are defined here, beside the one
status that blocks approval.
"""
from __future__ import annotations

from rules.models import Rule, RuleResult

from ..models import Dossier
from .completeness import missing_required_documents

# Rule statuses that mean "this check did not pass" (listed first on the screen). Only a
# failure of a blocking rule (severity error; the engine stores it as "failed") blocks
# approval until it is overridden; a rule that could not run (a field absent, an error in
# the rule) is shown as unverified — the validator decides, an administrator fixes the rule.
FAILING_RULE_STATUSES = ("failed", "error", "not_evaluable")
BLOCKING_RULE_STATUS = "failed"
UNVERIFIED_RULE_STATUSES = ("error", "not_evaluable")
OVERRIDABLE_STATUSES = ("failed", "warning")


def blocking_rule_results(dossier: Dossier):
    """Failed results of blocking rules (severity error), not overridden, of ``dossier``."""
    return list(
        RuleResult.objects.filter(
            dossier=dossier, status=BLOCKING_RULE_STATUS, overridden=False, rule__severity=Rule.Severity.ERROR
        ).select_related("rule")
    )


def approval_blockers(dossier: Dossier) -> list[str]:
    """Why ``dossier`` cannot be approved now, in French; empty when it can (three queries)."""
    blockers = [
        f"Règle bloquante « {result.rule.name} » : {result.message or result.get_status_display()}"
        for result in blocking_rule_results(dossier)
    ]
    blockers += [f"Document obligatoire manquant : {label}" for label in missing_required_documents(dossier)]
    return blockers
