"""The fraud signals and points of attention the review screen lists, in French."""
from __future__ import annotations

from ..models import Dossier


def fraud_signals(dossier: Dossier, documents) -> list[dict]:
    """The dossier's fraud signals and its documents' fraud flags, as {label, detail} dicts.
    A document flag already told by a dossier signal (the same code) is not repeated."""
    signals = [_describe_signal(signal) for signal in dossier.fraud_signals or []]
    told = {signal["code"] for signal in signals}
    signals += [
        _describe_flag(flag, doc)
        for doc in documents for flag in doc.flags or []
        if _flag_code(flag) in FRAUD_FLAG_CODES and _flag_code(flag) not in told
    ]
    return signals


def attention_points(documents) -> list[dict]:
    """The documents' other flags (uncertain type, repaired PDF, the same file in another of the
    installer's dossiers…): points a validator checks, not signs of fraud."""
    return [
        _describe_flag(flag, doc)
        for doc in documents for flag in doc.flags or []
        if _flag_code(flag) not in FRAUD_FLAG_CODES
    ]


def _flag_code(flag) -> str:
    return str(flag.get("code") or "") if isinstance(flag, dict) else str(flag)


def _describe_flag(flag, document) -> dict:
    described = _describe_signal(flag)
    described["detail"] = (described["detail"] + " — " if described["detail"] else "") + document.original_filename
    return described


# Document flags that are fraud signals; every other flag is a point of attention.
FRAUD_FLAG_CODES = frozenset({"duplicate_file_other_installer", "duplicate_invoice", "reused_invoice_number"})

_SIGNAL_LABELS = {
    "duplicate_file_other_installer": "Fichier identique déposé par un autre installateur",
    "duplicate_file_same_installer": "Fichier déjà déposé dans un autre dossier de l'installateur",
    "low_classification_confidence": "Type de document incertain",
    "declared_type_mismatch": "Type déclaré différent du type reconnu",
    "unrecognised_type": "Type de document non reconnu",
    "pdf_repaired": "PDF endommagé, réparé au dépôt",
    "facture_en_double": "Facture en double",
    "duplicate_file": "Fichier déjà déposé",
    "duplicate_hash": "Fichier déjà déposé",
    "reused_invoice_number": "Numéro de facture déjà utilisé",
    "duplicate_invoice": "Numéro de facture déjà utilisé",
    "same_address": "Même adresse dans plusieurs dossiers",
    "address_reused": "Même adresse dans plusieurs dossiers",
    "duplicate_beneficiary": "Même bénéficiaire, même opération",
}


def _describe_signal(signal) -> dict:
    if isinstance(signal, dict):
        code = str(signal.get("code") or signal.get("type") or signal.get("kind") or "")
        label = signal.get("label") or _SIGNAL_LABELS.get(code) or "Signal non répertorié"
        detail = signal.get("message") or signal.get("detail") or ""
        others = signal.get("dossiers") or signal.get("references") or signal.get("other_dossiers")
        if others and not detail:
            detail = "Aussi dans : " + ", ".join(str(o) for o in others)
        return {"code": code, "label": label, "detail": str(detail)}
    return {"code": str(signal), "label": _SIGNAL_LABELS.get(str(signal), "Signal non répertorié"),
            "detail": "" if str(signal) in _SIGNAL_LABELS else f"code {signal}"}
