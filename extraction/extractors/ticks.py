"""Answer boxes drawn, not printed: a web form's printout or a filled PDF draws the radio button
or the check box before « Oui » and « Non » as vector paths (a circle, and a dot inside it when
ticked; a square, and a check mark or a fill when ticked), which no text layer holds. The yes/no
statements (``statements``) read marks as text (« ☒ Oui ☐ Non »): a box found drawn just left of
an answer word becomes that mark, an invisible word over the box, so that every reader of the
statement sees it as the document shows it.

A box is a path object about the answer's height, ending just before the word; it is ticked
when another object lies inside it (the dot, the check mark), empty when it stands alone.

On a scan the boxes are pixels, which OCR reads as stray characters (« Qui 3 Non + » for
« ☑ Oui ☐ Non ») or not at all (``scanned_marks``): where a line holds a « Oui » and a « Non »
(as OCR spells them) with ink just left of each, the box holding clearly more ink than the other
is the ticked one; the stray characters over the boxes give way to the marks and the answers
are spelt right. Two boxes inked alike (both empty, both ticked) are left to the text.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
from PIL import Image

from cee.text import fold

from ..types import BBox, FieldSpec, PageContent, Word
from .signatures import InkSource

TICKED, EMPTY = "☒", "☐"
_ANSWERS = frozenset({"oui", "non"})
_REACH = 3.0  # how far left of the word, in word heights, its box may start
_MAX_SIDE = 2.5  # the largest box, in word heights


def _answer(word: Word) -> bool:
    return fold(word.text).strip(" .,;:!?()[]") in _ANSWERS


def _centre_inside(inner: BBox, outer: BBox) -> bool:
    x, y = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] < x < outer[2] and outer[1] < y < outer[3] and inner != outer


def drawn_marks(page: PageContent, drawings: list[tuple[str, BBox, int]]) -> list[Word]:
    """A mark word (``TICKED`` or ``EMPTY``) over each box drawn just left of an answer word
    that no printed word separates from it."""
    marks = []
    for word in page.words:
        if not _answer(word):
            continue
        x0, y0, x1, y1 = word.bbox
        height = max(y1 - y0, 1e-3)
        left, top, bottom = x0 - _REACH * height, y0 - 0.5 * height, y1 + 0.5 * height
        if any(other is not word and other.bbox[2] <= x0 + 1e-4 and other.bbox[2] > left
               and other.bbox[1] < y1 and y0 < other.bbox[3] for other in page.words):
            continue  # a printed mark or another word stands between: the text tells
        paths = [box for kind, box, _ in drawings
                 if kind == "path" and box[0] >= left and box[2] <= x0 + 1e-4 and box[1] >= top and box[3] <= bottom
                 and box[2] - box[0] <= _MAX_SIDE * height and box[3] - box[1] <= _MAX_SIDE * height]
        if not paths:
            continue
        outer = max(paths, key=lambda box: (box[2] - box[0]) * (box[3] - box[1]))
        ticked = any(_centre_inside(box, outer) for box in paths)
        marks.append(Word(TICKED if ticked else EMPTY, outer, 1.0))
    return marks


# On a scan: how a box's ink is measured left of its answer (in answer heights), how much more
# ink tells the ticked box (a check mark over the outline), and the least ink a box has.
_SCAN_REACH = 3.0
_SCAN_GAP = 0.15
TICK_INK_RATIO = 1.25
MIN_BOX_INK = 0.006
# Inside the largest inked shape (a box and what touches it): a cross's strokes against paper
# (on an office attestation's scan, an empty box the frame's edge struck 0.0 once the rule is
# taken out, its ticked neighbour 0.44; a thin cross of one pixel 0.11).
TICK_INSIDE_RATIO = 2.5
MIN_INSIDE = 0.1
_DARK = 200  # grey level under which a pixel may be ink…
_INK_CONTRAST = 45  # …when this much darker than the paper around it
PAPER_SHARE = 0.5  # the lightest half of a box's surroundings is paper
RULE_RUN = 0.85  # of the measured region's height (about 1.6 word heights): longer ink runs are rules


# « Oui » and « Non » as OCR misreads them on a scan
_OCR_ANSWERS = {**{text: "oui" for text in ("oui", "qui", "0ui", "oul", "ou1", "gui", "dui", "cui", "oi")},
                **{text: "non" for text in ("non", "n0n", "nom", "mon", "rion")}}


def _ocr_answer(word: Word) -> str | None:
    """« oui » or « non » as OCR spells them (« Qui », « 0ui », « N0n »), else None."""
    return _OCR_ANSWERS.get(fold(word.text).strip(" .,;:!?()[]|"))


def _stray(word: Word) -> bool:
    """A character or two that is no word: what OCR makes of a box (« 3 », « + », « [] », « O »,
    « [F4] »)."""
    text = word.text.strip().strip("[](){}|")
    return len(text) <= 2 and not (len(text) == 2 and text.isalpha())


def _ink(image, region: BBox) -> tuple[float, BBox | None, float]:
    """The share of dark pixels in ``region`` (relative to the page) of a grey image, the box
    around them, and the share of dark pixels inside the largest inked shape (``_inside``)."""
    width, height = image.size
    box = (max(0, int(region[0] * width)), max(0, int(region[1] * height)),
           min(width, int(region[2] * width) + 1), min(height, int(region[3] * height) + 1))
    if box[2] - box[0] < 3 or box[3] - box[1] < 3:
        return 0.0, None, 0.0
    crop = image.crop(box)
    # ink is what stands out of the paper around it: a box's thin outline in a viewer's downscaled
    # copy of the scan is a light grey, a phone photo's paper a darker one
    histogram = crop.histogram()
    paper, seen, total = 255, 0, crop.width * crop.height
    for level in range(255, -1, -1):
        seen += histogram[level]
        if seen >= PAPER_SHARE * total:
            paper = level
            break
    threshold = max(0, min(paper - _INK_CONTRAST, _DARK))
    ink = _without_rules(np.asarray(crop) < threshold)
    dark = float(ink.sum()) / max(1, total)
    inked = Image.fromarray(ink).getbbox()
    if inked is None:
        return dark, None, 0.0
    return dark, ((box[0] + inked[0]) / width, (box[1] + inked[1]) / height,
                  (box[0] + inked[2]) / width, (box[1] + inked[3]) / height), _inside(ink)


def _inside(ink: np.ndarray) -> float:
    """The share of ink in the middle half of the largest inked shape (the box's outline and
    whatever touches it): an empty box's is paper, a ticked one's holds the cross's strokes."""
    from scipy import ndimage

    labels, count = ndimage.label(ink, structure=np.ones((3, 3), dtype=bool))
    if not count:
        return 0.0
    sizes = ndimage.sum(ink, labels, range(1, count + 1))
    rows, columns = ndimage.find_objects(labels)[int(np.argmax(sizes))]
    h, w = rows.stop - rows.start, columns.stop - columns.start
    middle = ink[rows.start + h // 4: rows.stop - h // 4, columns.start + w // 4: columns.stop - w // 4]
    return float(middle.mean()) if middle.size else 0.0


def _without_rules(ink: np.ndarray) -> np.ndarray:
    """``ink`` without the horizontal runs longer than a box is wide (``RULE_RUN`` of the region's
    height): a form's frame or rule a tilted scan sets across the boxes inks both alike and
    drowns the tick's difference. A tilted rule steps from one row to the next, and a low
    resolution leaves a pixel out here and there: a run is looked for over two rows, gaps of a
    pixel bridged."""
    from scipy import ndimage

    run = max(5, int(RULE_RUN * ink.shape[0]))
    if ink.shape[1] <= run or ink.shape[0] < 2:
        return ink
    bridged = ndimage.binary_closing(ink, structure=np.ones((1, 3), dtype=bool))
    two_rows = bridged.copy()
    two_rows[1:] |= bridged[:-1]
    runs = ndimage.binary_opening(two_rows, structure=np.ones((1, run), dtype=bool))
    rule = runs.copy()
    rule[:-1] |= runs[1:]
    return ink & ~rule


def _its_non(yes: Word, nons: list[Word]) -> Word | None:
    """The « Non » answering the same question as ``yes``: the next on its line, else the one
    just under it, where the two answers are stacked."""
    x0, y0, x1, y1 = yes.bbox
    height, middle = y1 - y0, (y0 + y1) / 2
    # on the line: each one's middle within the other (a « non » a rule cut down to its lower half
    # is boxed lower and smaller than its « oui »)
    beside = [word for word in nons if word.bbox[0] > x1 and (word.bbox[1] < middle < word.bbox[3]
                                                              or y0 < (word.bbox[1] + word.bbox[3]) / 2 < y1)]
    if beside:
        return min(beside, key=lambda word: word.bbox[0])
    under = [word for word in nons if 0 < word.bbox[1] - y1 < 2.5 * height and abs(word.bbox[0] - x0) < 1.5 * height]
    return min(under, key=lambda word: word.bbox[1], default=None)


def scanned_marks(page: PageContent, image) -> PageContent:
    """``page`` (read by OCR) with a mark word over each box measured in ``image`` left of a
    « Oui » and its « Non » (beside it or under it), its answers spelt right and the stray characters OCR read
    over the boxes taken away; the page as it is where no line holds such a pair."""
    answers = [(word, answer) for word in page.words if (answer := _ocr_answer(word))]
    if len(answers) < 2 or image is None:
        return page
    dropped, renamed, marks = set(), {}, []
    for yes, _ in (pair for pair in answers if pair[1] == "oui"):
        no = _its_non(yes, [word for word, answer in answers if answer == "non"])
        if no is None:
            continue
        measured = []
        # one height for both: OCR boxes « Non » lower and smaller than « Oui » on a line of both
        h = max(yes.bbox[3] - yes.bbox[1], no.bbox[3] - no.bbox[1], 1e-3)
        for word in (yes, no):
            x0, y0, x1, y1 = word.bbox
            middle = (y0 + y1) / 2
            y0, y1 = middle - h / 2, middle + h / 2
            left = x0 - _SCAN_REACH * h
            # up to the word before it, unless that word is a stray character (the box as OCR read it)
            for other in page.words:
                if other is not word and not _stray(other) and left < other.bbox[2] <= x0 and other.bbox[1] < y1 \
                        and y0 < other.bbox[3]:
                    left = other.bbox[2]
            region = (left, y0 - 0.45 * h, x0 - _SCAN_GAP * h, y1 + 0.45 * h)
            ink, inked, inside = _ink(image, region)
            measured.append((word, region, ink, inked, inside))
        (_, _, yes_ink, yes_box, yes_inside), (_, _, no_ink, no_box, no_inside) = measured
        if min(yes_ink, no_ink) < MIN_BOX_INK or yes_box is None or no_box is None:
            continue  # no box before one of them: an answer written out, left to the text
        if max(yes_ink, no_ink) >= TICK_INK_RATIO * min(yes_ink, no_ink):
            ticked = yes if yes_ink > no_ink else no
        elif max(yes_inside, no_inside) >= max(MIN_INSIDE, TICK_INSIDE_RATIO * min(yes_inside, no_inside)):
            # inked alike around (a rule through both boxes, specks): one holds a cross, the other paper
            ticked = yes if yes_inside > no_inside else no
        else:
            continue  # inked alike
        for word, region, _, inked, _ in measured:
            marks.append(Word(TICKED if word is ticked else EMPTY, inked, 1.0))
            renamed[id(word)] = "Oui" if word is yes else "Non"
            dropped |= {id(other) for other in page.words if _stray(other) and other is not word
                        and other.bbox[0] < region[2] and region[0] < other.bbox[2]
                        and other.bbox[1] < region[3] and region[1] < other.bbox[3]}
    if not marks:
        return page
    words = [replace(word, text=renamed[id(word)]) if id(word) in renamed else word
             for word in page.words if id(word) not in dropped]
    return replace(page, words=[*words, *marks])


def with_drawn_marks(pages: list[PageContent], specs: list[FieldSpec],
                     sources: Callable[[], dict[int, InkSource]]) -> list[PageContent]:
    """``pages`` with the marks of their drawn answer boxes among their words, for a schema with a
    yes/no statement (``sources()`` is called only then); the pages as they are otherwise."""
    if not any((spec.hints or {}).get("statement") is not None for spec in specs):
        return pages
    if not any(_answer(word) or (page.source or "").startswith("ocr") and _ocr_answer(word)
               for page in pages for word in page.words):
        return pages
    found = sources()
    out = []
    for page in pages:
        source = found.get(page.number)
        if source is not None and source.image is not None and (page.source or "").startswith("ocr"):
            out.append(scanned_marks(page, source.image))
            continue
        marks = drawn_marks(page, source.drawings) if source is not None and source.drawings else []
        if not marks:
            out.append(page)
            continue
        out.append(replace(page, words=[*page.words, *marks]))
    return out
