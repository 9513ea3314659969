"""Password-guessing protection: what django-axes counts a login attempt against.

The settings (``AXES_*`` in cee/settings.py) lock out one e-mail from one address after a
few wrong passwords; locked pairs are listed, and unlocked by deleting them, in the admin
(« Axes » › « Tentatives de connexion »).
"""
from __future__ import annotations

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.shortcuts import render

from cee.api.throttling import AttemptCounter


def login_username(request, credentials: dict | None = None) -> str | None:
    """The e-mail typed, as the login matches it (case-insensitively, spaces around ignored).

    Without it ``Admin@X`` and ``admin@x`` would be two accounts to axes but one to the
    login, and changing the case would start a fresh count of failures.
    """
    if credentials:
        value = credentials.get("username")
    else:
        data = getattr(request, "data", None) or request.POST
        value = data.get("username")
    if not value:
        return None
    return str(value).strip().lower()


def lockout_response(request, original_response=None, credentials: dict | None = None):
    """The page a locked-out login gets (429), in French, portal and admin alike."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    context = {"failure_limit": get_failure_limit(request, credentials), "cooloff_minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


def reset_request_allowed(request, email: str) -> bool:
    """Count a password reset request; False once its address or its e-mail has had
    ``CEE_PASSWORD_RESET_RATE`` of them (each one mails a link: no mail bombing, no
    enumeration at speed)."""
    counter = AttemptCounter("password_reset", settings.CEE_PASSWORD_RESET_RATE)
    idents = [f"ip-{counter.get_ident(request)}", f"email-{email.strip().lower()}"]
    if any(counter.is_blocked(ident) for ident in idents):
        return False
    for ident in idents:
        counter.record(ident)
    return True
