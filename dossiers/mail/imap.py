"""The IMAP side of mail ingestion, over imap-tools (a maintained wrapper of the standard
library's imaplib: UID commands, MOVE with a COPY/EXPUNGE fallback, MIME parsing).

Messages are read by UID with BODY.PEEK (reading does not mark them seen) and marked done
only when the caller says so.
"""
from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone

from imap_tools import AND, BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.message import MailMessage

from .models import DoneAction, MailAccount, MailSecurity

TIMEOUT_SECONDS = 60


@dataclass
class Attachment:
    filename: str
    content_type: str
    payload: bytes


@dataclass
class ReceivedMail:
    uid: int
    message_id: str
    sender: str
    subject: str
    sent_at: datetime | None
    attachments: list[Attachment] = field(default_factory=list)


def _connect(account: MailAccount) -> BaseMailBox:
    if account.security == MailSecurity.IMAPS:
        return MailBox(account.host, account.port, timeout=TIMEOUT_SECONDS, ssl_context=ssl.create_default_context())
    if account.security == MailSecurity.STARTTLS:
        return MailBoxStartTls(account.host, account.port, timeout=TIMEOUT_SECONDS, ssl_context=ssl.create_default_context())
    return MailBoxUnencrypted(account.host, account.port, timeout=TIMEOUT_SECONDS)


class Mailbox:
    """One logged-in session on ``account``'s folder."""

    def __init__(self, account: MailAccount, box: BaseMailBox):
        self.account = account
        self.box = box
        self.folder = account.folder
        self.uid_validity = int(box.folder.status(self.folder, ["UIDVALIDITY"])["UIDVALIDITY"])

    def pending_uids(self) -> list[int]:
        """UIDs of the folder's messages not yet marked done, oldest first."""
        if self.account.done_action == DoneAction.FLAG:
            criteria = AND(no_keyword=MailAccount.DONE_KEYWORD, deleted=False)
        else:
            criteria = AND(deleted=False)
        return sorted(int(uid) for uid in self.box.uids(criteria))

    def read(self, uid: int) -> ReceivedMail | None:
        """The message ``uid`` with its attachments (None when it vanished meanwhile)."""
        for message in self.box.fetch(AND(uid=str(uid)), mark_seen=False, bulk=True):
            return _received(uid, message)
        return None

    def mark_done(self, uid: int) -> None:
        if self.account.done_action == DoneAction.FLAG:
            self.box.flag(str(uid), MailAccount.DONE_KEYWORD, True)
            return
        if not self.box.folder.exists(self.account.done_folder):
            self.box.folder.create(self.account.done_folder)
        self.box.move(str(uid), self.account.done_folder)


@contextmanager
def open_mailbox(account: MailAccount) -> Iterator[Mailbox]:
    """Log in to ``account`` and select its folder; log out on leaving. Raises imap-tools'
    and imaplib's errors, OSError and ssl.SSLError as they come."""
    box = _connect(account)
    try:
        box.login(account.username, account.password, initial_folder=account.folder)
        yield Mailbox(account, box)
    finally:
        try:
            box.logout()
        except Exception:  # the connection may be gone already; nothing to release then
            pass


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.year <= 1900:  # imap-tools' "unparsable date"
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _received(uid: int, message: MailMessage) -> ReceivedMail:
    message_ids = message.headers.get("message-id") or ("",)
    return ReceivedMail(
        uid=uid,
        message_id=message_ids[0].strip()[:998],
        sender=(message.from_ or "").strip().lower(),
        subject=" ".join((message.subject or "").split())[:500],
        sent_at=_aware(message.date),
        attachments=[
            Attachment(filename=part.filename or "piece-jointe", content_type=part.content_type, payload=part.payload)
            for part in message.attachments
            # Pictures embedded in an HTML body (logos, signatures) are not documents.
            if not (part.content_id and part.content_disposition != "attachment")
        ],
    )
