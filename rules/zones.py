"""Climate zone (H1, H2, H3) of a postal code, from the ClimateZone table.

The département of a postal code is its first two digits, except Corsica (20xxx: 200xx–201xx
is Corse-du-Sud 2A, 202xx–206xx Haute-Corse 2B) and the overseas départements (971–976,
three digits). The table is data (admin-editable); it is cached in memory and the cache is
dropped whenever a row changes (signals in rules.apps), and after ``CACHE_SECONDS`` so
another process's edit is seen too.
"""
from __future__ import annotations

import re
import time

CACHE_SECONDS = 300

_cache: dict[str, str] | None = None
_loaded_at = 0.0


class UnknownClimateZone(ValueError):
    """The postal code is malformed or its département has no climate zone."""


def departement_of(postal_code: str) -> str:
    """The département code of a French postal code ('69003' → '69', '20090' → '2A',
    '97411' → '974'). Raises ``UnknownClimateZone`` for a malformed code."""
    code = re.sub(r"\s", "", str(postal_code or ""))
    if not re.fullmatch(r"[0-9]{5}", code):
        raise UnknownClimateZone(f"code postal invalide « {postal_code} »")
    if code.startswith("20"):
        return "2A" if int(code) < 20200 else "2B"
    if code.startswith("97") or code.startswith("98"):
        return code[:3]
    return code[:2]


def _zones() -> dict[str, str]:
    global _cache, _loaded_at
    if _cache is None or time.monotonic() - _loaded_at > CACHE_SECONDS:
        from .models import ClimateZone

        _cache = dict(ClimateZone.objects.values_list("departement", "zone"))
        _loaded_at = time.monotonic()
    return _cache


def clear_cache(**_kwargs) -> None:
    global _cache
    _cache = None


def climate_zone(postal_code: str) -> str:
    """'H1', 'H2' or 'H3' for ``postal_code``. Raises ``UnknownClimateZone``."""
    departement = departement_of(postal_code)
    zone = _zones().get(departement)
    if zone is None:
        raise UnknownClimateZone(f"aucune zone climatique pour le département {departement} (code postal {postal_code})")
    return zone
