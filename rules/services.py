"""Writes of the rules app: storing the results of a run, overriding a result, saving a rule
as a new version. Each function is one transaction (store_results runs inside the caller's).
The run itself (context, cumac priced by billing, the dossier's totals) is the dossier
workflow's: dossiers.workflow.rules_run.run_rules_for_dossier."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.activity import log_activity

from . import selectors
from .dsl import check_syntax
from .models import Rule, RuleResult
from .signals import override_changed

OVERRIDABLE_STATUSES = (RuleResult.Status.FAILED, RuleResult.Status.WARNING)
_RESULT_FIELDS = [
    "rule_version", "status", "message", "fields_involved", "values", "evaluated_at", "overridden", "override_by",
    "override_at", "override_reason", "override_values",
]
_ROW_FIELDS = ["id", "rule_version", "status", "message", "fields_involved", "values", "evaluated_at", "overridden",
               "override_by_id", "override_at", "override_reason", "override_values"]
# Changing one of these makes a new version of a rule.
VERSIONED_FIELDS = ("expression", "scope", "operation_codes", "document_type_id", "severity", "error_message",
                    "overridable")


def _comparable(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in (values or {}).items() if not key.startswith("_")}


def _clear_override(result: RuleResult) -> None:
    result.overridden = False
    result.override_by = None
    result.override_at = None
    result.override_reason = ""
    result.override_values = {}


def store_results(dossier, planned, evaluations, *, full_run: bool, actor):
    """Upsert the results of a run on ``dossier`` (locked by the caller, in its transaction):
    ``planned`` the rules that ran, ``evaluations`` their outcomes (rules.engine), ``full_run``
    whether every applicable rule ran (then results of rules that no longer apply are deleted),
    ``actor`` who triggered the run (None: the pipeline).

    An override survives while the rule still fails and reads exactly the values it was given
    on; otherwise it is dropped and the drop is logged. Returns the results that ran and
    ``(status, overridden)`` of every result the dossier has after the run.

    The previous results are read as plain rows (cheaper than model instances) and most of a
    re-run is identical: one UPDATE stamps the unchanged rows, only the others are rewritten.
    """
    rule_ids = {item.rule.pk for item in planned}
    previous: dict[tuple[int, int | None], dict] = {}
    untouched: list[tuple[str, bool]] = []  # results of rules that did not run (partial run)
    stale: list[int] = []
    for row in selectors.result_rows(dossier):
        key = (row["rule_id"], row["dossier_operation_id"])
        if not full_run and row["rule_id"] not in rule_ids:
            untouched.append((row["status"], row["overridden"]))
        elif key in previous:
            stale.append(row["id"])  # a duplicate left by an interrupted run
        else:
            previous[key] = row
    now = timezone.now()
    to_create, changed, unchanged, dropped = [], [], [], []
    for evaluation in evaluations:
        row = previous.pop(evaluation.key, None)
        stored = {name: row[name] for name in _ROW_FIELDS} if row else {}
        result = RuleResult(dossier=dossier, rule=evaluation.rule, dossier_operation=evaluation.dossier_operation, **stored)
        if row is None:
            to_create.append(result)
        keep = (
            result.overridden and evaluation.status in OVERRIDABLE_STATUSES
            and _comparable(evaluation.values) == _comparable(result.override_values)
        )
        if result.overridden and not keep:
            dropped.append((result, dict(result.override_values), result.override_reason))
            _clear_override(result)
        elif row is not None and (
            result.rule_version, result.status, result.message, result.fields_involved, result.values
        ) == (evaluation.rule.version, evaluation.status, evaluation.message, evaluation.fields, evaluation.values):
            result.evaluated_at = now
            unchanged.append(result)
            continue
        result.rule_version = evaluation.rule.version
        result.status = evaluation.status
        result.message = evaluation.message
        result.fields_involved = evaluation.fields
        result.values = evaluation.values
        result.evaluated_at = now
        if row is not None:
            changed.append(result)
    # What is left in ``previous`` did not run: on a full run the rule no longer applies;
    # on a partial run, the rule ran but no longer matches that operation.
    stale.extend(row["id"] for row in previous.values())
    if stale:
        RuleResult.objects.filter(pk__in=stale).delete()
    if unchanged:
        RuleResult.objects.filter(pk__in=[result.pk for result in unchanged]).update(evaluated_at=now)
    if len(changed) > 5:
        RuleResult.objects.bulk_update(changed, _RESULT_FIELDS)
    else:  # a few rows: plain UPDATEs are much cheaper than bulk_update's CASE expressions
        for result in changed:
            RuleResult.objects.filter(pk=result.pk).update(
                **{name: getattr(result, name) for name in _RESULT_FIELDS if name != "override_by"},
                override_by_id=result.override_by_id,
            )
    if to_create:
        RuleResult.objects.bulk_create(to_create)
    for result, values, reason in dropped:
        log_activity(
            "rule.override_dropped", actor=actor, target=result, dossier=dossier,
            description=f"Dérogation levée sur {result.rule.code} : les valeurs lues ont changé.",
            metadata={"rule": result.rule.code, "previous_values": values, "values": result.values,
                      "reason": reason, "status": result.status},
        )
    ran = unchanged + changed + to_create
    return ran, untouched + [(result.status, result.overridden) for result in ran]


def override_rule_result(result: RuleResult, *, user, reason: str, request=None) -> RuleResult:
    """Mark a failed or warning result as overridden by ``user`` for ``reason``.

    Guarantees the override records who, when, why and the values the rule read (it
    survives re-runs while those values stay the same), sends ``override_changed`` (the
    dossier app recounts the dossier's ``failed_rule_count``) and logs ``rule.overridden``
    in the activity log.
    Raises ``ValidationError`` when the reason is blank, the rule is not overridable or the
    result is neither failed nor a warning; ``PermissionDenied`` when ``user`` may not
    change rule results.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Le motif de la dérogation est obligatoire."})
    if not getattr(user, "is_authenticated", False) or not user.has_perm("rules.change_ruleresult"):
        raise PermissionDenied("Vous n'avez pas le droit de déroger à une règle.")
    with transaction.atomic():
        result = RuleResult.objects.select_for_update().select_related("rule", "dossier").get(pk=result.pk)
        if not result.rule.overridable:
            raise ValidationError(f"La règle {result.rule.code} n'admet pas de dérogation.")
        if result.status not in OVERRIDABLE_STATUSES:
            raise ValidationError(
                f"Seul un résultat non conforme ou en avertissement peut faire l'objet d'une dérogation "
                f"(résultat : {result.get_status_display()})."
            )
        result.overridden = True
        result.override_by = user
        result.override_at = timezone.now()
        result.override_reason = reason
        result.override_values = dict(result.values)
        result.full_clean(exclude=["dossier", "rule", "dossier_operation", "override_by"])
        result.save(update_fields=["overridden", "override_by", "override_at", "override_reason", "override_values"])
        override_changed.send(sender=RuleResult, result=result, dossier=result.dossier)
        log_activity(
            "rule.overridden", actor=user, target=result, dossier=result.dossier, request=request,
            description=f"Dérogation sur {result.rule.code} : {reason}",
            metadata={"rule": result.rule.code, "rule_version": result.rule_version, "status": result.status,
                      "reason": reason, "values": result.values, "message": result.message},
        )
    return result


def cancel_override(result: RuleResult, *, user, request=None) -> RuleResult:
    """Withdraw an override. Logs ``rule.override_cancelled``; raises ``ValidationError``
    when the result is not overridden, ``PermissionDenied`` as ``override_rule_result``."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm("rules.change_ruleresult"):
        raise PermissionDenied("Vous n'avez pas le droit de modifier une dérogation.")
    with transaction.atomic():
        result = RuleResult.objects.select_for_update().select_related("rule", "dossier").get(pk=result.pk)
        if not result.overridden:
            raise ValidationError("Ce résultat ne fait l'objet d'aucune dérogation.")
        previous = {"reason": result.override_reason, "by": result.override_by_id,
                    "at": result.override_at.isoformat() if result.override_at else None}
        _clear_override(result)
        result.save(update_fields=["overridden", "override_by", "override_at", "override_reason", "override_values"])
        override_changed.send(sender=RuleResult, result=result, dossier=result.dossier)
        log_activity(
            "rule.override_cancelled", actor=user, target=result, dossier=result.dossier, request=request,
            description=f"Dérogation retirée sur {result.rule.code}",
            metadata={"rule": result.rule.code, "previous_override": previous, "values": result.values},
        )
    return result


def save_rule(rule: Rule, *, user=None) -> Rule:
    """Validate and save ``rule``; a change to what it checks makes a new version.

    Guarantees the expression parses (else ``ValidationError`` on ``expression`` with the
    position and a caret), ``version`` is incremented when one of ``VERSIONED_FIELDS``
    changed, and the history row records ``user``.
    """
    error = check_syntax(rule.expression)
    if error is not None:
        raise ValidationError({"expression": syntax_error_message(error)})
    if rule.pk:
        current = Rule.objects.filter(pk=rule.pk).values(*VERSIONED_FIELDS, "version").first()
        if current and any(current[name] != getattr(rule, name) for name in VERSIONED_FIELDS):
            rule.version = current["version"] + 1
    rule.full_clean()
    if user is not None:
        rule._history_user = user
    rule.save()
    return rule


def syntax_error_message(error) -> str:
    """A plain-text message for a ``RuleSyntaxError``: where, what, and the caret."""
    return f"Erreur de syntaxe ligne {error.line}, colonne {error.column} : {error.message}\n{error.caret()}"
