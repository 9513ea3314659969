"""Which price (€ per MWh cumac) applies to a dossier.

The rule, in one place: among the *active* price lists valid at the engagement date
(``valid_from <= date <= valid_until``, an empty ``valid_until`` meaning open-ended), the most
specific one wins:

    operation + installer  >  installer only  >  operation only  >  general

Ties at the same specificity go to the list that started most recently (``valid_from``), then
to the newest row. The precarity price applies to dossiers whose precarity status is
``modeste`` or ``tres_modeste``; the classic price to every other dossier.
"""
from __future__ import annotations

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, IntegerField, Q, Value, When

from rules.cumac import CumacResult

from .models import PriceList

CENT = Decimal("0.01")

PRECARITY_STATUSES = frozenset({"modeste", "tres_modeste"})


class PriceNotFound(LookupError):
    """No active price list covers this operation, installer and date."""


def applicable_price_lists(*, operation_code: str = "", installer=None, date: datetime.date):
    """The active price lists valid at ``date`` that may apply, most specific first."""
    installer_id = getattr(installer, "pk", installer)
    operation_q = Q(operation_code="")
    if operation_code:
        operation_q |= Q(operation_code=operation_code)
    installer_q = Q(installer__isnull=True)
    if installer_id is not None:
        installer_q |= Q(installer_id=installer_id)
    return (
        PriceList.objects.filter(is_active=True, valid_from__lte=date)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=date))
        .filter(operation_q, installer_q)
        .annotate(
            specificity=Case(
                When(~Q(operation_code="") & Q(installer__isnull=False), then=Value(3)),
                When(Q(installer__isnull=False), then=Value(2)),
                When(~Q(operation_code=""), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-specificity", "-valid_from", "-pk")
    )


def price_for(*, operation_code: str, installer, date: datetime.date, precarity_status: str) -> tuple[PriceList, Decimal]:
    """Return ``(price_list, price)`` for one operation of one installer's dossier.

    Takes the operation code (e.g. ``"BAR-TH-171"``; empty for "any operation"), the installer
    (instance, pk or None), the engagement date and the dossier's precarity status.
    Guarantees the price is a ``Decimal`` in € per MWh cumac taken from the most specific
    active list valid at ``date`` (see the module docstring). Raises ``PriceNotFound`` when
    no list applies, and ``ValueError`` when ``date`` is missing.
    """
    if date is None:
        raise ValueError("La date d'engagement est nécessaire pour trouver le prix applicable.")
    price_list = applicable_price_lists(operation_code=operation_code, installer=installer, date=date).first()
    if price_list is None:
        raise PriceNotFound(
            f"Aucune grille de prix active ne couvre la fiche {operation_code or '(toutes)'} "
            f"au {date:%d/%m/%Y}."
        )
    price = price_list.price_precarity if precarity_status in PRECARITY_STATUSES else price_list.price_classic
    return price_list, Decimal(price)


def price_or_none(*, operation_code: str, installer, day: datetime.date, precarity: str) -> tuple[PriceList | None, Decimal | None]:
    """``(price_list, € per MWh cumac)`` as ``price_for``, or ``(None, None)`` when no list applies."""
    try:
        return price_for(operation_code=operation_code, installer=installer, date=day, precarity_status=precarity)
    except PriceNotFound:
        return None, None


def premium_eur(kwh_cumac: Decimal, coefficient: Decimal, price: Decimal) -> Decimal:
    """premium € = kWh cumac × coefficient / 1000 × price (€/MWh cumac), rounded half up to the cent."""
    return (kwh_cumac * coefficient / 1000 * price).quantize(CENT, rounding=ROUND_HALF_UP)


def with_premium(result: CumacResult, *, installer, day: datetime.date, precarity: str) -> CumacResult:
    """``result`` (rules.cumac.compute: kWh cumac and coefficient) with the price of the most
    specific active list at ``day`` and the premium; an ineligible result is returned as is.
    Without an applicable list, price and premium stay None and ``details`` says so."""
    if not result.eligible:
        return result
    price_list, price = price_or_none(operation_code=result.operation_code, installer=installer, day=day,
                                      precarity=precarity)
    details = dict(result.details)
    premium = None
    if price is not None:
        premium = premium_eur(result.kwh_cumac, result.coefficient, price)
        details["price_list"] = str(price_list) if price_list is not None else None
    else:
        details["price_list"] = None
        details["notes"] = [*details.get("notes", []), "aucune grille de prix active à cette date"]
    return dataclasses.replace(result, price_eur_per_mwh=price, premium_eur=premium, details=details)


def missing_premium_reason(*, premium, engagement_date: datetime.date | None, installer=None,
                           operation_codes=()) -> str:
    """Why a dossier shows no premium, in French for its screens and exports; ``""`` when it
    has one or when no price is missing (a cumac the rules could not compute says so elsewhere).

    Takes the dossier's premium, its engagement (signature) date, its installer and the codes
    of its operations. An engagement before the first price list (a 2023 dossier) reads
    « aucun prix CEE en vigueur au 14/03/2023 ».
    """
    if premium:
        return ""
    if engagement_date is None:
        return "date d'engagement inconnue : prime non calculée"
    for code in operation_codes or ("",):
        if not applicable_price_lists(operation_code=code, installer=installer, date=engagement_date).exists():
            return no_price_text(engagement_date)
    return ""


def no_price_text(engagement_date: datetime.date) -> str:
    return f"aucun prix CEE en vigueur au {engagement_date:%d/%m/%Y}"


def no_price_list_at(date_path: str, installer_path: str):
    """A query expression, true on rows (of any model) whose date at ``date_path`` has no active
    price list valid for their installer at ``installer_path``: the exports' missing-premium reason."""
    from django.db.models import Exists, OuterRef

    covering = PriceList.objects.filter(is_active=True, valid_from__lte=OuterRef(date_path)).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=OuterRef(date_path)),
        Q(installer__isnull=True) | Q(installer_id=OuterRef(installer_path)),
    )
    return ~Exists(covering)
