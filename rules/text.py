"""Normalisation and fuzzy comparison of names and addresses (accents, case, word order)."""
from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

MAX_FUZZY_LENGTH = 300

# Words that carry no identity: civilities, joining words, common abbreviations expanded.
_STOP_WORDS = frozenset({
    "m", "mr", "mme", "mlle", "monsieur", "madame", "mademoiselle", "messieurs", "mesdames",
    "et", "ou", "de", "du", "des", "la", "le", "les", "l", "d", "epoux", "epouse", "ep", "ne", "nee",
})
_ABBREVIATIONS = {
    "av": "avenue", "ave": "avenue", "bd": "boulevard", "bld": "boulevard", "boul": "boulevard",
    "r": "rue", "ch": "chemin", "chem": "chemin", "pl": "place", "imp": "impasse", "all": "allee",
    "rte": "route", "st": "saint", "ste": "sainte", "fg": "faubourg", "sq": "square",
    "lot": "lotissement", "res": "residence", "hab": "habitation", "qu": "quai",
}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation turned into single spaces."""
    # Names and addresses repeat across rules: cache the short ones only (bounded memory).
    return _fold_cached(text) if len(text) <= 500 else _fold(text)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", stripped.lower().replace("œ", "oe").replace("æ", "ae")).strip()


_fold_cached = lru_cache(maxsize=8192)(_fold)


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[str, ...]:
    """The meaningful words of a name or an address, abbreviations expanded, sorted."""
    words = (_ABBREVIATIONS.get(word, word) for word in fold(text[:MAX_FUZZY_LENGTH]).split())
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
    punctuation, civilities and word order.

    The score is the best of the plain ratio of the sorted words and a "token set" ratio
    (common words first, then what each side has in addition), so that
    "M. et Mme DUPONT Jean" and "Jean Dupont" score 1.0 — as does a name or an address
    whose words are all contained in the other ("3 allée des Tilleuls" in "3 allée des
    Tilleuls 69003 Lyon") — while "Dupont" and "Durand" do not.
    """
    ta, tb = tokens(a), tokens(b)
    if not ta and not tb:
        return 1.0 if fold(a) == fold(b) else 0.0
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
