"""One document of the installer: its details and its file."""
from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, renderers, viewsets
from rest_framework.decorators import action

from accounts.api.permissions import InstallerAPIMixin
from cee.api.schema import error_responses
from documents.api.serializers import DocumentSerializer
from documents.models import Document
from documents.storage import serve_stored_file

from ..selectors import dossiers_visible_to
from .examples import DOCUMENT

FILE_TYPES = (
    "application/pdf", "image/jpeg", "image/png", "image/tiff", "image/webp", "image/heic", "image/heif", "image/gif", "image/bmp",
)


class AnyMediaRenderer(renderers.BaseRenderer):
    """Lets a client ask for the file's own type (Accept: application/pdf); an error body
    negotiated through it is still written as JSON."""

    media_type = "*/*"
    format = "file"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return renderers.JSONRenderer().render(data, "application/json", renderer_context)


def documents_visible_to(user):
    """Documents of the dossiers ``user`` may see (the one visibility check)."""
    return Document.objects.filter(dossier__in=dossiers_visible_to(user))


class DocumentViewSet(InstallerAPIMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DocumentSerializer

    def get_queryset(self):
        return documents_visible_to(self.request.user).select_related("document_type", "declared_type", "dossier", "parent")

    @extend_schema(
        summary="Lire un document",
        description="Statut de traitement, type reconnu, pages, raison d'un échec et lien de téléchargement.",
        responses={200: DocumentSerializer, **error_responses(404)},
        examples=[DOCUMENT],
        tags=["Documents"],
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Télécharger un document",
        description=(
            "Le fichier tel que déposé (pour un document issu d'un découpage, le fichier d'origine ; ses pages sont "
            "`page_start` à `page_end`). Le type de contenu est celui du fichier. Avec un stockage objet (S3), "
            "la réponse est une redirection 302 vers une URL signée de courte durée."
        ),
        responses={
            **{(200, media): OpenApiResponse(OpenApiTypes.BINARY, description="Le fichier.") for media in FILE_TYPES},
            302: OpenApiResponse(description="Redirection vers une URL signée (stockage S3)."),
            **error_responses(404),
        },
        tags=["Documents"],
    )
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, AnyMediaRenderer])
    def download(self, request, pk=None):
        source = self.get_object().source  # a split part is delivered as its original file
        if not source.file:
            raise Http404
        return serve_stored_file(
            source.file, content_type=source.mime_type or "application/octet-stream", filename=source.original_filename
        )
