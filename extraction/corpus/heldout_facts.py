"""What the held-out family adds to a dossier's facts, and how its documents write things.

The ``letters`` family (``CorpusOptions(family="letters")``) draws documents the way French
companies write them (issue 13, « how real documents are written »), not the way the
extractor reads them: letters with a letterhead and an unlabelled recipient block, datelines,
values inside sentences, dates in words with weekday names or two-digit years, products named
inside item designations (several per document), ink signatures. Facts are drawn from a
generator of their own so that the ``classic`` family's seeds stay byte-identical.

Seeds (keep them apart; the figures you report come from measurement seeds only):

- DEV seeds ``HELDOUT_DEV_SEEDS`` (1300–1349): develop and debug readers on these, print their
  errors, write tests with them.
- MEASUREMENT seeds ``HELDOUT_MEASUREMENT_SEEDS`` (7300–7399): only for figures. Never look at
  their errors (``bench/accuracy.py --family letters`` refuses ``--errors`` on them) and never
  tune on them; once a measurement seed's errors have been read, move it to the dev list.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from random import Random

from .facts import RGE_BODIES, DossierFacts, Product, side_random
from .wording import MONTH_NAMES, fmt_number

# Measurement seeds whose errors were read, moved to the dev list: 7311 (the errors of
# bench/learning.py --installers 4, read to see what learning from corrections misses); 7301,
# 7302, 7303 (the with/without diffs of bench/learning.py, read to stop learning making
# documents worse).
_READ_SEEDS = frozenset({7301, 7302, 7303, 7311})
HELDOUT_DEV_SEEDS = frozenset(range(1300, 1350)) | _READ_SEEDS
HELDOUT_MEASUREMENT_SEEDS = frozenset(range(7300, 7400)) - _READ_SEEDS
# The ``software`` family (software_facts): the same rule, its own seeds. 7400: its weakest
# fields and misclassified files were printed at the family's first measurement.
_SOFTWARE_READ_SEEDS = frozenset({7400})
SOFTWARE_DEV_SEEDS = frozenset(range(1350, 1400)) | _SOFTWARE_READ_SEEDS
SOFTWARE_MEASUREMENT_SEEDS = frozenset(range(7400, 7500)) - _SOFTWARE_READ_SEEDS
# The ``office`` family (office_facts): the same rule, its own seeds; none of its measurement
# seeds has been looked at.
OFFICE_DEV_SEEDS = frozenset(range(1400, 1450))
OFFICE_MEASUREMENT_SEEDS = frozenset(range(7500, 7600))
# The ``network`` family (network_facts): the same rule, its own seeds; none of its measurement
# seeds has been looked at.
# 7600: its weakest fields were printed at the family's first measurement.
_NETWORK_READ_SEEDS = frozenset({7600})
NETWORK_DEV_SEEDS = frozenset(range(1450, 1500)) | _NETWORK_READ_SEEDS
NETWORK_MEASUREMENT_SEEDS = frozenset(range(7600, 7700)) - _NETWORK_READ_SEEDS
# The ``platform`` family (platform_facts): the same rule, its own seeds; none of its measurement
# seeds has been looked at.
PLATFORM_DEV_SEEDS = frozenset(range(1500, 1550))
PLATFORM_MEASUREMENT_SEEDS = frozenset(range(7700, 7800))
# The ``retail`` family (retail_facts): the same rule, its own seeds; none of its measurement
# seeds has been looked at.
RETAIL_DEV_SEEDS = frozenset(range(1550, 1600))
RETAIL_MEASUREMENT_SEEDS = frozenset(range(7800, 7900))
# Per held-out family: (dev seeds, measurement seeds), for the benchmarks' refusals.
FAMILY_SEEDS = {"letters": (HELDOUT_DEV_SEEDS, HELDOUT_MEASUREMENT_SEEDS),
                "software": (SOFTWARE_DEV_SEEDS, SOFTWARE_MEASUREMENT_SEEDS),
                "office": (OFFICE_DEV_SEEDS, OFFICE_MEASUREMENT_SEEDS),
                "network": (NETWORK_DEV_SEEDS, NETWORK_MEASUREMENT_SEEDS),
                "platform": (PLATFORM_DEV_SEEDS, PLATFORM_MEASUREMENT_SEEDS),
                "retail": (RETAIL_DEV_SEEDS, RETAIL_MEASUREMENT_SEEDS)}

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]

# Obligés writing the cadre de contribution letters of this family (none of them in facts.OBLIGES).
LETTER_OBLIGES = [
    ("HEXAGAZ DISTRIBUTION SAS", "Service Primes Énergie"), ("Picoty SAS", "Direction des économies d'énergie"),
    ("Thevenin Ducrot Distribution", "Pôle CEE"), ("SIPLEC", "Programme Éco-Travaux"),
    ("Carburoil Énergies", "Cellule Certificats d'Économies d'Énergie"), ("Distri Fioul Ouest SA", "Service CEE"),
    ("Bolloré Énergie", "Direction CEE"), ("Groupe Charbonnier Énergies", "Prime Éco Habitat"),
]

# Accessories sold with the main product: a second brand and reference in the item table.
ACCESSORIES = {
    "insulation": [("Membrane pare-vapeur", "Isover", "Vario Xtra"), ("Pare-vapeur", "Siga", "Majrex 200"),
                   ("Frein-vapeur", "Pro Clima", "Intello Plus"), ("Rehausse de trappe", "Knauf Insulation", "Trappe ISO 60")],
    "heat": [("Ballon tampon", "Thermor", "Tampon 50 L"), ("Thermostat d'ambiance", "Netatmo", "NTH01-FR-EC"),
             ("Vase d'expansion", "Flamco", "Flexcon 25"), ("Pot à boues magnétique", "Sentinel", "Eliminator Vortex 300")],
}


@dataclass
class Accessory:
    designation: str
    brand: str
    reference: str
    quantity: Decimal
    unit: str
    unit_price: Decimal

    @property
    def total_ht(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))


def fmt_date_words(d: dt.date, rng: Random) -> str:
    """A date as people write it in letters: ``lundi 5 mai 2025``, ``5 mai 2025``, ``05/05/25``,
    ``le 1er juin 2024``, ``Lundi 05 Mai 2025``."""
    style = rng.choice(["weekday", "weekday", "words", "two_digit", "weekday_cap", "two_digit_dash"])
    day = "1er" if d.day == 1 else str(d.day)
    month = MONTH_NAMES[d.month - 1]
    if style == "weekday":
        return f"{WEEKDAYS[d.weekday()]} {day} {month} {d.year}"
    if style == "weekday_cap":
        return f"{WEEKDAYS[d.weekday()].capitalize()} {d.day:02d} {month.capitalize()} {d.year}"
    if style == "two_digit":
        return d.strftime("%d/%m/%y")
    if style == "two_digit_dash":
        return d.strftime("%d-%m-%y")
    return f"{day} {month} {d.year}"


def fmt_quantity(value: Decimal, unit: str) -> str:
    if unit == "m²":
        return f"{fmt_number(value, 2)} m²"
    return f"{fmt_number(value, 0)} {unit}" if unit != "u" else fmt_number(value, 0)


def letters_facts(facts: DossierFacts) -> DossierFacts:
    """The family's additions to ``facts`` (in place): an accessory with its own brand on most
    dossiers, a letter-writing obligé, a second declarant, some Qualifelec / Certibat installers."""
    side = side_random(facts, "letters")
    main = facts.products[0]
    group = "insulation" if main.operation.startswith("BAR-EN") else "heat"
    accessories = []
    if side.random() < 0.7:
        designation, brand, reference = side.choice(ACCESSORIES[group])
        quantity = main.quantity if group == "insulation" and main.unit == "m²" else Decimal(1)
        unit = main.unit if group == "insulation" else "u"
        price = Decimal(side.randint(3, 12)) if unit == "m²" else Decimal(side.randint(90, 650))
        accessories.append(Accessory(designation, brand, reference, quantity, unit, price))
    facts.extra["accessories"] = accessories
    facts.extra["labour_only"] = facts.extra.get("labour_ht")
    if accessories:  # the totals count the accessories with the labour
        facts.extra["labour_ht"] = facts.extra.get("labour_ht", Decimal("0")) + sum(a.total_ht for a in accessories)
    facts.oblige, facts.extra["oblige_service"] = side.choice(LETTER_OBLIGES)
    facts.extra["spouse"] = side.random() < 0.45
    roll = side.random()
    if roll < 0.15 or roll > 0.9:
        body = "Qualifelec" if roll < 0.15 else "Certibat"
        facts.installer.rge_body = body
        facts.installer.rge_numero = RGE_BODIES[body][0].format(n=side.randint(10000, 99999), y=facts.installer.rge_start.year)
    facts.extra["ink"] = {"devis": side.random() < 0.9, "stamp_installer": side.random() < 0.6}
    return facts


def products_of(facts: DossierFacts) -> list[Product | Accessory]:
    return list(facts.products) + list(facts.extra.get("accessories", []))


def brands_truth(facts: DossierFacts) -> dict[str, list[str]]:
    """The multi-valued truth: every brand and every reference printed in the item designations."""
    brands, references = [], []
    for item in products_of(facts):
        if item.brand not in brands:
            brands.append(item.brand)
        if item.reference not in references:
            references.append(item.reference)
    return {"marque": brands, "reference_produit": references}
