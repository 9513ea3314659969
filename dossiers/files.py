"""File delivery: a document's file or a page image, only to users who may see the dossier.

Anyone else gets a 404 (not a 403: the file's existence is not disclosed). They live with the
dossier, which decides who may see a file; the URLs keep the « documents » namespace
(dossiers/files_urls.py).
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from documents.models import Document, Page
from documents.storage import serve_stored_file

from .selectors import can_view_dossier


@require_GET
@login_required
def document_file(request, pk: int):
    """The uploaded file of a document (a split part is served as its whole original file)."""
    document = get_object_or_404(Document.objects.select_related("dossier", "parent"), pk=pk)
    if not can_view_dossier(request.user, document.dossier):
        raise Http404
    source = document.source
    if not source.file:
        raise Http404
    return serve_stored_file(source.file, content_type=source.mime_type, filename=source.original_filename)


@require_GET
@login_required
def page_image(request, pk: int, number: int):
    """The rendered image of page ``number`` (numbered in the uploaded file) of a document.

    For a split original, its pages live on its parts: they are found there.
    """
    page = (
        Page.objects.select_related("document__dossier")
        .filter(Q(document_id=pk) | Q(document__parent_id=pk), number=number)
        .exclude(image="")
        .first()
    )
    if page is None or not can_view_dossier(request.user, page.document.dossier):
        raise Http404
    content_type = "image/jpeg" if page.image.name.endswith(".jpg") else "image/png"
    filename = f"page-{number}{'.jpg' if content_type == 'image/jpeg' else '.png'}"
    return serve_stored_file(page.image, content_type=content_type, filename=filename)
