"""kWh cumac of one operation, computed from the fiche's parameters (data); the premium in
euros is billing's (billing.pricing.with_premium), the dossier workflow combines the two.

``Operation.cumac_parameters`` holds the fiche's tables (see fixtures/operations.json)::

    inputs       the inputs the fiche uses: zone, housing_type, surface_m2, etas,
                 resistance_thermique, class_jumps
    classes      {name: {input, [by], brackets}}: a bracket is {min (inclusive), max
                 (exclusive, optional), label, [value]}; with "by", brackets are keyed by
                 the value of another input (surface brackets per housing type)
    base         {key: [names], table: {"v1|v2": kWh cumac}}: names are inputs or classes
    multipliers  [{name, class}] (the bracket's value) or [{name, key, table}]
    per          an input the amount is multiplied by (surface_m2 for insulation) or null
    thresholds   [{input, min, [max], message}]: not met → not eligible, 0 kWh cumac
    bonuses      [{name, coefficient, valid_from, valid_until, condition, [precarity],
                 [requires]}]: "precarity" lists the statuses it applies to, "requires" names a
                 condition that must be declared true (DossierOperation.parameters); the
                 free-text "condition" is shown, not checked
    sources      optional {input: [context keys]}: where run_rules_for_dossier reads each
                 input, first present wins (defaults in DEFAULT_SOURCES)

    kWh cumac = base × multipliers × per (rounded to the cent of a kWh, half up)

Bonuses do not stack: the highest applicable coefficient is used (1 when none applies).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from .zones import UnknownClimateZone, climate_zone

CENT = Decimal("0.01")

DEFAULT_SOURCES: dict[str, list[str]] = {
    "surface_m2": ["operation.surface_m2", "facture.surface_m2", "devis.surface_m2"],
    "etas": ["operation.etas", "facture.etas", "devis.etas"],
    "resistance_thermique": ["operation.resistance_thermique", "facture.resistance_thermique", "devis.resistance_thermique"],
    "class_jumps": ["operation.class_jumps"],
}


class CumacError(ValueError):
    """The kWh cumac cannot be computed: parameters missing in the fiche, an input missing,
    a value outside every class of the fiche, an unknown postal code."""


@dataclass
class CumacResult:
    operation_code: str
    operation_version: str
    zone: str | None
    kwh_cumac: Decimal
    coefficient: Decimal
    price_eur_per_mwh: Decimal | None
    premium_eur: Decimal | None
    eligible: bool = True
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The command-line form: numbers as decimal strings (exact), null when unknown."""
        return {
            "operation": self.operation_code,
            "zone": self.zone,
            "kwh_cumac": _plain(self.kwh_cumac),
            "coefficient": _plain(self.coefficient),
            "price_eur_per_mwh": _plain(self.price_eur_per_mwh),
            "premium_eur": _plain(self.premium_eur),
        }


def _plain(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format(value, "f")


def _decimal(value: Any, what: str) -> Decimal:
    try:
        return Decimal(str(value))
    except Exception as exc:  # noqa: BLE001 - any unparsable figure in the fiche's data
        raise CumacError(f"{what} : valeur non numérique {value!r}") from exc


def _bracket(brackets: list[dict], value: Decimal) -> dict | None:
    for bracket in brackets:
        low = bracket.get("min")
        high = bracket.get("max")
        if (low is None or value >= _decimal(low, "min")) and (high is None or value < _decimal(high, "max")):
            return bracket
    return None


def version_in_force(versions, day: datetime.date):
    """Among ``versions`` (the rows of one fiche, a queryset of the dossier app's Operation),
    the one in force at ``day``, else the latest; None when there is none."""
    in_force = (
        versions.filter(valid_from__lte=day).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-valid_from").first()
    )
    return in_force or versions.order_by("-valid_from").first()


def applicable_coefficient(parameters: dict, *, day: datetime.date, precarity: str,
                           conditions: dict[str, Any] | None = None) -> tuple[Decimal, dict | None, list[str]]:
    """The bonus coefficient at ``day``: the highest applicable bonus, else 1. Returns
    ``(coefficient, bonus, notes)``."""
    best: tuple[Decimal, dict | None] = (Decimal(1), None)
    notes: list[str] = []
    for bonus in parameters.get("bonuses") or []:
        start = bonus.get("valid_from")
        end = bonus.get("valid_until")
        if start and day < datetime.date.fromisoformat(start):
            continue
        if end and day > datetime.date.fromisoformat(end):
            continue
        if bonus.get("precarity") and precarity not in bonus["precarity"]:
            continue
        required = bonus.get("requires")
        if required and not (conditions or {}).get(required):
            notes.append(f"{bonus.get('name', 'bonification')} : condition « {required} » non déclarée")
            continue
        coefficient = _decimal(bonus.get("coefficient", 1), "coefficient")
        if coefficient > best[0]:
            best = (coefficient, bonus)
    if best[1] is not None and best[1].get("condition"):
        notes.append(f"{best[1].get('name')} : condition « {best[1]['condition']} » non vérifiée automatiquement")
    return best[0], best[1], notes


def check_parameters(params: dict) -> list[str]:
    """What is wrong with a fiche's ``cumac_parameters`` (empty list: usable). For the
    Operation admin: a new ministerial order is a data change, this checks the data's shape."""
    problems: list[str] = []
    if not isinstance(params, dict):
        return ["les paramètres doivent être un objet JSON"]
    if not params.get("base"):
        return []  # no table yet (abolished fiche, amounts to be entered): compute() says so
    classes = params.get("classes") or {}
    inputs = set(params.get("inputs") or []) | {"zone", "housing_type"}

    def number(value, where):
        try:
            Decimal(str(value))
        except Exception:  # noqa: BLE001 - anything that is not a number
            problems.append(f"{where} : nombre attendu, trouvé {value!r}")

    for name, spec in classes.items():
        if not isinstance(spec, dict) or "input" not in spec or "brackets" not in spec:
            problems.append(f"classe « {name} » : « input » et « brackets » sont requis")
            continue
        groups = spec["brackets"].values() if spec.get("by") and isinstance(spec["brackets"], dict) else [spec["brackets"]]
        for brackets in groups:
            for bracket in brackets if isinstance(brackets, list) else []:
                for bound in ("min", "max", "value"):
                    if bound in bracket:
                        number(bracket[bound], f"classe « {name} », {bound}")
    base = params["base"]
    if not isinstance(base, dict) or not isinstance(base.get("key"), list) or not isinstance(base.get("table"), dict):
        problems.append("base : {\"key\": [...], \"table\": {...}} attendu")
    else:
        for key in base["key"]:
            if key not in classes and key not in inputs:
                problems.append(f"base : clé « {key} » ni entrée ni classe")
        for key, value in base["table"].items():
            if len(key.split("|")) != len(base["key"]):
                problems.append(f"base : « {key} » n'a pas {len(base['key'])} partie(s)")
            number(value, f"base « {key} »")
    for index, multiplier in enumerate(params.get("multipliers") or [], start=1):
        if "class" in multiplier:
            if multiplier["class"] not in classes:
                problems.append(f"facteur {index} : classe « {multiplier['class']} » inconnue")
        elif not isinstance(multiplier.get("table"), dict):
            problems.append(f"facteur {index} : « class » ou « key » + « table » attendu")
        else:
            for key, value in multiplier["table"].items():
                number(value, f"facteur {index} « {key} »")
    for index, bonus in enumerate(params.get("bonuses") or [], start=1):
        number(bonus.get("coefficient", 1), f"bonification {index}, coefficient")
        for bound in ("valid_from", "valid_until"):
            if bonus.get(bound):
                try:
                    datetime.date.fromisoformat(bonus[bound])
                except (TypeError, ValueError):
                    problems.append(f"bonification {index} : {bound} n'est pas une date AAAA-MM-JJ")
    return problems


def compute(operation, *, postal_code: str, housing_type: str, surface=None, etas=None, resistance=None,
            class_jumps=None, precarity: str = "none", date: datetime.date | None = None,
            conditions: dict[str, Any] | None = None) -> CumacResult:
    """kWh cumac and bonus coefficient of one operation (price and premium left None: see
    billing.pricing.with_premium).

    Takes an ``Operation`` (the fiche version), the works postal code, the housing type
    (maison / appartement) and the technical inputs the fiche needs; ``date`` is the
    engagement date (bonus validity), today by default; ``conditions`` declares bonus
    conditions (e.g. remplacement_charbon).
    Guarantees exact decimal arithmetic and the rounding stated in the module docstring;
    an input below a fiche threshold gives an ineligible result with 0 kWh cumac and the
    reason in ``details``.
    Raises ``CumacError`` when the amount cannot be computed.
    """
    params = operation.cumac_parameters or {}
    day = date or timezone.localdate()
    if not params.get("base"):
        note = params.get("note") or "tables de la fiche non renseignées"
        raise CumacError(f"{operation.code} ({operation.version}) : {note}")
    details: dict[str, Any] = {"unit": params.get("unit", "")}

    zone = None
    try:
        zone = climate_zone(postal_code)
    except UnknownClimateZone as exc:
        if "zone" in (params.get("inputs") or []):
            raise CumacError(str(exc)) from exc
    inputs: dict[str, Any] = {"zone": zone, "housing_type": (housing_type or "").strip().lower() or None}
    for name, value in (("surface_m2", surface), ("etas", etas), ("resistance_thermique", resistance),
                        ("class_jumps", class_jumps)):
        inputs[name] = _decimal(value, name) if value not in (None, "") else None
    details["inputs"] = {key: (format(value, "f") if isinstance(value, Decimal) else value)
                         for key, value in inputs.items() if value is not None}

    def required(name: str):
        value = inputs.get(name)
        if value is None:
            raise CumacError(f"{operation.code} : donnée « {name} » manquante")
        return value

    reasons: list[str] = []
    unchecked: list[str] = []
    for threshold in params.get("thresholds") or []:
        value = inputs.get(threshold["input"])
        if value is None:
            # Not needed for the amount: the threshold rules of the rule set report it.
            unchecked.append(f"seuil non vérifié, « {threshold['input']} » non fourni : {threshold.get('message', '')}")
            continue
        low, high = threshold.get("min"), threshold.get("max")
        if (low is not None and value < _decimal(low, "seuil")) or (high is not None and value > _decimal(high, "seuil")):
            reasons.append(f"{threshold.get('message') or threshold['input']} (lu : {format(value, 'f')})")
    coefficient, bonus, notes = applicable_coefficient(params, day=day, precarity=precarity, conditions=conditions)
    details["bonus"] = bonus.get("name") if bonus else None
    notes = unchecked + notes
    if notes:
        details["notes"] = notes
    if reasons:
        details["reasons"] = reasons
        return CumacResult(operation.code, operation.version, zone, Decimal("0.00"), coefficient, None, Decimal("0.00"),
                           eligible=False, details=details)

    labels: dict[str, str] = {}
    class_values: dict[str, Decimal] = {}
    for name, spec in (params.get("classes") or {}).items():
        value = required(spec["input"])
        brackets = spec["brackets"]
        if spec.get("by"):
            selector = required(spec["by"])
            brackets = brackets.get(selector)
            if brackets is None:
                raise CumacError(f"{operation.code} : « {spec['by']} » = {selector!r} inconnu de la fiche")
        bracket = _bracket(brackets, value)
        if bracket is None:
            raise CumacError(f"{operation.code} : {spec['input']} = {format(value, 'f')} hors des classes de la fiche")
        labels[name] = bracket.get("label", "")
        if "value" in bracket:
            class_values[name] = _decimal(bracket["value"], name)
    details["classes"] = labels

    def key_of(names: list[str]) -> str:
        parts = []
        for name in names:
            if name in labels:
                parts.append(labels[name])
            else:
                value = required(name)
                parts.append(format(value, "f") if isinstance(value, Decimal) else str(value))
        return "|".join(parts)

    base = params["base"]
    base_key = key_of(base["key"])
    if base_key not in base["table"]:
        raise CumacError(f"{operation.code} : pas de montant pour « {base_key} »")
    amount = _decimal(base["table"][base_key], "montant")
    details["base"] = {"key": base_key, "kwh_cumac": format(amount, "f")}

    applied = []
    for multiplier in params.get("multipliers") or []:
        if "class" in multiplier:
            factor = class_values.get(multiplier["class"])
            if factor is None:
                raise CumacError(f"{operation.code} : la classe « {multiplier['class']} » n'a pas de valeur")
        else:
            key = key_of(multiplier["key"])
            if key not in multiplier["table"]:
                raise CumacError(f"{operation.code} : pas de {multiplier.get('name', 'facteur')} pour « {key} »")
            factor = _decimal(multiplier["table"][key], multiplier.get("name", "facteur"))
        amount *= factor
        applied.append({"name": multiplier.get("name", ""), "value": format(factor, "f")})
    details["multipliers"] = applied
    if params.get("per"):
        quantity = required(params["per"])
        amount *= quantity
        details["per"] = {"input": params["per"], "value": format(quantity, "f")}

    kwh = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return CumacResult(operation.code, operation.version, zone, kwh, coefficient, None, None, details=details)
