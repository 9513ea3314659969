"""Read-side queries for dossiers. The one place that knows who may see which dossier."""
from __future__ import annotations

from django.db.models import QuerySet

from .models import Dossier


def dossiers_visible_to(user, dossiers: QuerySet[Dossier] | None = None) -> QuerySet[Dossier]:
    """Staff (administrators, validators) see every dossier; an installer only their company's;
    anyone else nothing. ``dossiers`` (all of them by default) is what to narrow: a queryset
    with annotations built once, say."""
    dossiers = Dossier.objects.all() if dossiers is None else dossiers.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return dossiers.none()
    if user.is_superuser or user.role in ("administrator", "validator"):
        return dossiers
    if user.role == "installer" and user.installer_id:
        return dossiers.filter(installer_id=user.installer_id)
    return dossiers.none()


def can_view_dossier(user, dossier: Dossier) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role in ("administrator", "validator"):
        return True
    return user.role == "installer" and user.installer_id is not None and user.installer_id == dossier.installer_id
