"""Operations (CEE fiches), dossiers, their operations, timeline and activity log."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class Sector(models.TextChoices):
    BAR = "BAR", "Résidentiel (BAR)"
    BAT = "BAT", "Tertiaire (BAT)"
    IND = "IND", "Industrie (IND)"
    AGRI = "AGRI", "Agriculture (AGRI)"
    RES = "RES", "Réseaux (RES)"
    TRA = "TRA", "Transport (TRA)"


class OperationManager(models.Manager):
    def get_by_natural_key(self, code, version):
        return self.get(code=code, version=version)


class Operation(models.Model):
    """One version of a standardised CEE operation (a "fiche", e.g. BAR-TH-171 A64-6).

    The version in force at the engagement date applies; ``cumac_parameters`` holds the
    fiche's tables (amounts per zone, housing type, class, surface factors) as data.
    """

    code = models.CharField("code fiche", max_length=20, db_index=True)
    name = models.CharField("intitulé", max_length=255)
    sector = models.CharField("secteur", max_length=4, choices=Sector.choices)
    category = models.CharField("famille", max_length=10, help_text="EN, TH, EQ, SE, UT…")
    version = models.CharField("version", max_length=20)
    valid_from = models.DateField("en vigueur du")
    valid_until = models.DateField("en vigueur jusqu'au", null=True, blank=True)
    is_active = models.BooleanField("active", default=True, help_text="Décochée pour une fiche abrogée.")
    coup_de_pouce = models.BooleanField("coup de pouce", default=False)
    description = models.TextField("description", blank=True)
    cumac_parameters = models.JSONField(
        "paramètres cumac", default=dict, blank=True,
        help_text="Tables de la fiche : montants par zone, type de logement, classe, facteurs de surface.",
    )
    required_document_types = models.ManyToManyField(
        "documents.DocumentType", through="OperationDocumentRequirement", related_name="operations", blank=True,
        verbose_name="documents exigés",
    )

    objects = OperationManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "opération (fiche CEE)"
        verbose_name_plural = "opérations (fiches CEE)"
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="operation_code_version_unique"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="operation_validity_ordered",
            ),
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{2,4}-[A-Z]{2}-[0-9]{3}$"), name="operation_code_format"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name} ({self.version})"

    def natural_key(self):
        return (self.code, self.version)

    def in_force_at(self, day) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class OperationDocumentRequirementManager(models.Manager):
    def get_by_natural_key(self, code, version, document_type_code):
        return self.get(operation__code=code, operation__version=version, document_type__code=document_type_code)


class OperationDocumentRequirement(models.Model):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="document_requirements", verbose_name="opération")
    document_type = models.ForeignKey("documents.DocumentType", on_delete=models.PROTECT, related_name="requirements",
                                      verbose_name="type de document")
    required = models.BooleanField("obligatoire", default=True)
    note = models.CharField("précision", max_length=255, blank=True)

    objects = OperationDocumentRequirementManager()

    class Meta:
        verbose_name = "document exigé"
        verbose_name_plural = "documents exigés"
        constraints = [
            models.UniqueConstraint(fields=["operation", "document_type"], name="requirement_unique_per_operation"),
        ]

    def __str__(self) -> str:
        return f"{self.operation.code} : {self.document_type} ({'obligatoire' if self.required else 'facultatif'})"

    def natural_key(self):
        return (self.operation.code, self.operation.version, self.document_type.code)

    natural_key.dependencies = ["dossiers.operation", "documents.documenttype"]


class DossierStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Soumis"
    PROCESSING = "processing", "En traitement"
    AWAITING_DOCUMENTS = "awaiting_documents", "Documents manquants"
    READY_FOR_REVIEW = "ready_for_review", "Prêt pour revue"
    IN_REVIEW = "in_review", "En revue"
    APPROVED = "approved", "Validé"
    REJECTED = "rejected", "Refusé"
    INVOICED = "invoiced", "Facturé"
    PAID = "paid", "Payé"


# Decided (approved, rejected) or billed: a closed dossier takes no more documents and is
# not processed again.
CLOSED_STATUSES = frozenset({DossierStatus.APPROVED, DossierStatus.REJECTED, DossierStatus.INVOICED, DossierStatus.PAID})


class PrecarityStatus(models.TextChoices):
    NONE = "none", "Classique"
    MODESTE = "modeste", "Modeste"
    TRES_MODESTE = "tres_modeste", "Très modeste"


class HousingType(models.TextChoices):
    MAISON = "maison", "Maison individuelle"
    APPARTEMENT = "appartement", "Appartement"


class Dossier(models.Model):
    """One beneficiary, one works site, one or more operations, and their documents."""

    reference = models.CharField("référence", max_length=30, unique=True)
    installer = models.ForeignKey(  # indexed by dossier_installer_*_idx (leading column)
        "accounts.Installer", verbose_name="installateur", on_delete=models.PROTECT, related_name="dossiers", db_index=False
    )
    beneficiary_name = models.CharField("bénéficiaire", max_length=200)
    beneficiary_address = models.CharField("adresse", max_length=255, blank=True)
    beneficiary_postal_code = models.CharField("code postal", max_length=5, blank=True)
    beneficiary_city = models.CharField("ville", max_length=120, blank=True)
    beneficiary_email = models.EmailField("e-mail du bénéficiaire", blank=True)
    beneficiary_phone = models.CharField("téléphone du bénéficiaire", max_length=30, blank=True)
    works_address = models.CharField("adresse des travaux", max_length=255, blank=True)
    works_postal_code = models.CharField("code postal des travaux", max_length=5, blank=True)
    works_city = models.CharField("ville des travaux", max_length=120, blank=True)
    housing_type = models.CharField("type de logement", max_length=20, choices=HousingType.choices, default=HousingType.MAISON)
    living_area_m2 = models.DecimalField("surface habitable (m²)", max_digits=8, decimal_places=2, null=True, blank=True)
    precarity_status = models.CharField("précarité", max_length=20, choices=PrecarityStatus.choices, default=PrecarityStatus.NONE)
    status = models.CharField("statut", max_length=30, choices=DossierStatus.choices, default=DossierStatus.DRAFT)
    priority = models.PositiveSmallIntegerField("priorité", default=50, help_text="0 à 100, plus haut = plus urgent.")
    assigned_to = models.ForeignKey(  # indexed by dossier_assigned_idx (leading column)
        settings.AUTH_USER_MODEL, verbose_name="validateur assigné", on_delete=models.SET_NULL,
        null=True, blank=True, related_name="assigned_dossiers", db_index=False,
    )
    confidence_score = models.DecimalField("confiance", max_digits=4, decimal_places=3, null=True, blank=True)
    total_kwh_cumac = models.DecimalField("total kWh cumac", max_digits=14, decimal_places=2, default=Decimal("0"))
    premium_eur = models.DecimalField("prime (€)", max_digits=12, decimal_places=2, default=Decimal("0"))
    failed_rule_count = models.PositiveIntegerField("règles en échec", default=0)
    fraud_signals = models.JSONField("signaux de fraude", default=list, blank=True)
    has_fraud_signal = models.BooleanField("signal de fraude", default=False)
    missing_documents = models.JSONField("documents manquants", default=list, blank=True)
    decision_reason = models.TextField("motif de décision", blank=True)
    submitted_at = models.DateTimeField("soumis le", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="soumis par"
    )
    validated_at = models.DateTimeField("décidé le", null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="décidé par"
    )
    processing_seconds = models.PositiveIntegerField("durée de traitement (s)", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="créé par"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "dossier"
        verbose_name_plural = "dossiers"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence_score__isnull=True) | (Q(confidence_score__gte=0) & Q(confidence_score__lte=1)),
                name="dossier_confidence_between_0_and_1",
            ),
            models.CheckConstraint(condition=Q(total_kwh_cumac__gte=0), name="dossier_cumac_not_negative"),
            models.CheckConstraint(condition=Q(premium_eur__gte=0), name="dossier_premium_not_negative"),
            models.CheckConstraint(condition=Q(priority__lte=100), name="dossier_priority_at_most_100"),
            models.CheckConstraint(
                condition=Q(status__in=[c for c, _ in DossierStatus.choices]), name="dossier_status_known"
            ),
        ]
        indexes = [
            # The review queue: status filter, ordered by priority then age.
            models.Index(fields=["status", "-priority", "submitted_at"], name="dossier_queue_idx"),
            # The review queue's default view (ready for review + in review) read in its order,
            # so its first page is an index walk, not a sort of every queued dossier.
            models.Index(
                fields=["-priority", "submitted_at", "id"], name="dossier_review_queue_idx",
                condition=Q(status__in=["ready_for_review", "in_review"]),
            ),
            models.Index(fields=["installer", "status", "-created_at"], name="dossier_installer_idx"),
            # An installer's dossiers newest first (portal and API lists without a status filter).
            models.Index(fields=["installer", "-created_at"], name="dossier_installer_recent_idx"),
            # The same by submission date (API ?ordering=-submitted_at or submitted_at, read
            # backwards), with the id that breaks ties: a page is an index walk, not a sort.
            models.Index(fields=["installer", "-submitted_at", "-id"], name="dossier_installer_submit_idx"),
            models.Index(fields=["assigned_to", "status"], name="dossier_assigned_idx"),
            models.Index(fields=["confidence_score"], name="dossier_confidence_idx"),
            models.Index(fields=["beneficiary_name"], name="dossier_beneficiary_idx"),
            models.Index(fields=["submitted_at"], name="dossier_submitted_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.beneficiary_name}"

    @property
    def works_postal_code_or_beneficiary(self) -> str:
        return self.works_postal_code or self.beneficiary_postal_code


class DossierReferenceSequence(models.Model):
    """The last dossier number used per year (``CEE-2026-000123``).

    Its row is locked while a dossier is created, so two concurrent creations never
    draw the same number; gaps (a rolled-back creation) are harmless for dossiers.
    """

    year = models.PositiveSmallIntegerField("année", primary_key=True)
    last_number = models.PositiveIntegerField("dernier numéro", default=0)

    class Meta:
        verbose_name = "séquence des références de dossier"
        verbose_name_plural = "séquences des références de dossier"

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class DossierOperation(models.Model):
    """One operation claimed in a dossier, with its own status, cumac and confidence."""

    class Status(models.TextChoices):
        DETECTED = "detected", "Détectée"
        DECLARED = "declared", "Déclarée"
        VALID = "valid", "Conforme"
        INVALID = "invalid", "Non conforme"

    # Indexed by the (dossier, operation) unique constraint.
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="operations", db_index=False)
    operation = models.ForeignKey(Operation, on_delete=models.PROTECT, related_name="dossier_operations", verbose_name="opération")
    status = models.CharField("statut", max_length=20, choices=Status.choices, default=Status.DECLARED)
    parameters = models.JSONField("paramètres techniques", default=dict, blank=True, help_text="surface, etas, résistance…")
    kwh_cumac = models.DecimalField("kWh cumac", max_digits=14, decimal_places=2, default=Decimal("0"))
    coefficient = models.DecimalField("coefficient bonification", max_digits=6, decimal_places=3, default=Decimal("1"))
    premium_eur = models.DecimalField("prime (€)", max_digits=12, decimal_places=2, default=Decimal("0"))
    confidence = models.DecimalField("confiance", max_digits=4, decimal_places=3, null=True, blank=True)
    detected_from = models.JSONField("détectée dans", default=list, blank=True)

    class Meta:
        verbose_name = "opération du dossier"
        verbose_name_plural = "opérations du dossier"
        constraints = [
            models.UniqueConstraint(fields=["dossier", "operation"], name="dossier_operation_unique"),
            models.CheckConstraint(condition=Q(kwh_cumac__gte=0), name="dossier_operation_cumac_not_negative"),
            models.CheckConstraint(condition=Q(premium_eur__gte=0), name="dossier_operation_premium_not_negative"),
            models.CheckConstraint(condition=Q(coefficient__gt=0), name="dossier_operation_coefficient_positive"),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | (Q(confidence__gte=0) & Q(confidence__lte=1)),
                name="dossier_operation_confidence_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier.reference} · {self.operation.code}"


class Timeline(models.Model):
    """The dates of a dossier's works, as declared or extracted."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="timeline")
    date_devis = models.DateField("date du devis", null=True, blank=True)
    date_signature = models.DateField("date d'engagement (signature)", null=True, blank=True)
    date_debut_travaux = models.DateField("début des travaux", null=True, blank=True)
    date_fin_travaux = models.DateField("fin des travaux", null=True, blank=True)
    date_facture = models.DateField("date de facture", null=True, blank=True)

    class Meta:
        verbose_name = "calendrier"
        verbose_name_plural = "calendriers"
        constraints = [
            models.CheckConstraint(
                condition=Q(date_debut_travaux__isnull=True) | Q(date_fin_travaux__isnull=True)
                | Q(date_fin_travaux__gte=F("date_debut_travaux")),
                name="timeline_works_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Calendrier {self.dossier.reference}"


class RejectionReasonManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class RejectionReason(models.Model):
    """A configurable reason a validator picks when rejecting a dossier."""

    code = models.SlugField(max_length=50, unique=True)
    label = models.CharField("libellé", max_length=200)
    is_active = models.BooleanField("actif", default=True)
    display_order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = RejectionReasonManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "motif de refus"
        verbose_name_plural = "motifs de refus"
        ordering = ["display_order", "label"]

    def __str__(self) -> str:
        return self.label

    def natural_key(self):
        return (self.code,)


class ReferenceDataRow(models.Model):
    """What ``load_reference_data`` last wrote for one row of a reference fixture.

    ``digest`` is the SHA-256 of the row's fixture fields as read back from the database
    right after loading. When the row still reads the same at the next load, nobody edited
    it since and a newer fixture version may replace it; when it differs, an administrator
    changed it in the admin and the load keeps their version (unless ``--force``).
    """

    model_label = models.CharField("modèle", max_length=100)
    key = models.CharField("clé", max_length=300, help_text="Clé naturelle ou identifiant, en JSON.")
    digest = models.CharField("empreinte", max_length=64)
    loaded_at = models.DateTimeField("chargée le", auto_now=True)

    class Meta:
        verbose_name = "ligne de données de référence"
        verbose_name_plural = "lignes de données de référence"
        constraints = [models.UniqueConstraint(fields=["model_label", "key"], name="reference_row_unique")]

    def __str__(self) -> str:
        return f"{self.model_label} {self.key}"


from .mail.models import MailAccount, MailLog, MailRule  # noqa: E402,F401 - models of the app (mail ingestion)
from .routine.models import RoutineNotice  # noqa: E402,F401 - models of the app (routine jobs)


from .webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent  # noqa: E402,F401 - models of the app
