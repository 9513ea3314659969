"""The test-corpus generator, and the accuracy floor of classification and extraction on it.

The extractor only sees the words of the pages (pdfplumber's text layer, or Tesseract for
scans); the ground truth is read afterwards to score it (extraction.corpus.evaluate).
"""
import json
from decimal import Decimal
from functools import partial

import pytest

from extraction.corpus import CorpusOptions, generate_corpus
from extraction.corpus.evaluate import SEEN_SEEDS, evaluate_corpus, evaluate_ingest_output, same_value
from accounts.validators import luhn_valid as luhn_ok
from extraction.corpus.reading import read_pages, tesseract_available

BORN_DIGITAL_SEED = 2024
SCANNED_SEED = 2025


@pytest.fixture(scope="module")
def born_digital_corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    generate_corpus(root, CorpusOptions(dossiers=10, seed=BORN_DIGITAL_SEED, scanned_ratio=0.0, multi_doc_ratio=0.3))
    return root


def _files(root):
    return json.loads((root / "manifest.json").read_text())["files"]


def test_the_same_seed_gives_the_same_files(tmp_path):
    options = CorpusOptions(dossiers=2, seed=99, scanned_ratio=0.5, multi_doc_ratio=0.5)
    generate_corpus(tmp_path / "a", options)
    generate_corpus(tmp_path / "b", options)
    names = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert all((tmp_path / "a" / n).read_bytes() == (tmp_path / "b" / n).read_bytes() for n in names)
    assert {p.suffix for p in (tmp_path / "a").rglob("*")} & {".png", ".jpg", ".tiff", ".pdf"}


def test_every_dossier_holds_the_documents_of_a_cee_file(born_digital_corpus):
    types_by_dossier = {}
    for f in _files(born_digital_corpus):
        types_by_dossier.setdefault(f["dossier"], set()).update(d["type"] for d in f["documents"])
        assert (born_digital_corpus / f["file"]).exists()
    for types in types_by_dossier.values():
        assert {"cadre_contribution", "devis", "facture", "attestation_honneur"} <= types


def test_truth_is_consistent_inside_and_across_documents(born_digital_corpus):
    by_dossier = {}
    for f in _files(born_digital_corpus):
        for doc in f["documents"]:
            by_dossier.setdefault(f["dossier"], {})[doc["type"]] = doc["fields"]
    for docs in by_dossier.values():
        devis, facture, ah = docs["devis"], docs["facture"], docs["attestation_honneur"]
        for amounts in (devis, facture):
            assert Decimal(amounts["montant_ht"]) + Decimal(amounts["montant_tva"]) == Decimal(amounts["montant_ttc"])
        assert devis["montant_ttc"] == facture["montant_ttc"]
        assert luhn_ok(facture["siret_installateur"]) and luhn_ok(facture["siret_installateur"][:9])
        assert devis["beneficiaire_nom"] == facture["beneficiaire_nom"] == ah["beneficiaire_nom"]
        assert devis["date_devis"] <= ah["date_engagement"] <= ah["date_achevement"] <= facture["date_facture"]
        assert ah["reference_facture"] == facture["numero_facture"]
        assert docs["cadre_contribution"]["date_cadre"] <= ah["date_engagement"]
        assert devis.get("date_visite_technique", devis["date_devis"]) <= devis["date_devis"]
        assert ah.get("batiment_plus_de_2_ans", "true") in ("true", "false")


def test_some_devis_print_the_prior_visit_and_some_attestations_the_building_age(born_digital_corpus):
    printed = {(d["type"], name) for f in _files(born_digital_corpus) for d in f["documents"] for name in d["fields"]}
    assert {("devis", "date_visite_technique"), ("attestation_honneur", "batiment_plus_de_2_ans")} <= printed


def test_multi_document_files_have_page_ranges(born_digital_corpus):
    multi = [f for f in _files(born_digital_corpus) if len(f["documents"]) > 1]
    assert multi
    for f in multi:
        pages = [n for d in f["documents"] for n in d["pages"]]
        assert pages == list(range(1, len(pages) + 1))


def test_names_compare_without_civility_or_word_order():
    assert same_value("beneficiaire_nom", "string", "M. DUPONT Jean", "Jean Dupont")
    assert not same_value("beneficiaire_nom", "string", "Jean Durand", "Jean Dupont")
    assert same_value("montant_ttc", "decimal", "12450.0", "12450.00")


def test_a_certificates_domains_compare_as_a_set():
    truth = "Chauffe-eau thermodynamique, Isolation du toit"
    assert same_value("domaines", "string", '["Isolation du toit", "Chauffe-eau thermodynamique"]', truth)
    assert not same_value("domaines", "string", '["murs Isolation du toit", "Chauffe-eau thermodynamique"]', truth)
    assert not same_value("domaines", "string", '["Isolation du toit"]', truth)


def test_a_list_in_ingest_output_keeps_its_accents(tmp_path):
    # `ingest --json` gives a certificate's domains as a JSON list; the truth writes them as text
    truth = [{"file": "d/certificat_rge.pdf", "scanned": False,
              "documents": [{"type": "certificat_rge", "pages": [1], "fields": {"domaines": "Pompe à chaleur : chauffage"}}]}]
    output = [{"type": "certificat_rge", "pages": [1],
               "fields": {"domaines": {"value": ["Pompe à chaleur : chauffage"], "confidence": 0.9}}}]
    report = evaluate_ingest_output(tmp_path, truth, lambda paths: {str(paths[0]): output})
    assert report.micro.tp == 1 and not report.errors


def test_accuracy_floor_born_digital(born_digital_corpus):
    report = evaluate_corpus(born_digital_corpus, partial(read_pages, engine="pdfplumber"))
    assert report.documents >= 40
    assert report.classification_accuracy >= 0.98, report.confusions
    assert report.correct_segmentation == report.multi_files, [e for e in report.errors if "segmentation" in e]
    assert report.micro.f1 >= 0.95, report.weakest()


@pytest.mark.slow
@pytest.mark.skipif(not tesseract_available(), reason="Tesseract is not installed")
def test_accuracy_floor_scanned(tmp_path):
    generate_corpus(tmp_path, CorpusOptions(dossiers=2, seed=SCANNED_SEED, scanned_ratio=1.0, multi_doc_ratio=0.0))
    report = evaluate_corpus(tmp_path, read_pages, scanned=True, limit=6)
    assert report.documents >= 6
    assert report.classification_accuracy >= 0.98, report.confusions
    assert report.micro.f1 >= 0.85, report.weakest()


def test_test_seeds_are_known_to_the_benchmark():
    assert {BORN_DIGITAL_SEED, SCANNED_SEED} <= SEEN_SEEDS
