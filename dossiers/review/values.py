"""Values as a French reader writes them (dates, amounts, SIRET, lists of fiche codes)."""
from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation


def as_list(value: str) -> list[str]:
    if not value:
        return []
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return [part.strip() for part in re.split(r"[,;\s]+", value) if part.strip()]
    if isinstance(parsed, list):
        return [str(item) for item in parsed]
    return [str(parsed)]


NARROW_SPACE = "\u202f"


def display_value(data_type: str, value: str) -> str:
    """A normalised value as a French reader expects it (15/03/2024, 12 450,00, 732 829 320 00074)."""
    if value in (None, ""):
        return ""
    try:
        if data_type == "date":
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        if data_type == "decimal":
            number = Decimal(value)
            whole, _, frac = f"{number:,.2f}".partition(".")
            return whole.replace(",", NARROW_SPACE) + "," + frac
        if data_type == "siret" and len(value) == 14 and value.isdigit():
            return f"{value[:3]} {value[3:6]} {value[6:9]} {value[9:]}"
        if data_type == "cee_code":
            return ", ".join(as_list(value))
        if data_type == "boolean":
            return {"true": "Oui", "false": "Non"}.get(value, value)
    except (ValueError, InvalidOperation):
        return value
    return value
