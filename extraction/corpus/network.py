"""The ``network`` family's devis and factures (see ``network_facts`` for the family and its seeds).

Two or three pages: a letterhead (a network member's coloured band with « Membre du réseau … »,
or an artisan's name and trade beside a square logo) on every page or on the first only, with a
line « Devis n° … (suite) » on the next; the document's number, date and validity in a framed
box or on one line; the client unlabelled where a window envelope shows it, or framed with the
works address apart, or as « Nom : » lines; the item table in lots (``network_items``) running
over pages with « À reporter » / « Report »; the totals on the last page, the délégataire's framed
block « Opération réalisée dans le cadre du dispositif des Certificats d'Économies d'Énergie »
with the prime and what is left to pay, the terms, the client's « Bon pour accord » with ink and
the company's stamp; « Page 1/3 » at the foot, and often a last page of general terms of sale.
"""
from __future__ import annotations

import datetime as dt
import json
from random import Random

from .documents import Drawn, _dec, _iso
from .facts import OPERATION_TITLES, DossierFacts
from .ink import sign, stamp
from .network_facts import page_label
from .network_items import ItemTable
from .network_pages import Pager, conditions_page, paginate
from .office import INSURERS, TRADES
from .office_facts import AMOUNT_STYLES, DATE_STYLES, client_name, company_numbers, date_text, money, siren_of
from .office_grid import next_page
from .sheet import PAGE_H, PAGE_W, Sheet
from .wording import SIRET_STYLES, fmt_siret


BANKS = ["Crédit Agricole", "Banque Populaire", "Crédit Mutuel", "Société Générale", "CIC", "Caisse d'Épargne"]


class Quote:
    """One document's choices, drawn once before anything is placed (``network_pages`` draws twice)."""

    def __init__(self, f: DossierFacts, rng: Random, facture: bool, house: str):
        self.f, self.rng, self.facture, self.house = f, rng, facture, house
        self.amount, self.date, self.siret = rng.choice(AMOUNT_STYLES), rng.choice(DATE_STYLES), rng.choice(SIRET_STYLES)
        self.every_page = rng.random() < 0.5
        self.page_style = rng.choice(["slash", "slash", "sur", "bare", "colon"])
        self.client = rng.choice(["window", "window", "boxed", "labelled"])
        self.info = rng.choice(["box", "line"])
        self.rge = rng.choice(["letterhead", "footer", "cee", "none"])
        self.colour = rng.choice([(0.08, 0.3, 0.55), (0.05, 0.42, 0.3), (0.45, 0.15, 0.2), (0.25, 0.25, 0.3)])
        self.word = "FACTURE" if facture else "DEVIS"
        self.number = f.facture_number if facture else f.devis_number
        self.doc_date = f.date_facture if facture else f.date_devis

    def d(self, value: dt.date) -> str:
        return date_text(value, self.date)

    def m(self, value) -> str:
        return money(value, self.amount)


# ---------------------------------------------------------------------------- top of the pages

def letterhead(q: Quote, truth: dict) -> callable:
    c, rng = q.f.installer, q.rng
    trade = TRADES[company_numbers(c.siret).randrange(len(TRADES))]
    rge_line = f"Qualification RGE {c.rge_body} n° {c.rge_numero}" if q.rge == "letterhead" else None
    if rge_line:
        truth["rge_numero"] = c.rge_numero
    network = q.f.extra.get("network", "")
    show_network = q.house == "network" or rng.random() < 0.3

    def band(sh: Sheet, y: float) -> float:
        sh.rect(0, 0, PAGE_W, 74, stroke=False, fill_rgb=q.colour)
        sh.text(sh.left, 34, c.name.upper(), sh.base_size + 8, "bold", color=(1, 1, 1))
        sh.text(sh.left, 50, f"{c.street} – {c.postal_code} {c.city} – {c.phone}", sh.base_size - 1.5, color=(1, 1, 1))
        sh.text(sh.left, 62, rge_line or c.email, sh.base_size - 1.5, color=(1, 1, 1))
        if show_network:
            size = min(sh.base_size - 2, 8.0 * 150 / max(sh.width(network, 8.0, "bold"), 1))
            sh.rect(sh.right - 160, 18, 160, 38, fill_rgb=(1, 1, 1))
            sh.text(sh.right - 80, 32, "Membre du réseau", sh.base_size - 2.5, "italic", align="center", color=q.colour)
            sh.text(sh.right - 80, 46, network, size, "bold", align="center", color=q.colour)
        return 96

    def artisan(sh: Sheet, y: float) -> float:
        initials = "".join(word[0] for word in c.name.replace("'", " ").split()[:2]).upper()
        sh.rect(sh.left, 30, 46, 46, stroke=False, fill_rgb=q.colour)
        sh.text(sh.left + 23, 59, initials, 17, "bold", align="center", color=(1, 1, 1))
        x = sh.left + 58
        sh.text(x, 42, c.name, sh.base_size + 6, "bold", color=q.colour)
        sh.text(x, 55, trade, sh.base_size - 1, "italic")
        lines = [f"{c.street}, {c.postal_code} {c.city}", f"Tél. {c.phone} – {c.email}"] + ([rge_line] if rge_line else [])
        for k, line in enumerate(lines):
            sh.text(x, 67 + k * (sh.base_size + 1), line, sh.base_size - 1.5)
        if show_network:
            sh.text(sh.right, 42, f"Partenaire {network}", sh.base_size - 1.5, "italic", align="right", color=q.colour)
        return 78 + len(lines) * (sh.base_size + 1)
    return band if q.house == "network" else artisan


def info_block(q: Quote) -> callable:
    """The document's number and date: a framed box on the right, or one bold line."""
    f, rng = q.f, q.rng
    rows = [(f"{q.word.capitalize()} n°", q.number), ("Date", q.d(q.doc_date))]
    if q.facture:
        rows.append(("Échéance", q.d(q.doc_date + dt.timedelta(days=rng.choice([0, 15, 30])))))
    else:
        rows.append(("Validité", rng.choice(["3 mois", "90 jours", f"jusqu'au {q.d(q.doc_date + dt.timedelta(days=90))}"])))
    rows.append((rng.choice(["Réf. client", "Code client", "N° client"]), f"C{rng.randint(1000, 99999)}"))
    if rng.random() < 0.5:
        rows.append(("Votre conseiller", rng.choice(["M. Girard", "Mme Benali", "J. Lemoine", "S. Carvalho"])))

    def box(sh: Sheet, y: float) -> float:
        width, line = 210, sh.base_size + 4
        x = sh.right - width
        sh.rect(x, y, width, 20, stroke=False, fill_rgb=q.colour)
        sh.text(x + width / 2, y + 14, q.word, sh.base_size + 3, "bold", align="center", color=(1, 1, 1))
        sh.rect(x, y + 20, width, len(rows) * line + 6)
        for k, (name, value) in enumerate(rows):
            sh.text(x + 6, y + 32 + k * line, name, sh.base_size - 1)
            sh.text(x + width - 6, y + 32 + k * line, value, sh.base_size - 0.5, "bold", align="right")
        return y + 26 + len(rows) * line + 10

    def line(sh: Sheet, y: float) -> float:
        sh.text(sh.left, y + 16, f"{q.word} N° {q.number}", sh.base_size + 5, "bold")
        sh.text(sh.right, y + 16, f"{'Émise' if q.facture else 'Établi'} le {q.d(q.doc_date)}", sh.base_size, align="right")
        sh.hline(y + 22, width=1.2, gray=0.1)
        rest = "   –   ".join(f"{name} : {value}" for name, value in rows[2:])
        sh.text(sh.left, y + 36, rest, sh.base_size - 1.5)
        return y + 50
    return box if q.info == "box" else line


def parties_block(q: Quote, info: callable) -> callable:
    """The client (unlabelled in the window, framed, or as lines with labels) beside or under the info box."""
    f, rng = q.f, q.rng
    p = f.beneficiary
    name = client_name(f, rng)
    city = p.city.upper() if rng.random() < 0.6 else p.city
    address = [p.street, f"{p.postal_code} {city}"]
    works_title = rng.choice(["Adresse du chantier", "Lieu d'intervention", "Adresse des travaux"])
    works_same = rng.random() < 0.6
    billing_title = rng.choice(["Client", "Adresse de facturation", "Destinataire"])

    def window(sh: Sheet, y: float) -> float:
        below = info(sh, y) if q.info == "box" else y
        x = PAGE_W / 2 + 20 if q.info != "box" else sh.left
        for k, line in enumerate([name] + address):
            sh.text(x, y + 14 + k * (sh.base_size + 3), line, sh.base_size + 0.5, "bold" if k == 0 else "regular")
        top = max(below, y + 14 + 3 * (sh.base_size + 3))
        return (info(sh, top) if q.info != "box" else top) + 6

    def boxed(sh: Sheet, y: float) -> float:
        y = info(sh, y)
        half = (sh.right - sh.left) / 2 - 6
        height = 4 * (sh.base_size + 3) + 14
        for k, (title, lines) in enumerate([(billing_title, [name] + address), (works_title, ["Identique à l'adresse de facturation"]
                                                                           if works_same else [p.street, f"{p.postal_code} {city}"])]):
            x = sh.left + k * (half + 12)
            sh.rect(x, y, half, height)
            sh.text(x + 6, y + sh.base_size + 2, title, sh.base_size - 1, "bold", color=q.colour)
            for n, line in enumerate(lines):
                sh.text(x + 6, y + 2 * sh.base_size + 6 + n * (sh.base_size + 3), line)
        return y + height + 12

    def labelled(sh: Sheet, y: float) -> float:
        y = info(sh, y)
        for k, (label, value) in enumerate([("Client", name), ("Adresse", p.street), ("Code postal / Ville", f"{p.postal_code} {city}"),
                                            ("Téléphone", p.phone)]):
            sh.text(sh.left, y + k * (sh.base_size + 4), f"{label} :", sh.base_size - 0.5, "bold")
            sh.text(sh.left + 110, y + k * (sh.base_size + 4), value)
        return y + 4 * (sh.base_size + 4) + 8
    return {"window": window, "boxed": boxed, "labelled": labelled}[q.client]


def notes_block(q: Quote, truth: dict) -> callable:
    f, rng = q.f, q.rng
    works = " + ".join(OPERATION_TITLES[op] for op in f.operations)
    lines = [f"{rng.choice(['Objet', 'Chantier', 'Nature des travaux'])} : {works}"]
    if q.facture:
        lines.append(f"Référence devis : {f.devis_number} du {q.d(f.date_devis)} – accepté le {q.d(f.date_signature)}")
        truth["numero_devis"] = f.devis_number
        lines.append(rng.choice([f"Travaux réalisés du {q.d(f.date_debut_travaux)} au {q.d(f.date_fin_travaux)}",
                                 f"Date de fin des travaux : {q.d(f.date_fin_travaux)}", f"Chantier réceptionné le {q.d(f.date_fin_travaux)}"]))
        truth["date_fin_travaux"] = _iso(f.date_fin_travaux)
    elif f.date_visite_technique and rng.random() < 0.6:
        lines.append(rng.choice([f"Visite technique préalable réalisée le {q.d(f.date_visite_technique)}",
                                 f"Suite à notre passage du {q.d(f.date_visite_technique)} pour le relevé des mesures"]))
        truth["date_visite_technique"] = _iso(f.date_visite_technique)

    if rng.random() < 0.45:
        lines.append("Descriptif de l'intervention : préparation et protection du chantier, dépose des équipements ou "
                     "matériaux existants le cas échéant, fourniture et mise en œuvre des produits décrits ci-dessous "
                     "conformément aux règles de l'art et aux exigences de la fiche d'opération standardisée, évacuation des "
                     "déchets, nettoyage, contrôle et réception des travaux en présence du client.")

    def notes(sh: Sheet, y: float) -> float:
        for k, line in enumerate(lines):
            y = sh.paragraph(sh.left, y + sh.base_size, line, sh.right - sh.left, style="bold" if k == 0 else "regular") - sh.base_size + 2
        return y + sh.base_size + 4
    return notes


# ---------------------------------------------------------------------------- bottom of the document

def totals_block(q: Quote, with_prime: bool) -> callable:
    f, rng = q.f, q.rng
    rate = f"{f.tva_rate:f}".rstrip("0").rstrip(".").replace(".", ",")
    rows = [(rng.choice(["Total HT", "TOTAL H.T.", "Montant total HT"]), q.m(f.total_ht), False),
            (rng.choice([f"TVA {rate} %", f"TVA à {rate} %", f"Montant TVA ({rate} %)"]), q.m(f.total_tva), False),
            (rng.choice(["Total TTC", "TOTAL T.T.C.", "Montant total TTC"]), q.m(f.total_ttc), True)]
    if with_prime:
        rows += [(rng.choice([f"Prime CEE {f.oblige}", "Prime CEE déduite", "Déduction prime énergie"]), money(-f.prime, q.amount), False),
                 (rng.choice(["Reste à charge", "NET À PAYER", "Net à payer TTC"]), q.m(f.net_a_payer), True)]

    def totals(sh: Sheet, y: float) -> float:
        width, line = 250, sh.base_size + 7
        x = sh.right - width
        for k, (name, value, strong) in enumerate(rows):
            if strong:
                sh.rect(x, y + k * line, width, line, stroke=False, fill_gray=0.9)
            sh.text(x + 6, y + k * line + sh.base_size + 1, name, style="bold" if strong else "regular")
            sh.text(sh.right - 6, y + k * line + sh.base_size + 1, value, style="bold" if strong else "regular", align="right")
        sh.rect(x, y, width, len(rows) * line)
        return y + len(rows) * line + 12
    return totals


def cee_block(q: Quote, truth: dict) -> callable:
    """The délégataire's framed block: the scheme, who pays the prime, how much, what is left."""
    f, rng = q.f, q.rng
    c = f.installer
    codes = ", ".join(f.operations)
    role = rng.choice(["délégataire", "en sa qualité de délégataire d'obligations", "partenaire"])
    lines = [rng.choice([f"Prime versée par {f.oblige} : {q.m(f.prime)} déduite du montant TTC",
                         f"Montant de la prime CEE : {q.m(f.prime)}",
                         f"{f.oblige} vous accorde une prime d'un montant de {q.m(f.prime)}"]),
             f"Reste à charge : {q.m(f.net_a_payer)}",
             f"Les travaux objet du présent {'document' if q.facture else 'devis'} (fiche{'s' if len(f.operations) > 1 else ''} "
             f"{codes}) donnent lieu à la délivrance de certificats d'économies d'énergie. {f.oblige}, "
             f"{role} du dispositif, contribue "
             "à leur financement dans le cadre de son rôle actif et incitatif, sous réserve de l'éligibilité du dossier."]
    if q.rge == "cee":
        lines.append(f"Travaux réalisés par une entreprise qualifiée RGE : {c.rge_body} n° {c.rge_numero}.")
        truth["rge_numero"] = c.rge_numero
    truth["prime_cee"] = _dec(f.prime)
    title = "Opération réalisée dans le cadre du dispositif des Certificats d'Économies d'Énergie"

    def block(sh: Sheet, y: float) -> float:
        top = y
        y += sh.base_size + 6
        sh.text(sh.left + 8, y, title, sh.base_size - 0.5, "bold", color=q.colour)
        y += 6
        for k, line in enumerate(lines):
            y = sh.paragraph(sh.left + 8, y + sh.base_size, line, sh.right - sh.left - 16, sh.base_size - (0 if k < 2 else 1.5),
                             style="bold" if k < 2 else "regular") - sh.base_size + 2
        sh.canvas.setStrokeColorRGB(*q.colour)
        sh.canvas.setLineWidth(1.4)
        sh.canvas.rect(sh.left, PAGE_H - y - 4, sh.right - sh.left, y + 4 - top)
        sh.canvas.setStrokeColorRGB(0, 0, 0)
        return y + 16
    return block


def closing_block(q: Quote, truth: dict) -> callable:
    f, rng = q.f, q.rng
    c = f.installer
    ink = f.extra.get("ink", {})
    client_signs = not q.facture and f.devis_signed and ink.get("devis", True)
    company_stamp = ink.get("facture_stamp" if q.facture else "stamp_installer")
    lines = ([rng.choice(["Facture payable à réception, par virement ou chèque à l'ordre de " + c.name + ".",
                          "Règlement : solde à réception de facture, déduction faite de la prime CEE."])] if q.facture else
             [rng.choice(["Acompte de 30 % à la commande, solde à la fin des travaux.", "Paiement : 40 % à la signature, solde à réception."]),
              "Le client reconnaît avoir pris connaissance des conditions générales de vente."])
    written = None
    if client_signs and rng.random() < 0.75:
        written = f"Bon pour accord le {f.date_signature.strftime(rng.choice(['%d/%m/%Y', '%d/%m/%y']))}"
        truth["date_signature"] = _iso(f.date_signature)
    stamp_lines = [c.name.upper()[:26], f"{c.postal_code} {c.city.upper()}"[:26], f"SIRET {c.siret}"]

    def closing(sh: Sheet, y: float) -> float:
        for line in lines:
            y = sh.paragraph(sh.left, y + sh.base_size - 1, line, sh.right - sh.left, sh.base_size - 1) - sh.base_size + 2
        y += sh.base_size + 10
        half = (sh.right - sh.left) / 2
        sh.text(sh.left, y, "Cachet et signature de l'entreprise", sh.base_size - 0.5, "bold")
        if not q.facture:
            sh.text(sh.left + half, y, "Signature du client", sh.base_size - 0.5, "bold")
            sh.text(sh.left + half, y + sh.base_size + 2, "précédée de la mention « Bon pour accord »", sh.base_size - 2, "italic")
            sh.rect(sh.left + half, y + sh.base_size + 6, half, 74)
        if company_stamp:
            stamp(sh, sh.left + 4, y + 8, half - 70, 60, stamp_lines)
        if client_signs:
            if written:
                sh.text(sh.left + half + 6, y + 2 * sh.base_size + 12, written, sh.base_size + 1, "italic", color=(0.05, 0.1, 0.45))
            sign(sh, sh.left + half + 12, y + 2 * sh.base_size + 18, half - 30, 44)
        return y + 92
    return closing


def footer(q: Quote, truth: dict) -> callable:
    c = q.f.installer
    numbers = company_numbers(c.siret)
    capital = f"{c.capital:,}".replace(",", " ")
    lines = [f"{c.name} – {c.legal_form} au capital de {capital} € – SIRET {fmt_siret(c.siret, q.siret)} – RCS {c.rcs_city} "
             f"{siren_of(c.siret)}", f"TVA intracommunautaire {c.tva} – Assurance décennale {numbers.choice(INSURERS)} "
             f"n° {numbers.randint(10**6, 10**8)}"]
    if q.rng.random() < 0.45:
        lines.append(f"Banque {numbers.choice(BANKS)} – IBAN FR76 {numbers.randint(1000, 9999)} {numbers.randint(1000, 9999)} "
                     f"{numbers.randint(1000, 9999)} {numbers.randint(1000, 9999)} {numbers.randint(1000, 9999)} "
                     f"{numbers.randint(100, 999)} – BIC {numbers.choice(['CCBPFRPP', 'AGRIFRPP', 'CMCIFR2A', 'SOGEFRPP'])}")
    if q.rge == "footer":
        lines.append(f"Entreprise RGE – {c.rge_body} – certificat n° {c.rge_numero}")
        truth["rge_numero"] = c.rge_numero

    def draw(sh: Sheet, page: int, pages: int) -> None:
        size = sh.base_size - 2.5
        y = PAGE_H - 30 - len(lines) * (size + 2)
        sh.hline(y - size, gray=0.5, width=0.4)
        for line in lines:
            sh.text(PAGE_W / 2, y, line, size, align="center", color=(0.3, 0.3, 0.3))
            y += size + 2
        sh.text(sh.right, PAGE_H - 16, page_label(page, pages, q.page_style), sh.base_size - 1.5, align="right")
    return draw, PAGE_H - 56 - len(lines) * 9


# ---------------------------------------------------------------------------- devis and facture

def _document(f: DossierFacts, rng: Random, *, facture: bool, house: str) -> Drawn:
    sh = Sheet(rng)
    q = Quote(f, rng, facture, house)
    c, p = f.installer, f.beneficiary
    truth: dict = {"date_facture" if facture else "date_devis": _iso(q.doc_date),
                   "numero_facture" if facture else "numero_devis": q.number}
    head = letterhead(q, truth)
    info = info_block(q)
    items = ItemTable(f, rng, q.amount)
    truth.update(items.truth)
    truth.update({"montant_ht": _dec(f.total_ht), "montant_tva": _dec(f.total_tva), "montant_ttc": _dec(f.total_ttc)})
    prime_in_totals = rng.random() < 0.6
    cee_place = rng.choice(["top", "top", "before_totals", "after_totals", "after_totals"])
    blocks_before = [parties_block(q, info), notes_block(q, truth)]
    cee = cee_block(q, truth)
    if prime_in_totals:
        truth["prime_cee"] = _dec(f.prime)
    after = [totals_block(q, prime_in_totals), closing_block(q, truth)]
    if cee_place == "top":  # network quotes announce the prime before the items
        blocks_before.append(cee)
    else:
        after.insert(1 if cee_place == "after_totals" else 0, cee)
    draw_footer, bottom = footer(q, truth)
    cgv = rng.random() < 0.55
    suite = f"{q.word.capitalize()} n° {q.number} du {q.d(q.doc_date)} (suite)"

    def next_header(sheet: Sheet, page: int, pages: int) -> float:
        y = head(sheet, 0) if q.every_page else 40
        sheet.text(sheet.left, y + 4, suite, sheet.base_size - 1, "italic")
        sheet.hline(y + 9, gray=0.5, width=0.5)
        return y + 22

    def body(pager: Pager) -> None:
        pager.y = head(pager.sh, 0)
        for block in blocks_before:
            pager.place(block)
        pager.rows(items.head, items.blocks(), items.carried)
        pager.y += 8
        for block in after:
            pager.place(block)

    pages = paginate(sh, body, next_header, draw_footer, bottom=bottom, extra_pages=int(cgv))
    if cgv:
        next_page(sh)
        numbers = company_numbers(c.siret)
        conditions_page(sh, c.name, c.city, rng.choice(["CONDITIONS GÉNÉRALES DE VENTE", "Conditions générales de vente et d'intervention"]),
                        50, numbers.choice([10, 12, 15]), numbers.choice([20, 30, 40]))
        sh.text(sh.right, PAGE_H - 16, page_label(pages + 1, pages + 1, q.page_style), sh.base_size - 1.5, align="right")
        pages += 1
    truth.update({"beneficiaire_nom": f"{p.first_name} {p.last_name}", "beneficiaire_adresse": p.street,
                  "beneficiaire_code_postal": p.postal_code, "beneficiaire_ville": p.city,
                  "siret_installateur": c.siret, "raison_sociale_installateur": c.name, "operations": json.dumps(f.operations)})
    return Drawn(sh.finish(), pages, truth, items.ambiguous)


def devis_network(f: DossierFacts, rng: Random) -> Drawn:
    """A network member's quote: coloured band, « Membre du réseau … », the délégataire's block."""
    return _document(f, rng, facture=False, house="network")


def devis_artisan(f: DossierFacts, rng: Random) -> Drawn:
    """A small artisan's quote: square logo, name and trade, the same CEE block in its colour."""
    return _document(f, rng, facture=False, house="artisan")


def facture_network(f: DossierFacts, rng: Random) -> Drawn:
    return _document(f, rng, facture=True, house="network")


def facture_artisan(f: DossierFacts, rng: Random) -> Drawn:
    return _document(f, rng, facture=True, house="artisan")
