"""Users, roles, installer companies, API tokens and the activity log."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .validators import normalise_identifier, validate_siren, validate_siret


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrateur"
    VALIDATOR = "validator", "Validateur"
    INSTALLER = "installer", "Installateur"


class RgeStatus(models.TextChoices):
    VALID = "valid", "Valide"
    EXPIRED = "expired", "Expiré"
    SUSPENDED = "suspended", "Suspendu"
    UNKNOWN = "unknown", "Inconnu"


class Installer(models.Model):
    """An installer company (the platform's customer)."""

    name = models.CharField("raison sociale", max_length=200)
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    siren = models.CharField("SIREN", max_length=9, blank=True, validators=[validate_siren])
    address = models.CharField("adresse", max_length=255, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("ville", max_length=120, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    contact_name = models.CharField("contact", max_length=150, blank=True)
    rge_number = models.CharField("n° RGE", max_length=50, blank=True)
    rge_valid_from = models.DateField("RGE valide du", null=True, blank=True)
    rge_valid_until = models.DateField("RGE valide jusqu'au", null=True, blank=True)
    rge_status = models.CharField("statut RGE", max_length=20, choices=RgeStatus.choices, default=RgeStatus.UNKNOWN)
    qualifications = models.JSONField(
        "qualifications RGE", default=list, blank=True,
        help_text="Domaines couverts, par ex. [\"pompe_a_chaleur\", \"isolation_combles\"].",
    )
    contract_reference = models.CharField("référence contrat", max_length=60, blank=True)
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "installateur"
        verbose_name_plural = "installateurs"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(siret__regex=r"^[0-9]{14}$"), name="installer_siret_14_digits"),
            models.CheckConstraint(
                condition=Q(rge_valid_until__isnull=True) | Q(rge_valid_from__isnull=True) | Q(rge_valid_until__gte=models.F("rge_valid_from")),
                name="installer_rge_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.siret})"

    def email_addresses(self) -> list[str]:
        """Where the platform's e-mails to the company go: its active installer accounts (oldest
        first), then its contact address, each address once (case ignored)."""
        addresses = list(
            self.users.filter(role=Role.INSTALLER, is_active=True).exclude(email="")
            .order_by("pk").values_list("email", flat=True)
        )
        if self.email:
            addresses.append(self.email)
        seen: set[str] = set()
        return [a for a in addresses if not (a.lower() in seen or seen.add(a.lower()))]

    def clean(self):
        self.siret = normalise_identifier(self.siret)
        if self.siret and not self.siren:
            self.siren = self.siret[:9]

    def save(self, *args, **kwargs):
        self.siret = normalise_identifier(self.siret)
        if self.siret and not self.siren:
            self.siren = self.siret[:9]
        super().save(*args, **kwargs)

    def rge_valid_at(self, day) -> bool:
        if not self.rge_number or self.rge_status == RgeStatus.SUSPENDED:
            return False
        if self.rge_valid_from and day < self.rge_valid_from:
            return False
        return not (self.rge_valid_until and day > self.rge_valid_until)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("Une adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.ADMINISTRATOR)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    """A person: email login, one role, and for installers exactly one company."""

    email = models.EmailField("e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    role = models.CharField("rôle", max_length=20, choices=Role.choices, default=Role.INSTALLER, db_index=True)
    installer = models.ForeignKey(
        Installer, verbose_name="installateur", on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    phone = models.CharField("téléphone", max_length=30, blank=True)
    is_staff = models.BooleanField("accès à l'administration", default=False)
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["email"]
        constraints = [
            # An installer user belongs to exactly one installer company; staff to none.
            models.CheckConstraint(
                condition=(Q(role=Role.INSTALLER) & Q(installer__isnull=False))
                | (~Q(role=Role.INSTALLER) & Q(installer__isnull=True)),
                name="user_installer_iff_installer_role",
            ),
        ]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} <{self.email}>" if full else self.email

    def clean(self):
        super().clean()
        self.email = (self.email or "").strip().lower()
        # The same rule as the user_installer_iff_installer_role constraint, with a clear message.
        if self.role == Role.INSTALLER and self.installer_id is None:
            raise ValidationError(
                {"installer": "Un utilisateur installateur doit être rattaché à une entreprise d'installation."},
                code="installer_required",
            )
        if self.role != Role.INSTALLER and self.installer_id is not None:
            raise ValidationError(
                {"installer": "Un administrateur ou un validateur ne peut pas être rattaché à une entreprise d'installation."},
                code="installer_forbidden",
            )

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR

    @property
    def is_validator(self) -> bool:
        return self.role == Role.VALIDATOR

    @property
    def is_installer(self) -> bool:
        return self.role == Role.INSTALLER


class ApiToken(models.Model):
    """An API token. Only a SHA-256 hash of the key is stored; the prefix is shown."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="utilisateur")
    name = models.CharField("nom", max_length=100)
    prefix = models.CharField("préfixe", max_length=12, db_index=True)
    key_hash = models.CharField("empreinte de la clé", max_length=64, unique=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyKey(models.Model):
    """An ``Idempotency-Key`` sent with an API POST, and the first response it got.

    Keys are scoped per user. ``request_hash`` fingerprints the method, the path and the
    body (uploaded files by content), so the same key with another request is refused.
    A row with ``response_status`` null is a request still in progress. Rows older than
    ``cee.api.idempotency.KEY_LIFETIME`` are treated as absent and purged.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="idempotency_keys", verbose_name="utilisateur")
    key = models.CharField("clé", max_length=255)
    request_hash = models.CharField("empreinte de la requête", max_length=64)
    method = models.CharField("méthode", max_length=10)
    path = models.CharField("chemin", max_length=500)
    response_status = models.PositiveSmallIntegerField("statut de la réponse", null=True, blank=True)
    response_body = models.JSONField("corps de la réponse", null=True, blank=True)
    response_headers = models.JSONField("en-têtes de la réponse", default=dict, blank=True)
    created_at = models.DateTimeField("reçue le", auto_now_add=True)
    completed_at = models.DateTimeField("terminée le", null=True, blank=True)

    class Meta:
        verbose_name = "clé d'idempotence"
        verbose_name_plural = "clés d'idempotence"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")]
        indexes = [models.Index(fields=["user", "created_at"], name="idempotency_key_age_idx")]

    def __str__(self) -> str:
        return f"{self.key} ({self.user_id}, {self.method} {self.path})"

    @property
    def is_complete(self) -> bool:
        return self.response_status is not None


class RgeChangeStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    APPROVED = "approved", "Approuvée"
    REJECTED = "rejected", "Refusée"
    SUPERSEDED = "superseded", "Remplacée"


class RgeChangeRequest(models.Model):
    """An installer's request to change its RGE data, applied only once staff approve it.

    It holds the whole proposed RGE block (number, validity, qualifications) as it would be
    after the change; ``changed_fields`` names what the installer changed. A newer request
    replaces a pending one (``superseded``); until approval the installer's data, and so the
    rule checks, stay as they were.
    """

    installer = models.ForeignKey(
        Installer, verbose_name="installateur", on_delete=models.CASCADE, related_name="rge_change_requests"
    )
    requested_by = models.ForeignKey(
        User, verbose_name="demandée par", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rge_number = models.CharField("n° RGE demandé", max_length=50, blank=True)
    rge_valid_from = models.DateField("valide du (demandé)", null=True, blank=True)
    rge_valid_until = models.DateField("valide jusqu'au (demandé)", null=True, blank=True)
    qualifications = models.JSONField("qualifications demandées", default=list, blank=True)
    changed_fields = models.JSONField("champs modifiés", default=list, blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=RgeChangeStatus.choices, default=RgeChangeStatus.PENDING, db_index=True
    )
    created_at = models.DateTimeField("demandée le", auto_now_add=True)
    decided_by = models.ForeignKey(
        User, verbose_name="décidée par", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decision_note = models.TextField("motif de la décision", blank=True)

    class Meta:
        verbose_name = "demande de modification RGE"
        verbose_name_plural = "demandes de modification RGE"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["installer"], condition=Q(status="pending"), name="rge_change_one_pending_per_installer"
            ),
            models.CheckConstraint(
                condition=Q(rge_valid_until__isnull=True) | Q(rge_valid_from__isnull=True) | Q(rge_valid_until__gte=models.F("rge_valid_from")),
                name="rge_change_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"RGE {self.rge_number or '—'} pour {self.installer.name} ({self.get_status_display()})"


class ActivityVerb(models.TextChoices):
    """The actions the activity log records, named in French wherever they are shown (the
    admin's activity log, the review screen's history). A new ``log_activity`` verb is added
    here (tests/foundation/test_french_ui.py checks it)."""

    STATUS_CHANGED = "status_changed", "Changement de statut"
    ASSIGNED = "assigned", "Assignation"
    REVIEW_RELEASED = "review_released", "Revue libérée"
    PRIORITY_CHANGED = "priority_changed", "Priorité modifiée"
    DOSSIER_CREATED = "dossier_created", "Dossier créé"
    DOSSIER_UPDATED = "dossier_updated", "Dossier modifié"
    DOSSIER_REPROCESSED = "dossier_reprocessed", "Dossier retraité"
    DOCUMENT_UPLOADED = "document_uploaded", "Document déposé"
    DOCUMENT_FAILED = "document_failed", "Document en échec"
    DOCUMENT_REPROCESSED = "document_reprocessed", "Document retraité"
    PIPELINE_FAILED = "pipeline_failed", "Traitement en échec"
    OPERATIONS_UNMATCHED = "operations_unmatched", "Fiche non reconnue"
    BENEFICIARY_FILLED = "beneficiary_filled", "Bénéficiaire complété"
    BULK_UPLOAD = "bulk_upload", "Dépôt groupé"
    FRAUD_SIGNAL = "fraud_signal", "Signal de fraude"
    MISSING_DOCUMENTS_NOTIFIED = "missing_documents_notified", "Documents réclamés"
    REJECTION_NOTIFIED = "rejection_notified", "Refus notifié"
    EMAIL_FAILED = "email_failed", "E-mail en échec"
    RULE_OVERRIDDEN = "rule.overridden", "Dérogation à une règle"
    RULE_OVERRIDE_DROPPED = "rule.override_dropped", "Dérogation levée"
    RULE_OVERRIDE_CANCELLED = "rule.override_cancelled", "Dérogation annulée"
    INVOICE_CREATED = "invoice_created", "Facture émise"
    INVOICE_CANCELLED = "invoice_cancelled", "Facture annulée"
    AUTO_INVOICE_REFUSED = "auto_invoice_refused", "Facturation automatique refusée"
    PAYMENT_RECORDED = "payment_recorded", "Paiement enregistré"
    EXPORT = "export", "Export"
    TRAINING_EXPORT = "training_export", "Export des retours d'apprentissage"
    INSTALLER_CREATED = "installer_created", "Installateur créé"
    INSTALLER_PROFILE_UPDATED = "installer_profile_updated", "Profil de l'installateur modifié"
    RGE_CHANGE_REQUESTED = "rge_change_requested", "Modification RGE demandée"
    RGE_CHANGE_APPROVED = "rge_change_approved", "Modification RGE approuvée"
    RGE_CHANGE_REJECTED = "rge_change_rejected", "Modification RGE refusée"
    RGE_LIST_IMPORTED = "rge_list_imported", "RGE mis à jour depuis la liste publique"
    USER_CREATED = "user_created", "Compte créé"
    API_TOKEN_CREATED = "api_token_created", "Jeton d'API créé"
    API_TOKEN_REVOKED = "api_token_revoked", "Jeton d'API révoqué"
    WEBHOOK_CREATED = "webhook_created", "Webhook créé"
    WEBHOOK_DELETED = "webhook_deleted", "Webhook supprimé"
    WEBHOOK_DISABLED = "webhook_disabled", "Webhook désactivé"
    WEBHOOK_REACTIVATED = "webhook_reactivated", "Webhook réactivé"


class Activity(models.Model):
    """Who did what to which object, when, and from where."""

    # actor, dossier and content_type are indexed by the composite indexes of Meta (leading columns).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities",
                              db_index=False, verbose_name="auteur")
    verb = models.CharField("action", max_length=60, db_index=True, choices=ActivityVerb.choices)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, null=True, blank=True, related_name="activities", db_index=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, db_index=False, verbose_name="type d'objet")
    object_id = models.CharField("identifiant de l'objet", max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    description = models.TextField(blank=True)
    metadata = models.JSONField("métadonnées", default=dict, blank=True)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=300, blank=True)
    created_at = models.DateTimeField("date", auto_now_add=True, db_index=True)

    class Meta:
        # The table keeps the name it had when the log lived in dossiers (moved without copying rows).
        db_table = "dossiers_activity"
        verbose_name = "activité"
        verbose_name_plural = "journal d'activité"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["dossier", "-created_at"], name="activity_dossier_idx"),
            models.Index(fields=["content_type", "object_id"], name="activity_target_idx"),
            models.Index(fields=["actor", "-created_at"], name="activity_actor_idx"),
        ]

    def __str__(self) -> str:
        who = self.actor.email if self.actor_id else "système"
        return f"{self.created_at:%d/%m/%Y %H:%M} {who} {self.get_verb_display()}"
