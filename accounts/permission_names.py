"""Permission names in French. Django writes them « Can view dossier » (and django-simple-history's
« Can view historical dossier »), untranslated, in the database: the user and group pages of the
admin list them. After each migrate they are rewritten « Peut voir dossier », « Peut voir
historique : dossier »."""
from __future__ import annotations

ACTIONS = {"add": "ajouter", "change": "modifier", "delete": "supprimer", "view": "voir"}


def permission_name(action: str, model) -> str:
    original = getattr(model, "instance_type", None)  # a django-simple-history model
    subject = f"historique : {original._meta.verbose_name}" if original else str(model._meta.verbose_name)
    return f"Peut {ACTIONS[action]} {subject}"[:255]


def name_permissions_in_french(using: str = "default", **kwargs) -> int:
    """Rewrite the default permissions' names in French; returns how many changed."""
    from django.contrib.auth.models import Permission

    changed = []
    for permission in Permission.objects.using(using).select_related("content_type"):
        model = permission.content_type.model_class()
        action = permission.codename.split("_", 1)[0]
        if model is None or action not in ACTIONS or permission.codename != f"{action}_{model._meta.model_name}":
            continue
        name = permission_name(action, model)
        if permission.name != name:
            permission.name = name
            changed.append(permission)
    Permission.objects.using(using).bulk_update(changed, ["name"])
    return len(changed)
