"""What every installer API view shares: permission, throttle, body size limit, idempotency."""
from __future__ import annotations

from rest_framework import status
from rest_framework.pagination import PageNumberPagination

from documents.api.uploads import max_file_bytes, max_request_bytes, megabytes

from .exceptions import ApiError
from .idempotency import IdempotentPostMixin
from .permissions import IsInstaller
from .throttling import TokenRateThrottle

def check_declared_length(request) -> None:
    """Refuse a body announced as too large before a byte of it is read (413)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise ApiError(status.HTTP_400_BAD_REQUEST, "invalid_content_length", "En-tête Content-Length invalide.")
    limit = max_request_bytes()
    if length > limit:
        raise ApiError(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "request_too_large",
            f"Requête trop volumineuse ({megabytes(length)}) : au plus {megabytes(limit)} par requête et "
            f"{megabytes(max_file_bytes())} par fichier. Envoyez les fichiers en plusieurs fois.",
            {"content_length": length, "max_request_bytes": limit, "max_file_bytes": max_file_bytes()},
        )


class InstallerPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class InstallerAPIMixin(IdempotentPostMixin):
    """Installer-only endpoint: 401 anonymous, 403 staff, throttled per token,
    ``Idempotency-Key`` honoured on POST, oversized bodies refused from Content-Length."""

    permission_classes = [IsInstaller]
    throttle_classes = [TokenRateThrottle]
    pagination_class = InstallerPagination

    def initial(self, request, *args, **kwargs):
        if request.method in ("POST", "PUT", "PATCH"):
            check_declared_length(request)
        super().initial(request, *args, **kwargs)
