"""The one storage API for documents and page images: Django's default storage (local files by
default, S3 through django-storages when ``S3_BUCKET`` is set), never public.

Files are served by ``dossiers.files`` after the permission check: streamed from a local
storage, or through a short-lived presigned URL from S3.
"""
from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponseRedirect
from django.utils import timezone

logger = logging.getLogger(__name__)

STORED_PREFIXES = ("dossiers", "pages")


def document_storage():
    from .models import Document

    return Document._meta.get_field("file").storage


def is_object_storage(storage) -> bool:
    """True for S3-like storages, which serve files through presigned URLs."""
    return hasattr(storage, "bucket_name") and hasattr(storage, "connection")


def presigned_url_seconds() -> int:
    return int(getattr(settings, "CEE_FILE_URL_EXPIRE_SECONDS", 60))


# Uploaded files are the installers' and may be hostile. Shown in a tab, a file is a sandboxed
# document (a unique origin where no script runs, nothing loaded from elsewhere); and only the
# types a browser displays without running anything are shown at all: anything else (SVG,
# HTML, XML, text…) is downloaded. PDFs are the exception to the sandbox: Chrome and Safari
# refuse to start their PDF viewer in a sandboxed document (crbug.com/413851), and a PDF's own
# JavaScript runs inside the viewer (PDFium, pdf.js), never on the site's origin; their type is
# pinned (sniffed at upload, nosniff here), so they are never read as a page.
# On S3 the files come from the bucket's own origin.
FILE_CONTENT_SECURITY_POLICY = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"
INLINE_CONTENT_TYPES = frozenset({
    "application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff", "image/bmp",
    "image/heic", "image/heif",
})


def _content_disposition(filename: str, content_type: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    kind = "inline" if content_type.split(";")[0].strip().lower() in INLINE_CONTENT_TYPES else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def serve_stored_file(field_file, *, content_type: str, filename: str):
    """A response delivering ``field_file``: a stream, or a redirect to a presigned S3 URL.

    PDFs and raster images are shown inline, other types downloaded; the response cannot
    run script on the site's origin (FILE_CONTENT_SECURITY_POLICY; a PDF's script stays in the
    browser's PDF viewer) nor be read as another type (nosniff)."""
    storage = field_file.storage
    name = field_file.name
    disposition = _content_disposition(filename, content_type)
    if is_object_storage(storage):
        url = storage.url(
            name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": disposition,
                "ResponseCacheControl": "private, no-store",
            },
            expire=presigned_url_seconds(),
        )
        response = HttpResponseRedirect(url)
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
        response["Content-Disposition"] = disposition
        if content_type != "application/pdf":
            response["Content-Security-Policy"] = FILE_CONTENT_SECURITY_POLICY
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _walk(storage, folder: str):
    try:
        directories, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}")


def stored_file_names(storage=None) -> list[str]:
    """Every name under the document and page-image folders of the storage."""
    storage = storage or document_storage()
    return [name for prefix in STORED_PREFIXES for name in _walk(storage, prefix)]


def remove_unreferenced_page_images(dossier_id: int, document_ids) -> list[str]:
    """Delete the page images stored for these documents that no Page row refers to.

    For documents a dead worker was processing (``recover_stuck_documents``): the images its
    interrupted stage stored before a commit that never came. Nobody else writes there while
    the document is not in processing. Returns the names deleted.
    """
    from .models import Page

    storage = document_storage()
    referenced = set(Page.objects.filter(document_id__in=document_ids).exclude(image="").values_list("image", flat=True))
    removed = [
        name for document_id in document_ids for name in _walk(storage, f"pages/{dossier_id}/{document_id}")
        if name not in referenced
    ]
    for name in removed:
        storage.delete(name)
    if removed:
        logger.warning("Removed %d page images of an interrupted run: %s", len(removed), removed)
    return removed


def purge_orphan_files(*, older_than: dt.timedelta = dt.timedelta(hours=1), dry_run: bool = False) -> list[str]:
    """Delete stored files no Document or Page refers to, if older than ``older_than``.

    Files are written before the database transaction commits (see ``ingest_file`` and the
    pipeline's page images); the age margin spares those of transactions still running.
    Returns the names deleted (or that would be, with ``dry_run``).
    """
    from .models import Document, Page

    storage = document_storage()
    referenced = set(Document.objects.exclude(file="").values_list("file", flat=True))
    referenced |= set(Page.objects.exclude(image="").values_list("image", flat=True))
    cutoff = timezone.now() - older_than
    removed = []
    for name in stored_file_names(storage):
        if name in referenced:
            continue
        try:
            modified = storage.get_modified_time(name)
        except (NotImplementedError, OSError):
            modified = None
        if modified is not None and timezone.is_naive(modified):
            modified = timezone.make_aware(modified)
        if modified is not None and modified > cutoff:
            continue
        removed.append(name)
        if not dry_run:
            storage.delete(name)
    return removed
