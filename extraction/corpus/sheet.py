"""A thin drawing layer over reportlab: text placed from the top of an A4 page, fonts, tables,
boxes and hand-drawn-looking signatures."""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from random import Random

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

PAGE_W, PAGE_H = A4
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation")]


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    italic: str


# Built-in PDF fonts are always there; TrueType families are used when the system has them.
_BUILTIN = [FontSet("Helvetica", "Helvetica-Bold", "Helvetica-Oblique"), FontSet("Times-Roman", "Times-Bold", "Times-Italic")]
_TTF = {
    "DejaVuSans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"),
    "DejaVuSerif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf"),
    "LiberationSans": ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf"),
    "LiberationSerif": ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf"),
    "LiberationSansNarrow": ("LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf",
                             "LiberationSansNarrow-Italic.ttf"),
}
_registered: list[FontSet] | None = None


def _find(name: str) -> Path | None:
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return folder / name
    return None


def font_sets() -> list[FontSet]:
    global _registered
    if _registered is None:
        sets = list(_BUILTIN)
        for family, files in _TTF.items():
            paths = [_find(f) for f in files]
            if all(paths):
                names = [f"{family}", f"{family}-Bold", f"{family}-Italic"]
                for name, path in zip(names, paths):
                    pdfmetrics.registerFont(TTFont(name, str(path)))
                sets.append(FontSet(*names))
        _registered = sets
    return _registered


class Sheet:
    """One PDF being drawn; ``y`` is measured from the top of the page, in points."""

    def __init__(self, rng: Random, fonts: FontSet | None = None):
        self.rng = rng
        self.buffer = io.BytesIO()
        self.canvas = rl_canvas.Canvas(self.buffer, pagesize=A4, pageCompression=1, invariant=1)
        self.canvas.setTitle("")
        self.fonts = fonts or rng.choice(font_sets())
        self.page = 1
        self.left = rng.choice([40, 45, 50, 55])
        self.right = PAGE_W - rng.choice([40, 45, 50])
        self.base_size = rng.choice([9, 9.5, 10, 10.5])
        self.extra_truth: dict[str, str] = {}  # values a shared block printed (letterhead RGE number)

    # -- text
    def font(self, style: str) -> str:
        return {"bold": self.fonts.bold, "italic": self.fonts.italic}.get(style, self.fonts.regular)

    def width(self, text: str, size: float | None = None, style: str = "regular") -> float:
        return pdfmetrics.stringWidth(text, self.font(style), size or self.base_size)

    def text(self, x: float, y: float, text: str, size: float | None = None, style: str = "regular",
             align: str = "left", color: tuple[float, float, float] = (0, 0, 0)) -> float:
        """Draw one line; returns the x where it ends."""
        size = size or self.base_size
        self.canvas.setFont(self.font(style), size)
        self.canvas.setFillColorRGB(*color)
        w = self.width(text, size, style)
        if align == "right":
            x = x - w
        elif align == "center":
            x = x - w / 2
        self.canvas.drawString(x, PAGE_H - y, text)
        self.canvas.setFillColorRGB(0, 0, 0)
        return x + w

    def wrap(self, text: str, width: float, size: float | None = None, style: str = "regular") -> list[str]:
        return simpleSplit(text, self.font(style), size or self.base_size, width)

    def paragraph(self, x: float, y: float, text: str, width: float, size: float | None = None,
                  style: str = "regular", leading: float | None = None) -> float:
        """Wrapped text; returns the y below it."""
        size = size or self.base_size
        leading = leading or size * 1.35
        for line in self.wrap(text, width, size, style):
            self.text(x, y, line, size, style)
            y += leading
        return y

    # -- shapes
    def hline(self, y: float, x0: float | None = None, x1: float | None = None, width: float = 0.6,
              gray: float = 0.3) -> None:
        self.canvas.setStrokeColorRGB(gray, gray, gray)
        self.canvas.setLineWidth(width)
        self.canvas.line(x0 if x0 is not None else self.left, PAGE_H - y, x1 if x1 is not None else self.right, PAGE_H - y)
        self.canvas.setStrokeColorRGB(0, 0, 0)

    def rect(self, x: float, y: float, w: float, h: float, fill_gray: float | None = None, stroke: bool = True,
             fill_rgb: tuple[float, float, float] | None = None) -> None:
        """A box; filled with a gray level or, given ``fill_rgb``, a colour (a software's header band)."""
        if fill_gray is not None:
            self.canvas.setFillColorRGB(fill_gray, fill_gray, fill_gray)
        if fill_rgb is not None:
            self.canvas.setFillColorRGB(*fill_rgb)
        self.canvas.setLineWidth(0.6)
        filled = fill_gray is not None or fill_rgb is not None
        self.canvas.rect(x, PAGE_H - y - h, w, h, stroke=1 if stroke else 0, fill=1 if filled else 0)
        self.canvas.setFillColorRGB(0, 0, 0)

    def scribble(self, x: float, y: float, w: float = 110, h: float = 28) -> None:
        """A signature-like pen stroke (no text)."""
        rng = self.rng
        c = self.canvas
        c.setStrokeColorRGB(0.05, 0.1, 0.45)
        c.setLineWidth(1.1)
        path = c.beginPath()
        px, py = x, y + h * rng.uniform(0.4, 0.7)
        path.moveTo(px, PAGE_H - py)
        for _ in range(rng.randint(3, 6)):
            nx = min(x + w, px + rng.uniform(w * 0.12, w * 0.3))
            ny = y + h * rng.uniform(0.1, 0.95)
            path.curveTo(px + rng.uniform(-10, 20), PAGE_H - (y + h * rng.uniform(0, 1)),
                         nx + rng.uniform(-20, 10), PAGE_H - (y + h * rng.uniform(0, 1)), nx, PAGE_H - ny)
            px, py = nx, ny
        c.drawPath(path, stroke=1, fill=0)
        c.setStrokeColorRGB(0, 0, 0)

    # -- pages
    def new_page(self) -> None:
        self.canvas.showPage()
        self.page += 1

    def finish(self) -> bytes:
        self.canvas.save()
        return self.buffer.getvalue()


def table(sheet: Sheet, y: float, columns: list[tuple[str, float, str]], rows: list[list[str | list[str]]],
          *, grid: bool = True, header_fill: float | None = 0.88, size: float | None = None) -> float:
    """A table: ``columns`` are (header, width, align); a cell may hold several lines.
    Returns the y below the table."""
    size = size or sheet.base_size - 0.5
    leading = size * 1.3
    x0 = sheet.left
    total_w = sum(w for _, w, _ in columns)
    scale = (sheet.right - sheet.left) / total_w
    widths = [w * scale for _, w, _ in columns]
    # header
    header_lines = [sheet.wrap(header, w - 8, size, "bold") or [""] for (header, _, _), w in zip(columns, widths)]
    header_h = leading * max(len(lines) for lines in header_lines) + 6
    if header_fill is not None:
        sheet.rect(x0, y, sum(widths), header_h, fill_gray=header_fill, stroke=grid)
    x = x0
    for (_, _, align), w, lines in zip(columns, widths, header_lines):
        for k, line in enumerate(lines):
            _cell_text(sheet, x, y + size + 3 + k * leading, w, line, align, size, "bold")
        x += w
    y += header_h
    for row in rows:
        cells = [c if isinstance(c, list) else [c] for c in row]
        wrapped = []
        for cell, w, (_, _, align) in zip(cells, widths, columns):
            lines = []
            for part in cell:
                lines.extend(sheet.wrap(part, w - 8, size) if align == "left" else [part])
            wrapped.append(lines)
        height = max(len(lines) for lines in wrapped) * leading + 6
        x = x0
        for lines, w, (_, _, align) in zip(wrapped, widths, columns):
            for k, line in enumerate(lines):
                _cell_text(sheet, x, y + size + 3 + k * leading, w, line, align, size, "regular")
            if grid:
                sheet.rect(x, y, w, height)
            x += w
        y += height
    return y + 4


def _cell_text(sheet: Sheet, x: float, y: float, w: float, text: str, align: str, size: float, style: str) -> None:
    if align == "right":
        sheet.text(x + w - 4, y, text, size, style, align="right")
    elif align == "center":
        sheet.text(x + w / 2, y, text, size, style, align="center")
    else:
        sheet.text(x + 4, y, text, size, style)
