"""Which price list applies: specificity, validity dates, active flag, precarity."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from billing.models import PriceList
from billing.pricing import PriceNotFound, price_for
from tests.factories import InstallerFactory

D = datetime.date


def make_list(**fields) -> PriceList:
    defaults = dict(name="liste", valid_from=D(2024, 1, 1), valid_until=None,
                    price_classic=Decimal("7.000"), price_precarity=Decimal("9.000"))
    defaults.update(fields)
    return PriceList.objects.create(**defaults)


@pytest.fixture
def isolated_prices(db):
    """Start from no price list at all, so each test states exactly what exists."""
    PriceList.objects.all().delete()


def test_reference_fixture_has_the_general_2024_2026_list_and_loads_twice_without_duplicates(db):
    call_command("loaddata", "fixtures/price_lists.json", verbosity=0)
    call_command("loaddata", "fixtures/price_lists.json", verbosity=0)
    general = PriceList.objects.filter(operation_code="", installer__isnull=True)
    assert general.count() == 1
    only = general.get()
    assert (only.valid_from, only.valid_until) == (D(2024, 1, 1), D(2026, 12, 31))
    assert (only.price_classic, only.price_precarity) == (Decimal("7.800"), Decimal("11.000"))
    assert only.share_on_validation_percent == Decimal("70")


def test_general_list_gives_classic_and_precarity_prices(isolated_prices):
    general = make_list(price_classic=Decimal("7.800"), price_precarity=Decimal("11.000"))
    for status, expected in [("none", "7.800"), ("modeste", "11.000"), ("tres_modeste", "11.000")]:
        found, price = price_for(operation_code="BAR-TH-171", installer=None, date=D(2025, 5, 1), precarity_status=status)
        assert found == general
        assert price == Decimal(expected)
        assert isinstance(price, Decimal)


def test_most_specific_list_wins_operation_and_installer_over_installer_over_operation_over_general(isolated_prices):
    installer, other = InstallerFactory(), InstallerFactory()
    general = make_list(name="générale")
    by_operation = make_list(name="fiche", operation_code="BAR-TH-171")
    by_installer = make_list(name="contrat", installer=installer)
    by_both = make_list(name="contrat + fiche", installer=installer, operation_code="BAR-TH-171")

    def winner(code, who):
        return price_for(operation_code=code, installer=who, date=D(2025, 1, 1), precarity_status="none")[0]

    assert winner("BAR-TH-171", installer) == by_both
    assert winner("BAR-EN-101", installer) == by_installer
    assert winner("BAR-TH-171", other) == by_operation
    assert winner("BAR-EN-101", other) == general
    by_both.is_active = False
    by_both.save()
    assert winner("BAR-TH-171", installer) == by_installer


def test_only_lists_valid_at_the_engagement_date_apply_bounds_included(isolated_prices):
    old = make_list(name="2024", valid_from=D(2024, 1, 1), valid_until=D(2024, 12, 31), price_classic=Decimal("7.600"))
    new = make_list(name="2025", valid_from=D(2025, 1, 1), valid_until=None, price_classic=Decimal("8.300"))

    def at(day):
        return price_for(operation_code="BAR-TH-171", installer=None, date=day, precarity_status="none")

    assert at(D(2024, 12, 31)) == (old, Decimal("7.600"))
    assert at(D(2025, 1, 1)) == (new, Decimal("8.300"))
    with pytest.raises(PriceNotFound):
        at(D(2023, 12, 31))


def test_a_more_specific_list_outside_its_validity_does_not_apply(isolated_prices):
    installer = InstallerFactory()
    general = make_list(name="générale")
    make_list(name="contrat expiré", installer=installer, valid_from=D(2024, 1, 1), valid_until=D(2024, 6, 30))
    found, _ = price_for(operation_code="BAR-TH-171", installer=installer, date=D(2024, 7, 1), precarity_status="none")
    assert found == general


def test_same_specificity_prefers_the_most_recently_started_list(isolated_prices):
    make_list(name="ancienne", valid_from=D(2024, 1, 1))
    recent = make_list(name="récente", valid_from=D(2025, 3, 1))
    found, _ = price_for(operation_code="", installer=None, date=D(2025, 6, 1), precarity_status="none")
    assert found == recent


def test_missing_engagement_date_is_a_clear_error(isolated_prices):
    make_list()
    with pytest.raises(ValueError, match="date d'engagement"):
        price_for(operation_code="BAR-TH-171", installer=None, date=None, precarity_status="none")
