"""The consistency matrix: what each document says about the same facts, side by side.

Names and addresses are compared fuzzily (accents, case, civility, word order and road
abbreviations ignored); the value most documents agree on is each row's reference.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from cee.text import fuzzy_same

from ..models import Dossier
from .values import as_list, display_value

if TYPE_CHECKING:
    from .screen import DocumentGroup, FieldRow

MATRIX_COLUMNS = ["devis", "facture", "attestation_honneur", "cadre_contribution", "avis_imposition"]
_COLUMN_LABELS = {
    "devis": "Devis",
    "facture": "Facture",
    "attestation_honneur": "AH",
    "cadre_contribution": "Cadre",
    "avis_imposition": "Avis d'impôt",
}
_COLUMN_TITLES = {
    "devis": "Devis",
    "facture": "Facture",
    "attestation_honneur": "Attestation sur l'honneur",
    "cadre_contribution": "Cadre de contribution",
    "avis_imposition": "Avis d'imposition",
}


@dataclass(frozen=True)
class MatrixRowSpec:
    label: str
    kind: str  # name | address | exact | amount | date | codes | digits | info (shown, never compared)
    fields: dict[str, str]  # document type -> field name
    declared: str = ""  # attribute of the dossier (or a callable name) shown in the "Déclaré" column


MATRIX_ROWS: list[MatrixRowSpec] = [
    MatrixRowSpec(
        "Bénéficiaire", "name",
        {"devis": "beneficiaire_nom", "facture": "beneficiaire_nom", "attestation_honneur": "beneficiaire_nom",
         "cadre_contribution": "beneficiaire_nom", "avis_imposition": "declarant_nom"},
        "beneficiary_name",
    ),
    MatrixRowSpec(
        "Adresse des travaux", "address",
        {"devis": "beneficiaire_adresse", "facture": "beneficiaire_adresse",
         "attestation_honneur": "beneficiaire_adresse", "avis_imposition": "adresse"},
        "works_address",
    ),
    MatrixRowSpec(
        "Code postal", "exact",
        {"devis": "beneficiaire_code_postal", "facture": "beneficiaire_code_postal",
         "attestation_honneur": "beneficiaire_code_postal"},
        "works_postal_code",
    ),
    MatrixRowSpec(
        "Ville", "name",
        {"devis": "beneficiaire_ville", "facture": "beneficiaire_ville", "attestation_honneur": "beneficiaire_ville"},
        "works_city",
    ),
    MatrixRowSpec(
        "SIRET installateur", "digits",
        {"devis": "siret_installateur", "facture": "siret_installateur", "attestation_honneur": "siret_installateur"},
        "installer.siret",
    ),
    MatrixRowSpec(
        "Raison sociale", "name",
        {"devis": "raison_sociale_installateur", "facture": "raison_sociale_installateur",
         "attestation_honneur": "raison_sociale_installateur"},
        "installer.name",
    ),
    MatrixRowSpec("Montant HT", "amount", {"devis": "montant_ht", "facture": "montant_ht"}),
    MatrixRowSpec("Montant TTC", "amount", {"devis": "montant_ttc", "facture": "montant_ttc"}),
    MatrixRowSpec(
        "Prime CEE", "amount", {"facture": "prime_cee", "cadre_contribution": "montant_prime"}, "premium_eur"
    ),
    MatrixRowSpec(
        "Date d'engagement", "date", {"devis": "date_signature", "attestation_honneur": "date_engagement"},
        "timeline.date_signature",
    ),
    MatrixRowSpec(
        "Fin des travaux", "date",
        {"facture": "date_fin_travaux", "attestation_honneur": "date_achevement"},
        "timeline.date_fin_travaux",
    ),
    MatrixRowSpec("Date du document (chronologie)", "info", {
        "devis": "date_devis", "facture": "date_facture", "cadre_contribution": "date_cadre",
    }),
    MatrixRowSpec(
        "N° de facture", "exact", {"facture": "numero_facture", "attestation_honneur": "reference_facture"}
    ),
    MatrixRowSpec(
        "Opérations", "codes",
        {"devis": "operations", "facture": "operations", "attestation_honneur": "operations",
         "cadre_contribution": "operations"},
        "operations",
    ),
    MatrixRowSpec("Surface (m²)", "amount", {"devis": "surface_m2", "facture": "surface_m2"}, "living_area_m2"),
]


@dataclass
class MatrixCell:
    value: str = ""
    display: str = ""
    field_id: int | None = None
    state: str = "empty"  # empty | na (not on this document) | match | fuzzy | mismatch | single | info


@dataclass
class MatrixRow:
    label: str
    declared: MatrixCell
    cells: list[MatrixCell]
    state: str  # ok | fuzzy | mismatch | partial | empty | info
    kind: str = ""

    @property
    def is_text(self) -> bool:
        """Names and addresses wrap; numbers, dates and codes stay on one line."""
        return self.kind in ("name", "address")


@dataclass
class MatrixColumn:
    code: str
    label: str
    document_id: int | None
    title: str = ""


@dataclass
class ConsistencyMatrix:
    columns: list[MatrixColumn]
    rows: list[MatrixRow]

    @property
    def mismatches(self) -> int:
        return sum(1 for row in self.rows if row.state == "mismatch")


def _canonical(kind: str, value: str):
    if value in (None, ""):
        return None
    if kind == "amount":
        try:
            return Decimal(str(value)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            return str(value).strip()
    if kind == "digits":
        return re.sub(r"\D", "", str(value))
    if kind == "codes":
        return tuple(sorted(code.upper() for code in as_list(str(value))))
    if kind == "exact":
        return str(value).strip().upper()
    return str(value).strip()


def _same(kind: str, a, b) -> str:
    """'match', 'fuzzy' or 'mismatch' for two canonical values of a row."""
    if a == b:
        return "match"
    if kind in ("name", "address"):
        # The one fuzzy matcher, as rule r09's FUZZY_MATCH: the screen and the rule agree.
        return "fuzzy" if fuzzy_same(a, b) else "mismatch"
    if kind == "amount" and isinstance(a, Decimal) and isinstance(b, Decimal):
        return "match" if abs(a - b) < Decimal("0.01") else "mismatch"
    return "mismatch"


def _declared_value(dossier: Dossier, operations, path: str) -> tuple[str, str]:
    """The installer's declared value for a matrix row: (normalised, data type for display)."""
    if not path:
        return "", "string"
    if path == "operations":
        return json.dumps([item.operation.code for item in operations]), "cee_code"
    target = dossier
    for part in path.split("."):
        target = getattr(target, part, None) if target is not None else None
    if target is None:
        return "", "string"
    if isinstance(target, Decimal):
        return (str(target) if target else ""), "decimal"
    if isinstance(target, date):
        return target.isoformat(), "date"
    return str(target), "string"


_KIND_DATA_TYPE = {"amount": "decimal", "date": "date", "digits": "siret", "codes": "cee_code", "info": "date"}


def consistency_matrix(dossier: Dossier, groups: list[DocumentGroup], operations) -> ConsistencyMatrix:
    """Side by side, what each document says about the same facts; disagreements flagged.

    One column per document of the five compared types (a second facture gets its own
    column), plus the installer's declaration. In each row the value most documents agree
    on is the reference; a cell that differs from it is a mismatch, names and addresses
    compared fuzzily (accents, case, civility, word order and road abbreviations ignored).
    The declared column is shown for comparison but does not vote.
    """
    try:
        timeline = dossier.timeline
    except Exception:  # RelatedObjectDoesNotExist: a dossier without a timeline row
        timeline = None
    dossier_for_paths = _DeclaredView(dossier, timeline)

    columns: list[MatrixColumn] = []
    column_rows: list[dict[str, FieldRow]] = []
    for code in MATRIX_COLUMNS:
        matching = [g for g in groups if g.document.document_type_id and g.document.document_type.code == code]
        for index, group in enumerate(matching, start=1):
            label = _COLUMN_LABELS[code] + (f" ({index})" if len(matching) > 1 else "")
            columns.append(MatrixColumn(code=code, label=label, document_id=group.document.pk,
                                        title=f"{_COLUMN_TITLES[code]} — {group.document.original_filename}"))
            column_rows.append({row.field.schema.name: row for row in group.rows})

    rows: list[MatrixRow] = []
    for spec in MATRIX_ROWS:
        cells: list[MatrixCell] = []
        for column, by_name in zip(columns, column_rows):
            name = spec.fields.get(column.code)
            row = by_name.get(name) if name else None
            if row is None or row.status == "wrong" or not row.value:
                cells.append(MatrixCell(state="empty" if name else "na", field_id=row.field.pk if row else None))
                continue
            cells.append(MatrixCell(value=row.value, display=row.display_value, field_id=row.field.pk))
        declared_raw, declared_type = _declared_value(dossier_for_paths, operations, spec.declared)
        declared = MatrixCell(
            value=declared_raw,
            display=display_value(_KIND_DATA_TYPE.get(spec.kind, declared_type), declared_raw),
            state="empty" if not declared_raw else "single",
        )
        if all(cell.state == "na" for cell in cells):
            continue
        rows.append(_judge_row(spec, declared, cells))
    return ConsistencyMatrix(columns=columns, rows=rows)


def _judge_row(spec: MatrixRowSpec, declared: MatrixCell, cells: list[MatrixCell]) -> MatrixRow:
    present = [cell for cell in cells if cell.value]
    if not present:
        return MatrixRow(spec.label, declared, cells, "empty", spec.kind)
    if spec.kind == "info":
        # Different facts side by side (each document's own date): read, not compared.
        for cell in present:
            cell.state = "info"
        return MatrixRow(spec.label, declared, cells, "info", spec.kind)
    canon = [_canonical(spec.kind, cell.value) for cell in present]
    if len(present) == 1:
        present[0].state = "single"
        reference = canon[0]
        state = "partial"
    else:
        # The reference is the value most documents agree with; without a majority every
        # value is suspect.
        votes = [sum(1 for other in canon if _same(spec.kind, mine, other) != "mismatch") for mine in canon]
        best = max(votes)
        leaders = [index for index, n in enumerate(votes) if n == best]
        reference = canon[leaders[0]]
        ambiguous = any(_same(spec.kind, canon[i], reference) == "mismatch" for i in leaders[1:])
        for cell, value in zip(present, canon):
            cell.state = "mismatch" if ambiguous else _same(spec.kind, value, reference)
        states = {cell.state for cell in present}
        if "mismatch" in states:
            state = "mismatch"
        elif any(cell.state == "empty" for cell in cells):
            state = "partial"
        else:
            state = "fuzzy" if "fuzzy" in states else "ok"
        if ambiguous:
            reference = None
    if declared.value and reference is not None:
        declared.state = _same(spec.kind, _canonical(spec.kind, declared.value), reference)
    return MatrixRow(spec.label, declared, cells, state, spec.kind)


class _DeclaredView:
    """The dossier seen through dotted paths (``timeline.date_signature``, ``installer.siret``)."""

    def __init__(self, dossier: Dossier, timeline):
        self._dossier = dossier
        self.timeline = timeline

    def __getattr__(self, name):
        return getattr(self._dossier, name)
