"""Find CEE operation codes (``BAR-TH-171``) in text, as printed or as OCR reads them.

A code is ``SECTOR-FAMILY-NNN``: sectors BAR, BAT, IND, AGRI, RES, TRA; families EN, TH, EQ,
SE, UT, BA, CH, EC. Documents and OCR write it ``BAR TH 171``, ``BAR-TH171``, ``bar-th-171``,
``BAR–TH–171``, ``BAR:EN-101``, ``BAR-TH-l71`` or ``BAR-TH-1 71``. To keep false positives out,
the sector and the family must be known ones and the number must contain at least two real
digits; look-alike letters (``l``, ``I``, ``O``, ``S``, ``B``) are read as digits only inside the
three-character number.
"""
from __future__ import annotations

import re

SECTORS = ("AGRI", "BAR", "BAT", "IND", "RES", "TRA")
FAMILIES = ("BA", "CH", "EC", "EN", "EQ", "SE", "TH", "UT")

_SEP = r"[\s\-\u2010-\u2015\u2212_./:;,~=]{0,3}"  # a scan reads a hyphen as « : », « ~ », « = »…
_CODE_RE = re.compile(
    rf"(?<![A-Za-z0-9])({'|'.join(SECTORS)}|8AR|8AT|1ND){_SEP}({'|'.join(FAMILIES)}){_SEP}([0-9OolIi|SBDZ](?: ?[0-9OolIi|SBDZ]){{2}})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_NUMBER_LOOKALIKES = str.maketrans({
    "O": "0", "o": "0", "D": "0", "d": "0", "l": "1", "L": "1", "I": "1", "i": "1", "|": "1",
    "S": "5", "s": "5", "B": "8", "b": "6", "Z": "2", "z": "2",
})
_SECTOR_LOOKALIKES = {"8AR": "BAR", "8AT": "BAT", "1ND": "IND"}


def find_cee_codes(text: str) -> list[str]:
    """The CEE codes in ``text``, canonical (``BAR-TH-171``), unique, in order of first appearance."""
    codes: list[str] = []
    for match in _CODE_RE.finditer(text or ""):
        code = canonical_code(match)
        if code and code not in codes:
            codes.append(code)
    return codes


def find_cee_code_spans(text: str) -> list[tuple[str, int, int]]:
    """Each code occurrence with its offsets in ``text`` (for locating it on the page)."""
    spans = []
    for match in _CODE_RE.finditer(text or ""):
        code = canonical_code(match)
        if code:
            spans.append((code, match.start(), match.end()))
    return spans


def may_hold_cee_code(text: str) -> bool:
    """Whether ``find_cee_code_spans`` may find a code in ``text`` (a quick test before it)."""
    return _CODE_RE.search(text) is not None


def canonical_code(match: re.Match) -> str | None:
    sector = match.group(1).upper()
    sector = _SECTOR_LOOKALIKES.get(sector, sector)
    family = match.group(2).upper()
    number = match.group(3).replace(" ", "")  # a typewriter font's digits a scan reads apart: « BAR-TH-1 12 »
    if sum(ch.isdigit() for ch in number) < 2:
        return None
    return f"{sector}-{family}-{number.translate(_NUMBER_LOOKALIKES)}"
