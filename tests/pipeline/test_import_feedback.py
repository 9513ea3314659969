"""``manage.py import_feedback FILE.jsonl --validator EMAIL``: verdicts validated elsewhere,
applied through the review screen's services, all or nothing, once."""
from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from extraction.models import ExtractedField, FieldStatus, HumanFeedback, LearnedFieldLocation

from . import samples

pytestmark = pytest.mark.django_db


def ingest(tmp_path, name: str, lines: list[str]) -> dict:
    path = tmp_path / name
    path.write_bytes(samples.text_pdf([lines]))
    out = io.StringIO()
    call_command("ingest", str(path), "--json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue().splitlines()[0])["documents"][0]


def import_lines(tmp_path, validator, rows: list, name: str = "retours.jsonl") -> str:
    path = tmp_path / name
    path.write_text("\n".join(row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) for row in rows) + "\n",
                    encoding="utf-8")
    out = io.StringIO()
    call_command("import_feedback", str(path), "--validator", validator.email, stdout=out)
    return out.getvalue()


def field(document_id: int, name: str) -> ExtractedField:
    return ExtractedField.objects.get(document_id=document_id, schema__name=name)


def test_equal_value_confirms_other_value_corrects_null_marks_absent_as_the_validator(tmp_path, validator):
    facture = ingest(tmp_path, "facture.pdf", samples.FACTURE_LINES)
    assert facture["fields"]["date_facture"]["value"] == "2024-05-12"
    assert "numero_facture" in facture["fields"]
    rows = [
        {"document": facture["id"], "field": "date_facture", "value": "12/05/2024"},
        {"document": facture["id"], "field": "montant_ttc", "value": "10 600,00"},
        {"document": facture["id"], "field": "numero_facture", "value": None},
        {"document": facture["id"], "field": "operations", "value": ["BAR-TH-171"]},
    ]
    summary = import_lines(tmp_path, validator, rows)

    assert "4 verdict(s)" in summary
    date = field(facture["id"], "date_facture")
    assert (date.status, date.confirmed_by) == (FieldStatus.CONFIRMED, validator)
    ttc = field(facture["id"], "montant_ttc")
    assert (ttc.status, ttc.corrected_value, ttc.corrected_by) == (FieldStatus.CORRECTED, "10600.00", validator)
    assert field(facture["id"], "numero_facture").status == FieldStatus.WRONG
    assert field(facture["id"], "operations").status == FieldStatus.CONFIRMED
    kinds = sorted(HumanFeedback.objects.filter(document_id=facture["id"]).values_list("field_name", "kind", "created_by"))
    assert kinds == sorted([("date_facture", "confirmed", validator.pk), ("montant_ttc", "corrected", validator.pk),
                            ("numero_facture", "wrong", validator.pk), ("operations", "confirmed", validator.pk)])


def test_booleans_and_a_field_the_extractor_left_out_are_imported(tmp_path, validator):
    attestation = ingest(tmp_path, "attestation.pdf", samples.ATTESTATION_LINES)
    ExtractedField.objects.filter(document_id=attestation["id"], schema__name="beneficiaire_ville").delete()
    import_lines(tmp_path, validator, [
        {"document": attestation["id"], "field": "batiment_plus_de_2_ans", "value": True},
        {"document": attestation["id"], "field": "beneficiaire_ville", "value": "Lyon"},
    ])
    age = field(attestation["id"], "batiment_plus_de_2_ans")
    assert age.effective_value == "true" and age.status in (FieldStatus.CONFIRMED, FieldStatus.CORRECTED)
    city = field(attestation["id"], "beneficiaire_ville")
    assert (city.status, city.corrected_value, city.dossier_id) == (FieldStatus.CORRECTED, "Lyon", age.dossier_id)


def test_a_list_for_a_multi_valued_field_is_stored_as_the_extractor_writes_it(tmp_path, validator):
    facture = ingest(tmp_path, "facture.pdf", samples.FACTURE_LINES)
    import_lines(tmp_path, validator, [{"document": facture["id"], "field": "marque", "value": ["Atlantic", "Daikin"]}])
    assert json.loads(field(facture["id"], "marque").effective_value) == ["Atlantic", "Daikin"]

    with pytest.raises(CommandError, match="Ligne 1 : « numero_facture » ne prend qu'une valeur"):
        import_lines(tmp_path, validator, [{"document": facture["id"], "field": "numero_facture", "value": ["A", "B"]}])


def test_a_null_for_a_field_the_extractor_found_empty_confirms_it(tmp_path, validator):
    facture = ingest(tmp_path, "facture.pdf", samples.FACTURE_LINES)
    assert "cop" not in facture["fields"]
    import_lines(tmp_path, validator, [{"document": facture["id"], "field": "cop", "value": None}])
    assert field(facture["id"], "cop").status == FieldStatus.CONFIRMED


@pytest.mark.parametrize("bad_line, message", [
    ("{not json", "Ligne 3 : JSON illisible"),
    ('{"document": 999999999, "field": "date_facture", "value": "01/01/2024"}', "Ligne 3 : document 999999999 introuvable"),
    ('{"document": DOC, "field": "couleur", "value": "bleu"}', "Ligne 3 : le champ « couleur » n'existe pas"),
    ('{"document": DOC, "field": "date_fin_travaux", "value": "bientôt"}', "Ligne 3 : valeur invalide pour « date_fin_travaux »"),
    ('{"document": DOC, "field": "montant_ht", "value": true}', "Ligne 3 : « montant_ht » n'est pas un champ oui/non"),
    ('{"document": DOC, "field": "montant_ttc", "value": "1,00"}', "Ligne 3 : champ « montant_ttc » du document DOC déjà donné ligne 2, avec une autre valeur"),
])
def test_one_bad_line_imports_nothing_and_is_named(tmp_path, validator, bad_line, message):
    facture = ingest(tmp_path, "facture.pdf", samples.FACTURE_LINES)
    doc = str(facture["id"])
    rows = [
        {"document": facture["id"], "field": "date_facture", "value": "12/05/2024"},
        {"document": facture["id"], "field": "montant_ttc", "value": "10 600,00"},
        bad_line.replace("DOC", doc),
    ]
    with pytest.raises(CommandError) as raised:
        import_lines(tmp_path, validator, rows)
    assert message.replace("DOC", doc) in str(raised.value)
    assert not HumanFeedback.objects.exists()
    assert not LearnedFieldLocation.objects.exists()
    assert field(facture["id"], "date_facture").status == FieldStatus.UNREVIEWED
    assert field(facture["id"], "montant_ttc").status == FieldStatus.UNREVIEWED


def test_a_line_given_again_with_the_same_value_is_one_verdict(tmp_path, validator):
    """A backlog naming one file twice (the certificate of two dossiers), read once by ``ingest``:
    its verdicts come twice, written alike or not."""
    facture = ingest(tmp_path, "facture.pdf", samples.FACTURE_LINES)
    rows = [
        {"document": facture["id"], "field": "montant_ttc", "value": "10 600,00"},
        {"document": facture["id"], "field": "cop", "value": None},
        {"document": facture["id"], "field": "montant_ttc", "value": "10600.00"},
        {"document": facture["id"], "field": "cop", "value": None},
    ]
    import_lines(tmp_path, validator, rows)
    assert HumanFeedback.objects.filter(document_id=facture["id"], field_name="montant_ttc").count() == 1
    assert field(facture["id"], "montant_ttc").effective_value == "10600.00"


def test_importing_the_same_file_twice_adds_nothing(tmp_path, validator):
    facture = ingest(tmp_path, "facture.pdf", samples.FACTURE_LINES)
    rows = [
        {"document": facture["id"], "field": "date_facture", "value": "12/05/2024"},
        {"document": facture["id"], "field": "montant_ttc", "value": "10 600,00"},
        {"document": facture["id"], "field": "numero_facture", "value": None},
        {"document": facture["id"], "field": "cop", "value": None},
    ]
    import_lines(tmp_path, validator, rows)
    feedback = list(HumanFeedback.objects.order_by("pk").values_list("pk", flat=True))
    learned = sorted(LearnedFieldLocation.objects.values_list("schema__name", "key", "count"))
    assert learned  # the first import taught where the fields sit

    summary = import_lines(tmp_path, validator, rows)

    assert "4 déjà donné(s)" in summary
    assert list(HumanFeedback.objects.order_by("pk").values_list("pk", flat=True)) == feedback
    assert sorted(LearnedFieldLocation.objects.values_list("schema__name", "key", "count")) == learned


def test_an_unknown_validator_is_refused(tmp_path):
    path = tmp_path / "retours.jsonl"
    path.write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match="Validateur introuvable"):
        call_command("import_feedback", str(path), "--validator", "personne@cee.local", stdout=io.StringIO())


def test_an_imports_verdicts_read_the_recipient_fields_once_and_each_documents_values_once(tmp_path, validator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    facture = ingest(tmp_path, "facture.pdf", samples.FACTURE_LINES)
    attestation = ingest(tmp_path, "attestation.pdf", samples.ATTESTATION_LINES)
    rows = [{"document": facture["id"], "field": name, "value": value} for name, value in (
        ("date_facture", "12/05/2024"), ("montant_ttc", "10 600,00"), ("montant_ht", "10 000,00"),
        ("beneficiaire_nom", "Jeanne Dupont"), ("beneficiaire_ville", "Lyon"))]
    rows += [{"document": attestation["id"], "field": name, "value": value} for name, value in (
        ("date_engagement", "20/03/2024"), ("date_achevement", "10/05/2024"), ("beneficiaire_ville", "Lyon"))]

    with CaptureQueriesContext(connection) as queries:
        import_lines(tmp_path, validator, rows)

    sql = [q["sql"] for q in queries.captured_queries]
    recipient_reads = [q for q in sql if "extraction_fieldschema" in q and "recipient" in q]
    # the document's fields' names and values (a short select list, not a whole row's)
    columns = [q.split(" FROM ")[0].split(", ") for q in sql]
    value_reads = [c for c in columns if len(c) <= 5 and any('"extraction_fieldschema"."name"' in n for n in c)
                   and any('"extraction_extractedfield"."corrected_value"' in n for n in c)]
    page_reads = [q for q in sql if 'FROM "documents_page"' in q and 'ORDER BY "documents_page"."number"' in q
                  and " LIMIT " not in q]
    assert len(recipient_reads) == 1
    assert len(value_reads) == 2  # one per document, not one per verdict
    assert len(page_reads) == 2


def test_a_document_the_classifier_misread_takes_the_type_its_lines_name(tmp_path, validator):
    """A backlog validated elsewhere gives a document the fields of its true type: when only one
    type has them all, the document takes it as the validator's correction, its verdicts apply,
    and processing it again keeps that type."""
    from documents.models import Document
    from extraction.services import rerun_document

    facture = ingest(tmp_path, "facture.pdf", samples.FACTURE_LINES)
    assert facture["type"] == "facture"
    rows = [
        {"document": facture["id"], "field": "numero_devis", "value": "DV-2024-118"},
        {"document": facture["id"], "field": "date_devis", "value": "02/04/2024"},
        {"document": facture["id"], "field": "montant_ttc", "value": "10 600,00"},
    ]
    summary = import_lines(tmp_path, validator, rows)

    assert "1 document(s) reclassé(s)" in summary
    document = Document.objects.get(pk=facture["id"])
    assert document.document_type.code == "devis"
    assert any(f["code"] == "type_set_by_validator" for f in document.flags)
    assert field(facture["id"], "numero_devis").effective_value == "DV-2024-118"
    assert not ExtractedField.objects.filter(document_id=facture["id"], schema__name="numero_facture").exists()
    assert "3 déjà donné(s)" in import_lines(tmp_path, validator, rows)

    rerun_document(document)
    document.refresh_from_db()
    assert document.document_type.code == "devis"
    assert field(facture["id"], "numero_devis").effective_value == "DV-2024-118"


def test_lines_no_single_type_has_are_refused_and_name_the_line(tmp_path, validator):
    facture = ingest(tmp_path, "facture.pdf", samples.FACTURE_LINES)
    rows = [
        {"document": facture["id"], "field": "numero_devis", "value": "DV-2024-118"},
        {"document": facture["id"], "field": "nom_oblige", "value": "Picoty SAS"},
    ]
    with pytest.raises(CommandError, match="Ligne 1 : le champ « numero_devis » n'existe pas pour un document de type facture"):
        import_lines(tmp_path, validator, rows)
    assert not HumanFeedback.objects.exists()
