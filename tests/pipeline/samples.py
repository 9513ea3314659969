"""Small sample files made on the fly for the pipeline tests (no binary fixtures in the repo)."""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pikepdf
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "real"
FONT_PATHS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]


def text_pdf(pages: list[list[str]], *, rotate: dict[int, int] | None = None) -> bytes:
    """A born-digital A4 PDF: each page a list of lines (Helvetica, accents included)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    for lines in pages:
        y = height - 72
        pdf.setFont("Helvetica", 11)
        for line in lines:
            pdf.drawString(60, y, line)
            y -= 18
        pdf.showPage()
    pdf.save()
    data = buffer.getvalue()
    if rotate:
        document = pikepdf.open(io.BytesIO(data))
        for index, angle in rotate.items():
            document.pages[index].Rotate = angle
        out = io.BytesIO()
        document.save(out)
        data = out.getvalue()
    return data


def blank_pdf(pages: int) -> bytes:
    document = pikepdf.new()
    for _ in range(pages):
        document.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def encrypted_pdf(user_password: str = "secret", owner_password: str = "owner") -> bytes:
    document = pikepdf.open(io.BytesIO(text_pdf([["Devis n° 12 confidentiel"]])))
    out = io.BytesIO()
    document.save(out, encryption=pikepdf.Encryption(user=user_password, owner=owner_password))
    return out.getvalue()


def _font(size: int):
    for path in FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def text_image(lines: list[str], *, size=(1240, 1754), font_size=34, fmt="PNG", angle=0, dpi=150) -> bytes:
    """A scan-like page image (white, black text) in ``fmt``; ``angle`` turns it counter-clockwise."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = _font(font_size)
    y = 120
    for line in lines:
        draw.text((110, y), line, fill="black", font=font)
        y += int(font_size * 1.8)
    if angle:
        image = image.rotate(angle, expand=True, fillcolor="white")
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, dpi=(dpi, dpi))
    return buffer.getvalue()


def png_with_huge_header(width: int = 30_000, height: int = 30_000) -> bytes:
    """A PNG that declares ``width``×``height`` pixels but carries almost no data.

    A decoder that trusts the header would allocate width×height×3 bytes (2.7 GB for
    30,000²); the file itself is a few hundred bytes.
    """
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" + b"\xff" * 3 * 64)  # one short row: the rest is "missing"
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def tiny_png(width: int = 1, height: int = 1) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return buffer.getvalue()


DEVIS_LINES = [
    "DEVIS N° D-2024-0042",
    "Date du devis : 15/03/2024",
    "Entreprise Isolation Confort SARL - SIRET 732 829 320 00074",
    "Client : Madame Jeanne Dupont, 3 allée des Tilleuls, 69003 Lyon",
    "Désignation : Pompe à chaleur air/eau - opération BAR-TH-171",
    "Montant HT : 10 000,00 €   TVA 5,5 % : 550,00 €   Montant TTC : 10 550,00 €",
    "Bon pour accord, date et signature du client : 20/03/2024",
    "Validité de l'offre : 3 mois",
]

FACTURE_LINES = [
    "FACTURE N° F-2024-0107",
    "Date de facture : 12/05/2024",
    "Entreprise Isolation Confort SARL - SIRET 732 829 320 00074",
    "Client : Madame Jeanne Dupont, 3 allée des Tilleuls, 69003 Lyon",
    "Pompe à chaleur air/eau - opération BAR-TH-171",
    "Montant HT : 10 000,00 €   TVA : 550,00 €   Net à payer TTC : 10 550,00 €",
    "Prime CEE déduite : 4 000,00 €",
]

ATTESTATION_LINES = [
    "ATTESTATION SUR L'HONNEUR",
    "Opération BAR-TH-171 : pompe à chaleur de type air/eau",
    "Bénéficiaire : Madame Jeanne Dupont, 3 allée des Tilleuls, 69003 Lyon",
    "Date d'engagement de l'opération : 20/03/2024",
    "Date d'achèvement de l'opération : 10/05/2024",
    "Je soussigné atteste sur l'honneur l'exactitude des informations ci-dessus.",
]

CADRE_LINES = [
    "CADRE DE CONTRIBUTION",
    "Dispositif des certificats d'économies d'énergie",
    "L'obligé Énergie Plus SA atteste de son rôle actif et incitatif.",
    "Bénéficiaire : Madame Jeanne Dupont",
    "Date : 01/03/2024   Montant de la prime : 4 000,00 €",
]

RGE_LINES = [
    "CERTIFICAT DE QUALIFICATION",
    "Qualification RGE - Reconnu Garant de l'Environnement - QualiPAC",
    "Entreprise Isolation Confort SARL - SIRET 732 829 320 00074",
    "Organisme de qualification : Qualit'EnR",
    "Valable du 01/01/2023 au 31/12/2025",
]

NOTE_LINES = [
    "NOTE DE DIMENSIONNEMENT",
    "Pompe à chaleur air/eau - déperditions du logement : 8,5 kW",
    "Température de base : -7 °C ; puissance de la pompe à chaleur : 9 kW",
    "Taux de couverture des besoins de chauffage : 100 %",
]

AVIS_LINES = [
    "AVIS D'IMPÔT 2024 SUR LES REVENUS DE L'ANNÉE 2023",
    "Direction générale des finances publiques - impots.gouv.fr",
    "Déclarant 1 : Madame Jeanne Dupont - Numéro fiscal : 30 12 345 678 901",
    "Adresse : 3 allée des Tilleuls, 69003 Lyon",
    "Situation de famille : célibataire   Nombre de parts : 1",
    "Revenu fiscal de référence : 14 200 €   Référence de l'avis : 24 69 A123456 78",
]
