"""Whether a generated document prints the values its ground truth gives, in any of the forms
the generator writes them (dates, amounts, SIRET, names): the corpus families' truth checks,
and the helpers those tests share (a corpus's files, their digests, a family's truth fields)."""
import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from random import Random

import pdfplumber
from faker import Faker

from cee.text import fold
from extraction.corpus.wording import MONTH_NAMES


def pdf_text(path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def date_forms(iso: str) -> set[str]:
    d = dt.date.fromisoformat(iso)
    day = "1er" if d.day == 1 else str(d.day)
    month = MONTH_NAMES[d.month - 1]
    forms = {d.strftime(f) for f in ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d-%m-%y", "%d.%m.%Y", "%Y-%m-%d")}
    forms |= {f"{day} {month} {d.year}", f"{d.day:02d} {month} {d.year}"}
    short = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."][d.month - 1]
    forms.add(f"{day} {short} {d.year}")  # abbreviated months (online tools)
    return {fold(f) for f in forms}


def amount_forms(value: str) -> set[str]:
    """How an amount may be written, with its spaces (and line breaks) taken out."""
    integer, cents = value.split(".")
    n = int(integer)
    forms = {f"{n:,}".replace(",", sep) + dec + cents for sep in (".", ",", "") for dec in (",", ".")}
    short = cents.rstrip("0")  # 123 %, R = 4,8
    return forms | {f"{n}{',' + short if short else ''}"}


def printed(name: str, value, text: str, folded: str, digits: str) -> bool:
    if isinstance(value, list):
        return all(fold(v) in folded for v in value)
    if name.startswith("signature_") or name in ("operations", "batiment_plus_de_2_ans"):
        return all(code in text for code in json.loads(value)) if name == "operations" else True
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):  # a comb field prints each character in a box of its own
        compact = re.sub(r"\s", "", folded)
        return any(form in folded or form.replace(" ", "") in compact for form in date_forms(value))
    if name.startswith("siret"):
        return value in digits
    if re.fullmatch(r"-?\d+\.\d{2}", value):
        compact = re.sub(r"\s", "", text)
        return any(form in compact for form in amount_forms(value))
    if name == "domaines":  # one domain a line, or all in one
        return all(fold(domain) in folded for domain in value.split(", "))
    if name in ("beneficiaire_nom", "declarant_nom"):
        return all(fold(part) in folded for part in value.split())
    return fold(value) in folded or value.replace(" ", "") in text.replace(" ", "")


def zone_ink(path, heading: str = r"(Signature|Le bénéficiaire)", depth: float = 100) -> tuple[bool, bool]:
    """Whether the beneficiary's zone (left) and the professional's (right), below the last line
    that ``heading`` matches, hold curves or images within ``depth`` points."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        row = [line for line in page.extract_text_lines() if re.match(heading, line["text"])][-1]
        ink = [o for o in page.curves + page.images if row["bottom"] - 2 <= o["top"] <= row["bottom"] + depth]
        middle = page.width / 2
        return any(o["x1"] <= middle + 5 for o in ink), any(o["x0"] >= middle - 5 for o in ink)


def unprinted_truth(root) -> tuple[int, list[tuple[str, str, object]]]:
    """Over a born-digital corpus folder: how many truth values were checked, and the (file,
    field, value) of those its PDFs do not print."""
    checked, missing = 0, []
    for f in json.loads((root / "manifest.json").read_text())["files"]:
        text = pdf_text(root / f["file"])
        folded, digits = fold(text), re.sub(r"\D", "", text)
        for doc in f["documents"]:
            for name, value in doc["fields"].items():
                checked += 1
                if not printed(name, value, text, folded, digits):
                    missing.append((f["file"], name, value))
    return checked, missing


def manifest_files(root) -> list[dict]:
    return json.loads((Path(root) / "manifest.json").read_text())["files"]


def files_of_type(root, doc_type: str) -> list[dict]:
    """The manifest's files whose (first) document is of ``doc_type``."""
    return [f for f in manifest_files(root) if f["documents"][0]["type"] == doc_type]


def file_digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def fields_by_type(family: str, dossiers: int = 12) -> dict[str, set[str]]:
    """The fields a family's truth gives per document type, over the same dossiers' facts."""
    from extraction.corpus.facts import make_dossier
    from extraction.corpus.generate import FAMILY_FACTS, FAMILY_TEMPLATES

    found: dict[str, set[str]] = {}
    for index in range(1, dossiers + 1):
        fake = Faker("fr_FR")
        fake.seed_instance(index)
        facts = make_dossier(Random(index), fake, index)
        FAMILY_FACTS[family](facts)
        for doc_type, templates in FAMILY_TEMPLATES[family].items():
            for template in templates:
                found.setdefault(doc_type, set()).update(template(facts, Random(index)).fields)
    return found
