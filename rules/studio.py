"""The rule studio's dry runs: try an expression on one dossier or a pasted context, and
preview a rule's impact on recent dossiers. Reads only, writes nothing. The dossiers and their
contexts (with the cumac and the premium) come from the caller: the studio's admin pages in
dossiers.backoffice.rule_studio."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import engine
from .context import OPERATIONS, context_from_json, for_operation
from .dsl import RuleSyntaxError
from .dsl.values import display, to_value
from .models import Rule, RuleResult


@dataclass
class TrialRun:
    """One evaluation shown to the administrator."""

    label: str  # "Dossier" or "BAR-TH-171 (opération n° 12)"
    status: str
    status_label: str
    message: str
    values: list[tuple[str, str]]  # (name, value as displayed)


@dataclass
class Trial:
    syntax_error: RuleSyntaxError | None = None
    runs: list[TrialRun] = field(default_factory=list)
    note: str = ""


def _draft(rule: Rule, expression: str | None) -> engine.PlannedRule:
    return engine.plan(rule, expression if expression is not None else rule.expression)


def _trial_run(label: str, evaluation: engine.Evaluation) -> TrialRun:
    values = [(name, display(_from_json(value))) for name, value in evaluation.values.items() if not name.startswith("_")]
    return TrialRun(label, evaluation.status, RuleResult.Status(evaluation.status).label, evaluation.message, values)


def _from_json(value: Any) -> Any:
    return to_value(value, parse_strings=True)


def _reads_cumac(planned: engine.PlannedRule) -> bool:
    return bool(planned.reads & engine.CUMAC_OUTPUTS)


def try_on_dossier(rule: Rule, dossier, *, context_for: Callable[..., dict[str, Any]],
                   expression: str | None = None) -> Trial:
    """Evaluate ``rule`` (or a draft ``expression`` with its filters) on ``dossier``, whose
    context ``context_for(dossier)`` builds as the runner does (each operation's cumac computed)."""
    planned = _draft(rule, expression)
    if planned.syntax_error is not None:
        return Trial(syntax_error=planned.syntax_error)
    context = context_for(dossier)
    entries = engine.runs_for(planned, context)
    trial = Trial()
    if not entries:
        trial.note = ("La règle ne s'applique pas à ce dossier (filtre de fiche ou de type de document) : "
                      "résultat donné à titre indicatif.")
        entries = context[OPERATIONS][:1] if planned.per_operation and context[OPERATIONS] else [None]
    for entry in entries:
        evaluation = engine.evaluate_planned(planned, for_operation(context, entry), operation_entry=entry)
        label = "Dossier" if entry is None else f"{entry['dossier_operation'].operation.code}"
        trial.runs.append(_trial_run(label, evaluation))
    return trial


def try_on_json(rule: Rule, text: str, *, expression: str | None = None) -> Trial:
    """Evaluate ``rule`` on a pasted JSON context (see rules.context.context_from_json).
    Raises ``ValueError`` with a French message when the JSON is not a valid object."""
    planned = _draft(rule, expression)
    if planned.syntax_error is not None:
        return Trial(syntax_error=planned.syntax_error)
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ValueError(f"JSON invalide ligne {exc.lineno}, colonne {exc.colno} : {exc.msg}") from exc
    values = context_from_json(data)
    evaluation = engine.evaluate_planned(planned, values)
    return Trial(runs=[_trial_run("Contexte collé", evaluation)])


@dataclass
class Impact:
    syntax_error: RuleSyntaxError | None = None
    examined: int = 0
    not_applicable: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    dossiers: dict[str, list[tuple[Any, str]]] = field(default_factory=dict)  # status → [(dossier, message)]


def impact_preview(rule: Rule, dossiers: Iterable, *, context_for: Callable[..., dict[str, Any]],
                   expression: str | None = None) -> Impact:
    """Run ``rule`` (or a draft expression) on ``dossiers`` (the last processed ones) and count
    the outcomes; a dossier counts once per status it got (once per operation otherwise).
    ``context_for(dossier, with_cumac=)`` builds a dossier's context, with each operation's
    cumac computed only when the rule reads it (else the stored one)."""
    planned = _draft(rule, expression)
    if planned.syntax_error is not None:
        return Impact(syntax_error=planned.syntax_error)
    impact = Impact(counts={status: 0 for status in RuleResult.Status.values})
    impact.dossiers = {status: [] for status in RuleResult.Status.values}
    for dossier in dossiers:
        impact.examined += 1
        context = context_for(dossier, with_cumac=_reads_cumac(planned))
        entries = engine.runs_for(planned, context)
        if not entries:
            impact.not_applicable += 1
            continue
        for entry in entries:
            evaluation = engine.evaluate_planned(planned, for_operation(context, entry), operation_entry=entry)
            impact.counts[evaluation.status] += 1
            impact.dossiers[evaluation.status].append((dossier, evaluation.message))
    return impact

