"""The shape of a taught value, kept on its learned spot: pure functions.

A shape writes each capital letter ``A``, each small letter ``a``, each digit ``9`` and keeps
the other characters (« FAC008085 » → ``AAA999999``, « 11 boulevard Carnot » → ``99 aaaaaaaa
Aaaaaa``). What is read at the spot on the next document is checked against the shapes its
verdicts taught: a text whose letters and digits are not of their kind is another line of the
page (a street read where a name was taught, a lone house number where a street was), and an
identifier of the layout's numbering read by OCR with a letter for a digit (« FACO09358 ») is
read again in that numbering. An identifier's head, the letters and marks before its first digit
(« F- » of F-244733), is kept too while every verdict taught the same: one of its characters OCR
misread (« E-244733 », « r-250390 ») is read again as the layout prints it (``with_head``).
"""
from __future__ import annotations

import re

MAX_SHAPE = 60
MAX_SHAPES = 6  # distinct shapes kept per spot
# OCR look-alikes: a letter read where the numbering has a digit, and the reverse
_AS_DIGIT = {"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "i": "1", "|": "1", "S": "5", "s": "5",
             "B": "8", "Z": "2", "z": "2", "G": "6"}
_AS_LETTER = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"}
MAX_REPAIRS = 2  # characters OCR may have mistaken in one identifier; more is another numbering
_ROUND = frozenset("O0oDQ")


def value_shape(value: str) -> str:
    return "".join("9" if c.isdigit() else ("A" if c.isupper() else "a") if c.isalpha() else c
                   for c in value)[:MAX_SHAPE]


def with_shape(shapes: list[str] | None, value: str) -> list[str]:
    """``shapes`` with the shape of ``value`` added (the first ones kept)."""
    shapes = list(shapes or [])
    shape = value_shape(value)
    if shape not in shapes and len(shapes) < MAX_SHAPES:
        shapes.append(shape)
    return shapes


def _kind(shape: str) -> tuple[bool, bool, str]:
    """(has letters, has digits, the kind of its first letter or digit)."""
    letters, digits = any(c in "Aa" for c in shape), "9" in shape
    first = next((("9" if c == "9" else "A") for c in shape if c in "Aa9"), "")
    return letters, digits, first


def fits(value: str, shapes: list[str] | None) -> bool:
    """Whether ``value`` has letters and digits where one of the taught values had (any value
    when nothing was taught)."""
    if not shapes:
        return True
    return _kind(value_shape(value)) in {_kind(shape) for shape in shapes}


def in_numbering(value: str, shapes: list[str] | None) -> str:
    """``value`` with the OCR look-alikes replaced where an identifier's taught shape (one word of
    letters and digits, the same length) has a digit or a letter: « FACO09358 » under
    ``AAA999999`` is « FAC009358 », and so is a mark read as another (« FA:2025-00390 » under
    ``AA-9999-99999``); ``value`` as is when no shape takes it, or when it takes more
    than ``MAX_REPAIRS`` characters (« 202505911 » is another numbering than ``AAA999999``). A value
    one character longer than every shape, with two round glyphs side by side (« FACO000307 »), is
    read again without one of them."""
    if not shapes or " " in value:
        return value
    own = value_shape(value).upper()
    if any(own == shape.upper() for shape in shapes):
        return value
    if not any(len(shape) == len(value) for shape in shapes):
        # a round glyph read twice, once as a letter (« FACO000327 » for FAC000327): the value less one
        for k in range(len(value) - 1):
            if value[k] in _ROUND and value[k + 1] in _ROUND and not (value[k] + value[k + 1]).isdigit():
                shorter = in_numbering(value[:k] + value[k + 1:], shapes)
                if value_shape(shorter).upper() in {shape.upper() for shape in shapes}:
                    return shorter
        return value
    for shape in shapes:
        if len(shape) != len(value) or " " in shape or "9" not in shape or not any(c in "Aa" for c in shape):
            continue
        chars = []
        for char, kind in zip(value, shape):
            if kind == "9" and not char.isdigit():
                char = _AS_DIGIT.get(char, char)
            elif kind in "Aa" and char.isdigit():
                letter = _AS_LETTER.get(char, char)
                char = letter if kind == "A" else letter.lower()
            elif kind not in "Aa9" and char != kind and not char.isalnum() and not char.isspace():
                char = kind  # a mark read as another (« FA:2025-00390 » for FA-2025-00390)
            chars.append(char)
        repaired = "".join(chars)
        if sum(a != b for a, b in zip(value, repaired)) > MAX_REPAIRS:
            continue
        if value_shape(repaired).upper() == shape.upper():
            return repaired
    return value


def in_numbering_as_read(value: str, raw: str, shapes: list[str] | None) -> str:
    """``in_numbering`` of ``value``, or of the word as the scan read it (``raw``) where that one
    lands on a taught shape and the value does not: the extractor made a letter O a digit, which
    hid the round glyph read twice (« FACO008085 » extracted « FAC0008085 », for FAC008085)."""
    repaired = in_numbering(value, shapes)
    raw = (raw or "").strip()
    if not shapes or repaired != value or not raw or raw == value or " " in raw:
        return repaired
    taught = {shape.upper() for shape in shapes}
    from_raw = in_numbering(raw, shapes)
    return from_raw if value_shape(from_raw).upper() in taught else repaired


MAX_HEAD = 12


def value_head(value: str) -> str:
    """The letters and marks an identifier opens with before its first digit (« F- » of
    F-244733, « FA- » of FA-2024-00988); "" for a text with spaces, without digits, or whose head
    holds no letter."""
    value = value.strip()
    first = next((k for k, c in enumerate(value) if c.isdigit()), None)
    if not value or " " in value or first is None:
        return ""
    head = value[:first]
    return head if 0 < len(head) <= MAX_HEAD and any(c.isalpha() for c in head) else ""


def numbered_alike(value: str, shapes: list[str] | None) -> bool:
    """Whether ``value`` has the runs of letters and digits, and the marks between them, of a
    taught value (any length of run): « QE/26616 » is not numbered like « QB/2021/250797 »,
    « E-244733 » is like « F-244733 »; any value when nothing was taught."""
    if not shapes:
        return True
    return _runs(value_shape(value)) in {_runs(shape) for shape in shapes}


def _runs(shape: str) -> str:
    return re.sub(r"A+", "A", re.sub(r"9+", "9", shape.upper()))


def with_head(value: str, head: str | None) -> str:
    """``value`` opening with the layout's ``head`` where OCR misread one of its characters
    (« E-244733 » under « F- »); as is otherwise (another length, two characters or more apart,
    a head of one character: nothing of it agrees)."""
    own = value_head(value)
    if not head or len(head) < 2 or not own or own == head or len(own) != len(head):
        return value
    if sum(a != b for a, b in zip(own.upper(), head.upper())) > 1:
        return value
    return head + value[len(own):]
