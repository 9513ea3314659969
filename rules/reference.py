"""The reference data an expression may consult, through its functions only:
climate zones, the cumac calculator and the precarity ceilings. Tests and the rule tester
may pass another object with the same three methods."""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.apps import apps

from .cumac import CumacError, compute, version_in_force
from .precarity import categorise_household
from .zones import climate_zone

# The fiches (their versions and cumac tables) are the dossier app's Operation rows: named by
# label, as a foreign key to the dossier is, since rules sits below the dossier app.
FICHE_MODEL = "dossiers.Operation"


class ReferenceData:
    def climate_zone(self, postal_code: str) -> str:
        return climate_zone(postal_code)

    def kwh_cumac(self, code: str, *, postal_code: str, housing_type: str, surface=None, etas=None, resistance=None,
                  date: datetime.date) -> Decimal:
        operation = version_in_force(apps.get_model(FICHE_MODEL).objects.filter(code=code), date)
        if operation is None:
            raise CumacError(f"fiche inconnue « {code} »")
        result = compute(operation, postal_code=postal_code, housing_type=housing_type, surface=surface, etas=etas,
                         resistance=resistance, date=date)
        return result.kwh_cumac

    def precarity_category(self, income: Decimal, parts: Decimal, postal_code: str, year: int) -> str:
        return categorise_household(income, year=year, postal_code=postal_code, parts=parts).category
