"""Builders for billing tests: approved dossiers with operations, a timeline and a price list."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from dossiers.models import DossierOperation, DossierStatus, Operation, Timeline
from tests.factories import DossierFactory, InstallerFactory


def make_approved_dossier(*, installer=None, operations=(("BAR-TH-171", "109080.00", "5"),), precarity="none",
                          engagement=datetime.date(2025, 11, 3), status=DossierStatus.APPROVED, **fields):
    """An approved dossier whose total kWh cumac is the coefficient-weighted sum of ``operations``
    (``(code, kwh_cumac, coefficient)`` triples), as the rules engine leaves it."""
    dossier = DossierFactory(installer=installer or InstallerFactory(), status=status, precarity_status=precarity, **fields)
    Timeline.objects.create(dossier=dossier, date_devis=engagement, date_signature=engagement,
                            date_fin_travaux=engagement + datetime.timedelta(days=30))
    total = Decimal("0")
    for code, kwh, coefficient in operations:
        operation = Operation.objects.filter(code=code).order_by("-valid_from").first()
        DossierOperation.objects.create(dossier=dossier, operation=operation, kwh_cumac=Decimal(kwh),
                                        coefficient=Decimal(coefficient), status=DossierOperation.Status.VALID)
        total += Decimal(kwh) * Decimal(coefficient)
    dossier.total_kwh_cumac = total.quantize(Decimal("0.01"))
    dossier.save(update_fields=["total_kwh_cumac"])
    return dossier


@pytest.fixture
def approved_dossier(db):
    return make_approved_dossier()


@pytest.fixture
def billing_admin(administrator):
    return administrator
