"""What the ``office`` family adds to a dossier's facts, and how its documents write values.

The fourth held-out family (``CorpusOptions(family="office")``) draws the documents small
companies type themselves in Word, Excel or LibreOffice, and the forms of bodies the other
families do not print (``office.py``, ``office_grid.py``, ``office_forms.py``,
``office_certificates.py``): Excel-look grids where every cell is framed, the parties side by
side in a two-column table or the client only in a sentence, the document's number and date in
a title line and the place and date at the end, « Marque » / « Modèle » columns or products in
sentences, totals in a small grid or in a sentence, the CEE mention, a Cerfa-like attestation
filled in with comb fields and a typewriter font, partnership conventions in articles and
obligés' e-mails, Qualifelec / Certibat / Cequami / Qualibat certificates, the tax office's real
first page, a bureau d'études' thermal study. It was written from how real French documents
look, without reading the extractor, so that it measures generalisation; its facts come from
streams of their own so that the ``classic``, ``letters`` and ``software`` seeds stay
byte-identical.

Seeds: dev ``OFFICE_DEV_SEEDS`` (1400–1449), measurement ``OFFICE_MEASUREMENT_SEEDS``
(7500–7599), declared with the other families' in ``heldout_facts`` and kept by the same rule.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from random import Random

from .facts import RGE_BODIES, DossierFacts, side_random
from .heldout_facts import WEEKDAYS, Accessory
from .wording import MONTH_NAMES, fmt_amount, fmt_date, fmt_number

# Obligés and délégataires of this family's cadres and conventions (none of them in facts.OBLIGES,
# heldout_facts.LETTER_OBLIGES or software_facts.SOFTWARE_OBLIGES), with the service that writes.
OFFICE_OBLIGES = [
    ("Ekwateur SAS", "Service Efficacité Énergétique"), ("Mint Énergie", "Pôle Primes CEE"),
    ("ELMY Énergies", "Direction des Partenariats"), ("Alterna Énergie", "Cellule CEE"),
    ("Énergies du Santerre SAS", "Service Économies d'Énergie"), ("Groupe Pétrolier Laurentin", "Direction Commerciale CEE"),
    ("Combustibles Moreau & Fils", "Service Primes Habitat"), ("Cofidis Énergie Partenaires", "Département CEE"),
]

# Accessories of the office family's quotes (other brands than the letters' and the software's).
OFFICE_ACCESSORIES = {
    "insulation": [("Écran de sous-toiture HPV", "Delta", "Delta-Vent N"), ("Piges de repérage d'épaisseur", "Isocomble", "Pige 40 cm"),
                   ("Adhésif d'étanchéité", "Tescon", "Vana 60 mm"), ("Capot de spot isolant", "Hestia", "Capot LED 1")],
    "heat": [("Désembouage du circuit", "Sentinel", "X800 Fast Cleaner"), ("Sonde extérieure", "Siemens", "QAC34/101"),
             ("Disconnecteur", "Watts", "BA 2760"), ("Plots anti-vibratiles", "Ponticelli", "PPL 100")],
}

# The typewriter font of values typed into a printed form.
TYPEWRITER = "Courier"


def office_facts(facts: DossierFacts) -> DossierFacts:
    """The family's additions to ``facts`` (in place): an accessory on half the dossiers, an
    obligé with its service, some installers qualified by Qualifelec, Certibat or Cequami, a
    couple on some dossiers, the ink of each document."""
    side = side_random(facts, "office")
    main = facts.products[0]
    group = "insulation" if main.operation.startswith("BAR-EN") else "heat"
    accessories = []
    if side.random() < 0.5:
        designation, brand, reference = side.choice(OFFICE_ACCESSORIES[group])
        quantity = main.quantity if group == "insulation" and side.random() < 0.4 else Decimal(side.randint(1, 3))
        unit = main.unit if quantity == main.quantity else "u"
        price = Decimal(side.randint(2, 7)) if unit == "m²" else Decimal(side.randint(35, 390))
        accessories.append(Accessory(designation, brand, reference, quantity, unit, price))
    facts.extra["accessories"] = accessories
    facts.extra["labour_only"] = facts.extra.get("labour_ht")
    if accessories:  # the totals count the accessories with the labour
        facts.extra["labour_ht"] = facts.extra.get("labour_ht", Decimal("0")) + sum(a.total_ht for a in accessories)
    facts.oblige, facts.extra["oblige_service"] = side.choice(OFFICE_OBLIGES)
    facts.extra["spouse"] = side.random() < 0.4
    roll = side.random()
    body = "Qualifelec" if roll < 0.2 else "Certibat" if roll < 0.35 else "Cequami" if roll < 0.45 else None
    if body:
        facts.installer.rge_body = body
        facts.installer.rge_numero = RGE_BODIES[body][0].format(n=side.randint(10000, 99999), y=facts.installer.rge_start.year)
    facts.extra["ink"] = {"devis": side.random() < 0.8, "stamp_installer": side.random() < 0.65,
                          "facture_stamp": side.random() < 0.4}
    return facts


# ---------------------------------------------------------------------------- how values are written

AMOUNT_STYLES = ["fr", "fr", "fr", "fr_nospace", "fr_nbsp", "fr_eur", "fr_bare"]
DATE_STYLES = ["slash", "slash", "slash", "short", "dot", "long", "long", "weekday"]


def money(value: Decimal, style: str, *, currency: bool = True) -> str:
    return fmt_amount(value, style, currency=currency)


def date_text(d: dt.date, style: str) -> str:
    """A day date as office documents type it: ``12/03/2025``, ``12/03/25``, ``12.03.2025``,
    ``12 mars 2025``, ``mercredi 12 mars 2025``."""
    if style == "weekday":
        day = "1er" if d.day == 1 else str(d.day)
        return f"{WEEKDAYS[d.weekday()]} {day} {MONTH_NAMES[d.month - 1]} {d.year}"
    return fmt_date(d, style)


def rate_text(rate: Decimal) -> str:
    return fmt_number(rate, 1 if rate % 1 else 0)


def quantity_text(value: Decimal, unit: str) -> str:
    return fmt_number(value, 2 if unit == "m²" else 0)


def client_name(f: DossierFacts, rng: Random) -> str:
    """The beneficiary as a typed document names a client: ``M. et Mme DUPONT Jean``,
    ``Madame Claire MARTIN``, ``DUPONT Jean``."""
    p = f.beneficiary
    long = "Madame" if p.civility == "Mme" else "Monsieur"
    forms = [f"{p.civility} {p.last_name.upper()} {p.first_name}", f"{long} {p.first_name} {p.last_name.upper()}",
             f"{long} {p.last_name.upper()} {p.first_name}", f"{p.first_name} {p.last_name.upper()}"]
    if f.extra.get("spouse") and f.declarant2:
        forms += [f"M. et Mme {p.last_name.upper()} {p.first_name}", f"Monsieur et Madame {p.last_name.upper()} {p.first_name}"]
    return rng.choice(forms)


def comb(value: str) -> list[str]:
    """The characters a comb field puts one per box (spaces dropped)."""
    return [ch for ch in value if ch != " "]


def siren_of(siret: str) -> str:
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]}"


def company_numbers(siret: str) -> Random:
    """The company's own numbers (APE, insurer, policy), the same on every document it types."""
    return Random(f"{siret}|office")
