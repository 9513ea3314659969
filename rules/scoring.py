"""A dossier's confidence score and queue priority, recomputed after each rule run.

Confidence (0–1) says how much of the dossier a machine could vouch for:

    confidence = 0.5 × field score + 0.5 × rule score
    field score = mean confidence of the extracted fields of the documents rules read (a field a
                  validator confirmed or corrected counts 1; none → 0.5)
    rule score  = mean over rule results of: passed or overridden 1, info/warning 0.75,
                  not evaluable 0.5, failed or error 0 (no result → 0.5)

Priority (0–100, higher first in the queue, then the oldest): money at stake and people at
stake first, dossiers that are clean (quick to approve) before dossiers that need digging:

    priority = 30 + min(30, premium € / 250) + 15 if precarity + 15 × confidence
               + 10 if a fraud signal is raised (it must be looked at)
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

RESULT_WEIGHTS = {"passed": 1.0, "warning": 0.75, "not_evaluable": 0.5, "failed": 0.0, "error": 0.0}


def confidence_score(field_confidences: list[float], results: list[tuple[str, bool]]) -> Decimal:
    """``results`` are ``(status, overridden)`` pairs."""
    fields = sum(field_confidences) / len(field_confidences) if field_confidences else 0.5
    if results:
        rules = sum(1.0 if overridden else RESULT_WEIGHTS.get(status, 0.0) for status, overridden in results) / len(results)
    else:
        rules = 0.5
    score = max(0.0, min(1.0, 0.5 * fields + 0.5 * rules))
    return Decimal(str(score)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def priority(*, premium_eur: Decimal, precarity_status: str, confidence: Decimal, has_fraud_signal: bool) -> int:
    value = 30.0 + min(30.0, float(premium_eur or 0) / 250.0)
    if precarity_status in ("modeste", "tres_modeste"):
        value += 15
    value += 15 * float(confidence or 0)
    if has_fraud_signal:
        value += 10
    return int(max(0, min(100, round(value))))
