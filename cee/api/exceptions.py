"""One shape for every API error: ``{"error": {"code", "message", "details"}}``.

``api_exception_handler`` is DRF's EXCEPTION_HANDLER. It turns DRF exceptions, Django's
Http404/PermissionDenied/ValidationError and the apps' ``cee.exceptions.DomainError`` (an
illegal dossier transition, a refused upload: each states its status and code) into that
body, so an integrator parses one format whatever went wrong.
"""
from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cee.exceptions import DomainError

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """An error with an explicit HTTP status, machine code, French message and details."""

    def __init__(self, status_code: int, code: str, message: str, details: Any = None):
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code
        self.message = message
        self.details = details


# The messages DRF would give in English or in terse French, restated for installers.
DEFAULT_MESSAGES = {
    "not_authenticated": "Authentification requise : envoyez l'en-tête « Authorization: Token <clé> ».",
    "not_found": "Ressource introuvable.",
    "permission_denied": "Vous n'avez pas le droit d'utiliser ce point d'accès.",
    "validation_error": "Données invalides : voir le détail par champ.",
}


def error_body(code: str, message: str, details: Any = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details if details is not None else {}}}


def error_response(status_code: int, code: str, message: str, details: Any = None, headers=None) -> Response:
    return Response(error_body(code, message, details), status=status_code, headers=headers)


def _django_validation_details(exc: DjangoValidationError) -> Any:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
    return {"non_field_errors": list(exc.messages)}


def _from_domain_errors(exc) -> Response | None:
    if isinstance(exc, DomainError):
        return error_response(exc.status_code, exc.code, str(exc))
    if isinstance(exc, DjangoValidationError):
        return error_response(
            status.HTTP_400_BAD_REQUEST, "validation_error", DEFAULT_MESSAGES["validation_error"],
            _django_validation_details(exc),
        )
    return None


def api_exception_handler(exc, context) -> Response | None:
    """DRF exception handler giving every error the ``{"error": {...}}`` body."""
    if isinstance(exc, ApiError):
        return error_response(exc.status_code, exc.error_code, exc.message, exc.details)
    domain = _from_domain_errors(exc)
    if domain is not None:
        return domain
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        # An unexpected failure: log it with its traceback, answer in the same shape.
        logger.exception("Erreur interne de l'API", exc_info=exc)
        return error_response(status.HTTP_500_INTERNAL_SERVER_ERROR, "server_error", SERVER_ERROR_MESSAGE)

    if isinstance(exc, exceptions.ValidationError):
        code, message, details = "validation_error", DEFAULT_MESSAGES["validation_error"], exc.detail
        if isinstance(details, list):
            details = {"non_field_errors": details}
    else:
        code = getattr(exc, "default_code", "error")
        codes = exc.get_codes() if hasattr(exc, "get_codes") else None
        if isinstance(codes, str):
            code = codes
        detail = exc.detail if hasattr(exc, "detail") else str(exc)
        message = str(detail)
        if code in DEFAULT_MESSAGES and isinstance(exc, (exceptions.NotAuthenticated, exceptions.NotFound)):
            message = DEFAULT_MESSAGES[code]
        details = {}
        if isinstance(exc, exceptions.Throttled):
            code = "throttled"
            message = "Trop de requêtes pour ce jeton : réessayez dans %d s." % (exc.wait or 1)
            details = {"retry_after_seconds": int(exc.wait or 1)}
    response.data = error_body(code, message, details)
    return response


# Errors raised outside DRF's views (no route matched, a failure in a middleware): under
# /api/ the same JSON body, elsewhere Django's pages. ``cee.urls`` names these handlers, and
# ``not_found`` answers the /api/v1/ paths no route matches (even with DEBUG on).
SERVER_ERROR_MESSAGE = "Erreur interne du serveur. L'incident a été enregistré ; réessayez plus tard."


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _json_error(status_code: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status_code, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
def not_found(request, *args, **kwargs) -> JsonResponse:
    return _json_error(status.HTTP_404_NOT_FOUND, "not_found", DEFAULT_MESSAGES["not_found"])


def page_not_found(request, exception=None):
    return not_found(request) if _is_api(request) else defaults.page_not_found(request, exception)


def bad_request(request, exception=None):
    if _is_api(request):
        return _json_error(status.HTTP_400_BAD_REQUEST, "bad_request", "Requête invalide.")
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if _is_api(request):
        return _json_error(status.HTTP_403_FORBIDDEN, "permission_denied", DEFAULT_MESSAGES["permission_denied"])
    return defaults.permission_denied(request, exception)


def server_error(request):
    if _is_api(request):
        return _json_error(status.HTTP_500_INTERNAL_SERVER_ERROR, "server_error", SERVER_ERROR_MESSAGE)
    return defaults.server_error(request)
