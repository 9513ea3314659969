"""The evaluation environment: the context values, what was read, and the services
(climate zones, cumac, precarity ceilings) the functions may call. Nothing else is
reachable from an expression."""
from __future__ import annotations

import datetime
from typing import Any, Callable

from .errors import MissingField

ABSENT = object()


class Lazy:
    """A context value computed on first read (e.g. a duplicate lookup that needs a query).
    Only the context builder creates them; an expression sees the computed value."""

    __slots__ = ("compute",)

    def __init__(self, compute: Callable[[], Any]):
        self.compute = compute


class Env:
    __slots__ = ("values", "read", "today", "services")

    def __init__(self, values: dict[str, Any], *, today: datetime.date | None = None, services=None):
        self.values = values
        self.read: dict[str, Any] = {}
        self.today = today
        self.services = services

    def get(self, name: str, *, required: bool = True) -> Any:
        """The value of field ``name``, recorded as read. An absent, None or empty-string
        value raises ``MissingField`` when ``required``, else returns None."""
        values = self.values
        value = values.get(name, ABSENT)
        if value.__class__ is Lazy:
            from .values import to_value

            value = to_value(value.compute())
            values[name] = value
        if value is ABSENT or value is None or value == "":
            self.read[name] = None
            if required:
                raise MissingField(name)
            return None
        self.read[name] = value
        return value

    def current_date(self) -> datetime.date:
        if self.today is None:
            from django.utils import timezone

            self.today = timezone.localdate()
        return self.today
