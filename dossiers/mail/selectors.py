"""Reads of mail ingestion: whose mail it is, who deposits its files, which dossier it names."""
from __future__ import annotations

import re

from accounts.models import Installer, Role, User

from ..services import REFERENCE_PREFIX
from .models import MailAccount, MailRule

# A dossier reference anywhere in a subject: "Re: pièces CEE-2026-000123 (facture)".
REFERENCE_PATTERN = re.compile(rf"\b{REFERENCE_PREFIX}-(\d{{4}})-(\d{{6}})\b", re.IGNORECASE)


def reference_in_subject(subject: str) -> str:
    """The first dossier reference the subject names, written as stored (``CEE-2026-000123``), or ''."""
    match = REFERENCE_PATTERN.search(subject or "")
    return f"{REFERENCE_PREFIX}-{match[1]}-{match[2]}" if match else ""


def installer_for_sender(account: MailAccount, sender: str) -> Installer | None:
    """The installer of ``account``'s active rule for ``sender``: the rule naming the address
    wins over the one naming its domain. None when no rule matches."""
    sender = sender.strip().lower()
    domain = sender.rpartition("@")[2]
    if not domain:
        return None
    rules = {
        rule.sender: rule.installer
        for rule in MailRule.objects.filter(account=account, is_active=True, sender__in=[sender, domain])
        .select_related("installer")
    }
    return rules.get(sender) or rules.get(domain)


def depositing_user(installer: Installer, sender: str) -> User | None:
    """The account the mail's files are deposited under: the installer's active user with the
    sender's address, else the company's oldest active installer account. None without any."""
    users = User.objects.filter(installer=installer, role=Role.INSTALLER, is_active=True).select_related("installer")
    return users.filter(email__iexact=sender).first() or users.order_by("pk").first()
