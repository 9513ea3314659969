"""The held-out ``network`` family of the corpus generator: multi-page quotes and invoices in lots
with « À reporter » and general terms, délégataires' CEE blocks and engagement letters, the
France Rénov' directory as RGE proof, attestations filled in by hand, the avis de situation
déclarative. Its files print what their ground truth says, its truth covers every field the
office family's does, its seeds are kept apart, and drawing it leaves the other families' files
as they were. These tests check the generator, never the extractor."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from extraction.corpus import CorpusOptions, generate_corpus
from extraction.corpus.facts import OBLIGES
from extraction.corpus.generate import NETWORK_TEMPLATES
from extraction.corpus.heldout_facts import FAMILY_SEEDS, LETTER_OBLIGES, NETWORK_DEV_SEEDS, NETWORK_MEASUREMENT_SEEDS
from extraction.corpus.issuers import make_pool
from extraction.corpus.network_facts import NETWORK_OBLIGES
from extraction.corpus.office_facts import OFFICE_OBLIGES
from extraction.corpus.software_facts import SOFTWARE_OBLIGES

from .printed import (fields_by_type as _fields_by_type, file_digests as _digests, files_of_type as _of_type,
                      pdf_text, unprinted_truth, zone_ink)

SEED = 1451  # a dev seed of the family
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def network_corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("network")
    generate_corpus(root, CorpusOptions(dossiers=14, seed=SEED, family="network", scanned_ratio=0.0, multi_doc_ratio=0.0))
    return root


def test_every_truth_value_is_printed_in_the_pdf(network_corpus):
    checked, missing = unprinted_truth(network_corpus)
    assert not missing
    assert checked > 500


def test_the_truth_covers_every_field_the_office_family_covers():
    network, office = _fields_by_type("network"), _fields_by_type("office")
    for doc_type, names in office.items():
        assert network[doc_type] >= names, (doc_type, names - network[doc_type])


def test_every_document_type_and_several_templates_appear(tmp_path):
    manifest = generate_corpus(tmp_path, CorpusOptions(dossiers=30, seed=SEED, family="network", scanned_ratio=0.0,
                                                       multi_doc_ratio=0.0))
    drawn = {(doc["type"], doc["template"]) for f in manifest["files"] for doc in f["documents"]}
    assert {doc_type for doc_type, _ in drawn} == set(NETWORK_TEMPLATES)
    for doc_type in ("devis", "facture", "attestation_honneur", "certificat_rge", "avis_imposition"):
        assert len({template for kind, template in drawn if kind == doc_type}) >= 2, doc_type


def test_quotes_and_invoices_run_over_pages_in_lots_with_the_delegataires_block(network_corpus):
    typed = _of_type(network_corpus, "devis") + _of_type(network_corpus, "facture")
    carried, terms = 0, 0
    for f in typed:
        document = f["documents"][0]
        path = network_corpus / f["file"]
        with pdfplumber.open(path) as pdf:
            texts = [page.extract_text() or "" for page in pdf.pages]
        pages = len(texts)
        assert pages == len(document["pages"]) and 2 <= pages <= 3
        text = "\n".join(texts)
        assert re.search(rf"(Page ?:? ?)?1 ?(/|sur) ?{pages}", texts[0])  # « Page 1/3 »
        assert "Opération réalisée dans le cadre du dispositif des Certificats d'Économies d'Énergie" in text
        assert "Reste à charge" in text and document["fields"]["prime_cee"]
        assert "(suite)" in texts[1]
        carried += bool(re.search(r"(À reporter|Total à reporter HT)", text)) and bool(re.search(r"^(Report|Reporté)", text, re.M))
        terms += "Article 1 – Objet et champ d'application" in texts[-1]
        assert "total" in text.lower() and any(word in text for word in ("Dépose", "Évacuation", "Échafaudage", "Main d'œuvre",
                                                                   "Protection des sols", "cheminement", "Liaisons", "Raccordement",
                                                                   "Neutralisation"))
    assert carried and terms
    assert any(re.search(r"(Lot \d|LOT N° \d|^\d\. )", pdf_text(network_corpus / f["file"]), re.M) for f in typed)


def test_attestations_are_filled_in_by_hand_with_ink_where_signed(network_corpus):
    seen = set()
    for f in _of_type(network_corpus, "attestation_honneur"):
        path = network_corpus / f["file"]
        fields = f["documents"][0]["fields"]
        with pdfplumber.open(path) as pdf:
            fonts = {char["fontname"] for char in pdf.pages[0].chars}
        assert any(("Italic" in font or "Oblique" in font) for font in fonts)
        ink = zone_ink(path, r"Signature du bénéficiaire", 100)
        assert ink == (fields["signature_beneficiaire"] == "true", fields["signature_installateur"] == "true")
        seen.add((fields["signature_beneficiaire"], fields["signature_installateur"]))
    assert seen


def test_cadres_are_engagement_letters_of_the_familys_delegataires(network_corpus):
    others = set(OBLIGES) | {name for name, _ in LETTER_OBLIGES + SOFTWARE_OBLIGES + OFFICE_OBLIGES}
    assert not {name for name, _ in NETWORK_OBLIGES} & others
    for f in _of_type(network_corpus, "cadre_contribution"):
        text = pdf_text(network_corpus / f["file"])
        assert f["documents"][0]["fields"]["nom_oblige"] in {name for name, _ in NETWORK_OBLIGES}
        assert "Référence dossier :" in text and "N° d'engagement :" in text


def test_rge_proofs_and_tax_papers_have_their_layouts(network_corpus):
    for f in _of_type(network_corpus, "certificat_rge"):
        text = pdf_text(network_corpus / f["file"])
        assert "Annuaire des professionnels RGE" in text or "CERTIFICAT DE QUALIFICATION" in text
        if "Annuaire" in text:
            assert "https://france-renov.gouv.fr/annuaire-rge/entreprise/" in text and "Date de fin" in text
    for f in _of_type(network_corpus, "avis_imposition"):
        text = pdf_text(network_corpus / f["file"])
        assert "AVIS DE SITUATION DÉCLARATIVE" in text and "Déclarant 1" in text


def test_the_family_is_deterministic_with_scans_and_photos(tmp_path):
    options = CorpusOptions(dossiers=1, seed=SEED, family="network", scanned_ratio=1.0, photo_ratio=0.5)
    generate_corpus(tmp_path / "a", options)
    generate_corpus(tmp_path / "b", options)
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert all(f["scanned"] and f["format"] in ("png", "jpg", "tiff", "pdf") for f in manifest["files"])
    for f in manifest["files"]:  # a scan has no text layer left
        if f["format"] == "pdf":
            assert not pdf_text(tmp_path / "a" / f["file"]).strip()


def test_drawing_the_family_leaves_the_other_families_files_as_they_were(tmp_path):
    cases = {"classic": CorpusOptions(dossiers=2, seed=99, scanned_ratio=0.5, multi_doc_ratio=0.5),
             "letters": CorpusOptions(dossiers=2, seed=1302, family="letters", scanned_ratio=0.0, installers=2),
             "office": CorpusOptions(dossiers=2, seed=1401, family="office", scanned_ratio=0.0, templates=2)}

    def drawn(folder: str, options: CorpusOptions) -> dict[str, str]:
        generate_corpus(tmp_path / folder, options)
        return _digests(tmp_path / folder)

    before = {name: drawn(f"{name}-1", options) for name, options in cases.items()}
    drawn("network", CorpusOptions(dossiers=2, seed=99, family="network", scanned_ratio=0.0, installers=2))
    assert {name: drawn(f"{name}-2", options) for name, options in cases.items()} == before
    assert make_pool(7, 3, "office").installers != make_pool(7, 3, "network").installers


def test_installers_and_shared_templates_work_for_the_family(tmp_path):
    manifest = generate_corpus(tmp_path / "pool", CorpusOptions(dossiers=6, seed=SEED, family="network", scanned_ratio=0.0,
                                                               multi_doc_ratio=0.0, installers=4))
    obliges = {name for name, _ in NETWORK_OBLIGES}
    cadres = [f["documents"][0] for f in manifest["files"] if f["documents"][0]["type"] == "cadre_contribution"]
    assert cadres and all(doc["fields"]["nom_oblige"] in obliges for doc in cadres)
    checked, missing = unprinted_truth(tmp_path / "pool")
    assert checked and not missing
    manifest = generate_corpus(tmp_path / "shared", CorpusOptions(dossiers=4, seed=SEED, family="network", scanned_ratio=0.0,
                                                                 multi_doc_ratio=0.5, templates=3))
    assert manifest["options"]["templates"] == 3 and all("templates" in f for f in manifest["files"])


def test_dev_and_measurement_seeds_are_apart_from_each_other_and_from_the_other_families():
    assert not NETWORK_DEV_SEEDS & NETWORK_MEASUREMENT_SEEDS
    for family, (dev, measurement) in FAMILY_SEEDS.items():
        if family != "network":
            assert not (NETWORK_DEV_SEEDS | NETWORK_MEASUREMENT_SEEDS) & (dev | measurement)
    assert SEED in NETWORK_DEV_SEEDS
    assert FAMILY_SEEDS["network"] == (NETWORK_DEV_SEEDS, NETWORK_MEASUREMENT_SEEDS)


def test_the_accuracy_bench_refuses_to_print_the_errors_of_a_measurement_seed():
    completed = subprocess.run([sys.executable, "bench/accuracy.py", "--family", "network", "--seed", "7601", "--errors", "5",
                                "--dossiers", "1"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert completed.returncode == 2
    assert "measurement seed of the network family" in completed.stderr
