"""Mail ingestion: the attachments of mails sent to a configured mailbox become dossier documents.

For each mail not yet marked done in the mailbox's folder, oldest first:

1. **store** (one database transaction): the sender's rule names the installer; a subject
   naming one of its dossiers (``CEE-2026-000123``) adds the attachments to it
   (``add_files_to_dossier``), otherwise they make a new dossier through the bulk upload
   (``create_dossier_from_files``); the ``MailLog`` row is written in the same transaction;
2. **reply** to a known sender when something was refused (French template ``mail_reply``);
3. **mark done** on the server (moved, or given a keyword).

A crash before 1 commits leaves nothing (the ingest deletes the stored files of a rolled-back
transaction, or the orphan purge does) and the mail is read again; a crash after it leaves a
``MailLog`` without ``marked_done_at``, and the next run only replies (when still owed) and
marks it. The same mail under another UID (a new UIDVALIDITY, a copy) is recognised by its
Message-ID and marked without being stored twice. The ingest's own SHA-256 check refuses a
file already in the dossier.
"""
from __future__ import annotations

import imaplib
import logging
import socket
import ssl
from dataclasses import dataclass, field

from imap_tools.errors import MailboxFolderSelectError, MailboxFolderStatusError, MailboxLoginError
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cee.mail import send_templated_email

from ..bulk import FileOutcome, UploadNotAllowed, add_files_to_dossier, create_dossier_from_files
from ..models import Dossier
from .imap import Mailbox, ReceivedMail, open_mailbox
from .models import MailAccount, MailLog, MailOutcome
from .selectors import depositing_user, installer_for_sender, reference_in_subject

logger = logging.getLogger(__name__)

# Errors that mean the connection to the server is gone: stop reading this mailbox.
CONNECTION_ERRORS = (imaplib.IMAP4.error, OSError, socket.timeout, ssl.SSLError)
# Errors of the session's start: wrong credentials, a folder that does not exist.
LOGIN_ERRORS = (MailboxLoginError, MailboxFolderSelectError, MailboxFolderStatusError)


@dataclass
class FetchReport:
    """What one run did on one mailbox."""

    account: str
    stored: int = 0
    not_stored: int = 0
    marked: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"account": self.account, "stored": self.stored, "not_stored": self.not_stored,
                "marked": self.marked, "errors": self.errors}


def fetch_all_mail() -> list[FetchReport]:
    """Read every active mailbox (``fetch_mail`` command and schedule). Never raises for one
    mailbox's failure: it is in that mailbox's report and ``last_error``."""
    return [fetch_mail(account) for account in MailAccount.objects.filter(is_active=True).order_by("pk")]


def fetch_mail(account: MailAccount) -> FetchReport:
    """Read ``account``'s folder: store, reply and mark each pending mail (see the module).

    Returns a FetchReport. A mail whose processing fails is left unmarked (read again next
    time) and the failure is reported; a lost connection ends the run. ``last_checked_at``
    and ``last_error`` are updated.
    """
    report = FetchReport(account=account.name)
    try:
        with open_mailbox(account) as mailbox:
            for uid in mailbox.pending_uids():
                try:
                    _handle(account, mailbox, uid, report)
                except CONNECTION_ERRORS:
                    raise
                except Exception as exc:
                    logger.exception("Mail UID %s of mailbox %s could not be processed", uid, account.name)
                    report.errors.append(f"Message UID {uid} : {exc}")
    except CONNECTION_ERRORS + LOGIN_ERRORS as exc:
        logger.warning("Mailbox %s: %s", account.name, exc)
        report.errors.append(f"Serveur IMAP : {exc}")
    MailAccount.objects.filter(pk=account.pk).update(
        last_checked_at=timezone.now(), last_error="\n".join(report.errors)[:5000]
    )
    return report


def _handle(account: MailAccount, mailbox: Mailbox, uid: int, report: FetchReport) -> None:
    log = MailLog.objects.filter(
        account=account, folder=mailbox.folder, uid_validity=mailbox.uid_validity, uid=uid
    ).first()
    if log is None:
        mail = mailbox.read(uid)
        if mail is None:  # expunged by someone else meanwhile
            return
        log = store_mail(account, mailbox.folder, mailbox.uid_validity, mail)
        if log.outcome == MailOutcome.STORED:
            report.stored += 1
        else:
            report.not_stored += 1
    if log.reply_wanted and log.reply_sent_at is None:
        send_reply(log)
    if log.marked_done_at is None:
        mailbox.mark_done(uid)
        log.marked_done_at = timezone.now()
        log.save(update_fields=["marked_done_at"])
        report.marked += 1


def store_mail(account: MailAccount, folder: str, uid_validity: int, mail: ReceivedMail) -> MailLog:
    """Store what ``mail`` carries and record it, in one transaction; return its MailLog.

    Mails of one mailbox are stored one at a time (the account row is locked), so two
    runs at once cannot both store the same mail: the second finds the first's row.
    """
    with transaction.atomic():
        MailAccount.objects.select_for_update().filter(pk=account.pk).first()
        key = {"account": account, "folder": folder, "uid_validity": uid_validity, "uid": mail.uid}
        existing = MailLog.objects.filter(**key).first()
        if existing is not None:
            return existing
        row = {**key, "message_id": mail.message_id, "sender": mail.sender[:254], "subject": mail.subject, "sent_at": mail.sent_at}
        if mail.message_id and MailLog.objects.filter(account=account, message_id=mail.message_id).exists():
            return MailLog.objects.create(
                **row, outcome=MailOutcome.DUPLICATE,
                detail="Ce message (même Message-ID) a déjà été traité : rien n'est enregistré une seconde fois.",
            )
        return MailLog.objects.create(**row, **_deposit(account, mail))


def _deposit(account: MailAccount, mail: ReceivedMail) -> dict:
    """Put the mail's attachments where its subject and sender say; the MailLog fields."""
    installer = installer_for_sender(account, mail.sender)
    if installer is None:
        # No reply: an unknown address may be forged or spam, and replying would send mail to strangers.
        return {"outcome": MailOutcome.UNKNOWN_SENDER,
                "detail": f"Aucune règle de la boîte « {account.name} » ne rattache l'expéditeur {mail.sender or '(vide)'} "
                          "à un installateur. Ajoutez une règle d'expéditeur si ce message est légitime."}
    result = {"installer": installer, "reply_wanted": account.reply_to_sender}
    user = depositing_user(installer, mail.sender)
    if user is None:
        return {**result, "outcome": MailOutcome.NO_USER,
                "detail": f"L'installateur {installer.name} n'a aucun compte actif sous lequel déposer les pièces."}
    if not mail.attachments:
        return {**result, "outcome": MailOutcome.NO_ATTACHMENT,
                "detail": "Le message ne contient aucune pièce jointe : aucun document n'a été enregistré."}
    files = [ContentFile(item.payload, name=item.filename) for item in mail.attachments]
    reference = reference_in_subject(mail.subject)
    try:
        if reference:
            dossier = Dossier.objects.filter(reference=reference, installer=installer).first()
            if dossier is None:
                return {**result, "outcome": MailOutcome.DOSSIER_REFUSED,
                        "detail": f"Le dossier {reference} est introuvable parmi les dossiers de {installer.name}."}
            outcomes = add_files_to_dossier(dossier, files, user=user)
        else:
            upload = create_dossier_from_files(user=user, files=files)
            dossier, outcomes = upload.dossier, upload.outcomes
    except UploadNotAllowed as error:
        return {**result, "outcome": MailOutcome.DOSSIER_REFUSED, "dossier": error.dossier, "detail": error.message}
    except (PermissionDenied, ValidationError) as error:
        message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        return {**result, "outcome": MailOutcome.DOSSIER_REFUSED, "detail": message}
    return {**result, **_files_result(dossier, outcomes, account)}


def _files_result(dossier: Dossier | None, outcomes: list[FileOutcome], account: MailAccount) -> dict:
    files = [
        {"filename": item.filename, "accepted": item.accepted, "code": item.code, "message": item.message,
         "document_id": item.document.pk if item.accepted else None}
        for item in outcomes
    ]
    accepted = sum(1 for item in files if item["accepted"])
    refused = len(files) - accepted
    if not accepted:
        return {"outcome": MailOutcome.FILES_REFUSED, "files": files, "dossier": None,
                "detail": f"Aucune des {refused} pièce(s) jointe(s) n'a été acceptée."}
    detail = f"{accepted} pièce(s) jointe(s) enregistrée(s) dans le dossier {dossier.reference}"
    detail += f", {refused} refusée(s)." if refused else "."
    return {"outcome": MailOutcome.STORED, "files": files, "dossier": dossier, "detail": detail,
            "reply_wanted": account.reply_to_sender and refused > 0}


def send_reply(log: MailLog) -> bool:
    """Tell the sender in French why (part of) their mail was refused; record it so that a
    later run never sends it twice. A mail server failure is logged on the MailLog, not raised."""
    context = {
        "log": log,
        "refused": [item for item in log.files if not item.get("accepted")],
        "accepted": [item for item in log.files if item.get("accepted")],
    }
    try:
        send_templated_email("mail_reply", context, [log.sender])
    except Exception as exc:
        logger.exception("Reply to mail %s could not be sent", log.pk)
        log.detail = f"{log.detail}\nRéponse à l'expéditeur impossible : {exc}"
        log.reply_wanted = False
        log.save(update_fields=["detail", "reply_wanted"])
        return False
    log.reply_sent_at = timezone.now()
    log.save(update_fields=["reply_sent_at"])
    return True
