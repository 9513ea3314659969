"""Fuzzy "the OCR text contains this sentence" checks, as the OCR samples' expectations need."""
from __future__ import annotations

import difflib
import re


def normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    return re.sub(r"\s+", " ", text).strip()


def best_match(expected: str, text: str) -> tuple[float, int]:
    """(similarity 0–1, position) of the window of ``text`` closest to ``expected``."""
    expected, text = normalise(expected), normalise(text)
    if expected in text:
        return 1.0, text.index(expected)
    size = len(expected)
    best, where = 0.0, -1
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(expected)
    for start in range(0, max(len(text) - size, 0) + 1):
        window = text[start:start + size]
        matcher.set_seq1(window)
        if matcher.real_quick_ratio() <= best or matcher.quick_ratio() <= best:
            continue
        ratio = matcher.ratio()
        if ratio > best:
            best, where = ratio, start
    return best, where
