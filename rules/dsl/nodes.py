"""The syntax tree of the rule language. Every node keeps the offset it starts at."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Node:
    position: int


@dataclass(frozen=True, slots=True)
class Literal(Node):
    value: Any  # Decimal, str, bool, datetime.date or None


@dataclass(frozen=True, slots=True)
class FieldRef(Node):
    name: str  # "facture.date_facture"


@dataclass(frozen=True, slots=True)
class ListExpr(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Unary(Node):
    op: str  # "-" or "+"
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary(Node):
    op: str  # + - * / %
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Compare(Node):
    op: str  # = != < <= > >=
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class In(Node):
    left: Node
    right: Node
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Not(Node):
    operand: Node


@dataclass(frozen=True, slots=True)
class Logical(Node):
    op: str  # "AND" or "OR"
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Call(Node):
    name: str  # upper case
    args: tuple[Node, ...]


def walk(node: Node):
    """Every node of the tree, depth first (iterative: trees may be deep)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, ListExpr):
            stack.extend(current.items)
        elif isinstance(current, Unary | Not):
            stack.append(current.operand)
        elif isinstance(current, Binary | Compare | In):
            stack.extend((current.left, current.right))
        elif isinstance(current, Logical):
            stack.extend(current.items)
        elif isinstance(current, Call):
            stack.extend(current.args)
