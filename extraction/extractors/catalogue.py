"""The products validators taught (``LearnedProduct``), applied to the mentions the product
reader found: pure functions. A reference a scan misread is put back in the spelling validated
for its brand where the two differ only by OCR look-alikes and spacing (« NTHO1-FR-EC »), and a
reference cut short of a validated one whose last words follow it is the validated one (« B 50 »
→ « B 50 tampon »)."""
from __future__ import annotations

from dataclasses import replace

from ..types import Word
from .layout import Line
from .model_words import MAX_REFERENCE_WORDS
from .products import ProductMention
from .text import token_texts


# Characters a scan reads for one another in a model's name: mapped to one, a reading and the
# validated spelling compare equal where OCR swapped them (« NTHO1-FR-EC » and « NTH01-FR-EC »).
_LOOKALIKES = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "|": "1", "!": "1", "B": "8",
                             "S": "5", "Z": "2", "G": "6"})


LONG_SKELETON = 12  # a skeleton this long may have lost or gained a character to a scan


def ocr_skeleton(reference: str) -> str:
    """``reference`` in capitals without spaces or punctuation, OCR look-alikes made one."""
    return "".join(c for c in reference.upper() if c.isalnum() or c in "|!").translate(_LOOKALIKES)


def in_catalogue(mentions: list[ProductMention], products: tuple[tuple[str, str], ...],
                 lines: list[Line] = ()) -> list[ProductMention]:
    """``mentions`` with each reference OCR read put back in the spelling validators taught for
    its brand (``LearnedProduct``), where the two differ only by look-alikes and spacing; a
    text layer's references as printed. A reference the reader cut short of a taught one whose
    last words follow it on its line (« B 50 » of « De Dietrich B 50 tampon 2 u »: « tampon »
    reads as a description) is the taught one (``lines``: the document's lines)."""
    if not products or not mentions:
        return mentions
    taught: dict[tuple[str, ...], dict[str, str]] = {}
    for brand, reference in products:  # the brand as a validator typed it (« MITSUBISHI ELECTRIC »)
        taught.setdefault(tuple(token_texts(brand)), {}).setdefault(ocr_skeleton(reference), reference)
    after = _words_after(lines)
    out = []
    for mention in mentions:
        references = taught.get(tuple(token_texts(mention.brand)), {})
        if any(w.conf < 1.0 for w in mention.words):
            spelling = _taught_spelling(ocr_skeleton(mention.reference), references)
            if spelling and spelling != mention.reference:
                mention = replace(mention, reference=spelling)
        out.append(_completed(mention, references.values(), after))
    return out


def _words_after(lines: list[Line]) -> dict[tuple, list[Word]]:
    """For each word of ``lines`` (by page and box: the reader may copy a word), the words after
    it in its cell."""
    after = {}
    for line in lines:
        for k, word in enumerate(line.words):
            after[(line.page, word.bbox)] = line.words[k + 1:line.cell_of(k)[1]]
    return after


def _completed(mention: ProductMention, references, after: dict[tuple, list[Word]]) -> ProductMention:
    """``mention`` with the longest taught reference that its reference begins and the words
    after it on its line end."""
    if not mention.words or not mention.reference:
        return mention
    following = after.get((mention.page, mention.words[-1].bbox), [])[:MAX_REFERENCE_WORDS]
    tokens = token_texts(mention.reference)
    next_tokens = [t for w in following for t in token_texts(w.text)]
    best = None
    for reference in references:
        wanted = token_texts(reference)
        extra = wanted[len(tokens):]
        if (len(wanted) > len(tokens) and wanted[:len(tokens)] == tokens and next_tokens[:len(extra)] == extra
                and (best is None or len(wanted) > len(token_texts(best)))):
            best = reference
    if best is None:
        return mention
    extra, taken = len(token_texts(best)) - len(tokens), []
    for word in following:
        if extra <= 0:
            break
        taken.append(word)
        extra -= len(token_texts(word.text))
    return replace(mention, reference=best, words=[*mention.words, *taken])


def _taught_spelling(skeleton: str, taught: dict[str, str]) -> str | None:
    """The validated reference whose skeleton is ``skeleton``, or, for a long one
    (``LONG_SKELETON`` characters), the only one a character more or less away (« 201.10 » read
    for « 201.B10 »: a scan drops a character; one swapped for another may be another model)."""
    if skeleton in taught:
        return taught[skeleton]
    if len(skeleton) < LONG_SKELETON - 1:
        return None
    near = [spelling for other, spelling in taught.items()
            if len(other) >= LONG_SKELETON and abs(len(other) - len(skeleton)) == 1 and _one_apart(skeleton, other)]
    return near[0] if len(near) == 1 else None


def _one_apart(a: str, b: str) -> bool:
    """Whether the longer of ``a`` and ``b`` is the other with one character more."""
    short, long = sorted((a, b), key=len)
    return any(long[:k] + long[k + 1:] == short for k in range(len(long)))
