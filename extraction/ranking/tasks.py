"""django-q2 entry point of the nightly training (``extraction.schedules``)."""
from __future__ import annotations

from .training import train_rankers


def train_rankers_task() -> str:
    """A new version of every field's learned ranking; returns a one-line summary."""
    results = train_rankers()
    trained = [r for r in results if r.version is not None]
    return f"{len(trained)} champ(s) entraîné(s), {sum(r.is_active for r in trained)} utilisé(s)"
