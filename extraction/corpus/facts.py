"""The facts of a generated CEE dossier: who, where, what works, which dates and amounts.

One ``DossierFacts`` feeds every document of a dossier, so the devis, the facture and the
attestation agree with each other the way a real dossier does (same beneficiary, same
works address, engagement before completion, TTC = HT + TVA). Everything is drawn from a
``random.Random`` and a seeded Faker, so a seed always gives the same dossier.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from random import Random

from faker import Faker

from accounts.validators import luhn_valid

# Real communes with their postal codes, spread over the three climate zones (and Corsica).
CITIES = [
    ("69100", "Villeurbanne"), ("69003", "Lyon"), ("38000", "Grenoble"), ("42000", "Saint-Étienne"),
    ("63000", "Clermont-Ferrand"), ("21000", "Dijon"), ("25000", "Besançon"), ("67000", "Strasbourg"),
    ("68100", "Mulhouse"), ("57000", "Metz"), ("54000", "Nancy"), ("51100", "Reims"), ("59000", "Lille"),
    ("62300", "Lens"), ("80000", "Amiens"), ("76000", "Rouen"), ("14000", "Caen"), ("75011", "Paris"),
    ("92100", "Boulogne-Billancourt"), ("93100", "Montreuil"), ("94000", "Créteil"), ("78000", "Versailles"),
    ("45000", "Orléans"), ("87000", "Limoges"), ("74000", "Annecy"), ("73000", "Chambéry"), ("01000", "Bourg-en-Bresse"),
    ("35000", "Rennes"), ("44000", "Nantes"), ("49000", "Angers"), ("37000", "Tours"), ("86000", "Poitiers"),
    ("33000", "Bordeaux"), ("31000", "Toulouse"), ("64000", "Pau"), ("40100", "Dax"), ("29200", "Brest"),
    ("56100", "Lorient"), ("17000", "La Rochelle"), ("24000", "Périgueux"), ("26000", "Valence"), ("84000", "Avignon"),
    ("72000", "Le Mans"), ("85000", "La Roche-sur-Yon"), ("13001", "Marseille"), ("13100", "Aix-en-Provence"),
    ("06000", "Nice"), ("83000", "Toulon"), ("34000", "Montpellier"), ("30000", "Nîmes"), ("66000", "Perpignan"),
    ("11100", "Narbonne"), ("20000", "Ajaccio"), ("20200", "Bastia"), ("04000", "Digne-les-Bains"),
    ("12000", "Rodez"), ("81000", "Albi"), ("46000", "Cahors"), ("65000", "Tarbes"), ("09000", "Foix"),
    ("71100", "Chalon-sur-Saône"), ("89000", "Auxerre"), ("10000", "Troyes"), ("02100", "Saint-Quentin"),
    ("28000", "Chartres"), ("61000", "Alençon"), ("50100", "Cherbourg-en-Cotentin"), ("22000", "Saint-Brieuc"),
    ("79000", "Niort"), ("16000", "Angoulême"), ("47000", "Agen"), ("82000", "Montauban"),
]

STREET_TYPES = ["rue", "rue", "rue", "avenue", "boulevard", "chemin", "impasse", "allée", "place", "route", "quai", "cours"]
STREET_NAMES = [
    "Victor Hugo", "Jean Jaurès", "de la République", "Pasteur", "du Général de Gaulle", "des Lilas", "des Écoles",
    "de la Gare", "du Moulin", "des Acacias", "Gambetta", "Jules Ferry", "de la Liberté", "du Stade", "des Tilleuls",
    "Anatole France", "Émile Zola", "de Verdun", "des Peupliers", "du Château", "Carnot", "de l'Église", "des Vignes",
    "Lamartine", "du Lavoir", "des Roses", "Paul Bert", "de la Paix", "Voltaire", "des Cerisiers", "du Parc",
    "Marcel Pagnol", "Louis Pergaud", "des Frères Lumière", "Henri Rolland", "de Bretagne", "des Mimosas",
]

COMPANY_WORDS_A = ["Éco", "Thermi", "Iso", "Confort", "Habitat", "Énergie", "Clim", "Renov", "Solu", "Therm", "Iso'", "Bati"]
COMPANY_WORDS_B = ["Habitat", "Rénovation", "Énergies", "Services", "Confort", "Isolation", "Thermique", "Solutions",
                   "Bâtiment", "Concept", "Plus", "France", "Pro", "Expert", "Sud", "Ouest", "Alpes", "Nord"]
LEGAL_FORMS = ["SAS", "SARL", "SASU", "EURL", "SAS", "SARL"]

OBLIGES = [
    "TotalEnergies Marketing France", "EDF", "ENGIE", "Effy SAS", "Hellio Solutions", "Capital Énergie",
    "Certinergy & Solutions", "GEO PLC", "Sonergia", "Leyton CEE", "Butagaz", "Auchan Carburant", "Primagaz",
    "Vos Travaux Éco", "Economie d'Énergie SAS",
]

RGE_BODIES = {
    "Qualibat": ("E-E{n}", "QUALIBAT"),
    "QualiPAC": ("QPAC/{y}/{n}", "QUALIT'ENR"),
    "Qualit'EnR": ("QE/{n}", "QUALIT'ENR"),
    "Qualibois": ("QB/{y}/{n}", "QUALIT'ENR"),
    "Qualifelec": ("QF-{n}", "QUALIFELEC"),
    "Certibat": ("CERTIBAT-RGE-{n}", "CERTIBAT"),
    "Cequami": ("CEQ-RGE-{y}-{n}", "CEQUAMI"),
}


@dataclass
class Product:
    operation: str
    title: str  # line-item wording
    brand: str
    reference: str
    unit: str  # m² or u
    quantity: Decimal
    unit_price: Decimal
    surface: Decimal | None = None
    resistance: Decimal | None = None
    etas: Decimal | None = None
    cop: Decimal | None = None
    thickness_mm: int | None = None

    @property
    def total_ht(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"), ROUND_HALF_UP)


OPERATION_TITLES = {
    "BAR-EN-101": "Isolation de combles ou de toitures",
    "BAR-EN-102": "Isolation des murs",
    "BAR-EN-103": "Isolation d'un plancher",
    "BAR-TH-171": "Pompe à chaleur de type air/eau",
    "BAR-TH-172": "Pompe à chaleur de type eau/eau ou sol/eau",
    "BAR-TH-148": "Chauffe-eau thermodynamique à accumulation",
    "BAR-TH-112": "Appareil indépendant de chauffage au bois",
    "BAR-TH-113": "Chaudière biomasse individuelle",
    "BAR-TH-143": "Système solaire combiné",
}
OPERATION_DOMAINS = {
    "BAR-EN-101": "Isolation du toit", "BAR-EN-102": "Isolation des murs et planchers bas",
    "BAR-EN-103": "Isolation des murs et planchers bas", "BAR-TH-171": "Pompe à chaleur : chauffage",
    "BAR-TH-172": "Pompe à chaleur : chauffage", "BAR-TH-148": "Chauffe-eau thermodynamique",
    "BAR-TH-112": "Chauffage et/ou eau chaude au bois", "BAR-TH-113": "Chaudière bois",
    "BAR-TH-143": "Chauffage et/ou eau chaude solaire",
}
OPERATION_BODY = {
    "BAR-EN-101": "Qualibat", "BAR-EN-102": "Qualibat", "BAR-EN-103": "Qualibat", "BAR-TH-171": "QualiPAC",
    "BAR-TH-172": "QualiPAC", "BAR-TH-148": "QualiPAC", "BAR-TH-112": "Qualibois", "BAR-TH-113": "Qualibois",
    "BAR-TH-143": "Qualit'EnR",
}
INSULATION_PRODUCTS = [
    ("Isover", ["IBR Nu 300", "Comblissimo", "GR 32 Revêtu Kraft", "Isoconfort 35", "Integra ZAP 35"]),
    ("Knauf Insulation", ["Supafil Loft 045", "TI 212", "Unifit 035", "Acoustifit 037"]),
    ("Rockwool", ["Jetrock 2", "Rockcomble", "Rockplus Kraft", "Rockmur 032"]),
    ("URSA", ["Pureone 32", "TERRA Vario 35", "URSA Mur P4"]),
    ("Actis", ["Hybris 205", "Boost'R Hybrid", "Triso Laine"]),
    ("Soprema", ["Efigreen Duo+", "Pavatex Isolair"]),
    ("Saint-Gobain Weber", ["weber.therm XM", "weber.therm XM ultra 22"]),
]
HEAT_PUMPS = [
    ("Atlantic", ["Alfea Extensa Duo A.I. 8", "Alfea Excellia A.I. 11", "Loria Duo 6008"]),
    ("Daikin", ["Altherma 3 H HT ETBH16", "Altherma 3 R EHBH08D6V", "EHVX08S26E6V"]),
    ("Mitsubishi Electric", ["Ecodan PUZ-SWM80VAA", "Ecodan Zubadan PUD-SHWM120"]),
    ("Viessmann", ["Vitocal 200-A AWO-M-E-AC 201.B10", "Vitocal 250-A"]),
    ("Saunier Duval", ["GeniaAir Max 10", "GeniaAir Split 8"]),
    ("Hitachi", ["Yutaki S RWM-4.0NE", "Yutaki M RASM-5VRE"]),
    ("Panasonic", ["Aquarea WH-MDC09J3E5", "Aquarea T-CAP 12 kW"]),
]
WATER_HEATERS = [("Thermor", ["Aéromax 5 200 L", "Aéromax Split 3"]), ("Atlantic", ["Calypso 200 L", "Explorer V4 270 L"]),
                 ("Ariston", ["Nuos Plus 250", "Nuos Evo A+"])]
STOVES = [("Invicta", ["Bradford 10 kW", "Altea 8 kW"]), ("Supra", ["Ailleurs 9 kW", "Elise 2"]),
          ("Godin", ["Eclipse 3", "Carvin 7 kW"]), ("MCZ", ["Club Comfort Air 10", "Suite Hydro 16"])]
BOILERS = [("Okofen", ["Pellematic Compact 16", "Pellematic Smart XS"]), ("Froling", ["PE1 Pellet 15", "T4e 20"]),
           ("De Dietrich", ["Granulé DKF 15"]), ("Hargassner", ["Nano-PK 15"])]
SOLAR = [("Viessmann", ["Vitosol 200-FM SSC", "Vitosol 300-TM"]), ("Giordano", ["SSC Ecosol 300"]),
         ("Clipsol", ["Combi 400"])]


@dataclass
class Company:
    name: str
    legal_form: str
    capital: int
    siret: str
    street: str
    postal_code: str
    city: str
    phone: str
    email: str
    rcs_city: str
    tva: str
    rge_body: str
    rge_numero: str
    rge_start: dt.date
    rge_end: dt.date
    domains: list[str]


@dataclass
class Person:
    civility: str  # "M.", "Mme"
    first_name: str
    last_name: str
    street: str
    postal_code: str
    city: str
    phone: str
    email: str

    @property
    def display(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass
class DossierFacts:
    reference: str
    installer: Company
    beneficiary: Person
    operations: list[str]
    products: list[Product]
    oblige: str
    oblige_siret: str
    devis_number: str
    facture_number: str
    date_cadre: dt.date
    date_devis: dt.date
    date_signature: dt.date
    date_debut_travaux: dt.date
    date_fin_travaux: dt.date
    date_facture: dt.date
    tva_rate: Decimal
    prime: Decimal
    devis_signed: bool
    ah_signed_beneficiary: bool
    ah_signed_installer: bool
    annee_revenus: int
    revenu_fiscal: int
    nombre_parts: Decimal
    declarant2: str | None
    extra: dict = field(default_factory=dict)
    date_visite_technique: dt.date | None = None  # the prior site visit, on or before the devis
    batiment_plus_de_2_ans: bool = True  # what the attestation says of the building's age

    @property
    def total_ht(self) -> Decimal:
        return sum((p.total_ht for p in self.products), Decimal("0")) + self.extra.get("labour_ht", Decimal("0"))

    @property
    def total_tva(self) -> Decimal:
        return (self.total_ht * self.tva_rate / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def total_ttc(self) -> Decimal:
        return self.total_ht + self.total_tva

    @property
    def net_a_payer(self) -> Decimal:
        return self.total_ttc - self.prime


def make_siret(rng: Random) -> str:
    """A random SIRET whose SIREN and SIRET both pass the Luhn check."""
    while True:
        siren = str(rng.randint(300, 999)) + "".join(str(rng.randint(0, 9)) for _ in range(5))
        for last in range(10):
            if luhn_valid(siren + str(last)):
                siren_full = siren + str(last)
                break
        nic = f"{rng.choice([0, 0, 0, 1])}00{rng.randint(1, 9)}"  # 4 digits of the establishment
        for last in range(10):
            siret = siren_full + nic + str(last)
            if luhn_valid(siret):
                return siret


def _phone(rng: Random, mobile: bool = False) -> str:
    first = rng.choice(["06", "07"]) if mobile else rng.choice(["01", "02", "03", "04", "05", "09"])
    return " ".join([first] + [f"{rng.randint(0, 99):02d}" for _ in range(4)])


def _street(rng: Random) -> str:
    number = rng.randint(1, 180)
    suffix = rng.choice(["", "", "", "", " bis", " ter"])
    return f"{number}{suffix} {rng.choice(STREET_TYPES)} {rng.choice(STREET_NAMES)}"


def _slug(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text.lower() if ch.isalnum())


def make_company(rng: Random, operations: list[str]) -> Company:
    a, b = rng.choice(COMPANY_WORDS_A), rng.choice(COMPANY_WORDS_B)
    style = rng.random()
    if style < 0.35:
        name = f"{a}{b.lower()}" if not a.endswith("'") else f"{a}{b}"
    elif style < 0.7:
        name = f"{a} {b}"
    else:
        name = f"{b} {rng.choice(['Durand', 'Martin', 'Lefèvre', 'Garcia', 'Roux', 'Fontaine', 'Perrin', 'Morel'])}"
    if rng.random() < 0.5:
        name = name.upper()
    postal_code, city = rng.choice(CITIES)
    body = OPERATION_BODY[operations[0]]
    pattern, _ = RGE_BODIES[body]
    start = dt.date(rng.randint(2021, 2023), rng.randint(1, 12), rng.randint(1, 28))
    numero = pattern.format(n=rng.randint(10000, 999999), y=start.year)
    siret = make_siret(rng)
    domains = sorted({OPERATION_DOMAINS[op] for op in operations})
    key = (12 + 3 * (int(siret[:9]) % 97)) % 97
    return Company(
        name=name, legal_form=rng.choice(LEGAL_FORMS), capital=rng.choice([1000, 5000, 10000, 20000, 50000, 100000]),
        siret=siret, street=_street(rng), postal_code=postal_code, city=city, phone=_phone(rng),
        email=f"contact@{_slug(name)}.fr", rcs_city=city, tva=f"FR{key:02d}{siret[:9]}",
        rge_body=body, rge_numero=numero, rge_start=start, rge_end=start.replace(year=start.year + 4) - dt.timedelta(days=1),
        domains=domains,
    )


def make_person(rng: Random, fake: Faker) -> Person:
    female = rng.random() < 0.5
    first = fake.first_name_female() if female else fake.first_name_male()
    postal_code, city = rng.choice(CITIES)
    return Person(
        civility="Mme" if female else "M.", first_name=first, last_name=fake.last_name(),
        street=_street(rng), postal_code=postal_code, city=city, phone=_phone(rng, mobile=True),
        email=f"{_slug(first)}.{rng.randint(10, 99)}@example.fr",
    )


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def make_product(rng: Random, operation: str) -> Product:
    title = OPERATION_TITLES[operation]
    if operation.startswith("BAR-EN"):
        brand, refs = rng.choice(INSULATION_PRODUCTS)
        surface = Decimal(rng.randint(25, 160)) + (Decimal(rng.choice([0, 0, 0, 5])) / 10)
        r_min = {"BAR-EN-101": 7.0, "BAR-EN-102": 3.7, "BAR-EN-103": 3.0}[operation]
        resistance = _money(r_min + rng.choice([0, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0]))
        price = _money(rng.uniform(18, 95) if operation != "BAR-EN-102" else rng.uniform(90, 160))
        return Product(operation, title, brand, rng.choice(refs), "m²", surface, price, surface=surface,
                       resistance=resistance, thickness_mm=rng.choice([100, 120, 140, 200, 240, 300, 320, 350]))
    if operation in ("BAR-TH-171", "BAR-TH-172"):
        brand, refs = rng.choice(HEAT_PUMPS)
        surface = Decimal(rng.randint(60, 190))
        return Product(operation, title, brand, rng.choice(refs), "u", Decimal(1), _money(rng.uniform(9000, 16000)),
                       surface=surface, etas=Decimal(rng.randint(112, 190)), cop=_money(rng.uniform(3.2, 5.1)))
    if operation == "BAR-TH-148":
        brand, refs = rng.choice(WATER_HEATERS)
        return Product(operation, title, brand, rng.choice(refs), "u", Decimal(1), _money(rng.uniform(2500, 4200)),
                       cop=_money(rng.uniform(2.6, 3.6)))
    if operation == "BAR-TH-112":
        brand, refs = rng.choice(STOVES)
        return Product(operation, title, brand, rng.choice(refs), "u", Decimal(1), _money(rng.uniform(2800, 6500)),
                       etas=Decimal(rng.randint(70, 88)))
    if operation == "BAR-TH-113":
        brand, refs = rng.choice(BOILERS)
        return Product(operation, title, brand, rng.choice(refs), "u", Decimal(1), _money(rng.uniform(12000, 19000)),
                       etas=Decimal(rng.randint(78, 94)))
    brand, refs = rng.choice(SOLAR)
    return Product(operation, title, brand, rng.choice(refs), "u", Decimal(1), _money(rng.uniform(9000, 15000)),
                   etas=Decimal(rng.randint(95, 140)))


OPERATION_SETS = [
    ["BAR-EN-101"], ["BAR-EN-101"], ["BAR-EN-102"], ["BAR-EN-103"], ["BAR-TH-171"], ["BAR-TH-171"], ["BAR-TH-172"],
    ["BAR-TH-148"], ["BAR-TH-112"], ["BAR-TH-113"], ["BAR-TH-143"], ["BAR-EN-101", "BAR-EN-103"],
    ["BAR-EN-101", "BAR-TH-148"], ["BAR-EN-102", "BAR-EN-101"],
]


def make_dossier(rng: Random, fake: Faker, index: int) -> DossierFacts:
    operations = list(rng.choice(OPERATION_SETS))
    products = [make_product(rng, op) for op in operations]
    installer = make_company(rng, operations)
    beneficiary = make_person(rng, fake)
    year = rng.choice([2023, 2024, 2024, 2025])
    date_cadre = dt.date(year, rng.randint(1, 9), rng.randint(1, 28))
    date_devis = date_cadre + dt.timedelta(days=rng.randint(0, 12))
    date_signature = date_devis + dt.timedelta(days=rng.randint(0, 20))
    date_debut = date_signature + dt.timedelta(days=rng.randint(8, 40))
    date_fin = date_debut + dt.timedelta(days=rng.randint(0, 10))
    date_facture = date_fin + dt.timedelta(days=rng.randint(0, 15))
    tva_rate = Decimal("5.5") if rng.random() < 0.85 else Decimal("10")
    facts = DossierFacts(
        reference=f"DOS-{year}-{index:05d}",
        installer=installer,
        beneficiary=beneficiary,
        operations=operations,
        products=products,
        oblige=rng.choice(OBLIGES),
        oblige_siret=make_siret(rng),
        devis_number=rng.choice(["D{y}-{n:04d}", "DEV-{y}-{n:05d}", "{y}{n:05d}", "D-{n:06d}", "DV{y2}{n:04d}"]).format(
            y=date_devis.year, y2=str(date_devis.year)[2:], n=rng.randint(1, 9999)),
        facture_number=rng.choice(["F{y}-{n:04d}", "FA-{y}-{n:05d}", "{y}{n:05d}", "FAC{n:06d}", "F-{y2}{n:04d}"]).format(
            y=date_facture.year, y2=str(date_facture.year)[2:], n=rng.randint(1, 9999)),
        date_cadre=date_cadre,
        date_devis=date_devis,
        date_signature=date_signature,
        date_debut_travaux=date_debut,
        date_fin_travaux=date_fin,
        date_facture=date_facture,
        tva_rate=tva_rate,
        prime=_money(rng.uniform(300, 4500)),
        devis_signed=rng.random() < 0.92,
        ah_signed_beneficiary=rng.random() < 0.9,
        ah_signed_installer=rng.random() < 0.9,
        annee_revenus=year - rng.choice([1, 2]),
        revenu_fiscal=rng.randint(9000, 60000),
        nombre_parts=Decimal(rng.choice(["1", "1.5", "2", "2.5", "3", "3.5", "4"])),
        declarant2=fake.first_name() if rng.random() < 0.4 else None,
    )
    if rng.random() < 0.5:
        facts.extra["labour_ht"] = _money(rng.uniform(150, 1200))
    side = side_random(facts, "facts")
    facts.date_visite_technique = date_devis - dt.timedelta(days=side.randint(0, 25))
    facts.batiment_plus_de_2_ans = side.random() < 0.88
    return facts


def side_random(facts: DossierFacts, what: str) -> Random:
    """A generator of its own for facts and marks added after the first layouts (the prior
    visit, the building's age), so that they leave every earlier draw of a seed as it was."""
    return Random(f"{facts.reference}|{facts.devis_number}|{facts.beneficiary.email}|{what}")


def content_random(rng: Random) -> Random:
    """The generator for a template's content draws (a client reference, a computed load): the
    dossier's own when ``rng`` repeats an issuer's layout (``issuers.StyleRandom``), else ``rng``
    itself, so that the default corpus draws exactly what it drew before."""
    return getattr(rng, "content", rng)
