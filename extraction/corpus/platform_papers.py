"""The ``platform`` family's proofs and official papers (see ``platform_facts``).

- The RGE certificate downloaded from the qualification body's web space: a card with the body's
  bar, the holder, a status badge (« Qualification en cours de validité »), the qualification codes
  and their labels in a table, « Valide du 2023-04-12 au 2027-04-11 » or « Valide jusqu'au … »
  with the date of attribution, a QR code to check it.
- The body's e-mail printed from a webmail (« De / À / Date / Objet », the attachment's name) whose
  text gives the holder, the number, the domains and the dates.
- The avis d'impôt downloaded from impots.gouv: « Avis d'impôt 2025 sur les revenus 2024 », the
  household's address in the window, « Vos références » with one or two declarants' tax numbers,
  the reference figures in framed tiles (revenu fiscal de référence, nombre de parts « 2,5 »), the
  download line at the foot; or the espace particulier's page of the avis on a phone saved as PDF
  (status bar, « ‹ Mes documents », the figures in cards).
- A heat-pump maker's online sizing tool's export: project tiles, the load curve against the
  outside temperature, the chosen model and its coverage.
"""
from __future__ import annotations

import datetime as dt
from random import Random

from .documents import Drawn
from .facts import DossierFacts, content_random
from .office_certificates import _int_fr, _parts
from .platform_facts import date_text
from .platform_sign import qr_code
from .sheet import PAGE_H, PAGE_W, Sheet
from .software_forms import _avis_truth, _rge_truth
from .wording import MONTH_NAMES, SIRET_STYLES, fmt_siret

GREY = (0.42, 0.42, 0.45)
BODY_COLOURS = {"Qualibat": (0.0, 0.3, 0.55), "QualiPAC": (0.0, 0.5, 0.45), "Qualibois": (0.35, 0.45, 0.1),
                "Qualit'EnR": (0.0, 0.5, 0.45), "Qualifelec": (0.75, 0.1, 0.15), "Certibat": (0.2, 0.2, 0.45),
                "Cequami": (0.45, 0.2, 0.45)}
# Qualification codes and labels as the bodies list them (code, label), per domain word.
CODES = {"toit": ("7131", "Isolation thermique par soufflage (technicité courante)"),
         "murs": ("7141", "Isolation thermique par l'intérieur (technicité courante)"),
         "Pompe": ("QPAC-CH", "Pompe à chaleur en chauffage et eau chaude sanitaire"),
         "Chauffe-eau": ("QPAC-CET", "Chauffe-eau thermodynamique"), "bois": ("QBOIS-A", "Appareils de chauffage au bois"),
         "Chaudière": ("QBOIS-E", "Chaudières bois et biomasse"), "solaire": ("QSOL-CO", "Système solaire combiné")}


def _code(domain: str) -> tuple[str, str]:
    return next((value for key, value in CODES.items() if key in domain), ("RGE", domain))


def rge_espace(f: DossierFacts, rng: Random) -> Drawn:
    """The certificate card downloaded from the body's web space."""
    sh, values = Sheet(rng), content_random(rng)
    c = f.installer
    colour = BODY_COLOURS.get(c.rge_body, (0.2, 0.3, 0.5))
    style = rng.choice(["iso", "long", "slash"])
    until_only = rng.random() < 0.4
    sh.rect(0, 0, PAGE_W, 58, stroke=False, fill_rgb=colour)
    sh.text(sh.left, 36, c.rge_body.upper(), 20, "bold", color=(1, 1, 1))
    sh.text(sh.right, 36, "Espace entreprise · Mes certificats", sh.base_size - 1, align="right", color=(0.9, 0.92, 0.95))
    x0, w = sh.left + 10, sh.right - sh.left - 20
    sh.canvas.setStrokeColorRGB(0.8, 0.8, 0.82)
    sh.canvas.roundRect(x0, PAGE_H - 560, w, 470, 10, stroke=1, fill=0)
    sh.canvas.setStrokeColorRGB(0, 0, 0)
    sh.text(x0 + 20, 124, rng.choice(["Certificat de qualification", "Attestation de qualification RGE"]), 17, "bold")
    sh.rect(x0 + 20, 136, 190, 18, stroke=False, fill_rgb=(0.87, 0.96, 0.89))
    sh.text(x0 + 28, 148.5, "● Qualification en cours de validité" if sh.fonts.regular.startswith("DejaVu") else
            "Qualification en cours de validité", sh.base_size - 1.5, "bold", color=(0.1, 0.5, 0.2))
    rows = [("Titulaire", c.name), ("SIRET", fmt_siret(c.siret, rng.choice(SIRET_STYLES))),
            ("Adresse", f"{c.street}, {c.postal_code} {c.city}"), ("N° de certificat", c.rge_numero),
            ("Mention", "RGE – Reconnu Garant de l'Environnement")]
    y = 180
    for label, value in rows:
        sh.text(x0 + 20, y, label, sh.base_size - 1, color=GREY)
        sh.text(x0 + 140, y, value, sh.base_size, "bold")
        y += sh.base_size + 8
    y += 8
    sh.text(x0 + 20, y, "Qualifications", sh.base_size + 1, "bold", color=colour)
    y += 8
    for k, domain in enumerate(c.domains):
        code, label = _code(domain)
        if k % 2 == 0:
            sh.rect(x0 + 20, y, w - 40, 30, stroke=False, fill_gray=0.96)
        sh.text(x0 + 28, y + 13, code, sh.base_size, "bold")
        sh.text(x0 + 100, y + 13, label, sh.base_size - 0.5)
        sh.text(x0 + 100, y + 25, f"Domaine RGE : {domain}", sh.base_size - 1.5, color=GREY)
        y += 32
    y += 16
    if until_only:
        lines = [f"Date d'attribution : {date_text(c.rge_start, style)}", f"Valide jusqu'au {date_text(c.rge_end, style)}"]
    else:
        lines = [f"Valide du {date_text(c.rge_start, style)} au {date_text(c.rge_end, style)}"]
    for line in lines:
        sh.text(x0 + 20, y, line, sh.base_size + 1, "bold")
        y += sh.base_size + 8
    qr_code(sh, x0 + w - 100, 420, 72, c.rge_numero)
    sh.text(x0 + w - 64, 504, "Vérifier ce certificat", 7, align="center", color=GREY)
    issued = f.date_devis - dt.timedelta(days=values.randint(1, 40))
    sh.text(x0 + 20, 540, f"Document téléchargé le {date_text(issued, 'slash')} – authenticité vérifiable en ligne par QR code",
            7.5, color=GREY)
    sh.paragraph(sh.left, 600, f"{c.rge_body} est accrédité par le COFRAC. La qualification est attribuée pour quatre ans sous "
                 "réserve du contrôle annuel de l'entreprise et d'un audit de réalisation ; elle peut être suspendue ou retirée à "
                 "tout moment.", sh.right - sh.left, 7.5)
    return Drawn(sh.finish(), 1, _rge_truth(f))


def rge_mail(f: DossierFacts, rng: Random) -> Drawn:
    """The body's e-mail with the certificate, printed from a webmail."""
    sh, values = Sheet(rng), content_random(rng)
    c = f.installer
    sent = dt.datetime.combine(c.rge_start + dt.timedelta(days=values.randint(0, 3)), dt.time(values.randint(8, 18), values.randint(0, 59)))
    day = f"{['lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.', 'dim.'][sent.weekday()]} {sent.day} {MONTH_NAMES[sent.month - 1]} {sent.year}"
    body_slug = c.rge_body.lower().replace("'", "").replace(" ", "")
    sh.text(sh.left, 40, f"Messagerie – {c.email}", sh.base_size - 1, color=GREY)
    sh.hline(48, width=0.4, gray=0.7)
    subject = rng.choice([f"Votre certificat de qualification {c.rge_body} n° {c.rge_numero}",
                          "Attribution de votre qualification RGE", f"[{c.rge_body}] Votre attestation de qualification"])
    sh.text(sh.left, 72, subject, 14, "bold")
    heads = [("De", f"{c.rge_body} <no-reply@{body_slug}.fr>"), ("À", c.email), ("Date", f"{day} à {sent:%H:%M}"),
             ("Pièce jointe", f"Certificat_{c.rge_numero.replace('/', '-')}.pdf (214 Ko)")]
    y = 96
    for label, value in heads:
        sh.text(sh.left, y, f"{label} :", sh.base_size - 0.5, "bold")
        sh.text(sh.left + 80, y, value, sh.base_size - 0.5)
        y += sh.base_size + 5
    sh.hline(y, width=0.4, gray=0.7)
    y += 24
    style = rng.choice(["long", "slash", "iso"])
    paragraphs = [
        "Madame, Monsieur,",
        "Nous avons le plaisir de vous informer que la commission d'attribution a accordé à l'entreprise",
        f"{c.name} (SIRET {c.siret})",
        f"la qualification {c.rge_body} assortie de la mention RGE, sous le numéro {c.rge_numero}.",
        f"Cette qualification est valable du {date_text(c.rge_start, style)} au {date_text(c.rge_end, style)} pour les "
        f"domaines de travaux suivants :",
    ]
    for k, text in enumerate(paragraphs):
        y = sh.paragraph(sh.left, y, text, sh.right - sh.left, style="bold" if k == 2 else "regular") + (8 if k in (0, 3, 4) else 0)
    for domain in c.domains:
        sh.text(sh.left + 14, y, f"– {domain}", sh.base_size, "bold")
        y += sh.base_size + 6
    y += 8
    for text in ["Vous trouverez votre certificat en pièce jointe ; il est également disponible dans votre espace entreprise. "
                 "Votre fiche apparaîtra dans l'annuaire France Rénov' sous 48 heures.", "Bien cordialement,",
                 f"Le service Qualification – {c.rge_body}"]:
        y = sh.paragraph(sh.left, y, text, sh.right - sh.left) + 6
    sh.text(sh.right, PAGE_H - 18, "1/1", 7, align="right", color=GREY)
    return Drawn(sh.finish(), 1, _rge_truth(f))


# ---------------------------------------------------------------------------- avis d'impôt

def _tax_household(f: DossierFacts):
    """The avis's declarant, spouse (or None), the address the tax office has (the billing one where
    it differs from the works') and the tax year."""
    p = f.beneficiary
    billing = f.extra.get("billing")
    return (p, f.extra.get("spouse") and f.declarant2, billing if billing else (p.street, p.postal_code, p.city),
            f.annee_revenus + 1)


def avis_telecharge(f: DossierFacts, rng: Random) -> Drawn:
    """The avis d'impôt as downloaded from the espace particulier: the 2025 first page."""
    sh, values = Sheet(rng), content_random(rng)
    p, spouse, (street, postal, city), year = _tax_household(f)
    sh.text(sh.left, 40, "RÉPUBLIQUE", 8, "bold")
    sh.text(sh.left, 49, "FRANÇAISE", 8, "bold")
    sh.text(sh.left, 62, "Liberté · Égalité · Fraternité" if sh.fonts.regular.startswith("DejaVuSans") else "Liberté, Égalité, Fraternité",
            6, "italic")
    sh.text(sh.left + 110, 46, "FINANCES PUBLIQUES", 10, "bold", color=(0.0, 0.0, 0.57))
    sh.text(sh.left + 110, 58, f"Centre des finances publiques de {city.upper()}", 7.5, color=GREY)
    name = (f"M OU MME {p.last_name.upper()} {p.first_name.upper()}" if spouse else
            f"{'MME' if p.civility == 'Mme' else 'M'} {p.last_name.upper()} {p.first_name.upper()}")
    for k, line in enumerate([name, street.upper(), f"{postal} {city.upper()}"]):
        sh.text(320, 120 + k * (sh.base_size + 3), line, sh.base_size + 0.5)
    title = rng.choice([f"Avis d'impôt {year} sur les revenus {f.annee_revenus}",
                        f"AVIS D'IMPÔT {year} – IMPÔT SUR LES REVENUS DE {f.annee_revenus}"])
    sh.text(sh.left, 190, title, 15, "bold")
    # Vos références: one column per declarant.
    y = 214
    sh.rect(sh.left, y, sh.right - sh.left, 78 if spouse else 64, fill_gray=0.96, stroke=False)
    sh.text(sh.left + 8, y + 14, "Vos références", sh.base_size, "bold")
    fiscal = lambda: f"{values.randint(10, 39)} {values.randint(10, 99)} {values.randint(100, 999)} {values.randint(100, 999)} {values.randint(100, 999)}"  # noqa: E731
    rows = [("Numéro fiscal du déclarant 1", fiscal())] + ([("Numéro fiscal du déclarant 2", fiscal())] if spouse else [])
    rows += [("Référence de l'avis", f"{str(year)[2:]} {postal[:2]} {values.randint(1000000, 9999999)} {values.randint(10, 99)}"),
             ("Date de mise en recouvrement", f"{values.randint(25, 31)}/07/{year}")]
    for k, (label, value) in enumerate(rows):
        sh.text(sh.left + 8, y + 30 + k * (sh.base_size + 3), label, sh.base_size - 1.5)
        sh.text(sh.left + 200, y + 30 + k * (sh.base_size + 3), value, sh.base_size - 1, "bold")
    y += (78 if spouse else 64) + 18
    # the tiles of the reference figures
    parts = _parts(f.nombre_parts, rng)
    rfr = _int_fr(f.revenu_fiscal) if rng.random() < 0.8 else str(f.revenu_fiscal)
    tax = int(f.revenu_fiscal * values.uniform(0, 0.07))
    tiles = [("Revenu fiscal de référence", f"{rfr} €"), ("Nombre de parts", parts), ("Impôt sur le revenu net", f"{_int_fr(tax)} €")]
    width = (sh.right - sh.left - 20) / 3
    for k, (label, value) in enumerate(tiles):
        x = sh.left + k * (width + 10)
        sh.canvas.setStrokeColorRGB(0.0, 0.0, 0.57)
        sh.canvas.roundRect(x, PAGE_H - y - 54, width, 54, 6, stroke=1, fill=0)
        sh.canvas.setStrokeColorRGB(0, 0, 0)
        sh.text(x + 8, y + 16, label, sh.base_size - 1.5, color=GREY)
        sh.text(x + 8, y + 40, value, sh.base_size + 5, "bold", color=(0.0, 0.0, 0.57))
    y += 78
    situation = "Marié(e)s ou pacsé(e)s" if spouse else rng.choice(["Célibataire", "Divorcé(e) ou séparé(e)", "Veuf(ve)"])
    details = [("Situation de famille", situation), ("Nombre de personnes à charge", str(values.randint(0, 3))),
               ("Revenu brut global", _int_fr(int(f.revenu_fiscal * 1.06))), ("Revenu imposable", _int_fr(f.revenu_fiscal)),
               ("Prélèvement à la source déjà versé", f"{_int_fr(tax)} €"), ("Solde", "0 €")]
    sh.text(sh.left, y, "Votre situation et le détail de votre impôt", sh.base_size + 1.5, "bold")
    y += 8
    for k, (label, value) in enumerate(details):
        y += sh.base_size + 7
        sh.text(sh.left, y, label, sh.base_size - 0.5)
        sh.text(sh.right, y, value, sh.base_size - 0.5, "bold", align="right")
        sh.hline(y + 4, width=0.3, gray=0.85)
    sh.paragraph(sh.left, y + 30, "Pour toute question, connectez-vous à votre espace particulier sur impots.gouv.fr, rubrique "
                 "« Messagerie sécurisée ». Le revenu fiscal de référence figurant sur cet avis peut vous être demandé pour "
                 "bénéficier d'aides à la rénovation énergétique.", sh.right - sh.left, sh.base_size - 1.5)
    downloaded = dt.date(year, values.randint(8, 12), values.randint(1, 28))
    sh.text(sh.left, PAGE_H - 20, f"Document téléchargé depuis impots.gouv.fr le {downloaded:%d/%m/%Y}", 7, color=GREY)
    sh.text(sh.right, PAGE_H - 20, "1/4", 7, align="right", color=GREY)
    truth = _avis_truth(f)
    truth["adresse"] = street
    return Drawn(sh.finish(), 1, truth)


def avis_mobile(f: DossierFacts, rng: Random) -> Drawn:
    """The espace particulier's page of the avis on a phone, saved as PDF: a narrow column, the status
    bar, « ‹ Mes documents », the avis's card with its figures, the download button."""
    sh, values = Sheet(rng), content_random(rng)
    p, spouse, (street, postal, city), year = _tax_household(f)
    width = 290
    x0 = (PAGE_W - width) / 2
    right = x0 + width
    sh.rect(x0 - 8, 24, width + 16, 640, fill_gray=0.97)
    sh.text(x0, 42, f"{values.randint(8, 21)}:{values.randint(10, 59)}", 8.5, "bold")
    sh.text(right, 42, f"4G  {values.randint(18, 96)} %", 8, align="right")
    sh.rect(x0 - 8, 52, width + 16, 34, stroke=False, fill_rgb=(0.0, 0.0, 0.57))
    sh.text(x0, 73, "‹ Mes documents", 9, "bold", color=(1, 1, 1))
    sh.text(right, 73, "impots.gouv", 9, align="right", color=(1, 1, 1))
    y = 112
    sh.text(x0, y, f"Avis d'impôt {year}", 15, "bold")
    sh.text(x0, y + 16, f"Impôt sur les revenus {f.annee_revenus}", 9.5, color=GREY)
    y += 34
    parts = _parts(f.nombre_parts, rng)
    rfr = _int_fr(f.revenu_fiscal) if rng.random() < 0.7 else str(f.revenu_fiscal)
    cards = [[("Déclarant 1", f"{p.last_name.upper()} {p.first_name}")] +
             ([("Déclarant 2", f"{p.last_name.upper()} {f.declarant2}")] if spouse else []) +
             [("Adresse", street), ("", f"{postal} {city.upper()}")],
             [("Revenu fiscal de référence", f"{rfr} €"), ("Nombre de parts", parts),
              ("Impôt sur le revenu net", f"{_int_fr(int(f.revenu_fiscal * values.uniform(0, 0.06)))} €")],
             [("Date de mise en recouvrement", f"{values.randint(25, 31)}/07/{year}"),
              ("Référence de l'avis", f"{str(year)[2:]} {postal[:2]} {values.randint(1000000, 9999999)} {values.randint(10, 99)}")]]
    for card in cards:
        height = len(card) * 30 + 10
        sh.canvas.setFillColorRGB(1, 1, 1)
        sh.canvas.setStrokeColorRGB(0.85, 0.85, 0.88)
        sh.canvas.roundRect(x0, PAGE_H - y - height, width, height, 8, stroke=1, fill=1)
        sh.canvas.setStrokeColorRGB(0, 0, 0)
        sh.canvas.setFillColorRGB(0, 0, 0)
        for k, (label, value) in enumerate(card):
            top = y + 16 + k * 30
            if label:
                sh.text(x0 + 12, top, label, 7.8, color=GREY)
            sh.text(x0 + 12, top + (12 if label else -2), value, 10, "bold")
        y += height + 12
    sh.rect(x0, y + 4, width, 30, stroke=False, fill_rgb=(0.0, 0.0, 0.57))
    sh.text(x0 + width / 2, y + 23, "Télécharger l'avis (PDF)", 9.5, "bold", align="center", color=(1, 1, 1))
    sh.text(PAGE_W / 2, PAGE_H - 20, "https://cfspart.impots.gouv.fr/monprofil-webapp/documents", 7, align="center", color=GREY)
    truth = _avis_truth(f)
    truth["adresse"] = street
    return Drawn(sh.finish(), 1, truth)


# ---------------------------------------------------------------------------- note de dimensionnement

def note_simulateur(f: DossierFacts, rng: Random) -> Drawn:
    """A maker's online sizing tool's export: tiles, the load curve, the chosen model."""
    sh, values = Sheet(rng), content_random(rng)
    p, client = f.products[0], f.beneficiary
    surface = int(p.surface or values.randint(70, 160))
    base = values.choice([-3, -5, -7, -9, -11])
    load = surface * values.uniform(45, 85) / 1000
    colour = rng.choice([(0.85, 0.1, 0.15), (0.0, 0.35, 0.65), (0.1, 0.5, 0.3)])
    sh.rect(0, 0, PAGE_W, 50, stroke=False, fill_rgb=colour)
    sh.text(sh.left, 32, f"{p.brand} Pro – Simulateur de dimensionnement", sh.base_size + 4, "bold", color=(1, 1, 1))
    sh.text(sh.right, 32, f"Projet #{values.randint(100000, 999999)}", sh.base_size - 1, align="right", color=(1, 1, 1))
    sh.text(sh.left, 80, f"Projet : {client.last_name.upper()} – {client.city}", sh.base_size + 2, "bold")
    tiles = [("Surface chauffée", f"{surface} m²"), ("Temp. de base", f"{base} °C"),
             ("Déperditions", f"{load:.1f} kW".replace(".", ",")), ("Émetteurs", values.choice(["Plancher chauffant", "Radiateurs BT",
                                                                                               "Radiateurs HT"]))]
    width = (sh.right - sh.left - 30) / 4
    for k, (label, value) in enumerate(tiles):
        x = sh.left + k * (width + 10)
        sh.rect(x, 96, width, 46, stroke=False, fill_gray=0.95)
        sh.text(x + 8, 111, label, sh.base_size - 2, color=GREY)
        sh.text(x + 8, 131, value, sh.base_size + 2, "bold")
    # the curve: the house's load against the outside temperature, and the pump's output
    x0, y0, w, h = sh.left + 30, 350, sh.right - sh.left - 60, 170
    sh.hline(y0, x0, x0 + w, width=0.6, gray=0.3)
    sh.canvas.line(x0, PAGE_H - y0, x0, PAGE_H - (y0 - h))
    temps = list(range(base, 16, 3))
    for k, t in enumerate(temps):
        x = x0 + w * k / (len(temps) - 1)
        sh.text(x, y0 + 12, f"{t} °C", 6.5, align="center", color=GREY)
    sh.canvas.setStrokeColorRGB(*colour)
    sh.canvas.setLineWidth(1.6)
    sh.canvas.line(x0, PAGE_H - (y0 - h * 0.9), x0 + w, PAGE_H - (y0 - h * 0.05))
    sh.canvas.setStrokeColorRGB(0.2, 0.2, 0.2)
    sh.canvas.setDash(3, 2)
    sh.canvas.line(x0, PAGE_H - (y0 - h * 0.82), x0 + w, PAGE_H - (y0 - h * 0.98))
    sh.canvas.setDash()
    sh.text(x0, y0 - h - 8, "Puissance (kW)", 7, color=GREY)
    sh.text(x0 + w, y0 - h - 8, "— besoin du logement   - - puissance PAC", 7, align="right", color=GREY)
    rows = [("Modèle sélectionné", f"{p.brand} {p.reference}"), ("Puissance à la température de base", f"{load * values.uniform(0.95, 1.2):.1f} kW".replace(".", ",")),
            ("Taux de couverture", f"{values.randint(95, 125)} %"), ("Point d'équilibre", f"{values.randint(-8, -1)} °C"),
            ("Appoint électrique", values.choice(["3 kW", "6 kW", "non nécessaire"]))]
    y = 390
    for label, value in rows:
        sh.text(sh.left, y, label, sh.base_size)
        sh.text(sh.right, y, value, sh.base_size, "bold", align="right")
        sh.hline(y + 4, width=0.3, gray=0.85)
        y += sh.base_size + 9
    sh.paragraph(sh.left, y + 20, "Résultats indicatifs calculés à partir des données saisies ; ils ne remplacent pas une étude "
                 "thermique (NF EN 12831).", sh.right - sh.left, sh.base_size - 1.5)
    printed = f.date_devis - dt.timedelta(days=values.randint(1, 10))
    sh.text(sh.left, PAGE_H - 20, f"Exporté le {printed.isoformat()} depuis le portail professionnel {p.brand}", 7, color=GREY)
    return Drawn(sh.finish(), 1, {})
