"""Products inside item designations, found by their brand (the ``ProductBrand`` lexicon).

« Isolant ISOVER GR 32 Revêtu Kraft 140 mm, R = 4,8 m².K/W » names the brand ISOVER and the
reference GR 32: the reference is the run of model words after the brand (capitals, digits,
a product line name), up to a dimension (140 mm), a descriptive word, a comma or a dash. A
document may name several products (a heat pump and its thermostat): every one is kept, in
reading order. Lines of the letterhead, of the legal footer and those naming a company
(SIRET, « partenaire ») are not designations.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..types import Word
from .layout import Line
from .text import similar, token_texts

MAX_REFERENCE_WORDS = 6
# A capitalised word that describes the product rather than names its model.
DESCRIPTIVE = frozenset({"revetu", "revetue", "revetus", "avec", "sans", "pose", "posee", "fourni", "fournie",
                         "fourniture", "epaisseur", "ep", "resistance", "lambda", "certifie", "certifiee", "acermi",
                         "marque", "reference", "ref", "modele", "type", "classe", "garantie", "dont", "soit"})
DIMENSION_UNITS = re.compile(r"^(?:mm|cm|m|m2|m²|m3|m³|ml)\b[.,;]?$", re.IGNORECASE)
NOT_DESIGNATION = frozenset({"siret", "siren", "rcs", "capital", "partenaire", "agree", "agreee", "distributeur",
                             "qualibat", "qualit", "tva", "iban", "www"})


@dataclass(frozen=True)
class Brand:
    name: str
    forms: tuple[tuple[str, ...], ...]  # folded token sequences: the name and its aliases


@dataclass(frozen=True)
class ProductMention:
    brand: str
    reference: str
    words: list[Word]  # the brand's words and the reference's
    page: int


@lru_cache(maxsize=64)
def compile_lexicon(brands: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[dict[str, list[Brand]], int]:
    """Brands by the first token of each of their forms, and the longest form's length."""
    by_first: dict[str, list[Brand]] = {}
    longest = 1
    for name, aliases in brands:
        forms = tuple(tuple(token_texts(form)) for form in (name, *aliases) if token_texts(form))
        brand = Brand(name, forms)
        for form in forms:
            by_first.setdefault(form[0], []).append(brand)
            longest = max(longest, len(form))
    return by_first, longest


def _form_at(toks: list[str], i: int, form: tuple[str, ...]) -> bool:
    if i + len(form) > len(toks):
        return False
    return all(t == f or (len(f) >= 6 and similar(t, f)) for t, f in zip(toks[i:i + len(form)], form))


def _short_brand_in_capitals(line: Line, word_index: int, form: tuple[str, ...]) -> bool:
    """A brand of three letters or fewer (LG, ETA, MCZ) counts only written in capitals."""
    if len("".join(form)) > 3:
        return True
    text = line.words[word_index].text
    return text.upper() == text


def _is_designation(line: Line) -> bool:
    top = line.top
    if top < 0.1 or top > 0.93:
        return False  # letterhead or legal footer
    return line.token_set.isdisjoint(NOT_DESIGNATION)


def _reference_words(words: list[Word]) -> list[Word]:
    """The model words opening ``words`` (what follows a brand in a designation)."""
    out: list[Word] = []
    for k, word in enumerate(words):
        text = word.text.strip()
        if not text or text in {"-", "–", "—", ":", "|", "/", "(", "+"} or text.startswith("("):
            break
        bare = text.rstrip(",;:")
        folded = token_texts(bare)
        if not folded:
            break
        if out and DIMENSION_UNITS.match(bare):
            out.pop()  # "140 mm": the number was a dimension, not part of the model
            break
        if k + 1 < len(words) and bare[:1].isdigit() and DIMENSION_UNITS.match(words[k + 1].text.strip()):
            break
        if folded[0] in DESCRIPTIVE or bare[:1].islower() and not any(c.isdigit() for c in bare):
            break
        if bare[:1].isalpha() and bare[:1].isupper() and bare[1:].islower() and out \
                and any(c.isdigit() or c.isupper() for w in out for c in w.text[1:]) :
            break  # "GR 32 Revêtu": a capitalised word after the model's code describes it
        out.append(Word(bare, word.bbox, word.conf))
        if bare != text or len(out) >= MAX_REFERENCE_WORDS:
            break
    return out


def find_products(lines: list[Line], brands: tuple[tuple[str, tuple[str, ...]], ...]) -> list[ProductMention]:
    """Every product named by a brand of the lexicon in ``lines``, in reading order."""
    if not brands:
        return []
    by_first, _ = compile_lexicon(brands)
    found: list[ProductMention] = []
    for line in lines:
        if not _is_designation(line):
            continue
        toks = line.token_texts
        line_tokens = line.tokens
        i = 0
        while i < len(toks):
            match = None
            for brand in by_first.get(toks[i], ()):
                for form in brand.forms:
                    if form[0] == toks[i] and _form_at(toks, i, form) \
                            and _short_brand_in_capitals(line, line_tokens[i].word, form):
                        if match is None or len(form) > len(match[1]):
                            match = (brand, form)
            if match is None:
                i += 1
                continue
            brand, form = match
            first_word = line_tokens[i].word
            last_word = line_tokens[i + len(form) - 1].word
            cell_start, cell_end = line.cell_of(first_word)
            reference = _reference_words(line.words[last_word + 1:cell_end])
            found.append(ProductMention(brand.name, " ".join(w.text for w in reference),
                                        line.words[first_word:last_word + 1] + reference, line.page))
            i += len(form)
    return found
