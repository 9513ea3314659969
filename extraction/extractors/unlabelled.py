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
"""
from __future__ import annotations

from ..types import FieldSpec, ReadingData, Word
from .candidates import Candidate, _candidate, _values_in
from .field_hints import _Hints, _fold_unit
from .labels import DocumentLayout
from .phrases import PageText, clause_words, find_phrases
from .products import ProductMention, find_products, in_catalogue
from .text import phrase_set, token_texts, token_tuple
from .zones import (Block, company_names, dateline_words, holder_names, postal_and_town, recipient_block,
                    sentence_identity)

NO_STOPS = phrase_set(())


def _first_page_lines(layout: DocumentLayout):
    page = layout.pages[0].number
    return page, layout.lines[page]


def _recipient(layout: DocumentLayout) -> Block | None:
    if "recipient" not in layout.zones:
        page, lines = _first_page_lines(layout)
        layout.zones["recipient"] = (recipient_block(lines, page) or sentence_identity(lines, page)) if lines else None
    return layout.zones["recipient"]


def recipient_candidates(spec: FieldSpec, hints: _Hints, layout: DocumentLayout, stop_labels) -> list[Candidate]:
    """The part ``hints.recipient`` names of the recipient block of page 1."""
    block = _recipient(layout) if layout.pages else None
    if block is None:
        return []
    part = hints.recipient
    # under « Adresse des travaux » the whole block is the beneficiary's: it outweighs the line below the label
    score = 1.1 if block.labelled else 0.85 if block.civility else hints.recipient_weight
    postal, town = postal_and_town(block.postal_line)
    words = {"nom": block.name, "adresse": block.street, "code_postal": postal, "ville": town}.get(part) or []
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
                        and not any(c.isdigit() for w in match.words[:1] for c in w.text):
                    continue  # "L'entreprise" closing its line heads a block; "n°" / "QPAC/2021/161677" goes on
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
                # a value on the next line may belong to another label ("Fin des travaux :" / "Date : …")
                score = weight * (0.8 if next_line else 1.0)
                out.append(_candidate(fv, value_words, score, page.number, "phrase"))
    return out


def _products(layout: DocumentLayout, reading: ReadingData | None) -> list[ProductMention]:
    if "products" not in layout.zones:
        brands = reading.brands if reading else ()
        found = find_products(list(layout.all_lines()), brands) if brands else []
        layout.zones["products"] = in_catalogue(found, reading.products) if found else []
    return layout.zones["products"]


def lexicon_candidates(hints: _Hints, layout: DocumentLayout, reading: ReadingData | None) -> list[Candidate]:
    """One candidate per product of the lexicon: its brand (``marque``) or its reference."""
    out = []
    for product in _products(layout, reading):
        value = product.brand if hints.lexicon == "marque" else product.reference
        if value:
            out.append(Candidate(value, value, 0.85, product.page, product.words, "lexicon"))
    return out


def rejected(value: str, hints: _Hints) -> bool:
    """Whether a value is one of the texts the field can never be (a label read as a value)."""
    return bool(hints.reject_values) and tuple(token_texts(value)) in hints.reject_values
