"""The tokenizer of the rule language: text → a list of ``Token`` with their offsets."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import RuleSyntaxError

MAX_EXPRESSION_LENGTH = 20_000

KEYWORDS = frozenset({"AND", "OR", "NOT", "IN", "TRUE", "FALSE", "NULL"})

# Kinds: NUMBER STRING DATE IDENT KEYWORD OP PUNCT EOF
_TOKEN_RE = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<comment>\#[^\n]*)
  | (?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9A-Za-z_.]))
  | (?P<number>[0-9]+(?:\.[0-9]+)?)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|<>|!=|==|=|<|>|\+|-|\*|/|%)
  | (?P<punct>[()\[\],.])
  | (?P<quote>['"])
    """,
    re.VERBOSE,
)

_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "t": "\t"}


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    value: str
    position: int


def tokenize(expression: str) -> list[Token]:
    """Split ``expression`` into tokens. Raises ``RuleSyntaxError`` on an unknown character,
    an unterminated string or an expression longer than ``MAX_EXPRESSION_LENGTH``."""
    if not isinstance(expression, str):
        raise RuleSyntaxError("l'expression doit être un texte", "", 0)
    if len(expression) > MAX_EXPRESSION_LENGTH:
        raise RuleSyntaxError(
            f"expression trop longue ({len(expression)} caractères, maximum {MAX_EXPRESSION_LENGTH})",
            expression, MAX_EXPRESSION_LENGTH,
        )
    tokens: list[Token] = []
    position = 0
    end = len(expression)
    while position < end:
        match = _TOKEN_RE.match(expression, position)
        if match is None:
            char = expression[position]
            raise RuleSyntaxError(f"caractère inattendu {char!r}", expression, position)
        kind = match.lastgroup
        if kind == "quote":
            value, position = _read_string(expression, position)
            tokens.append(Token("STRING", value, match.start()))
            continue
        text = match.group()
        if kind == "ident" and text.upper() in KEYWORDS:
            tokens.append(Token("KEYWORD", text.upper(), position))
        elif kind == "number" or kind == "date":
            tokens.append(Token(kind.upper(), text, position))
        elif kind == "ident":
            tokens.append(Token("IDENT", text, position))
        elif kind in ("op", "punct"):
            tokens.append(Token("OP" if kind == "op" else "PUNCT", text, position))
        position = match.end()
    tokens.append(Token("EOF", "", end))
    return tokens


def _read_string(expression: str, start: int) -> tuple[str, int]:
    quote = expression[start]
    chars: list[str] = []
    position = start + 1
    end = len(expression)
    while position < end:
        char = expression[position]
        if char == "\\":
            if position + 1 >= end:
                break
            escaped = expression[position + 1]
            if escaped not in _ESCAPES:
                raise RuleSyntaxError(f"séquence d'échappement inconnue \\{escaped}", expression, position)
            chars.append(_ESCAPES[escaped])
            position += 2
            continue
        if char == quote:
            return "".join(chars), position + 1
        chars.append(char)
        position += 1
    raise RuleSyntaxError("chaîne de caractères non terminée", expression, start)
