"""Values inside sentences, read with phrase patterns kept as data (``PhrasePattern`` rows).

A pattern is the sentence as documents write it, with ``{valeur}`` where the value stands and
``…`` for a few words that vary: « le montant de la prime s'élève à {valeur} », « la prime
accordée par {valeur} a été déduite », « valable du … au {valeur} ». It is matched on the
page's folded text (case, accents, apostrophes and punctuation ignored, one line running into
the next), and the value is then read from the words under ``{valeur}`` with the field's
data type (an amount, a date written in words, a name cut at the end of its clause).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from cee.text import fold
from ..types import Word
from .layout import Line

VALUE = "{valeur}"
GAP = "…"
# What may stand between two words of a pattern in a document: spaces, apostrophes, punctuation.
_BETWEEN = r"[^a-z0-9×=€%]{0,4}"
_WORD_RE = re.compile(r"[a-z0-9]+|[×=€%]")
# What "…" stands for: a few words within the sentence, the next word starting a word.
# A dot between digits (« 23.08.2021 ») is no sentence end.
_GAP_RE = r"(?:[^.]|(?<=[0-9])\.(?=[0-9])){0,60}?(?<![a-z0-9])"
# Where a name captured before the end of the text stops: the end of its clause.
# Where a value leading its phrase starts at the latest: after a clause's punctuation, or after a
# dash between spaces (« Article 1 – Lumina Énergie SA s'engage à verser… »).
_CLAUSE_END_RE = re.compile(r"[,;:()]|\.(?:\s|$)|\s[–—-]\s")


@dataclass(frozen=True)
class PhraseMatch:
    words: list[Word]  # the words under {valeur}
    page: int
    leading: bool  # the pattern starts with {valeur}: the value is the end of the captured text
    after: str = ""  # the folded text right after the value (its unit: "m2.k/w" is no surface)
    next_line: bool = False  # the value is on another line than the words of the pattern next to it
    open_end: bool = False  # nothing of the pattern follows the value: it runs on for 80 characters
    first_line: list[Word] = field(default_factory=list)  # the value's words up to the end of its first line
    next_cell: bool = False  # the value starts in the cell after the pattern's (another column of its line)


@dataclass
class PageText:
    """A page's words joined into one folded text, with each word's span in it: words of a
    cell by a space, cells by a tab, lines by a new line."""

    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)

    @classmethod
    def of(cls, lines: list[Line]) -> "PageText":
        parts, spans, words, pos = [], [], [], 0
        for line in lines:
            cell_starts = {start for start, _ in line.cells}
            for k, word in enumerate(line.words):
                folded = _fold_word(word.text)
                if parts:
                    parts.append("\n" if k == 0 else "\t" if k in cell_starts else " ")
                    pos += 1
                parts.append(folded)
                spans.append((pos, pos + len(folded)))
                words.append(word)
                pos += len(folded)
        return cls("".join(parts), spans, words)

    def words_in(self, start: int, end: int) -> list[Word]:
        return [w for w, (s, e) in zip(self.words, self.spans) if e > start and s < end]


@lru_cache(maxsize=20_000)
def _fold_word(text: str) -> str:
    return fold(text)


def _literal(piece: str) -> str:
    """A regular expression for a literal piece of a pattern: its words, whatever lies between."""
    words = _WORD_RE.findall(fold(piece))
    return _BETWEEN.join(_LITERALS.get(w, re.escape(w)) for w in words)


# Words a document writes several ways: « × » or « x », « € » or « EUR » / « euros » (« et 931,98 EUR
# de TVA » for « et {valeur} € de tva »)
_LITERALS = {"x": "[x×]", "×": "[x×]", "€": "(?:€|euros?|eur)"}


@dataclass(frozen=True)
class CompiledPattern:
    regex: re.Pattern  # for a leading value: the text after it only
    leading: bool
    open_end: bool
    colon: bool  # "Achèvement des travaux : {valeur}": a label, its value on its own line
    required: str  # the pattern's longest word: a page without it cannot match (checked first)


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> CompiledPattern | None:
    """The regular expression of a phrase pattern; None for a pattern without exactly one
    ``{valeur}`` or without words around it."""
    if pattern.count(VALUE) != 1:
        return None
    before, after = pattern.split(VALUE)
    before_re = _GAP_RE.join(_literal(p) for p in before.split(GAP) if p.strip())
    after_re = _GAP_RE.join(_literal(p) for p in after.split(GAP) if p.strip())
    if not before_re and not after_re:
        return None
    required = max(_WORD_RE.findall(fold(pattern.replace(VALUE, " "))), key=len)
    leading = not before_re
    if leading:
        # searched as the text after the value; the value is taken from the text before it
        regex = rf"{after_re}(?![a-z0-9])"
    elif after_re:
        regex = rf"(?<![a-z0-9]){before_re}{_BETWEEN}((?s:.){{1,80}}?){_BETWEEN}{after_re}(?![a-z0-9])"
    else:  # the value may run onto the next line ("SIRET 901 239 038" / "10068"); a text value stops there
        regex = rf"(?<![a-z0-9]){before_re}{_BETWEEN}((?s:.){{1,80}})"
    return CompiledPattern(re.compile(regex), leading, bool(before_re) and not after_re, before.rstrip().endswith(":"),
                           required)


_SPACE_BEFORE_RE = re.compile(r"[^a-z0-9×=€%]{0,4}$")


def find_phrases(page_text: PageText, page: int, pattern: str) -> list[PhraseMatch]:
    """Every place ``pattern`` matches on a page, with the words under its ``{valeur}``."""
    compiled = compile_pattern(pattern)
    if compiled is None or compiled.required not in page_text.text:
        return []
    text = page_text.text
    found = []
    for m in compiled.regex.finditer(text):
        if compiled.leading:
            # the value is the text just before, from the last clause break
            end = m.start()
            end -= len(_SPACE_BEFORE_RE.search(text, max(0, end - 4), end).group(0))
            start = max(0, end - 80)
            cut = [c.end() for c in _CLAUSE_END_RE.finditer(text, start, end)]
            start = cut[-1] if cut else start
            line_start = text.rfind("\n", start, end)
            if line_start >= 0 and not _name_wrapped(page_text.words_in(start, line_start)):
                start = line_start + 1
            next_line = "\n" in text[end:m.start()]
        else:
            start, end = m.span(1)
            while start < end and text[start] in " \t\n":
                start += 1
            next_line = "\n" in text[max(0, m.start(1) - 4):start]
            next_cell = "\t" in text[max(0, m.start(1) - 4):start]
        if start >= end or (next_line and compiled.colon):
            continue  # under a header row, the next line's first value belongs to the first column
        words = page_text.words_in(start, end)
        line_end = text.find("\n", start, end) if not compiled.leading else -1
        first_line = page_text.words_in(start, line_end) if line_end >= 0 else words
        if words:
            found.append(PhraseMatch(words, page, compiled.leading, text[end:end + 16], next_line, compiled.open_end,
                                     first_line, not compiled.leading and next_cell))
    return found


def _name_wrapped(words: list[Word]) -> bool:
    """Whether the words ending the previous line, after its last clause break, begin the value:
    a name in capitals wrapped by the line end (« …(CEE), HEXAGAZ DISTRIBUTION » / « SAS s'engage »)."""
    return 0 < len(words) <= 4 and all(w.text[:1].isupper() or w.text[:1].isdigit() for w in words)


LEGAL_FORMS = frozenset({"SAS", "SARL", "EURL", "SASU", "SA", "SCOP", "SNC", "SEM", "GIE", "SCIC"})


def clause_words(words: list[Word], leading: bool) -> list[Word]:
    """The words of a text value that belong to its clause: a name stops at a comma, a colon or
    a full stop (« …accordée par HEXAGAZ SAS, partenaire… »), or after its legal form when a
    verb follows (« …, Objectif Prime Énergie SAS s'engage à vous… »)."""
    out: list[Word] = []
    for word in words:
        text = word.text
        if not leading and out and out[-1].text in LEGAL_FORMS and text[:1].islower():
            break
        if text in ("–", "—", "-", "|") and not leading:
            break  # "E-E947545 – Assurance décennale": a dash opens the next mention
        if re.search(r"[,;:]$|\.$", text) and not re.fullmatch(r"(?:[A-Za-z]\.)+", text):
            stripped = text.rstrip(",;:.")
            if stripped:
                out.append(Word(stripped, word.bbox, word.conf))
            if not leading:
                break
            continue
        out.append(word)
    return out


def inside_company_name(words: list[Word], index: int) -> bool:
    """Another field's label in capitals inside a company's name, capitalised words up to its
    legal form (« Objectif Prime Énergie SAS »): part of the name."""
    if not words[index].text[:1].isupper() or not words[index - 1].text[:1].isupper():
        return False
    for word in words[index:index + 4]:
        bare = word.text.rstrip(",;.")
        if bare in LEGAL_FORMS:
            return True
        if not bare[:1].isupper():
            return False
    return False
