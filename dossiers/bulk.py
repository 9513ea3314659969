"""Adding uploaded files to a dossier, and the bulk upload: one job's files → a new dossier.

Both the portal and the API call these services; each file is ingested on its own
(``documents.ingest.ingest_file``), so one refused file never costs the others, and the
result says per file whether it was accepted and, if not, why.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.activity import log_activity
from extraction.pipeline.base import DOSSIER, Stage
from extraction.pipeline.registry import register

from .models import Dossier
from .search import strip_accents
from .selectors import can_view_dossier
from .services import create_dossier, submit_dossier

# Shown until the pipeline has read the beneficiary from the documents.
PLACEHOLDER_BENEFICIARY = "À compléter (dépôt groupé)"


class UploadNotAllowed(Exception):
    """The dossier's status does not accept new files."""

    code = "dossier_closed"

    def __init__(self, dossier: Dossier):
        self.dossier = dossier
        super().__init__(
            f"Le dossier {dossier.reference} est « {dossier.get_status_display()} » : il n'accepte plus de "
            "nouveaux documents. Contactez votre validateur si un document doit être remplacé."
        )

    @property
    def message(self) -> str:
        return str(self)


@dataclass
class FileOutcome:
    """The result of one uploaded file: the document created, or why it was refused."""

    filename: str
    document: object | None = None
    code: str = ""
    message: str = ""

    @property
    def accepted(self) -> bool:
        return self.document is not None


@dataclass
class BulkUpload:
    dossier: Dossier | None
    outcomes: list[FileOutcome]

    @property
    def accepted(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.accepted]


def _ingest_each(dossier: Dossier, files: Iterable, *, user, declared_type_code: str | None, request=None) -> list[FileOutcome]:
    from documents.ingest import IngestError, ingest_file

    outcomes = []
    for upload in files:
        name = getattr(upload, "name", "") or "fichier"
        try:
            document = ingest_file(
                dossier=dossier, fileobj_or_bytes=upload, filename=name, user=user,
                declared_type_code=declared_type_code, request=request,
            )
        except IngestError as error:
            outcomes.append(FileOutcome(filename=name, code=error.code, message=error.message))
        else:
            outcomes.append(FileOutcome(filename=name, document=document))
    return outcomes


def add_files_to_dossier(
    dossier: Dossier,
    files: Iterable,
    *,
    user,
    declared_type_code: str | None = None,
    refused: Sequence[FileOutcome] = (),
    request=None,
) -> list[FileOutcome]:
    """Ingest ``files`` (uploaded file objects) into ``dossier``, each independently.

    ``refused`` are files already turned away on arrival (too large) to report with the
    others. Each accepted file is logged and resumes the pipeline as ``ingest_file``
    does: a dossier awaiting documents goes back to processing, a submitted or processing
    one reads the new file; a draft waits for its submission.
    Returns one FileOutcome per file, in order, refused ones last.
    Raises PermissionDenied when ``user`` may not see the dossier, UploadNotAllowed when
    the dossier is closed (decided, invoiced, paid).
    """
    from documents.ingest import CLOSED_STATUSES

    if not can_view_dossier(user, dossier):
        raise PermissionDenied(f"Vous n'avez pas accès au dossier {dossier.reference}.")
    dossier.refresh_from_db(fields=["status"])
    if dossier.status in CLOSED_STATUSES:
        raise UploadNotAllowed(dossier)
    return _ingest_each(dossier, files, user=user, declared_type_code=declared_type_code, request=request) + list(refused)


def create_dossier_from_files(*, user, files: Sequence, refused: Sequence[FileOutcome] = (), request=None) -> BulkUpload:
    """The bulk upload: a new dossier from all the files of one job.

    Creates a draft dossier for ``user``'s company with a placeholder beneficiary
    (``PLACEHOLDER_BENEFICIARY``, replaced from the documents once they are read), ingests
    every file, submits the dossier and lets the pipeline split, classify, detect the
    operations and list what is missing, in the background. Returns at once.
    When no file is accepted the dossier is deleted again and ``BulkUpload.dossier`` is
    None: nothing is kept. Raises PermissionDenied for a user without a company and
    ValidationError when the company is inactive.
    """
    installer = getattr(user, "installer", None)
    if installer is None:
        raise PermissionDenied("Le dépôt groupé est réservé aux comptes installateurs.")
    # Short transactions on purpose: holding one across the ingest of many files would
    # block every other dossier creation on the reference sequence.
    dossier = create_dossier(installer=installer, created_by=user, beneficiary_name=PLACEHOLDER_BENEFICIARY, request=request)
    outcomes = _ingest_each(dossier, files, user=user, declared_type_code=None, request=request) + list(refused)
    accepted = [o for o in outcomes if o.accepted]
    if not accepted:
        dossier.delete()
        return BulkUpload(dossier=None, outcomes=outcomes)
    with transaction.atomic():
        log_activity(
            "bulk_upload", actor=user, target=dossier,
            description=f"Dépôt groupé : {len(accepted)} fichier(s) accepté(s), {len(outcomes) - len(accepted)} refusé(s)",
            metadata={
                "accepted": [o.document.pk for o in accepted],
                "refused": [{"filename": o.filename, "code": o.code} for o in outcomes if not o.accepted],
            },
            request=request,
        )
        submit_dossier(dossier, user=user, request=request)
    dossier.refresh_from_db()
    return BulkUpload(dossier=dossier, outcomes=outcomes)


# --- The placeholder beneficiary, replaced once the documents are read ----------------------

# (document type, field) sources in order of trust: the attestation is signed by the
# beneficiary; the facture and devis name them; the tax notice names the household.
BENEFICIARY_SOURCES = {
    "beneficiary_name": [
        ("attestation_honneur", "beneficiaire_nom"), ("facture", "beneficiaire_nom"),
        ("devis", "beneficiaire_nom"), ("avis_imposition", "declarant_nom"),
    ],
    "beneficiary_address": [
        ("attestation_honneur", "beneficiaire_adresse"), ("facture", "beneficiaire_adresse"),
        ("devis", "beneficiaire_adresse"), ("avis_imposition", "adresse"),
    ],
    "beneficiary_postal_code": [
        ("attestation_honneur", "beneficiaire_code_postal"), ("facture", "beneficiaire_code_postal"),
        ("devis", "beneficiaire_code_postal"),
    ],
    "beneficiary_city": [
        ("attestation_honneur", "beneficiaire_ville"), ("facture", "beneficiaire_ville"), ("devis", "beneficiaire_ville"),
    ],
}
# The works site of a bulk-uploaded job is the beneficiary's address unless told otherwise.
WORKS_FROM_BENEFICIARY = {
    "works_address": "beneficiary_address",
    "works_postal_code": "beneficiary_postal_code",
    "works_city": "beneficiary_city",
}


# Words a form prints before a value: read as the value by mistake (a beneficiary named
# « Téléphone »), they are refused; the field schemas' own labels and label hints are added.
FORM_LABELS = (
    "téléphone", "tél", "tel", "portable", "mobile", "fax", "e-mail", "email", "courriel", "adresse",
    "adresse des travaux", "code postal", "ville", "commune", "nom", "prénom", "nom et prénom", "nom prénom",
    "client", "bénéficiaire", "date", "signature", "siret", "montant", "total", "référence",
)


def _folded(text: str) -> str:
    return " ".join(strip_accents(text).lower().replace(":", " ").replace(".", " ").split())


def field_labels() -> frozenset[str]:
    """Every field label a document may print (folded: no accents, case or colon)."""
    from extraction.models import FieldSchema

    labels = set(FORM_LABELS)
    for label, hints in FieldSchema.objects.values_list("label", "extraction_hints"):
        labels.add(label)
        labels.update(str(item) for item in ((hints or {}).get("labels") or []) if isinstance(item, str))
    return frozenset(_folded(label) for label in labels)


def fill_beneficiary_from_documents(dossier: Dossier) -> dict[str, str]:
    """Replace a bulk upload's placeholder beneficiary with what the documents say.

    Takes a dossier whose documents have been read (extracted fields exist). Only a
    dossier still named ``PLACEHOLDER_BENEFICIARY`` is touched, and only its empty
    fields are filled (the works address from the beneficiary's when empty), so a value
    the installer typed always wins. Guarantees a ``beneficiary_filled`` activity listing
    the values taken. A value that is a field label (« Téléphone », « Adresse : ») is never
    taken: the next source is tried. Returns {field: value} of what changed (empty: nothing to do).
    """
    from extraction.pipeline.detect import extracted_values

    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.beneficiary_name != PLACEHOLDER_BENEFICIARY:
            return {}
        found = extracted_values(locked)
        labels = field_labels()
        changes: dict[str, str] = {}
        for field, sources in BENEFICIARY_SOURCES.items():
            current = "" if field == "beneficiary_name" else getattr(locked, field)
            if current:
                continue
            for source in sources:
                rows = found.get(source)
                value = (rows[0].effective_value if rows else "").strip()
                if value and _folded(value) not in labels:
                    changes[field] = value[: Dossier._meta.get_field(field).max_length]
                    break
        if field_value := changes.get("beneficiary_postal_code"):
            if not (len(field_value) == 5 and field_value.isdigit()):
                del changes["beneficiary_postal_code"]
        if "beneficiary_name" not in changes:
            return {}
        for works_field, beneficiary_field in WORKS_FROM_BENEFICIARY.items():
            if not getattr(locked, works_field) and changes.get(beneficiary_field):
                changes[works_field] = changes[beneficiary_field]
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save(update_fields=[*changes, "updated_at"])
        log_activity(
            "beneficiary_filled", target=locked,
            description=f"Bénéficiaire lu dans les documents : {changes['beneficiary_name']}",
            metadata={"changes": changes},
        )
    for field, value in changes.items():
        setattr(dossier, field, value)
    return changes


@register
class BulkBeneficiaryStage(Stage):
    """Pipeline stage (listed in extraction.pipeline.registry): names the beneficiary of a
    bulk-uploaded dossier from its documents.

    Runs after the operations are detected (the documents are read) and before the
    completeness check. Only dossiers still holding the placeholder are touched.
    """

    name = "beneficiary"
    label = "bénéficiaire du dépôt groupé"
    scope = DOSSIER
    order = 115

    def able_to_run(self, ctx) -> bool:
        return ctx.dossier.beneficiary_name == PLACEHOLDER_BENEFICIARY

    def run(self, ctx):
        return {"filled": sorted(fill_beneficiary_from_documents(ctx.dossier))}
