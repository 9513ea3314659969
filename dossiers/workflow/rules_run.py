"""Running the rules of a dossier, the chain's rules and premium/priority step.

The rules app builds the context (rules.context), computes each operation's kWh cumac
(rules.engine), evaluates the rules and stores their results (rules.services); billing
prices the cumac (billing.pricing.with_premium); this module combines them and writes the
dossier's figures: each operation's cumac and premium, the totals, the failed-rule count,
the confidence score and the priority (rules.scoring).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from billing.pricing import with_premium
from rules import engine, scoring, selectors
from rules.context import FIELD_CONFIDENCES, OPERATIONS, build_dossier_context
from rules.cumac import CumacError, CumacResult
from rules.models import RuleResult
from rules.services import store_results

from ..models import Dossier, DossierOperation


def cumac_for_operation(dossier: Dossier, entry: dict[str, Any], context: dict[str, Any]) -> CumacResult | CumacError:
    """One dossier operation's kWh cumac (rules) and premium (billing), written into the
    entry's ``operation.*`` values (see rules.engine.cumac_for_operation)."""
    return engine.cumac_for_operation(dossier, entry, context, pricing=with_premium)


def dossier_context(dossier: Dossier, *, with_cumac: bool = True) -> dict[str, Any]:
    """The context the runner builds, with each operation's cumac and premium computed (else
    the stored ones, for a rule that does not read them). Reads only."""
    context = build_dossier_context(dossier)
    if with_cumac:
        for entry in context[OPERATIONS]:
            cumac_for_operation(dossier, entry, context)
    return context


def run_rules_for_dossier(dossier: Dossier, *, changed_fields: set[str] | None = None, actor=None) -> list[RuleResult]:
    """Run the dossier's applicable active rules and store their results.

    Takes the dossier and, after a correction, the context keys that changed (e.g.
    ``{"facture.date_facture"}``, or ``{"facture.*"}`` for a whole document): then only the
    rules reading one of them run (derived keys such as ``dossier.date_engagement`` and the
    cumac count as changed when their sources do). ``actor`` is who triggered the run
    (None: the pipeline).

    Guarantees, in one transaction with the dossier row locked:
    * one result per (rule, dossier operation) run, replacing that rule's previous results
      (rows are updated in place, so ids stay stable); on a full run, results of rules that
      no longer apply are deleted;
    * an override survives while the rule still fails and reads exactly the values it was
      given on; otherwise it is dropped and the drop is logged;
    * each DossierOperation's kwh_cumac / coefficient / premium_eur (on a full run, or when a
      changed key is a cumac input) and the Dossier's totals, ``failed_rule_count`` (failed
      and not overridden), ``confidence_score`` and ``priority`` are recomputed (rules.scoring).

    Returns the results of the rules that ran. Raises ``Dossier.DoesNotExist`` if the
    dossier was deleted.
    """
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update(of=("self",)).select_related("installer", "timeline").get(pk=dossier.pk)
        )
        context = build_dossier_context(locked)
        today = timezone.localdate()
        changed = engine.expand_changed_fields(set(changed_fields)) if changed_fields is not None else None

        # A correction that touches no cumac input keeps the stored cumac (already in the context).
        if changed is None or changed & engine.CUMAC_OUTPUTS:
            for entry in context[OPERATIONS]:
                cumac_for_operation(locked, entry, context)

        planned = [engine.plan(rule) for rule in selectors.active_rules()]
        if changed is not None:
            planned = [item for item in planned if engine.reads_any(item, changed)]
        evaluations = engine.evaluate_rules(planned, context, today=today)
        results, statuses = store_results(locked, planned, evaluations, full_run=changed_fields is None, actor=actor)
        _store_totals(locked, context, statuses)
    dossier.__dict__.update({name: getattr(locked, name) for name in (
        "total_kwh_cumac", "premium_eur", "failed_rule_count", "confidence_score", "priority")})
    return results


def _store_totals(dossier: Dossier, context: dict[str, Any], statuses: list[tuple[str, bool]]) -> None:
    """Write each operation's cumac and the dossier's figures. ``DossierOperation.kwh_cumac`` is
    the fiche's volume before bonus; ``Dossier.total_kwh_cumac`` the bonified volume
    (Σ kWh cumac × coefficient, each rounded half up to the hundredth, as billing's invoice
    lines); ``Dossier.premium_eur`` the sum of the operations' premiums."""
    changed_operations = []
    total_kwh = Decimal("0")
    total_premium = Decimal("0")
    for entry in context[OPERATIONS]:
        item: DossierOperation = entry["dossier_operation"]
        values = entry["values"]
        kwh = values.get("operation.kwh_cumac") or Decimal("0")
        coefficient = values.get("operation.coefficient") or Decimal("1")
        premium = values.get("operation.premium_eur") or Decimal("0")
        # The bonified volume, rounded per operation as billing rounds its invoice lines.
        total_kwh += (kwh * coefficient).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        total_premium += premium
        if (item.kwh_cumac, item.coefficient, item.premium_eur) != (kwh, coefficient, premium):
            item.kwh_cumac, item.coefficient, item.premium_eur = kwh, coefficient, premium
            changed_operations.append(item)
    if changed_operations:
        DossierOperation.objects.bulk_update(changed_operations, ["kwh_cumac", "coefficient", "premium_eur"])

    failed = sum(1 for status, overridden in statuses if status == RuleResult.Status.FAILED and not overridden)
    confidence = scoring.confidence_score(context.get(FIELD_CONFIDENCES) or [], statuses)
    totals = {
        "total_kwh_cumac": total_kwh,
        "premium_eur": total_premium,
        "failed_rule_count": failed,
        "confidence_score": confidence,
        "priority": scoring.priority(premium_eur=total_premium, precarity_status=dossier.precarity_status,
                                     confidence=confidence, has_fraud_signal=dossier.has_fraud_signal),
    }
    if any(getattr(dossier, name) != value for name, value in totals.items()):
        # A queryset update: these are computed figures, not an edit to keep in the history.
        Dossier.objects.filter(pk=dossier.pk).update(updated_at=timezone.now(), **totals)
        for name, value in totals.items():
            setattr(dossier, name, value)


def recount_failed_rules(sender, dossier: Dossier, **kwargs) -> None:
    """Receiver of ``rules.signals.override_changed``: the dossier's ``failed_rule_count``
    (failed results not overridden) after an override is set or withdrawn."""
    failed = selectors.failed_count(dossier)
    if failed != dossier.failed_rule_count:
        Dossier.objects.filter(pk=dossier.pk).update(failed_rule_count=failed)
        dossier.failed_rule_count = failed
