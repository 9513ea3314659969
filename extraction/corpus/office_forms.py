"""The ``office`` family's attestation sur l'honneur and cadre de contribution (see ``office_facts``).

The attestation is a printed Cerfa-like form filled in afterwards: framed numbered sections
with a grey title bar, small labels, the SIRET, the postal code and the dates in comb fields
(each character in its own little box, « |1|2|/|0|3|/|2|0|2|5| »), the other values typed in
a typewriter font (Courier) over dotted rules and a little off them, check boxes ticked with an
X, two signature boxes side by side holding ink (the professional's with its stamp) or nothing.

The cadre de contribution is either a partnership convention in articles (« ENTRE LES
SOUSSIGNÉS : la société X … ci-après « l'Obligé » ET … », « Article 1 – Objet », « Fait en deux
exemplaires à Paris, le 3 février 2025 ») or an obligé's e-mail, printed with its headers
(De / Envoyé / À / Objet), announcing the prime.
"""
from __future__ import annotations

import datetime as dt
import json
from random import Random

from .documents import Drawn, _dec, _iso
from .facts import OPERATION_TITLES, DossierFacts, content_random
from .ink import sign
from .office_facts import TYPEWRITER, client_name, comb, date_text, money, siren_of
from .office_grid import Flow, page_number
from .sheet import PAGE_H, PAGE_W, Sheet
from .wording import MONTH_NAMES

TYPE_BLUE = (0.1, 0.1, 0.35)


# ---------------------------------------------------------------------------- form pieces

class FormFill:
    """How this copy of the form was filled in: comb boxes, typed values and their offsets."""

    def __init__(self, sh: Sheet):
        self.sh = sh
        rng = sh.rng
        self.size = sh.base_size + rng.choice([0, 0.5, 1])
        self.ink = rng.choice([(0, 0, 0), TYPE_BLUE])
        self.dx, self.dy = rng.uniform(4, 26), rng.uniform(-4.5, 1.5)  # the printer's feed: off the line
        self.box = rng.choice([11, 12, 13])

    def label(self, x: float, y: float, text: str) -> float:
        return self.sh.text(x, y, text, self.sh.base_size - 1.5)

    def typed(self, x: float, y: float, label: str, value: str, x_end: float) -> None:
        """A label, a dotted rule to ``x_end`` and the value typed in Courier a little off it."""
        sh = self.sh
        end = self.label(x, y, f"{label} :") + 4
        sh.canvas.setDash(0.8, 1.8)
        sh.hline(y + 2, end, x_end, width=0.5, gray=0.35)
        sh.canvas.setDash()
        sh.canvas.setFont(TYPEWRITER, self.size)
        sh.canvas.setFillColorRGB(*self.ink)
        sh.canvas.drawString(end + self.dx, PAGE_H - (y + self.dy), value)
        sh.canvas.setFillColorRGB(0, 0, 0)

    def comb(self, x: float, y: float, value: str, *, seps: str = "/") -> float:
        """Each character in its own box; ``seps`` are printed between boxes, not in them.
        Returns the x after the last box."""
        sh, w = self.sh, self.box
        for ch in comb(value):
            if ch in seps:
                sh.text(x + 2.5, y, ch, sh.base_size)
                x += 8
                continue
            sh.rect(x, y - w + 2.5, w, w)
            sh.canvas.setFont(TYPEWRITER, min(self.size, w - 1))
            sh.canvas.setFillColorRGB(*self.ink)
            sh.canvas.drawCentredString(x + w / 2, PAGE_H - (y - 0.5), ch)
            sh.canvas.setFillColorRGB(0, 0, 0)
            x += w
        return x

    def comb_field(self, x: float, y: float, label: str, value: str, *, seps: str = "/") -> float:
        end = self.label(x, y, f"{label} :") + 6
        return self.comb(end, y, value, seps=seps)

    def empty_comb(self, x: float, y: float, count: int) -> float:
        for _ in range(count):
            self.sh.rect(x, y - self.box + 2.5, self.box, self.box)
            x += self.box
        return x

    def check(self, x: float, y: float, text: str, checked: bool) -> float:
        sh, size = self.sh, self.sh.base_size - 0.5
        sh.rect(x, y - size + 1.5, size, size)
        if checked:
            sh.canvas.setFont(TYPEWRITER, size + 1)
            sh.canvas.setFillColorRGB(*self.ink)
            sh.canvas.drawString(x + 1.2 + self.dx / 30, PAGE_H - (y + 0.5), "X")
            sh.canvas.setFillColorRGB(0, 0, 0)
        return sh.text(x + size + 4, y, text, sh.base_size - 1) + 14


def _section(sh: Sheet, y: float, number: int, title: str, height: float) -> float:
    sh.rect(sh.left, y, sh.right - sh.left, height)
    sh.rect(sh.left, y, sh.right - sh.left, sh.base_size + 7, fill_gray=0.78)
    sh.text(sh.left + 5, y + sh.base_size + 2, f"{number}. {title}", sh.base_size, "bold")
    return y + sh.base_size + 24


def _iso_comb(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


# ---------------------------------------------------------------------------- attestation sur l'honneur

def attestation_comb(f: DossierFacts, rng: Random) -> Drawn:
    sh = Sheet(rng)
    fill = FormFill(sh)
    p, c = f.beneficiary, f.installer
    truth = {"beneficiaire_nom": f"{p.first_name} {p.last_name}", "beneficiaire_adresse": p.street,
             "beneficiaire_code_postal": p.postal_code, "beneficiaire_ville": p.city, "operations": json.dumps(f.operations),
             "date_engagement": _iso(f.date_signature), "date_achevement": _iso(f.date_fin_travaux),
             "reference_facture": f.facture_number, "siret_installateur": c.siret, "raison_sociale_installateur": c.name}
    sh.rect(sh.left, 30, 120, 34)
    sh.text(sh.left + 60, 44, "CERTIFICATS", sh.base_size - 1, "bold", align="center")
    sh.text(sh.left + 60, 56, "D'ÉCONOMIES D'ÉNERGIE", sh.base_size - 2.5, "bold", align="center")
    sh.text(sh.right, 42, rng.choice(["Formulaire n° 3 – version 2024", "Imprimé CEE – AH / 2", "Modèle type – à remplir"]),
            sh.base_size - 2, align="right")
    sh.text(sh.right, 54, "À conserver par le bénéficiaire", sh.base_size - 2.5, "italic", align="right")
    sh.text(PAGE_W / 2, 92, "ATTESTATION SUR L'HONNEUR", 15, "bold", align="center")
    sh.text(PAGE_W / 2, 106, rng.choice(["de réalisation d'une opération d'économies d'énergie",
                                         "à remplir par le bénéficiaire et le professionnel"]), sh.base_size - 0.5, "italic",
            align="center")
    mid, right = (sh.left + sh.right) / 2, sh.right - 8
    line = sh.base_size + 12
    y = _section(sh, 122, 1, rng.choice(["BÉNÉFICIAIRE DE L'OPÉRATION", "Identité du bénéficiaire"]), 6 * line + 8)
    last = p.last_name.upper()
    fill.typed(sh.left + 6, y, "Nom", last, mid - 8)
    fill.typed(mid, y, "Prénom", p.first_name, right)
    y += line
    fill.typed(sh.left + 6, y, rng.choice(["Adresse des travaux", "Adresse de réalisation de l'opération"]), p.street, right)
    y += line
    end = fill.comb_field(sh.left + 6, y, "Code postal", p.postal_code)
    fill.typed(max(end + 12, mid), y, "Commune", p.city, right)
    y += line
    fill.label(sh.left + 6, y, "Téléphone :")
    fill.comb(sh.left + 70, y, p.phone, seps="")
    y += line
    owner = Random(f"{f.reference}|office-owner").random() < 0.85
    x = fill.label(sh.left + 6, y, "Vous êtes :") + 10
    x = fill.check(x, y, "propriétaire occupant", owner)
    x = fill.check(x, y, "propriétaire bailleur", False)
    fill.check(x, y, "locataire", not owner)
    y += line
    if Random(f"{f.reference}|office-age").random() < 0.8:
        x = fill.label(sh.left + 6, y, rng.choice(["Le logement est achevé depuis plus de 2 ans :",
                                                    "Bâtiment existant depuis plus de deux ans à la date d'engagement :"])) + 10
        x = fill.check(x, y, "oui", f.batiment_plus_de_2_ans)
        fill.check(x, y, "non", not f.batiment_plus_de_2_ans)
        truth["batiment_plus_de_2_ans"] = "true" if f.batiment_plus_de_2_ans else "false"
    y += line + 4
    y = _section(sh, y, 2, rng.choice(["PROFESSIONNEL AYANT RÉALISÉ L'OPÉRATION", "Identité du professionnel"]), 3 * line + 8)
    fill.typed(sh.left + 6, y, "Raison sociale", c.name, right)
    y += line
    fill.comb_field(sh.left + 6, y, "N° SIRET", c.siret)
    y += line
    fill.typed(sh.left + 6, y, "Adresse", f"{c.street} {c.postal_code} {c.city}", right)
    y += line + 4
    y = _section(sh, y, 3, rng.choice(["OPÉRATION RÉALISÉE", "Description de l'opération"]), (3 + len(f.operations)) * line + 8)
    for op in f.operations:
        fill.typed(sh.left + 6, y, "Fiche d'opération standardisée", op, mid + 20)
        sh.text(mid + 26, y, OPERATION_TITLES[op], sh.base_size - 1.5, "italic")
        y += line
    fill.comb_field(sh.left + 6, y, rng.choice(["Date d'engagement de l'opération (acceptation du devis)",
                                                "Date d'engagement (signature du devis)"]), _iso_comb(f.date_signature))
    y += line
    fill.comb_field(sh.left + 6, y, rng.choice(["Date d'achèvement des travaux", "Date de fin de l'opération"]),
                    _iso_comb(f.date_fin_travaux))
    y += line
    fill.typed(sh.left + 6, y, rng.choice(["N° de la facture", "Référence de la facture"]), f.facture_number, mid + 60)
    y += line + 4
    statement = ("Nous attestons sur l'honneur l'exactitude des informations portées sur le présent formulaire et que "
                 "l'opération n'a pas fait l'objet, pour les mêmes travaux, d'une autre demande de certificats d'économies "
                 "d'énergie. Toute fausse déclaration est passible des sanctions prévues par la loi.")
    y = sh.paragraph(sh.left, y + 4, statement, sh.right - sh.left, sh.base_size - 1.5) + 6
    x = fill.label(sh.left, y, "Fait à ")
    sh.canvas.setFont(TYPEWRITER, fill.size)
    sh.canvas.drawString(x + 4, PAGE_H - (y + fill.dy / 2), p.city)
    x = fill.label(x + 14 + sh.width(p.city, fill.size) * 1.2, y, ", le") + 6
    if f.ah_signed_beneficiary:
        fill.comb(x, y, _iso_comb(f.date_fin_travaux))
    else:
        fill.empty_comb(x, y, 8)
    y += line
    _signature_boxes(sh, f, min(y, PAGE_H - 150), truth)
    page_number(sh, 1, 1, "slash")
    return Drawn(sh.finish(), 1, truth)


def _signature_boxes(sh: Sheet, f: DossierFacts, y: float, truth: dict) -> None:
    """Two boxes under one line of titles: the beneficiary's on the left, the professional's
    (signature and cachet) on the right; ink only where signed."""
    rng = sh.rng
    half = (sh.right - sh.left) / 2 - 5
    left_title = rng.choice(["Signature du bénéficiaire", "Signature du bénéficiaire (précédée de « lu et approuvé »)"])
    right_title = rng.choice(["Signature et cachet du professionnel", "Cachet et signature de l'entreprise"])
    sh.text(sh.left, y, left_title, sh.base_size - 0.5, "bold")
    sh.text(sh.left + half + 10, y, right_title, sh.base_size - 0.5, "bold")
    top, height = y + 5, 100
    ink = f.extra.get("ink", {})
    for k, signed in enumerate([f.ah_signed_beneficiary, f.ah_signed_installer]):
        x = sh.left + k * (half + 10)
        sh.rect(x, top, half, height)
        if not signed:
            continue
        c = f.installer
        lines = [c.name.upper()[:26], f"{c.postal_code} {c.city.upper()}"[:26], f"SIRET {c.siret}"] \
            if k == 1 and ink.get("stamp_installer") else None
        sign(sh, x + 6, top + 8, half - 12, height - 16, stamp_lines=lines)
    truth["signature_beneficiaire"] = "true" if f.ah_signed_beneficiary else "false"
    truth["signature_installateur"] = "true" if f.ah_signed_installer else "false"


# ---------------------------------------------------------------------------- cadre de contribution

OBLIGE_SEATS = [("12 rue de la Chaussée d'Antin", "75009", "Paris"), ("4 place de la Défense", "92400", "Courbevoie"),
                ("27 avenue Jean Jaurès", "69007", "Lyon"), ("8 quai de Bacalan", "33300", "Bordeaux"),
                ("15 boulevard de Strasbourg", "31000", "Toulouse"), ("2 rue du Parc Technologique", "44300", "Nantes")]


def _date_words(d: dt.date) -> str:
    return f"{'1er' if d.day == 1 else d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def cadre_convention(f: DossierFacts, rng: Random) -> Drawn:
    """A partnership convention in articles between the obligé and the beneficiary."""
    sh, values = Sheet(rng), content_random(rng)
    p, c = f.beneficiary, f.installer
    amount_style = rng.choice(["fr", "fr_eur", "fr_bare", "fr_nospace"])
    seat = OBLIGE_SEATS[Random(f.oblige).randrange(len(OBLIGE_SEATS))]
    siren = siren_of(f.oblige_siret)
    prime = money(f.prime, amount_style)
    ops = "; ".join(f"{op} – {OPERATION_TITLES[op]}" for op in f.operations)
    signed_at = rng.choice([seat[2], seat[2], p.city])
    date_written = rng.choice([_date_words(f.date_cadre), f.date_cadre.strftime("%d/%m/%Y")])
    until = f.date_cadre + dt.timedelta(days=rng.choice([90, 120, 180]))
    name = client_name(f, rng)
    title = rng.choice(["CONVENTION DE PARTENARIAT", "CONVENTION D'INCITATION AUX ÉCONOMIES D'ÉNERGIE",
                        "CONTRAT D'ENGAGEMENT – CERTIFICATS D'ÉCONOMIES D'ÉNERGIE"])
    reference = f"Convention n° {values.randint(2020, 2026)}-{values.randint(1000, 99999)}"
    paragraphs: list[tuple[str, str]] = [
        ("bold", "ENTRE LES SOUSSIGNÉS :"),
        ("regular", f"La société {f.oblige}, dont le siège social est situé {seat[0]}, {seat[1]} {seat[2]}, immatriculée au "
                    f"registre du commerce et des sociétés sous le numéro {siren}, représentée par son "
                    f"{rng.choice(['Directeur général', 'Responsable CEE', 'Président'])}, ci-après dénommée « l'Obligé »,"),
        ("right", "D'UNE PART,"),
        ("bold", "ET :"),
        ("regular", f"{name}, demeurant {p.street}, {p.postal_code} {p.city}, ci-après dénommé(e) « le Bénéficiaire »,"),
        ("right", "D'AUTRE PART,"),
        ("bold", "IL A ÉTÉ CONVENU CE QUI SUIT :"),
        ("article", "Article 1 – Objet"),
        ("regular", "La présente convention a pour objet de définir les conditions dans lesquelles l'Obligé, dans le cadre "
                    "de son rôle actif et incitatif, accompagne le Bénéficiaire dans la réalisation de l'opération "
                    f"d'économies d'énergie suivante : {ops}."),
        ("regular", f"Les travaux seront réalisés par l'entreprise {c.name}, titulaire d'une qualification RGE."),
        ("article", "Article 2 – Contribution de l'Obligé"),
        ("regular", f"En contrepartie des certificats d'économies d'énergie obtenus, l'Obligé versera au Bénéficiaire une "
                    f"prime d'un montant de {prime}, par virement, dans un délai de 60 jours après réception du dossier complet."),
        ("article", "Article 3 – Engagements du Bénéficiaire"),
        ("regular", "Le Bénéficiaire s'engage à signer la présente convention avant l'acceptation du devis, à fournir la "
                    "facture des travaux et l'attestation sur l'honneur signée, et à ne pas valoriser cette opération "
                    "auprès d'un autre obligé."),
        ("article", "Article 4 – Durée"),
        ("regular", f"La présente convention prend effet à sa signature ; l'offre est valable jusqu'au "
                    f"{until.strftime('%d/%m/%Y')} pour des travaux engagés avant cette date."),
        ("article", "Article 5 – Contrôles"),
        ("regular", "Le Bénéficiaire accepte qu'un contrôle des travaux puisse être réalisé sur site par un organisme "
                    "d'inspection mandaté par l'Obligé ou par l'administration."),
    ]
    signs_oblige, signs_beneficiary = rng.random() < 0.7, rng.random() < 0.6

    def paragraph_block(style: str, text: str):
        def block(sheet: Sheet, y: float) -> float:
            if style == "right":
                sheet.text(sheet.right, y + sheet.base_size, text, style="bold", align="right")
                return y + sheet.base_size + 8
            if style == "article":
                sheet.text(sheet.left, y + sheet.base_size + 6, text, sheet.base_size + 0.5, "bold")
                return y + sheet.base_size + 12
            return sheet.paragraph(sheet.left, y + sheet.base_size, text, sheet.right - sheet.left, style=style) - sheet.base_size + 6
        return block

    def closing(sheet: Sheet, y: float) -> float:
        y += sheet.base_size + 10
        sheet.text(sheet.left, y, f"Fait en deux exemplaires à {signed_at}, le {date_written}")
        y += sheet.base_size + 14
        half = (sheet.right - sheet.left) / 2
        sheet.text(sheet.left, y, "Pour l'Obligé", style="bold")
        sheet.text(sheet.left + half, y, "Le Bénéficiaire", style="bold")
        sheet.text(sheet.left + half, y + sheet.base_size + 2, "« Lu et approuvé »", sheet.base_size - 1.5, "italic")
        if signs_oblige:
            sign(sheet, sheet.left, y + 8, half - 30, 50, stamp_lines=[f.oblige.upper()[:26], seat[2].upper()])
        if signs_beneficiary:
            sign(sheet, sheet.left + half, y + 16, half - 30, 44)
        return y + 70

    def header(sheet: Sheet, page: int) -> float:
        sheet.text(sheet.left, 40, f.oblige, sheet.base_size - 1, "bold")
        sheet.text(sheet.right, 40, reference, sheet.base_size - 1.5, align="right")
        sheet.hline(45, gray=0.6, width=0.4)
        return 62

    def footer(sheet: Sheet, page: int, pages: int) -> None:
        sheet.text(sheet.left, PAGE_H - 24, "Paraphes :  ........  ........", sheet.base_size - 2.5)
        page_number(sheet, page, pages, "sur")

    y = header(sh, 1) + 16
    sh.text(PAGE_W / 2, y, title, 14, "bold", align="center")
    y += 16
    sh.text(PAGE_W / 2, y, "Dispositif des certificats d'économies d'énergie (articles L. 221-1 et suivants du Code de l'énergie)",
            sh.base_size - 2, "italic", align="center")
    y += 22
    blocks = [paragraph_block(style, text) for style, text in paragraphs] + [closing]
    pages = Flow(sh, y, 50, header, footer).draw(y, blocks)
    truth = {"date_cadre": _iso(f.date_cadre), "nom_oblige": f.oblige, "montant_prime": _dec(f.prime),
             "beneficiaire_nom": f"{p.first_name} {p.last_name}", "operations": json.dumps(f.operations)}
    return Drawn(sh.finish(), pages, truth)


def cadre_email(f: DossierFacts, rng: Random) -> Drawn:
    """An obligé's e-mail announcing the prime, printed from a mail client with its headers."""
    sh, values = Sheet(rng), content_random(rng)
    p, c = f.beneficiary, f.installer
    domain = "".join(ch for ch in f.oblige.lower().split()[0] if ch.isalnum()) + ".fr"
    service = f.extra.get("oblige_service", "Service CEE")
    file_ref = f"CEE-{values.randint(100000, 999999)}"
    subject = rng.choice([f"Votre prime CEE – dossier {file_ref}", f"Confirmation de votre prime énergie (réf. {file_ref})",
                          f"[{f.oblige}] Engagement de prime – {file_ref}"])
    sent = dt.datetime.combine(f.date_cadre, dt.time(values.randint(8, 18), values.randint(0, 59)))
    client = rng.choice(["outlook", "thunderbird", "webmail"])
    when = (f"{date_text(f.date_cadre, 'weekday')} {sent:%H:%M}" if client == "outlook" else
            f"{f.date_cadre:%d/%m/%Y} {sent:%H:%M}" if client == "thunderbird" else f"{_date_words(f.date_cadre)} à {sent:%H:%M}")
    email = p.email
    headers = [("De", f"{service} – {f.oblige} <primes@{domain}>"), ("Envoyé" if client == "outlook" else "Date", when),
               ("À", f"{p.first_name} {p.last_name} <{email}>"), ("Objet", subject)]
    if rng.random() < 0.4:
        headers.insert(3, ("Cc", c.email))
    y = 40
    if client == "webmail":
        sh.text(sh.left, y, f"Messagerie – {p.first_name} {p.last_name}", sh.base_size - 1)
        y += 28
        sh.text(sh.left, y, subject, sh.base_size + 4, "bold")
        y += 22
    else:
        sh.text(sh.left, y, f"{p.first_name} {p.last_name}" if client == "outlook" else subject, sh.base_size + 2, "bold")
        y += 10
        sh.hline(y, width=1.6, gray=0.1)
        y += 18
    for name, value in headers:
        end = sh.text(sh.left, y, f"{name} :", style="bold")
        sh.text(max(sh.left + 60, end + 6), y, value)
        y += sh.base_size + 4
    y += 16
    ops = ", ".join(f"{OPERATION_TITLES[op].lower()} ({op})" for op in f.operations)
    amount = money(f.prime, rng.choice(["fr", "fr_bare", "fr_eur"]))
    body = [rng.choice([f"Bonjour {p.civility} {p.last_name.upper()},", "Madame, Monsieur,", f"Bonjour {p.first_name},"]),
            f"Nous avons bien reçu votre demande et avons le plaisir de vous confirmer que {f.oblige}, dans le cadre du "
            f"dispositif des certificats d'économies d'énergie, s'engage à vous verser une prime de {amount} pour "
            f"l'opération suivante : {ops}.",
            f"Les travaux doivent être réalisés par un professionnel RGE ; vous nous avez indiqué l'entreprise {c.name}. "
            "Important : ce courriel doit vous parvenir avant la signature du devis, faute de quoi la prime ne pourra "
            "pas être versée.",
            "Une fois les travaux terminés, transmettez-nous la facture et l'attestation sur l'honneur signée par vous et "
            "par l'entreprise. La prime vous sera versée par virement sous 6 à 8 semaines.",
            "Nous restons à votre disposition pour toute question.", "Cordialement,",
            f"{service}\n{f.oblige}\nTél. 09 {values.randint(70, 79)} {values.randint(10, 99)} {values.randint(10, 99)} "
            f"{values.randint(10, 99)} – primes@{domain}"]
    for text in body:
        for part in text.split("\n"):
            y = sh.paragraph(sh.left, y, part, sh.right - sh.left)
        y += 8
    if rng.random() < 0.5:
        sh.text(sh.left, PAGE_H - 22, f"https://webmail.{domain.split('.')[0]}-clients.fr/mail/{values.randint(10**6, 10**7)}",
                sh.base_size - 3)
    sh.text(sh.right, PAGE_H - 22, "1/1", sh.base_size - 2.5, align="right")
    truth = {"date_cadre": _iso(f.date_cadre), "nom_oblige": f.oblige, "montant_prime": _dec(f.prime),
             "beneficiaire_nom": f"{p.first_name} {p.last_name}", "operations": json.dumps(f.operations)}
    return Drawn(sh.finish(), 1, truth)

