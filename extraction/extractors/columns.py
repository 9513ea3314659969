"""Where a label's column runs on a page: the span under a label heading a column, the
lines below it, the words of a line inside that span, and whether a row spans the table (a
lot's title) or is an item row (one with a price). Shared by the readers of values below a
label, of lists and of blocks."""
from __future__ import annotations

import re

from ..types import Word
from .labels import DocumentLayout, _LabelHit
from .layout import Line
from .text import token_tuple

TABLE_HEADINGS = frozenset({"ref", "designation", "description", "libelle", "article", "quantite", "qte", "unite",
                            "prix", "pu", "remise", "montant", "tva"})


def _is_header_row(line: Line) -> bool:
    """A table's header: three cells or more, short, without a digit ("Réf. | Désignation | Qté"),
    or a line without a digit naming three column headings, however its cells were cut."""
    if any(ch.isdigit() for w in line.words for ch in w.text):
        return False
    if len(TABLE_HEADINGS.intersection(line.token_set)) >= 3:
        return True
    cells = [(start, end) for start, end in line.cells
             if any(ch.isalnum() for w in line.words[start:end] for ch in w.text)]  # not a scan's « | »
    return len(cells) >= 3 and all(end - start <= 5 for start, end in cells) and not value_split_in_two(line, cells)


SPLIT_VALUE_GAP = 0.04  # page widths: a scan's wide space inside a typed value, not a gap between columns


def value_split_in_two(line: Line, cells: list[tuple[int, int]]) -> bool:
    """A form's « label | value » row whose value a scan's wide space cut in two cells (« Nom et
    prénom du bénéficiaire | CARPENTIER | Philippine »): three cells, the last two nearer each
    other than a quarter of the label's gap to the value; no table's header row."""
    if len(cells) != 3:
        return False
    (_, end1), (start2, end2), (start3, end3) = cells
    if any(t.text in TABLE_HEADINGS for t in line.tokens if start2 <= t.word < end3):
        return False  # « Désignation | Qté | P.U. »: a narrow table's headings set close
    label_gap = line.words[start2].bbox[0] - line.words[end1 - 1].bbox[2]
    value_gap = line.words[start3].bbox[0] - line.words[end2 - 1].bbox[2]
    return value_gap < min(SPLIT_VALUE_GAP, 0.25 * label_gap)


def _column_range(hit: _LabelHit) -> tuple[float, float]:
    """Horizontal span under a label: from its cell's left edge to the next cell on its line (to
    the next column heading, in a table header the text layer ran into one cell: « Réf. Désignation »)."""
    if hit.column is not None:
        return hit.column
    line = hit.line
    cell_start, cell_end = line.cell_of(hit.start_word)
    x0 = line.words[hit.start_word].bbox[0]
    x1 = max(w.bbox[2] for w in line.words[hit.start_word:hit.end_word])
    next_cells = [c for c in line.cells if c[0] >= cell_end]
    right_limit = line.words[next_cells[0][0]].bbox[0] if next_cells else 1.0
    heading = _next_heading(line, hit.end_word, cell_end)
    if heading is not None:
        right_limit = line.words[heading].bbox[0]
    return x0, max(x1, right_limit - 0.005)


def _next_heading(line: Line, start: int, end: int) -> int | None:
    """The first word in ``line.words[start:end]`` heading a column, on a table's header row."""
    if not _is_header_row(line):
        return None
    return next((i for i in range(start, end) if token_tuple(line.words[i].text)[:1] and
                 token_tuple(line.words[i].text)[0] in TABLE_HEADINGS), None)


def runs_into(line: Line, x0: float) -> bool:
    """Whether ``line`` is one run of words from well left of a column into it: running text
    across the page (its words in the column are a sentence's end), no row of a table."""
    return len(line.cells) == 1 and line.words[0].bbox[0] < x0 - 0.05 and line.words[-1].bbox[2] > x0


_PRICE_RE = re.compile(r"\d,\d{2}\b")


_TOTALS_WORDS = {"total", "montant", "tva", "net", "reste", "prime"}


def totals_sentence(line: Line) -> bool:
    """A line of one run opening with a total and holding a price (« Montant HT : 19 128,78 € – TVA
    10 % : … »), or a VAT recap's heading (« Taux | Base HT | Montant TVA »): the item table above
    it has ended, whatever the text below lines up with."""
    first = line.token_texts[0] if line.token_texts else ""
    if first in ("taux", "base") and "tva" in line.token_set:
        return True
    return len(line.cells) == 1 and first in _TOTALS_WORDS and any(_PRICE_RE.search(w.text) for w in line.words)


def totals_row(line: Line) -> bool:
    """« TOTAL HT | 8 048,43 € », « Total TTC 3 625,38 € »: the item table's total, in whatever column
    it stands; the rows under it are no items."""
    toks = line.token_texts
    return (len(toks) >= 2 and toks[0] == "total" and toks[1] in ("ht", "ttc", "general", "hors")
            and any(_PRICE_RE.search(w.text) for w in line.words))


def _item_row(line: Line) -> bool:
    """A row of an item table: three cells or more, one of them a price."""
    return len(line.cells) >= 3 and any(_PRICE_RE.search(w.text) for w in line.words)


def _first_cell(line: Line, words: list[Word]) -> list[Word]:
    """The words of ``words`` in the cell of its first word."""
    first = next((i for i, w in enumerate(line.words) if w is words[0]), None)
    if first is None:
        return words
    start, end = line.cell_of(first)
    cell = line.words[start:end]
    return [w for w in words if any(w is c for c in cell)]


def _spans_columns(words: list[Word], hit: _LabelHit) -> bool:
    """Whether ``words``, read under a label heading a table's column, run over the next column's
    heading: a row across the table (a lot's title « 1 – CHAUFFE-EAU THERMODYNAMIQUE », a note),
    not that column's value."""
    line = hit.line
    if hit.column is not None or not words or not _is_header_row(line):
        return False
    _, cell_end = line.cell_of(hit.start_word)
    heading = _next_heading(line, hit.end_word, cell_end)
    if heading is None:
        heading = next((start for start, _ in line.cells if start >= cell_end), None)
    return heading is not None and max(w.bbox[2] for w in words) > line.words[heading].bbox[2]


# A cell starting within this much of a column's right edge and running on past it belongs to the
# next column (a skewed scan's designations drift left under « Réf. »).
NEXT_COLUMN_SLIVER = 0.012


def _words_in_range(line: Line, x0: float, x1: float, header_x: tuple[float, float] | None = None,
                    whole_cells: bool = False) -> list[Word]:
    """The words of ``line`` in the cells that overlap [x0, x1]; ``whole_cells``: a cell running
    in from the left is kept whole (« du 07/04/2023 au 06/04/2024 » under « valable : »)."""
    chosen: list[tuple[int, int]] = []
    for start, end in line.cells:
        cx0, cx1 = line.x_range(start, end)
        if cx1 < x0 - 0.01 or cx0 > x1:
            continue
        if cx0 > x1 - NEXT_COLUMN_SLIVER and cx1 > x1 + 3 * NEXT_COLUMN_SLIVER:
            continue  # the next column's text, drifted onto the edge by a skewed scan
        # a wide cell that starts far left of the label belongs to another column
        if cx0 < x0 - 0.06 and header_x is not None and cx1 < header_x[0]:
            continue
        chosen.append((start, end))
    words: list[Word] = []
    for start, end in chosen:
        cut = start
        if line.words[start].bbox[0] < x0 - 0.03 and not (whole_cells and _reads_as_a_period(line.words[start:end])):
            # a cell running in from the left holds the previous column's value too
            cut = next((i for i in range(start, end) if line.words[i].bbox[2] > x0 - 0.005), end)
            cut = _number_start(line.words, start, cut)
        words.extend(line.words[cut:end])
    return words


_PERIOD_WORDS = frozenset({"du", "au", "à", "jusqu'au", "jusqu’au", "depuis"})


def _reads_as_a_period(words: list[Word]) -> bool:
    """« du 07/04/2023 au 06/04/2024 »: a cell kept whole under a period's label; two dates side
    by side in a table's row (« 19 avril 2023 18 avril 2027 ») are two columns' values."""
    return any(w.text.lower() in _PERIOD_WORDS for w in words)


_LEADING_GROUP_RE = re.compile(r"\d{1,3}")
_THOUSANDS_GROUP_RE = re.compile(r"\d{3}(?:[.,]\d{1,3})?(?!\d)")


def _number_start(words: list[Word], start: int, cut: int) -> int:
    """``cut`` moved left over the thousands groups of a number it would split: an amount
    right-aligned under a narrower header starts left of it (« 1 » of « 1 634,39 »)."""
    while start < cut < len(words) and _LEADING_GROUP_RE.fullmatch(words[cut - 1].text) \
            and _THOUSANDS_GROUP_RE.match(words[cut].text):
        cut -= 1
    return cut


def _lines_below(layout: DocumentLayout, hit: _LabelHit, max_below: int) -> list[tuple[int, Line]]:
    lines = layout.lines[hit.line.page]
    out = []
    previous_bottom = hit.line.bottom
    h = hit.line.height
    for k, line in enumerate(lines[hit.line.index + 1:], 1):
        if len(out) >= max_below:
            break
        if line.top - previous_bottom > max(3.0 * h, 0.04):
            break
        out.append((k, line))
        previous_bottom = max(previous_bottom, line.bottom)
    return out


def _shape(text: str) -> str:
    """Letters and digits alike (a scan reads « ISO001 » as « 1S0001 »), punctuation as it is."""
    return re.sub(r"[^\W_]", "X", text)


def read_off_image(hit: _LabelHit, words: list[Word]) -> bool:
    """Words OCR read under a heading of a text layer: on a born-digital page, an image's (the
    installer's stamp « 02100 SAINT- » under « Réf. » past the totals), never the table's print."""
    return all(w.conf < 1.0 for w in words) and all(w.conf >= 1.0 for w in hit.line.words)


ARTICLE_NUMBER_DIGITS = 6


def article_codes(found: list) -> bool:
    """Three values or more of a column, most of one shape (« DÉP001 », « SUP002 », « MAI004 »: a
    code per item row, labour included), or codes in capitals some with digits and some without:
    the seller's article codes, not manufacturers' references."""
    if len(found) >= 3 and all(" " not in c.raw.strip() and not any(ch.islower() for ch in c.raw) for c in found) \
            and len({any(ch.isdigit() for ch in c.raw) for c in found}) == 2:
        # a store's column: numbers for the goods (« 62923556 »), words for the services (« SRV-MES »,
        # « POSE »), each one token in capitals; a maker's models all hold digits
        return True
    numbers = [c.raw.strip() for c in found]
    if len(numbers) >= 2 and all(n.isdigit() and len(n) >= ARTICLE_NUMBER_DIGITS for n in numbers) \
            and len({len(n) for n in numbers}) == 1:
        return True  # two goods' article numbers of one length (« 63007598 », « 50409218 »)
    shapes = [_shape(c.raw) for c in found if any(ch.isdigit() for ch in c.raw)]
    if len(shapes) < 3:
        return False
    common = max(shapes.count(s) for s in set(shapes))
    return common >= 3 and common >= 0.75 * len(found)


_SEQUENCE_CODE = re.compile(r"^[A-ZÀ-Ý]{2,4}0\d{2}$")


def sequence_code(text: str) -> bool:
    """A seller's article code numbering the item rows (« LIA004 », « PAN001 »: a prefix and a
    zero-padded row number), which no maker names a model; or the row's number alone (« 11 », a
    scan's « 1.1 » without its dot)."""
    text = text.strip()
    return bool(_SEQUENCE_CODE.match(text)) or (text.isdigit() and len(text) <= 3)


def two_column_row(layout: DocumentLayout, line: Line) -> bool:
    """A row of a form printed in two columns, labels left and values right-aligned far right
    (« Déclarant 1 … PINTO BENJAMIN » / « Date d'établissement … 27/07/2022 »): the lines just
    above or below hold two cells too, the second ending where this one's does."""
    if len(line.cells) != 2:
        return False
    right = line.words[line.cells[1][1] - 1].bbox[2]
    left = line.words[0].bbox[0]
    lines = layout.lines[line.page]
    for other in lines[max(line.index - 2, 0):line.index] + lines[line.index + 1:line.index + 3]:
        if len(other.cells) == 2 and abs(other.words[0].bbox[0] - left) < 0.02 \
                and abs(other.words[other.cells[1][1] - 1].bbox[2] - right) < 0.02:
            return True
    return False


def number_wrapped(layout: DocumentLayout, hit: _LabelHit) -> list[Word]:
    """A number in groups of digits the line ends in the middle of, with its groups opening the
    next line (a centred legal footer: « … – SIRET 974 395 » / « 360 100 71 – N° TVA … »); [] else."""
    line = hit.line
    tail = line.words[hit.end_word:]
    if not tail or len(tail) > 4 or not all(w.text.isdigit() for w in tail):
        return []
    lines = layout.lines[line.page]
    if line.index + 1 >= len(lines):
        return []
    following = lines[line.index + 1]
    if following.top - line.bottom > line.height:
        return []
    head = []
    for word in following.words[:4]:
        if not word.text.isdigit():
            break
        head.append(word)
    return tail + head if head else []


def wrapped_start(layout: DocumentLayout, hit: _LabelHit) -> list[Word]:
    """The words opening the next line of the running text a label closes: the line just below,
    its cell starting where the label's cell starts, or, in a centred paragraph (a legal footer),
    the whole next line, centred under the label's; [] when the text does not go on so."""
    cell_start, _ = hit.line.cell_of(hit.start_word)
    x0, x1 = hit.line.words[cell_start].bbox[0], hit.line.words[-1].bbox[2]
    for _, line in _lines_below(layout, hit, 1):
        if line.top - hit.line.bottom > 1.2 * hit.line.height:
            break
        for start, end in line.cells:
            centred = (start == 0 and x0 < line.words[0].bbox[0] and line.words[-1].bbox[2] < x1
                       and abs(line.words[0].bbox[0] + line.words[-1].bbox[2] - x0 - x1) < 0.04)
            if abs(line.words[start].bbox[0] - x0) <= 0.02 or centred:
                return line.words[start:end]
    return []


def sentence_goes_on(layout: DocumentLayout, hit: _LabelHit) -> list[Word]:
    """The first words of the next line where the sentence holding a label runs on to it, the
    label followed on its line by a few lower-case words at most (« … sous forme de prime d'un » /
    « montant de 4 406,86 €. », « … de prime d'un montant de » / « 710,88 €. »); [] otherwise."""
    _, cell_end = hit.line.cell_of(hit.start_word)
    rest = hit.line.words[hit.end_word:cell_end]
    if cell_end != len(hit.line.words) or len(rest) > 3 or not all(
            w.text.isalpha() or "'" in w.text or "’" in w.text for w in rest) or any(w.text[:1].isupper() for w in rest):
        return []
    if not rest and not hit.line.words[hit.end_word - 1].text[-1:].isalpha():
        return []  # « Prime CEE : »: a label of its own, its value below
    return wrapped_start(layout, hit)[:5]
