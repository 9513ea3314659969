"""Stage ``extract``: one ExtractedField per field schema of the document's type."""
from __future__ import annotations

import functools
from decimal import Decimal

from cee.precompiled import precompiled
from extraction.engines.text_layer import text_layer_engine_label
from extraction.extractors.signatures import apply_signatures
from extraction.extractors.ticks import with_drawn_marks
from extraction.learning.apply import read_learned_spots
from extraction.models import ExtractedField, ExtractionMethod, FieldStatus
from extraction.ranking.apply import active_ranker

from .base import Stage
from .classify import as_confidence
from .hints import field_specs
from .ink import page_ink_sources
from .reading import document_reading_data
from .registry import register


@functools.lru_cache(maxsize=8)
def _ocr_engine_label(name: str) -> str:
    from extraction.engines import get_ocr_engine

    try:
        return get_ocr_engine(name).label
    except Exception:
        return name


def method_and_engine(page_source: str, conf_in_box: float | None) -> tuple[str, str]:
    """How a value was read: from the text layer or by OCR (and which engine, with version).
    ``conf_in_box`` (the lowest word confidence in the value's box) matters only on a text
    page whose images were OCR'd (``text_layer+ocr:``)."""
    if page_source.startswith("ocr:") or (page_source.startswith("text_layer+ocr:") and conf_in_box is not None and conf_in_box < 1.0):
        return ExtractionMethod.OCR, _ocr_engine_label(page_source.rsplit(":", 1)[1])[:60]
    return ExtractionMethod.TEXT_LAYER, text_layer_engine_label()[:60]


def _min_conf_in_box(page, bbox) -> float | None:
    if page is None or bbox is None:
        return None
    confs = [
        w.conf for w in page.words
        if bbox[0] <= (w.bbox[0] + w.bbox[2]) / 2 <= bbox[2] and bbox[1] <= (w.bbox[1] + w.bbox[3]) / 2 <= bbox[3]
    ]
    return min(confs) if confs else None


@precompiled
def _previous_fields(document_id):
    """(pk, status, schema id) of the fields an earlier run left on the document."""
    return ExtractedField.objects.filter(document_id=document_id).values_list("pk", "status", "schema_id")


@register
class ExtractStage(Stage):
    """Extracts every field of the document type's schema (hints are data in FieldSchema).

    Takes a classified document with its pages. Guarantees one ExtractedField per active
    schema field — empty with confidence 0 when the value was not found — carrying the
    normalised value, the raw text, confidence, page, box and method/engine. Fields a
    validator already reviewed (confirmed, corrected, marked wrong) are left untouched;
    the others are replaced, so re-running gives the same rows.
    """

    name = "extract"
    label = "extraction des champs"
    order = 50

    def able_to_run(self, ctx) -> bool:
        return ctx.document.document_type_id is not None

    def run(self, ctx):
        from extraction.fields import extract_fields

        document = ctx.document
        specs = field_specs(document.document_type)
        previous = _previous_fields.rows(document.pk)
        reviewed = {schema_id for _, status, schema_id in previous if status != FieldStatus.UNREVIEWED}
        replaced = [pk for pk, status, _ in previous if status == FieldStatus.UNREVIEWED]
        if replaced:
            ExtractedField.objects.filter(pk__in=replaced).delete()
        if not specs:
            return {"fields": 0}
        pages = ctx.page_contents()
        by_number = {p.number: p for p in pages}
        ink = functools.cache(functools.partial(page_ink_sources, ctx))
        values = extract_fields(with_drawn_marks(pages, [spec for _, spec in specs], ink), [spec for _, spec in specs],
                                document_reading_data(document.document_type), active_ranker())
        values = apply_signatures(values, [spec.name for _, spec in specs], pages, ink)
        values = read_learned_spots(document.document_type_id, pages, [spec for _, spec in specs], values)
        rows, found = [], []
        for schema, spec in specs:
            if schema.pk in reviewed:
                continue
            value = values.get(spec.name)
            if value is None or value.value in (None, ""):
                rows.append(ExtractedField(document=document, dossier_id=document.dossier_id, schema=schema,
                                           confidence=Decimal("0")))
                continue
            page = by_number.get(value.page)
            source = page.source if page else "text_layer"
            conf_in_box = _min_conf_in_box(page, value.bbox) if source.startswith("text_layer+ocr:") else None
            method, engine = method_and_engine(source, conf_in_box)
            rows.append(
                ExtractedField(
                    document=document,
                    dossier_id=document.dossier_id,
                    schema=schema,
                    value=value.value,
                    raw_text=value.raw or "",
                    confidence=as_confidence(value.confidence),
                    page=value.page,
                    bbox=[round(v, 5) for v in value.bbox] if value.bbox else None,
                    method=method,
                    engine=engine,
                )
            )
            found.append(spec.name)
        ExtractedField.objects.bulk_create(rows)
        return {"fields": len(specs), "found": found, "kept_reviewed": len(reviewed)}
