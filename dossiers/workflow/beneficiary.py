"""The placeholder beneficiary of a bulk upload (``dossiers.bulk``), replaced once the documents
are read: a dossier stage between the operations' detection and the completeness check."""
from __future__ import annotations

from django.db import transaction

from accounts.activity import log_activity
from extraction.models import FieldSchema
from extraction.pipeline.base import DOSSIER, Stage

from ..bulk import PLACEHOLDER_BENEFICIARY
from ..models import Dossier
from ..search import strip_accents
from .detect import extracted_values


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


class BulkBeneficiaryStage(Stage):
    """Dossier stage: names the beneficiary of a bulk-uploaded dossier from its documents.

    Runs after the operations are detected (the documents are read) and before the
    completeness check. Only dossiers still holding the placeholder are touched.
    """

    name = "beneficiary"
    label = "bénéficiaire du dépôt groupé"
    scope = DOSSIER

    def able_to_run(self, ctx) -> bool:
        return ctx.dossier.beneficiary_name == PLACEHOLDER_BENEFICIARY

    def run(self, ctx):
        return {"filled": sorted(fill_beneficiary_from_documents(ctx.dossier))}
