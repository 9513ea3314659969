"""Text printed up or down a page's margin, read again turned upright.

Legal mentions and an editor's notice run sideways along an invoice's edge (« ISOLATION LEFÈVRE
– EURL au capital de 10 000 € – SIRET 526 655 006 10099 »). Read with the page, the engine gives
a few tall, narrow words it has little confidence in (« NOUVIOSI », « 3813431 ») and the
company's SIRET is lost. Where the page's reading holds such words near an edge, the strip of
page they stand in, its whole height, is read again turned a quarter each way; the better
reading, when it reads more than the page's, replaces the strip's words, each put back on the
page boxed to the strip's width, in reading order, as the engine boxes the words of a sideways
line it reads (``extraction.extractors.layout`` makes them a line of their own).
"""
from __future__ import annotations

from PIL import Image

from extraction.types import Word

from .base import OcrEngine, OcrResult, text_from_words
from .struck import read_amount, reads_more

EDGE = 0.12  # of the page width from either edge: a margin
SIDEWAYS = 2.0  # a word this many times taller than wide (in pixels) runs along the margin
MIN_HEIGHT = 0.012  # of the page height: shorter, a mark or a speck
PAD = 0.012  # of the page width, either side of the strip's words: a tilted scan moves its lower end across
SCALE = 2
READ_WELL = 0.75  # the mean confidence of a strip's words the page's reading needs no second one for
MIN_CONF = 0.5  # a word of the strip's reading the engine doubts this much is no word of it


def _sideways(word: Word, size: tuple[int, int]) -> bool:
    width, height = size
    w, h = (word.bbox[2] - word.bbox[0]) * width, (word.bbox[3] - word.bbox[1]) * height
    return word.bbox[3] - word.bbox[1] >= MIN_HEIGHT and h >= SIDEWAYS * max(w, 1.0) and any(
        c.isalnum() for c in word.text)


def margin_strips(words: list[Word], size: tuple[int, int]) -> list[tuple[float, float]]:
    """The (left, right) page extents of the margins' strips of sideways words."""
    tall = sorted((w for w in words if _sideways(w, size) and (w.bbox[2] <= EDGE or w.bbox[0] >= 1 - EDGE)),
                  key=lambda w: w.bbox[0])
    strips: list[list[float]] = []
    for word in tall:
        if strips and word.bbox[0] <= strips[-1][1] + PAD:
            strips[-1][1] = max(strips[-1][1], word.bbox[2])
        else:
            strips.append([word.bbox[0], word.bbox[2]])
    return [(left, right) for left, right in strips]


def _on_page(word: Word, angle: int) -> tuple[float, float]:
    """The page's top and bottom (relative) of a word read in the strip (the page's whole height)
    turned by ``angle``: the turned strip's width runs along the page's height."""
    x0, x1 = word.bbox[0], word.bbox[2]
    return (x0, x1) if angle == 90 else (1 - x1, 1 - x0)


def with_margins_read(engine: OcrEngine, image: Image.Image, result: OcrResult, dpi: int | None) -> OcrResult:
    """``result`` (the engine's reading of ``image``) with the margins' sideways text read again."""
    size = image.size
    if result.looks_sideways(*size):
        return result  # the whole page turned: the engine reads it again upright (``read_upright``)
    strips = margin_strips(result.words, size)
    if not strips:
        return result
    width, height = size
    words = list(result.words)
    replaced = 0
    for x0, x1 in strips:
        seen = [w for w in words if x0 <= (w.bbox[0] + w.bbox[2]) / 2 <= x1 and _sideways(w, size)]
        if len(seen) >= 3 and sum(w.conf for w in seen) / len(seen) >= READ_WELL:
            continue  # the engine read the strip with the page
        left, right = max(0, int((x0 - PAD) * width)), min(width, int((x1 + PAD) * width) + 1)
        crop = image.crop((left, 0, right, height))
        # the margin's small print is read at twice the page's scale
        larger = crop.resize((crop.width * SCALE, crop.height * SCALE), Image.LANCZOS)
        best: tuple[float, int, list[Word]] | None = None
        for angle in (90, 270):  # PIL turns counter-clockwise: text reading down, then up
            reading = engine.recognise(larger.rotate(angle, expand=True), dpi=None)  # (not scaled down again)
            kept = [w for w in reading.words if w.conf >= MIN_CONF and any(c.isalnum() for c in w.text)]
            if best is None or read_amount(kept) > best[0]:
                best = (read_amount(kept), angle, kept)
        if best is None or not best[2]:
            continue
        _, angle, kept = best
        new = []
        for word in kept:
            top, bottom = _on_page(word, angle)
            new.append(Word(word.text, (x0, top, x1, bottom), word.conf))
        # the page's reading of the strip: its words in the strip's width, along the new reading
        first, last = min(w.bbox[1] for w in new), max(w.bbox[3] for w in new)
        old = [w for w in words if left / width <= (w.bbox[0] + w.bbox[2]) / 2 <= right / width
               and first <= (w.bbox[1] + w.bbox[3]) / 2 <= last]
        if not reads_more(kept, old):
            continue
        words = [w for w in words if not any(w is o for o in old)] + new
        replaced += 1
    if not replaced:
        return result
    return OcrResult(words=words, text=text_from_words(words), engine=result.engine, rotation=result.rotation,
                     details=dict(result.details, margin_strips=replaced))
