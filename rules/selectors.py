"""Read-side queries of the rules app: what the context builder, the runner and the rule
studio read. Each function says which rows it touches; none writes."""
from __future__ import annotations

from django.db import connection
from django.db.models import F, Q, QuerySet

from cee.precompiled import precompiled
from cee.text import normalised_address
from documents.models import Document, DocumentStatus
from extraction.models import ExtractedField, FieldStatus

from .models import Rule, RuleResult

TIMELINE_DATES = ("date_devis", "date_signature", "date_debut_travaux", "date_fin_travaux", "date_facture")

# Dossiers that do not count as an earlier claim when looking for duplicates: the values of
# DossierStatus.DRAFT and REJECTED (the dossier app sits above rules; a test keeps them equal).
NOT_FILED = ("draft", "rejected")


def _related_model(dossier, name: str):
    """The model of the dossier's relation ``name`` (``operations``, ``timeline``), reached from
    the dossier passed in: rules does not import the dossier app."""
    return dossier._meta.get_field(name).related_model


def dossier_operations(dossier) -> list:
    return list(dossier.operations.select_related("operation").order_by("operation__code", "pk"))


def documents_with_fields(dossier) -> list[tuple]:
    """One query for the dossier's classified documents and their extracted fields:
    ``(document id, type code, original filename, classification confidence, field name,
    data type, value, corrected value, field status, field confidence)``, the field columns
    None for a document without fields. Split parents are left out (their children count);
    documents come most confident first within a type (then the most recent)."""
    return _documents_with_fields.rows(dossier.pk)


@precompiled
def _documents_with_fields(dossier_id: int):
    return (
        Document.objects.filter(dossier_id=dossier_id, document_type__isnull=False)
        .exclude(status=DocumentStatus.SPLIT)
        .order_by("document_type__code", F("classification_confidence").desc(nulls_last=True), "-pk")
        .values_list("pk", "document_type__code", "original_filename", "classification_confidence",
                     "fields__schema__name", "fields__schema__data_type", "fields__value", "fields__corrected_value",
                     "fields__status", "fields__confidence")
    )


def timeline_dates(dossier) -> dict:
    return _related_model(dossier, "timeline").objects.filter(dossier=dossier).values(*TIMELINE_DATES).first() or {}


_rules_cache: dict = {"stamp": None, "rules": []}


def active_rules() -> list[Rule]:
    """The active rules, ordered by code. Kept in memory between runs and reloaded when a
    rule changes: a one-row aggregate (count, last update, sum of versions and of ids) is
    checked at each call, so an edit saved by another process is seen at its next run."""
    table = connection.ops.quote_name(Rule._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), MAX(updated_at), SUM(version), SUM(id), SUM(document_type_id) FROM {table} "
            "WHERE is_active = %s",
            [True],
        )
        stamp = tuple(cursor.fetchone())
    if stamp != _rules_cache["stamp"]:
        _rules_cache["rules"] = list(Rule.objects.filter(is_active=True).select_related("document_type").order_by("code"))
        _rules_cache["stamp"] = stamp
    return _rules_cache["rules"]


def forget_rules(**_kwargs) -> None:
    """Drop the in-memory rules (connected to Rule's save and delete signals)."""
    _rules_cache["stamp"] = None


def results_of(dossier, rule_ids=None) -> QuerySet[RuleResult]:
    results = RuleResult.objects.filter(dossier=dossier)
    if rule_ids is not None:
        results = results.filter(rule_id__in=rule_ids)
    return results


def failed_count(dossier) -> int:
    """How many of the dossier's results failed and are not overridden (its ``failed_rule_count``)."""
    return results_of(dossier).filter(status=RuleResult.Status.FAILED, overridden=False).count()


def result_rows(dossier) -> list[dict]:
    """The dossier's rule results as plain rows (what the runner compares and rewrites)."""
    return _result_rows.rows(dossier.pk)


@precompiled
def _result_rows(dossier_id: int):
    return RuleResult.objects.filter(dossier_id=dossier_id).values(
        "id", "rule_id", "dossier_operation_id", "rule_version", "status", "message", "fields_involved", "values",
        "evaluated_at", "overridden", "override_by_id", "override_at", "override_reason", "override_values",
    )


def duplicate_invoice_dossiers(dossier, numero_facture: str) -> list[str]:
    """References of the installer's other (filed) dossiers whose facture carries the same
    invoice number (effective value: the correction when corrected)."""
    if not numero_facture:
        return []
    same_value = (Q(status=FieldStatus.CORRECTED) & Q(corrected_value=numero_facture)) | (
        ~Q(status=FieldStatus.CORRECTED) & Q(value=numero_facture)
    )
    return sorted(set(
        ExtractedField.objects.filter(
            same_value, schema__document_type__code="facture", schema__name="numero_facture",
            dossier__installer_id=dossier.installer_id,
        )
        .exclude(status=FieldStatus.WRONG)
        .exclude(dossier_id=dossier.pk)
        .exclude(dossier__status__in=NOT_FILED)
        .values_list("dossier__reference", flat=True)
    ))


def duplicate_file_dossiers(dossier) -> list[str]:
    """References of other (filed) dossiers holding a file with the same SHA-256."""
    hashes = Document.objects.filter(dossier=dossier).exclude(sha256="").values("sha256")
    return sorted(set(
        Document.objects.filter(sha256__in=hashes)
        .exclude(dossier_id=dossier.pk)
        .exclude(dossier__status__in=NOT_FILED)
        .values_list("dossier__reference", flat=True)
    ))


def same_dwelling_operations(dossier) -> list[list[str]]:
    """``[reference, operation code, beneficiary name]`` for every operation of the other
    (filed) dossiers at the same works address: same postal code and the same address once
    normalised (accents, case, abbreviations, word order)."""
    postal_code = dossier.works_postal_code or dossier.beneficiary_postal_code
    address = normalised_address(dossier.works_address or dossier.beneficiary_address)
    if not postal_code or not address:
        return []
    rows = (
        _related_model(dossier, "operations").objects.filter(
            Q(dossier__works_postal_code=postal_code)
            | (Q(dossier__works_postal_code="") & Q(dossier__beneficiary_postal_code=postal_code))
        )
        .exclude(dossier_id=dossier.pk)
        .exclude(dossier__status__in=NOT_FILED)
        .values_list("dossier__reference", "operation__code", "dossier__beneficiary_name",
                     "dossier__works_address", "dossier__beneficiary_address")
    )
    return sorted(
        [reference, code, name]
        for reference, code, name, works_address, beneficiary_address in rows
        if normalised_address(works_address or beneficiary_address) == address
    )


def overrides() -> QuerySet[RuleResult]:
    return RuleResult.objects.filter(overridden=True).select_related("rule", "dossier", "override_by")
