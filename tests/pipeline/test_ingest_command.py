"""``manage.py ingest``: the whole pipeline without a worker, one JSON object per input file."""
from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from documents.models import Document
from dossiers.models import Dossier, DossierStatus
from dossiers.management.commands.ingest import Progress
from tests.factories import DossierFactory

from . import samples

pytestmark = pytest.mark.django_db


def run_ingest(*arguments):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", *arguments, stdout=out, stderr=err)
        error = None
    except CommandError as exc:
        error = exc
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()], err.getvalue(), error


def test_json_output_has_one_object_per_file_in_the_documented_shape(tmp_path):
    combined = tmp_path / "devis+facture.pdf"
    combined.write_bytes(samples.text_pdf([samples.DEVIS_LINES, samples.FACTURE_LINES]))
    attestation = tmp_path / "attestation.pdf"
    attestation.write_bytes(samples.text_pdf([samples.ATTESTATION_LINES]))

    results, stderr, error = run_ingest(str(combined), str(attestation), "--json")

    assert error is None
    assert [r["file"] for r in results] == [str(combined), str(attestation)]
    devis, facture = results[0]["documents"]
    assert (devis["type"], devis["pages"]) == ("devis", [1])
    assert (facture["type"], facture["pages"]) == ("facture", [2])
    assert 0 < devis["confidence"] <= 1
    date = facture["fields"]["date_facture"]
    assert date["value"] == "2024-05-12" and date["page"] == 2
    assert 0 < date["confidence"] <= 1
    assert len(date["bbox"]) == 4 and all(0 <= v <= 1 for v in date["bbox"])
    assert results[1]["documents"][0]["fields"]["operations"]["value"] == ["BAR-TH-171"]
    assert set(devis) == {"id", "type", "confidence", "pages", "fields"}
    # Each document names its database row: the part of the split file, not the uploaded file.
    assert Document.objects.get(pk=devis["id"]).document_type.code == "devis"
    assert Document.objects.get(pk=facture["id"]).page_start == 2
    assert results[1]["documents"][0]["id"] == Document.objects.get(original_filename="attestation.pdf").pk

    dossier = Dossier.objects.get(reference__startswith="CLI-")
    assert dossier.installer.name.startswith("Installateur CLI")
    assert dossier.status == DossierStatus.AWAITING_DOCUMENTS  # no cadre, RGE, note de dimensionnement
    assert dossier.reference in stderr and "Documents manquants" in stderr


def test_refused_file_gets_an_error_object_and_a_failing_exit(tmp_path):
    empty = tmp_path / "vide.pdf"
    empty.write_bytes(b"")
    good = tmp_path / "devis.pdf"
    good.write_bytes(samples.text_pdf([samples.DEVIS_LINES]))

    results, _, error = run_ingest(str(empty), str(good), "--json")

    assert results[0] == {"file": str(empty), "documents": [],
                          "error": {"code": "empty_file", "message": results[0]["error"]["message"]}}
    assert results[1]["documents"][0]["type"] == "devis"
    assert isinstance(error, CommandError)


def test_the_same_file_twice_is_read_once_and_both_get_its_documents(tmp_path):
    """One installer's RGE certificate in two of its dossiers, ingested in one run: no refusal."""
    first = tmp_path / "dossier_1" / "attestation.pdf"
    second = tmp_path / "dossier_2" / "attestation.pdf"
    pdf = samples.text_pdf([samples.ATTESTATION_LINES])
    for path in (first, second):
        path.parent.mkdir()
        path.write_bytes(pdf)

    results, _, error = run_ingest(str(first), str(second), "--json")

    assert error is None
    assert results[1]["documents"] == results[0]["documents"]
    assert results[1]["documents"][0]["type"] == "attestation_honneur"
    assert results[1]["duplicate_of"] == "attestation.pdf" and "duplicate_of" not in results[0]
    assert Document.objects.count() == 1


def test_files_go_into_an_existing_dossier(tmp_path, installer_company):
    dossier = DossierFactory(installer=installer_company)
    path = tmp_path / "facture.pdf"
    path.write_bytes(samples.text_pdf([samples.FACTURE_LINES]))
    results, _, error = run_ingest(str(path), "--dossier", dossier.reference, "--json")
    assert error is None
    assert Document.objects.filter(dossier=dossier).count() == 1
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.AWAITING_DOCUMENTS


def test_unknown_dossier_reference_is_an_error(tmp_path):
    path = tmp_path / "facture.pdf"
    path.write_bytes(samples.text_pdf([samples.FACTURE_LINES]))
    with pytest.raises(CommandError, match="introuvable"):
        call_command("ingest", str(path), "--dossier", "CEE-0000-NOPE", stdout=io.StringIO(), stderr=io.StringIO())


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal():
    terminal, pipe = FakeTerminal(), io.StringIO()
    for stream in (terminal, pipe):
        bar = Progress(2, stream=stream)
        bar.advance("a.pdf")
        bar.advance("b.pdf")
        bar.close()
    assert "2/2" in terminal.getvalue() and "#" in terminal.getvalue()
    assert pipe.getvalue() == ""


def test_a_filled_in_pdf_form_is_read_with_its_values(tmp_path):
    """An attestation filled in a viewer and sent without flattening: its values live in form
    fields, which the pipeline draws into the page before reading it."""
    from tests.extraction.filled_forms import filled_attestation

    path = tmp_path / "attestation-remplie.pdf"
    path.write_bytes(filled_attestation(built=True))
    results, _, error = run_ingest(str(path), "--json")
    assert error is None
    (document,) = results[0]["documents"]
    assert document["type"] == "attestation_honneur"
    fields = {name: field["value"] for name, field in document["fields"].items()}
    assert fields["beneficiaire_nom"] == "GUYOT Ginette"
    assert fields["date_engagement"] == "2025-02-14"
    assert fields["reference_facture"] == "FA-2025-0412"
    assert fields["batiment_plus_de_2_ans"] in (True, "true")


def test_runs_started_in_the_same_second_get_scratch_dossiers_of_their_own(monkeypatch):
    """The scratch dossier's reference is the second the run started and a random part: two runs
    drawing the same part in one second still get two dossiers (a CI run collided once)."""
    from dossiers.management.commands import ingest as command

    monkeypatch.setattr(command.secrets, "token_hex", lambda n: "AFB9" * (n // 2))
    first, second, third = (command.scratch_dossier() for _ in range(3))
    assert len({first.reference, second.reference, third.reference}) == 3
    assert all(len(d.reference) <= 30 for d in (first, second, third))
