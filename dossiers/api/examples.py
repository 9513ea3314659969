"""OpenAPI examples of the installer API (shown on the Swagger page)."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

_DOC = {
    "id": 812,
    "dossier": 42,
    "dossier_reference": "CEE-2026-000042",
    "original_filename": "devis-dupont.pdf",
    "document_type": {"code": "devis", "name": "Devis"},
    "declared_type": "devis",
    "status": "processed",
    "status_label": "Traité",
    "error_message": "",
    "mime_type": "application/pdf",
    "size": 48213,
    "sha256": "9f2c4e0b7a1d3c5e6f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e",
    "page_count": 2,
    "parent": None,
    "page_start": None,
    "page_end": None,
    "uploaded_at": "2026-03-02T10:15:03+01:00",
    "processed_at": "2026-03-02T10:15:41+01:00",
    "download_url": "https://cee.example.fr/api/v1/documents/812/download/",
}

_MISSING = [{"code": "avis_imposition", "name": "Avis d'imposition", "operations": ["BAR-TH-171"]}]

_DETAIL = {
    "id": 42,
    "reference": "CEE-2026-000042",
    "status": "awaiting_documents",
    "status_label": "Documents manquants",
    "beneficiary_name": "Jean Dupont",
    "beneficiary_address": "3 allée des Tilleuls",
    "beneficiary_postal_code": "69003",
    "beneficiary_city": "Lyon",
    "beneficiary_email": "jean.dupont@example.fr",
    "beneficiary_phone": "06 12 34 56 78",
    "works_address": "3 allée des Tilleuls",
    "works_postal_code": "69003",
    "works_city": "Lyon",
    "housing_type": "maison",
    "housing_type_label": "Maison individuelle",
    "living_area_m2": "112.00",
    "precarity_status": "modeste",
    "precarity_status_label": "Modeste",
    "operations": [
        {
            "code": "BAR-TH-171", "name": "Pompe à chaleur de type air/eau", "version": "A64-6",
            "status": "declared", "status_label": "Déclarée", "kwh_cumac": "0.00", "premium_eur": "0.00",
        }
    ],
    "timeline": {
        "date_devis": "2026-01-12", "date_signature": "2026-01-20", "date_debut_travaux": "2026-02-02",
        "date_fin_travaux": "2026-02-05", "date_facture": "2026-02-06",
    },
    "total_kwh_cumac": "0.00",
    "premium_eur": "0.00",
    "missing_documents": _MISSING,
    "rule_failure_count": 1,
    "rule_failures": [
        {
            "rule": "Devis signé avant la facture",
            "message": "La date de signature du devis (2026-02-10) est postérieure à la date de facture (2026-02-06).",
            "evaluated_at": "2026-03-02T10:16:02+01:00",
        }
    ],
    "rejection_reason": None,
    "payment": {"code": "not_invoiced", "label": "Non facturé"},
    "documents": [_DOC],
    "created_at": "2026-03-02T10:14:55+01:00",
    "submitted_at": "2026-03-02T10:15:10+01:00",
    "updated_at": "2026-03-02T10:16:02+01:00",
}

_LIST_ITEM = {
    key: _DETAIL[key]
    for key in (
        "id", "reference", "status", "status_label", "beneficiary_name", "works_postal_code", "works_city",
        "total_kwh_cumac", "premium_eur", "missing_documents", "rule_failure_count", "payment",
        "created_at", "submitted_at", "updated_at",
    )
} | {"operations": ["BAR-TH-171"]}

DOSSIER_LIST = OpenApiExample(
    "Première page",
    value={"count": 1, "next": None, "previous": None, "results": [_LIST_ITEM]},
    response_only=True,
)

DOSSIER_DETAIL = OpenApiExample("Dossier", value=_DETAIL, response_only=True)

DOSSIER_CREATE_REQUEST = OpenApiExample(
    "Nouveau dossier",
    value={
        "beneficiary_name": "Jean Dupont",
        "beneficiary_address": "3 allée des Tilleuls",
        "beneficiary_postal_code": "69003",
        "beneficiary_city": "Lyon",
        "works_address": "3 allée des Tilleuls",
        "works_postal_code": "69003",
        "works_city": "Lyon",
        "housing_type": "maison",
        "living_area_m2": "112.00",
        "precarity_status": "modeste",
        "operation_codes": ["BAR-TH-171"],
        "timeline": {"date_signature": "2026-01-20"},
    },
    request_only=True,
)

DOSSIER_PATCH_REQUEST = OpenApiExample(
    "Corriger le bénéficiaire",
    value={"beneficiary_name": "Jeanne Dupont", "beneficiary_email": "jeanne.dupont@example.fr"},
    request_only=True,
)

DOCUMENT_LIST = OpenApiExample("Documents", value=[_DOC], response_only=True)

DOCUMENT = OpenApiExample("Document", value=_DOC, response_only=True)

_UPLOAD = {
    "accepted": 1,
    "refused": 2,
    "files": [
        {"filename": "devis-dupont.pdf", "accepted": True, "document": _DOC | {"status": "pending", "status_label": "En attente", "document_type": None, "page_count": 0, "processed_at": None}, "error": None},
        {"filename": "vide.pdf", "accepted": False, "document": None, "error": {"code": "empty_file", "message": "Le fichier « vide.pdf » est vide."}},
        {"filename": "notes.docx", "accepted": False, "document": None, "error": {"code": "unsupported_type", "message": "Type de fichier non accepté (document Word) : envoyez un PDF ou une image (JPEG, PNG, TIFF, HEIC)."}},
    ],
}

UPLOAD_RESULT = OpenApiExample("Résultat par fichier", value=_UPLOAD, response_only=True, status_codes=["201"])

ALL_FILES_REFUSED = OpenApiExample(
    "Tous les fichiers refusés",
    value={
        "error": {
            "code": "all_files_refused",
            "message": "Aucun fichier n'a été accepté : voir la raison pour chaque fichier.",
            "details": {"accepted": 0, "refused": 1, "files": [_UPLOAD["files"][1]]},
        }
    },
    response_only=True,
    status_codes=["400"],
)

BULK_UPLOAD_RESULT = OpenApiExample(
    "Dossier créé",
    value={
        "dossier": _DETAIL | {
            "status": "submitted", "status_label": "Soumis", "beneficiary_name": "À compléter (dépôt groupé)",
            "operations": [], "missing_documents": [], "rule_failures": [], "rule_failure_count": 0,
        },
        "upload": _UPLOAD,
    },
    response_only=True,
    status_codes=["201"],
)

DOSSIER_STATUS = OpenApiExample(
    "En attente de documents",
    value={
        "id": 42,
        "reference": "CEE-2026-000042",
        "status": "awaiting_documents",
        "status_label": "Documents manquants",
        "in_progress": False,
        "documents": {"pending": 0, "processing": 0, "processed": 4, "failed": 0, "split": 1},
        "stages": [
            {"stage": "split", "runs": 1, "failed": 0, "last_outcome": "succeeded", "last_outcome_label": "Réussi",
             "last_run_at": "2026-03-02T10:15:12+01:00", "total_ms": 420},
            {"stage": "extract", "runs": 4, "failed": 0, "last_outcome": "succeeded", "last_outcome_label": "Réussi",
             "last_run_at": "2026-03-02T10:15:39+01:00", "total_ms": 1830},
        ],
        "missing_documents": _MISSING,
        "rule_failures": _DETAIL["rule_failures"],
        "rejection_reason": None,
        "history": [
            {"at": "2026-03-02T10:15:10+01:00", "from_status": "draft", "to_status": "submitted", "description": "« Brouillon » → « Soumis »"},
            {"at": "2026-03-02T10:15:11+01:00", "from_status": "submitted", "to_status": "processing", "description": "« Soumis » → « En traitement »"},
            {"at": "2026-03-02T10:16:02+01:00", "from_status": "processing", "to_status": "awaiting_documents", "description": "« En traitement » → « Documents manquants »"},
        ],
        "updated_at": "2026-03-02T10:16:02+01:00",
    },
    response_only=True,
)

PAYMENT_LIST = OpenApiExample(
    "Paiements",
    value={
        "count": 1, "next": None, "previous": None,
        "results": [
            {
                "id": 7, "amount": "2977.88", "date": "2026-04-15", "method": "transfer", "method_label": "Virement",
                "reference": "VIR-2026-0415-07",
                "invoice": {
                    "id": 31, "number": "FAC-2026-00031", "status": "partially_paid", "status_label": "Partiellement payée",
                    "issue_date": "2026-04-01", "due_date": "2026-05-01", "total_eur": "4254.12", "amount_paid": "2977.88",
                    "dossier": 42, "dossier_reference": "CEE-2026-000042",
                },
            }
        ],
    },
    response_only=True,
)

PROFILE = OpenApiExample(
    "Profil",
    value={
        "user": {"email": "camille.martin@renov.example.fr", "first_name": "Camille", "last_name": "Martin"},
        "company": {
            "name": "Énergie Rénov SARL", "siret": "73282932000074", "siren": "732829320",
            "address": "12 rue des Artisans", "postal_code": "69003", "city": "Lyon",
            "email": "contact@renov.example.fr", "phone": "04 72 00 00 00", "contact_name": "Camille Martin",
            "rge_number": "QPAC/60001", "rge_valid_from": "2024-06-01", "rge_valid_until": "2028-05-31",
            "rge_status": "valid", "rge_status_label": "Valide", "qualifications": ["pompe_a_chaleur"],
            "contract_reference": "CTR-2026-014",
        },
        "rge_change_request": None,
    },
    response_only=True,
)

PROFILE_RGE_REQUESTED = OpenApiExample(
    "Demande RGE créée",
    value={
        "user": PROFILE.value["user"],
        "company": PROFILE.value["company"],
        "rge_change_request": {
            "id": 42, "status": "pending", "status_label": "En attente", "rge_number": "QPAC/61234",
            "rge_valid_from": "2026-06-01", "rge_valid_until": "2030-05-31", "qualifications": ["pompe_a_chaleur"],
            "changed_fields": ["rge_number", "rge_valid_from", "rge_valid_until"], "created_at": "2026-05-20T09:12:00+02:00",
        },
    },
    response_only=True,
)

PROFILE_PATCH = OpenApiExample(
    "Nouveau certificat RGE",
    value={"company": {"rge_number": "QPAC/61234", "rge_valid_from": "2026-06-01", "rge_valid_until": "2030-05-31"}},
    request_only=True,
)
