"""E-signature marks of the ``platform`` family (see ``platform_facts``): the envelope's ID at the top of
every page, the stamp box a signing service puts where the signer signed (« Signé électroniquement
par Paul DURAND le 14/03/2025 à 10:42:07 »), sometimes with a signature drawn with the finger on a
tablet inside it, the « Certificat de signature » last page (signers, e-mails, IP addresses,
timestamps, the document's fingerprint), and the marks of online documents: a QR code, a diagonal
« DUPLICATA » / « COPIE ».
"""
from __future__ import annotations

import datetime as dt
import hashlib
from random import Random

from .ink import vector_signature
from .sheet import PAGE_H, PAGE_W, Sheet

SERVICE_COLOURS = {"Yousign": (0.45, 0.2, 0.85), "Docusign": (0.95, 0.75, 0.1), "Universign": (0.0, 0.45, 0.7),
                   "Oodrive Sign": (0.9, 0.35, 0.1), "LiveSign": (0.1, 0.55, 0.4)}


def envelope_header(sh: Sheet, service: str, envelope: str) -> None:
    """The envelope's ID a signing service stamps at the top of every page."""
    size = 6.5
    text = {"Docusign": f"Docusign Envelope ID: {envelope}", "Yousign": f"Yousign - ID de transaction : {envelope.lower()}",
            "Universign": f"Universign – transaction {envelope[:23].lower()}"}.get(service, f"{service} · Enveloppe n° {envelope}")
    sh.text(14, 11, text, size, color=(0.35, 0.35, 0.35))


def esign_box(sh: Sheet, x: float, y: float, w: float, service: str, signer: str, when: dt.datetime, *,
              drawn: bool, ink: Random, wording: int = 0) -> float:
    """The stamp box of an e-signature; returns the y below it. ``ink`` draws the tablet signature."""
    colour = SERVICE_COLOURS.get(service, (0.3, 0.3, 0.6))
    height = 68 if drawn else 44
    sh.rect(x, y, w, height, fill_rgb=(0.97, 0.97, 1.0))
    sh.rect(x, y, 3.5, height, stroke=False, fill_rgb=colour)
    size = 7.2
    first = ["Signé électroniquement par", "Signé par", "Signature électronique de"][wording % 3]
    lines = [(f"{first} {signer}", "bold"),
             (f"le {when:%d/%m/%Y} à {when:%H:%M:%S}" + (" (UTC+01:00)" if wording % 2 else ""), "regular"),
             (f"via {service} – certificat qualifié eIDAS" if wording % 2 else f"Signature électronique avancée – {service}", "italic")]
    if drawn:
        saved = sh.rng
        sh.rng = ink
        vector_signature(sh, x + 10, y + 3, min(w - 20, 130), 20)
        sh.rng = saved
    top = y + (34 if drawn else 10)
    for k, (line, style) in enumerate(lines):
        sh.text(x + 9, top + k * (size + 3.2), line, size, style, color=(0.15, 0.15, 0.2))
    return y + height + 6


def audit_page(sh: Sheet, f, service: str, envelope: str, title: str, signers: list[tuple[str, str, str, dt.datetime]],
               page_text: str) -> None:
    """The proof file's page: the document, then one card per signer (name, e-mail, IP, times)."""
    colour = SERVICE_COLOURS.get(service, (0.3, 0.3, 0.6))
    envelope_header(sh, service, envelope)
    sh.rect(sh.left, 34, sh.right - sh.left, 4, stroke=False, fill_rgb=colour)
    sh.text(sh.left, 66, "Certificat de signature" if service != "Yousign" else "Dossier de preuve", 17, "bold")
    sh.text(sh.left, 82, f"Généré par {service} – ce document fait partie intégrante du document signé", 7.5,
            color=(0.4, 0.4, 0.4))
    digest = hashlib.sha256(f"{envelope}|{title}".encode()).hexdigest()
    rows = [("Document", title), ("Identifiant de l'enveloppe", envelope), ("Empreinte SHA-256", digest[:32]),
            ("", digest[32:]), ("Nombre de signataires", str(len(signers))), ("Statut", "Terminé – toutes les signatures recueillies")]
    y = 112
    for label, value in rows:
        sh.text(sh.left, y, label, 8, "bold" if label else "regular", color=(0.3, 0.3, 0.3))
        sh.text(sh.left + 150, y, value, 8)
        y += 13
    y += 14
    for k, (name, email, ip, when) in enumerate(signers, 1):
        sh.rect(sh.left, y, sh.right - sh.left, 96)
        sh.text(sh.left + 10, y + 16, f"Signataire {k} : {name}", 9.5, "bold")
        events = [("Adresse e-mail", email), ("Authentification", "code à usage unique envoyé par SMS au 06 •• •• •• " + ip[-2:]),
                  ("Adresse IP", ip), ("Document consulté le", (when - dt.timedelta(minutes=3)).strftime("%d/%m/%Y %H:%M:%S")),
                  ("Signé le", when.strftime("%d/%m/%Y %H:%M:%S") + " (heure de Paris)")]
        for n, (label, value) in enumerate(events):
            sh.text(sh.left + 10, y + 32 + n * 12, label, 7.8, color=(0.35, 0.35, 0.35))
            sh.text(sh.left + 150, y + 32 + n * 12, value, 7.8)
        y += 108
    sh.paragraph(sh.left, y + 6, "Les signatures électroniques ont été réalisées conformément au règlement (UE) n° 910/2014 "
                 "« eIDAS ». Le présent certificat et les horodatages associés constituent le fichier de preuve de la transaction.",
                 sh.right - sh.left, 7.5)
    sh.text(sh.right, PAGE_H - 16, page_text, 7.5, align="right")


def qr_code(sh: Sheet, x: float, y: float, size: float, payload: str) -> None:
    """A QR-code-looking square of modules drawn from ``payload`` (finder patterns in three corners)."""
    n = 25
    cell = size / n
    bits = Random(payload)
    c = sh.canvas
    c.setFillColorRGB(0, 0, 0)
    for row in range(n):
        for col in range(n):
            corner = next(((row - r0, col - c0) for r0, c0 in ((0, 0), (0, n - 7), (n - 7, 0))
                           if 0 <= row - r0 < 7 and 0 <= col - c0 < 7), None)
            if corner:
                rr, cc = corner
                on = rr in (0, 6) or cc in (0, 6) or (2 <= rr <= 4 and 2 <= cc <= 4)
            else:
                on = bits.random() < 0.5
            if on:
                c.rect(x + col * cell, PAGE_H - y - (row + 1) * cell, cell, cell, stroke=0, fill=1)


def watermark(sh: Sheet, word: str) -> None:
    """A large light word across the page (« DUPLICATA », « COPIE »), drawn under the content as an
    image: the tools stamp it on the rendered page, so it leaves no text in the text layer."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.utils import ImageReader

    try:
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 150)
    except OSError:
        font = ImageFont.load_default()
    width = int(font.getlength(word)) + 40
    image = Image.new("RGBA", (width, 200), (255, 255, 255, 0))
    ImageDraw.Draw(image).text((20, 10), word, fill=(200, 200, 200, 150), font=font)
    image = image.rotate(38, expand=True, resample=Image.BICUBIC)
    w = PAGE_W * 0.8
    h = w * image.height / image.width
    sh.canvas.drawImage(ImageReader(image), (PAGE_W - w) / 2, (PAGE_H - h) / 2, w, h, mask="auto")


def sideways(sh: Sheet, x: float, y_top: float, text: str, size: float) -> None:
    """A line printed down the margin, reading from top to bottom (legal mentions of some tools)."""
    c = sh.canvas
    c.saveState()
    c.setFillColorRGB(0.4, 0.4, 0.4)
    c.setFont(sh.font("regular"), size)
    c.translate(x, PAGE_H - y_top)
    c.rotate(-90)
    c.drawString(0, 0, text)
    c.restoreState()
