"""What describes one candidate value among the other candidates of its field: pure functions.

A row per candidate, its columns named by ``FEATURE_NAMES`` (kept with each model version, so
that a model trained on other columns is never fed these): the rule-based score and its rank,
the reader that proposed it, where it sits on which page, the OCR confidence of its words, its
form (length, digits, the field's validation pattern) and how many candidates agree with it.
"""
from __future__ import annotations

import re

from ..extractors.candidates import Candidate

# The readers of extraction.fields and extractors.* (Candidate.how); another counts as none of them.
READERS = ("right", "right_cell", "row", "block", "regex", "below", "column", "scan", "presence", "list",
           "statement", "top_line", "recipient", "dateline", "legal_form", "phrase", "lexicon")
FEATURE_NAMES = (
    "score", "score_share_of_best", "score_rank", "is_best", "value_score_share", "agreeing", "agreeing_readers",
    *(f"reader_{name}" for name in READERS),
    "page", "x0", "y0", "x1", "y1", "ocr_confidence", "characters", "words", "has_digit", "matches_pattern",
    "candidates",
)


def candidate_rows(candidates: list[Candidate], validation_pattern: str = "") -> list[list[float]]:
    """One row of ``FEATURE_NAMES`` per candidate, in the candidates' order."""
    if not candidates:
        return []
    pattern = re.compile(validation_pattern) if validation_pattern else None
    best = max(c.score for c in candidates) or 1.0
    total = sum(max(c.score, 0.0) for c in candidates) or 1.0
    order = sorted(range(len(candidates)), key=lambda i: -candidates[i].score)
    rank = {index: position for position, index in enumerate(order)}
    by_value: dict[str, list[Candidate]] = {}
    for c in candidates:
        by_value.setdefault(c.value, []).append(c)
    rows = []
    for i, c in enumerate(candidates):
        same = by_value[c.value]
        box = c.bbox if c.words else (0.0, 0.0, 0.0, 0.0)
        rows.append([
            c.score, c.score / best, min(rank[i], 10), float(rank[i] == 0),
            sum(max(o.score, 0.0) for o in same) / total, min(len(same), 10), len({o.how for o in same}),
            *(float(c.how == name) for name in READERS),
            min(c.page, 5), *box, c.ocr_confidence if c.words else 1.0,
            min(len(c.value), 80) / 80, min(len(c.value.split()), 12), float(any(ch.isdigit() for ch in c.value)),
            float(pattern is None or bool(pattern.fullmatch(c.value))),
            min(len(candidates), 30),
        ])
    return rows
