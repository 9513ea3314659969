"""Tokens and tolerant phrase matching shared by the classifier and the field extractor.

Text is compared in a folded form (lower case, no accents, ``n°`` read as ``no``) token by
token, and a token of five letters or more may differ by one edit from the expected word
(two edits from nine letters): OCR engines drop accents, merge or mistype letters, and
documents write the same label in capitals, with or without accents.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..normalise import fold

_TOKEN_RE = re.compile(r"[a-z0-9]+")
# "N°", "Nº", "N o", "n°" all mean "numéro"; fold() already turned º into o.
_NUMERO_RE = re.compile(r"\bn\s?[°o]\b|\bn°|\bno\.")


@dataclass(frozen=True)
class Token:
    text: str  # folded
    start: int  # offsets in the folded string the token came from
    end: int


_ABBREVIATION_RE = re.compile(r"\b(?:[a-z]\.){1,3}[a-z]\b\.?")


def fold_for_match(text: str) -> str:
    folded = fold(text)
    folded = folded.replace("n°", "no ").replace("nº", "no ").replace("n °", "no ")
    # "T.T.C." / "H.T." / "T.V.A." are the words ttc / ht / tva
    folded = _ABBREVIATION_RE.sub(lambda m: m.group(0).replace(".", ""), folded)
    return folded


def tokens(text: str) -> list[Token]:
    """The folded alphanumeric tokens of ``text``; ``n°`` becomes ``no``."""
    folded = fold_for_match(text)
    return [Token(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(folded)]


def token_texts(text: str) -> list[str]:
    return [t.text for t in tokens(text)]


@lru_cache(maxsize=200_000)
def similar(word: str, expected: str) -> bool:
    """Whether an OCR'd token ``word`` may stand for ``expected`` (both folded)."""
    if word == expected:
        return True
    if expected.isdigit() or word.isdigit():
        return False
    n = len(expected)
    if n < 5:
        return False
    allowed = 2 if n >= 9 else 1
    if abs(len(word) - n) > allowed:
        return False
    return _bounded_edit_distance(word, expected, allowed) <= allowed


def _bounded_edit_distance(a: str, b: str, bound: int) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        best = current[0]
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            best = min(best, current[j])
        if best > bound:
            return bound + 1
        previous = current
    return previous[-1]


def find_phrase(haystack: list[str], phrase: list[str], start: int = 0) -> list[int]:
    """Positions in ``haystack`` (folded tokens) where ``phrase`` (folded tokens) begins.

    A phrase also matches when OCR glued two of its words (``datede`` for ``date de``).
    """
    if not phrase:
        return []
    return [i for i in range(start, len(haystack)) if match_at(haystack, phrase, i) is not None]


def match_at(haystack: list[str], phrase: list[str], i: int) -> int | None:
    """The index just after ``phrase`` if it matches ``haystack`` at ``i``, else None."""
    j = 0
    k = i
    while j < len(phrase):
        if k >= len(haystack):
            return None
        word = haystack[k]
        if similar(word, phrase[j]):
            j += 1
            k += 1
            continue
        # two phrase words glued into one token by OCR or by the PDF ("datede", "n°facture")
        if j + 1 < len(phrase) and similar(word, phrase[j] + phrase[j + 1]):
            j += 2
            k += 1
            continue
        return None
    return k
