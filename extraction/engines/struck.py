"""Lines of text a rule runs through, read again on their own.

A form's frame drawn a little short, a tilted scan setting a section's rule a few pixels off: the
rule crosses the letters of a line at half their height (« N° de la facture : F2023-7367 »,
« Bâtiment existant depuis plus de deux ans : ☒ oui ☐ non » under the frame's bottom edge) and
the engine, taking the long stroke for a separator, loses the line or reads it as noise. The
page reading is kept as it is (taking the rule out of the whole page changes how the engine
lays out every other line); each long horizontal rule that letters' strokes cross — ink just
above and just below it, column after column, as text makes and a grid's few vertical lines do
not — has its strip of page read again, the rule taken out of it and the strip levelled; that
reading replaces the page's words there when it reads more.
"""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

import numpy as np
from PIL import Image

from extraction.types import Word

from .base import OcrEngine, OcrResult, ink_components, paper_level, text_from_words

INK = 150  # grey level under which a pixel is ink
MIN_RULE = 0.3  # of the page width: a frame's or a section's rule, not an underline
SEGMENT = 0.008  # of the page width: the straight step a tilted rule is followed by
MAX_THICKNESS = 5  # pixels (at most 200 dpi): thicker is a band or a bar, not a rule
REACH = 4  # pixels above and below the rule where a crossing stroke's ink is looked for
WINDOW = 0.05  # of the page width: the stretch of rule over which crossings are counted
MIN_CROSSINGS = 0.12  # share of a window's columns that strokes cross for it to be struck text
STRIP = 1.1  # line heights above and below the rule read again
SAME_PLACE = 0.8  # share of two words' joint stretch of a line they both cover: one word read twice
KEEP = 0.8  # line heights from the rule within which a word of the strip's reading is on the struck line


@dataclass(frozen=True)
class StruckRule:
    """A rule crossing text: its columns (pixels), its line (row = slope × column + offset), its thickness."""

    left: int
    right: int
    slope: float
    offset: float
    thickness: float

    def row(self, column: float) -> float:
        return self.slope * column + self.offset


def struck_rules(image: Image.Image) -> list[StruckRule]:
    """The long horizontal rules of ``image`` (greyscale) that run through a line of text."""
    from scipy import ndimage

    gray = np.asarray(image if image.mode == "L" else image.convert("L"))
    if gray.ndim != 2 or min(gray.shape) < 200:
        return []
    height, width = gray.shape
    ink = gray < INK
    step = max(8, int(SEGMENT * width))
    runs = ndimage.binary_opening(ink, structure=np.ones((1, step), dtype=bool))
    labels, components = ink_components(runs, structure=np.ones((3, 3), dtype=bool))
    window = max(20, int(WINDOW * width))
    found = []
    for index, box, h, w, area in components:
        if w < MIN_RULE * width or area < 0.8 * w:
            continue
        rows, cols = box
        mask = labels[box] == index
        present = mask.any(axis=0)
        top = mask.argmax(axis=0) + rows.start
        bottom = h - 1 - mask[::-1].argmax(axis=0) + rows.start
        thickness = float(np.median((bottom - top + 1)[present]))
        if thickness > MAX_THICKNESS:
            continue
        xs = np.arange(cols.start, cols.stop)
        slope, offset = _line(xs[present], (top + bottom)[present] / 2.0)
        centre = slope * xs + offset
        upper = np.floor(centre - thickness / 2.0).astype(int)
        lower = np.ceil(centre + thickness / 2.0).astype(int)
        above = np.zeros(w, dtype=bool)
        below = np.zeros(w, dtype=bool)
        for d in range(1, REACH + 1):
            above |= ink[np.clip(upper - d, 0, height - 1), xs]
            below |= ink[np.clip(lower + d, 0, height - 1), xs]
        crossed = (above & below).astype(np.float32)
        share = np.convolve(crossed, np.ones(window, dtype=np.float32) / window, mode="same")
        if share.max() >= MIN_CROSSINGS:  # the whole rule: the line it runs through goes on past the letters it crosses
            found.append(StruckRule(int(cols.start), int(cols.stop), slope, offset, thickness))
    return found


def _line(xs: np.ndarray, centres: np.ndarray) -> tuple[float, float]:
    """A straight line through a rule's centres, fitted again without the columns where letters
    touching it moved the centre."""
    slope, offset = np.polyfit(xs, centres, 1)
    near = np.abs(centres - (slope * xs + offset)) <= 1.5
    if near.sum() >= 0.5 * len(xs):
        slope, offset = np.polyfit(xs[near], centres[near], 1)
    return float(slope), float(offset)


def with_struck_lines_read(engine: OcrEngine, image: Image.Image, result: OcrResult, dpi: int | None) -> OcrResult:
    """``result`` (the engine's reading of ``image``) with the lines rules run through read again."""
    rules = struck_rules(image)
    if not rules or not result.words:
        return result
    width, height = image.size
    heights = [(w.bbox[3] - w.bbox[1]) * height for w in result.words if len(w.text) >= 3]
    line_height = statistics.median(heights) if heights else height / 110.0
    words = list(result.words)
    replaced = 0
    for rule in rules:
        strip, top, shifts = _strip(image, rule, line_height)
        second = engine.recognise(strip, dpi=dpi)
        found = [_on_page(w, rule, top, shifts, strip.size, (width, height)) for w in second.words]
        found = [w for w in found if _on_line(w, rule, line_height, (width, height))]
        old = [w for w in words if _on_line(w, rule, line_height, (width, height))]
        if reads_more(found, old):
            words = [w for w in words if not any(w is o for o in old)] + _surer_of_each(found, old)
            replaced += 1
    if not replaced:
        return result
    details = dict(result.details, struck_lines=replaced)
    return OcrResult(words=words, text=text_from_words(words), engine=result.engine, rotation=result.rotation,
                     details=details)


def _surer_of_each(found: list[Word], old: list[Word]) -> list[Word]:
    """The strip's words, each one the page read at the same place (the same stretch of the
    line, one word for one) with more confidence given back: taking the rule out cuts the foot
    of a value's characters the rule only touched (« F2025-2524 » read 0.91 on the page,
    « F2026-2524 » 0.79 in the strip), where the label it ran through reads better without it."""
    def same_place(a: Word, b: Word) -> bool:
        overlap = min(a.bbox[2], b.bbox[2]) - max(a.bbox[0], b.bbox[0])
        return overlap >= SAME_PLACE * (max(a.bbox[2], b.bbox[2]) - min(a.bbox[0], b.bbox[0]))

    out = []
    for word in found:
        twins = [o for o in old if same_place(o, word)]
        if len(twins) == 1 and twins[0].conf > word.conf and [f for f in found if same_place(twins[0], f)] == [word]:
            out.append(twins[0])
        else:
            out.append(word)
    return out


def _strip(image: Image.Image, rule: StruckRule, line_height: float) -> tuple[Image.Image, int, np.ndarray]:
    """The page's strip along the rule, levelled (each column shifted so that the rule runs
    straight), the rule taken out (the strokes across it kept); its top row on the page and each
    column's shift."""
    gray = np.asarray(image if image.mode == "L" else image.convert("L"))
    reach = int(STRIP * line_height)
    columns = np.arange(rule.left, rule.right)
    rows = np.round(rule.slope * columns + rule.offset).astype(int)
    base = int(rows[0])
    shifts = rows - base
    top = base - reach
    height = 2 * reach + 1
    piece = np.full((height, len(columns)), 255, dtype=np.uint8)
    for j, (column, shift) in enumerate(zip(columns, shifts)):
        first = top + shift
        lo, hi = max(first, 0), min(first + height, gray.shape[0])
        if hi > lo:
            piece[lo - first:hi - first, j] = gray[lo:hi, column]
    paper = paper_level(piece, INK)
    ink = piece < INK
    upper = reach - int(round(rule.thickness / 2.0))
    lower = reach + int(round(rule.thickness / 2.0))
    for j in range(piece.shape[1]):
        stroke = ink[max(upper - REACH, 0):upper, j].any() and ink[lower + 1:lower + 1 + REACH, j].any()
        if not stroke:
            piece[upper:lower + 1, j] = np.maximum(piece[upper:lower + 1, j], paper)
    return Image.fromarray(piece, mode="L"), top, shifts


def _on_page(word: Word, rule: StruckRule, top: int, shifts: np.ndarray, size: tuple[int, int],
             page: tuple[int, int]) -> Word:
    """A word the strip's reading found, its box put back on the page (its column's shift undone)."""
    (w, h), (pw, ph) = size, page
    x0, y0, x1, y1 = word.bbox
    shift = int(shifts[min(len(shifts) - 1, max(0, int((x0 + x1) / 2 * w)))])
    return Word(word.text, ((rule.left + x0 * w) / pw, (top + shift + y0 * h) / ph, (rule.left + x1 * w) / pw,
                            (top + shift + y1 * h) / ph), word.conf)


def _on_line(word: Word, rule: StruckRule, line_height: float, page: tuple[int, int]) -> bool:
    """Whether a word (relative box) stands on the line the rule runs through."""
    pw, ph = page
    cx, cy = (word.bbox[0] + word.bbox[2]) / 2 * pw, (word.bbox[1] + word.bbox[3]) / 2 * ph
    return rule.left <= cx <= rule.right and abs(cy - rule.row(cx)) <= KEEP * line_height


def read_amount(words: list[Word]) -> float:
    """How much a reading reads: its characters of letters and digits, weighted by the engine's confidence."""
    return sum(w.conf * sum(c.isalnum() for c in w.text) for w in words)


def reads_more(found: list[Word], old: list[Word]) -> bool:
    """Whether the strip's reading reads more of the line than the page's (``read_amount``)."""
    return read_amount(found) > 1.2 * read_amount(old) + 2
