"""Who may call the installer API, and the mixin every installer endpoint uses."""
from __future__ import annotations

from rest_framework.permissions import BasePermission

from accounts.models import Role
from cee.api.base import TokenAPIMixin


class IsInstaller(BasePermission):
    """An authenticated, active user of an installer company.

    Anonymous callers get 401 (the authentication classes say how to authenticate);
    staff (validators, administrators) get 403: these endpoints speak for one company.
    Which objects the installer reaches is decided by ``dossiers.selectors``.
    """

    message = "Ce point d'accès est réservé aux comptes installateurs."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user and user.is_authenticated and user.is_active
            and user.role == Role.INSTALLER and user.installer_id and not user.is_superuser
        )


class InstallerAPIMixin(TokenAPIMixin):
    """Installer-only endpoint: 401 anonymous, 403 staff, throttled per token,
    ``Idempotency-Key`` honoured on POST, oversized bodies refused from Content-Length."""

    permission_classes = [IsInstaller]
