"""Candidates read without a label: from the zones of a letter (recipient block, dateline,
company with its legal form), from phrase patterns (values inside sentences) and from the
brand lexicon (products inside item designations). Each reader runs once per document; its
findings are kept on the ``DocumentLayout`` and shared by the fields that ask for them.

Hints (``FieldSchema.extraction_hints``) that call them::

    recipient        "nom" | "adresse" | "code_postal" | "ville": that part of the recipient block
    recipient_weight score of a recipient candidate without a civility (default 0.7)
    dateline         weight of the date of a dateline (« Versailles, le 17 mai 2025 »)
    legal_form       weight of a company name written with its legal form (letterhead, footer)
    holder           weight of the name over an address block without a label (a certificate's holder)
    lexicon          "marque" | "reference": the products of the brand lexicon
    multiple         the value is a list (every product of the document)
    reject_values    texts a value can never be (a field label read as a name: « Téléphone »)
    date_beside      {"field": "numero_devis", "weight": 0.5}: where no label gave the date, the date
                     opening the cell right of the document's own number read by that field, where
                     that number opens its cell (a row of values under a header row a scan garbled)
    party            {"roles": ["obligé"], "mail": "sender" | "recipient", "weight": 1.1}: the party
                     a contract's preamble calls « ci-après dénommé(e) « l'Obligé » », or the
                     sender / recipient of a printed e-mail's headers (``extractors.parties``)
"""
from __future__ import annotations

import re

from cee.text import fold

from ..normalise import zeros_in_model_codes
from ..types import FieldSpec, ReadingData, Word
from .candidates import Candidate, _candidate, _values_in
from .field_hints import _Hints, _fold_unit
from .labels import DocumentLayout
from .parties import contract_parties, display_parts, mail_correspondents
from .phrases import PageText, clause_words, find_phrases
from .catalogue import in_catalogue
from .columns import TABLE_HEADINGS
from .products import ProductMention, find_products, without_full_stop
from .text import compact, phrase_set, token_texts, token_tuple
from .zones import (Block, company_names, dateline_words, holder_names, postal_and_town, recipient_block,
                    recipient_blocks, sentence_identity)

NO_STOPS = phrase_set(())


def _first_page_lines(layout: DocumentLayout):
    page = layout.pages[0].number
    return page, layout.lines[page]


def _recipient(layout: DocumentLayout) -> Block | None:
    if "recipient" not in layout.zones:
        page, lines = _first_page_lines(layout)
        sentence = sentence_identity(lines, page) if lines else None
        layout.zones["recipient"] = sentence if sentence is not None and sentence.introduced else (
            (recipient_block(lines, page) or sentence) if lines else None)
    return layout.zones["recipient"]


WORKS_WEIGHT = 1.15  # the address under « Adresse des travaux » outweighs the client's own


def _works_block(layout: DocumentLayout) -> Block | None:
    """The address block page 1 heads « Adresse des travaux », « Adresse d'intervention »…, if any."""
    if "works_block" not in layout.zones:
        page, lines = _first_page_lines(layout)
        works = [b for b in recipient_blocks(lines, page) if b.works and not b.company] if lines else []
        layout.zones["works_block"] = works[0] if works else None
    return layout.zones["works_block"]


def recipient_candidates(spec: FieldSpec, hints: _Hints, layout: DocumentLayout, stop_labels) -> list[Candidate]:
    """The part ``hints.recipient`` names of the recipient block of page 1."""
    block = _recipient(layout) if layout.pages else None
    if block is None:
        return []
    part = hints.recipient
    # under « Adresse des travaux » the whole block is the beneficiary's: it outweighs the line below the label
    score = 1.1 if block.labelled or block.introduced else 0.85 if block.civility else hints.recipient_weight
    if part != "nom":
        works = _works_block(layout)
        if works is not None and works is not block:
            block, score = works, WORKS_WEIGHT  # « Client » … | « Adresse d'intervention » …: the operation's address
    postal, town = postal_and_town(block.postal_line)
    words = {"nom": block.name, "adresse": block.street, "code_postal": postal, "ville": town}.get(part) or []
    nameless = block.works and block.lines[0] and block.lines[0][0].text[:1].isdigit()
    if nameless and part == "nom":
        return []  # « Lieu des travaux » / « 4 place Paul Bert »: a street, no one's name
    if nameless and part == "adresse":
        words = [w for row in block.lines[:-1] for w in row]  # a works' address has no name over its street
    if any(_starts_with(row, stop_labels) for row in block.lines[:-1]):
        return []  # "Téléphone", "Code postal / Ville": the lines of a labelled form, not an address block
    found = _values_in(spec.data_type, words, hints, NO_STOPS if part != "nom" else stop_labels)[:1]
    return [_candidate(fv, value_words, score, block.page, "recipient") for fv, value_words in found]


def _starts_with(words: list[Word], labels) -> bool:
    toks = token_tuple(" ".join(w.text for w in words[:6]))
    return bool(toks) and bool(labels) and labels.match(toks, 0) is not None


def dateline_candidates(spec: FieldSpec, hints: _Hints, layout: DocumentLayout) -> list[Candidate]:
    """The date of each dateline, the upper one of page 1 first."""
    if "datelines" not in layout.zones:
        layout.zones["datelines"] = [(line, words) for page in layout.pages
                                     for line, words in dateline_words(layout.lines[page.number])]
    out = []
    for line, words in layout.zones["datelines"]:
        place = 1.0 if line.page == layout.pages[0].number and line.top < 0.4 else 0.9
        for fv, value_words in _values_in(spec.data_type, words, hints, NO_STOPS)[:1]:
            out.append(_candidate(fv, value_words, hints.dateline * place, line.page, "dateline"))
    return out


def company_candidates(spec: FieldSpec, hints: _Hints, layout: DocumentLayout) -> list[Candidate]:
    """Company names with their legal form, in the letterhead (first) or the legal footer."""
    if "companies" not in layout.zones:
        page, lines = _first_page_lines(layout)
        layout.zones["companies"] = company_names(lines) if lines else []
    out = []
    for line, words in layout.zones["companies"]:
        place = 1.0 if line.top < 0.2 else 0.9
        for fv, value_words in _values_in(spec.data_type, words, hints, NO_STOPS)[:1]:
            out.append(_candidate(fv, value_words, hints.legal_form * place, line.page, "legal_form"))
    return out


def holder_candidates(spec: FieldSpec, hints: _Hints, layout: DocumentLayout, stop_labels) -> list[Candidate]:
    """The name heading the upper-most address block of page 1 (``zones.holder_names``) that
    is no rejected value (the body's own address block: « QUALIBAT / 55 avenue Kléber … »)."""
    page, lines = _first_page_lines(layout)
    for words in holder_names(lines) if lines else []:
        found = [(fv, value_words) for fv, value_words in _values_in(spec.data_type, words, hints, stop_labels)[:1]
                 if not rejected(fv.value, hints)]
        if found:
            return [_candidate(fv, value_words, hints.holder, page, "holder") for fv, value_words in found]
    return []


def phrase_candidates(spec: FieldSpec, hints: _Hints, layout: DocumentLayout, reading: ReadingData | None,
                      stop_labels) -> list[Candidate]:
    """Values under ``{valeur}`` of the field's phrase patterns."""
    patterns = reading.phrases.get(spec.name) if reading else None
    if not patterns:
        return []
    texts = layout.zones.get("page_texts")
    if texts is None:
        texts = layout.zones["page_texts"] = {p.number: PageText.of(layout.lines[p.number]) for p in layout.pages}
    out = []
    for page in layout.pages:
        for pattern, weight in patterns:
            for match in find_phrases(texts[page.number], page.number, pattern):
                if match.leading and hints.skip_units and any(_fold_unit(match.after).startswith(u) for u in hints.skip_units):
                    continue  # "R = 7,30 m².K/W" read by a "{valeur} m²" pattern is no surface
                if match.next_line and match.open_end and spec.data_type == "string" \
                        and not any(c.isdigit() for w in match.words[:1] for c in w.text) and not _sentence_before(pattern):
                    continue  # "L'entreprise" closing its line heads a block; "n°" / "QPAC/2021/161677" goes on;
                    # « … a accordé à l'entreprise » / « ÉCOSERVICES (SIRET …) »: a sentence's name runs onto the next line
                words = match.words
                next_line = match.next_line
                closed = spec.data_type != "string" and not match.leading and not match.open_end
                if spec.data_type == "string" and match.open_end:
                    words = match.first_line  # a text value ends with its line
                elif closed:
                    pass  # "r = {valeur} m².k/w": the value is the one the following words close
                elif spec.data_type != "string" and match.first_line and len(match.first_line) < len(words):
                    if match.next_cell and _values_in(spec.data_type, words[len(match.first_line):], hints, stop_labels):
                        # « …COP de » | « 1 » (quantity column) / « 2,64 selon EN 16147 »: the sentence goes on below
                        words = words[len(match.first_line):]
                        next_line = True
                    elif _thousands_wrapped(match.first_line, words):
                        pass  # « une prime de 3 » / « 765,48 € »: the line end cut the amount's thousands
                    elif _values_in(spec.data_type, match.first_line, hints, stop_labels):
                        words = match.first_line
                    else:
                        next_line = True  # "Travaux réalisés le | Client n°" / a row of values: not its own
                if spec.data_type == "string":
                    words = clause_words(words, match.leading)
                    if match.leading:
                        words = words[-hints.max_words:]
                found = _values_in(spec.data_type, words, hints, stop_labels)
                if not found:
                    continue
                fv, value_words = found[-1] if match.leading or closed else found[0]
                if match.leading and spec.data_type != "string" and fv.end < len(words):
                    continue  # « 1.1 Isolation du plancher bas » | « m² »: the number must touch what the pattern reads next
                if match.leading and _every(_words_before(layout, page.number, value_words[0])):
                    continue  # « des piges de contrôle tous » / « les 10 m² »: a spacing, no surface
                # a value on the next line may belong to another label ("Fin des travaux :" / "Date : …")
                score = weight * (0.8 if next_line else 1.0)
                out.append(_candidate(fv, value_words, score, page.number, "phrase"))
    return out


_EVERY = (("tous", "les"), ("toutes", "les"), ("chaque",), ("par",))


def _words_before(layout: DocumentLayout, page: int, word: Word, count: int = 2) -> list[Word]:
    """The ``count`` words before ``word`` in the page's reading order (the line before's last
    ones where it opens its line)."""
    before: list[Word] = []
    for line in layout.lines[page]:
        for w in line.words:
            if w is word:
                return before[-count:]
            before.append(w)
        before = before[-count:]
    return []


def _every(before: list[Word]) -> bool:
    """Whether the words before a number say it is a spacing or a rate (« tous les », « par »)."""
    toks = tuple(token_texts(" ".join(w.text for w in before)))
    return any(toks[-len(every):] == every for every in _EVERY)


def _sentence_before(pattern: str) -> bool:
    """A pattern whose words before ``{valeur}`` make a sentence (four words or more), not a heading."""
    return len(re.findall(r"[a-z0-9]+", fold(pattern.split("{valeur}")[0]))) >= 4


def party_candidates(spec: FieldSpec, hints: _Hints, layout: DocumentLayout) -> list[Candidate]:
    """The contract party of one of the field's roles, or the e-mail correspondent it names."""
    rule = hints.party or {}
    weight = float(rule.get("weight", 1.1))
    roles = {fold(r).strip(" -'").removeprefix("l'").removeprefix("le ").removeprefix("la ") for r in rule.get("roles", [])}
    if "parties" not in layout.zones:
        layout.zones["parties"] = contract_parties([(p.number, layout.lines[p.number]) for p in layout.pages[:2]])
    out = []
    for party in layout.zones["parties"]:
        # « « je Bénéficiaire » » of a scan: the role's article misread, its noun right
        if any(party.role == r or party.role.endswith(" " + r) for r in roles):
            for fv, words in _values_in(spec.data_type, party.words, hints, NO_STOPS)[:1]:
                out.append(_candidate(fv, words, weight, party.page, "party"))
    side = rule.get("mail")
    if side and layout.pages:
        if "mail" not in layout.zones:
            page, lines = _first_page_lines(layout)
            layout.zones["mail"] = mail_correspondents(lines)
        name = layout.zones["mail"].get(side)
        if name:
            out.extend(_mail_candidates(spec, hints, layout, name, weight, side == "sender"))
    return out


def _mail_candidates(spec: FieldSpec, hints: _Hints, layout: DocumentLayout, name: list[Word],
                     weight: float, sender: bool) -> list[Candidate]:
    """A display name; the sender's, where it joins a department and a company with a dash, the
    part the rest of the mail names again (the company, in the body or the signature)."""
    page = layout.pages[0].number
    parts = display_parts(name)
    if not sender:
        return [_candidate(fv, words, weight, page, "mail") for fv, words in _values_in(spec.data_type, name, hints, NO_STOPS)[:1]]
    body = " ".join(fold(w.text) for line in layout.all_lines() for w in line.words if w not in name)
    named = [p for p in parts if f" {fold(' '.join(w.text for w in p))} " in f" {body} "]
    # a sender not named again (« Jean Martin <j.martin@…> »: a person) is less sure the company
    parts, weight = (named[-1:], weight) if named else (parts[-1:], weight * 0.8)
    out = []
    for fv, words in _values_in(spec.data_type, parts[0], hints, NO_STOPS)[:1]:
        out.append(_candidate(fv, words, weight, page, "mail"))
    return out


def _thousands_wrapped(first_line: list[Word], words: list[Word]) -> bool:
    """Whether a number ending its line goes on with a group of three digits and its decimals
    on the next (« 3 » / « 765,48 € »): one amount cut by the line end."""
    if not first_line or len(words) <= len(first_line):
        return False
    last, following = first_line[-1].text, words[len(first_line)].text
    return bool(re.fullmatch(r"\d{1,3}", last) and re.fullmatch(r"\d{3}[,.]\d{2}", following))


def _products(layout: DocumentLayout, reading: ReadingData | None) -> list[ProductMention]:
    if "products" not in layout.zones:
        brands = reading.brands if reading else ()
        lines = list(layout.all_lines())
        found = find_products(lines, brands) if brands else []
        layout.zones["products"] = in_catalogue(found, reading.products, lines) if found else []
    return layout.zones["products"]


def lexicon_candidates(hints: _Hints, layout: DocumentLayout, reading: ReadingData | None) -> list[Candidate]:
    """One candidate per product of the lexicon: its brand (``marque``) or its reference."""
    out = []
    for product in _products(layout, reading):
        value = product.brand if hints.lexicon == "marque" else without_full_stop(product.reference)
        if hints.lexicon != "marque" and any(w.conf < 1.0 for w in product.words):
            value = zeros_in_model_codes(value)  # a scan's « EHBHO8D6V »
        if value:
            out.append(Candidate(value, value, 0.85, product.page, product.words, "lexicon"))
    return out


def rejected(value: str, hints: _Hints) -> bool:
    """Whether a value is one of the texts the field can never be (a label read as a value), or a
    table's column heading alone (« Désignation » right of « Réf. » where a scan's skew took the
    rest of the header row to another line)."""
    tokens = tuple(token_texts(value))
    if hints.reject_values and tokens in hints.reject_values:
        return True
    return len(tokens) == 1 and tokens[0] in TABLE_HEADINGS


def beside_number_candidates(spec: FieldSpec, hints: _Hints, layout: DocumentLayout, number) -> list[Candidate]:
    """The date opening the cell right of the document's own number (``number``, the value the
    number's field read), where that number opens its cell: a row of values under a header row
    (« DV-2599399 | 16/03/25 | 759964001 » under « Devis n° | Date du devis | N° client »), the
    labels a scan garbled. Not a number inside a sentence (« … devis n° DV-1 du 12/03/2024 »: a
    label's), nor a date further along the row (a validity's, a due date's)."""
    rule = hints.date_beside or {}
    key = compact(number.value or "")
    if len(key) < 4:
        return []
    out = []
    for line in layout.all_lines():
        for k, word in enumerate(line.words):
            if compact(word.text) != key or line.cell_of(k)[0] != k or k + 1 >= len(line.words):
                continue
            cell = line.words[k + 1:line.cell_of(k + 1)[1]]  # (a scan may read the row's two cells as one)
            for fv, value_words in _values_in(spec.data_type, cell, hints, NO_STOPS)[:1]:
                if value_words and value_words[0] is cell[0]:
                    out.append(_candidate(fv, value_words, float(rule.get("weight", 0.5)), line.page, "beside_number"))
    return out
