"""What a valid value of each data type looks like inside a run of words.

``find_values(data_type, words, ...)`` returns the typed values found in the words, in
reading order, each with the range of words it covers, so the caller knows the value's box.
Every value goes through ``normalise`` (the single place that reads French formats).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..normalise import find_dates, format_decimal, normalise, parse_decimal
from ..operation_codes import find_cee_code_spans
from ..types import Word

# A number as documents print it: 12 450,00 / 12.450,00 / 12,450.00 / 1 234.5 / 450 / -1 500,00
# (« 3:998,45 »: a scan reads the thousands' space as a colon, before three digits and the cents)
_NUMBER_RE = re.compile(
    r"(?<![\w.,])[-−]?\s?(?:\d{1,3}[:;]\d{3}[.,]\d{2}|\d{1,3}(?:[ \u00a0\u202f\u2009.,]\d{3})+(?:[.,]\d{1,3})?"
    r"|\d+(?:[.,]\d{1,3})?)(?![\w]|[.,]\d)"
)
# 14 digits, in groups of any size separated by one space, dot or dash ("123 456 789 000 12")
# (a scan may set a full stop before a group's space: « SIRET 696 370 188. 10082 »)
_SIRET_RE = re.compile(r"(?<![\d])(\d(?:[ \u00a0.\-]?\d|\. \d){13})(?![\d])")
_POSTAL_RE = re.compile(r"(?<![\w])(\d{2}[ \u00a0]?\d{3})(?![\w]|[,.]\d)")
_BOOLEAN_RE = re.compile(r"(?i)(?<!\w)(oui|non|x|☒|☑|✓|✔|☐|□|coch[ée]e?|sign[ée]e?)(?!\w)")
_CURRENCY_AFTER_RE = re.compile(r"^\s?(€|eur\b|euros?\b)", re.IGNORECASE)
_CURRENCY_BEFORE_RE = re.compile(r"(?:€|\beur|\beuros?)\s?$", re.IGNORECASE)  # « EUR 4 366,97 », « € 1 234,56 »
# Nine digits or more in one run, without a group separator or decimals: an identifier (SIREN,
# SIRET, a telephone or account number), never an amount (« SIRET : 99999999800010 » after « TVA »).
_IDENTIFIER_RE = re.compile(r"[-−]?\d{9,}")
# What joins the two dates of a period: « du 07/04/2023 au 06/04/2024 », « 01/01/2024 - 31/12/2024 ».
_PERIOD_JOIN_RE = re.compile(r"^\W*(?:au|a|à|jusqu'au|jusqu’au|jusqu au|-|–|—)\W*$", re.IGNORECASE)
_PERCENT_AFTER_RE = re.compile(r"^\s?%")


@dataclass
class FoundValue:
    value: str  # normalised
    raw: str
    start: int  # word range [start, end) in the words searched
    end: int
    currency: bool = False
    percent: bool = False
    after: str = ""  # a few characters following the value (its unit)


def join_words(words: list[Word]) -> tuple[str, list[tuple[int, int]]]:
    """The words joined by single spaces and each word's (start, end) offsets in that text."""
    parts, spans, pos = [], [], 0
    for w in words:
        parts.append(w.text)
        spans.append((pos, pos + len(w.text)))
        pos += len(w.text) + 1
    return " ".join(parts), spans


# One character a box of a comb field (« 1 3 / 0 2 / 2 0 2 4 », « 4 6 0 0 0 »): a digit, or the
# separator printed between two boxes.
_COMB_CHAR_RE = re.compile(r"[0-9/.\-]")
COMB_MIN_DIGITS = 4  # fewer single digits in a row are numbers of their own (« 1 / 2 », « 2 x 3 »)
# The boxes' sides as OCR reads them, alone or glued to the digits they frame (« | 4 | 6 | », « 4|6|0 »).
_BORDERED_RE = re.compile(r"[0-9/.\-|\[\]]*[|\[\]][0-9/.\-|\[\]]*")
_BORDER_RE = re.compile(r"[|\[\]]")


# A date typed in boxes whose shared sides OCR read as characters: « [1]9]/[013]/[2T01214] » is
# 19/03/2024, each side (« ] », « 1 », « T »…) between two digits (two boxes: three characters, four: seven).
_BOXED_DATE_RE = re.compile(r"^[\[|(]?([^/]{3})[\]|)]?/[\[|(]?([^/]{3})[\]|)]?/[\[|(]?([^/]{7})[\]|)]?$")
_SIDE_CHARS = frozenset("|[]()1Il!Tt")
_DIGIT_SLIPS = str.maketrans({"I": "1", "l": "1", "O": "0", "o": "0"})


def _boxed_date(text: str) -> str | None:
    """« dd/mm/yyyy » of a date OCR read with the sides of its boxes between the digits, else None."""
    m = _BOXED_DATE_RE.match(text)
    if not m:
        return None
    parts = []
    for group in m.groups():
        digits = group[0::2].translate(_DIGIT_SLIPS)
        if not digits.isdigit() or not all(ch in _SIDE_CHARS for ch in group[1::2]):
            return None
        parts.append(digits)
    return "/".join(parts)


def _without_borders(text: str) -> str:
    """A word of digits and boxes' sides without the sides; any other word as it is."""
    if _BORDERED_RE.fullmatch(text):
        stripped = _BORDER_RE.sub("", text)
        if not re.fullmatch(r"[^/]*/[^/]*/\d{5,}", stripped):
            return stripped
    return _boxed_date(text) or text


def join_comb_words(words: list[Word]) -> tuple[str, list[tuple[int, int]]]:
    """As ``join_words``, with the characters a form's comb field spreads one per box joined
    back: a run of one-character words, digits and the separators between them (the boxes'
    sides OCR reads as « | » or « [ » left out), holding at least ``COMB_MIN_DIGITS`` digits, is
    one value (« 13/02/2024 », « 46000 »)."""
    texts = [_without_borders(w.text) for w in words]
    comb = [not t or (len(t) == 1 and bool(_COMB_CHAR_RE.fullmatch(t))) for t in texts]
    glued = [False] * len(words)  # word i follows word i-1 with no space
    i = 0
    while i < len(words):
        if not comb[i]:
            i += 1
            continue
        j = i
        while j < len(words) and comb[j]:
            j += 1
        if sum(texts[k].isdigit() for k in range(i, j)) >= COMB_MIN_DIGITS:
            for k in range(i + 1, j):
                glued[k] = True
        else:  # no comb field: a side of a box alone stays what it was
            for k in range(i, j):
                texts[k] = texts[k] or words[k].text
        i = j
    for k in range(1, len(words)):
        if not glued[k] and _date_split(words[k - 1], words[k], texts[k - 1], texts[k]):
            glued[k] = True
    parts, spans, pos = [], [], 0
    for k, text in enumerate(texts):
        if k and not glued[k]:
            parts.append(" ")
            pos += 1
        parts.append(text)
        spans.append((pos, pos + len(text)))
        pos += len(text)
    return "".join(parts), spans


_DATE_WORD_RE = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})")
DATE_SPLIT_GAP = 0.4  # (of a character's width) the gap OCR left inside a date: less than a space


def _date_split(before: Word, after: Word, first: str, second: str) -> bool:
    """Whether OCR cut one date in two words a sliver apart (« 2 8/10/2025 », « 13/0 9/2025 »):
    neither is a date, the two glued are one. Only OCR's words (a text layer's characters are
    the document's)."""
    if before.conf >= 1.0 or after.conf >= 1.0 or not first or not second:
        return False
    alone = _DATE_WORD_RE.fullmatch(second)
    if _DATE_WORD_RE.fullmatch(first) or (alone and not (first.isdigit() and len(first) == len(alone.group(1)) == 1)):
        return False  # (« 2 8/10/2025 »: a day's first digit parted from a date of a one-digit day)
    m = _DATE_WORD_RE.fullmatch(first + second)
    if not m or not (1 <= int(m.group(1)) <= 31 and 1 <= int(m.group(3)) <= 12):
        return False
    width = (before.bbox[2] - before.bbox[0] + after.bbox[2] - after.bbox[0]) / (len(first) + len(second))
    return after.bbox[0] - before.bbox[2] <= DATE_SPLIT_GAP * width


def _word_range(spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    first = next((i for i, (s, e) in enumerate(spans) if e > start), 0)
    last = next((i for i in range(len(spans) - 1, -1, -1) if spans[i][0] < end), len(spans) - 1)
    return first, max(first, last) + 1


def find_values(data_type: str, words: list[Word], percent: str = "allow") -> list[FoundValue]:
    """Typed values inside ``words`` in reading order (``percent``: allow | skip | require)."""
    if not words:
        return []
    text, spans = join_comb_words(words) if data_type in ("date", "postal_code") else join_words(words)
    found: list[FoundValue] = []

    def add(value: str, raw: str, start: int, end: int, **flags):
        first, last = _word_range(spans, start, end)
        found.append(FoundValue(value, raw, first, last, **flags))

    if data_type == "date":
        for date, start, end in find_dates(text):
            add(date.isoformat(), text[start:end], start, end)
    elif data_type in ("decimal", "integer"):
        for m in _NUMBER_RE.finditer(text):
            raw = m.group(0).strip()
            if data_type == "decimal" and _IDENTIFIER_RE.fullmatch(raw):
                continue
            after = text[m.end():]
            is_percent = bool(_PERCENT_AFTER_RE.match(after))
            if (percent == "skip" and is_percent) or (percent == "require" and not is_percent):
                continue
            try:
                if data_type == "integer":
                    value = normalise("integer", raw)
                else:
                    value = format_decimal(parse_decimal(raw))
            except ValueError:
                continue
            currency = bool(_CURRENCY_AFTER_RE.match(after)) or bool(_CURRENCY_BEFORE_RE.search(text, 0, m.start()))
            add(value, raw, m.start(), m.end(), currency=currency, percent=is_percent, after=after[:12])
    elif data_type == "siret":
        for m in _SIRET_RE.finditer(text):
            add(normalise("siret", m.group(1)), m.group(1), m.start(1), m.end(1))
    elif data_type == "postal_code":
        for m in _POSTAL_RE.finditer(text):
            try:
                add(normalise("postal_code", m.group(1)), m.group(1), m.start(1), m.end(1))
            except ValueError:
                continue
    elif data_type == "cee_code":
        for code, start, end in find_cee_code_spans(text):
            add(f'["{code}"]', text[start:end], start, end)
    elif data_type == "boolean":
        for m in _BOOLEAN_RE.finditer(text):
            try:
                add(normalise("boolean", m.group(1)), m.group(1), m.start(1), m.end(1))
            except ValueError:
                continue
    elif data_type == "string":
        stripped = text.strip()
        if stripped:
            try:
                add(normalise("string", stripped), stripped, 0, len(text))
            except ValueError:
                pass
    return found


def period_first(found: list[FoundValue], words: list[Word], take: str) -> tuple[list[FoundValue], bool]:
    """Dates of a run reordered for one end of a period: for ``take`` "end", the date after
    « au » of « du 07/04/2023 au 06/04/2024 » comes first; for "start", the one before it.
    Also says whether the run held such a period."""
    for first, second in zip(found, found[1:]):
        between = " ".join(w.text for w in words[first.end:second.start])
        if between and _PERIOD_JOIN_RE.match(between):
            chosen = second if take == "end" else first
            return [chosen] + [fv for fv in found if fv is not chosen], True
    return found, False
