"""The ``network`` family's attestation sur l'honneur and cadre de contribution (see ``network_facts``).

The attestation is a printed form filled in by hand: the regulatory model (parts A to C, labels
and dotted lines) or the délégataire's own form (labelled cells, its file reference at the top);
the values in an oblique font standing for handwriting, in blue or black ink, a little above or
below their lines and not where the line starts, names often in capitals, dates as people write
them (« 12/03/25 », « 12 mars 2025 »), crosses in the boxes, ink signatures and the stamp.

The cadre de contribution is a délégataire's one-page engagement letter: its letterhead and
service, « Référence dossier : » and « N° d'engagement : » at the top, the beneficiary's address
for the window, a framed grid of the operation, the professional, the prime and the deadline, the
mentions of the scheme, the délégataire's stamp and the beneficiary's « Bon pour acceptation ».
"""
from __future__ import annotations

import datetime as dt
import json
from random import Random

from .documents import Drawn, _dec, _iso
from .facts import OPERATION_TITLES, DossierFacts, content_random
from .ink import sign
from .network_facts import hand_date, hand_font
from .office_facts import client_name, date_text, money
from .office_forms import OBLIGE_SEATS
from .office_grid import grid
from .sheet import PAGE_H, PAGE_W, Sheet

INKS = [(0.08, 0.12, 0.5), (0.1, 0.1, 0.12), (0.05, 0.2, 0.55)]


class Hand:
    """How this copy was filled in: the font, the ink, how far values stray from their lines."""

    def __init__(self, sh: Sheet):
        rng = sh.rng
        self.sh, self.font = sh, hand_font(rng)
        self.ink = rng.choice(INKS)
        self.size = sh.base_size + rng.choice([1, 1.5, 2.5])
        self.capitals = rng.random() < 0.5

    def write(self, x: float, y: float, value: str) -> None:
        sh, rng = self.sh, self.sh.rng
        sh.canvas.setFont(self.font, self.size)
        sh.canvas.setFillColorRGB(*self.ink)
        sh.canvas.drawString(x + rng.uniform(3, 30), PAGE_H - (y + rng.uniform(-3.5, 1.5)), value)
        sh.canvas.setFillColorRGB(0, 0, 0)

    def line(self, x: float, y: float, label: str, value: str, x_end: float) -> None:
        """A printed label, its dotted line to ``x_end``, the value written over it."""
        sh = self.sh
        end = sh.text(x, y, f"{label} :", sh.base_size - 1) + 3
        sh.canvas.setDash(0.6, 2.2)
        sh.hline(y + 2, end, x_end, width=0.5, gray=0.4)
        sh.canvas.setDash()
        self.write(end, y - 1, value)

    def box(self, x: float, y: float, text: str, ticked: bool) -> float:
        sh, size = self.sh, self.sh.base_size - 1
        sh.rect(x, y - size + 1, size, size)
        if ticked:
            sh.canvas.setFont(self.font, size + 3)
            sh.canvas.setFillColorRGB(*self.ink)
            sh.canvas.drawString(x + sh.rng.uniform(-1, 2), PAGE_H - (y + sh.rng.uniform(-1, 1.5)), "X")
            sh.canvas.setFillColorRGB(0, 0, 0)
        return sh.text(x + size + 4, y, text, sh.base_size - 1) + 14

    def name(self, text: str) -> str:
        return text.upper() if self.capitals else text


def _truth(f: DossierFacts) -> dict:
    p, c = f.beneficiary, f.installer
    return {"beneficiaire_nom": f"{p.first_name} {p.last_name}", "beneficiaire_adresse": p.street,
            "beneficiaire_code_postal": p.postal_code, "beneficiaire_ville": p.city, "operations": json.dumps(f.operations),
            "date_engagement": _iso(f.date_signature), "date_achevement": _iso(f.date_fin_travaux),
            "reference_facture": f.facture_number, "siret_installateur": c.siret, "raison_sociale_installateur": c.name}


def _signatures(sh: Sheet, f: DossierFacts, y: float, truth: dict) -> None:
    """The beneficiary's box on the left, the professional's (signature and stamp) on the right; ink where signed."""
    rng = sh.rng
    half = (sh.right - sh.left) / 2 - 6
    sh.text(sh.left, y, rng.choice(["Signature du bénéficiaire", "Signature du bénéficiaire :"]), sh.base_size - 0.5, "bold")
    sh.text(sh.left + half + 12, y, rng.choice(["Signature et cachet du professionnel", "Cachet et signature de l'entreprise"]),
            sh.base_size - 0.5, "bold")
    ink = f.extra.get("ink", {})
    c = f.installer
    for k, signed in enumerate([f.ah_signed_beneficiary, f.ah_signed_installer]):
        x = sh.left + k * (half + 12)
        sh.rect(x, y + 5, half, 92)
        if signed:
            lines = [c.name.upper()[:26], f"{c.postal_code} {c.city.upper()}"[:26], f"SIRET {c.siret}"] \
                if k == 1 and ink.get("stamp_installer") else None
            sign(sh, x + 6, y + 12, half - 12, 76, stamp_lines=lines)
    truth["signature_beneficiaire"] = "true" if f.ah_signed_beneficiary else "false"
    truth["signature_installateur"] = "true" if f.ah_signed_installer else "false"


def _part(sh: Sheet, y: float, title: str) -> float:
    sh.text(sh.left, y, title, sh.base_size, "bold")
    sh.hline(y + 3, width=0.8, gray=0.2)
    return y + sh.base_size + 12


def attestation_hand(f: DossierFacts, rng: Random) -> Drawn:
    """The regulatory model, parts A to C, filled in by hand."""
    sh = Sheet(rng)
    hand = Hand(sh)
    p, c = f.beneficiary, f.installer
    truth = _truth(f)
    ops = ", ".join(f"{op} ({OPERATION_TITLES[op]})" for op in f.operations)
    sh.text(PAGE_W / 2, 50, "ATTESTATION SUR L'HONNEUR", 15, "bold", align="center")
    sh.text(PAGE_W / 2, 66, f"Opération{'s' if len(f.operations) > 1 else ''} n° {ops}", sh.base_size - 1, align="center")
    sh.text(PAGE_W / 2, 80, "À compléter, dater et signer par le bénéficiaire et par le professionnel", sh.base_size - 2, "italic",
            align="center")
    right, mid, step = sh.right, (sh.left + sh.right) / 2, sh.base_size + 13
    y = _part(sh, 110, "A – Références de l'opération")
    hand.line(sh.left, y, "Date d'engagement de l'opération (ex : acceptation du devis)", hand_date(f.date_signature, rng), right)
    y += step
    hand.line(sh.left, y, rng.choice(["Date d'achèvement des travaux", "Date de fin des travaux"]), hand_date(f.date_fin_travaux, rng),
              right)
    y += step
    hand.line(sh.left, y, "Référence de la facture", f.facture_number, right)
    y += step + 6
    y = _part(sh, y, "B – Bénéficiaire de l'opération")
    hand.line(sh.left, y, "Nom", hand.name(p.last_name), mid - 10)
    hand.line(mid, y, "Prénom", p.first_name, right)
    y += step
    hand.line(sh.left, y, "Adresse des travaux", p.street, right)
    y += step
    hand.line(sh.left, y, "Code postal", p.postal_code, mid - 60)
    hand.line(mid - 50, y, "Ville", hand.name(p.city), right)
    y += step
    hand.line(sh.left, y, "Téléphone", p.phone, mid - 10)
    hand.line(mid, y, "Courriel", p.email, right)
    y += step
    if Random(f"{f.reference}|network-age").random() < 0.8:
        x = sh.text(sh.left, y, "Le bâtiment est existant depuis plus de 2 ans à la date d'engagement :", sh.base_size - 1) + 10
        x = hand.box(x, y, "oui", f.batiment_plus_de_2_ans)
        hand.box(x, y, "non", not f.batiment_plus_de_2_ans)
        truth["batiment_plus_de_2_ans"] = "true" if f.batiment_plus_de_2_ans else "false"
        y += step
    x = sh.text(sh.left, y, "Le bénéficiaire est :", sh.base_size - 1) + 10
    owner = Random(f"{f.reference}|network-owner").random() < 0.85
    x = hand.box(x, y, "propriétaire", owner)
    hand.box(x, y, "locataire", not owner)
    y += step + 6
    y = _part(sh, y, "C – Professionnel ayant réalisé l'opération")
    hand.line(sh.left, y, "Raison sociale", c.name, right)
    y += step
    hand.line(sh.left, y, "N° SIRET", c.siret, mid + 40)
    y += step
    hand.line(sh.left, y, "Adresse", f"{c.street}, {c.postal_code} {c.city}", right)
    y += step + 4
    y = sh.paragraph(sh.left, y, "Je soussigné(e) atteste sur l'honneur l'exactitude des informations ci-dessus, que les travaux ont "
                     "été réalisés à l'adresse indiquée et qu'ils n'ont pas fait l'objet d'une autre demande de certificats "
                     "d'économies d'énergie. J'accepte qu'un contrôle soit réalisé sur site par un organisme mandaté.",
                     sh.right - sh.left, sh.base_size - 1.5) + 8
    hand.line(sh.left, y, "Fait à", hand.name(p.city), mid - 10)
    hand.line(mid, y, "le", hand_date(f.date_fin_travaux + dt.timedelta(days=rng.randint(0, 6)), rng), right)
    _signatures(sh, f, min(y + step + 4, PAGE_H - 130), truth)
    sh.text(sh.right, PAGE_H - 18, "1/1", sh.base_size - 2.5, align="right")
    return Drawn(sh.finish(), 1, truth)


def attestation_delegate(f: DossierFacts, rng: Random) -> Drawn:
    """The délégataire's own form: its name and the file reference at the top, labelled cells filled in by hand."""
    sh = Sheet(rng)
    hand = Hand(sh)
    p, c = f.beneficiary, f.installer
    truth = _truth(f)
    colour = rng.choice([(0.1, 0.35, 0.6), (0.15, 0.45, 0.3), (0.5, 0.2, 0.45)])
    sh.text(sh.left, 44, f.oblige, sh.base_size + 5, "bold", color=colour)
    sh.text(sh.left, 58, f.extra.get("oblige_service", "Service CEE"), sh.base_size - 1, "italic")
    sh.text(sh.right, 44, f"Réf. dossier : {f.extra.get('dossier_ref', '')}", sh.base_size - 0.5, "bold", align="right")
    sh.rect(sh.left, 74, sh.right - sh.left, 36, stroke=False, fill_rgb=colour)
    sh.text(PAGE_W / 2, 90, "ATTESTATION SUR L'HONNEUR DE RÉALISATION", 13, "bold", align="center", color=(1, 1, 1))
    sh.text(PAGE_W / 2, 104, "Certificats d'économies d'énergie – opération standardisée", sh.base_size - 1.5, align="center",
            color=(1, 1, 1))
    cells = [("Nom et prénom du bénéficiaire", f"{hand.name(p.last_name)} {p.first_name}"),
             ("Adresse des travaux", p.street), ("Code postal", p.postal_code), ("Commune", hand.name(p.city)),
             ("Fiche(s) d'opération", " + ".join(f.operations)), ("Entreprise (raison sociale)", c.name),
             ("SIRET de l'entreprise", c.siret), ("Date d'acceptation du devis", hand_date(f.date_signature, rng)),
             ("Date de fin des travaux", hand_date(f.date_fin_travaux, rng)), ("N° de facture", f.facture_number)]
    y, height = 128, sh.base_size + 16
    label_w = 190
    for label, value in cells:
        sh.rect(sh.left, y, label_w, height, fill_gray=0.93)
        sh.rect(sh.left + label_w, y, sh.right - sh.left - label_w, height)
        sh.text(sh.left + 5, y + height / 2 + 3, label, sh.base_size - 1)
        hand.write(sh.left + label_w, y + height / 2 + 4, value)
        y += height
    y += 16
    if Random(f"{f.reference}|network-age").random() < 0.8:
        x = sh.text(sh.left, y, "Logement achevé depuis plus de deux ans :", sh.base_size - 1) + 10
        x = hand.box(x, y, "Oui", f.batiment_plus_de_2_ans)
        hand.box(x, y, "Non", not f.batiment_plus_de_2_ans)
        truth["batiment_plus_de_2_ans"] = "true" if f.batiment_plus_de_2_ans else "false"
        y += sh.base_size + 12
    y = sh.paragraph(sh.left, y, f"Le bénéficiaire et le professionnel attestent sur l'honneur que l'opération ci-dessus a été "
                     f"réalisée et achevée, qu'elle a été engagée après la proposition de {f.oblige}, et qu'elle ne fait l'objet "
                     "d'aucune autre valorisation au titre des CEE. Toute fausse déclaration expose à des poursuites.",
                     sh.right - sh.left, sh.base_size - 1.5) + 14
    _signatures(sh, f, min(y, PAGE_H - 130), truth)
    sh.text(PAGE_W / 2, PAGE_H - 18, f"{f.oblige} – formulaire AH v{rng.randint(2, 6)}.{rng.randint(0, 9)} – page 1/1",
            sh.base_size - 3, align="center")
    return Drawn(sh.finish(), 1, truth)


# ---------------------------------------------------------------------------- cadre de contribution

def cadre_delegate(f: DossierFacts, rng: Random) -> Drawn:
    """A délégataire's one-page engagement letter with its reference numbers and a framed grid."""
    sh, values = Sheet(rng), content_random(rng)
    p, c = f.beneficiary, f.installer
    seat = OBLIGE_SEATS[Random(f"{f.oblige}|network").randrange(len(OBLIGE_SEATS))]
    amount = money(f.prime, rng.choice(["fr", "fr_bare", "fr_eur", "fr_nbsp"]))
    colour = rng.choice([(0.1, 0.3, 0.5), (0.2, 0.4, 0.2), (0.45, 0.2, 0.15)])
    sh.text(sh.left, 46, f.oblige, sh.base_size + 6, "bold", color=colour)
    sh.text(sh.left, 60, f.extra.get("oblige_service", "Service CEE"), sh.base_size - 1, "italic")
    for k, line in enumerate([seat[0], f"{seat[1]} {seat[2]}", f"Tél. 0{values.randint(1, 5)} {values.randint(10, 99)} "
                              f"{values.randint(10, 99)} {values.randint(10, 99)} {values.randint(10, 99)}"]):
        sh.text(sh.left, 74 + k * (sh.base_size + 2), line, sh.base_size - 1.5)
    refs = [("Référence dossier", f.extra.get("dossier_ref", "")), ("N° d'engagement", f.extra.get("engagement_ref", "")),
            (rng.choice(["Votre installateur", "Professionnel"]), c.name)]
    for k, (name, value) in enumerate(refs):
        sh.text(sh.left, 130 + k * (sh.base_size + 4), f"{name} : {value}", sh.base_size - 0.5, "bold" if k < 2 else "regular")
    name = client_name(f, rng)
    for k, line in enumerate([name, p.street, f"{p.postal_code} {p.city.upper()}"]):
        sh.text(PAGE_W / 2 + 30, 140 + k * (sh.base_size + 3), line, sh.base_size + 0.5)
    dateline = rng.choice([f"{seat[2]}, le {date_text(f.date_cadre, 'long')}", f"Date d'émission : {date_text(f.date_cadre, 'slash')}",
                           f"Fait à {seat[2]} le {date_text(f.date_cadre, 'slash')}"])
    sh.text(sh.right, 206, dateline, sh.base_size - 0.5, align="right")
    y = 236
    sh.text(sh.left, y, rng.choice(["Objet : proposition d'incitation financière – Certificats d'Économies d'Énergie",
                                    "Objet : engagement de versement de la prime CEE"]), style="bold")
    y = sh.paragraph(sh.left, y + 22, f"{rng.choice(['Madame, Monsieur', 'Madame, Monsieur,'])}", sh.right - sh.left)
    y = sh.paragraph(sh.left, y + 4, f"Dans le cadre du dispositif des certificats d'économies d'énergie, {f.oblige} s'engage à "
                     "vous apporter une contribution financière pour les travaux décrits ci-dessous, sous réserve qu'ils soient "
                     "réalisés par un professionnel RGE et conformes aux exigences de la fiche d'opération standardisée.",
                     sh.right - sh.left) + 8
    until = f.date_cadre + dt.timedelta(days=rng.choice([90, 120, 180]))
    rows = [["Bénéficiaire", f"{p.first_name} {p.last_name.upper()}"], ["Adresse des travaux", f"{p.street}, {p.postal_code} {p.city}"],
            ["Opération(s)", [f"{op} – {OPERATION_TITLES[op]}" for op in f.operations]],
            ["Professionnel", f"{c.name} – SIRET {c.siret}"], ["Montant de la prime CEE", amount],
            ["Travaux à engager avant le", date_text(until, "slash")]]
    y = grid(sh, y, [("", 1.2, "left"), ("", 2.6, "left")], rows, header=False, first_bold=True, strong={4}) + 14
    for text in ["Ce courrier doit être daté d'avant la signature de votre devis : notre proposition constitue notre rôle actif "
                 "et incitatif ; un devis signé avant cette date rendrait l'opération inéligible.",
                 "La prime vous sera versée par virement sous 45 jours après réception du dossier complet (devis et facture, "
                 "attestation sur l'honneur signée, le cas échéant avis d'imposition), ou déduite de la facture par votre "
                 "installateur s'il en est convenu."]:
        y = sh.paragraph(sh.left, y, text, sh.right - sh.left, sh.base_size - 1) + 6
    y += 10
    half = (sh.right - sh.left) / 2
    sh.text(sh.left, y, f"Pour {f.oblige}", style="bold")
    sh.text(sh.left + half, y, "Bon pour acceptation, le bénéficiaire", style="bold")
    if rng.random() < 0.7:
        sign(sh, sh.left, y + 8, half - 30, 54, stamp_lines=[f.oblige.upper()[:26], seat[2].upper()])
    if rng.random() < 0.6:
        sign(sh, sh.left + half, y + 14, half - 30, 44)
    sh.text(PAGE_W / 2, PAGE_H - 22, f"{f.oblige} – {seat[0]}, {seat[1]} {seat[2]} – délégataire CEE inscrit au registre national",
            sh.base_size - 3, align="center")
    truth = {"date_cadre": _iso(f.date_cadre), "nom_oblige": f.oblige, "montant_prime": _dec(f.prime),
             "beneficiaire_nom": f"{p.first_name} {p.last_name}", "operations": json.dumps(f.operations)}
    return Drawn(sh.finish(), 1, truth)

