"""The OCR engine interface: an image in, words with confidences and relative boxes out.

Every engine (Tesseract on the CPU, EasyOCR on a GPU host) returns the same ``OcrResult``,
so the pipeline, the stored ``Page.words`` and the extractors never know which one ran.
"""
from __future__ import annotations

import statistics
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from extraction.types import Word


class OcrEngineUnavailable(Exception):
    """The engine cannot run on this host (binary or weights missing): a configuration error."""


class OcrEngineError(Exception):
    """The engine failed on one image."""


@dataclass
class OcrResult:
    words: list[Word]
    text: str
    engine: str  # "tesseract 5.3.0"
    rotation: int = 0  # degrees clockwise applied to the image before reading
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def mean_confidence(self) -> float:
        return statistics.fmean(w.conf for w in self.words) if self.words else 0.0

    @property
    def quality(self) -> float:
        """A score to compare two readings of the same page (orientation trials)."""
        return self.mean_confidence * sum(len(w.text) for w in self.words if w.conf >= 0.5)

    def looks_sideways(self, width: int, height: int) -> bool:
        """Most long words are taller than wide: the text runs vertically (page turned 90°)."""
        ratios = [
            ((w.bbox[3] - w.bbox[1]) * height) / max((w.bbox[2] - w.bbox[0]) * width, 1e-6)
            for w in self.words
            if len(w.text) >= 4
        ]
        return len(ratios) >= 3 and statistics.median(ratios) > 1.0


class OcrEngine(ABC):
    """One OCR engine. Instances are cached per process (models load once)."""

    name: str = ""

    def __init__(self, **parameters: Any):
        self.parameters = parameters

    @abstractmethod
    def version(self) -> str:
        """The engine's version, recorded with every value it reads."""

    @property
    def label(self) -> str:
        return f"{self.name} {self.version()}".strip()

    @abstractmethod
    def recognise(self, image: Image.Image, *, dpi: int | None = None) -> OcrResult:
        """Read ``image`` as it is (no rotation). Boxes are relative to the image, 0–1."""

    def detect_rotation(self, image: Image.Image) -> int:
        """Degrees (0, 90, 180, 270) to turn ``image`` clockwise to make its text upright."""
        from .tesseract import osd_rotation  # Tesseract's OSD serves every engine

        return osd_rotation(image)


def centre_inside(word: Word, boxes) -> bool:
    """The centre of ``word`` lies in one of ``boxes`` (relative boxes)."""
    cx, cy = (word.bbox[0] + word.bbox[2]) / 2, (word.bbox[1] + word.bbox[3]) / 2
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def clamp_bbox(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    def c(v: float) -> float:
        return min(max(v, 0.0), 1.0)

    return (c(min(x0, x1)), c(min(y0, y1)), c(max(x0, x1)), c(max(y0, y1)))


def group_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines by vertical overlap, lines top to bottom, words left to right."""
    lines: list[tuple[float, float, list[Word]]] = []  # (top, bottom, words)
    for word in sorted(words, key=lambda w: ((w.bbox[1] + w.bbox[3]) / 2, w.bbox[0])):
        top, bottom = word.bbox[1], word.bbox[3]
        centre = (top + bottom) / 2
        for index, (line_top, line_bottom, members) in enumerate(lines[-3:], start=max(len(lines) - 3, 0)):
            if line_top <= centre <= line_bottom:
                members.append(word)
                lines[index] = (min(line_top, top), max(line_bottom, bottom), members)
                break
        else:
            lines.append((top, bottom, [word]))
    return [sorted(members, key=lambda w: w.bbox[0]) for _, _, members in lines]


def text_from_words(words: list[Word]) -> str:
    """Plain text rebuilt from word boxes: one line per visual line."""
    return "\n".join(" ".join(w.text for w in line) for line in group_lines(words))


def paper_level(gray, ink: int) -> int:
    """The grey level of the paper of ``gray`` (a numpy greyscale image): the median of its pixels
    lighter than ``ink``; white where there are none. Shared by the page cleaners that turn marks
    to paper (``leaders``, ``struck``)."""
    import numpy as np

    light = gray[gray >= ink]
    return int(np.median(light)) if light.size else 255


def ink_components(mask, structure=None):
    """The connected components of a boolean image: (label image, then for each component its
    label, its box as slices, its height, width and pixel count). Shared by the page cleaners
    (``bands``, ``combs``)."""
    import numpy as np
    from scipy import ndimage

    labels, count = ndimage.label(mask, structure=structure)
    if not count:
        return labels, []
    areas = np.bincount(labels.ravel())
    found = [(index, box, box[0].stop - box[0].start, box[1].stop - box[1].start, int(areas[index]))
             for index, box in enumerate(ndimage.find_objects(labels), 1) if box is not None]
    return labels, found

