"""Values that are lists under their label: the domains of an RGE certificate, one a line.

« Domaines de travaux couverts (mention RGE) : » over bullet lines (•, -, –), or a table whose
column is headed by the label (« Qualification » over « Isolation du toit », « Pompe à chaleur :
chauffage »): every line down to a gap, another label or the end of the list is one item. The
value is a JSON list of the items (hint ``"list": true``).
"""
from __future__ import annotations

import json
import re

from cee.text import fold

from ..normalise import find_dates
from ..types import Word
from .candidates import POSITION_WEIGHT, Candidate, _column_range, _lines_below, _starts_with_label, _words_in_range
from .field_hints import _Hints
from .labels import DocumentLayout, _LabelHit
from .layout import empty_cell_mark

MAX_ITEMS = 12
MAX_ITEM_WORDS = 10
MIN_ITEM_LETTERS = 3  # fewer letters are no item (no domain, no product is « Se »)
# (cid:127): a bullet glyph without its character; « o »: a hollow bullet whose symbol font the text layer lost;
# « + », « » », « > »: a check mark or an arrow as OCR reads it
_BULLET_RE = re.compile(r"^(?:[•▪◦●\-–—*·✓✔o+»›>]+|\(cid:\d+\))$")
_CODE_RE = re.compile(r"^\d{3,4}$")  # a qualification code opening a table row ("7131")


def _item(words: list[Word]) -> tuple[list[Word], bool]:
    """The words of one item without its bullet, and whether it had one."""
    bullet = bool(words) and bool(_BULLET_RE.match(words[0].text))
    if bullet:
        words = words[1:]
    elif words and words[0].text[:1] in "•▪●" and len(words[0].text) > 1:
        words = [Word(words[0].text[1:], words[0].bbox, words[0].conf)] + words[1:]
        bullet = True
    return words, bullet


def _before_a_dated_cell(line, words: list[Word]) -> list[Word]:
    """An item's words up to a cell of its line holding a date (« Isolation du toit » |
    « 26/07/2022 »: the date the qualification was granted, in a column of its own)."""
    if len(line.cells) < 2 or len(words) < 2:
        return words
    first = id(words[0])
    for start, end in line.cells:
        if not any(id(w) == first for w in line.words[start:end]) and line.words[start].bbox[0] > words[0].bbox[0] \
                and find_dates(" ".join(w.text for w in line.words[start:end])):
            cut = line.words[start].bbox[0]
            words = [w for w in words if w.bbox[0] < cut]
            break
    # the date run into the item's own cell (« Isolation des murs et planchers bas 19 avril 2023 »; the
    # text layer joins the granting date to the domain, the end of validity stands apart)
    for k in range(1, len(words)):
        if words[k].text[:1].isdigit() and find_dates(" ".join(w.text for w in words[k:k + 3])) \
                and not find_dates(" ".join(w.text for w in words[:k])):
            return words[:k]
    return words


_ITEM_SEPARATOR_RE = re.compile(r"\s*[;,]\s*(?=[A-ZÀ-Ý])")
# « 7131 – Isolation thermique par l'intérieur (Isolation du toit) »: the RGE work domain, in
# brackets after the body's own qualification (capitalised, two words at least: not « (CHE) »)
# brackets after the body's own qualification (two words at least: not « (CHE) »); capitalised,
# unless a code leads the item (OCR lowers a capital: « 7131 - … (isolation du toit) »)
_DOMAIN_IN_BRACKETS_RE = re.compile(r"\((?-i:[A-ZÀ-Ý])[^()]*\s[^()]*\)$")
_ANY_IN_BRACKETS_RE = re.compile(r"\([^\W\d_][^()]*\s[^()]*\)$")
_CODE_DASH_RE = re.compile(r"^(?:\d{3,4}\s*)?[–—-]\s*")  # « 7131 – » opening a qualification


def _domain_of(text: str, coded: bool = False) -> str:
    """The RGE domain an item names: its bracketed domain when a qualification leads it."""
    coded = coded or bool(_CODE_DASH_RE.match(text))
    bracketed = (_ANY_IN_BRACKETS_RE if coded else _DOMAIN_IN_BRACKETS_RE).search(text)
    if bracketed and bracketed.start() > 0:
        domain = bracketed.group()[1:-1].strip()
        return domain[:1].upper() + domain[1:]
    return _CODE_DASH_RE.sub("", text)


def _from_heading_start(words: list[Word], hit: _LabelHit) -> list[Word]:
    """A table row's words in the column from the one that starts where the column's heading
    starts (a left-aligned column): the words before it end the previous column's text, run into
    the same cell by the text layer (« … par l'intérieur des murs Isolation des murs et planchers
    bas » under « Libellé » | « Domaine RGE »)."""
    start = hit.line.words[hit.start_word].bbox[0]
    aligned = next((k for k, w in enumerate(words) if k and abs(w.bbox[0] - start) <= 0.004), None)
    return words[aligned:] if aligned is not None else words


def _centre(words: list[Word]) -> float:
    return (words[0].bbox[0] + words[-1].bbox[2]) / 2


def _centred_under(hit: _LabelHit, below: list) -> bool:
    """Whether the list under a label is centred as its line is (a certificate's « pour les
    qualifications suivantes : » over centred lines): then each line is an item, read whole."""
    if not below or len(hit.line.cells) != 1:
        return False
    line = below[0][1]
    axis = _centre(hit.line.words)
    return len(line.cells) == 1 and abs(_centre(line.words) - axis) < 0.03 and 0.3 < axis < 0.7


def as_list(candidate: Candidate) -> Candidate:
    """A list written on one line beside its label (« Domaines : Isolation du toit, Isolation des
    murs ») as a candidate holding its items, a JSON list."""
    items = [item.strip() for item in _ITEM_SEPARATOR_RE.split(candidate.value) if item.strip()]
    candidate.value = json.dumps(items, ensure_ascii=False)
    return candidate


def far_right_of(hit: _LabelHit, words: list[Word]) -> bool:
    """Whether ``words`` under a heading (not a table's) start far right of its end: beside it,
    not under it (« Le Président » right of a stamp « QUALIFICATION »)."""
    if not words or len(hit.line.cells) >= 3:
        return False
    return words[0].bbox[0] > max(w.bbox[2] for w in hit.line.words[hit.start_word:hit.end_word]) + 0.05


_ANNOUNCING = frozenset({"suivants", "suivant", "suivantes", "ci-apres", "ci-dessous"})


def _announces_a_list(layout: DocumentLayout, hit: _LabelHit) -> bool:
    """Whether the label ends a sentence that announces a list with a colon, on its line or on
    the next few words (« … pour les domaines de travaux » / « suivants : »): the list starts at
    the paragraph's margin below (or centred under it), not under the label."""
    line = hit.line
    cell_start, cell_end = line.cell_of(hit.start_word)
    if hit.start_word - cell_start < 3 or cell_end - hit.end_word > 2 or hit.remainder is not None:
        return False
    if line.words[cell_end - 1].text.endswith(":"):
        return True  # « … pour les domaines de travaux suivants : »
    if hit.end_word < cell_end and not all(fold(w.text).strip(",") in _ANNOUNCING for w in line.words[hit.end_word:cell_end]):
        return False  # (« … de travaux suivants » / « : », the colon wrapped alone onto the next line)
    below = _lines_below(layout, hit, 1)
    return bool(below) and len(below[0][1].words) <= 4 and below[0][1].words[-1].text.endswith(":")


def list_candidates(hints: _Hints, layout: DocumentLayout, hit: _LabelHit, base: float, stop_labels) -> list[Candidate]:
    """The items listed under a label, as one candidate holding a JSON list."""
    x0, x1 = _column_range(hit)
    in_table = len(hit.line.cells) >= 3
    if not in_table and _announces_a_list(layout, hit):
        x0 = hit.line.words[0].bbox[0]  # « … pour les domaines de travaux » / « suivants : » / « – Isolation du toit »
    centred = not in_table and _centred_under(hit, _lines_below(layout, hit, 1))
    if centred:
        x0, x1 = 0.0, 1.0
    elif not in_table:
        x1 = max(x1, 0.95)  # a list under a heading runs to the right margin
        below = _lines_below(layout, hit, 1)
        if below:
            first = below[0][1]
            start, end = first.cells[0] if first.cells else (0, len(first.words))
            if first.words[start].bbox[0] < x0 and _item(first.words[start:end])[1]:
                x0 = first.words[start].bbox[0]  # bullets from the margin under a centred heading
    items: list[str] = []
    words_seen: list[Word] = []
    bullets = None
    for _, line in _lines_below(layout, hit, MAX_ITEMS + 2):
        if in_table and len(line.cells) < 2:
            if line.words and (line.words[-1].bbox[2] < x0 - 0.01 or line.words[0].bbox[0] > x1):
                continue  # another column's cell wrapped onto a line of its own (« en combles perdus »)
            break  # a table's rows keep their columns; a line across them ends the table
        if centred and (len(line.cells) > 1 or abs(_centre(line.words) - _centre(hit.line.words)) > 0.03):
            break  # the centred list ended (« Date d'attribution : … » at the left)
        words = _words_in_range(line, x0 - 0.01, x1)
        if in_table:
            words = _from_heading_start(words, hit)
        if not words:
            continue
        if _starts_with_label(words, stop_labels) or (not in_table and _starts_with_label(line.words, stop_labels)):
            break  # (a line opening left of the list with a label: « [N° de qualification … », a box's edge glued)
        if not centred and not items and far_right_of(hit, words):
            break  # a line far right of the heading (« Le Président » beside a stamp): no item of it
        words = _before_a_dated_cell(line, words)
        if in_table and empty_cell_mark("".join(w.text for w in words)):
            continue  # « — » in a table's column (« _ » on a scan): this row has none (a qualification without the RGE mention)
        if not items and words[-1].text.endswith(":") and len(words) <= 4:
            continue  # the label's sentence goes on over the list (« … pour les domaines » / « de travaux suivants : »)
        mark = words[0].text[:1]
        words, bullet = _item(words)
        if bullets is None:
            bullets, first_mark = bullet, mark
        elif bullet != bullets or (bullet and mark != first_mark and "(" not in (mark, first_mark)):
            break  # the list ended: a sentence follows it, or a footnote (« * ou du plus récent… »)
        coded = bool(words) and bool(_CODE_RE.match(words[0].text)) and not in_table
        if coded:
            words = words[1:]
        text = " ".join(w.text for w in words).strip(" ;,.")
        if not text or not any(c.isalpha() for c in text) or len(_domain_of(text, coded).split()) > MAX_ITEM_WORDS \
                or ". " in text \
                or find_dates(text):
            break  # a sentence after the list
        if sum(c.isalpha() for c in text) < MIN_ITEM_LETTERS:
            continue  # « Se »: a stamp's or a signature's ink as OCR reads it, no item
        if not items and text.endswith(":"):
            continue  # the label's sentence goes on over the list (« … pour les domaines » / « de travaux suivants : »)
        items.extend(_domain_of(item.strip(), coded) for item in _ITEM_SEPARATOR_RE.split(text) if item.strip())
        words_seen.extend(words)
        if len(items) >= MAX_ITEMS:
            break
    # each item is a value of the field: « listés ci-dessus » after « … pour les domaines de
    # travaux » ending a sentence is none where the field's values open with a capital
    items = [kept for kept in (hints.in_value_regex(item) for item in items) if kept]
    if not items:
        return []
    value = json.dumps(items, ensure_ascii=False)
    return [Candidate(value, "\n".join(items), base * POSITION_WEIGHT["below"], hit.line.page, words_seen, "list")]


REPEATED_LABEL = 0.95  # a label each item repeats gives its values at about one score
REPEATED_BONUS = 1.05  # …and together they say more than any one of them


def repeated_label_items(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate holding every item a repeated label gives, beside it on two lines or more
    (« Mention RGE : Isolation du toit » … « Mention RGE : Chauffe-eau thermodynamique »: a card
    per qualification); none where the best value beside a label is read once."""
    beside = [c for c in candidates if c.how in ("right", "right_cell") and c.words]
    if len(beside) < 2:
        return []
    best = max(beside, key=lambda c: c.score)
    same = sorted((c for c in beside if c.how == best.how and c.score >= REPEATED_LABEL * best.score),
                  key=lambda c: (c.page, c.bbox[1]))
    if len({(c.page, round(c.bbox[1], 3)) for c in same}) < 2:
        return []
    items: list[str] = []
    for c in same:
        for item in json.loads(c.value):
            if item not in items:
                items.append(item)
    if len(items) < 2:
        return []
    words = [w for c in same for w in c.words]
    return [Candidate(json.dumps(items, ensure_ascii=False), "\n".join(items), best.score * REPEATED_BONUS, same[0].page,
                      words, "list")]
