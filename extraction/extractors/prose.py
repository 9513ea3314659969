"""Where a label stands in running text, not as a form's or a table's label: the sentence it
opens, closes or is the subject of decides whether a value beside or below it is its own
(``candidates``)."""
from __future__ import annotations

from .labels import DocumentLayout, _LabelHit
from .text import token_tuple

SENTENCE_WORDS = 5  # words after a label, up to a full stop, that make it a sentence's


def separator_follows(hit: _LabelHit) -> bool:
    """``=`` or ``:`` right after the label (in its last word or as the next word)."""
    if hit.remainder is not None:
        return True
    last = hit.line.words[hit.end_word - 1].text
    following = hit.line.words[hit.end_word].text if hit.end_word < len(hit.line.words) else ""
    return last.endswith((":", "=")) or following.startswith((":", "="))


def ends_a_sentence_cell(hit: _LabelHit) -> bool:
    """The label closes a cell of running text (three words or more before it, at most two short
    words after it — « COP de » —, no separator): its value follows in that text on the next
    line, the next cell is another column."""
    cell_start, cell_end = hit.line.cell_of(hit.start_word)
    rest = hit.line.words[hit.end_word:cell_end]
    if len(rest) > 2 or any(len(w.text) > 3 or any(ch.isdigit() for ch in w.text) for w in rest):
        return False
    return hit.start_word - cell_start >= 3 and not separator_follows(hit)


def closes_a_line_with_a_separator(hit: _LabelHit) -> bool:
    """The label and its colon close a line of running text (three words or more before it in
    its cell, nothing after the colon): « … Date d'achèvement des travaux : 01/09/2025. Référence
    de la facture : » / « 202502285. », its value opening the next line."""
    cell_start, cell_end = hit.line.cell_of(hit.start_word)
    if hit.remainder is not None or cell_end != len(hit.line.words) or hit.start_word - cell_start < 3:
        return False
    rest = hit.line.words[hit.end_word:]
    if separator_follows(hit) and all(w.text in (":", "=") for w in rest):
        return True
    # « … Date d'engagement de l'opération (acceptation du devis) : »: a longer label's own words first
    return 0 < len(rest) <= LABEL_TAIL_WORDS and rest[-1].text.endswith(":") and all(
        label_goes_on(w.text.rstrip(":")) for w in rest if w.text != ":")


LABEL_TAIL_WORDS = 6  # a longer label than the one known goes on by at most this many words


def label_goes_on(text: str) -> bool:
    """A word of a longer label than the known one: in lower case or between brackets, no digit."""
    core = text.strip("()")
    return bool(core) and not any(ch.isdigit() for ch in text) and (
        core[0].islower() or text.startswith("(") or text.endswith(")"))


# Words that, right after a label, make it the subject of a sentence (« le montant de la prime
# est précisé dans le courrier… »), not a label with its qualifier (« Montant de la prime CEE
# versée par X : 2 860,01 € »).
_SENTENCE_VERBS = frozenset({"est", "sera", "sont", "seront", "ont", "vous", "nous", "figure", "figurent",
                             "apparait", "reste", "depend", "correspond", "fera", "fait", "etait", "serait"})
# (not « a »: folded, « TVA à 5,5 % » would read as « TVA a »)


_LINKING_WORDS = frozenset({"du", "de", "des", "d", "la", "le", "les", "l", "et", "ou", "au", "aux", "a", "par", "pour",
                            "en", "sur", "un", "une", "avec", "sans", "son", "sa", "ses", "leur", "leurs"})


def ends_a_sentence(layout: DocumentLayout, hit: _LabelHit) -> bool:
    """The label, in lower case, opens a line that carries on the sentence of the line above, cut
    after a linking word (« … préconisations du » / « fabricant », « … au financeur et à » /
    « l'installateur, Vous disposez… »). A header written over two
    lines (« Date de » / « début ») is one label, not a sentence's end."""
    line = hit.line
    toks = line.token_texts
    elided = toks[:1] in (["l"], ["d"])  # « l'installateur, vous disposez… » after « … et à »
    if hit.start_word != 0 or not line.words[0].text[:1].islower() or line.index == 0 \
            or toks[int(elided):int(elided) + 1] != list(hit.label[:1]):
        return False
    above = layout.lines[line.page][line.index - 1]
    if line.top - above.bottom > line.height or not above.words:
        return False
    x0 = line.words[0].bbox[0]
    cell = next(((s, e) for s, e in above.cells if abs(above.words[s].bbox[0] - x0) < 0.02), None)
    if cell is None:
        return False
    last = token_tuple(above.words[cell[1] - 1].text)
    return bool(last) and last[-1] in _LINKING_WORDS and above.words[cell[1] - 1].text[-1:].isalpha()


def closes_a_sentence(hit: _LabelHit) -> bool:
    """The label's last word, a whole word, ends with a full stop and a capital opens the words
    after it: the end of one sentence, the next begins."""
    last = hit.line.words[hit.end_word - 1].text
    after = hit.line.words[hit.end_word:hit.end_word + 1]
    return last.endswith(".") and sum(ch.isalpha() for ch in last) >= 5 and bool(after) and after[0].text[:1].isupper()


def opens_a_sentence(hit: _LabelHit) -> bool:
    """The label opens a sentence that runs on in its cell to a full stop (« Facture payable à
    réception, par virement ou chèque à l'ordre de CONCEPT MARTIN. »), no separator after it."""
    if separator_follows(hit):
        return False
    _, cell_end = hit.line.cell_of(hit.start_word)
    rest = hit.line.words[hit.end_word:cell_end]
    # (or to a comma at the line's end, running on: « Entreprise titulaire de la qualification RGE Certibat
    # n° …, valable jusqu'au 07/07/2027, » over « Assurance décennale : MMA IARD, … »)
    return len(rest) >= SENTENCE_WORDS and rest[-1].text.endswith((".", ",")) and not rest[-1].text.endswith("..")


def inside_prose(hit: _LabelHit) -> bool:
    """The label is the subject of a sentence: no separator follows it, and its cell runs on
    with a verb (« le montant de la prime est précisé dans le courrier… »): no value of its own
    below. A label closing its clause with a comma, or followed by its qualifier (« versée par
    X : »), stays one."""
    if separator_follows(hit) or hit.line.words[hit.end_word - 1].text.endswith((",", ";", ")")):
        return False
    _, cell_end = hit.line.cell_of(hit.start_word)
    rest = hit.line.words[hit.end_word:cell_end]
    first = token_tuple(rest[0].text)[:1] if rest else ()
    return bool(first) and first[0] in _SENTENCE_VERBS


def parenthetical(hit: _LabelHit) -> bool:
    """The label opens a parenthesis of running text that goes on after it, without a separator:
    « Forfait pose et main d'œuvre (installateur qualifié RGE) » names no installer over the next
    row (« Entreprise (raison sociale) », the parenthesis closed on the label, is one; so is a
    label of several words)."""
    if len(hit.label) > 1 or not hit.line.words[hit.start_word].text.startswith("(") or separator_follows(hit):
        return False  # (« (date, signature et mention « Bon pour accord ») » under « Le maître d'ouvrage »: a label)
    _, cell_end = hit.line.cell_of(hit.start_word)
    return not hit.line.words[hit.end_word - 1].text.rstrip(" :").endswith(")") and hit.end_word < cell_end
