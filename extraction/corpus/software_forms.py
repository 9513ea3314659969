"""The ``software`` family's forms (see ``software_facts``): the attestation sur l'honneur in the
regulatory model's shape, an obligé's partnership form for the cadre de contribution, RGE
certificates laid out as Qualibat and Qualit'EnR print them, the tax office's situation page
and the « justificatif de revenus », and a heat-pump sizing software's printout.

The attestation follows the official model: sections « A / », « B / », « C / », values on
dotted leader lines (« Nom : ......DUPONT...... »), check boxes (☒ / ☐, or a drawn square with
an X where the font has no glyph), the fiche's reference, two framed signature boxes holding ink
only (one with « Fait à …, le … »), a company stamp beside the professional's signature.
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from random import Random

from .documents import Drawn, _dec, _iso
from .facts import OPERATION_TITLES, DossierFacts, content_random
from .ink import sign, stamp
from .sheet import PAGE_H, PAGE_W, Sheet
from .software_facts import ACCENTS, DATE_STYLES, WHITE, client_name, date_text, money, month_text
from .wording import SIRET_STYLES, fmt_number, fmt_siret


def _int_fr(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _section(sh: Sheet, y: float, text: str, accent) -> float:
    sh.rect(sh.left, y, sh.right - sh.left, sh.base_size + 8, stroke=False, fill_rgb=accent)
    sh.text(sh.left + 6, y + sh.base_size + 2, text, sh.base_size, "bold", color=WHITE)
    return y + sh.base_size + 22


# ---------------------------------------------------------------------------- attestation sur l'honneur

class Leaders:
    """Values written on dotted leader lines, the way a filled regulatory form prints them."""

    def __init__(self, sh: Sheet):
        self.sh = sh
        self.style = sh.rng.choice(["dots_around", "dots_around", "dots_before", "dotted_rule"])
        self.dot = sh.width(".")

    def field(self, x: float, y: float, label: str, value: str, x_end: float) -> None:
        sh = self.sh
        end = sh.text(x, y, f"{label} :" if self.style != "dotted_rule" else f"{label} :")
        room = x_end - end - 4 - sh.width(value, style="bold")
        if self.style == "dotted_rule":  # the value above a drawn dotted line
            sh.canvas.setDash(1, 2)
            sh.hline(y + 2, end + 3, x_end, width=0.5, gray=0.4)
            sh.canvas.setDash()
            sh.text(end + 8, y, value, style="bold")
            return
        dots = max(3, int(room / self.dot))
        before = dots // 2 if self.style == "dots_around" else max(3, dots - 3)
        text = "." * before + value + "." * (dots - before if self.style == "dots_around" else 3)
        sh.text(end + 4, y, text)


def _checkbox(sh: Sheet, x: float, y: float, checked: bool, glyphs: bool) -> float:
    """A box, ticked or not; returns the x after it."""
    if glyphs:
        return sh.text(x, y, "☒" if checked else "☐") + 3
    size = sh.base_size - 1
    sh.rect(x, y - size + 1, size, size)
    if checked:
        sh.text(x + size / 2, y - 0.5, "X", size - 1, "bold", align="center")
    return x + size + 4


def _choices(sh: Sheet, y: float, question: str, options: list[tuple[str, bool]], glyphs: bool) -> float:
    x = sh.text(sh.left + 8, y, question) + 8
    for text, checked in options:
        x = sh.text(_checkbox(sh, x, y, checked, glyphs), y, text) + 12
    return y + sh.base_size + 9


def attestation_official(f: DossierFacts, rng: Random) -> Drawn:
    sh = Sheet(rng)
    date_style, siret_style, accent = rng.choice(DATE_STYLES), rng.choice(SIRET_STYLES), rng.choice(ACCENTS)
    p, c = f.beneficiary, f.installer
    leaders = Leaders(sh)
    glyphs = sh.fonts.regular.startswith("DejaVu") and rng.random() < 0.7
    y = 44
    sh.text(sh.right, y, rng.choice(["Annexe 7 à l'arrêté du 4 septembre 2014 modifié", "Modèle réglementaire – dispositif CEE"]),
            sh.base_size - 2, "italic", align="right")
    y += 26
    sh.text(PAGE_W / 2, y, "ATTESTATION SUR L'HONNEUR", 16, "bold", align="center")
    y += 16
    sh.text(PAGE_W / 2, y, "relative à la réalisation d'une opération d'économies d'énergie", sh.base_size - 0.5, "italic",
            align="center")
    y += 20
    truth = {"beneficiaire_nom": f"{p.first_name} {p.last_name}", "beneficiaire_adresse": p.street,
             "beneficiaire_code_postal": p.postal_code, "beneficiaire_ville": p.city, "operations": json.dumps(f.operations),
             "date_engagement": _iso(f.date_signature), "date_achevement": _iso(f.date_fin_travaux),
             "reference_facture": f.facture_number, "siret_installateur": c.siret, "raison_sociale_installateur": c.name}
    mid, right = (sh.left + sh.right) / 2, sh.right
    y = _section(sh, y, rng.choice(["A / Identification du bénéficiaire de l'opération", "A / IDENTIFICATION DU BÉNÉFICIAIRE"]), accent)
    last = p.last_name.upper() if rng.random() < 0.7 else p.last_name
    leaders.field(sh.left + 8, y, "Nom", last, mid - 10)
    leaders.field(mid, y, "Prénom", p.first_name, right)
    y += sh.base_size + 9
    leaders.field(sh.left + 8, y, rng.choice(["Adresse des travaux", "Adresse de l'opération"]), p.street, right)
    y += sh.base_size + 9
    leaders.field(sh.left + 8, y, "Code postal", p.postal_code, mid - 10)
    leaders.field(mid, y, "Ville", p.city, right)
    y += sh.base_size + 9
    if rng.random() < 0.5:
        leaders.field(sh.left + 8, y, "Téléphone", p.phone, mid - 10)
        y += sh.base_size + 9
    owner = f.extra.get("owner", True)
    y = _choices(sh, y, "Je suis :", [("propriétaire", owner), ("locataire", not owner), ("occupant à titre gratuit", False)], glyphs)
    if side_prints_age(f):
        value = f.batiment_plus_de_2_ans
        y = _choices(sh, y, rng.choice(["Le logement est achevé depuis plus de 2 ans :", "Bâtiment existant depuis plus de deux ans :"]),
                     [("oui", value), ("non", not value)], glyphs)
        truth["batiment_plus_de_2_ans"] = "true" if value else "false"
    y += 4
    y = _section(sh, y, rng.choice(["B / Identification du professionnel", "B / IDENTIFICATION DU PROFESSIONNEL AYANT RÉALISÉ L'OPÉRATION"]),
                 accent)
    leaders.field(sh.left + 8, y, "Raison sociale", c.name, right)
    y += sh.base_size + 9
    leaders.field(sh.left + 8, y, "N° SIRET", fmt_siret(c.siret, siret_style), right)
    y += sh.base_size + 9
    leaders.field(sh.left + 8, y, "Adresse", f"{c.street}, {c.postal_code} {c.city}", right)
    y += sh.base_size + 13
    y = _section(sh, y, rng.choice(["C / Caractéristiques de l'opération", "C / DESCRIPTION DE L'OPÉRATION"]), accent)
    for op in f.operations:
        leaders.field(sh.left + 8, y, "Référence de la fiche", op, mid - 10)
        sh.text(mid, y, OPERATION_TITLES[op], sh.base_size - 0.5, "italic")
        y += sh.base_size + 9
    leaders.field(sh.left + 8, y, "Date d'engagement de l'opération", date_text(f.date_signature, date_style, rng), right)
    y += sh.base_size + 9
    leaders.field(sh.left + 8, y, "Date d'achèvement de l'opération", date_text(f.date_fin_travaux, date_style, rng), right)
    y += sh.base_size + 9
    leaders.field(sh.left + 8, y, "Référence de la facture", f.facture_number, right)
    y += sh.base_size + 12
    statement = ("J'atteste sur l'honneur que l'opération décrite ci-dessus a été réalisée à l'adresse indiquée, que je n'ai "
                 "pas bénéficié pour cette même opération d'une autre aide au titre des certificats d'économies d'énergie, et "
                 "que les informations portées sur la présente attestation sont exactes.")
    y = sh.paragraph(sh.left, y, statement, sh.right - sh.left, sh.base_size - 1) + 10
    signature_boxes(sh, f, min(y, PAGE_H - 160), date_style, truth)
    return Drawn(sh.finish(), 1, truth)


def side_prints_age(f: DossierFacts) -> bool:
    """Whether this dossier's attestation prints the building's age (most do)."""
    return Random(f"{f.reference}|software-age").random() < 0.8


def signature_boxes(sh: Sheet, f: DossierFacts, y: float, date_style: str, truth: dict) -> None:
    """The beneficiary's box (with « Fait à …, le … ») and the professional's (cachet et
    signature), ink only where signed."""
    rng = sh.rng
    half = (sh.right - sh.left) / 2 - 6
    height = 118
    titles = [rng.choice(["Le bénéficiaire", "Signature du bénéficiaire"]),
              rng.choice(["Le professionnel – cachet et signature", "Cachet et signature du professionnel"])]
    signed = [f.ah_signed_beneficiary, f.ah_signed_installer]
    for k, (title, is_signed) in enumerate(zip(titles, signed)):
        x = sh.left + k * (half + 12)
        sh.rect(x, y, half, height)
        sh.text(x + 6, y + sh.base_size + 3, title, sh.base_size - 0.5, "bold")
        top = y + sh.base_size + 8
        if k == 0:
            when = date_text(f.date_fin_travaux, date_style, rng) if is_signed else "……………"
            sh.text(x + 6, top + sh.base_size, f"Fait à {f.beneficiary.city}, le {when}", sh.base_size - 1)
            top += sh.base_size + 6
        if not is_signed:
            continue
        ink = f.extra.get("ink", {})
        lines = None
        if k == 1 and ink.get("stamp_installer"):
            c = f.installer
            lines = [c.name.upper()[:26], c.street.upper()[:26], f"{c.postal_code} {c.city.upper()}"[:26]]
        if lines and ink.get("stamp_only"):
            stamp(sh, x + 10, top + 4, half - 30, height - (top - y) - 10, lines)
        else:
            sign(sh, x + 8, top + 4, half - 16, height - (top - y) - 10, stamp_lines=lines)
    truth["signature_beneficiaire"] = "true" if signed[0] else "false"
    truth["signature_installateur"] = "true" if signed[1] else "false"


# ---------------------------------------------------------------------------- cadre de contribution

def cadre_partner(f: DossierFacts, rng: Random) -> Drawn:
    """The obligé's partnership form: its logo, the offer, the beneficiary, a table of the
    operations with the prime of each, the commitment in a sentence (or the logo alone)."""
    sh = Sheet(rng)
    amount_style, date_style, accent = rng.choice(["fr", "fr_eur", "fr_dot_eur", "plain_dot"]), rng.choice(DATE_STYLES), rng.choice(ACCENTS)
    values = content_random(rng)
    service = f.extra.get("oblige_service", "Offre CEE")
    width = max(sh.width(f.oblige, sh.base_size + 7, "bold") + 24, 150)
    sh.rect(sh.left, 34, width, 36, stroke=False, fill_rgb=accent)
    sh.text(sh.left + 12, 58, f.oblige, sh.base_size + 7, "bold", color=WHITE)
    sh.text(sh.right, 44, f"Réf. dossier : CEE-{values.randint(100000, 999999)}", sh.base_size - 1, align="right")
    sh.text(sh.right, 58, f"{rng.choice(['Date de la proposition', 'Proposition émise le', 'Date'])} : "
                          f"{date_text(f.date_cadre, date_style, rng)}", sh.base_size - 0.5, "bold", align="right")
    y = 104
    title = rng.choice(["CONTRAT DE PARTENARIAT – ENGAGEMENT DE L'OBLIGÉ", f"{service.upper()}",
                        "Cadre de contribution – rôle actif et incitatif"])
    sh.text(PAGE_W / 2, y, title, 14, "bold", align="center")
    y += 16
    sh.text(PAGE_W / 2, y, "Dispositif des certificats d'économies d'énergie (CEE)", sh.base_size - 1, "italic", align="center")
    y += 26
    p = f.beneficiary
    sh.text(sh.left, y, rng.choice(["Bénéficiaire", "Vos coordonnées", "Le bénéficiaire des travaux"]), style="bold")
    y += sh.base_size + 5
    for line in [client_name(f, rng), p.street, f"{p.postal_code} {p.city}"]:
        sh.text(sh.left + 10, y, line)
        y += sh.base_size + 3
    y += 10
    total = money(f.prime, amount_style)
    named = rng.random() < 0.6
    who = f.oblige if named else rng.choice(["Notre société", "Le signataire de la présente offre"])
    text = (f"{who} s'engage à vous verser une prime de {total} pour la réalisation des travaux ci-dessous, dans le cadre "
            "de son rôle actif et incitatif, sous réserve que la présente proposition soit acceptée avant la signature du devis.")
    if rng.random() < 0.5:
        text = (f"Dans le cadre de l'offre {service}, {who.lower() if not named else who} contribue au financement de vos "
                "travaux d'économies d'énergie par le versement d'une prime, selon le tableau ci-dessous.")
    y = sh.paragraph(sh.left, y, text, sh.right - sh.left) + 10
    y = _ops_table(sh, f, y, amount_style, accent) + 12
    if rng.random() < 0.5:
        sh.text(sh.left, y, f"Installateur partenaire : {f.installer.name}", sh.base_size - 0.5)
        y += sh.base_size + 5
    until = f.date_cadre + dt.timedelta(days=90)
    sh.text(sh.left, y, f"Offre valable jusqu'au {date_text(until, date_style, rng)}, pour des travaux engagés au plus tard en "
                        f"{month_text(until)}.", sh.base_size - 1)
    y += sh.base_size + 16
    y = sh.paragraph(sh.left, y, "La prime est versée par virement après réception du dossier complet : devis et facture "
                     "de l'entreprise RGE, attestation sur l'honneur signée, justificatifs demandés.", sh.right - sh.left,
                     sh.base_size - 1.5) + 12
    half = (sh.right - sh.left) / 2
    sh.text(sh.left, y, f"Pour {f.oblige}" if named or rng.random() < 0.5 else "Pour l'obligé", style="bold")
    sh.text(sh.left + half, y, "Le bénéficiaire (date et signature)", style="bold")
    if rng.random() < 0.6:
        sign(sh, sh.left, y + 8, half - 20, 50)
    truth = {"date_cadre": _iso(f.date_cadre), "nom_oblige": f.oblige, "montant_prime": _dec(f.prime),
             "beneficiaire_nom": f"{p.first_name} {p.last_name}", "operations": json.dumps(f.operations)}
    return Drawn(sh.finish(), 1, truth)


def _ops_table(sh: Sheet, f: DossierFacts, y: float, amount_style: str, accent) -> float:
    """Code, title and prime of each operation, and the total."""
    columns = [(sh.left + 6, "Code opération"), (sh.left + 110, "Intitulé"), (sh.right - 6, "Prime (€)")]
    sh.rect(sh.left, y, sh.right - sh.left, sh.base_size + 8, stroke=False, fill_rgb=accent)
    for x, text in columns:
        sh.text(x, y + sh.base_size + 2, text, style="bold", align="right" if x > PAGE_W / 2 else "left", color=WHITE)
    y += sh.base_size + 8
    split = f.extra.get("prime_split") or [f.prime]
    for op, prime in zip(f.operations, split):
        y += sh.base_size + 4
        sh.text(columns[0][0], y, op)
        sh.text(columns[1][0], y, OPERATION_TITLES[op])
        sh.text(columns[2][0], y, money(prime, amount_style, currency=False), align="right")
        sh.hline(y + 4, gray=0.75, width=0.3)
    y += sh.base_size + 8
    sh.text(columns[1][0], y, sh.rng.choice(["Montant total de la prime", "Total de la contribution", "Prime totale"]), style="bold")
    sh.text(columns[2][0], y, money(f.prime, amount_style), style="bold", align="right")
    return y + 4


# ---------------------------------------------------------------------------- certificat RGE

QUALIBAT_CODES = {
    "Isolation du toit": ("7131", "Isolation thermique par l'intérieur"),
    "Isolation des murs et planchers bas": ("7132", "Isolation thermique par l'intérieur (technicité supérieure)"),
    "Pompe à chaleur : chauffage": ("5212", "Installation de pompes à chaleur"),
    "Chauffe-eau thermodynamique": ("5411", "Installation d'eau chaude sanitaire thermodynamique"),
    "Chauffage et/ou eau chaude au bois": ("5311", "Installation d'appareils de chauffage au bois"),
    "Chaudière bois": ("5312", "Installation de chaudières biomasse"),
    "Chauffage et/ou eau chaude solaire": ("8621", "Installation solaire thermique"),
}


def _rge_truth(f: DossierFacts) -> dict:
    c = f.installer
    return {"rge_numero": c.rge_numero, "siret": c.siret, "raison_sociale": c.name, "date_debut_validite": _iso(c.rge_start),
            "date_fin_validite": _iso(c.rge_end), "domaines": ", ".join(c.domains)}


def rge_software(f: DossierFacts, rng: Random) -> Drawn:
    """The certificate of the installer's body: Qualibat's two-column sheet, else Qualit'EnR's table."""
    if f.installer.rge_body == "Qualibat":
        return rge_qualibat_sheet(f, rng)
    return rge_enr_table(f, rng)


def rge_qualibat_sheet(f: DossierFacts, rng: Random) -> Drawn:
    """As Qualibat prints it: the number, « VALABLE JUSQU'AU », « ÉDITÉ LE » in a row, the
    company's identity in two columns (the SIREN and the NIC apart), the qualifications with their
    codes, the RGE categories with their date of attribution."""
    sh = Sheet(rng)
    c, values = f.installer, content_random(rng)
    date_style = rng.choice(["slash", "slash", "dot", "long"])
    d = lambda value: date_text(value, date_style, rng)  # noqa: E731
    sh.text(sh.right, 40, "ACCRÉDITATION N° 4-0523", sh.base_size - 2.5, align="right")
    sh.text(sh.right, 50, "PORTÉE DISPONIBLE SUR WWW.COFRAC.FR", sh.base_size - 2.5, align="right")
    sh.text(PAGE_W / 2, 78, rng.choice(["CERTIFICAT QUALIBAT « RGE »", "CERTIFICAT DE QUALIFICATION QUALIBAT"]), 15, "bold", align="center")
    y = 112
    cells = [("NUMÉRO", c.rge_numero), ("VALABLE JUSQU'AU", d(c.rge_end)), ("ÉDITÉ LE", d(c.rge_start))]
    x = sh.left
    for name, value in cells:
        end = sh.text(x, y, name, sh.base_size - 1.5, "bold")
        end = sh.text(end + 8, y, value, sh.base_size + 1, "bold")
        x = max(x + (sh.right - sh.left) / 3, end + 20)
    y += 36
    siren, nic = c.siret[:9], c.siret[9:]
    left = [("Date de création", d(dt.date(values.randint(1995, 2018), values.randint(1, 12), values.randint(1, 28)))),
            ("Forme juridique", c.legal_form), ("Capital", _int_fr(c.capital)), ("Registre du commerce", f"RC {c.rcs_city.upper()}"),
            ("Siren", f"{siren[:3]} {siren[3:6]} {siren[6:]}      {nic}") if rng.random() < 0.6 else
            ("SIRET", fmt_siret(c.siret, rng.choice(SIRET_STYLES))),
            ("Code NACE", values.choice(["4329A", "4322B", "4399C"]))]
    right = [f"Raison sociale : {c.name}", c.street.upper(), f"{c.postal_code} {c.city.upper()}", f"Téléphone : {c.phone}",
             f"E-mail : {c.email}"]
    yy = y
    for name, value in left:
        sh.text(sh.left, yy, f"{name} :", sh.base_size - 1)
        sh.text(sh.left + 120, yy, value, sh.base_size - 1)
        yy += sh.base_size + 5
    x = PAGE_W / 2 + 20
    for line in right:
        sh.text(x, y, line, sh.base_size - 0.5)
        y += sh.base_size + 4
    y = max(y, yy) + 22
    sh.text(sh.left, y, "QUALIFICATION PROFESSIONNELLE", style="bold")
    y += sh.base_size + 8
    until = rng.random() < 0.5  # the table gives the end of validity of each qualification
    sh.text(sh.left + 4, y, "Code", sh.base_size - 1, "bold")
    sh.text(sh.left + 50, y, "Qualification(s) en cours de validité", sh.base_size - 1, "bold")
    sh.text(sh.right, y, "Date de fin de validité" if until else "Date d'attribution*", sh.base_size - 1, "bold", align="right")
    if until:
        sh.text(sh.right - 120, y, "Date d'attribution", sh.base_size - 1, "bold", align="right")
    for domain in c.domains:
        code, name = QUALIBAT_CODES.get(domain, ("9999", domain))
        y += sh.base_size + 6
        sh.text(sh.left + 4, y, code, sh.base_size - 0.5)
        sh.text(sh.left + 50, y, name, sh.base_size - 0.5)
        sh.text(sh.right, y, d(c.rge_end if until else c.rge_start), sh.base_size - 0.5, align="right")
        if until:
            sh.text(sh.right - 120, y, d(c.rge_start), sh.base_size - 0.5, align="right")
    y += 30
    sh.text(PAGE_W / 2, y, "Catégories de travaux RGE couvertes", style="bold", align="center")
    sh.text(sh.right, y, "Date d'attribution", sh.base_size - 1, "bold", align="right")
    for domain in c.domains:
        y += sh.base_size + 6
        sh.text(sh.left + 4, y, f"o {domain}")
        sh.text(sh.right, y, d(c.rge_start), align="right")
    y += 24
    if not until:
        sh.text(sh.left, y, "* ou du plus récent renouvellement", sh.base_size - 2, "italic")
    sh.paragraph(sh.left, PAGE_H - 90, "La (ou les) qualification(s) « RGE » atteste(nt) de la conformité aux exigences applicables "
                 "à la « Reconnaissance Garant de l'Environnement », suivant le référentiel en vigueur à la date de la demande.",
                 sh.right - sh.left, sh.base_size - 2.5)
    sh.text(sh.right, PAGE_H - 40, "1/1", sh.base_size - 2, align="right")
    return Drawn(sh.finish(), 1, _rge_truth(f))


def rge_enr_table(f: DossierFacts, rng: Random) -> Drawn:
    """Qualit'EnR's attestation as a table: qualification, number, date of attribution, end of validity."""
    sh = Sheet(rng)
    c = f.installer
    date_style = rng.choice(["slash", "dash", "long_cap"])
    sh.rect(sh.left, 34, sh.right - sh.left, 46, stroke=False, fill_rgb=(0.93, 0.55, 0.1))
    sh.text(sh.left + 12, 64, "Qualit'EnR", 22, "bold", color=WHITE)
    sh.text(sh.right - 12, 62, "Attestation de qualification", sh.base_size + 1, align="right", color=WHITE)
    y = 116
    sh.text(sh.left, y, rng.choice(["Entreprise titulaire", "Titulaire de la qualification"]), style="bold")
    y += sh.base_size + 6
    for k, line in enumerate([c.name, c.street, f"{c.postal_code} {c.city}", f"SIRET : {fmt_siret(c.siret, rng.choice(SIRET_STYLES))}"]):
        sh.text(sh.left + 10, y, line, style="bold" if k == 0 else "regular")
        y += sh.base_size + 4
    y += 16
    module = {"QualiPAC": "QualiPAC module Chauffage et ECS", "Qualibois": "Qualibois module Eau",
              "Qualit'EnR": "QualiSol Combi"}.get(c.rge_body, c.rge_body)
    headers = [("Qualification", sh.left + 4), ("N°", sh.left + 200), ("Date d'attribution", sh.left + 320),
               ("Date de fin de validité", sh.right - 4)]
    sh.rect(sh.left, y, sh.right - sh.left, sh.base_size + 8, fill_gray=0.88)
    for text, x in headers:
        sh.text(x, y + sh.base_size + 2, text, sh.base_size - 1, "bold", align="right" if x > sh.right - 10 else "left")
    y += sh.base_size + 8
    sh.rect(sh.left, y, sh.right - sh.left, sh.base_size + 10)
    row = [module, c.rge_numero, date_text(c.rge_start, date_style, rng), date_text(c.rge_end, date_style, rng)]
    for (_, x), text in zip(headers, row):
        sh.text(x, y + sh.base_size + 3, text, sh.base_size - 0.5, align="right" if x > sh.right - 10 else "left")
    y += sh.base_size + 30
    sh.text(sh.left, y, "Catégories de travaux RGE :", style="bold")
    for domain in c.domains:
        y += sh.base_size + 5
        sh.text(sh.left + 14, y, f"– {domain}")
    y += 40
    sh.paragraph(sh.left, y, "Cette attestation est délivrée sous réserve du respect du référentiel de qualification. "
                 "Sa validité peut être vérifiée sur qualit-enr.org.", sh.right - sh.left, sh.base_size - 1.5)
    stamp(sh, sh.right - 160, y + 30, 140, 56, ["QUALIT'ENR", "LE PRÉSIDENT"])
    return Drawn(sh.finish(), 1, _rge_truth(f))


# ---------------------------------------------------------------------------- avis d'imposition

def _avis_truth(f: DossierFacts) -> dict:
    p = f.beneficiary
    return {"declarant_nom": f"{p.first_name} {p.last_name}", "annee_revenus": str(f.annee_revenus),
            "revenu_fiscal_reference": str(f.revenu_fiscal), "nombre_parts": _dec(f.nombre_parts), "adresse": p.street}


def _parts(value: Decimal, rng: Random) -> str:
    return fmt_number(value, rng.choice([1, 2])) if value % 1 else fmt_number(value, rng.choice([0, 2]))


def avis_situation(f: DossierFacts, rng: Random) -> Drawn:
    """The tax office's situation page: « Vos références », declarants in columns, the revenu
    fiscal de référence in a box."""
    sh, values = Sheet(rng), content_random(rng)
    p = f.beneficiary
    spouse = f.extra.get("spouse") and f.declarant2
    sh.text(sh.left, 44, "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES", sh.base_size - 1.5, "bold")
    sh.text(sh.right, 44, "impots.gouv.fr", sh.base_size - 1, align="right")
    sh.text(sh.left, 82, f"SITUATION DE L'IMPÔT SUR LE REVENU {f.annee_revenus + 1}", 14, "bold")
    sh.text(sh.left, 98, f"établie à partir des revenus de l'année {f.annee_revenus}", sh.base_size, "italic")
    y = 130
    sh.text(sh.left, y, "Vos références", style="bold")
    y += sh.base_size + 6
    for name, value in [("Numéro fiscal", f"{values.randint(10, 99)} {values.randint(10, 99)} {values.randint(100, 999)} "
                                          f"{values.randint(100, 999)} {values.randint(100, 999)}"),
                        ("Référence de l'avis", f"{values.randint(10, 99)} {values.randint(10, 99)} {values.randint(1000000, 9999999)} "
                                                f"{values.randint(10, 99)}")]:
        sh.text(sh.left + 8, y, name, sh.base_size - 0.5)
        sh.text(sh.left + 150, y, value, sh.base_size - 0.5)
        y += sh.base_size + 4
    y += 12
    col = [sh.left + 8, sh.left + 150, sh.left + 320]
    sh.text(col[1], y, "Déclarant 1", style="bold")
    if spouse:
        sh.text(col[2], y, "Déclarant 2", style="bold")
    rows = [("Nom", p.last_name.upper(), p.last_name.upper()), ("Prénom(s)", p.first_name, f.declarant2 or ""),
            ("Date de naissance", f"{values.randint(1, 28):02d}/{values.randint(1, 12):02d}/{values.randint(1945, 1995)}",
             f"{values.randint(1, 28):02d}/{values.randint(1, 12):02d}/{values.randint(1945, 1995)}")]
    for name, one, two in rows:
        y += sh.base_size + 5
        sh.text(col[0], y, name, sh.base_size - 0.5)
        sh.text(col[1], y, one)
        if spouse:
            sh.text(col[2], y, two)
    y += 24
    end = sh.text(sh.left + 8, y, f"Adresse au 1er janvier {f.annee_revenus + 1} :", sh.base_size - 0.5)
    sh.text(max(sh.left + 150, end + 8), y, f"{p.street}, {p.postal_code} {p.city.upper()}")
    y += 30
    rfr = f"{_int_fr(f.revenu_fiscal)} €" if rng.random() < 0.6 else str(f.revenu_fiscal)
    sh.rect(sh.left, y, sh.right - sh.left, 58)
    sh.text(sh.left + 10, y + 20, "Revenu fiscal de référence", sh.base_size + 1, "bold")
    sh.text(sh.right - 10, y + 20, rfr, sh.base_size + 3, "bold", align="right")
    sh.text(sh.left + 10, y + 42, "Nombre de parts")
    sh.text(sh.right - 10, y + 42, _parts(f.nombre_parts, rng), style="bold", align="right")
    y += 82
    for name, value in [("Situation de famille", "Marié(e)" if spouse else rng.choice(["Célibataire", "Divorcé(e)"])),
                        ("Revenu brut global", f"{_int_fr(int(f.revenu_fiscal * 1.08))} €"),
                        ("Impôt sur le revenu net", money(Decimal(f.revenu_fiscal) * Decimal("0.035"), "fr"))]:
        sh.text(sh.left + 8, y, name)
        sh.text(sh.right - 10, y, value, align="right")
        y += sh.base_size + 6
    return Drawn(sh.finish(), 1, _avis_truth(f))


def avis_justificatif(f: DossierFacts, rng: Random) -> Drawn:
    """The online « justificatif de revenus imposables »: each value under its label."""
    sh, values = Sheet(rng), content_random(rng)
    p = f.beneficiary
    spouse = f.extra.get("spouse") and f.declarant2
    created = dt.date(f.annee_revenus + 1, values.randint(9, 12), values.randint(1, 28))
    sh.text(sh.left, 50, "Mon FranceConnect", sh.base_size + 3, "bold")
    sh.text(sh.right, 50, "Vérifiez ce justificatif en scannant le QR code", sh.base_size - 2, align="right")
    sh.rect(sh.right - 60, 58, 54, 54)
    y = 96
    sh.text(sh.left, y, f"Ce justificatif a été créé le {created.strftime('%d/%m/%Y')} par {p.first_name} {p.last_name.upper()}.",
            sh.base_size - 1)
    y += 40
    sh.text(sh.left, y, f"Justificatif de revenus imposables - Année {f.annee_revenus}", sh.base_size + 3, "bold")
    y += 30
    names = [f"{p.first_name}, {p.last_name.upper()}"] + ([f"{f.declarant2}, {p.last_name.upper()}"] if spouse else [])
    blocks = [("Prénom, NOM", names), ("Situation familiale", ["Marié(e)" if spouse else "Célibataire"]),
              ("Adresse d'imposition au 1er Janvier", [p.street, f"{p.postal_code} {p.city.upper()}"]),
              ("Revenu fiscal de référence", [f"{f.revenu_fiscal} €"]),
              ("Revenu brut global", [f"{int(f.revenu_fiscal * 1.08)} €"]),
              ("Nombre de parts", [_parts(f.nombre_parts, rng)])]
    for name, lines in blocks:
        sh.text(sh.left, y, name, style="bold")
        for line in lines:
            y += sh.base_size + 4
            sh.text(sh.left, y, line)
        y += sh.base_size + 14
    sh.paragraph(sh.left, PAGE_H - 80, "MENTIONS LÉGALES : le présent document a été généré par un service numérique de l'État "
                 "à partir des données fournies par l'administration fiscale.", sh.right - sh.left, sh.base_size - 2.5)
    # a substitute for the avis, not one: the real documents' catalogue classifies it « autre »
    return Drawn(sh.finish(), 1, {}, type="autre")


# ---------------------------------------------------------------------------- note de dimensionnement

def note_software(f: DossierFacts, rng: Random) -> Drawn:
    """A sizing software's printout: losses per room, the heat pump's power, the coverage."""
    sh, values = Sheet(rng), content_random(rng)
    p = f.products[0]
    surface = int(p.surface or values.randint(70, 160))
    sh.rect(0, 0, PAGE_W, 40, stroke=False, fill_rgb=rng.choice(ACCENTS))
    sh.text(sh.left, 26, rng.choice(["PAC-Dimensionnement Pro", "ThermiCalc Habitat", "Dimensio PAC"]) + f" v{values.randint(2, 9)}."
            f"{values.randint(0, 9)}", sh.base_size + 2, "bold", color=WHITE)
    sh.text(sh.right, 26, "Note de dimensionnement", sh.base_size + 1, align="right", color=WHITE)
    y = 70
    sh.text(sh.left, y, f"Projet : {f.beneficiary.last_name.upper()} – {f.beneficiary.city}", style="bold")
    y += 28
    base = values.choice([-4, -5, -7, -9, -10])
    rooms, left = [], surface
    for name in ["Séjour", "Cuisine", "Chambre 1", "Chambre 2", "Salle de bains"]:
        area = left if name == "Salle de bains" else max(6, int(surface * values.uniform(0.1, 0.3)))
        left -= area
        rooms.append((name, max(area, 5)))
    losses = [(name, area, int(area * values.uniform(45, 80))) for name, area in rooms]
    total = sum(w for _, _, w in losses)
    sh.text(sh.left, y, "Déperditions", sh.base_size + 1, "bold")
    y += sh.base_size + 6
    for k, text in enumerate(["Pièce", "Surface (m²)", "Volume (m³)", "Déperditions (W)"]):
        sh.text(sh.left + k * 120, y, text, sh.base_size - 1, "bold")
    for name, area, watts in losses:
        y += sh.base_size + 4
        for k, text in enumerate([name, str(area), fmt_number(Decimal(area) * Decimal("2.5"), 1), _int_fr(watts)]):
            sh.text(sh.left + k * 120, y, text, sh.base_size - 1)
    y += sh.base_size + 8
    sh.text(sh.left, y, f"Total déperditions à {base} °C : {_int_fr(total)} W", style="bold")
    y += 36
    power = Decimal(total) / 1000 * Decimal(values.uniform(1.0, 1.2))
    rows = [("Température extérieure de base", f"{base} °C"), ("Température de consigne", "19 °C"),
            ("Équipement retenu", f"{p.brand} {p.reference}"), (f"Puissance PAC à {base} °C", f"{fmt_number(power, 1)} kW"),
            ("Taux de couverture", f"{int(power * 1000 / total * 100)} %")]
    sh.text(sh.left, y, "Puissance PAC", sh.base_size + 1, "bold")
    for name, value in rows:
        y += sh.base_size + 6
        sh.text(sh.left + 8, y, name)
        sh.text(sh.left + 260, y, value, style="bold")
    return Drawn(sh.finish(), 1, {})
