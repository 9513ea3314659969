"""Which precarity category a household falls in: très modeste, modeste or none.

The ceilings are yearly data (``PrecarityCeiling``, admin-editable) per region
(Île-de-France or not), category and household size. A year whose figures are missing
or not confirmed (2026 "modeste" when this was written) cannot decide that category:
``CeilingsUnavailable`` is raised rather than guessing.

Persons, not "parts": the tax notice gives the *nombre de parts*, the ceilings count
*persons*. ``persons_from_parts`` converts with a deliberately conservative reading (a
couple is assumed whenever the parts allow it, which gives the fewest persons and so the
lowest ceilings — a household is never put in a better-paid category by the approximation):

    parts ≤ 1   → 1 person      (single)
    parts ≤ 2   → 2 persons     (couple, or single parent with one child)
    2.5         → 3 persons     (couple + 1 child)
    3           → 4 persons     (couple + 2 children)
    above 3     → 4 + one person per further whole part (from the 3rd child on, 1 part each)

Extra half-parts (disability, veterans, single parent) are not persons and are rounded down.
When the number of persons is known (from the notice's "personnes à charge", or declared),
pass ``persons`` directly.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

ILE_DE_FRANCE = frozenset({"75", "77", "78", "91", "92", "93", "94", "95"})
CATEGORIES = ("tres_modeste", "modeste")


class CeilingsUnavailable(LookupError):
    """The ceilings needed to decide are not in the table (or not confirmed) for that year."""


def persons_from_parts(parts) -> int:
    """Household persons from the tax notice's nombre de parts (see the module docstring)."""
    value = Decimal(str(parts))
    if value <= 1:
        return 1
    if value <= 2:
        return 2
    if value <= 3:
        # 2.5 → 3, 3 → 4: each half part above 2 is a child
        return 2 + int(((value - 2) / Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR))
    return 4 + int((value - 3).to_integral_value(rounding=ROUND_FLOOR))


def region_of(postal_code_or_departement: str) -> str:
    """'idf' for the eight Île-de-France départements, 'other' elsewhere."""
    from .zones import departement_of

    code = str(postal_code_or_departement or "").strip()
    departement = departement_of(code) if len(code) == 5 else code
    return "idf" if departement in ILE_DE_FRANCE else "other"


CACHE_SECONDS = 300
_cache: dict = {"rows": None, "loaded_at": 0.0}


def _ceilings() -> dict[tuple[int, str, str, int], tuple[int, int]]:
    """Confirmed ceilings by (year, region, category, persons), kept in memory; dropped when
    a row changes (signals in rules.apps) and after ``CACHE_SECONDS`` for other processes."""
    if _cache["rows"] is None or time.monotonic() - _cache["loaded_at"] > CACHE_SECONDS:
        from .models import PrecarityCeiling

        _cache["rows"] = {
            (year, region, category, persons): (amount, extra)
            for year, region, category, persons, amount, extra in PrecarityCeiling.objects.filter(confirmed=True)
            .values_list("year", "region", "category", "persons", "ceiling_eur", "extra_per_person_eur")
        }
        _cache["loaded_at"] = time.monotonic()
    return _cache["rows"]


def clear_cache(**_kwargs) -> None:
    _cache["rows"] = None


def ceiling(year: int, region: str, category: str, persons: int) -> int | None:
    """The income ceiling in € for that household, or None when the table has no confirmed
    figures for it. Beyond 5 persons: the 5-person ceiling plus the per-person increment."""
    row = _ceilings().get((year, region, category, min(persons, 5)))
    if row is None:
        return None
    amount, extra = row
    return amount + max(0, persons - 5) * extra


@dataclass
class PrecarityAssessment:
    category: str  # "tres_modeste", "modeste" or "none"
    year: int
    region: str
    persons: int
    ceilings: dict[str, int | None] = field(default_factory=dict)


def categorise_household(revenu_fiscal_reference, *, year: int, postal_code: str, persons: int | None = None,
                         parts=None) -> PrecarityAssessment:
    """Categorise a household from its revenu fiscal de référence.

    Takes the income (€), the ceilings' ``year``, the works ``postal_code`` (or a
    département code), and ``persons`` or the tax notice's ``parts`` (converted by
    ``persons_from_parts``). Guarantees the category is decided only from confirmed
    ceilings. Raises ``CeilingsUnavailable`` when a ceiling needed for the decision is
    missing, ``ValueError`` when neither persons nor parts is given.
    """
    if persons is None:
        if parts is None:
            raise ValueError("Le nombre de personnes ou de parts du foyer est nécessaire.")
        persons = persons_from_parts(parts)
    persons = max(1, int(persons))
    income = Decimal(str(revenu_fiscal_reference))
    region = region_of(postal_code)
    assessment = PrecarityAssessment("none", year, region, persons)
    for category in CATEGORIES:
        limit = ceiling(year, region, category, persons)
        assessment.ceilings[category] = limit
        if limit is None:
            raise CeilingsUnavailable(
                f"plafonds « {category.replace('_', ' ')} » {year} ({'Île-de-France' if region == 'idf' else 'hors Île-de-France'}) "
                "absents ou non confirmés"
            )
        if income <= limit:
            assessment.category = category
            return assessment
    return assessment
