"""Price lists, invoices (gap-free numbering per year) and payments."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class PriceList(models.Model):
    """€ per MWh cumac, per operation and/or installer contract, over a validity period.

    An empty ``operation_code`` applies to every operation; an empty ``installer`` to every
    installer. The most specific list valid at the engagement date wins.
    """

    name = models.CharField("nom", max_length=120)
    operation_code = models.CharField("fiche", max_length=20, blank=True, help_text="Vide = toutes les fiches.")
    installer = models.ForeignKey(
        "accounts.Installer", on_delete=models.PROTECT, null=True, blank=True, related_name="price_lists",
        verbose_name="installateur (contrat)",
    )
    contract_reference = models.CharField("référence contrat", max_length=60, blank=True)
    valid_from = models.DateField("valable du")
    valid_until = models.DateField("valable jusqu'au", null=True, blank=True)
    price_classic = models.DecimalField("prix classique (€/MWhc)", max_digits=8, decimal_places=3)
    price_precarity = models.DecimalField("prix précarité (€/MWhc)", max_digits=8, decimal_places=3)
    share_on_validation_percent = models.DecimalField(
        "part payée à la validation (%)", max_digits=5, decimal_places=2, default=Decimal("70"),
        help_text="Le reste est dû à l'enregistrement EMMY.",
    )
    is_active = models.BooleanField("active", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "grille de prix"
        verbose_name_plural = "grilles de prix"
        ordering = ["-valid_from", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(price_classic__gte=0) & Q(price_precarity__gte=0), name="price_list_prices_not_negative"),
            models.CheckConstraint(
                condition=Q(share_on_validation_percent__gte=0) & Q(share_on_validation_percent__lte=100),
                name="price_list_share_is_percentage",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")), name="price_list_validity_ordered"
            ),
        ]
        indexes = [models.Index(fields=["operation_code", "installer", "valid_from"], name="price_list_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.price_classic} / {self.price_precarity} €/MWhc)"


class InvoiceSequence(models.Model):
    """The last number used per year; locked row by row to keep numbering gap-free."""

    year = models.PositiveSmallIntegerField("année", primary_key=True)
    last_number = models.PositiveIntegerField("dernier numéro", default=0)

    class Meta:
        verbose_name = "séquence de facturation"
        verbose_name_plural = "séquences de facturation"

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Invoice(models.Model):
    class Kind(models.TextChoices):
        INVOICE = "invoice", "Facture"
        CREDIT_NOTE = "credit_note", "Avoir"

    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        ISSUED = "issued", "Émise"
        PARTIALLY_PAID = "partially_paid", "Partiellement payée"
        PAID = "paid", "Payée"
        CANCELLED = "cancelled", "Annulée (avoir)"

    number = models.CharField("numéro", max_length=30, unique=True)
    year = models.PositiveSmallIntegerField("exercice")
    sequence = models.PositiveIntegerField("rang")
    kind = models.CharField("nature", max_length=20, choices=Kind.choices, default=Kind.INVOICE)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="invoices")
    installer = models.ForeignKey("accounts.Installer", on_delete=models.PROTECT, related_name="invoices",
                                  verbose_name="installateur")
    credit_note_for = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_note", verbose_name="avoir de"
    )
    kwh_cumac = models.DecimalField("kWh cumac", max_digits=14, decimal_places=2)
    unit_price = models.DecimalField("prix unitaire (€/MWhc)", max_digits=8, decimal_places=3)
    total_eur = models.DecimalField("total (€)", max_digits=12, decimal_places=2)
    amount_on_validation = models.DecimalField("dû à la validation (€)", max_digits=12, decimal_places=2)
    amount_on_registration = models.DecimalField("dû à l'enregistrement EMMY (€)", max_digits=12, decimal_places=2)
    amount_paid = models.DecimalField("payé (€)", max_digits=12, decimal_places=2, default=Decimal("0"))
    issue_date = models.DateField("date d'émission")
    due_date = models.DateField("échéance")
    status = models.CharField("statut", max_length=20, choices=Status.choices, default=Status.ISSUED)
    pdf = models.FileField("PDF", upload_to="invoices/%Y/", max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="créé par")
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "facture"
        verbose_name_plural = "factures"
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="invoice_sequence_unique_per_year"),
            models.CheckConstraint(
                condition=Q(kind="credit_note") | (Q(total_eur__gte=0) & Q(kwh_cumac__gte=0)),
                name="invoice_amounts_not_negative",
            ),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="invoice_unit_price_not_negative"),
            models.CheckConstraint(condition=Q(due_date__gte=F("issue_date")), name="invoice_due_after_issue"),
            # A dossier is billed once: a new invoice only after the previous one was cancelled.
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(kind="invoice") & ~Q(status="cancelled"),
                name="invoice_one_open_invoice_per_dossier",
            ),
        ]
        indexes = [models.Index(fields=["installer", "status"], name="invoice_installer_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class InvoiceLine(models.Model):
    """One billed operation of the dossier: its weighted cumac, the price applied, the amount.

    ``kwh_cumac`` is the operation's kWh cumac times its bonus coefficient, rounded half-up
    to the hundredth; ``amount_eur`` is ``kwh_cumac / 1000 × unit_price`` rounded half-up to
    the cent (see billing.services). Credit-note lines carry the negated figures.
    """

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name="facture")
    position = models.PositiveSmallIntegerField("ligne", default=1)
    dossier_operation = models.ForeignKey(
        "dossiers.DossierOperation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="opération du dossier",
    )
    operation_code = models.CharField("fiche", max_length=20)
    label = models.CharField("désignation", max_length=255)
    base_kwh_cumac = models.DecimalField("kWh cumac de la fiche", max_digits=14, decimal_places=2)
    coefficient = models.DecimalField("coefficient", max_digits=6, decimal_places=3)
    kwh_cumac = models.DecimalField("kWh cumac bonifiés", max_digits=14, decimal_places=2)
    price_list = models.ForeignKey(PriceList, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="grille de prix")
    unit_price = models.DecimalField("prix (€/MWhc)", max_digits=8, decimal_places=3)
    share_on_validation_percent = models.DecimalField("part à la validation (%)", max_digits=5, decimal_places=2)
    amount_eur = models.DecimalField("montant (€)", max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = "ligne de facture"
        verbose_name_plural = "lignes de facture"
        ordering = ["invoice", "position"]
        constraints = [models.UniqueConstraint(fields=["invoice", "position"], name="invoice_line_position_unique")]

    def __str__(self) -> str:
        return f"{self.invoice.number} · {self.operation_code}"


class Payment(models.Model):
    class Method(models.TextChoices):
        TRANSFER = "transfer", "Virement"
        CHEQUE = "cheque", "Chèque"
        OFFSET = "offset", "Compensation"
        OTHER = "other", "Autre"

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name="facture")
    amount = models.DecimalField("montant (€)", max_digits=12, decimal_places=2)
    date = models.DateField("date")
    method = models.CharField("moyen", max_length=20, choices=Method.choices, default=Method.TRANSFER)
    reference = models.CharField("référence", max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="créé par")
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "paiement"
        verbose_name_plural = "paiements"
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.amount} € le {self.date:%d/%m/%Y} ({self.invoice.number})"
