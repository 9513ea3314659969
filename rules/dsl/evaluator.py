"""Compile a syntax tree into nested Python closures, and evaluate it against a context.

No ``eval``/``exec`` and no attribute access: a field reference is a dictionary lookup in
the context, a function call goes through the closed table of ``functions.FUNCTIONS``.
Compiling once into closures (instead of walking the tree at each evaluation) is what makes
tens of thousands of rule evaluations per second possible; ``compile_expression`` caches
the result per expression text.

Logic is three-valued where data may be missing: ``A OR B`` is true as soon as one side is
true even if the other cannot be evaluated, ``A AND B`` is false as soon as one side is
false; otherwise the ``MissingField`` propagates and the rule is "not evaluable".
"""
from __future__ import annotations

import datetime
import operator
from dataclasses import dataclass, field
from decimal import Decimal, DecimalException
from functools import lru_cache
from typing import Any, Callable

from . import nodes as n
from .env import Env
from .errors import EvaluationError, NotEvaluable, RuleRuntimeError, RuleSyntaxError, RuleTypeError
from .functions import FUNCTIONS, check_pattern
from .parser import parse
from .values import as_bool, as_date, as_decimal, to_json, type_name

Compiled = Callable[[Env], Any]

_ORDERING = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_ORDERED_TYPES = (Decimal, datetime.date, str)


# -- value semantics -------------------------------------------------------------------------

def _coerce_pair(a: Any, b: Any) -> tuple[Any, Any] | None:
    """Bring two values of different types to a common type when one is a text that
    spells the other (a date 'AAAA-MM-JJ', a number, true/false); None when impossible."""
    ta, tb = type(a), type(b)
    for first, second, swap in ((a, b, False), (b, a, True)):
        if type(second) is str:
            kind = type(first)
            if kind is datetime.date:
                converted = as_date(second)
            elif kind is Decimal:
                converted = as_decimal(second)
            elif kind is bool:
                converted = as_bool(second)
            else:
                converted = None
            if converted is not None:
                return (converted, first) if swap else (first, converted)
    del ta, tb
    return None


def values_equal(a: Any, b: Any, *, lenient: bool = False) -> bool:
    """Equality of the language: same type compares directly (numbers by value, 1.0 = 1),
    a text compares with the date/number/boolean it spells; other mixes are a type error
    (or simply unequal when ``lenient``, as for list membership)."""
    if type(a) is type(b):
        if type(a) is list:
            return len(a) == len(b) and all(values_equal(x, y, lenient=lenient) for x, y in zip(a, b))
        return a == b
    if a is None or b is None:
        return False
    pair = _coerce_pair(a, b)
    if pair is not None:
        return pair[0] == pair[1]
    if lenient:
        return False
    raise RuleTypeError(f"impossible de comparer {type_name(a)} et {type_name(b)}")


def _order(op: str, a: Any, b: Any) -> bool:
    if type(a) is not type(b) or type(a) not in _ORDERED_TYPES:
        pair = _coerce_pair(a, b) if type(a) is not type(b) else None
        if pair is None or type(pair[0]) not in _ORDERED_TYPES:
            raise RuleTypeError(f"impossible de comparer {type_name(a)} {op} {type_name(b)}")
        a, b = pair
    return _ORDERING[op](a, b)


def _numbers(op: str, a: Any, b: Any) -> tuple[Decimal, Decimal]:
    x, y = as_decimal(a), as_decimal(b)
    if x is None or y is None:
        raise RuleTypeError(f"opération {type_name(a)} {op} {type_name(b)} impossible")
    return x, y


def _days(value: Decimal) -> datetime.timedelta:
    if value != value.to_integral_value():
        raise RuleTypeError("on n'ajoute à une date qu'un nombre entier de jours")
    if abs(value) > 3_000_000:
        raise RuleRuntimeError("date hors limites")
    return datetime.timedelta(days=int(value))


def _add(a, b):
    ta, tb = type(a), type(b)
    if ta is Decimal and tb is Decimal:
        return a + b
    if ta is datetime.date and tb is Decimal:
        return a + _days(b)
    if ta is Decimal and tb is datetime.date:
        return b + _days(a)
    if ta is str and tb is str:
        return a + b
    x, y = _numbers("+", a, b)
    return x + y


def _sub(a, b):
    ta, tb = type(a), type(b)
    if ta is Decimal and tb is Decimal:
        return a - b
    if ta is datetime.date and tb is Decimal:
        return a - _days(b)
    if ta is datetime.date and tb is datetime.date:
        return Decimal((a - b).days)
    x, y = _numbers("-", a, b)
    return x - y


def _mul(a, b):
    x, y = (a, b) if type(a) is Decimal and type(b) is Decimal else _numbers("*", a, b)
    return x * y


def _div(a, b):
    x, y = (a, b) if type(a) is Decimal and type(b) is Decimal else _numbers("/", a, b)
    if not y:
        raise RuleRuntimeError("division par zéro")
    return x / y


def _mod(a, b):
    x, y = (a, b) if type(a) is Decimal and type(b) is Decimal else _numbers("%", a, b)
    if not y:
        raise RuleRuntimeError("division par zéro")
    return x % y


_ARITHMETIC = {"+": _add, "-": _sub, "*": _mul, "/": _div, "%": _mod}


def _boolean(value: Any, what: str) -> bool:
    if value is True or value is False:
        return value
    raise RuleTypeError(f"{what} attend vrai/faux, reçu {type_name(value)}")


# -- compilation -----------------------------------------------------------------------------

class _CompileError(Exception):
    """A problem found while compiling (e.g. a literal regex that does not compile)."""

    def __init__(self, message: str, position: int):
        super().__init__(message)
        self.message = message
        self.position = position


def _compile(node: n.Node) -> Compiled:
    if isinstance(node, n.Literal):
        value = node.value
        return lambda env: value

    if isinstance(node, n.FieldRef):
        name = node.name
        return lambda env: env.get(name)

    if isinstance(node, n.ListExpr):
        items = [_compile(item) for item in node.items]
        return lambda env: [item(env) for item in items]

    if isinstance(node, n.Unary):
        operand = _compile(node.operand)
        negate = node.op == "-"

        def unary(env):
            value = operand(env)
            number = value if type(value) is Decimal else as_decimal(value)
            if number is None:
                raise RuleTypeError(f"« {node.op} » s'applique à un nombre, pas à {type_name(value)}")
            return -number if negate else number

        return unary

    if isinstance(node, n.Binary):
        left, right, function = _compile(node.left), _compile(node.right), _ARITHMETIC[node.op]
        return lambda env: function(left(env), right(env))

    if isinstance(node, n.Compare):
        return _compile_compare(node)

    if isinstance(node, n.In):
        left, right, negated = _compile(node.left), _compile(node.right), node.negated

        def membership(env):
            needle, haystack = left(env), right(env)
            if isinstance(haystack, list):
                found = any(values_equal(item, needle, lenient=True) for item in haystack)
            elif isinstance(haystack, str) and isinstance(needle, str):
                found = needle in haystack
            else:
                raise RuleTypeError(f"IN attend une liste à droite, reçu {type_name(haystack)}")
            return not found if negated else found

        return membership

    if isinstance(node, n.Not):
        operand = _compile(node.operand)
        return lambda env: not _boolean(operand(env), "NOT")

    if isinstance(node, n.Logical):
        return _compile_logical(node)

    if isinstance(node, n.Call):
        return _compile_call(node)

    raise AssertionError(f"unknown node {node!r}")


def _emptiness(node: n.Node, negated: bool) -> Compiled:
    """``x = null`` / ``x != null``: tests presence without making the rule not evaluable."""
    operand = _compile(node)

    def check(env):
        try:
            value = operand(env)
        except NotEvaluable:
            value = None
        empty = value is None or value == "" or value == []
        return not empty if negated else empty

    return check


def _compile_compare(node: n.Compare) -> Compiled:
    op = node.op
    if op in ("=", "!="):
        for this, other in ((node.left, node.right), (node.right, node.left)):
            if isinstance(other, n.Literal) and other.value is None:
                return _emptiness(this, negated=op == "!=")
    left, right = _compile(node.left), _compile(node.right)
    if op == "=":
        return lambda env: values_equal(left(env), right(env))
    if op == "!=":
        return lambda env: not values_equal(left(env), right(env))
    compare = _ORDERING[op]

    def ordering(env):
        a, b = left(env), right(env)
        if type(a) is type(b) and type(a) in _ORDERED_TYPES:
            return compare(a, b)
        return _order(op, a, b)

    return ordering


def _compile_logical(node: n.Logical) -> Compiled:
    items = [_compile(item) for item in node.items]
    stop_on = node.op == "OR"  # OR stops at the first true, AND at the first false

    def logical(env):
        pending: NotEvaluable | None = None
        for item in items:
            try:
                value = item(env)
            except NotEvaluable as exc:
                pending = pending or exc
                continue
            if value is not True and value is not False:
                raise RuleTypeError(f"{node.op} attend vrai/faux, reçu {type_name(value)}")
            if value is stop_on:
                return stop_on
        if pending is not None:
            raise pending
        return not stop_on

    return logical


def _compile_call(node: n.Call) -> Compiled:
    function = FUNCTIONS[node.name]
    args = [_compile(arg) for arg in node.args]
    impl = function.impl
    if node.name == "MATCHES" and isinstance(node.args[1], n.Literal) and isinstance(node.args[1].value, str):
        # A literal pattern is checked when the rule is saved, not when it first runs.
        pattern = node.args[1].value
        try:
            check_pattern(pattern)
        except ValueError as exc:
            raise _CompileError(f"MATCHES : {exc}", node.args[1].position) from exc
    if function.lazy:
        return lambda env: impl(env, args)
    if not args:
        return lambda env: impl(env, ())
    if len(args) == 1:
        only = args[0]
        return lambda env: impl(env, (only(env),))
    return lambda env: impl(env, [arg(env) for arg in args])


# -- the public API --------------------------------------------------------------------------

@dataclass(frozen=True)
class CompiledExpression:
    text: str
    tree: n.Node
    function: Compiled
    reads: frozenset[str]  # fields referenced, and fields the functions read by themselves
    functions: frozenset[str]


def static_reads(tree: n.Node) -> tuple[frozenset[str], frozenset[str]]:
    fields: set[str] = set()
    functions: set[str] = set()
    for node in n.walk(tree):
        if isinstance(node, n.FieldRef):
            fields.add(node.name)
        elif isinstance(node, n.Call):
            functions.add(node.name)
            fields.update(FUNCTIONS[node.name].reads)
    return frozenset(fields), frozenset(functions)


@lru_cache(maxsize=4096)
def compile_expression(text: str) -> CompiledExpression:
    """Parse and compile ``text`` (cached per text). Raises ``RuleSyntaxError``."""
    tree = parse(text)
    try:
        function = _compile(tree)
    except _CompileError as exc:
        raise RuleSyntaxError(exc.message, text, exc.position) from None
    reads, functions = static_reads(tree)
    return CompiledExpression(text, tree, function, reads, functions)


def check_syntax(text: str) -> RuleSyntaxError | None:
    """The syntax error of ``text``, or None when it compiles."""
    try:
        compile_expression(text)
    except RuleSyntaxError as exc:
        return exc
    return None


PASSED = "passed"
FAILED = "failed"
NOT_EVALUABLE = "not_evaluable"
ERROR = "error"


@dataclass
class Outcome:
    """What one evaluation gave: ``status`` is passed / failed / not_evaluable / error."""

    status: str
    value: Any = None
    error: str = ""
    reads: dict[str, Any] = field(default_factory=dict)
    missing: tuple[str, ...] = ()

    def reads_json(self) -> dict[str, Any]:
        return {name: to_json(value) for name, value in self.reads.items()}


def evaluate(expression: CompiledExpression | str, values: dict[str, Any], *, today=None, services=None) -> Outcome:
    """Evaluate a boolean expression against ``values`` (a flat context, see rules.context).

    Never raises for bad data: a missing value gives ``not_evaluable``, a type or runtime
    problem ``error``, a non-boolean result ``error``. Raises ``RuleSyntaxError`` only when
    given an expression text that does not parse.
    """
    compiled = compile_expression(expression) if isinstance(expression, str) else expression
    env = Env(values, today=today, services=services)
    try:
        value = compiled.function(env)
    except NotEvaluable as exc:
        return Outcome(NOT_EVALUABLE, error=str(exc), reads=env.read, missing=getattr(exc, "fields", ()))
    except EvaluationError as exc:
        return Outcome(ERROR, error=str(exc), reads=env.read)
    except (DecimalException, ArithmeticError) as exc:
        return Outcome(ERROR, error=f"erreur de calcul : {exc.__class__.__name__}", reads=env.read)
    if value is True:
        return Outcome(PASSED, value=True, reads=env.read)
    if value is False:
        return Outcome(FAILED, value=False, reads=env.read)
    if value is None:
        return Outcome(NOT_EVALUABLE, error="impossible d'évaluer : l'expression ne donne aucune valeur", reads=env.read)
    return Outcome(ERROR, value=value, error=f"la règle doit donner vrai ou faux, elle donne {type_name(value)}",
                   reads=env.read)


def evaluate_value(expression: str, values: dict[str, Any], *, today=None, services=None) -> tuple[Any, dict[str, Any]]:
    """Evaluate any expression (not only a boolean) and return ``(value, reads)``; raises the
    language's errors, with ``reads`` attached to an ``EvaluationError``. Used by ``rule_eval``."""
    compiled = compile_expression(expression)
    env = Env(values, today=today, services=services)
    try:
        return compiled.function(env), env.read
    except EvaluationError as exc:
        exc.reads = env.read  # what was read before it failed, for the caller to show
        raise
