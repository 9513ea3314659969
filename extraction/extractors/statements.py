"""Yes/no statements a document prints as a sentence, a box before it or a Oui/Non answer.

An attestation writes « ☒ Le bâtiment est achevé depuis plus de 2 ans », « Bâtiment existant
depuis plus de deux ans à la date d'engagement : ☐ Oui ☒ Non », or only prints the sentence.
``read_statements`` finds the statement by its phrases (the field's labels) anywhere in a
sentence, which may wrap onto the next line, and reads its answer, in this order:

1. a ticked « Oui » or « Non » box in the rest of the sentence, or a bare « Oui » / « Non »
   answering it (« … : Oui »); boxes left empty on both answers mean no answer at all;
2. else the box opening the sentence: ticked (☒ ☑ ✓ ✔ [X] (x) or a lone X) is true, empty
   (☐ □ [ ] ( )) is false;
3. else the printed sentence itself is true.

A negation just before the phrase (« n'est pas achevé depuis… ») turns the statement around.
A sentence naming none of the rule's subject words (« bâtiment », « logement », « achevé »…)
is about something else (a guarantee « de plus de 2 ans ») and is skipped. Numbers written in
words compare equal to digits (« deux ans » is « 2 ans »), and phrase words tolerate the same
OCR typos and dropped accents as every label.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from cee.text import fold
from ..types import Word
from .layout import Line
from .text import bounded_edit_distance, match_at_flex, similar, token_texts
from .values import join_words

NUMBER_WORDS = {"un": "1", "une": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "six": "6",
                "sept": "7", "huit": "8", "neuf": "9", "dix": "10", "douze": "12", "quinze": "15", "vingt": "20"}
DEFAULT_NEGATIONS = ("pas", "jamais")
NEGATION_WINDOW = 4  # tokens before the phrase where a negation applies to it
# How much each way of answering is trusted (before the phrase's own weight).
ANSWER_WEIGHT = {"answer": 0.95, "box": 0.9, "sentence": 0.8}
SLIPPED_WEIGHT = 0.8  # a phrase read with a short word or two misread

# Marks as a text layer or an OCR engine writes them; a lone X is handled with the words.
_ITEM_RE = re.compile(
    r"(?P<on>\[\s*[xX✓✔✗✘]\s*\]|\(\s*[xX]\s*\)|[☒☑✓✔✗✘■⊠]|[xX](?=(?i:oui|non)\b))"  # « XOui »: a cross glued to its answer
    r"|(?P<off>\[\s*_?\s*\]|\(\s*\)|[☐□❏❑◻○])"
    r"|(?P<word>[^\W_]+)"
    r"|(?P<end>[.;:!?])"
)
_ANSWERS = {"oui": True, "non": False}


@dataclass
class _Item:
    kind: str  # on | off | word | end
    text: str  # folded for words
    line: int  # index of the line on the page
    word: int  # index of its (first) word in the line
    last_word: int  # index of its last word (a box read as "[", "X", "]")


@dataclass
class StatementHit:
    value: bool
    how: str  # answer | box | sentence
    score: float
    page: int
    words: list[Word]
    raw: str


def _canonical(token: str) -> str:
    return NUMBER_WORDS.get(token, token)


_GLUED_NUMBER_RE = re.compile(r"^(\d+)([a-z]{2,})$")


def _parts(token: str) -> tuple[str, ...]:
    """A number a scan glued to its unit (« 2ans ») as two tokens."""
    glued = _GLUED_NUMBER_RE.match(token)
    return glued.groups() if glued else (token,)


def _items(line: Line, line_index: int) -> list[_Item]:
    text, spans = join_words(line.words)
    items = []
    for m in _ITEM_RE.finditer(text):
        first = next((i for i, (s, e) in enumerate(spans) if e > m.start()), len(spans) - 1)
        last = next((i for i in range(len(spans) - 1, -1, -1) if spans[i][0] < m.end()), first)
        kind = m.lastgroup
        items.append(_Item(kind, fold(m.group(0)) if kind == "word" else m.group(0), line_index, first, max(first, last)))
    return items


def _is_mark(items: list[_Item], k: int) -> bool | None:
    """Whether ``items[k]`` is a ticked (True) or empty (False) box; None for anything else.
    A lone « x » word counts as ticked."""
    if k < 0 or k >= len(items):
        return None
    item = items[k]
    if item.kind == "on" or (item.kind == "word" and item.text == "x"):
        return True
    if item.kind == "off":
        return False
    return None


def _answer_next(items: list[_Item], k: int) -> bool:
    """Whether the item after ``items[k]`` is a box or a Oui/Non answer."""
    return k + 1 < len(items) and (_is_mark(items, k + 1) is not None or items[k + 1].text in _ANSWERS)


def _continues(upper: Line, lower: Line) -> bool:
    """Whether ``lower`` carries on ``upper``'s sentence (the next line of a wrapped paragraph)."""
    h = max(upper.height, lower.height)
    gap = lower.top - upper.bottom
    if gap > 0.9 * h or gap < -0.3 * h:
        return False
    if upper.words[-1].text.endswith((".", ":", ";", "!", "?")):
        return False
    ux0, _, ux1, _ = upper.bbox
    lx0, _, lx1, _ = lower.bbox
    # the same left edge, or a hanging indent after a box; the upper line was full when it wrapped
    return -0.01 <= lx0 - ux0 <= 0.08 and ux1 >= lx1 - 0.12


def _phrase_ends(tokens: list[str], phrases: list[tuple[list[str], float]], limit: int) -> list[tuple[int, int, float, bool]]:
    """(start, end, weight, misread) of the phrases found in ``tokens`` starting before ``limit``,
    longest first, no overlap; ``misread``: found with a short word or two misread (``_with_slips``)."""
    found = []
    taken: set[int] = set()
    for phrase, weight in phrases:
        for i in range(min(limit, len(tokens))):
            if i in taken:
                continue
            match = match_at_flex(tokens, phrase, i)
            if match is not None:
                end, inserted = match
                weight_here = weight * (0.85 if inserted else 1.0)
            elif (end := _with_slips(tokens, phrase, i)) is not None:
                weight_here = weight * SLIPPED_WEIGHT
            else:
                continue
            found.append((i, end, weight_here, match is None))
            taken.update(range(i, end))
    return found


def _slip(token: str, expected: str) -> bool:
    """Whether ``token`` is a short word of a phrase a scan misread by one letter, its first one
    kept (« pus », « ptus », « pius » for « plus »; « anis », « aus » for « ans »)."""
    return (len(expected) >= 3 and not expected.isdigit() and not token.isdigit() and token[:1] == expected[:1]
            and abs(len(token) - len(expected)) <= 1 and bounded_edit_distance(token, expected, 1) <= 1)


def _with_slips(tokens: list[str], phrase: list[str], i: int) -> int | None:
    """The end of ``phrase`` read at ``i`` with a word or two misread (``_slip``; one in a phrase
    of four words, two from five), its first word and its numbers as printed; else None."""
    n = len(phrase)
    if n < 4 or i + n > len(tokens):
        return None
    slips = 0
    for k, expected in enumerate(phrase):
        token = tokens[i + k]
        if token == expected or similar(token, expected):
            continue
        if k == 0 or not _slip(token, expected):
            return None
        slips += 1
    return i + n if slips <= (1 if n < 5 else 2) else None


def read_statements(lines: list[Line], phrases: list[tuple[list[str], float]], rule: dict) -> list[StatementHit]:
    """The statements of one page's ``lines`` (see the module docstring).

    ``phrases`` are the field's labels as folded tokens with their weights; ``rule`` the
    ``statement`` hint: ``subject`` (words one of which the sentence must hold; none: any
    sentence) and ``negations`` (default « pas », « jamais »).
    """
    if not lines or not phrases:
        return []
    phrases = sorted((([_canonical(t) for t in tokens], weight) for tokens, weight in phrases), key=lambda p: -len(p[0]))
    lasts = {p[-1] for p, _ in phrases}
    # a phrase ends on one of these tokens (long ones give or take an OCR typo, short ones a slip)
    last_spellings = lasts | {word for word, digits in NUMBER_WORDS.items() if digits in lasts}
    subject = [_canonical(t) for word in rule.get("subject", []) for t in token_texts(word)]
    negations = {t for word in rule.get("negations", DEFAULT_NEGATIONS) for t in token_texts(word)}
    page = _Page(lines)
    hits: list[StatementHit] = []
    read: set[int] = set()  # words of phrases already read (a wrapped phrase is seen from two lines)

    def may_end_a_phrase(line: Line) -> bool:
        if not last_spellings.isdisjoint(line.token_set):
            return True
        tokens = {part for t in line.token_set for part in _parts(t)}
        return any(t in last_spellings or similar(t, last) or _slip(t, last) for t in tokens for last in lasts)

    ends = [may_end_a_phrase(line) for line in lines]
    for n, line in enumerate(lines):
        if not (ends[n] or (n + 1 < len(lines) and ends[n + 1])):
            continue
        window = [line]
        if n + 1 < len(lines) and _continues(line, lines[n + 1]):
            window.append(lines[n + 1])
        if not ends[n] and len(window) == 1:
            continue
        tokens = [(part, w, t.word) for w, l in enumerate(window) for t in l.tokens for part in _parts(_canonical(t.text))]
        texts = [t for t, _, _ in tokens]
        own = len(line.tokens)
        for start, end, weight, misread in _phrase_ends(texts, phrases, own):
            spots = [(n + w, word) for _, w, word in tokens[start:end]]
            keys = {id(lines[k].words[word]) for k, word in spots}
            if keys & read:
                continue
            read |= keys
            hit = page.read(n, spots, weight, subject, negations, misread)
            if hit is not None:
                hits.append(hit)
    return hits


# A ticked box the OCR engine read as a letter or two (« D oui [] non », « Q Oui ☐ Non »): at most
# this many characters, this close to its answer (in page widths).
MISREAD_TICK_CHARS = 2
MISREAD_TICK_GAP = 0.02
# …but not a letter an empty box reads as (« [] oui C non »: the C may be the empty one)
_EMPTY_LOOKING = frozenset({"c", "o", "0", "u", "l", "i", "1"})
_BOX_SIGNS_RE = re.compile(r"[\[\]()|{}□☐]{1,3}")  # an empty box a scan read as signs only


class _Page:
    """One page's lines and their marks and words (items), read once."""

    def __init__(self, lines: list[Line]):
        self.lines = lines
        self._items: dict[int, list[_Item]] = {}

    def items(self, n: int) -> list[_Item]:
        found = self._items.get(n)
        if found is None:
            found = self._items[n] = _items(self.lines[n], n)
        return found

    def words(self, item: _Item) -> list[Word]:
        return self.lines[item.line].words[item.word:item.last_word + 1]

    def gap(self, left: _Item, right: _Item) -> float:
        """The blank between two items of a line (0 where they share a word)."""
        if left.line != right.line:
            return float("inf")
        words = self.lines[left.line].words
        return max(0.0, words[right.word].bbox[0] - words[left.last_word].bbox[2])

    def _misread_tick(self, after: list[_Item], pairs: list[tuple[int, bool | None]], side: int) -> list[tuple[int, bool | None]]:
        """``pairs`` (each answer's box: ticked, empty, None for no box) where one answer's box
        reads empty and the other's reads as a short word beside its answer: that word is the
        tick, misread (a box can only be empty or ticked, and the form answers once)."""
        if len(pairs) != 2 or sorted(mark is None for _, mark in pairs) != [False, True] \
                or not any(mark is False for _, mark in pairs):
            return pairs
        k = next(k for k, mark in pairs if mark is None)
        if not 0 <= k + side < len(after):
            return pairs
        if not self._tick_like(after, k + side, k):
            return pairs
        return [(j, True if j == k else mark) for j, mark in pairs]

    def _tick_like(self, after: list[_Item], k: int, answer: int) -> bool:
        """Whether ``after[k]`` could be a tick misread beside the answer ``after[answer]``: a
        word of a character or two, no answer itself, right next to it."""
        if not 0 <= k < len(after):
            return False
        box = after[k]
        if box.kind != "word" or len(box.text) > MISREAD_TICK_CHARS or box.text in _ANSWERS or box.text in _EMPTY_LOOKING:
            return False
        left, right = (box, after[answer]) if k < answer else (after[answer], box)
        return self.gap(left, right) <= MISREAD_TICK_GAP

    def _empty_box_before(self, after: list[_Item], k: int) -> int | None:
        """Where the empty box right before the answer ``after[k]`` stands among ``after`` (None
        for no such box), as a scan reads one: a letter an empty box looks like (« O », « Ü »), or
        signs without a letter (« (| », « [ »)."""
        answer = after[k]
        if k > 0 and after[k - 1].kind == "word" and after[k - 1].text in _EMPTY_LOOKING \
                and self.gap(after[k - 1], answer) <= MISREAD_TICK_GAP:
            return k - 1
        words = self.lines[answer.line].words
        if answer.word == 0 or (k > 0 and after[k - 1].line == answer.line
                                and after[k - 1].last_word == answer.word - 1):
            return None
        box = words[answer.word - 1]
        if _BOX_SIGNS_RE.fullmatch(box.text) and words[answer.word].bbox[0] - box.bbox[2] <= MISREAD_TICK_GAP:
            return k
        return None

    def _ticked_alternative(self, n: int) -> bool:
        """Whether a line next to line ``n`` opens with a ticked box and words (the other choice)."""
        for k in (n - 1, n + 1):
            if 0 <= k < len(self.lines):
                items = self.items(k)
                if len(items) >= 3 and _is_mark(items, 0) and items[1].kind == "word":
                    return True
        return False

    def read(self, n: int, spots: list[tuple[int, int]], weight: float, subject, negations,
             misread: bool = False) -> StatementHit | None:
        """The answer to the phrase at ``spots`` ((line, word) of each of its tokens; it starts on line ``n``);
        ``misread``: the phrase was read with words misread (``_with_slips``), only its boxes answer it."""
        lines = self.lines
        (first_line, first_word), (last_line, last_word) = spots[0], spots[-1]
        phrase_words = list(dict.fromkeys(lines[k].words[w] for k, w in spots))

        # the sentence before the phrase: back to a sentence end, across the wrapped lines above
        before = [i for i in self.items(first_line) if i.word < first_word]
        cut = max((k for k, i in enumerate(before) if i.kind == "end"), default=-1)
        before = before[cut + 1:]
        # a letter an empty box reads as, where the line beside opens with a ticked box (« [1 Le logement
        # est achevé depuis plus de 2 ans » over « X] … depuis moins de 2 ans »: one of the two is ticked)
        empty_box = len(before) >= 4 and before[0].kind == "word" and before[0].text in _EMPTY_LOOKING \
            and self._ticked_alternative(first_line)
        back = first_line
        while cut < 0 and back > max(0, first_line - 2) and _is_mark(before, 0) is None and not empty_box \
                and _continues(lines[back - 1], lines[back]):
            back -= 1
            above = self.items(back)
            cut = max((k for k, i in enumerate(above) if i.kind == "end"), default=-1)
            before = above[cut + 1:] + before

        # the rest of the sentence after the phrase, on its wrapped lines or on a line below a colon
        after = [i for i in self.items(last_line) if i.word > last_word]
        k = last_line
        while k + 1 < len(lines) and k < last_line + 2:
            upper, lower = lines[k], lines[k + 1]
            colon = upper.words[-1].text.endswith(":") and lower.top - upper.bottom <= 1.2 * max(upper.height, lower.height)
            if not (_continues(upper, lower) or colon):
                break
            after += self.items(k + 1)
            k += 1
            if colon:
                break
        for k, item in enumerate(after):
            # a sentence's end, unless answers follow it: then it is the question's colon a scan misread
            if item.kind == "end" and item.text != ":" and not _answer_next(after, k):
                after = after[:k]
                break

        phrase_tokens = [_canonical(t) for w in phrase_words for t in token_texts(w.text)]
        sentence = [_canonical(i.text) for i in before + after if i.kind == "word"] + phrase_tokens
        if subject and not any(w == s or similar(w, s) for w in sentence for s in subject):
            return None  # a sentence about something else
        words_before = [i for i in before if i.kind == "word"]
        negated = any(i.text in negations for i in words_before[-NEGATION_WINDOW:])
        page = lines[first_line].page
        raw_phrase = " ".join(w.text for w in phrase_words)

        # 1. a Oui/Non answer
        answers = [k for k, i in enumerate(after) if i.kind == "word" and i.text in _ANSWERS]
        if answers:
            first = answers[0]
            marks_before = _is_mark(after, first - 1) is not None
            if not marks_before and _is_mark(after, first + 1) is not None and first + 2 < len(after) \
                    and after[first + 2].text in _ANSWERS and _is_mark(after, answers[-1] + 1) is None:
                # « oui X non »: a box drawn before each answer, only the ticked one's X in the text
                # (no mark after the last answer); the X goes with the answer it stands clearly nearer to;
                # a tick misread as a letter before the first answer puts the boxes before them
                # (« D oui [] non »)
                marks_before = self.gap(after[first + 1], after[first + 2]) < 0.5 * self.gap(after[first], after[first + 1]) \
                    or self._tick_like(after, first - 1, first)
            pairs = [(k, _is_mark(after, k - 1) if marks_before else _is_mark(after, k + 1)) for k in answers]
            pairs = self._misread_tick(after, pairs, -1 if marks_before else 1)
            if any(mark is not None for _, mark in pairs):
                ticked = {_ANSWERS[after[k].text] for k, mark in pairs if mark}
                if len(ticked) != 1:
                    return None  # both boxes ticked, or neither: the form does not answer
                value = ticked.pop()
                k = next(k for k, mark in pairs if mark and _ANSWERS[after[k].text] == value)
                mark_item = after[k - 1 if marks_before else k + 1]
                pair = [mark_item, after[k]] if marks_before else [after[k], mark_item]
                words = list(dict.fromkeys(w for item in pair for w in self.words(item)))
            else:
                if misread:
                    return None  # a bare answer on a line the scan garbled: its box may be what was lost
                k = answers[0]
                value = _ANSWERS[after[k].text]
                words = self.words(after[k])
                box = self._empty_box_before(after, k) if len(answers) == 1 else None
                if box is not None:
                    # « F1 où O Non », « PA oi Ü Non »: the one answer read has its box, empty, before
                    # it, the other answer with its tick the scan garbled before that (a form answers
                    # once); with nothing before the empty box, the form's answer was lost: none
                    start = max((j + 1 for j, i in enumerate(after[:box]) if i.kind == "end"), default=0)
                    if not any(i.kind == "word" for i in after[start:box]):
                        return None
                    value = not value
            return StatementHit(value != negated, "answer", weight * ANSWER_WEIGHT["answer"], page, words,
                                " ".join(w.text for w in words))

        # 2. the box opening the sentence (a lone X only when words follow it), or the empty box a letter read
        mark = False if empty_box else _is_mark(before, 0)
        if mark is not None and not (before[0].kind == "word" and len(words_before) < 2):
            if negated and not mark:
                return None  # an empty box before a denial says nothing
            words = self.words(before[0])
            return StatementHit(mark != negated, "box", weight * ANSWER_WEIGHT["box"], page, words,
                                " ".join(w.text for w in words) + f" {raw_phrase}")

        # 3. the sentence itself (not on a line the scan garbled: a form's answer boxes may be what was lost)
        if misread:
            return None
        return StatementHit(not negated, "sentence", weight * ANSWER_WEIGHT["sentence"], page, phrase_words, raw_phrase)
