"""What the ``software`` family adds to a dossier's facts, and how its documents write values.

The third held-out family (``CorpusOptions(family="software")``) draws the documents as the
estimating and invoicing software of French artisans prints them, and the administrative
documents in their official or body-specific shapes (``software.py``, ``software_forms.py``):
header bands and document boxes, framed client and works-site boxes, item tables organised
in lots with numbered lines and long designations, several VAT rates, the CEE prime as a
negative line or a deduction paragraph, the regulatory attestation with dotted leader lines
and check boxes, an obligé's partnership form, Qualibat / Qualit'EnR certificates, the tax
office's situation page, a sizing software's printout. It was written from real documents,
not from the extractor, so that it measures generalisation; its facts come from a generator
of their own so that the ``classic`` and ``letters`` seeds stay byte-identical.

Seeds: dev ``SOFTWARE_DEV_SEEDS`` (1350–1399), measurement ``SOFTWARE_MEASUREMENT_SEEDS``
(7400–7499), declared with the letters' ones in ``heldout_facts`` and kept by the same rule.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from random import Random

from .facts import DossierFacts, side_random
from .heldout_facts import Accessory, fmt_date_words
from .wording import MONTH_NAMES, SIRET_STYLES, fmt_amount, fmt_date, fmt_number

# Obligés and délégataires of this family's cadres (none of them in facts.OBLIGES or LETTER_OBLIGES),
# with the name of their offer.
SOFTWARE_OBLIGES = [
    ("Eni Plenitude", "Offre Prime Éco Rénov'"), ("Dyneff SAS", "Programme Dyneff Énergie+"),
    ("Rubis Énergie", "Prime Rubis Habitat"), ("Vitogaz France", "Offre Coup de pouce Vitogaz"),
    ("Antargaz Energies", "Prime Énergie Antargaz"), ("Sogaz Distribution", "Offre Habitat Durable"),
    ("Calvigaz Énergies", "Prime Calvigaz Rénovation"), ("Eco Prime Partenaires SAS", "Programme Prime Coup de pouce"),
]

# Accessories of the software family's item tables (other brands than the letters').
SOFTWARE_ACCESSORIES = {
    "insulation": [("Suspentes pour ossature", "Optima", "Optima 240"), ("Membrane d'étanchéité à l'air", "Isover", "Stopvap 90"),
                   ("Coffrage de trappe isolé", "Nicoll", "Trappe Isolée 60x60"),
                   ("Déflecteur de chevrons", "Knauf Insulation", "Déflecteur DR 45")],
    "heat": [("Kit hydraulique", "Caleffi", "Série 165"), ("Filtre désemboueur", "Fernox", "TF1 Omega"),
             ("Thermostat connecté", "Tado", "V3+ Smart"), ("Support mural anti-vibratile", "Sauermann", "Silent 400")],
}

# Lines billed at another VAT rate than the works' (a software prints one rate per line).
OTHER_RATE_LINES = {
    "insulation": ["Remplacement de la trappe d'accès aux combles", "Évacuation et traitement des déchets de chantier"],
    "heat": ["Création d'une ligne électrique dédiée", "Dépose et évacuation de l'ancienne chaudière"],
}

AMOUNT_STYLES = ["fr", "fr", "fr_eur", "fr_dot_eur", "plain_dot", "fr_nbsp", "fr_dot"]
DATE_STYLES = ["slash", "slash", "short", "dot", "dash", "long", "long_cap", "words"]
ACCENTS = [(0.11, 0.33, 0.55), (0.0, 0.45, 0.4), (0.55, 0.15, 0.15), (0.2, 0.2, 0.3), (0.85, 0.45, 0.05), (0.25, 0.45, 0.2)]
WHITE = (1, 1, 1)


@dataclass
class Look:
    """One document's formats, drawn once: amounts, dates, SIRET, colour."""

    amount: str
    date: str
    siret: str
    accent: tuple[float, float, float]

    @classmethod
    def pick(cls, rng: Random) -> "Look":
        return cls(rng.choice(AMOUNT_STYLES), rng.choice(DATE_STYLES), rng.choice(SIRET_STYLES), rng.choice(ACCENTS))


@dataclass
class Amounts:
    """A software's totals: per VAT rate (rate, base HT, VAT), and the whole."""

    rates: list[tuple[Decimal, Decimal, Decimal]]
    prime: Decimal

    @property
    def ht(self) -> Decimal:
        return sum((base for _, base, _ in self.rates), Decimal("0"))

    @property
    def tva(self) -> Decimal:
        return sum((vat for _, _, vat in self.rates), Decimal("0"))

    @property
    def ttc(self) -> Decimal:
        return self.ht + self.tva

    @property
    def net(self) -> Decimal:
        return self.ttc - self.prime


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def software_facts(facts: DossierFacts) -> DossierFacts:
    """The family's additions to ``facts`` (in place): an accessory of another brand on most
    dossiers, a line at a second VAT rate on some, an obligé with its offer, the prime split per
    operation, a second declarant, the beneficiary's status, ink."""
    side = side_random(facts, "software")
    main = facts.products[0]
    group = "insulation" if main.operation.startswith("BAR-EN") else "heat"
    accessories = []
    if side.random() < 0.6:
        designation, brand, reference = side.choice(SOFTWARE_ACCESSORIES[group])
        quantity = main.quantity if group == "insulation" and side.random() < 0.5 else Decimal(side.randint(1, 4))
        unit = main.unit if quantity == main.quantity else "u"
        price = Decimal(side.randint(2, 9)) if unit == "m²" else Decimal(side.randint(45, 480))
        accessories.append(Accessory(designation, brand, reference, quantity, unit, price))
    facts.extra["accessories"] = accessories
    facts.extra["labour_only"] = facts.extra.get("labour_ht")
    if accessories:  # the totals count the accessories with the labour
        facts.extra["labour_ht"] = facts.extra.get("labour_ht", Decimal("0")) + sum(a.total_ht for a in accessories)
    other = None
    if side.random() < 0.25:
        rate = Decimal("20") if facts.tva_rate == Decimal("10") or side.random() < 0.4 else Decimal("10")
        other = (side.choice(OTHER_RATE_LINES[group]), Decimal(side.randint(60, 420)), rate)
    facts.extra["other_rate_line"] = other
    facts.oblige, facts.extra["oblige_service"] = side.choice(SOFTWARE_OBLIGES)
    shares = [Decimal(1)] if len(facts.operations) == 1 else [Decimal(side.randint(35, 65)) / 100]
    split = [_cents(facts.prime * share) for share in shares]
    facts.extra["prime_split"] = split + ([facts.prime - split[0]] if len(facts.operations) > 1 else [])
    facts.extra["spouse"] = side.random() < 0.45
    facts.extra["owner"] = side.random() < 0.85
    facts.extra["ink"] = {"devis": side.random() < 0.85, "stamp_installer": side.random() < 0.6,
                          "stamp_only": side.random() < 0.15}
    return facts


def amounts(facts: DossierFacts) -> Amounts:
    """The totals a software computes: the works at the dossier's rate, the other line at its own."""
    rates = [(facts.tva_rate, facts.total_ht, facts.total_tva)]
    other = facts.extra.get("other_rate_line")
    if other:
        _, base, rate = other
        rates.append((rate, base, _cents(base * rate / 100)))
    return Amounts(rates, facts.prime)


def money(value: Decimal, style: str, *, currency: bool = True) -> str:
    return fmt_amount(value, style, currency=currency)


def rate_text(rate: Decimal) -> str:
    return fmt_number(rate, 1 if rate % 1 else 0)


def date_text(d: dt.date, style: str, rng: Random) -> str:
    """A day date in one of the software family's written forms (``12/05/25``, ``12 mai 2025``,
    ``12.05.2025``, ``lundi 12 mai 2025``…)."""
    if style == "words":
        return fmt_date_words(d, rng)
    return fmt_date(d, style)


def month_text(d: dt.date) -> str:
    """A month only (``mai 2025``): printed where a month is meant, never truth for a day date."""
    return f"{MONTH_NAMES[d.month - 1]} {d.year}"


def client_name(f: DossierFacts, rng: Random) -> str:
    """The beneficiary as software prints a client: civility, capitals, a couple."""
    p = f.beneficiary
    long = "Madame" if p.civility == "Mme" else "Monsieur"
    forms = [f"{p.civility} {p.last_name.upper()} {p.first_name}", f"{long} {p.first_name} {p.last_name.upper()}",
             f"{p.last_name.upper()} {p.first_name}", f"{p.first_name} {p.last_name}"]
    if f.extra.get("spouse") and f.declarant2:
        forms += [f"M. et Mme {p.last_name.upper()} {p.first_name}", f"Monsieur et Madame {p.first_name} {p.last_name.upper()}"]
    return rng.choice(forms)
