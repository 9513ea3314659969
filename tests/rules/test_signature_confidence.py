"""Rules respect the confidence of a signature read from ink: an unsure « not signed » (a
faint zone on a scan) leaves the blocking signature rule not evaluable instead of failing it;
a sure one, or one a validator confirmed, fails it."""
from __future__ import annotations

from decimal import Decimal

import pytest

from dossiers.workflow.rules_run import dossier_context
from extraction.extractors.signatures import UNSURE_BELOW
from extraction.models import FieldStatus
from rules import engine
from rules.context import for_operation
from rules.models import Rule

from .builders import dossier_with_documents, field, installer

pytestmark = pytest.mark.django_db


def _status(confidence: str, status: str = FieldStatus.UNREVIEWED) -> str:
    installer()
    dossier = dossier_with_documents(fields={"attestation_honneur": {"signature_installateur": "false"}})
    row = field(dossier, "attestation_honneur.signature_installateur")
    row.confidence, row.status = Decimal(confidence), status
    row.save(update_fields=["confidence", "status"])
    context = dossier_context(dossier)
    planned = engine.plan(Rule.objects.get(code="r12-signatures-ah"))
    (evaluation,) = [engine.evaluate_planned(planned, for_operation(context, entry), operation_entry=entry)
                     for entry in engine.runs_for(planned, context)]
    return evaluation.status


def test_an_unsure_missing_signature_is_not_evaluable():
    assert Decimal("0.450") < Decimal(str(UNSURE_BELOW))
    assert _status("0.450") == "not_evaluable"


def test_a_sure_missing_signature_fails():
    assert _status("0.900") == "failed"


def test_a_missing_signature_a_validator_confirmed_fails_whatever_the_confidence():
    assert _status("0.450", FieldStatus.CONFIRMED) == "failed"
