"""Where a value sits on a page, and reading a value at a learned spot: pure functions.

A spot is the value's page (counted from the document's first page), its box relative to the
page, and, when words precede the value on its line (``left``) or head it on the line above
(``above``), those words — the anchor — with the value's offset from them. Reading at a spot
finds the anchor again (the value may have moved down with a longer table above it) and takes
the typed value that follows it; a spot without anchor is read inside its box.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..extractors.layout import Line, page_lines, union_box
from ..extractors.text import bounded_edit_distance, match_at, token_texts
from ..extractors.values import find_values
from ..normalise import normalise
from ..types import BBox, FieldValue, PageContent, Word

MAX_ANCHOR_TOKENS = 5
# Words a label phrase does not start with: what precedes them belongs to the phrase, or nothing does
_LEADING_SMALL_WORDS = {"de", "du", "des", "d", "la", "le", "les", "l", "a", "au", "aux", "et", "en"}
_ANCHOR_TOKEN_RE = re.compile(r"^[a-z][a-z']*$")
# Part of a person's name as printed, never a label: "Mme GUYOT Ginette", "M. et Mme Durand"
_CIVILITIES = {"m", "mme", "mlle", "mr", "monsieur", "madame", "mademoiselle", "et"}
# Part of a date as printed: "Achèvement des travaux : lundi 5 mai 2025"
_WEEKDAYS = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "le"}
_UNLOCATED_TYPES = {"boolean"}  # ticks and statements: no spot of their own
_NUMERIC_TYPES = ("decimal", "integer")
# Units printed after a number: the end of another value, never a label (« … 345,00 EUR 395,26 »)
_UNIT_WORDS = {"eur", "euro", "euros", "ht", "ttc", "m", "m2", "kw", "kwh", "w", "mm", "cm", "l"}
MAX_VALUES_SKIPPED = 2
_WEB_ADDRESS_RE = re.compile(r"@|^(?:https?:|www\.)", re.IGNORECASE)


@dataclass
class Spot:
    page: int  # 1 = the document's first page
    bbox: BBox
    relation: str = "none"  # left | above | clause | none
    anchor: tuple[str, ...] = ()
    anchor_bbox: BBox | None = None
    value_words: int = 0
    followed_by: str = ""  # the folded word after the value on its line
    clauses_skipped: int = 0  # clause: the commas between the anchor and the value
    words_skipped: int = 0  # clause: the words between the last of those commas and the value
    values_skipped: int = 0  # left: the numbers between the anchor and the value (« TVA 5,5 % 300,37 »)
    # above: the anchor is all its line's cell holds (« Maître d'ouvrage »), not the part over the
    # value of a longer line (« IMPÔT SUR LES REVENUS » of « … de l'année 2022 »): a label, not a title
    anchor_alone: bool = True

    @property
    def offset(self) -> list[float] | None:
        if self.anchor_bbox is None:
            return None
        return [round(v - a, 5) for v, a in zip(self.bbox, self.anchor_bbox)]

    @property
    def key(self) -> str:
        if self.relation == "clause":
            return f"p{self.page}|clause{self.clauses_skipped}.{self.words_skipped}|{' '.join(self.anchor)}"[:200]
        if self.values_skipped:
            return f"p{self.page}|{self.relation}+{self.values_skipped}|{' '.join(self.anchor)}"[:200]
        if self.relation != "none":
            return f"p{self.page}|{self.relation}|{' '.join(self.anchor)}"[:200]
        return f"p{self.page}|none|{round(self.bbox[0] * 20)},{round(self.bbox[1] * 40)}"


def _ordered(pages: list[PageContent]) -> list[PageContent]:
    return sorted(pages, key=lambda p: p.number)


def _same(data_type: str, found: str, expected: str) -> bool:
    if data_type in ("decimal", "integer"):
        try:
            return Decimal(found) == Decimal(expected)
        except InvalidOperation:
            return False
    if data_type == "cee_code":
        try:
            return set(json.loads(found)) <= set(json.loads(expected))
        except ValueError:
            return False
    return found == expected


def _string_ranges(line: Line, value: str) -> list[tuple[int, int]]:
    """Word ranges of ``line`` holding the tokens of ``value`` (in any order: "GUYOT Ginette")."""
    wanted = token_texts(value)
    if not wanted:
        return []
    tokens = line.tokens
    n = len(wanted)
    ranges = []
    for width in (n, n + 1):  # one extra token: a civility inside the window ("Mme")
        for i in range(0, len(tokens) - width + 1):
            window = [t.text for t in tokens[i:i + width]]
            rest = list(window)
            if all(w in rest and not rest.remove(w) for w in wanted):
                ranges.append((tokens[i].word, tokens[i + width - 1].word + 1))
        if ranges:
            break
    if "@" in value or "www" in wanted:
        return ranges
    # a company's name inside its e-mail or web address (« contact@thermenergies.fr ») is not
    # where the name is printed: the next document's address line is read instead of the name
    return [(start, end) for start, end in ranges
            if not any(_WEB_ADDRESS_RE.search(w.text) for w in line.words[start:end])]


def _hits(line: Line, data_type: str, value: str) -> list[tuple[int, int]]:
    if data_type == "string":
        return _string_ranges(line, value)
    return [(fv.start, fv.end) for fv in find_values(data_type, line.words) if _same(data_type, fv.value, value)]


def _anchor_tokens(words: list[Word]) -> list[str]:
    # The anchor is the end of its clause: "GEORGES Charles, demeurant" anchors on "demeurant".
    for k in range(len(words) - 1, 0, -1):
        if words[k - 1].text.endswith((",", ";", ".")):
            words = words[k:]
            break
    tokens = [t for w in words for t in token_texts(w.text)]
    while tokens and (tokens[-1] in _CIVILITIES or tokens[-1] in _WEEKDAYS):
        tokens.pop()
    kept: list[str] = []
    for token in reversed(tokens):
        if not _ANCHOR_TOKEN_RE.match(token) or len(kept) == MAX_ANCHOR_TOKENS:
            break
        kept.append(token)
    kept.reverse()
    while kept and kept[0] in _LEADING_SMALL_WORDS:
        kept.pop(0)
    return kept if any(len(t) >= 3 for t in kept) else []


def _left_anchor(line: Line, start: int, data_type: str) -> tuple[list[str], list[Word], int]:
    """The label before the value on its line, its words, and for a number the numbers between
    them: « TVA au taux de 5,5 % 300,37 » anchors the tax on « tva au taux de », one number on."""
    cell_start, _ = line.cell_of(start)
    before = line.words[cell_start:start]
    if not before and cell_start > 0:
        previous_start, _ = line.cell_of(cell_start - 1)
        before = line.words[previous_start:cell_start]
    if before and before[-1].text.endswith(","):
        return [], before, 0  # the value opens a clause: what precedes it is another value ("…du Château, 20000")
    tokens = _anchor_tokens(before)
    if data_type in _NUMERIC_TYPES and (not tokens or set(tokens) <= _UNIT_WORDS):
        label, skipped = _without_numbers(before)
        label_tokens = _anchor_tokens(label) if 0 < skipped <= MAX_VALUES_SKIPPED else []
        if label_tokens and not set(label_tokens) <= _UNIT_WORDS:
            return label_tokens, label, skipped
        return [], before, 0
    return tokens, before, 0


def _without_numbers(words: list[Word]) -> tuple[list[Word], int]:
    """``words`` without the numbers, units and signs that end them, and how many numbers those were."""
    k = len(words)
    while k > 0 and len(words) - k < 6 and _number_or_unit(words[k - 1].text):
        k -= 1
    return words[:k], len(find_values("decimal", words[k:])) if k < len(words) else 0


def _number_or_unit(text: str) -> bool:
    tokens = set(token_texts(text))
    return any(ch.isdigit() for ch in text) or not tokens or tokens <= _UNIT_WORDS


MAX_CLAUSES_SKIPPED, MAX_WORDS_SKIPPED = 2, 3


def _clause_anchor(line: Line, start: int) -> tuple[list[str], list[Word], int, int]:
    """A value inside a sentence after other values: « demeurant 155 route du Château, 20000
    Ajaccio » anchors the postal code on « demeurant », one comma on, and the town one word
    further. The anchor is the label words opening an earlier clause of the sentence (up to
    its first word holding a digit or a capital); ([], [], 0, 0) when there is none."""
    cell_start, _ = line.cell_of(start)
    before = line.words[cell_start:start]
    ends = [k for k, w in enumerate(before) if w.text.endswith(",")]
    if not ends:
        return [], [], 0, 0
    skipped = len(before) - ends[-1] - 1
    if skipped > MAX_WORDS_SKIPPED:
        return [], [], 0, 0
    for clauses in range(1, min(MAX_CLAUSES_SKIPPED, len(ends)) + 1):
        first = ends[-clauses - 1] + 1 if clauses < len(ends) else 0
        label: list[Word] = []
        for k, word in enumerate(before[first:ends[-clauses] + 1]):
            text = word.text.rstrip(",")
            capital = text[:1].isupper() and (k > 0 or (len(text) > 1 and text.isupper()))  # "Fait" opens, "COHEN" is a name
            if any(ch.isdigit() for ch in text) or capital or word.text.endswith(","):
                break
            label.append(word)
        tokens = [t for w in label for t in token_texts(w.text)][:MAX_ANCHOR_TOKENS]
        if tokens and all(_ANCHOR_TOKEN_RE.match(t) for t in tokens) and any(len(t) >= 4 for t in tokens):
            return tokens, label, clauses, skipped
    return [], [], 0, 0


def _above_anchor(lines: list[Line], at: int, box: BBox, is_value) -> tuple[list[str], list[Word], bool]:
    """The words heading the value on one of the two lines above, and whether they are all their
    cell holds."""
    line = below = lines[at]
    for above in reversed(lines[max(0, at - 2):at]):
        if below.top - above.bottom > 3 * max(line.height, 1e-3):
            break
        below = above
        indexes = [k for k, w in enumerate(above.words) if w.bbox[0] < box[2] and w.bbox[2] > box[0] - 0.02]
        words = [above.words[k] for k in indexes]
        tokens = _anchor_tokens(words)
        if tokens and is_value(tokens):
            continue  # the name over the address in a recipient block: a value, the heading may be above it
        if tokens and len(tokens) == len([t for w in words for t in token_texts(w.text)]):
            cells = {above.cell_of(k) for k in indexes}
            alone = len(cells) == 1 and next(iter(cells)) == (indexes[0], indexes[-1] + 1)
            return tokens, words, alone
    return [], [], True


def _other_values(values) -> list[set[str]]:
    return [words for words in ({t for t in token_texts(v) if t not in _CIVILITIES} for v in values if v) if words]


def overlaps(box: BBox, other: BBox | None) -> bool:
    """Whether two boxes (x0, y0, x1, y1) share some area (False without ``other``)."""
    return other is not None and box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]


def locate(pages: list[PageContent], data_type: str, value: str, *, other_values=(),
           extracted_at: tuple[int, BBox] | None = None, labels=(), foreign_labels=()) -> Spot | None:
    """Where ``value`` (normalised, of ``data_type``) is printed, preferring a place with an
    anchor before it; None when it is not on the pages as read.

    ``other_values``: the document's values of its other fields, never an anchor (a name is not
    the label of the address under it: the next document prints another name).
    ``extracted_at``: (page number, box) where the extractor read the value, when a validator
    confirmed it: of the places that print the value, that one (a date printed twice is the
    invoice's date where the extractor found the invoice's date).
    ``labels``: the field's configured labels (token tuples): of the places that print the value,
    one after such a label rather than one after other words (the invoice's date after « Date de
    facture », not after « Fait à Lyon, le »).
    ``foreign_labels``: the labels of the document's other fields holding the same value: of the
    places that print it, one after none of them (the works' end after « au », not the invoice's
    date after « Date d'émission » on an invoice issued the day the works ended)."""
    if not value or data_type in _UNLOCATED_TYPES:
        return None
    values = _other_values(other_values)

    def is_value(tokens: list[str]) -> bool:
        words = {t for t in tokens if t not in _CIVILITIES}
        return bool(words) and any(words <= other for other in values)

    found: list[tuple[bool, bool, Spot]] = []
    for index, page in enumerate(_ordered(pages), start=1):
        lines = page_lines(page)
        for at, line in enumerate(lines):
            for start, end in _hits(line, data_type, value):
                box = union_box(w.bbox for w in line.words[start:end])
                tokens, words, numbers = _left_anchor(line, start, data_type)
                relation, clauses, skipped, alone = ("left" if tokens else "none"), 0, 0, True
                if tokens and is_value(tokens):
                    tokens, words, relation, numbers = [], [], "none", 0
                if not tokens:
                    tokens, words, clauses, skipped = _clause_anchor(line, start)
                    relation = "clause" if tokens and not is_value(tokens) else "none"
                if relation == "none":
                    clauses, skipped = 0, 0
                    tokens, words, alone = _above_anchor(lines, at, box, is_value)
                    relation = "above" if tokens else "none"
                after = token_texts(line.words[end].text) if end < len(line.words) else []
                spot = Spot(index, box, relation, tuple(tokens) if relation != "none" else (),
                            union_box(w.bbox for w in words) if relation != "none" else None,
                            end - start, after[0][:60] if after else "", clauses, skipped,
                            numbers if relation == "left" else 0, alone)
                where = extracted_at is not None and extracted_at[0] == page.number and overlaps(box, extracted_at[1])
                found.append((not where, not labelled(spot.anchor, labels), labelled(spot.anchor, foreign_labels),
                              relation == "none", spot))
    if not found:
        return None
    return min(found, key=lambda item: item[:4])[4]


def labelled(anchor: tuple[str, ...], labels) -> bool:
    """Whether an anchor is one of the labels, or ends with one, or is the end of one (two words
    at least: « de la facture » is the end of « date de la facture »)."""
    for label in labels:
        label = tuple(label)
        if label and (anchor[-len(label):] == label or (len(anchor) >= 2 and label[-len(anchor):] == anchor)):
            return True
    return False


_NUMBER_SIGN_RE = re.compile(r"^(?:n°|nº|no\b\.?|n\.)\s*:?", re.IGNORECASE)
_BULLETS = "•·*+-–—▪►"


def _same_word(token: str, learned: str) -> bool:
    """The word that followed the learned value, or a number of its shape (a postal code after an
    address is another postal code on the next document)."""
    return token == learned or (learned.isdigit() and token.isdigit() and len(token) == len(learned))


def _string_words(words: list[Word], value_words: int, followed_by: str) -> list[Word]:
    """The words of a text value inside a line or a sentence: without a leading "N°", up to the
    word that followed the learned value, the first comma, or about twice the words the learned
    value had (one word when it was an identifier)."""
    while words and not words[0].text.strip(_BULLETS):
        words = words[1:]
    if words and words[0].text[:1] in _BULLETS:
        words = [Word(words[0].text.lstrip(_BULLETS), words[0].bbox, words[0].conf), *words[1:]]
    if words and _NUMBER_SIGN_RE.match(words[0].text):
        rest = _NUMBER_SIGN_RE.sub("", words[0].text, count=1)
        words = ([Word(rest, words[0].bbox, words[0].conf)] if rest else []) + words[1:]
    # "M. OU MME LEMAÎTRE ALPHONSE": the civilities before a name are not the name
    while len(words) > 2 and set(token_texts(words[0].text)) <= _CIVILITIES | {"ou"} and token_texts(words[0].text):
        words = words[1:]
    if not words:
        return []
    if value_words == 1 and any(ch.isdigit() for ch in words[0].text):
        return words[:1]
    # names and addresses vary in length from one document to the next: a generous bound
    limit = max(2 * value_words, value_words + 3) if value_words else len(words)
    kept: list[Word] = []
    for word in words:
        first = token_texts(word.text)[:1]
        if len(kept) == limit or (kept and followed_by and first and _same_word(first[0], followed_by)):
            break
        if word.text.endswith((",", ";")):
            kept.append(Word(word.text.rstrip(",;"), word.bbox, word.conf))
            break
        kept.append(word)
    return kept


def _typed(data_type: str, words: list[Word], value_words: int = 0, followed_by: str = "") -> tuple[str, str, list[Word]] | None:
    # "Nom et prénom : X" read where "Nom : X" was learned: the value starts after the label's colon
    # (a colon of the label: no number before it; « Montant HT : 4 206,13 € - TVA 5,5 % : 231,34 € »
    # holds the next labels' colons after the value)
    colons = []
    for k, w in enumerate(words[:-1]):
        if any(c.isdigit() for c in w.text):
            break
        if w.text.endswith(":"):
            colons.append(k)
    if colons:
        words = words[colons[-1] + 1:]
    words = [w for w in words if w.text.strip(" :;-–")]
    if data_type == "string":
        words = _string_words(words, value_words, followed_by)
    if not words:
        return None
    if data_type == "string":
        raw = " ".join(w.text for w in words).strip(" :;-–")
        try:
            return normalise("string", raw), raw, words
        except ValueError:
            return None
    found = find_values(data_type, words)
    if not found:
        return None
    if data_type == "cee_code":  # every code the spot holds ("BAR-EN-101 et BAR-EN-102")
        codes = list(dict.fromkeys(code for fv in found for code in json.loads(fv.value)))
        return json.dumps(codes), " ".join(fv.raw for fv in found), words[found[0].start:found[-1].end]
    fv = found[0]
    if followed_by[:1].isalpha() and not _followed_alike(words[fv.end:fv.end + 1], followed_by):
        return None  # « 126,00 m2 » was taught: « 14000 Caen » under the anchor is another number
    return fv.value, fv.raw, words[fv.start:fv.end]


def _followed_alike(after: list[Word], followed_by: str) -> bool:
    """Whether the word after a number opens as the word (a unit) that followed the taught one,
    give or take what OCR made of the rest of it (« m? » for « m² »)."""
    tokens = token_texts(after[0].text) if after else []
    return bool(tokens) and tokens[0][:1] == followed_by[:1]


def _after_anchor(line: Line, end_token: int) -> list[Word]:
    if end_token >= len(line.tokens):
        return []
    first = line.tokens[end_token].word
    if line.tokens[end_token - 1].word == first:  # the anchor's last token shares a word: "N°DV-12"
        word = line.words[first]
        tail = word.text.split(":", 1)[-1] if ":" in word.text else ""
        return ([Word(tail, word.bbox, word.conf)] if tail.strip() else []) + line.words[first + 1:line.cell_of(first)[1]]
    _, cell_end = line.cell_of(first)
    return line.words[first:cell_end]


FAR_OFF = 0.1  # of the page's width: a value this much nearer its anchor than learned is another one


def _at_learned_offset(line: Line, end_token: int, gap: float, words: list[Word]) -> list[Word]:
    """``words`` (what follows an anchor in its cell or the next), none where they start far nearer
    the anchor than the value did where it was learned: the words there were no label of it (a
    sidebar's heading level with the works' address, the client's block between them on this
    document: « INFORMATIONS LÉGALES » | « 4 rue du Lavoir » | « 136 boulevard des Vignes »)."""
    expected = line.words[line.tokens[end_token - 1].word].bbox[2] + gap
    return words if not words or words[0].bbox[0] >= expected - FAR_OFF else []


def _after_values(line: Line, end_token: int, data_type: str, skipped: int) -> list[Word]:
    """The words from the number ``skipped`` numbers after an anchor to the end of the line."""
    if end_token >= len(line.tokens):
        return []
    words = line.words[line.tokens[end_token].word:]
    found = find_values(data_type, words)
    return words[found[skipped].start:] if len(found) > skipped else []


def _after_clauses(line: Line, end_token: int, clauses: int, skipped: int) -> list[Word]:
    """The words ``clauses`` commas and ``skipped`` words after an anchor, to the end of its cell."""
    if end_token >= len(line.tokens) or not clauses:
        return []
    first = line.tokens[end_token].word
    _, cell_end = line.cell_of(first)
    words = line.words[first:cell_end]
    ends = [k for k, w in enumerate(words) if w.text.endswith(",")]
    if len(ends) < clauses:
        return []
    return words[ends[clauses - 1] + 1 + skipped:]


def _anchor_lines(lines: list[Line], anchor: list[str], expected_top: float, expected_left: float | None = None,
                  scanned: bool = False):
    """The occurrences of ``anchor`` (line index, first and end token), the nearest the learned
    place first: its top, and its left edge where known (two columns printing « Adresse : »
    on one line, the issuer's and the client's). On a scan without one, an anchor of three words
    or more with one word OCR misread (« Livraison / 2 chez » for « Livraison / pose chez »),
    near the learned place (``_misread_anchor_at``)."""
    found, misread = [], []
    for at, line in enumerate(lines):
        texts = line.token_texts
        for i in range(len(texts)):
            end = match_at(texts, anchor, i)
            if end is not None:
                across = 0.0 if expected_left is None else abs(line.words[line.tokens[i].word].bbox[0] - expected_left)
                found.append((abs(line.top - expected_top) + across, at, i, end))
            elif scanned and len(anchor) >= MISREAD_ANCHOR_TOKENS and abs(line.top - expected_top) <= MISREAD_ANCHOR_REACH:
                end = _misread_anchor_at(texts, anchor, i)
                if end is not None:
                    misread.append((abs(line.top - expected_top), at, i, end))
    return sorted(found or misread)


MISREAD_ANCHOR_TOKENS = 3
MISREAD_ANCHOR_REACH = 0.08  # (of the page's height) a misread anchor is looked for near where it was learned


def _misread_anchor_at(texts: list[str], anchor: list[str], i: int) -> int | None:
    """The end of ``anchor`` read at token ``i`` with one word, not its first nor its last, OCR
    misread or dropped into another (« livraison 2 chez »): the first and last words are spelt
    right, or alike (``match_at``)."""
    n = len(anchor)
    if i + n > len(texts):
        return None
    for k in range(1, n - 1):
        if match_at(texts, anchor[:k], i) == i + k and match_at(texts, anchor[k + 1:], i + k + 1) == i + n:
            return i + n
    return None


def _text_start(line: Line, first: int, x0: float) -> int:
    """The word a text read from word ``first`` starts at: the words before it in its cell that
    end past ``x0`` (the learned box's left edge) less 0.1, up to a civility or a colon, belong to
    it. A name starts further left when the civility or the first name before it is shorter than
    on the teaching document (« M. Jacques BERTIN » under « Madame Thérèse MARTIN »), or when a
    word of it is split off the learned box (« Iso' Bâtiment » read « Bâtiment »)."""
    cell_start, _ = line.cell_of(first)
    while (first > cell_start and line.words[first - 1].bbox[2] > x0 - 0.1
           and not set(token_texts(line.words[first - 1].text)) <= _CIVILITIES):
        first -= 1
    return first


def _misread_anchor(text: str, anchor: list[str]) -> bool:
    """Whether a word is the last word of a spot's anchor as a scan misread it (two letters off)."""
    tokens = token_texts(text)
    return bool(anchor) and len(tokens) == 1 and len(anchor[-1]) >= 6 and tokens[0] != anchor[-1] \
        and bounded_edit_distance(tokens[0], anchor[-1], 2) <= 2


def page_lines_of(page: PageContent, lines_of: dict) -> list[Line]:
    """The page's lines, kept in ``lines_of`` (by page number) between the reads of one document."""
    if page.number not in lines_of:
        lines_of[page.number] = page_lines(page)
    return lines_of[page.number]


def _below_anchor(lines: list[Line], at: int, end: int, box: list[float], offset: list[float],
                  data_type: str) -> list[Word]:
    """The words under the anchor of line ``at`` (its tokens up to ``end``), in the learned
    value's columns, on the one of the next two lines nearest the learned vertical offset: under
    « Maître d'ouvrage », the address is the line below the name, not the name. A text starts
    where its words start (``_text_start``)."""
    x0, _, x1, _ = box
    anchor_x0 = lines[at].words[lines[at].tokens[end - 1].word].bbox[0]
    start_x = min(x0, anchor_x0 + offset[0]) - 0.02
    expected_top = lines[at].top + offset[1]
    found = []
    for below in lines[at + 1:at + 3]:
        inside = [k for k, w in enumerate(below.words) if start_x <= w.bbox[0] <= max(x1, start_x + 0.05)]
        if inside:
            found.append((abs(below.top - expected_top), below, inside[0]))
    if not found:
        return []
    _, below, first = min(found, key=lambda item: item[0])
    if data_type == "string":
        first = _text_start(below, first, start_x)
    return below.words[first:below.cell_of(first)[1]]


def read_at(pages: list[PageContent], data_type: str, spot: dict, lines_of: dict | None = None) -> FieldValue | None:
    """The value of ``data_type`` at a learned ``spot`` (a LearnedFieldLocation's data), or None.
    ``lines_of`` keeps each page's lines between calls on one document."""
    ordered = _ordered(pages)
    if not spot.get("page") or spot["page"] > len(ordered) or not spot.get("bbox"):
        return None
    page = ordered[spot["page"] - 1]
    lines = page_lines_of(page, {} if lines_of is None else lines_of)
    x0, y0, x1, y1 = spot["bbox"]
    anchor = (spot.get("anchor") or "").split()
    words: list[Word] = []
    if spot.get("relation") in ("left", "above", "clause") and anchor:
        offset = spot.get("offset") or [0, 0, 0, 0]
        left = x0 - offset[0] if spot.get("offset") else None
        scanned = (page.source or "").startswith("ocr")
        for _, at, _, end in _anchor_lines(lines, anchor, y0 - offset[1], left, scanned)[:1]:
            if spot["relation"] == "clause":
                words = _after_clauses(lines[at], end, spot.get("clauses_skipped") or 0, spot.get("words_skipped") or 0)
            elif spot["relation"] == "left" and spot.get("values_skipped"):
                words = _after_values(lines[at], end, data_type, spot["values_skipped"])
            elif spot["relation"] == "left":
                words = _after_anchor(lines[at], end)
                if spot.get("offset"):  # (the learned gap between the anchor's end and the value)
                    words = _at_learned_offset(lines[at], end, x0 - (x1 - offset[2]), words)
            else:
                words = _below_anchor(lines, at, end, spot["bbox"], offset, data_type)
    elif spot.get("relation") == "none":
        height = max(y1 - y0, 0.005)
        for line in lines:
            centre = (line.top + line.bottom) / 2
            if y0 - height / 2 <= centre <= y1 + height / 2:
                # a scan's specks (« . », « ; ») in the box are no value: the line of the value may be
                # the next one in the band
                inside = [k for k, w in enumerate(line.words)
                          if x0 - 0.02 <= w.bbox[0] <= x1 and any(ch.isalnum() for ch in w.text)]
                if inside:
                    first = _text_start(line, inside[0], x0 - 0.02) if data_type == "string" else inside[0]
                    garbled = [k for k in range(first, inside[0]) if _misread_anchor(line.words[k].text, anchor)]
                    first = garbled[-1] + 1 if garbled else first  # after the anchor OCR garbled (« Conmunee »)
                    words = line.words[first:line.cell_of(first)[1]]
                    break
    typed = _typed(data_type, words, spot.get("value_words") or 0, spot.get("followed_by") or "")
    if typed is None:
        return None
    value, raw, value_words = typed
    return FieldValue(value=value, raw=raw, confidence=0.0, page=page.number,
                      bbox=union_box(w.bbox for w in value_words))


def read_by_ocr(pages: list[PageContent], found: FieldValue) -> bool:
    """Whether OCR read the words of ``found``: its page was OCR'd, or (a text layer completed by
    OCR) a word there has a confidence under 1, as the extractor tells."""
    page = next((p for p in pages if p.number == found.page), None)
    if page is None:
        return False
    if (page.source or "").startswith("ocr"):
        return True
    return bool(found.bbox) and any(w.conf < 1.0 for w in page.words if overlaps(w.bbox, found.bbox))
