"""Words with boxes regrouped into lines and cells, as a reader sees the page.

A scanned page is often rotated by a degree or two: over the width of an A4 page that moves a
line by more than its own height, so words are first put back on a level baseline (the skew
is measured from neighbouring words) before being grouped into lines. A line is then cut into
cells where the horizontal gap between two words is much wider than a space: the columns of
a table or of a two-column header.
"""
from __future__ import annotations

import bisect
import functools
import math
import re
from dataclasses import dataclass, field

from ..types import BBox, PageContent, Word
from .text import Token, token_tuple

A4_RATIO = 297 / 210  # height / width, when the page size is unknown


@dataclass
class LineToken:
    """A folded token of a line and the index (in ``Line.words``) of the word it came from."""

    text: str
    word: int


@dataclass
class Line:
    words: list[Word]
    index: int = 0  # position on the page, top to bottom
    page: int = 1
    cells: list[tuple[int, int]] = field(default_factory=list)  # [start, end) word ranges
    _tokens: list[LineToken] | None = None
    _token_texts: list[str] | None = None
    _token_set: frozenset[str] | None = None
    _token_positions: dict[str, list[int]] | None = field(default=None, compare=False, repr=False)
    _x_ranges: dict[tuple[int, int], tuple[float, float]] | None = field(default=None, compare=False, repr=False)

    # A line's words are not changed once it is built: its text and geometry are computed once.
    @functools.cached_property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @functools.cached_property
    def bbox(self) -> BBox:
        return union_box(w.bbox for w in self.words)

    @functools.cached_property
    def top(self) -> float:
        return min(w.bbox[1] for w in self.words)

    @functools.cached_property
    def bottom(self) -> float:
        return max(w.bbox[3] for w in self.words)

    @functools.cached_property
    def height(self) -> float:
        return median([w.bbox[3] - w.bbox[1] for w in self.words])

    @property
    def tokens(self) -> list[LineToken]:
        if self._tokens is None:
            result = []
            for i, word in enumerate(self.words):
                for text in token_tuple(word.text):
                    result.append(LineToken(text, i))
            self._tokens = result
        return self._tokens

    @property
    def token_texts(self) -> list[str]:
        """The folded texts of ``tokens``, in order."""
        if self._token_texts is None:
            self._token_texts = [t.text for t in self.tokens]
        return self._token_texts

    @property
    def token_set(self) -> frozenset[str]:
        if self._token_set is None:
            self._token_set = frozenset(self.token_texts)
        return self._token_set

    @property
    def token_positions(self) -> dict[str, list[int]]:
        """Where each token text stands in ``token_texts``."""
        if self._token_positions is None:
            positions: dict[str, list[int]] = {}
            for i, text in enumerate(self.token_texts):
                positions.setdefault(text, []).append(i)
            self._token_positions = positions
        return self._token_positions

    def cell_of(self, word_index: int) -> tuple[int, int]:
        for start, end in self.cells:
            if start <= word_index < end:
                return start, end
        return word_index, word_index + 1

    def x_range(self, start: int, end: int) -> tuple[float, float]:
        if self._x_ranges is None:
            self._x_ranges = {}
        found = self._x_ranges.get((start, end))
        if found is None:  # asked again and again for the same cells by every field
            words = self.words[start:end]
            found = self._x_ranges[(start, end)] = (min(w.bbox[0] for w in words), max(w.bbox[2] for w in words))
        return found


def median(values: list[float]) -> float:
    """The middle value, or the mean of the two middle ones (as ``statistics.median``, for a
    list, faster: the layout takes thousands of small medians per page)."""
    return _sorted_median(sorted(values))


def _sorted_median(ordered: list[float]) -> float:
    """``median`` of a list already sorted."""
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def union_box(boxes) -> BBox:
    boxes = list(boxes)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _aspect(page: PageContent | None) -> float:
    if page is not None and page.width and page.height:
        return page.height / page.width
    return A4_RATIO


def estimate_skew(words: list[Word], aspect: float = A4_RATIO) -> float:
    """The slope (dy/dx, in page-width units) of the text baselines, from neighbouring words."""
    slopes = []
    ordered = sorted(words, key=lambda w: (w.bbox[0]))
    heights = [w.bbox[3] - w.bbox[1] for w in words if w.bbox[3] > w.bbox[1]]
    if len(heights) < 4:
        return 0.0
    h = median(heights)
    boxes = [w.bbox for w in ordered]
    # bucket words by their vertical centre so each word looks only at nearby ones
    keys = [int(((box[1] + box[3]) / 2) / h) for box in boxes]
    buckets: dict[int, list[int]] = {}
    for i, key in enumerate(keys):
        buckets.setdefault(key, []).append(i)
    lefts = {key: [boxes[j][0] for j in bucket] for key, bucket in buckets.items()}  # ascending, as ``ordered``
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        w = ordered[i]
        wh = y1 - y0
        low, high = -0.2 * wh, 3 * wh
        best = None
        for key in (keys[i], keys[i] - 1, keys[i] + 1):
            bucket = buckets.get(key)
            if bucket is None:
                continue
            # the neighbour is the leftmost word starting in [x1 + low, x1 + high]: skip the words left of it
            xs = lefts[key]
            p = bisect.bisect_left(xs, x1 + low)
            while p > 0 and not xs[p - 1] - x1 < low:
                p -= 1
            while p < len(xs) and xs[p] - x1 < low:
                p += 1
            for j in bucket[p:]:
                ox0, oy0, ox1, oy1 = boxes[j]
                gap = ox0 - x1
                if gap > high:
                    break
                if ordered[j] is w or gap < low:
                    continue
                oh = oy1 - oy0
                if abs(oh - wh) > 0.3 * wh:
                    continue
                if best is None or ox0 < best[0]:
                    best = boxes[j]
                break  # the leftmost in this bucket: the others start right of it
        if best is None:
            continue
        dx = ((best[0] + best[2]) - (x0 + x1)) / 2
        dy = ((best[1] + best[3]) - (y0 + y1)) / 2 * aspect
        if dx > 0.01:
            slopes.append(dy / dx)
    if len(slopes) < 5:
        return 0.0
    slope = median(slopes)
    return slope if abs(slope) < math.tan(math.radians(8)) else 0.0


def build_lines(words: list[Word], page: PageContent | None = None, page_number: int = 1) -> list[Line]:
    """The page's words grouped into lines (top to bottom), each line's words left to right,
    each line cut into cells at wide gaps."""
    words = [_without_glued_rule(w) if w.conf < 1.0 and (w.text[0] in _GLUED_FIRST or w.text[-1] in _GLUED_LAST) else w
             for w in words if w.text and w.text.strip()]
    if any("..." in w.text or "…" in w.text for w in words):
        words = _without_leaders(words)
    aspect = _aspect(page)
    columns, words = _vertical_columns(words, aspect)
    scanned, words = _vertical_columns(words, aspect, scanned=True)
    columns += scanned
    if not words:
        return [_vertical_line(column, k, page_number) for k, column in enumerate(columns)]
    slope = estimate_skew(words, aspect)

    def level_y(w: Word) -> float:
        cx = (w.bbox[0] + w.bbox[2]) / 2
        return (w.bbox[1] + w.bbox[3]) / 2 - slope * cx / aspect

    ordered = sorted(((level_y(w), w) for w in words), key=lambda item: item[0])
    # OCR boxes a dash or a dot around its ink, a sliver of its line's height: such words join
    # the nearest line once the lines are made (« HABITAT - SAS au capital »), never make one
    least = 0.5 * median([w.bbox[3] - w.bbox[1] for w in words])
    # a speck the engine read as one letter it has no confidence in (« é » over a letterhead's line):
    # no word of the page, where it would make a line of its own between a block's lines
    ordered = [(y, w) for y, w in ordered if not _speck(w, least)]
    slivers = [(y, w) for y, w in ordered if w.bbox[3] - w.bbox[1] < least and not _has_alnum(w.text)]
    if slivers and len(slivers) < len(ordered):
        kept = {id(w) for _, w in slivers}
        ordered = [(y, w) for y, w in ordered if id(w) not in kept]
    else:
        slivers = []
    rows: list[list[Word]] = []
    row_y: list[float] = []
    row_h: list[float] = []
    heights: list[float] = []  # the current row's word heights, sorted
    for y, w in ordered:
        h = max(w.bbox[3] - w.bbox[1], 1e-4)
        if rows and abs(y - row_y[-1]) <= 0.45 * min(max(row_h[-1], h), 2 * min(row_h[-1], h)):
            rows[-1].append(w)
            bisect.insort(heights, w.bbox[3] - w.bbox[1])
            n = len(rows[-1])
            row_y[-1] = row_y[-1] + (y - row_y[-1]) / n
            row_h[-1] = max(row_h[-1], h) if n < 3 else _sorted_median(heights)
        else:
            rows.append([w])
            row_y.append(y)
            row_h.append(h)
            heights = [w.bbox[3] - w.bbox[1]]
    alone = []
    for y, w in slivers:
        k = bisect.bisect_left(row_y, y)
        near = min((j for j in (k - 1, k) if 0 <= j < len(rows)), key=lambda j: abs(row_y[j] - y))
        if abs(row_y[near] - y) <= 0.6 * row_h[near]:
            rows[near].append(w)
        else:
            alone.append((y, w))  # a rule or a speck between lines: a line of its own, as before
    for y, w in alone:
        k = bisect.bisect_left(row_y, y)
        rows.insert(k, [w])
        row_y.insert(k, y)
    rows = _with_floating_values(*_stitched(rows, row_y, aspect))
    lines = []
    for i, row in enumerate(rows):
        row.sort(key=lambda w: w.bbox[0])
        line = Line(words=_with_square_metres(_dedupe(row)), index=i, page=page_number)
        line.cells = _cells(line.words, aspect)
        lines.append(line)
    # text printed sideways down a margin (a sidebar's legal mentions): lines of their own, after the page's
    lines.extend(_vertical_line(column, len(lines) + k, page_number) for k, column in enumerate(columns))
    return lines


VERTICAL = 2.5  # a word this many times taller than wide, of three characters or more, runs down the page
SCANNED_VERTICAL = 1.5  # an OCR'd word of four letters or more this many times taller than wide runs down the page
TEXT_EDGE = 0.004  # a text layer's sideways words share the column's left and right edges within this
STRIP_EDGE = 0.006  # the words of a sideways strip OCR boxes to the strip's width: their edges line up within this


def _vertical_columns(words: list[Word], aspect: float, scanned: bool = False) -> tuple[list[list[Word]], list[Word]]:
    """The words printed sideways (a margin's legal mentions, turned a quarter): the columns of
    words sharing the left and right edges of a clearly vertical one, in the reading order (the
    text layer's or the engine's: top to bottom, or bottom to top for text turned the other way),
    and the other words.

    On a scan (``scanned``: « BOUYGUES TELECOM - Société Anonyme au capital … » up a bill's right
    edge) the engine boxes each word to the strip it stands in, so they share its edges and the
    long ones are taller than wide: a strip with two such words at least is one column, every
    word boxed to its edges and those inside them over its height (« RC:S. »). Read across, its
    words ran into the table lines beside it (« Vos abonnements … | 10,83 | 12,99 | 490 »)."""
    if scanned:
        tall = [w for w in words if w.conf < 1.0 and sum(c.isalnum() for c in w.text) >= 4
                and (w.bbox[3] - w.bbox[1]) * aspect > SCANNED_VERTICAL * (w.bbox[2] - w.bbox[0])]
        edge, seeds_needed = STRIP_EDGE, 2
    else:
        tall = [w for w in words if w.conf >= 1.0 and len(w.text) >= 3
                and w.bbox[3] - w.bbox[1] > VERTICAL * (w.bbox[2] - w.bbox[0])]
        edge, seeds_needed = TEXT_EDGE, 1
    if len(tall) < seeds_needed:
        return [], words
    same_layer = [w for w in words if (w.conf < 1.0) == scanned]
    tall_ids = {id(w) for w in tall}
    columns: list[list[Word]] = []
    taken: set[int] = set()
    for seed in tall:
        if id(seed) in taken:
            continue
        left, right = seed.bbox[0], seed.bbox[2]
        column = [w for w in same_layer if id(w) not in taken
                  and abs(w.bbox[0] - left) < edge and abs(w.bbox[2] - right) < edge]
        if sum(id(w) in tall_ids for w in column) < seeds_needed:
            continue
        if scanned:
            top, bottom = min(w.bbox[1] for w in column), max(w.bbox[3] for w in column)
            column = [w for w in same_layer if id(w) not in taken and w.bbox[0] > left - edge
                      and w.bbox[2] < right + edge and w.bbox[1] > top - edge and w.bbox[3] < bottom + edge]
        if len(column) >= 3:
            columns.append(column)
            taken.update(id(w) for w in column)
    if not columns:
        return [], words
    return columns, [w for w in words if id(w) not in taken]


STITCH_REACH = 3  # rows after a row where the rest of its line may have been put
STITCH_OVERLAP = 0.6  # of the taller word's height: the two words at the junction stand on one line


def _stitched(rows: list[list[Word]], row_y: list[float], aspect: float) -> tuple[list[list[Word]], list[float]]:
    """Rows of a scan that are two pieces of one line, joined: a photo's line that rises across
    the page more than the page's skew says (« La société Mint » | « Énergie, dont le siège
    social est situé … »: the right piece's words sorted higher, its left end a row of its own).
    The left piece ends where the right one begins, a space between them, the two words
    at the junction side by side on one line."""
    if len(rows) < 2 or all(w.conf >= 1.0 for w in rows[0]):
        return rows, row_y
    rows, row_y = [list(row) for row in rows], list(row_y)
    i = 0
    while i < len(rows):
        for j in range(i + 1, min(i + 1 + STITCH_REACH, len(rows))):
            if _pieces_of_one_line(rows[i], rows[j], aspect) or _pieces_of_one_line(rows[j], rows[i], aspect):
                rows[i] += rows.pop(j)
                row_y.pop(j)
                break
        else:
            i += 1
    return rows, row_y


def _pieces_of_one_line(left: list[Word], right: list[Word], aspect: float) -> bool:
    last = max(left, key=lambda w: w.bbox[2])
    first = min(right, key=lambda w: w.bbox[0])
    if last.conf >= 1.0 or first.conf >= 1.0:
        return False
    height = min(last.bbox[3] - last.bbox[1], first.bbox[3] - first.bbox[1])
    gap = first.bbox[0] - last.bbox[2]
    if not -0.002 <= gap <= 1.2 * height * aspect or height <= 0:
        return False
    overlap = min(last.bbox[3], first.bbox[3]) - max(last.bbox[1], first.bbox[1])
    return overlap >= STITCH_OVERLAP * max(last.bbox[3] - last.bbox[1], first.bbox[3] - first.bbox[1])


def _vertical_line(column: list[Word], index: int, page_number: int) -> Line:
    return Line(words=column, index=index, page=page_number, cells=[(0, len(column))])


# A value typed on a printed form after the fact sits a little above or below its label's line
# (the printer's feed): up to this share of a line's height between their centres it still
# belongs to that line, where nothing else stands in its way.
FLOATING_VALUE_SHIFT = 0.8
# a label's colon a scan read as another sign, standing apart (« Référence de la facturé . »)
_MISREAD_COLONS = frozenset({".", ",", ";", "-", "—"})
BOXED_VALUE_SHIFT = 0.6  # a value typed off a label without a colon: nearer its line, half a line at most


def _follows_a_colon(word: Word, row: list[Word], boxed: bool = False) -> bool:
    """Whether ``word`` stands in a gap of ``row`` just right of one of its labels (« Nom : »):
    it overlaps none of the row's words and the nearest of them to its left ends with a colon;
    ``boxed``: or, on a scan, a letter, two characters' width or more away (a form's box typed
    in higher than its label, « Date d'achèvement   20/07/2026 »)."""
    left = None
    for other in row:
        if other.bbox[0] < word.bbox[2] - 0.002 and other.bbox[2] > word.bbox[0] + 0.002:
            return False
        if other.bbox[2] <= word.bbox[0] + 0.002 and (left is None or other.bbox[2] > left.bbox[2]):
            left = other
    if left is None:
        return False
    if left.text.endswith(":") or (left.conf < 1.0 and left.text in _MISREAD_COLONS):
        return True
    pitch = (left.bbox[2] - left.bbox[0]) / max(len(left.text), 1)
    return (boxed and word.conf < 1.0 and left.conf < 1.0 and left.text[-1:].isalpha()
            and sum(c.isalnum() for c in word.text) >= 3  # (not a speck read « in » under a label's end)
            and word.bbox[0] - left.bbox[2] >= 2 * pitch)


def _with_floating_values(rows: list[list[Word]], row_y: list[float]) -> list[list[Word]]:
    """The rows with each row of values typed off its labels' line (« WEBER   Pauline » a few
    points above « Nom :   Prénom : ») put back into that line: every word of the row stands
    right of a label's colon there, in a gap, and the two rows are nearer than a line's height."""
    if len(rows) < 2:
        return rows
    row_h = [median([w.bbox[3] - w.bbox[1] for w in row]) for row in rows]
    target: dict[int, int] = {}
    for i, row in enumerate(rows):
        if any(w.text.endswith(":") for w in row):
            continue  # a row of labels itself
        best = None
        for j in (i - 1, i + 1):
            if not 0 <= j < len(rows) or j in target:
                continue
            distance = abs(row_y[i] - row_y[j])
            if distance > FLOATING_VALUE_SHIFT * max(row_h[i], row_h[j]):
                continue
            boxed = distance <= BOXED_VALUE_SHIFT * max(row_h[i], row_h[j])
            if all(_follows_a_colon(w, rows[j], boxed) for w in row) and (best is None or distance < best[0]):
                best = (distance, j)
        if best is not None:
            target[i] = best[1]
    if not target:
        return rows
    for i, j in target.items():
        rows[j].extend(rows[i])
    return [row for i, row in enumerate(rows) if i not in target]


# What OCR glues to a word from the page around it: a table's rule (« [DEV-2023-01800 », « HT| »),
# a speck read as an opening quote (« ‘21000 DIJON ») with nothing that closes it in the word, or
# the label's colon before a name (« Nom du client :.Mme Denise GUILLAUME »).
_GLUED_OPENING_RE = re.compile(r"^(?:[\[|‘]+(?=\w)|[:;.]+(?=[^\W\d_]))")
_GLUED_CLOSING_RE = re.compile(r"(?<=[\w%€])[\]|]+$")
_CLOSERS = {"[": "]", "‘": "’"}
_GLUED_FIRST, _GLUED_LAST = "[|‘:;.", "]|"


def _without_glued_rule(word: Word) -> Word:
    """``word`` (read by OCR) without the rule or speck glued to either end of it; a text
    layer's words (confidence 1) are read as printed."""
    text = word.text
    first = text[0]
    if first in "|:;." or (first in _CLOSERS and _CLOSERS[first] not in text):
        text = _GLUED_OPENING_RE.sub("", text)
    if text[-1] == "|" or (text[-1] == "]" and "[" not in text):
        text = _GLUED_CLOSING_RE.sub("", text)
    return word if text == word.text else Word(text, word.bbox, word.conf)


# « m² » after a number as OCR reads its superscript: « 59,50 m? », « 114 m° chauffés », « R = 3,70 m?.K/W ».
_SQUARE_METRE_SLIP_RE = re.compile(r"^m(?:[?°*é]+|2\?)(?=$|[.,;:/])")
_NUMBER_END_RE = re.compile(r"\d[.,]?$")


def _with_square_metres(row: list[Word]) -> list[Word]:
    """The row with each OCR'd « m? » / « m° » that follows a number read as the « m² » it is."""
    for k in range(1, len(row)):
        word = row[k]
        if word.text[0] == "m" and word.conf < 1.0 and _NUMBER_END_RE.search(row[k - 1].text):
            text = _SQUARE_METRE_SLIP_RE.sub("m²", word.text)
            if text != word.text:
                row[k] = Word(text, word.bbox, word.conf)
    return row


SPECK_CONFIDENCE = 0.3


def _speck(word: Word, least: float) -> bool:
    """A mark an OCR engine read as one letter or digit of no confidence, smaller than half a line."""
    text = word.text.strip()  # (a dash or a dot is a sliver of its line: it joins it, below)
    return word.conf < SPECK_CONFIDENCE and len(text) == 1 and text.isalnum() and word.bbox[3] - word.bbox[1] < least


def _has_alnum(text: str) -> bool:
    return any(c.isalnum() for c in text)


_EMPTY_CELL_MARKS = frozenset("—–-_/")


def empty_cell_mark(text: str) -> bool:
    """A table cell's dash saying it holds nothing (« — », a scan's « _ » or « -- »)."""
    return bool(text) and all(ch in _EMPTY_CELL_MARKS for ch in text)


_LEADER_RE = re.compile(r"\.{3,}|…+")


def _without_leaders(words: list[Word]) -> list[Word]:
    """The words with the dotted leaders of a filled form taken out (« Nom : ....DUPONT.... »,
    « Ville : …………Lyon »): the value printed on the dots is a word of its own, at its place
    in the run (each character given the same width), and a run of dots alone is no word."""
    out: list[Word] = []
    for w in words:
        text = w.text
        if "..." not in text and "…" not in text:
            out.append(w)
            continue
        x0, y0, x1, y1 = w.bbox
        step = (x1 - x0) / len(text)
        start = 0
        for match in [*_LEADER_RE.finditer(text), None]:
            end = match.start() if match else len(text)
            part = text[start:end]
            if part.strip():
                out.append(Word(part, (x0 + start * step, y0, x0 + end * step, y1), w.conf))
            start = match.end() if match else end
    return out


def _dedupe(row: list[Word]) -> list[Word]:
    """Drop exact duplicate words (some PDFs draw bold text twice)."""
    out: list[Word] = []
    for w in row:
        if out and out[-1].text == w.text and abs(out[-1].bbox[0] - w.bbox[0]) < 1e-3:
            continue
        out.append(w)
    return out


def _cells(words: list[Word], aspect: float) -> list[tuple[int, int]]:
    if not words:
        return []
    heights = sorted(w.bbox[3] - w.bbox[1] for w in words)
    h = heights[len(heights) // 2] * aspect  # in page-width units
    cells = []
    start = 0
    pitch = _letter_pitch(words)
    for i in range(1, len(words)):
        gap = _left_edge(words[i], pitch) - words[i - 1].bbox[2]
        # (two text-layer words that touch are one the text layer glued across two cells, cut
        # apart: ``engines.text_layer.without_glued_dates``)
        if gap > 1.6 * h or (gap == 0.0 and words[i].conf == 1.0 == words[i - 1].conf):
            cells.append((start, i))
            start = i
    cells.append((start, len(words)))
    return cells


def _letter_pitch(words: list[Word]) -> float:
    """The median width of a letter on an OCR'd line (0 on a text layer's): what a word's box
    must hold at least."""
    if words[0].conf >= 1.0 and words[-1].conf >= 1.0:
        return 0.0
    widths = sorted((w.bbox[2] - w.bbox[0]) / len(w.text) for w in words if len(w.text) >= 3)
    return widths[len(widths) // 2] if len(widths) >= 3 else 0.0


def _left_edge(word: Word, pitch: float) -> float:
    """Where an OCR'd word begins: its box's left, or where its letters must begin when the engine
    boxed less than half of them (« Montant hors TVA » on a photo: « TVA » boxed at its last
    letter, a column's gap before it)."""
    if pitch and word.conf < 1.0 and len(word.text) >= 2 and word.bbox[2] - word.bbox[0] < 0.5 * pitch * len(word.text):
        return word.bbox[2] - pitch * len(word.text)
    return word.bbox[0]


def page_lines(page: PageContent) -> list[Line]:
    return build_lines(page.words, page, page.number)


__all__ = ["Line", "LineToken", "Token", "build_lines", "estimate_skew", "page_lines", "union_box"]
