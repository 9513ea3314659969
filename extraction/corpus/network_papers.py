"""The ``network`` family's proofs and official papers (see ``network_facts``).

- The France Rénov' directory page printed from a browser as RGE proof: the browser's date and
  title above, the address and « 1/1 » below, the company's card (SIRET, address, domains) and
  the table of its qualifications (organisme, qualification, domaine, certificate, « Date de
  début » / « Date de fin de validité »).
- A certificate of a Qualit'EnR mark (QualiPAC, Qualibois, Qualisol) for the installers it
  qualifies; the others print the directory page.
- The « avis de situation déclarative à l'impôt sur le revenu » installers upload instead of the
  avis: its lines with dotted leaders, or a grid with « Déclarant 1 » / « Déclarant 2 » columns.
- A manufacturer's sizing tool's printout as the note de dimensionnement.
"""
from __future__ import annotations

import datetime as dt
from random import Random

from .documents import Drawn
from .facts import DossierFacts, content_random
from .ink import sign, stamp
from .office_certificates import _int_fr, _parts
from .office_facts import date_text
from .office_grid import grid
from .sheet import PAGE_H, PAGE_W, Sheet
from .software_forms import _avis_truth, _rge_truth
from .wording import SIRET_STYLES, fmt_siret

MARKS = {"BAR-TH-171": ("QualiPAC", "Module Chauffage et ECS"), "BAR-TH-172": ("QualiPAC", "Module Chauffage et ECS"),
         "BAR-TH-148": ("QualiPAC", "Module CET"), "BAR-TH-112": ("Qualibois", "Module Air"),
         "BAR-TH-113": ("Qualibois", "Module Eau"), "BAR-TH-143": ("Qualisol", "Combi")}
GREEN = (0.0, 0.45, 0.4)


def rge_annuaire(f: DossierFacts, rng: Random) -> Drawn:
    """The directory's company page as a browser prints it."""
    sh, values = Sheet(rng), content_random(rng)
    c = f.installer
    printed = dt.datetime.combine(f.date_devis - dt.timedelta(days=values.randint(0, 20)),
                                  dt.time(values.randint(8, 19), values.randint(0, 59)))
    small = sh.base_size - 2.5
    sh.text(20, 16, printed.strftime(rng.choice(["%d/%m/%Y %H:%M", "%d/%m/%Y, %H:%M"])), small)
    sh.text(PAGE_W / 2, 16, "Annuaire des professionnels RGE | France Rénov'", small, align="center")
    sh.text(20, PAGE_H - 14, f"https://france-renov.gouv.fr/annuaire-rge/entreprise/{c.siret}", small)
    sh.text(PAGE_W - 20, PAGE_H - 14, "1/1", small, align="right")
    sh.rect(sh.left, 34, sh.right - sh.left, 42, stroke=False, fill_rgb=(0.0, 0.0, 0.57))
    sh.text(sh.left + 10, 60, "RÉPUBLIQUE FRANÇAISE", sh.base_size - 1, "bold", color=(1, 1, 1))
    sh.text(sh.right - 10, 60, "France Rénov'", sh.base_size + 4, "bold", align="right", color=(1, 1, 1))
    sh.text(sh.left, 96, f"Accueil  ›  Annuaire des professionnels RGE  ›  {c.name}", sh.base_size - 1.5, color=(0.3, 0.3, 0.3))
    sh.text(sh.left, 124, "Annuaire des professionnels RGE", sh.base_size + 7, "bold")
    y = 146
    sh.rect(sh.left, y, sh.right - sh.left, 112)
    sh.text(sh.left + 12, y + 22, c.name, sh.base_size + 4, "bold")
    sh.rect(sh.right - 112, y + 10, 100, 18, stroke=False, fill_rgb=(0.85, 0.95, 0.88))
    sh.text(sh.right - 62, y + 22, "Entreprise RGE", sh.base_size - 1.5, "bold", align="center", color=GREEN)
    lines = [f"{c.street}, {c.postal_code} {c.city}", f"SIRET : {fmt_siret(c.siret, rng.choice(SIRET_STYLES))}",
             f"Téléphone : {c.phone}", f"Site / courriel : {c.email}"]
    for k, line in enumerate(lines):
        sh.text(sh.left + 12, y + 42 + k * (sh.base_size + 5), line, sh.base_size - 0.5)
    y += 132
    sh.text(sh.left, y, "Domaines de travaux", sh.base_size + 2, "bold")
    y += 8
    for domain in c.domains:
        y += sh.base_size + 6
        sh.text(sh.left + 10, y, f"•  {domain}", sh.base_size)
    y += 26
    sh.text(sh.left, y, "Qualifications et certifications", sh.base_size + 2, "bold")
    organisme = {"Qualibat": "QUALIBAT", "Qualifelec": "QUALIFELEC", "Certibat": "CERTIBAT", "Cequami": "CEQUAMI"}.get(
        c.rge_body, "QUALIT'ENR")
    rows = [[organisme, f"{c.rge_body} RGE", domain, c.rge_numero,
             c.rge_start.strftime("%d/%m/%Y"), c.rge_end.strftime("%d/%m/%Y")] for domain in c.domains]
    y = grid(sh, y + 10, [("Organisme", 1.1, "left"), ("Qualification", 1.1, "left"), ("Domaine", 2.0, "left"),
                          ("Certificat", 1.3, "left"), ("Date de début", 1.0, "center"), ("Date de fin de validité", 1.1, "center")],
             rows, header_fill=0.9, size=sh.base_size - 1.5) + 18
    sh.paragraph(sh.left, y, "Les informations de l'annuaire sont issues des organismes de qualification et de certification. "
                 f"Dernière mise à jour : {printed:%d/%m/%Y}. Vérifiez la validité d'une qualification à la date de signature de "
                 "votre devis.", sh.right - sh.left, sh.base_size - 2)
    return Drawn(sh.finish(), 1, _rge_truth(f))


def rge_mark(f: DossierFacts, rng: Random) -> Drawn:
    """A Qualit'EnR mark's certificate; the directory page for installers of other bodies."""
    c = f.installer
    if c.rge_body not in ("QualiPAC", "Qualibois", "Qualit'EnR"):
        return rge_annuaire(f, rng)
    sh = Sheet(rng)
    mark, module = MARKS.get(f.operations[0], ("Qualisol", "Combi"))
    style = rng.choice(["slash", "long"])
    sh.rect(0, 0, PAGE_W, 12, stroke=False, fill_rgb=GREEN)
    sh.text(sh.left, 56, "Qualit'EnR", sh.base_size + 10, "bold", color=GREEN)
    sh.text(sh.left, 70, "Association pour la qualité des installations d'énergies renouvelables", sh.base_size - 2, "italic")
    sh.text(sh.right, 56, mark, sh.base_size + 14, "bold", align="right", color=(0.85, 0.4, 0.05))
    sh.text(PAGE_W / 2, 130, "CERTIFICAT DE QUALIFICATION", 17, "bold", align="center")
    sh.text(PAGE_W / 2, 150, f"{mark} – {module}", sh.base_size + 2, align="center")
    y = 190
    for k, line in enumerate([c.name.upper(), c.street, f"{c.postal_code} {c.city}",
                              f"SIRET {fmt_siret(c.siret, rng.choice(SIRET_STYLES))}"]):
        sh.text(PAGE_W / 2, y, line, sh.base_size + (4 if k == 0 else 0), "bold" if k == 0 else "regular", align="center")
        y += sh.base_size + (12 if k == 0 else 4)
    y += 20
    y = sh.paragraph(sh.left + 30, y, f"Qualit'EnR atteste que l'entreprise ci-dessus est titulaire de la qualification {mark}, "
                     "assortie de la mention RGE « Reconnu Garant de l'Environnement », pour les domaines de travaux suivants :",
                     sh.right - sh.left - 60) + 8
    for domain in c.domains:
        sh.text(PAGE_W / 2, y, domain, sh.base_size + 1, "bold", align="center")
        y += sh.base_size + 8
    y += 18
    rows = [["N° de qualification", c.rge_numero], ["Date d'attribution", date_text(c.rge_start, style)],
            ["Fin de validité", date_text(c.rge_end, style)],
            ["Référent technique", rng.choice(["M. Fabre", "Mme Leroy", "M. Nguyen", "Mme Da Silva"])]]
    y = grid(sh, y, [("", 1.0, "left"), ("", 1.4, "left")], rows, header=False, first_bold=True, x=sh.left + 60,
             width=sh.right - sh.left - 120) + 30
    sh.text(sh.right - 150, y, "Le Président de Qualit'EnR", sh.base_size - 1, align="center")
    sign(sh, sh.right - 220, y + 6, 140, 40, kind="vector")
    stamp(sh, sh.left + 20, y - 10, 140, 70, ["QUALIT'ENR", mark.upper()])
    sh.text(PAGE_W / 2, PAGE_H - 30, "Vérifiez la validité de ce certificat sur www.qualit-enr.org/annuaire", sh.base_size - 2,
            align="center")
    return Drawn(sh.finish(), 1, _rge_truth(f))


# ---------------------------------------------------------------------------- avis de situation déclarative

def _asdir_head(sh: Sheet, f: DossierFacts, values: Random) -> float:
    sh.text(sh.left, 42, "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES", sh.base_size - 1.5, "bold")
    sh.text(sh.right, 42, "impots.gouv.fr", sh.base_size - 1.5, align="right")
    sh.text(PAGE_W / 2, 84, f"AVIS DE SITUATION DÉCLARATIVE À L'IMPÔT SUR LE REVENU {f.annee_revenus + 1}", sh.base_size + 3, "bold",
            align="center")
    sh.text(PAGE_W / 2, 100, f"Revenus de l'année {f.annee_revenus}", sh.base_size + 1, align="center")
    refs = [("Numéro fiscal", f"{values.randint(10, 39)} {values.randint(10, 99)} {values.randint(100, 999)} "
                              f"{values.randint(100, 999)} {values.randint(100, 999)}"),
            ("Référence de l'avis", f"{str(f.annee_revenus + 1)[2:]} {values.randint(10, 99)} {values.randint(1000000, 9999999)} "
                                    f"{values.randint(10, 99)}")]
    y = 128
    for name, value in refs:
        sh.text(sh.left, y, f"{name} : {value}", sh.base_size - 0.5)
        y += sh.base_size + 4
    return y + 10


def _asdir_figures(f: DossierFacts, rng: Random, values: Random) -> list[tuple[str, str]]:
    spouse = f.extra.get("spouse") and f.declarant2
    recovery = dt.date(f.annee_revenus + 1, values.randint(7, 8), values.randint(1, 28))
    return [("Date de mise en recouvrement de l'avis d'impôt", recovery.strftime("%d/%m/%Y")),
            ("Date d'établissement", (recovery - dt.timedelta(days=values.randint(10, 30))).strftime("%d/%m/%Y")),
            ("Nombre de part(s)", _parts(f.nombre_parts, rng)),
            ("Situation de famille", "Marié(e)s" if spouse else rng.choice(["Célibataire", "Divorcé(e)", "Veuf(ve)"])),
            ("Nombre de personne(s) à charge", str(values.randint(0, 3))),
            ("Revenu brut global", _int_fr(int(f.revenu_fiscal * 1.07))), ("Revenu imposable", _int_fr(f.revenu_fiscal)),
            ("Impôt sur le revenu net avant corrections", _int_fr(int(f.revenu_fiscal * values.uniform(0, 0.06)))),
            ("Revenu fiscal de référence", _int_fr(f.revenu_fiscal) if rng.random() < 0.7 else str(f.revenu_fiscal))]


def _asdir_foot(sh: Sheet) -> None:
    sh.paragraph(sh.left, PAGE_H - 92, "Le présent avis de situation déclarative ne constitue pas un avis d'imposition. Il récapitule "
                 "les éléments de votre dernière déclaration de revenus. Son authenticité peut être vérifiée par le service de "
                 "vérification des avis, à partir du numéro fiscal et de la référence de l'avis.", sh.right - sh.left, sh.base_size - 2)


def avis_situation_declarative(f: DossierFacts, rng: Random) -> Drawn:
    """The ASDIR as lines with dotted leaders, the declarants one under the other."""
    sh, values = Sheet(rng), content_random(rng)
    p = f.beneficiary
    y = _asdir_head(sh, f, values)
    spouse = f.extra.get("spouse") and f.declarant2
    lines = [("Déclarant 1", f"{p.last_name.upper()} {p.first_name.upper()}")]
    if spouse:
        lines.append(("Déclarant 2", f"{p.last_name.upper()} {f.declarant2.upper()}"))
    lines.append((f"Adresse déclarée au 1er janvier {f.annee_revenus + 1}", f"{p.street.upper()} {p.postal_code} {p.city.upper()}"))
    lines += _asdir_figures(f, rng, values)
    size = sh.base_size - 0.5
    for name, value in lines:
        end = sh.text(sh.left, y, name, size)
        start = sh.right - sh.width(value, size, "bold")
        sh.canvas.setDash(0.6, 2.0)
        sh.hline(y + 1, end + 4, start - 6, width=0.4, gray=0.5)
        sh.canvas.setDash()
        sh.text(sh.right, y, value, size, "bold", align="right")
        y += size + 10
    _asdir_foot(sh)
    return Drawn(sh.finish(), 1, _avis_truth(f))


def avis_declarants(f: DossierFacts, rng: Random) -> Drawn:
    """The ASDIR with the declarants side by side in a « Déclarant 1 / Déclarant 2 » grid."""
    sh, values = Sheet(rng), content_random(rng)
    p = f.beneficiary
    y = _asdir_head(sh, f, values)
    spouse = f.extra.get("spouse") and f.declarant2
    birth = lambda: f"{values.randint(1, 28):02d}/{values.randint(1, 12):02d}/{values.randint(1945, 1996)}"  # noqa: E731
    rows = [["Nom", p.last_name.upper(), p.last_name.upper() if spouse else ""],
            ["Nom de naissance", p.last_name.upper(), values.choice(["MARTIN", "BERNARD", "PETIT", "DUBOIS"]) if spouse else ""],
            ["Prénom(s)", p.first_name, f.declarant2 if spouse else ""], ["Date de naissance", birth(), birth() if spouse else ""]]
    y = grid(sh, y, [("", 1.3, "left"), ("Déclarant 1", 1.4, "left"), ("Déclarant 2", 1.4, "left")], rows, first_bold=True) + 14
    sh.text(sh.left, y, f"Adresse déclarée au 1er janvier {f.annee_revenus + 1} :", sh.base_size - 0.5, "bold")
    sh.text(sh.left + 12, y + sh.base_size + 4, p.street.upper(), sh.base_size)
    sh.text(sh.left + 12, y + 2 * (sh.base_size + 4), f"{p.postal_code} {p.city.upper()}", sh.base_size)
    y += 3 * (sh.base_size + 4) + 10
    rows = [[name, value] for name, value in _asdir_figures(f, rng, values)]
    grid(sh, y, [("", 2.4, "left"), ("", 1.0, "right")], rows, header=False, strong={len(rows) - 1})
    _asdir_foot(sh)
    return Drawn(sh.finish(), 1, _avis_truth(f))


# ---------------------------------------------------------------------------- note de dimensionnement

def note_outil(f: DossierFacts, rng: Random) -> Drawn:
    """A manufacturer's sizing tool's printout: inputs, the computed load, the chosen model."""
    sh, values = Sheet(rng), content_random(rng)
    p, client = f.products[0], f.beneficiary
    surface = int(p.surface or values.randint(70, 160))
    base = values.choice([-4, -5, -7, -9])
    load = surface * values.uniform(45, 80) / 1000
    sh.text(sh.left, 46, f"{p.brand} – outil de sélection et de dimensionnement", sh.base_size + 3, "bold")
    sh.text(sh.right, 46, f"Projet n° {values.randint(100000, 999999)}", sh.base_size - 1, align="right")
    sh.text(PAGE_W / 2, 92, "Note de dimensionnement de la pompe à chaleur", 14, "bold", align="center")
    rows = [["Client", f"{client.last_name.upper()} {client.first_name}"], ["Ville", client.city],
            ["Surface chauffée", f"{surface} m²"], ["Température extérieure de base", f"{base} °C"],
            ["Régime d'eau", values.choice(["35 °C (plancher chauffant)", "45 °C (radiateurs BT)", "55 °C (radiateurs)"])],
            ["Déperditions calculées", f"{load:.1f} kW".replace(".", ",")], ["Modèle proposé", f"{p.brand} {p.reference}"],
            ["Taux de couverture à la température de base", f"{values.randint(95, 125)} %"]]
    y = grid(sh, 116, [("Paramètre", 1.5, "left"), ("Valeur", 1.5, "left")], rows, first_bold=True) + 24
    sh.paragraph(sh.left, y, "Résultats indicatifs établis à partir des données saisies par l'installateur ; ils ne remplacent "
                 "pas une étude thermique réglementaire.", sh.right - sh.left, sh.base_size - 1.5)
    sh.text(sh.left, PAGE_H - 30, f"Édité le {date_text(f.date_devis - dt.timedelta(days=values.randint(1, 9)), 'slash')}",
            sh.base_size - 2)
    return Drawn(sh.finish(), 1, {})
