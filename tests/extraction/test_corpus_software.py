"""The held-out ``software`` family of the corpus generator: documents as artisans' software and
the regulatory forms print them. Its files print what their ground truth says, its truth covers
every field the letters family's does, its seeds are kept apart, and drawing it leaves the
``classic`` and ``letters`` families' files as they were."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from extraction.corpus import CorpusOptions, generate_corpus
from extraction.corpus.heldout_facts import (FAMILY_SEEDS, HELDOUT_DEV_SEEDS, HELDOUT_MEASUREMENT_SEEDS, SOFTWARE_DEV_SEEDS,
                                             SOFTWARE_MEASUREMENT_SEEDS)
from extraction.corpus.issuers import make_pool
from extraction.corpus.software_facts import SOFTWARE_OBLIGES

from .printed import (fields_by_type as _fields_by_type, file_digests as _digests, manifest_files as _files, pdf_text,
                      unprinted_truth, zone_ink)

SEED = 1351  # a dev seed of the family
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def software_corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("software")
    generate_corpus(root, CorpusOptions(dossiers=10, seed=SEED, family="software", scanned_ratio=0.0, multi_doc_ratio=0.0))
    return root


def test_every_truth_value_is_printed_in_the_pdf(software_corpus):
    checked, missing = unprinted_truth(software_corpus)
    assert not missing
    assert checked > 500


def test_the_truth_covers_every_field_the_letters_family_covers():
    software, letters = _fields_by_type("software"), _fields_by_type("letters")
    for doc_type, names in letters.items():
        assert software[doc_type] >= names, (doc_type, names - software[doc_type])


def test_devis_and_factures_read_like_software_output(software_corpus):
    devis = [f for f in _files(software_corpus) if f["documents"][0]["type"] in ("devis", "facture")]
    texts = [pdf_text(software_corpus / f["file"]) for f in devis]
    assert all(re.search(r"Page 1/\d", text) for text in texts)
    assert any("Report" in text for text in texts)  # a table going on over a page
    assert any(len(f["documents"][0]["pages"]) > 1 for f in devis)
    assert any(re.search(r"\n1\.1 ", text) for text in texts)  # lots with numbered lines
    assert any(len(f["documents"][0]["fields"]["reference_produit"]) > 1 for f in devis)
    for f, text in zip(devis, texts):
        if f["documents"][0]["type"] == "facture":
            assert "Suivant devis n°" in text and f["documents"][0]["fields"]["prime_cee"]


def test_the_attestation_is_the_regulatory_form_with_ink_where_signed(software_corpus):
    seen = set()
    for f in _files(software_corpus):
        doc = f["documents"][0]
        if doc["type"] != "attestation_honneur":
            continue
        path = software_corpus / f["file"]
        text = pdf_text(path)
        assert "A / " in text and "B / " in text and "C / " in text and "Référence de la fiche" in text
        fields = doc["fields"]
        ink = zone_ink(path, r".*(Le bénéficiaire|Signature du bénéficiaire)", 120)
        assert ink == (fields["signature_beneficiaire"] == "true", fields["signature_installateur"] == "true")
        seen.add((fields["signature_beneficiaire"], fields["signature_installateur"]))
    assert seen


def test_the_family_is_deterministic_with_scans_and_photos(tmp_path):
    options = CorpusOptions(dossiers=1, seed=SEED, family="software", scanned_ratio=1.0, photo_ratio=0.5)
    generate_corpus(tmp_path / "a", options)
    generate_corpus(tmp_path / "b", options)
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    assert {p.suffix for p in (tmp_path / "a").rglob("*")} & {".png", ".jpg", ".tiff", ".pdf"}


def test_drawing_the_family_leaves_the_other_families_files_as_they_were(tmp_path):
    """The family draws from streams of its own (software_facts, its templates): a classic or
    letters corpus is byte-identical whether or not software corpora were drawn before it, and
    its manifest has no option the family added."""
    cases = {"classic": CorpusOptions(dossiers=2, seed=99, scanned_ratio=0.5, multi_doc_ratio=0.5),
             "letters": CorpusOptions(dossiers=2, seed=1302, family="letters", scanned_ratio=0.0, installers=2)}

    def drawn(folder: str, options: CorpusOptions) -> dict[str, str]:
        generate_corpus(tmp_path / folder, options)
        return _digests(tmp_path / folder)

    before = {name: drawn(f"{name}-1", options) for name, options in cases.items()}
    drawn("software", CorpusOptions(dossiers=2, seed=99, family="software", scanned_ratio=0.0, installers=2))
    assert {name: drawn(f"{name}-2", options) for name, options in cases.items()} == before
    manifest = json.loads((tmp_path / "classic-1" / "manifest.json").read_text())
    assert set(manifest["options"]) == {"dossiers", "seed", "scanned_ratio", "multi_doc_ratio", "family", "photo_ratio"}
    assert make_pool(7, 3, letters=True).installers == make_pool(7, 3, "letters").installers
    assert make_pool(7, 3, letters=False).installers == make_pool(7, 3).installers


def test_installers_and_shared_templates_work_for_the_family(tmp_path):
    manifest = generate_corpus(tmp_path / "pool", CorpusOptions(dossiers=6, seed=SEED, family="software", scanned_ratio=0.0,
                                                               multi_doc_ratio=0.0, installers=4))
    obliges = {name for name, _ in SOFTWARE_OBLIGES}
    cadres = [f["documents"][0] for f in manifest["files"] if f["documents"][0]["type"] == "cadre_contribution"]
    assert cadres and all(doc["fields"]["nom_oblige"] in obliges for doc in cadres)
    assert len({f["installer"] for f in manifest["files"]}) > 1
    manifest = generate_corpus(tmp_path / "shared", CorpusOptions(dossiers=4, seed=SEED, family="software", scanned_ratio=0.0,
                                                                 multi_doc_ratio=0.5, templates=3))
    assert manifest["options"]["templates"] == 3 and all("templates" in f for f in manifest["files"])


def test_dev_and_measurement_seeds_are_apart_from_each_other_and_from_the_letters():
    assert not SOFTWARE_DEV_SEEDS & SOFTWARE_MEASUREMENT_SEEDS
    assert not (SOFTWARE_DEV_SEEDS | SOFTWARE_MEASUREMENT_SEEDS) & (HELDOUT_DEV_SEEDS | HELDOUT_MEASUREMENT_SEEDS)
    assert SEED in SOFTWARE_DEV_SEEDS
    assert FAMILY_SEEDS["software"] == (SOFTWARE_DEV_SEEDS, SOFTWARE_MEASUREMENT_SEEDS)


def test_the_accuracy_bench_refuses_to_print_the_errors_of_a_measurement_seed():
    completed = subprocess.run([sys.executable, "bench/accuracy.py", "--family", "software", "--seed", "7401", "--errors", "5",
                                "--dossiers", "1"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert completed.returncode == 2
    assert "measurement seed of the software family" in completed.stderr
