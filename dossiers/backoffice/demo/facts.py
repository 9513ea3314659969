"""What demo dossiers are made of: French places and names, products, the shares of each
status and fiche, the path through the state machine to each status."""
from __future__ import annotations

import datetime
import random
from decimal import Decimal

from ...models import DossierStatus as S

# --- French reference lists -------------------------------------------------------------

# (postal code, city): H1, H2 and H3 départements, Corsica (2A and 2B) included.
CITIES = [
    ("75011", "Paris"), ("69003", "Lyon"), ("67000", "Strasbourg"), ("59000", "Lille"), ("21000", "Dijon"),
    ("51100", "Reims"), ("38000", "Grenoble"), ("63000", "Clermont-Ferrand"), ("87000", "Limoges"),
    ("25000", "Besançon"), ("57000", "Metz"), ("76000", "Rouen"), ("45000", "Orléans"), ("14000", "Caen"),
    ("92100", "Boulogne-Billancourt"), ("93100", "Montreuil"), ("94300", "Vincennes"), ("78000", "Versailles"),
    ("74000", "Annecy"), ("42000", "Saint-Étienne"), ("80000", "Amiens"), ("68100", "Mulhouse"), ("54000", "Nancy"),
    ("44000", "Nantes"), ("35000", "Rennes"), ("33000", "Bordeaux"), ("31000", "Toulouse"), ("37000", "Tours"),
    ("49000", "Angers"), ("29200", "Brest"), ("86000", "Poitiers"), ("64000", "Pau"), ("17000", "La Rochelle"),
    ("72000", "Le Mans"), ("26000", "Valence"), ("84000", "Avignon"), ("24000", "Périgueux"), ("56000", "Vannes"),
    ("81000", "Albi"), ("16000", "Angoulême"),
    ("13001", "Marseille"), ("06000", "Nice"), ("34000", "Montpellier"), ("83000", "Toulon"), ("30000", "Nîmes"),
    ("66000", "Perpignan"), ("11000", "Carcassonne"), ("13100", "Aix-en-Provence"), ("06400", "Cannes"),
    ("20000", "Ajaccio"), ("20090", "Ajaccio"), ("20200", "Bastia"), ("20260", "Calvi"), ("20137", "Porto-Vecchio"),
]
STREETS = [
    "rue Victor Hugo", "avenue Jean Jaurès", "rue de la République", "impasse des Lilas", "chemin des Vignes",
    "allée des Tilleuls", "boulevard Gambetta", "rue Pasteur", "place de l'Église", "route de la Gare",
    "rue du Moulin", "rue des Écoles", "chemin de la Fontaine", "rue Jules Ferry", "avenue du Général de Gaulle",
    "rue Émile Zola", "lotissement Les Hauts de Provence", "rue des Peupliers", "chemin du Stade", "rue Nationale",
]
FIRST_NAMES = [
    ("M.", "Jean"), ("Mme", "Marie"), ("M.", "Pierre"), ("Mme", "Nathalie"), ("M.", "Michel"), ("Mme", "Isabelle"),
    ("M.", "Philippe"), ("Mme", "Sylvie"), ("M.", "Alain"), ("Mme", "Catherine"), ("M.", "Nicolas"), ("Mme", "Sophie"),
    ("M.", "Christophe"), ("Mme", "Valérie"), ("M.", "Laurent"), ("Mme", "Sandrine"), ("M.", "François"),
    ("Mme", "Céline"), ("M.", "Éric"), ("Mme", "Hélène"), ("M.", "Jérôme"), ("Mme", "Martine"), ("M.", "Stéphane"),
    ("Mme", "Françoise"), ("M.", "Olivier"), ("Mme", "Chantal"), ("M.", "Thierry"), ("Mme", "Brigitte"),
    ("M.", "Gérard"), ("Mme", "Agnès"), ("Mme", "Louise"), ("M.", "Théo"), ("Mme", "Chloé"), ("M.", "Noël"),
    ("Mme", "Anaïs"), ("Mme", "Gaëlle"), ("M.", "Joël"), ("Mme", "Maëlys"),
]
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
    "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard",
    "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure",
    "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier",
    "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Santoni", "Pietri", "Casanova", "Le Gall", "Kerbrat",
]
OBLIGES = ["EDF", "ENGIE", "TotalEnergies Électricité et Gaz France", "Eni Gas & Power France", "Sorégies"]
PRODUCTS = {
    "EN": [("Isover", "Comblissimo 2"), ("Knauf Insulation", "Supafil Loft 045"), ("Rockwool", "Jetrock 2"),
           ("Ursa", "Pureone 32")],
    "PAC": [("Atlantic", "Alféa Extensa A.I. 8"), ("Daikin", "Altherma 3 H HT 14"), ("Mitsubishi Electric", "Ecodan PUZ-WM85"),
            ("Viessmann", "Vitocal 250-A"), ("Panasonic", "Aquarea T-CAP 12")],
    "TH": [("Thermor", "Aéromax 5 270 L"), ("Invicta", "Remilly 8 kW"), ("Ökofen", "Pellematic Condens 12"),
           ("De Dietrich", "Inisol Uno 300")],
}
COMPANY_WORDS = (["Éco", "Thermi", "Isol", "Clim", "Habitat", "Rénov", "Confort", "Énergie", "Sud", "Atlantique"],
                 ["Services", "Solutions", "Habitat", "Confort", "Plus", "Pro", "Rénovation", "Isolation"],
                 ["SARL", "SAS", "EURL", "SASU"])

# Weight of each operation code among demo dossiers (active fiches with cumac tables).
OPERATION_WEIGHTS = {
    "BAR-TH-171": 30, "BAR-EN-101": 20, "BAR-EN-102": 10, "BAR-EN-103": 8, "BAR-TH-148": 8, "BAR-TH-112": 6,
    "BAR-TH-113": 5, "BAR-TH-143": 3, "BAR-TH-172": 4, "BAR-TH-174": 3, "BAR-TH-175": 2,
}
# Share of each status in a large seed; a small seed has every status at least once first.
STATUS_WEIGHTS = {
    S.DRAFT: 5, S.SUBMITTED: 3, S.PROCESSING: 2, S.AWAITING_DOCUMENTS: 7, S.READY_FOR_REVIEW: 12,
    S.IN_REVIEW: 5, S.APPROVED: 15, S.REJECTED: 8, S.INVOICED: 18, S.PAID: 25,
}
# The path through the state machine that leads to each status (source, target, actor kind).
STATUS_PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: [(S.DRAFT, S.SUBMITTED, "installer")],
    S.PROCESSING: [(S.DRAFT, S.SUBMITTED, "installer"), (S.SUBMITTED, S.PROCESSING, None)],
}
STATUS_PATHS[S.AWAITING_DOCUMENTS] = STATUS_PATHS[S.PROCESSING] + [(S.PROCESSING, S.AWAITING_DOCUMENTS, None)]
STATUS_PATHS[S.READY_FOR_REVIEW] = STATUS_PATHS[S.PROCESSING] + [(S.PROCESSING, S.READY_FOR_REVIEW, None)]
STATUS_PATHS[S.IN_REVIEW] = STATUS_PATHS[S.READY_FOR_REVIEW] + [(S.READY_FOR_REVIEW, S.IN_REVIEW, "validator")]
STATUS_PATHS[S.APPROVED] = STATUS_PATHS[S.IN_REVIEW] + [(S.IN_REVIEW, S.APPROVED, "validator")]
STATUS_PATHS[S.REJECTED] = STATUS_PATHS[S.IN_REVIEW] + [(S.IN_REVIEW, S.REJECTED, "validator")]
STATUS_PATHS[S.INVOICED] = STATUS_PATHS[S.APPROVED] + [(S.APPROVED, S.INVOICED, None)]
STATUS_PATHS[S.PAID] = STATUS_PATHS[S.INVOICED] + [(S.INVOICED, S.PAID, None)]
TRANSITION_NAMES = {
    (S.DRAFT, S.SUBMITTED): "submit", (S.SUBMITTED, S.PROCESSING): "start_processing",
    (S.PROCESSING, S.AWAITING_DOCUMENTS): "request_documents", (S.PROCESSING, S.READY_FOR_REVIEW): "finish_processing",
    (S.READY_FOR_REVIEW, S.IN_REVIEW): "start_review", (S.IN_REVIEW, S.APPROVED): "approve",
    (S.IN_REVIEW, S.REJECTED): "reject", (S.APPROVED, S.INVOICED): "invoice", (S.INVOICED, S.PAID): "mark_paid",
}
PROCESSED = {S.AWAITING_DOCUMENTS, S.READY_FOR_REVIEW, S.IN_REVIEW, S.APPROVED, S.REJECTED, S.INVOICED, S.PAID}
DECIDED = {S.APPROVED, S.REJECTED, S.INVOICED, S.PAID}
# Technical inputs come from short lists so the cumac of a combination is computed once.
INSULATED_SURFACES = [40, 55, 70, 85, 100, 120, 140]
LIVING_AREAS = {"maison": [55, 65, 75, 85, 95, 110, 130, 160], "appartement": [30, 40, 50, 65, 80, 95]}
HEAT_PUMPS = {"BAR-TH-171", "BAR-TH-172", "BAR-TH-159", "BAR-TH-113"}
CENT = Decimal("0.01")
BONUS_START = datetime.date(2025, 10, 1)  # coup de pouce chauffage; the fiche's bonus dates decide
CONFIDENCES = [Decimal(n) / 1000 for n in range(1001)]
# Extraction confidences: mostly high, a tail of doubtful reads for the review screen.
FIELD_CONFIDENCES = [Decimal(str(round(random.Random(n).triangular(0.45, 0.995, 0.93), 3))) for n in range(997)]


def slug(name: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "".join(ch if ch.isalnum() else "-" for ch in plain).strip("-").replace("--", "-")
