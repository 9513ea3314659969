"""A form's numbered sections (« 1. Le bénéficiaire », « B / Identification du professionnel »,
« C - Professionnel ayant réalisé l'opération »): the heading a label sits under, whatever its
column, tells whose field it is (hint ``avoid_section``)."""
from __future__ import annotations

import re

from .labels import DocumentLayout, _LabelHit
from .layout import Line

SECTION_REACH = 20  # lines above a label where the heading of its section is looked for
_SECTION_NUMBER_RE = re.compile(r"^(?:\d{1,2}|[A-H]|[IVX]{1,4})(?:\s*[.)/–-])?$|^(?:\d{1,2}|[A-H])[.)]\S+$")
_GLUED_NUMBER_RE = re.compile(r"[a-z\d]{1,2}[.)]?(?:Le|La|Les|L['’]\w+)")
_SECTION_MARKS = frozenset({".", ")", "/", "–", "-", "—", "|"})


def section_heading(line: Line) -> bool:
    """A numbered heading alone on its line at the left (« 1. Le bénéficiaire », « B / Identification
    du professionnel », « C - Professionnel ayant réalisé l'opération », a scan's « C | Caractéristiques
    de l'opération » where the band's edge is read as a bar): a form's section, across its columns."""
    if len(line.cells) != 1 or len(line.words) < 2 or len(line.words) > 8 or line.words[0].bbox[0] > 0.2:
        return False
    first = line.words[0].text
    if _GLUED_NUMBER_RE.fullmatch(first):
        return True  # « gLe professionnel »: a scan read « 3. » as a letter glued to the heading
    if not _SECTION_NUMBER_RE.match(first):
        return False
    return first[-1] in _SECTION_MARKS or first[1:2] in (".", ")") or line.words[1].text in _SECTION_MARKS


def section_tokens(layout: DocumentLayout, hit: _LabelHit) -> list[str]:
    """The tokens of the nearest section heading above the label (none: [])."""
    key = ("section", id(hit.line))
    found = layout.context_factors.get(key)
    if found is None:
        lines = layout.lines[hit.line.page]
        heading = next((line for line in reversed(lines[max(0, hit.line.index - SECTION_REACH): hit.line.index])
                        if section_heading(line)), None)
        found = layout.context_factors[key] = [t.text for t in heading.tokens] if heading is not None else []
    return found
