"""OpenAPI pieces every installer endpoint reuses: the error body, the common error
responses with examples, the Idempotency-Key header."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

from .idempotency import KEY_PATTERN

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorDetail",
            fields={
                "code": serializers.CharField(help_text="Code stable, à tester dans votre intégration."),
                "message": serializers.CharField(help_text="Message en français, lisible par une personne."),
                "details": serializers.JSONField(help_text="Précisions : erreurs par champ, par fichier…"),
            },
        )
    },
)


def _example(name: str, code: str, message: str, details=None) -> OpenApiExample:
    return OpenApiExample(name, value={"error": {"code": code, "message": message, "details": details or {}}})


EXAMPLES = {
    400: _example(
        "Données invalides", "validation_error", "Données invalides : voir le détail par champ.",
        {"beneficiary_postal_code": ["Le code postal doit comporter 5 chiffres."]},
    ),
    401: _example(
        "Non authentifié", "not_authenticated",
        "Authentification requise : envoyez l'en-tête « Authorization: Token <clé> ».",
    ),
    403: _example("Réservé aux installateurs", "permission_denied", "Ce point d'accès est réservé aux comptes installateurs."),
    404: _example("Introuvable", "not_found", "Ressource introuvable."),
    409: _example(
        "Transition impossible", "illegal_transition",
        "Le dossier CEE-2026-000042 ne peut pas passer de « Soumis » à « Soumis ». Statuts possibles depuis « Soumis » : « En traitement ».",
    ),
    413: _example(
        "Requête trop volumineuse", "request_too_large",
        "Requête trop volumineuse (250 Mo) : au plus 200 Mo par requête et 25 Mo par fichier.",
        {"content_length": 262144000, "max_request_bytes": 209715200, "max_file_bytes": 26214400},
    ),
    422: _example(
        "Clé d'idempotence réutilisée", "idempotency_key_reused",
        "Cette clé d'idempotence a déjà servi pour une autre requête (autre point d'accès ou autre contenu).",
        {"idempotency_key": "3f1c…", "first_used_at": "2026-03-02T10:15:00+01:00", "first_path": "/api/v1/dossiers/"},
    ),
    429: _example(
        "Trop de requêtes", "throttled", "Trop de requêtes pour ce jeton : réessayez dans 12 s.", {"retry_after_seconds": 12}
    ),
}

DESCRIPTIONS = {
    400: "Requête invalide.",
    401: "Jeton absent, invalide ou révoqué.",
    403: "Compte non installateur (validateur, administrateur).",
    404: "Objet inexistant ou appartenant à une autre entreprise (ou numéro de page hors limites).",
    409: "Conflit : transition de statut impossible, ou requête de même clé d'idempotence en cours.",
    413: "Corps de requête trop volumineux (refusé d'après Content-Length).",
    422: "Clé d'idempotence déjà utilisée pour une requête différente.",
    429: "Limite de requêtes du jeton atteinte.",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """``{status: OpenApiResponse(Error)}`` for ``codes``; 401, 403 and 429 are always included."""
    wanted = sorted(set(codes) | {401, 403, 429})
    return {
        code: OpenApiResponse(ErrorSerializer, description=DESCRIPTIONS[code], examples=[EXAMPLES[code]])
        for code in wanted
    }


POST_ERRORS = (400, 409, 413, 422)

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    name="Idempotency-Key",
    type={"type": "string", "minLength": 1, "maxLength": 255, "pattern": KEY_PATTERN},
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Clé unique par requête (ex. un UUID), conservée 24 h. Renvoyer la même requête avec la même clé "
        "renvoie la première réponse (même statut, en-tête `Idempotent-Replayed: true`) sans refaire "
        "l'opération ; la même clé avec un autre contenu est refusée (422). Caractères ASCII visibles, sans espace."
    ),
)

