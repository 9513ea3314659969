"""``/api/v1/webhooks/``: the installer's endpoints (list, create, read, delete), a test send,
reactivation and the delivery log."""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from accounts.api.permissions import InstallerAPIMixin
from cee.api.schema import IDEMPOTENCY_PARAMETER, POST_ERRORS, error_responses

from . import selectors, services
from .models import SUBSCRIBABLE_EVENTS, WebhookDelivery, WebhookEndpoint

EVENT_HELP = "Codes : " + ", ".join(f"`{e.value}` ({e.label})" for e in SUBSCRIBABLE_EVENTS) + ". Vide : tous."


URL_PATTERN = r"^https?://[!-.0-~]+(/[!-~]*)?$"


# "public-http-url": an http(s) URL whose host is not a private, loopback or link-local address
# (unless CEE_WEBHOOK_ALLOW_PRIVATE), a rule a pattern cannot state; the format names it.
@extend_schema_field({"type": "string", "format": "public-http-url", "pattern": URL_PATTERN, "maxLength": 500})
class UrlField(serializers.RegexField):
    """An http(s) URL as the schema states it (scheme, then printable ASCII): whether the host
    exists and is public is checked when it is registered and at each delivery."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {"invalid": "Saisissez une URL http:// ou https://."})
        super().__init__(URL_PATTERN, **kwargs)


class WebhookEndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=[(e.value, e.label) for e in SUBSCRIBABLE_EVENTS]),
        required=False, max_length=len(SUBSCRIBABLE_EVENTS), help_text=EVENT_HELP,
    )
    url = UrlField(max_length=500, help_text="Adresse publique http(s) qui recevra les POST JSON signés.")
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "description", "events", "is_active", "consecutive_failures", "disabled_at",
                  "disabled_reason", "created_at"]
        read_only_fields = ["id", "is_active", "consecutive_failures", "disabled_at", "disabled_reason", "created_at"]

    def to_internal_value(self, data):
        # DRF would take 0 for "0": the schema says text, so does the answer (400).
        if isinstance(data, dict):
            wrong = {name: ["Une chaîne de caractères est attendue."] for name in ("url", "description")
                     if name in data and not isinstance(data[name], str)}
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="Secret de signature (HMAC-SHA256). Affiché cette seule fois : conservez-le.",
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    dossier_reference = serializers.CharField(source="dossier.reference", read_only=True, allow_null=True, default=None)

    class Meta:
        model = WebhookDelivery
        fields = ["id", "event_id", "event", "dossier", "dossier_reference", "status", "status_label", "attempts",
                  "last_status_code", "response_excerpt", "last_error", "next_attempt_at", "last_attempt_at",
                  "delivered_at", "created_at", "payload"]
        read_only_fields = fields


_ENDPOINT = {
    "id": 3, "url": "https://erp.example.fr/cee/webhooks", "description": "ERP", "events": ["dossier.approved"],
    "is_active": True, "consecutive_failures": 0, "disabled_at": None, "disabled_reason": "",
    "created_at": "2026-03-02T10:15:03+01:00",
}
CREATED = OpenApiExample("Webhook créé", value={**_ENDPOINT, "secret": "whsec_2bN1x…"}, response_only=True, status_codes=["201"])
CREATE = OpenApiExample("Créer un webhook", value={"url": _ENDPOINT["url"], "events": ["dossier.approved"]}, request_only=True)


@extend_schema_view(
    list=extend_schema(summary="Lister mes webhooks", responses={200: WebhookEndpointSerializer(many=True), **error_responses(400, 404)},
                       tags=["Webhooks"]),
    retrieve=extend_schema(summary="Lire un webhook", responses={200: WebhookEndpointSerializer, **error_responses(404)},
                           tags=["Webhooks"]),
    create=extend_schema(
        summary="Créer un webhook",
        description=(
            "Chaque événement est envoyé en POST JSON, signé dans l'en-tête `X-CEE-Signature: t=<horodatage>,v1=<hex>` "
            "(HMAC-SHA256 de `<horodatage>.<corps>` avec le secret). Le secret n'est renvoyé qu'à la création. "
            "Un envoi en échec est réessayé avec un délai croissant ; après 10 échecs de suite le webhook est désactivé."
        ),
        parameters=[IDEMPOTENCY_PARAMETER], request=WebhookEndpointSerializer,
        responses={201: WebhookEndpointCreatedSerializer, **error_responses(*POST_ERRORS)},
        examples=[CREATE, CREATED], tags=["Webhooks"],
    ),
    destroy=extend_schema(summary="Supprimer un webhook", responses={204: None, **error_responses(404)}, tags=["Webhooks"]),
)
class WebhookViewSet(InstallerAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.DestroyModelMixin, viewsets.GenericViewSet):
    serializer_class = WebhookEndpointSerializer
    parser_classes = [JSONParser]
    filter_backends = []

    def get_queryset(self):
        return selectors.endpoints_of(self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = WebhookEndpointSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            endpoint = services.create_endpoint(installer=request.user.installer, user=request.user, request=request,
                                                **serializer.validated_data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict)
        return Response(WebhookEndpointCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.delete_endpoint(instance, user=self.request.user, request=self.request)

    @extend_schema(
        summary="Envoyer un événement de test",
        description="Envoie aussitôt un événement `webhook.test` signé et renvoie le résultat (code HTTP, début de la réponse).",
        parameters=[IDEMPOTENCY_PARAMETER], request=None,
        responses={200: WebhookDeliverySerializer, **error_responses(*POST_ERRORS, 404)}, tags=["Webhooks"],
    )
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        return Response(WebhookDeliverySerializer(services.send_test(self.get_object())).data)

    @extend_schema(
        summary="Réactiver un webhook désactivé",
        description="Remet le compteur d'échecs à zéro et envoie, dans l'ordre, les événements en attente.",
        parameters=[IDEMPOTENCY_PARAMETER], request=None,
        responses={200: WebhookEndpointSerializer, **error_responses(*POST_ERRORS, 404)}, tags=["Webhooks"],
    )
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        endpoint = services.reactivate_endpoint(self.get_object(), user=request.user, request=request)
        return Response(WebhookEndpointSerializer(endpoint).data)

    @extend_schema(
        summary="Journal des envois d'un webhook",
        description="Les 50 derniers envois : événement, tentatives, code HTTP, début de la réponse, prochain essai.",
        responses={200: WebhookDeliverySerializer(many=True), **error_responses(404)}, tags=["Webhooks"],
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def deliveries(self, request, pk=None):
        return Response(WebhookDeliverySerializer(selectors.delivery_log(self.get_object()), many=True).data)
