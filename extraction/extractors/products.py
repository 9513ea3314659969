"""Products inside item designations, found by their brand (the ``ProductBrand`` lexicon).

« Isolant ISOVER GR 32 Revêtu Kraft 140 mm, R = 4,8 m².K/W » names the brand ISOVER and the
reference GR 32 Revêtu Kraft: the reference is the run of model words after the brand
(capitals, digits, a product line name, a roll's facing), up to a dimension (140 mm), a price,
a lower-case or descriptive word (posé, pompe…), a comma or a dash; a designation wrapped on
the next line goes on there, a brand of several words too. A document may name several
products (a heat pump and its thermostat): every one is kept, in reading order. Lines of the
letterhead, of the legal footer and those naming a company (SIRET, « partenaire ») are not
designations. On a scan, a brand's first word one letter off is still the brand, and the
references validators taught (``in_catalogue``) put a misread one back in their spelling.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from cee.text import fold

from ..types import Word
from .brand_lexicon import Brand, compile_lexicon, ocr_first_tokens
from .columns import _PRICE_RE, _item_row
from .layout import Line
from .model_words import (AMOUNT, CURRENCIES, DESCRIPTIVE, DIMENSION_UNITS, MAX_REFERENCE_WORDS, NUMBER, POWER_UNIT,
                          REFERENCE_LABELS, reference_words)
from .text import similar, token_texts, token_tuple
from .zones import CIVILITY_RE, recipient_blocks, sentence_identity

PRINTED_TIMES = 3  # a word a scan reads alike this often is printed so, no slip of a brand's name
NOT_DESIGNATION = frozenset({"siret", "siren", "rcs", "capital", "partenaire", "agree", "agreee", "distributeur",
                             "qualibat", "qualit", "tva", "iban", "www"})


@dataclass(frozen=True)
class ProductMention:
    brand: str
    reference: str
    words: list[Word]  # the brand's words and the reference's
    page: int


def _form_at(toks: list[str], i: int, form: tuple[str, ...]) -> bool:
    if i + len(form) > len(toks):
        return False
    return all(t == f or (len(f) >= 6 and similar(t, f)) for t, f in zip(toks[i:i + len(form)], form))


def _short_brand_in_capitals(line: Line, word_index: int, form: tuple[str, ...]) -> bool:
    """A brand of three letters or fewer (LG, ETA, MCZ) counts only written in capitals."""
    if len("".join(form)) > 3:
        return True
    text = line.words[word_index].text
    return text.upper() == text


def _is_designation(line: Line) -> bool:
    top = line.top
    if top < 0.1 or top > 0.93:
        return False  # letterhead or legal footer
    return line.token_set.isdisjoint(NOT_DESIGNATION)


_ITEM_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){0,2}\.?|[a-z]\))$")
# A seller's article code in the row's first cell, run into the designation by the text layer
# (« 22674010 Système solaire combiné – Giordano » / « SSC Ecosol 300 » under the designation)
_ARTICLE_CODE = re.compile(r"^(?=[A-Z0-9-]*[0-9-])[A-Z0-9][A-Z0-9-]{3,}$")


def _continuation(lines: list[Line], line: Line, cell_start: int) -> list[Word]:
    """The words that carry a designation on to the next line: its first cell, starting where
    the designation's cell starts (or its text, after an item's number « 1.1 »), just below."""
    following = lines[line.index + 1] if line.index + 1 < len(lines) else None
    if following is None or following.top - line.bottom > 1.2 * line.height or len(following.cells) != 1:
        return []  # a line with several cells is the next item, not the rest of this one
    starts = [line.words[cell_start].bbox[0]]
    first = line.words[cell_start].text
    if (_ITEM_NUMBER.match(first) or _ARTICLE_CODE.match(first)) and cell_start + 1 < len(line.words):
        starts.append(line.words[cell_start + 1].bbox[0])
    start, end = following.cells[0]
    words = following.words[start:end]
    if all(abs(words[0].bbox[0] - x0) > 0.02 for x0 in starts) or _is_heading(words):
        return []
    if any(w.text.endswith(":") for w in words[:5]):
        return []  # « Superficie : 134 m² », « COP : 3,25 »: the next field of the item, under a labelled reference
    return words


DASHES = frozenset({"-", "–", "—"})


def _model_before_dash(words: list[Word]) -> list[Word]:
    """The model opening an item's designation whose brand ends it after a dash (« TERRA Vario 35
    Isolant laine de verre – URSA », « Yutaki S RWM-4.0NE Pompe à chaleur air/eau – Hitachi »):
    ``words`` run from the cell's start to the dash; the model is the words before the product's
    kind (a descriptive word, or a capitalised word a lower-case one follows), after an item's
    number. Nothing when the designation does not open with a model (« Isolation des combles –
    URSA ») or no description follows it."""
    if len(words) < 3 or words[-1].text not in DASHES:
        return []
    words = words[:-1]
    start = 1 if _ITEM_NUMBER.match(words[0].text) or words[0].text.isdigit() else 0
    for k in range(start, min(len(words), start + MAX_REFERENCE_WORDS + 1)):
        text = words[k].text
        folded = token_texts(text)
        following = words[k + 1].text if k + 1 < len(words) else ""
        kind = bool(folded) and folded[0] in DESCRIPTIVE
        sentence = text[:1].isupper() and not any(c.isdigit() for c in text) and following[:1].islower()
        if kind or sentence:
            return words[start:k] if k > start else []
        power = POWER_UNIT.match(text) and k > start and NUMBER.fullmatch(words[k - 1].text)  # « … 12 kW »
        if not folded or (text[:1].islower() and not power) or AMOUNT.fullmatch(text) or any(c in CURRENCIES for c in text):
            return []
    return []


def _model_cell_before(line: Line, cell_start: int) -> list[Word]:
    """The model in the row's first cell, before a designation ending with its brand after a dash
    (« Aquarea T-CAP 12 kW » | « Pompe à chaleur de type air/eau – Panasonic »: a « Réf. »
    column holding the maker's model): letters and a digit, not a seller's article code."""
    if not line.cells or line.cells[0][1] != cell_start:
        return []
    words = line.words[line.cells[0][0]:cell_start]
    text = " ".join(w.text for w in words)
    if len(words) > MAX_REFERENCE_WORDS or not any(c.isdigit() for c in text) or not any(c.isalpha() for c in text) \
            or (len(words) == 1 and _ARTICLE_CODE.match(text)) or AMOUNT.search(text):
        return []
    return words


def _ended_by_a_dash(lines: list[Line], line: Line) -> list[Word]:
    """The cell of the line just above ``line`` that a dash ends (« Alfea Excellia A.I. 11 Pompe à
    chaleur eau/eau – » over « ATLANTIC »: the brand wrapped onto the next line), or nothing."""
    above = lines[line.index - 1] if line.index > 0 else None  # (a page's lines in order, as _continuation reads them)
    if above is None or line.top - above.bottom > 1.2 * line.height:
        return []
    return next((above.words[start:end] for start, end in above.cells if above.words[end - 1].text in DASHES), [])


def _is_heading(words: list[Word]) -> bool:
    """A title across an item table (« LOT 2 – MAIN D'ŒUVRE », « 2 – TRAVAUX ANNEXES »): words
    in capitals only, or « Lot » and its number; not the rest of the designation above."""
    toks = token_tuple(" ".join(w.text for w in words[:2]))
    if len(toks) >= 2 and toks[0] == "lot" and toks[1].isdigit():
        return True
    if any(c.islower() for w in words for c in w.text):
        return False
    plain = [w for w in words if len(w.text) >= 3 and w.text.replace("-", "").replace("'", "").replace("’", "").isalpha()]
    return len(plain) >= 2  # words, not model codes (« PUD-SHWM120 (BAR-TH-171) » ends a model's name)


def find_products(lines: list[Line], brands: tuple[tuple[str, tuple[str, ...]], ...]) -> list[ProductMention]:
    """Every product named by a brand of the lexicon in ``lines``, in reading order."""
    if not brands:
        return []
    by_first, _ = compile_lexicon(brands)
    pages: dict[int, list[Line]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    in_address: dict[int, set[int]] = {}
    found: list[ProductMention] = []
    unknown: list[ProductMention] = []  # named by a brand the lexicon does not know
    named: dict[str, frozenset[str]] = {}  # the names the document gives people, made once a brand is met
    # the words a text layer prints, and those a scan reads alike three times or more (the letterhead,
    # the footer, the stamp): an OCR'd stamp's « THERMI » of the letterhead's « THERMI SOLUTIONS »
    # is that word, no slip of the brand « Thermia »
    printed: set[str] | None = None  # made the first time a scan's word is taken for a slip
    for line in lines:
        if not _is_designation(line):
            continue
        toks = line.token_texts
        line_tokens = line.tokens
        i = 0
        while i < len(toks):
            match = None
            firsts = (toks[i],)
            if toks[i] not in by_first and line.words[line_tokens[i].word].conf < 1.0 \
                    and _whole_word(line, i):  # not « Thermi » of the network's name « Thermi'Services »
                printed = _printed_words(lines) if printed is None else printed
                if toks[i] not in printed:
                    firsts = ocr_first_tokens(toks[i], brands)  # a scan's slip in the brand's first word
            for first in firsts:
                for brand in by_first.get(first, ()):
                    for form in brand.forms:
                        if form[0] == first and (_form_at(toks, i, form) if first == toks[i]
                                                 else _form_at([first, *toks[i + 1:i + len(form)]], 0, form)) \
                                and _short_brand_in_capitals(line, line_tokens[i].word, form):
                            if match is None or len(form) > len(match[1]):
                                match = (brand, form)
            wrapped = _wrapped(line, i, by_first, pages[line.page]) if match is None and toks[i] in by_first else None
            if match is None and wrapped is None:
                introduced = _introduced(line, i, by_first, pages[line.page]) if toks[i] == "marque" \
                    else (_dotted(line, pages[line.page]) if i == 0 else None) or _in_capitals(line, i, pages[line.page])
                if introduced is not None:
                    found.append(introduced)
                    unknown.append(introduced)
                i += 1
                continue
            if line.page not in in_address:
                in_address[line.page] = _address_lines(pages[line.page], line.page)
            if line.index in in_address[line.page]:
                break  # a person's name and address, not a designation
            if _after_a_civility(line, line_tokens[i].word) or (
                    match is not None and len(match[1]) == 1 and match[1][0] in _surnames(lines, named)):
                i += 1  # « Client   M. et Mme SEGUIN Sébastien », « Signé par Constance Seguin »: not the brand Seguin
                continue
            if wrapped is not None:
                brand, following, taken = wrapped
                reference, _ = reference_words(following[taken:])
                cell_end = line.cell_of(line_tokens[i].word)[1]
                found.append(ProductMention(brand.name, " ".join(w.text for w in reference),
                                            line.words[line_tokens[i].word:cell_end] + following[:taken] + reference,
                                            line.page))
                break  # the brand's first words end the line
            brand, form = match
            first_word = line_tokens[i].word
            last_word = line_tokens[i + len(form) - 1].word
            cell_start, cell_end = line.cell_of(first_word)
            # "weber.therm XM": the brand opens the model's first word (not a scan's « Rockwoo!l »)
            glued = (len(token_texts(line.words[last_word].text)) > len(form) and first_word == last_word
                     and firsts == (toks[i],))
            rest = line.words[last_word:cell_end] if glued else line.words[last_word + 1:cell_end]
            following = _continuation(pages[line.page], line, cell_start)
            kind = frozenset(t for w in line.words[cell_start:first_word] for t in token_texts(w.text))
            reference, open_end = reference_words(rest, glued, following[0].text if following else "", kind=kind,
                                                  brand=form)
            if not reference and not glued:
                reference = _model_before_dash(line.words[cell_start:first_word]) if first_word > cell_start \
                    else _model_before_dash(_ended_by_a_dash(pages[line.page], line))
            if not reference and not glued and line.words[first_word - 1].text in DASHES:
                reference = _model_cell_before(line, cell_start)
            if not reference and not glued and first_word == cell_start and rest and rest[0].conf < 1.0 \
                    and rest[0].text in _READ_DOTS:
                reference, _ = reference_words(rest[1:])  # « Adey · MagnaClean Pro2 », the dot read as a dash
            if not reference and not glued and _other_brand_opens_next_cell(line, cell_end, by_first, brand):
                reference, _ = reference_words(line.words[cell_end:line.cell_of(cell_end)[1]])
            if open_end and len(reference) < MAX_REFERENCE_WORDS:
                if following and reference and DIMENSION_UNITS.match(following[0].text) and reference[-1].text[:1].isdigit():
                    reference.pop()  # "Hybris 205 120" / "mm, résistance…": 120 was the thickness
                more, _ = reference_words(following, previous=reference[-1].text if reference else "")
                reference += more[:MAX_REFERENCE_WORDS - len(reference)]
            found.append(ProductMention(brand.name, " ".join(w.text for w in reference),
                                        line.words[first_word:last_word + 1] + reference, line.page))
            i += len(form)
            # "SOPREMA Pavatex Isolair": a brand inside the reference is the product line, not a product
            boxes = {w.bbox for w in reference}
            last = max((k for k, w in enumerate(line.words) if w.bbox in boxes), default=-1)
            while i < len(toks) and line_tokens[i].word <= last:
                i += 1
    return _with_brands_after_dashes(lines, _without_product_lines(_known_brands_first(found, unknown)))


def _whole_word(line: Line, i: int) -> bool:
    """Whether the ``i``-th token is a word of its own, not a piece of one joined to another word
    by an apostrophe or a hyphen (« Thermi'Services »); a letter a scan set off is no word
    (« Rockwoo!l »)."""
    word = line.tokens[i].word
    return not any(0 <= k < len(line.tokens) and line.tokens[k].word == word and len(line.tokens[k].text) >= 3
                   for k in (i - 1, i + 1))


def without_full_stop(reference: str) -> str:
    """A reference without the full stop a sentence ended it with (« … — Isover » / « Comblissimo. »):
    its last word all letters, no other dot in it (« Alfea Excellia A.I. » keeps its own)."""
    last = reference.rsplit(" ", 1)[-1]
    if last.endswith(".") and len(last) >= 5 and last[:-1].isalpha():
        return reference[:-1]
    return reference


def _known_brands_first(found: list[ProductMention], unknown: list[ProductMention]) -> list[ProductMention]:
    """Without the mentions of a brand the lexicon does not know whose words a lexicon brand's
    mention also took: a scan's « de marque Rockwoo!, référence Rockplus Kraft » is Rockwool's."""
    known = {w.bbox for mention in found if not any(mention is u for u in unknown) for w in mention.words}
    return [mention for mention in found
            if not any(mention is u for u in unknown) or not any(w.bbox in known for w in mention.words)]


def _printed_words(lines: list[Line]) -> set[str]:
    """The tokens a text layer prints, and those a scan reads alike ``PRINTED_TIMES`` or more."""
    read = Counter(t for line in lines for w in line.words for t in token_texts(w.text))
    printed = {t for line in lines for w in line.words if w.conf >= 1.0 for t in token_texts(w.text)}
    return printed | {t for t, n in read.items() if n >= PRINTED_TIMES}


def _other_brand_opens_next_cell(line: Line, cell_end: int, by_first: dict[str, list[Brand]], brand: Brand) -> bool:
    """Whether the cell after a brand alone in its cell opens with another brand's name: « Soprema »
    | « Pavatex Isolair » under « Marque » and « Modèle » is the brand's product line, its model."""
    if cell_end >= len(line.words):
        return False
    first = token_texts(line.words[cell_end].text)[:1]
    return any(other.name != brand.name for t in first for other in by_first.get(t, ()))


def _with_brands_after_dashes(lines: list[Line], found: list[ProductMention]) -> list[ProductMention]:
    """``found`` with the brands the lexicon does not know where the item table writes each brand
    after a dash, ending the designation (« Isolant laine de verre – ISOVER » / « Capot de spot
    isolant – HESTIA »): when one such ending is a brand the lexicon found, the others of the
    table are brands too (the document's own convention), in reading order."""
    endings, after_dash = [], set()
    for line, following in zip(lines, [*lines[1:], None]):
        if following is not None and following.page == line.page \
                and any(line.words[end - 1].text in DASHES for _, end in line.cells):
            after_dash.add(following.words[0].bbox)  # « Pompe à chaleur air/eau – » / « ATLANTIC »
        if not _is_designation(line) or not _item_row(line):
            continue
        for start, end in line.cells:
            words = line.words[start:end]
            dash = max((k for k, w in enumerate(words) if w.text in DASHES), default=-1)
            if dash >= 1 and 1 <= len(words) - dash - 1 <= 2 and all(_brand_word(w.text) for w in words[dash + 1:]):
                endings.append((line, words[dash + 1:]))
    seen = {w.bbox for mention in found for w in mention.words}
    if not endings or not (any(w.bbox in seen for _, words in endings for w in words)
                           or any(m.words[0].bbox in after_dash for m in found)):
        return found
    out = list(found)
    for line, words in endings:
        if any(w.bbox in seen for w in words):
            continue
        mention = ProductMention(" ".join(w.text for w in words), "", words, line.page)
        at = next((k for k, m in enumerate(out) if (m.page, m.words[0].bbox[1]) > (line.page, words[0].bbox[1])), len(out))
        out.insert(at, mention)
    return out


def _brand_word(text: str) -> bool:
    """A word that may name a maker: capitalised, letters only (« Dörken », « HESTIA »), no word
    of the trade's descriptions or acronyms."""
    folded = token_texts(text)
    return (len(folded) == 1 and text[:1].isupper() and text.replace("-", "").isalpha() and len(text) >= 3
            and folded[0] not in DESCRIPTIVE and folded[0] not in ACRONYMS)


def _introduced(line: Line, i: int, by_first: dict[str, list[Brand]], page_lines: list[Line]) -> ProductMention | None:
    """A brand the lexicon does not know, introduced by the word « marque » inside a designation
    (« Écran de sous-toiture de marque Delta, réf. Delta-Vent N »): the capitalised words after it,
    up to a comma or the reference's label, and the model words after them. Not a « Marque »
    column's heading, nor a brand the lexicon reads itself."""
    word_index = line.tokens[i].word
    cell_start, cell_end = line.cell_of(word_index)
    if word_index == cell_start or line.words[word_index].text.rstrip().endswith(":"):
        return None  # « Marque » heading a cell, « Marque : X » (a label, read as such)
    toks = line.token_texts
    if i + 1 < len(toks) and any(form[0] == toks[i + 1] and _form_at(toks, i + 1, form)
                                 for brand in by_first.get(toks[i + 1], ()) for form in brand.forms):
        return None  # the lexicon reads it (« marque Delta Dore »), not « marque DELTA, » alone
    brand: list[Word] = []
    words, k, end = line.words, word_index + 1, cell_end
    following = _continuation(page_lines, line, cell_start)
    if k == cell_end and following:  # « … – marque » / « FISCHER, réf. SMG 450 »: the brand opens the next line
        words, k, end, following = following, 0, len(following), []
    while k < end and len(brand) < 3:
        text = words[k].text.strip()
        bare = text.rstrip(",;:")
        folded = token_texts(bare)
        if not folded or not bare[:1].isupper() or folded[0] in REFERENCE_LABELS or folded[0] in DESCRIPTIVE:
            break
        brand.append(Word(bare, words[k].bbox, words[k].conf))
        k += 1
        if bare != text:
            break  # « Delta, »: the brand's name ends at its comma
    if not brand:
        return None
    rest = words[k:end]
    reference, open_end = reference_words(rest, next_line_first=following[0].text if following else "")
    if open_end and following and len(reference) < MAX_REFERENCE_WORDS:
        # « marque Delta, modèle » / « Delta-Vent N »: the model on the designation's next line
        more, _ = reference_words(following, previous=reference[-1].text if reference else "")
        reference += more[:MAX_REFERENCE_WORDS - len(reference)]
    if not reference:
        return None  # « de marque française »: no product named
    return ProductMention(" ".join(w.text for w in brand), " ".join(w.text for w in reference),
                          brand + reference, line.page)


# Words in capitals inside a designation that name no brand: acronyms of the trade and units.
ACRONYMS = frozenset({"cee", "tva", "ht", "ttc", "pac", "vmc", "ecs", "cop", "scop", "etas", "rge", "dtu", "bbc", "led",
                      "cet", "pvc", "pse", "pur", "pir", "xps", "eps", "nf", "ce", "acermi", "cstb", "atec", "dn", "inox",
                      "gaz", "fioul", "bois", "air", "eau", "kw", "mm", "cm", "ml", "lot", "ens", "pce", "fft", "forfait",
                      "bar", "ind", "res", "ter", "ref", "mo", "sav", "ue", "ral", "aaa", "aa", "epdm", "eur", "euro",
                      "euros"})


def _in_capitals(line: Line, i: int, page_lines: list[Line]) -> ProductMention | None:
    """A brand the lexicon does not know, written in capitals after the lower-case words of an
    item's designation and followed by a model with a digit (« Support mural de groupe extérieur
    FISCHER SMG 450 », « Rehausse de trappe de visite NICOLL TRV 60 ») or named in two words
    (« Membrane hygro-régulante AMPACK Ampatex Variano ») on a priced item row; capitalised
    only, before a model code in capitals (« Cache-spot de protection Isolspot IS-250 », « … extérieur
    Fischer SMG 450 »). A brand in capitals that ends the designation's cell takes its model from
    the designation's next line when that line is the model and nothing else (« … hygro-régulante
    AMPACK | 4 pce | … » over « Ampatex Variano »)."""
    word_index = line.tokens[i].word
    text = line.words[word_index].text.strip().rstrip(",;:")
    capitalised = len(text) >= 5 and text[0].isupper() and text[1:].islower()
    if len(text) < 3 or not (text.isupper() or capitalised) or not text.replace("-", "").replace("'", "").isalpha() \
            or line.token_texts[i] in ACRONYMS or line.token_texts[i] in DESCRIPTIVE:
        return None
    cell_start, cell_end = line.cell_of(word_index)
    before = line.words[word_index - 1].text.rstrip(",;:").replace("-", "").replace("'", "")
    if word_index == cell_start or not before[:1].islower() or not before.isalpha():
        return None  # after a designation's word, not a figure (« pc&72,00 EUR /2,00 »: a scan's price cell)
    if not _item_row(line) and not _priced_after(line, cell_end):
        return None
    reference, _ = reference_words(line.words[word_index + 1:cell_end])
    if not reference and word_index == cell_end - 1 and text.isupper():
        following = _continuation(page_lines, line, cell_start)
        reference, open_end = reference_words(following)
        if not open_end or len(reference) != len(following):
            reference = []  # « Épaisseur 320 mm - R = … »: the item's description goes on, no model alone
    # a code in capitals with its digits (« IS-250 ») or its number beside it (« SMG 450 »)
    coded = bool(reference) and reference[0].text.isupper() and any(c.isdigit() for w in reference[:2] for c in w.text)
    named = len(reference) >= 2 and all(w.text[:1].isupper() and w.text.isalpha() for w in reference)
    if not reference or not (coded if capitalised else (named or any(c.isdigit() for w in reference for c in w.text))):
        return None
    brand = Word(text, line.words[word_index].bbox, line.words[word_index].conf)
    return ProductMention(text, " ".join(w.text for w in reference), [brand, *reference], line.page)


def _priced_after(line: Line, cell_end: int) -> bool:
    """Whether the designation's cell is followed by an item's prices, two or more, that a scan
    ran into one cell (« AMPACK | 4 pce190,00 EUR 5,5 760,00 EUR »)."""
    return len(line.cells) >= 2 and sum(bool(_PRICE_RE.search(w.text)) for w in line.words[cell_end:]) >= 2


_DOTS = frozenset({"·", "•", "|"})
_READ_DOTS = frozenset({"-", "–", "—"})


def _dotted(line: Line, page_lines: list[Line]) -> ProductMention | None:
    """A brand the lexicon does not know opening a cell of the line under an item's designation, set
    off from its model by a middle dot (« Bande adhésive d'étanchéité … 232,00 € » / « Proclima ·
    Tescon No.1 »): one to three capitalised words without digits, the dot, the model words; or,
    right under the item row, a cell that is all a brand and its model (``_brand_and_model``). A
    sidebar's cell beside it (« BIC AGRIFRPP ») is another column."""
    if line.index == 0 or not any(_item_row(l) for l in page_lines[max(0, line.index - 2):line.index]):
        return None
    for start, end in line.cells:
        words = line.words[start:end]
        # a scan reads the middle dot as a dash (« Adey - MagnaClean Pro2 »); a colon ends a label (« Produit : »)
        dot = next((k for k, w in enumerate(words[:4]) if w.text in _DOTS or (w.conf < 1.0 and w.text in _READ_DOTS)),
                   None)
        found = _brand_and_model(words, line, page_lines) if not dot else _brand_dot_model(words, dot, line.page)
        if found is not None:
            return found
    return None


def _article_code(text: str) -> bool:
    """A store's article code, short groups of capitals joined by hyphens (« SRV-EVAC », not
    « SAINT-GOBAIN »), which a scan's table rule (« SRV-EVAC | Dépose et évacuation… ») sets off
    like a brand from its model."""
    groups = text.split("-")
    return len(groups) >= 2 and all(group.isalpha() and group.isupper() and len(group) <= 4 for group in groups)


def _brand_dot_model(words: list[Word], dot: int, page: int) -> ProductMention | None:
    brand = words[:dot]
    if any(not w.text[:1].isupper() or any(c.isdigit() for c in w.text) or _article_code(w.text) for w in brand) \
            or (token_tuple(" ".join(w.text for w in brand)) or ("",))[0] in ACRONYMS | REFERENCE_LABELS | DESCRIPTIVE:
        return None
    reference, _ = reference_words(words[dot + 1:])
    if not reference:
        return None
    return ProductMention(" ".join(w.text for w in brand), " ".join(w.text for w in reference), brand + reference, page)


def _brand_and_model(words: list[Word], line: Line, page_lines: list[Line]) -> ProductMention | None:
    """A cell right under an item row that is all a product: a capitalised word the lexicon does not
    know and a model with letters and digits to the cell's end (« Support mural anti-vibratile …
    327,00 » / « Sauermann Silent 400 »)."""
    if not 2 <= len(words) <= 6 or not _item_row(page_lines[line.index - 1]):
        return None
    first = words[0].text
    folded = token_tuple(first)
    if not first[:1].isupper() or not first.replace("-", "").isalpha() or first.isupper() and len(first) <= 3 \
            or not folded or folded[0] in ACRONYMS | REFERENCE_LABELS | DESCRIPTIVE:
        return None
    reference, to_the_end = reference_words(words[1:])
    text = " ".join(w.text for w in reference)
    if not to_the_end or len(reference) != len(words) - 1 or not any(c.isdigit() for c in text) \
            or not any(c.isalpha() for c in text):
        return None
    return ProductMention(first, text, [words[0], *reference], line.page)


def _wrapped(line: Line, i: int, by_first: dict[str, list[Brand]],
             page_lines: list[Line]) -> tuple[Brand, list[Word], int] | None:
    """A brand of several words whose first ones end the designation's cell from token ``i`` and
    the rest open its next line (« … géothermique MITSUBISHI » / « ELECTRIC Ecodan PUZ-SWM80VAA »):
    the brand, that next line's words, and how many of them the brand takes."""
    cell_start, cell_end = line.cell_of(line.tokens[i].word)
    left = tuple(t.text for t in line.tokens[i:] if t.word < cell_end)
    for brand in by_first.get(left[0], ()):
        for form in brand.forms:
            if not 0 < len(left) < len(form) or form[:len(left)] != left \
                    or not _short_brand_in_capitals(line, line.tokens[i].word, form):
                continue
            following = _continuation(page_lines, line, cell_start)
            rest = form[len(left):]
            if tuple(token_texts(" ".join(w.text for w in following)))[:len(rest)] != rest:
                continue
            taken, count = 0, 0
            while taken < len(following) and count < len(rest):
                count += len(token_texts(following[taken].text))
                taken += 1
            return brand, following, taken
    return None


def _address_lines(page_lines: list[Line], page: int) -> set[int]:
    """Indexes of a page's lines in address blocks or opening with a civility (computed once a
    brand is met): « M. MILLET Philippe » / « 127 route des Frères Lumière » names a person."""
    blocks = recipient_blocks(page_lines, page)
    sentence = sentence_identity(page_lines, page)  # « Facture établie à l'attention de Inès SEGUIN, domicilié(e) … »
    if sentence is not None:
        blocks.append(sentence)
    boxes = {w.bbox for block in blocks for row in block.lines for w in row}
    return {line.index for line in page_lines
            if any(w.bbox in boxes for w in line.words) or CIVILITY_RE.match(" ".join(w.text for w in line.words[:4]) + " ")}


_CIVILITIES = {"m", "mr", "mme", "mmes", "mlle", "mm", "monsieur", "madame", "mademoiselle", "messieurs", "mesdames"}


def _civility(text: str) -> bool:
    """« Mme », « Monsieur », « M. » (a bare « M » is a model's letter: « Altherma 3 M »)."""
    folded = fold(text)
    return folded.rstrip(".") in _CIVILITIES and folded != "m"


def _after_a_civility(line: Line, word: int) -> bool:
    """Whether the line's word ``word`` follows a civility (« Mme BOUVET Christelle »)."""
    return word > 0 and _civility(line.words[word - 1].text)


def _surnames(lines: list[Line], named: dict[str, frozenset[str]]) -> frozenset[str]:
    """The folded words the document writes right after a civility (« M. et Mme SEGUIN
    Constance », « Madame Inès BOUVET »): its people's names, no brand wherever they stand
    alone (kept in ``named``, made once per document)."""
    if "surnames" not in named:
        found = set()
        for line in lines:
            words = line.words
            for k, word in enumerate(words):
                if not _civility(word.text):
                    continue
                j = k + 1
                while j < len(words) and (_civility(words[j].text) or fold(words[j].text) in ("et", "ou")):
                    j += 1
                for name in words[j:j + 2]:
                    if name.text[:1].isupper():
                        found.update(token_texts(name.text)[:1])
        named["surnames"] = frozenset(found)
    return named["surnames"]


def _without_product_lines(found: list[ProductMention]) -> list[ProductMention]:
    """Mentions of a brand that another mention's reference names (Pavatex of « Soprema Pavatex
    Isolair », or of « Pavatex Isolair Isolation des combles perdus – SOPREMA ») are that product
    again."""
    return [mention for mention in found
            if not any(_contains_run(tuple(token_texts(other.reference)), tuple(token_texts(mention.brand)))
                       for other in found if other.brand != mention.brand)]


def _contains_run(toks: tuple[str, ...], run: tuple[str, ...]) -> bool:
    return bool(run) and any(toks[i:i + len(run)] == run for i in range(len(toks) - len(run) + 1))
