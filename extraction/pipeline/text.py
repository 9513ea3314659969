"""Stage ``text``: every page of an uploaded file gets a Page row; text-layer pages get their
words (with boxes) and their viewer image now, the others are left for the OCR stage."""
from __future__ import annotations

from django.db import connection
from django.db.models import Exists

from documents.models import Document, Page

from extraction.engines.text_layer import read_text_layer, text_layer_engine_label, text_layer_engine_name

from .base import Stage, StageError
from .registry import register
from .rendering import render_pdf_page, store_page_image, viewer_dpi


def delete_previous_output(document) -> None:
    """An earlier run's pages and split parts (their stored images go with them)."""
    earlier = Exists(Page.objects.filter(document=document)) | Exists(Document.objects.filter(parent=document))
    if not Document.objects.filter(earlier, pk=document.pk).exists():
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
        if connection.features.can_return_rows_from_bulk_insert:
            ctx.keep_pages(pages)  # saved with their ids: the next stages need not read them back
        else:
            ctx.forget_pages()
        if document.page_count != len(pages):
            document.page_count = len(pages)
            document.save(update_fields=["page_count"])
        return details

    def _pdf_pages(self, ctx):
        try:
            pdf = ctx.pdfium_document()
            engine = text_layer_engine_name()
            layer = read_text_layer(ctx.source_bytes(), pdfium_document=pdf if engine == "pdfium" else None, engine=engine)
        except StageError:
            raise
        except Exception as exc:
            raise StageError(f"le PDF n'a pas pu être lu ({type(exc).__name__}).", code="unreadable_file") from exc
        pages, with_layer, to_ocr = [], [], []
        for source in layer:
            page = Page(document=ctx.document, number=source.number, width=source.width, height=source.height)
            if source.usable():
                page.words = [w.as_json() for w in source.words]
                page.text = source.text
                page.has_text_layer = True
                page.text_source = "text_layer"
                image, dpi = render_pdf_page(pdf, source.number - 1, viewer_dpi())
                store_page_image(ctx, page, image, dpi)
                regions = source.ocr_regions()
                if regions:
                    ctx.ocr_regions[source.number] = regions
                with_layer.append(source.number)
            else:
                to_ocr.append(source.number)
            pages.append(page)
        return pages, {
            "pages": len(pages),
            "text_layer_pages": with_layer,
            "pages_to_ocr": to_ocr,
            "image_regions_to_ocr": {str(k): len(v) for k, v in ctx.ocr_regions.items()},
            "engine": text_layer_engine_label(),
        }

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
