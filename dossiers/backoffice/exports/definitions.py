"""The documented column sets of every export (see columns.py for how each type is written).

- ``dossiers``: ONE ROW PER DOSSIER OPERATION — the dossier's columns are repeated on each of
  its operations; a dossier without any operation still gets one row, operation columns empty.
  (A spreadsheet filters and sums per fiche that way; the dossier totals are on every row of
  the dossier, so sum ``kWh cumac opération``, not ``Total kWh cumac dossier``.)
- ``documents``: one row per document (split parts included, with their parent).
- ``extracted_fields``: one row per extracted field value.
- ``rule_results``: one row per rule result, with its override (who, when, why) if any.
- ``invoices``: one row per invoice or credit note (credit notes carry negative amounts).
- ``payments``: one row per payment.
- ``activity``: one row per activity-log entry.
- ``feedback``: one row per human feedback on an extracted value.
"""
from __future__ import annotations

from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Cast, Concat, ExtractDay, ExtractMonth, ExtractYear, LPad

from accounts.models import Activity
from billing.models import Invoice, Payment
from billing.pricing import no_price_list_at
from documents.models import Document, DocumentStatus
from dossiers.models import Dossier, DossierOperation, DossierStatus, HousingType, PrecarityStatus
from extraction.models import ExtractedField, ExtractionMethod, FieldStatus, HumanFeedback
from rules.models import Rule, RuleResult

from .columns import Column as C, Export


def choices(enum) -> dict:
    return dict(enum.choices)


def missing_premium_reason():
    """« aucun prix CEE en vigueur au 14/03/2023 » on a dossier without premium whose engagement
    date no price list covers (billing.pricing.missing_premium_reason, as a query expression)."""
    signed = "timeline__date_signature"

    def two_digits(part):
        return LPad(Cast(part, CharField()), 2, Value("0"))

    return Case(
        When(
            Q(no_price_list_at(signed, "installer_id")) & (Q(premium_eur=0) | Q(premium_eur__isnull=True)),
            then=Concat(
                Value("aucun prix CEE en vigueur au "), two_digits(ExtractDay(signed)), Value("/"),
                two_digits(ExtractMonth(signed)), Value("/"), Cast(ExtractYear(signed), CharField()),
                output_field=CharField(),
            ),
        ),
        default=Value(""),
        output_field=CharField(),
    )


DOSSIERS = Export(
    name="dossiers",
    date_field="created_at",
    installer_path="installer",
    model=Dossier,
    title="Dossiers",
    description="Une ligne par opération de dossier (les colonnes du dossier sont répétées).",
    ordering=("pk",),
    extra_ordering=("operations__pk",),
    columns=(
        C("Référence", "reference"),
        C("Statut", "status", "choice", choices=choices(DossierStatus)),
        C("Installateur", "installer__name", width=28),
        C("SIRET installateur", "installer__siret", width=16),
        C("Bénéficiaire", "beneficiary_name", width=24),
        C("Code postal travaux", "works_postal_code"),
        C("Ville travaux", "works_city", width=18),
        C("Type de logement", "housing_type", "choice", choices=choices(HousingType)),
        C("Précarité", "precarity_status", "choice", choices=choices(PrecarityStatus)),
        C("Date d'engagement", "timeline__date_signature", "date"),
        C("Fin des travaux", "timeline__date_fin_travaux", "date"),
        C("Date de facture", "timeline__date_facture", "date"),
        C("Soumis le", "submitted_at", "datetime"),
        C("Décidé le", "validated_at", "datetime"),
        C("Validateur", "assigned_to__email", width=24),
        C("Confiance", "confidence_score", "ratio"),
        C("Règles en échec", "failed_rule_count", "int"),
        C("Total kWh cumac dossier", "total_kwh_cumac", "decimal"),
        C("Prime dossier (€)", "premium_eur", "money"),
        C("Motif prime absente", "missing_premium_reason", expression=missing_premium_reason(), width=32),
        C("Fiche", "operations__operation__code"),
        C("Statut opération", "operations__status", "choice", choices=choices(DossierOperation.Status)),
        C("kWh cumac opération", "operations__kwh_cumac", "decimal"),
        C("Coefficient", "operations__coefficient", "decimal"),
        C("Prime opération (€)", "operations__premium_eur", "money"),
        C("Créé le", "created_at", "datetime"),
    ),
)

DOCUMENTS = Export(
    name="documents",
    date_field="uploaded_at",
    installer_path="dossier__installer",
    model=Document,
    title="Documents",
    description="Une ligne par document (les parties d'un PDF découpé citent leur document d'origine).",
    columns=(
        C("Id", "pk", "int"),
        C("Dossier", "dossier__reference"),
        C("Installateur", "dossier__installer__name", width=28),
        C("Type", "document_type__code"),
        C("Type déclaré", "declared_type__code"),
        C("Nom du fichier", "original_filename", width=30),
        C("Type MIME", "mime_type"),
        C("Taille (octets)", "size", "int"),
        C("Pages", "page_count", "int"),
        C("Statut", "status", "choice", choices=choices(DocumentStatus)),
        C("Confiance du type", "classification_confidence", "ratio"),
        C("À vérifier", "needs_review", "bool"),
        C("Document d'origine", "parent_id", "int"),
        C("Première page", "page_start", "int"),
        C("Dernière page", "page_end", "int"),
        C("SHA-256", "sha256", width=20),
        C("Déposé le", "uploaded_at", "datetime"),
        C("Traité le", "processed_at", "datetime"),
        C("Erreur", "error_message", width=30),
    ),
)

EXTRACTED_FIELDS = Export(
    name="extracted_fields",
    date_field="created_at",
    installer_path="dossier__installer",
    model=ExtractedField,
    title="Champs extraits",
    description="Une ligne par valeur extraite.",
    columns=(
        C("Dossier", "dossier__reference"),
        C("Document", "document_id", "int"),
        C("Type de document", "schema__document_type__code"),
        C("Champ", "schema__name"),
        C("Libellé", "schema__label", width=24),
        C("Valeur", "value", width=24),
        C("Texte lu", "raw_text", width=24),
        C("Confiance", "confidence", "ratio"),
        C("Statut", "status", "choice", choices=choices(FieldStatus)),
        C("Valeur d'origine", "original_value", width=20),
        C("Valeur corrigée", "corrected_value", width=20),
        C("Page", "page", "int"),
        C("Méthode", "method", "choice", choices=choices(ExtractionMethod)),
        C("Moteur", "engine"),
        C("Confirmé par", "confirmed_by__email", width=24),
        C("Corrigé par", "corrected_by__email", width=24),
        C("Corrigé le", "corrected_at", "datetime"),
        C("Extrait le", "created_at", "datetime"),
    ),
)

RULE_RESULTS = Export(
    name="rule_results",
    date_field="evaluated_at",
    installer_path="dossier__installer",
    model=RuleResult,
    title="Résultats de règles",
    description="Une ligne par résultat de règle, avec sa dérogation éventuelle.",
    columns=(
        C("Dossier", "dossier__reference"),
        C("Installateur", "dossier__installer__name", width=28),
        C("Règle", "rule__code", width=24),
        C("Nom de la règle", "rule__name", width=30),
        C("Gravité", "rule__severity", "choice", choices=choices(Rule.Severity)),
        C("Version", "rule_version", "int"),
        C("Fiche", "dossier_operation__operation__code"),
        C("Résultat", "status", "choice", choices=choices(RuleResult.Status)),
        C("Message", "message", width=40),
        C("Dérogation", "overridden", "bool"),
        C("Dérogée par", "override_by__email", width=24),
        C("Dérogée le", "override_at", "datetime"),
        C("Motif de dérogation", "override_reason", width=30),
        C("Évaluée le", "evaluated_at", "datetime"),
    ),
)

INVOICES = Export(
    name="invoices",
    date_field="issue_date",
    installer_path="installer",
    model=Invoice,
    title="Factures",
    description="Une ligne par facture ou avoir (montants négatifs pour un avoir).",
    ordering=("year", "sequence"),
    columns=(
        C("Numéro", "number", width=18),
        C("Nature", "kind", "choice", choices=choices(Invoice.Kind)),
        C("Exercice", "year", "int"),
        C("Rang", "sequence", "int"),
        C("Avoir de", "credit_note_for__number", width=18),
        C("Dossier", "dossier__reference"),
        C("Installateur", "installer__name", width=28),
        C("SIRET installateur", "installer__siret", width=16),
        C("Date d'émission", "issue_date", "date"),
        C("Échéance", "due_date", "date"),
        C("kWh cumac", "kwh_cumac", "decimal"),
        C("Prix (€/MWhc)", "unit_price", "decimal"),
        C("Total (€)", "total_eur", "money"),
        C("Dû à la validation (€)", "amount_on_validation", "money"),
        C("Dû à l'enregistrement EMMY (€)", "amount_on_registration", "money"),
        C("Payé (€)", "amount_paid", "money"),
        C("Reste dû (€)", "remaining_eur", "money", expression=F("total_eur") - F("amount_paid")),
        C("Statut", "status", "choice", choices=choices(Invoice.Status)),
    ),
)

PAYMENTS = Export(
    name="payments",
    date_field="date",
    installer_path="invoice__installer",
    model=Payment,
    title="Paiements",
    description="Une ligne par paiement reçu.",
    ordering=("date", "pk"),
    columns=(
        C("Date", "date", "date"),
        C("Montant (€)", "amount", "money"),
        C("Moyen", "method", "choice", choices=choices(Payment.Method)),
        C("Référence", "reference", width=20),
        C("Facture", "invoice__number", width=18),
        C("Dossier", "invoice__dossier__reference"),
        C("Installateur", "invoice__installer__name", width=28),
        C("SIRET installateur", "invoice__installer__siret", width=16),
        C("Saisi par", "created_by__email", width=24),
        C("Saisi le", "created_at", "datetime"),
    ),
)

ACTIVITY = Export(
    name="activity",
    date_field="created_at",
    installer_path="dossier__installer",
    model=Activity,
    title="Activité",
    description="Une ligne par entrée du journal d'activité.",
    ordering=("created_at", "pk"),
    columns=(
        C("Date", "created_at", "datetime"),
        C("Acteur", "actor__email", width=24),
        C("Action", "verb", width=18),
        C("Dossier", "dossier__reference"),
        C("Objet", "content_type__model"),
        C("Id objet", "object_id"),
        C("Description", "description", width=40),
        C("Adresse IP", "ip_address"),
        C("Navigateur", "user_agent", width=24),
        C("Métadonnées", "metadata", "json", width=40),
    ),
)

FEEDBACK = Export(
    name="feedback",
    date_field="created_at",
    installer_path="dossier__installer",
    model=HumanFeedback,
    title="Retours humains",
    description="Une ligne par retour d'un validateur sur une valeur extraite.",
    ordering=("created_at", "pk"),
    columns=(
        C("Date", "created_at", "datetime"),
        C("Dossier", "dossier__reference"),
        C("Type de document", "document_type_code"),
        C("Champ", "field_name"),
        C("Verdict", "kind", "choice", choices=choices(HumanFeedback.Kind)),
        C("Valeur extraite", "original_value", width=24),
        C("Correction", "corrected_value", width=24),
        C("Moteur", "engine_name"),
        C("Version du moteur", "engine_version"),
        C("Confiance avant", "confidence_before", "ratio"),
        C("Utilisé pour l'entraînement", "used_for_training", "bool"),
        C("Lot d'export", "export_batch"),
        C("Saisi par", "created_by__email", width=24),
    ),
)

EXPORTS: dict[str, Export] = {
    export.name: export
    for export in (DOSSIERS, DOCUMENTS, EXTRACTED_FIELDS, RULE_RESULTS, INVOICES, PAYMENTS, ACTIVITY, FEEDBACK)
}
