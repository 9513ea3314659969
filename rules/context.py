"""The values rules read, gathered from a dossier into one flat dictionary.

Keys are ``namespace.field``:

* ``<document type>.<field>`` — the extracted fields (SPEC 4b names: ``facture.date_facture``),
  typed by their schema (dates, decimals, booleans, lists of CEE codes). The effective value
  is read: the correction when a validator corrected it; a field marked wrong is absent; an
  unreviewed ``false`` read with a confidence under ``UNSURE_BELOW`` (a signature zone with
  too little ink to tell) is None, so a rule on it is not evaluable rather than failed.
  When a dossier holds several documents of one type, the most confident classification
  wins (then the most recent upload): deterministic, and said in ``_sources``.
* ``dossier.*`` — reference, status, precarity_status, housing_type, living_area_m2,
  submitted_at (a date), beneficiary_*/works_* fields, works_departement, climate_zone,
  operation_codes, document_types, date_engagement (timeline signature, else devis
  signature, else the AH's engagement date), date_achevement (timeline end of works, else
  AH, else facture).
* ``beneficiary.*`` — name, address, postal_code, city, email, phone.
* ``installer.*`` — name, siret, siren, rge_number, rge_valid_from, rge_valid_until,
  rge_status, qualifications, contract_reference, is_active.
* ``timeline.*`` — date_devis, date_signature, date_debut_travaux, date_fin_travaux, date_facture.
* ``lookup.*`` — other dossiers sharing an invoice number, a file or the dwelling; computed
  on first read (they need queries) and reached through the DUPLICATE_* functions.
* ``operation.*`` — per dossier operation, in ``_operations`` (see ``operation_values``):
  code, version, name, valid_from, valid_until, is_active, coup_de_pouce, status,
  kwh_cumac, coefficient, premium_eur and the technical parameters (surface_m2, etas,
  resistance_thermique, class_jumps… from DossierOperation.parameters).

Keys without a dot (``_operations``, ``_sources``, ``_field_confidences``) are for the
runner; no expression can name them.
"""
from __future__ import annotations

import datetime
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from extraction.extractors.signatures import UNSURE_BELOW
from extraction.models import FieldStatus

from . import selectors
from .dsl.env import Lazy
from .dsl.values import as_bool, to_value
from .zones import UnknownClimateZone, climate_zone, departement_of

OPERATIONS = "_operations"
SOURCES = "_sources"
FIELD_CONFIDENCES = "_field_confidences"

# Parameter names people (and the pipeline) use for the same technical input.
PARAMETER_ALIASES = {"surface": "surface_m2", "resistance": "resistance_thermique", "r": "resistance_thermique"}

# Context keys computed from others: a correction of a source counts as a change of these.
DERIVED_FIELDS = {
    "dossier.date_engagement": ("timeline.date_signature", "devis.date_signature", "attestation_honneur.date_engagement"),
    "dossier.date_achevement": (
        "timeline.date_fin_travaux", "attestation_honneur.date_achevement", "facture.date_fin_travaux",
        "facture.date_facture",
    ),
    "lookup.duplicate_invoice_number": ("facture.numero_facture",),
}


def typed_value(raw: str, data_type: str) -> Any:
    """A normalised extracted value (text) as the rule language's type for its schema."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        if data_type == "date":
            return datetime.date.fromisoformat(text)
        if data_type in ("decimal", "integer"):
            return Decimal(text)
        if data_type == "boolean":
            flag = as_bool(text)
            return text if flag is None else flag
        if data_type == "cee_code":
            if text.startswith("["):
                return [str(code) for code in json.loads(text)]
            return [code.strip() for code in text.replace(";", ",").split(",") if code.strip()]
    except (ValueError, InvalidOperation, TypeError):
        return text  # kept as read: a rule comparing it reports the type problem
    return text


def _put(values: dict[str, Any], prefix: str, pairs: dict[str, Any]) -> None:
    for name, value in pairs.items():
        values[f"{prefix}.{name}"] = to_value(value)


def operation_values(dossier_operation) -> dict[str, Any]:
    """The ``operation.*`` values of one dossier operation."""
    operation = dossier_operation.operation
    values: dict[str, Any] = {}
    for name, value in (dossier_operation.parameters or {}).items():
        key = PARAMETER_ALIASES.get(str(name).lower(), str(name).lower())
        if "." not in key:
            values[f"operation.{key}"] = to_value(value)
    _put(values, "operation", {
        "code": operation.code, "version": operation.version, "name": operation.name,
        "valid_from": operation.valid_from, "valid_until": operation.valid_until, "is_active": operation.is_active,
        "coup_de_pouce": operation.coup_de_pouce, "status": dossier_operation.status,
        "kwh_cumac": dossier_operation.kwh_cumac, "coefficient": dossier_operation.coefficient,
        "premium_eur": dossier_operation.premium_eur, "confidence": dossier_operation.confidence,
    })
    return values


def _timeline_dates(dossier) -> dict[str, Any]:
    """The timeline's dates, without a query when loaded with ``select_related("timeline")``."""
    if not type(dossier).timeline.is_cached(dossier):
        return selectors.timeline_dates(dossier)
    try:
        loaded = dossier.timeline
    except ObjectDoesNotExist:
        return {}
    return {name: getattr(loaded, name) for name in selectors.TIMELINE_DATES}


def build_dossier_context(dossier) -> dict[str, Any]:
    """Everything the rules of ``dossier`` (a dossiers.Dossier) may read (see the module docstring).

    Runs two small queries (operations; documents with their fields), plus one for the timeline and
    one for the installer unless loaded with ``select_related("installer", "timeline")``,
    and defers the duplicate lookups until a rule reads them.
    """
    values: dict[str, Any] = {}
    installer = dossier.installer
    timeline = _timeline_dates(dossier)
    operations = selectors.dossier_operations(dossier)

    # Extracted fields: one document per type, the most confident (the selector's order).
    chosen: dict[str, tuple] = {}
    documents_by_type: dict[str, set[int]] = {}
    confidences: list[float] = []
    for row in selectors.documents_with_fields(dossier):
        document_id, code, filename, document_confidence, name, data_type, value, corrected, status, confidence = row
        documents_by_type.setdefault(code, set()).add(document_id)
        if chosen.setdefault(code, (document_id, filename, document_confidence))[0] != document_id:
            continue
        if name is None or status == FieldStatus.WRONG:
            continue
        reviewed = status in (FieldStatus.CONFIRMED, FieldStatus.CORRECTED)
        typed = typed_value(corrected if status == FieldStatus.CORRECTED else value, data_type)
        if typed is False and not reviewed and confidence is not None and float(confidence) < UNSURE_BELOW:
            typed = None  # an unsure "no" (a faint signature on a scan): not evaluable until a validator looks
        values[f"{code}.{name}"] = typed
        confidences.append(1.0 if reviewed else float(confidence))
    counts = {code: len(ids) for code, ids in documents_by_type.items()}
    sources = {}
    for code, (document_id, filename, confidence) in chosen.items():
        sources[code] = {
            "document_id": document_id,
            "filename": filename,
            "documents": counts[code],
            "confidence": str(confidence) if confidence is not None else None,
        }
        if counts[code] > 1:
            sources[code]["note"] = (
                f"{counts[code]} documents « {code} » : valeurs lues sur « {filename} » (classement le plus sûr)"
            )

    _put(values, "timeline", {name: timeline.get(name) for name in selectors.TIMELINE_DATES})
    works_postal_code = dossier.works_postal_code or dossier.beneficiary_postal_code
    try:
        departement = departement_of(works_postal_code)
        zone = climate_zone(works_postal_code)
    except UnknownClimateZone:
        departement = zone = None

    def first(*keys):
        for key in keys:
            if values.get(key) not in (None, ""):
                return values[key]
        return None

    _put(values, "dossier", {
        "reference": dossier.reference, "status": dossier.status, "precarity_status": dossier.precarity_status,
        "housing_type": dossier.housing_type, "living_area_m2": dossier.living_area_m2,
        "submitted_at": dossier.submitted_at, "created_at": dossier.created_at,
        "beneficiary_name": dossier.beneficiary_name, "beneficiary_address": dossier.beneficiary_address,
        "beneficiary_postal_code": dossier.beneficiary_postal_code, "beneficiary_city": dossier.beneficiary_city,
        "works_address": dossier.works_address or dossier.beneficiary_address,
        "works_postal_code": works_postal_code, "works_city": dossier.works_city or dossier.beneficiary_city,
        "works_departement": departement, "climate_zone": zone,
        "operation_codes": sorted({item.operation.code for item in operations}),
        "document_types": sorted(chosen),
        "missing_documents": list(dossier.missing_documents or []),
        "has_fraud_signal": dossier.has_fraud_signal,
        "date_engagement": first(*DERIVED_FIELDS["dossier.date_engagement"]),
        "date_achevement": first(*DERIVED_FIELDS["dossier.date_achevement"]),
    })
    _put(values, "beneficiary", {
        "name": dossier.beneficiary_name, "address": dossier.beneficiary_address,
        "postal_code": dossier.beneficiary_postal_code, "city": dossier.beneficiary_city,
        "email": dossier.beneficiary_email, "phone": dossier.beneficiary_phone,
    })
    _put(values, "installer", {
        "name": installer.name, "siret": installer.siret, "siren": installer.siren,
        "rge_number": installer.rge_number, "rge_valid_from": installer.rge_valid_from,
        "rge_valid_until": installer.rge_valid_until, "rge_status": installer.rge_status,
        "qualifications": list(installer.qualifications or []), "contract_reference": installer.contract_reference,
        "is_active": installer.is_active,
    })
    numero_facture = values.get("facture.numero_facture")
    values["lookup.duplicate_invoice_number"] = Lazy(
        lambda: selectors.duplicate_invoice_dossiers(dossier, str(numero_facture or ""))
    )
    values["lookup.duplicate_files"] = Lazy(lambda: selectors.duplicate_file_dossiers(dossier))
    values["lookup.same_dwelling_operations"] = Lazy(lambda: selectors.same_dwelling_operations(dossier))

    values[OPERATIONS] = [{"dossier_operation": item, "values": operation_values(item)} for item in operations]
    values[SOURCES] = sources
    values[FIELD_CONFIDENCES] = confidences
    return values


def for_operation(context: dict[str, Any], operation_entry: dict[str, Any] | None) -> dict[str, Any]:
    """The flat values of ``context`` with one operation's ``operation.*`` merged in."""
    if operation_entry is None:
        return context
    merged = dict(context)
    merged.update(operation_entry["values"])
    return merged


def public_values(context: dict[str, Any], *, resolve: bool = False) -> dict[str, Any]:
    """The values an expression can name (no ``_`` keys), lazy lookups resolved if asked."""
    out = {}
    for key, value in context.items():
        if "." not in key:
            continue
        if isinstance(value, Lazy):
            if not resolve:
                continue
            value = to_value(value.compute())
        out[key] = value
    return out


def context_from_json(data: dict[str, Any]) -> dict[str, Any]:
    """A context from a JSON object, for the rule tester and ``rule_eval``.

    Accepts flat keys (``{"facture.date_facture": "2025-03-01"}``) or nested objects
    (``{"facture": {"date_facture": "2025-03-01"}}``); ISO dates become dates, numbers
    decimals (parse the JSON with ``parse_float=Decimal`` to keep them exact). An
    ``"operation"`` object gives the ``operation.*`` values.
    """
    if not isinstance(data, dict):
        raise ValueError("Le contexte JSON doit être un objet { … }.")
    values: dict[str, Any] = {}

    def flatten(prefix: str, item: Any):
        if isinstance(item, dict) and item:
            for key, value in item.items():
                flatten(f"{prefix}.{key}" if prefix else str(key), value)
        else:
            values[prefix] = to_value(item, parse_strings=True)

    for key, value in data.items():
        if isinstance(value, dict) and "." not in key:
            flatten(str(key), value)
        else:
            values[str(key)] = to_value(value, parse_strings=True)
    return values
