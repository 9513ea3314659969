"""The extract stage reads the attestation's signatures from ink (extraction.pipeline.ink): from
the PDF's drawing objects for a born-digital file, from the stored page image for a scan."""
from __future__ import annotations

import io
from random import Random

import pytest

from dossiers.workflow.upload import ingest_file
from extraction import services
from extraction.corpus.reading import tesseract_available
from extraction.corpus.scan import degrade, render_pages
from extraction.models import ExtractedField
from tests.extraction.test_signatures import attestation_pdf

pytestmark = pytest.mark.django_db


def _signatures(dossier, data: bytes, name: str) -> dict[str, tuple[str, float]]:
    document = ingest_file(dossier=dossier, fileobj_or_bytes=data, filename=name, schedule_processing=False,
                           declared_type_code="attestation_honneur")
    services.process_document(document)
    rows = ExtractedField.objects.filter(dossier=dossier, schema__name__startswith="signature_").select_related("schema")
    return {row.schema.name: (row.value, float(row.confidence)) for row in rows}


def test_born_digital_attestation_signatures_come_from_the_drawing(dossier):
    values = _signatures(dossier, attestation_pdf({"beneficiaire": "vector", "installateur": None}), "ah.pdf")
    assert values["signature_beneficiaire"][0] == "true"
    assert values["signature_installateur"] == ("false", pytest.approx(0.9))


@pytest.mark.skipif(not tesseract_available(), reason="Tesseract is not installed")
def test_scanned_attestation_signatures_come_from_the_page_image(dossier):
    (page,) = render_pages(attestation_pdf({"beneficiaire": None, "installateur": "image"}), 200)
    buffer = io.BytesIO()
    degrade(page, Random(4)).save(buffer, "PNG", dpi=(200, 200))
    values = _signatures(dossier, buffer.getvalue(), "ah.png")
    assert values["signature_beneficiaire"][0] == "false"
    assert values["signature_installateur"][0] == "true"
