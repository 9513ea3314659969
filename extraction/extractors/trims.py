"""Trimming a text value read beside or under its label: what a signing service, a sentence or a
file's name adds around it."""
from __future__ import annotations

import re

from cee.text import fold

from ..types import Word

# Lower-case words that carry on a sentence, never a name's (« la société Pro Martin avec ses clients… »)
# (« SCI Les Tilleuls, représentée par Mme … »: the company, not who acts for it)
_PROSE_WORDS = frozenset({"avec", "qui", "dont", "ses", "est", "sont", "vous", "nous", "implique", "s'engage",
                          "représentée", "représenté", "représentées", "représentés", "agissant"})


def after_e_signature(words: list[Word]) -> list[Word]:
    """The name an electronic signature's box gives, without its « Signé (électroniquement |
    numériquement) par »."""
    folded = [fold(w.text) for w in words[:3]]
    if folded[:1] in (["signe"], ["signee"]):
        k = 2 if folded[1:2] in (["electroniquement"], ["numeriquement"]) else 1
        if folded[k:k + 1] == ["par"] and len(words) > k + 1:
            return words[k + 1:]
    return words


def before_prose(words: list[Word]) -> list[Word]:
    """A text value's words up to the sentence that goes on after it (general terms of sale)."""
    for i, word in enumerate(words[1:], 1):
        if word.text.replace("’", "'") in _PROSE_WORDS:
            return words[:i]
    return words


# « Ouest Morel (SIRET 53534423810096) »: a company's name with its registration in brackets after it
_REGISTRATION_NOTES = frozenset({"siret", "siren", "rcs", "tva", "n°", "no"})


def before_registration(words: list[Word]) -> list[Word]:
    """A text value's words up to a bracket that opens with a registration (« (SIRET … », « (RCS … »)."""
    for i, word in enumerate(words[1:], 1):
        if word.text.startswith("(") and fold(word.text[1:]).rstrip(":") in _REGISTRATION_NOTES:
            return words[:i]
    return words


_FILE_EXTENSION_RE = re.compile(r"\.(?:pdf|docx?|xlsx?|odt|jpe?g|png|tiff?)$", re.IGNORECASE)


def without_file_extension(value: str) -> str:
    """« DV257132.pdf » (a signature certificate's « Document Devis DV257132.pdf »): the number."""
    return _FILE_EXTENSION_RE.sub("", value)
