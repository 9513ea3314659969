"""What the ``network`` family adds to a dossier's facts, and how its documents write values.

The fifth held-out family (``CorpusOptions(family="network")``) draws the documents of dossiers
handled through the big CEE networks and délégataires and by small artisans (``network.py``,
``network_pages.py``, ``network_forms.py``, ``network_papers.py``): quotes and invoices over two
or three pages, the item table continuing under a repeated header with « À reporter » / « Report »
lines, « Page 1/3 », items grouped in lots with their subtotals and priced non-CEE lines (dépose,
évacuation des déchets, échafaudage, main d'œuvre) around the CEE products, a last page of
« Conditions générales de vente » in two columns of small print; the délégataire's framed CEE
block (prime, reste à charge); a délégataire's one-page engagement letter with its reference
numbers; the France Rénov' directory printed from a browser as RGE proof and a Qualit'EnR mark's
certificate; the regulatory attestation filled in as if by hand (oblique fonts, values off their
lines, crosses in the boxes, two-digit years); the « avis de situation déclarative » installers
upload instead of the avis. It was written from how real French documents look, without reading
the extractor, so that it measures generalisation; its facts come from streams of their own so
that the other families' seeds stay byte-identical.

Seeds: dev ``NETWORK_DEV_SEEDS`` (1450–1499), measurement ``NETWORK_MEASUREMENT_SEEDS``
(7600–7699), declared with the other families' in ``heldout_facts`` and kept by the same rule.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from random import Random

from .facts import RGE_BODIES, DossierFacts, side_random
from .heldout_facts import Accessory
from .sheet import font_sets
from .wording import MONTH_NAMES

# Délégataires and obligés of this family's documents (none of them in facts.OBLIGES or another
# held-out family's list), with the service that writes the engagement letters.
NETWORK_OBLIGES = [
    ("Objectif Prime Énergie SAS", "Pôle Délégation CEE"), ("Cap Économies Délégataire", "Service Engagements"),
    ("France Éco-Délégation", "Cellule Dossiers CEE"), ("Valoréna Énergie", "Direction des Opérations CEE"),
    ("Alliance Délégation Habitat", "Service Primes"), ("Ouest Certificats Énergie SAS", "Gestion des dossiers"),
    ("Prim'Avenir Énergies", "Service Partenaires Installateurs"), ("Groupe Néréa Délégation", "Pôle CEE Résidentiel"),
]
# The installers' networks named on the letterheads (a label, not a party of the dossier).
NETWORKS = ["Réseau Éco-Artisans Rénovation", "Habitat Performance Partenaires", "Les Pros de la Rénov'", "Réseau Confort Énergie",
            "Artisans Verts Associés", "Cercle des Installateurs Qualifiés"]

# Accessories of this family's quotes (brands and references none of the other families print).
NETWORK_ACCESSORIES = {
    "insulation": [("Membrane hygro-régulante", "Ampack", "Ampatex Variano"), ("Cache-spot de protection", "Isolspot", "IS-250"),
                   ("Rehausse de trappe de visite", "Nicoll", "TRV 60"), ("Déflecteur de chevrons", "Soprema", "Déflect'Air")],
    "heat": [("Filtre magnétique", "Fernox", "TF1 Omega"), ("Thermostat connecté", "Tado", "V3+ Smart"),
             ("Kit hydraulique", "Caleffi", "Kit 165 DN25"), ("Support mural de groupe extérieur", "Fischer", "SMG 450")],
}

# The priced lines that are no CEE operation: preparation, removal, waste, access, labour (unit, price range).
SITE_LINES = {
    "insulation": [("Dépose et évacuation de l'ancien isolant", "m²", (3, 9)), ("Évacuation des déchets en déchetterie agréée", "forfait", (80, 260)),
                   ("Protection des sols et installation de chantier", "forfait", (60, 180)),
                   ("Traitement des points singuliers (conduits, spots, boîtiers)", "forfait", (90, 240)),
                   ("Création d'un cheminement en combles", "ml", (12, 28)), ("Échafaudage de pied, montage et démontage", "forfait", (350, 900))],
    "heat": [("Dépose de l'ancienne chaudière et de ses accessoires", "forfait", (250, 650)),
             ("Neutralisation et évacuation de la cuve fioul", "forfait", (450, 1100)),
             ("Évacuation des déchets et DEEE", "forfait", (60, 180)), ("Liaisons frigorifiques et condensats", "ml", (35, 70)),
             ("Raccordement électrique, protection dédiée au tableau", "forfait", (180, 420)),
             ("Main d'œuvre d'installation", "h", (45, 62)), ("Échafaudage roulant pour accès en hauteur", "forfait", (150, 380))],
}


@dataclass
class SiteLine:
    """A priced line of the quote that is no CEE product and has no brand."""

    designation: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    lot: str

    @property
    def total_ht(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))


def _site_lines(side: Random, group: str, main_quantity: Decimal) -> list[SiteLine]:
    chosen = side.sample(SITE_LINES[group], side.randint(2, 4))
    lines = []
    for designation, unit, (low, high) in chosen:
        if unit == "m²":
            quantity = main_quantity
        elif unit == "ml":
            quantity = Decimal(side.randint(4, 25))
        elif unit == "h":
            quantity = Decimal(side.randint(4, 16))
        else:
            quantity = Decimal(1)
        lot = "labour" if unit == "h" or designation.startswith(("Raccordement", "Liaisons")) else "site"
        lines.append(SiteLine(designation, quantity, unit, Decimal(side.randint(low, high)), lot))
    return lines


def network_facts(facts: DossierFacts) -> DossierFacts:
    """The family's additions to ``facts`` (in place): accessories with their own brands, the
    priced non-CEE lines around the operation (their totals count with the labour, so that TTC
    stays HT + TVA), a délégataire with its service and reference numbers, the installer's
    network, a couple on some dossiers, the ink of each document."""
    side = side_random(facts, "network")
    main = facts.products[0]
    group = "insulation" if main.operation.startswith("BAR-EN") else "heat"
    accessories = []
    for designation, brand, reference in side.sample(NETWORK_ACCESSORIES[group], side.choice([0, 1, 1, 2])):
        quantity = main.quantity if group == "insulation" and side.random() < 0.5 else Decimal(side.randint(1, 4))
        unit = main.unit if quantity == main.quantity else "u"
        price = Decimal(side.randint(2, 6)) if unit == "m²" else Decimal(side.randint(25, 420))
        accessories.append(Accessory(designation, brand, reference, quantity, unit, price))
    facts.extra["accessories"] = accessories
    facts.extra["site_lines"] = _site_lines(side, group, main.quantity)
    facts.extra["labour_only"] = facts.extra.get("labour_ht")
    facts.extra["labour_ht"] = (facts.extra.get("labour_ht", Decimal("0")) + sum((a.total_ht for a in accessories), Decimal("0"))
                                + sum((s.total_ht for s in facts.extra["site_lines"]), Decimal("0")))
    facts.oblige, facts.extra["oblige_service"] = side.choice(NETWORK_OBLIGES)
    facts.extra["network"] = side.choice(NETWORKS)
    facts.extra["dossier_ref"] = f"{side.choice(['CEE', 'DEL', 'OPE'])}-{facts.date_cadre.year}-{side.randint(100000, 999999)}"
    facts.extra["engagement_ref"] = f"ENG{side.randint(10**7, 10**8 - 1)}"
    facts.extra["spouse"] = side.random() < 0.45
    roll = side.random()
    body = "Qualifelec" if roll < 0.12 else "Certibat" if roll < 0.2 else None
    if body:
        facts.installer.rge_body = body
        facts.installer.rge_numero = RGE_BODIES[body][0].format(n=side.randint(10000, 99999), y=facts.installer.rge_start.year)
    facts.extra["ink"] = {"devis": side.random() < 0.85, "stamp_installer": side.random() < 0.7,
                          "facture_stamp": side.random() < 0.5}
    return facts


# ---------------------------------------------------------------------------- how values are written

def hand_date(d: dt.date, rng: Random) -> str:
    """A date as a hand fills a form in: ``12/03/25``, ``12/03/2025``, ``12 mars 2025``, ``12-03-25``."""
    style = rng.choice(["short", "short", "slash", "words", "dash"])
    if style == "words":
        return f"{'1er' if d.day == 1 else d.day} {MONTH_NAMES[d.month - 1]} {d.year}"
    return d.strftime({"short": "%d/%m/%y", "slash": "%d/%m/%Y", "dash": "%d-%m-%y"}[style])


def hand_font(rng: Random) -> str:
    """An oblique font standing for handwriting: Liberation Serif Italic or DejaVu Sans Oblique
    where the system has them (registered by ``sheet.font_sets``), else Times Italic."""
    registered = {fonts.italic for fonts in font_sets()}
    choices = [name for name in ("LiberationSerif-Italic", "DejaVuSans-Italic") if name in registered]
    return rng.choice(choices) if choices else "Times-Italic"


def page_label(page: int, pages: int, style: str) -> str:
    return {"slash": f"Page {page}/{pages}", "sur": f"Page {page} sur {pages}", "bare": f"{page}/{pages}",
            "colon": f"Page : {page} / {pages}"}[style]
