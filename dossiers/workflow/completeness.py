"""Dossier stage ``complete``: are all the documents the dossier's operations require there?"""
from __future__ import annotations

from django.db import transaction

from extraction.pipeline.base import DOSSIER, Stage, StopPipeline

from ..completeness import missing_documents
from ..models import DossierStatus
from ..status import transition
from .notifications import send_missing_documents_email


class CompletenessStage(Stage):
    """Records the missing documents and, if any, asks the installer for them.

    Takes a dossier in processing whose operations are detected. Guarantees
    ``Dossier.missing_documents`` lists what is missing (empty when complete); when
    something is missing the dossier moves to ``awaiting_documents``, the installer's
    users get the e-mail (once the transaction commits) and the chain stops before the
    rules. Nothing missing: the chain goes on.
    """

    name = "complete"
    label = "contrôle de complétude"
    scope = DOSSIER

    def run(self, ctx):
        dossier = ctx.dossier
        missing, failed = missing_documents(dossier)
        dossier.missing_documents = missing
        dossier.save(update_fields=["missing_documents", "updated_at"])
        details = {"missing": [m["document_type"] for m in missing], "failed_documents": [f["document_id"] for f in failed]}
        if missing and dossier.status == DossierStatus.PROCESSING:
            transition(dossier, DossierStatus.AWAITING_DOCUMENTS, reason="Documents manquants : "
                       + ", ".join(m["label"] for m in missing), metadata={"missing": details["missing"]})
            transaction.on_commit(lambda: send_missing_documents_email(dossier, missing, failed))
            raise StopPipeline("documents manquants", details=details)
        return details
