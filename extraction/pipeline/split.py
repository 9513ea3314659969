"""Stage ``split``: a file holding several documents (devis + facture + attestation scanned
together) becomes one part per document, cut where the page-level classification changes."""
from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from documents.models import Document, DocumentStatus, Page

from .base import Stage, StopPipeline, page_content
from .hints import hints_by_code
from .registry import register


@register
class SplitStage(Stage):
    """Cuts a multi-page file at document boundaries.

    Takes an uploaded document whose pages have text (after the text and OCR stages, since
    the boundaries come from each page's classification and cues such as « Page 2/3 »).
    When it finds several documents it creates one part per document (``parent``,
    ``page_start``/``page_end``), moves the pages to their part, marks the original
    ``split`` and stops its chain: the parts go on through classification and extraction.
    Idempotent: parts from an earlier run are removed first (their pages come back), unless
    the text stage of this chain already replaced them with fresh pages.
    """

    name = "split"
    label = "découpage des documents"
    order = 30

    def able_to_run(self, ctx) -> bool:
        if not getattr(settings, "CEE_SPLIT_DOCUMENTS", True):
            return False
        document = ctx.document
        return document.parent_id is None and len(ctx.pages()) >= 2

    def run(self, ctx):
        from extraction.classification import segment_pages

        document = ctx.document
        if not ctx.without_parts:
            # An earlier split: give the pages back to the original before deciding again.
            Page.objects.filter(document__parent=document).update(document=document)
            document.children.all().delete()
            ctx.forget_pages()

        pages = ctx.page_contents()
        segments = segment_pages(pages, hints_by_code())
        summary = [
            {"type": s.code, "pages": [s.pages[0], s.pages[-1]], "confidence": round(s.classification.confidence, 3)}
            for s in segments
        ]
        if len(segments) <= 1:
            return {"documents": summary}
        now = timezone.now()
        parts = []
        for segment in segments:
            first, last = segment.pages[0], segment.pages[-1]
            part = Document.objects.create(
                dossier=document.dossier,
                parent=document,
                original_filename=f"{document.original_filename} (p. {first}–{last})"[:255],
                mime_type=document.mime_type,
                size=0,
                sha256=document.sha256,
                page_count=last - first + 1,
                page_start=first,
                page_end=last,
                status=DocumentStatus.PROCESSING,
                processing_started_at=now,
                processing_attempts=1,
                uploaded_by=document.uploaded_by,
            )
            Page.objects.filter(document=document, number__gte=first, number__lte=last).update(document=part)
            parts.append(part)
        raise StopPipeline(
            f"{len(parts)} documents", status=DocumentStatus.SPLIT, continue_with=parts,
            details={"documents": summary, "parts": [p.pk for p in parts]},
        )
