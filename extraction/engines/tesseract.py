"""Tesseract, the CPU engine: the Debian ``tesseract-ocr`` binary (+ ``tesseract-ocr-fra``),
called through ``subprocess`` with TSV output (per-word boxes and confidences).

The image goes in on stdin as an uncompressed PGM (no encoding cost, no temporary file).
Parameters (``EngineConfig.parameters``): ``lang`` (settings.CEE_TESSERACT_LANG, "fra"),
``psm`` (3: automatic layout), ``oem`` (1: LSTM), ``threads`` (OMP_THREAD_LIMIT, 1: a
worker per core scales better than threads on a busy host), ``timeout`` (seconds, 120),
``max_dpi`` (settings.CEE_OCR_DPI, 250): denser images are scaled down to it first,
``second_pass`` (settings.CEE_OCR_SECOND_PASS, on): with psm 3, the characters the page
layout analysis left unread (``unread``) are read again as one block (psm 6).
Measured on degraded 200-dpi renders of generated pages (6 office dossiers, 55 pages, dev
seed 1400), the second pass lifts word recall from 0.876 to 0.951 (letters 0.936 -> 0.981,
software 0.900 -> 0.952, classic 0.961 -> 0.979) for about 25 % more OCR time; the share of
words read that match nothing printed stays the same (0.056 -> 0.055).
Measured on degraded 300-dpi A4 scans of the test corpus (83 pages, two seeds), reading them
at 250 dpi took 25-30 % less CPU and read as well or better (word recall 0.907 -> 0.939 and
0.935 -> 0.934, field micro-F1 0.942 -> 0.956 and 0.957 -> 0.965): the LSTM models are trained
on text smaller than 10-point print at 300 dpi.
"""
from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess

from django.conf import settings
from PIL import Image

from extraction.types import Word

from .base import OcrEngine, OcrEngineError, OcrEngineUnavailable, OcrResult, centre_inside, clamp_bbox
from .unread import unread_ink, unread_ink_image

SECOND_PASS_PSM = 6  # the unread characters, on a white page, as one block of text
SECOND_PASS_CONFIDENCE = 0.5
TRUSTED_CONFIDENCE = 0.4  # a first reading below this may be read again…
COVERED_SHARE = 0.7  # …and gives way to the second when this much of its width was read again
OSD_MIN_CONFIDENCE = 1.5
OSD_MAX_SIDE = 1700  # OSD needs no detail: a half-resolution page is read in a third of the time


def tesseract_command() -> str:
    command = settings.CEE_TESSERACT_CMD
    found = shutil.which(command)
    if not found:
        raise OcrEngineUnavailable(
            f"Tesseract introuvable ({command}). Installez les paquets Debian tesseract-ocr et tesseract-ocr-fra."
        )
    return found


@functools.lru_cache(maxsize=4)
def _version(command: str) -> str:
    output = subprocess.run([command, "--version"], capture_output=True, text=True, timeout=30)
    match = re.search(r"tesseract\s+v?([\d.]+)", output.stdout + output.stderr)
    return match.group(1) if match else "inconnue"


def _pgm_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.convert("L").save(buffer, format="PPM")
    return buffer.getvalue()


def _run(arguments: list[str], image: Image.Image, *, threads: int, timeout: float) -> str:
    environment = {**os.environ, "OMP_THREAD_LIMIT": str(threads)}
    try:
        completed = subprocess.run(
            [tesseract_command(), "stdin", "stdout", *arguments],
            input=_pgm_bytes(image),
            capture_output=True,
            timeout=timeout,
            env=environment,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrEngineError(f"Tesseract n'a pas répondu en {timeout:.0f} s.") from exc
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrEngineError(f"Tesseract a échoué : {message[-1] if message else completed.returncode}")
    return completed.stdout.decode("utf-8", "replace")


class TesseractEngine(OcrEngine):
    name = "tesseract"

    def version(self) -> str:
        return _version(tesseract_command())

    def _options(self):
        lang = self.parameters.get("lang") or settings.CEE_TESSERACT_LANG
        return (
            str(lang),
            int(self.parameters.get("psm", 3)),
            int(self.parameters.get("oem", 1)),
            int(self.parameters.get("threads", 1)),
            float(self.parameters.get("timeout", 120)),
        )

    def reading_resolution(self, image: Image.Image, dpi: int | None) -> tuple[Image.Image, int | None]:
        """``image`` scaled down (greyscale) to ``max_dpi`` when its ``dpi`` is higher, and its dpi."""
        limit = int(self.parameters.get("max_dpi") or settings.CEE_OCR_DPI)
        if not dpi or dpi <= limit:
            return image, dpi
        scale = limit / dpi
        size = (max(round(image.width * scale), 1), max(round(image.height * scale), 1))
        return image.convert("L").resize(size, Image.BILINEAR), limit

    def recognise(self, image: Image.Image, *, dpi: int | None = None) -> OcrResult:
        lang, psm, oem, threads, timeout = self._options()
        image, dpi = self.reading_resolution(image, dpi)
        arguments = ["-l", lang, "--psm", str(psm), "--oem", str(oem)]
        if dpi:
            arguments += ["--dpi", str(dpi)]
        tsv = _run([*arguments, "tsv"], image, threads=threads, timeout=timeout)
        words, line_of = _tsv_words(tsv, image.width, image.height)
        details = {}
        if psm == 3 and words and _second_pass(self.parameters):
            kept, added = self._read_unread(image, words, line_of, arguments, threads=threads, timeout=timeout)
            if added:
                details["second_pass_words"] = len(added[0])
                text = _merged_text(_lines(*kept), _lines(*added))
                return OcrResult(words=kept[0] + added[0], text=text, engine=self.label, details=details)
        text = "\n".join(t for _, t in _lines(words, line_of))
        return OcrResult(words=words, text=text, engine=self.label, details=details)

    def _read_unread(self, image: Image.Image, words: list[Word], line_of: list, arguments: list[str], *,
                     threads: int, timeout: float) -> tuple[tuple[list, list], tuple[list, list]]:
        """The ink the page reading left unread (``unread``), read again as one block: the page's
        words kept and the words added, each with their Tesseract line keys. A doubtful first
        reading where the second found a word gives way."""
        trusted = [w for w in words if w.conf >= TRUSTED_CONFIDENCE]
        unread = unread_ink(image, trusted)
        if unread is None:
            return (words, line_of), ([], [])
        second = list(arguments)
        second[second.index("--psm") + 1] = str(SECOND_PASS_PSM)
        tsv = _run([*second, "tsv"], unread_ink_image(image, unread), threads=threads, timeout=timeout)
        found, found_lines = _tsv_words(tsv, image.width, image.height)
        boxes = [w.bbox for w in trusted]
        added = [(w, key) for w, key in zip(found, found_lines)
                 if w.conf >= SECOND_PASS_CONFIDENCE and any(c.isalnum() for c in w.text) and not centre_inside(w, boxes)]
        kept = []
        for word, key in zip(words, line_of):
            over = [a for a in added if _overlap(word.bbox, a[0].bbox)]
            if word.conf >= TRUSTED_CONFIDENCE or not over:
                kept.append((word, key))
            elif _covered(word, [a for a, _ in over]):
                continue  # read again whole: the second reading stands
            else:
                kept.append((word, key))  # « 10/06/2014 » read again as « 014 »: the first reading stays
                added = [a for a in added if a not in over]
        if not added:
            return (words, line_of), ([], [])
        return ([w for w, _ in kept], [k for _, k in kept]), ([w for w, _ in added], [k for _, k in added])

    def detect_rotation(self, image: Image.Image) -> int:
        return osd_rotation(image, threads=self._options()[3])


def _second_pass(parameters: dict) -> bool:
    value = parameters.get("second_pass", settings.CEE_OCR_SECOND_PASS)
    return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "on")


def _covered(word: Word, others: list[Word]) -> bool:
    """``others`` span at least COVERED_SHARE of ``word``'s width."""
    width = word.bbox[2] - word.bbox[0]
    spans = sorted((max(o.bbox[0], word.bbox[0]), min(o.bbox[2], word.bbox[2])) for o in others)
    covered, reach = 0.0, word.bbox[0]
    for start, end in spans:
        start = max(start, reach)
        if end > start:
            covered += end - start
            reach = end
    return width <= 0 or covered >= COVERED_SHARE * width


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def parse_tsv(tsv: str, width: int, height: int) -> tuple[list[Word], str]:
    """Words (relative boxes, confidence 0–1) and the text, lines as Tesseract found them."""
    words, line_of = _tsv_words(tsv, width, height)
    return words, "\n".join(text for _, text in _lines(words, line_of))


def _tsv_words(tsv: str, width: int, height: int) -> tuple[list[Word], list[tuple[str, ...]]]:
    """The words of a TSV output and, for each, the key of the line Tesseract put it on."""
    words: list[Word] = []
    line_of: list[tuple[str, ...]] = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        text = cells[11].strip()
        confidence = float(cells[10])
        if not text or confidence < 0:
            continue
        left, top, box_width, box_height = (int(v) for v in cells[6:10])
        words.append(
            Word(
                text=text,
                bbox=clamp_bbox(left / width, top / height, (left + box_width) / width, (top + box_height) / height),
                conf=confidence / 100.0,
            )
        )
        line_of.append((cells[1], cells[2], cells[3], cells[4]))
    return words, line_of


def _lines(words: list[Word], line_of: list[tuple[str, ...]]) -> list[tuple[float, str]]:
    """(top, text) of each line, in Tesseract's order."""
    lines: list[tuple[float, list[str]]] = []
    current_key = None
    for word, key in zip(words, line_of):
        if key != current_key:
            lines.append((word.bbox[1], []))
            current_key = key
        lines[-1][1].append(word.text)
    return [(top, " ".join(texts)) for top, texts in lines]


def _merged_text(first: list[tuple[float, str]], second: list[tuple[float, str]]) -> str:
    """The page reading's lines in their order, each line read again placed before the first
    line that starts below it (Tesseract's own lines stay whole on a skewed scan)."""
    out = list(first)
    for top, text in second:
        at = next((i for i, (t, _) in enumerate(out) if t > top), len(out))
        out.insert(at, (top, text))
    return "\n".join(text for _, text in out)


def osd_rotation(image: Image.Image, *, threads: int = 1) -> int:
    """Tesseract's orientation detection: clockwise degrees that make the text upright (0 if unsure)."""
    scale = min(1.0, OSD_MAX_SIDE / max(image.size))
    small = image if scale >= 1.0 else image.resize(
        (max(int(image.width * scale), 1), max(int(image.height * scale), 1)), Image.BILINEAR
    )
    try:
        output = _run(["--psm", "0", "-l", "osd"], small, threads=threads, timeout=60)
    except OcrEngineError:  # "Too few characters": nothing to orient
        return 0
    rotate = re.search(r"Rotate:\s*(\d+)", output)
    confidence = re.search(r"Orientation confidence:\s*([\d.]+)", output)
    if not rotate or not confidence or float(confidence.group(1)) < OSD_MIN_CONFIDENCE:
        return 0
    return int(rotate.group(1)) % 360
