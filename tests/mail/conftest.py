"""Fixtures of the mail-ingestion tests: a real dovecot IMAP server, a mailbox of its own per
test with its MailAccount, and a way to deliver mails into it (IMAP APPEND)."""
from __future__ import annotations

import email.message
import email.utils
import os
from dataclasses import dataclass

import pytest

from dossiers.mail.models import DoneAction, MailAccount, MailRule, MailSecurity
from tests.factories import InstallerFactory, UserFactory

from tests.pipeline.conftest import media_storage  # noqa: F401 - autouse: each test's own storage folder

from .imapserver import ImapServer, dovecot_binary, start_imap_server


@pytest.fixture(scope="session")
def imap_server():
    """dovecot for the whole session. Missing dovecot skips on a workstation, fails in CI."""
    if dovecot_binary() is None:
        message = "dovecot (dovecot-imapd) is not installed: run scripts/bootstrap.sh as root"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    port = int(os.environ["CEE_TEST_IMAP_PORT"]) if os.environ.get("CEE_TEST_IMAP_PORT") else None
    server = start_imap_server(port)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class MailboxUnderTest:
    server: ImapServer
    account: MailAccount
    username: str
    password: str

    def deliver(self, *, sender: str, subject: str, attachments=(), message_id: str | None = None,
                body: str = "Bonjour, veuillez trouver les pièces jointes.") -> str:
        """APPEND a mail to the INBOX; ``attachments`` are (filename, bytes, mime type). Returns its Message-ID."""
        message = email.message.EmailMessage()
        message["From"] = sender
        message["To"] = self.username
        message["Subject"] = subject
        message["Date"] = email.utils.formatdate(localtime=True)
        message["Message-ID"] = message_id or email.utils.make_msgid(domain="cee.test")
        message.set_content(body)
        for filename, content, mime in attachments:
            maintype, subtype = mime.split("/")
            message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
        with self.server.connect(self.username, self.password) as box:
            box.append(message.as_bytes(), "INBOX")
        return message["Message-ID"]

    def subjects(self, folder: str = "INBOX") -> list[str]:
        with self.server.connect(self.username, self.password) as box:
            if not box.folder.exists(folder):
                return []
            box.folder.set(folder)
            return [message.subject for message in box.fetch(mark_seen=False)]

    def keywords(self, folder: str = "INBOX") -> list[tuple[str, ...]]:
        with self.server.connect(self.username, self.password) as box:
            box.folder.set(folder)
            return [message.flags for message in box.fetch(mark_seen=False, headers_only=True)]


@pytest.fixture
def installer(db):
    return InstallerFactory(name="Rénov Énergie Rhône")


@pytest.fixture
def installer_account(installer):
    return UserFactory(installer=installer, email="devis@renov-energie.fr")


@pytest.fixture
def mailbox(imap_server, installer, installer_account) -> MailboxUnderTest:
    """A fresh IMAP mailbox and its MailAccount (moved to « CEE-traites » once done); mails from
    the domain renov-energie.fr belong to the installer."""
    username, password = imap_server.add_user()
    account = MailAccount.objects.create(
        name=f"Dépôts {username}", security=MailSecurity.PLAIN, host=imap_server.host, port=imap_server.port,
        username=username, password=password, folder="INBOX", done_action=DoneAction.MOVE, done_folder="CEE-traites",
    )
    MailRule.objects.create(account=account, sender="renov-energie.fr", installer=installer)
    return MailboxUnderTest(imap_server, account, username, password)
