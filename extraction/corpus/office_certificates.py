"""The ``office`` family's certificates and official papers (see ``office_facts``): RGE
certificates of bodies the other families do not draw, the tax office's real first page of an
avis d'impôt, and a bureau d'études' thermal study.

- Qualifelec: the logo top left, the company's name and address top right, « CERTIFICAT DE
  QUALIFICATION PROFESSIONNELLE », identity lines on the left (Raison sociale, Dossier N°, Siret,
  assurances), « Certificat numéro … valable : du … au … » and « Édité le » on the right, the
  qualification, its indices and mentions, the RGE domains as a dash list, the president's ink.
- Certibat: landscape, the company centred, « Est certifié conformément : … pour son activité de : »,
  the domains in capitals, « Certificat N° … Délivré le … Valable jusqu'au … » along the bottom.
- Cequami: an attestation in a sentence and a grid of domains with « Date d'attribution » /
  « Date d'échéance ».
- Qualibat and the others: a landscape « attestation de qualification » in a decorative frame,
  centred text, the qualifications as codes and labels, « valable du … au … ».
- The avis d'impôt: « Avis d'impôt 2024 sur les revenus de l'année 2023 », the address block top
  right for a window envelope, the « Vos références » box, the revenu fiscal de référence in it or
  only on page 2, the number of parts in the household's situation or the details.
- The thermal study: hypotheses, losses per room in a grid, the base temperature, the chosen heat pump.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from random import Random

from .documents import Drawn, _dec
from .facts import DossierFacts, content_random
from .ink import sign, stamp
from .office_facts import date_text
from .office_grid import grid, landscape, next_page, page_height, page_width
from .sheet import PAGE_H, Sheet
from .software_forms import QUALIBAT_CODES, _rge_truth
from .wording import MONTH_NAMES, SIRET_STYLES, fmt_number, fmt_siret

BLUE = (0.1, 0.25, 0.55)
WHITE = (1, 1, 1)


def _int_fr(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _words(d: dt.date) -> str:
    return f"{'1er' if d.day == 1 else d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def rge_office(f: DossierFacts, rng: Random) -> Drawn:
    """The certificate as the installer's body prints it."""
    body = f.installer.rge_body
    layout = {"Qualifelec": rge_qualifelec, "Certibat": rge_certibat, "Cequami": rge_cequami}.get(body, rge_framed)
    return layout(f, rng)


def rge_qualifelec(f: DossierFacts, rng: Random) -> Drawn:
    sh, values = Sheet(rng), content_random(rng)
    c = f.installer
    d = lambda value: date_text(value, rng.choice(["slash", "slash", "long"]))  # noqa: E731
    sh.rect(sh.left, 36, 70, 62, stroke=False, fill_rgb=BLUE)
    sh.text(sh.left + 35, 66, "RGE", 20, "bold", align="center", color=WHITE)
    sh.text(sh.left + 35, 88, "QUALIFELEC", 8, "bold", align="center", color=WHITE)
    sh.text(sh.left, 112, "PRÉFÉREZ L'EXCELLENCE", 7, "bold", color=BLUE)
    x = page_width(sh) / 2 + 40
    for k, line in enumerate([c.name, c.street, f"{c.postal_code} {c.city.upper()}"]):
        sh.text(x, 120 + k * (sh.base_size + 3), line, sh.base_size, "bold" if k == 0 else "regular")
    sh.text(page_width(sh) / 2, 210, "— CERTIFICAT DE QUALIFICATION —", 15, "bold", align="center", color=BLUE)
    sh.text(page_width(sh) / 2, 230, "PROFESSIONNELLE", 15, "bold", align="center", color=BLUE)
    y = 272
    sh.text(sh.left, y, f"Raison sociale : {c.name}", sh.base_size - 0.5)
    y += 22
    edited = c.rge_start + dt.timedelta(days=values.randint(5, 200))
    left = [f"Dossier N° : {values.randint(10000, 99999)}", f"Forme juridique : {c.legal_form}",
            f"Siret : {fmt_siret(c.siret, rng.choice(SIRET_STYLES))}",
            f"Assurance Responsabilité Décennale : {values.choice(['MMA', 'AXA', 'SMABTP', 'Groupama'])}",
            f"Téléphone : {c.phone}", f"Courriel : {c.email}"]
    right = [f"Certificat numéro {c.rge_numero} valable :", f"du {d(c.rge_start)} au {d(c.rge_end)}", "",
             f"Édité le {_words(edited)}"]
    for k, line in enumerate(left):
        sh.text(sh.left, y + k * (sh.base_size + 3), line, sh.base_size - 1)
    for k, line in enumerate(right):
        sh.text(page_width(sh) / 2 + 40, y + k * (sh.base_size + 3), line, sh.base_size - 1, "bold" if k == 1 else "regular")
    y += 6 * (sh.base_size + 3) + 24
    qualification = values.choice(["CHAUFFAGE ÉLECTRIQUE (CHE)", "ÉNERGIES RENOUVELABLES (ENR)", "ÉLECTROTECHNIQUE (ELE)"])
    for head, lines in [(f"Qualification professionnelle : {qualification}", []), ("Indice(s) :", [qualification[-4:-1] + " : "
                        + qualification.split(" (")[0].capitalize()]), ("Mention(s) associée(s) :",
                        ["RGE : Reconnu Garant de l'Environnement"]), ("Domaine(s) de travaux RGE :", [f"- {x}" for x in c.domains])]:
        sh.text(sh.left, y, head, sh.base_size - 0.5, "bold")
        y += sh.base_size + 3
        for line in lines:
            sh.text(sh.left, y, line, sh.base_size - 0.5)
            y += sh.base_size + 3
        y += 8
    sh.text(sh.right, y + 70, "Le Président de Qualifelec", sh.base_size - 1, align="right")
    sign(sh, sh.right - 160, y + 10, 150, 44, kind=rng.choice(["vector", "image"]))
    sh.rect(0, page_height(sh) - 70, page_width(sh), 70, stroke=False, fill_rgb=BLUE)
    sh.text(page_width(sh) / 2, page_height(sh) - 46, "Connectez-vous sur pros.qualifelec.fr pour consulter la nomenclature",
            sh.base_size - 1, "bold", align="center", color=WHITE)
    sh.text(page_width(sh) / 2, page_height(sh) - 24, "Association Professionnelle et Technique des Entreprises du Génie "
            "Électrique, Énergétique et Numérique", sh.base_size - 3, align="center", color=WHITE)
    return Drawn(sh.finish(), 1, _rge_truth(f))


def rge_certibat(f: DossierFacts, rng: Random) -> Drawn:
    sh = Sheet(rng)
    landscape(sh)
    c = f.installer
    d = lambda value: date_text(value, "slash")  # noqa: E731
    width, height = page_width(sh), page_height(sh)
    sh.text(sh.left + 10, 50, "RGE", 14, "bold", color=(0.4, 0.25, 0.6))
    sh.text(sh.left + 10, 72, "CERTIBAT", 20, "bold", color=BLUE)
    sh.text(sh.left + 10, 86, "Rénovation énergétique", sh.base_size - 1, "italic", color=BLUE)
    sh.text(sh.right, 46, f"Édité le :  {d(c.rge_start + dt.timedelta(days=rng.randint(1, 60)))}", sh.base_size - 0.5, align="right")
    middle = width / 2
    y = 60
    for k, line in enumerate([c.name.upper(), c.street, f"{c.postal_code} {c.city}",
                              f"SIRET : {fmt_siret(c.siret, rng.choice(SIRET_STYLES))}"]):
        sh.text(middle, y, line, sh.base_size + (3 if k == 0 else 0), "bold" if k == 0 else "regular", align="center")
        y += sh.base_size + (8 if k == 0 else 4)
    y += 20
    for k, line in enumerate(["Est certifié conformément :",
                              "- aux exigences du référentiel de certification CERTIBAT RÉNOVATION ÉNERGÉTIQUE (RÉF RENO)",
                              "- aux règles de certification (RC 17065)",
                              "- aux conditions particulières de certification Rénovation Énergétique (CP RENO)"]):
        sh.text(middle, y, line, sh.base_size - 0.5, align="center")
        y += sh.base_size + 3
    y += 16
    sh.text(middle, y, "pour son activité de :", sh.base_size, align="center")
    y += sh.base_size + 8
    for domain in c.domains:
        sh.text(middle, y, domain.upper(), sh.base_size + 3, "bold", align="center")
        y += sh.base_size + 8
    sh.rect(0, height - 70, width, 70, stroke=False, fill_rgb=(0.85, 0.88, 0.93))
    base = height - 110
    sh.text(middle - 60, base - 22, "Nom de la police d'assurance :", sh.base_size - 1)
    sh.text(sh.left + 20, base, f"Certificat N° : {c.rge_numero}", sh.base_size)
    sh.text(middle - 60, base, f"Délivré le : {d(c.rge_start)}", sh.base_size, "bold")
    sh.text(middle + 110, base, f"Valable jusqu'au {d(c.rge_end)}", sh.base_size, "bold")
    sh.text(middle, base + 18, "Le Responsable des Certifications", sh.base_size - 2, "bold", align="center")
    sign(sh, middle - 40, base + 22, 90, 34, kind="vector")
    sh.rect(8, 90, 16, height - 190, stroke=False, fill_rgb=BLUE)
    return Drawn(sh.finish(), 1, _rge_truth(f))


def rge_cequami(f: DossierFacts, rng: Random) -> Drawn:
    sh, values = Sheet(rng), content_random(rng)
    c = f.installer
    style = rng.choice(["slash", "long", "dot"])
    sh.text(sh.left, 54, "CEQUAMI", 22, "bold", color=(0.0, 0.45, 0.35))
    sh.text(sh.left, 68, "Certification de la qualité dans l'habitat", sh.base_size - 1, "italic")
    sh.text(sh.right, 54, f"N/Réf. : {values.randint(100, 999)}-{values.randint(1000, 9999)}", sh.base_size - 1, align="right")
    y = 120
    sh.text(page_width(sh) / 2, y, "ATTESTATION DE CERTIFICATION RGE", 15, "bold", align="center")
    y += 36
    text = (f"CEQUAMI atteste que l'entreprise {c.name}, {c.legal_form}, dont le siège est situé {c.street}, {c.postal_code} "
            f"{c.city}, immatriculée sous le numéro SIRET {fmt_siret(c.siret, rng.choice(SIRET_STYLES))}, est titulaire de la "
            f"certification « Rénovation énergétique – RGE » sous le numéro {c.rge_numero}, pour les domaines de travaux "
            "suivants :")
    y = sh.paragraph(sh.left, y, text, sh.right - sh.left, sh.base_size + 0.5) + 10
    rows = [[domain, date_text(c.rge_start, style), date_text(c.rge_end, style)] for domain in c.domains]
    y = grid(sh, y, [("Domaine de travaux", 3.0, "left"), ("Date d'attribution", 1.3, "center"),
                     ("Date d'échéance", 1.3, "center")], rows) + 20
    y = sh.paragraph(sh.left, y, "La présente attestation est valable sous réserve du maintien de la certification, "
                     "qui fait l'objet d'audits de suivi annuels. Sa validité peut être vérifiée sur www.cequami.fr.",
                     sh.right - sh.left, sh.base_size - 1) + 20
    sh.text(sh.right - 180, y, f"Fait à Paris, le {date_text(c.rge_start, style)}", sh.base_size - 0.5)
    sh.text(sh.right - 180, y + 16, "Le Directeur de la certification", sh.base_size - 0.5)
    stamp(sh, sh.right - 190, y + 24, 150, 60, ["CEQUAMI", "CERTIFICATION"])
    return Drawn(sh.finish(), 1, _rge_truth(f))


def rge_framed(f: DossierFacts, rng: Random) -> Drawn:
    """A landscape « attestation de qualification » in a decorative frame."""
    sh = Sheet(rng)
    landscape(sh)
    c = f.installer
    width, height = page_width(sh), page_height(sh)
    style = rng.choice(["slash", "long", "long"])
    for inset, weight in [(18, 2.5), (26, 0.8)]:  # raw canvas coordinates: from the bottom of the portrait page
        sh.canvas.setLineWidth(weight)
        sh.canvas.setStrokeColorRGB(*BLUE)
        sh.canvas.rect(inset, PAGE_H - (height - inset), width - 2 * inset, height - 2 * inset)
    for cx, cy in [(34, 34), (width - 34, 34), (34, height - 34), (width - 34, height - 34)]:
        sh.canvas.setFillColorRGB(*BLUE)
        sh.canvas.circle(cx, PAGE_H - cy, 5, stroke=0, fill=1)
    sh.canvas.setFillColorRGB(0, 0, 0)
    sh.canvas.setStrokeColorRGB(0, 0, 0)
    middle = width / 2
    body = c.rge_body.upper()
    sh.text(middle, 70, body, 24, "bold", align="center", color=BLUE)
    sh.text(middle, 96, rng.choice(["ATTESTATION DE QUALIFICATION", "CERTIFICAT DE QUALIFICATION « RGE »"]), 15, "bold",
            align="center")
    sh.text(middle, 122, "délivrée à", sh.base_size, "italic", align="center")
    y = 146
    for k, line in enumerate([c.name, f"{c.street} – {c.postal_code} {c.city.upper()}",
                              f"SIRET {fmt_siret(c.siret, rng.choice(SIRET_STYLES))}"]):
        sh.text(middle, y, line, 16 if k == 0 else sh.base_size, "bold" if k == 0 else "regular", align="center")
        y += 24 if k == 0 else sh.base_size + 4
    y += 14
    sh.text(middle, y, "pour les qualifications suivantes, avec la mention RGE :", sh.base_size, align="center")
    y += sh.base_size + 10
    for domain in c.domains:
        code, label = QUALIBAT_CODES.get(domain, ("", domain)) if c.rge_body == "Qualibat" else ("", domain)
        line = f"{code} – {label} ({domain})" if code else domain
        sh.text(middle, y, line, sh.base_size + 1, "bold", align="center")
        y += sh.base_size + 7
    y += 14
    if rng.random() < 0.5:
        sh.text(middle, y, f"valable du {date_text(c.rge_start, style)} au {date_text(c.rge_end, style)}", sh.base_size + 1,
                align="center")
    else:
        sh.text(middle - 130, y, f"Date d'attribution : {date_text(c.rge_start, style)}", sh.base_size + 0.5, align="center")
        sh.text(middle + 130, y, f"Date d'échéance : {date_text(c.rge_end, style)}", sh.base_size + 0.5, align="center")
    y += sh.base_size + 12
    sh.text(middle, y, f"Qualification n° {c.rge_numero}", sh.base_size + 1, "bold", align="center")
    sh.text(width - 140, height - 90, "Le Président", sh.base_size - 0.5, align="center")
    sign(sh, width - 210, height - 84, 140, 36, kind="vector")
    stamp(sh, 70, height - 130, 120, 70, [body, "QUALIFICATION"])
    return Drawn(sh.finish(), 1, _rge_truth(f))


# ---------------------------------------------------------------------------- avis d'impôt

def _parts(value: Decimal, rng: Random) -> str:
    return fmt_number(value, rng.choice([1, 2])) if value % 1 else fmt_number(value, rng.choice([0, 2]))


def avis_first_page(f: DossierFacts, rng: Random) -> Drawn:
    """The avis d'impôt as the tax office posts it: the window-envelope address, the references box,
    the summary; the revenu fiscal de référence on page 1, or only in the details of page 2."""
    sh, values = Sheet(rng), content_random(rng)
    p = f.beneficiary
    spouse = f.extra.get("spouse") and f.declarant2
    year = f.annee_revenus + 1
    rfr_on_page_2 = rng.random() < 0.35
    parts = _parts(f.nombre_parts, rng)
    rfr = _int_fr(f.revenu_fiscal) if rng.random() < 0.7 else str(f.revenu_fiscal)
    sh.text(sh.left, 40, "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES", sh.base_size - 2, "bold")
    centre = values.choice(["SIP DE " + p.city.upper(), "CENTRE DES FINANCES PUBLIQUES", "SIP " + p.city.upper() + " NORD"])
    for k, line in enumerate([centre, f"{values.randint(1, 60)} RUE DE LA RÉPUBLIQUE", f"{p.postal_code[:2]}000 {p.city.upper()}"]):
        sh.text(sh.left, 54 + k * (sh.base_size + 1), line, sh.base_size - 2.5)
    sh.rect(sh.left, 92, 220, 46)
    sh.text(sh.left + 6, 104, "Pour nous contacter", sh.base_size - 1.5, "bold")
    sh.text(sh.left + 6, 116, "Votre espace particulier : www.impots.gouv.fr", sh.base_size - 2.5)
    sh.text(sh.left + 6, 127, "Un service en ligne, sans vous déplacer", sh.base_size - 2.5)
    name = (f"M OU MME {p.last_name.upper()} {p.first_name.upper()}" if spouse else
            f"{'MME' if p.civility == 'Mme' else 'M'} {p.last_name.upper()} {p.first_name.upper()}")
    for k, line in enumerate([name, p.street.upper(), f"{p.postal_code} {p.city.upper()}"]):  # the window of the envelope
        sh.text(315, 150 + k * (sh.base_size + 3), line, sh.base_size + 0.5)
    sh.text(sh.left, 204, rng.choice([f"AVIS D'IMPÔT {year}", f"Avis d'impôt {year}"]), 16, "bold")
    sh.text(sh.left, 222, f"IMPÔT SUR LE REVENU – sur les revenus de l'année {f.annee_revenus}", sh.base_size + 0.5, "bold")
    y = 246
    refs = [("Numéro fiscal", f"{values.randint(10, 39)} {values.randint(10, 99)} {values.randint(100, 999)} "
                              f"{values.randint(100, 999)} {values.randint(100, 999)}"),
            ("N° d'accès en ligne", f"{values.randint(10, 99)} {values.randint(10, 99)} {values.randint(100, 999)} "
                                    f"{values.randint(100, 999)} {values.randint(100, 999)}")]
    if not rfr_on_page_2:
        refs.append(("Revenu fiscal de référence", rfr))
    refs.append(("Référence de l'avis", f"{str(year)[2:]} {p.postal_code[:2]} {values.choice('ABCDEFG')}{values.randint(100000, 999999)} "
                                        f"{values.randint(10, 99)}"))
    sh.rect(sh.left, y, 250, 16 + len(refs) * (sh.base_size + 5), fill_gray=0.95)
    sh.text(sh.left + 6, y + 12, "Vos références", sh.base_size, "bold")
    yy = y + 14
    for label, value in refs:
        yy += sh.base_size + 5
        sh.text(sh.left + 6, yy, label, sh.base_size - 1.5)
        sh.text(sh.left + 244, yy, value, sh.base_size - 1, "bold", align="right")
    tax = int(f.revenu_fiscal * values.uniform(0.0, 0.08))
    summary_x = sh.left + 270
    sh.rect(summary_x, y, sh.right - summary_x, 96)
    sh.text(summary_x + 6, y + 14, "Montant de votre impôt sur le revenu", sh.base_size - 0.5, "bold")
    for k, (label, value) in enumerate([("Impôt sur le revenu net", f"{_int_fr(tax)} €"),
                                        ("Retenue à la source déjà prélevée", f"{_int_fr(tax)} €"),
                                        ("Reste à payer", "0 €")]):
        sh.text(summary_x + 6, y + 34 + k * (sh.base_size + 6), label, sh.base_size - 1)
        sh.text(sh.right - 6, y + 34 + k * (sh.base_size + 6), value, sh.base_size - 0.5, "bold", align="right")
    y = max(yy, y + 96) + 28
    situation = "Marié(e)s ou pacsé(e)s" if spouse else rng.choice(["Célibataire", "Divorcé(e)", "Veuf(ve)"])
    if not rfr_on_page_2:
        sh.text(sh.left, y, "Vos revenus et votre situation", sh.base_size + 1, "bold")
        y += sh.base_size + 8
        rows = [["Situation de famille", situation], ["Nombre de parts", parts], ["Revenu fiscal de référence", f"{rfr} €"]]
        y = grid(sh, y, [("", 2.0, "left"), ("", 1.0, "right")], rows, header=False, width=300) + 20
    sh.paragraph(sh.left, y, "Votre taux de prélèvement à la source est calculé à partir de ces revenus. Vous pouvez le "
                 "moduler dans votre espace particulier, rubrique « Gérer mon prélèvement à la source ».", sh.right - sh.left,
                 sh.base_size - 1.5)
    sh.text(sh.right, page_height(sh) - 24, "1/2" if rfr_on_page_2 else "1/1", sh.base_size - 2.5, align="right")
    pages = 1
    if rfr_on_page_2:
        next_page(sh)
        pages = 2
        sh.text(sh.left, 46, f"{name} – Avis d'impôt {year}", sh.base_size - 1.5)
        sh.text(sh.left, 76, "Détail de l'imposition des revenus", sh.base_size + 2, "bold")
        rows = [["Situation de famille", situation], ["Nombre de parts", parts],
                ["Salaires, pensions et rentes nets", _int_fr(int(f.revenu_fiscal * 1.1))],
                ["Revenu brut global", _int_fr(int(f.revenu_fiscal * 1.05))], ["Revenu imposable", _int_fr(f.revenu_fiscal)],
                ["Revenu fiscal de référence", rfr], ["Impôt sur le revenu net", _int_fr(tax)]]
        grid(sh, 92, [("Rubrique", 3.0, "left"), ("Montant / valeur", 1.2, "right")], rows)
        sh.text(sh.right, page_height(sh) - 24, "2/2", sh.base_size - 2.5, align="right")
    truth = {"declarant_nom": f"{p.first_name} {p.last_name}", "annee_revenus": str(f.annee_revenus),
             "revenu_fiscal_reference": str(f.revenu_fiscal), "nombre_parts": _dec(f.nombre_parts), "adresse": p.street}
    return Drawn(sh.finish(), pages, truth)


# ---------------------------------------------------------------------------- note de dimensionnement

def note_bureau(f: DossierFacts, rng: Random) -> Drawn:
    """A bureau d'études' thermal study sheet: hypotheses, losses per room, the chosen heat pump."""
    sh, values = Sheet(rng), content_random(rng)
    p = f.products[0]
    client = f.beneficiary
    surface = int(p.surface or values.randint(70, 160))
    bureau = values.choice(["BET Thermi'Conseil", "Bureau d'études ThermoLogis", "Cabinet Énergie Habitat", "EnerCalc Ingénierie"])
    sh.text(sh.left, 48, bureau, sh.base_size + 5, "bold")
    sh.text(sh.left, 62, "Bureau d'études thermiques – Ingénierie fluides", sh.base_size - 1.5, "italic")
    sh.text(sh.right, 48, f"Étude n° ET-{values.randint(1000, 9999)}", sh.base_size - 1, align="right")
    sh.text(page_width(sh) / 2, 100, "NOTE DE DIMENSIONNEMENT – POMPE À CHALEUR", 14, "bold", align="center")
    sh.text(page_width(sh) / 2, 116, "Calcul des déperditions selon la norme NF EN 12831", sh.base_size - 1, "italic", align="center")
    base = values.choice([-4, -5, -7, -8, -10])
    y = grid(sh, 134, [("Hypothèses de calcul", 2.0, "left"), ("", 1.6, "left")],
             [["Maître d'ouvrage", f"{client.last_name.upper()} {client.first_name}"], ["Adresse", f"{client.street}, {client.city}"],
              ["Zone climatique", values.choice(["H1a", "H1b", "H1c", "H2a", "H2b", "H3"])],
              ["Température extérieure de base", f"{base} °C"], ["Température intérieure de consigne", "19 °C"],
              ["Surface habitable", f"{surface} m²"]], first_bold=True) + 20
    rooms, left = [], surface
    for name in ["Séjour / salon", "Cuisine", "Chambre 1", "Chambre 2", "Chambre 3", "Salle d'eau"]:
        area = left if name == "Salle d'eau" else max(6, int(surface * values.uniform(0.06, 0.22)))
        left -= area
        rooms.append((name, max(area, 4)))
    rows, total = [], 0
    for name, area in rooms:
        volume = Decimal(area) * Decimal("2.5")
        watts = int(area * values.uniform(45, 85))
        total += watts
        rows.append([name, str(area), fmt_number(volume, 1), fmt_number(Decimal(watts) / area, 1), _int_fr(watts)])
    rows.append(["TOTAL", str(sum(a for _, a in rooms)), "", "", _int_fr(total)])
    sh.text(sh.left, y, "Déperditions par pièce", sh.base_size + 1, "bold")
    y = grid(sh, y + 8, [("Pièce", 2.0, "left"), ("Surface (m²)", 1.0, "right"), ("Volume (m³)", 1.0, "right"),
                         ("W/m²", 0.8, "right"), ("Déperditions (W)", 1.2, "right")], rows, strong={len(rows) - 1}) + 20
    power = Decimal(total) / 1000 * Decimal(str(round(values.uniform(1.0, 1.2), 2)))
    sh.text(sh.left, y, "Équipement retenu", sh.base_size + 1, "bold")
    y = grid(sh, y + 8, [("", 2.0, "left"), ("", 1.6, "left")],
             [["Pompe à chaleur", f"{p.brand} {p.reference}"], [f"Puissance calorifique à {base} °C", f"{fmt_number(power, 1)} kW"],
              ["Besoin total à la température de base", f"{fmt_number(Decimal(total) / 1000, 2)} kW"],
              ["Taux de couverture", f"{min(130, int(power * 1000 / total * 100))} %"],
              ["Appoint", values.choice(["Résistance électrique intégrée 3 kW", "Aucun", "Chaudière existante conservée"])]],
             first_bold=True) + 30
    sh.text(sh.right - 200, y, f"Établi le {date_text(f.date_devis - dt.timedelta(days=values.randint(1, 10)), 'slash')}")
    sh.text(sh.right - 200, y + 14, "L'ingénieur thermicien")
    sign(sh, sh.right - 200, y + 20, 160, 40)
    return Drawn(sh.finish(), 1, {})
