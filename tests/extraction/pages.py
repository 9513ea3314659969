"""Hand-built pages for extractor tests: words placed on a grid the way a PDF or an OCR engine
would report them (relative boxes, origin top-left)."""
from __future__ import annotations

from extraction.types import PageContent, Word

CHAR_W = 0.0085  # width of one character, in page widths (a 10 pt font on A4)
LINE_H = 0.012


def words_at(x: float, y: float, text: str, conf: float = 1.0) -> list[Word]:
    """The words of ``text`` starting at ``x`` on the line whose top is ``y``."""
    out = []
    for word in text.split():
        w = len(word) * CHAR_W
        out.append(Word(word, (x, y, x + w, y + LINE_H), conf))
        x += w + CHAR_W  # one space
    return out


def page(rows: list[tuple[float, float, str]], number: int = 1, conf: float = 1.0) -> PageContent:
    """A page from (x, y, text) runs; each run becomes words."""
    words = []
    for x, y, text in rows:
        words.extend(words_at(x, y, text, conf))
    lines: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in rows:
        lines.setdefault(y, []).append((x, text))
    text = "\n".join(" ".join(t for _, t in sorted(lines[y])) for y in sorted(lines))
    return PageContent(number, text, words, 595.0, 842.0, "text_layer")
