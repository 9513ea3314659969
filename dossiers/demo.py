"""Demo data: accounts with known passwords, installer companies, and dossiers in every status.

Used by ``manage.py seed_demo``. Accounts and companies are created through the account
services (validated, logged); dossiers and everything under them (timeline, operations,
documents, extracted fields, activity, invoices and payments) are inserted with
``bulk_create`` in batches, one transaction per batch, so 100 000 dossiers take minutes,
not hours. Bulk inserts send no signals: no simple-history rows are written for seeded
dossiers and extracted fields (their activity log is seeded instead).

Seeded documents have **no stored file**: they are created ``processed`` with the flag
``DEMO_DOCUMENT_FLAG`` so that no pipeline step ever picks them up, and their extracted
fields are written directly, consistent with the dossier's facts.

Everything is reproducible: the random generator is seeded (``--seed``).
"""
from __future__ import annotations

import bisect
import contextlib
import datetime
import functools
import hashlib
import json
import random
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Activity, Installer, RgeStatus, Role, User
from accounts.roles import ROLE_GROUP_NAMES
from accounts.services import create_installer, create_user
from accounts.validators import luhn_valid
from billing.models import Invoice, InvoiceLine, InvoiceSequence, Payment, PriceList
from documents.models import Document, DocumentStatus, DocumentType
from extraction.models import ExtractedField, ExtractionMethod, FieldSchema, FieldStatus

from .models import (
    Dossier,
    DossierOperation,
    DossierStatus as S,
    Operation,
    PrecarityStatus,
    RejectionReason,
    Timeline,
)
from .services import format_reference, reserve_reference_numbers

DEMO_DOCUMENT_FLAG = "demo_sans_fichier"
DEMO_CONTRACT_PREFIX = "DEMO-"
BATCH_DOSSIERS = 1000
BULK_LOAD_THRESHOLD = 5000  # dossiers from which PostgreSQL loads with indexes set aside

# --- Accounts -----------------------------------------------------------------------------

@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    role: str
    first_name: str
    last_name: str
    company_index: int | None = None  # index in DEMO_COMPANIES for installers
    superuser: bool = False


DEMO_COMPANIES = [
    dict(name="Rénov'Énergie Rhône SARL", address="27 rue de la Villette", postal_code="69003", city="Lyon",
         contact_name="Karim Benali", phone="04 78 62 18 40", rge_number="QPAC/71254",
         qualifications=["pompe_a_chaleur", "isolation_combles", "isolation_murs"]),
    dict(name="Thermi Sud Confort SAS", address="112 boulevard National", postal_code="13003", city="Marseille",
         contact_name="Laetitia Santoni", phone="04 91 50 33 12", rge_number="QB/45871",
         qualifications=["pompe_a_chaleur", "chauffe_eau_thermodynamique", "bois_energie"]),
]

DEMO_ACCOUNTS = [
    DemoAccount("admin@cee.local", "demo-admin-2026", Role.ADMINISTRATOR, "Alice", "Administratrice", superuser=True),
    DemoAccount("validateur@cee.local", "demo-valid-2026", Role.VALIDATOR, "Victor", "Lemaire"),
    DemoAccount("validatrice2@cee.local", "demo-valid-2026", Role.VALIDATOR, "Claire", "Fontaine"),
    DemoAccount("installateur@cee.local", "demo-install-2026", Role.INSTALLER, "Karim", "Benali", company_index=0),
    DemoAccount("installateur2@cee.local", "demo-install-2026", Role.INSTALLER, "Laetitia", "Santoni", company_index=1),
]

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

TIMELINE_COLUMNS = ["dossier", "date_devis", "date_signature", "date_debut_travaux", "date_fin_travaux", "date_facture"]
OPERATION_COLUMNS = [
    "id", "dossier", "operation", "status", "parameters", "kwh_cumac", "coefficient", "premium_eur", "confidence",
    "detected_from",
]
DOCUMENT_COLUMNS = [
    "id", "dossier", "document_type", "declared_type", "file", "original_filename", "mime_type", "size", "sha256",
    "page_count", "status", "classification_confidence", "flags", "uploaded_by", "uploaded_at", "processed_at",
]
CONFIDENCES = [Decimal(n) / 1000 for n in range(1001)]
# Extraction confidences: mostly high, a tail of doubtful reads for the review screen.
FIELD_CONFIDENCES = [Decimal(str(round(random.Random(n).triangular(0.45, 0.995, 0.93), 3))) for n in range(997)]
FIELD_COLUMNS = [
    "document", "dossier", "schema", "value", "raw_text", "confidence", "status", "original_value",
    "corrected_value", "page", "bbox", "method", "engine", "confirmed_by", "confirmed_at", "corrected_by",
    "corrected_at", "created_at", "updated_at",
]
ACTIVITY_COLUMNS = [
    "actor", "verb", "dossier", "content_type", "object_id", "description", "metadata", "ip_address",
    "user_agent", "created_at",
]


def luhn_complete(body: str) -> str:
    """``body`` followed by the digit that makes it pass the Luhn check."""
    for check in "0123456789":
        if luhn_valid(body + check):
            return body + check
    raise AssertionError("unreachable")


def demo_siret(index: int) -> str:
    """A Luhn-valid SIRET (with a Luhn-valid SIREN) for demo company ``index``."""
    siren = luhn_complete(f"{81234000 + index:08d}")
    return luhn_complete(siren + "0001")


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _french_amount(value: Decimal) -> str:
    whole, _, cents = f"{value:.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", "\u202f")
    return f"{groups},{cents} €"


# --- Accounts and companies -----------------------------------------------------------------

@dataclass
class DemoAccounts:
    administrator: User
    validators: list[User]
    installers: list[Installer]
    installer_users: dict[int, User]  # installer pk → one of its users
    created: list[str] = field(default_factory=list)


def ensure_demo_accounts(installer_count: int, *, log=print) -> DemoAccounts:
    """Create (or find) the demo companies and accounts; reset the demo passwords.

    Idempotent: accounts are matched by e-mail, companies by SIRET.
    """
    installer_count = max(installer_count, len(DEMO_COMPANIES))
    created: list[str] = []
    with transaction.atomic():
        companies = []
        for index, company in enumerate(DEMO_COMPANIES):
            companies.append(_ensure_company(index, company, created))
        existing = {i.siret: i for i in Installer.objects.filter(contract_reference__startswith=DEMO_CONTRACT_PREFIX)}
        extra_rows = []
        for index in range(len(DEMO_COMPANIES), installer_count):
            siret = demo_siret(index)
            if siret in existing:
                companies.append(existing[siret])
                continue
            extra_rows.append(_extra_company(index, siret))
        if extra_rows:
            # Validated like any company (same SIRET check), inserted in one statement.
            for row in extra_rows:
                row.full_clean()
            companies.extend(Installer.objects.bulk_create(extra_rows, batch_size=500))
            created.append(f"{len(extra_rows)} installateurs supplémentaires")

        accounts = {}
        for account in DEMO_ACCOUNTS:
            accounts[account.email] = _ensure_account(account, companies, created)
        installer_users = {
            u.installer_id: u for u in User.objects.filter(role=Role.INSTALLER, installer__in=companies).order_by("-pk")
        }
        missing_users = [c for c in companies if c.pk not in installer_users]
        if missing_users:
            _bulk_installer_users(missing_users)
            installer_users = {
                u.installer_id: u for u in User.objects.filter(role=Role.INSTALLER, installer__in=companies).order_by("-pk")
            }
        for account in DEMO_ACCOUNTS:
            if account.company_index is not None:
                installer_users[companies[account.company_index].pk] = accounts[account.email]
    validators = [accounts[a.email] for a in DEMO_ACCOUNTS if a.role == Role.VALIDATOR]
    return DemoAccounts(accounts["admin@cee.local"], validators, companies[:installer_count], installer_users, created)


def _ensure_company(index: int, values: dict, created: list[str]) -> Installer:
    siret = demo_siret(index)
    company = Installer.objects.filter(siret=siret).first()
    if company is not None:
        return company
    today = timezone.localdate()
    company = create_installer(
        siret=siret, email=f"contact@{_slug(values['name'])}.fr", rge_status=RgeStatus.VALID,
        rge_valid_from=today.replace(year=today.year - 2, month=1, day=1),
        rge_valid_until=today.replace(year=today.year + 2, month=12, day=31),
        contract_reference=f"{DEMO_CONTRACT_PREFIX}{index + 1:04d}", **values,
    )
    created.append(f"installateur {company.name}")
    return company


def _extra_company(index: int, siret: str) -> Installer:
    rng = random.Random(index)
    postal_code, city = rng.choice(CITIES)
    first, second, form = (rng.choice(words) for words in COMPANY_WORDS)
    today = timezone.localdate()
    expired = rng.random() < 0.05
    return Installer(
        name=f"{first} {second} {city} {form}", siret=siret, siren=siret[:9],
        address=f"{rng.randint(1, 180)} {rng.choice(STREETS)}", postal_code=postal_code, city=city,
        email=f"contact{index}@installateur-demo.fr", phone=f"0{rng.randint(1, 5)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        contact_name=" ".join([rng.choice(FIRST_NAMES)[1], rng.choice(LAST_NAMES)]),
        rge_number=f"QB/{30000 + index}", rge_status=RgeStatus.EXPIRED if expired else RgeStatus.VALID,
        rge_valid_from=today.replace(year=today.year - 3, month=1, day=1),
        rge_valid_until=today.replace(year=today.year - 1 if expired else today.year + 2, month=12, day=31),
        qualifications=rng.sample(["pompe_a_chaleur", "isolation_combles", "isolation_murs", "bois_energie",
                                   "chauffe_eau_thermodynamique"], 2),
        contract_reference=f"{DEMO_CONTRACT_PREFIX}{index + 1:04d}",
    )


def _bulk_installer_users(companies: list[Installer]) -> None:
    """One (password-less) user per extra company, in the installers' group."""
    users = User.objects.bulk_create(
        [
            User(email=f"contact{c.siret}@installateur-demo.fr", role=Role.INSTALLER, installer=c,
                 first_name=c.contact_name.split(" ")[0], last_name=" ".join(c.contact_name.split(" ")[1:]),
                 password="!demo-unusable")
            for c in companies
        ],
        batch_size=500,
    )
    group = Group.objects.get(name=ROLE_GROUP_NAMES[Role.INSTALLER])
    User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=group.pk) for u in users])


def _ensure_account(account: DemoAccount, companies: list[Installer], created: list[str]) -> User:
    user = User.objects.filter(email__iexact=account.email).first()
    if user is None:
        company = companies[account.company_index] if account.company_index is not None else None
        user = create_user(
            email=account.email, role=account.role, installer=company, password=account.password,
            is_superuser=account.superuser, first_name=account.first_name, last_name=account.last_name,
        )
        created.append(f"compte {account.email}")
    elif not user.check_password(account.password) or not user.is_active:
        # The printed credentials must work: a changed demo password is put back.
        user.set_password(account.password)
        user.is_active = True
        user.save()
    return user


def _slug(name: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "".join(ch if ch.isalnum() else "-" for ch in plain).strip("-").replace("--", "-")


# --- Removing demo dossiers -----------------------------------------------------------------

def demo_dossiers():
    return Dossier.objects.filter(installer__contract_reference__startswith=DEMO_CONTRACT_PREFIX)


def delete_demo_dossiers() -> int:
    """Delete the demo companies' dossiers and everything hanging from them, table by table
    (plain DELETE statements: Django's collector would load every row of a large seed)."""
    count = demo_dossiers().count()
    with transaction.atomic():
        _delete_tree(Dossier, demo_dossiers(), seen=set())
    return count


def _delete_tree(model, queryset, seen: set) -> None:
    seen = seen | {model}
    for relation in model._meta.related_objects:
        child = relation.related_model
        on_delete = relation.on_delete
        if relation.many_to_many or child in seen or child._meta.auto_created or on_delete is models.DO_NOTHING:
            continue
        children = child._base_manager.filter(**{f"{relation.field.name}__in": queryset.values("pk")})
        if on_delete is models.SET_NULL:
            children.update(**{relation.field.name: None})
        else:  # CASCADE, PROTECT: demo rows all go
            _delete_tree(child, children, seen)
    queryset._raw_delete(queryset.db)


# --- Dossiers ---------------------------------------------------------------------------------

@dataclass
class SeedReport:
    dossiers: int = 0
    operations: int = 0
    documents: int = 0
    fields: int = 0
    activities: int = 0
    invoices: int = 0
    payments: int = 0
    by_status: dict = field(default_factory=dict)
    seconds: float = 0.0


class DossierSeeder:
    """Builds demo dossiers in memory and inserts them batch by batch."""

    def __init__(self, accounts: DemoAccounts, *, seed: int = 2026, log=print):
        self.rng = random.Random(seed)
        self.accounts = accounts
        self.log = log
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.operations = self._operations()
        self.codes = [code for code in OPERATION_WEIGHTS if code in self.operations]
        self.weights = [OPERATION_WEIGHTS[code] for code in self.codes]
        self.document_types = {t.code: t for t in DocumentType.objects.all()}
        self.schemas: dict[int, list[FieldSchema]] = {}
        for schema in FieldSchema.objects.filter(is_active=True).order_by("display_order"):
            self.schemas.setdefault(schema.document_type_id, []).append(schema)
        self.reasons = list(RejectionReason.objects.filter(is_active=True).values_list("label", flat=True)) or [
            "Pièce obligatoire manquante"
        ]
        self.dossier_type = ContentType.objects.get_for_model(Dossier)
        self.invoice_type = ContentType.objects.get_for_model(Invoice)
        self._kwh_cache: dict = {}
        self._coefficient_cache: dict = {}
        self._price_cache: dict = {}
        self._price_bounds = sorted(
            {d for start, end in PriceList.objects.values_list("valid_from", "valid_until")
             for d in (start, end + datetime.timedelta(days=1) if end else None) if d}
        )
        self._compute, self._coefficient, self._price_for, self._climate_zone = _cumac_functions()

    def _operations(self) -> dict[str, Operation]:
        found = {}
        for operation in Operation.objects.filter(is_active=True).order_by("code", "-valid_from"):
            if operation.code not in found and (operation.cumac_parameters or {}).get("base"):
                found[operation.code] = operation
        return found

    # -- orchestration --

    def seed(self, count: int) -> SeedReport:
        """Create ``count`` dossiers over the demo companies; every status appears when ``count`` ≥ 10."""
        report = SeedReport()
        started = time.monotonic()
        statuses = self._statuses(count)
        installers = self.accounts.installers

        def batches():
            for start in range(0, count, BATCH_DOSSIERS):
                batch = statuses[start:start + BATCH_DOSSIERS]
                yield start, batch
                if count > BATCH_DOSSIERS:
                    self.log(f"  {start + len(batch)} / {count} dossiers ({time.monotonic() - started:.0f} s)")

        if connection.vendor == "postgresql" and count >= BULK_LOAD_THRESHOLD:
            # A large seed is one transaction that loads the tables with their foreign keys and
            # plain indexes set aside, then builds them again (checking every key): several times
            # faster than maintaining them row by row. The tables stay locked meanwhile.
            with transaction.atomic(), indexes_set_aside(BULK_MODELS, log=self.log):
                for start, batch in batches():
                    self._seed_batch(batch, installers, start, report)
            # Set the visibility map of the tables the queues count and filter, as autovacuum
            # would later, so their counts are index-only scans from the first request.
            if not connection.in_atomic_block:  # VACUUM cannot run inside a transaction
                with connection.cursor() as cursor:
                    for model in (Dossier, Document):
                        cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
        else:
            for start, batch in batches():
                with transaction.atomic():
                    self._seed_batch(batch, installers, start, report)
        report.seconds = time.monotonic() - started
        return report

    def _statuses(self, count: int) -> list[str]:
        every = list(STATUS_WEIGHTS)
        first = every[:count]
        rest = self.rng.choices(every, weights=list(STATUS_WEIGHTS.values()), k=max(0, count - len(first)))
        statuses = first + rest
        self.rng.shuffle(statuses)
        return statuses

    def _seed_batch(self, statuses: list[str], installers: list[Installer], offset: int, report: SeedReport) -> None:
        plans = [self._plan(status, installers[(offset + i) % len(installers)]) for i, status in enumerate(statuses)]
        # References: numbered per year of creation, from the same sequence as create_dossier.
        by_year: dict[int, list] = {}
        for plan in plans:
            by_year.setdefault(plan.created_at.year, []).append(plan)
        for year, year_plans in by_year.items():
            for plan, number in zip(year_plans, reserve_reference_numbers(year, len(year_plans))):
                plan.dossier.reference = format_reference(year, number)

        # Rows with children go through bulk_create (it returns their ids); the field values
        # are drawn first so the dossier's confidence, the mean of its fields', is known.
        # Document ids first: the fields' values and confidences are drawn before the dossiers are
        # inserted, so each dossier's confidence (the mean of its fields') goes in with it.
        document_ids = iter(allocate_ids(Document, sum(len(p.document_kinds) for p in plans)))
        for plan in plans:
            plan.document_rows = [(next(document_ids), kind) for kind in plan.document_kinds]
        field_specs = [(p, spec) for p in plans for spec in self._field_specs(p)]
        for plan, dossier_id in zip(plans, allocate_ids(Dossier, len(plans))):
            plan.dossier.id = dossier_id
        insert_instances(Dossier, [p.dossier for p in plans])
        # Below the dossiers (about 6 documents, 55 fields and 7 log entries each) rows are written
        # as plain tuples with ids drawn from the tables' sequences: COPY on PostgreSQL,
        # executemany elsewhere, several times faster than building model instances.
        operation_ids = iter(allocate_ids(DossierOperation, sum(len(p.codes) for p in plans)))
        operations = [row for p in plans for row in p.operations(operation_ids)]
        insert_rows(DossierOperation, OPERATION_COLUMNS, operations)
        insert_rows(Timeline, TIMELINE_COLUMNS, [p.timeline() for p in plans])
        documents = [row for p in plans for row in p.documents()]
        insert_rows(Document, DOCUMENT_COLUMNS, documents)
        fields = [_field_row(plan, spec) for plan, spec in field_specs]
        insert_rows(ExtractedField, FIELD_COLUMNS, fields, line=_field_copy_line)
        activities = [row for p in plans for row in self._activity_rows(p)]
        invoice_count, payment_count, invoice_activities = self._invoices([p for p in plans if p.status in (S.INVOICED, S.PAID)])
        activities += invoice_activities
        insert_rows(Activity, ACTIVITY_COLUMNS, activities)

        report.dossiers += len(plans)
        report.operations += len(operations)
        report.documents += len(documents)
        report.fields += len(fields)
        report.activities += len(activities)
        report.invoices += invoice_count
        report.payments += payment_count
        for plan in plans:
            report.by_status[plan.status] = report.by_status.get(plan.status, 0) + 1

    # -- one dossier --

    def _plan(self, status: str, installer: Installer) -> DossierPlan:
        return DossierPlan(self, status, installer)

    def cumac(self, operation: Operation, postal_code: str, housing: str, inputs: dict, precarity: str, day):
        """(kWh cumac, coefficient, price list, price, premium) of one operation, by the rules app's
        calculator; each part is memoised on the inputs it depends on."""
        if self._compute is None:
            return Decimal("0"), Decimal("1"), None, None, Decimal("0")
        kwh_key = (operation.pk, self._zone(postal_code), housing, tuple(sorted(inputs.items())))
        if kwh_key not in self._kwh_cache:
            try:
                result = self._compute(
                    operation, postal_code=postal_code, housing_type=housing, surface=inputs.get("surface_m2"),
                    etas=inputs.get("etas"), resistance=inputs.get("resistance_thermique"),
                    class_jumps=inputs.get("class_jumps"), date=day,
                )
                self._kwh_cache[kwh_key] = result.kwh_cumac
            except ValueError:
                self._kwh_cache[kwh_key] = Decimal("0")
        kwh = self._kwh_cache[kwh_key]
        coefficient_key = (operation.pk, day >= BONUS_START, day.year, precarity)
        if coefficient_key not in self._coefficient_cache:
            self._coefficient_cache[coefficient_key] = self._coefficient(
                operation.cumac_parameters, day=day, precarity=precarity
            )[0]
        coefficient = self._coefficient_cache[coefficient_key]
        # The list that applies changes only where a list starts or ends: one lookup per stretch.
        price_key = (operation.code, precarity in ("modeste", "tres_modeste"), bisect.bisect_right(self._price_bounds, day))
        if price_key not in self._price_cache:
            self._price_cache[price_key] = self._price_for(
                operation_code=operation.code, installer=None, day=day, precarity=precarity
            )
        price_list, price = self._price_cache[price_key]
        # billing's formula (billing.pricing.premium_eur): kWh × coefficient / 1000 × price, to the cent.
        premium = (kwh * coefficient / 1000 * price).quantize(CENT, rounding=ROUND_HALF_UP) if price else Decimal("0")
        return kwh, coefficient, price_list, price, premium

    def _zone(self, postal_code: str) -> str:
        try:
            return self._climate_zone(postal_code)
        except ValueError:
            return postal_code

    def _field_specs(self, plan: DossierPlan) -> list[tuple]:
        """(document, schema, value, confidence, status, confirmed_by, confirmed_at) of each field."""
        if plan.status not in PROCESSED:
            return []
        specs = []
        review = plan.field_review if plan.status in (S.REJECTED, S.IN_REVIEW) else None
        fixed_review = plan.field_review() if review is None else None
        choice = self.rng.choice
        for document_id, kind in plan.document_rows:
            for schema in self.schemas.get(kind.pk, []):
                value = plan.fact(kind.code, schema)
                if value is None:
                    continue
                specs.append((document_id, schema, value, choice(FIELD_CONFIDENCES), *(fixed_review or review())))
        if specs and plan.status != S.AWAITING_DOCUMENTS:
            mean = sum(spec[3] for spec in specs) / len(specs)
            plan.dossier.confidence_score = mean.quantize(Decimal("0.001"))
        return specs

    def _activity_rows(self, plan: DossierPlan) -> list[tuple]:
        dossier = plan.dossier
        rows = [
            _activity_row(plan.creator, "dossier_created", dossier, self.dossier_type, dossier.pk,
                          f"Dossier {dossier.reference} créé", {"operations": plan.codes, "demo": True}, dossier.created_at)
        ]
        for (source, target, actor_kind), at in zip(STATUS_PATHS[plan.status], plan.transition_times):
            actor = plan.creator if actor_kind == "installer" else plan.validator if actor_kind == "validator" else None
            reason = dossier.decision_reason if target == S.REJECTED else ""
            rows.append(
                _activity_row(
                    actor, "status_changed", dossier, self.dossier_type, dossier.pk,
                    f"« {S(source).label} » → « {S(target).label} »" + (f" : {reason}" if reason else ""),
                    {"from": source, "to": target, "transition": TRANSITION_NAMES[(source, target)], "reason": reason,
                     "demo": True},
                    at,
                )
            )
        return rows

    def _invoices(self, plans: list[DossierPlan]) -> tuple[int, int, list[tuple]]:
        """Invoices (numbers from billing's yearly sequence), their lines, and payments for paid dossiers."""
        if not plans:
            return 0, 0, []
        from billing.services import format_invoice_number

        by_year: dict[int, list[DossierPlan]] = {}
        for plan in plans:
            by_year.setdefault(plan.invoice_date.year, []).append(plan)
        invoices = []
        for year, year_plans in by_year.items():
            # The same locked yearly sequence as billing.services.reserve_invoice_number, a range at once.
            InvoiceSequence.objects.bulk_create([InvoiceSequence(year=year, last_number=0)], ignore_conflicts=True)
            sequence = InvoiceSequence.objects.select_for_update().get(year=year)
            first = sequence.last_number + 1
            sequence.last_number += len(year_plans)
            sequence.save(update_fields=["last_number"])
            for number, plan in enumerate(year_plans, start=first):
                invoices.append(plan.invoice(format_invoice_number(year, number), year, number))
        for invoice, invoice_id in zip(invoices, allocate_ids(Invoice, len(invoices))):
            invoice.id = invoice_id
        insert_instances(Invoice, invoices)
        lines = [line for plan in plans for line in plan.invoice_lines()]
        for line, line_id in zip(lines, allocate_ids(InvoiceLine, len(lines))):
            line.id = line_id
        insert_instances(InvoiceLine, lines)
        payments = [plan.payment() for plan in plans if plan.status == S.PAID]
        for payment, payment_id in zip(payments, allocate_ids(Payment, len(payments))):
            payment.id = payment_id
        insert_instances(Payment, payments)
        activities = [
            _activity_row(
                None, "invoice_created", plan.dossier, self.invoice_type, plan.invoice_row.pk,
                f"Facture {plan.invoice_row.number} : {plan.invoice_row.total_eur} €",
                {"number": plan.invoice_row.number, "total_eur": str(plan.invoice_row.total_eur), "demo": True},
                plan.transition_times[-1] if plan.status == S.INVOICED else plan.transition_times[-2],
            )
            for plan in plans
        ]
        return len(invoices), len(payments), activities


class DossierPlan:
    """The facts of one demo dossier, from which every row is derived consistently."""

    def __init__(self, seeder: DossierSeeder, status: str, installer: Installer):
        rng = self.rng = seeder.rng
        self.seeder = seeder
        self.status = status
        self.installer = installer
        self.creator = seeder.accounts.installer_users.get(installer.pk)
        self.validator = rng.choice(seeder.accounts.validators) if status in {S.IN_REVIEW} | DECIDED else None

        civility, first_name = rng.choice(FIRST_NAMES)
        last_name = rng.choice(LAST_NAMES)
        self.beneficiary = f"{civility} {first_name} {last_name}"
        self.postal_code, self.city = rng.choice(CITIES)
        self.address = f"{rng.randint(1, 240)} {rng.choice(STREETS)}"
        self.housing = "maison" if rng.random() < 0.78 else "appartement"
        self.living_area = rng.choice(LIVING_AREAS[self.housing])
        self.precarity = rng.choices(["none", "modeste", "tres_modeste"], weights=[50, 25, 25])[0]

        # Dates: engagement (devis signed), works, invoice, submission — in that order, in the past.
        today = seeder.today
        latest_invoice = today - datetime.timedelta(days=5)
        self.date_signature = today - datetime.timedelta(days=rng.randint(40, 700))
        self.date_devis = self.date_signature - datetime.timedelta(days=rng.randint(0, 12))
        self.date_cadre = self.date_devis - datetime.timedelta(days=rng.randint(0, 5))
        self.date_debut = self.date_signature + datetime.timedelta(days=rng.randint(8, 35))
        self.date_fin = self.date_debut + datetime.timedelta(days=rng.randint(0, 4))
        self.date_facture = min(self.date_fin + datetime.timedelta(days=rng.randint(0, 3)), latest_invoice)
        self.date_fin = min(self.date_fin, self.date_facture)
        self.date_debut = min(self.date_debut, self.date_fin)
        created_day = min(self.date_facture + datetime.timedelta(days=rng.randint(1, 20)), today)
        self.created_at = min(
            _aware(created_day, rng.randint(8, 18), rng.randint(0, 59)),
            seeder.now - datetime.timedelta(hours=2, minutes=rng.randint(0, 600)),
        )
        self.transition_times = self._transition_times()
        self.processed_at = self.transition_times[2] if len(self.transition_times) > 2 else None

        self.codes = self._pick_codes()
        self._operation_facts = [self._operation_facts_for(code) for code in self.codes]
        self.kwh_total = sum((f["kwh"] * f["coefficient"]).quantize(CENT, rounding=ROUND_HALF_UP)
                             for f in self._operation_facts)
        self.premium_total = sum(f["premium"] for f in self._operation_facts)
        self.works_ht = _money(sum(f["works_ht"] for f in self._operation_facts))
        self.works_tva = _money(self.works_ht * Decimal("0.055"))
        self.number = rng.randint(1000, 99999)
        self.missing = ["attestation_honneur"] if status == S.AWAITING_DOCUMENTS else []
        self._field_values: dict | None = None
        types = seeder.document_types
        self.document_kinds = [types[code] for code in self._document_codes() if code in types]
        self.document_rows: list[tuple[int, DocumentType]] = []  # (id, type), ids drawn per batch
        self.dossier = self._dossier()

    # -- facts --

    def _pick_codes(self) -> list[str]:
        rng, seeder = self.rng, self.seeder
        codes = [rng.choices(seeder.codes, weights=seeder.weights)[0]]
        if rng.random() < 0.2:
            second = rng.choices(seeder.codes, weights=seeder.weights)[0]
            # A thermodynamic water heater is not combined with a heat pump (CEE-DOMAIN rule 14).
            incompatible = {"BAR-TH-148"} & set(codes + [second]) and HEAT_PUMPS & set(codes + [second])
            if second not in codes and not incompatible:
                codes.append(second)
        return codes

    def _operation_facts_for(self, code: str) -> dict:
        rng = self.rng
        operation = self.seeder.operations[code]
        params = operation.cumac_parameters
        inputs: dict = {}
        for name in params.get("inputs") or []:
            if name == "surface_m2":
                inputs[name] = self.living_area if operation.category == "TH" else rng.choice(INSULATED_SURFACES)
            elif name == "etas":
                inputs[name] = _etas_for(params, rng)
            elif name == "class_jumps":
                inputs[name] = rng.choice([2, 2, 3, 3, 4])
        for threshold in params.get("thresholds") or []:
            if threshold["input"] == "resistance_thermique":
                inputs["resistance_thermique"] = float(Decimal(str(threshold["min"])) + Decimal(rng.choice(["0", "0.3", "0.5", "1"])))
        zone_code = self.postal_code
        kwh, coefficient, price_list, price, premium = self.seeder.cumac(
            operation, zone_code, self.housing, inputs, self.precarity, self.date_signature
        )
        family = "PAC" if code in HEAT_PUMPS else ("EN" if operation.category == "EN" else "TH")
        brand, reference = rng.choice(PRODUCTS[family])
        surface = inputs.get("surface_m2")
        works_ht = (Decimal(surface) * Decimal(rng.randint(22, 48))) if operation.category == "EN" and surface else Decimal(
            rng.randrange(2500, 16000, 50)
        )
        return dict(operation=operation, inputs=inputs, kwh=kwh, coefficient=coefficient, price_list=price_list,
                    price=price, premium=premium, brand=brand, product=reference, works_ht=works_ht)

    def _transition_times(self) -> list[datetime.datetime]:
        """When each move of the status path happened, in order, never in the future."""
        rng, now = self.rng, self.seeder.now
        at = self.created_at
        times = []
        gaps = {  # minutes after the previous move
            S.SUBMITTED: (30, 60 * 24 * 3), S.PROCESSING: (1, 3), S.AWAITING_DOCUMENTS: (2, 8),
            S.READY_FOR_REVIEW: (2, 8), S.IN_REVIEW: (60, 60 * 24 * 6), S.APPROVED: (30, 60 * 24 * 2),
            S.REJECTED: (30, 60 * 24 * 2), S.INVOICED: (60 * 24, 60 * 24 * 10), S.PAID: (60 * 24 * 10, 60 * 24 * 40),
        }
        for _source, target, _actor in STATUS_PATHS[self.status]:
            low, high = gaps[target]
            at = at + datetime.timedelta(minutes=rng.randint(low, high))
            times.append(at)
        if times and times[-1] > now:
            # Squeeze the whole path into the time left before now, keeping the order.
            span = (now - self.created_at) * 0.95
            total = times[-1] - self.created_at
            times = [self.created_at + (t - self.created_at) * (span / total) for t in times]
        return times

    def _time_of(self, target: str):
        for (_s, t, _a), at in zip(STATUS_PATHS[self.status], self.transition_times):
            if t == target:
                return at
        return None

    def _dossier(self) -> Dossier:
        rng, status = self.rng, self.status
        processed = status in PROCESSED and status != S.AWAITING_DOCUMENTS
        decided_at = next((self._time_of(s) for s in (S.APPROVED, S.REJECTED) if self._time_of(s)), None)
        submitted_at = self._time_of(S.SUBMITTED)
        reason = rng.choice(self.seeder.reasons) if status == S.REJECTED else ""
        failed = rng.randint(1, 4) if status == S.REJECTED else (rng.choice([0, 0, 0, 1]) if processed else 0)
        return Dossier(
            installer=self.installer, beneficiary_name=self.beneficiary, beneficiary_address=self.address,
            beneficiary_postal_code=self.postal_code, beneficiary_city=self.city,
            beneficiary_email=f"{_slug(self.beneficiary.split(' ', 1)[1])}{rng.randint(1, 99)}@exemple.fr",
            beneficiary_phone=f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            works_address=self.address, works_postal_code=self.postal_code, works_city=self.city,
            housing_type=self.housing, living_area_m2=Decimal(self.living_area), precarity_status=self.precarity,
            status=status, priority=min(100, rng.randint(20, 80) + (15 if self.precarity != "none" else 0)),
            assigned_to=self.validator, total_kwh_cumac=self.kwh_total if processed else Decimal("0"),
            premium_eur=self.premium_total if processed else Decimal("0"), failed_rule_count=failed,
            has_fraud_signal=status == S.REJECTED and rng.random() < 0.1,
            fraud_signals=(["facture_en_double"] if status == S.REJECTED and rng.random() < 0.1 else []),
            missing_documents=self.missing, decision_reason=reason, submitted_at=submitted_at,
            submitted_by=self.creator if submitted_at else None, validated_at=decided_at,
            validated_by=self.validator if decided_at else None,
            processing_seconds=int((decided_at - submitted_at).total_seconds()) if decided_at else None,
            created_by=self.creator, created_at=self.created_at,
            updated_at=self.transition_times[-1] if self.transition_times else self.created_at,
        )

    # -- rows --

    def timeline(self) -> tuple:
        started = self.status != S.DRAFT or self.rng.random() < 0.5
        return (
            self.dossier.pk, self.date_devis, self.date_signature, self.date_debut if started else None,
            self.date_fin if started else None, self.date_facture if started else None,
        )

    def operations(self, ids) -> list[tuple]:
        """Rows of TIMELINE_COLUMNS… of OPERATION_COLUMNS, one per operation; ``ids`` yields their primary keys."""
        status = {
            S.DRAFT: "declared", S.SUBMITTED: "declared", S.PROCESSING: "declared", S.REJECTED: "invalid",
            S.APPROVED: "valid", S.INVOICED: "valid", S.PAID: "valid",
        }.get(self.status, "detected")
        processed = self.status in PROCESSED
        rows = []
        for facts in self._operation_facts:
            facts["id"] = next(ids)
            rows.append((
                facts["id"], self.dossier.pk, facts["operation"].pk, status, dict(facts["inputs"]),
                facts["kwh"] if processed else Decimal("0"), facts["coefficient"],
                facts["premium"] if processed else Decimal("0"),
                self.rng.choice(CONFIDENCES[800:990]) if processed else None,
                ["attestation_honneur", "facture"] if processed else [],
            ))
        return rows

    def documents(self) -> list[tuple]:
        """Rows of DOCUMENT_COLUMNS (ids were drawn into ``document_rows``)."""
        uploaded = self.created_at
        rows = []
        for position, (document_id, kind) in enumerate(self.document_rows):
            digest = hashlib.sha256(f"{self.dossier.reference}/{kind.code}/{position}".encode()).hexdigest()
            rows.append((
                document_id, self.dossier.pk, kind.pk, kind.pk, "",
                f"{kind.code.replace('_', '-')}-{self.dossier.reference}.pdf", "application/pdf",
                self.rng.randint(60_000, 900_000), digest, self.rng.randint(1, 3), DocumentStatus.PROCESSED.value,
                self.rng.choice(CONFIDENCES[820:990]), [DEMO_DOCUMENT_FLAG], self.creator.pk if self.creator else None,
                uploaded, self.processed_at or uploaded,
            ))
        return rows

    def _document_codes(self) -> list[str]:
        if self.status == S.DRAFT:
            return ["devis"] if self.rng.random() < 0.6 else []
        codes = ["cadre_contribution", "devis", "facture", "attestation_honneur", "certificat_rge"]
        if self.precarity != "none":
            codes.append("avis_imposition")
        if set(self.codes) & HEAT_PUMPS:
            codes.append("note_dimensionnement")
        if self.rng.random() < 0.3:
            codes.append("photo")
        return [c for c in codes if c not in self.missing]

    def field_review(self):
        """(status, confirmed_by, confirmed_at) of an extracted field of this dossier."""
        rng = self.rng
        if self.status in (S.APPROVED, S.INVOICED, S.PAID):
            return FieldStatus.CONFIRMED, self.validator, self.dossier.validated_at
        if self.status == S.REJECTED:
            status = rng.choices([FieldStatus.CONFIRMED, FieldStatus.WRONG, FieldStatus.UNREVIEWED], weights=[70, 10, 20])[0]
        elif self.status == S.IN_REVIEW:
            status = rng.choices([FieldStatus.CONFIRMED, FieldStatus.UNREVIEWED], weights=[40, 60])[0]
        else:
            return FieldStatus.UNREVIEWED, None, None
        if status == FieldStatus.CONFIRMED:
            return status, self.validator, self._time_of(S.IN_REVIEW)
        return status, None, None

    def fact(self, document_code: str, schema: FieldSchema) -> str | None:
        """The normalised value of ``schema`` on this dossier's ``document_code`` document (None: not on it)."""
        if self._field_values is None:
            self._field_values = self._values_by_field_name()
        if schema.name in self._field_values:
            return self._field_values[schema.name]
        return _fallback_value(schema.data_type, self)

    def _values_by_field_name(self) -> dict[str, str | None]:
        main = self._operation_facts[0]
        inputs = main["inputs"]
        installer = self.installer
        year = self.date_signature.year
        ops = json.dumps(self.codes)
        return {
            "numero_devis": f"DEV-{year}-{self.number:05d}", "date_devis": self.date_devis.isoformat(),
            "date_signature": self.date_signature.isoformat(), "date_engagement": self.date_signature.isoformat(),
            "siret_installateur": installer.siret, "siret": installer.siret,
            "raison_sociale_installateur": installer.name, "raison_sociale": installer.name,
            "beneficiaire_nom": self.beneficiary, "declarant_nom": self.beneficiary,
            "beneficiaire_adresse": self.address, "adresse": f"{self.address} {self.postal_code} {self.city}",
            "beneficiaire_code_postal": self.postal_code, "beneficiaire_ville": self.city,
            "montant_ht": f"{self.works_ht:.2f}", "montant_tva": f"{self.works_tva:.2f}",
            "montant_ttc": f"{self.works_ht + self.works_tva:.2f}", "operations": ops,
            "surface_m2": _plain(inputs.get("surface_m2")), "resistance_thermique": _plain(inputs.get("resistance_thermique")),
            "etas": _plain(inputs.get("etas")), "cop": "4.2" if self.codes[0] in HEAT_PUMPS else None,
            "marque": main["brand"], "reference_produit": main["product"],
            "numero_facture": f"FA-{self.date_facture.year}-{self.number:05d}", "reference_facture": f"FA-{self.date_facture.year}-{self.number:05d}",
            "date_facture": self.date_facture.isoformat(), "date_fin_travaux": self.date_fin.isoformat(),
            "date_achevement": self.date_fin.isoformat(), "rge_numero": installer.rge_number or None,
            "prime_cee": f"{self.premium_total:.2f}", "montant_prime": f"{self.premium_total:.2f}",
            "signature_beneficiaire": "true", "signature_installateur": "true",
            "date_cadre": self.date_cadre.isoformat(), "nom_oblige": OBLIGES[self.number % len(OBLIGES)],
            "date_debut_validite": installer.rge_valid_from.isoformat() if installer.rge_valid_from else None,
            "date_fin_validite": installer.rge_valid_until.isoformat() if installer.rge_valid_until else None,
            "domaines": ", ".join(installer.qualifications or []) or None,
            "annee_revenus": str(year - 1), "revenu_fiscal_reference": str(self._income()),
            "nombre_parts": f"{self.rng.choice(['1.0', '1.5', '2.0', '2.5', '3.0'])}",
        }

    def _income(self) -> int:
        return {"tres_modeste": self.rng.randint(11000, 17000), "modeste": self.rng.randint(17500, 22000)}.get(
            self.precarity, self.rng.randint(28000, 60000)
        )

    def invoice(self, number: str, year: int, sequence: int) -> Invoice:
        lines = []
        for position, facts in enumerate(self._operation_facts, start=1):
            weighted = (facts["kwh"] * facts["coefficient"]).quantize(CENT, rounding=ROUND_HALF_UP)
            price = facts["price"] or Decimal("0")
            share = facts["price_list"].share_on_validation_percent if facts["price_list"] else Decimal("70")
            lines.append(InvoiceLine(
                position=position, dossier_operation_id=facts["id"], operation_code=facts["operation"].code,
                label=f"{facts['operation'].code} — {facts['operation'].name}", base_kwh_cumac=facts["kwh"],
                coefficient=facts["coefficient"], kwh_cumac=weighted, price_list=facts["price_list"], unit_price=price,
                share_on_validation_percent=share, amount_eur=(weighted / 1000 * price).quantize(CENT, rounding=ROUND_HALF_UP),
            ))
        total = sum((line.amount_eur for line in lines), Decimal("0"))
        on_validation = sum((line.amount_eur * line.share_on_validation_percent / 100 for line in lines), Decimal("0"))
        on_validation = on_validation.quantize(CENT, rounding=ROUND_HALF_UP)
        kwh = sum((line.kwh_cumac for line in lines), Decimal("0"))
        self.invoice_row = Invoice(
            number=number, year=year, sequence=sequence, dossier=self.dossier, installer=self.installer,
            kwh_cumac=kwh, unit_price=lines[0].unit_price if lines else Decimal("0"), total_eur=total,
            amount_on_validation=on_validation, amount_on_registration=total - on_validation,
            amount_paid=total if self.status == S.PAID else Decimal("0"), issue_date=self.invoice_date,
            due_date=self.invoice_date + datetime.timedelta(days=30),
            status=Invoice.Status.PAID if self.status == S.PAID else Invoice.Status.ISSUED,
        )
        self._invoice_lines = lines
        return self.invoice_row

    @property
    def invoice_date(self) -> datetime.date:
        return timezone.localtime(self._time_of(S.INVOICED)).date()

    def invoice_lines(self) -> list[InvoiceLine]:
        for line in self._invoice_lines:
            line.invoice = self.invoice_row
        return self._invoice_lines

    def payment(self) -> Payment:
        paid_on = timezone.localtime(self._time_of(S.PAID)).date()
        return Payment(invoice=self.invoice_row, amount=self.invoice_row.total_eur, date=max(paid_on, self.invoice_date),
                       method=Payment.Method.TRANSFER, reference=f"VIR-{self.invoice_row.number}")


# --- helpers --------------------------------------------------------------------------------

def _field_row(plan: DossierPlan, spec: tuple) -> tuple:
    document_id, schema, value, confidence, status, confirmed_by, confirmed_at = spec
    created = plan.processed_at
    return (
        document_id, plan.dossier.id, schema.id, value, _raw_text(schema.data_type, value), confidence, status,
        value if status != _UNREVIEWED else "", "", 1, _BBOXES[schema.display_order % 20][document_id % 4],
        _TEXT_LAYER, "demo", confirmed_by.id if confirmed_by else None, confirmed_at, None, None,
        created, confirmed_at or created,
    )


_UNREVIEWED = FieldStatus.UNREVIEWED.value
_TEXT_LAYER = ExtractionMethod.TEXT_LAYER.value


def _activity_row(actor, verb, dossier, content_type, object_id, description, metadata, at) -> tuple:
    return (actor.pk if actor else None, verb, dossier.pk, content_type.pk, str(object_id), description, metadata,
            None, "", at)


BULK_MODELS = (Dossier, DossierOperation, Timeline, Document, ExtractedField, Activity, Invoice, InvoiceLine, Payment)


@contextlib.contextmanager
def indexes_set_aside(model_list, *, log=print):
    """PostgreSQL, inside the caller's transaction: drop the foreign keys and the plain
    (non-unique) indexes of ``model_list``'s tables, let the caller load rows, then create
    them again as they were (re-adding a foreign key checks every row at once) and refresh
    the planner's statistics. Primary keys and unique constraints stay in place throughout.
    An error rolls the whole transaction back, the dropped definitions with it."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in model_list]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY conrelid, conname",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisunique AND NOT indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid) ORDER BY indexrelid",
            [tables],
        )
        indexes = cursor.fetchall()
        # Earlier writes of this transaction may have foreign-key checks pending (Django's keys
        # are deferred): run them now, or PostgreSQL refuses to alter the tables.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        for table in tables:
            cursor.execute(f"ANALYZE {quote(table)}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's keys are deferrable, initially deferred
    log(f"  {len(indexes)} index et {len(foreign_keys)} clés étrangères reconstruits et vérifiés "
        f"en {time.monotonic() - started:.0f} s")


def allocate_ids(model, count: int) -> list[int]:
    """Draw ``count`` primary keys for ``model`` from its table's sequence (inside the caller's
    transaction; on SQLite the open write transaction keeps other writers out)."""
    from django.db import connection

    if count == 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) FROM {connection.ops.quote_name(table)}")
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def insert_instances(model, objects: list) -> None:
    """Insert unsaved ``model`` instances whose primary keys are already set (``allocate_ids``)
    through ``insert_rows``: the values as they stand, no ``save()``, signals or auto_now."""
    fields = model._meta.concrete_fields
    files = {f.attname for f in fields if isinstance(f, models.FileField)}

    stamped = {f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    now = timezone.now()

    def value(obj, f):
        raw = getattr(obj, f.attname)
        if f.attname in files:
            return raw.name or ""
        if raw is None and f.attname in stamped:  # what save() would stamp; explicit times are kept
            return now
        return raw

    insert_rows(model, [f.name for f in fields], [tuple(value(obj, f) for f in fields) for obj in objects])


def insert_rows(model, names: list[str], rows: list[tuple], *, chunk: int = 5000, line=None) -> None:
    """Insert plain rows into ``model``'s table, without model instances or signals.

    ``names`` are field names, in the order of each row's values. Fields not named get their
    default (their model default, "" for text, NULL where allowed), so a column another app
    adds later does not break the seed. JSON fields take Python objects or an already
    serialised string. PostgreSQL gets a COPY; other databases an executemany. ``line``, for
    PostgreSQL, formats one row as a COPY text line (the named columns only), several times
    faster than psycopg's generic per-value row writer on millions of rows.
    """
    from django.db import connection

    fields = [model._meta.get_field(name) for name in names]
    named = {f.column for f in fields}
    defaults = []
    for f in model._meta.concrete_fields:
        if f.column in named or f.primary_key:
            continue
        fields.append(f)
        defaults.append(timezone.now() if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default())
    defaults = tuple(defaults)
    json_positions = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)

    def as_json(value):
        if value is None or isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                if line is None:
                    for row in rows:
                        row = [*row, *defaults]
                        for i in json_positions:
                            row[i] = as_json(row[i])
                        copy.write_row(row)
                else:  # a table-specific formatter for the big tables: one f-string a row
                    tail = "".join("\t" + _copy_text(as_json(value) if isinstance(f, models.JSONField) else value)
                                   for f, value in zip(fields[len(names):], defaults))
                    for start in range(0, len(rows), chunk):
                        copy.write("".join([line(row) + tail + "\n" for row in rows[start:start + chunk]]))
            return
        datetime_positions = [i for i, f in enumerate(fields) if isinstance(f, models.DateTimeField)]
        adapted: dict = {}  # many rows share a timestamp: convert each one once

        def as_datetime(value):
            if value not in adapted:
                adapted[value] = connection.ops.adapt_datetimefield_value(value)
            return adapted[value]

        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        for start in range(0, len(rows), chunk):
            prepared = []
            for row in rows[start:start + chunk]:
                row = [*row, *defaults]
                for i in json_positions:
                    row[i] = as_json(row[i])
                for i in datetime_positions:
                    row[i] = as_datetime(row[i])
                prepared.append(row)
            cursor.executemany(sql, prepared)


def _field_copy_line(row: tuple) -> str:
    """A row of FIELD_COLUMNS as a COPY text line."""
    (document, dossier, schema, value, raw_text, confidence, status, original, corrected, page, bbox, method, engine,
     confirmed_by, confirmed_at, corrected_by, corrected_at, created_at, updated_at) = row
    texts = f"{value}{raw_text}{original}{corrected}{bbox}{engine}"
    if value is None or raw_text is None or "\\" in texts or "\t" in texts or "\n" in texts or "\r" in texts:  # rare: escape them
        value, raw_text, original, corrected, bbox, engine = map(_copy_text, (value, raw_text, original, corrected, bbox, engine))
    return (
        f"{document}\t{dossier}\t{schema}\t{value}\t{raw_text}\t{confidence}\t{status!s}\t{original}\t{corrected}\t"
        f"{_NULL if page is None else page}\t{bbox}\t{method!s}\t{engine}\t{_NULL if confirmed_by is None else confirmed_by}\t"
        f"{_copy_time(confirmed_at)}\t{_NULL if corrected_by is None else corrected_by}\t{_copy_time(corrected_at)}\t"
        f"{_copy_time(created_at)}\t{_copy_time(updated_at)}"
    )


_NULL = "\\N"


@functools.lru_cache(maxsize=100_000)
def _copy_time(value) -> str:
    """A timestamp in COPY text format; many rows share one, so each is converted once."""
    return "\\N" if value is None else value.isoformat()


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format (NULL as \\N, backslash escapes)."""
    kind = type(value)
    if kind is str or isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(_COPY_ESCAPES)
        return str(value)
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is datetime.datetime or kind is datetime.date:
        return value.isoformat()
    return str(value)  # int, Decimal


def _cumac_functions():
    """The rules app's cumac calculator and billing's price lookup, when installed."""
    try:
        from billing.pricing import price_or_none as price_for
        from rules.cumac import applicable_coefficient, compute
        from rules.zones import climate_zone
    except ImportError:
        return None, None, None, None
    return compute, applicable_coefficient, price_for, climate_zone


def _etas_for(params: dict, rng: random.Random) -> int:
    brackets = ((params.get("classes") or {}).get("etas_class") or {}).get("brackets")
    if brackets:
        bracket = rng.choice(brackets)
        low = int(bracket["min"])
        high = int(bracket.get("max", low + 25)) - 1
        return min(high, low + rng.choice([0, 4, 9, 15]))
    minimum = next((t["min"] for t in params.get("thresholds") or [] if t["input"] == "etas"), 100)
    return int(minimum) + rng.choice([0, 6, 14])


def _plain(value) -> str | None:
    if value is None:
        return None
    return format(Decimal(str(value)).normalize(), "f")


def _fallback_value(data_type: str, plan: DossierPlan) -> str | None:
    return {
        "date": plan.date_signature.isoformat(), "siret": plan.installer.siret, "postal_code": plan.postal_code,
        "cee_code": json.dumps(plan.codes), "boolean": "true", "integer": "1", "decimal": "1.00",
    }.get(data_type)


@functools.lru_cache(maxsize=50_000)
def _raw_text(data_type: str, value: str) -> str:
    """The value as it is printed on a French document."""
    try:
        if data_type == "date":
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        if data_type == "decimal" and "." in value and len(value.split(".")[1]) == 2:
            return _french_amount(Decimal(value))
        if data_type == "siret":
            return f"{value[:3]} {value[3:6]} {value[6:9]} {value[9:]}"
        if data_type == "cee_code":
            return ", ".join(json.loads(value))
        if data_type == "boolean":
            return "Signé" if value == "true" else ""
    except (ValueError, TypeError):
        pass
    return value


def _make_bbox(order: int, variant: int) -> str:
    top = round(min(0.9, 0.08 + 0.04 * order + 0.003 * variant), 3)
    left = 0.08 if variant % 2 == 0 else 0.52
    return json.dumps([left, top, round(left + 0.18 + 0.05 * variant, 3), round(top + 0.018, 3)])


# Where a field sits on its page (relative box), as JSON: a few layouts per display position.
_BBOXES = [[_make_bbox(order, variant) for variant in range(4)] for order in range(20)]


def _aware(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
