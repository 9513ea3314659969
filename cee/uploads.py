"""Reading uploaded files from a request under the size limits, for the portal and the API.

``limit_uploads(request)`` must run before the body is parsed. It puts a streaming
handler first in the chain: a file over ``CEE_MAX_UPLOAD_BYTES`` is dropped as soon as
the limit is crossed (never written in full to a temporary file) and reported by name;
a body over ``CEE_MAX_REQUEST_BYTES`` without a Content-Length (chunked) stops the parse.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload

DEFAULT_MAX_REQUEST_BYTES = 200 * 1024 * 1024


def max_file_bytes() -> int:
    """The largest accepted file: ``CEE_MAX_UPLOAD_BYTES`` (cee/settings.py: 25 MB)."""
    return int(settings.CEE_MAX_UPLOAD_BYTES)


def max_request_bytes() -> int:
    """The largest request body (several files): ``CEE_MAX_REQUEST_BYTES``."""
    return getattr(settings, "CEE_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES)


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} Mo" if size >= 1024 * 1024 else f"{max(size // 1024, 1)} Ko"


@dataclass
class SkippedFile:
    filename: str
    code: str
    message: str


class SizeLimitUploadHandler(FileUploadHandler):
    """Counts bytes as they stream in; drops oversized files, stops oversized bodies."""

    def __init__(self, request=None):
        super().__init__(request)
        self.skipped: list[SkippedFile] = []
        self.request_too_large = False
        self.total = 0
        self.current_name = ""

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        self.current_name = file_name
        limit = max_file_bytes()
        if content_length is not None and content_length > limit:
            self._skip(content_length)

    def receive_data_chunk(self, raw_data, start):
        self.total += len(raw_data)
        if self.total > max_request_bytes():
            self.request_too_large = True
            raise StopUpload(connection_reset=False)
        if start + len(raw_data) > max_file_bytes():
            self._skip(start + len(raw_data))
        return raw_data

    def _skip(self, seen: int):
        limit = max_file_bytes()
        self.skipped.append(
            SkippedFile(
                filename=self.current_name, code="too_large",
                message=f"Fichier trop volumineux (plus de {megabytes(limit)}) : la limite est de {megabytes(limit)} par fichier.",
            )
        )
        raise SkipFile()

    def file_complete(self, file_size):
        return None


@dataclass
class Uploads:
    files: list = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    request_too_large: bool = False


def limit_uploads(request) -> SizeLimitUploadHandler:
    """Install the size-limit handler on a Django (or DRF) request before its body is read."""
    django_request = getattr(request, "_request", request)
    handler = SizeLimitUploadHandler(django_request)
    django_request.upload_handlers.insert(0, handler)
    return handler


def collect_uploads(files, handler: SizeLimitUploadHandler, field_name: str = "files") -> Uploads:
    """The files received under ``field_name`` (in order) and the ones dropped on the way."""
    return Uploads(files=list(files.getlist(field_name)), skipped=list(handler.skipped), request_too_large=handler.request_too_large)
