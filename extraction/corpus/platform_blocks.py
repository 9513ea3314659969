"""Blocks of the ``platform`` family's devis and factures (see ``platform_facts``): the choices of one
document (``Doc``), the parties' cards (« Adressé à » / « Facturé à », « Adresse d'intervention »),
the zebra item table with the brand and reference in a grey second line and the unit apart from
the quantity, the totals with the CEE prime as a negative line, a deposit and « Reste à payer »,
the VAT breakdown, the CEE and 2026 e-invoicing mentions, the client's e-signature box.

A block is ``draw(sh, y) -> y below``; blocks draw nothing from the template's generator (every
choice is made in ``Doc``), so that ``platform_quotes.py`` can lay the document out twice (to count its
pages, then for real).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from random import Random

from .documents import _dec, _iso, _merge_product_truth
from .facts import OPERATION_TITLES, DossierFacts
from .heldout_facts import brands_truth
from .ink import vector_signature
from .network_items import HEAT_NAMES, WHERE
from .platform_facts import AMOUNT_STYLES, DATE_STYLES, billing_lines, couple_name, date_text, money, signed_at
from .platform_sign import esign_box, qr_code
from .office_grid import keep, wrap_words
from .sheet import Sheet
from .wording import fmt_number

PALETTES = [(0.11, 0.15, 0.27), (0.05, 0.27, 0.3), (0.27, 0.12, 0.3), (0.16, 0.16, 0.18), (0.08, 0.2, 0.42)]
ACCENTS = [(0.16, 0.5, 0.95), (0.1, 0.65, 0.55), (0.95, 0.45, 0.2), (0.55, 0.35, 0.9), (0.9, 0.25, 0.4)]
GREY = (0.42, 0.42, 0.45)


class Doc:
    """Every choice of one devis or facture, drawn before anything is placed."""

    def __init__(self, f: DossierFacts, rng: Random, facture: bool, house: str):
        self.f, self.facture, self.house = f, facture, house
        self.amount, self.date = rng.choice(AMOUNT_STYLES), rng.choice(DATE_STYLES)
        k = rng.randrange(len(PALETTES))
        self.dark, self.accent = PALETTES[k], ACCENTS[rng.randrange(len(ACCENTS))]
        self.word = "FACTURE" if facture else "DEVIS"
        self.number = f.facture_number if facture else f.devis_number
        self.doc_date = f.date_facture if facture else f.date_devis
        self.other = self.doc_date + dt.timedelta(days=rng.choice([30, 30, 15, 0] if facture else [30, 60, 90, 90]))
        esign = f.extra.get("esign", {})
        self.service, self.envelope = esign.get("service", "Yousign"), esign.get("envelope", "0")
        self.esigned = not facture and f.devis_signed and esign.get("devis", False)
        self.inked = not facture and f.devis_signed and not self.esigned
        self.audit = self.esigned and rng.random() < 0.5
        self.wording = rng.randrange(6)
        self.client = couple_name(f, rng)
        self.client_title = rng.choice(["Facturé à", "Client"] if facture else ["Adressé à", "Client", "Destinataire"])
        self.works_title = rng.choice(["Adresse d'intervention", "Lieu des travaux", "Adresse du chantier"])
        self.works_same_shown = rng.random() < 0.5  # the works card even where it repeats the client's address
        self.city_caps = rng.random() < 0.5
        self.sideways = house == "band" and rng.random() < 0.6
        self.rge = rng.choice(["legal", "cee", "cee", "none"] if house != "sidebar" else ["side", "side", "cee"])
        self.prime_line = rng.random() < 0.75
        self.cee_amount = rng.random() < 0.7 or not self.prime_line
        self.prime_words = rng.choice([f"Prime CEE (versée par {f.oblige})", f"Prime CEE {f.oblige}", "Prime énergie CEE déduite",
                                       "Aide CEE – Coup de pouce"])
        self.net_words = rng.choice(["Reste à payer", "Net à payer TTC", "Reste à charge TTC", "Montant à régler"])
        self.vat_table = rng.random() < 0.5
        self.einvoice = facture and rng.random() < 0.8
        self.watermark = rng.choice(["DUPLICATA", "COPIE"]) if facture and rng.random() < 0.25 else None
        self.qr = facture and rng.random() < 0.6
        self.link = f"https://pay.{f.extra.get('saas', 'quotia').lower().replace(' ', '').replace('+', 'plus')}.fr/" \
                    f"{rng.choice(['i', 'p', 'pay'])}/{rng.getrandbits(40):010x}"
        self.deposit = f.extra.get("deposit")
        self.deposit_date = f.date_signature + dt.timedelta(days=rng.randint(0, 6))
        self.visit = not facture and f.date_visite_technique is not None and rng.random() < 0.6
        self.fin = facture and rng.random() < 0.85
        self.devis_ref = facture and rng.random() < 0.8
        self.code_line = rng.random() < 0.6
        self.page_style = rng.choice(["Page {p}/{n}", "{p} / {n}", "Page {p} sur {n}"])
        self.ink_seed = f"{self.number}|{self.envelope}|ink"

    def d(self, value: dt.date) -> str:
        return date_text(value, self.date)

    def m(self, value: Decimal, sh: Sheet | None = None) -> str:
        return money(value, self.amount, sh)


# ---------------------------------------------------------------------------- parties

def parties(doc: Doc, x: float, width: float, truth: dict) -> callable:
    """The client's card and the works card side by side (billing apart from works where it is)."""
    f = doc.f
    p = f.beneficiary
    city = p.city.upper() if doc.city_caps else p.city
    works = [p.street, f"{p.postal_code} {city}"]
    billing = billing_lines(f)
    client = [doc.client] + (billing or works) + [p.email, p.phone]
    cards = [(doc.client_title, client)]
    if billing:
        cards.append((doc.works_title, works))
    elif doc.works_same_shown:
        cards.append((doc.works_title, ["Identique à l'adresse du client"] if doc.house == "minimal" else works))
    truth.update({"beneficiaire_nom": f"{p.first_name} {p.last_name}", "beneficiaire_adresse": p.street,
                  "beneficiaire_code_postal": p.postal_code, "beneficiaire_ville": p.city})

    def draw(sh: Sheet, y: float) -> float:
        gap = 12
        w = (width - gap * (len(cards) - 1)) / len(cards) if len(cards) > 1 else width * 0.55
        bottom = y
        for k, (title, lines) in enumerate(cards):
            cx = x + k * (w + gap) if len(cards) > 1 else x + width - w
            height = 22 + len(lines) * (sh.base_size + 3)
            if doc.house != "minimal":
                sh.rect(cx, y, w, height, stroke=False, fill_gray=0.955)
            sh.text(cx + 8, y + 12, title.upper() if doc.house == "band" else title, sh.base_size - 2, "bold", color=GREY)
            for n, line in enumerate(lines):
                size = sh.base_size - (0 if n == 0 else 0.8)
                while size > 6 and sh.width(line, size, "bold" if n == 0 else "regular") > w - 14:
                    size -= 0.25
                sh.text(cx + 8, y + 26 + n * (sh.base_size + 3), line, size, "bold" if n == 0 else "regular")
            bottom = max(bottom, y + height)
        return bottom + 12
    return draw


def meta_cells(doc: Doc, truth: dict) -> list[tuple[str, str]]:
    f = doc.f
    cells = [("Date d'émission" if doc.facture else "Date du devis", doc.d(doc.doc_date)),
             ("Date d'échéance" if doc.facture else "Valable jusqu'au", doc.d(doc.other))]
    if doc.facture and doc.devis_ref:
        cells.append(("Devis d'origine", f.devis_number))
        truth["numero_devis"] = f.devis_number
    cells.append(("Dossier", f.extra.get("dossier_ref", "")) if doc.wording % 2 else ("Réf. client", f"CLI-{f.reference[-5:]}"))
    return cells


def subject(doc: Doc, truth: dict) -> callable:
    f = doc.f
    lines = [f"Objet : {' + '.join(OPERATION_TITLES[op] for op in f.operations)} ({', '.join(f.operations)})"]
    if doc.facture and doc.fin:
        lines.append(f"Travaux achevés le {doc.d(f.date_fin_travaux)}" if doc.wording % 2 else
                     f"Date de réalisation des travaux : du {doc.d(f.date_debut_travaux)} au {doc.d(f.date_fin_travaux)}")
        truth["date_fin_travaux"] = _iso(f.date_fin_travaux)
    if doc.visit:
        lines.append(f"Visite technique réalisée le {doc.d(f.date_visite_technique)}")
        truth["date_visite_technique"] = _iso(f.date_visite_technique)

    def draw(sh: Sheet, y: float) -> float:
        for k, line in enumerate(lines):
            y = sh.paragraph(sh.left, y + sh.base_size, line,
                             sh.right - sh.left, sh.base_size - (0 if k == 0 else 1),
                             "bold" if k == 0 else "regular") - sh.base_size + 3
        return y + 10
    return draw


# ---------------------------------------------------------------------------- items

def item_rows(doc: Doc) -> tuple[list[dict], dict, list[str]]:
    """The rows (name, grey lines, quantity, unit, price, total) and the products' truth."""
    f = doc.f
    rows, truths = [], []
    rate = f"{fmt_number(f.tva_rate, 1 if f.tva_rate % 1 else 0)} %"
    for item in list(f.products) + list(f.extra.get("accessories", [])):
        grey, truth = [], {}
        if hasattr(item, "designation"):  # an accessory
            name, grey = item.designation, [f"{keep(item.brand)} · {keep(item.reference)}" if doc.wording % 2 else
                                            f"Marque : {keep(item.brand)} – Réf. : {keep(item.reference)}"]
        else:
            name = (f"Isolation {WHERE[item.operation]}" if item.resistance is not None else HEAT_NAMES[item.operation])
            brand, reference = keep(item.brand), keep(item.reference)
            grey.append([f"Marque : {brand} – Réf. : {reference}", f"{brand} {reference}",
                         f"Produit : {brand} / {reference}"][doc.wording % 3])
            if item.resistance is not None:
                grey.append(f"R = {fmt_number(item.resistance)} m².K/W · Épaisseur {item.thickness_mm} mm")
                truth.update(resistance_thermique=_dec(item.resistance), surface_m2=_dec(item.quantity))
            elif item.operation in ("BAR-TH-171", "BAR-TH-172"):
                grey.append(f"ETAS {item.etas} % · COP {fmt_number(item.cop)} · Surface chauffée {fmt_number(item.surface, 0)} m²")
                truth.update(etas=_dec(item.etas), cop=_dec(item.cop), surface_m2=_dec(item.surface))
            elif item.cop is not None:
                grey.append(f"COP {fmt_number(item.cop)} (EN 16147)")
                truth["cop"] = _dec(item.cop)
            else:
                grey.append(f"Efficacité saisonnière ETAS {item.etas} %")
                truth["etas"] = _dec(item.etas)
            if doc.code_line:
                grey.append(f"Fiche CEE {item.operation}")
            truths.append(truth)
        unit = {"m²": "m²", "u": "u", "ml": "ml"}.get(item.unit, item.unit)
        rows.append({"name": name, "grey": grey, "qty": fmt_number(item.quantity, 2 if item.unit == "m²" else 0), "unit": unit,
                     "pu": doc.m(item.unit_price), "total": doc.m(item.total_ht), "rate": rate})
    labour = f.extra.get("labour_only")
    if labour:
        rows.append({"name": "Main d'œuvre – pose, raccordements et mise en service", "grey": [], "qty": "1", "unit": "forfait",
                     "pu": doc.m(labour), "total": doc.m(labour), "rate": rate})
    merged, ambiguous = _merge_product_truth(truths)
    merged.update(brands_truth(f))
    return rows, merged, ambiguous


COLUMNS = [("name", "Désignation", 5.2, "left"), ("qty", "Qté", 0.8, "right"), ("unit", "Unité", 0.8, "center"),
           ("pu", "PU HT", 1.35, "right"), ("rate", "TVA", 0.75, "right"), ("total", "Total HT", 1.45, "right")]


def table_head(doc: Doc, x0: float) -> callable:
    def draw(sh: Sheet, y: float) -> float:
        widths = _widths(sh, x0)
        height = sh.base_size + 9
        if doc.house == "band":
            sh.rect(x0, y, sh.right - x0, height, stroke=False, fill_rgb=doc.dark)
        elif doc.house == "sidebar":
            sh.rect(x0, y, sh.right - x0, height, stroke=False, fill_rgb=tuple(0.85 + 0.15 * c for c in doc.accent))
        x = x0
        for (key, title, _, align), w in zip(COLUMNS, widths):
            colour = (1, 1, 1) if doc.house == "band" else (0.2, 0.2, 0.25)
            title = {"minimal": {"name": "Description", "pu": "Prix unitaire", "total": "Montant HT"}}.get(doc.house, {}).get(key, title)
            tx = x + 5 if align == "left" else x + w - 5 if align == "right" else x + w / 2
            sh.text(tx, y + sh.base_size + 2.5, title, sh.base_size - 1.5, "bold", align=align, color=colour)
            x += w
        if doc.house == "minimal":
            sh.hline(y + height, x0, sh.right, width=0.8, gray=0.2)
        return y + height + 2
    return draw


def _widths(sh: Sheet, x0: float) -> list[float]:
    scale = (sh.right - x0) / sum(w for _, _, w, _ in COLUMNS)
    return [w * scale for _, _, w, _ in COLUMNS]


def row_block(doc: Doc, row: dict, index: int, x0: float) -> callable:
    def draw(sh: Sheet, y: float) -> float:
        widths = _widths(sh, x0)
        size = sh.base_size - 0.8
        lead = size * 1.32
        lines = [(row["name"], "bold", (0.1, 0.1, 0.1))] + [(g, "regular", GREY) for g in row["grey"]]
        wrapped = []
        for text, style, colour in lines:
            wrapped += [(part, style, colour) for part in wrap_words(sh, text, widths[0] - 10, size if style == "bold" else size - 1, style)]
        height = len(wrapped) * lead + 8
        if index % 2 == 1 and doc.house != "minimal":
            sh.rect(x0, y, sh.right - x0, height, stroke=False, fill_gray=0.95)
        for n, (text, style, colour) in enumerate(wrapped):
            sh.text(x0 + 5, y + size + 3 + n * lead, text, size if style == "bold" else size - 1, style, color=colour)
        x = x0 + widths[0]
        for (key, _, _, align), w in zip(COLUMNS[1:], widths[1:]):
            tx = x + w - 5 if align == "right" else x + w / 2
            sh.text(tx, y + size + 3, row[key], size, align=align)
            x += w
        if doc.house == "minimal":
            sh.hline(y + height, x0, sh.right, width=0.3, gray=0.75)
        return y + height
    return draw


# ---------------------------------------------------------------------------- totals and mentions

def totals(doc: Doc, truth: dict) -> callable:
    f = doc.f
    rate = fmt_number(f.tva_rate, 1 if f.tva_rate % 1 else 0)
    rows = [("Total HT", f.total_ht, False), (f"TVA {rate} %", f.total_tva, False), ("Total TTC", f.total_ttc, True)]
    truth.update({"montant_ht": _dec(f.total_ht), "montant_tva": _dec(f.total_tva), "montant_ttc": _dec(f.total_ttc)})
    net = f.total_ttc
    if doc.prime_line:
        rows.append((doc.prime_words, -f.prime, False))
        truth["prime_cee"] = _dec(f.prime)
        net -= f.prime
    if doc.facture and doc.deposit:
        deposit = (f.total_ttc * doc.deposit / 100).quantize(Decimal("0.01"))
        rows.append((f"Acompte de {doc.deposit} % versé le {doc.d(doc.deposit_date)}", -deposit, False))
        net -= deposit
    rows.append((doc.net_words, net, True))

    def draw(sh: Sheet, y: float) -> float:
        width = 250
        x = sh.right - width
        line = sh.base_size + 7
        if doc.vat_table:
            sh.text(sh.left, y + sh.base_size, "Détail de la TVA", sh.base_size - 1.5, "bold",
                    color=GREY)
            lx = sh.left
            for n, (a, b, c) in enumerate([("Taux", "Base HT", "Montant TVA"), (f"{rate} %", doc.m(f.total_ht, sh),
                                                                               doc.m(f.total_tva, sh))]):
                for k, cell in enumerate((a, b, c)):
                    sh.text(lx + 4 + k * 62, y + 2 * sh.base_size + 4 + n * (sh.base_size + 3), cell, sh.base_size - 2,
                            "bold" if n == 0 else "regular")
        for k, (name, value, strong) in enumerate(rows):
            top = y + k * line
            last = k == len(rows) - 1
            if last:
                sh.rect(x, top, width, line + 2, stroke=False, fill_rgb=doc.dark if doc.house != "minimal" else (0.93, 0.93, 0.93))
            colour = (1, 1, 1) if last and doc.house != "minimal" else (0.1, 0.1, 0.1)
            size = sh.base_size
            room = width - 24 - sh.width(doc.m(value, sh), sh.base_size, "bold")
            while size > 6 and sh.width(name, size, "bold" if strong else "regular") > room:
                size -= 0.25
            sh.text(x + 7, top + sh.base_size + 2, name, size, "bold" if strong else "regular", color=colour)
            sh.text(sh.right - 7, top + sh.base_size + 2, doc.m(value, sh), sh.base_size, "bold" if strong else "regular",
                    align="right", color=colour)
            if not last and doc.house == "minimal":
                sh.hline(top + line, x, sh.right, width=0.3, gray=0.8)
        return y + len(rows) * line + 16
    return draw


def mentions(doc: Doc, truth: dict) -> callable:
    """The CEE paragraph (the prime, its payer, the fiche, the RGE), the terms, the e-invoicing mentions."""
    f, c = doc.f, doc.f.installer
    texts = []
    cee = (f"Les travaux ci-dessus sont éligibles au dispositif des Certificats d'Économies d'Énergie (fiche"
           f"{'s' if len(f.operations) > 1 else ''} {', '.join(f.operations)}). ")
    if doc.cee_amount:
        cee += (f"{f.oblige} verse une prime CEE de {doc.m(f.prime)} dans le cadre de son rôle actif et incitatif"
                f"{', déduite du montant TTC' if doc.prime_line else ', versée directement au bénéficiaire'}.")
        truth["prime_cee"] = _dec(f.prime)
    else:
        cee += f"La prime est versée par {f.oblige}, sous réserve de la validation du dossier."
    if doc.rge == "cee":
        cee += f" Entreprise qualifiée RGE {c.rge_body} n° {c.rge_numero}, valable jusqu'au {doc.d(c.rge_end)}."
        truth["rge_numero"] = c.rge_numero
    texts.append(("regular", cee))
    if doc.facture:
        if doc.einvoice:
            texts.append(("regular", "Catégorie de l'opération : prestation de services · Option pour le paiement de la TVA "
                                     "d'après les débits : non · SIREN du client : non applicable (particulier) · Facture émise au "
                                     "format Factur-X (EN 16931)."))
        texts.append(("regular", f"Échéance : {doc.d(doc.other)}. Pénalités de retard : trois fois le taux d'intérêt légal ; "
                                 "indemnité forfaitaire pour frais de recouvrement : 40 € (professionnels uniquement)."))
    else:
        terms = "Conditions de paiement : "
        terms += (f"acompte de {doc.deposit} % à la signature, solde à la fin des travaux." if doc.deposit else
                  "solde à réception de facture, déduction faite de la prime CEE.")
        texts.append(("regular", terms))

    def draw(sh: Sheet, y: float) -> float:
        x = sh.left
        for style, text in texts:
            y = sh.paragraph(x, y + sh.base_size - 1, text, sh.right - x, sh.base_size - 1.8, style) - sh.base_size + 5
        return y + 8
    return draw


def acceptance(doc: Doc, truth: dict) -> callable:
    """The devis's « Bon pour accord »: the e-signature box, a drawn signature, or an empty box;
    the facture's payment: the QR code and the payment link."""
    f = doc.f
    p = f.beneficiary
    signer = f"{p.first_name} {p.last_name.upper() if doc.wording % 2 else p.last_name}"
    if doc.esigned:
        truth["date_signature"] = _iso(f.date_signature)
    written = doc.inked and doc.wording % 3 != 0
    if written:
        truth["date_signature"] = _iso(f.date_signature)

    def draw(sh: Sheet, y: float) -> float:
        x = sh.left
        if doc.facture:
            if doc.qr:
                qr_code(sh, x, y, 62, doc.link)
                sh.text(x + 72, y + 14, "Payer en ligne par carte ou virement instantané", sh.base_size - 1, "bold")
                sh.text(x + 72, y + 28, doc.link, sh.base_size - 1.5, color=doc.accent)
                sh.text(x + 72, y + 42, "Scannez le QR code avec l'appareil photo de votre téléphone", sh.base_size - 2, color=GREY)
                return y + 74
            sh.text(x, y + 10, f"Lien de paiement : {doc.link}", sh.base_size - 1.5, color=doc.accent)
            return y + 24
        width = min(250, sh.right - x)
        bx = sh.right - width
        sh.text(bx, y + 8, "Bon pour accord – signature du client", sh.base_size - 1, "bold")
        sh.text(bx, y + 18, "Date et signature précédées de la mention « Bon pour accord »", sh.base_size - 2.5, "italic",
                color=GREY)
        if doc.esigned:
            return esign_box(sh, bx, y + 24, width, doc.service, signer, signed_at(f, f.date_signature, 0),
                             drawn=f.extra["esign"].get("drawn", False), ink=Random(doc.ink_seed), wording=doc.wording)
        sh.rect(bx, y + 24, width, 66)
        if doc.inked:
            saved = sh.rng
            sh.rng = Random(doc.ink_seed)
            if written:
                sh.text(bx + 8, y + 40, f"Bon pour accord le {f.date_signature:%d/%m/%Y}", sh.base_size, "italic",
                        color=(0.1, 0.1, 0.45))
            vector_signature(sh, bx + 20, y + 46, 140, 36)
            sh.rng = saved
        return y + 96
    return draw
