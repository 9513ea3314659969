"""Validation rules and their results; reference data for the cumac calculator."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class RuleManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Rule(models.Model):
    """A check written in the rule language (see rules.dsl), versioned."""

    class Scope(models.TextChoices):
        DOCUMENT = "document", "Document"
        CROSS_DOCUMENT = "cross_document", "Entre documents"
        DOSSIER = "dossier", "Dossier"

    class Severity(models.TextChoices):
        ERROR = "error", "Bloquante"
        WARNING = "warning", "Avertissement"
        INFO = "info", "Information"

    code = models.SlugField("code", max_length=60, unique=True)
    name = models.CharField("nom", max_length=200)
    description = models.TextField("description", blank=True)
    scope = models.CharField("portée", max_length=20, choices=Scope.choices, default=Scope.DOSSIER)
    operation_codes = models.JSONField(
        "fiches concernées", default=list, blank=True, help_text='Vide = toutes. Ex. ["BAR-EN-101", "BAR-EN-102"].'
    )
    document_type = models.ForeignKey(
        "documents.DocumentType", on_delete=models.PROTECT, null=True, blank=True, related_name="rules",
        verbose_name="type de document", help_text="La règle ne s'exécute que si ce document est présent.",
    )
    severity = models.CharField("gravité", max_length=10, choices=Severity.choices, default=Severity.ERROR)
    expression = models.TextField("expression")
    error_message = models.CharField(
        "message d'échec", max_length=500, help_text="Peut citer les valeurs lues : {facture.date_facture}."
    )
    overridable = models.BooleanField("dérogeable", default=True)
    is_active = models.BooleanField("active", default=True)
    version = models.PositiveIntegerField("version", default=1)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    objects = RuleManager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "règle"
        verbose_name_plural = "règles"
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(version__gte=1), name="rule_version_positive")]

    def __str__(self) -> str:
        return f"{self.code} — {self.name} (v{self.version})"

    def natural_key(self):
        return (self.code,)


class RuleResult(models.Model):
    """The outcome of one rule on one dossier (optionally one of its operations)."""

    class Status(models.TextChoices):
        PASSED = "passed", "Conforme"
        WARNING = "warning", "Avertissement"
        FAILED = "failed", "Non conforme"
        NOT_EVALUABLE = "not_evaluable", "Non évaluable"
        ERROR = "error", "Erreur"

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="rule_results")
    dossier_operation = models.ForeignKey(
        "dossiers.DossierOperation", on_delete=models.CASCADE, null=True, blank=True, related_name="rule_results",
        verbose_name="opération du dossier",
    )
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="results", verbose_name="règle")
    rule_version = models.PositiveIntegerField("version de la règle")
    status = models.CharField("résultat", max_length=20, choices=Status.choices)
    message = models.TextField("message", blank=True)
    fields_involved = models.JSONField("champs lus", default=list, blank=True)
    values = models.JSONField("valeurs lues", default=dict, blank=True)
    evaluated_at = models.DateTimeField("évaluée le", auto_now=True)
    overridden = models.BooleanField("dérogation", default=False)
    override_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="dérogation par")
    override_at = models.DateTimeField("dérogation le", null=True, blank=True)
    override_reason = models.TextField("motif de la dérogation", blank=True)
    override_values = models.JSONField("valeurs au moment de la dérogation", default=dict, blank=True)

    class Meta:
        verbose_name = "résultat de règle"
        verbose_name_plural = "résultats de règles"
        ordering = ["dossier", "rule__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(overridden=False) | ~Q(override_reason=""), name="rule_result_override_needs_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["dossier", "status"], name="rule_result_dossier_idx"),
            models.Index(fields=["rule", "status"], name="rule_result_rule_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.rule.code} · {self.dossier.reference}: {self.get_status_display()}"


class ClimateZone(models.Model):
    """The climate zone (H1/H2/H3) of a département (2A/2B for Corsica, 971… overseas)."""

    departement = models.CharField("département", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=80, blank=True)
    zone = models.CharField("zone", max_length=2, choices=[("H1", "H1"), ("H2", "H2"), ("H3", "H3")])

    history = HistoricalRecords()

    class Meta:
        verbose_name = "zone climatique"
        verbose_name_plural = "zones climatiques"
        ordering = ["departement"]

    def __str__(self) -> str:
        return f"{self.departement} → {self.zone}"


class PrecarityCeilingManager(models.Manager):
    def get_by_natural_key(self, year, region, category, persons):
        return self.get(year=year, region=region, category=category, persons=persons)


class PrecarityCeiling(models.Model):
    """Yearly income ceilings (revenu fiscal de référence) for the precarity categories.

    One row per year, region, category and household size (1 to 5 persons); beyond 5, the
    ceiling of 5 plus ``extra_per_person_eur`` per extra person. A year whose figures are not
    published is left out (or ``confirmed=False``): see rules.precarity.
    """

    class Region(models.TextChoices):
        ILE_DE_FRANCE = "idf", "Île-de-France"
        OTHER = "other", "Autres régions"

    class Category(models.TextChoices):
        TRES_MODESTE = "tres_modeste", "Très modeste"
        MODESTE = "modeste", "Modeste"

    year = models.PositiveSmallIntegerField("année")
    region = models.CharField("région", max_length=10, choices=Region.choices)
    category = models.CharField("catégorie", max_length=20, choices=Category.choices)
    persons = models.PositiveSmallIntegerField("personnes du foyer")
    ceiling_eur = models.PositiveIntegerField("plafond (€)")
    extra_per_person_eur = models.PositiveIntegerField("par personne supplémentaire (€)", default=0)
    confirmed = models.BooleanField("confirmé", default=True)

    objects = PrecarityCeilingManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "plafond de ressources"
        verbose_name_plural = "plafonds de ressources"
        ordering = ["-year", "region", "category", "persons"]
        constraints = [
            models.UniqueConstraint(fields=["year", "region", "category", "persons"], name="precarity_ceiling_unique"),
            models.CheckConstraint(condition=Q(persons__gte=1) & Q(persons__lte=5), name="precarity_ceiling_persons_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_region_display()} {self.get_category_display()} {self.persons} pers. : {self.ceiling_eur} €"

    def natural_key(self):
        return (self.year, self.region, self.category, self.persons)
