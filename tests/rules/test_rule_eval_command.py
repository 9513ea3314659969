"""``manage.py rule_eval``: the outcome, the values read, the exit status."""
from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


@pytest.fixture
def context_file(tmp_path):
    path = tmp_path / "contexte.json"
    path.write_text(
        '{"devis": {"date_signature": "2025-03-01"}, "facture.date_facture": "2025-04-02",'
        ' "facture": {"montant_ttc": 12450.50}, "installer": {"siret": "73282932000074"}}'
    )
    return str(path)


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("rule_eval", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_prints_the_outcome_and_the_values_read(context_file):
    out, _ = run("devis.date_signature <= facture.date_facture", "--context", context_file)
    assert out.splitlines() == [
        "Résultat : passed", "Valeur : oui", "  devis.date_signature = 01/03/2025", "  facture.date_facture = 02/04/2025",
    ]


def test_json_output_keeps_decimals_exact(context_file):
    out, _ = run("facture.montant_ttc * 3", "--context", context_file, "--json")
    assert json.loads(out) == {"status": "value", "value": "37351.50", "error": "",
                               "reads": {"facture.montant_ttc": "12450.50"}}


def test_a_missing_field_is_reported_not_evaluable(context_file):
    out, _ = run("devis.date_signature <= attestation_honneur.date_engagement", "--context", context_file)
    assert "Résultat : not_evaluable" in out and "`attestation_honneur.date_engagement`" in out


def test_a_type_error_exits_with_status_1(context_file):
    with pytest.raises(CommandError) as info:
        run("devis.date_signature < 3", "--context", context_file)
    assert info.value.returncode == 1


def test_a_syntax_error_exits_non_zero_and_shows_the_caret(context_file):
    err = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("rule_eval", "devis.date_signature <=", "--context", context_file, stdout=StringIO(), stderr=err)
    assert info.value.returncode == 2
    assert "ligne 1, colonne 24" in err.getvalue()
    assert err.getvalue().rstrip().endswith("^")


def test_an_unreadable_context_exits_non_zero(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2")
    with pytest.raises(CommandError) as info:
        run("1 = 1", "--context", str(bad))
    assert info.value.returncode == 2
    with pytest.raises(CommandError):
        run("1 = 1", "--context", str(tmp_path / "absent.json"))


def test_today_can_be_fixed_for_scripts():
    out, _ = run("TODAY() = 2026-03-01", "--today", "2026-03-01")
    assert "Résultat : passed" in out
