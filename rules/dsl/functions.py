"""The functions of the rule language: a closed, whitelisted table.

Each function takes the evaluation ``Env`` and its evaluated arguments (``lazy`` functions
take argument thunks instead, so they can tolerate a missing field). ``reads`` lists the
context values a function reads by itself (besides its arguments): the runner uses it to
know which rules a corrected field affects. Database-backed helpers (climate zones,
cumac, precarity ceilings) are reached through ``env.services`` — never through the
expression.
"""
from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, DecimalException
from typing import Any, Callable

import regex

from accounts.validators import LA_POSTE_SIREN, is_valid_siren, is_valid_siret, normalise_identifier
from cee.text import FUZZY_THRESHOLD, fold_words, fuzzy_ratio

from .env import Env
from .errors import MissingField, NotEvaluable, RuleRuntimeError, RuleTypeError
from .values import as_date, as_decimal, type_name

MAX_PATTERN_LENGTH = 500
MAX_MATCH_TEXT_LENGTH = 20_000
REGEX_TIMEOUT_SECONDS = 0.05

RGE_FIELDS = ("installer.rge_number", "installer.rge_valid_from", "installer.rge_valid_until", "installer.rge_status")


@dataclass(frozen=True)
class Function:
    name: str
    impl: Callable[..., Any]
    min_args: int
    max_args: int | None
    doc: str
    lazy: bool = False
    reads: tuple[str, ...] = ()


# -- argument helpers ----------------------------------------------------------------------

def _date(name: str, value: Any, position: int) -> datetime.date:
    result = as_date(value)
    if result is None:
        raise RuleTypeError(f"{name} : l'argument {position} doit être une date, reçu {type_name(value)} {value!r}")
    return result


def _number(name: str, value: Any, position: int) -> Decimal:
    result = as_decimal(value)
    if result is None:
        raise RuleTypeError(f"{name} : l'argument {position} doit être un nombre, reçu {type_name(value)} {value!r}")
    return result


def _text(name: str, value: Any, position: int) -> str:
    if isinstance(value, str):
        return value
    if type(value) is Decimal and value == value.to_integral_value():
        return format(value, "f")  # an identifier read as a number: 73282932000074
    raise RuleTypeError(f"{name} : l'argument {position} doit être un texte, reçu {type_name(value)}")


def _integer(name: str, value: Any, position: int, low: int, high: int) -> int:
    number = _number(name, value, position)
    if number != number.to_integral_value() or not low <= number <= high:
        raise RuleTypeError(f"{name} : l'argument {position} doit être un entier entre {low} et {high}")
    return int(number)


def _services(env: Env):
    if env.services is None:
        from ..reference import ReferenceData

        env.services = ReferenceData()
    return env.services


# -- dates -----------------------------------------------------------------------------------

def days_between(env, args):
    start, end = _date("DAYS_BETWEEN", args[0], 1), _date("DAYS_BETWEEN", args[1], 2)
    return Decimal((end - start).days)


_UNITS = {"day": "days", "days": "days", "jour": "days", "jours": "days",
          "month": "months", "months": "months", "mois": "months",
          "year": "years", "years": "years", "an": "years", "ans": "years", "annee": "years", "annees": "years"}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by ``months`` calendar months, clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise RuleRuntimeError("DATE_ADD : date hors limites")
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def date_add(env, args):
    day = _date("DATE_ADD", args[0], 1)
    amount = _integer("DATE_ADD", args[1], 2, -100_000, 100_000)
    unit = "days"
    if len(args) == 3:
        unit = _UNITS.get(fold_words(_text("DATE_ADD", args[2], 3)))
        if unit is None:
            raise RuleTypeError("DATE_ADD : l'unité doit être 'days', 'months' ou 'years' (ou jours, mois, ans)")
    try:
        if unit == "days":
            return day + datetime.timedelta(days=amount)
        return add_months(day, amount if unit == "months" else amount * 12)
    except OverflowError as exc:
        raise RuleRuntimeError("DATE_ADD : date hors limites") from exc


def today(env, args):
    return env.current_date()


def date_(env, args):
    return _date("DATE", args[0], 1)


def year(env, args):
    return Decimal(_date("YEAR", args[0], 1).year)


# -- numbers -------------------------------------------------------------------------------

def abs_(env, args):
    return abs(_number("ABS", args[0], 1))


def round_(env, args):
    value = _number("ROUND", args[0], 1)
    digits = _integer("ROUND", args[1], 2, -9, 12) if len(args) == 2 else 0
    try:
        return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    except DecimalException as exc:
        raise RuleRuntimeError(f"ROUND : {value} ne peut être arrondi à {digits} décimales") from exc


def _comparable(name: str, args) -> list:
    items = list(args[0]) if len(args) == 1 and isinstance(args[0], list) else list(args)
    if not items:
        raise RuleRuntimeError(f"{name} : liste vide")
    kinds = {type(item) for item in items}
    if len(kinds) != 1 or not kinds <= {Decimal, datetime.date, str}:
        raise RuleTypeError(f"{name} : les valeurs doivent être toutes des nombres, toutes des dates ou tous des textes")
    return items


def min_(env, args):
    return min(_comparable("MIN", args))


def max_(env, args):
    return max(_comparable("MAX", args))


# -- texts and lists ---------------------------------------------------------------------

def len_(env, args):
    value = args[0]
    if isinstance(value, (str, list)):
        return Decimal(len(value))
    raise RuleTypeError(f"LEN : un texte ou une liste est attendu, reçu {type_name(value)}")


def is_empty(env, thunks):
    try:
        value = thunks[0](env)
    except NotEvaluable:
        return True
    return value is None or value == "" or value == []


def coalesce(env, thunks):
    missing: list[str] = []
    for thunk in thunks:
        try:
            value = thunk(env)
        except MissingField as exc:
            missing.extend(exc.fields)
            continue
        if value is not None and value != "":
            return value
    if missing:
        raise MissingField(*missing)
    return None


def contains(env, args):
    haystack, needle = args
    if isinstance(haystack, list):
        from .evaluator import values_equal

        return any(values_equal(item, needle, lenient=True) for item in haystack)
    if isinstance(haystack, str):
        return fold_words(_text("CONTAINS", needle, 2)) in fold_words(haystack)
    raise RuleTypeError(f"CONTAINS : un texte ou une liste est attendu, reçu {type_name(haystack)}")


def check_pattern(pattern: str) -> None:
    """Raise ``ValueError`` (with the reason) when ``pattern`` is not an acceptable regex."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError(f"motif trop long ({len(pattern)} caractères, maximum {MAX_PATTERN_LENGTH})")
    try:
        regex.compile(pattern)
    except (regex.error, ValueError, OverflowError, RecursionError) as exc:
        raise ValueError(f"motif invalide : {exc}") from exc


def matches(env, args):
    text = _text("MATCHES", args[0], 1)
    pattern = _text("MATCHES", args[1], 2)
    try:
        check_pattern(pattern)
    except ValueError as exc:
        raise RuleRuntimeError(f"MATCHES : {exc}") from exc
    if len(text) > MAX_MATCH_TEXT_LENGTH:
        raise RuleRuntimeError(f"MATCHES : texte trop long (maximum {MAX_MATCH_TEXT_LENGTH} caractères)")
    try:
        return regex.search(pattern, text, timeout=REGEX_TIMEOUT_SECONDS) is not None
    except TimeoutError as exc:
        raise RuleRuntimeError(f"MATCHES : le motif a dépassé {REGEX_TIMEOUT_SECONDS * 1000:.0f} ms") from exc


def normalize(env, args):
    """Lower case, no accents, no spaces or punctuation: 'QPAC / 60 001' → 'qpac60001'."""
    return fold_words(_text("NORMALIZE", args[0], 1)).replace(" ", "")


def fuzzy_match(env, args):
    a, b = _text("FUZZY_MATCH", args[0], 1), _text("FUZZY_MATCH", args[1], 2)
    return Decimal(str(round(fuzzy_ratio(a, b), 4)))


# -- identifiers and qualifications ----------------------------------------------------------

def validate_siret(env, args):
    return is_valid_siret(_text("VALIDATE_SIRET", args[0], 1))


def validate_siren(env, args):
    siren = normalise_identifier(_text("VALIDATE_SIREN", args[0], 1))
    return is_valid_siren(siren) or siren == LA_POSTE_SIREN


def rge_valid_at(env, args):
    """The installer's RGE qualification covers ``date`` (and ``domain``, when given)."""
    day = _date("RGE_VALID_AT", args[0], 1)
    number = env.get("installer.rge_number", required=False)
    status = env.get("installer.rge_status", required=False)
    valid_from = env.get("installer.rge_valid_from", required=False)
    valid_until = env.get("installer.rge_valid_until", required=False)
    if not number:
        return False
    if status == "suspended":
        return False
    if valid_until is None:
        raise MissingField("installer.rge_valid_until")
    valid_from = as_date(valid_from) if valid_from is not None else None
    valid_until = as_date(valid_until)
    if valid_until is None:
        raise RuleTypeError("RGE_VALID_AT : installer.rge_valid_until n'est pas une date")
    if (valid_from is not None and day < valid_from) or day > valid_until:
        return False
    if len(args) == 2:
        domain = fold_words(_text("RGE_VALID_AT", args[1], 2))
        qualifications = env.get("installer.qualifications")
        if not isinstance(qualifications, list):
            qualifications = [qualifications]
        return any(domain in fold_words(str(item)) for item in qualifications)
    return True


# -- reference data (through env.services) ------------------------------------------------

def climate_zone(env, args):
    from ..zones import UnknownClimateZone

    try:
        return _services(env).climate_zone(_text("CLIMATE_ZONE", args[0], 1))
    except UnknownClimateZone as exc:
        raise NotEvaluable(str(exc)) from exc


def cumac(env, args):
    """CUMAC() → kWh cumac of the current operation (computed by the runner);
    CUMAC(code, postal_code, housing_type[, surface[, etas[, resistance]]]) → computed here."""
    if not args:
        return env.get("operation.kwh_cumac")
    from ..cumac import CumacError

    code = _text("CUMAC", args[0], 1)
    postal_code = _text("CUMAC", args[1], 2)
    housing = _text("CUMAC", args[2], 3)
    numbers = [_number("CUMAC", value, index + 4) if value is not None else None for index, value in enumerate(args[3:])]
    numbers += [None] * (3 - len(numbers))
    try:
        return _services(env).kwh_cumac(
            code, postal_code=postal_code, housing_type=housing, surface=numbers[0], etas=numbers[1],
            resistance=numbers[2], date=env.current_date(),
        )
    except CumacError as exc:
        raise NotEvaluable(f"CUMAC : {exc}") from exc


def precarity_category(env, args):
    from ..precarity import CeilingsUnavailable

    income = _number("PRECARITY_CATEGORY", args[0], 1)
    parts = _number("PRECARITY_CATEGORY", args[1], 2)
    postal_code = _text("PRECARITY_CATEGORY", args[2], 3)
    the_year = _integer("PRECARITY_CATEGORY", args[3], 4, 2000, 2100) if len(args) == 4 else env.current_date().year
    try:
        return _services(env).precarity_category(income, parts, postal_code, the_year)
    except CeilingsUnavailable as exc:
        raise NotEvaluable(str(exc)) from exc


# -- lookups over other dossiers (values prepared by the context builder) ----------------

def duplicate_invoice_number(env, args):
    env.get("facture.numero_facture")
    return list(env.get("lookup.duplicate_invoice_number", required=False) or [])


def duplicate_files(env, args):
    return list(env.get("lookup.duplicate_files", required=False) or [])


def _same_dwelling(env) -> list[list]:
    """[reference, operation code, beneficiary name] of the other dossiers at the same
    works address (prepared by rules.context from rules.selectors.same_dwelling_operations)."""
    rows = env.get("lookup.same_dwelling_operations", required=False) or []
    return [row for row in rows if isinstance(row, list) and len(row) == 3]


SAME_BENEFICIARY_THRESHOLD = FUZZY_THRESHOLD


def duplicate_beneficiary_operation(env, args):
    """Other dossiers with the same works address, the same operation and the same
    beneficiary (names compared with FUZZY_MATCH ≥ 0.85)."""
    code = env.get("operation.code")
    name = env.get("dossier.beneficiary_name")
    return sorted({
        reference for reference, other, other_name in _same_dwelling(env)
        if other == code and fuzzy_ratio(name, str(other_name)) >= SAME_BENEFICIARY_THRESHOLD
    })


def other_dossiers_with(env, args):
    codes = args[0] if isinstance(args[0], list) else [args[0]]
    wanted = {_text("OTHER_DOSSIERS_WITH", code, 1) for code in codes}
    return sorted({reference for reference, other, _name in _same_dwelling(env) if other in wanted})


_FUNCTIONS = [
    Function("DAYS_BETWEEN", days_between, 2, 2, "Jours de la 1re à la 2e date (négatif si la 2e est avant)."),
    Function("DATE_ADD", date_add, 2, 3, "Date + n jours (ou 'months', 'years')."),
    Function("TODAY", today, 0, 0, "La date du jour."),
    Function("DATE", date_, 1, 1, "Un texte AAAA-MM-JJ en date."),
    Function("YEAR", year, 1, 1, "L'année d'une date."),
    Function("ABS", abs_, 1, 1, "Valeur absolue."),
    Function("ROUND", round_, 1, 2, "Arrondi (au plus proche, 0,5 vers le haut) à n décimales."),
    Function("MIN", min_, 1, None, "Le plus petit de plusieurs valeurs (ou d'une liste)."),
    Function("MAX", max_, 1, None, "Le plus grand de plusieurs valeurs (ou d'une liste)."),
    Function("LEN", len_, 1, 1, "Longueur d'un texte ou d'une liste."),
    Function("IS_EMPTY", is_empty, 1, 1, "Vrai si la valeur est absente ou vide.", lazy=True),
    Function("COALESCE", coalesce, 1, None, "La première valeur présente.", lazy=True),
    Function("CONTAINS", contains, 2, 2, "Élément d'une liste, ou texte contenu (sans accents ni casse)."),
    Function("MATCHES", matches, 2, 2, "Le texte contient le motif (expression régulière bornée en temps)."),
    Function("NORMALIZE", normalize, 1, 1, "Texte sans casse, accents, espaces ni ponctuation (identifiants)."),
    Function("FUZZY_MATCH", fuzzy_match, 2, 2, "Similarité de deux noms ou adresses, de 0 à 1."),
    Function("VALIDATE_SIRET", validate_siret, 1, 1, "SIRET de 14 chiffres à clé valide (La Poste incluse)."),
    Function("VALIDATE_SIREN", validate_siren, 1, 1, "SIREN de 9 chiffres à clé valide (La Poste incluse)."),
    Function("RGE_VALID_AT", rge_valid_at, 1, 2, "Qualification RGE de l'installateur valide à la date (et pour le domaine).",
             reads=RGE_FIELDS + ("installer.qualifications",)),
    Function("CLIMATE_ZONE", climate_zone, 1, 1, "Zone climatique (H1, H2, H3) d'un code postal."),
    Function("CUMAC", cumac, 0, 6, "kWh cumac de l'opération courante, ou d'une fiche et de paramètres.",
             reads=("operation.kwh_cumac",)),
    Function("PRECARITY_CATEGORY", precarity_category, 3, 4,
             "Catégorie du foyer (tres_modeste, modeste, none) selon RFR, parts, code postal, année."),
    Function("DUPLICATE_INVOICE_NUMBER", duplicate_invoice_number, 0, 0,
             "Autres dossiers du même installateur avec le même n° de facture.",
             reads=("facture.numero_facture", "lookup.duplicate_invoice_number")),
    Function("DUPLICATE_FILES", duplicate_files, 0, 0, "Autres dossiers contenant un fichier identique.",
             reads=("lookup.duplicate_files",)),
    Function("DUPLICATE_BENEFICIARY_OPERATION", duplicate_beneficiary_operation, 0, 0,
             "Autres dossiers : même logement, même fiche, même bénéficiaire.",
             reads=("operation.code", "dossier.beneficiary_name", "lookup.same_dwelling_operations")),
    Function("OTHER_DOSSIERS_WITH", other_dossiers_with, 1, 1, "Autres dossiers du même logement avec l'une de ces fiches.",
             reads=("lookup.same_dwelling_operations",)),
]

FUNCTIONS: dict[str, Function] = {function.name: function for function in _FUNCTIONS}
SIGNATURES: dict[str, tuple[int, int | None]] = {f.name: (f.min_args, f.max_args) for f in _FUNCTIONS}
