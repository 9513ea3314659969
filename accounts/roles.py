"""Roles as Django groups, and the permissions each one holds.

The groups are created by a data migration (accounts 0002) and kept in step by
``sync_role_groups``; a user's group follows their role (see accounts.signals).
"""
from __future__ import annotations

from .models import Role

# App labels whose configuration models only administrators change.
CONFIGURATION_MODELS = [
    ("dossiers", "operation"), ("dossiers", "operationdocumentrequirement"), ("dossiers", "rejectionreason"),
    ("documents", "documenttype"), ("extraction", "fieldschema"), ("extraction", "engineconfig"),
    ("rules", "rule"), ("rules", "climatezone"), ("rules", "precarityceiling"), ("billing", "pricelist"),
    ("accounts", "installer"), ("accounts", "user"),
]

# What a validator may do: see everything a review needs, change review objects only.
VALIDATOR_PERMISSIONS = [
    "dossiers.view_dossier", "dossiers.change_dossier", "dossiers.view_dossieroperation",
    "dossiers.view_timeline", "dossiers.change_timeline", "dossiers.view_operation",
    "dossiers.view_rejectionreason", "dossiers.view_operationdocumentrequirement",
    "documents.view_document", "documents.view_page", "documents.view_documenttype",
    "extraction.view_extractedfield", "extraction.change_extractedfield", "extraction.view_fieldschema",
    "extraction.view_humanfeedback", "extraction.add_humanfeedback", "extraction.view_stagerun",
    "rules.view_rule", "rules.view_ruleresult", "rules.change_ruleresult",
    "rules.view_climatezone", "rules.view_precarityceiling",
    "accounts.view_installer", "accounts.view_activity",
]

ROLE_GROUP_NAMES = {
    Role.ADMINISTRATOR: "Administrateurs",
    Role.VALIDATOR: "Validateurs",
    Role.INSTALLER: "Installateurs",
}

# Installers work in the portal and the API, never in the admin: no model permission.
INSTALLER_PERMISSIONS: list[str] = []


def sync_role_groups(apps=None) -> None:
    """Create or update the three role groups and their permissions (idempotent)."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    registry = apps or global_apps
    Group = registry.get_model("auth", "Group")
    Permission = registry.get_model("auth", "Permission")
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, apps=registry)

    def perms(codes):
        out = []
        for code in codes:
            app_label, codename = code.split(".")
            out.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        return out

    admin_group, _ = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[Role.ADMINISTRATOR])
    # axes: the locked-out logins, which administrators unlock by deleting them.
    project_apps = ["accounts", "dossiers", "documents", "extraction", "rules", "billing", "django_q", "auth", "axes"]
    admin_group.permissions.set(Permission.objects.filter(content_type__app_label__in=project_apps))
    validator_group, _ = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[Role.VALIDATOR])
    validator_group.permissions.set(perms(VALIDATOR_PERMISSIONS))
    installer_group, _ = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[Role.INSTALLER])
    installer_group.permissions.set(perms(INSTALLER_PERMISSIONS))
