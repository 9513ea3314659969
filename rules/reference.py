"""The reference data an expression may consult, through its functions only:
climate zones, the cumac calculator and the precarity ceilings. Tests and the rule tester
may pass another object with the same three methods."""
from __future__ import annotations

import datetime
from decimal import Decimal


class ReferenceData:
    def climate_zone(self, postal_code: str) -> str:
        from .zones import climate_zone

        return climate_zone(postal_code)

    def kwh_cumac(self, code: str, *, postal_code: str, housing_type: str, surface=None, etas=None, resistance=None,
                  date: datetime.date) -> Decimal:
        from .cumac import compute, operation_in_force

        operation = operation_in_force(code, date)
        result = compute(operation, postal_code=postal_code, housing_type=housing_type, surface=surface, etas=etas,
                         resistance=resistance, date=date)
        return result.kwh_cumac

    def precarity_category(self, income: Decimal, parts: Decimal, postal_code: str, year: int) -> str:
        from .precarity import categorise_household

        return categorise_household(income, year=year, postal_code=postal_code, parts=parts).category
