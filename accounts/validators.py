"""Validation of French company identifiers (SIREN, SIRET)."""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError

LA_POSTE_SIREN = "356000000"


def normalise_identifier(value: str) -> str:
    """Strip spaces, dots and dashes that people put in SIREN/SIRET numbers."""
    return re.sub(r"[\s.\-\u00a0\u202f]", "", value or "")


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = int(char)
        if index % 2 == 1:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


def is_valid_siren(value: str) -> bool:
    siren = normalise_identifier(value)
    return len(siren) == 9 and siren.isdigit() and luhn_valid(siren)


def is_valid_siret(value: str) -> bool:
    """14 digits passing the Luhn check; La Poste's establishments (SIREN 356000000)
    do not pass Luhn, their digit sum must be a multiple of 5 instead."""
    siret = normalise_identifier(value)
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith(LA_POSTE_SIREN):
        return luhn_valid(siret) or sum(int(c) for c in siret) % 5 == 0
    return luhn_valid(siret)


def validate_siret(value: str) -> None:
    siret = normalise_identifier(value)
    if len(siret) != 14 or not siret.isdigit():
        raise ValidationError("Le SIRET doit comporter 14 chiffres (reçu : « %(value)s »).", params={"value": value}, code="siret_format")
    if not is_valid_siret(siret):
        raise ValidationError("Le SIRET « %(value)s » est invalide (clé de contrôle incorrecte).", params={"value": value}, code="siret_checksum")


def validate_siren(value: str) -> None:
    siren = normalise_identifier(value)
    if len(siren) != 9 or not siren.isdigit():
        raise ValidationError("Le SIREN doit comporter 9 chiffres.", code="siren_format")
    if not is_valid_siren(siren) and siren != LA_POSTE_SIREN:
        raise ValidationError("Le SIREN « %(value)s » est invalide (clé de contrôle incorrecte).", params={"value": value}, code="siren_checksum")
