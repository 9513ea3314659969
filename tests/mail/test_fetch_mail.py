"""Mail ingestion against a real IMAP server (dovecot): mails become dossier documents, each
mail is marked done only once its files are stored, and nothing is lost or stored twice."""
from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core import mail as outbox
from django.core.management import call_command

from documents.models import Document
from dossiers.bulk import PLACEHOLDER_BENEFICIARY
from dossiers.mail import services
from dossiers.mail.imap import Mailbox
from dossiers.mail.models import DoneAction, MailAccount, MailLog, MailOutcome, MailSecurity
from dossiers.mail.services import fetch_mail
from dossiers.models import Dossier, DossierStatus
from tests.api.samples import devis_pdf, docx_bytes, facture_pdf
from tests.factories import DossierFactory, InstallerFactory

PDF = "application/pdf"
SENDER = "Service devis <devis@renov-energie.fr>"


class SimulatedCrash(BaseException):
    """A worker killed at that point: no `except Exception` catches it."""


def job_attachments():
    return [("devis.pdf", devis_pdf("D-MAIL-1"), PDF), ("facture.pdf", facture_pdf("F-MAIL-1"), PDF)]


@pytest.mark.django_db
def test_mail_without_reference_makes_a_new_dossier_through_the_bulk_upload(mailbox, installer, installer_account):
    mailbox.deliver(sender=SENDER, subject="Chantier Dupont à Lyon", attachments=job_attachments())

    report = fetch_mail(mailbox.account)

    assert (report.stored, report.not_stored, report.marked, report.errors) == (1, 0, 1, [])
    dossier = Dossier.objects.get(installer=installer)
    assert dossier.beneficiary_name == PLACEHOLDER_BENEFICIARY and dossier.status != DossierStatus.DRAFT
    assert sorted(dossier.documents.values_list("original_filename", flat=True)) == ["devis.pdf", "facture.pdf"]
    assert set(dossier.documents.values_list("uploaded_by", flat=True)) == {installer_account.pk}
    log = MailLog.objects.get()
    assert log.outcome == MailOutcome.STORED and log.dossier == dossier and log.installer == installer
    assert log.sender == "devis@renov-energie.fr" and log.marked_done_at is not None
    assert log.accepted_count == 2 and not log.reply_wanted and outbox.outbox == []
    assert mailbox.subjects("INBOX") == [] and mailbox.subjects("CEE-traites") == ["Chantier Dupont à Lyon"]


@pytest.mark.django_db
def test_mail_naming_a_dossier_adds_its_files_to_that_dossier(mailbox, installer):
    dossier = DossierFactory(installer=installer, reference="CEE-2026-000123", status=DossierStatus.AWAITING_DOCUMENTS)
    mailbox.deliver(sender=SENDER, subject="Re: pièces manquantes cee-2026-000123", attachments=job_attachments()[1:])

    report = fetch_mail(mailbox.account)

    assert report.stored == 1 and Dossier.objects.count() == 1
    assert list(dossier.documents.values_list("original_filename", flat=True)) == ["facture.pdf"]
    log = MailLog.objects.get()
    assert log.outcome == MailOutcome.STORED and log.dossier == dossier
    assert "CEE-2026-000123" in log.detail
    assert mailbox.subjects("CEE-traites") == ["Re: pièces manquantes cee-2026-000123"]


@pytest.mark.django_db
def test_reference_to_another_installers_dossier_is_refused_with_a_french_reply(mailbox):
    theirs = DossierFactory(installer=InstallerFactory(), reference="CEE-2026-000999", status=DossierStatus.AWAITING_DOCUMENTS)
    mailbox.deliver(sender=SENDER, subject="Dossier CEE-2026-000999", attachments=job_attachments())

    fetch_mail(mailbox.account)

    assert not theirs.documents.exists() and Document.objects.count() == 0
    log = MailLog.objects.get()
    assert log.outcome == MailOutcome.DOSSIER_REFUSED and "introuvable" in log.detail
    assert log.reply_sent_at is not None and log.marked_done_at is not None
    [reply] = outbox.outbox
    assert reply.to == ["devis@renov-energie.fr"] and reply.subject.startswith("Re: Dossier CEE-2026-000999")
    assert "CEE-2026-000999 est introuvable" in reply.body and "Bonjour" in reply.body


@pytest.mark.django_db
def test_unknown_sender_is_logged_with_the_reason_and_not_answered(mailbox):
    mailbox.deliver(sender="inconnu@ailleurs.example", subject="Facture", attachments=job_attachments())

    report = fetch_mail(mailbox.account)

    assert (report.stored, report.not_stored, report.marked) == (0, 1, 1)
    assert Dossier.objects.count() == 0 and Document.objects.count() == 0
    log = MailLog.objects.get()
    assert log.outcome == MailOutcome.UNKNOWN_SENDER and "inconnu@ailleurs.example" in log.detail
    assert log.installer is None and not log.reply_wanted and outbox.outbox == []
    assert mailbox.subjects("CEE-traites") == ["Facture"]


@pytest.mark.django_db
def test_mail_without_attachment_is_answered_in_french(mailbox):
    mailbox.deliver(sender=SENDER, subject="Question sur un dossier", body="Où en est mon dossier ?")

    fetch_mail(mailbox.account)

    log = MailLog.objects.get()
    assert log.outcome == MailOutcome.NO_ATTACHMENT and Dossier.objects.count() == 0
    [reply] = outbox.outbox
    assert "aucune pièce jointe" in reply.body and reply.alternatives[0][1] == "text/html"


@pytest.mark.django_db
def test_refused_file_is_reported_with_its_reason_and_the_others_stored(mailbox, installer):
    mailbox.deliver(sender=SENDER, subject="Chantier Martin", attachments=[
        ("devis.pdf", devis_pdf("D-MAIL-2"), PDF),
        ("notes.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ])

    fetch_mail(mailbox.account)

    dossier = Dossier.objects.get(installer=installer)
    assert list(dossier.documents.values_list("original_filename", flat=True)) == ["devis.pdf"]
    log = MailLog.objects.get()
    assert log.outcome == MailOutcome.STORED and log.accepted_count == 1
    refused = [item for item in log.files if not item["accepted"]]
    assert [item["filename"] for item in refused] == ["notes.docx"] and refused[0]["code"] == "unsupported_type"
    [reply] = outbox.outbox
    assert "notes.docx" in reply.body and refused[0]["message"] in reply.body


@pytest.mark.django_db
def test_mail_whose_files_are_all_refused_makes_no_dossier(mailbox):
    mailbox.deliver(sender=SENDER, subject="Word seulement", attachments=[
        ("notes.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ])

    fetch_mail(mailbox.account)

    assert Dossier.objects.count() == 0
    assert MailLog.objects.get().outcome == MailOutcome.FILES_REFUSED and len(outbox.outbox) == 1


@pytest.mark.django_db
def test_crash_between_storing_and_marking_loses_nothing_and_doubles_nothing(mailbox, installer, monkeypatch):
    mailbox.deliver(sender=SENDER, subject="Chantier Durand", attachments=job_attachments())

    def crash(self, uid):
        raise SimulatedCrash("worker killed before the mail was marked")

    with monkeypatch.context() as patched:
        patched.setattr(Mailbox, "mark_done", crash)
        with pytest.raises(SimulatedCrash):
            fetch_mail(mailbox.account)

    # Stored and recorded, not marked: the mail is still in the INBOX.
    assert Dossier.objects.filter(installer=installer).count() == 1 and Document.objects.count() == 2
    log = MailLog.objects.get()
    assert log.outcome == MailOutcome.STORED and log.marked_done_at is None
    assert mailbox.subjects("INBOX") == ["Chantier Durand"]

    report = fetch_mail(mailbox.account)  # the worker comes back

    assert (report.stored, report.marked, report.errors) == (0, 1, [])
    assert Dossier.objects.filter(installer=installer).count() == 1 and Document.objects.count() == 2
    log.refresh_from_db()
    assert log.marked_done_at is not None and MailLog.objects.count() == 1
    assert mailbox.subjects("INBOX") == [] and mailbox.subjects("CEE-traites") == ["Chantier Durand"]
    assert fetch_mail(mailbox.account).as_dict() == {"account": mailbox.account.name, "stored": 0, "not_stored": 0,
                                                     "marked": 0, "errors": []}


@pytest.mark.django_db
def test_crash_while_storing_leaves_nothing_and_the_next_run_stores_once(mailbox, installer, monkeypatch):
    mailbox.deliver(sender=SENDER, subject="Chantier Bernard", attachments=job_attachments())

    def crash(*args, **kwargs):
        raise SimulatedCrash("worker killed after the files were ingested, before the record")

    with monkeypatch.context() as patched:
        patched.setattr(services, "_files_result", crash)
        with pytest.raises(SimulatedCrash):
            fetch_mail(mailbox.account)

    assert Dossier.objects.count() == 0 and Document.objects.count() == 0 and MailLog.objects.count() == 0
    assert mailbox.subjects("INBOX") == ["Chantier Bernard"]

    fetch_mail(mailbox.account)

    assert Dossier.objects.filter(installer=installer).count() == 1 and Document.objects.count() == 2
    assert MailLog.objects.get().marked_done_at is not None


@pytest.mark.django_db
def test_same_mail_delivered_twice_is_stored_once(mailbox, installer):
    for _ in range(2):
        mailbox.deliver(sender=SENDER, subject="Envoi en double", attachments=job_attachments(), message_id="<double@renov-energie.fr>")

    report = fetch_mail(mailbox.account)

    assert (report.stored, report.not_stored, report.marked) == (1, 1, 2)
    assert Dossier.objects.filter(installer=installer).count() == 1 and Document.objects.count() == 2
    assert sorted(MailLog.objects.values_list("outcome", flat=True)) == [MailOutcome.DUPLICATE, MailOutcome.STORED]


@pytest.mark.django_db
def test_flag_mode_leaves_the_mail_in_place_with_a_keyword(mailbox, installer):
    MailAccount.objects.filter(pk=mailbox.account.pk).update(done_action=DoneAction.FLAG)
    mailbox.account.refresh_from_db()
    mailbox.deliver(sender=SENDER, subject="Chantier Petit", attachments=job_attachments())

    assert fetch_mail(mailbox.account).stored == 1
    assert fetch_mail(mailbox.account).stored == 0  # flagged: not read again

    assert Dossier.objects.filter(installer=installer).count() == 1
    assert mailbox.subjects("INBOX") == ["Chantier Petit"]
    assert MailAccount.DONE_KEYWORD in mailbox.keywords("INBOX")[0]


@pytest.mark.django_db
def test_wrong_password_is_reported_on_the_account(mailbox):
    MailAccount.objects.filter(pk=mailbox.account.pk).update(password="faux")
    mailbox.account.refresh_from_db()

    report = fetch_mail(mailbox.account)

    assert report.errors and report.errors[0].startswith("Serveur IMAP")
    mailbox.account.refresh_from_db()
    assert mailbox.account.last_error and mailbox.account.last_checked_at is not None


@pytest.mark.django_db
def test_fetch_mail_command_reads_every_active_mailbox(mailbox, installer):
    mailbox.deliver(sender=SENDER, subject="Par la commande", attachments=job_attachments())
    out = StringIO()

    call_command("fetch_mail", "--json", stdout=out)

    assert json.loads(out.getvalue()) == [{"account": mailbox.account.name, "stored": 1, "not_stored": 0, "marked": 1, "errors": []}]
    assert Dossier.objects.filter(installer=installer).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("security", [MailSecurity.IMAPS, MailSecurity.STARTTLS])
def test_tls_mailbox_is_read_with_its_certificate_verified(mailbox, installer, imap_server, monkeypatch, security):
    monkeypatch.setenv("SSL_CERT_FILE", str(imap_server.certificate))  # trust the test server's own certificate
    port = imap_server.imaps_port if security == MailSecurity.IMAPS else imap_server.port
    MailAccount.objects.filter(pk=mailbox.account.pk).update(security=security, host="localhost", port=port)
    mailbox.account.refresh_from_db()
    mailbox.deliver(sender=SENDER, subject="Par TLS", attachments=job_attachments())

    report = fetch_mail(mailbox.account)

    assert (report.stored, report.marked, report.errors) == (1, 1, [])
    assert Dossier.objects.filter(installer=installer).count() == 1


@pytest.mark.django_db
def test_imaps_server_with_an_untrusted_certificate_is_refused(mailbox, imap_server, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    MailAccount.objects.filter(pk=mailbox.account.pk).update(
        security=MailSecurity.IMAPS, host="localhost", port=imap_server.imaps_port)
    mailbox.account.refresh_from_db()
    mailbox.deliver(sender=SENDER, subject="Certificat douteux", attachments=job_attachments())

    report = fetch_mail(mailbox.account)

    assert report.stored == 0 and "CERTIFICATE_VERIFY_FAILED" in report.errors[0]
    assert Dossier.objects.count() == 0 and mailbox.subjects("INBOX") == ["Certificat douteux"]


@pytest.mark.django_db
def test_admin_action_reads_the_selected_mailbox_now(mailbox, installer, admin_client):
    mailbox.deliver(sender=SENDER, subject="Depuis l'admin", attachments=job_attachments())

    response = admin_client.post("/admin/dossiers/mailaccount/", {
        "action": "fetch_now", "_selected_action": [mailbox.account.pk],
    }, follow=True)

    assert response.status_code == 200
    assert "1 message(s) enregistré(s)" in response.content.decode()
    assert Dossier.objects.filter(installer=installer).count() == 1
