"""The ``office`` family's devis and factures, as a small company types them in Word, Excel or
LibreOffice (see ``office_facts`` for the family and its seeds).

A typed letterhead (the name in large capitals on the left or centred, or a spreadsheet's
framed header cells), the title line « DEVIS N° 2025-031 du 12 mars 2025 » or a grid of number,
date and validity, the parties side by side in a two-column table (« ENTREPRISE » / « CLIENT »,
or « Maître d'ouvrage » / « Entreprise » with the client on the left), stacked under their
labels, or the client named only in a sentence (« Devis établi pour M. et Mme DUPONT Jean,
demeurant … »); an Excel-look item grid (office_items), the totals as a small grid or a
sentence, the CEE mention, the RGE qualification and the insurance in a block or in the footer,
« Fait à Lyon, le 12/03/2025 » at the end, the client's « Bon pour accord » with ink (or no ink
at all); the facture refers to the quote (« Suivant notre devis n° … accepté le … »), says when
the works were done and how to pay. Some are printed in landscape; some have a second page of
general terms, with the header repeated and « Page 1 sur 2 ».
"""
from __future__ import annotations

import datetime as dt
import json
from random import Random

from .documents import Drawn, _dec, _iso
from .facts import OPERATION_TITLES, DossierFacts
from .ink import sign, stamp
from .office_facts import AMOUNT_STYLES, DATE_STYLES, client_name, company_numbers, date_text, siren_of
from .office_grid import Flow, grid, next_page, office_sheet, page_height, page_number, page_width
from .office_items import cee_mention, item_grid, totals_block
from .sheet import Sheet
from .wording import SIRET_STYLES, fmt_siret

INSURERS = ["SMABTP", "MAAF Assurances", "AXA France IARD", "Groupama", "MMA IARD", "Allianz IARD", "CAMBTP"]
TRADES = ["Isolation – Plâtrerie – Peinture", "Chauffage – Sanitaire – Climatisation", "Entreprise générale du bâtiment",
          "Électricité – Chauffage – Pompes à chaleur", "Couverture – Zinguerie – Isolation", "Énergies renouvelables"]


class Typed:
    """One typed document's choices, drawn once: formats, where each value goes, what is printed."""

    def __init__(self, f: DossierFacts, rng: Random, facture: bool):
        self.f, self.rng, self.facture = f, rng, facture
        self.amount = rng.choice(AMOUNT_STYLES)
        self.date = rng.choice(DATE_STYLES)
        self.siret = rng.choice(SIRET_STYLES)
        self.letterhead = rng.choice(["left", "centre", "cells"])
        self.title = rng.choice(["line", "line", "grid"])
        self.parties = rng.choice(["side", "side", "stacked", "labels", "sentence"])
        self.client_left = rng.random() < 0.35
        self.rge_place = rng.choice(["footer", "block", "letterhead", "none"])
        self.page_style = rng.choice(["sur", "slash", "dash", "none"])
        self.conditions = rng.random() < 0.25

    def d(self, value: dt.date) -> str:
        return date_text(value, self.date)


# ---------------------------------------------------------------------------- top of the page

def letterhead(sh: Sheet, t: Typed, truth: dict) -> float:
    """The issuer, typed: its name large on the left or centred, or spreadsheet cells."""
    c, rng = t.f.installer, t.rng
    lines = [c.street, f"{c.postal_code} {c.city}", f"Tél. {c.phone}" + (f" – {c.email}" if t.letterhead != "cells" else ""),
             f"SIRET : {fmt_siret(c.siret, t.siret)}"]
    if t.rge_place == "letterhead":
        lines.append(f"Qualification RGE {c.rge_body} n° {c.rge_numero}")
        truth["rge_numero"] = c.rge_numero
    if t.letterhead == "cells":
        width = (sh.right - sh.left) * 0.55
        return grid(sh, 36, [(c.name.upper(), 1.0, "left")], [[lines]], x=sh.left, width=width, header_fill=0.8) + 18
    trade = TRADES[company_numbers(c.siret).randrange(len(TRADES))]
    if t.letterhead == "centre":
        middle = page_width(sh) / 2
        sh.text(middle, 46, c.name.upper(), sh.base_size + 8, "bold", align="center")
        sh.text(middle, 62, trade, sh.base_size, "italic", align="center")
        y = 76
        for line in [" – ".join(lines[:2]), " – ".join(lines[2:])]:
            sh.text(middle, y, line, sh.base_size - 1, align="center")
            y += sh.base_size + 2
        sh.hline(y, width=1.0, gray=0.2)
        return y + 18
    sh.text(sh.left, 48, c.name, sh.base_size + 7, "bold")
    sh.text(sh.left, 62, trade, sh.base_size - 1, "italic")
    y = 78
    for line in lines:
        sh.text(sh.left, y, line, sh.base_size - 1)
        y += sh.base_size + 2
    return y + 10


def title_block(t: Typed, number: str, doc_date: dt.date, date_at_end: bool):
    """« DEVIS N° … du … » on a line, or the word and a grid of number / date / validity or due date."""
    word = "FACTURE" if t.facture else "DEVIS"
    rng = t.rng
    underline = rng.random() < 0.5
    if t.title == "line":
        text = f"{word} N° {number}" + ("" if date_at_end else f" du {t.d(doc_date)}")

        def line(sh: Sheet, y: float) -> float:
            size = sh.base_size + 5
            middle = page_width(sh) / 2
            sh.text(middle, y + size, text, size, "bold", align="center")
            if underline:
                half = sh.width(text, size, "bold") / 2
                sh.hline(y + size + 3, middle - half, middle + half, width=0.8, gray=0)
            return y + size + 20
        return line
    if t.facture:
        last = (rng.choice(["Échéance", "Date d'échéance"]), t.d(doc_date + dt.timedelta(days=30)))
    else:
        last = (rng.choice(["Validité", "Durée de validité"]), rng.choice(["3 mois", "90 jours", "1 mois"]))
    columns = [(rng.choice([f"N° {word.lower()}", f"{word.capitalize()} n°"]), 1.0, "center")]
    values = [number]
    if not date_at_end:
        columns.append((rng.choice(["Date", f"Date du {word.lower()}" if not t.facture else "Date de facture"]), 1.0, "center"))
        values.append(t.d(doc_date))
    columns.append((last[0], 1.0, "center"))
    values.append(last[1])

    def cells(sh: Sheet, y: float) -> float:
        sh.text(sh.left, y + sh.base_size + 8, word, sh.base_size + 8, "bold")
        width = min(330, (sh.right - sh.left) * 0.6)
        return grid(sh, y, columns, [values], x=sh.right - width, width=width, shrink=set(range(len(values)))) + 16
    return cells


def parties_block(t: Typed):
    """The company and the client side by side, stacked, as label / value cells, or the client
    in a sentence. Returns the block, and whether the company's SIRET is in it."""
    f, rng = t.f, t.rng
    c, p = f.installer, f.beneficiary
    name = client_name(f, rng)
    city = p.city.upper() if rng.random() < 0.5 else p.city
    client = [name, p.street, f"{p.postal_code} {city}"] + ([f"Tél. : {p.phone}"] if rng.random() < 0.5 else [])
    company = [c.name, c.street, f"{c.postal_code} {c.city}", f"SIRET {fmt_siret(c.siret, t.siret)}"]
    if t.parties == "side":
        heads = rng.choice([("ENTREPRISE", "CLIENT"), ("L'entreprise", "Le client"), ("Entreprise", "Maître d'ouvrage")])
        columns = [(heads[0], 1.0, "left"), (heads[1], 1.0, "left")]
        row = [company, client]
        if t.client_left:
            columns, row = columns[::-1], row[::-1]
        return lambda sh, y: grid(sh, y, columns, [row], first_bold=False) + 14
    if t.parties == "stacked":
        label = rng.choice(["Client :", "Maître d'ouvrage :", "Bénéficiaire des travaux :", "À l'attention de :"])

        def stacked(sh: Sheet, y: float) -> float:
            x = sh.left if not t.client_left else (sh.left + sh.right) / 2
            sh.text(x, y + sh.base_size, label, style="bold")
            y += sh.base_size + 4
            for k, line in enumerate(client):
                sh.text(x + 12, y + sh.base_size, line, style="bold" if k == 0 else "regular")
                y += sh.base_size + 3
            return y + 14
        return stacked
    if t.parties == "labels":
        rows = [[rng.choice(["Nom du client", "Client", "Nom"]), name],
                [rng.choice(["Adresse des travaux", "Adresse du chantier", "Adresse"]), p.street],
                [rng.choice(["Code postal", "CP"]), p.postal_code], [rng.choice(["Ville", "Commune"]), city]]
        if rng.random() < 0.5:
            rows[2:] = [["CP / Ville", f"{p.postal_code} {city}"]]
        return lambda sh, y: grid(sh, y, [("", 1.0, "left"), ("", 2.2, "left")], rows, header=False, first_bold=True,
                                  width=min(360, sh.right - sh.left)) + 14
    verb = "Facture établie à l'attention de" if t.facture else rng.choice(["Devis établi pour", "Proposition établie pour"])
    dwell = rng.choice(["demeurant", "domicilié(e) au", "résidant"])
    text = f"{verb} {name}, {dwell} {p.street}, {p.postal_code} {city}, {rng.choice(['pour les travaux suivants :', 'concernant :'])}"
    return lambda sh, y: sh.paragraph(sh.left, y + sh.base_size, text, sh.right - sh.left) + 10


# ---------------------------------------------------------------------------- references, notes, terms

def notes_block(t: Typed, truth: dict):
    """The object of the works, the prior visit (devis), the quote and the completion date (facture)."""
    f, rng = t.f, t.rng
    works = " et ".join(OPERATION_TITLES[op].lower() for op in f.operations)
    lines = [f"{rng.choice(['Objet', 'Nature des travaux', 'Chantier'])} : {works[0].upper() + works[1:]}"]
    if t.facture:
        accepted = rng.random() < 0.6
        lines.append(f"Suivant notre devis n° {f.devis_number} du {t.d(f.date_devis)}"
                     + (f" accepté le {t.d(f.date_signature)}" if accepted else ""))
        truth["numero_devis"] = f.devis_number
        lines.append(rng.choice([f"Travaux réalisés le {t.d(f.date_fin_travaux)}", f"Date de fin des travaux : {t.d(f.date_fin_travaux)}",
                                 f"Chantier terminé le {t.d(f.date_fin_travaux)}",
                                 f"Travaux exécutés du {t.d(f.date_debut_travaux)} au {t.d(f.date_fin_travaux)}",
                                 f"Installation achevée et mise en service le {t.d(f.date_fin_travaux)}",
                                 f"Date d'achèvement du chantier : {t.d(f.date_fin_travaux)}"]))
        truth["date_fin_travaux"] = _iso(f.date_fin_travaux)
    elif f.date_visite_technique and rng.random() < 0.55:
        lines.append(rng.choice([f"Suite à notre visite technique du {t.d(f.date_visite_technique)}, nous vous prions de trouver "
                                 "ci-dessous notre meilleure offre.",
                                 f"Visite technique préalable effectuée le {t.d(f.date_visite_technique)}."]))
        truth["date_visite_technique"] = _iso(f.date_visite_technique)

    def notes(sh: Sheet, y: float) -> float:
        for k, line in enumerate(lines):
            y = sh.paragraph(sh.left, y + sh.base_size, line, sh.right - sh.left, style="bold" if k == 0 else "regular") - sh.base_size + 2
        return y + sh.base_size + 8
    return notes


def terms_block(t: Typed, truth: dict):
    """Validity and deposit (devis), payment terms (facture), the RGE and the insurance when in a block."""
    f, rng = t.f, t.rng
    c = f.installer
    numbers = company_numbers(c.siret)
    insurer, policy = numbers.choice(INSURERS), numbers.randint(10**6, 10**8)
    if t.facture:
        lines = [rng.choice(["Conditions de paiement : à réception de la facture.", "Règlement à 30 jours, par chèque ou virement.",
                             f"Facture payable au plus tard le {t.d(f.date_facture + dt.timedelta(days=30))}."]),
                 "En cas de retard de paiement, pénalités au taux de 3 fois le taux d'intérêt légal et indemnité forfaitaire "
                 "pour frais de recouvrement de 40 €. Pas d'escompte pour paiement anticipé."]
    else:
        lines = [rng.choice(["Devis valable 3 mois à compter de sa date d'établissement.", "Durée de validité de l'offre : 90 jours.",
                             "Validité du devis : 1 mois."]),
                 rng.choice(["Acompte de 30 % à la signature, solde à la fin des travaux.", "Paiement : 40 % à la commande, "
                             "le solde à réception de la facture.", "Conditions de règlement : solde à l'achèvement des travaux."])]
    if t.rge_place == "block":
        lines.append(f"Entreprise titulaire de la qualification RGE {c.rge_body} n° {c.rge_numero}, valable jusqu'au "
                     f"{t.d(c.rge_end)}.")
        lines.append(f"Assurance décennale : {insurer}, contrat n° {policy}, couvrant les travaux réalisés en France métropolitaine.")
        truth["rge_numero"] = c.rge_numero

    def terms(sh: Sheet, y: float) -> float:
        for line in lines:
            y = sh.paragraph(sh.left, y + sh.base_size - 1, line, sh.right - sh.left, sh.base_size - 1) - sh.base_size + 3
        return y + sh.base_size + 6
    return terms


def closing_block(t: Typed, doc_date: dt.date, truth: dict):
    """« Fait à …, le … », the company's stamp and the client's acceptance with ink (devis), or the
    company's cachet (facture)."""
    f, rng = t.f, t.rng
    c = f.installer
    place = f"Fait à {c.city}, le {t.d(doc_date)}"
    ink = f.extra.get("ink", {})
    client_signs = not t.facture and f.devis_signed and ink.get("devis", True)
    written = None
    if client_signs and rng.random() < 0.7:
        written = f"{rng.choice(['Bon pour accord', 'Bon pour accord,', 'Lu et approuvé, bon pour accord'])} le " \
                  f"{f.date_signature.strftime(rng.choice(['%d/%m/%Y', '%d/%m/%y']))}"
        truth["date_signature"] = _iso(f.date_signature)
    company_stamp = ink.get("stamp_installer") if not t.facture else ink.get("facture_stamp")
    client_title = rng.choice(["Le client", "Signature du client", "Le maître d'ouvrage"])
    client_note = rng.choice(["(date, signature et mention « Bon pour accord »)", "Mention manuscrite « Bon pour accord »"])
    stamp_lines = [c.name.upper()[:26], c.street.upper()[:26], f"{c.postal_code} {c.city.upper()}"[:26],
                   f"SIRET {c.siret}"]

    company_title = rng.choice(["L'entreprise", "Pour l'entreprise", "Cachet de l'entreprise"])

    def closing(sh: Sheet, y: float) -> float:
        y += sh.base_size + 4
        sh.text(sh.left, y, place)
        y += sh.base_size + 14
        half = (sh.right - sh.left) / 2
        sh.text(sh.left, y, company_title, style="bold")
        if not t.facture:
            sh.text(sh.left + half, y, client_title, style="bold")
            sh.text(sh.left + half, y + sh.base_size + 2, client_note, sh.base_size - 2, "italic")
        top = y + sh.base_size + 6
        if company_stamp:
            stamp(sh, sh.left + 4, top, half - 60, 60, stamp_lines)
        if client_signs:
            if written:
                sh.text(sh.left + half + 4, top + sh.base_size + 10, written, sh.base_size + 1, "italic", color=(0.05, 0.1, 0.45))
            sign(sh, sh.left + half + 10, top + 18, half - 30, 44)
        return top + 70
    return closing


def footer(sh: Sheet, t: Typed, page: int, pages: int, truth: dict) -> None:
    """The legal line typed in the word processor's footer, the RGE and insurance when there,
    the page number."""
    c = t.f.installer
    numbers = company_numbers(c.siret)
    capital = f"{c.capital:,}".replace(",", " ")
    lines = [f"{c.name} – {c.legal_form} au capital de {capital} € – SIRET {fmt_siret(c.siret, t.siret)} – RCS {c.rcs_city} "
             f"{siren_of(c.siret)} – APE {numbers.choice(['4329A', '4322B', '4321A', '4399C', '4391B'])}"]
    if t.rge_place == "footer":
        lines.append(f"Qualification RGE {c.rge_body} n° {c.rge_numero} – Assurance décennale {numbers.choice(INSURERS)} "
                     f"n° {numbers.randint(10**6, 10**8)}")
        truth["rge_numero"] = c.rge_numero
    size = sh.base_size - 2.5
    y = page_height(sh) - 34 - (len(lines) - 1) * (size + 2)
    sh.hline(y - size - 1, gray=0.5, width=0.4)
    for line in lines:
        sh.text(page_width(sh) / 2, y, line, size, align="center", color=(0.25, 0.25, 0.25))
        y += size + 2
    if t.page_style != "none":
        page_number(sh, page, pages, t.page_style)


def conditions_page(sh: Sheet, t: Typed, y: float) -> None:
    """The general terms typed on a page of their own (noise: no field of the truth is there)."""
    sh.text(sh.left, y, "CONDITIONS GÉNÉRALES", sh.base_size + 2, "bold")
    y += 22
    for k, text in enumerate([
        "Les prix s'entendent hors taxes ; la TVA applicable est celle en vigueur à la date de facturation.",
        "Le délai de rétractation est de quatorze jours pour un contrat conclu hors établissement (articles L221-18 et "
        "suivants du Code de la consommation).",
        "Les travaux supplémentaires feront l'objet d'un avenant. Les délais d'exécution sont donnés à titre indicatif.",
        "L'entreprise conserve la propriété des fournitures jusqu'au complet paiement du prix.",
        "En cas de litige, le client peut recourir gratuitement à un médiateur de la consommation.",
        "Les travaux sont couverts par l'assurance décennale de l'entreprise.",
    ], 1):
        y = sh.paragraph(sh.left, y, f"{k}. {text}", sh.right - sh.left, sh.base_size - 0.5) + 6


# ---------------------------------------------------------------------------- devis and facture

def devis_office(f: DossierFacts, rng: Random, *, facture: bool = False) -> Drawn:
    t = Typed(f, rng, facture)
    sh = office_sheet(rng, wide=rng.random() < 0.2)
    c, p = f.installer, f.beneficiary
    doc_date = f.date_facture if facture else f.date_devis
    number = f.facture_number if facture else f.devis_number
    truth: dict = {"date_facture" if facture else "date_devis": _iso(doc_date),
                   "numero_facture" if facture else "numero_devis": number}
    date_at_end = rng.random() < 0.35
    y = letterhead(sh, t, truth)
    items = item_grid(f, rng, t.amount)
    truth.update(items.truth)
    with_amount = rng.random() < 0.85
    totals, totals_truth = totals_block(f, rng, t.amount, with_prime=with_amount and rng.random() < 0.7)
    truth.update(totals_truth)
    if with_amount:
        truth["prime_cee"] = _dec(f.prime)
    mention = cee_mention(f, rng, t.amount, with_amount=with_amount)
    blocks = [title_block(t, number, doc_date, date_at_end), parties_block(t), notes_block(t, truth), items.draw, totals,
              lambda sh, y: sh.paragraph(sh.left, y + sh.base_size, mention, sh.right - sh.left, sh.base_size - 0.5) + 6,
              terms_block(t, truth), closing_block(t, doc_date, truth)]
    word = "Facture" if facture else "Devis"

    def repeated_header(sheet: Sheet, page: int) -> float:
        sheet.text(sheet.left, 40, c.name, sheet.base_size + 1, "bold")
        sheet.text(sheet.right, 40, f"{word} n° {number} (suite)", sheet.base_size - 1, "italic", align="right")
        sheet.hline(46, gray=0.5, width=0.5)
        return 62

    flow = Flow(sh, y, 60, repeated_header, lambda sheet, page, pages: footer(sheet, t, page, pages, truth))
    flow.draw(y, blocks, extra_pages=int(t.conditions))
    if t.conditions:
        next_page(sh)
        conditions_page(sh, t, repeated_header(sh, sh.page) + 10)
        footer(sh, t, sh.page, sh.page, truth)
    truth.update({"beneficiaire_nom": f"{p.first_name} {p.last_name}", "beneficiaire_adresse": p.street,
                  "beneficiaire_code_postal": p.postal_code, "beneficiaire_ville": p.city,
                  "siret_installateur": c.siret, "raison_sociale_installateur": c.name,
                  "operations": json.dumps(f.operations)})
    return Drawn(sh.finish(), sh.page, truth, items.ambiguous)


def facture_office(f: DossierFacts, rng: Random) -> Drawn:
    return devis_office(f, rng, facture=True)
