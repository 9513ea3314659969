"""Every verdict on a field becomes a HumanFeedback row, and the rules that read it re-run."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extraction.feedback import confirm_field, correct_field, mark_field_wrong
from extraction.models import ExtractedField, FieldStatus, HumanFeedback
from rules.models import RuleResult

from .builders import build_review_dossier

pytestmark = pytest.mark.django_db

MISREAD_TTC = {"facture.montant_ttc": ("1245.00", "1 245,00", 0.41)}


def field_of(dossier, key: str) -> ExtractedField:
    code, name = key.split(".")
    return ExtractedField.objects.select_related("schema", "document__document_type", "dossier").get(
        dossier=dossier, document__document_type__code=code, schema__name=name
    )


def result_of(dossier, code: str) -> RuleResult:
    return RuleResult.objects.get(dossier=dossier, rule__code=code)


def test_confirming_stores_the_engine_its_confidence_and_the_words_around_the_value(validator):
    dossier = build_review_dossier()
    field = field_of(dossier, "devis.date_signature")

    feedback = confirm_field(field, validator)

    field.refresh_from_db()
    assert field.status == FieldStatus.CONFIRMED and field.confirmed_by == validator
    assert feedback.kind == HumanFeedback.Kind.CONFIRMED
    assert (feedback.document_type_code, feedback.field_name) == ("devis", "date_signature")
    assert (feedback.engine_name, feedback.engine_version) == ("pdfplumber", "0.11")
    assert feedback.confidence_before == Decimal("0.970")
    assert feedback.original_value == field.value and feedback.corrected_value == ""
    assert feedback.context["page"] == 1 and len(feedback.context["bbox"]) == 4
    # The label printed left of the value on the same line is part of the context.
    assert "signature" in feedback.context["surrounding_text"].lower()
    assert field.history.first().history_user == validator


def test_a_correction_is_typed_normalised_and_re_runs_the_rules_that_read_the_field(validator):
    dossier = build_review_dossier(misread=MISREAD_TTC)
    assert result_of(dossier, "r10-facture-ht-tva-ttc").status == RuleResult.Status.FAILED
    assert result_of(dossier, "r10-ttc-devis-facture").status == RuleResult.Status.WARNING
    untouched = result_of(dossier, "r11-etas-pac").evaluated_at
    field = field_of(dossier, "facture.montant_ttc")

    feedback = correct_field(field, "12 450,00 €", validator)

    field.refresh_from_db()
    assert field.status == FieldStatus.CORRECTED and field.corrected_by == validator
    assert field.corrected_value == "12450.00" and field.value == "1245.00" and field.original_value == "1245.00"
    assert field.effective_value == "12450.00"
    assert (feedback.kind, feedback.original_value, feedback.corrected_value) == ("corrected", "1245.00", "12450.00")
    assert feedback.confidence_before == Decimal("0.410")
    assert feedback.context["raw_text"] == "1 245,00"
    assert result_of(dossier, "r10-facture-ht-tva-ttc").status == RuleResult.Status.PASSED
    assert result_of(dossier, "r10-ttc-devis-facture").status == RuleResult.Status.PASSED
    # A rule that does not read the field did not run again.
    assert result_of(dossier, "r11-etas-pac").evaluated_at == untouched
    dossier.refresh_from_db()
    assert dossier.failed_rule_count == 0


def test_a_value_that_is_not_of_the_fields_type_is_refused_in_french_and_nothing_is_stored(validator):
    dossier = build_review_dossier(images=False)
    field = field_of(dossier, "facture.date_facture")

    with pytest.raises(ValueError) as error:
        correct_field(field, "31/02/2026", validator)

    assert error.value.args[0] and "date" in str(error.value).lower()
    field.refresh_from_db()
    assert field.status == FieldStatus.UNREVIEWED
    assert not HumanFeedback.objects.filter(extracted_field=field).exists()


def test_typing_the_value_already_read_confirms_it(validator):
    dossier = build_review_dossier(images=False)
    field = field_of(dossier, "devis.date_devis")
    day, month, year = field.value[8:], field.value[5:7], field.value[:4]

    feedback = correct_field(field, f"{day}/{month}/{year}", validator)

    field.refresh_from_db()
    assert field.status == FieldStatus.CONFIRMED and feedback.kind == HumanFeedback.Kind.CONFIRMED


def test_a_field_marked_wrong_is_no_longer_read_by_the_rules(validator):
    dossier = build_review_dossier(images=False)
    assert result_of(dossier, "r11-etas-pac").status == RuleResult.Status.PASSED
    field = field_of(dossier, "facture.etas")

    feedback = mark_field_wrong(field, validator, note="Illisible sur le scan")

    field.refresh_from_db()
    assert field.status == FieldStatus.WRONG
    assert feedback.kind == HumanFeedback.Kind.WRONG and feedback.context["note"] == "Illisible sur le scan"
    assert result_of(dossier, "r11-etas-pac").status == RuleResult.Status.NOT_EVALUABLE

    # Correcting it afterwards puts a value back in play.
    correct_field(field, "126", validator)
    assert result_of(dossier, "r11-etas-pac").status == RuleResult.Status.PASSED
    assert HumanFeedback.objects.filter(extracted_field=field).count() == 2
