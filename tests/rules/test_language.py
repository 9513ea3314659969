"""The rule language: literals, operators, three-valued logic, typed errors, positions."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from rules.dsl import RuleSyntaxError, compile_expression, evaluate, parse
from rules.dsl import nodes as n
from rules.dsl.evaluator import evaluate_value
from rules.engine import render_message

D = Decimal
CONTEXT = {
    "devis.date_signature": datetime.date(2025, 3, 1),
    "facture.date_facture": datetime.date(2025, 4, 2),
    "devis.montant_ttc": D("12450.00"),
    "facture.montant_ttc": D("12450.004"),
    "facture.montant_ht": D("10000"),
    "dossier.precarity_status": "modeste",
    "facture.operations": ["BAR-TH-171", "BAR-EN-101"],
    "attestation_honneur.signature_beneficiaire": True,
    "facture.numero_facture": "F-2025-0042",
    "facture.vide": "",
    "facture.nul": None,
}


def value(expression, context=CONTEXT):
    result, _reads = evaluate_value(expression, dict(context))
    return result


def status(expression, context=CONTEXT):
    return evaluate(expression, dict(context)).status


# -- literals -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("12", D("12")), ("12.50", D("12.50")), ("'abc'", "abc"), ('"l\'été"', "l'été"), ("'a\\'b'", "a'b"),
    ("2025-03-01", datetime.date(2025, 3, 1)), ("true", True), ("FALSE", False), ("null", None),
    ("[1, 'a', 2025-01-01]", [D(1), "a", datetime.date(2025, 1, 1)]), ("[]", []),
])
def test_literals_evaluate_to_language_values(text, expected):
    assert value(text) == expected


def test_numbers_are_decimals_so_money_arithmetic_is_exact():
    assert value("0.1 + 0.2") == D("0.3")
    assert value("0.1 + 0.2 = 0.3") is True
    assert isinstance(value("10 / 4"), Decimal) and value("10 / 4") == D("2.5")


def test_comments_and_newlines_are_allowed():
    assert value("1 < 2 # un commentaire\n AND 2 < 3") is True


# -- arithmetic -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("1 + 2 * 3", D(7)), ("(1 + 2) * 3", D(9)), ("10 - 2 - 3", D(5)), ("-2 * 3", D(-6)), ("+4", D(4)),
    ("7 % 3", D(1)), ("2 * -3", D(-6)), ("- - 2", D(2)),
    ("devis.montant_ttc - facture.montant_ht", D("2450.00")),
    ("2025-03-01 + 30", datetime.date(2025, 3, 31)), ("2025-03-01 - 1", datetime.date(2025, 2, 28)),
    ("30 + 2025-03-01", datetime.date(2025, 3, 31)),
    ("facture.date_facture - devis.date_signature", D(32)), ("'ab' + 'cd'", "abcd"), ("'12.5' * 2", D("25.0")),
])
def test_arithmetic(text, expected):
    assert value(text) == expected


@pytest.mark.parametrize("text, message", [
    ("1 / 0", "division par zéro"), ("1 % 0", "division par zéro"),
    ("devis.date_signature * 2", "opération date * nombre impossible"),
    ("'abc' - 1", "opération texte - nombre impossible"),
    ("-'abc'", "s'applique à un nombre"), ("2025-01-01 + 1.5", "nombre entier de jours"),
    ("2025-01-01 + 99999999", "date hors limites"),
])
def test_arithmetic_errors_give_an_error_status_with_a_message(text, message):
    outcome = evaluate(f"({text}) = 1", dict(CONTEXT))
    assert outcome.status == "error"
    assert message in outcome.error


# -- comparison and logic -------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "devis.date_signature <= facture.date_facture", "devis.date_signature < facture.date_facture",
    "facture.date_facture > devis.date_signature", "facture.date_facture >= facture.date_facture",
    "1 = 1.0", "1 == 1", "1 != 2", "1 <> 2", "'a' < 'b'", "ABS(devis.montant_ttc - facture.montant_ttc) < 0.01",
    "devis.date_signature >= '2024-01-01'", "devis.date_signature = '2025-03-01'", "'12.50' = 12.5",
    "attestation_honneur.signature_beneficiaire = 'oui'", "attestation_honneur.signature_beneficiaire = true",
    "dossier.precarity_status IN ['modeste', 'tres_modeste']", "'BAR-TH-171' IN facture.operations",
    "'BAR-TH-148' NOT IN facture.operations", "'F-2025' IN facture.numero_facture", "[1, 2] = [1, 2.0]",
    "NOT 1 > 2", "NOT NOT true", "true AND true", "false OR true", "1 < 2 AND (2 < 1 OR 3 > 2)",
])
def test_true_expressions_pass(text):
    assert status(text) == "passed", evaluate(text, dict(CONTEXT)).error


@pytest.mark.parametrize("text", [
    "facture.date_facture <= devis.date_signature", "1 = 2", "'a' = 'A'", "2 IN [1, 3]", "true AND false",
    "false OR false", "NOT true", "devis.date_signature = 2025-03-02",
])
def test_false_expressions_fail(text):
    assert status(text) == "failed"


def test_and_binds_tighter_than_or_and_not_tighter_than_and():
    tree = parse("a.x = 1 OR NOT a.y = 2 AND a.z = 3")
    assert isinstance(tree, n.Logical) and tree.op == "OR"
    assert isinstance(tree.items[1], n.Logical) and tree.items[1].op == "AND"
    assert isinstance(tree.items[1].items[0], n.Not)


@pytest.mark.parametrize("text, message", [
    ("devis.date_signature < 3", "impossible de comparer date < nombre"),
    ("devis.date_signature = 3", "impossible de comparer date et nombre"),
    ("true < false", "impossible de comparer"),
    ("1 AND true", "AND attend vrai/faux"), ("NOT 'x'", "NOT attend vrai/faux"),
    ("1 IN 2", "IN attend une liste"),
])
def test_type_errors_give_an_error_status(text, message):
    outcome = evaluate(text, dict(CONTEXT))
    assert outcome.status == "error"
    assert message in outcome.error


def test_a_non_boolean_rule_is_an_error():
    outcome = evaluate("devis.montant_ttc * 2", dict(CONTEXT))
    assert outcome.status == "error"
    assert "vrai ou faux" in outcome.error


# -- missing values -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["facture.absent", "facture.vide", "facture.nul"])
def test_a_missing_field_makes_the_rule_not_evaluable_and_names_the_field(name):
    outcome = evaluate(f"devis.date_signature <= {name}", dict(CONTEXT))
    assert outcome.status == "not_evaluable"
    assert f"`{name}`" in outcome.error
    assert outcome.missing == (name,)
    assert outcome.reads[name] is None


def test_missing_field_message_for_facture_date():
    outcome = evaluate("devis.date_signature <= facture.date_facture", {"devis.date_signature": datetime.date(2025, 1, 1)})
    assert outcome.status == "not_evaluable"
    assert outcome.error == "impossible d'évaluer : `facture.date_facture` manquant"


def test_or_is_true_when_one_side_is_true_even_if_the_other_is_missing():
    assert status("facture.absent = 1 OR 1 = 1") == "passed"
    assert status("1 = 1 OR facture.absent = 1") == "passed"
    assert status("facture.absent = 1 OR 1 = 2") == "not_evaluable"


def test_and_is_false_when_one_side_is_false_even_if_the_other_is_missing():
    assert status("facture.absent = 1 AND 1 = 2") == "failed"
    assert status("facture.absent = 1 AND 1 = 1") == "not_evaluable"


def test_comparing_with_null_tests_presence_without_failing():
    assert status("facture.absent = null") == "passed"
    assert status("facture.vide = null") == "passed"
    assert status("null = facture.absent") == "passed"
    assert status("facture.numero_facture != null") == "passed"
    assert status("facture.numero_facture = null") == "failed"


def test_expressions_cannot_reach_python_objects():
    # A field reference is a dictionary key, nothing more: dunder names are just absent fields.
    outcome = evaluate("dossier.__class__ = 1", {"dossier": object()})
    assert outcome.status == "not_evaluable"
    with pytest.raises(RuleSyntaxError):
        parse("__import__('os')")
    with pytest.raises(RuleSyntaxError):
        parse("devis.date_signature.__class__()")


def test_values_read_are_recorded_as_json():
    outcome = evaluate("devis.date_signature <= facture.date_facture AND devis.montant_ttc > 0", dict(CONTEXT))
    assert outcome.reads_json() == {
        "devis.date_signature": "2025-03-01", "facture.date_facture": "2025-04-02", "devis.montant_ttc": "12450.00",
    }


# -- syntax errors --------------------------------------------------------------------------

@pytest.mark.parametrize("text, message, line, column", [
    ("devis.date_signature <=", "expression incomplète", 1, 24),
    ("devis.date_signature <= <= 2", "valeur attendue", 1, 25),
    ("(1 + 2", "« ) » attendu", 1, 7),
    ("'abc", "chaîne de caractères non terminée", 1, 1),
    ("FOO(1)", "fonction inconnue FOO", 1, 1),
    ("ABS(1, 2)", "ABS attend 1 argument(s), reçu 2", 1, 1),
    ("DATE_ADD(1)", "DATE_ADD attend 2 à 3 argument(s)", 1, 1),
    ("MIN()", "MIN attend au moins 1", 1, 1),
    ("a.b < b.c < c.d", "ne s'enchaînent pas", 1, 11),
    ("montant > 3", "incomplet", 1, 1),
    ("1 2", "fin d'expression attendue", 1, 3),
    ("1 +\n  * 2", "valeur attendue", 2, 3),
    ("a.b = 1 ; b.c = 2", "caractère inattendu", 1, 9),
    ("2025-13-45 = a.b", "date invalide", 1, 1),
    ("'a\\q'", "séquence d'échappement inconnue", 1, 3),
    ("a. = 1", "nom de champ attendu", 1, 4),
    ("[1, 2", "« , » ou « ] » attendu", 1, 6),
    ("MATCHES(a.b, '(')", "motif invalide", 1, 14),
])
def test_syntax_errors_carry_their_position(text, message, line, column):
    with pytest.raises(RuleSyntaxError) as info:
        compile_expression(text)
    error = info.value
    assert message in error.message
    assert (error.line, error.column) == (line, column)
    assert f"ligne {line}, colonne {column}" in str(error)


def test_the_caret_points_at_the_error():
    with pytest.raises(RuleSyntaxError) as info:
        parse("devis.date_signature <= <= facture.date_facture")
    assert info.value.caret() == "devis.date_signature <= <= facture.date_facture\n                        ^"


def test_the_caret_points_into_the_right_line_of_a_multiline_rule():
    with pytest.raises(RuleSyntaxError) as info:
        parse("a.b = 1\nAND c.d >")
    assert info.value.caret() == "AND c.d >\n         ^"


def test_deep_nesting_is_a_syntax_error_not_a_crash():
    with pytest.raises(RuleSyntaxError, match="trop imbriquée"):
        parse("(" * 500 + "1" + ")" * 500)
    with pytest.raises(RuleSyntaxError, match="trop imbriquée"):
        parse("NOT " * 500 + "true")
    with pytest.raises(RuleSyntaxError, match="trop imbriquée"):
        parse("-" * 500 + "1")


def test_an_overlong_expression_is_refused():
    with pytest.raises(RuleSyntaxError, match="trop longue"):
        parse("1 + " * 6000 + "1")


def test_parsing_is_cached_per_text():
    assert compile_expression("a.b = 1") is compile_expression("a.b = 1")


def test_static_reads_include_fields_functions_read_themselves():
    compiled = compile_expression("RGE_VALID_AT(devis.date_signature) AND LEN(DUPLICATE_INVOICE_NUMBER()) = 0")
    assert {"devis.date_signature", "installer.rge_valid_until", "facture.numero_facture"} <= compiled.reads


# -- messages ---------------------------------------------------------------------------------

def test_message_templates_show_the_values_in_french():
    message = render_message(
        "Devis signé le {devis.date_signature}, TTC {devis.montant_ttc} €, {facture.absent}, {{littéral}}",
        {"devis.date_signature": datetime.date(2025, 3, 1)}, {"devis.montant_ttc": D("12450.50")},
    )
    assert message == "Devis signé le 01/03/2025, TTC 12450,50 €, (absent), {littéral}"
