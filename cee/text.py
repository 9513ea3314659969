"""Text folding and the one fuzzy matcher of names and addresses.

Three folds, one built on the other, because what is compared differs:

- ``fold``: lower case, accents removed, typographic quotes and dashes made plain, spaces
  collapsed; punctuation KEPT. The extraction reads documents with it: a label's ``n°``,
  ``T.T.C.`` or ``:`` carries meaning there, and the values it finds keep their offsets.
- ``fold_for_match``: ``fold`` with ``n°`` read as ``no`` and dotted abbreviations joined
  (``T.T.C.`` is ``ttc``): how the extraction's tokens match the hints' words.
- ``fold_words``: ``fold`` with every run of punctuation made one space: only letters and
  digits remain. Names, addresses and the rules' words are compared with it.

``fuzzy_ratio`` compares two names or two addresses (accents, case, punctuation,
civilities, abbreviations and word order do not count); a pair at or above
``FUZZY_THRESHOLD`` is the same person or place. The rule DSL's ``FUZZY_MATCH`` (rule r09)
and the review screen's consistency matrix both use them, so the screen and the rule agree.
"""
from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

# Every space a PDF or an OCR engine may put inside a number: no-break, narrow no-break, thin…
SPACES = "\u00a0\u202f\u2009\u2007\u2008\u200a\u2002\u2003 \t"
SPACE_RE = re.compile(f"[{SPACES}]+")


def fold(text: str) -> str:
    """Lower case, accents removed, typographic quotes and dashes made plain, spaces collapsed.

    Used wherever text is compared with words from the hints (labels, keywords): OCR engines
    trained on English drop accents, and documents mix ``’`` and ``'``.
    """
    if text.isascii():
        # Nothing to decompose or replace but the backquote: the extraction folds every word of
        # every page several times (labels, phrases, signatures), most of them plain ASCII.
        return SPACE_RE.sub(" ", text.replace("`", "'")).strip().lower()
    # The same words come back from line to line and document to document: keep the short ones.
    return _fold_cached(text) if len(text) <= 200 else _fold(text)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    # Only non-ASCII characters can be combining: filter those runs, not every character of a page.
    text = _NON_ASCII_RUN.sub(_without_combining, text)
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'").replace("´", "'")
    text = _DASHES.sub("-", text)
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae")
    text = text.replace("η", "eta").replace("Η", "eta")  # ηs is how fiches write ETAS
    return SPACE_RE.sub(" ", text).strip().lower()


_fold_cached = lru_cache(maxsize=16384)(_fold)
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_DASHES = re.compile("[\u2010-\u2015\u2212]")


def _without_combining(match: re.Match) -> str:
    return "".join(ch for ch in match.group(0) if not unicodedata.combining(ch))


_ABBREVIATION_RE = re.compile(r"\b(?:[a-z]\.){1,3}[a-z]\b\.?")
# a scan glued the tax's abbreviation to the word before it: « TOTALT.T.C. », « MONTANTH.T. »
_GLUED_TAX_RE = re.compile(r"(?<=[a-z]{3})(t\.t\.c|h\.t|t\.v\.a)\b\.?")
# and the VAT glued to its rate: « TVA5,5% », « TVA20 % »
_GLUED_RATE_RE = re.compile(r"\btva(?=\d)")


def fold_for_match(text: str) -> str:
    """``fold``, ``n°`` read as ``no``, dotted abbreviations joined: the extraction's tokens."""
    folded = fold(text)
    folded = folded.replace("n°", "no ").replace("nº", "no ").replace("n °", "no ")
    # "T.T.C." / "H.T." / "T.V.A." are the words ttc / ht / tva
    if "." in folded:
        if "t.t.c" in folded or "h.t" in folded or "t.v.a" in folded:
            folded = _GLUED_TAX_RE.sub(lambda m: " " + m.group(0), folded)
        folded = _ABBREVIATION_RE.sub(lambda m: m.group(0).replace(".", ""), folded)
    if "tva" in folded:
        folded = _GLUED_RATE_RE.sub("tva ", folded)
    return folded


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold_words(text: str) -> str:
    """``fold``, then punctuation turned into single spaces: letters and digits only."""
    # Names and addresses repeat across rules: cache the short ones only (bounded memory).
    return _fold_words_cached(text) if len(text) <= 500 else _fold_words(text)


def _fold_words(text: str) -> str:
    # Æ too (Ǽ decomposes into it): fold keeps it as æ (no hint holds it); a name may ("LÆTITIA").
    return _NON_ALNUM.sub(" ", fold(unicodedata.normalize("NFKD", text).replace("Æ", "ae"))).strip()


_fold_words_cached = lru_cache(maxsize=8192)(_fold_words)


# ---------------------------------------------------------------------------- fuzzy matching

# Two names or addresses at or above this ratio are the same (rule r09, the review matrix).
FUZZY_THRESHOLD = 0.85
MAX_FUZZY_LENGTH = 300

# Words that carry no identity: civilities, joining words.
_STOP_WORDS = frozenset({
    "m", "mr", "mme", "mlle", "monsieur", "madame", "mademoiselle", "messieurs", "mesdames",
    "et", "ou", "de", "du", "des", "la", "le", "les", "l", "d", "epoux", "epouse", "ep", "ne", "nee",
})
# Abbreviations of road types and saints, expanded.
_ABBREVIATIONS = {
    "av": "avenue", "ave": "avenue", "bd": "boulevard", "bld": "boulevard", "boul": "boulevard",
    "r": "rue", "ch": "chemin", "che": "chemin", "chem": "chemin", "pl": "place", "imp": "impasse",
    "all": "allee", "rte": "route", "st": "saint", "ste": "sainte", "fg": "faubourg", "sq": "square",
    "lot": "lotissement", "res": "residence", "hab": "habitation", "qu": "quai",
}


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[str, ...]:
    """The meaningful words of a name or an address, abbreviations expanded, sorted."""
    words = (_ABBREVIATIONS.get(word, word) for word in fold_words(text[:MAX_FUZZY_LENGTH]).split())
    return tuple(sorted(word for word in words if word not in _STOP_WORDS))


def normalised_address(text: str) -> str:
    return " ".join(tokens(text))


def _ratio(a: str, b: str, at_least: float = 0.0) -> float:
    """difflib's ratio, skipped (returning ``at_least``) when its cheap upper bounds show it
    cannot beat ``at_least``."""
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() <= at_least or matcher.quick_ratio() <= at_least:
        return at_least
    return max(at_least, matcher.ratio())


def fuzzy_ratio(a: str, b: str) -> float:
    """Similarity of two names or addresses between 0 and 1, insensitive to accents, case,
    punctuation, civilities, abbreviations and word order.

    The score is the best of the plain ratio of the sorted words and a "token set" ratio
    (common words first, then what each side has in addition), so that
    "M. et Mme DUPONT Jean" and "Jean Dupont" score 1.0 — as does a name or an address
    whose words are all contained in the other ("3 allée des Tilleuls" in "3 allée des
    Tilleuls 69003 Lyon") — while "Dupont" and "Durand" do not.
    """
    ta, tb = tokens(a), tokens(b)
    if not ta and not tb:
        return 1.0 if fold_words(a) == fold_words(b) else 0.0
    if not ta or not tb:
        return 0.0
    set_a, set_b = set(ta), set(tb)
    if set_a <= set_b or set_b <= set_a:
        return 1.0
    best = _ratio(" ".join(ta), " ".join(tb))
    common = " ".join(sorted(set_a & set_b))
    if common:
        with_a = f"{common} {' '.join(sorted(set_a - set_b))}"
        with_b = f"{common} {' '.join(sorted(set_b - set_a))}"
        for x, y in ((common, with_a), (common, with_b), (with_a, with_b)):
            best = _ratio(x, y, best)
    return best


def fuzzy_same(a: str, b: str) -> bool:
    """Whether two names or two addresses are the same person or place."""
    return fuzzy_ratio(a, b) >= FUZZY_THRESHOLD
