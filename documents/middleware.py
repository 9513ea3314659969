"""Chunked request bodies (``Transfer-Encoding: chunked``, no ``Content-Length``).

Django reads a body by its Content-Length: a chunked upload had none, so Django read
nothing and the view answered « Aucun fichier reçu » whatever was sent, a 30 MB file
included. When the server hands the body over de-chunked and says so
(``wsgi.input_terminated``, as gunicorn does), it is read here, at most one byte past
``CEE_MAX_REQUEST_BYTES``, into a spooled temporary file, and given its length: the size
limits and the upload views then treat it as any other request (a file over the limit is
reported as such, a body over the request limit gets 413). A server that cannot
(Django's runserver) gets a 411 asking for a Content-Length.
"""
from __future__ import annotations

from tempfile import SpooledTemporaryFile

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpResponse, JsonResponse

from cee.uploads import max_request_bytes

READ_SIZE = 64 * 1024
LENGTH_REQUIRED = (
    "Requête découpée (Transfer-Encoding: chunked) que ce serveur ne sait pas lire : "
    "envoyez-la avec un en-tête Content-Length."
)


def _is_chunked(meta) -> bool:
    return "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower() and not meta.get("CONTENT_LENGTH")


class ChunkedBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _is_chunked(request.META):
            if not request.META.get("wsgi.input_terminated"):
                return self._length_required(request)
            self._buffer_body(request)
        return self.get_response(request)

    @staticmethod
    def _buffer_body(request) -> None:
        body = SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)
        stream, remaining = request.META["wsgi.input"], max_request_bytes() + 1
        while remaining > 0:
            chunk = stream.read(min(READ_SIZE, remaining))
            if not chunk:
                break
            body.write(chunk)
            remaining -= len(chunk)
        size = body.tell()
        body.seek(0)
        request.META["CONTENT_LENGTH"] = str(size)
        # WSGIRequest made its stream from the missing Content-Length (0 bytes): replace it.
        request._stream = LimitedStream(body, size)

    @staticmethod
    def _length_required(request):
        if request.path.startswith("/api/"):
            return JsonResponse({"error": {"code": "length_required", "message": LENGTH_REQUIRED, "details": {}}}, status=411)
        return HttpResponse(LENGTH_REQUIRED, status=411, content_type="text/plain; charset=utf-8")
