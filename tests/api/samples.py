"""Small real files for upload tests: text PDFs drawn with reportlab, a PNG, refused kinds."""
from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def pdf_bytes(title: str, lines: list[str] | tuple[str, ...] = (), *, pages: int = 1) -> bytes:
    """An A4 PDF with a text layer: ``title`` in large type, then ``lines``."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)  # same input, same bytes (hash checks)
    pdf.setTitle(title)
    width, height = A4
    for page in range(pages):
        pdf.setFont("Helvetica-Bold", 20)
        pdf.drawString(60, height - 80, title)
        pdf.setFont("Helvetica", 11)
        y = height - 120
        for line in lines:
            pdf.drawString(60, y, line)
            y -= 18
        if pages > 1:
            pdf.drawString(60, 40, f"Page {page + 1} / {pages}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def png_bytes(size: tuple[int, int] = (600, 800), color: str = "white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    """A Word document (a zip with the OOXML parts): refused by the ingest."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Devis</w:document>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def devis_pdf(reference: str = "D-2026-001") -> bytes:
    return pdf_bytes(
        f"DEVIS N° {reference}",
        [
            "Énergie Rénov SARL — SIRET 732 829 320 00074",
            "Bénéficiaire : Jean Dupont, 3 allée des Tilleuls, 69003 Lyon",
            "Isolation des combles perdus — BAR-EN-101 — 90 m², R = 7,5 m².K/W",
            "Montant HT : 2 700,00 €  TVA 5,5 % : 148,50 €  Montant TTC : 2 848,50 €",
            "Date du devis : 12/01/2026 — Bon pour accord, signé le 20/01/2026",
        ],
    )


def facture_pdf(reference: str = "F-2026-014") -> bytes:
    return pdf_bytes(
        f"FACTURE N° {reference}",
        [
            "Énergie Rénov SARL — SIRET 732 829 320 00074 — RGE QPAC/60001",
            "Client : Jean Dupont, 3 allée des Tilleuls, 69003 Lyon",
            "Isolation des combles perdus — BAR-EN-101 — 90 m², R = 7,5 m².K/W",
            "Montant HT : 2 700,00 €  TVA : 148,50 €  Montant TTC : 2 848,50 €",
            "Date de facture : 06/02/2026 — Prime CEE déduite : 1 200,00 €",
        ],
    )


# --- A whole job, drawn by the pipeline's corpus generator -----------------------------

JOB_TYPES = ("devis", "facture", "attestation_honneur", "cadre_contribution", "certificat_rge")


def job_documents(operations: tuple[str, ...] = ("BAR-EN-101",), seed: int = 0):
    """(facts, {document type: PDF bytes}) of one coherent generated job whose operations are
    ``operations``: born-digital devis, facture, attestation, cadre de contribution and RGE
    certificate, drawn with the first layout of each type (deterministic)."""
    from random import Random

    from faker import Faker

    from extraction.corpus.documents import TEMPLATES
    from extraction.corpus.facts import make_dossier

    rng = Random(seed)
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    for index in range(1, 500):
        facts = make_dossier(rng, fake, index)
        if tuple(facts.operations) == tuple(operations):
            break
    else:  # pragma: no cover - the generator's operation sets include every single fiche used here
        raise AssertionError(f"no generated job with operations {operations}")
    facts.devis_signed = facts.ah_signed_beneficiary = facts.ah_signed_installer = True
    return facts, {doc_type: TEMPLATES[doc_type][0](facts, Random(seed)).pdf for doc_type in JOB_TYPES}
