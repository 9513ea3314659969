"""Tokens and tolerant phrase matching shared by the classifier and the field extractor.

Text is compared in a folded form (lower case, no accents, ``n°`` read as ``no``) token by
token, and a token of five letters or more may differ by one edit from the expected word
(two edits from twelve letters): OCR engines drop accents, merge or mistype letters, and
documents write the same label in capitals, with or without accents.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cee.text import fold, fold_for_match

# A word of five letters or more glued to a number is two tokens: « comprises15 658,18 € » is the
# label « … comprises » and its amount (a text layer that lost the space); codes (FAC008618) stay whole.
_TOKEN_RE = re.compile(r"[a-z]{5,}(?=[0-9])|[a-z0-9]+")


@dataclass(frozen=True)
class Token:
    text: str  # folded
    start: int  # offsets in the folded string the token came from
    end: int


def tokens(text: str) -> list[Token]:
    """The folded alphanumeric tokens of ``text``; ``n°`` becomes ``no``."""
    folded = fold_for_match(text)
    return [Token(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(folded)]


def compact(text: str | None) -> str:
    """``text`` folded with its spaces and signs taken out: two readings of one name or identifier
    compare equal (« OUEST-PERRIN », « Ouest Perrin »)."""
    return re.sub(r"[\W_]", "", fold(text or ""))


def token_texts(text: str) -> list[str]:
    return list(_token_texts(text))


def token_tuple(text: str) -> tuple[str, ...]:
    """``token_texts`` as a tuple shared by every caller (for reading only: no copy)."""
    return _token_texts(text)


@lru_cache(maxsize=100_000)
def _token_texts(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN_RE.findall(fold_for_match(text)))  # the texts of ``tokens(text)``


@lru_cache(maxsize=200_000)
def similar(word: str, expected: str) -> bool:
    """Whether an OCR'd token ``word`` may stand for ``expected`` (both folded)."""
    if word == expected:
        return True
    if expected.isdigit() or word.isdigit():
        return False
    n = len(expected)
    if n < 5:
        return False
    allowed = 2 if n >= 12 else 1
    if abs(len(word) - n) > allowed:
        return False
    return bounded_edit_distance(word, expected, allowed) <= allowed


def bounded_edit_distance(a: str, b: str, bound: int) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        best = current[0]
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            best = min(best, current[j])
        if best > bound:
            return bound + 1
        previous = current
    return previous[-1]


@lru_cache(maxsize=200_000)
def _glued(word: str, first: str, second: str) -> bool:
    joined = first + second
    if word == joined:
        return True
    # one OCR typo in a glued pair, only when both words are real words (not "d" + "isolant")
    return (min(len(first), len(second)) >= 3 and abs(len(word) - len(joined)) <= 1
            and bounded_edit_distance(word, joined, 1) <= 1)


def find_phrase(haystack: list[str], phrase: list[str], start: int = 0) -> list[int]:
    """Positions in ``haystack`` (folded tokens) where ``phrase`` (folded tokens) begins.

    A phrase also matches when OCR glued two of its words (``datede`` for ``date de``).
    """
    if not phrase:
        return []
    return [i for i in range(start, len(haystack)) if match_at(haystack, phrase, i) is not None]


def match_at(haystack: list[str], phrase: list[str], i: int) -> int | None:
    """The index just after ``phrase`` if it matches ``haystack`` at ``i``, else None."""
    j = 0
    k = i
    n, end = len(phrase), len(haystack)
    # a one-word label must be spelt right unless it is long: "Denis" is not "devis"
    strict = n == 1 and len(phrase[0]) < 7
    while j < n:
        if k >= end:
            return None
        word = haystack[k]
        expected = phrase[j]
        if word == expected or (not strict and similar(word, expected)):
            j += 1
            k += 1
            continue
        # two phrase words glued into one token by OCR or by the PDF ("datede", "n°facture")
        if j + 1 < n and _glued(word, expected, phrase[j + 1]):
            j += 2
            k += 1
            continue
        return None
    return k


def match_at_flex(haystack: list[str], phrase: list[str], i: int) -> tuple[int, bool] | None:
    """Like ``match_at``, also allowing one extra word inside the phrase ("Montant global TTC"
    for "montant TTC", "Date de la facture" for "date de facture"). Returns (end, inserted)."""
    end = match_at(haystack, phrase, i)
    if end is not None:
        return end, False
    if len(phrase) < 2 or i + 3 > len(haystack):
        return None  # a head, the extra word and a tail take three tokens at least
    for k in range(1, len(phrase)):
        head_end = match_at(haystack, phrase[:k], i)
        if head_end is None or head_end >= len(haystack):
            continue
        extra = haystack[head_end]
        if extra.isdigit() or similar(extra, phrase[k]):
            continue
        tail_end = match_at(haystack, phrase[k:], head_end + 1)
        if tail_end is not None:
            return tail_end, True
    return None


def _allowed(word: str) -> int:
    if len(word) < 5 or word.isdigit():
        return 0
    return 2 if len(word) >= 12 else 1


def _deletes(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


class FuzzyIndex:
    """Words indexed by their deletion variants (the SymSpell trick): finding the words within
    one or two edits of a query costs a few dictionary look-ups instead of a scan."""

    NEAR_CACHE_LIMIT = 200_000

    def __init__(self, words=(), depth: int | None = None):
        self.words: set[str] = set()
        self.index: dict[str, set[str]] = {}
        self.depth = depth
        self._near: dict[tuple[str, int | None], tuple[int, set[str]]] = {}  # answers while no word is added
        for word in words:
            self.add(word)

    def add(self, word: str) -> None:
        if word in self.words:
            return
        self.words.add(word)
        depth = self.depth if self.depth is not None else _allowed(word)
        for variant in _deletes(word, depth):
            self.index.setdefault(variant, set()).add(word)

    def near(self, query: str, depth: int | None = None) -> set[str]:
        """Indexed words that ``similar`` (or one edit, with ``depth=1``) accepts for ``query``
        (a set the caller must not change)."""
        cached = self._near.get((query, depth))
        if cached is not None and cached[0] == len(self.words):
            return cached[1]
        if depth is None:
            depth = max(_allowed(query), 1 if len(query) >= 4 else 0)
        found: set[str] = set()
        for variant in _deletes(query, depth):
            words = self.index.get(variant)
            if words:
                found |= words
        if len(self._near) >= self.NEAR_CACHE_LIMIT:
            self._near.clear()
        self._near[(query, depth)] = (len(self.words), found)
        return found


# Label words are few and shared by every document: one index for all of them.
_LABEL_FIRSTS = FuzzyIndex()
_LABEL_GLUED = FuzzyIndex(depth=1)


def _glued_to(word: str, joined: str) -> bool:
    """``_glued`` for a pair whose two words have three letters or more, given joined."""
    return word == joined or (abs(len(word) - len(joined)) <= 1 and bounded_edit_distance(word, joined, 1) <= 1)


class _AskedWords:
    """Every word phrases have looked for (labels, keywords), and for any token the asked
    words it may stand for.

    Documents repeat the same tokens (their labels, titles, units), and the labels are few:
    the answer for a token is computed once (deletion variants looked up in an index of the
    asked words, then checked with ``accepts``) and kept for every later text. Words asked
    for later are checked against the tokens met before one by one, so the answer stays
    exact while the set grows.
    """

    CACHE_LIMIT = 200_000

    def __init__(self, accepts, index_depth: int | None, query_depth, takes):
        self.accepts = accepts
        self.query_depth = query_depth
        self.takes = takes  # whether a token may stand for any asked word at all
        self.index = FuzzyIndex(depth=index_depth)
        self.added: list[str] = []  # in the order they were asked for
        self.position: dict[str, int] = {}
        self.known_near: dict[str, tuple[int, tuple[str, ...]]] = {}  # token: (len(added) then, near)

    def register(self, expected: str) -> None:
        if expected not in self.position:
            self.position[expected] = len(self.added)
            self.index.add(expected)
            self.added.append(expected)

    def near(self, token: str) -> tuple[str, ...]:
        """The asked words ``accepts`` takes ``token`` for (not the token itself)."""
        cached = self.known_near.get(token)
        if cached is not None and cached[0] == len(self.added):
            return cached[1]
        if cached is not None and len(self.added) - cached[0] <= 64:
            found = cached[1] + tuple(e for e in self.added[cached[0]:] if e != token and self.accepts(token, e))
        else:
            found = tuple(e for e in self.index.near(token, self.query_depth(token)) if e != token and self.accepts(token, e))
        if len(self.known_near) >= self.CACHE_LIMIT:
            self.known_near.clear()
        self.known_near[token] = (len(self.added), found)
        return found


def _similar_query_depth(token: str) -> int:
    # A token within two edits of an asked word is ten letters or more (two edits are
    # allowed from twelve letters, and the lengths differ by two at most).
    return 2 if len(token) >= 10 else 1


# Asked words that ``similar`` may match (five letters or more: a token of four letters or
# more, not a number, may stand for one), and joined pairs that a glued token may be
# (``_glued``: both words of three letters or more, so the token has five or more).
_ASKED_SIMILAR = _AskedWords(lambda token, expected: similar(token, expected), None, _similar_query_depth,
                             lambda token: len(token) >= 4 and not token.isdigit())
_ASKED_GLUED = _AskedWords(_glued_to, 1, lambda token: 1, lambda token: len(token) >= 5)


class Vocabulary:
    """The distinct tokens of a text, to find quickly which of them may stand for a word."""

    def __init__(self, words):
        self.words = set(words)
        self._cache: dict[str, tuple[str, ...]] = {}
        self._starts: dict[tuple, frozenset[str]] = {}
        self._inverse: dict[int, tuple[int, dict[str, list[str]], list[str]]] = {}

    def _near(self, asked: _AskedWords, expected: str) -> list[str]:
        """This text's tokens (other than ``expected``) that ``asked.accepts`` for ``expected``."""
        position = asked.position.get(expected)
        if position is None:
            asked.register(expected)
            position = asked.position[expected]
        built = self._inverse.get(id(asked))
        if built is None:
            candidates = [w for w in self.words if asked.takes(w)]
            inverse: dict[str, list[str]] = {}
            known, added = asked.known_near, len(asked.added)
            for word in candidates:
                cached = known.get(word)  # ``asked.near(word)`` without the call, when it is known
                for other in cached[1] if cached is not None and cached[0] == added else asked.near(word):
                    inverse.setdefault(other, []).append(word)
            built = self._inverse[id(asked)] = (len(asked.added), inverse, candidates)
        if position < built[0]:
            return built[1].get(expected, _NOTHING)
        # asked for the first time after this text was indexed: check its tokens directly
        return [w for w in built[2] if w != expected and asked.accepts(w, expected)]

    def matches(self, expected: str) -> tuple[str, ...]:
        """Tokens of the text that ``similar`` accepts for ``expected`` (in no particular order)."""
        found = self._cache.get(expected)
        if found is None:
            near = self._near(_ASKED_SIMILAR, expected) if _allowed(expected) else _NOTHING
            found = self._cache[expected] = (expected, *near) if expected in self.words else tuple(near)
        return found

    def glued(self, first: str, second: str) -> tuple[str, ...]:
        """Tokens that are ``first`` and ``second`` written without a space (in no particular order)."""
        key = first + "\x00" + second
        found = self._cache.get(key)
        if found is None:
            joined = first + second
            near = self._near(_ASKED_GLUED, joined) if min(len(first), len(second)) >= 3 else _NOTHING
            found = self._cache[key] = (joined, *near) if joined in self.words else tuple(near)
        return found

    def starts_of(self, phrases: list[tuple[str, ...]]) -> list[frozenset[str]]:
        """``starts`` of each phrase (a tuple), those already known read without a call."""
        known = self._starts
        out = []
        for phrase in phrases:
            found = known.get(phrase[:2])
            out.append(found if found is not None else self.starts(phrase))
        return out

    def starts(self, phrase) -> frozenset[str]:
        """Tokens at which ``phrase`` may begin: every token of the text at which ``match_at``
        can match it is in this set (a quick test before calling it)."""
        key = tuple(phrase[:2])
        found = self._starts.get(key)
        if found is None:
            tokens = self.matches(key[0])
            if len(key) > 1:
                tokens += self.glued(key[0], key[1])
            found = self._starts[key] = frozenset(tokens) if tokens else _NO_TOKENS
        return found


_NOTHING: list[str] = []  # (never changed)
_NO_TOKENS: frozenset[str] = frozenset()


class PhraseSet:
    """Phrases (token lists) indexed by their first word, to test quickly which begin at a position."""

    def __init__(self, phrases):
        self.phrases = list(dict.fromkeys(tuple(p) for p in phrases if p))
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        self.by_joined: dict[str, list[tuple[str, ...]]] = {}  # the first two words written as one
        self.by_glued: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self.phrases:
            self.by_first.setdefault(phrase[0], []).append(phrase)
            if _allowed(phrase[0]):
                _LABEL_FIRSTS.add(phrase[0])
            if len(phrase) > 1:
                self.by_joined.setdefault(phrase[0] + phrase[1], []).append(phrase)
            if len(phrase) > 1 and min(len(phrase[0]), len(phrase[1])) >= 3:
                self.by_glued.setdefault(phrase[0] + phrase[1], []).append(phrase)
                _LABEL_GLUED.add(phrase[0] + phrase[1])
        self._cache: dict[str, list[tuple[str, ...]]] = {}

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def candidates(self, token: str) -> list[tuple[str, ...]]:
        found = self._cache.get(token)
        if found is None:
            found = list(self.by_first.get(token, ()))
            if len(token) >= 4 and not token.isdigit():  # ``similar`` takes no number for a word
                for first in _LABEL_FIRSTS.near(token):
                    if first != token and first in self.by_first and similar(token, first):
                        found.extend(self.by_first[first])
            for phrase in self.by_joined.get(token, ()):
                if phrase not in found:
                    found.append(phrase)
            for joined in _LABEL_GLUED.near(token, 1) if len(token) >= 6 else ():
                for phrase in self.by_glued.get(joined, ()):
                    if _glued(token, phrase[0], phrase[1]):
                        found.append(phrase)
            self._cache[token] = found
        return found

    def first_match(self, toks: list[str], start: int = 0) -> int | None:
        """The first position from ``start`` at which ``match`` finds a phrase, or None."""
        known = self._cache
        for k in range(start, len(toks)):
            found = known.get(toks[k])
            if found is None:
                found = self.candidates(toks[k])
            if found and self.match(toks, k) is not None:
                return k
        return None

    def match(self, toks: list[str], i: int) -> tuple[str, ...] | None:
        """The longest phrase that matches ``toks`` at ``i``."""
        best = None
        for phrase in self.candidates(toks[i]) if i < len(toks) else ():
            if (best is None or len(phrase) > len(best)) and match_at(toks, phrase, i) is not None:
                best = phrase
        return best


@lru_cache(maxsize=512)
def phrase_set(phrases: tuple[tuple[str, ...], ...]) -> PhraseSet:
    """A shared ``PhraseSet`` (building the fuzzy indexes once per set of labels)."""
    return PhraseSet(phrases)
