"""The rule language: a small, safe expression language parsed to a tree (never ``eval``).

    from rules.dsl import compile_expression, evaluate
    outcome = evaluate("devis.date_signature <= facture.date_facture", context)
    outcome.status  # passed / failed / not_evaluable / error

See ``parser`` for the grammar, ``functions`` for the functions, ``errors`` for the errors.
"""
from .errors import (  # noqa: F401
    EvaluationError, MissingField, NotEvaluable, RuleError, RuleRuntimeError, RuleSyntaxError, RuleTypeError,
)
from .evaluator import (  # noqa: F401
    ERROR, FAILED, NOT_EVALUABLE, PASSED, CompiledExpression, Outcome, check_syntax, compile_expression, evaluate,
    evaluate_value,
)
from .parser import parse  # noqa: F401
