"""Every hostile or odd file of the catalogue that ingest accepts goes through the whole chain
and ends processed, split, or failed with a readable reason — never stuck, never a crash."""
from __future__ import annotations

import json

import pytest

from documents.ingest import IngestError
from documents.models import Document, DocumentStatus
from dossiers.workflow.upload import ingest_file
from extraction.models import EngineConfig, StageRun
from extraction.services import process_document

from . import samples

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CATALOGUE = json.loads((samples.REAL / "badinput" / "catalogue.json").read_text())


@pytest.mark.parametrize("entry", CATALOGUE, ids=[e["file"] for e in CATALOGUE])
def test_catalogue_file_ends_in_a_final_state(entry, dossier):
    EngineConfig.objects.filter(task="ocr").update(is_active=False)
    EngineConfig.objects.update_or_create(task="ocr", engine="tesseract", defaults={"is_active": True, "priority": 1})
    try:
        document = ingest_file(dossier=dossier, fileobj_or_bytes=(samples.REAL / "badinput" / entry["file"]).read_bytes(),
                               filename=entry["file"])
    except IngestError:
        pytest.skip("refused at upload (covered by test_ingest)")
    process_document(document)
    family = Document.objects.filter(pk=document.pk) | Document.objects.filter(parent=document)
    statuses = {d.status for d in family}
    assert DocumentStatus.PROCESSING not in statuses and DocumentStatus.PENDING not in statuses
    for member in family:
        if member.status == DocumentStatus.FAILED:
            assert member.error_message and member.error_code
        if member.status == DocumentStatus.PROCESSED:
            assert member.document_type_id is not None
    if entry["expected_behaviour"] == "reject:no_text":
        document.refresh_from_db()
        assert (document.status, document.error_code) == (DocumentStatus.FAILED, "no_text")
    elif entry["expected_behaviour"] == "accept" and entry["file"] not in ("rtl-test.pdf",):
        assert statuses & {DocumentStatus.PROCESSED, DocumentStatus.SPLIT}, [d.error_message for d in family]
    assert not StageRun.objects.filter(document__in=family, outcome="running").exists()
