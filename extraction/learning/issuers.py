"""Installers known by their SIRET (``LearnedIssuerValue``): what validators confirmed an
installer prints beside its SIRET, on any document of any type.

An installer sends its devis, its facture, the attestation it filled in and its RGE certificate
for every dossier; each prints its SIRET and its name, the facture and the certificate its RGE
number. A layout's own constants (``constants``) need two documents of that layout; a SIRET a
verdict confirmed ties the installer's name and number to it on the very first document, and
they hold on the installer's documents of every type: a facture validated teaches the devis a
scan garbled (« 150' Ouest » for « Iso' Ouest », « QB/26616 » for « QE/26616 »).

Which fields are the installer's is configuration: the ``installer`` extraction hint of a
field schema, « siret », « name » or « rge ».

Learning (``learn_issuer_value``): a verdict on one of those fields, once the document's SIRET
and the field both have their verdict, counts the pair (the second of the two verdicts counts
it). Reading (``read_known_issuer``): the document's SIRET (read, or on a scan a digit away
from a known one) gives its known values; a value read that is one of them as a scan garbled
it, or a longer line holding it, is that value; a field missed, or read as another value, is
the known value where a line of the pages holds it.
"""
from __future__ import annotations

import re
from dataclasses import replace

from django.db.models import F
from django.utils import timezone

from accounts.validators import is_valid_siret

from ..extractors.layout import Line
from ..models import ExtractedField, HumanFeedback, LearnedIssuerValue
from ..pipeline.hints import read_once
from ..types import FieldSpec, FieldValue, PageContent
from .constants import as_constant, find_constant
from .spots import page_lines_of, read_by_ocr

HINT = "installer"
SIRET, ROLES = "siret", {"name": LearnedIssuerValue.Kind.NAME, "rge": LearnedIssuerValue.Kind.RGE}
MAX_SIRET_SLIPS = 1  # digits a scan may misread in a SIRET that still names a known installer
BASE_CONFIDENCE, MAX_CONFIDENCE = 0.75, 0.95


def _digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def learn_issuer_value(field, value: str) -> None:
    """Count what a verdict on ``field`` (an ExtractedField with its schema and document) teaches
    of the installer: ``value`` is the value the verdict leaves, empty when it says the document
    carries none. Nothing until the document's SIRET field and the installer's name or number
    both have their verdict."""
    role = (field.schema.extraction_hints or {}).get(HINT)
    if role != SIRET and role not in ROLES or not value:
        return
    judged = set(HumanFeedback.objects.filter(document_id=field.document_id)
                 .exclude(kind=HumanFeedback.Kind.WRONG).values_list("field_name", flat=True))
    values: dict[str, str] = {}
    for other in ExtractedField.objects.filter(document_id=field.document_id).select_related("schema"):
        other_role = (other.schema.extraction_hints or {}).get(HINT)
        if other.pk == field.pk:
            values[role] = value
        elif other_role and other.schema.name in judged and other.effective_value:
            values.setdefault(other_role, other.effective_value)
    siret = _digits(values.get(SIRET))
    if len(siret) != 14 or not is_valid_siret(siret):
        return
    taught = [(r, v) for r, v in values.items() if r in ROLES] if role == SIRET else [(role, value)]
    for taught_role, taught_value in taught:
        row, created = LearnedIssuerValue.objects.get_or_create(
            siret=siret, kind=ROLES[taught_role], value=taught_value.strip()[:200])
        if not created:
            LearnedIssuerValue.objects.filter(pk=row.pk).update(count=F("count") + 1, updated_at=timezone.now())


def known_issuers() -> dict[str, dict[str, list[tuple[str, int]]]]:
    """The active learned values, by SIRET and kind, most taught first (one query per run)."""
    def load():
        known: dict[str, dict[str, list[tuple[str, int]]]] = {}
        for siret, kind, value, count in (LearnedIssuerValue.objects.filter(is_active=True)
                                          .order_by("-count", "pk").values_list("siret", "kind", "value", "count")):
            known.setdefault(siret, {}).setdefault(kind, []).append((value, count))
        return known
    return read_once(("known_issuers",), load)


def _known_siret(read: str, known, fuzzy: bool) -> str | None:
    """The known SIRET the document's is: itself, or on a scan the only one a digit away."""
    if read in known:
        return read
    if not fuzzy or len(read) != 14:
        return None
    near = [siret for siret in known if sum(a != b for a, b in zip(siret, read)) <= MAX_SIRET_SLIPS]
    return near[0] if len(near) == 1 else None


def _confidence(count: int) -> float:
    return round(min(MAX_CONFIDENCE, BASE_CONFIDENCE + 0.05 * count), 3)


def read_known_issuer(pages: list[PageContent], specs: list[FieldSpec], result: dict[str, FieldValue],
                      lines_of: dict) -> None:
    """``result`` (by field name) with the installer's fields read as validators confirmed them
    for the document's SIRET (see the module docstring); ``lines_of``: the pages' lines by page
    number, made once per document."""
    by_role = {(spec.hints or {}).get(HINT): spec for spec in specs if (spec.hints or {}).get(HINT)}
    siret_spec = by_role.get(SIRET)
    if siret_spec is None or not (set(by_role) & set(ROLES)):
        return
    known = known_issuers()
    found = result.get(siret_spec.name)
    if not known or found is None or not found.value:
        return
    ocr = read_by_ocr(pages, found)
    siret = _known_siret(_digits(found.value), known, ocr)
    if siret is None:
        return
    if siret != found.value:
        result[siret_spec.name] = replace(found, value=siret)
    ocr_pages = {page.number for page in pages if (page.source or "").startswith("ocr")}
    for role, kind in ROLES.items():
        spec = by_role.get(role)
        values = known[siret].get(kind)
        if spec is None or not values:
            continue
        current = result.get(spec.name)
        if current is not None and current.value in {value for value, _ in values}:
            continue
        if current is not None and current.value:
            value = as_constant(current, "string", values, fuzzy=read_by_ocr(pages, current))
            if value is not None:
                count = dict(values)[value]
                result[spec.name] = replace(current, value=value, confidence=max(current.confidence, _confidence(count)))
                continue
        lines: dict[int, list[Line]] = {page.number: page_lines_of(page, lines_of) for page in pages}
        hit = find_constant(lines, "string", values, ocr_pages)
        if hit is not None:
            value, number, line = hit
            result[spec.name] = FieldValue(value, line.text, _confidence(dict(values)[value]), number, line.bbox)
