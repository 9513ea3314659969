"""The held-out ``platform`` family of the corpus generator: documents of online invoicing tools and
e-signature platforms (dark bands, sidebars, bare pages, zebra tables, the prime as a negative line,
e-signature boxes and their certificate pages), the attestation filled in online, the délégataire
platform's offer, the RGE body's web space and e-mail, the avis downloaded from impots.gouv. Its files
print what their ground truth says, its truth covers every field the office family's does, its seeds
are kept apart, and drawing it leaves the other families' files as they were. These tests check the
generator, never the extractor."""
import json
import re
import subprocess
import sys
from pathlib import Path
from random import Random

import pytest
from faker import Faker

from cee.text import fold
from extraction.corpus import CorpusOptions, generate_corpus
from extraction.corpus.facts import OBLIGES, make_dossier
from extraction.corpus.generate import PLATFORM_TEMPLATES
from extraction.corpus.heldout_facts import FAMILY_SEEDS, LETTER_OBLIGES, PLATFORM_DEV_SEEDS, PLATFORM_MEASUREMENT_SEEDS
from extraction.corpus.issuers import make_pool
from extraction.corpus.network_facts import NETWORK_OBLIGES
from extraction.corpus.office_facts import OFFICE_OBLIGES
from extraction.corpus.platform_facts import PLATFORM_OBLIGES, platform_facts
from extraction.corpus.platform_papers import avis_telecharge
from extraction.corpus.platform_quotes import devis_saas
from extraction.corpus.software_facts import SOFTWARE_OBLIGES

from .printed import fields_by_type as _fields_by_type, file_digests as _digests, files_of_type as _of_type, pdf_text, unprinted_truth

SEED = 1500  # a dev seed of the family
ROOT = Path(__file__).resolve().parents[2]
def pdfplumber_text(data: bytes) -> str:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


ESIGN = r"(?:Signé électroniquement par|Signé par|Signature électronique de) "


@pytest.fixture(scope="module")
def platform_corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("platform")
    generate_corpus(root, CorpusOptions(dossiers=18, seed=SEED, family="platform", scanned_ratio=0.0, multi_doc_ratio=0.0))
    return root


def test_every_truth_value_is_printed_in_the_pdf(platform_corpus):
    checked, missing = unprinted_truth(platform_corpus)
    assert not missing
    assert checked > 700


def test_the_truth_covers_every_field_the_office_family_covers():
    platform, office = _fields_by_type("platform"), _fields_by_type("office")
    for doc_type, names in office.items():
        assert platform[doc_type] >= names, (doc_type, names - platform[doc_type])


def test_every_document_type_and_several_templates_appear(platform_corpus):
    drawn = {(doc["type"], doc["template"]) for f in json.loads((platform_corpus / "manifest.json").read_text())["files"]
             for doc in f["documents"]}
    assert {doc_type for doc_type, _ in drawn} == set(PLATFORM_TEMPLATES)
    for doc_type in ("devis", "facture", "attestation_honneur", "cadre_contribution", "certificat_rge"):
        assert len({template for kind, template in drawn if kind == doc_type}) >= 2, doc_type


def test_quotes_and_invoices_look_like_online_tools(platform_corpus):
    typed = _of_type(platform_corpus, "devis") + _of_type(platform_corpus, "facture")
    negative, facturx, proof = 0, 0, 0
    for f in typed:
        text = pdf_text(platform_corpus / f["file"])
        fields = f["documents"][0]["fields"]
        assert re.search(r"(Reste à payer|Net à payer TTC|Reste à charge TTC|Montant à régler)", text)
        assert "Document édité avec" in text and "prime_cee" in fields
        assert all(code in text for code in json.loads(fields["operations"]))
        negative += bool(re.search(r"Prime (CEE|énergie).*- \d", text))
        facturx += "Factur-X" in text
        proof += bool(re.search(r"(Certificat de signature|Dossier de preuve)", text))
    assert negative and facturx and proof


def test_a_sidebars_rge_number_is_in_the_truth(platform_corpus):
    """A quote or an invoice whose sidebar prints « Qualification RGE » and its number records the
    number in its truth (an extractor reading it is right)."""
    seen = 0
    for f in _of_type(platform_corpus, "devis") + _of_type(platform_corpus, "facture"):
        if "QUALIFICATION RGE" in pdf_text(platform_corpus / f["file"]):
            seen += 1
            assert f["documents"][0]["fields"].get("rge_numero"), f["file"]
    assert seen


def test_an_e_signed_quote_carries_the_envelope_on_every_page_and_its_acceptance_date(platform_corpus):
    seen = 0
    for f in _of_type(platform_corpus, "devis"):
        path = platform_corpus / f["file"]
        text = pdf_text(path)
        if re.search(ESIGN, text):
            seen += 1
            assert "date_signature" in f["documents"][0]["fields"]
            import pdfplumber

            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    assert re.search(r"(Envelope ID|ID de transaction|Universign – transaction|Enveloppe n°)", page.extract_text())
    assert seen


def test_attestations_say_signed_where_an_e_signature_box_is(platform_corpus):
    seen = set()
    for f in _of_type(platform_corpus, "attestation_honneur"):
        fields = f["documents"][0]["fields"]
        text = pdf_text(platform_corpus / f["file"])
        signed = [fields["signature_beneficiaire"] == "true", fields["signature_installateur"] == "true"]
        assert len(re.findall(ESIGN, text)) == sum(signed)
        seen.add(tuple(signed))
        if not all(signed):
            assert "En attente de signature" in text or f["documents"][0]["template"] == "attestation_proof"
    assert seen


def test_cadres_are_offers_of_the_familys_delegataires(platform_corpus):
    others = set(OBLIGES) | {name for name, _ in LETTER_OBLIGES + SOFTWARE_OBLIGES + OFFICE_OBLIGES + NETWORK_OBLIGES}
    assert not {name for name, _ in PLATFORM_OBLIGES} & others
    for f in _of_type(platform_corpus, "cadre_contribution"):
        text = pdf_text(platform_corpus / f["file"])
        assert f["documents"][0]["fields"]["nom_oblige"] in {name for name, _ in PLATFORM_OBLIGES}
        assert ("Simulation de prime" in text and "Offre proposée par" in text and "Date de l'offre" in text) or \
            ("Offre émise le" in text and "Acceptée par le bénéficiaire le" in text)


def test_rge_proofs_and_tax_notices_have_their_layouts(platform_corpus):
    for f in _of_type(platform_corpus, "certificat_rge"):
        text = pdf_text(platform_corpus / f["file"])
        assert "Espace entreprise" in text or "Pièce jointe :" in text
    for f in _of_type(platform_corpus, "avis_imposition"):
        text = pdf_text(platform_corpus / f["file"])
        assert re.search(r"avis d'impôt \d{4}", text, re.I)
        assert ("Vos références" in text and "Document téléchargé depuis impots.gouv.fr" in text) or "Mes documents" in text


def test_both_tax_notice_layouts_print_the_households_figures():
    fake = Faker("fr_FR")
    fake.seed_instance(3)
    facts = platform_facts(make_dossier(Random(3), fake, 3))
    for template in PLATFORM_TEMPLATES["avis_imposition"]:
        drawn = template(facts, Random(5))
        text = pdfplumber_text(drawn.pdf)
        assert str(facts.annee_revenus) in text and fold(drawn.fields["adresse"]) in fold(text)
        assert re.sub(r"\D", "", text).find(drawn.fields["revenu_fiscal_reference"]) >= 0


def test_a_billing_address_apart_from_the_works_goes_on_the_avis_not_on_the_quotes_truth():
    for index in range(1, 60):
        fake = Faker("fr_FR")
        fake.seed_instance(index)
        facts = platform_facts(make_dossier(Random(index), fake, index))
        if facts.extra.get("billing"):
            break
    else:
        pytest.fail("no dossier with a billing address apart")
    street = facts.extra["billing"][0]
    devis, avis = devis_saas(facts, Random(1)), avis_telecharge(facts, Random(1))
    assert devis.fields["beneficiaire_adresse"] == facts.beneficiary.street != street
    assert avis.fields["adresse"] == street


def test_the_family_is_deterministic_with_scans_and_photos(tmp_path):
    options = CorpusOptions(dossiers=1, seed=SEED, family="platform", scanned_ratio=1.0, photo_ratio=0.5)
    generate_corpus(tmp_path / "a", options)
    generate_corpus(tmp_path / "b", options)
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert all(f["scanned"] and f["format"] in ("png", "jpg", "tiff", "pdf") for f in manifest["files"])


def test_drawing_the_family_leaves_the_other_families_files_as_they_were(tmp_path):
    cases = {"classic": CorpusOptions(dossiers=2, seed=99, scanned_ratio=0.5, multi_doc_ratio=0.5),
             "network": CorpusOptions(dossiers=2, seed=1451, family="network", scanned_ratio=0.0, installers=2),
             "office": CorpusOptions(dossiers=2, seed=1401, family="office", scanned_ratio=0.0, templates=2)}

    def drawn(folder: str, options: CorpusOptions) -> dict[str, str]:
        generate_corpus(tmp_path / folder, options)
        return _digests(tmp_path / folder)

    before = {name: drawn(f"{name}-1", options) for name, options in cases.items()}
    drawn("platform", CorpusOptions(dossiers=2, seed=99, family="platform", scanned_ratio=0.0, installers=2))
    assert {name: drawn(f"{name}-2", options) for name, options in cases.items()} == before
    assert make_pool(7, 3, "network").installers != make_pool(7, 3, "platform").installers


def test_installers_and_shared_templates_work_for_the_family(tmp_path):
    manifest = generate_corpus(tmp_path / "pool", CorpusOptions(dossiers=5, seed=SEED, family="platform", scanned_ratio=0.0,
                                                               multi_doc_ratio=0.0, installers=3))
    obliges = {name for name, _ in PLATFORM_OBLIGES}
    cadres = [f["documents"][0] for f in manifest["files"] if f["documents"][0]["type"] == "cadre_contribution"]
    assert cadres and all(doc["fields"]["nom_oblige"] in obliges for doc in cadres)
    checked, missing = unprinted_truth(tmp_path / "pool")
    assert checked and not missing
    manifest = generate_corpus(tmp_path / "shared", CorpusOptions(dossiers=3, seed=SEED, family="platform", scanned_ratio=0.0,
                                                                 multi_doc_ratio=0.5, templates=3))
    assert manifest["options"]["templates"] == 3 and all("templates" in f for f in manifest["files"])


def test_dev_and_measurement_seeds_are_apart_from_each_other_and_from_the_other_families():
    assert not PLATFORM_DEV_SEEDS & PLATFORM_MEASUREMENT_SEEDS
    for family, (dev, measurement) in FAMILY_SEEDS.items():
        if family != "platform":
            assert not (PLATFORM_DEV_SEEDS | PLATFORM_MEASUREMENT_SEEDS) & (dev | measurement)
    assert SEED in PLATFORM_DEV_SEEDS
    assert FAMILY_SEEDS["platform"] == (PLATFORM_DEV_SEEDS, PLATFORM_MEASUREMENT_SEEDS)


def test_the_accuracy_bench_refuses_to_print_the_errors_of_a_measurement_seed():
    completed = subprocess.run([sys.executable, "bench/accuracy.py", "--family", "platform", "--seed", "7701", "--errors", "5",
                                "--dossiers", "1"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert completed.returncode == 2
    assert "measurement seed of the platform family" in completed.stderr
