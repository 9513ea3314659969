"""Signatures and stamps read from ink, not from words.

A signature is a scribble, initials or a company stamp (cachet) in the zone of a label such as
``Signature du bénéficiaire``, ``Signature et cachet du professionnel``, ``Bon pour accord`` or
``Cachet de l'entreprise``; the words around it say nothing of whether someone signed. So:

1. the zones come from the words: each label phrase found on a line, with its role
   (``beneficiaire`` or ``installateur``), gives a box from the label down (and along its line),
   as wide as the column up to the next label on that line;
2. the ink in a zone comes from the page itself:
   - a born-digital PDF page: the drawing objects pdfium lists (Bézier or many-segment paths,
     images smaller than the page) whose box lies in the zone; frames and rules (few straight
     segments) do not count, nor does text;
   - a scan or a photo: the dark pixels of the page image in the zone once the boxes of the
     words OCR read with confidence are blanked and the long straight lines of frames removed,
     grouped in connected components big enough not to be noise;
3. each role gets ``true`` (ink found) or ``false`` with a confidence: high for a clean zone of a
   born-digital page, lower for a scan (noise, faint ink), lowest when the zone holds some ink
   too little to be sure. Rules read the confidence (``rules.context``): a ``false`` below
   ``UNSURE_BELOW`` is not taken as proof that nobody signed.

Pure functions over ``PageContent`` and an ``InkSource`` per page: no database, no storage.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from cee.text import fold
from ..types import BBox, FieldValue, PageContent, Word

FIELDS = {"beneficiaire": "signature_beneficiaire", "installateur": "signature_installateur"}
UNSURE_BELOW = 0.6  # a "false" under this confidence is a doubt, not a finding

_LABEL = re.compile(r"\b(signatures?|cachet|bon pour accord|visa)\b")
_BENEFICIARY = re.compile(r"\b(beneficiaire|client|demandeur|maitre d.?ouvrage|proprietaire|occupant|bon pour accord)\b")
_INSTALLER = re.compile(r"\b(professionnel|entreprise|installateur|societe|prestataire|artisan|cachet)\b")
ZONE_HEIGHT = 0.12  # of the page height, below the label
MIN_INK_FRACTION = 0.0005  # of the zone's pixels, after noise removal
MIN_INK_SPAN = 0.025  # of the page width: the ink's horizontal extent


@dataclass
class InkSource:
    """What a page offers to look for ink: its drawing objects (born-digital) or its image."""

    drawings: list[tuple[str, BBox, int]] | None = None  # (kind: path | image, relative box, segments)
    image: object | None = None  # a PIL image of the page, upright, as the words' boxes refer to


@dataclass
class Zone:
    role: str
    page: int
    label: str
    bbox: BBox  # where ink counts: the label's line and below it
    label_box: BBox = field(default=(0.0, 0.0, 0.0, 0.0))


@dataclass
class Ink:
    signed: bool
    confidence: float
    amount: float  # ink fraction (image) or objects counted (drawings)


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into text lines (by the vertical centre), each sorted left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: ((w.bbox[1] + w.bbox[3]) / 2, w.bbox[0])):
        centre, height = (word.bbox[1] + word.bbox[3]) / 2, word.bbox[3] - word.bbox[1]
        if lines:
            last = lines[-1][-1]
            if abs((last.bbox[1] + last.bbox[3]) / 2 - centre) <= max(height, last.bbox[3] - last.bbox[1]) * 0.5:
                lines[-1].append(word)
                continue
        lines.append([word])
    return [sorted(line, key=lambda w: w.bbox[0]) for line in lines]


def _labels_in_line(line: list[Word]) -> list[tuple[str, int, int, str]]:
    """(role, first word index, last word index, text) of each signature label in a line. A line
    may hold two labels side by side; a label runs until the next one or a wide gap."""
    folded = [fold(w.text) for w in line]
    starts = []
    for i in range(len(line)):
        window = " ".join(folded[i:i + 3])
        if _LABEL.match(window) or (folded[i] in ("le", "la", "l") and i + 1 < len(line)
                                     and re.match(r"(beneficiaire|client|professionnel|entreprise)", folded[i + 1])
                                     and any(_LABEL.search(f) for f in folded[i + 1:i + 5])):
            if not starts or i > starts[-1] + 1 and not _continues(line, starts[-1], i):
                starts.append(i)
    if not starts:
        starts = _two_parties(line, folded)
    if starts:
        # « Le bénéficiaire » alone heading its box beside « Cachet et signature du professionnel »
        # (the regulatory model's signature boxes): a label of its own, ended by a wide gap
        for i in range(len(line) - 1):
            if folded[i] in ("le", "la") and re.fullmatch(r"(beneficiaire|client|demandeur)", folded[i + 1]) \
                    and (i + 2 == len(line) or line[i + 2].bbox[0] - line[i + 1].bbox[2] > 0.05) \
                    and all(abs(start - i) > 1 for start in starts):
                starts = sorted(starts + [i])
    labels = []
    for k, start in enumerate(starts):
        end = (starts[k + 1] if k + 1 < len(starts) else len(line)) - 1
        for j in range(start + 1, end + 1):  # a wide gap ends the label
            if line[j].bbox[0] - line[j - 1].bbox[2] > 0.05:
                end = j - 1
                break
        if end - start > 12 or (start > 0 and _in_sentence(line[start - 1], line[start])):
            continue  # inside a sentence (« avant la signature du devis de l'entreprise »), not a label
        text = " ".join(folded[start:end + 1])
        role = "beneficiaire" if _BENEFICIARY.search(text) else ("installateur" if _INSTALLER.search(text) else "")
        if role:
            labels.append((role, start, end, text))
    return labels


_PARTY_HEADS = {"beneficiaire": "beneficiaire", "client": "beneficiaire", "professionnel": "installateur",
                "entreprise": "installateur", "installateur": "installateur"}


def _two_parties(line: list[Word], folded: list[str]) -> list[int]:
    """« Le bénéficiaire » and « Le professionnel » side by side, alone on their line, far apart:
    the heads of the two signature boxes of a form's last page (the word « signature » is in its
    section's title above). The start of each, or nothing."""
    if len(line) > 6:
        return []
    heads = [i for i in range(len(line) - 1) if folded[i] in ("le", "la", "l") and folded[i + 1] in _PARTY_HEADS]
    roles = {_PARTY_HEADS[folded[i + 1]] for i in heads}
    if len(heads) != 2 or roles != {"beneficiaire", "installateur"} or len(line) != 4 \
            or line[heads[1]].bbox[0] - line[heads[0] + 1].bbox[2] < 0.1:
        return []
    return heads


def _in_sentence(previous: Word, word: Word) -> bool:
    """Whether ``word`` follows a real word of the same line at the distance of a space (OCR
    specks and words of another line merged into this one do not count)."""
    before = fold(previous.text)
    if before in ("et", "date") or before.startswith("cach"):  # « Date et signature », « Cachet et signature »
        return False
    return (0 <= word.bbox[0] - previous.bbox[2] < 0.02 and previous.conf >= 0.5
            and len(re.sub(r"\W", "", previous.text)) >= 2)


def _continues(line: list[Word], start: int, i: int) -> bool:
    """Whether word ``i`` still belongs to the label that began at ``start`` (close, few words)."""
    return i - start <= 5 and all(line[j].bbox[0] - line[j - 1].bbox[2] < 0.03 for j in range(start + 1, i + 1))


def _lone_party(line: list[Word]) -> str | None:
    """The role of a line that is only « Le bénéficiaire » / « Le professionnel » (a box's head)."""
    folded = [fold(w.text) for w in line if re.sub(r"\W", "", w.text)]
    if len(folded) == 2 and folded[0] in ("le", "la", "l") and folded[1] in _PARTY_HEADS:
        return _PARTY_HEADS[folded[1]]
    return None


def find_zones(page: PageContent) -> list[Zone]:
    zones = []
    lone: list[tuple[str, list[Word]]] = []
    for line in _lines(page.words):
        labels = _labels_in_line(line)
        if not labels and (role := _lone_party(line)):
            lone.append((role, line))
        for k, (role, start, end, text) in enumerate(labels):
            first, last = line[start], line[end]
            x0 = max(0.0, first.bbox[0] - 0.02)
            if k + 1 < len(labels):
                x1 = line[labels[k + 1][1]].bbox[0] - 0.01
            else:
                x1 = min(0.98, max(last.bbox[2] + 0.05, first.bbox[0] + 0.48))
            top = min(w.bbox[1] for w in line[start:end + 1])
            bottom = max(w.bbox[3] for w in line[start:end + 1])
            zones.append(Zone(role, page.number, text, (x0, top - 0.005, x1, min(0.97, bottom + ZONE_HEIGHT)),
                              (first.bbox[0], top, last.bbox[2], bottom)))
    heads = []
    for role, line in lone:
        words = [w for w in line if re.sub(r"\W", "", w.text)]
        heads.append((role, words, (words[0].bbox[0], min(w.bbox[1] for w in words), words[-1].bbox[2],
                                    max(w.bbox[3] for w in words))))
    others = [(z.role, z.label_box) for z in zones] + [(role, box) for role, _, box in heads]
    for role, words, (left, top, right, bottom) in heads:
        # « Le bénéficiaire » heading its box beside « Le professionnel (signature et cachet) » (or
        # beside « Le professionnel » alone), the two read on two lines by a tilted scan: the other
        # party's head, at its height, on its right or its left
        level = [box for other, box in others if other != role and abs(box[1] - top) < 0.03]
        on_right = [box for box in level if box[0] > right + 0.05]
        on_left = [box for box in level if box[2] < left - 0.05]
        if not (on_right or on_left) or any(z.role == role for z in zones):
            continue
        x1 = min(box[0] for box in on_right) - 0.01 if on_right else min(0.98, max(right + 0.05, left + 0.48))
        zones.append(Zone(role, page.number, " ".join(fold(w.text) for w in words),
                          (max(0.0, left - 0.02), top - 0.005, x1, min(0.97, bottom + ZONE_HEIGHT)),
                          (left, top, right, bottom)))
    for zone in zones:  # side-by-side labels a tilted scan puts on two lines still share the row
        right = [z.label_box[0] for z in zones if z.label_box[0] > zone.label_box[2] and abs(z.label_box[1] - zone.label_box[1]) < 0.03]
        if right:
            zone.bbox = (zone.bbox[0], zone.bbox[1], min(zone.bbox[2], min(right) - 0.01), zone.bbox[3])
    return zones


def _inside(box: BBox, zone: BBox) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return zone[0] <= cx <= zone[2] and zone[1] <= cy <= zone[3]


def ink_in_drawings(drawings: list[tuple[str, BBox, int]], zone: Zone) -> Ink:
    """Ink among a born-digital page's drawing objects: images, curves or scribbled polylines
    whose box lies in the zone (not frames, rules or table borders)."""
    zx0, zy0, zx1, zy1 = zone.bbox
    count = 0
    for kind, box, segments in drawings:
        w, h = box[2] - box[0], box[3] - box[1]
        if not _inside(box, zone.bbox) or w > (zx1 - zx0) * 1.05 or h > (zy1 - zy0) * 1.05:
            continue
        if kind == "image" and w * h > 0.001:
            count += 1
        elif kind == "path" and segments >= 6 and w > 0.01 and h > 0.004:
            count += 1
    return Ink(count > 0, 0.95 if count else 0.9, float(count))


FRAME_BELOW = 0.04  # of the page height: how far under its label a signature box may begin
FRAME_MIN_SIZE = (0.1, 0.04)  # of the page: a box to sign in, not a tick box or a digit's cell


def framed(zone: Zone, zones: list[Zone], drawings: list[tuple[str, BBox, int]]) -> Zone:
    """The zone as the box drawn under (or around) its label, where a born-digital page draws
    one: the whole box is where the signer's ink goes, also where the label beside it overlaps
    its own (« approuvé »Signature et cachet », the installer's initials under the garbled
    words) — the zone as found otherwise. A box that holds another zone's label is both
    parties' and tells nothing."""
    x0, top, _, bottom = zone.label_box
    for kind, box, segments in drawings:
        if kind != "path" or segments > 5:
            continue  # a rectangle is one path of four or five segments
        width, height = box[2] - box[0], box[3] - box[1]
        if width < FRAME_MIN_SIZE[0] or height < FRAME_MIN_SIZE[1] or not box[0] - 0.01 <= x0 <= box[2]:
            continue
        below = bottom - 0.005 <= box[1] <= bottom + FRAME_BELOW
        around = box[1] <= top and box[3] >= bottom + FRAME_MIN_SIZE[1]
        if not (below or around) or box[3] - bottom > ZONE_HEIGHT * 2.5:
            continue
        if any(other is not zone and box[0] - 0.01 <= other.label_box[0] <= box[2]
               and box[1] - FRAME_BELOW <= other.label_box[1] <= box[3] for other in zones):
            continue
        return dataclasses.replace(zone, bbox=(box[0], min(zone.bbox[1], box[1]), box[2], box[3] + 0.005))
    return zone


def _straight_lines(dark, width: int, height: int):
    """The pixels of long, nearly horizontal or vertical lines (frames, rules, dotted lines to sign
    on), a few degrees of tilt allowed (a scan, a photographed sheet)."""
    from scipy import ndimage

    horizontal = ndimage.binary_opening(ndimage.binary_dilation(dark, structure=np.ones((5, 1))),
                                        structure=np.ones((1, max(20, int(width * 0.06)))))
    vertical = ndimage.binary_opening(ndimage.binary_dilation(dark, structure=np.ones((1, 5))),
                                      structure=np.ones((max(20, int(height * 0.04)), 1)))
    return ndimage.binary_dilation(horizontal | vertical, iterations=2)


def ink_in_image(image, words: list[Word], zone: Zone) -> Ink:
    """Ink in a scanned page's zone: dark pixels that are not printed words, frame lines or noise."""
    from scipy import ndimage

    gray = image if image.mode == "L" else image.convert("L")
    width, height = gray.size
    x0, y0 = int(zone.bbox[0] * width), int(zone.bbox[1] * height)
    x1, y1 = int(zone.bbox[2] * width), int(zone.bbox[3] * height)
    if x1 - x0 < 10 or y1 - y0 < 10:
        return Ink(False, 0.3, 0.0)
    pixels = np.asarray(gray.crop((x0, y0, x1, y1)), dtype=np.float32)
    # darker than the paper around it: a shadow, the table beside a photographed sheet or a
    # grey band are as dark as their surroundings, a pen stroke is not
    window = max(15, int(width * 0.03))
    local = ndimage.uniform_filter(pixels, size=window, mode="nearest")
    background = float(np.percentile(pixels, 90))
    dark = (pixels < local - max(40.0, background * 0.25)) & (pixels < background * 0.7)
    dark &= ~_straight_lines(dark, width, height)
    for word in words:  # printed words (the label, a name, a date) are not ink
        letters = len(re.sub(r"\W", "", word.text))
        if letters < 2 or word.conf < 0.6 or (word.conf < 0.85 and letters < 4):
            continue  # OCR reading a scribble or initials as a short word: that is ink
        bx0, by0, bx1, by1 = word.bbox
        pad = (by1 - by0) * 0.2
        wx0, wy0 = int((bx0 - pad) * width) - x0, int((by0 - pad) * height) - y0
        wx1, wy1 = int((bx1 + pad) * width) - x0 + 1, int((by1 + pad) * height) - y0 + 1
        if wx1 > 0 and wy1 > 0 and wx0 < dark.shape[1] and wy0 < dark.shape[0]:
            dark[max(0, wy0):max(0, wy1), max(0, wx0):max(0, wx1)] = False
    labels, count = ndimage.label(ndimage.binary_closing(dark, iterations=1), structure=np.ones((3, 3)))
    if not count:
        return Ink(False, 0.75, 0.0)
    sizes = ndimage.sum(dark, labels, index=np.arange(1, count + 1))
    slices = ndimage.find_objects(labels)
    min_size = max(12, int(dark.size * 0.0002))
    kept, left, right = 0.0, None, None
    for size, sl in zip(sizes, slices):
        span_x, span_y = sl[1].stop - sl[1].start, sl[0].stop - sl[0].start
        if size < min_size or max(span_x, span_y) < width * 0.01:
            continue  # noise
        if span_x > dark.shape[1] * 0.95 and span_y > dark.shape[0] * 0.9:
            continue  # what is left of a frame around the whole zone
        kept += size
        left = sl[1].start if left is None else min(left, sl[1].start)
        right = sl[1].stop if right is None else max(right, sl[1].stop)
    fraction = float(kept / dark.size)
    span = (right - left) / width if kept else 0.0
    if fraction >= MIN_INK_FRACTION and span >= MIN_INK_SPAN:
        return Ink(True, min(0.95, 0.65 + fraction * 50), fraction)
    if fraction >= MIN_INK_FRACTION * 0.4:
        if _scribble_read_as_word(words, zone):
            return Ink(True, 0.7, fraction)  # thin strokes, light on a photo's grey paper
        return Ink(False, 0.45, fraction)  # some ink, too little to tell
    return Ink(False, 0.75, fraction)


SCRIBBLE_HEIGHT = 2.5  # times a printed word's height


def _scribble_read_as_word(words: list[Word], zone: Zone) -> bool:
    """Whether OCR read a scribble under the zone's label as a word: a doubtful word (« TON » at
    0.34) far taller than the page's printed words and at least as wide as a signature's span."""
    heights = sorted(w.bbox[3] - w.bbox[1] for w in words if w.conf >= 0.8 and len(w.text) >= 3)
    if len(heights) < 5:
        return False
    printed = heights[len(heights) // 2]
    return any(w.conf < 0.6 and _inside(w.bbox, zone.bbox) and w.bbox[1] >= zone.label_box[3]
               and w.bbox[3] - w.bbox[1] >= SCRIBBLE_HEIGHT * printed and w.bbox[2] - w.bbox[0] >= MIN_INK_SPAN
               for w in words)


def pdf_page_drawings(page) -> list[tuple[str, BBox, int]] | None:
    """The drawing objects of a pypdfium2 page as (kind, relative box, path segments); None when
    an image covers most of the page (a scan inside a PDF: its ink is in the pixels)."""
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    drawings = []
    for obj in page.get_objects(max_depth=3):
        if obj.type not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE):
            continue
        left, bottom, right, top = obj.get_bounds()
        box = (left / width, 1 - top / height, right / width, 1 - bottom / height)
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            if (box[2] - box[0]) * (box[3] - box[1]) > 0.5:
                return None
            drawings.append(("image", box, 0))
        else:
            drawings.append(("path", box, pdfium_c.FPDFPath_CountSegments(obj.raw)))
    return drawings


# An electronic signature (Yousign, DocuSign, Universign…) prints who signed, not ink, in the zone:
# « Signé électroniquement par Marie Dupont le 14/03/2025 », « Signature électronique de X », and a
# certificate-based signature's box as Acrobat draws it (« Signature numérique de Marie Dupont
# Date : 2025.03.14 10:22:31 +01'00' », « Signé numériquement par X »); a document sent for
# signature and not signed yet says so.
_E_SIGNED = re.compile(r"\bsignee? (?:(?:electroniquement|numeriquement) )?par\b|\bsignee? (?:electroniquement|numeriquement)\b"
                       r"|\bsignature (?:electronique|numerique) (?:de|du|par)\b")
_NOT_SIGNED = re.compile(r"\ben attente de signature\b|\bnon signee?\b|\bsignature en attente\b")
E_SIGNED_CONFIDENCE = 0.9


def e_signature(page: PageContent, zone: Zone, zones: list[Zone] = ()) -> bool | None:
    """True where the zone says an electronic signature was made, False where it says the document
    still waits for one, None where it says neither (the ink decides). The signature service's box
    may start left of the label's first word (« Signature – le bénéficiaire » over « Signé par … »):
    the zone is read from the nearest other zone on its left, or the margin."""
    left = max((z.bbox[2] for z in zones if z is not zone and z.bbox[2] <= zone.label_box[0]
                and z.bbox[1] < zone.bbox[3] and zone.bbox[1] < z.bbox[3]), default=0.0)
    band = (left, zone.bbox[1], zone.bbox[2], zone.bbox[3])
    words = [w for w in page.words if _inside(w.bbox, band) and not _inside(w.bbox, zone.label_box)]
    text = " ".join(fold(w.text) for line in _lines(words) for w in line)
    if _NOT_SIGNED.search(text):
        return False
    if _E_SIGNED.search(text):
        return True
    return None


def detect_signatures(pages: list[PageContent], sources: dict[int, InkSource]) -> dict[str, FieldValue]:
    """``signature_beneficiaire`` / ``signature_installateur`` for the roles whose zone was found
    on a page with an ink source, or whose zone carries an electronic signature's wording; a role
    with several zones is signed when any of them is."""
    found: dict[str, tuple[Ink, Zone]] = {}
    for page in pages:
        source = sources.get(page.number)
        has_ink = source is not None and (source.drawings is not None or source.image is not None)
        zones = find_zones(page)
        for zone in zones:
            typed = e_signature(page, zone, zones)
            if typed is not None:
                ink = Ink(typed, E_SIGNED_CONFIDENCE, 0.0)
            elif not has_ink:
                continue
            elif source.image is not None:
                ink = ink_in_image(source.image, page.words, zone)
            else:
                zone = framed(zone, zones, source.drawings)
                ink = ink_in_drawings(source.drawings, zone)
            best = found.get(zone.role)
            if best is None or (ink.signed, ink.confidence) > (best[0].signed, best[0].confidence):
                found[zone.role] = (ink, zone)
    values = {}
    for role, (ink, zone) in found.items():
        values[FIELDS[role]] = FieldValue("true" if ink.signed else "false", zone.label, round(float(ink.confidence), 3),
                                          zone.page, zone.bbox)
    return values


def apply_signatures(values: dict[str, FieldValue], field_names, pages: list[PageContent],
                     sources: Callable[[], dict[int, InkSource]]) -> dict[str, FieldValue]:
    """``values`` with the signature fields the document's schema asks for read from ink (the
    words' reading is kept for a role whose zone was not found). ``sources()`` is called only
    when the schema has signature fields."""
    wanted = set(FIELDS.values()) & set(field_names)
    if not wanted:
        return values
    detected = detect_signatures(pages, sources())
    merged = dict(values)
    merged.update({name: value for name, value in detected.items() if name in wanted})
    return merged
