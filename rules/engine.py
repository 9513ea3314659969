"""Running rules on contexts, without writing anything: which rules apply to a dossier,
how one rule evaluates into a result status and message, and the cumac of each operation.
rules.services persists what this computes; the rule studio and the benchmark use it as is."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

from django.utils import timezone

from .context import DERIVED_FIELDS, OPERATIONS, SOURCES, for_operation
from .cumac import DEFAULT_SOURCES, CumacError, CumacResult, compute
from .dsl import CompiledExpression, RuleSyntaxError, compile_expression, evaluate
from .dsl.values import display, to_json
from .models import Rule, RuleResult

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+)\}")

# Inputs of the cumac calculator besides the fiche's sources.
CUMAC_DEPENDENCIES = frozenset(
    {"dossier.housing_type", "dossier.living_area_m2", "dossier.precarity_status", "dossier.works_postal_code",
     "dossier.date_engagement"}
    | {key for keys in DEFAULT_SOURCES.values() for key in keys}
)
CUMAC_OUTPUTS = frozenset({"operation.kwh_cumac", "operation.coefficient", "operation.premium_eur",
                           "operation.cumac_error"})


@dataclass(frozen=True)
class PlannedRule:
    rule: Rule
    compiled: CompiledExpression | None
    syntax_error: RuleSyntaxError | None
    per_operation: bool
    reads: frozenset[str]


def plan(rule: Rule, expression: str | None = None) -> PlannedRule:
    """How ``rule`` runs: compiled (cached per text), once per matching operation when it
    has operation filters or reads ``operation.*``, once per dossier otherwise."""
    text = rule.expression if expression is None else expression
    try:
        compiled = compile_expression(text)
    except RuleSyntaxError as exc:
        return PlannedRule(rule, None, exc, bool(rule.operation_codes), frozenset())
    per_operation = bool(rule.operation_codes) or any(name.startswith("operation.") for name in compiled.reads)
    return PlannedRule(rule, compiled, None, per_operation, compiled.reads)


def _touches(changed: set[str], names) -> bool:
    """Does ``changed`` name one of ``names`` (``facture.*`` names every facture field)?"""
    prefixes = tuple(name[:-1] for name in changed if name.endswith(".*"))
    return any(name in changed or (prefixes and name.startswith(prefixes)) for name in names)


def expand_changed_fields(changed: set[str]) -> set[str]:
    """``changed`` plus the context keys computed from them (dates, lookups, cumac)."""
    expanded = set(changed)
    for derived, sources in DERIVED_FIELDS.items():
        if _touches(expanded, sources):
            expanded.add(derived)
    if _touches(expanded, CUMAC_DEPENDENCIES) or any(name.startswith("operation.") for name in expanded):
        expanded |= CUMAC_OUTPUTS
    return expanded


def reads_any(planned: PlannedRule, changed: set[str]) -> bool:
    """Does the rule read one of ``changed``? ("facture.*" stands for any facture field.)"""
    if planned.compiled is None:
        return True
    return _touches(changed, planned.reads)


def runs_for(planned: PlannedRule, context: dict[str, Any]) -> list[dict[str, Any] | None]:
    """The operation entries (or ``[None]`` for a dossier-level run) ``planned`` runs on;
    ``[]`` when it does not apply to this dossier."""
    rule = planned.rule
    if rule.document_type_id is not None:
        present = context.get("dossier.document_types") or []
        if rule.document_type.code not in present:
            return []
    if not planned.per_operation:
        return [None]
    codes = set(rule.operation_codes or [])
    return [entry for entry in context.get(OPERATIONS, [])
            if not codes or entry["dossier_operation"].operation.code in codes]


def render_message(template: str, reads: dict[str, Any], values: dict[str, Any]) -> str:
    """``template`` with each ``{namespace.field}`` replaced by the value (as read by the
    rule, else from the context), formatted for a French reader; ``{{``/``}}`` are braces."""
    def replace(match: re.Match) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = match.group(1)
        value = reads.get(name, values.get(name))
        return display(value if not hasattr(value, "compute") else None)

    return _PLACEHOLDER.sub(replace, template or "")


@dataclass
class Evaluation:
    """One rule on one dossier (or one of its operations), ready to be stored."""

    rule: Rule
    dossier_operation: Any | None
    status: str
    message: str
    values: dict[str, Any] = field(default_factory=dict)
    fields: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[int, int | None]:
        return (self.rule.pk, getattr(self.dossier_operation, "pk", None))


# Plain strings (the values of RuleResult.Status): this is the hot path of every run.
PASSED, FAILED, WARNING, NOT_EVALUABLE, ERROR = "passed", "failed", "warning", "not_evaluable", "error"


def status_for(outcome_status: str, severity: str) -> str:
    if outcome_status == FAILED:
        return FAILED if severity == "error" else WARNING
    return outcome_status


def evaluate_planned(planned: PlannedRule, values: dict[str, Any], *, operation_entry=None, today=None) -> Evaluation:
    """Evaluate one planned rule on flat ``values`` (already merged with the operation)."""
    rule = planned.rule
    dossier_operation = operation_entry["dossier_operation"] if operation_entry else None
    if planned.compiled is None:
        return Evaluation(rule, dossier_operation, ERROR, f"Erreur de syntaxe dans la règle : {planned.syntax_error}")
    outcome = evaluate(planned.compiled, values, today=today)
    status = status_for(outcome.status, rule.severity)
    reads = outcome.reads
    if status == PASSED:
        message = ""
    elif status == FAILED or status == WARNING:
        message = render_message(rule.error_message, reads, values)
    elif status == NOT_EVALUABLE:
        message = outcome.error[:1].upper() + outcome.error[1:]
    else:
        message = f"Erreur à l'évaluation : {outcome.error}"
    stored = {name: to_json(value) for name, value in reads.items()}
    sources = values.get(SOURCES)
    if sources:
        notes = {code: sources[code]["note"] for code in {name.partition(".")[0] for name in reads}
                 if "note" in sources.get(code, ())}
        if notes:
            stored["_sources"] = notes
    return Evaluation(rule, dossier_operation, status, message, stored, sorted(reads))


def evaluate_rules(planned_rules: list[PlannedRule], context: dict[str, Any], *, today=None) -> list[Evaluation]:
    evaluations = []
    for planned in planned_rules:
        for entry in runs_for(planned, context):
            evaluations.append(evaluate_planned(planned, for_operation(context, entry), operation_entry=entry, today=today))
    return evaluations


# -- cumac per dossier operation ---------------------------------------------------------------

def engagement_date(context: dict[str, Any]) -> datetime.date:
    value = context.get("dossier.date_engagement")
    return value if isinstance(value, datetime.date) else timezone.localdate()


def cumac_for_operation(dossier, entry: dict[str, Any], context: dict[str, Any], *,
                        pricing: Callable[..., CumacResult] | None = None) -> CumacResult | CumacError:
    """Compute one dossier operation's cumac from the context (first source present per
    input, see cumac.DEFAULT_SOURCES and the fiche's ``sources``). Returns the error
    instead of raising, and writes the result into ``entry['values']`` (operation.*).

    ``pricing(result, installer=, day=, precarity=)`` adds the price and the premium (the
    dossier workflow passes billing.pricing.with_premium); without it the premium is 0."""
    dossier_operation = entry["dossier_operation"]
    operation = dossier_operation.operation
    params = operation.cumac_parameters or {}
    merged = for_operation(context, entry)

    def source(name: str):
        for key in (params.get("sources") or {}).get(name) or DEFAULT_SOURCES.get(name, []):
            value = merged.get(key)
            if value not in (None, "") and not hasattr(value, "compute"):
                return value
        return None

    conditions = {str(key): value for key, value in (dossier_operation.parameters or {}).items()}
    day = engagement_date(context)
    precarity = context.get("dossier.precarity_status") or "none"
    try:
        result = compute(
            operation, postal_code=context.get("dossier.works_postal_code") or "",
            housing_type=context.get("dossier.housing_type") or "", surface=source("surface_m2"), etas=source("etas"),
            resistance=source("resistance_thermique"), class_jumps=source("class_jumps"),
            precarity=precarity, date=day, conditions=conditions,
        )
        if pricing is not None:
            result = pricing(result, installer=dossier.installer_id, day=day, precarity=precarity)
    except CumacError as exc:
        entry["values"].update({"operation.kwh_cumac": Decimal("0"), "operation.premium_eur": Decimal("0"),
                                "operation.coefficient": Decimal("1"), "operation.cumac_error": str(exc)})
        return exc
    entry["values"].update({
        "operation.kwh_cumac": result.kwh_cumac, "operation.coefficient": result.coefficient,
        "operation.premium_eur": result.premium_eur if result.premium_eur is not None else Decimal("0"),
        "operation.zone": result.zone,
        "operation.cumac_error": None if result.eligible else "; ".join(result.details.get("reasons", [])),
    })
    if result.price_eur_per_mwh is not None:
        entry["values"]["operation.price_eur_per_mwh"] = result.price_eur_per_mwh
    return result
