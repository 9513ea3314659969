"""The typed errors of the rule language.

``RuleSyntaxError`` is raised when an expression is parsed (it carries the position so the
admin can point at it); the others are raised while evaluating and become a result status:

* ``NotEvaluable`` (and its subclass ``MissingField``) → ``not_evaluable``: the data needed
  is not there (a field absent from every document, a ceiling table not yet published);
* ``RuleTypeError`` and ``RuleRuntimeError`` → ``error``: the rule itself is wrong for the
  data it met (comparing a date with an amount, dividing by zero, a regex too slow).
"""
from __future__ import annotations


class RuleError(Exception):
    """Base class of every error of the rule language."""


class RuleSyntaxError(RuleError):
    """The expression cannot be parsed. ``position`` is a 0-based offset in ``expression``."""

    def __init__(self, message: str, expression: str, position: int):
        self.message = message
        self.expression = expression
        self.position = max(0, min(position, len(expression)))
        before = expression[: self.position]
        self.line = before.count("\n") + 1
        self.column = self.position - (before.rfind("\n") + 1) + 1
        super().__init__(f"{message} (ligne {self.line}, colonne {self.column})")

    def caret(self) -> str:
        """The offending line followed by a caret under the error position."""
        lines = self.expression.split("\n")
        line = lines[self.line - 1] if self.line - 1 < len(lines) else ""
        # Tabs keep their width so the caret stays under the right character.
        pad = "".join("\t" if ch == "\t" else " " for ch in line[: self.column - 1])
        return f"{line}\n{pad}^"


class EvaluationError(RuleError):
    """Base class of the errors raised while evaluating an expression."""


class NotEvaluable(EvaluationError):
    """The rule cannot be evaluated on this data (status ``not_evaluable``)."""


class MissingField(NotEvaluable):
    """One or more values the rule needs are absent (or empty, or marked wrong)."""

    def __init__(self, *fields: str):
        self.fields = tuple(dict.fromkeys(fields))
        names = ", ".join(f"`{name}`" for name in self.fields)
        plural = "s" if len(self.fields) > 1 else ""
        super().__init__(f"impossible d'évaluer : {names} manquant{plural}")


class RuleTypeError(EvaluationError):
    """An operator or a function met a value of the wrong type (status ``error``)."""


class RuleRuntimeError(EvaluationError):
    """Any other failure while evaluating: division by zero, regex timeout… (status ``error``)."""
