"""The review queue's actions on selected dossiers: assign, assign to a validator, release.

The workflow's and the back office's actions on dossiers (reprocess, invoice) are added by the
queue admin from ``EXTERNAL_ACTIONS``.
"""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from accounts.models import User

from ..backoffice.admin_actions import create_invoices_action
from ..models import DossierStatus
from ..workflow.admin_actions import reprocess_dossiers_action
from . import services as review


class QueueActionForm(helpers.ActionForm):
    """The action bar, with the validator an administrator assigns the selected dossiers to."""

    validator = forms.ModelChoiceField(
        queryset=None, required=False, label="Validateur", empty_label="— validateur —"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["validator"].queryset = (
            User.objects.filter(is_active=True, is_staff=True)
            .filter(Q(role__in=["validator", "administrator"]) | Q(is_superuser=True))
            .order_by("first_name", "last_name", "email")
        )


def _report(modeladmin, request, assigned, refused, verb):
    if assigned:
        modeladmin.message_user(request, f"{len(assigned)} dossier(s) {verb}.", messages.SUCCESS)
    for line in refused[:10]:
        modeladmin.message_user(request, line, messages.WARNING)
    if len(refused) > 10:
        modeladmin.message_user(request, f"… et {len(refused) - 10} autre(s) refus.", messages.WARNING)


@admin.action(description="M'assigner les dossiers sélectionnés")
def assign_to_me(modeladmin, request, queryset):
    assigned, refused = review.assign_to_validator(
        queryset.select_related("assigned_to"), request.user, by=request.user, request=request
    )
    _report(modeladmin, request, assigned, refused, "vous sont assignés")


@admin.action(description="Assigner au validateur choisi…", permissions=["assign"])
def assign_to_chosen_validator(modeladmin, request, queryset):
    form = QueueActionForm(request.POST)
    validator = form.fields["validator"].queryset.filter(pk=request.POST.get("validator") or 0).first()
    if validator is None:
        modeladmin.message_user(request, "Choisissez le validateur dans la liste à côté de l'action.", messages.ERROR)
        return
    assigned, refused = review.assign_to_validator(
        queryset.select_related("assigned_to"), validator, by=request.user, request=request
    )
    _report(modeladmin, request, assigned, refused, f"assignés à {validator.get_full_name() or validator.email}")


@admin.action(description="Libérer (remettre dans la file, non assignés)", permissions=["assign"])
def release_selected(modeladmin, request, queryset):
    done, refused = 0, []
    for dossier in queryset.filter(status=DossierStatus.IN_REVIEW).select_related("assigned_to"):
        try:
            review.release(dossier, request.user, request=request)
            done += 1
        except (review.ReviewError, PermissionDenied) as error:
            refused.append(f"{dossier.reference} : {error}")
    _report(modeladmin, request, [None] * done, refused, "remis dans la file")


# Actions of the workflow and the back office offered on dossiers, and whether validators may
# use them (the state machine lets validators send a dossier back to processing; invoicing is
# the back office's).
EXTERNAL_ACTIONS = (
    (reprocess_dossiers_action, True),
    (create_invoices_action, False),
)
