"""Reference fixtures load on the test database (SQLite or PostgreSQL), twice without
duplicates, and the fiches' cumac parameters read back as data."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from dossiers.management.commands.load_reference_data import REFERENCE_FIXTURES
from dossiers.models import Operation, OperationDocumentRequirement, RejectionReason

pytestmark = pytest.mark.django_db

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
PRESENT = [name for name in REFERENCE_FIXTURES if (FIXTURE_DIR / name).exists()]


def models_in(name):
    return sorted({row["model"] for row in json.loads((FIXTURE_DIR / name).read_text())})


def counts():
    return {label: apps.get_model(label)._default_manager.count() for name in PRESENT for label in models_in(name)}


def test_every_fixture_file_has_rows_in_the_database():
    # conftest loaded them once for the session.
    empty = [label for label, count in counts().items() if count == 0]
    assert empty == []


def test_loading_the_reference_data_twice_creates_no_duplicates():
    before = counts()
    call_command("load_reference_data", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    assert counts() == before


def test_each_fixture_row_is_loaded_once():
    for name in PRESENT:
        rows = json.loads((FIXTURE_DIR / name).read_text())
        by_model = {}
        for row in rows:
            by_model[row["model"]] = by_model.get(row["model"], 0) + 1
        for label, expected in by_model.items():
            assert apps.get_model(label)._default_manager.count() >= expected, f"{name}: {label}"


def test_attic_insulation_cumac_per_square_metre_by_zone_is_data():
    table = Operation.objects.get(code="BAR-EN-101").cumac_parameters["base"]["table"]
    assert (table["H1"], table["H2"], table["H3"]) == (1700, 1400, 920)


def test_heat_pump_cumac_for_a_house_is_data():
    params = Operation.objects.get(code="BAR-TH-171").cumac_parameters
    assert params["base"]["table"]["maison|111-140"] == 90900
    assert params["base"]["table"]["maison|>=140"] == 109200
    zone = next(m for m in params["multipliers"] if m.get("key") == ["zone"])
    assert zone["table"] == {"H1": 1.2, "H2": 1.0, "H3": 0.7}


def test_abolished_fiches_are_kept_inactive_with_an_end_date():
    for code in ["BAR-TH-104", "BAR-TH-106", "BAR-TH-164"]:
        operation = Operation.objects.get(code=code)
        assert not operation.is_active
        assert operation.valid_until.isoformat() == "2023-12-31"


def test_heat_pump_requires_the_sizing_note():
    operation = Operation.objects.get(code="BAR-TH-171")
    codes = set(
        OperationDocumentRequirement.objects.filter(operation=operation, required=True).values_list(
            "document_type__code", flat=True
        )
    )
    assert {"devis", "facture", "attestation_honneur"} <= codes


def test_rejection_reasons_are_matched_by_code():
    reason = RejectionReason.objects.get_by_natural_key("rge-non-valide")
    assert reason.natural_key() == ("rge-non-valide",)
    assert RejectionReason.objects.filter(is_active=True).count() >= 8


def test_an_administrators_edit_survives_a_reload_and_force_replaces_it():
    from billing.models import PriceList
    from rules.models import Rule

    rule = Rule.objects.get(code="r06-batiment-plus-de-2-ans")
    rule.is_active = False
    rule.error_message = "Message revu par l'administrateur"
    rule.save()
    PriceList.objects.filter(pk=1).update(price_classic="8.000")
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    rule.refresh_from_db()
    assert not rule.is_active and rule.error_message == "Message revu par l'administrateur"
    assert str(PriceList.objects.get(pk=1).price_classic) == "8.000"
    assert 'rules.rule ["r06-batiment-plus-de-2-ans"]' in out.getvalue() and "billing.pricelist 1" in out.getvalue()
    assert "--force" in out.getvalue()

    call_command("load_reference_data", "--force", verbosity=0)
    rule.refresh_from_db()
    assert rule.is_active and rule.error_message != "Message revu par l'administrateur"
    assert str(PriceList.objects.get(pk=1).price_classic) == "7.800"


def test_a_deleted_reference_row_comes_back_and_untouched_rows_are_not_reported():
    RejectionReason.objects.filter(code=RejectionReason.objects.first().code).delete()
    before = RejectionReason.objects.count()
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert RejectionReason.objects.count() == before + 1
    assert "rejection_reasons.json : 1 ligne(s) créée(s), 0 mise(s) à jour, 0 conservée(s)" in out.getvalue()
    assert "rules.json" not in out.getvalue()  # nothing happened to the rules


def test_the_admin_says_which_reference_rows_were_edited(admin_client):
    from dossiers.models import ReferenceDataRow
    from rules.models import Rule

    rule = Rule.objects.get(code="r06-batiment-plus-de-2-ans")
    record = ReferenceDataRow.objects.get(model_label="rules.rule", key='["r06-batiment-plus-de-2-ans"]')
    untouched = ReferenceDataRow.objects.get(model_label="rules.rule", key='["r10-facture-ht-tva-ttc"]')
    rule.is_active = False
    rule.save()

    page = admin_client.get(f"/admin/dossiers/referencedatarow/{record.pk}/change/").content.decode()
    assert "admin depuis le chargement : conservée" in page
    page = admin_client.get(f"/admin/dossiers/referencedatarow/{untouched.pk}/change/").content.decode()
    assert "Telle que chargée" in page
    assert admin_client.get("/admin/dossiers/referencedatarow/?model_label=rules.rule").status_code == 200
