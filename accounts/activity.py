"""The activity log: one function records who did what to which object."""
from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Activity


def client_address(request) -> tuple[str | None, str]:
    if request is None:
        return None, ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
    return ip or None, request.META.get("HTTP_USER_AGENT", "")[:300]


def log_activity(
    verb: str,
    *,
    actor=None,
    target: models.Model | None = None,
    dossier: models.Model | None = None,
    description: str = "",
    metadata: dict[str, Any] | None = None,
    request=None,
) -> Activity:
    """Record an action. ``actor`` None means the system (pipeline, scheduled job).

    A dossier given as ``target`` is also the entry's ``dossier`` (the model comes from the
    foreign key, which names it by string: accounts does not import dossiers).
    """
    if dossier is None and isinstance(target, Activity._meta.get_field("dossier").related_model):
        dossier = target
    ip, agent = client_address(request)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return Activity.objects.create(
        actor=actor,
        verb=verb,
        dossier=dossier,
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=str(target.pk) if target is not None else "",
        description=description,
        metadata=metadata or {},
        ip_address=ip,
        user_agent=agent,
    )
