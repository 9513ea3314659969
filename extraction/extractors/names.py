"""A person's name a form prints in two fields: « Nom : DUPONT » beside or above « Prénom :
Jean » (the regulatory attestation), or a « Nom » row over a « Prénom(s) » row of a table whose
columns are the declarants (the tax office's pages). Read as one value, given name first.

Hint (``FieldSchema.extraction_hints``) that calls it::

    split_name  {"surname": ["nom", "nom de naissance"], "given": ["prénom", "prénom(s)"],
                 "weight": 1.15}: the labels of the two fields and the candidate's score

A label counts where it opens a cell and is all of its words before the value or a colon
(« Nom du signataire » is no surname label); its value is the rest of its cell, else the next
cell of its line (the first column of a table). The surname's label stands left of the given
name's on its line, or in the same column on a line just above or below.
"""
from __future__ import annotations

import re

from cee.text import fold

from ..types import FieldSpec, FieldValue, Word
from .candidates import Candidate, _candidate, _values_in
from .field_hints import _Hints
from .labels import DocumentLayout
from .layout import Line
from .text import phrase_set, similar, token_texts

NO_STOPS = phrase_set(())
NEAR_LINES = 2  # how far above or below the surname's label may stand
SAME_COLUMN = 0.03  # of the page width, between the two labels' left edges
BELOW_GAP = 2.0  # line heights between a column's label and the value under it (a form's row: 1.5 and more)


def _labelled_values(line: Line, labels: list[list[str]], below: Line | None = None,
                     others: list[list[str]] = ()) -> list[tuple[float, list[Word]]]:
    """(left edge of the label, value words) of each cell of ``line`` one of ``labels`` opens:
    the rest of its cell, else the next cell unless another label (``others``) opens it, else the
    cell of the line ``below`` that starts under the label (« Nom | Prénom(s) » over « LEFÈVRE |
    Honoré »)."""
    found = []
    tokens = line.tokens
    for start, end in line.cells:
        cell_tokens = [t for t in tokens if start <= t.word < end]
        texts = [t.text for t in cell_tokens]
        for label in labels:
            if not _opens_with(texts, label):
                continue
            last_word = cell_tokens[len(label) - 1].word
            if len(texts) > len(label) and cell_tokens[len(label)].word == last_word:
                continue  # the label's last word goes on (« Nomenclature »)
            rest = line.words[last_word + 1:end]
            if rest and rest[0].text not in (":", "-") and not line.words[last_word].text.endswith(":"):
                if len(texts) > len(label):
                    continue  # « Nom du signataire », « Nom de l'entreprise »: another label
            value = [w for w in rest if w.text not in (":", "-") and not _leader(w.text)]
            after = end
            while not value and after < len(line.words):
                following = [cell for cell in line.cells if cell[0] == after]
                if not following or _opens_label(line, following[0], [*labels, *others]):
                    break
                value = [w for w in line.words[following[0][0]:following[0][1]] if not _leader(w.text)]
                after = following[0][1]  # a scan's speck of the dotted leader (« . »): the value is further on
            if not value and below is not None:
                x0 = line.words[start].bbox[0]
                under = [cell for cell in below.cells if abs(below.words[cell[0]].bbox[0] - x0) <= SAME_COLUMN]
                if under and below.top - line.bottom < BELOW_GAP * line.height:
                    value = below.words[under[0][0]:under[0][1]]
            if value:
                found.append((line.words[start].bbox[0], [_off_leader(w) for w in value]))
            break
    return found


_LEADER_MARKS = ".…_·-–"


def _leader(text: str) -> bool:
    """A word of a dotted leader only (« …… », « . », « ___ »)."""
    return bool(text) and all(ch in _LEADER_MARKS for ch in text)


def _off_leader(word: Word) -> Word:
    """``word`` without the leader's dots a scan read onto it (« -Claire. » → « Claire »)."""
    text = word.text.strip(_LEADER_MARKS)
    return word if text == word.text or not text else Word(text, word.bbox, word.conf)


def _opens_with(texts: list[str], label: list[str]) -> bool:
    """Whether the tokens ``texts`` open with ``label``, a word a scan misread by a letter
    standing for a long one (« Prénon : Dominique »)."""
    return len(texts) >= len(label) and all(similar(t, expected) for t, expected in zip(texts, label))


def _opens_label(line: Line, cell: tuple[int, int], labels: list[list[str]]) -> bool:
    texts = [t.text for t in line.tokens if cell[0] <= t.word < cell[1]]
    return any(_opens_with(texts, label) for label in labels)


def _split_names(layout: DocumentLayout, surname: list[list[str]], given: list[list[str]]) -> list[tuple[int, list[Word], list[Word]]]:
    """(page, given name's words, surname's words) of each pair of fields, top to bottom."""
    pairs = []
    # with the words a scan misread by a letter (« Prénon »)
    first_tokens = {t for label in given for t in layout.vocabulary.matches(label[0])}
    surname_tokens = {t for label in surname for t in layout.vocabulary.matches(label[0])}
    for page in layout.pages:
        lines = layout.lines[page.number]
        for index in [i for i, line in enumerate(lines) if line.token_set & first_tokens]:
            below = lines[index + 1] if index + 1 < len(lines) else None
            for x, first in _labelled_values(lines[index], given, below, surname):
                best = None
                for other in range(max(0, index - NEAR_LINES), min(len(lines), index + NEAR_LINES + 1)):
                    if not lines[other].token_set & surname_tokens:
                        continue
                    under = lines[other + 1] if other + 1 < len(lines) else None
                    for sx, last in _labelled_values(lines[other], surname, under, given):
                        beside = other == index and sx < x
                        column = other != index and abs(sx - x) <= SAME_COLUMN
                        distance = abs(other - index)
                        if (beside or column) and (best is None or distance < best[0]):
                            best = (distance, last)
                if best is not None:
                    pairs.append((page.number, first, best[1]))
    return pairs


def split_name_candidates(spec: FieldSpec, hints: _Hints, layout: DocumentLayout) -> list[Candidate]:
    """« Prénom Nom » of each pair of name fields, the first one of the document scored highest."""
    rule = hints.split_name or {}
    surname = [token_texts(t) for t in rule.get("surname", ["nom"]) if token_texts(t)]
    given = [token_texts(t) for t in rule.get("given", ["prénom"]) if token_texts(t)]
    key = ("split_names", tuple(map(tuple, surname)), tuple(map(tuple, given)))
    if key not in layout.zones:
        layout.zones[key] = _split_names(layout, surname, given)
    out = []
    weight = float(rule.get("weight", 1.0))
    for k, (page, first, last) in enumerate(layout.zones[key]):
        for fv, value_words in _values_in(spec.data_type, first + last, hints, NO_STOPS)[:1]:
            out.append(_candidate(fv, value_words, weight * (1.0 if k == 0 else 0.8), page, "split_name"))
    return out


_COUPLE_CIVILITY_RE = re.compile(r"^(?:m\.?|mr\.?|monsieur)\s+(?:et|&)\s+(?:mme\.?|madame)\s+", re.IGNORECASE)
_SPECK_BEFORE_CIVILITY_RE = re.compile(r"^\S\s+(?=(?:m\.|mr\.?|mme\.?|monsieur|madame)\s)", re.IGNORECASE)
_AND_RE = re.compile(r"\s+(?:et|&)\s+", re.IGNORECASE)


def _is_surname(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


_CIVILITIES = {"monsieur": "Monsieur", "madame": "Madame", "mademoiselle": "Mademoiselle", "mme": "Mme",
               "mlle": "Mlle", "m": "M.", "mr": "M."}


def civilities_read_right(value: str) -> str:
    """The civilities opening a name as they are printed, where a scan misread them: « rn » for
    « m » (« Monsieur et Madarne Théophile Martins »), a letter off in a long one (« Monsieyr »),
    « M et » run into one word (« Met Mme GUICHARD Bernadette »)."""
    words = value.split()
    out = []
    for k, word in enumerate(words[:4]):
        folded = fold(word).rstrip(".").replace("rn", "m")
        following = fold(words[k + 1]).rstrip(".").replace("rn", "m") if k + 1 < len(words) else ""
        canonical = _CIVILITIES.get(folded) or next(
            (c for f, c in _CIVILITIES.items() if len(f) >= 6 and similar(folded, f)), None)
        if canonical is not None:
            out.append(word if folded in _CIVILITIES and fold(word).rstrip(".") == folded else canonical)
        elif folded in ("et", "&"):
            out.append(word)
        elif folded == "met" and following in _CIVILITIES:
            out.append("M. et")
        else:
            break
    if not out or len(out) == len(words):
        return value
    return " ".join(out + words[len(out):])


def first_person(value: str) -> str:
    """The first person a couple's name gives (« M. et Mme TESSIER Marguerite et Anne-Laure » →
    « TESSIER Marguerite », « Stéphane et Sophie BERTIN » → « Stéphane BERTIN », « Paul DURAND et
    Sophie MARTIN » → « Paul DURAND »); one person's name as it is."""
    value = civilities_read_right(_SPECK_BEFORE_CIVILITY_RE.sub("", value.strip()))  # « Ë M. et Mme BONNIN Renée »: a scan's speck
    text = _COUPLE_CIVILITY_RE.sub("", value)
    parts = _AND_RE.split(text, maxsplit=1)
    if len(parts) != 2 or not parts[0] or not parts[1]:
        return value  # one person (« M. et Mme LEROY Bernard » names the household by one person: kept)
    first, second = parts[0].split(), parts[1].split()
    if any(_is_surname(w) for w in first):
        return " ".join(first)  # « TESSIER Marguerite et Anne-Laure », « Paul DURAND et Sophie MARTIN »
    surnames = [w for w in second if _is_surname(w)]
    if surnames:
        return " ".join(first + surnames)  # « Stéphane et Sophie BERTIN »
    return value


def one_person(value: FieldValue) -> FieldValue:
    """``value`` naming the first person of a couple (hint ``one_person``)."""
    name = first_person(value.value)
    return value if name == value.value else FieldValue(name, value.raw, value.confidence, value.page, value.bbox)
