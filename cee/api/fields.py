"""Serializer fields whose OpenAPI schema says exactly what they accept, no more, no less.

DRF is lenient where the schema is strict: a CharField takes ``0`` and stores ``"0"``, a
DecimalField takes ``"1e2"``, ``" 5"`` or a JSON number. An integrator following the schema
never sends those, and one who does should hear so (400) rather than see the value changed.
``JSONTypesChecked`` refuses JSON values of another type than the schema's; the fields below
publish one unambiguous schema each and refuse what it does not describe.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

POSTAL_CODE_PATTERN = r"^([0-9]{5})?$"
SIRET_PATTERN = r"^[0-9]{3}[ .]?[0-9]{3}[ .]?[0-9]{3}[ .]?[0-9]{5}$"
TEXT_EXPECTED = "Une chaîne de caractères est attendue."
LIST_EXPECTED = "Une liste est attendue."


@extend_schema_field({"type": "string", "pattern": POSTAL_CODE_PATTERN})
class PostalCodeField(serializers.Field):
    """Five digits, or empty: one schema, a pattern the empty string matches. (DRF's RegexField
    with ``allow_blank`` would be published as a ``oneOf`` that ``""`` matches twice; without
    it, with a ``minLength`` of 1 that the empty string fails.)"""

    default_error_messages = {"invalid": "Le code postal doit comporter 5 chiffres."}

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.fullmatch(POSTAL_CODE_PATTERN, data):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


@extend_schema_field({"type": "string", "format": "siret", "pattern": SIRET_PATTERN})
class SiretField(serializers.RegexField):
    """A SIRET: 14 digits, optionally grouped 3-3-3-5 by single spaces or dots. Its check digit
    (Luhn) is verified by the serializer; the schema names it with the ``siret`` format."""

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("error_messages", {"invalid": "Le SIRET doit comporter 14 chiffres, groupés ou non (ex. « 732 829 320 00017 »)."})
        super().__init__(SIRET_PATTERN, **kwargs)


class NonNegativeDecimalField(serializers.DecimalField):
    """A decimal sent as text (``"112.50"``): digits, an optional point and decimals, nothing
    else (no sign, exponent, spaces or JSON number), as the schema's pattern says."""

    default_error_messages = {
        "invalid": "Nombre positif attendu, en texte : chiffres, puis éventuellement un point et au plus {decimal_places} décimales (ex. \"112.50\").",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.pattern = rf"^[0-9]{{1,{self.max_digits - self.decimal_places}}}(?:\.[0-9]{{1,{self.decimal_places}}})?$"

    def validate_empty_values(self, data):
        if data == "":  # not "no value" (that is null): a text that is not a number
            self.fail("invalid", decimal_places=self.decimal_places)
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.fullmatch(self.pattern, data):
            self.fail("invalid", decimal_places=self.decimal_places)
        return super().to_internal_value(data)


class NonNegativeDecimalFieldSchema(OpenApiSerializerFieldExtension):
    target_class = NonNegativeDecimalField

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "string", "format": "decimal", "pattern": self.target.pattern}


def _json_type_error(field: serializers.Field, value) -> str | None:
    """Why ``value`` (decoded JSON) is not of the type the field's schema states, or None."""
    if isinstance(field, serializers.ListField):
        if not isinstance(value, list):
            return LIST_EXPECTED
        child = field.child
        return next((error for item in value if item is not None and (error := _json_type_error(child, item))), None)
    if isinstance(field, (serializers.CharField, serializers.ChoiceField, serializers.DateField, serializers.DecimalField)):
        return None if isinstance(value, str) else TEXT_EXPECTED
    return None


class JSONTypesChecked:
    """For serializers of JSON bodies: a value of another JSON type than the field's schema
    (a number for a text, a text for a list…) is refused with a 400 naming the field, instead
    of being converted. Form bodies (all text) are left to the fields."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping) and not hasattr(data, "getlist"):
            errors = {}
            for name, value in data.items():
                field = self.fields.get(name)
                if field is None or field.read_only or value is None:
                    continue
                error = _json_type_error(field, value)
                if error:
                    errors[name] = [error]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)
