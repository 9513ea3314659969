"""The kWh cumac calculator (rules), the premium (billing.pricing.with_premium), and the
``cumac`` command: the worked checks of CEE-DOMAIN.md are exact."""
from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from billing.models import PriceList
from billing.pricing import with_premium
from dossiers.models import Operation
from rules.cumac import CumacError, check_parameters, compute, version_in_force
from rules.reference import ReferenceData

pytestmark = pytest.mark.django_db
D = Decimal
ENGAGEMENT = datetime.date(2026, 3, 1)


@pytest.fixture
def price_list():
    """A general price list at 7.8 €/MWhc classic, 11 € precarity, valid at the engagement
    date: the one of fixtures/price_lists.json when loaded, else created here."""
    existing = PriceList.objects.filter(
        is_active=True, operation_code="", installer__isnull=True, valid_from__lte=ENGAGEMENT,
        price_classic=D("7.8"), price_precarity=D("11"),
    ).first()
    return existing or PriceList.objects.create(
        name="Grille de test", valid_from=datetime.date(2024, 1, 1), valid_until=datetime.date(2026, 12, 31),
        price_classic=D("7.800"), price_precarity=D("11.000"),
    )


def fiche(code, day=ENGAGEMENT):
    return version_in_force(Operation.objects.filter(code=code), day)


def priced(operation, *, date=ENGAGEMENT, precarity="none", installer=None, **kwargs):
    """The kWh cumac (rules) with its price and premium (billing), as the dossier workflow combines them."""
    result = compute(operation, date=date, precarity=precarity, **kwargs)
    return with_premium(result, installer=installer, day=date, precarity=precarity)


def test_bar_th_171_house_100_m2_etas_130_in_h1_is_109_080_kwh_cumac(price_list):
    result = compute(fiche("BAR-TH-171"), postal_code="69003", housing_type="maison", surface=100, etas=130,
                     date=ENGAGEMENT)
    assert result.zone == "H1"
    assert result.kwh_cumac == D("109080.00")  # 90 900 × 1 × 1.2


def test_bar_th_171_premium_is_109_08_mwhc_times_5_times_7_8_euros(price_list):
    result = priced(fiche("BAR-TH-171"), postal_code="69003", housing_type="maison", surface=100, etas=130,
                    date=ENGAGEMENT)
    assert result.coefficient == 5
    assert result.price_eur_per_mwh == D("7.8")
    assert result.premium_eur == D("4254.12")
    assert result.details["bonus"] == "Coup de pouce chauffage"


def test_bar_en_101_90_m2_in_lyon_is_153_000_kwh_cumac(price_list):
    result = priced(fiche("BAR-EN-101"), postal_code="69003", housing_type="maison", surface=90, resistance=7,
                    date=ENGAGEMENT)
    assert (result.zone, result.kwh_cumac, result.coefficient) == ("H1", D("153000.00"), 1)
    assert result.premium_eur == D("1193.40")


@pytest.mark.parametrize("housing, surface, etas, postal_code, expected", [
    ("maison", 60, 130, "69003", D("90900") * D("0.5") * D("1.2")),
    ("maison", 70, 130, "69003", D("90900") * D("0.7") * D("1.2")),
    ("maison", 90, 140, "33000", D("109200")),
    ("maison", 150, 139.9, "13001", D("90900") * D("0.7")),
    ("appartement", 34, 120, "69003", D("48700") * D("0.5") * D("1.2")),
    ("appartement", 35, 120, "33000", D("48700") * D("0.7")),
    ("appartement", 60, 150, "20000", D("58900") * D("0.7")),
])
def test_heat_pump_tables_by_housing_surface_etas_and_zone(price_list, housing, surface, etas, postal_code, expected):
    result = compute(fiche("BAR-TH-172"), postal_code=postal_code, housing_type=housing, surface=surface, etas=etas,
                     date=ENGAGEMENT)
    assert result.kwh_cumac == expected.quantize(D("0.01"))


def test_the_coup_de_pouce_applies_only_from_its_start_date(price_list):
    before = priced(fiche("BAR-TH-171"), postal_code="69003", housing_type="maison", surface=100, etas=130,
                    date=datetime.date(2025, 9, 30))
    assert before.coefficient == 1
    assert before.premium_eur == D("850.82")  # 109.08 × 7.8 = 850.824 → rounded half up to the cent


def test_precarity_uses_the_precarity_price(price_list):
    result = priced(fiche("BAR-TH-171"), postal_code="69003", housing_type="maison", surface=100, etas=130,
                    precarity="tres_modeste", date=ENGAGEMENT)
    assert result.price_eur_per_mwh == D("11")
    assert result.premium_eur == D("5999.40")


def test_an_operation_specific_price_list_wins_over_the_general_one(price_list):
    PriceList.objects.create(name="PAC", operation_code="BAR-TH-171", valid_from=datetime.date(2026, 1, 1),
                             price_classic=D("8.100"), price_precarity=D("12.000"))
    result = priced(fiche("BAR-TH-171"), postal_code="69003", housing_type="maison", surface=100, etas=130,
                    date=ENGAGEMENT)
    assert result.price_eur_per_mwh == D("8.1")
    assert result.premium_eur == D("4417.74")


def test_without_a_price_list_the_premium_is_unknown():
    PriceList.objects.all().delete()
    result = priced(fiche("BAR-TH-171"), postal_code="69003", housing_type="maison", surface=100, etas=130,
                    date=ENGAGEMENT)
    assert result.kwh_cumac == D("109080.00")
    assert result.price_eur_per_mwh is None and result.premium_eur is None


def test_below_the_fiche_threshold_the_operation_is_not_eligible(price_list):
    result = priced(fiche("BAR-EN-101"), postal_code="69003", housing_type="maison", surface=90, resistance=6,
                    date=ENGAGEMENT)
    assert not result.eligible
    assert result.kwh_cumac == 0 and result.premium_eur == 0
    assert "R ≥ 7" in result.details["reasons"][0]


def test_stove_bonus_needs_its_declared_condition(price_list):
    stove = fiche("BAR-TH-112")
    plain = compute(stove, postal_code="69003", housing_type="maison", etas=75, date=ENGAGEMENT)
    assert (plain.kwh_cumac, plain.coefficient) == (D("23500.00"), 1)
    coal = compute(stove, postal_code="69003", housing_type="maison", etas=75, date=ENGAGEMENT,
                   conditions={"remplacement_charbon": True})
    assert coal.coefficient == 4
    modest = compute(stove, postal_code="69003", housing_type="maison", etas=75, precarity="modeste",
                     date=ENGAGEMENT, conditions={"remplacement_charbon": True})
    assert modest.coefficient == 5


@pytest.mark.parametrize("code, kwargs, message", [
    ("BAR-TH-159", {"surface": 100, "etas": 130}, "NON RENSEIGNÉS"),
    ("BAR-TH-171", {"surface": 100}, "« etas » manquante"),
    ("BAR-TH-171", {"surface": 100, "etas": 130, "housing_type": "péniche"}, "inconnu de la fiche"),
    ("BAR-TH-113", {"postal_code": "98000"}, "aucune zone climatique"),
    ("BAR-TH-113", {"postal_code": "690"}, "code postal invalide"),
])
def test_what_cannot_be_computed_raises_a_cumac_error(price_list, code, kwargs, message):
    arguments = {"postal_code": "69003", "housing_type": "maison", "date": ENGAGEMENT, **kwargs}
    with pytest.raises(CumacError, match=message):
        compute(fiche(code), **arguments)


def test_the_version_in_force_at_the_date_is_chosen():
    assert fiche("BAR-TH-104", datetime.date(2023, 6, 1)).version == "A33-5"
    assert fiche("BAR-TH-171", ENGAGEMENT) == Operation.objects.get(code="BAR-TH-171")
    assert fiche("BAR-XX-999", ENGAGEMENT) is None
    with pytest.raises(CumacError, match="fiche inconnue"):
        ReferenceData().kwh_cumac("BAR-XX-999", postal_code="69003", housing_type="maison", date=ENGAGEMENT)


def test_the_kwh_cumac_alone_has_no_price():
    result = compute(fiche("BAR-TH-171"), postal_code="69003", housing_type="maison", surface=100, etas=130,
                     date=ENGAGEMENT)
    assert (result.kwh_cumac, result.coefficient) == (D("109080.00"), 5)
    assert result.price_eur_per_mwh is None and result.premium_eur is None


# -- the command ---------------------------------------------------------------------------

def run_command(*args):
    from io import StringIO

    out = StringIO()
    call_command("cumac", *args, stdout=out)
    return out.getvalue().strip()


def test_cumac_command_prints_the_exact_json_of_the_worked_check(price_list):
    out = run_command("--operation", "BAR-TH-171", "--postal-code", "69003", "--housing", "maison", "--surface", "100",
                      "--etas", "130", "--date", "2026-03-01", "--json")
    assert out == ('{"operation": "BAR-TH-171", "zone": "H1", "kwh_cumac": 109080.00, "coefficient": 5, '
                   '"price_eur_per_mwh": 7.800, "premium_eur": 4254.12}')
    data = json.loads(out, parse_float=Decimal)
    assert data["premium_eur"] == D("4254.12")


def test_cumac_command_with_precarity_and_resistance(price_list):
    modest = json.loads(run_command("--operation", "BAR-TH-171", "--postal-code", "69003", "--surface", "100",
                                    "--etas", "130", "--precarity", "modeste", "--date", "2026-03-01", "--json"),
                        parse_float=Decimal)
    assert modest["price_eur_per_mwh"] == D("11") and modest["premium_eur"] == D("5999.40")
    attic = json.loads(run_command("--operation", "BAR-EN-101", "--postal-code", "69003", "--surface", "90",
                                   "--resistance", "7", "--date", "2026-03-01", "--json"), parse_float=Decimal)
    assert attic["kwh_cumac"] == D("153000.00")


def test_cumac_command_readable_output_and_errors(price_list):
    out = run_command("--operation", "BAR-TH-171", "--postal-code", "69003", "--surface", "100", "--etas", "130",
                      "--date", "2026-03-01")
    assert "kWh cumac : 109080.00" in out and "Prime : 4254.12 €" in out
    with pytest.raises(CommandError, match="NON RENSEIGNÉS"):
        run_command("--operation", "BAR-TH-159", "--postal-code", "69003", "--surface", "100", "--etas", "130")
    with pytest.raises(CommandError, match="--date"):
        run_command("--operation", "BAR-TH-171", "--postal-code", "69003", "--date", "01/03/2026")


def test_every_fiche_of_the_fixture_has_well_formed_parameters():
    for operation in Operation.objects.all():
        assert check_parameters(operation.cumac_parameters) == [], operation.code


def test_malformed_parameters_are_explained():
    params = {
        "inputs": ["zone"], "classes": {"c": {"input": "etas", "brackets": [{"min": "abc"}]}},
        "base": {"key": ["zone", "inconnue"], "table": {"H1": "x"}},
        "multipliers": [{"class": "absente"}, {"name": "z"}],
        "bonuses": [{"coefficient": 5, "valid_from": "01/10/2025"}],
    }
    problems = check_parameters(params)
    assert "classe « c », min : nombre attendu, trouvé 'abc'" in problems
    assert "base : clé « inconnue » ni entrée ni classe" in problems
    assert "base : « H1 » n'a pas 2 partie(s)" in problems
    assert "facteur 1 : classe « absente » inconnue" in problems
    assert "bonification 1 : valid_from n'est pas une date AAAA-MM-JJ" in problems
    assert check_parameters([]) == ["les paramètres doivent être un objet JSON"]
