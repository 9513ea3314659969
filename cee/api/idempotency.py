"""``Idempotency-Key`` on API POSTs: a retried request gets the first response again.

The same key with the same request (method, path, body; uploaded files compared by
content, so a new multipart boundary does not matter) replays the stored response with
its status and an ``Idempotent-Replayed: true`` header. The same key with another
request is refused with 422; a key whose first request is still running answers 409.
Keys belong to one user and expire after ``KEY_LIFETIME``. Server errors (5xx) are not
stored, so the client may retry them with the same key.
"""
from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from .exceptions import ApiError

HEADER = "Idempotency-Key"
KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255
# Visible ASCII, no spaces: a UUID, a hash, "chantier-42:essai-1"…
KEY_PATTERN = r"^[\x21-\x7E]{1,255}$"
REPLAYED_HEADER = "Idempotent-Replayed"
# Response headers worth replaying (the body says the rest).
KEPT_HEADERS = ("Location",)


def key_model() -> type[models.Model]:
    """The model storing the keys, named by ``CEE_IDEMPOTENCY_KEY_MODEL`` (``app_label.Model``,
    as ``AUTH_USER_MODEL``): the core names no app. Its fields: user, key, request_hash,
    method, path, response_status, response_body, response_headers, created_at, completed_at,
    and an ``is_complete`` property."""
    return apps.get_model(settings.CEE_IDEMPOTENCY_KEY_MODEL)


class _Replay(Exception):
    def __init__(self, stored: models.Model):
        self.stored = stored


def request_fingerprint(request) -> str:
    """SHA-256 of the method, the path and the body, independent of multipart framing."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    files = request.FILES
    if files:
        form = request.POST
        fields = {key: form.getlist(key) for key in sorted(form.keys())}
        digest.update(json.dumps(fields, sort_keys=True).encode())
        for field in sorted(files.keys()):
            for upload in files.getlist(field):
                file_digest = hashlib.sha256()
                for chunk in upload.chunks():
                    file_digest.update(chunk)
                upload.seek(0)
                digest.update(f"\n{field}:{upload.name}:{upload.size}:{file_digest.hexdigest()}".encode())
    else:
        data = request.data
        if hasattr(data, "lists"):  # a QueryDict (form-encoded body)
            data = {key: values for key, values in data.lists()}
        digest.update(json.dumps(data, sort_keys=True, cls=JSONEncoder).encode())
    return digest.hexdigest()


def _claim(user, key: str, fingerprint: str, request) -> models.Model:
    """Record that ``key`` is being used for this request; raise _Replay or ApiError when
    it was used before."""
    IdempotencyKey = key_model()
    now = timezone.now()
    IdempotencyKey.objects.filter(user=user, created_at__lt=now - KEY_LIFETIME).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                user=user, key=key, request_hash=fingerprint, method=request.method, path=request.path[:500]
            )
    except IntegrityError:
        pass
    existing = IdempotencyKey.objects.filter(user=user, key=key).first()
    if existing is None:  # the other request failed and released the key meanwhile
        return _claim(user, key, fingerprint, request)
    if existing.request_hash != fingerprint:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_ENTITY, "idempotency_key_reused",
            "Cette clé d'idempotence a déjà servi pour une autre requête (autre point d'accès ou autre "
            "contenu). Utilisez une nouvelle clé pour une nouvelle requête.",
            {"idempotency_key": key, "first_used_at": existing.created_at.isoformat(), "first_path": existing.path},
        )
    if not existing.is_complete:
        raise ApiError(
            status.HTTP_409_CONFLICT, "idempotency_request_in_progress",
            "Une requête avec cette clé d'idempotence est encore en cours : réessayez dans quelques secondes.",
            {"idempotency_key": key},
        )
    raise _Replay(existing)


class IdempotentPostMixin:
    """For APIView subclasses: honour ``Idempotency-Key`` on POST."""

    _idempotency_row: models.Model | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._idempotency_row = None
        if request.method != "POST":
            return
        key = request.headers.get(HEADER)
        if key is None:
            return
        # Sent but empty, padded or malformed: refused, as the schema says (never ignored).
        if not re.fullmatch(KEY_PATTERN, key):
            raise ApiError(
                status.HTTP_400_BAD_REQUEST, "invalid_idempotency_key",
                f"L'en-tête {HEADER} doit compter de 1 à {MAX_KEY_LENGTH} caractères ASCII visibles, sans espace "
                "(un UUID par exemple).",
            )
        self._idempotency_row = _claim(request.user, key, request_fingerprint(request), request)

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            stored = exc.stored
            headers = {**stored.response_headers, REPLAYED_HEADER: "true"}
            return Response(stored.response_body, status=stored.response_status, headers=headers)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        row = self._idempotency_row
        if row is not None and not row.is_complete:
            if response.status_code >= 500:
                row.delete()
            else:
                row.response_status = response.status_code
                row.response_body = json.loads(json.dumps(response.data, cls=JSONEncoder))
                row.response_headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
                row.completed_at = timezone.now()
                row.save(update_fields=["response_status", "response_body", "response_headers", "completed_at"])
            self._idempotency_row = None
        return response

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            # An exception nobody turned into a response: free the key for a retry.
            row = self._idempotency_row
            if row is not None and not row.is_complete and row.pk:
                key_model().objects.filter(pk=row.pk, response_status__isnull=True).delete()
            self._idempotency_row = None
