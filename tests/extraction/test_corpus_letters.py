"""The held-out ``letters`` family of the corpus generator (issue 13): its files print what their
ground truth says, its signatures are ink in the signature zones, its seeds are kept apart."""
import json
import re

import pytest

from extraction.corpus import CorpusOptions, generate_corpus
from extraction.corpus.evaluate import same_value
from extraction.corpus.heldout_facts import HELDOUT_DEV_SEEDS, HELDOUT_MEASUREMENT_SEEDS

from .printed import pdf_text, unprinted_truth, zone_ink

SEED = 1301  # a dev seed of the family


@pytest.fixture(scope="module")
def letters_corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("letters")
    generate_corpus(root, CorpusOptions(dossiers=8, seed=SEED, family="letters", scanned_ratio=0.0, multi_doc_ratio=0.0))
    return root


def _files(root):
    return json.loads((root / "manifest.json").read_text())["files"]


def test_every_truth_value_is_printed_in_the_pdf(letters_corpus):
    checked, missing = unprinted_truth(letters_corpus)
    assert not missing
    assert checked > 150


def test_products_are_multi_valued_lists_and_several_per_document(letters_corpus):
    devis = [d for f in _files(letters_corpus) for d in f["documents"] if d["type"] == "devis"]
    assert all(isinstance(d["fields"]["marque"], list) and isinstance(d["fields"]["reference_produit"], list) for d in devis)
    assert any(len(d["fields"]["reference_produit"]) > 1 for d in devis)
    assert same_value("marque", "string", '["ISOVER", "Siga"]', ["Siga", "Isover"])
    assert same_value("marque", "string", "Isover", ["Isover"])
    assert not same_value("marque", "string", "Isover", ["Isover", "Siga"])


def test_a_documents_operations_compare_in_any_order():
    assert same_value("operations", "cee_code", '["BAR-EN-101", "BAR-EN-102"]', '["BAR-EN-102", "BAR-EN-101"]')
    assert not same_value("operations", "cee_code", '["BAR-EN-101"]', '["BAR-EN-102", "BAR-EN-101"]')


def test_attestation_signatures_are_ink_where_the_truth_says_signed(letters_corpus):
    seen = set()
    for f in _files(letters_corpus):
        doc = f["documents"][0]
        if doc["type"] != "attestation_honneur":
            continue
        path = letters_corpus / f["file"]
        fields = doc["fields"]
        assert zone_ink(path) == (fields["signature_beneficiaire"] == "true", fields["signature_installateur"] == "true")
        seen.add((fields["signature_beneficiaire"], fields["signature_installateur"]))
        assert "Lu et approuvé" not in pdf_text(path)  # the signature is ink, not words
    assert len(seen) >= 2


def test_letters_carry_a_dateline_and_an_object_line(letters_corpus):
    for f in _files(letters_corpus):
        doc = f["documents"][0]
        if doc["type"] in ("devis", "facture", "cadre_contribution"):
            text = pdf_text(letters_corpus / f["file"])
            assert "Objet :" in text and re.search(r", le \S", text), f["file"]


def test_the_family_is_deterministic_with_scans_and_photos(tmp_path):
    options = CorpusOptions(dossiers=1, seed=SEED, family="letters", scanned_ratio=1.0, photo_ratio=0.5)
    generate_corpus(tmp_path / "a", options)
    generate_corpus(tmp_path / "b", options)
    names = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert all((tmp_path / "a" / n).read_bytes() == (tmp_path / "b" / n).read_bytes() for n in names)
    assert {p.suffix for p in (tmp_path / "a").rglob("*")} & {".png", ".jpg", ".tiff", ".pdf"}


def test_dev_and_measurement_seeds_are_apart():
    assert not HELDOUT_DEV_SEEDS & HELDOUT_MEASUREMENT_SEEDS
    assert SEED in HELDOUT_DEV_SEEDS
    with pytest.raises(ValueError):
        generate_corpus("/nonexistent-never-written", CorpusOptions(dossiers=1, family="nope"))
