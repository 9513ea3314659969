"""The ``retail`` family's proofs and official papers (see ``retail_facts``).

- The RGE certificate as the body edits it (Qualibat, Qualit'EnR, Qualifelec): the holder's
  identity, a table of qualifications, one row each with its code, label, RGE domain (or « — »
  for a qualification without the RGE mention) and its own validity dates, the certificate's
  number, a QR-code block to check it online; or the body's « attestation de qualification »
  with the qualifications as a list of cards, each with its dates, and the number in a box.
- The avis d'impôt close to the real one: the DGFiP's header, « Vos références » (numéro
  fiscal of one or two declarants, référence de l'avis, revenu fiscal de référence), the
  address in the window, « Pour vos questions », the details (nombre de parts, revenu brut
  global, impôt); or the two-page avis whose first page sums up and second page details.
- The installation service's sizing note for a heat pump: the rooms' losses, the base
  temperature, the chosen model and its output.
"""
from __future__ import annotations

import datetime as dt
from random import Random

from .documents import Drawn
from .facts import DossierFacts, content_random
from .office_certificates import _int_fr, _parts
from .platform_sign import qr_code
from .retail_facts import date_text
from .sheet import PAGE_H, PAGE_W, Sheet, table
from .software_forms import _avis_truth, _rge_truth
from .wording import fmt_siret

GREY = (0.4, 0.4, 0.43)
ORGANISATIONS = {"Qualibat": "QUALIBAT", "QualiPAC": "QUALIT'ENR", "Qualibois": "QUALIT'ENR", "Qualit'EnR": "QUALIT'ENR",
                 "Qualifelec": "QUALIFELEC", "Certibat": "CERTIBAT", "Cequami": "CEQUAMI"}
COLOURS = {"QUALIBAT": (0.0, 0.3, 0.6), "QUALIT'ENR": (0.0, 0.55, 0.4), "QUALIFELEC": (0.8, 0.1, 0.15)}
CODES = {"Isolation du toit": ("7131", "Isolation thermique par soufflage en combles perdus (technicité courante)"),
         "Isolation des murs et planchers bas": ("7141", "Isolation thermique par l'intérieur des murs et planchers bas"),
         "Pompe à chaleur : chauffage": ("QualiPAC Chauffage", "Pompes à chaleur en chauffage et ECS"),
         "Chauffe-eau thermodynamique": ("QualiPAC CET", "Chauffe-eau thermodynamiques"),
         "Chauffage et/ou eau chaude au bois": ("Qualibois Air", "Appareils indépendants de chauffage au bois"),
         "Chaudière bois": ("Qualibois Eau", "Chaudières et poêles hydrauliques au bois"),
         "Chauffage et/ou eau chaude solaire": ("QualiSol Combi", "Systèmes solaires combinés")}
OTHER_ROWS = [("2111", "Maçonnerie et béton armé courant"), ("4111", "Plâtrerie – cloisons sèches"), ("QualiPV 36", "Photovoltaïque < 36 kVA"),
              ("E2", "Électricité générale – installations"), ("5413", "Menuiseries extérieures PVC")]


def _organisation(f: DossierFacts) -> str:
    return ORGANISATIONS.get(f.installer.rge_body, f.installer.rge_body.upper())


def _rows(f: DossierFacts, values: Random) -> list[tuple[str, str, str, dt.date, dt.date]]:
    c = f.installer
    rows = [(*CODES.get(domain, ("RGE", domain)), domain, c.rge_start, c.rge_end) for domain in c.domains]
    for code, label in values.sample(OTHER_ROWS, values.choice([1, 1, 2])):
        start = c.rge_start - dt.timedelta(days=values.randint(200, 900))
        rows.append((code, label, "—", start, start.replace(year=start.year + 4) - dt.timedelta(days=1)))
    values.shuffle(rows)
    return rows


def _qualification_table(sh: Sheet, y: float, rows: list, style: str) -> float:
    """Code, label (wrapped), RGE domain (on one line, smaller when long), the row's dates."""
    cols = [("Code", 1.2), ("Libellé", 3.1), ("Domaine RGE", 2.9), ("Attribuée le", 1.35), ("Valable jusqu'au", 1.45)]
    scale = (sh.right - sh.left) / sum(w for _, w in cols)
    widths = [w * scale for _, w in cols]
    size = sh.base_size - 1.5
    x = sh.left
    sh.rect(sh.left, y, sh.right - sh.left, size + 9, fill_gray=0.88)
    for (title, _), w in zip(cols, widths):
        sh.text(x + 4, y + size + 3, title, size, "bold")
        x += w
    y += size + 9
    for code, label, domain, start, end in rows:
        label_lines = sh.wrap(label, widths[1] - 8, size)
        height = len(label_lines) * (size + 3) + 7
        cells = [[code], label_lines, [domain], [date_text(start, style)], [date_text(end, style)]]
        x = sh.left
        for k, (lines, w) in enumerate(zip(cells, widths)):
            sh.rect(x, y, w, height)
            for n, line in enumerate(lines):
                cell = size
                while cell > 5 and sh.width(line, cell) > w - 8:
                    cell -= 0.25
                sh.text(x + 4, y + size + 3 + n * (size + 3), line, cell, "bold" if k == 0 else "regular")
            x += w
        y += height
    return y + 4


def rge_certificat(f: DossierFacts, rng: Random) -> Drawn:
    """The body's certificate with a multi-row table of qualifications and a QR-code block."""
    sh, values = Sheet(rng), content_random(rng)
    c = f.installer
    organisation = _organisation(f)
    colour = COLOURS.get(organisation, (0.2, 0.25, 0.5))
    style = rng.choice(["slash", "long", "dash"])
    sh.rect(sh.left, 34, 140, 46, stroke=False, fill_rgb=colour)
    sh.text(sh.left + 70, 63, organisation, 15, "bold", align="center", color=(1, 1, 1))
    sh.text(sh.right, 50, "CERTIFICAT DE QUALIFICATION", 14, "bold", align="right", color=colour)
    sh.text(sh.right, 66, f"N° {c.rge_numero}", sh.base_size + 2, "bold", align="right")
    edited = f.date_devis - dt.timedelta(days=values.randint(5, 120))
    sh.text(sh.right, 80, f"Édité le {date_text(edited, 'slash')}", sh.base_size - 1.5, align="right", color=GREY)
    y = 116
    ident = [("Entreprise", c.name), ("Adresse", f"{c.street} – {c.postal_code} {c.city}"),
             ("SIRET", fmt_siret(c.siret, rng.choice(["spaced", "plain", "groups"]))), ("Forme juridique", c.legal_form),
             ("Effectif", f"{values.randint(2, 45)} salariés"), ("Code NAF", values.choice(["4329A", "4322B", "4321A", "4399C"]))]
    for k, (label, value) in enumerate(ident):
        x = sh.left + (k % 2) * (sh.right - sh.left) / 2
        if k % 2 == 0 and k:
            y += sh.base_size + 6
        sh.text(x, y, f"{label} :", sh.base_size - 1, color=GREY)
        sh.text(x + 78, y, value if len(value) < 48 else value[:47] + "…", sh.base_size - 0.5, "bold")
    y += 28
    sh.text(sh.left, y, "Qualifications détenues", sh.base_size + 1.5, "bold", color=colour)
    y += 8
    y = _qualification_table(sh, y, _rows(f, values), style)
    y += 10
    sh.text(sh.left, y, "La mention RGE « Reconnu Garant de l'Environnement » s'applique aux seules qualifications dont le domaine",
            sh.base_size - 2)
    sh.text(sh.left, y + sh.base_size, "RGE est indiqué. Les qualifications sont contrôlées chaque année (audit de chantier).",
            sh.base_size - 2)
    qr_code(sh, sh.right - 90, y + 30, 84, f"{organisation}|{c.rge_numero}")
    sh.text(sh.right - 48, y + 126, "Vérifiez ce certificat", 7, align="center", color=GREY)
    sh.text(sh.left, y + 50, "Authenticité : scannez le code ci-contre ou saisissez", sh.base_size - 1)
    sh.text(sh.left, y + 50 + sh.base_size + 3, f"le n° {c.rge_numero} sur l'annuaire des entreprises qualifiées.", sh.base_size - 1)
    sh.text(sh.left, y + 90, "Le Président du Comité de qualification", sh.base_size - 1, "italic")
    sh.text(PAGE_W / 2, PAGE_H - 24, f"{organisation} – organisme accrédité COFRAC – ce certificat est la propriété de l'organisme",
            6.8, align="center", color=GREY)
    return Drawn(sh.finish(), 1, _rge_truth(f))


def rge_attestation(f: DossierFacts, rng: Random) -> Drawn:
    """The body's « attestation de qualification »: cards per qualification, each with its own dates."""
    sh, values = Sheet(rng), content_random(rng)
    c = f.installer
    organisation = _organisation(f)
    colour = COLOURS.get(organisation, (0.2, 0.25, 0.5))
    style = rng.choice(["slash", "long"])
    sh.text(PAGE_W / 2, 52, organisation, 22, "bold", align="center", color=colour)
    sh.text(PAGE_W / 2, 76, "ATTESTATION DE QUALIFICATION", 13, "bold", align="center")
    sh.rect(sh.left + 120, 90, sh.right - sh.left - 240, 24, fill_gray=0.94)
    sh.text(PAGE_W / 2, 106, f"Certificat n° {c.rge_numero}", sh.base_size + 1, "bold", align="center")
    y = sh.paragraph(sh.left, 140, f"{organisation} atteste que l'entreprise {c.name}, {c.street}, {c.postal_code} {c.city}, "
                     f"SIRET {c.siret}, est titulaire des qualifications suivantes :", sh.right - sh.left, sh.base_size) + 8
    for code, label, domain, start, end in _rows(f, values):
        rge = domain != "—"
        height = 52
        sh.rect(sh.left, y, sh.right - sh.left, height, fill_gray=0.97 if rge else None)
        sh.rect(sh.left, y, 4, height, stroke=False, fill_rgb=colour if rge else (0.7, 0.7, 0.7))
        sh.text(sh.left + 12, y + 15, f"{code} – {label}", sh.base_size, "bold")
        sh.text(sh.left + 12, y + 30, f"Mention RGE : {domain}" if rge else "Qualification sans mention RGE", sh.base_size - 1,
                color=GREY)
        sh.text(sh.left + 12, y + 44, f"Du {date_text(start, style)} au {date_text(end, style)}", sh.base_size - 0.5)
        y += height + 8
    y += 10
    qr_code(sh, sh.left, y, 70, f"{c.rge_numero}|{c.siret}")
    sh.paragraph(sh.left + 86, y + 10, "Cette attestation ne vaut que pour les qualifications en cours de validité à la date de sa "
                 "consultation. Flashez le QR code pour vérifier la validité en temps réel.", sh.right - sh.left - 90, sh.base_size - 1.5)
    issued = f.date_devis - dt.timedelta(days=values.randint(3, 60))
    sh.text(sh.right, y + 60, f"Délivrée le {date_text(issued, 'slash')}", sh.base_size - 1, align="right")
    return Drawn(sh.finish(), 1, _rge_truth(f))


# ---------------------------------------------------------------------------- avis d'impôt

def _household(f: DossierFacts):
    p = f.beneficiary
    billing = f.extra.get("billing")
    spouse = f.declarant2 if f.extra.get("spouse") else None
    return p, spouse, billing if billing else (p.street, p.postal_code, p.city), f.annee_revenus + 1


def _fiscal(values: Random) -> str:
    return f"{values.randint(10, 39)} {values.randint(10, 99)} {values.randint(100, 999)} {values.randint(100, 999)} {values.randint(100, 999)}"


def _avis_top(sh: Sheet, f: DossierFacts, rng: Random, values: Random, y_refs: float) -> float:
    p, spouse, (street, postal, city), year = _household(f)
    sh.text(sh.left, 40, "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES", 8.5, "bold")
    sh.text(sh.right, 44, f"AVIS D'IMPÔT {year}", 14, "bold", align="right")
    sh.text(sh.right, 58, f"IMPÔT SUR LES REVENUS de l'année {f.annee_revenus}", 9, align="right")
    sh.rect(sh.left, y_refs, 230, 132 if spouse else 112, fill_gray=0.95, stroke=False)
    refs = [("Vos références", "")]
    refs += [("Numéro fiscal (décl. 1)", _fiscal(values)), ("Numéro fiscal (décl. 2)", _fiscal(values))] if spouse else \
        [("Numéro fiscal", _fiscal(values))]
    refs += [("N° d'accès en ligne", f"{values.randint(100000, 999999)}"),
             ("Référence de l'avis", f"{str(year)[2:]} {postal[:2]} {values.randint(1000000, 9999999)} {values.randint(10, 99)}"),
             ("Revenu fiscal de référence", _int_fr(f.revenu_fiscal) if rng.random() < 0.7 else str(f.revenu_fiscal))]
    for k, (label, value) in enumerate(refs):
        sh.text(sh.left + 6, y_refs + 14 + k * 17, label, sh.base_size - (0 if k == 0 else 1.5), "bold" if k == 0 else "regular")
        sh.text(sh.left + 224, y_refs + 14 + k * 17, value, sh.base_size - 1, "bold", align="right")
    name = f"M OU MME {p.last_name.upper()} {p.first_name.upper()}" if spouse else \
        f"{'MME' if p.civility == 'Mme' else 'M'} {p.last_name.upper()} {p.first_name.upper()}"
    for k, line in enumerate([name, street.upper(), f"{postal} {city.upper()}"]):
        sh.text(320, y_refs + 30 + k * (sh.base_size + 3), line, sh.base_size + 0.5)
    sh.text(320, y_refs + 100, "Pour vos questions :", sh.base_size - 1.5, "bold")
    sh.text(320, y_refs + 112, f"SIP de {city.upper()} – impots.gouv.fr, messagerie sécurisée", sh.base_size - 2)
    return y_refs + (150 if spouse else 130)


def avis_impot(f: DossierFacts, rng: Random) -> Drawn:
    """The avis's first page, close to the real one."""
    sh, values = Sheet(rng), content_random(rng)
    p, spouse, (street, _, _), year = _household(f)
    y = _avis_top(sh, f, rng, values, 80)
    sh.text(sh.left, y, "Déclarant 1", sh.base_size - 1, color=GREY)
    sh.text(sh.left + 90, y, f"{p.last_name.upper()} {p.first_name}", sh.base_size, "bold")
    if spouse:
        y += sh.base_size + 4
        sh.text(sh.left, y, "Déclarant 2", sh.base_size - 1, color=GREY)
        sh.text(sh.left + 90, y, f"{p.last_name.upper()} {spouse}", sh.base_size, "bold")
    y += 30
    tax = int(f.revenu_fiscal * values.uniform(0, 0.07))
    details = [("Situation du foyer", "Marié(e)s / pacsé(e)s" if spouse else "Célibataire, divorcé(e) ou veuf(ve)"),
               ("Nombre de parts", _parts(f.nombre_parts, rng)), ("Revenu brut global", _int_fr(int(f.revenu_fiscal * 1.08))),
               ("Revenu imposable", _int_fr(int(f.revenu_fiscal * 0.98))), ("Impôt sur le revenu net avant corrections", _int_fr(tax)),
               ("Prélèvement à la source déjà payé", _int_fr(tax)), ("Montant restant dû", "0")]
    sh.text(sh.left, y, "Détail de votre impôt", sh.base_size + 2, "bold")
    y += 8
    for label, value in details:
        y += sh.base_size + 7
        sh.text(sh.left, y, label, sh.base_size - 0.5)
        sh.text(sh.right, y, value, sh.base_size - 0.5, "bold", align="right")
        sh.hline(y + 4, width=0.3, gray=0.8)
    sh.text(sh.left, PAGE_H - 40, f"Date de mise en recouvrement : {values.randint(25, 31)}/07/{year} – Numéro de rôle : "
            f"{values.randint(100, 999)}", 7.5)
    sh.text(sh.right, PAGE_H - 22, "1/2", 7.5, align="right")
    truth = _avis_truth(f)
    truth["adresse"] = street
    return Drawn(sh.finish(), 1, truth)


def avis_deux_pages(f: DossierFacts, rng: Random) -> Drawn:
    """The two-page avis: the summary and its figures, then the calculation in detail."""
    sh, values = Sheet(rng), content_random(rng)
    p, spouse, (street, _, _), year = _household(f)
    y = _avis_top(sh, f, rng, values, 84)
    parts = _parts(f.nombre_parts, rng)
    tiles = [("Revenu fiscal de référence", _int_fr(f.revenu_fiscal)), ("Nombre de parts", parts),
             ("Montant de votre impôt", f"{_int_fr(int(f.revenu_fiscal * values.uniform(0, 0.06)))} €")]
    width = (sh.right - sh.left - 20) / 3
    for k, (label, value) in enumerate(tiles):
        x = sh.left + k * (width + 10)
        sh.rect(x, y, width, 50)
        sh.text(x + 6, y + 15, label, sh.base_size - 1.5, color=GREY)
        sh.text(x + 6, y + 38, value, sh.base_size + 4, "bold")
    sh.paragraph(sh.left, y + 80, "Votre avis d'impôt est disponible dans votre espace particulier. Conservez-le : il peut vous être "
                 "demandé pour bénéficier d'aides (rénovation énergétique, logement, prestations sociales).", sh.right - sh.left,
                 sh.base_size - 1)
    sh.text(sh.right, PAGE_H - 22, "1/2", 7.5, align="right")
    sh.new_page()
    sh.text(sh.left, 50, f"AVIS D'IMPÔT {year} – DÉTAIL DE L'IMPOSITION DES REVENUS DE {f.annee_revenus}", sh.base_size + 1, "bold")
    sh.text(sh.left, 66, f"{p.last_name.upper()} {p.first_name}" + (f" et {spouse}" if spouse else ""), sh.base_size - 0.5)
    declared = int(f.revenu_fiscal * 1.1)
    rows = [["Salaires, pensions (déclarant 1)", _int_fr(int(declared * 0.6))],
            ["Salaires, pensions (déclarant 2)" if spouse else "Revenus de capitaux mobiliers", _int_fr(int(declared * 0.4))],
            ["Déduction 10 % / frais réels", _int_fr(declared - int(f.revenu_fiscal * 1.02))],
            ["Revenu brut global", _int_fr(int(f.revenu_fiscal * 1.02))], ["Revenu imposable", _int_fr(f.revenu_fiscal)],
            ["Nombre de parts", parts], ["Revenu fiscal de référence", _int_fr(f.revenu_fiscal)]]
    table(sh, 84, [("Libellé", 4, "left"), ("Montant", 1.4, "right")], rows)
    sh.text(sh.right, PAGE_H - 22, "2/2", 7.5, align="right")
    truth = _avis_truth(f)
    truth["adresse"] = street
    return Drawn(sh.finish(), 2, truth)


# ---------------------------------------------------------------------------- note de dimensionnement

def note_etude(f: DossierFacts, rng: Random) -> Drawn:
    """The installation service's sizing note: rooms and losses, base temperature, chosen model."""
    sh, values = Sheet(rng), content_random(rng)
    product, client, r = f.products[0], f.beneficiary, f.extra["retail"]
    surface = int(product.surface or values.randint(70, 160))
    base = values.choice([-2, -4, -5, -7, -9, -12])
    sh.text(sh.left, 48, f"{r['sign'] if r['channel'] != 'fournisseur' else f.installer.name} – Service installation", sh.base_size + 2,
            "bold")
    sh.text(sh.left, 70, "NOTE DE DIMENSIONNEMENT – POMPE À CHALEUR", 14, "bold")
    sh.text(sh.left, 88, f"Client : {client.last_name.upper()} {client.first_name} – {client.postal_code} {client.city} – "
            f"Commande n° {r['order']}", sh.base_size - 1)
    rooms = [("Séjour", 0.32), ("Cuisine", 0.12), ("Chambre 1", 0.14), ("Chambre 2", 0.12), ("Salle de bains", 0.07), ("Couloir", 0.08),
             ("Chambre 3", 0.15)]
    rows, total = [], 0
    for name, share in rooms:
        area = round(surface * share, 1)
        loss = int(area * values.uniform(45, 85))
        total += loss
        rows.append([name, f"{area:.1f}".replace(".", ","), f"{values.choice([2.5, 2.5, 2.7])}".replace(".", ","), str(loss)])
    rows.append(["Total", str(surface), "", str(total)])
    y = table(sh, 110, [("Pièce", 3, "left"), ("Surface (m²)", 1.3, "right"), ("HSP (m)", 1, "right"), ("Déperditions (W)", 1.6, "right")],
              rows)
    lines = [("Température extérieure de base", f"{base} °C"), ("Température intérieure de consigne", "19 °C"),
             ("Déperditions totales", f"{total / 1000:.1f} kW".replace(".", ",")),
             ("Modèle retenu", f"{product.brand} {product.reference}"),
             ("Puissance à la température de base", f"{total / 1000 * values.uniform(1.0, 1.2):.1f} kW".replace(".", ",")),
             ("Taux de couverture", f"{values.randint(100, 120)} %"), ("Émetteurs", values.choice(["Radiateurs basse température",
                                                                                                     "Plancher chauffant", "Radiateurs fonte"]))]
    y += 14
    for label, value in lines:
        sh.text(sh.left, y, label, sh.base_size)
        sh.text(sh.right, y, value, sh.base_size, "bold", align="right")
        sh.hline(y + 4, width=0.3, gray=0.8)
        y += sh.base_size + 8
    sh.paragraph(sh.left, y + 16, "Calcul simplifié selon la méthode des déperditions par pièce (NF EN 12831). Document établi par le "
                 "technicien lors de la visite préalable ; il ne constitue pas une étude thermique réglementaire.", sh.right - sh.left,
                 sh.base_size - 1.5)
    sh.text(sh.left, PAGE_H - 22, f"Établi le {date_text(f.date_devis - dt.timedelta(days=values.randint(0, 8)), 'slash')}", 7.5)
    return Drawn(sh.finish(), 1, {})
