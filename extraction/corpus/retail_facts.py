"""What the ``retail`` family adds to a dossier's facts, and how its documents write values.

The seventh held-out family (``CorpusOptions(family="retail")``) draws the documents French
households get when their works go through a home-improvement retailer's installation service,
an energy supplier's CEE programme or a franchise network (``retail_quotes.py``,
``retail_blocks.py``, ``retail_forms.py``, ``retail_papers.py``, ``retail_scan.py``): quotes and
invoices crowded with numbers that are not theirs (N° de commande, N° client, N° de magasin,
carte de fidélité, PDL / PCE, EAN codes, the store's and the company's VAT numbers), item tables
of eight columns (Réf., Désignation, Qté, Unité, PU HT, Remise %, TVA %, Montant HT), amounts as
« 1 234,56 € », « 1.234,56 EUR » or « EUR 1 234,56 », the prime as a negative « Prime CEE / Coup de
pouce » line and a « Reste à charge »; the customer in a right-hand « Informations client » or
« Livraison / pose chez » box, sometimes a couple (« M. et Mme »), an SCI or a copropriété; the
store's address at the top and the registered office in the footer; a spreadsheet export in A4
landscape; two-page documents with their header on each page and « Page 1/2 ». The attestation
comes as a fillable PDF form (filled in, not flattened) or a typed form signed in ink; the
energy supplier's « Offre Coup de pouce » / « Prime Énergie » and its partner contract summary;
multi-row RGE certificates with a QR-code block; avis d'impôt close to the real one; the
installation service's sizing note. Scans are sometimes faded (low contrast) on top of the
scanner's usual skew and noise. It was written from how real documents look, without reading
the extractor, so that it measures generalisation; its facts come from streams of their own so
that the other families' seeds stay byte-identical.

Seeds: dev ``RETAIL_DEV_SEEDS`` (1550–1599), measurement ``RETAIL_MEASUREMENT_SEEDS``
(7800–7899), declared with the other families' in ``heldout_facts`` and kept by the same rule.

Truth conventions of the family: the beneficiary is the works' occupant (first name and last
name of the first declarant) unless the customer is a legal entity (an SCI, a syndicat de
copropriétaires), then it is the entity's name as printed; the works address (« Livraison /
pose chez », « Adresse des travaux ») is the beneficiary's address, never the billing one; the
issuer (``raison_sociale_installateur``) is the company of the legal mentions, never the shop
sign, the store or the franchise brand printed larger above it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from random import Random

from .facts import CITIES, RGE_BODIES, DossierFacts, _slug, _street, make_siret, side_random
from .wording import MONTH_NAMES, NBSP, fmt_number

# The energy suppliers and fuel distributors whose CEE programmes pay the primes (none in another family's list).
RETAIL_OBLIGES = [
    ("Volténa Énergie SA", "Programme Volténa Rénov'"), ("Gazélis Fourniture", "Offre Prime Énergie Gazélis"),
    ("Hexaly Énergies", "Coup de pouce Hexaly"), ("Électra Sud Fourniture", "Mon Chauffage Éco"),
    ("Alizée Gaz & Électricité", "Prime Alizée Confort"), ("Ondéa Énergies SAS", "Programme Ondéa Habitat"),
    ("Flamme Bleue Distribution", "Prime Flamme Bleue"), ("Lumina Énergie SA", "Éco-prime Lumina"),
]
# Shop signs of the retailers and franchise networks (labels printed large: never the issuer's legal name).
RETAILERS = ["Bricoval", "Maisonéa", "Bricolia", "Habitat Dépôt", "Logis Brico", "Domicéo"]
FRANCHISES = ["Confortéo", "Thermi'Services", "IsoFrance Réseau", "Chaleur & Habitat", "Réno'Point"]
CHANNELS = ["magasin", "magasin", "fournisseur", "franchise"]
# Accessories and fittings with their brand, reference and list price range (insulation: per m²).
RETAIL_ACCESSORIES = {
    "insulation": [("Pare-vapeur", "Isover", "Vario KM Duplex UV", (2, 5)), ("Écran sous-toiture", "Actis", "Boost'R 10", (3, 7)),
                   ("Panneau fibre de bois", "Steico", "Steico flex 036", (9, 16)), ("Déflecteur de laine", "Ursa", "Cap 300", (1, 3)),
                   ("Laine de roche en rouleau", "Rockwool", "Rockroll 35", (4, 9))],
    "heat": [("Thermostat sans fil", "Frisquet", "Eco Radio System Visio", (180, 320)),
             ("Ballon tampon 50 L", "De Dietrich", "B 50 tampon", (260, 480)),
             ("Kit hydraulique de raccordement", "Saunier Duval", "Kit 0020256", (90, 210)),
             ("Vase d'expansion 18 L", "Thermor", "VE 18", (40, 90)), ("Sonde extérieure", "Atlantic", "Sonde 073103", (25, 60))],
}
SERVICES = [("SRV-DEPL", "Frais de déplacement technicien"), ("SRV-EVAC", "Dépose et évacuation de l'ancien équipement / déchets"),
            ("SRV-PROT", "Protection des sols et du mobilier"), ("SRV-MES", "Mise en service et réglages")]
# Brands the family's retailers list for the main product (on some dossiers, in place of the facts' own).
MAIN_PRODUCTS = {
    "insulation": [("Steico", ["Steico zell", "Steico flex 038"]), ("Knauf Insulation", ["Knauf Supafil Loft 045"]),
                   ("Isover", ["Comblissimo 4+", "IBR Revêtu 320"])],
    "pac": [("De Dietrich", ["Alezio S V200 8 kW", "Strateo 8 kW"]), ("Daikin", ["Altherma 3 M EBLA11E3V3"]),
            ("Mitsubishi Electric", ["Ecodan Hydrobox EHST20D"]), ("Viessmann", ["Vitocal 150-A 10 kW"])],
    "water": [("Thermor", ["Aéromax Premium 250 L"]), ("De Dietrich", ["Kaliko Essentiel 200 L"])],
}
ENTITY_NAMES = ["SCI du Moulin", "SCI Les Tilleuls", "SCI La Bergerie", "SCI Famille {last}", "SCI {last} Patrimoine"]
SPOUSES = ["Sylvie", "Isabelle", "Christophe", "Nathalie", "Patrick", "Sandrine", "Thierry", "Valérie", "Laurent"]


@dataclass
class RetailLine:
    """An accessory of the item table: a brand and reference (part of the truth), an EAN, a list price and a discount."""
    designation: str
    brand: str
    reference: str
    code: str
    ean: str
    quantity: Decimal
    unit: str
    list_price: Decimal
    discount: int  # per cent

    @property
    def total_ht(self) -> Decimal:
        gross = self.quantity * self.list_price * (100 - self.discount) / 100
        return gross.quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class Service:
    code: str
    designation: str
    price: Decimal

    @property
    def total_ht(self) -> Decimal:
        return self.price


def ean13(side: Random, prefix: str = "3") -> str:
    """An EAN-13 with its check digit (French prefixes 30–37)."""
    body = prefix + str(side.randint(0, 7)) + "".join(str(side.randint(0, 9)) for _ in range(10))
    total = sum(int(d) * (3 if k % 2 else 1) for k, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _shift(d: dt.date | None, years: int) -> dt.date | None:
    if d is None or not years:
        return d
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _dates_2024_2026(facts: DossierFacts, side: Random) -> None:
    """The family's dossiers run from 2024 to 2026: every date moves by the same years."""
    years = {2023: 2, 2024: side.choice([0, 1])}.get(facts.date_cadre.year, side.choice([0, 0, 1]))
    for name in ("date_cadre", "date_devis", "date_signature", "date_debut_travaux", "date_fin_travaux", "date_facture",
                 "date_visite_technique"):
        setattr(facts, name, _shift(getattr(facts, name), years))
    facts.annee_revenus += years
    c = facts.installer
    start = facts.date_cadre - dt.timedelta(days=side.randint(120, 1100))
    facts.installer = dataclasses.replace(c, rge_start=start, rge_end=_shift(start, 4) - dt.timedelta(days=1),
                                          rge_numero=RGE_BODIES[c.rge_body][0].format(n=side.randint(10000, 999999), y=start.year))


def retail_facts(facts: DossierFacts) -> DossierFacts:
    """The family's additions to ``facts`` (in place)."""
    side = side_random(facts, "retail")
    _dates_2024_2026(facts, side)
    main = facts.products[0]
    group = "insulation" if main.operation.startswith("BAR-EN") else "heat"
    kind = {"BAR-TH-171": "pac", "BAR-TH-172": "pac", "BAR-TH-148": "water"}.get(main.operation, group)
    if kind in MAIN_PRODUCTS and side.random() < 0.4:
        brand, references = side.choice(MAIN_PRODUCTS[kind])
        main.brand, main.reference = brand, side.choice(references)
    channel = side.choice(CHANNELS)
    store_postal, store_city = side.choice(CITIES)
    zone = side.choice(["ZAC des Portes", "Centre commercial Les Arcades", "Zone commerciale du Grand Pré", "Parc d'activités Nord",
                        "Retail park de la Plaine"])
    retail = {
        "channel": channel, "sign": side.choice(FRANCHISES if channel == "franchise" else RETAILERS),
        "store_no": f"{side.randint(12, 389):04d}", "store": (zone, store_postal, store_city),
        "store_phone": " ".join(["0" + str(side.choice([1, 2, 3, 4, 5, 9]))] + [f"{side.randint(0, 99):02d}" for _ in range(4)]),
        "order": f"{side.randint(10, 99)}{side.randint(100000, 999999)}{side.randint(10, 99)}",
        "customer": f"{side.choice(['C', 'CL', ''])}{side.randint(10**7, 10**9 - 1)}",
        "card": f"{side.choice(['2', '9'])}{side.randint(10**11, 10**12 - 1)}",
        "seller": f"V{side.randint(100, 999)}", "pdl": "".join(str(side.randint(0, 9)) for _ in range(14)),
        "pce": f"GI{side.randint(10**5, 10**6 - 1)}{side.randint(10**5, 10**6 - 1)}" if side.random() < 0.4 else
        "".join(str(side.randint(0, 9)) for _ in range(14)),
        "contract": f"{side.randint(100, 999)} {side.randint(100, 999)} {side.randint(100, 999)}",
        "eco": Decimal(side.choice(["0.50", "1.20", "2.00", "6.00", "12.00"])),
        "store_tva": f"FR{side.randint(10, 99)}{side.randint(300, 999)}{side.randint(100000, 999999)}",
    }
    facts.extra["retail"] = retail
    facts.oblige, facts.extra["oblige_service"] = side.choice(RETAIL_OBLIGES)
    c = facts.installer
    if channel == "magasin":  # the retailer's installation company issues the documents
        name = f"{retail['sign']} {side.choice(['Services Habitat', 'Pose & Services', 'Installation', 'Solutions Habitat'])}"
        facts.installer = dataclasses.replace(c, name=name, email=f"pose.{_slug(retail['sign'])}@{_slug(name)}.fr",
                                              legal_form=side.choice(["SAS", "SASU"]),
                                              capital=side.choice([150000, 500000, 1200000]))
    year2 = f"{facts.date_devis:%y}"
    n = side.randint(1, 99999)
    if channel == "magasin":
        facts.devis_number = f"D{retail['store_no']}-{year2}-{n:06d}"
        facts.facture_number = f"F{retail['store_no']}-{facts.date_facture:%y}-{side.randint(1, 99999):06d}"
    elif channel == "fournisseur":
        facts.devis_number = f"DV-{year2}{n:05d}"
        facts.facture_number = f"FA-{facts.date_facture:%y}{side.randint(1, 99999):05d}"
    else:
        agency = side.choice(["LYE", "NTS", "BDX", "RNS", "TLS", "MTZ", "LIL"])
        facts.devis_number = f"{agency}-DE-{n:05d}"
        facts.facture_number = f"{agency}-FC-{side.randint(1, 99999):05d}"
    accessories = []
    for designation, brand, reference, (low, high) in side.sample(RETAIL_ACCESSORIES[group], side.choice([1, 1, 2, 2, 3])):
        per_m2 = group == "insulation"
        quantity = main.quantity if per_m2 and side.random() < 0.6 else Decimal(side.randint(1, 3 if not per_m2 else 12))
        unit = "m²" if per_m2 and quantity == main.quantity else ("rouleau" if per_m2 else "u")
        price = Decimal(side.randint(low * 100, high * 100)) / 100
        accessories.append(RetailLine(designation, brand, reference, f"{side.randint(10**7, 10**8 - 1)}", ean13(side), quantity, unit,
                                      price, side.choice([0, 0, 5, 10, 15, 20])))
    services = [Service(code, designation, Decimal(side.randint(40, 290))) for code, designation in
                side.sample(SERVICES, side.choice([0, 1, 2]))]
    facts.extra["accessories"], facts.extra["services"] = accessories, services
    facts.extra["labour_only"] = facts.extra.get("labour_ht")
    extra = sum((a.total_ht for a in accessories), Decimal("0")) + sum((s.price for s in services), Decimal("0"))
    facts.extra["labour_ht"] = facts.extra.get("labour_ht", Decimal("0")) + extra
    facts.extra["spouse"] = side.random() < 0.5
    if facts.extra["spouse"] and not facts.declarant2:
        facts.declarant2 = side.choice(SPOUSES)
    roll = side.random()
    if roll < 0.1:
        facts.extra["entity"] = (side.choice(ENTITY_NAMES).format(last=facts.beneficiary.last_name), make_siret(side), "gérant")
    elif roll < 0.14:
        facts.extra["entity"] = (f"Syndicat des copropriétaires de la Résidence {side.choice(['Les Cèdres', 'Le Parc', 'Les Vignes'])}",
                                 make_siret(side), "syndic bénévole")
    if side.random() < 0.25:
        postal_code, city = side.choice(CITIES)
        facts.extra["billing"] = (_street(side), postal_code, city)
    facts.extra["ink"] = {"devis": side.random() < 0.85, "stamp_installer": side.random() < 0.6}
    roll = side.random()
    if roll < 0.12:
        facts.installer.rge_body = "Qualifelec"
        facts.installer.rge_numero = RGE_BODIES["Qualifelec"][0].format(n=side.randint(10000, 99999), y=facts.installer.rge_start.year)
    return facts


# ---------------------------------------------------------------------------- how values are written

AMOUNT_STYLES = ["space_eur", "space_eur", "dot_eur", "dot_eur", "prefix", "nbsp", "space_code"]
DATE_STYLES = ["slash", "slash", "slash", "dash", "long", "short_year"]


def group(integer: int, sep: str) -> str:
    return f"{integer:,}".replace(",", sep)


def money(value: Decimal, style: str, *, currency: bool = True) -> str:
    """« 1 234,56 € », « 1.234,56 EUR », « EUR 1 234,56 », « 1 234,56 € » (no-break), « 1 234,56 EUR »;
    negatives as « -1 234,56 € »."""
    value = Decimal(value).quantize(Decimal("0.01"))
    sign = "-" if value < 0 else ""
    value = abs(value)
    integer, cents = int(value), f"{int((value - int(value)) * 100):02d}"
    if style == "dot_eur":
        text = f"{group(integer, '.')},{cents}"
        return f"{sign}{text}" + (" EUR" if currency else "")
    if style == "prefix":
        text = f"{group(integer, ' ')},{cents}"
        return (f"EUR {sign}{text}" if currency else f"{sign}{text}")
    if style == "nbsp":
        text = f"{group(integer, NBSP)},{cents}"
        return f"{sign}{text}" + (f"{NBSP}€" if currency else "")
    text = f"{group(integer, ' ')},{cents}"
    return f"{sign}{text}" + ((" EUR" if style == "space_code" else " €") if currency else "")


def date_text(d: dt.date, style: str) -> str:
    """« 14/03/2025 », « 14-03-2025 », « 14 mars 2025 », « 14/03/25 »."""
    if style == "dash":
        return d.strftime("%d-%m-%Y")
    if style == "long":
        return f"{'1er' if d.day == 1 else d.day} {MONTH_NAMES[d.month - 1]} {d.year}"
    if style == "short_year":
        return d.strftime("%d/%m/%y")
    return d.strftime("%d/%m/%Y")


def quantity_text(value: Decimal, unit: str) -> str:
    return fmt_number(value, 2 if unit == "m²" else 0)


def rate_text(rate: Decimal) -> str:
    return fmt_number(rate, 1 if rate % 1 else 0)


def customer_name(f: DossierFacts, rng: Random) -> str:
    """The customer as retail software prints it: « M. et Mme DURAND Paul », « Mme Sophie DURAND »,
    « DURAND PAUL »; an entity's name."""
    entity = f.extra.get("entity")
    if entity:
        return entity[0]
    p = f.beneficiary
    if f.extra.get("spouse"):
        return rng.choice([f"M. et Mme {p.last_name.upper()} {p.first_name}", f"M. et Mme {p.first_name} {p.last_name.upper()}",
                           f"Monsieur et Madame {p.first_name} {p.last_name}"])
    civility = "Mme" if p.civility == "Mme" else "M."
    return rng.choice([f"{civility} {p.last_name.upper()} {p.first_name}", f"{civility} {p.first_name} {p.last_name.upper()}",
                       f"{p.last_name.upper()} {p.first_name.upper()}"])


def beneficiary_truth_name(f: DossierFacts) -> str:
    entity = f.extra.get("entity")
    return entity[0] if entity else f"{f.beneficiary.first_name} {f.beneficiary.last_name}"


def representative(f: DossierFacts) -> str | None:
    """« représentée par M. Paul DURAND, gérant » for an entity customer."""
    entity = f.extra.get("entity")
    if not entity:
        return None
    p = f.beneficiary
    return f"représenté{'e' if entity[0].startswith('SCI') else ''} par {p.civility} {p.first_name} {p.last_name.upper()}, {entity[2]}"
