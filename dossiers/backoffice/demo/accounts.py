"""Demo accounts with known passwords, the demo installer companies, and removing demo dossiers.

Accounts and companies are created through the account services (validated, logged);
idempotent: accounts are matched by e-mail, companies by SIRET.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone

from accounts.models import Installer, RgeStatus, Role, User
from accounts.roles import ROLE_GROUP_NAMES
from accounts.services import create_installer, create_user
from accounts.validators import luhn_valid

from ...models import Dossier
from .facts import CITIES, COMPANY_WORDS, FIRST_NAMES, LAST_NAMES, STREETS, slug

DEMO_CONTRACT_PREFIX = "DEMO-"

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
        siret=siret, email=f"contact@{slug(values['name'])}.fr", rge_status=RgeStatus.VALID,
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
