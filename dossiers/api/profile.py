"""The installer's profile: read it, change the company's details."""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.permissions import InstallerAPIMixin
from accounts.api.serializers import ProfilePatchSerializer, ProfileSerializer
from accounts.profile import update_company_profile
from accounts.rge import pending_rge_change
from cee.api.schema import error_responses

from .examples import PROFILE, PROFILE_PATCH, PROFILE_RGE_REQUESTED


class ProfileView(InstallerAPIMixin, APIView):
    parser_classes = [JSONParser]
    def _body(self, request, installer) -> dict:
        return ProfileSerializer(
            {"user": request.user, "company": installer, "rge_change_request": pending_rge_change(installer)}
        ).data

    @extend_schema(
        summary="Lire mon profil",
        description="Votre compte et la fiche de votre entreprise (SIRET, RGE, coordonnées).",
        responses={200: ProfileSerializer, **error_responses()},
        examples=[PROFILE],
        tags=["Profil"],
    )
    def get(self, request):
        return Response(self._body(request, request.user.installer))

    @extend_schema(
        summary="Modifier la fiche de mon entreprise",
        description=(
            "Seuls les champs envoyés changent. Le SIRET est vérifié (14 chiffres, clé de Luhn, unicité) ; le "
            "SIREN le suit. Le statut RGE et la référence du contrat sont tenus par le back-office. Le n° RGE, "
            "ses dates de validité et les qualifications envoyés ne modifient pas la fiche : ils forment une "
            "demande que nos équipes vérifient (`rge_change_request` dans la réponse) ; jusqu'à son approbation "
            "les données RGE, et les contrôles de vos dossiers, restent les précédentes."
        ),
        request=ProfilePatchSerializer,
        responses={200: ProfileSerializer, **error_responses(400)},
        examples=[PROFILE_PATCH, PROFILE_RGE_REQUESTED],
        tags=["Profil"],
    )
    def patch(self, request):
        installer = request.user.installer
        serializer = ProfilePatchSerializer(data=request.data, partial=True)
        serializer.fields["company"].instance = installer
        serializer.is_valid(raise_exception=True)
        changes = serializer.validated_data.get("company", {})
        try:
            installer = update_company_profile(installer, changes=changes, user=request.user, request=request).installer
        except DjangoValidationError as error:
            # Same shape as the serializer's errors: under "company".
            raise serializers.ValidationError({"company": error.message_dict if hasattr(error, "error_dict") else error.messages})
        return Response(self._body(request, installer))
