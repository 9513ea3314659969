"""E-mails the dossier chain sends: the installer is told which documents a dossier still needs."""
from __future__ import annotations

import logging

from django.conf import settings

from accounts.activity import log_activity
from cee.mail import send_templated_email

logger = logging.getLogger(__name__)


def portal_dossier_url(dossier) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/portail/dossiers/{dossier.pk}/"


def send_missing_documents_email(dossier, missing: list[dict], failed: list[dict]) -> int:
    """E-mail the installer the list of missing (and unreadable) documents with the portal link.

    Returns the number of messages sent (0 when the installer has no address). A mail
    server error is logged on the dossier, never raised: the dossier's status is right
    whether or not the message left.
    """
    recipients = dossier.installer.email_addresses()
    if not recipients:
        return 0
    context = {"dossier": dossier, "missing": missing, "failed": failed, "url": portal_dossier_url(dossier)}
    try:
        sent = send_templated_email("missing_documents", context, recipients)
    except Exception as exc:
        logger.exception("Missing-documents e-mail for %s failed", dossier.reference)
        log_activity("email_failed", target=dossier, description=f"Envoi de l'e-mail « documents manquants » impossible : {exc}")
        return 0
    log_activity(
        "missing_documents_notified",
        target=dossier,
        description=f"E-mail « documents manquants » envoyé à {', '.join(recipients)}.",
        metadata={"recipients": recipients, "missing": [m["document_type"] for m in missing]},
    )
    return sent
