"""Property tests: whatever text it is given, the parser returns a tree or raises
RuleSyntaxError — never another exception — and a parsed expression evaluates to an
outcome without raising."""
from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.dsl import RuleSyntaxError, evaluate, parse
from rules.dsl import nodes as n
from rules.dsl.evaluator import compile_expression
from rules.dsl.functions import FUNCTIONS

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of the language, so that generated texts get past the tokenizer and exercise the parser.
FIELDS = ["devis.date_signature", "facture.date_facture", "facture.montant_ttc", "dossier.precarity_status",
          "facture.operations", "facture.absent", "installer.rge_valid_until"]
PURE_FUNCTIONS = [name for name in FUNCTIONS if name not in ("CLIMATE_ZONE", "CUMAC", "PRECARITY_CATEGORY")]
TOKENS = (FIELDS + PURE_FUNCTIONS + ["(", ")", "[", "]", ",", ".", "AND", "OR", "NOT", "IN", "TRUE", "FALSE", "NULL",
          "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "1", "0", "12.50", "'modeste'", "2025-03-01",
          "'(a+)+$'", "#", "\n", "'", "\\"])
CONTEXT = {
    "devis.date_signature": datetime.date(2025, 3, 1), "facture.date_facture": datetime.date(2025, 4, 2),
    "facture.montant_ttc": Decimal("12450.00"), "dossier.precarity_status": "modeste",
    "facture.operations": ["BAR-TH-171"], "installer.rge_valid_until": datetime.date(2027, 1, 1),
}


def parse_or_syntax_error(text: str):
    try:
        return parse(text)
    except RuleSyntaxError as error:
        assert 1 <= error.line and 1 <= error.column
        assert error.caret().endswith("^")
        return None


@SETTINGS
@given(st.text(max_size=200))
def test_arbitrary_text_gives_a_tree_or_a_syntax_error(text):
    result = parse_or_syntax_error(text)
    assert result is None or isinstance(result, n.Node)


@SETTINGS
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_token_soup_gives_a_tree_or_a_syntax_error(tokens):
    parse_or_syntax_error(" ".join(tokens))


@SETTINGS
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_whatever_parses_evaluates_to_an_outcome_without_raising(tokens):
    text = " ".join(tokens)
    try:
        compiled = compile_expression(text)
    except RuleSyntaxError:
        return
    outcome = evaluate(compiled, dict(CONTEXT), today=datetime.date(2026, 3, 1))
    assert outcome.status in ("passed", "failed", "not_evaluable", "error")


def _expressions():
    leaves = st.one_of(
        st.sampled_from(FIELDS),
        st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**6, max_value=10**6).map(
            lambda d: str(abs(d))),
        st.sampled_from(["'modeste'", "2025-03-01", "TRUE", "NULL", "[1, 2]"]),
    )
    return st.recursive(leaves, lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "=", "<", ">=", "AND", "OR", "IN"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda e: f"(NOT {e})"),
        st.tuples(st.sampled_from(["ABS", "LEN", "IS_EMPTY", "ROUND", "YEAR", "NORMALIZE"]), inner).map(
            lambda t: f"{t[0]}({t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"MIN({t[0]}, {t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"DAYS_BETWEEN({t[0]}, {t[1]})"),
    ), max_leaves=8)


@SETTINGS
@given(_expressions())
def test_well_formed_expressions_parse_and_evaluate_to_an_outcome(text):
    compiled = compile_expression(text)
    outcome = evaluate(compiled, dict(CONTEXT))
    assert outcome.status in ("passed", "failed", "not_evaluable", "error")
