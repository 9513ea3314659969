"""Pages and grids of the ``office`` family (see ``office_facts``): what a word processor or a
spreadsheet gives a small company's documents.

``grid`` draws an Excel-look table where every cell is framed and the header row is grey;
``landscape`` turns a page of a ``Sheet`` into an A4 landscape page (a spreadsheet printed
« paysage »); ``Flow`` lays out a document's blocks over as many pages as they need, with a
header repeated at the top of the next pages and « Page 1 sur 2 » at the foot, by measuring
each block first on a scratch sheet (so the number of pages is known before page 1 is drawn).
"""
from __future__ import annotations

from random import Random
from typing import Callable

from .sheet import PAGE_H, PAGE_W, Sheet

Block = Callable[[Sheet, float], float]  # draws from y, returns the y below


def _turn(sh: Sheet) -> None:
    """The current page becomes A4 landscape; the sheet's top-down coordinates keep working
    (the origin moves down by the difference of heights)."""
    sh.canvas.setPageSize((PAGE_H, PAGE_W))
    sh.canvas.translate(0, PAGE_W - PAGE_H)


def landscape(sh: Sheet) -> None:
    """The sheet prints in landscape from its current page on, with the same margins."""
    sh.landscape = True
    _turn(sh)
    sh.right = PAGE_H - (PAGE_W - sh.right)


def page_height(sh: Sheet) -> float:
    return PAGE_W if getattr(sh, "landscape", False) else PAGE_H


def page_width(sh: Sheet) -> float:
    return PAGE_H if getattr(sh, "landscape", False) else PAGE_W


def office_sheet(rng: Random, *, wide: bool = False) -> Sheet:
    """A sheet, in landscape when ``wide``."""
    sh = Sheet(rng)
    sh.landscape = False
    if wide:
        landscape(sh)
    return sh


def _scratch(sh: Sheet) -> Sheet:
    """A sheet with the same fonts and margins whose drawing is thrown away."""
    ghost = Sheet(Random(0), fonts=sh.fonts)
    ghost.left, ghost.right, ghost.base_size = sh.left, sh.right, sh.base_size
    ghost.landscape = getattr(sh, "landscape", False)
    return ghost


class Flow:
    """A document's blocks placed one after another, a block that does not fit going to the
    next page; ``header(sh, page) -> y`` opens each page after the first (the repeated header),
    ``footer(sh, page, pages)`` closes every page."""

    def __init__(self, sh: Sheet, top: float, bottom_margin: float, header: Callable[[Sheet, int], float],
                 footer: Callable[[Sheet, int, int], None]):
        self.sh, self.top, self.bottom = sh, top, page_height(sh) - bottom_margin
        self.header, self.footer = header, footer

    def _heights(self, blocks: list[Block]) -> list[float]:
        ghost = _scratch(self.sh)
        return [block(ghost, 0.0) for block in blocks]

    def _pages(self, start: float, heights: list[float], breaks: set[int]) -> tuple[list[int], int]:
        ghost = _scratch(self.sh)
        second_top = self.header(ghost, 2)
        y, page, starts = start, 1, []
        for k, height in enumerate(heights):
            if k in breaks or (y + height > self.bottom and y > second_top + 1):
                page += 1
                y = second_top
            starts.append(page)
            y += height
        return starts, page

    def draw(self, start: float, blocks: list[Block], *, breaks: set[int] = frozenset(), extra_pages: int = 0) -> int:
        """Draw the blocks from ``start`` on page 1, breaking before the indexes in ``breaks`` and
        where a block does not fit; returns the pages drawn (``extra_pages`` more are announced
        in the page numbers, drawn by the caller after)."""
        heights = self._heights(blocks)
        starts, pages = self._pages(start, heights, set(breaks))
        total = pages + extra_pages
        sh, y, page = self.sh, start, 1
        for block, block_page in zip(blocks, starts):
            if block_page != page:
                self.footer(sh, page, total)
                next_page(sh)
                page = block_page
                y = self.header(sh, page)
            y = block(sh, y)
        self.footer(sh, page, total)
        return pages


def next_page(sh: Sheet) -> None:
    sh.new_page()
    if getattr(sh, "landscape", False):
        _turn(sh)


Cell = str | list[str]


NBSP = "\u00a0"


def keep(text: str) -> str:
    """Words a line must not break apart (a product's reference): joined by non-breaking spaces."""
    return text.replace(" ", NBSP)


def wrap_words(sh: Sheet, text: str, width: float, size: float, style: str = "regular") -> list[str]:
    """Lines of at most ``width``, broken at plain spaces only (a word processor keeps words
    joined by non-breaking spaces on one line)."""
    lines, current = [], ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and sh.width(candidate, size, style) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return lines + ([current] if current else [])


def grid(sh: Sheet, y: float, columns: list[tuple[str, float, str]], rows: list[list[Cell]], *, size: float | None = None,
         x: float | None = None, width: float | None = None, header_fill: float | None = 0.85, strong: set[int] = frozenset(),
         header: bool = True, first_bold: bool = False, shrink: set[int] = frozenset()) -> float:
    """An Excel-look table: ``columns`` are (title, weight, align), every cell framed, the header
    row grey; a cell may hold several lines; rows in ``strong`` are bold on a light fill; the
    cells of the columns in ``shrink`` never wrap: their font shrinks until the text fits (Excel's
    « ajuster »). Returns the y below."""
    size = size or sh.base_size - 0.5
    x0 = sh.left if x is None else x
    full = (sh.right - x0) if width is None else width
    scale = full / sum(w for _, w, _ in columns)
    widths = [w * scale for _, w, _ in columns]
    leading = size * 1.3
    if header:
        titles = [sh.wrap(title, w - 6, size, "bold") or [""] for (title, _, _), w in zip(columns, widths)]
        height = leading * max(len(lines) for lines in titles) + 5
        xx = x0
        for (_, _, align), w, lines in zip(columns, widths, titles):
            sh.rect(xx, y, w, height, fill_gray=header_fill)
            for k, line in enumerate(lines):
                cell_text(sh, xx, y + size + 2.5 + k * leading, w, line, "center" if align != "left" else "left", size, "bold")
            xx += w
        y += height
    for index, row in enumerate(rows):
        style = "bold" if index in strong else "regular"
        wrapped = []
        for k, (cell, w, (_, _, align)) in enumerate(zip(row, widths, columns)):
            parts = cell if isinstance(cell, list) else [cell]
            cell_style = "bold" if first_bold and k == 0 else style
            lines = []
            for part in parts:
                lines.extend((wrap_words(sh, part, w - 6, size, cell_style) or [""]) if align == "left" and k not in shrink
                             else [part])
            wrapped.append(lines)
        height = max(len(lines) for lines in wrapped) * leading + 5
        xx = x0
        for k, (lines, w, (_, _, align)) in enumerate(zip(wrapped, widths, columns)):
            sh.rect(xx, y, w, height, fill_gray=0.94 if index in strong else None)
            for n, line in enumerate(lines):
                cell_style = "bold" if (first_bold and k == 0) else style
                fitted = size
                if k in shrink and sh.width(line, size, cell_style) > w - 6:
                    fitted = max(4.0, size * (w - 6) / sh.width(line, size, cell_style))
                cell_text(sh, xx, y + size + 2.5 + n * leading, w, line, align, fitted, cell_style)
            xx += w
        y += height
    return y


def cell_text(sh: Sheet, x: float, y: float, w: float, text: str, align: str, size: float, style: str) -> None:
    if align == "right":
        sh.text(x + w - 3, y, text, size, style, align="right")
    elif align == "center":
        sh.text(x + w / 2, y, text, size, style, align="center")
    else:
        sh.text(x + 3, y, text, size, style)


def page_number(sh: Sheet, page: int, pages: int, style: str) -> None:
    """« Page 1 sur 2 », « 1/2 » or « - 1 - » at the foot of the page, as word processors put it."""
    text = {"sur": f"Page {page} sur {pages}", "slash": f"{page}/{pages}", "dash": f"- {page} -"}[style]
    sh.text(page_width(sh) / 2 if style != "slash" else sh.right, page_height(sh) - 20, text, sh.base_size - 2,
            align="center" if style != "slash" else "right")
