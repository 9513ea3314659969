"""Candidates found otherwise than beside a label: inside the block a label opens, by the
presence of something in a signature area, by regular expression, as a yes/no statement, on
a letterhead's first line, or by scanning the whole document."""
from __future__ import annotations

import json
import re

from cee.text import fold

from ..operation_codes import may_hold_cee_code
from ..types import FieldSpec, Word
from .candidates import (POSITION_WEIGHT, Candidate, _candidate, _column_range, _lines_below,
                         _right_words, _starts_with_label, _strip_separators, _values_in, _words_in_range,
                         _zone_factor, _cut_at_labels)
from .field_hints import _Hints
from .labels import DocumentLayout, _LabelHit
from .prose import ends_a_sentence
from .sections import section_heading
from .statements import read_statements
from .text import PhraseSet, phrase_set, token_texts
from .values import find_values


def _block_lines(layout: DocumentLayout, hit: _LabelHit, stop_labels, max_lines: int = 6) -> list[list[Word]]:
    """The lines of the block a label opens: text right of it, then the lines below in its column."""
    block: list[list[Word]] = []
    words, next_cell = _right_words(hit)
    words = [] if next_cell else _cut_at_labels(_strip_separators(words), stop_labels)
    if words:
        block.append(words)
    x0, x1 = _column_range(hit)
    if not words:
        x1 = max(x1, x0 + 0.3)
    last_bottom = hit.line.bottom
    h = hit.line.height
    below = _lines_below(layout, hit, max_lines + 4)
    axis = _centred_anchor(hit, bool(words), below)
    beside = _heading_beside(hit, below, stop_labels) if not words else None
    if beside is not None:
        x1 = min(x1, beside.words[0].bbox[0] - 0.01)
    for _, line in below:
        if line is beside:
            continue
        if axis is not None:
            # under a centred « délivrée à », the holder's lines are centred too, wider than it
            row = line.words if len(line.cells) == 1 and abs(_centre(line.words) - axis) < 0.03 else []
            if not row and block:
                break
        else:
            row = _words_in_range(line, x0 - 0.01, x1)
            row = [w for w in row if w.bbox[0] >= x0 - 0.03]
        if not row:
            continue  # a line of the neighbouring column, between two of ours
        if min(w.bbox[1] for w in row) - last_bottom > 2.2 * h or section_heading(line):
            break  # (« C - Professionnel ayant réalisé l'opération »: the form's next section, no name)
        # a labelled line ("Nom : …", "Adresse : …") is not part of an unlabelled block
        if _starts_with_label(row, stop_labels):
            break
        block.append(row)
        last_bottom = max(w.bbox[3] for w in row)
        if len(block) >= max_lines:
            break
    return block


def _heading_beside(hit: _LabelHit, below, stop_labels):
    """The next block's heading a tilted scan put on a line of its own just under the anchor,
    right of it (« FACTURÉ À » … « LIEU DES TRAVAUX » half a line lower): the anchor's column
    ends where it starts. None when the first line below is no such label."""
    if not below:
        return None
    line = below[0][1]
    anchor_end = hit.line.words[hit.end_word - 1].bbox[2]
    if line.top - hit.line.top > hit.line.height or line.words[0].bbox[0] < anchor_end + 0.1:
        return None
    return line if _starts_with_label(line.words, stop_labels) else None


def _centre(words: list[Word]) -> float:
    return (words[0].bbox[0] + words[-1].bbox[2]) / 2


def _centred_anchor(hit: _LabelHit, has_words: bool, below) -> float | None:
    """The axis of an anchor alone on its line in the middle of the page with a wider line
    centred under it (a certificate's « délivrée à » over the holder's name), whose block is
    read as whole centred lines; None otherwise."""
    line = hit.line
    if has_words or not below or len(line.cells) != 1 or hit.start_word != 0 or hit.end_word < len(line.words) - 1:
        return None
    axis = _centre(line.words)
    first = below[0][1]
    centred = len(first.cells) == 1 and abs(_centre(first.words) - axis) < 0.03 \
        and first.words[0].bbox[0] < line.words[0].bbox[0] - 0.01
    return axis if centred and 0.4 < axis < 0.6 else None


_SIGNATURE_ZONE = frozenset({"signature", "cachet", "paraphe", "visa"})


_NUMBER_SIGNS = frozenset({"n°", "nº", "no", "n", "num", "numero", "numéro"})
NUMBER_SIGN_GAP = 0.03  # (of the page's width) « N° » and the word it numbers, in two cells of a scan


def _heads_no_block(hit: _LabelHit) -> bool:
    """The anchor names whose signature goes below (« Signature du client »: a signature or the
    issuer's stamp is read there, not the client's address), or is the subject of a sentence
    (« Le client reconnaît avoir pris connaissance… »), or a number's column (« N° client »
    over 19942253, the sign in a cell of its own where OCR parted the two words)."""
    cell_start, cell_end = hit.line.cell_of(hit.start_word)
    before = {t for w in hit.line.words[cell_start:hit.start_word] for t in token_texts(w.text)}
    after = hit.line.words[hit.end_word:cell_end]
    return (not before.isdisjoint(_SIGNATURE_ZONE) or (len(after) >= 3 and after[0].text[:1].islower())
            or _numbered(hit))


def _numbered(hit: _LabelHit) -> bool:
    if hit.start_word == 0:
        return False
    sign, first = hit.line.words[hit.start_word - 1], hit.line.words[hit.start_word]
    return (fold(sign.text).rstrip(".:") in _NUMBER_SIGNS and sign.text[:1] in "Nn"
            and first.bbox[0] - sign.bbox[2] <= NUMBER_SIGN_GAP)


def _block_candidates(spec, hints: _Hints, layout, hit: _LabelHit, base: float, stop_labels) -> list[Candidate]:
    if _heads_no_block(hit) or ends_a_sentence(layout, hit):
        return []  # (« … au financeur et à » / « l'installateur, vous disposez d'un droit… »: no block's head)
    block = _block_lines(layout, hit, stop_labels)
    if not block:
        return []
    rule = hints.block or {}
    weight = base * POSITION_WEIGHT["block"]
    data_type = spec.data_type
    chosen: list[Word] | None = None
    if "line" in rule:
        n = int(rule["line"])
        if n < len(block):
            chosen = block[n]
    elif "find" in rule or "after" in rule or "line_before" in rule:
        key_type = rule.get("find") or rule.get("after") or rule.get("line_before")
        for i, row in enumerate(block):
            found = find_values(key_type, row)
            if not found:
                continue
            fv = found[0]
            if key_type == "postal_code" and fv.start != 0:
                continue  # "69100 LYON": a postal code opens its line
            if "find" in rule:
                chosen = row[fv.start:fv.end]
            elif "after" in rule:
                chosen = row[fv.end:]
            else:
                chosen = block[i - 1] if i >= 1 else None
                if "line" not in rule and i >= 2 and rule.get("join_lines"):
                    chosen = [w for r in block[1:i] for w in r]
            break
    if not chosen:
        return []
    results = _values_in(data_type, chosen, hints, [])
    return [_candidate(fv, words, weight * (1.0 if i == 0 else 0.8), hit.line.page, "block") for i, (fv, words) in enumerate(results[:1])]


def _regex_candidates(spec: FieldSpec, hints: _Hints, layout: DocumentLayout, stop_labels) -> list[Candidate]:
    out = []
    for line in layout.all_lines():
        if hints.first_page_only and line.page != layout.pages[0].number:
            continue
        text = line.text
        offsets = None  # each word's span in the text, once a pattern matches
        for pattern in hints.regex:
            for m in pattern.finditer(text):
                if offsets is None:
                    offsets = _word_offsets(line.words)
                g = 1 if m.groups() else 0
                start, end = m.start(g), m.end(g)
                words = [w for w, (s, e) in zip(line.words, offsets) if e > start and s < end]
                if not words:
                    continue
                for fv, value_words in _values_in(spec.data_type, words, hints, [])[:1]:
                    score = POSITION_WEIGHT["regex"] * _zone_factor(hints, line, line.page)
                    out.append(_candidate(fv, value_words, score, line.page, "regex"))
    return out


def _word_offsets(words: list[Word]) -> list[tuple[int, int]]:
    """Each word's (start, end) in the words joined by single spaces."""
    offsets = []
    pos = 0
    for w in words:
        offsets.append((pos, pos + len(w.text)))
        pos += len(w.text) + 1
    return offsets


def _statement_candidates(hints: _Hints, layout: DocumentLayout) -> list[Candidate]:
    """A yes/no statement found by its phrases (the labels), with its box or Oui/Non answer."""
    pages = layout.pages[:1] if hints.first_page_only else layout.pages
    phrases = [(label.tokens, label.weight) for label in hints.labels]
    return [Candidate("true" if hit.value else "false", hit.raw, hit.score, hit.page, hit.words, "statement")
            for page in pages for hit in read_statements(layout.lines[page.number], phrases, hints.statement)]


def _labelled_value(words: list[Word]) -> bool:
    """Whether ``words`` are a label and its value (« Date : 12/03/2024 »)."""
    return any(w.text == ":" or (w.text.endswith(":") and k < len(words) - 1) for k, w in enumerate(words))


# What a signature service or a browser prints above a document's own first line.
_SERVICE_HEADER_RE = re.compile(r"\b(?:envelope|enveloppe|transaction|docusign|yousign|universign|oodrive)\b"
                                r"|^\d{1,2}/\d{1,2}/\d{2,4},? \d{1,2}[:h]\d{2}")


NO_STOPS = phrase_set(())


def _logo_letters(words: list[Word]) -> bool:
    """A logo's one to three capitals alone in their cell (« É », « SM »)."""
    text = "".join(w.text for w in words)
    return len(words) == 1 and 1 <= len(text) <= 3 and text.isalpha() and text.isupper()


LOGO_READ = 0.6  # below this mean confidence an OCR'd first line over a line read clearly is the logo's drawing
CLEARLY_READ = 0.85


def _logo_misread(words: list[Word], below) -> bool:
    """A logo a scan read as letters it doubts (« A\\KICUIO)T 1 », the name drawn in a
    typeface of its own) over the letterhead's first line read clearly (« Akretion France »)."""
    if not words or words[0].conf >= 1.0 or not below.words:
        return False
    return (sum(w.conf for w in words) / len(words) < LOGO_READ
            and sum(w.conf for w in below.words) / len(below.words) >= CLEARLY_READ)


def _without_monogram(words: list[Word]) -> list[Word]:
    """The letterhead's name without the logo's monogram before it (« CF Concept Fontaine », « IS Iso' Sud »):
    two or three capitals that are the initials of the words after them."""
    first = words[0].text if words else ""
    if len(words) < len(first) + 1:
        return words
    initials = "".join(w.text[:1] for w in words[1:1 + len(first)]).upper()
    if 1 <= len(first) <= 3 and first.isalpha() and first.isupper() and initials == first.upper():
        return words[1:]
    return words


def _service_header(line) -> bool:
    return bool(_SERVICE_HEADER_RE.search(fold(" ".join(w.text for w in line.words))))


def _top_line_candidates(spec: FieldSpec, hints: _Hints, layout: DocumentLayout, stops: PhraseSet) -> list[Candidate]:
    """The first line of the first page, when it is short text (a letterhead's company name);
    weighted by ``top_line`` (low: any labelled value beats it)."""
    if not layout.pages:
        return []
    lines = layout.lines[layout.pages[0].number]
    if not lines or lines[0].top > 0.15:
        return []
    if len(lines) > 1 and lines[1].top <= 0.15 and _service_header(lines[0]):
        lines = lines[1:]  # « Docusign Envelope ID: … », « 06/03/2023 11:12 Attestation … »: the service's, not the letterhead
    line = lines[0]
    start, end = line.cells[0]
    words = line.words[start:end]
    if len(lines) > 1 and lines[1].top <= 0.15 and (_logo_letters(words) or _logo_misread(words, lines[1])):
        line = lines[1]  # « É » (a logo's letter in its box) over « ÉNERGIENORD »
        start, end = line.cells[0]
        words = line.words[start:end]
        if len(lines) > 2 and lines[2].top <= 0.15 and (_labelled_value(words) or words[0].text in ("N°", "Nº")):
            # « N° FAC000521 » under the logo
            line = lines[2]
            start, end = line.cells[0]
            words = line.words[start:end]
    if len(lines) > 1 and lines[1].top <= 0.15 and _labelled_value(words):
        # « Réf. dossier : CEE-268661 » set above the logo's name: a reference, not the letterhead
        line = lines[1]
        start, end = line.cells[0]
        words = line.words[start:end]
    words = _without_monogram(words)
    if len(words) > 5 or _starts_with_label(words, stops):
        return []
    if hints.top_line_exclude and _starts_with_label(words, phrase_set(hints.top_line_exclude)):
        return []  # a document title ("ATTESTATION SUR L'HONNEUR"), not a letterhead
    # the letterhead's name is read whole: another field's label word inside it is part of the name
    # (« Rénoval Primes Énergie »), a line that opens with one is no name (above)
    return [_candidate(fv, value_words, hints.top_line, line.page, "top_line")
            for fv, value_words in _values_in(spec.data_type, words, hints, NO_STOPS)[:1]]


def _scan_candidates(spec: FieldSpec, hints: _Hints, layout: DocumentLayout) -> list[Candidate]:
    """Every value of the type in the document, as one list (``operations``)."""
    values: list[str] = []
    first_words: list[Word] = []
    page = None
    for line in layout.all_lines():
        if spec.data_type == "cee_code" and not may_hold_cee_code(line.text):
            continue  # most lines: no code to read
        for fv in find_values(spec.data_type, line.words):
            for code in json.loads(fv.value) if spec.data_type == "cee_code" else [fv.value]:
                if code not in values:
                    values.append(code)
                    if not first_words:
                        first_words = line.words[fv.start:fv.end]
                        page = line.page
    if not values:
        return []
    value = json.dumps(values) if spec.data_type == "cee_code" else values[0]
    return [Candidate(value, value, POSITION_WEIGHT["scan"], page or 1, first_words, "scan")]
