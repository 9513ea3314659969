"""factory-boy factories shared by every test folder."""
from __future__ import annotations

import hashlib
import itertools
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import Installer, Role, User
from documents.models import Document, DocumentType
from dossiers.models import Dossier, DossierOperation, DossierStatus, Operation

_siret_counter = itertools.count(1)


def make_siret(seed: int) -> str:
    """A Luhn-valid SIRET built from ``seed`` (13 digits + a computed check digit)."""
    body = f"{seed:013d}"
    for check in range(10):
        candidate = body + str(check)
        total = 0
        for index, char in enumerate(reversed(candidate)):
            n = int(char) * (2 if index % 2 else 1)
            total += n - 9 if n > 9 else n
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


class InstallerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Installer

    name = factory.Sequence(lambda n: f"Énergie Rénov {n} SARL")
    siret = factory.LazyFunction(lambda: make_siret(732829320 * 10000 + next(_siret_counter)))
    address = "12 rue des Artisans"
    postal_code = "69003"
    city = "Lyon"
    email = factory.Sequence(lambda n: f"contact{n}@renov.example.fr")
    rge_number = factory.Sequence(lambda n: f"QPAC/{60000 + n}")
    rge_valid_from = factory.LazyFunction(lambda: timezone.localdate().replace(year=timezone.localdate().year - 2))
    rge_valid_until = factory.LazyFunction(lambda: timezone.localdate().replace(year=timezone.localdate().year + 2))
    rge_status = "valid"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@cee.example.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    role = Role.INSTALLER
    installer = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == Role.INSTALLER), factory.SubFactory(InstallerFactory), None
    )
    password = factory.PostGenerationMethodCall("set_password", "motdepasse-test-1")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AdministratorFactory(UserFactory):
    role = Role.ADMINISTRATOR
    is_staff = True
    is_superuser = False


class ValidatorFactory(UserFactory):
    role = Role.VALIDATOR
    is_staff = True


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dossier

    reference = factory.Sequence(lambda n: f"CEE-T-{n:06d}")
    installer = factory.SubFactory(InstallerFactory)
    beneficiary_name = factory.Sequence(lambda n: f"Dupont Jean {n}")
    beneficiary_address = "3 allée des Tilleuls"
    beneficiary_postal_code = "69003"
    beneficiary_city = "Lyon"
    works_address = "3 allée des Tilleuls"
    works_postal_code = "69003"
    works_city = "Lyon"
    status = DossierStatus.DRAFT


class DossierOperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DossierOperation

    dossier = factory.SubFactory(DossierFactory)
    operation = factory.LazyFunction(lambda: Operation.objects.filter(code="BAR-TH-171").first())
    kwh_cumac = Decimal("0")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    dossier = factory.SubFactory(DossierFactory)
    document_type = factory.LazyFunction(lambda: DocumentType.objects.get(code="devis"))
    original_filename = factory.Sequence(lambda n: f"devis-{n}.pdf")
    mime_type = "application/pdf"
    size = 1024
    sha256 = factory.Sequence(lambda n: hashlib.sha256(f"doc{n}".encode()).hexdigest())
    page_count = 1
