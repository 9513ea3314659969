"""Billing settings, each read from Django settings first, then from the environment.

    CEE_INVOICE_DUE_DAYS            days between issue and due date (30)
    CEE_INVOICE_NUMBER_PREFIX       "FAC" → FAC-2026-000001 (credit notes share the sequence)
    CEE_AUTO_INVOICE_ON_APPROVAL    create the invoice as soon as a dossier is approved (false)
    CEE_BILLING_ISSUER_*            the issuing company printed on invoices: NAME, ADDRESS,
                                    POSTAL_CODE, CITY, SIRET, VAT_NUMBER, EMAIL, PHONE,
                                    IBAN, BIC, LEGAL_FORM (e.g. "SAS au capital de 10 000 €")
    CEE_INVOICE_VAT_MENTION         the VAT line: CEE premiums are generally outside the scope
                                    of VAT; adapt it to the issuer's own tax situation
    CEE_INVOICE_LATE_PAYMENT_MENTION the late-payment penalty mention (Code de commerce)
"""
from __future__ import annotations

from dataclasses import dataclass

import environ
from django.conf import settings

_env = environ.Env()

DEFAULT_VAT_MENTION = (
    "Prime CEE hors du champ d'application de la TVA (absence de contrepartie directe) — "
    "TVA non applicable."
)
DEFAULT_LATE_PAYMENT_MENTION = (
    "En cas de retard de paiement, des pénalités égales à trois fois le taux d'intérêt légal sont "
    "exigibles, ainsi qu'une indemnité forfaitaire pour frais de recouvrement de 40 € "
    "(art. L441-10 et D441-5 du Code de commerce). Pas d'escompte pour paiement anticipé."
)


def _setting(name: str, default, cast=str):
    if hasattr(settings, name):
        return getattr(settings, name)
    if cast is bool:
        return _env.bool(name, default=default)
    if cast is int:
        return _env.int(name, default=default)
    return _env.str(name, default=default)


def invoice_due_days() -> int:
    return int(_setting("CEE_INVOICE_DUE_DAYS", 30, int))


def invoice_number_prefix() -> str:
    return _setting("CEE_INVOICE_NUMBER_PREFIX", "FAC")


def auto_invoice_on_approval() -> bool:
    return bool(_setting("CEE_AUTO_INVOICE_ON_APPROVAL", False, bool))


def vat_mention() -> str:
    return _setting("CEE_INVOICE_VAT_MENTION", DEFAULT_VAT_MENTION)


def late_payment_mention() -> str:
    return _setting("CEE_INVOICE_LATE_PAYMENT_MENTION", DEFAULT_LATE_PAYMENT_MENTION)


@dataclass(frozen=True)
class Issuer:
    name: str
    legal_form: str
    address: str
    postal_code: str
    city: str
    siret: str
    vat_number: str
    email: str
    phone: str
    iban: str
    bic: str

    @property
    def siren(self) -> str:
        return self.siret[:9]


def issuer() -> Issuer:
    """The company printed as the invoice's issuer (placeholders until configured)."""
    def get(key, default):
        return _setting(f"CEE_BILLING_ISSUER_{key}", default)

    return Issuer(
        name=get("NAME", "CEE Validation SAS"),
        legal_form=get("LEGAL_FORM", "SAS au capital de 10 000 €"),
        address=get("ADDRESS", "10 rue de la République"),
        postal_code=get("POSTAL_CODE", "69002"),
        city=get("CITY", "Lyon"),
        siret=get("SIRET", "00000000000000"),
        vat_number=get("VAT_NUMBER", ""),
        email=get("EMAIL", "facturation@cee-validation.local"),
        phone=get("PHONE", ""),
        iban=get("IBAN", "FR76 0000 0000 0000 0000 0000 000"),
        bic=get("BIC", "XXXXFRPPXXX"),
    )
