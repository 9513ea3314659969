"""The extract stage's one call into the learning: a document whose layout was learned is read
at the learned spots first; what is found there fills what the generic extractor missed, and
replaces what it read where the layout's verdicts say it misreads that field there."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace

from accounts.validators import is_valid_siret

from ..extractors.field_hints import _Hints
from ..extractors.layout import Line
from ..extractors.text import token_texts
from ..fields import at_least, held_by_another, within_max_value
from ..sums import adds_up, sum_relations
from ..pipeline.hints import learning_on
from ..types import FieldSpec, FieldValue, PageContent
from .constants import CONSTANT_TYPES, MIN_DOCUMENTS, as_constant, constants_of, find_constant, part_of
from .fingerprint import (BOX_MATCH_THRESHOLD, MATCH_THRESHOLD, is_multi_valued, layout_features, match_score,
                          page_shape, prints_siret, read_issuer, same_issuer)
from .issuers import read_known_issuer
from .registration import anchor_moves, page_shift, registered
from .selectors import KnownLayout, corrected_layouts, known_layouts, type_anchors
from .shapes import fits, in_numbering_as_read, numbered_alike, with_head
from .phrases import configured_labels
from .spots import labelled, overlaps, page_lines_of, read_at, read_by_ocr


NUMERIC_TYPES = ("decimal", "integer")
ANCHOR_CONFIDENCE = 0.75  # an anchor learned on another layout is weaker evidence than the layout's own spot


@dataclass
class _DocumentReads:
    """What reading one document's spots works out once: each page's lines (by page number),
    and, on a scan, where the layout's anchors moved (``registration.anchor_moves``)."""
    lines: dict[int, list[Line]] = field(default_factory=dict)
    moves: list[tuple[int, float, float, float]] | None = None


def learned_confidence(agreeing: int, verdicts: int) -> float:
    """0.7 for a spot one verdict taught, towards 0.99 as more agree, lowered by those that do not."""
    return round(min(0.99, (0.7 + 0.29 * agreeing / (agreeing + 1)) * (agreeing / max(verdicts, agreeing)) ** 0.5), 3)


def matching_layout(document_type_id: int, pages: list[PageContent]) -> tuple[KnownLayout | None, float]:
    """The learned layout of this type closest to the pages, if close enough, and its score."""
    layouts = known_layouts(document_type_id)
    if not layouts:
        return None, 0.0
    features, issuer, shape = set(layout_features(pages)), read_issuer(pages), page_shape(pages)
    scored = [(match_score(features, issuer, layout.features, layout.issuer), layout.pk, layout)
              for layout in layouts if layout.shape == shape]
    if not scored:
        return None, 0.0
    score, _, best = max(scored, key=lambda item: (item[0], -item[1]))
    return (best, score) if score >= MATCH_THRESHOLD else (None, score)


def learned_type(pages: list[PageContent], code: str, document_type_id: int | None) -> str | None:
    """The type a validator gave documents of this layout, where the classifier read them as it
    reads this one (``code``): the document matches that corrected layout, and matches it better
    than every learned layout of the type the classifier gave (a devis and a facture of one
    installer share their letterhead and footer: the devis's own layout wins there). None when
    no corrected layout applies, or learning is off."""
    if not pages or not learning_on():
        return None
    candidates = [layout for layout in corrected_layouts() if layout.misread_as == code]
    if not candidates:
        return None
    features, issuer, shape = set(layout_features(pages)), read_issuer(pages), page_shape(pages)
    scored = [(match_score(features, issuer, layout.features, layout.issuer), layout.type_code)
              for layout in candidates if layout.shape == shape]
    if not scored:
        return None
    score, type_code = max(scored)
    if score < MATCH_THRESHOLD:
        return None
    if document_type_id is not None:
        own = [match_score(features, issuer, layout.features, layout.issuer)
               for layout in known_layouts(document_type_id) if layout.shape == shape]
        if own and max(own) >= score:
            return None
    return type_code


def read_learned_spots(document_type_id: int, pages: list[PageContent], specs: list[FieldSpec],
                       values: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """``values`` (the generic extractor's, by field name) with the learned spots of the
    document's layout read first: a value found at a spot fills a field the generic extractor
    missed, and replaces its value only where the verdicts say it misreads that field
    (``generic_failed``), on the layout or, where the layout taught nothing of the field, across
    the type's layouts. Unchanged when learning is off or nothing of the type was learned."""
    if not pages or not learning_on():
        return values
    layout, score = matching_layout(document_type_id, pages)
    reads = _DocumentReads()
    result = dict(values)
    heads = _taught_heads(document_type_id)
    if layout is not None:
        _read_layout_spots(layout, score, pages, specs, result, reads, heads)
    _fill_from_anchors(document_type_id, pages, specs, result, reads, layout, heads)
    issuers = same_issuer(read_issuer(pages), layout.issuer) if layout is not None else False
    if issuers is False and layout is not None and prints_siret(pages, layout.issuer):
        issuers = True  # the SIRET read first was a client company's: the layout's issuer is printed too
    if issuers is not False:
        _read_constants(layout, pages, specs, result, reads, issuer_printed=issuers is True)
    read_known_issuer(pages, specs, result, reads.lines)
    return _distinct(specs, values, result)


def _distinct(specs: list[FieldSpec], generic: dict[str, FieldValue], result: dict[str, FieldValue]) -> dict:
    """A value read at a learned spot that is another field's where the field's hint says it never
    is (``distinct_from``: the installer's name is no beneficiary's, « Raison sociale » taught on a
    company beneficiary's line, found only in the installer's block) gives way to the extractor's."""
    for spec in specs:
        found = result.get(spec.name)
        if found is None or found is generic.get(spec.name):
            continue
        if held_by_another(spec, specs, result):
            if generic.get(spec.name) is not None:
                result[spec.name] = generic[spec.name]
            else:
                result.pop(spec.name)
    return result


def generic_failed(spots: list[dict]) -> bool:
    """Whether the verdicts of a field on a layout (or a type) said the extractor misread it
    more often than they confirmed it: where it was confirmed, it reads there right and what was
    learned can only be worse."""
    corrections = sum(s.get("corrections") or 0 for s in spots)
    return corrections > sum(s["count"] for s in spots) - corrections


def _read_layout_spots(layout: KnownLayout, score: float, pages, specs, result: dict, reads: _DocumentReads,
                       heads: dict[str, Counter]) -> None:
    relations = sum_relations(specs, lambda spec: _Hints.from_spec(spec).sum_of)
    in_sums = {name for total, parts in relations.items() for name in (total, *parts)}
    needed = 1 if score >= BOX_MATCH_THRESHOLD else MIN_DOCUMENTS  # documents that taught a numbering's head
    for spec in specs:
        spots = layout.spots.get(spec.name)
        if not spots or is_multi_valued(spec.hints):  # lists of products: their own reader
            continue
        present = sum(s["count"] for s in spots if not s["absent"])
        absent = sum(s["count"] for s in spots if s["absent"])
        generic = _in_numbering(spec, spots, result.get(spec.name), pages, heads.get(spec.name), needed)
        missing = generic is None or generic.value in (None, "")
        if not missing:
            result[spec.name] = generic
        misreadings = sum(s.get("corrections") or 0 for s in spots)
        if absent > present:
            # Only a layout this close, where the extractor was marked wrong for inventing the field,
            # says the field is not printed: whether a field is printed also depends on the works
            # (an ETAS on a heat pump's invoice only), not only on the template.
            if not missing and generic_failed(spots) and score >= BOX_MATCH_THRESHOLD:
                result.pop(spec.name, None)
            continue
        readings = []
        for spot in spots:
            if spot["absent"] or (spot["relation"] == "none" and score < BOX_MATCH_THRESHOLD):
                continue
            found, by_box = None, False
            for read, by_box in _spot_reads(layout, score, spot, pages, spec, reads):
                found = _shaped(spec, spot, _plausible(spec, pages, _numbered(spec, spot, pages, read)), pages,
                                heads.get(spec.name), needed)
                if found is not None:
                    break
            if found is not None and not missing and _part_of_generic(spec, spot, found, generic):
                # the spot lost the rest of the extractor's value: it backs that value against another spot's
                readings.append((spot, replace(generic), False))
                continue
            if by_box and not missing and not misreadings:
                continue  # a box where the anchor was not read: to fill a field, not to overrule a reading never corrected
            if found is not None and spec.data_type == "cee_code" and not missing:
                found = _with_codes_of(found, generic)
            if found is not None:
                readings.append((spot, found, by_box))
        if not readings:
            continue
        # Spots that read the same value agree: a layout taught once after « Fait à » and once in
        # the sentence « demeurant … » holds the town twice over.
        support = Counter()
        for spot, found, _ in readings:
            support[found.value] += spot["count"]
        spot, found, by_box = max(readings, key=lambda reading: support[reading[1].value])  # ties: the most agreed spot
        agreeing = support[found.value]
        found.confidence = learned_confidence(agreeing, present + absent)
        if missing:
            if _after_a_label(spot, spec) or (agreeing > absent and _beside(spot, spec)):
                result[spec.name] = found
            # else a number under words that are no label of it (« Quantité » over a surface on one
            # devis, none on the next: its « 1 » is no surface), or a field the layout's documents
            # went without as often as the words there gave it
        elif found.value == generic.value:  # two readings agree: the surer of the two
            generic.confidence = max(generic.confidence, found.confidence)
        elif (agreeing > present + absent - misreadings
              and _overrules(spot, agreeing, score, found, generic, present + absent)
              and not (misreadings < agreeing and _another_row(spot, found, generic))):
            # the spots that read this value held the field on more of the layout's documents than
            # the extractor read it right (in a table's column, only where it never read it right
            # there: its rows follow the document's content, the extractor chose its row by it)
            result[spec.name] = found
        elif (spot["relation"] in ("left", "clause") and not by_box
              and (spec.data_type not in (*NUMERIC_TYPES, "cee_code")
                   or (spec.name in in_sums and _scanned_number(spec, pages, found, score, misreadings)
                       and not adds_up(relations, result, spec.name)))
              and _read_elsewhere(generic, [reading for _, reading, _ in readings])):
            # where the extractor read the field right on the layout, it read it at a spot; here it
            # read it at a place no spot holds (the installer's stamp taken for the recipient's
            # town, the line under a label OCR misread), while the words before the value on its
            # line, where the layout prints it, hold another (a box or the line under a heading
            # is too easily the next line when the blocks move: those do not overrule, nor a left
            # spot read in its box where its anchor was not found, « Bénéficiaire de l'opération »
            # over the name on a scan; nor a number:
            # the words before one are too often those of another number, « résistance » 7,20 read
            # for the surface on a letters facture of seed 7301 — but see ``_scanned_number``; not
            # where the extractor's totals add up: « TVA 10 % 11,40 € » under « TVA 5,5 % … », the
            # layout's one-rate documents taught « TVA », is no « Total TVA »)
            result[spec.name] = found


def _read_constants(layout: KnownLayout, pages, specs, result: dict, reads: _DocumentReads, *,
                    issuer_printed: bool) -> None:
    """The values the layout prints on every document (``constants``): what the document read
    for such a field that is the constant as a scan garbled it, or a longer line holding it, is
    the constant, and so is a part of it on a document printing the layout's issuer SIRET; a field
    the document missed, or read as another value, is the constant where a line of the pages
    holds it."""
    ocr_pages = {page.number for page in pages if (page.source or "").startswith("ocr")}
    for spec in specs:
        if spec.data_type not in CONSTANT_TYPES or is_multi_valued(spec.hints):
            continue
        spots = layout.spots.get(spec.name) or []
        constants = constants_of(spots)
        if not constants:
            continue
        taught = {constant: count for constant, count in constants}
        verdicts = sum(spot["count"] for spot in spots)
        found = result.get(spec.name)
        read = found is not None and found.value not in (None, "")
        if read and found.value in taught:
            continue
        if read:
            constant = as_constant(found, spec.data_type, constants, fuzzy=read_by_ocr(pages, found))
            if constant is None and issuer_printed and spec.data_type == "string":
                constant = part_of(found, constants)
            if constant is not None:
                confidence = learned_confidence(taught[constant], verdicts)
                result[spec.name] = replace(found, value=constant, confidence=max(found.confidence, confidence))
                continue
        elif sum(spot["count"] for spot in spots if spot["absent"]) > sum(taught.values()):
            continue  # the layout's documents went without the field more often than they printed it
        # the extractor missed it, or read another value (a part of the name, « PERRIN » of
        # « ÉNERGIES PERRIN »; the SIRET of a store printed beside the installer's): a line of the
        # pages that holds the constant says the document prints it, as every document of the layout
        lines = {page.number: page_lines_of(page, reads.lines) for page in pages}
        hit = find_constant(lines, spec.data_type, constants, ocr_pages)
        if hit is not None:
            constant, number, line = hit
            result[spec.name] = FieldValue(constant, line.text, learned_confidence(taught[constant], verdicts),
                                           number, line.bbox)


def _after_a_label(spot: dict, spec: FieldSpec) -> bool:
    """Whether a spot's anchor holds one of the field's configured labels (« pour une surface
    chauffée de » holds « surface chauffée »)."""
    anchor = tuple((spot.get("anchor") or "").split())
    labels = [tuple(token_texts(text)) for text in configured_labels(spec.hints or {}, spec.label)]
    return bool(anchor) and (labelled(anchor, labels) or any(
        label and any(anchor[k:k + len(label)] == label for k in range(len(anchor) - len(label) + 1)) for label in labels))


def _beside(spot: dict, spec: FieldSpec) -> bool:
    """Whether a spot may give its field without naming it: a text anywhere, a number only right
    after the words before it on its line (« Participation chauffage accordée : 2 500,00 € »), not
    under a heading or in a box, where the next document's works put other numbers."""
    return spec.data_type not in NUMERIC_TYPES or spot.get("relation") in ("left", "clause")


def _scanned_number(spec: FieldSpec, pages, found: FieldValue, score: float, misreadings: int) -> bool:
    """Whether a total read after a spot's label may overrule one the extractor read elsewhere:
    on a scan of the same template, where the layout's verdicts only ever confirmed the
    extractor's reading at that spot (« Total HT » 11 849,32 € where OCR's noise made the
    extractor take 171 from « BAR-TH-171 »). Only the amounts of a sum (HT + TVA = TTC): an
    efficiency after « Efficacité énergétique saisonnière » is as often the COP beside it."""
    return (spec.data_type in NUMERIC_TYPES and not misreadings and score >= BOX_MATCH_THRESHOLD
            and read_by_ocr(pages, found))


def _spot_reads(layout: KnownLayout, score: float, spot: dict, pages, spec: FieldSpec, reads: _DocumentReads):
    """The values at a spot, the surest first, each with whether it was read in the spot's box
    in place of its anchor: on a scan of a layout close enough to be the same template, where OCR
    did not read the spot's anchor (« Dale dci » for « Date d'achèvement » on a phone photo), the
    value in the spot's box, moved as the page's anchors moved — then where it was learned: the
    anchors also move with the document's values (two item lines fewer move the totals and the
    footer up, not the invoice's number in the header: « MERE » read for « N° facture »)."""
    moved = _registered(layout, spot, pages, reads)  # a box is moved, an anchor is found
    yield read_at(pages, spec.data_type, moved, reads.lines), False
    if spot["relation"] == "none":
        if moved is not spot and spec.data_type not in NUMERIC_TYPES:
            yield read_at(pages, spec.data_type, spot, reads.lines), True
        return
    if score < BOX_MATCH_THRESHOLD or not _scanned(pages, spot) or spec.data_type in NUMERIC_TYPES:
        return  # a box on a page whose works differ holds other numbers
    box = {**spot, "relation": "none"}
    moved = _registered(layout, box, pages, reads)
    yield read_at(pages, spec.data_type, moved, reads.lines), True
    if moved is not box:
        yield read_at(pages, spec.data_type, box, reads.lines), True


def _scanned(pages: list[PageContent], spot: dict) -> bool:
    ordered = sorted(pages, key=lambda p: p.number)
    page = spot.get("page") or 0
    return 0 < page <= len(ordered) and (ordered[page - 1].source or "").startswith("ocr")


def _overrules(spot: dict, agreeing: int, score: float, found: FieldValue, generic: FieldValue, verdicts: int) -> bool:
    """Whether a value read at a spot (``agreeing`` verdicts taught spots that read it) replaces
    a different one the extractor read: on a layout close enough to be the same template, where
    the verdicts agree on it (or it is surer than the generic reading); on a looser match, at an
    anchor, two verdicts or more agreeing (a scan's OCR noise lowers the similarity of the same
    template)."""
    if score >= BOX_MATCH_THRESHOLD and (agreeing == verdicts or found.confidence >= generic.confidence):
        return True
    return spot["relation"] != "none" and agreeing >= 2 and found.confidence >= generic.confidence


def _shaped(spec: FieldSpec, spot: dict, found: FieldValue | None, pages: list[PageContent],
            heads: Counter | None = None, needed: int = MIN_DOCUMENTS) -> FieldValue | None:
    """A text read at a spot in the shapes its verdicts taught (``shapes``): an identifier's OCR
    look-alikes read in the layout's numbering; None for a text whose letters and digits are
    not of their kind (the street read where the layout's name sits: the recipient block moved)."""
    if found is None or spec.data_type != "string" or not spot.get("value_shapes"):
        return found
    if read_by_ocr(pages, found):
        numbered = in_numbering_as_read(found.value, found.raw, spot["value_shapes"])
        found.value = with_head(numbered, _head(spot, heads, needed))
    return found if fits(found.value, spot["value_shapes"]) else None


def _numbered(spec: FieldSpec, spot: dict, pages: list[PageContent], found: FieldValue | None) -> FieldValue | None:
    """An identifier read by OCR at a spot, in the numbering the spot's verdicts taught, before
    its shape is checked against the field's ``value_regex`` (« FA:2025-00390 »: a colon no
    invoice number holds, where the layout prints FA-2025-00390)."""
    if found is None or spec.data_type != "string" or not spot.get("value_shapes") or not read_by_ocr(pages, found):
        return found
    found.value = in_numbering_as_read(found.value, found.raw, spot["value_shapes"])
    return found


def _head(spot: dict, heads: Counter | None, needed: int = MIN_DOCUMENTS) -> str | None:
    """The numbering's head the spot's verdicts taught, on ``needed`` documents or more of the
    type's layouts (a scan of the template learned apart from its born-digital copies): two, or
    one on a layout close enough to be the same template (the issuer numbers its invoices so)."""
    head = spot.get("value_head")
    return head if head and max(spot["count"], (heads or {}).get(head, 0)) >= needed else None


def _taught_heads(document_type_id: int) -> dict[str, Counter]:
    """For each field, how many verdicts taught each numbering's head, over the type's layouts."""
    heads: dict[str, Counter] = {}
    for layout in known_layouts(document_type_id):
        for name, spots in layout.spots.items():
            for spot in spots:
                if spot.get("value_head") and not spot["absent"]:
                    heads.setdefault(name, Counter())[spot["value_head"]] += spot["count"]
    return heads


def _in_numbering(spec: FieldSpec, spots: list[dict], generic: FieldValue | None, pages: list[PageContent],
                  taught: Counter | None = None, needed: int = MIN_DOCUMENTS) -> FieldValue | None:
    """The extractor's text read by OCR in the numbering the layout's verdicts taught
    (« FACO09358 » for FAC009358), as the values read at its spots are; a text layer's as is:
    its characters are the document's (« 202505911 » is another installer's numbering on a
    template that two print, not « ZOZ505911 »)."""
    if generic is None or spec.data_type != "string" or not generic.value or not read_by_ocr(pages, generic):
        return generic
    shapes = [shape for spot in spots if not spot["absent"] for shape in spot.get("value_shapes") or []]
    heads = {_head(spot, taught, needed) for spot in spots if not spot["absent"]} - {None}
    value = in_numbering_as_read(generic.value, generic.raw, shapes)
    if len(heads) == 1 and numbered_alike(value, shapes):  # (a layout whose spots taught two numberings reads neither)
        value = with_head(value, heads.pop())
    return generic if value == generic.value else replace(generic, value=value)


def _part_of_generic(spec: FieldSpec, spot: dict, found: FieldValue, generic: FieldValue) -> bool:
    """Whether a text read at a spot is fewer words than the spot taught, all of them in the
    extractor's reading, which holds more: the spot lost the rest of the value, the extractor
    did not (« Nom : SALMON     Prénom : Grégoire » read « SALMON » after « Nom », where the
    teaching form's value ran across the first name's label)."""
    if spec.data_type != "string" or len(found.raw.split()) >= (spot.get("value_words") or 0):
        return False
    read, extracted = set(token_texts(found.value)), set(token_texts(generic.value))
    return bool(read) and read < extracted


def _another_row(spot: dict, found: FieldValue, generic: FieldValue) -> bool:
    """Whether a value read under a spot's column heading lies in the extractor's column, in
    another row: a table's rows follow the document's content (the RGE domain's qualification
    first on one certificate, second on the next, « Valable jusqu'au » over both dates)."""
    if spot["relation"] != "above" or generic.page != found.page or not generic.bbox or not found.bbox:
        return False
    same_column = min(found.bbox[2], generic.bbox[2]) > max(found.bbox[0], generic.bbox[0])
    return same_column and not overlaps(found.bbox, generic.bbox)


def _read_elsewhere(generic: FieldValue, readings: list[FieldValue]) -> bool:
    """Whether the extractor's value lies away from every value read at the layout's spots
    (unknown without its box)."""
    if generic.page is None or not generic.bbox:
        return False
    return not any(reading.page == generic.page and reading.bbox and overlaps(reading.bbox, generic.bbox)
                   for reading in readings)


def _registered(layout: KnownLayout, spot: dict, pages: list[PageContent], reads: _DocumentReads) -> dict:
    """A box spot moved as far as the layout's anchors moved on this document when its page was
    scanned (fed higher or lower); an anchored spot, or a born-digital page, as is: there the
    anchors move with the document's values (a longer recipient block, one more item line), not
    the page, and moving a letterhead's box with them read the line under the name (letters seed
    7302, « 67000 » for « BATISUD »)."""
    ordered = sorted(pages, key=lambda p: p.number)
    if (spot["relation"] != "none" or not spot.get("bbox") or not spot.get("page") or spot["page"] > len(ordered)
            or not ordered[spot["page"] - 1].source.startswith("ocr")):
        return spot
    if reads.moves is None:  # once per document: where the layout's anchors are found
        every_spot = [s for spots in layout.spots.values() for s in spots]
        lines = {index: page_lines_of(page, reads.lines) for index, page in enumerate(ordered, 1)}
        reads.moves = anchor_moves(lines, every_spot)
    return registered(spot, page_shift(reads.moves, spot["page"]))


def _fill_from_anchors(document_type_id: int, pages, specs, result: dict, reads: _DocumentReads,
                       layout: KnownLayout | None, heads: dict[str, Counter]) -> None:
    """Fields read after the anchors learned on the type's other layouts (the words before or
    above the value), most agreed first, with a lower confidence: those the generic extractor
    missed, and those it read where the type's verdicts say it misreads them and the document's
    own layout taught nothing of them (an attestation's town read as the installer's), at an
    anchor two verdicts taught."""
    skip = layout.pk if layout else None
    for spec in specs:
        if is_multi_valued(spec.hints):
            continue
        generic = result.get(spec.name)
        missing = generic is None or generic.value in (None, "")
        if not missing and (layout is not None and layout.spots.get(spec.name)
                            or not generic_failed(_type_spots(document_type_id, spec.name))):
            continue
        for spot in type_anchors(document_type_id).get(spec.name, []):
            # a number after a borrowed anchor is too easily another number, and overruling the
            # extractor takes more than one document's word: two verdicts needed
            needs_two = spec.data_type in NUMERIC_TYPES or not missing
            if spot["fingerprint_id"] == skip or (needs_two and spot["count"] < 2):
                continue
            if not (_after_a_label(spot, spec) or _beside(spot, spec)):
                continue  # « Efficacité » over an ETAS on another layout: « 5 ans » under it here is no COP
            read = _numbered(spec, spot, pages, read_at(pages, spec.data_type, spot, reads.lines))
            found = _shaped(spec, spot, _plausible(spec, pages, read), pages, heads.get(spec.name))
            # the place of another layout may hold another field's value there (the dateline read
            # as a signature date): what another field of the document already holds is not this one
            if found is not None and not _held_by_another_field(specs, result, spec, found.value):
                if missing or found.value != generic.value:
                    found.confidence = round(ANCHOR_CONFIDENCE * learned_confidence(spot["count"], spot["count"]), 3)
                    result[spec.name] = found
                break


def _type_spots(document_type_id: int, name: str) -> list[dict]:
    """The spots of a field on every learned layout of the type (absent ones included)."""
    return [spot for layout in known_layouts(document_type_id) for spot in layout.spots.get(name, [])]


def _with_codes_of(found: FieldValue, generic: FieldValue) -> FieldValue:
    """The operation codes read at a spot joined to those the generic extractor read, its
    first: a spot taught by a one-product document holds the first product's line, and the
    next document may list several."""
    try:
        codes = json.loads(generic.value) + json.loads(found.value)
    except (TypeError, ValueError):
        return found
    found.value = json.dumps(list(dict.fromkeys(codes)))
    return found


def _held_by_another_field(specs: list[FieldSpec], result: dict, spec: FieldSpec, value: str) -> bool:
    return any(other.name != spec.name and other.data_type == spec.data_type and result.get(other.name) is not None
               and result[other.name].value == value for other in specs)


def _plausible(spec: FieldSpec, pages: list[PageContent], found: FieldValue | None) -> FieldValue | None:
    """A text read at a learned spot in the field's ``value_regex`` (none where it does not fit);
    a number passes the field's ``max_value`` hint as the extractor's
    candidates do (``fields.within_max_value``): a CEE premium of 3 668 441 € read by OCR is
    « 3.668.441 » for 3 668,44 €, read again so; on a text layer, a value to drop, not one to
    overrule the extractor with."""
    if found is not None and spec.data_type == "siret" and not is_valid_siret(found.value) and read_by_ocr(pages, found):
        return None  # « 80493314210056 »: OCR's slip in « 89493314210056 » fails the Luhn key
    hints = _Hints.from_spec(spec)
    if found is not None and spec.data_type == "string" and hints.value_regex is not None:
        # the field's shape, as the extractor's candidates pass it: « Pose réalisée le 17 » read
        # where an invoice of the layout printed its RGE number is no RGE number
        kept = hints.in_value_regex(found.value)
        if not kept:
            return None
        found.value = kept
    if found is not None and spec.data_type == "decimal" and not at_least(found.value, hints.min_value):
        return None  # (« 6 » at an ETAS's spot: a scan lost its « 8 »)
    limit = hints.max_value
    if found is None or limit is None or spec.data_type not in NUMERIC_TYPES:
        return found
    value = within_max_value(found.value, found.raw, limit, read_by_ocr=read_by_ocr(pages, found))
    if value is None:
        return None
    found.value = value
    return found
