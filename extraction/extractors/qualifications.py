"""An RGE certificate lists the company's qualifications, some without the RGE mention (a
« Maçonnerie » row whose « Domaine RGE » cell says « — », a card « Qualification sans mention
RGE »): the certificate's dates are those of the RGE qualifications (hint ``rge_rows``)."""
from __future__ import annotations

import re

from cee.text import fold

from .candidates import Candidate
from .labels import DocumentLayout
from .layout import Line, empty_cell_mark

OUTSIDE_RGE_FACTOR = 0.5
_WITHOUT_RGE_RE = re.compile(r"\b(?:sans (?:la )?mention rge|non rge|hors rge|sans rge)\b")


def _line_of(layout: DocumentLayout, candidate: Candidate) -> Line | None:
    if not candidate.words:
        return None
    first = candidate.words[0]
    for line in layout.lines.get(candidate.page, []):
        if any(w is first for w in line.words):
            return line
    return None


def outside_rge(candidate: Candidate, layout: DocumentLayout) -> bool:
    """Whether the value sits on a qualification without the RGE mention: a table row with a cell
    that is only a dash, or the line under « Qualification sans mention RGE »."""
    line = _line_of(layout, candidate)
    if line is None:
        return False
    if len(line.cells) >= 3 and any(empty_cell_mark("".join(w.text for w in line.words[start:end]))
                                    for start, end in line.cells):
        return True
    lines = layout.lines[line.page]
    above = lines[line.index - 1] if line.index > 0 else None
    return above is not None and bool(_WITHOUT_RGE_RE.search(fold(" ".join(w.text for w in above.words))))


def favour_rge_rows(candidates: list[Candidate], layout: DocumentLayout) -> None:
    for c in candidates:
        if outside_rge(c, layout):
            c.score *= OUTSIDE_RGE_FACTOR
