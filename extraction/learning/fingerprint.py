"""A document's layout fingerprint: pure functions of its pages.

Two documents of one template print the same words (labels, headings, legal mentions) at about
the same places, and different values. The fingerprint keeps the first page's words without
digits, each with a coarse position (a quarter of the width, an eighth of the height): a value
that changes (a name, a street) costs a few features, a different template shares almost none.
"""
from __future__ import annotations

import hashlib
import re

from ..extractors.text import token_texts
from ..types import PageContent

X_CELLS, Y_CELLS = 4, 8
# Similarity from which two documents are taken for one layout. Measured on generated corpora
# (templates whose wording varies): documents of one template 0.19–0.59 (median 0.30), of two
# templates of the same type 0.04–0.33 (90 % under 0.19).
MATCH_THRESHOLD = 0.25
# A spot without anchor (a box on the page) is read only on a layout this close.
BOX_MATCH_THRESHOLD = 0.45
ISSUER_BONUS = 0.15  # the same issuer makes a layout match more likely
# Two issuers print two templates: documents of two installers of one type reach a similarity
# of 0.36-0.38 (letters, 4 installers), documents of one installer's template go down to 0.29 on
# scans. A SIRET read on both pages that differs takes this much off.
ISSUER_PENALTY = 0.15
OCR_DIGIT_SLIPS = 2  # digits a scan may misread in a SIRET that is still the same
_SIRET_RE = re.compile(r"(?i)\bsi(?:ret|ren)\b[^0-9]{0,12}((?:\d[ .\u00a0]?){14})")
_WORD_RE = re.compile(r"^[a-z][a-z']{2,}$")
# A company's own SIRET sits among its legal mentions (« SARL au capital de … – RCS Reims … –
# SIRET … »); a client company's stands alone in the client's block, often above them.
_LEGAL_RE = re.compile(r"(?i)\brcs\b|\bcapital\b|si[eè]ge\s+social|intracom|\bape\b|\bnaf\b")


def layout_features(pages: list[PageContent]) -> list[str]:
    """The template words of the first page with their coarse positions, sorted."""
    if not pages:
        return []
    page = min(pages, key=lambda p: p.number)
    features = set()
    for word in page.words:
        x0, y0, _, y1 = word.bbox
        cell = f"@{min(int(x0 * X_CELLS), X_CELLS - 1)},{min(int((y0 + y1) / 2 * Y_CELLS), Y_CELLS - 1)}"
        for token in token_texts(word.text):
            if _WORD_RE.match(token):
                features.add(token + cell)
    return sorted(features)


def page_shape(pages: list[PageContent]) -> str:
    """``portrait`` or ``landscape`` (the first page's), ``unknown`` without a size."""
    if not pages:
        return "unknown"
    page = min(pages, key=lambda p: p.number)
    if not page.width or not page.height:
        return "unknown"
    return "portrait" if page.height >= page.width else "landscape"


def read_issuer(pages: list[PageContent]) -> str:
    """The issuer's SIRET (or SIREN) printed after its label on the first page, else '': the
    first one printed among legal mentions, else the first one (a quote to a company prints the
    client's SIRET in the client's block, above the issuer's footer)."""
    if not pages:
        return ""
    page = min(pages, key=lambda p: p.number)
    text = page.text or ""
    matches = list(_SIRET_RE.finditer(text))
    if not matches:
        return ""
    legal = [m for m in matches if _LEGAL_RE.search(_line_around(text, m.start(), m.end()))]
    return re.sub(r"\D", "", (legal or matches)[0].group(1))[:14]


def _line_around(text: str, start: int, end: int) -> str:
    """The line of ``text`` holding ``text[start:end]``."""
    stop = text.find("\n", end)
    return text[text.rfind("\n", 0, start) + 1: stop if stop >= 0 else len(text)]


def prints_siret(pages: list[PageContent], siret: str) -> bool:
    """Whether the pages print ``siret`` anywhere: its groups apart, a scan's stray sign between
    two of its digits (« 6795) 7940900039 »)."""
    if len(siret) != 14 or not siret.isdigit():
        return False
    pattern = re.compile(r"(?<!\d)" + r"\D{0,2}".join(siret) + r"(?!\d)")
    return any(pattern.search(page.text or "") for page in pages)


def similarity(features: set[str], other: set[str]) -> float:
    """Jaccard similarity of two feature sets (0 when either is empty)."""
    if not features or not other:
        return 0.0
    return len(features & other) / len(features | other)


def same_issuer(issuer: str, other: str) -> bool | None:
    """True for one SIRET (give or take a digit or two a scan misread), False for two, None when
    either page printed none."""
    if not issuer or not other:
        return None
    if len(issuer) != len(other):
        return False
    return sum(a != b for a, b in zip(issuer, other)) <= OCR_DIGIT_SLIPS


def match_score(features: set[str], issuer: str, candidate_features: set[str], candidate_issuer: str) -> float:
    """Similarity of a document's layout to a learned one, raised when both print the same
    issuer and lowered when they print two: another installer's template shares its type's words
    at their places (« Objet », « Désignation », the totals) but not its own."""
    score = similarity(features, candidate_features)
    issuers = same_issuer(issuer, candidate_issuer)
    if issuers is True:
        score += ISSUER_BONUS
    elif issuers is False:
        score -= ISSUER_PENALTY
    return score


def layout_digest(type_code: str, shape: str, issuer: str, features: list[str]) -> str:
    text = "|".join([type_code, shape, issuer, *features])
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def is_multi_valued(hints: dict | None) -> bool:
    """Whether a field's value is a JSON list of items (products, certificate domains): read by
    its own reader, never at one spot."""
    return bool((hints or {}).get("multiple") or (hints or {}).get("list"))
