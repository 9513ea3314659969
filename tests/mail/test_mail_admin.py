"""Mailboxes in the admin: the password is write-only, the journal read-only; sender rules."""
from __future__ import annotations

import pytest

from dossiers.mail.models import MailAccount, MailLog, MailOutcome, MailRule
from dossiers.mail.selectors import installer_for_sender, reference_in_subject
from tests.factories import InstallerFactory


@pytest.fixture
def account(db):
    return MailAccount.objects.create(name="Dépôts", host="imap.example.fr", username="depots@example.fr",
                                      password="s3cret-du-serveur")


def account_form_data(account, **changes):
    data = {"name": account.name, "is_active": "on", "security": account.security, "host": account.host,
            "port": account.port, "username": account.username, "password": "", "folder": account.folder,
            "done_action": account.done_action, "done_folder": account.done_folder, "reply_to_sender": "on",
            "rules-TOTAL_FORMS": "0", "rules-INITIAL_FORMS": "0", "rules-MIN_NUM_FORMS": "0", "rules-MAX_NUM_FORMS": "1000"}
    return {**data, **changes}


def test_the_password_is_never_shown_back_and_kept_when_left_empty(admin_client, account):
    url = f"/admin/dossiers/mailaccount/{account.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200 and "s3cret-du-serveur" not in page.content.decode()

    response = admin_client.post(url, account_form_data(account, host="imap2.example.fr"))
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.host == "imap2.example.fr" and account.password == "s3cret-du-serveur"

    admin_client.post(url, account_form_data(account, password="nouveau"))
    account.refresh_from_db()
    assert account.password == "nouveau"


def test_a_new_mailbox_needs_its_password(admin_client, db):
    response = admin_client.post("/admin/dossiers/mailaccount/add/", account_form_data(
        MailAccount(name="Neuve", host="imap.example.fr", username="neuve@example.fr")))
    assert response.status_code == 200 and "Indiquez le mot de passe" in response.content.decode()
    assert not MailAccount.objects.exists()


def test_the_mail_journal_is_listed_and_read_only(admin_client, account):
    MailLog.objects.create(account=account, folder="INBOX", uid_validity=1, uid=7, sender="x@y.fr", subject="Facture",
                           outcome=MailOutcome.UNKNOWN_SENDER, detail="Aucune règle")
    page = admin_client.get("/admin/dossiers/maillog/")
    assert page.status_code == 200 and "Expéditeur inconnu" in page.content.decode()
    assert admin_client.get("/admin/dossiers/maillog/add/").status_code == 403


def test_an_address_rule_wins_over_its_domain_rule(account):
    domain_owner, address_owner = InstallerFactory(), InstallerFactory()
    MailRule.objects.create(account=account, sender="renov.fr", installer=domain_owner)
    MailRule.objects.create(account=account, sender="compta@renov.fr", installer=address_owner)
    assert installer_for_sender(account, "Compta@Renov.fr") == address_owner
    assert installer_for_sender(account, "devis@renov.fr") == domain_owner
    assert installer_for_sender(account, "devis@sous.renov.fr") is None


def test_rule_sender_is_normalised_and_checked(account):
    rule = MailRule(account=account, sender="@Renov.FR", installer=InstallerFactory())
    rule.full_clean()
    assert rule.sender == "renov.fr"
    with pytest.raises(Exception):
        MailRule(account=account, sender="pas une adresse", installer=rule.installer).full_clean()


@pytest.mark.parametrize("subject, reference", [
    ("Dossier CEE-2026-000123", "CEE-2026-000123"),
    ("re: pièces cee-2025-004567 (facture)", "CEE-2025-004567"),
    ("CEE-2026-12345 incomplet", ""),
    ("Chantier Dupont", ""),
])
def test_reference_in_subject(subject, reference):
    assert reference_in_subject(subject) == reference
