"""The installer's dossiers: list, create, read, update, submit, documents, status, bulk upload."""
from __future__ import annotations

from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.permissions import InstallerAPIMixin
from cee.api.base import CountWithPagePagination, StableOrderingFilter
from cee.api.exceptions import ApiError, error_body
from cee.api.schema import IDEMPOTENCY_PARAMETER, POST_ERRORS, error_responses
from cee.uploads import collect_uploads, limit_uploads, max_request_bytes, megabytes
from documents.api.serializers import DocumentSerializer, UploadRequestSerializer, UploadResultSerializer
from dossiers import installer_selectors as sel
from dossiers.bulk import FileOutcome, UploadNotAllowed, add_files_to_dossier, create_dossier_from_files
from dossiers.models import Dossier
from dossiers.selectors import dossiers_visible_to
from dossiers.services import INSTALLER_EDITABLE_STATUSES, create_dossier, submit_dossier, update_dossier

from . import examples
from .filters import DossierFilter
from .serializers import (
    DossierDetailSerializer,
    DossierListSerializer,
    DossierStatusSerializer,
    DossierWriteSerializer,
    dossier_list_rows,
)

class UploadEndpointMixin:
    """Installs the streaming size limits before DRF or the CSRF check reads the body."""

    upload_actions: tuple[str, ...] = ()

    def initialize_request(self, request, *args, **kwargs):
        if request.method == "POST" and self._is_upload(request, **kwargs):
            self._upload_handler = limit_uploads(request)
        return super().initialize_request(request, *args, **kwargs)

    def _is_upload(self, request, **kwargs) -> bool:
        return True

    def read_uploads(self, request):
        sent = {"document_type": request.data["document_type"]} if "document_type" in request.data else {}
        serializer = UploadRequestSerializer(data=sent, partial=True)
        serializer.is_valid(raise_exception=True)
        handler = getattr(self, "_upload_handler", None)
        uploads = collect_uploads(request.FILES, handler) if handler else None
        if uploads is None or uploads.request_too_large:
            raise ApiError(
                status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "request_too_large",
                f"Requête trop volumineuse : au plus {megabytes(max_request_bytes())} par requête.",
            )
        if not uploads.files and not uploads.skipped:
            raise ApiError(
                status.HTTP_400_BAD_REQUEST, "no_files",
                "Aucun fichier reçu : envoyez un formulaire multipart avec une ou plusieurs parties « files ».",
                {"files": ["Ce champ est obligatoire."]},
            )
        declared = serializer.validated_data.get("document_type")
        refused = [FileOutcome(filename=s.filename, code=s.code, message=s.message) for s in uploads.skipped]
        return uploads.files, refused, declared.code if declared else None


def upload_result(outcomes: list[FileOutcome], context) -> dict:
    return {
        "accepted": sum(o.accepted for o in outcomes),
        "refused": sum(not o.accepted for o in outcomes),
        "files": [
            {
                "filename": o.filename,
                "accepted": o.accepted,
                "document": DocumentSerializer(o.document, context=context).data if o.accepted else None,
                "error": None if o.accepted else {"code": o.code, "message": o.message},
            }
            for o in outcomes
        ],
    }


def all_refused_response(outcomes: list[FileOutcome], context) -> Response:
    body = error_body(
        "all_files_refused", "Aucun fichier n'a été accepté : voir la raison pour chaque fichier.",
        upload_result(outcomes, context),
    )
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


@extend_schema_view(
    list=extend_schema(
        summary="Lister mes dossiers",
        description="Dossiers de votre entreprise, paginés (25 par page, `page_size` jusqu'à 100), filtrables et triables.",
        responses={200: DossierListSerializer(many=True), **error_responses(400, 404)},
        examples=[examples.DOSSIER_LIST],
        tags=["Dossiers"],
    ),
    retrieve=extend_schema(
        summary="Lire un dossier",
        description="Le dossier avec ses opérations, ses dates, ses documents, ce qui manque et les contrôles en échec.",
        responses={200: DossierDetailSerializer, **error_responses(404)},
        examples=[examples.DOSSIER_DETAIL],
        tags=["Dossiers"],
    ),
    create=extend_schema(
        summary="Créer un dossier",
        description=(
            "Crée un dossier en brouillon. Ajoutez ensuite les documents (`POST /dossiers/{id}/documents/`) "
            "puis soumettez-le (`POST /dossiers/{id}/submit/`)."
        ),
        parameters=[IDEMPOTENCY_PARAMETER],
        request=DossierWriteSerializer,
        responses={201: DossierDetailSerializer, **error_responses(*POST_ERRORS)},
        examples=[examples.DOSSIER_CREATE_REQUEST, examples.DOSSIER_DETAIL],
        tags=["Dossiers"],
    ),
    partial_update=extend_schema(
        summary="Modifier un dossier",
        description="Possible en brouillon et tant que des documents manquent. Seuls les champs envoyés changent.",
        request=DossierWriteSerializer(partial=True),
        responses={200: DossierDetailSerializer, **error_responses(400, 404, 409)},
        examples=[examples.DOSSIER_PATCH_REQUEST, examples.DOSSIER_DETAIL],
        tags=["Dossiers"],
    ),
)
class DossierViewSet(
    UploadEndpointMixin,
    InstallerAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    http_method_names = ["get", "post", "patch", "head", "options"]
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = DossierFilter
    ordering_fields = ["created_at", "submitted_at", "updated_at", "reference", "status", "premium_eur"]
    ordering = ["-created_at", "-id"]
    parser_classes = [JSONParser]
    pagination_class = CountWithPagePagination

    def _is_upload(self, request, **kwargs) -> bool:
        return request.path.rstrip("/").endswith("/documents")

    def get_queryset(self):
        if self.action == "list":
            return sel.installer_dossier_rows(self.request.user)
        if self.action in ("retrieve", "create", "partial_update", "submit"):
            return sel.installer_dossier_detail(self.request.user)
        return dossiers_visible_to(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return DossierListSerializer
        if self.action in ("create", "partial_update"):
            return DossierWriteSerializer
        return DossierDetailSerializer

    def _detail(self, dossier: Dossier, status_code=status.HTTP_200_OK, headers=None) -> Response:
        fresh = sel.installer_dossier_detail(self.request.user).get(pk=dossier.pk)
        return Response(DossierDetailSerializer(fresh, context=self.get_serializer_context()).data, status=status_code, headers=headers)

    def list(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        # Without parameters the default order is all there is to apply (the busiest call).
        queryset = self.filter_queryset(queryset) if request.query_params else queryset.order_by(*self.ordering)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(dossier_list_rows(page))

    def create(self, request, *args, **kwargs):
        serializer = DossierWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        dossier = create_dossier(
            installer=request.user.installer, created_by=request.user,
            operation_codes=data.pop("operation_codes", []), timeline=data.pop("timeline", None) or None,
            request=request, **data,
        )
        location = request.build_absolute_uri(reverse("api:dossier-detail", kwargs={"pk": dossier.pk}))
        return self._detail(dossier, status.HTTP_201_CREATED, headers={"Location": location})

    def partial_update(self, request, *args, **kwargs):
        dossier = self.get_object()
        serializer = DossierWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if dossier.status not in INSTALLER_EDITABLE_STATUSES:
            raise ApiError(
                status.HTTP_409_CONFLICT, "dossier_not_editable",
                f"Le dossier {dossier.reference} est « {dossier.get_status_display()} » : il ne peut plus être modifié.",
            )
        changes = dict(serializer.validated_data)
        changes.update(changes.pop("timeline", None) or {})
        update_dossier(dossier, by=request.user, request=request, **changes)
        return self._detail(dossier)

    def update(self, request, *args, **kwargs):  # PUT is not offered
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(
        summary="Soumettre un dossier",
        description=(
            "Passe le dossier de « Brouillon » à « Soumis » et lance le traitement automatique "
            "(découpage, classement, extraction, détection des fiches, complétude, contrôles). "
            "Suivez-le avec `GET /dossiers/{id}/status/`."
        ),
        parameters=[IDEMPOTENCY_PARAMETER],
        request=None,
        responses={200: DossierDetailSerializer, **error_responses(400, 404, 409, 422)},
        examples=[examples.DOSSIER_DETAIL],
        tags=["Dossiers"],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def submit(self, request, pk=None):
        dossier = self.get_object()
        submit_dossier(dossier, user=request.user, request=request)
        return self._detail(dossier)

    @extend_schema(
        methods=["GET"],
        summary="Lister les documents d'un dossier",
        description="Les fichiers déposés et les documents issus de leur découpage, avec leur statut de traitement.",
        responses={200: DocumentSerializer(many=True), **error_responses(404)},
        examples=[examples.DOCUMENT_LIST],
        tags=["Documents"],
    )
    @extend_schema(
        methods=["POST"],
        summary="Déposer des documents",
        description=(
            "Formulaire multipart : répétez la partie `files` pour envoyer plusieurs fichiers (PDF, JPEG, PNG, TIFF, "
            "HEIC ; 25 Mo par fichier par défaut). Chaque fichier est accepté ou refusé indépendamment : réponse 201 "
            "avec le résultat par fichier dès qu'un fichier est accepté, 400 `all_files_refused` si aucun ne l'est "
            "(les raisons par fichier sont dans `error.details.files`). Rien n'est conservé d'un fichier refusé. "
            "Possible en brouillon, pendant le traitement et quand des documents manquent (le traitement reprend)."
        ),
        parameters=[IDEMPOTENCY_PARAMETER],
        request={"multipart/form-data": UploadRequestSerializer},
        responses={201: UploadResultSerializer, **error_responses(*POST_ERRORS, 404)},
        examples=[examples.UPLOAD_RESULT, examples.ALL_FILES_REFUSED],
        tags=["Documents"],
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser], pagination_class=None, filter_backends=[])
    def documents(self, request, pk=None):
        dossier = self.get_object()
        if request.method == "GET":
            documents = sel.dossier_documents(dossier).select_related("dossier")
            return Response(DocumentSerializer(documents, many=True, context=self.get_serializer_context()).data)
        files, refused, declared = self.read_uploads(request)
        try:
            outcomes = add_files_to_dossier(
                dossier, files, user=request.user, declared_type_code=declared, refused=refused, request=request
            )
        except UploadNotAllowed as error:
            raise ApiError(status.HTTP_409_CONFLICT, error.code, error.message)
        context = self.get_serializer_context()
        if not any(o.accepted for o in outcomes):
            return all_refused_response(outcomes, context)
        return Response(upload_result(outcomes, context), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Suivre le traitement d'un dossier",
        description=(
            "Où en est le dossier : statut, avancement des documents et des étapes du traitement, documents "
            "manquants, contrôles bloquants en échec, motif de refus et historique des statuts."
        ),
        responses={200: DossierStatusSerializer, **error_responses(404)},
        examples=[examples.DOSSIER_STATUS],
        tags=["Dossiers"],
    )
    @action(detail=True, methods=["get"], url_path="status", filter_backends=[])
    def status_report(self, request, pk=None):
        dossier = self.get_object()
        return Response(status_report(dossier))


def status_report(dossier: Dossier) -> dict:
    return DossierStatusSerializer({
        "id": dossier.pk,
        "reference": dossier.reference,
        "status": dossier.status,
        "status_label": dossier.get_status_display(),
        "in_progress": dossier.status in sel.IN_PROGRESS_STATUSES,
        "documents": sel.document_progress(dossier),
        "stages": sel.stage_summary(dossier),
        "missing_documents": sel.missing_documents(dossier),
        "rule_failures": sel.rule_failures_for(dossier),
        "rejection_reason": (dossier.decision_reason or None) if dossier.status == "rejected" else None,
        "history": [
            {
                "at": activity.created_at,
                "from_status": activity.metadata.get("from"),
                "to_status": activity.metadata.get("to", ""),
                "description": activity.description,
            }
            for activity in sel.status_history(dossier)
        ],
        "updated_at": dossier.updated_at,
    }).data


class BulkUploadView(UploadEndpointMixin, InstallerAPIMixin, APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Dépôt groupé : un dossier à partir de tous les fichiers d'un chantier",
        description=(
            "Envoyez tous les fichiers d'un chantier (partie `files` répétée ; un PDF de plusieurs documents est "
            "découpé). Le dossier est créé et soumis aussitôt et la réponse 201 le renvoie avec le résultat par "
            "fichier ; le traitement (découpage, classement, extraction, détection des fiches, bénéficiaire, "
            "documents manquants) continue en arrière-plan : suivez-le avec `GET /dossiers/{id}/status/`. "
            "Si aucun fichier n'est accepté, aucun dossier n'est créé (400 `all_files_refused`)."
        ),
        parameters=[IDEMPOTENCY_PARAMETER],
        request={"multipart/form-data": UploadRequestSerializer},
        responses={
            201: inline_serializer(
                name="BulkUploadResult",
                fields={"dossier": DossierDetailSerializer(), "upload": UploadResultSerializer()},
            ),
            **error_responses(*POST_ERRORS),
        },
        examples=[examples.BULK_UPLOAD_RESULT, examples.ALL_FILES_REFUSED],
        tags=["Dépôt groupé"],
    )
    def post(self, request):
        files, refused, _declared = self.read_uploads(request)
        result = create_dossier_from_files(user=request.user, files=files, refused=refused, request=request)
        context = {"request": request, "view": self}
        if result.dossier is None:
            return all_refused_response(result.outcomes, context)
        dossier = sel.installer_dossier_detail(request.user).get(pk=result.dossier.pk)
        body = {"dossier": DossierDetailSerializer(dossier, context=context).data, "upload": upload_result(result.outcomes, context)}
        location = request.build_absolute_uri(reverse("api:dossier-detail", kwargs={"pk": dossier.pk}))
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})
