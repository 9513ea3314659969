"""Ink on generated pages: what a hand, a pen or a rubber stamp leaves in a signature zone.

Real signatures carry no text: a scribble drawn as vector paths (a tablet signature saved into
the PDF), the same scribble pasted as an image (a scanned signature), a company stamp (cachet:
a framed block with the company's name, an image in born-digital files), or initials. Each
kind is drawn inside a box given in points from the top of the page, so that the generator's
truth can say where the ink is and whether there is any.
"""
from __future__ import annotations

from random import Random

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader

from .sheet import PAGE_H, Sheet

INK_KINDS = ("vector", "vector", "image", "initials", "image")
BLUE = (0.05, 0.1, 0.45)


def _stroke_points(rng: Random, w: float, h: float, strokes: int) -> list[list[tuple[float, float]]]:
    """Pen strokes as polylines in a w × h box (origin top-left): loops drifting rightwards."""
    lines = []
    x = rng.uniform(0, w * 0.1)
    for _ in range(strokes):
        points = []
        y = h * rng.uniform(0.3, 0.7)
        for _ in range(rng.randint(8, 18)):
            x = min(w, x + rng.uniform(w * 0.02, w * 0.09))
            y = min(h, max(0.0, y + rng.uniform(-h * 0.45, h * 0.45)))
            points.append((x, y))
        lines.append(points)
        x = rng.uniform(0, w * 0.5)
    return lines


def vector_signature(sh: Sheet, x: float, y: float, w: float, h: float, *, strokes: int | None = None) -> None:
    """A scribble of pen strokes drawn as Bézier paths (no text)."""
    rng, c = sh.rng, sh.canvas
    c.setStrokeColorRGB(*rng.choice([BLUE, (0.1, 0.1, 0.1), (0.15, 0.2, 0.55)]))
    c.setLineWidth(rng.uniform(0.8, 1.6))
    for points in _stroke_points(rng, w, h, strokes or rng.randint(1, 3)):
        path = c.beginPath()
        px, py = points[0]
        path.moveTo(x + px, PAGE_H - (y + py))
        for (ax, ay), (bx, by) in zip(points[1::2], points[2::2]):
            path.curveTo(x + px + (ax - px) * 0.5, PAGE_H - (y + ay), x + ax, PAGE_H - (y + ay), x + bx, PAGE_H - (y + by))
            px, py = bx, by
        c.drawPath(path, stroke=1, fill=0)
    c.setStrokeColorRGB(0, 0, 0)


def _scribble_image(rng: Random, w: float, h: float, scale: float = 3.0) -> Image.Image:
    width, height = max(8, int(w * scale)), max(8, int(h * scale))
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    colour = rng.choice([(20, 30, 120, 255), (25, 25, 25, 255), (40, 50, 140, 255)])
    for points in _stroke_points(rng, width, height, rng.randint(1, 3)):
        draw.line(points, fill=colour, width=max(2, int(scale * rng.uniform(0.8, 1.4))), joint="curve")
    return image


def image_signature(sh: Sheet, x: float, y: float, w: float, h: float) -> None:
    """A scribble pasted as a raster image (how a scanned signature sits in a born-digital PDF)."""
    image = _scribble_image(sh.rng, w, h)
    sh.canvas.drawImage(ImageReader(image), x, PAGE_H - y - h, w, h, mask="auto")


def initials(sh: Sheet, x: float, y: float, w: float, h: float) -> None:
    """Two or three short strokes: a paraphe."""
    vector_signature(sh, x, y, min(w, 45), min(h, 22), strokes=sh.rng.randint(1, 2))


def stamp_image(lines: list[str], rng: Random, *, round_stamp: bool = False) -> Image.Image:
    """A company stamp: framed lines of capitals in one ink colour, a little faded and tilted."""
    font = None
    for name in ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"):
        for folder in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation"):
            try:
                font = ImageFont.truetype(f"{folder}/{name}", 22)
                break
            except OSError:
                continue
        if font:
            break
    font = font or ImageFont.load_default()
    colour = rng.choice([(30, 60, 160), (150, 30, 40), (40, 40, 40), (20, 100, 60)])
    widths = [draw_w for draw_w in (font.getlength(line) for line in lines)]
    width, height = int(max(widths) + 40), int(len(lines) * 28 + 30)
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    if round_stamp:
        draw.ellipse((2, 2, width - 3, height - 3), outline=colour + (230,), width=4)
    else:
        draw.rounded_rectangle((2, 2, width - 3, height - 3), radius=10, outline=colour + (230,), width=4)
    for k, line in enumerate(lines):
        draw.text(((width - font.getlength(line)) / 2, 15 + k * 28), line, fill=colour + (rng.randint(170, 235),), font=font)
    return image.rotate(rng.uniform(-8, 8), expand=True, resample=Image.BICUBIC)


def stamp(sh: Sheet, x: float, y: float, w: float, h: float, lines: list[str]) -> None:
    """A cachet pasted as an image in the box (its words are ink, not a text layer)."""
    image = stamp_image(lines, sh.rng, round_stamp=sh.rng.random() < 0.25)
    ratio = min(w / image.width, h / image.height)
    sh.canvas.drawImage(ImageReader(image), x, PAGE_H - y - image.height * ratio, image.width * ratio,
                        image.height * ratio, mask="auto")


def sign(sh: Sheet, x: float, y: float, w: float, h: float, *, kind: str | None = None,
         stamp_lines: list[str] | None = None) -> str:
    """Ink in the box: a signature of a drawn ``kind`` (vector, image, initials), with a stamp
    beside it when ``stamp_lines`` are given. Returns the kind drawn."""
    rng = sh.rng
    kind = kind or rng.choice(INK_KINDS)
    if stamp_lines:
        stamp(sh, x, y, w * 0.6, h, stamp_lines)
        x, w = x + w * 0.45, w * 0.55
    box_h = min(h, 40)
    {"vector": vector_signature, "image": image_signature, "initials": initials}[kind](sh, x + 4, y + (h - box_h) / 2, w - 8, box_h)
    return kind

