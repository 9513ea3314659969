"""Climate zones, precarity ceilings and the reference fixtures."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from rules import zones
from rules.models import ClimateZone, PrecarityCeiling, Rule
from rules.precarity import CeilingsUnavailable, categorise_household, persons_from_parts, region_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("postal_code, zone", [
    ("69003", "H1"), ("75011", "H1"), ("01000", "H1"), ("13001", "H3"), ("33000", "H2"), ("06000", "H3"),
    ("20000", "H3"), ("20190", "H3"), ("20200", "H3"), ("20600", "H3"),
    ("97110", "H3"), ("97200", "H3"), ("97300", "H3"), ("97400", "H3"), ("97600", "H3"), ("97500", "H1"),
    (" 69 003", "H1"),
])
def test_climate_zone_of_a_postal_code(postal_code, zone):
    assert zones.climate_zone(postal_code) == zone


@pytest.mark.parametrize("postal_code, departement", [
    ("20000", "2A"), ("20167", "2A"), ("20199", "2A"), ("20200", "2B"), ("20290", "2B"), ("20600", "2B"),
    ("97411", "974"), ("97500", "975"), ("69003", "69"), ("01000", "01"),
])
def test_departement_of_corsica_and_overseas(postal_code, departement):
    assert zones.departement_of(postal_code) == departement


@pytest.mark.parametrize("postal_code", ["6900", "690033", "ABCDE", "", None, "98000"])
def test_unknown_or_malformed_postal_codes_raise(postal_code):
    with pytest.raises(zones.UnknownClimateZone):
        zones.climate_zone(postal_code)


def test_a_zone_edited_in_the_admin_is_used_at_once():
    assert zones.climate_zone("69003") == "H1"
    ClimateZone.objects.filter(departement="69").update(zone="H2")  # a queryset update sends no signal
    zones.clear_cache()
    assert zones.climate_zone("69003") == "H2"
    row = ClimateZone.objects.get(departement="69")
    row.zone = "H1"
    row.save()  # the save signal drops the cache
    assert zones.climate_zone("69003") == "H1"


def test_the_zone_table_covers_every_departement_once():
    assert ClimateZone.objects.count() == 102  # 94 + 2A/2B + 6 overseas
    assert set(ClimateZone.objects.filter(zone="H3").values_list("departement", flat=True)) >= {"2A", "2B", "971", "976"}


@pytest.mark.parametrize("parts, persons", [
    ("1", 1), ("1.5", 2), ("2", 2), ("2.5", 3), ("3", 4), ("3.5", 4), ("4", 5), ("5", 6), ("0.5", 1),
])
def test_persons_from_tax_parts_is_the_conservative_reading(parts, persons):
    assert persons_from_parts(Decimal(parts)) == persons


@pytest.mark.parametrize("income, persons, postal_code, year, category", [
    (17173, 1, "69003", 2025, "tres_modeste"), (17174, 1, "69003", 2025, "modeste"),
    (22015, 1, "69003", 2025, "modeste"), (22016, 1, "69003", 2025, "none"),
    (23768, 1, "75011", 2025, "tres_modeste"), (28933, 1, "93100", 2025, "modeste"),
    (40388, 5, "69003", 2025, "tres_modeste"), (40388 + 5094, 6, "69003", 2025, "tres_modeste"),
    (40388 + 5095, 6, "69003", 2025, "modeste"), (51775 + 2 * 6525, 7, "69003", 2025, "modeste"),
    (17363, 1, "69003", 2026, "tres_modeste"), (56580, 5, "77000", 2026, "tres_modeste"),
])
def test_categorise_household(income, persons, postal_code, year, category):
    assert categorise_household(income, persons=persons, postal_code=postal_code, year=year).category == category


def test_2026_modeste_ceilings_are_not_confirmed_so_the_category_is_not_guessed():
    assert not PrecarityCeiling.objects.filter(year=2026, category="modeste").exists()
    with pytest.raises(CeilingsUnavailable, match="modeste » 2026"):
        categorise_household(20000, persons=1, postal_code="69003", year=2026)


def test_an_unconfirmed_ceiling_is_not_used():
    PrecarityCeiling.objects.create(year=2026, region="other", category="modeste", persons=1, ceiling_eur=22500,
                                    extra_per_person_eur=6600, confirmed=False)
    with pytest.raises(CeilingsUnavailable):
        categorise_household(20000, persons=1, postal_code="69003", year=2026)


def test_categorise_needs_persons_or_parts():
    with pytest.raises(ValueError):
        categorise_household(20000, postal_code="69003", year=2025)
    assert categorise_household(30000, parts=Decimal("2"), postal_code="69003", year=2025).persons == 2


def test_region_of():
    assert region_of("75011") == "idf" and region_of("95") == "idf" and region_of("69003") == "other"


def test_reloading_the_reference_data_updates_the_fixture_rows():
    """A database loaded with an older fixture version (rule 6 inactive, its field without
    hints) is brought to the current one: nobody edited those rows since they were loaded."""
    from dossiers.management.commands.load_reference_data import remember_as_loaded
    from extraction.models import FieldSchema

    Rule.objects.filter(code="r06-batiment-plus-de-2-ans").update(is_active=False, operation_codes=[], version=1)
    FieldSchema.objects.filter(name="batiment_plus_de_2_ans").update(extraction_hints={}, is_active=False)
    remember_as_loaded(Rule.objects.get(code="r06-batiment-plus-de-2-ans"))
    remember_as_loaded(FieldSchema.objects.get(name="batiment_plus_de_2_ans"))
    call_command("load_reference_data", verbosity=0)
    rule = Rule.objects.get(code="r06-batiment-plus-de-2-ans")
    assert rule.is_active and rule.version == 2 and "BAR-TH-171" in rule.operation_codes
    schema = FieldSchema.objects.get(document_type__code="attestation_honneur", name="batiment_plus_de_2_ans")
    assert schema.is_active and schema.extraction_hints["statement"]["subject"]


def test_reference_fixtures_load_twice_without_duplicates():
    before = (Rule.objects.count(), ClimateZone.objects.count(), PrecarityCeiling.objects.count())
    call_command("load_reference_data", verbosity=0)
    assert (Rule.objects.count(), ClimateZone.objects.count(), PrecarityCeiling.objects.count()) == before
    assert before == (55, 102, 30)
