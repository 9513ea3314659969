"""Candidate values found from a label: right of it, in the next cell, below it, down its
column or on a row label's line; each scored by how it was found, the label's weight, zone and
context and the value's type."""
from __future__ import annotations

from cee.text import fold

import re
from dataclasses import dataclass

from ..types import BBox, FieldSpec, Word
from .field_hints import _Hints, _fold_unit
from .columns import (_column_range, _first_cell, _is_header_row, _item_row, _lines_below, _spans_columns,
                      _words_in_range, article_codes, number_wrapped, read_off_image, runs_into, sentence_goes_on,
                      sequence_code, totals_row, totals_sentence, two_column_row, value_split_in_two,
                      wrapped_start)
from .carried import RAISED_FACTOR, amount_carried_over, heads_a_column, identifier_like, raised_value
from .labels import DocumentLayout, _LabelHit
from .phrases import inside_company_name
from .prose import (LABEL_TAIL_WORDS, closes_a_line_with_a_separator, closes_a_sentence, ends_a_sentence,
                    ends_a_sentence_cell, inside_prose, label_goes_on, opens_a_sentence, parenthetical, separator_follows)
from .sections import section_heading, section_tokens
from .layout import Line, union_box
from .text import PhraseSet, match_at, phrase_set, token_texts, token_tuple
from .values import FoundValue, find_values, period_first
from .trims import after_e_signature, before_prose, before_registration, without_file_extension

# How much each way of finding a value is trusted, before label, zone and context factors.
POSITION_WEIGHT = {
    "right": 1.0,
    "right_cell": 0.95,
    "row": 0.95,
    "block": 0.92,
    "regex": 0.9,
    "below": 0.85,
    "scan": 0.85,
    "column": 0.7,
    "presence": 0.8,
}
# A value read at the start of the next line of the running text its label closes: less sure
# than one under a label heading a block (the sentence may say something else there).
WRAPPED_WEIGHT = 0.7
# A column header holding several different amounts heads a breakdown (one row per rate or
# item): its first amount is less likely the field's total than one standing alone under its header.
BREAKDOWN_FACTOR = 0.85
OTHER_COLUMN_GAP = 0.1  # page widths right of a heading alone on its line where another column's text starts
SENTENCE_WORDS = 8  # a line of one run that long across a column is a sentence, no row of the table
# Words heading an item table's columns (« Réf. | Désignation | Qté | P.U. HT | Remise | Montant HT »):
# a text layer may run several of them into one cell, a label among them still heads one column.
SEPARATORS = {":", "-", "–", "—", "=", "/", ":-", "...", "…", "|"}
_SEPARATOR_RUN_RE = re.compile(r"[:\-–—=.…|_]+")
_TRAILING_SEPARATOR_RE = re.compile(r"[:\-–—=.…|_,;]+")


@dataclass
class Candidate:
    value: str
    raw: str
    score: float
    page: int
    words: list[Word]
    how: str

    @property
    def bbox(self) -> BBox:
        return union_box(w.bbox for w in self.words)

    @property
    def ocr_confidence(self) -> float:
        return min(w.conf for w in self.words) * 0.5 + sum(w.conf for w in self.words) / len(self.words) * 0.5


def _strip_separators(words: list[Word]) -> list[Word]:
    start = 0
    while start < len(words) and (words[start].text in SEPARATORS or _SEPARATOR_RUN_RE.fullmatch(words[start].text)):
        start += 1
    return list(words[start:])


def _cut_at_labels(words: list[Word], stop_labels: PhraseSet, after_separator: bool = False) -> list[Word]:
    """The words before the first other field's label (``Client : Jean Dupont Tél : …``);
    ``after_separator``: only a label opening a new mention (« … - SIRET : … », « …, TVA »)."""
    if not words or not stop_labels:
        return words
    if after_separator and not any(w.text in SEPARATORS or w.text.endswith((",", ";")) for w in words[:-1]):
        return words  # no new mention starts inside the run (most amounts: « 1 234,00 € »)
    toks: list[tuple[str, int]] = []
    for i, w in enumerate(words):
        for t in token_tuple(w.text):
            toks.append((t, i))
    texts = [t for t, _ in toks]
    k = stop_labels.first_match(texts, 1)
    while k is not None:
        word_index = toks[k][1]
        if word_index > 0 and (not after_separator or words[word_index - 1].text in SEPARATORS
                               or words[word_index - 1].text.endswith((",", ";"))) \
                and not inside_company_name(words, word_index):
            return words[:word_index]
        k = stop_labels.first_match(texts, k + 1)
    return words


_NUMBER_SIGN_RE = re.compile(r"^(?:n[°ºo]\.?|num[ée]ro)\s*:?$", re.IGNORECASE)  # « N° », « Nº », « No. »


def _values_in(data_type: str, words: list[Word], hints: _Hints, stop_labels,
               period_only: bool = False) -> list[tuple[FoundValue, list[Word]]]:
    """Typed values in a run of words (for strings: the run itself, cut at other labels). A date
    field with the ``period`` hint takes its end of « du … au … » first; ``period_only``: a run
    without such a period gives nothing (« valable » opens a period or an end date)."""
    words = _strip_separators(words)
    if not words:
        return []
    if data_type == "string":
        if hints.max_words == 1 and hints.value_regex is not None and len(words) > 1 and _NUMBER_SIGN_RE.match(words[0].text):
            words = words[1:]  # « N° E-E562014 » under « QUALIFICATION RGE »: the number after its sign
        words = _cut_at_labels(after_e_signature(words), stop_labels)
        words = before_registration(before_prose(words))[: hints.max_words]
        words = _strip_separators(words)
        # trailing separators ("Dupont Jean -")
        while words and _TRAILING_SEPARATOR_RE.fullmatch(words[-1].text):
            words.pop()
        if not words:
            return []
    else:  # « TVA : FR11999999998 - SIRET : 99999999800010 »: a number after another label is that label's
        words = _cut_at_labels(words, stop_labels, after_separator=True)
    found = find_values(data_type, words, hints.percent)
    if hints.period and data_type == "date":
        found, is_period = period_first(found, words, hints.period)
        if period_only and not is_period:
            return []
    if hints.skip_units:
        found = [fv for fv in found if not any(_unit_after(fv).startswith(u) for u in hints.skip_units)]
    if hints.currency and data_type == "decimal":  # « Règlement à 30 jours », « au taux de 3 fois »: no sum of money
        found = [fv for fv in found if fv.currency or not _counts_something_else(fv.after)]
    results = []
    for fv in found:
        value_words = words[fv.start:fv.end]
        if data_type == "string" and hints.value_regex is not None:
            kept = hints.in_value_regex(fv.value)
            if kept is None:
                continue
            kept = without_file_extension(kept)  # « Document Devis DV257132.pdf »: the file's name, not the number
            if not kept:
                continue
            fv = FoundValue(kept, kept, fv.start, fv.end)
        results.append((fv, value_words))
    return results

# « +7/+35 °C », « 35/55 °C »: two numbers paired by a slash share the unit after the second.
_PAIRED_NUMBER_RE = re.compile(r"^/\s?[+-]?\d+(?:[.,]\d+)?")


def _unit_after(fv: FoundValue) -> str:
    """The unit following a value, past the number it is paired with (« 7 » of « +7/+35 °C »: °C)."""
    paired = _PAIRED_NUMBER_RE.match(fv.after)
    return _fold_unit(fv.after[paired.end():] if paired else fv.after)


# Words after an amount that still leave it a sum of money (« 4 075,13 TTC », « 1 200 euros »).
_MONEY_WORDS = ("ht", "h.t", "ttc", "t.t.c", "net", "eur", "euro", "hors", "toutes", "tva", "dont", "soit", "et", "a",
                "au", "pour", "de", "du", "le", "la", "les", "par")


def _counts_something_else(after: str) -> bool:
    """Whether the words after a number make it a count of something else than money: days,
    months, times, a percentage, a surface."""
    m = re.match(r"\s*([%°]|[a-z0-9²³]+)", fold(after))
    if not m:
        return False
    word = m.group(1)
    if word in ("%", "°") or word.startswith(("m2", "m²", "m3", "kw", "mm", "cm")):
        return True
    return word.isalpha() and word not in _MONEY_WORDS


def _typed_factor(fv: FoundValue, data_type: str, hints: _Hints, index: int) -> float:
    factor = 1.0 if index == 0 else max(0.5, 0.9 - 0.1 * index)
    if data_type in ("decimal", "integer"):
        if hints.currency:
            factor *= 1.05 if fv.currency else 0.9
        if hints.units:
            after = _unit_after(fv)
            if any(after.startswith(u) for u in hints.units):
                factor *= 1.1
            elif after[:1].isalpha() or after[:1] in "%€°":
                factor *= 0.4  # another unit: "190 m²" is not a resistance in m².K/W
            else:
                factor *= 0.8
    return factor


def _zone_factor(hints: _Hints, line: Line, page_number: int) -> float:
    factor = 1.0 if page_number == 1 else 0.97
    if not hints.zone:
        return factor
    x0, y0, x1, y1 = line.bbox
    zone = hints.zone
    inside = (
        (zone == "header" and y0 < 0.35)
        or (zone == "top" and y0 < 0.5)
        or (zone == "footer" and y0 > 0.8)
        or (zone == "bottom" and y0 > 0.5)
        or (zone == "left" and x0 < 0.5)
        or (zone == "right" and x0 >= 0.4)
    )
    return factor * (1.1 if inside else 0.9)


def _context_factor(hints: _Hints, layout: DocumentLayout, hit: _LabelHit) -> float:
    if not hints.context and not hints.avoid_context and not hints.avoid_section:
        return 1.0
    # fields sharing labels and context (the beneficiary's name, address, town) ask for the same hits
    key = (id(hit.line), hit.start_word, hit.end_word, id(hints.context), id(hints.avoid_context))
    found = layout.context_factors.get(key)
    if found is not None and found[0] is hints.context and found[1] is hints.avoid_context:
        return found[2]
    factor = _compute_context_factor(hints, layout, hit)
    layout.context_factors[key] = (hints.context, hints.avoid_context, factor)
    return factor


def _compute_context_factor(hints: _Hints, layout: DocumentLayout, hit: _LabelHit) -> float:
    factor = 1.0
    if hints.avoid_section:
        # the form's section: « 3. Le professionnel » over « SIRET … Ville Angers » is not the client's town
        heading = section_tokens(layout, hit)
        if heading and _contains(heading, phrase_set(hints.avoid_section)):
            factor *= 0.6
        if not hints.context and not hints.avoid_context:
            return factor
    near = _near_tokens(layout, hit)
    if hints.context:
        context = phrase_set(hints.context)
        if any(_contains(toks, context) for toks in near):
            factor *= 1.15
    if hints.avoid_context:
        avoid = phrase_set(hints.avoid_context)
        if any(_contains(toks, avoid) for toks in near):
            factor *= 0.6
    return factor


def _near_tokens(layout: DocumentLayout, hit: _LabelHit) -> list[list[str]]:
    """The tokens where a label's context is read: its own line left of the label, the label,
    and the few lines above in the same column (kept per document for each label position)."""
    key = ("near", id(hit.line), hit.start_word, hit.end_word)
    near = layout.context_factors.get(key)
    if near is not None:
        return near
    lines = layout.lines[hit.line.page]
    x0, _ = hit.line.x_range(hit.start_word, hit.end_word)
    near = []
    cell_start, _ = hit.line.cell_of(hit.start_word)
    near.append([t.text for t in hit.line.tokens if cell_start <= t.word < hit.start_word])
    near.append([t.text for t in hit.line.tokens if hit.start_word <= t.word < hit.end_word])
    for line in lines[max(0, hit.line.index - 6): hit.line.index]:
        toks = [t.text for t in line.tokens if abs(line.words[t.word].bbox[0] - x0) < 0.25 or line.words[t.word].bbox[0] <= x0 <= line.words[t.word].bbox[2]]
        near.append(toks)
    layout.context_factors[key] = near
    return near


def _contains(toks: list[str], phrases) -> bool:
    """Whether one of ``phrases`` (a PhraseSet, or one phrase) occurs in ``toks``."""
    if not isinstance(phrases, PhraseSet):
        return any(match_at(toks, phrases, i) is not None for i in range(len(toks)))
    return phrases.first_match(toks) is not None


MAX_TEXT_GAP = 0.3  # beyond this (page widths), text in a cell to the right is another column
MAX_FORM_GAP = 0.5  # …unless the line holds only the label and it, up to this far


def _right_runs(hit: _LabelHit, data_type: str = "", layout: DocumentLayout | None = None) -> list[tuple[list[Word], str]]:
    """Word runs right of the label: the rest of its cell, then the next cell on the line
    (for text, only when it is near, the label ends with a colon or the line is a row of a
    form's two columns)."""
    line = hit.line
    cell_start, cell_end = line.cell_of(hit.start_word)
    prefix = [hit.remainder] if hit.remainder is not None else []
    runs = []
    same_cell = _past_label_tail(prefix + line.words[hit.end_word:cell_end])
    if _strip_separators(same_cell):
        if data_type == "decimal" and cell_end == len(line.words) and layout is not None:
            same_cell = same_cell + amount_carried_over(layout, line, same_cell)
        runs.append((same_cell, "right"))
    next_cells = [c for c in line.cells if c[0] >= cell_end]
    if next_cells:
        start, end = next_cells[0]
        gap = line.words[start].bbox[0] - line.words[cell_end - 1].bbox[2]
        colon = line.words[cell_end - 1].text.endswith(":")
        # a form's « Label | value » line, but not a stamp's word at the left margin with a
        # signatory's title at the right one (« QUALIFICATION » … « Le Président »)
        if data_type != "string" or gap < MAX_TEXT_GAP or colon or (len(line.cells) == 2 and gap < MAX_FORM_GAP) \
                or (layout is not None and two_column_row(layout, line)):
            if len(next_cells) == 2 and cell_start == 0 and value_split_in_two(line, line.cells):
                end = next_cells[1][1]  # « CARPENTIER | Philippine »: one value a scan's wide space cut in two
            runs.append((line.words[start:end], "right_cell"))
    return runs


def _past_label_tail(words: list[Word]) -> list[Word]:
    """The words after the rest of a longer label than the one known, up to its colon: « de
    l'opération : » of « Adresse de réalisation de l'opération : 75 allée… », « (signature du
    devis) : » of « Date d'engagement (signature du devis) : … ». A label goes on in lower case
    or between brackets, without digits; a value typed there (« Dupont Prénom : ») does not."""
    for k, w in enumerate(words[:LABEL_TAIL_WORDS + 1]):
        if w.text.endswith(":"):
            if k == 0:
                return words
            tail = words[:k + 1]
            if all(label_goes_on(x.text.rstrip(":")) for x in tail if x.text != ":"):
                return words[k + 1:]
            return words
    return words


def _right_words(hit: _LabelHit) -> tuple[list[Word], bool]:
    """The first run right of the label (its cell's rest, else the next cell)."""
    runs = _right_runs(hit, "string")
    if not runs:
        return [], False
    words, how = runs[0]
    return words, how == "right_cell"


def _base_score(hints: _Hints, layout: DocumentLayout, hit: _LabelHit) -> float:
    base = hit.weight * (1 + 0.05 * (hit.n_tokens - 1)) * _zone_factor(hints, hit.line, hit.line.page)
    base *= _context_factor(hints, layout, hit)
    # a label in the middle of a sentence is less sure than one that opens its cell
    cell_start, _ = hit.line.cell_of(hit.start_word)
    if hit.start_word > cell_start:
        base *= 0.85
    return base


def _fills_cell(hit: _LabelHit) -> bool:
    return hit.line.cell_of(hit.start_word) == (hit.start_word, hit.end_word)


def _numero_sign(hit: _LabelHit) -> bool:
    """The label is the sign « N° » opening its cell: a label without a colon (« N° F-231523 »)."""
    return hit.end_word - hit.start_word == 1 and hit.line.words[hit.start_word].text.rstrip(".:") in ("N°", "Nº", "n°", "nº") \
        and hit.line.cell_of(hit.start_word)[0] == hit.start_word


def _heads_cell(hit: _LabelHit) -> bool:
    """The label opens its cell, or a colon follows it (``… Client : M. Dupont``)."""
    cell_start, _ = hit.line.cell_of(hit.start_word)
    if hit.start_word == cell_start:
        return True
    last = hit.line.words[hit.end_word - 1].text
    following = hit.line.words[hit.end_word].text if hit.end_word < len(hit.line.words) else ""
    bracketed = hit.line.words[hit.start_word].text.startswith("(") and last.rstrip(":").endswith(")")
    return last.endswith(":") or following.startswith(":") or bracketed  # « Entreprise (raison sociale) »


def _starts_with_label(words: list[Word], labels: PhraseSet) -> bool:
    toks = token_tuple(" ".join(w.text for w in _strip_separators(words)[:6]))
    return bool(toks) and labels.match(toks, 0) is not None


def _row_label_matches(line: Line, row_labels: list[list[str]]) -> bool:
    """The line's first cell is exactly a row label ("Total", "Total facture")."""
    start, end = line.cells[0] if line.cells else (0, len(line.words))
    toks = token_texts(" ".join(w.text for w in line.words[start:end]))
    return any(toks == row for row in row_labels)


def _candidates_for_hit(
    spec: FieldSpec, hints: _Hints, layout: DocumentLayout, hit: _LabelHit, stop_labels, all_labels=None
) -> list[Candidate]:
    data_type = spec.data_type
    base = _base_score(hints, layout, hit)
    out: list[Candidate] = []
    period_only = tuple(hit.label) in hints.period_labels

    if hints.presence is not None:
        return _presence_candidates(hints, layout, hit, base, stop_labels)

    if len(hit.label) == 1 and len(hit.label[0]) <= 2 and not (separator_follows(hit) or _fills_cell(hit) or _numero_sign(hit)):
        return out  # "R" inside a product name is a letter; "R = 7,00", "CP : …", a "CP" cell, « N° F-231523 » are labels

    if data_type == "string" and hints.max_words > 1 and not _heads_cell(hit):
        return out  # "…, bénéficiaire de l'opération d'économies…": a word in a sentence, not a label
    if ends_a_sentence(layout, hit) or parenthetical(hit):
        return out  # « Selon DTU en vigueur et préconisations du » / « fabricant », « (installateur qualifié RGE) »: no label
    if data_type == "string" and closes_a_sentence(hit):
        return out  # « … ou professionnels. Toute commande implique… »: the next sentence is no value

    if hints.right and not _is_header_row(hit.line):
        for words, how in _right_runs(hit, data_type, layout):
            # the next cell holds another field's label: this label heads a column or a block
            if _starts_with_label(words, stop_labels):
                break
            if how == "right_cell" and ends_a_sentence_cell(hit):
                break  # « Chauffe-eau … ARISTON Nuos Evo A+, COP » | « 1 »: the quantity column, not the COP
            found = _values_in(data_type, words, hints, stop_labels, period_only)[:3]
            for i, (fv, value_words) in enumerate(found):
                out.append(_candidate(fv, value_words, base * POSITION_WEIGHT[how] * _typed_factor(fv, data_type, hints, i), hit.line.page, how))
            if found:
                break
        if not out and data_type == "siret":
            words = number_wrapped(layout, hit)
            for fv, value_words in _values_in(data_type, words, hints, stop_labels)[:1]:
                out.append(_candidate(fv, value_words, base * POSITION_WEIGHT["right"] * 0.95, hit.line.page, "right"))
        if not out and data_type in ("decimal", "integer"):
            found = [(fv, w) for fv, w in _values_in(data_type, sentence_goes_on(layout, hit), hints, stop_labels)
                     if fv.start <= 3][:1]
            out.extend(_candidate(fv, w, base * POSITION_WEIGHT["right"] * 0.9, hit.line.page, "right") for fv, w in found)
        if not out:
            for fv, value_words in _values_in(data_type, raised_value(layout, hit, stop_labels), hints, stop_labels)[:1]:
                out.append(_candidate(fv, value_words, base * POSITION_WEIGHT["right"] * RAISED_FACTOR, hit.line.page, "right"))
    if out:
        return out  # a label with its value beside it is not a column header

    if identifier_like(data_type, hints) and (ends_a_sentence_cell(hit) or closes_a_line_with_a_separator(hit)) \
            and not heads_a_column(layout, hit):
        return _wrapped_value(data_type, hints, layout, hit, base, stop_labels)
    if data_type != "string" and inside_prose(hit):
        return out  # « le montant de la prime est précisé dans le courrier… »: no value below

    if data_type == "string" and opens_a_sentence(hit):
        return out  # « Facture payable à réception, par virement … » read as « facturé à »: no heading of a value below
    if hints.below or hints.table:
        x0, x1 = _column_range(hit)
        limit = max(hints.max_below, 12 if hints.table or hints.multiple else 0)  # a « Marque » column: every row
        k = 0
        # a heading alone on its line: an item table's row starting well right of it below is another column's
        alone = not [c for c in hit.line.cells if c[0] >= hit.line.cell_of(hit.start_word)[1]]
        label_right = max(w.bbox[2] for w in hit.line.words[hit.start_word:hit.end_word])
        for _, line in _lines_below(layout, hit, 80 if hints.multiple else limit + 3):  # long designations
            if hints.multiple and (totals_row(line) or (runs_into(line, x0) and len(line.words) >= SENTENCE_WORDS
                                                         and not _item_row(line))):
                # « TOTAL HT | 8 048,43 € » right of a « Réf. » column, « Le montant total des travaux
                # s'élève à … » across the page: the table ended, « Le maître d'ouvrage » is no product
                break
            words = _words_in_range(line, x0, x1, (x0, x1), whole_cells=bool(hints.period) and data_type == "date")
            if not words:
                continue  # a line of another column (a header wrapped on two lines)
            if alone and words[0].bbox[0] > label_right + OTHER_COLUMN_GAP and _item_row(line):
                # « Pompe à chaleur … | 1 u | 10 254,22 € », the item table's row right of a sidebar's
                # « QUALIFICATION RGE » (a form's value typed a little low right of its label is read)
                continue
            if hints.multiple and totals_sentence(line):
                break  # « Validité du devis : 1 mois. » below the totals' sentence, under « Réf. », is no product
            if data_type == "string" and _spans_columns(words, hit):
                words = _first_cell(line, words)  # « D2025-4702 » | « 9 avril 2025 » centred under a narrower « Date »
                if _spans_columns(words, hit) and hints.max_words == 1 and not _spans_columns(words[:1], hit):
                    words = words[:1]  # « QPAC/2021/686223 05/10/2021 »: the next column's date set close to it
                elif _spans_columns(words, hit):
                    continue  # a lot's title across the table, not this column's value
            k += 1
            if k > limit:
                break
            if hints.multiple and k > hints.max_below and line.token_texts[:1] in (["sous"], ["report"], ["reporte"]):
                continue  # « Sous-total lot 1 », « Report »: the item table goes on below
            numbered = len(words) > 1 and _NUMBER_SIGN_RE.match(words[0].text) and hints.max_words == 1
            if (_starts_with_label(words, all_labels or stop_labels) and not numbered) or section_heading(line):
                # (« N° QPAC/2022/907655 » under « QUALIFICATION RGE » / « QualiPAC »: the heading's number)
                break  # (a form's next section: « C / DESCRIPTION DE L'OPÉRATION » under an address OCR lost)
            if hints.multiple and runs_into(line, x0):
                break  # a sentence across the page (« … Pas d'escompte pour paiement anticipé. »): the table ended
            if hints.multiple and k > hints.max_below and (not _item_row(line) or _is_header_row(line)):
                break  # the item table ended: the totals, a VAT recap, the conditions below are no products
            found = _values_in(data_type, words, hints, stop_labels, period_only)
            if not found or (hints.multiple and (_prose_or_heading(found[0][1]) or read_off_image(hit, found[0][1]))):
                continue  # « Travaux réalisés du 8 juin », « Lot 1 - Chauffage au » in a scan's column
            fv, value_words = found[0]
            if k <= hints.max_below and hints.below:
                weight = POSITION_WEIGHT["below"] - 0.1 * (k - 1)
                how = "below"
            else:
                weight = POSITION_WEIGHT["column"] - 0.03 * k
                how = "column"
            out.append(_candidate(fv, value_words, base * weight * _typed_factor(fv, data_type, hints, 0), hit.line.page, how))
            if data_type == "string" and how == "below" and not hints.multiple:
                break
        if hints.multiple and data_type == "string" and article_codes(out):
            return []  # « DÉP001 | SUP002 | FER003 » under « Réf. »: the seller's article codes, no products
        if hints.multiple and data_type == "string":
            out = [c for c in out if not sequence_code(c.raw)]  # « LIA004 » alone on the page's last rows
        under = [c for c in out if c.how == "below" and re.search(r"\d[.,]\d{2}$", c.raw)]
        if data_type in ("decimal", "integer") and len({c.value for c in under}) >= 2:
            for c in under:
                c.score *= BREAKDOWN_FACTOR  # « Montant TVA » over one row per rate: a breakdown, not the total

    if hints.row_labels:
        x0, x1 = _column_range(hit)
        for line in layout.lines[hit.line.page][hit.line.index + 1:]:
            if not _row_label_matches(line, hints.row_labels):
                continue
            words = [w for w in line.words if w.bbox[2] >= x0 - 0.01 and w.bbox[0] <= x1 + 0.01]
            for fv, value_words in _values_in(data_type, words, hints, stop_labels)[:1]:
                out.append(_candidate(fv, value_words, base * POSITION_WEIGHT["row"] * _typed_factor(fv, data_type, hints, 0), hit.line.page, "row"))
    return out


def _prose_or_heading(words: list[Word]) -> bool:
    """Words that name no product: two lower-case words or more, or a lot's heading."""
    toks = token_tuple(" ".join(w.text for w in words[:2]))
    lower = sum(1 for w in words if w.text[:1].islower() and w.text.isalpha() and len(w.text) > 2)
    return lower >= 2 or (len(toks) >= 2 and toks[0] == "lot" and toks[1].isdigit())


def _wrapped_value(data_type: str, hints: _Hints, layout: DocumentLayout, hit: _LabelHit, base: float,
                   stop_labels) -> list[Candidate]:
    """The value opening the next line of the running text a label closes (« …ETAS 132 % – COP » /
    « 4,17 à +7/+35 °C », « … – SIRET » / « 54493742800024 – N° TVA … » in a centred footer)."""
    words = wrapped_start(layout, hit)[:3]
    found = [(fv, w) for fv, w in _values_in(data_type, words, hints, stop_labels) if fv.start <= 1]
    return [_candidate(fv, w, base * WRAPPED_WEIGHT * _typed_factor(fv, data_type, hints, 0), hit.line.page, "below")
            for fv, w in found[:1]]


def _candidate(fv: FoundValue, words: list[Word], score: float, page: int, how: str) -> Candidate:
    return Candidate(fv.value, fv.raw, score, page, words or [], how)


def _presence_candidates(hints: _Hints, layout, hit: _LabelHit, base: float, stop_labels) -> list[Candidate]:
    rule = hints.presence or {}
    ignore = [token_texts(t) for t in rule.get("ignore", [])]
    max_below = int(rule.get("max_below", 4))
    content: list[Word] = []
    words, _ = _right_words(hit)
    rows = [words] if words else []
    x0, x1 = _column_range(hit)
    for _, line in _lines_below(layout, hit, max_below):
        row = [w for w in _words_in_range(line, x0 - 0.01, x1) if w.bbox[0] >= x0 - 0.03]
        if not row:
            continue
        toks = token_texts(" ".join(w.text for w in row))
        if toks and stop_labels.match(toks, 0) is not None and not any(
            _contains(toks, ig) for ig in ignore
        ):
            break
        rows.append(row)
    for row in rows:
        toks = token_texts(" ".join(w.text for w in row))
        if any(_contains(toks, ig) for ig in ignore):
            continue
        letters = [t for t in toks if len(t) >= 2]
        if letters:
            content.extend(row)
    label_words = hit.line.words[hit.start_word:hit.end_word]
    if content:
        return [Candidate("true", " ".join(w.text for w in content), base * POSITION_WEIGHT["presence"], hit.line.page, content, "presence")]
    return [Candidate("false", "", base * 0.6, hit.line.page, label_words, "presence")]
