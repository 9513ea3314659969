"""The values a learned layout prints on every document: pure functions.

The installer's own name, SIRET and RGE number, an obligé's name on its cadre letters are
printed the same on every document of their template. Where each spot of a field on a layout
kept the one value its verdicts taught, a value taught on two documents or more is a constant
of the layout (``constants_of``; a cadre template two obligés share has two); the next document of the layout reads it whatever a scan did to its
letters: a reading one or two letters away (« HABITATSUP », « Expert Perin »), a SIRET a digit
away (« 35475305900086 »), or a longer line holding it (« Département CEE — Cofidis Énergie
Partenaires ») is the constant (``as_constant``), and a field the extractor missed is the
constant where the page prints it (``find_constant``).
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from cee.text import fold

from ..extractors.layout import Line
from ..types import FieldValue

CONSTANT_TYPES = ("string", "siret")
MIN_DOCUMENTS = 2  # one document cannot tell the issuer's name from the recipient's
# How close an OCR reading must be to the constant: « habtatnoeor » / « habitatnord » 0.82,
# « expert perin » / « expert perrin » 0.96; two companies' names « isolation martin » /
# « isolation martel » 0.875 are told apart by their layouts (another issuer, other words)
# before they ever get here.
MIN_RATIO = 0.8
MIN_FUZZY_LETTERS = 6  # a shorter name is too easily another word one letter away
MIN_PART_LETTERS = 4  # a part of a name shorter than this (« SA », « et ») is too common a word
MAX_SIRET_DIGITS = 2  # digits a scan may misread in a SIRET printed on every document

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def _key(text: str) -> str:
    return _NOT_ALNUM.sub(" ", fold(text)).strip()


def constant_differs(kept: str | None, taught: str) -> bool:
    """Whether a verdict taught another value than the constant a spot kept."""
    return bool(kept) and bool(taught) and _key(kept) != _key(taught)


def constants_of(spots: list[dict]) -> list[tuple[str, int]]:
    """The field's constants on the layout, most taught first: (value, how many verdicts taught
    it) for each value taught on ``MIN_DOCUMENTS`` documents or more, where every spot of the
    field kept the one value its verdicts taught (a cadre template two obligés share holds each
    one's name after its own heading). None where a spot's verdicts taught two values: the field
    changes from one document to the next there."""
    present = [spot for spot in spots if not spot["absent"]]
    if not present or any(not spot.get("constant") for spot in present):
        return []
    taught: dict[str, list] = {}
    for spot in present:
        entry = taught.setdefault(_key(spot["constant"]), [spot["constant"], 0])
        entry[1] += spot["count"]
    return sorted(((value, count) for value, count in taught.values() if count >= MIN_DOCUMENTS),
                  key=lambda item: -item[1])


def _in_words(run: str, words: list[str]) -> bool:
    """Whether ``run`` (folded words) is a run of whole ``words``."""
    return f" {run} " in f" {' '.join(words)} "


def _siret_distance(read: str, constant: str) -> int | None:
    digits = re.sub(r"\D", "", read)
    if len(digits) != len(constant):
        return None
    return sum(a != b for a, b in zip(digits, constant))


def _windows(words: list[str], size: int):
    for width in {max(1, size - 1), size, size + 1}:
        for start in range(0, max(1, len(words) - width + 1)):
            yield " ".join(words[start:start + width])


def holds(text: str, data_type: str, constant: str, *, fuzzy: bool) -> bool:
    """Whether ``text`` is the constant, or holds it: word for word, or (``fuzzy``, a text OCR
    read) one or two letters away, a SIRET ``MAX_SIRET_DIGITS`` digits away."""
    if data_type == "siret":
        distance = _siret_distance(text, constant)
        return distance is not None and distance <= (MAX_SIRET_DIGITS if fuzzy else 0)
    words, wanted = _key(text).split(), _key(constant)
    if not words or not wanted:
        return False
    if _in_words(wanted, words):
        return True
    if not fuzzy or len(wanted) < MIN_FUZZY_LETTERS:
        return False
    size, wanted = len(wanted.split()), _look_alike(wanted)
    return any(SequenceMatcher(None, _look_alike(window), wanted).ratio() >= MIN_RATIO for window in _windows(words, size))


# Letters a scan reads as the digits they look like: « Iso' Ouest » read « 150' Ouest » or « 10' Ouest »
_LOOK_ALIKES = str.maketrans({"0": "o", "1": "i", "l": "i", "5": "s", "8": "b"})


def _look_alike(text: str) -> str:
    """A folded text with the characters a scan confuses made one."""
    return text.translate(_LOOK_ALIKES)


def as_constant(found: FieldValue, data_type: str, constants: list[tuple[str, int]], *, fuzzy: bool) -> str | None:
    """The layout's constant the value the document read for the field is, as the scan or the
    line around it left it (word for word first); None when it is none of them, or is one as is."""
    if any(found.value == constant for constant, _ in constants):
        return None
    for allowed in (False, True) if fuzzy else (False,):
        for constant, _ in constants:
            if holds(found.value, data_type, constant, fuzzy=allowed):
                return constant
    return None


def part_of(found: FieldValue, constants: list[tuple[str, int]]) -> str | None:
    """The constant whose words hold all the words of the value read, in a run (« PERRIN » of
    « ÉNERGIES PERRIN », where a scan lost the first word): only on a document that prints the
    layout's issuer SIRET, where it is that company's name cut short."""
    read = _key(found.value)
    if len(read.replace(" ", "")) < MIN_PART_LETTERS:
        return None
    for constant, _ in constants:
        words = _key(constant).split()
        if len(words) > len(read.split()) and _in_words(read, words):
            return constant
    return None


def find_constant(lines_by_page: dict[int, list[Line]], data_type: str, constants: list[tuple[str, int]],
                  fuzzy_pages: set[int]) -> tuple[str, int, Line] | None:
    """The first constant (most taught first) a line of the pages holds, fuzzily on the pages OCR
    read (``fuzzy_pages``): (the constant, its page number, the line)."""
    for constant, _ in constants:
        hit = _line_holding(lines_by_page, data_type, constant, fuzzy_pages)
        if hit is not None:
            return (constant, *hit)
    return None


def _line_holding(lines_by_page: dict[int, list[Line]], data_type: str, constant: str,
                  fuzzy_pages: set[int]) -> tuple[int, Line] | None:
    for number in sorted(lines_by_page):
        fuzzy = number in fuzzy_pages
        for line in lines_by_page[number]:
            if data_type == "siret":
                if _siret_in_line(line.text, constant, 1 if fuzzy else 0):
                    return number, line
            elif holds(line.text, data_type, constant, fuzzy=fuzzy):
                return number, line
    return None


def _siret_in_line(text: str, constant: str, misread: int) -> bool:
    """A run of 14 digits (spaces between groups allowed, and a scan's stray sign: « 6795) 7940900039 »)
    ``misread`` digits or fewer away from the constant."""
    for match in re.finditer(r"\d[\d ).,;:|'(]{12,22}\d", text):
        distance = _siret_distance(match.group(0), constant)
        if distance is not None and distance <= misread:
            return True
    return False
