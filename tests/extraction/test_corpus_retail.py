"""The held-out ``retail`` family of the corpus generator: documents of home-improvement retailers'
installation services, energy suppliers' CEE programmes and franchise networks (quotes and
invoices crowded with order, customer, store, loyalty-card and energy-account numbers, eight-column
item tables, the prime as a negative line and a « Reste à charge », a spreadsheet export in A4
landscape, headers repeated on two-page documents), the attestation as a fillable PDF form or typed
and signed in ink, the supplier's offer and partner contract summary, multi-row RGE certificates
with a QR-code block, avis d'impôt close to the real one, faded scans. Its files print what their
ground truth says (a form's values once the form is drawn into its pages, as the pipeline reads
it), its truth covers every field the office family's does, its seeds are kept apart, and drawing
it leaves the other families' files as they were. These tests check the generator, never the
extractor."""
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from random import Random

import numpy as np
import pdfplumber
import pytest
from faker import Faker
from pypdf import PdfReader

from cee.text import fold
from extraction.corpus import CorpusOptions, generate_corpus
from extraction.corpus.facts import OBLIGES, make_dossier
from extraction.corpus.generate import RETAIL_TEMPLATES, _merge
from extraction.corpus.heldout_facts import FAMILY_SEEDS, LETTER_OBLIGES, RETAIL_DEV_SEEDS, RETAIL_MEASUREMENT_SEEDS
from extraction.corpus.issuers import make_pool
from extraction.corpus.network_facts import NETWORK_OBLIGES
from extraction.corpus.office_facts import OFFICE_OBLIGES
from extraction.corpus.platform_facts import PLATFORM_OBLIGES
from extraction.corpus.reading import pdf_bytes
from extraction.corpus.retail_facts import RETAIL_OBLIGES, ean13, retail_facts
from extraction.corpus.retail_forms import attestation_formulaire
from extraction.corpus.retail_papers import avis_impot
from extraction.corpus.retail_quotes import devis_magasin, devis_tableur
from extraction.corpus.retail_scan import fade, render_printed
from extraction.corpus.scan import render_pages
from extraction.corpus.software_facts import SOFTWARE_OBLIGES
from extraction.engines.forms import flatten_form_fields

from .printed import fields_by_type as _fields_by_type, file_digests as _digests, files_of_type as _of_type, printed

SEED = 1550  # a dev seed of the family
ROOT = Path(__file__).resolve().parents[2]


def read_text(path_or_bytes) -> str:
    """A file's text as the pipeline reads it: filled-in form fields drawn into the pages first."""
    data = pdf_bytes(path_or_bytes) if isinstance(path_or_bytes, Path) else flatten_form_fields(path_or_bytes)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _facts(index: int):
    fake = Faker("fr_FR")
    fake.seed_instance(index)
    return retail_facts(make_dossier(Random(index), fake, index))


@pytest.fixture(scope="module")
def retail_corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("retail")
    generate_corpus(root, CorpusOptions(dossiers=18, seed=SEED, family="retail", scanned_ratio=0.0, multi_doc_ratio=0.25))
    return root


def _unprinted(root: Path) -> tuple[int, list]:
    checked, missing = 0, []
    for f in json.loads((root / "manifest.json").read_text())["files"]:
        text = read_text(root / f["file"])
        folded, digits = fold(text), re.sub(r"\D", "", text)
        for doc in f["documents"]:
            for name, value in doc["fields"].items():
                checked += 1
                if not printed(name, value, text, folded, digits):
                    missing.append((f["file"], doc["template"], name, value))
    return checked, missing


def test_every_truth_value_is_printed_in_the_pdf(retail_corpus):
    checked, missing = _unprinted(retail_corpus)
    assert not missing
    assert checked > 700


def test_the_truth_covers_every_field_the_office_family_covers():
    retail, office = _fields_by_type("retail"), _fields_by_type("office")
    for doc_type, names in office.items():
        assert retail[doc_type] >= names, (doc_type, names - retail[doc_type])


def test_every_document_type_and_several_templates_appear(retail_corpus):
    drawn = {(doc["type"], doc["template"]) for f in json.loads((retail_corpus / "manifest.json").read_text())["files"]
             for doc in f["documents"]}
    assert {doc_type for doc_type, _ in drawn} == set(RETAIL_TEMPLATES)
    for doc_type in ("devis", "facture", "attestation_honneur", "cadre_contribution", "certificat_rge", "avis_imposition"):
        assert len({template for kind, template in drawn if kind == doc_type}) >= 2, doc_type


def test_quotes_and_invoices_carry_distracting_numbers_a_prime_line_and_the_rest_to_pay(retail_corpus):
    typed = _of_type(retail_corpus, "devis") + _of_type(retail_corpus, "facture")
    negative, two_pages, landscape, eight_columns = 0, 0, 0, 0
    for f in typed:
        path = retail_corpus / f["file"]
        text = read_text(path)
        fields = f["documents"][0]["fields"]
        number = fields.get("numero_facture") or fields["numero_devis"]
        assert number in text
        assert re.search(r"(N° de commande|N° client|N° de magasin|PDL|PCE|N° d'affaire)", text)
        assert re.search(r"(Reste à charge|Reste à payer|Montant restant à votre charge|Net à payer TTC)", text)
        assert "Siège social" in text and "prime_cee" in fields
        assert all(code in text for code in json.loads(fields["operations"]))
        negative += bool(re.search(r"Prime (CEE|Coup de pouce|Énergie).*-\s?\d", text))
        eight_columns += all(word in text for word in ("Réf.", "Désignation", "Qté", "Unité", "PU HT", "Remise %", "TVA %",
                                                        "Montant HT"))
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > 1 and len(f["documents"]) == 1:
                two_pages += 1
                assert all(number in page.extract_text() for page in pdf.pages)  # the header on every page
                assert re.search(r"(Page )?1 ?(/|sur) ?2", text)
            landscape += pdf.pages[0].width > pdf.pages[0].height
    assert negative and two_pages and landscape and eight_columns == len(typed)


def test_amounts_are_written_in_the_familys_ways(retail_corpus):
    texts = " ".join(read_text(retail_corpus / f["file"]) for f in _of_type(retail_corpus, "devis") + _of_type(retail_corpus, "facture"))
    assert re.search(r"\d{1,3}\.\d{3},\d{2} EUR", texts) and re.search(r"EUR -?\d", texts)
    assert re.search(r"\d,\d{2} €", texts)


def test_a_legal_entity_or_a_couple_is_the_customer_on_some_dossiers():
    kinds = set()
    for index in range(1, 80):
        facts = _facts(index)
        drawn = devis_magasin(facts, Random(index))
        text = read_text(drawn.pdf)
        entity = facts.extra.get("entity")
        if entity:
            kinds.add("entity")
            assert drawn.fields["beneficiaire_nom"] == entity[0] and fold(entity[0]) in fold(text)
        elif facts.extra.get("spouse"):
            kinds.add("couple")
            assert drawn.fields["beneficiaire_nom"] == f"{facts.beneficiary.first_name} {facts.beneficiary.last_name}"
        assert drawn.fields["beneficiaire_adresse"] == facts.beneficiary.street
    assert kinds == {"entity", "couple"}


def test_the_spreadsheet_export_is_landscape_with_an_ean_column_on_some():
    eans = 0
    for index in range(1, 12):
        drawn = devis_tableur(_facts(index), Random(index))
        page = PdfReader(io.BytesIO(drawn.pdf)).pages[0]
        assert float(page.mediabox.width) > float(page.mediabox.height)
        eans += "EAN" in read_text(drawn.pdf)
    assert eans


def test_the_fillable_attestation_keeps_its_form_and_prints_its_values_once_drawn(retail_corpus):
    seen = 0
    for f in _of_type(retail_corpus, "attestation_honneur"):
        doc = f["documents"][0]
        if doc["template"] != "attestation_formulaire":
            continue
        seen += 1
        path = retail_corpus / f["file"]
        fields = PdfReader(path).get_fields()
        assert fields and any((field.get("/V") or "") == doc["fields"]["reference_facture"] for field in fields.values())
        with pdfplumber.open(path) as pdf:  # not flattened: the page's own text has no values
            assert doc["fields"]["reference_facture"] not in (pdf.pages[0].extract_text() or "")
        assert doc["fields"]["reference_facture"] in read_text(path)
    assert seen


def test_a_merged_file_keeps_the_forms_values():
    facts = _facts(4)
    attestation = attestation_formulaire(facts, Random(1))
    merged = _merge([devis_magasin(facts, Random(1)).pdf, attestation.pdf])
    assert PdfReader(io.BytesIO(merged)).get_fields()
    assert facts.facture_number in read_text(merged)


def test_typed_attestations_are_signed_in_ink_where_the_truth_says_signed(retail_corpus):
    seen = 0
    for f in _of_type(retail_corpus, "attestation_honneur"):
        doc = f["documents"][0]
        if doc["template"] != "attestation_saisie":
            continue
        seen += 1
        with pdfplumber.open(retail_corpus / f["file"]) as pdf:
            page = pdf.pages[0]
            row = [line for line in page.extract_text_lines() if line["text"].startswith("Le bénéficiaire")][-1]
            ink = [o for o in page.curves + page.images if row["bottom"] - 2 <= o["top"] <= row["bottom"] + 100]
            middle = page.width / 2
            left, right = any(o["x1"] <= middle + 5 for o in ink), any(o["x0"] >= middle - 5 for o in ink)
        assert (left, right) == (doc["fields"]["signature_beneficiaire"] == "true", doc["fields"]["signature_installateur"] == "true")
    assert seen


def test_cadres_are_offers_of_the_familys_suppliers_with_account_numbers(retail_corpus):
    others = set(OBLIGES) | {name for name, _ in LETTER_OBLIGES + SOFTWARE_OBLIGES + OFFICE_OBLIGES + NETWORK_OBLIGES + PLATFORM_OBLIGES}
    assert not {name for name, _ in RETAIL_OBLIGES} & others
    for f in _of_type(retail_corpus, "cadre_contribution"):
        text = read_text(retail_corpus / f["file"])
        assert f["documents"][0]["fields"]["nom_oblige"] in {name for name, _ in RETAIL_OBLIGES}
        assert "N° client" in text
        assert ("Vos références" in text and "Objet : votre Offre" in text) or "CONTRAT DE PARTENARIAT CEE" in text


def test_rge_certificates_list_several_qualifications_with_their_dates(retail_corpus):
    for f in _of_type(retail_corpus, "certificat_rge"):
        text = read_text(retail_corpus / f["file"])
        fields = f["documents"][0]["fields"]
        assert re.search(r"(QUALIBAT|QUALIT'ENR|QUALIFELEC)", text)
        assert fields["rge_numero"] in text
        years = set(re.findall(r"20\d\d", text))
        assert len(years) >= 3  # the RGE rows' dates and another qualification's
        assert "—" in text or "sans mention RGE" in text


def test_both_tax_notice_layouts_print_the_households_figures():
    facts = _facts(3)
    for template in RETAIL_TEMPLATES["avis_imposition"]:
        drawn = template(facts, Random(5))
        text = read_text(drawn.pdf)
        assert "Vos références" in text and "Numéro fiscal" in text and "Référence de l'avis" in text
        assert str(facts.annee_revenus) in text and fold(drawn.fields["adresse"]) in fold(text)
        assert re.sub(r"\D", "", text).find(drawn.fields["revenu_fiscal_reference"]) >= 0


def test_a_billing_address_apart_from_the_works_goes_on_the_avis_not_on_the_quotes_truth():
    for index in range(1, 60):
        facts = _facts(index)
        if facts.extra.get("billing"):
            break
    else:
        pytest.fail("no dossier with a billing address apart")
    street = facts.extra["billing"][0]
    devis, avis = devis_magasin(facts, Random(1)), avis_impot(facts, Random(1))
    assert devis.fields["beneficiaire_adresse"] == facts.beneficiary.street != street
    assert avis.fields["adresse"] == street


def test_dates_run_from_2024_to_2026_and_eans_are_valid():
    for index in range(1, 30):
        facts = _facts(index)
        assert 2024 <= facts.date_cadre.year and facts.date_facture.year <= 2026
        for accessory in facts.extra["accessories"]:
            digits = [int(d) for d in accessory.ean]
            assert len(digits) == 13 and sum(d * (3 if k % 2 else 1) for k, d in enumerate(digits)) % 10 == 0
    assert ean13(Random(1))[0] == "3"


def test_a_form_is_scanned_with_its_values_and_some_scans_are_faded():
    pdf = attestation_formulaire(_facts(2), Random(2)).pdf
    printed_page, bare_page = render_printed(pdf, 60)[0], render_pages(pdf, 60)[0]
    assert (np.asarray(printed_page) < 128).sum() > (np.asarray(bare_page) < 128).sum()
    faded = np.asarray(fade(printed_page, Random(1)))
    assert faded.min() > 60 and faded.max() < 240


def test_the_family_is_deterministic_with_scans_and_photos(tmp_path):
    options = CorpusOptions(dossiers=1, seed=SEED, family="retail", scanned_ratio=1.0, photo_ratio=0.5)
    generate_corpus(tmp_path / "a", options)
    generate_corpus(tmp_path / "b", options)
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert all(f["scanned"] and f["format"] in ("png", "jpg", "tiff", "pdf") for f in manifest["files"])


def test_drawing_the_family_leaves_the_other_families_files_as_they_were(tmp_path):
    cases = {"classic": CorpusOptions(dossiers=2, seed=99, scanned_ratio=0.5, multi_doc_ratio=0.5),
             "platform": CorpusOptions(dossiers=2, seed=1501, family="platform", scanned_ratio=0.0, installers=2),
             "office": CorpusOptions(dossiers=2, seed=1401, family="office", scanned_ratio=0.0, templates=2)}

    def drawn(folder: str, options: CorpusOptions) -> dict[str, str]:
        generate_corpus(tmp_path / folder, options)
        return _digests(tmp_path / folder)

    before = {name: drawn(f"{name}-1", options) for name, options in cases.items()}
    drawn("retail", CorpusOptions(dossiers=2, seed=99, family="retail", scanned_ratio=0.0, installers=2))
    assert {name: drawn(f"{name}-2", options) for name, options in cases.items()} == before
    assert make_pool(7, 3, "platform").installers != make_pool(7, 3, "retail").installers


def test_installers_and_shared_templates_work_for_the_family(tmp_path):
    manifest = generate_corpus(tmp_path / "pool", CorpusOptions(dossiers=5, seed=SEED, family="retail", scanned_ratio=0.0,
                                                               multi_doc_ratio=0.0, installers=3))
    obliges = {name for name, _ in RETAIL_OBLIGES}
    cadres = [f["documents"][0] for f in manifest["files"] if f["documents"][0]["type"] == "cadre_contribution"]
    assert cadres and all(doc["fields"]["nom_oblige"] in obliges for doc in cadres)
    checked, missing = _unprinted(tmp_path / "pool")
    assert checked and not missing
    manifest = generate_corpus(tmp_path / "shared", CorpusOptions(dossiers=3, seed=SEED, family="retail", scanned_ratio=0.0,
                                                                 multi_doc_ratio=0.5, templates=3))
    assert manifest["options"]["templates"] == 3 and all("templates" in f for f in manifest["files"])


def test_dev_and_measurement_seeds_are_apart_from_each_other_and_from_the_other_families():
    assert not RETAIL_DEV_SEEDS & RETAIL_MEASUREMENT_SEEDS
    for family, (dev, measurement) in FAMILY_SEEDS.items():
        if family != "retail":
            assert not (RETAIL_DEV_SEEDS | RETAIL_MEASUREMENT_SEEDS) & (dev | measurement)
    assert SEED in RETAIL_DEV_SEEDS and 7800 in RETAIL_MEASUREMENT_SEEDS
    assert FAMILY_SEEDS["retail"] == (RETAIL_DEV_SEEDS, RETAIL_MEASUREMENT_SEEDS)


def test_the_accuracy_bench_refuses_to_print_the_errors_of_a_measurement_seed():
    completed = subprocess.run([sys.executable, "bench/accuracy.py", "--family", "retail", "--seed", "7801", "--errors", "5",
                                "--dossiers", "1"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert completed.returncode == 2
    assert "measurement seed of the retail family" in completed.stderr
