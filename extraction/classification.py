"""Document type from text, scored with the hints stored on each DocumentType.

Hints format (``DocumentType.classification_hints``; every key optional)::

    {
      "keywords": {"devis": 4, "bon pour accord": 3},      # anywhere in the text
      "title_keywords": {"devis": 10},                        # a short line near the top
      "negative": {"facture n°": 3} | ["facture n°"],          # lowers the score (default 3)
      "min_score": 3                                          # below this the type is not retained
    }

Matching is accent- and case-insensitive and tolerates one OCR typo in words of five letters
or more. A keyword counts fully once, then a quarter for each repeat (at most three). A title
keyword scores when it opens a short line among the first lines of the page: titles decide
between documents that quote each other (an invoice cites its quote, an attestation cites
both). The confidence grows with the margin between the best and the second score:
``1 - exp(-margin / 5)``; nothing above ``min_score`` gives ``autre``.

``classify_pages`` scores each page and gives the cues a splitter needs (a title at the
top, ``Page 1/2``); ``segment_pages`` proposes document boundaries from those cues.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Iterable

from .extractors.text import Vocabulary, match_at, token_texts, token_tuple
from cee.text import fold
from .types import Classification, PageContent

FALLBACK_CODE = "autre"
DEFAULT_MIN_SCORE = 3.0
DEFAULT_NEGATIVE_WEIGHT = 3.0
TITLE_LINES = 14  # a title is among the first lines of a page
TITLE_MAX_TOKENS = 9
CONFIDENCE_SCALE = 5.0
LISTED_WITHIN = 3  # tokens before a document's name where another's name makes it a list of documents
# the words that name the documents of a dossier, for the lists of documents a letter asks for
_DOCUMENT_NAMES = frozenset({"devis", "facture", "factures", "attestation", "attestations"})


@dataclass(frozen=True)
class _Phrase:
    tokens: tuple[str, ...]
    weight: float


@dataclass
class _TypeHints:
    code: str
    keywords: list[_Phrase]
    titles: list[_Phrase]
    negatives: list[_Phrase]
    min_score: float
    # the other documents' names, before which this type's own name is one of a list of documents
    other_names: frozenset[str] = frozenset()


def _phrases(data) -> list[_Phrase]:
    if not data:
        return []
    if isinstance(data, dict):
        items = data.items()
    else:
        items = ((phrase, DEFAULT_NEGATIVE_WEIGHT) for phrase in data)
    phrases = []
    for phrase, weight in items:
        toks = tuple(token_texts(str(phrase)))
        if toks:
            phrases.append(_Phrase(toks, float(weight)))
    return phrases


def _compile(hints_by_code: dict[str, dict]) -> list[_TypeHints]:
    """The types' hints as phrases, kept per hints object: the pipeline passes the same one for
    every document (read once per configuration; hints are not changed in place)."""
    seen = _COMPILED.get(id(hints_by_code))
    if seen is not None and seen[0] is hints_by_code:
        return seen[1]
    compiled = _compile_hints(hints_by_code)
    if len(_COMPILED) >= 64:
        _COMPILED.clear()
    _COMPILED[id(hints_by_code)] = (hints_by_code, compiled)
    return compiled


_COMPILED: dict[int, tuple[dict, list[_TypeHints]]] = {}


def _compile_hints(hints_by_code: dict[str, dict]) -> list[_TypeHints]:
    compiled = []
    for code, hints in hints_by_code.items():
        hints = hints or {}
        titles = _phrases(hints.get("title_keywords"))
        compiled.append(
            _TypeHints(
                code=code,
                keywords=_phrases(hints.get("keywords")),
                titles=titles,
                negatives=_phrases(hints.get("negative")),
                min_score=float(hints.get("min_score", DEFAULT_MIN_SCORE)),
                other_names=_DOCUMENT_NAMES - {phrase.tokens[0] for phrase in titles},
            )
        )
    return compiled


class _TokenIndex:
    """Token positions of a text, for fast tolerant phrase counting."""

    def __init__(self, toks: list[str]):
        self.toks = toks
        self.positions: dict[str, list[int]] = {}
        for i, tok in enumerate(toks):
            self.positions.setdefault(tok, []).append(i)
        self.vocabulary = Vocabulary(self.positions)

    def count(self, phrase: tuple[str, ...], names: frozenset[str] = frozenset()) -> int:
        """How often ``phrase`` is in the text; where it names a document (``names``: the words
        of other documents' names), not where it follows another document's name in a list
        (« transmettez-nous la facture et l'attestation sur l'honneur signée »: a document that
        asks for the others is none of them)."""
        starts: list[int] = []
        for tok in self.vocabulary.starts(phrase):
            starts.extend(self.positions[tok])
        return sum(1 for i in starts if match_at(self.toks, phrase, i) is not None
                   and not (names and names & set(self.toks[max(0, i - LISTED_WITHIN):i])))


def _title_lines(lines: list[str]) -> list[tuple[int, list[str]]]:
    """(line index, tokens) of what may be a title: short lines among the first lines, the run
    of capitals that ends such a line (a title set beside a subtitle or a sender block is read
    on the same line: « Rénovation énergétique FACTURE », « Artisan RGE FACTURE »), and the start
    of a subject line."""
    titles = []
    for i, line in enumerate(lines[:TITLE_LINES]):
        toks = token_texts(_SUBJECT_TAG_RE.sub(r"\1", line))
        if _names_another_document(toks):
            continue  # « Devis d'origine DV256472 » on an invoice: a reference, not its title
        if _scheme_name(toks, token_texts(lines[i + 1]) if i + 1 < len(lines) else []):
            continue  # the « CERTIFICATS D'ÉCONOMIES D'ÉNERGIE » logo of a form, not a certificate's title
        tail = _capitals_tail(line)
        head = _capitals_head(line)
        if len(toks) > TITLE_MAX_TOKENS and head:
            titles.append((i, head))  # « FACTURE N° FA-2024-03298 Émise le 29.03.2024 – … »
        if 0 < len(toks) <= TITLE_MAX_TOKENS:
            titles.append((i, toks))
            rejoined = _rejoined_title(line, toks)
            if rejoined:
                titles.append((i, rejoined))
            if tail and len(tail) < len(toks):
                titles.append((i, tail))
        run = tail or (toks if _capitals(line) else [])
        if _fragments(run):
            # « Magasin Logis Brico Saint-Quentin (n° 0062) FACTU R E »: a title a scan cut in letters
            titles.append((i, ["".join(run)]))
        elif toks and toks[0] == "objet" and len(toks) > TITLE_MAX_TOKENS:
            # a letter names what it is in its subject line, however long the works it lists
            # after (« Objet : Facture n° FA-2024-09358 - isolation de combles… »)
            titles.append((i, toks[:TITLE_MAX_TOKENS]))
    return titles


# an e-mail's subject opens with its sender's tag, « [ELMY Énergies] Engagement de prime », after a
# reply's or a forward's « RE : » / « TR : »: the subject is what follows
_SUBJECT_TAG_RE = re.compile(r"^(\s*(?:(?:objet|subject)\s*:\s*)?)(?:(?:re|tr|fwd?)\s*:\s*)*\[[^\]\n]{1,40}\]\s*",
                             re.IGNORECASE)


SPLIT_TITLE_HEAD = 4  # letters at most of a title's first word cut off by the OCR (« ATT ESTATION »)
SPLIT_TITLE_TAIL = 2  # letters at most of its end cut off (« ATTESTATI ON »)


def _capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _rejoined_title(line: str, toks: list[str]) -> list[str] | None:
    """A title in capitals whose first word a scan cut in two (« ATT ESTATION SUR L'HONNEUR »,
    « FAC TURE N° 12 », « ATTESTATI ON SUR L'HONNEUR », « ATTEST ATION »: its head, its last
    letters or its middle cut),
    its two pieces joined again; None for any other line."""
    if len(toks) < 2 or not _capitals(line):
        return None
    first, second = toks[0], toks[1]
    head_cut = len(first) <= SPLIT_TITLE_HEAD and len(second) >= 3
    tail_cut = len(first) >= 3 and len(second) <= SPLIT_TITLE_TAIL
    middle_cut = len(first) >= 3 and len(second) >= 3  # « ATTEST ATION »: a title phrase must still match it
    if not (first.isalpha() and second.isalpha()) or not (head_cut or tail_cut or middle_cut):
        return None
    return [first + second] + toks[2:]


_OTHER_DOCUMENT = (("d", "origine"), ("de", "reference"), ("associe",), ("lie",), ("initial",))


def _names_another_document(toks: list[str]) -> bool:
    """« Devis d'origine », « Devis de référence », « Devis associé » opening a line: the document this
    one refers to."""
    return len(toks) >= 2 and any(tuple(toks[1:1 + len(q)]) == q for q in _OTHER_DOCUMENT)


def _fragments(toks: list[str]) -> bool:
    """Whether a run of capitals is one word a scan cut in pieces (« FACTU R E », « DE VIS »):
    letters only, a piece of one or two letters after the first, twelve letters at most."""
    return (2 <= len(toks) <= 4 and all(t.isalpha() for t in toks) and any(len(t) <= 2 for t in toks[1:])
            and sum(map(len, toks)) <= 12)


def _scheme_name(toks: list[str], following: list[str]) -> bool:
    """A line opening with the scheme's name, « Certificats d'économies d'énergie », on it or
    carried on the next line (a logo set on two lines, with other words beside it on a scan)."""
    if not toks or toks[0] not in ("certificats", "certificat"):
        return False
    return bool({"economies", "economie"} & set(toks[1:4] + following[:2]))


def _capitals_head(line: str) -> list[str]:
    """Tokens of the words in capitals (numbers and « N° » among them) opening ``line`` before
    words that are not, when a word of three letters or more is among them: a title followed
    on its line by what it says (« FACTURE N° FA-2024-03298 Émise le 29.03.2024 »)."""
    words = line.split()
    end = 0
    while end < len(words) and words[end] == words[end].upper():
        end += 1
    if end == len(words) or not any(sum(c.isalpha() for c in w) >= 3 for w in words[:end]):
        return []
    toks = token_texts(" ".join(words[:end]))
    return toks if len(toks) <= TITLE_MAX_TOKENS else []


def _capitals_tail(line: str) -> list[str]:
    """Tokens of the words in capitals that end ``line`` after words that are not."""
    words = line.split()
    start = len(words)
    while start > 0 and any(c.isalpha() for c in words[start - 1]) and words[start - 1] == words[start - 1].upper():
        start -= 1
    if start == 0 or start == len(words):
        return []
    # an acronym opening the run qualifies the subtitle before it (« Artisan RGE FACTURE »)
    while start < len(words) - 1 and len(words[start]) <= 3:
        start += 1
    return token_texts(" ".join(words[start:]))


def _score(hints: _TypeHints, index: _TokenIndex, titles: list[tuple[int, list[str]]]) -> tuple[float, float, int | None]:
    """(keyword score, title weight, index of the first title line) for one type."""
    score = 0.0
    for phrase in hints.keywords:
        names = hints.other_names if phrase.tokens[0] in _DOCUMENT_NAMES else frozenset()
        n = index.count(phrase.tokens, names)
        if n:
            score += phrase.weight * (1 + 0.25 * min(n - 1, 3))
    title_weight, title_line = 0.0, None
    for phrase in hints.titles:
        starts = index.vocabulary.starts(phrase.tokens)
        for i, line in titles:
            # the title opens the line ("DEVIS N° 2024-12", "Attestation sur l'honneur")
            end = match_at(line, phrase.tokens, 0) if line[0] in starts else None
            if end is None and len(line) > 1 and line[0] in {"objet", "document", "titre"} and line[1] in starts:
                end = match_at(line, phrase.tokens, 1)
            if end is not None and not _addressed(line, end):
                if title_line is None or i < title_line or (i == title_line and phrase.weight > title_weight):
                    title_weight, title_line = phrase.weight, i
                break
    for phrase in hints.negatives:
        if index.count(phrase.tokens):
            score -= phrase.weight
    return score, title_weight, title_line


def _addressed(line: list[str], end: int) -> bool:
    """Whether the title's word is a participle heading a block, « Facturé à », « Adressé à » (its
    accent folded, a scan's lost): the label of the client's address, no document's title."""
    return end < len(line) and line[end] == "a"


def _confidence(best: float, second: float) -> float:
    return round(1 - math.exp(-max(best - max(second, 0.0), 0.0) / CONFIDENCE_SCALE), 4)


def _lines_of(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


def classify_text(text: str, hints_by_code: dict[str, dict]) -> Classification:
    """The document type of ``text`` among ``hints_by_code`` ({code: classification_hints}).

    Returns ``autre`` (``FALLBACK_CODE``) when no type reaches its ``min_score``; ``scores``
    holds every type's raw score. Never raises on odd text (empty, OCR garbage).
    """
    result, _ = _classify(_lines_of(text), _compile(hints_by_code))
    return result


def _classify(lines: list[str], compiled: list[_TypeHints]) -> tuple[Classification, str | None]:
    titles = _title_lines(lines)
    toks = token_tuple("\n".join(lines))
    # a title's word joined again (« ATT ESTATION ») is known to the index, after a break no phrase crosses
    joined = [line[0] for _, line in titles if line[0] not in toks]
    index = _TokenIndex(list(toks) + (["\x00"] + joined if joined else []))
    scores: dict[str, float] = {}
    partial = {}
    for hints in compiled:
        partial[hints.code] = _score(hints, index, titles)
    # a document quotes others ("Devis n° 12" on an invoice): the first title is the real one
    first_line = min((t for _, _, t in partial.values() if t is not None), default=None)
    title_code = None
    for hints in compiled:
        score, title_weight, title_line = partial[hints.code]
        if title_line is not None:
            score += title_weight if title_line == first_line else title_weight * 0.4
            if title_line == first_line and (title_code is None or title_weight > partial[title_code][1]):
                title_code = hints.code
        scores[hints.code] = round(score, 3)
    eligible = {h.code: scores[h.code] for h in compiled if scores[h.code] >= h.min_score and h.code != FALLBACK_CODE}
    ranked = sorted(scores.values(), reverse=True)
    if not eligible:
        best = ranked[0] if ranked else 0.0
        confidence = round(math.exp(-max(best, 0.0) / CONFIDENCE_SCALE) * 0.9, 4)
        return Classification(FALLBACK_CODE, confidence, scores), title_code
    code = max(eligible, key=lambda c: eligible[c])
    others = [s for c, s in scores.items() if c != code]
    return Classification(code, _confidence(scores[code], max(others, default=0.0)), scores), title_code


# ---------------------------------------------------------------------------- pages

# (« Pace 2 sur 2 », « Paqe 1/3 »: a scan's slip in the word)
_PAGE_OF_RE = re.compile(r"\bp[ao][gqc][ec]\s*(?:n°\s*)?:?\s*(\d{1,3})\s*(?:/|sur|of)\s*(\d{1,3})\b")
_PAGE_OF_BARE_RE = re.compile(r"(?m)^\s*(\d{1,3})\s*/\s*(\d{1,3})\s*$")


@dataclass
class PageClassification:
    """What one page looks like on its own, and whether it opens a document."""

    number: int
    classification: Classification
    title_code: str | None = None  # a type whose title opens a line near the top
    page_of: tuple[int, int] | None = None  # "Page 1/2" → (1, 2)
    starts_document: bool = False  # strong cue that this page is a document's first page
    continues_document: bool = False  # strong cue that it is not ("Page 2/3")
    ends_document: bool = False  # its numbering says it is the last page ("Page 2/2", "1/1")
    signature_proof: bool = False  # the page an e-signature service adds to the document it signed


@dataclass
class PageSegment:
    """A run of pages proposed as one document."""

    code: str
    pages: list[int]
    classification: Classification
    page_results: list[PageClassification] = field(default_factory=list)


def page_lines(page: PageContent) -> list[str]:
    """The page's lines, from its text or, if empty, from its words read top to bottom."""
    lines = _lines_of(page.text)
    if lines or not page.words:
        return lines
    from .extractors.layout import build_lines

    return [line.text for line in build_lines(page.words)]


def _page_of(lines: list[str]) -> tuple[int, int] | None:
    for line in lines:
        folded = fold(line)
        m = _PAGE_OF_RE.search(folded) or _PAGE_OF_BARE_RE.search(folded)
        if m:
            current, total = int(m.group(1)), int(m.group(2))
            if 1 <= current <= total <= 500:
                return current, total
    return None


# The page an e-signature service adds to the document it signed (who signed, when, from where):
# part of that document, whatever its title says.
_SIGNATURE_PROOF_RE = re.compile(r"\b(?:certificat de signature|fichier de preuve|dossier de preuve|journal de preuve|"
                                 r"certificate of completion|audit trail|piste d'audit)\b")


def _signature_proof(lines: list[str]) -> bool:
    return any(_SIGNATURE_PROOF_RE.search(fold(line)) for line in lines[:TITLE_LINES])


# « Devis n° DV252276 du 13/05/2025 (suite) », « Conditions (suite et fin) » at the top of a page
_SUITE_RE = re.compile(r"\(\s*suite\b[^)]{0,20}\)")
SUITE_LINES = 4


def _says_continued(lines: list[str]) -> bool:
    """Whether the page's first lines say it carries on the page before (« (suite) » after the
    document's name: a scan that lost the first page's title still holds one document)."""
    return any(_SUITE_RE.search(fold(line)) for line in lines[:SUITE_LINES])


def classify_pages(pages: Iterable[PageContent], hints_by_code: dict[str, dict]) -> list[PageClassification]:
    """Each page classified on its own, with its first-page cues (title at the top, ``Page 1/N``)."""
    compiled = _compile(hints_by_code)
    results = []
    for page in pages:
        lines = page_lines(page)
        classification, title_code = _classify(lines, compiled)
        page_of = _page_of(lines)
        proof = _signature_proof(lines)
        if proof:
            title_code = None  # « Certificat de signature » is no RGE certificate
        starts = bool(title_code) or (page_of is not None and page_of[0] == 1)
        continues = (page_of is not None and page_of[0] > 1) or proof or _says_continued(lines)
        if continues:
            starts = False
        ends = page_of is not None and page_of[0] == page_of[1]
        results.append(PageClassification(page.number, classification, title_code, page_of, starts, continues, ends,
                                          proof))
    return results


def segment_pages(
    pages: list[PageContent], hints_by_code: dict[str, dict], page_results: list[PageClassification] | None = None
) -> list[PageSegment]:
    """Proposed documents in a multi-page file: consecutive pages grouped, each group classified.

    A new document starts at a page that opens with a title or says ``Page 1/N``, or whose
    confident type differs from the current document's without saying it continues it (its own
    ``Page 2/N``, or none after a page numbered ``Page 1/2``, without a title), or
    whose type differs from it after a page numbered as its last (``Page 2/2``: what follows
    is another document, even one whose type is recognised with little margin), or that opens
    with a title after such a page (two invoices in a row, the first « Page 1/1 »).
    """
    if page_results is None:
        page_results = classify_pages(pages, hints_by_code)
    by_number = {p.number: p for p in pages}
    groups: list[list[PageClassification]] = []
    current_code: str | None = None
    previous: PageClassification | None = None
    for result in page_results:
        page_code = result.title_code or result.classification.code
        new = not groups
        continues, starts = result.continues_document, result.starts_document
        if continues and not new and result.page_of is not None and not result.signature_proof \
                and result.page_of[0] > len(groups[-1]) + 1:
            # « 4/4 » on a page after a one-page document: a numbering this run of pages cannot
            # hold (the scan's own, or a form's page in its model), no sign it goes on
            continues, starts = False, bool(result.title_code)
        if not new and not continues and not result.title_code and result.page_of is None \
                and previous.page_of is not None and previous.page_of[0] < previous.page_of[1]:
            continues = True  # after « Page 1 sur 2 », a page without a title or numbering of its own
        if not new and not continues:
            if starts and (result.title_code != current_code or (result.page_of and result.page_of[0] == 1)
                           or previous.ends_document):
                new = True
            elif (
                result.classification.code not in (FALLBACK_CODE, current_code)
                and result.classification.confidence >= 0.8
                and not result.title_code == current_code
            ):
                new = True
            elif previous is not None and previous.ends_document and result.classification.code not in (FALLBACK_CODE, current_code):
                new = True
        if new:
            groups.append([result])
            current_code = page_code
        else:
            groups[-1].append(result)
            if current_code == FALLBACK_CODE:
                current_code = page_code
        previous = result
    compiled = _compile(hints_by_code)
    segments = []
    for group in groups:
        lines: list[str] = []
        for result in group:
            lines.extend(page_lines(by_number[result.number]))
        classification, _ = _classify(lines, compiled)
        segments.append(PageSegment(classification.code, [r.number for r in group], classification, group))
    return segments
