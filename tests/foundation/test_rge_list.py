"""manage.py import_rge_list: the installers' RGE data from the public RGE list (ADEME open data
CSV, one line per qualification), matched by SIRET."""
from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Activity, Installer, RgeStatus
from tests.factories import InstallerFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "samples" / "liste-entreprises-rge.csv"
LYON, JURA, NOT_LISTED = "84127635500010", "53290187300010", "90314577900018"


def run(*args) -> str:
    out = StringIO()
    call_command("import_rge_list", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def companies():
    return {
        "lyon": InstallerFactory(siret=LYON, siren=LYON[:9], rge_number="", rge_valid_from=None,
                                 rge_valid_until=datetime.date(2025, 1, 31), rge_status=RgeStatus.EXPIRED,
                                 qualifications=["pompe_a_chaleur"]),
        "jura": InstallerFactory(siret=JURA, siren=JURA[:9], rge_number="QB/40213", rge_valid_until=datetime.date(2030, 1, 1),
                                 rge_status=RgeStatus.VALID, qualifications=["bois"]),
        "absent": InstallerFactory(siret=NOT_LISTED, siren=NOT_LISTED[:9], rge_valid_until=datetime.date(2027, 6, 30)),
    }


def test_listed_installers_get_the_validity_and_domains_of_their_current_qualifications(companies):
    output = run(str(SAMPLE), "--date", "2026-06-01")

    lyon = Installer.objects.get(siret=LYON)
    # Two qualifications valid on 2026-06-01 (the wood one ended in 2022).
    assert lyon.rge_status == RgeStatus.VALID
    assert (lyon.rge_valid_from, lyon.rge_valid_until) == (datetime.date(2023, 9, 1), datetime.date(2027, 3, 14))
    assert lyon.qualifications == ["Isolation des murs par l'intérieur", "Pompe à chaleur : chauffage"]
    assert lyon.rge_number == "QPAC-CH"  # none recorded: the qualification code stands for it
    assert lyon.rge_valid_at(datetime.date(2026, 6, 1))
    assert Activity.objects.filter(verb="rge_list_imported", object_id=str(lyon.pk)).exists()
    assert "6 ligne(s) lue(s), 1 ignorée(s)" in output
    assert "2 installateur(s) reconnu(s), 2 mis à jour" in output


def test_an_installer_whose_qualifications_all_ended_is_expired_on_the_list_dates(companies):
    run(str(SAMPLE), "--date", "2026-06-01")

    jura = Installer.objects.get(siret=JURA)
    assert jura.rge_status == RgeStatus.EXPIRED
    assert jura.rge_valid_until == datetime.date(2024, 12, 31)  # it claimed 2030
    assert jura.rge_number == "QB/40213"  # a recorded certificate number is kept
    assert jura.qualifications == ["Chaudière bois"]
    assert not jura.rge_valid_at(datetime.date(2026, 6, 1))


def test_installers_absent_from_the_list_are_left_as_they_are(companies):
    output = run(str(SAMPLE), "--date", "2026-06-01")

    absent = Installer.objects.get(siret=NOT_LISTED)
    assert absent.rge_valid_until == datetime.date(2027, 6, 30)
    assert "1 installateur(s) absent(s) de la liste" in output


def test_a_suspension_decided_by_the_back_office_survives_the_import(companies):
    Installer.objects.filter(siret=LYON).update(rge_status=RgeStatus.SUSPENDED)

    run(str(SAMPLE), "--date", "2026-06-01")

    assert Installer.objects.get(siret=LYON).rge_status == RgeStatus.SUSPENDED


def test_a_second_import_of_the_same_list_changes_nothing(companies):
    run(str(SAMPLE), "--date", "2026-06-01")
    logged = Activity.objects.filter(verb="rge_list_imported").count()

    output = run(str(SAMPLE), "--date", "2026-06-01")

    assert "0 mis à jour" in output
    assert Activity.objects.filter(verb="rge_list_imported").count() == logged


def test_a_semicolon_separated_export_is_read_too(companies, tmp_path):
    semicolons = tmp_path / "rge.csv"
    semicolons.write_text(
        "siret;nom_entreprise;code_qualification;nom_qualification;domaine;organisme;lien_date_debut;lien_date_fin\n"
        f"{JURA};BOIS ET CHALEUR DU JURA;QB-BOIS;QualiBois module Eau;Chaudière bois;qualitenr;2025-01-01;2028-12-31\n",
        encoding="utf-8",
    )

    run(str(semicolons), "--date", "2026-06-01")

    jura = Installer.objects.get(siret=JURA)
    assert (jura.rge_status, jura.rge_valid_until) == (RgeStatus.VALID, datetime.date(2028, 12, 31))


def test_a_file_that_is_not_the_rge_list_is_refused(companies, tmp_path):
    other = tmp_path / "autre.csv"
    other.write_text("nom,ville\nA,Lyon\n", encoding="utf-8")

    with pytest.raises(CommandError, match="siret, code_qualification"):
        run(str(other))
    assert Installer.objects.get(siret=LYON).rge_status == RgeStatus.EXPIRED
