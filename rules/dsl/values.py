"""The value types of the rule language and their conversions.

Values are ``Decimal`` (every number), ``str``, ``bool``, ``datetime.date``, ``list`` and
``None``. Contexts built from the database or from JSON are normalised with ``to_value`` so
the evaluator only ever meets those types.
"""
from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_NUMBER = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$")

TYPE_NAMES = {
    Decimal: "nombre",
    str: "texte",
    bool: "booléen",
    datetime.date: "date",
    list: "liste",
    type(None): "null",
}


def type_name(value: Any) -> str:
    return TYPE_NAMES.get(type(value), type(value).__name__)


def to_value(value: Any, *, parse_strings: bool = False) -> Any:
    """Normalise a Python value into a rule-language value.

    ints and floats become ``Decimal`` (floats through ``str`` so 1.2 stays 1.2), datetimes
    become dates, tuples and sets become lists. With ``parse_strings`` (JSON contexts, which
    have no date type) an ISO ``YYYY-MM-DD`` string becomes a date.
    """
    if value is None or isinstance(value, (bool, Decimal)):
        return value
    if isinstance(value, str):
        if parse_strings and _ISO_DATE.match(value):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                return value
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [to_value(item, parse_strings=parse_strings) for item in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    return str(value)


def to_json(value: Any) -> Any:
    """A JSON-safe form of a rule-language value (dates ISO, decimals as strings)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, (int, float)):
        return str(value)
    return str(value)


def display(value: Any) -> str:
    """A value as a French reader expects it in a message."""
    if value is None or value == "":
        return "(absent)"
    if value is True:
        return "oui"
    if value is False:
        return "non"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
        return text.replace(".", ",")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return ", ".join(display(item) for item in value) or "(vide)"
    return str(value)


def as_decimal(value: Any) -> Decimal | None:
    """``value`` as a Decimal when it is a number or a numeric string, else None."""
    if type(value) is Decimal:
        return value
    if isinstance(value, str) and _NUMBER.match(value.strip()):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return None
    return None


def as_date(value: Any) -> datetime.date | None:
    if type(value) is datetime.date:
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def as_bool(value: Any) -> bool | None:
    if value is True or value is False:
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "oui", "vrai", "1", "yes"):
            return True
        if lowered in ("false", "non", "faux", "0", "no"):
            return False
    return None
