"""A town after its postal code on a form's line whose town label a scan garbled (hint
``town_after_postal``: a weight).

A form prints « Code postal | 09000 | Ville | Foix » on one line; a scan reads the small label
« Ville » as « Gide », « Væ: », « Vie: »: the label is lost, not the town. On the line of a
labelled postal code, one short word after the code (the label as read) and then a name
opening with a capital is the town. A word that is another field's label (« Tél. », « Pays ») is no town's
label; under another party's section heading (hint ``avoid_section``) the town is another's.
"""
from __future__ import annotations

import re

from cee.text import fold

from ..types import Word
from .candidates import Candidate, _candidate, _contains, _values_in
from .field_hints import _Hints
from .labels import DocumentLayout, _LabelHit
from .layout import Line
from .readers import NO_STOPS
from .sections import section_tokens
from .text import PhraseSet, phrase_set, token_tuple

_POSTAL_CODE_RE = re.compile(r"\d{5}[:.,;]?")
MAX_LABEL_LETTERS = 6  # « Ville », « Commune » read short: « Gide », « Væ: », « Vie: »
MAX_TOWN_WORDS = 4
OTHER_LABELS = frozenset({"tel", "telephone", "fax", "pays", "mail", "email", "courriel", "port", "mobile", "siret"})


def _postal_label_end(line: Line) -> int | None:
    """The word after « Code postal » (« CP ») where it opens the line or a cell of it."""
    words = line.words
    for start, _ in line.cells:
        first = fold(words[start].text).rstrip(":")
        if first == "code" and start + 1 < len(words) and fold(words[start + 1].text).rstrip(":").startswith("postal"):
            end = start + 2
        elif first == "cp":
            end = start + 1
        else:
            continue
        while end < len(words) and words[end].text in (":", "-"):
            end += 1
        return end
    return None


def _town_words(line: Line, after: int, others: PhraseSet) -> list[Word] | None:
    """The town's words after the postal code at ``after - 1``: past one short word (the label
    a scan garbled), a run of words opening with a capital."""
    words = line.words
    if after + 1 >= len(words):
        return None
    label = words[after]
    letters = [c for c in label.text if c.isalpha()]
    if not letters or len(letters) > MAX_LABEL_LETTERS or label.text[:1].isdigit():
        return None
    folded = fold(label.text).strip(":.")
    if folded in OTHER_LABELS or (others and others.match(token_tuple(label.text), 0) is not None
                                  and folded not in ("ville", "commune")):
        return None
    cell_end = next(end for start, end in line.cells if start <= after + 1 < end)
    town = words[after + 1:min(cell_end, after + 1 + MAX_TOWN_WORDS)]
    if not town or not town[0].text[:1].isupper() or any(c.isdigit() for w in town for c in w.text):
        return None
    return town


def town_after_postal_candidates(spec, hints: _Hints, layout: DocumentLayout, others: PhraseSet) -> list[Candidate]:
    """Towns after a labelled postal code and a garbled label, weighted by ``town_after_postal``."""
    out = []
    avoid = phrase_set(hints.avoid_section) if hints.avoid_section else None
    for page in layout.pages:
        for line in layout.lines[page.number]:
            if line.words[0].conf >= 1.0:
                continue  # a text layer prints its labels as they are
            end = _postal_label_end(line)
            if end is None or end >= len(line.words) or not _POSTAL_CODE_RE.fullmatch(line.words[end].text):
                continue
            town = _town_words(line, end + 1, others)
            if town is None:
                continue
            if avoid is not None:
                heading = section_tokens(layout, _LabelHit(line, 0, end, None, 1.0, 2))  # (the hit's line is all it reads)
                if heading and _contains(heading, avoid):
                    continue
            for fv, value_words in _values_in(spec.data_type, town, hints, NO_STOPS)[:1]:
                out.append(_candidate(fv, value_words, hints.town_after_postal, line.page, "town_after_postal"))
    return out
