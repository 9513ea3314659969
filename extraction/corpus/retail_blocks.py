"""Blocks of the ``retail`` family's devis and factures (see ``retail_facts``): the choices of one
document (``Doc``), the numbers grid (the document's number among the order, customer, store,
loyalty-card and energy-account numbers), the « Informations client » / « Livraison / pose chez »
boxes, the eight-column item table, the totals with the « Prime CEE » negative line and the
« Reste à charge », the CEE mention, the terms and the « Bon pour accord » box; the page flow that
repeats the header and the table's head on each page and numbers them « Page 1/2 »; an A4
landscape sheet for the spreadsheet export.

A block is ``draw(sh, y) -> y below``; blocks draw nothing from the template's generator (every
choice is made in ``Doc``), so that a document can be laid out twice (to count its pages, then
for real).
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from random import Random

from reportlab.lib.pagesizes import A4, landscape

from .documents import _dec, _iso, _merge_product_truth
from .facts import OPERATION_TITLES, DossierFacts, content_random
from .heldout_facts import brands_truth
from .ink import vector_signature
from .office_grid import keep, wrap_words
from .retail_facts import (AMOUNT_STYLES, DATE_STYLES, beneficiary_truth_name, customer_name, date_text, ean13, money,
                           quantity_text, rate_text, representative)
from .sheet import PAGE_H, Sheet
from .wording import fmt_number, fmt_siret

GREY = (0.4, 0.4, 0.43)
LAND_W, LAND_H = landscape(A4)


class LandscapeSheet(Sheet):
    """An A4 landscape page; ``y`` still measured from the top (the canvas is moved on each page)."""

    def __init__(self, rng: Random, fonts=None):
        super().__init__(rng, fonts)
        self.canvas.setPageSize((LAND_W, LAND_H))
        self.right = LAND_W - (self.left - 10)
        self._shift()

    def _shift(self) -> None:
        self.canvas.translate(0, LAND_H - PAGE_H)

    def new_page(self) -> None:
        super().new_page()
        self.canvas.setPageSize((LAND_W, LAND_H))
        self._shift()


def scratch(sh: Sheet) -> Sheet:
    other = (LandscapeSheet if isinstance(sh, LandscapeSheet) else Sheet)(Random(0), fonts=sh.fonts)
    other.left, other.right, other.base_size = sh.left, sh.right, sh.base_size
    return other


def page_height(sh: Sheet) -> float:
    return LAND_H if isinstance(sh, LandscapeSheet) else PAGE_H


class Doc:
    """Every choice one devis or facture makes, drawn once."""

    def __init__(self, f: DossierFacts, rng: Random, facture: bool, house: str):
        values = content_random(rng)
        self.f, self.facture, self.house = f, facture, house
        self.retail = f.extra["retail"]
        self.amount = rng.choice(AMOUNT_STYLES)
        self.date = rng.choice(DATE_STYLES)
        self.wording = rng.randrange(6)
        self.word = "FACTURE" if facture else rng.choice(["DEVIS", "DEVIS", "PROPOSITION COMMERCIALE", "DEVIS ESTIMATIF"])
        self.number = f.facture_number if facture else f.devis_number
        self.doc_date = f.date_facture if facture else f.date_devis
        self.prime_line = rng.random() < 0.85
        self.prime_words = rng.choice(["Prime CEE", "Prime Coup de pouce", "Prime CEE / Coup de pouce", "Prime Énergie CEE",
                                       f"Prime CEE {f.oblige}"])
        self.net_words = rng.choice(["Reste à charge", "Reste à charge TTC", "Montant restant à votre charge", "Reste à payer"])
        self.visit = not facture and f.date_visite_technique is not None and rng.random() < 0.6
        self.fin = facture and rng.random() < 0.75
        self.devis_ref = facture and rng.random() < 0.7
        self.rge = rng.choice(["mention", "mention", "footer", "none"])
        self.terms = rng.random() < 0.55  # the long terms and the withdrawal form: often a second page
        self.inked = not facture and f.extra.get("ink", {}).get("devis", False) and f.devis_signed
        self.written_date = self.inked and rng.random() < 0.8
        self.ink_seed = values.randint(0, 10**6)
        self.deposit = facture and rng.random() < 0.3
        self.deposit_rate = rng.choice([20, 30, 40])
        self.eco = rng.random() < 0.6
        self.ean = rng.random() < 0.5
        self.page_style = rng.choice(["Page {p}/{n}", "Page {p} / {n}", "Page {p} sur {n}", "{p}/{n}"])
        self.client_titles = rng.choice([("Informations client", "Livraison / pose chez"), ("Client", "Adresse de pose"),
                                         ("Facturé à", "Livraison / pose chez"), ("Informations client", "Lieu d'intervention")])
        self.both_boxes = bool(f.extra.get("billing")) or rng.random() < 0.5
        self.name = customer_name(f, rng)
        self.city_upper = rng.random() < 0.5

    def m(self, value: Decimal, currency: bool = True) -> str:
        return money(value, self.amount, currency=currency)

    def d(self, value) -> str:
        return date_text(value, self.date)


def numbers(doc: Doc, truth: dict) -> list[tuple[str, str]]:
    """The numbers grid: the document's own number and date among the ones that are not."""
    f, r = doc.f, doc.retail
    own = ("Facture n°" if doc.facture else ["Devis n°", "N° de devis", "Devis N°", "Réf. devis"][doc.wording % 4], doc.number)
    cells = [own, ("Date de facture" if doc.facture else "Date du devis", doc.d(doc.doc_date))]
    if r["channel"] == "magasin":
        cells += [("N° de commande", r["order"]), ("N° client", r["customer"]), ("N° de magasin", r["store_no"]),
                  ("Vendeur", r["seller"])]
        if doc.wording % 2:
            cells.append(("Carte fidélité", r["card"]))
    elif r["channel"] == "fournisseur":
        cells += [("N° client énergie", r["customer"]), ("PDL" if doc.wording % 2 else "PCE", r["pdl"] if doc.wording % 2 else r["pce"]),
                  ("N° de contrat", r["contract"])]
    else:
        cells += [("N° client", r["customer"]), ("Agence", f"{r['sign']} {r['store'][2]}"), ("N° d'affaire", r["order"][:8])]
    if doc.facture:
        if doc.devis_ref:
            cells.insert(2, ("Réf. devis" if doc.wording % 2 else "Devis d'origine", f.devis_number))
            truth["numero_devis"] = f.devis_number
        cells.append(("Échéance", doc.d(f.date_facture)))
    else:
        cells.append(("Valable jusqu'au", doc.d(f.date_devis + dt.timedelta(days=90))))
    return cells


def customer_boxes(doc: Doc, x: float, width: float, truth: dict) -> callable:
    """The right-hand boxes: « Informations client » (billing address, phone, customer number) and
    « Livraison / pose chez » (the works), or one box with the works address."""
    f, p = doc.f, doc.f.beneficiary
    city = p.city.upper() if doc.city_upper else p.city
    works = [doc.name, p.street, f"{p.postal_code} {city}"]
    entity = f.extra.get("entity")
    if entity:
        works.insert(1, representative(f))
    billing = f.extra.get("billing")
    first_lines = [doc.name] + ([f"SIRET {fmt_siret(entity[1], 'spaced')}"] if entity else [])
    first_lines += [billing[0], f"{billing[1]} {billing[2]}"] if billing else [p.street, f"{p.postal_code} {city}"]
    first_lines += [f"Tél. {p.phone}", p.email]
    boxes = [(doc.client_titles[0], first_lines), (doc.client_titles[1], works)] if doc.both_boxes else [(doc.client_titles[1], works)]
    truth.update({"beneficiaire_nom": beneficiary_truth_name(f), "beneficiaire_adresse": p.street,
                  "beneficiaire_code_postal": p.postal_code, "beneficiaire_ville": p.city})

    def draw(sh: Sheet, y: float) -> float:
        top = y
        for title, lines in boxes:
            height = 20 + len(lines) * (sh.base_size + 3)
            sh.rect(x, y, width, height)
            sh.rect(x, y, width, 14, stroke=False, fill_gray=0.88)
            sh.text(x + 6, y + 10.5, title, sh.base_size - 1.5, "bold")
            for k, line in enumerate(lines):
                size = sh.base_size - (0 if k == 0 else 0.5)
                while size > 6 and sh.width(line, size) > width - 12:
                    size -= 0.25
                sh.text(x + 6, y + 26 + k * (sh.base_size + 3), line, size, "bold" if k == 0 else "regular")
            y += height + 6
        return max(y, top)
    return draw


def grid(doc: Doc, x: float, width: float, cells: list[tuple[str, str]], columns: int = 2) -> callable:
    def draw(sh: Sheet, y: float) -> float:
        w = width / columns
        row_h = sh.base_size + 13
        for k, (label, value) in enumerate(cells):
            cx, cy = x + (k % columns) * w, y + (k // columns) * row_h
            sh.rect(cx, cy, w, row_h)
            sh.text(cx + 4, cy + 8, label, sh.base_size - 3, color=GREY)
            sh.text(cx + 4, cy + row_h - 4, value, sh.base_size - 0.5, "bold" if k < 2 else "regular")
        return y + ((len(cells) + columns - 1) // columns) * row_h + 8
    return draw


# ---------------------------------------------------------------------------- items

def item_rows(doc: Doc) -> tuple[list[dict], dict, list[str]]:
    """The rows (ref, ean, lines, qty, unit, pu, discount, rate, total) and the products' truth."""
    f = doc.f
    rate = rate_text(f.tva_rate)
    rows, truths = [], []
    for k, item in enumerate(f.products):
        name = f"{OPERATION_TITLES[item.operation]} – {keep(item.brand)} {keep(item.reference)}"
        lines, truth = [], {}
        if item.resistance is not None:
            lines.append(f"R = {fmt_number(item.resistance)} m².K/W – épaisseur {item.thickness_mm} mm – certifié ACERMI")
            truth.update(resistance_thermique=_dec(item.resistance), surface_m2=_dec(item.quantity))
        elif item.operation in ("BAR-TH-171", "BAR-TH-172"):
            lines.append(f"ETAS {item.etas} % – COP {fmt_number(item.cop)} – surface chauffée {fmt_number(item.surface, 0)} m²")
            truth.update(etas=_dec(item.etas), cop=_dec(item.cop), surface_m2=_dec(item.surface))
        elif item.cop is not None:
            lines.append(f"COP {fmt_number(item.cop)} selon EN 16147")
            truth["cop"] = _dec(item.cop)
        else:
            lines.append(f"Efficacité énergétique saisonnière ETAS {item.etas} %")
            truth["etas"] = _dec(item.etas)
        lines.append(f"Opération {item.operation}")
        if doc.eco and item.unit != "m²":
            lines.append(f"dont éco-participation : {doc.m(doc.retail['eco'])} HT")
        truths.append(truth)
        codes = Random(f"{item.brand}|{item.reference}|{k}")
        rows.append({"ref": f"{codes.randint(10**7, 10**8 - 1)}", "ean": ean13(codes), "name": name, "lines": lines,
                     "qty": quantity_text(item.quantity, item.unit), "unit": item.unit, "pu": doc.m(item.unit_price, False),
                     "discount": "0", "rate": rate, "total": doc.m(item.total_ht, False)})
    for item in f.extra.get("accessories", []):
        rows.append({"ref": item.code, "ean": item.ean, "name": f"{item.designation} {keep(item.brand)} {keep(item.reference)}", "lines": [],
                     "qty": quantity_text(item.quantity, item.unit), "unit": item.unit, "pu": doc.m(item.list_price, False),
                     "discount": str(item.discount), "rate": rate, "total": doc.m(item.total_ht, False)})
    for service in f.extra.get("services", []):
        rows.append({"ref": service.code, "ean": "", "name": service.designation, "lines": [], "qty": "1", "unit": "forfait",
                     "pu": doc.m(service.price, False), "discount": "0", "rate": rate, "total": doc.m(service.price, False)})
    labour = f.extra.get("labour_only")
    if labour:
        rows.append({"ref": "POSE", "ean": "", "name": "Forfait pose et main d'œuvre (installateur qualifié RGE)", "lines": [],
                     "qty": "1", "unit": "forfait", "pu": doc.m(labour, False), "discount": "0", "rate": rate,
                     "total": doc.m(labour, False)})
    merged, ambiguous = _merge_product_truth(truths)
    merged.update(brands_truth(f))
    return rows, merged, ambiguous


def columns(doc: Doc) -> list[tuple[str, str, float, str]]:
    cols = [("ref", "Réf.", 1.1, "left")]
    if doc.ean and doc.house == "tableur":
        cols.append(("ean", "EAN", 1.45, "left"))
    cols += [("name", "Désignation", 5.0, "left"), ("qty", "Qté", 0.75, "right"), ("unit", "Unité", 0.8, "center"),
             ("pu", "PU HT", 1.2, "right"), ("discount", "Remise %", 0.85, "right"), ("rate", "TVA %", 0.75, "right"),
             ("total", "Montant HT", 1.35, "right")]
    return cols


def _widths(sh: Sheet, cols) -> list[float]:
    scale = (sh.right - sh.left) / sum(c[2] for c in cols)
    return [c[2] * scale for c in cols]


def table_head(doc: Doc) -> callable:
    cols = columns(doc)

    def draw(sh: Sheet, y: float) -> float:
        widths = _widths(sh, cols)
        height = sh.base_size + 8
        sh.rect(sh.left, y, sh.right - sh.left, height, fill_gray=0.82 if doc.house != "tableur" else 0.9)
        x = sh.left
        for (key, title, _, align), w in zip(cols, widths):
            tx = x + 3 if align == "left" else x + w - 3 if align == "right" else x + w / 2
            size = sh.base_size - 2
            while size > 5 and sh.width(title, size, "bold") > w - 5:
                size -= 0.25
            sh.text(tx, y + sh.base_size + 1.5, title, size, "bold", align=align)
            x += w
        return y + height
    return draw


def row_block(doc: Doc, row: dict) -> callable:
    cols = columns(doc)

    def draw(sh: Sheet, y: float) -> float:
        widths = _widths(sh, cols)
        size = sh.base_size - 1.2
        lead = size * 1.3
        name_w = widths[[c[0] for c in cols].index("name")] - 6
        wrapped = [(part, "bold") for part in wrap_words(sh, row["name"], name_w, size, "bold")]
        for line in row["lines"]:
            wrapped += [(part, "regular") for part in wrap_words(sh, line, name_w, size - 1)]
        height = len(wrapped) * lead + 6
        x = sh.left
        for (key, _, _, align), w in zip(cols, widths):
            if doc.house == "tableur" or key in ("ref", "total"):
                sh.rect(x, y, w, height)
            if key == "name":
                for n, (text, style) in enumerate(wrapped):
                    sh.text(x + 3, y + size + 2 + n * lead, text, size if style == "bold" else size - 1, style,
                            color=(0, 0, 0) if style == "bold" else GREY)
            else:
                text = row[key]
                cell_size = size
                while cell_size > 5 and sh.width(text, cell_size) > w - 4:
                    cell_size -= 0.25
                tx = x + 3 if align == "left" else x + w - 3 if align == "right" else x + w / 2
                sh.text(tx, y + size + 2, text, cell_size, align=align)
            x += w
        if doc.house != "tableur":
            sh.hline(y + height, width=0.3, gray=0.7)
        return y + height
    return draw


# ---------------------------------------------------------------------------- totals, mentions, acceptance

def totals(doc: Doc, truth: dict) -> callable:
    f = doc.f
    rows = [("Total HT", f.total_ht, False), (f"TVA {rate_text(f.tva_rate)} %", f.total_tva, False), ("Total TTC", f.total_ttc, True)]
    truth.update({"montant_ht": _dec(f.total_ht), "montant_tva": _dec(f.total_tva), "montant_ttc": _dec(f.total_ttc)})
    net = f.total_ttc
    if doc.prime_line:
        rows.append((doc.prime_words, -f.prime, False))
        truth["prime_cee"] = _dec(f.prime)
        net -= f.prime
    if doc.deposit:
        deposit = (f.total_ttc * doc.deposit_rate / 100).quantize(Decimal("0.01"))
        rows.append((f"Acompte versé à la commande ({doc.deposit_rate} %)", -deposit, False))
        net -= deposit
    rows.append((doc.net_words if doc.prime_line or doc.deposit else "Net à payer TTC", net, True))

    def draw(sh: Sheet, y: float) -> float:
        width = 240
        x = sh.right - width
        line = sh.base_size + 6
        if doc.house != "tableur":
            sh.text(sh.left, y + sh.base_size + 2, "Base HT", sh.base_size - 2, "bold")
            sh.text(sh.left + 70, y + sh.base_size + 2, "Taux", sh.base_size - 2, "bold")
            sh.text(sh.left + 110, y + sh.base_size + 2, "Montant TVA", sh.base_size - 2, "bold")
            sh.text(sh.left, y + 2 * sh.base_size + 5, doc.m(f.total_ht), sh.base_size - 2)
            sh.text(sh.left + 70, y + 2 * sh.base_size + 5, f"{rate_text(f.tva_rate)} %", sh.base_size - 2)
            sh.text(sh.left + 110, y + 2 * sh.base_size + 5, doc.m(f.total_tva), sh.base_size - 2)
        for k, (name, value, strong) in enumerate(rows):
            top = y + k * line
            sh.rect(x, top, width, line, fill_gray=0.9 if strong else None)
            size = sh.base_size - 0.5
            while size > 6 and sh.width(name, size, "bold") > width - 100:
                size -= 0.25
            sh.text(x + 5, top + sh.base_size + 1, name, size, "bold" if strong else "regular")
            sh.text(sh.right - 5, top + sh.base_size + 1, doc.m(value), sh.base_size - 0.5, "bold" if strong else "regular",
                    align="right")
        return y + len(rows) * line + 12
    return draw


def mentions(doc: Doc, truth: dict) -> list:
    """The CEE mention, the visit and works dates, the terms: one block a paragraph (the terms go on over the next page)."""
    f, c, r = doc.f, doc.f.installer, doc.retail
    texts = []
    cee = (f"Opération éligible aux Certificats d'Économies d'Énergie ({', '.join(f.operations)}) dans le cadre du programme "
           f"{f.extra.get('oblige_service', '')} de {f.oblige}. ")
    cee += ("Le montant de la prime est déduit du total TTC ci-dessus." if doc.prime_line else
            f"{f.oblige} vous versera une prime de {doc.m(f.prime)} après validation du dossier.")
    if not doc.prime_line:
        truth["prime_cee"] = _dec(f.prime)
    if doc.rge == "mention":
        cee += f" Travaux réalisés par une entreprise titulaire du signe RGE : {c.rge_body} n° {c.rge_numero}."
        truth["rge_numero"] = c.rge_numero
    texts.append(("regular", cee))
    if doc.visit:
        texts.append(("bold", f"Visite technique préalable réalisée le {doc.d(f.date_visite_technique)}."))
        truth["date_visite_technique"] = _iso(f.date_visite_technique)
    if doc.fin:
        texts.append(("bold", (f"Pose réalisée le {doc.d(f.date_fin_travaux)}" if doc.wording % 2 else
                               f"Date de fin des travaux : {doc.d(f.date_fin_travaux)}")))
        truth["date_fin_travaux"] = _iso(f.date_fin_travaux)
    if r["channel"] == "franchise":
        texts.append(("italic", f"{r['sign']} est une marque de réseau ; chaque agence est exploitée par une entreprise juridiquement "
                                "et financièrement indépendante, seule responsable des travaux qu'elle réalise."))
    if doc.facture:
        texts.append(("regular", "Paiement à réception. Pas d'escompte pour paiement anticipé. Pénalités de retard : trois fois le "
                                 "taux d'intérêt légal ; indemnité forfaitaire de 40 € pour frais de recouvrement (professionnels)."))
    else:
        texts.append(("regular", "Devis gratuit valable 3 mois. Les prix s'entendent pose comprise, hors travaux annexes non "
                                 "mentionnés. Toute modification fera l'objet d'un avenant."))
    if doc.terms:
        texts.append(("bold", "Conditions générales de vente et de pose (extrait)"))
        for article in TERMS:
            texts.append(("small", article))

    def paragraph(style: str, text: str) -> callable:
        def draw(sh: Sheet, y: float) -> float:
            size = sh.base_size - (2.8 if style == "small" else 1.6)
            return sh.paragraph(sh.left, y + size, text, sh.right - sh.left, size, "regular" if style == "small" else style) - size + 4
        return draw
    return [paragraph(style, text) for style, text in texts]


TERMS = [
    "Art. 1 – Commande. La commande est ferme à la signature du présent devis par le client, précédée de la mention « Bon "
    "pour accord ». Un acompte peut être demandé à la commande ; le solde est exigible à la fin de la pose.",
    "Art. 2 – Droit de rétractation. En cas de vente hors établissement, le client dispose d'un délai de quatorze jours "
    "pour se rétracter, au moyen du formulaire ci-dessous ou de toute déclaration dénuée d'ambiguïté adressée au magasin.",
    "Art. 3 – Délais. Les délais de pose sont donnés à titre indicatif ; un retard ne peut donner lieu à annulation de la "
    "commande ni à indemnité, sauf retard supérieur à 30 jours après mise en demeure restée sans effet.",
    "Art. 4 – Réception des travaux. La réception est prononcée contradictoirement à la fin de la pose ; les réserves "
    "éventuelles sont portées sur le procès-verbal. Les garanties légales (parfait achèvement, biennale, décennale) "
    "s'appliquent à compter de la réception.",
    "Art. 5 – Prime CEE. La prime est versée par le financeur désigné, sous réserve de la conformité du dossier ; en cas de "
    "refus imputable au client (pièces manquantes, contrôle refusé), le montant de la prime reste dû par le client.",
    "Art. 6 – Données personnelles. Les données collectées sont nécessaires au traitement de la commande et du dossier de "
    "prime ; elles sont transmises au financeur et à l'installateur. Vous disposez d'un droit d'accès et de rectification.",
    "Art. 7 – Médiation. En cas de litige, le client peut recourir gratuitement au médiateur de la consommation dont les "
    "coordonnées figurent en magasin et sur le site internet de l'enseigne.",
]


def acceptance(doc: Doc, truth: dict) -> callable:
    """The devis's « Bon pour accord » box (inked, with a handwritten date, or empty); the facture's « Acquittée » line."""
    f = doc.f
    if doc.inked and doc.written_date:
        truth["date_signature"] = _iso(f.date_signature)

    def draw(sh: Sheet, y: float) -> float:
        if doc.facture:
            sh.text(sh.left, y + 10, "Règlement par chèque, carte bancaire en magasin ou virement (références ci-dessous).",
                    sh.base_size - 1.5, "italic")
            return y + 22
        width = min(260, (sh.right - sh.left) / 2)
        x = sh.right - width
        sh.text(sh.left, y + 12, "Signature du conseiller", sh.base_size - 1, "bold")
        sh.rect(sh.left, y + 18, width - 20, 62)
        sh.text(x, y + 12, "Bon pour accord, date et signature du client", sh.base_size - 1, "bold")
        sh.rect(x, y + 18, width, 62)
        if doc.inked:
            saved = sh.rng
            sh.rng = Random(doc.ink_seed)
            if doc.written_date:
                sh.text(x + 8, y + 32, f"Bon pour accord le {f.date_signature:%d/%m/%Y}", sh.base_size, "italic", color=(0.1, 0.1, 0.5))
            vector_signature(sh, x + 30, y + 38, 150, 34)
            vector_signature(sh, sh.left + 20, y + 34, 110, 30)
            sh.rng = saved
        return y + 88
    return draw


def closing_truth(f: DossierFacts, truth: dict) -> None:
    c = f.installer
    truth.update({"siret_installateur": c.siret, "raison_sociale_installateur": c.name, "operations": json.dumps(f.operations)})


# ---------------------------------------------------------------------------- page flow

def lay_out(sh: Sheet, pages, blocks: list, head, rows: list, after: list, total: int) -> int:
    """Draws the document on ``sh`` with ``pages`` (first(sh)->y, following(sh, page)->y, footer(sh, page, total),
    bottom(sh)->y); the table's head is drawn again on each page it goes on. Returns the pages taken."""
    measure = scratch(sh)
    state = {"y": pages.first(sh), "page": 1}

    def turn() -> None:
        pages.footer(sh, state["page"], total)
        sh.new_page()
        state["page"] += 1
        state["y"] = pages.following(sh, state["page"])

    def place(block, with_head=False) -> None:
        if state["y"] + block(measure, 0) > pages.bottom(sh):
            turn()
            if with_head:
                state["y"] = head(sh, state["y"])
        state["y"] = block(sh, state["y"])

    for block in blocks:
        place(block)
    if state["y"] + head(measure, 0) + rows[0](measure, 0) > pages.bottom(sh):
        turn()
    state["y"] = head(sh, state["y"])
    for row in rows:
        place(row, with_head=True)
    state["y"] += 8
    for block in after:
        place(block)
    pages.footer(sh, state["page"], total)
    return state["page"]

