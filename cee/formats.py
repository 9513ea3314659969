"""French display of durations (the product's screens): ``126 j 22 h``, ``3 h 12 min``."""
from __future__ import annotations

EMPTY = "—"


def format_duration(seconds) -> str:
    """A duration in seconds, the way a French reader says it, to the two largest units:
    ``45 s``, ``12 min``, ``3 h 12 min``, ``126 j 22 h``; ``None`` gives ``—``."""
    if seconds is None:
        return EMPTY
    seconds = int(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}\u00a0j {hours}\u00a0h" if hours else f"{days}\u00a0j"
    if hours:
        return f"{hours}\u00a0h {minutes}\u00a0min" if minutes else f"{hours}\u00a0h"
    if minutes:
        return f"{minutes}\u00a0min"
    return f"{secs}\u00a0s"
