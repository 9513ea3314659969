"""Mailboxes read for dossier documents, the rules that name the installer of a sender, and the
record of every mail read (what became of it, and whether it is marked done on the server)."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class MailSecurity(models.TextChoices):
    IMAPS = "imaps", "IMAPS (TLS dès la connexion, port 993)"
    STARTTLS = "starttls", "IMAP + STARTTLS (port 143)"
    PLAIN = "imap", "IMAP sans chiffrement (réseau local uniquement)"


class DoneAction(models.TextChoices):
    MOVE = "move", "Déplacer dans un dossier IMAP"
    FLAG = "flag", "Marquer d'un mot-clé IMAP (le message reste en place)"


class MailAccount(models.Model):
    """An IMAP mailbox whose mails carry dossier documents.

    ``password`` is needed in clear to log in; the admin never displays it (write-only field).
    A mail is marked done on the server (moved to ``done_folder`` or given the keyword
    ``DONE_KEYWORD``) only after what it carried is stored and recorded (``MailLog``).
    """

    DONE_KEYWORD = "$CeeTraite"

    name = models.CharField("nom", max_length=100, unique=True)
    security = models.CharField("sécurité", max_length=10, choices=MailSecurity.choices, default=MailSecurity.IMAPS)
    host = models.CharField("serveur IMAP", max_length=255)
    port = models.PositiveIntegerField("port", default=993)
    username = models.CharField("identifiant", max_length=255)
    password = models.CharField("mot de passe", max_length=255, blank=True)
    folder = models.CharField("dossier IMAP lu", max_length=255, default="INBOX")
    done_action = models.CharField(
        "une fois traité", max_length=10, choices=DoneAction.choices, default=DoneAction.MOVE
    )
    done_folder = models.CharField(
        "dossier IMAP des messages traités", max_length=255, default="CEE-traites", blank=True,
        help_text="Créé s'il n'existe pas. Utilisé quand « une fois traité » est « Déplacer ».",
    )
    reply_to_sender = models.BooleanField(
        "répondre à l'expéditeur", default=True,
        help_text="Un installateur connu reçoit en réponse la raison d'un refus (pièce refusée, dossier introuvable…).",
    )
    is_active = models.BooleanField("active", default=True)
    last_checked_at = models.DateTimeField("dernier relevé", null=True, blank=True)
    last_error = models.TextField("dernière erreur", blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "boîte mail"
        verbose_name_plural = "boîtes mail"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.username}@{self.host})"

    def clean(self):
        if self.done_action == DoneAction.MOVE and not self.done_folder.strip():
            raise ValidationError({"done_folder": "Indiquez le dossier IMAP où déplacer les messages traités."})
        if self.done_action == DoneAction.MOVE and self.done_folder.strip() == self.folder.strip():
            raise ValidationError({"done_folder": "Le dossier des messages traités doit différer du dossier lu."})


def normalise_sender(value: str) -> str:
    """``Contact@Renov.FR`` → ``contact@renov.fr``; ``@renov.fr`` → ``renov.fr`` (a whole domain)."""
    value = value.strip().lower()
    return value[1:] if value.startswith("@") else value


class MailRule(models.Model):
    """Mails from ``sender`` (an address, or a whole domain) belong to ``installer``."""

    account = models.ForeignKey(MailAccount, verbose_name="boîte mail", on_delete=models.CASCADE, related_name="rules")
    sender = models.CharField(
        "expéditeur", max_length=254,
        help_text="Une adresse (contact@renov-energie.fr) ou un domaine entier (renov-energie.fr).",
    )
    installer = models.ForeignKey(
        "accounts.Installer", verbose_name="installateur", on_delete=models.CASCADE, related_name="mail_rules"
    )
    is_active = models.BooleanField("active", default=True)

    class Meta:
        verbose_name = "règle d'expéditeur"
        verbose_name_plural = "règles d'expéditeur"
        ordering = ["account", "sender"]
        constraints = [models.UniqueConstraint(fields=["account", "sender"], name="mail_rule_unique_sender")]

    def __str__(self) -> str:
        return f"{self.sender} → {self.installer}"

    def clean(self):
        self.sender = normalise_sender(self.sender)
        local, at, domain = self.sender.rpartition("@")
        domain = domain if at else self.sender
        if (at and not local) or "." not in domain or " " in self.sender:
            raise ValidationError({"sender": "Indiquez une adresse e-mail ou un nom de domaine (ex. renov-energie.fr)."})


class MailOutcome(models.TextChoices):
    STORED = "stored", "Documents enregistrés"
    FILES_REFUSED = "files_refused", "Toutes les pièces jointes refusées"
    NO_ATTACHMENT = "no_attachment", "Aucune pièce jointe"
    UNKNOWN_SENDER = "unknown_sender", "Expéditeur inconnu"
    DOSSIER_REFUSED = "dossier_refused", "Dossier introuvable ou fermé"
    NO_USER = "no_user", "Aucun compte installateur actif"
    DUPLICATE = "duplicate", "Message déjà traité"


class MailLog(models.Model):
    """One mail read from a mailbox: the record that makes fetching idempotent, and the log
    an administrator reads.

    A row exists once the mail's files are stored (same transaction); ``marked_done_at`` is
    set once the server has marked it done. A row without it is a mail to mark again on the
    next run, never to store again. ``(account, folder, uid_validity, uid)`` is unique; the
    Message-ID catches the same mail delivered again under another UID.
    """

    account = models.ForeignKey(MailAccount, verbose_name="boîte mail", on_delete=models.CASCADE, related_name="logs")
    folder = models.CharField("dossier IMAP", max_length=255)
    uid_validity = models.BigIntegerField("UIDVALIDITY")
    uid = models.BigIntegerField("UID")
    message_id = models.CharField("Message-ID", max_length=998, blank=True)
    sender = models.CharField("expéditeur", max_length=254, blank=True)
    subject = models.CharField("objet", max_length=500, blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    outcome = models.CharField("résultat", max_length=20, choices=MailOutcome.choices)
    detail = models.TextField("détail", blank=True)
    installer = models.ForeignKey(
        "accounts.Installer", verbose_name="installateur", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name="dossier", on_delete=models.SET_NULL, null=True, blank=True, related_name="mail_logs"
    )
    files = models.JSONField(
        "pièces jointes", default=list, blank=True,
        help_text="Par pièce jointe : nom, acceptée ou non, code et message du refus, document créé.",
    )
    reply_wanted = models.BooleanField("réponse à envoyer", default=False)
    reply_sent_at = models.DateTimeField("réponse envoyée le", null=True, blank=True)
    marked_done_at = models.DateTimeField("marqué traité le", null=True, blank=True)
    created_at = models.DateTimeField("reçu le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "e-mail reçu"
        verbose_name_plural = "journal des e-mails reçus"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "folder", "uid_validity", "uid"], name="mail_log_unique_uid"),
        ]
        indexes = [
            models.Index(fields=["account", "message_id"], name="mail_log_message_id_idx", condition=~Q(message_id="")),
        ]

    def __str__(self) -> str:
        return f"{self.sender} — {self.subject or '(sans objet)'}"

    @property
    def accepted_count(self) -> int:
        return sum(1 for item in self.files if item.get("accepted"))
