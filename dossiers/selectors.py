"""Read-side queries for dossiers. The one place that knows who may see which dossier."""
from __future__ import annotations

from django.db.models import QuerySet

from .models import Dossier


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    """Staff (administrators, validators) see every dossier; an installer only their company's;
    anyone else nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Dossier.objects.none()
    if user.is_superuser or user.role in ("administrator", "validator"):
        return Dossier.objects.all()
    if user.role == "installer" and user.installer_id:
        return Dossier.objects.filter(installer_id=user.installer_id)
    return Dossier.objects.none()


def can_view_dossier(user, dossier: Dossier) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role in ("administrator", "validator"):
        return True
    return user.role == "installer" and user.installer_id is not None and user.installer_id == dossier.installer_id
