"""A scanned attestation's ticked answer box, read through the whole pipeline: the OCR stage
stores a downscaled viewer copy of the scan, where the extract stage measures the boxes' ink."""
from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extraction.corpus.reading import tesseract_available
from extraction.corpus.scan import render_pages

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not tesseract_available(), reason="Tesseract is not installed")]
HEIGHT = A4[1]


def scanned_attestation(ticked: str) -> bytes:
    """An attestation sur l'honneur with « ☐ Oui ☐ Non » boxes side by side, ``ticked`` checked,
    printed and scanned at 150 dpi (a PNG: no text layer, no drawing objects); OCR reads no mark
    of the light boxes."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("Helvetica-Bold", 15)
    c.drawString(60, HEIGHT - 70, "ATTESTATION SUR L'HONNEUR")
    c.setFont("Helvetica", 10)
    lines = ["Opération d'économies d'énergie — à compléter par le bénéficiaire et le professionnel",
             "1. Le bénéficiaire", "Nom : MARCHAND    Prénom : Odile", "Adresse des travaux : 14 rue des Tilleuls",
             "Code postal : 44000    Commune : Nantes", "2. L'opération", "Fiche : BAR-EN-101",
             "Date d'engagement : 03/02/2025    Date d'achèvement : 21/03/2025", "N° de la facture : FA-2025-0113"]
    for k, text in enumerate(lines):
        c.drawString(60, HEIGHT - 110 - 20 * k, text)
    y = HEIGHT - 110 - 20 * len(lines) - 10
    c.drawString(60, y, "Le bâtiment est existant depuis plus de 2 ans à la date d'engagement de l'opération :")
    for x, answer in ((80, "Oui"), (170, "Non")):
        # a web form's printout: thin light-grey boxes, a grey check mark
        c.setStrokeGray(0.6)
        c.setLineWidth(0.6)
        c.rect(x, y - 24, 10, 10, stroke=1, fill=0)
        if answer == ticked:
            c.setStrokeGray(0.45)
            c.setLineWidth(1.2)
            c.lines([(x + 2, y - 19, x + 4.5, y - 22), (x + 4.5, y - 22, x + 9, y - 15)])
        c.setStrokeGray(0)
        c.setLineWidth(1)
        c.drawString(x + 16, y - 23, answer)
    c.drawString(60, y - 60, "3. Le professionnel : Raison sociale ISOLATION DURAND    SIRET 73282932000074")
    c.drawString(60, y - 90, "Fait à Nantes, le 25/03/2025    Signature du bénéficiaire    Signature du professionnel")
    c.showPage()
    c.save()
    image = render_pages(out.getvalue(), 150)[0]
    png = io.BytesIO()
    image.save(png, "PNG", dpi=(150, 150))
    return png.getvalue()


@pytest.mark.parametrize("ticked, expected", [("Oui", "true"), ("Non", "false")])
def test_the_ticked_box_of_a_scanned_attestation_answers_its_statement(tmp_path, ticked, expected):
    path = tmp_path / "attestation.png"
    path.write_bytes(scanned_attestation(ticked))
    out = io.StringIO()
    call_command("ingest", str(path), "--json", stdout=out, stderr=io.StringIO())
    (document,) = json.loads(out.getvalue().splitlines()[0])["documents"]
    assert document["type"] == "attestation_honneur"
    assert document["fields"]["batiment_plus_de_2_ans"]["value"] == expected
