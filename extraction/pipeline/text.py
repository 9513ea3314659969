"""Stage ``text``: every page of an uploaded file gets a Page row; text-layer pages get their
words (with boxes) and their viewer image now, the others are left for the OCR stage."""
from __future__ import annotations

import contextlib

from django.db import connection
from django.db.models import Exists

from cee.precompiled import precompiled
from documents.models import Document, Page

from extraction.engines.text_layer import (
    pdfium_pages, read_text_layer, text_layer_engine_label, text_layer_engine_name,
)

from .base import Stage, StageError
from .registry import register
from .rendering import rendered_pdf_page, store_page_image, viewer_dpi


@precompiled
def _has_earlier_output(document_id):
    """[the document's id] when it has pages or split parts from an earlier run, else []."""
    earlier = Exists(Page.objects.filter(document_id=document_id)) | Exists(Document.objects.filter(parent_id=document_id))
    return Document.objects.filter(earlier, pk=document_id).order_by().values_list("pk", flat=True)[:1]


def delete_previous_output(document) -> None:
    """An earlier run's pages and split parts (their stored images go with them)."""
    if not _has_earlier_output.rows(document.pk):
        return  # a first run: one look instead of two deletions that find nothing
    document.children.all().delete()
    Page.objects.filter(document=document).delete()


@register
class TextStage(Stage):
    """Reads the text layer of each PDF page and renders the pages that have one.

    Takes an uploaded document (not a split part: parts receive their pages from the
    split stage). Guarantees one Page per page of the file, numbered from 1; pages with a
    usable text layer hold their words (relative boxes, confidence 1) and a stored image;
    the others have an empty ``text_source`` so the OCR stage reads them. Image files
    (JPEG, PNG, TIFF frames…) are all pages without a text layer.
    Raises StageError when the stored file cannot be opened.
    """

    name = "text"
    label = "lecture du texte"
    order = 10

    def able_to_run(self, ctx) -> bool:
        return ctx.document.parent_id is None

    def run(self, ctx):
        document = ctx.document
        ctx.forget_pages()
        delete_previous_output(document)
        if ctx.is_pdf:
            pages, details = self._pdf_pages(ctx)
        else:
            pages, details = self._image_pages(ctx)
        Page.objects.bulk_create(pages)
        ctx.without_parts = True
        if connection.features.can_return_rows_from_bulk_insert:
            ctx.keep_pages(pages)  # saved with their ids: the next stages need not read them back
        else:
            ctx.forget_pages()
        if document.page_count != len(pages):
            document.page_count = len(pages)
            document.save(update_fields=["page_count"])
        return details

    def _pdf_pages(self, ctx):
        pages, with_layer, to_ocr = [], [], []
        with contextlib.closing(self._text_layer(ctx)) as layer:
            while True:
                try:
                    source, loaded = next(layer)
                except StopIteration:
                    break
                except StageError:
                    raise
                except Exception as exc:  # reading the file; storing its images may fail otherwise
                    raise StageError(f"le PDF n'a pas pu être lu ({type(exc).__name__}).", code="unreadable_file") from exc
                page = self._page(ctx, ctx.pdfium_document(), source, loaded)
                (with_layer if page.has_text_layer else to_ocr).append(source.number)
                pages.append(page)
        return pages, {
            "pages": len(pages),
            "text_layer_pages": with_layer,
            "pages_to_ocr": to_ocr,
            "image_regions_to_ocr": {str(k): len(v) for k, v in ctx.ocr_regions.items()},
            "engine": text_layer_engine_label(),
        }

    def _text_layer(self, ctx):
        """(text layer, loaded pdfium page or None) of each page, in order."""
        pdf = ctx.pdfium_document()
        engine = text_layer_engine_name()
        if engine == "pdfium":  # each page loaded once, for its text and its image
            yield from pdfium_pages(pdf)
        else:
            for source in read_text_layer(ctx.source_bytes(), engine=engine):
                yield source, None

    def _page(self, ctx, pdf, source, loaded) -> Page:
        """The Page row of one text-layer page (``loaded``: the pdfium page, when open)."""
        page = Page(document=ctx.document, number=source.number, width=source.width, height=source.height)
        if source.usable():
            page.words = [w.as_json() for w in source.words]
            page.text = source.text
            page.has_text_layer = True
            page.text_source = "text_layer"
            with rendered_pdf_page(pdf, source.number - 1, viewer_dpi(), page=loaded) as (image, dpi):
                store_page_image(ctx, page, image, dpi)
            regions = source.ocr_regions()
            if regions:
                ctx.ocr_regions[source.number] = regions
        return page

    def _image_pages(self, ctx):
        try:
            with ctx.open_image() as image:
                frames = getattr(image, "n_frames", 1) if image.format == "TIFF" else 1
                sizes = []
                for index in range(frames):
                    image.seek(index)
                    sizes.append(image.size)
        except Exception as exc:
            raise StageError(f"l'image n'a pas pu être ouverte ({type(exc).__name__}).", code="unreadable_file") from exc
        pages = [
            Page(document=ctx.document, number=index + 1, width=width, height=height)
            for index, (width, height) in enumerate(sizes)
        ]
        return pages, {"pages": len(pages), "text_layer_pages": [], "pages_to_ocr": [p.number for p in pages]}
