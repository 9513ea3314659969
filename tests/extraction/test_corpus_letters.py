"""The held-out ``letters`` family of the corpus generator (issue 13): its files print what their
ground truth says, its signatures are ink in the signature zones, its seeds are kept apart."""
import datetime as dt
import json
import re

import pdfplumber
import pytest

from extraction.corpus import CorpusOptions, generate_corpus
from extraction.corpus.evaluate import same_value
from extraction.corpus.heldout_facts import HELDOUT_DEV_SEEDS, HELDOUT_MEASUREMENT_SEEDS
from extraction.corpus.wording import MONTH_NAMES
from cee.text import fold

SEED = 1301  # a dev seed of the family


@pytest.fixture(scope="module")
def letters_corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("letters")
    generate_corpus(root, CorpusOptions(dossiers=8, seed=SEED, family="letters", scanned_ratio=0.0, multi_doc_ratio=0.0))
    return root


def _files(root):
    return json.loads((root / "manifest.json").read_text())["files"]


def _pdf_text(path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _date_forms(iso: str) -> set[str]:
    d = dt.date.fromisoformat(iso)
    day = "1er" if d.day == 1 else str(d.day)
    month = MONTH_NAMES[d.month - 1]
    forms = {d.strftime(f) for f in ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d-%m-%y", "%d.%m.%Y")}
    forms |= {f"{day} {month} {d.year}", f"{d.day:02d} {month} {d.year}"}
    return {fold(f) for f in forms}


def _amount_forms(value: str) -> set[str]:
    """How an amount may be written, with its spaces (and line breaks) taken out."""
    integer, cents = value.split(".")
    n = int(integer)
    forms = {f"{n:,}".replace(",", sep) + dec + cents for sep in (".", ",", "") for dec in (",", ".")}
    short = cents.rstrip("0")  # 123 %, R = 4,8
    return forms | {f"{n}{',' + short if short else ''}"}


def _printed(name: str, value, text: str, folded: str, digits: str) -> bool:
    if isinstance(value, list):
        return all(fold(v) in folded for v in value)
    if name.startswith("signature_") or name in ("operations", "batiment_plus_de_2_ans"):
        return all(code in text for code in json.loads(value)) if name == "operations" else True
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return any(form in folded for form in _date_forms(value))
    if name.startswith("siret"):
        return value in digits
    if re.fullmatch(r"-?\d+\.\d{2}", value):
        compact = re.sub(r"\s", "", text)
        return any(form in compact for form in _amount_forms(value))
    if name in ("beneficiaire_nom", "declarant_nom"):
        return all(fold(part) in folded for part in value.split())
    return fold(value) in folded or value.replace(" ", "") in text.replace(" ", "")


def test_every_truth_value_is_printed_in_the_pdf(letters_corpus):
    checked = 0
    for f in _files(letters_corpus):
        text = _pdf_text(letters_corpus / f["file"])
        folded, digits = fold(text), re.sub(r"\D", "", text)
        for doc in f["documents"]:
            for name, value in doc["fields"].items():
                assert _printed(name, value, text, folded, digits), (f["file"], name, value)
                checked += 1
    assert checked > 150


def test_products_are_multi_valued_lists_and_several_per_document(letters_corpus):
    devis = [d for f in _files(letters_corpus) for d in f["documents"] if d["type"] == "devis"]
    assert all(isinstance(d["fields"]["marque"], list) and isinstance(d["fields"]["reference_produit"], list) for d in devis)
    assert any(len(d["fields"]["reference_produit"]) > 1 for d in devis)
    assert same_value("marque", "string", '["ISOVER", "Siga"]', ["Siga", "Isover"])
    assert same_value("marque", "string", "Isover", ["Isover"])
    assert not same_value("marque", "string", "Isover", ["Isover", "Siga"])


def _zone_ink(path) -> tuple[bool, bool]:
    """Whether the beneficiary's zone (left) and the professional's (right), below the row of
    signature labels, hold curves or images."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        row = [line for line in page.extract_text_lines() if re.match(r"(Signature|Le bénéficiaire)", line["text"])][-1]
        ink = [o for o in page.curves + page.images if row["bottom"] - 2 <= o["top"] <= row["bottom"] + 100]
        middle = page.width / 2
        return any(o["x1"] <= middle + 5 for o in ink), any(o["x0"] >= middle - 5 for o in ink)


def test_attestation_signatures_are_ink_where_the_truth_says_signed(letters_corpus):
    seen = set()
    for f in _files(letters_corpus):
        doc = f["documents"][0]
        if doc["type"] != "attestation_honneur":
            continue
        path = letters_corpus / f["file"]
        fields = doc["fields"]
        assert _zone_ink(path) == (fields["signature_beneficiaire"] == "true", fields["signature_installateur"] == "true")
        seen.add((fields["signature_beneficiaire"], fields["signature_installateur"]))
        assert "Lu et approuvé" not in _pdf_text(path)  # the signature is ink, not words
    assert len(seen) >= 2


def test_letters_carry_a_dateline_and_an_object_line(letters_corpus):
    for f in _files(letters_corpus):
        doc = f["documents"][0]
        if doc["type"] in ("devis", "facture", "cadre_contribution"):
            text = _pdf_text(letters_corpus / f["file"])
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
