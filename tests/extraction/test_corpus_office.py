"""The held-out ``office`` family of the corpus generator: documents small companies type in Word
or Excel, Cerfa-like forms with comb fields, conventions and e-mails, other bodies' certificates.
Its files print what their ground truth says, its truth covers every field the software family's
does, its seeds are kept apart, and drawing it leaves the other families' files as they were."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from extraction.corpus import CorpusOptions, generate_corpus
from extraction.corpus.facts import OBLIGES
from extraction.corpus.heldout_facts import FAMILY_SEEDS, LETTER_OBLIGES, OFFICE_DEV_SEEDS, OFFICE_MEASUREMENT_SEEDS
from extraction.corpus.issuers import make_pool
from extraction.corpus.office_facts import OFFICE_OBLIGES
from extraction.corpus.software_facts import SOFTWARE_OBLIGES

from .printed import (fields_by_type as _fields_by_type, file_digests as _digests, files_of_type as _of_type,
                      pdf_text, unprinted_truth, zone_ink)

SEED = 1401  # a dev seed of the family
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def office_corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("office")
    generate_corpus(root, CorpusOptions(dossiers=12, seed=SEED, family="office", scanned_ratio=0.0, multi_doc_ratio=0.0))
    return root


def test_every_truth_value_is_printed_in_the_pdf(office_corpus):
    checked, missing = unprinted_truth(office_corpus)
    assert not missing
    assert checked > 500


def test_the_truth_covers_every_field_the_software_family_covers():
    office, software = _fields_by_type("office"), _fields_by_type("software")
    for doc_type, names in software.items():
        assert office[doc_type] >= names, (doc_type, names - office[doc_type])


def test_devis_and_factures_read_like_typed_documents(office_corpus):
    typed = _of_type(office_corpus, "devis") + _of_type(office_corpus, "facture")
    texts = [pdf_text(office_corpus / f["file"]) for f in typed]
    assert all(re.search(r"Fait à [^\n]+, le ", text) for text in texts)  # the place and date at the end
    assert any(re.search(r"(DEVIS|FACTURE) N° \S+ du ", text) for text in texts)  # the title line
    assert all("certificats d'économies d'énergie" in text for text in texts)  # the CEE mention
    for f, text in zip(typed, texts):
        if f["documents"][0]["type"] == "facture":
            assert "Suivant notre devis n°" in text and f["documents"][0]["fields"]["date_fin_travaux"]
    sizes, framed = set(), 0
    for f in typed:
        with pdfplumber.open(office_corpus / f["file"]) as pdf:
            sizes |= {(round(page.width), round(page.height)) for page in pdf.pages}
            framed += len(pdf.pages[0].rects) >= 12  # an Excel-look grid: every cell framed
    assert {(595, 842), (842, 595)} <= sizes  # portrait, and landscape pages
    assert framed == len(typed)


def test_the_attestation_is_filled_in_with_comb_fields_typewriter_values_and_ink_where_signed(office_corpus):
    seen = set()
    for f in _of_type(office_corpus, "attestation_honneur"):
        path = office_corpus / f["file"]
        fields = f["documents"][0]["fields"]
        text = pdf_text(path)
        assert " ".join(fields["siret_installateur"]) in text  # a box per digit
        with pdfplumber.open(path) as pdf:
            fonts = {char["fontname"] for char in pdf.pages[0].chars}
        assert any("Courier" in font for font in fonts)
        ink = zone_ink(path, r".*Signature du bénéficiaire", 110)
        assert ink == (fields["signature_beneficiaire"] == "true", fields["signature_installateur"] == "true")
        seen.add((fields["signature_beneficiaire"], fields["signature_installateur"]))
    assert seen


def test_cadres_are_conventions_in_articles_or_printed_emails_of_the_familys_obliges(office_corpus):
    others = set(OBLIGES) | {name for name, _ in LETTER_OBLIGES + SOFTWARE_OBLIGES}
    assert not {name for name, _ in OFFICE_OBLIGES} & others
    kinds = set()
    for f in _of_type(office_corpus, "cadre_contribution"):
        text = pdf_text(office_corpus / f["file"])
        assert f["documents"][0]["fields"]["nom_oblige"] in {name for name, _ in OFFICE_OBLIGES}
        if "ENTRE LES SOUSSIGNÉS" in text:
            assert "Article 1 – Objet" in text and "Fait en deux exemplaires à" in text
            kinds.add("convention")
        else:
            assert re.search(r"^De : ", text, re.M) and re.search(r"^Objet : ", text, re.M)
            kinds.add("email")
    assert kinds


def test_the_family_is_deterministic_with_scans_and_photos(tmp_path):
    options = CorpusOptions(dossiers=1, seed=SEED, family="office", scanned_ratio=1.0, photo_ratio=0.5)
    generate_corpus(tmp_path / "a", options)
    generate_corpus(tmp_path / "b", options)
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    assert {p.suffix for p in (tmp_path / "a").rglob("*")} & {".png", ".jpg", ".tiff", ".pdf"}


def test_drawing_the_family_leaves_the_other_families_files_as_they_were(tmp_path):
    """The family draws from streams of its own (office_facts, its templates): a classic, letters
    or software corpus is byte-identical whether or not office corpora were drawn before it, and
    its manifest has no option the family added."""
    cases = {"classic": CorpusOptions(dossiers=2, seed=99, scanned_ratio=0.5, multi_doc_ratio=0.5),
             "letters": CorpusOptions(dossiers=2, seed=1302, family="letters", scanned_ratio=0.0, installers=2),
             "software": CorpusOptions(dossiers=2, seed=1351, family="software", scanned_ratio=0.0, templates=2)}

    def drawn(folder: str, options: CorpusOptions) -> dict[str, str]:
        generate_corpus(tmp_path / folder, options)
        return _digests(tmp_path / folder)

    before = {name: drawn(f"{name}-1", options) for name, options in cases.items()}
    drawn("office", CorpusOptions(dossiers=2, seed=99, family="office", scanned_ratio=0.0, installers=2))
    assert {name: drawn(f"{name}-2", options) for name, options in cases.items()} == before
    manifest = json.loads((tmp_path / "classic-1" / "manifest.json").read_text())
    assert set(manifest["options"]) == {"dossiers", "seed", "scanned_ratio", "multi_doc_ratio", "family", "photo_ratio"}
    assert make_pool(7, 3, "software").installers != make_pool(7, 3, "office").installers


def test_installers_and_shared_templates_work_for_the_family(tmp_path):
    manifest = generate_corpus(tmp_path / "pool", CorpusOptions(dossiers=6, seed=SEED, family="office", scanned_ratio=0.0,
                                                               multi_doc_ratio=0.0, installers=4))
    obliges = {name for name, _ in OFFICE_OBLIGES}
    cadres = [f["documents"][0] for f in manifest["files"] if f["documents"][0]["type"] == "cadre_contribution"]
    assert cadres and all(doc["fields"]["nom_oblige"] in obliges for doc in cadres)
    assert len({f["installer"] for f in manifest["files"]}) > 1
    checked, missing = unprinted_truth(tmp_path / "pool")
    assert checked and not missing
    manifest = generate_corpus(tmp_path / "shared", CorpusOptions(dossiers=4, seed=SEED, family="office", scanned_ratio=0.0,
                                                                 multi_doc_ratio=0.5, templates=3))
    assert manifest["options"]["templates"] == 3 and all("templates" in f for f in manifest["files"])


def test_dev_and_measurement_seeds_are_apart_from_each_other_and_from_the_other_families():
    assert not OFFICE_DEV_SEEDS & OFFICE_MEASUREMENT_SEEDS
    for family, (dev, measurement) in FAMILY_SEEDS.items():
        if family != "office":
            assert not (OFFICE_DEV_SEEDS | OFFICE_MEASUREMENT_SEEDS) & (dev | measurement)
    assert SEED in OFFICE_DEV_SEEDS
    assert FAMILY_SEEDS["office"] == (OFFICE_DEV_SEEDS, OFFICE_MEASUREMENT_SEEDS)


def test_the_accuracy_bench_refuses_to_print_the_errors_of_a_measurement_seed():
    completed = subprocess.run([sys.executable, "bench/accuracy.py", "--family", "office", "--seed", "7501", "--errors", "5",
                                "--dossiers", "1"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert completed.returncode == 2
    assert "measurement seed of the office family" in completed.stderr
