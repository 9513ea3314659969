"""A recursive-descent parser for the rule language: tokens → a tree of ``nodes``.

Grammar, loosest binding first::

    expression  := or
    or          := and ("OR" and)*
    and         := not ("AND" not)*
    not         := "NOT" not | comparison
    comparison  := additive [ ("=" | "==" | "!=" | "<>" | "<" | "<=" | ">" | ">=") additive
                            | ["NOT"] "IN" additive ]
    additive    := term (("+" | "-") term)*
    term        := unary (("*" | "/" | "%") unary)*
    unary       := ("-" | "+") unary | primary
    primary     := NUMBER | STRING | DATE | TRUE | FALSE | NULL
                 | "[" [expression ("," expression)*] "]"
                 | "(" expression ")"
                 | NAME "(" [expression ("," expression)*] ")"     (a function of functions.py)
                 | NAME ("." NAME)+                                 (a field: devis.date_signature)

Comparisons do not chain (``a < b < c`` is an error, say ``a < b AND b < c``). Nesting is
bounded so a hostile expression cannot exhaust the Python stack.
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from . import nodes as n
from .errors import RuleSyntaxError
from .lexer import Token, tokenize

MAX_DEPTH = 60

_COMPARISON_OPS = {"=": "=", "==": "=", "!=": "!=", "<>": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def parse(expression: str, signatures=None) -> n.Node:
    """Parse ``expression`` into a tree. ``signatures`` maps a function name to its
    ``(min_args, max_args)`` (``max_args`` None = variadic); it defaults to the functions of
    ``rules.dsl.functions``. Raises ``RuleSyntaxError`` — and nothing else — on bad input."""
    if signatures is None:
        from .functions import SIGNATURES as signatures
    parser = _Parser(expression, tokenize(expression), signatures)
    tree = parser.expression()
    token = parser.peek()
    if token.kind != "EOF":
        parser.fail(f"fin d'expression attendue, trouvé {_describe(token)}", token)
    return tree


def _describe(token: Token) -> str:
    if token.kind == "EOF":
        return "la fin de l'expression"
    if token.kind == "STRING":
        return "une chaîne de caractères"
    return f"« {token.value} »"


class _Parser:
    def __init__(self, expression: str, tokens: list[Token], signatures):
        self.expression_text = expression
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.signatures = signatures

    # -- helpers -------------------------------------------------------------------------
    def peek(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind != "EOF":
            self.index += 1
        return token

    def at(self, kind: str, value: str | None = None) -> bool:
        token = self.tokens[self.index]
        return token.kind == kind and (value is None or token.value == value)

    def expect(self, kind: str, value: str, what: str) -> Token:
        token = self.peek()
        if token.kind != kind or token.value != value:
            self.fail(f"{what} attendu, trouvé {_describe(token)}", token)
        return self.advance()

    def fail(self, message: str, token: Token):
        raise RuleSyntaxError(message, self.expression_text, token.position)

    def enter(self, token: Token):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(f"expression trop imbriquée (plus de {MAX_DEPTH} niveaux)", token)

    # -- grammar -------------------------------------------------------------------------
    def expression(self) -> n.Node:
        self.enter(self.peek())
        try:
            return self.or_expr()
        finally:
            self.depth -= 1

    def or_expr(self) -> n.Node:
        first = self.and_expr()
        items = [first]
        while self.at("KEYWORD", "OR"):
            self.advance()
            items.append(self.and_expr())
        return first if len(items) == 1 else n.Logical(first.position, "OR", tuple(items))

    def and_expr(self) -> n.Node:
        first = self.not_expr()
        items = [first]
        while self.at("KEYWORD", "AND"):
            self.advance()
            items.append(self.not_expr())
        return first if len(items) == 1 else n.Logical(first.position, "AND", tuple(items))

    def not_expr(self) -> n.Node:
        if self.at("KEYWORD", "NOT"):
            token = self.advance()
            self.enter(token)
            try:
                return n.Not(token.position, self.not_expr())
            finally:
                self.depth -= 1
        return self.comparison()

    def comparison(self) -> n.Node:
        left = self.additive()
        token = self.peek()
        node: n.Node | None = None
        if token.kind == "OP" and token.value in _COMPARISON_OPS:
            self.advance()
            node = n.Compare(left.position, _COMPARISON_OPS[token.value], left, self.additive())
        elif token.kind == "KEYWORD" and token.value == "IN":
            self.advance()
            node = n.In(left.position, left, self.additive(), False)
        elif token.kind == "KEYWORD" and token.value == "NOT" and self.tokens[self.index + 1].kind == "KEYWORD" \
                and self.tokens[self.index + 1].value == "IN":
            self.advance()
            self.advance()
            node = n.In(left.position, left, self.additive(), True)
        if node is None:
            return left
        following = self.peek()
        if (following.kind == "OP" and following.value in _COMPARISON_OPS) or (
            following.kind == "KEYWORD" and following.value == "IN"
        ):
            self.fail("les comparaisons ne s'enchaînent pas : écrire « a < b AND b < c »", following)
        return node

    def additive(self) -> n.Node:
        left = self.term()
        while self.peek().kind == "OP" and self.peek().value in ("+", "-"):
            op = self.advance().value
            left = n.Binary(left.position, op, left, self.term())
        return left

    def term(self) -> n.Node:
        left = self.unary()
        while self.peek().kind == "OP" and self.peek().value in ("*", "/", "%"):
            op = self.advance().value
            left = n.Binary(left.position, op, left, self.unary())
        return left

    def unary(self) -> n.Node:
        token = self.peek()
        if token.kind == "OP" and token.value in ("-", "+"):
            self.advance()
            self.enter(token)
            try:
                return n.Unary(token.position, token.value, self.unary())
            finally:
                self.depth -= 1
        return self.primary()

    def primary(self) -> n.Node:
        token = self.advance()
        kind, value = token.kind, token.value
        if kind == "NUMBER":
            return n.Literal(token.position, Decimal(value))
        if kind == "STRING":
            return n.Literal(token.position, value)
        if kind == "DATE":
            try:
                return n.Literal(token.position, datetime.date.fromisoformat(value))
            except ValueError:
                self.fail(f"date invalide {value}", token)
        if kind == "KEYWORD" and value in ("TRUE", "FALSE", "NULL"):
            return n.Literal(token.position, {"TRUE": True, "FALSE": False, "NULL": None}[value])
        if kind == "PUNCT" and value == "(":
            inner = self.expression()
            self.expect("PUNCT", ")", "« ) »")
            return inner
        if kind == "PUNCT" and value == "[":
            items = self.arguments("]")
            return n.ListExpr(token.position, tuple(items))
        if kind == "IDENT":
            if self.at("PUNCT", "("):
                return self.call(token)
            return self.field(token)
        if kind == "EOF":
            self.fail("expression incomplète", token)
        self.fail(f"valeur attendue, trouvé {_describe(token)}", token)
        raise AssertionError("unreachable")

    def arguments(self, closing: str) -> list[n.Node]:
        items: list[n.Node] = []
        if self.at("PUNCT", closing):
            self.advance()
            return items
        while True:
            items.append(self.expression())
            if self.at("PUNCT", ","):
                self.advance()
                continue
            self.expect("PUNCT", closing, f"« , » ou « {closing} »")
            return items

    def call(self, name_token: Token) -> n.Node:
        name = name_token.value.upper()
        signature = self.signatures.get(name)
        if signature is None:
            self.fail(f"fonction inconnue {name_token.value}", name_token)
        self.advance()  # "("
        args = self.arguments(")")
        low, high = signature
        if len(args) < low or (high is not None and len(args) > high):
            if high is None:
                expected = f"au moins {low}"
            elif low == high:
                expected = str(low)
            else:
                expected = f"{low} à {high}"
            self.fail(f"{name} attend {expected} argument(s), reçu {len(args)}", name_token)
        return n.Call(name_token.position, name, tuple(args))

    def field(self, first: Token) -> n.Node:
        parts = [first.value]
        while self.at("PUNCT", "."):
            self.advance()
            token = self.advance()
            if token.kind not in ("IDENT", "KEYWORD"):
                self.fail(f"nom de champ attendu après « . », trouvé {_describe(token)}", token)
            parts.append(token.value.lower() if token.kind == "KEYWORD" else token.value)
        if len(parts) < 2:
            self.fail(
                f"champ « {first.value} » incomplet : écrire type_de_document.champ (ex. facture.date_facture)",
                first,
            )
        return n.FieldRef(first.position, ".".join(parts))
