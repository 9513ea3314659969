"""The brand lexicon as the product reader looks it up: brands by the first token of each of their
forms, and the lexicon's first tokens an OCR'd word may stand for (one letter dropped, added or
misread, or letters a scan reads for one another: « Rockwoo », « Ciipsot » for Clipsol)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .text import similar, token_texts

OCR_MIN_LENGTH = 6  # a brand's first token OCR may have misspelled (as ``similar`` takes it)


@dataclass(frozen=True)
class Brand:
    name: str
    forms: tuple[tuple[str, ...], ...]  # folded token sequences: the name and its aliases


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


@lru_cache(maxsize=64)
def _deletions(brands: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, tuple[str, ...]]:
    """The lexicon's long first tokens (``OCR_MIN_LENGTH`` letters or more) by each of their
    one-letter deletions: an OCR'd token one slip away from one of them shares a key with it."""
    by_first, _ = compile_lexicon(brands)
    keys: dict[str, set[str]] = {}
    for first in by_first:
        if len(first) >= OCR_MIN_LENGTH:
            for variant in {first[:k] + first[k + 1:] for k in range(len(first))}:
                keys.setdefault(variant, set()).add(first)
    return {variant: tuple(sorted(firsts)) for variant, firsts in keys.items()}


# Words a designation prints for what the product is: spelt right by OCR, they are those words,
# not a brand one letter away (« Panneau fibre de bois » is no « Janneau »).
DESIGNATION_NOUNS = frozenset({"panneau", "panneaux", "rouleau", "rouleaux", "isolant", "isolants", "ballon", "pompe",
                               "chaudiere", "poele", "insert", "laine", "plaque", "plaques", "membrane", "fenetre",
                               "fenetres", "radiateur", "thermostat", "sonde", "module", "granules", "vitrage",
                               "chauffe", "ventilation", "regulation", "conduit", "raccord", "support", "pare",
                               "vapeur", "soufflage", "flocons", "ouate", "cellulose", "plancher", "isolation"})


def ocr_first_tokens(token: str, brands) -> tuple[str, ...]:
    """First tokens of the lexicon an OCR'd ``token`` may stand for, one letter dropped, added or
    misread (« rockwoo » of « Rockwoo!l »); none for a word designations print (« panneau »)."""
    if len(token) < OCR_MIN_LENGTH - 1 or token.isdigit() or token in DESIGNATION_NOUNS:
        return ()
    deletions = _deletions(brands)
    by_first, _ = compile_lexicon(brands)
    found = set(deletions.get(token, ()))
    for variant in {token[:k] + token[k + 1:] for k in range(len(token))}:
        if variant in by_first:
            found.add(variant)
        found.update(deletions.get(variant, ()))
    found = {first for first in found if first != token and similar(token, first)}
    if not found:
        # letters a scan reads for one another counted as one (« Ciipsot » for « Clipsol »: i and t
        # for l), one slip left
        alike = _look_alike(token)
        neighbours = _alike_firsts(brands)
        near = set(neighbours.get(alike, ()))
        for variant in {alike[:k] + alike[k + 1:] for k in range(len(alike))}:
            near.update(neighbours.get(variant, ()))
        found = {first for first in near if similar(alike, _look_alike(first))}
    return tuple(sorted(found))


_LOOK_ALIKE = str.maketrans({"i": "l", "1": "l", "!": "l", "|": "l", "j": "l", "t": "l", "0": "o"})


def _look_alike(token: str) -> str:
    return token.translate(_LOOK_ALIKE)


@lru_cache(maxsize=64)
def _alike_firsts(brands: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, tuple[str, ...]]:
    """The lexicon's long first tokens by their look-alike key and each of its one-letter deletions
    (as ``_deletions``)."""
    by_first, _ = compile_lexicon(brands)
    keys: dict[str, set[str]] = {}
    for first in by_first:
        if len(first) >= OCR_MIN_LENGTH:
            key = _look_alike(first)
            for variant in {key} | {key[:k] + key[k + 1:] for k in range(len(key))}:
                keys.setdefault(variant, set()).add(first)
    return {variant: tuple(sorted(firsts)) for variant, firsts in keys.items()}
