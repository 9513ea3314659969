"""Dotted leaders taken away before OCR.

Forms print a row of dots between a caption and its value (« Nom : ..............GONCALVES...
Prénom : ..........Aimé... »). On a scan the engine reads the dots as letters, joins them to the
value (« -GONCALVES. », « ve Angoulême... ») or drops the value with them (« Aimé », the postal
code and the town of a whole line gone). Runs of dots — small round marks of one size, on one
line, evenly spaced, eight or more — are turned to paper; a full stop, an ellipsis, the dot of an
« i » or an accent is none (fewer, or not in a row). Pages without leaders are returned as they are.
"""
from __future__ import annotations

import numpy as np
from PIL import Image

from .base import ink_components, paper_level

INK = 150  # grey level under which a pixel is ink
MAX_DOT = 0.0035  # of the page width: the largest dot (a 200 dpi scan's leader dot: 3 to 5 pixels)
MIN_RUN = 8  # dots in a row for a leader (a scan's specks line up by chance in fives)
MAX_PITCH = 4.0  # the largest gap between two dots of a run, in dots' widths…
MAX_PITCH_ABSOLUTE = 0.012  # …and in page widths
ISOLATION = 2  # dots' sizes above and below a dot that hold no ink…
ALONE_SHARE = 0.7  # …for this share of a run's dots at least
ROW_SLACK = 0.6  # of a dot's height: how far a run's dots may stray from its line (a tilted scan)


def without_dot_leaders(image: Image.Image) -> Image.Image:
    """``image`` (greyscale) with its dotted leaders turned to paper; the image itself when it has none."""
    gray = np.asarray(image if image.mode == "L" else image.convert("L"))
    if gray.ndim != 2 or min(gray.shape) < 200:
        return image
    height, width = gray.shape
    biggest = max(2, int(MAX_DOT * width))
    ink = gray < INK
    labels, components = ink_components(ink)
    dots = []  # (centre x, centre y, size, label, box, alone)
    for index, box, h, w, area in components:
        if h > biggest or w > biggest or min(h, w) < 2 or h * 2 < w or w * 2 < h or area < 0.4 * h * w:
            continue
        dots.append(((box[1].start + box[1].stop) / 2, (box[0].start + box[0].stop) / 2, max(h, w), index, box,
                     _alone(ink, box, max(h, w))))
    if len(dots) < MIN_RUN:
        return image
    dots.sort(key=lambda d: (d[0]))
    runs = _runs(dots, width)
    if not runs:
        return image
    out = gray.copy()
    paper = paper_level(gray, INK)
    for run in runs:
        for _, _, _, index, box, _ in run:
            # the dot's box and a pixel round it: the grey of its blurred edge would read as a ring
            rows = slice(max(box[0].start - 1, 0), box[0].stop + 1)
            columns = slice(max(box[1].start - 1, 0), box[1].stop + 1)
            region = out[rows, columns]
            region[labels[rows, columns] == 0] = np.maximum(region[labels[rows, columns] == 0], paper)
            region[labels[rows, columns] == index] = paper
    return Image.fromarray(out, mode="L")


def _alone(ink, box, size: int) -> bool:
    """Whether nothing is inked within twice the dot's size above and below it (a leader's dot
    sits alone on its line's baseline)."""
    reach = ISOLATION * size
    columns = slice(max(box[1].start - 1, 0), box[1].stop + 1)
    above = ink[max(box[0].start - reach, 0):box[0].start, columns]
    below = ink[box[0].stop:box[0].stop + reach, columns]
    return not above.any() and not below.any()


def _runs(dots: list, width: int) -> list[list]:
    """Rows of evenly spaced dots of one size, ``MIN_RUN`` or more (dots sorted by x)."""
    open_runs: list[list] = []
    done: list[list] = []
    limit = MAX_PITCH_ABSOLUTE * width
    for dot in dots:
        x, y, size = dot[0], dot[1], dot[2]
        best = None
        for run in open_runs:
            last = run[-1]
            gap = x - last[0]
            if gap <= 0 or gap > min(MAX_PITCH * max(size, last[2]) + size, limit):
                continue
            # the row's slope follows a tilted scan: its line through the run's last two dots
            expected = last[1]
            if len(run) > 1:
                expected += (last[1] - run[-2][1]) / max(last[0] - run[-2][0], 1) * gap
            if abs(y - expected) <= max(ROW_SLACK * size, 1.5) and abs(size - last[2]) <= max(1, 0.5 * last[2]):
                best = run
                break
        if best is None:
            open_runs.append([dot])
        else:
            best.append(dot)
        # runs whose last dot is far behind are closed
        still = []
        for run in open_runs:
            if x - run[-1][0] > limit:
                if len(run) >= MIN_RUN:
                    done.append(run)
            else:
                still.append(run)
        open_runs = still
    done.extend(run for run in open_runs if len(run) >= MIN_RUN)
    # most of a leader's dots stand alone (a scan's speck may touch a few); pieces of letters a scan
    # broke, the dots of « i », have ink just above or below them
    return [run for run in done if _even(run) and sum(d[5] for d in run) >= ALONE_SHARE * len(run)]


def _even(run: list) -> bool:
    """Whether a run's dots are evenly spaced (a leader), not a word's dots lined up by chance."""
    gaps = np.diff([d[0] for d in run])
    median = float(np.median(gaps))
    return median > 0 and 0.6 * median <= float(np.percentile(gaps, 20)) and float(np.percentile(gaps, 80)) <= 1.5 * median
