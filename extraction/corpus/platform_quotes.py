"""The ``platform`` family's devis and factures, as online invoicing tools print them (see
``platform_facts`` for the family and its seeds).

Three houses: a dark band across the top with the company in white and « DEVIS » / « FACTURE »
large on the right, a row of labelled cells under it (« Date d'émission », « Valable jusqu'au »,
« Dossier »), and the legal mentions in the footer or printed sideways down the left margin; a
coloured sidebar down the left of every page carrying the logo, the company, its legal mentions
(SIRET, TVA intracom., RCS, capital, assurance décennale, RGE) and its bank details, the
document in the column beside it; a bare page (« Facture » in large light type, « Numéro de
facture » / « Date d'émission » lines, « De » / « Facturé à » / « Lieu d'intervention » side by
side, thin rules). Then the client and works cards (``platform_blocks``), the subject with the
fiches, a zebra item table, the totals with the prime as a negative line, a deposit and « Reste
à payer », the VAT breakdown, the CEE paragraph, the e-invoicing mentions, the client's
e-signature box (or a drawn signature, or nothing) or the QR code and payment link; the envelope's
ID on every page of an e-signed quote and, on some, the signing service's certificate as a last
page; « DUPLICATA » across some invoices. Long documents go on over a second page.
"""
from __future__ import annotations

import json
from random import Random

from .documents import Drawn
from .office import INSURERS
from .office_facts import company_numbers, siren_of
from .platform_blocks import GREY, Doc, acceptance, item_rows, mentions, meta_cells, parties, row_block, subject, table_head, totals
from .platform_facts import signed_at
from .platform_sign import audit_page, envelope_header, sideways, watermark
from .sheet import PAGE_H, PAGE_W, Sheet
from .wording import fmt_siret

SIDEBAR_W = 168


def _legal(doc: Doc, truth: dict) -> str:
    c = doc.f.installer
    numbers = company_numbers(c.siret)
    capital = f"{c.capital:,}".replace(",", " ")
    text = (f"{c.name} – {c.legal_form} au capital de {capital} € – SIRET {fmt_siret(c.siret, 'spaced')} – RCS {c.rcs_city} "
            f"{siren_of(c.siret)} – TVA intracom. {c.tva} – Assurance décennale {numbers.choice(INSURERS)} n° "
            f"{numbers.randint(10**6, 10**8)}")
    if doc.rge == "legal":
        text += f" – RGE {c.rge_body} n° {c.rge_numero}"
        truth["rge_numero"] = c.rge_numero
    return text


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.replace("'", " ").split()[:2]).upper()


class Pages:
    """The page chrome of one house: what opens the first page, the next ones, and closes each."""

    def __init__(self, doc: Doc, truth: dict):
        self.doc, self.legal = doc, _legal(doc, truth)
        if doc.rge == "side":  # the sidebar's « Qualification RGE » section prints it
            truth["rge_numero"] = doc.f.installer.rge_numero
        self.cells = meta_cells(doc, truth)
        c = doc.f.installer
        self.company_lines = [c.street, f"{c.postal_code} {c.city}", c.phone, c.email]
        if doc.wording % 2:
            self.company_lines.append(f"SIRET {fmt_siret(c.siret, 'groups')}")

    def chrome(self, sh: Sheet) -> None:
        doc = self.doc
        if doc.watermark:
            watermark(sh, doc.watermark)
        if doc.house == "sidebar":
            self.sidebar(sh)
        if doc.esigned:
            envelope_header(sh, doc.service, doc.envelope)
        if doc.sideways:
            size = 6.0
            while sh.width(self.legal, size) > PAGE_H - 200 and size > 4:
                size -= 0.25
            sideways(sh, 22, 130, self.legal, size)

    def first(self, sh: Sheet) -> float:
        self.chrome(sh)
        return {"band": self.band, "sidebar": self.side_head, "minimal": self.bare}[self.doc.house](sh)

    def following(self, sh: Sheet) -> float:
        self.chrome(sh)
        doc = self.doc
        sh.text(sh.left, 40, f"{doc.word.capitalize()} {doc.number} – {doc.f.installer.name} (suite)", sh.base_size - 1, "bold",
                color=GREY)
        sh.hline(46, width=0.5, gray=0.6)
        return 60

    def footer(self, sh: Sheet, page: int, pages: int) -> None:
        doc = self.doc
        size = 6.6
        label = doc.page_style.format(p=page, n=pages)
        sh.text(sh.right, PAGE_H - 16, label, size + 0.6, align="right", color=GREY)
        left = sh.left
        if doc.house != "sidebar" and not doc.sideways:
            lines = sh.wrap(self.legal, sh.right - left, size)
            for k, line in enumerate(lines):
                sh.text(PAGE_W / 2, PAGE_H - 30 - (len(lines) - 1 - k) * (size + 2), line, size, align="center", color=GREY)
        sh.text(left, PAGE_H - 16, f"Document édité avec {doc.f.extra.get('saas', 'Quotia')}", size, "italic", color=GREY)

    def bottom(self) -> float:
        return PAGE_H - (62 if self.doc.house != "sidebar" and not self.doc.sideways else 34)

    # -- the three houses' tops
    def band(self, sh: Sheet) -> float:
        doc, c = self.doc, self.doc.f.installer
        sh.rect(0, 20, PAGE_W, 92, stroke=False, fill_rgb=doc.dark)
        sh.canvas.setFillColorRGB(*doc.accent)
        sh.canvas.circle(sh.left + 18, PAGE_H - 52, 18, stroke=0, fill=1)
        sh.text(sh.left + 18, 57, _initials(c.name), 12, "bold", align="center", color=(1, 1, 1))
        sh.text(sh.left + 46, 50, c.name, sh.base_size + 5, "bold", color=(1, 1, 1))
        for k, line in enumerate([" · ".join(self.company_lines[:2]), " · ".join(self.company_lines[2:])]):
            sh.text(sh.left + 46, 66 + k * (sh.base_size + 1), line, sh.base_size - 2, color=(0.85, 0.87, 0.9))
        sh.text(sh.right, 60, doc.word, 26, "bold", align="right", color=(1, 1, 1))
        sh.text(sh.right, 80, f"N° {doc.number}", sh.base_size + 1, "bold", align="right", color=(1, 1, 1))
        status = "À régler" if doc.facture else ("Signé" if doc.esigned else "En attente de signature")
        sh.text(sh.right, 98, status.upper(), sh.base_size - 2.5, "bold", align="right", color=doc.accent)
        width = (sh.right - sh.left) / len(self.cells)
        for k, (label, value) in enumerate(self.cells):
            x = sh.left + k * width
            sh.text(x, 130, label.upper(), sh.base_size - 2.5, "bold", color=GREY)
            sh.text(x, 144, value, sh.base_size, "bold")
        sh.hline(154, width=0.4, gray=0.75)
        return 166

    def side_head(self, sh: Sheet) -> float:
        doc = self.doc
        sh.text(sh.left, 62, doc.word.capitalize(), 24, "bold", color=doc.dark)
        sh.text(sh.left, 80, f"N° {doc.number}", sh.base_size + 1, "bold", color=doc.accent)
        y = 100
        for label, value in self.cells:
            sh.text(sh.left, y, label, sh.base_size - 1, color=GREY)
            sh.text(sh.left + 120, y, value, sh.base_size - 0.5, "bold")
            y += sh.base_size + 4
        return y + 10

    def sidebar(self, sh: Sheet) -> None:
        doc, c = self.doc, self.doc.f.installer
        numbers = company_numbers(c.siret)
        sh.rect(0, 0, SIDEBAR_W, PAGE_H, stroke=False, fill_rgb=doc.dark)
        x = 20
        sh.rect(x, 36, 40, 40, stroke=False, fill_rgb=doc.accent)
        sh.text(x + 20, 61, _initials(c.name), 13, "bold", align="center", color=(1, 1, 1))
        size = 10.5
        while size > 6.5 and sh.width(c.name, size, "bold") > SIDEBAR_W - 36:
            size -= 0.25
        y = sh_para(sh, x, 96, c.name, SIDEBAR_W - 30, size, "bold", (1, 1, 1))
        white, soft = (1, 1, 1), (0.8, 0.83, 0.88)
        sections = [("Coordonnées", self.company_lines[:4]),
                    ("Informations légales", [f"SIRET : {fmt_siret(c.siret, 'spaced')}", f"TVA : {c.tva}",
                                              f"RCS {c.rcs_city} {siren_of(c.siret)}", f"{c.legal_form} au capital de "
                                              f"{c.capital:,} €".replace(",", " ")]),
                    ("Assurance décennale", [numbers.choice(INSURERS), f"Police n° {numbers.randint(10**6, 10**8)}",
                                             "Couverture : France métropolitaine"])]
        if doc.rge == "side":
            sections.append(("Qualification RGE", [c.rge_body, f"N° {c.rge_numero}"]))
        sections.append(("Règlement", [f"IBAN FR76 {numbers.randint(1000, 9999)} {numbers.randint(1000, 9999)} "
                                       f"{numbers.randint(1000, 9999)} {numbers.randint(1000, 9999)} {numbers.randint(100, 999)}",
                                       f"BIC {numbers.choice(['CCBPFRPP', 'AGRIFRPP', 'CMCIFR2A', 'QNTOFRP1'])}"]))
        for title, lines in sections:
            y += 16
            sh.text(x, y, title.upper(), 6.8, "bold", color=doc.accent if sum(doc.accent) > 1.2 else white)
            for line in lines:
                y = sh_para(sh, x, y + 11, line, SIDEBAR_W - 30, 7.4, "regular", soft) - 11
            y += 11

    def bare(self, sh: Sheet) -> float:
        doc, c = self.doc, self.doc.f.installer
        sh.text(sh.left, 62, doc.word.capitalize(), 26, "regular", color=(0.15, 0.15, 0.18))
        sh.text(sh.right, 50, c.name, sh.base_size + 3, "bold", align="right", color=doc.dark)
        sh.text(sh.right, 62, doc.f.installer.email, sh.base_size - 1.5, align="right", color=GREY)
        y = 90
        rows = [(f"Numéro de {doc.word.lower()}", doc.number)] + self.cells
        for label, value in rows:
            sh.text(sh.left, y, label, sh.base_size - 0.5, color=GREY)
            sh.text(sh.left + 130, y, value, sh.base_size - 0.5, "bold")
            y += sh.base_size + 4
        y += 10
        sh.text(sh.left, y, "De", sh.base_size - 1.5, "bold", color=GREY)
        for k, line in enumerate([c.name] + self.company_lines[:2] + [f"SIRET {fmt_siret(c.siret, 'plain')}"]):
            sh.text(sh.left, y + 14 + k * (sh.base_size + 3), line, sh.base_size - (0 if k == 0 else 0.8), "bold" if k == 0 else "regular")
        return y + 14 + 4 * (sh.base_size + 3) + 8


def sh_para(sh: Sheet, x: float, y: float, text: str, width: float, size: float, style: str, colour) -> float:
    for line in sh.wrap(text, width, size, style):
        sh.text(x, y, line, size, style, color=colour)
        y += size * 1.3
    return y


def _scratch(sh: Sheet) -> Sheet:
    other = Sheet(Random(0), fonts=sh.fonts)
    other.left, other.right, other.base_size = sh.left, sh.right, sh.base_size
    return other


def _layout(sh: Sheet, pages: Pages, blocks: list, head, rows: list, after: list, total: int) -> int:
    """Draws the document on ``sh``; returns how many pages it took."""
    measure = _scratch(sh)
    state = {"y": pages.first(sh), "page": 1}

    def turn() -> None:
        pages.footer(sh, state["page"], total)
        sh.new_page()
        state["page"] += 1
        state["y"] = pages.following(sh)

    def place(block, with_head=False) -> None:
        if state["y"] + block(measure, 0) > pages.bottom():
            turn()
            if with_head:
                state["y"] = head(sh, state["y"])
        state["y"] = block(sh, state["y"])

    for block in blocks:
        place(block)
    if head(measure, 0) + rows[0](measure, 0) + state["y"] > pages.bottom():
        turn()  # the table starts on the next page, with its header
    state["y"] = head(sh, state["y"])
    for row in rows:
        place(row, with_head=True)
    state["y"] += 8
    for block in after:
        place(block)
    pages.footer(sh, state["page"], total)
    return state["page"]


def _document(f, rng: Random, *, facture: bool, house: str) -> Drawn:
    sh = Sheet(rng)
    if house == "sidebar":
        sh.left, sh.right = SIDEBAR_W + 24, PAGE_W - 34
    doc = Doc(f, rng, facture, house)
    c, p = f.installer, f.beneficiary
    truth: dict = {"date_facture" if facture else "date_devis": doc.doc_date.isoformat(),
                   "numero_facture" if facture else "numero_devis": doc.number}
    pages = Pages(doc, truth)
    rows, products, ambiguous = item_rows(doc)
    truth.update(products)
    blocks = [parties(doc, sh.left, sh.right - sh.left, truth), subject(doc, truth)]
    after = [totals(doc, truth), mentions(doc, truth), acceptance(doc, truth)]
    x0 = sh.left
    head = table_head(doc, x0)
    row_blocks = [row_block(doc, row, k, x0) for k, row in enumerate(rows)]
    count = _layout(_scratch(sh), pages, blocks, head, row_blocks, after, 1)
    count = _layout(sh, pages, blocks, head, row_blocks, after, count)
    if doc.audit:
        sh.new_page()
        signer = (f"{p.first_name} {p.last_name}", p.email, f.extra["esign"]["ips"][0], signed_at(f, f.date_signature, 0))
        audit_page(sh, f, doc.service, doc.envelope, f"Devis {doc.number}.pdf", [signer], "Certificat – 1/1")
        count += 1
    truth.update({"siret_installateur": c.siret, "raison_sociale_installateur": c.name, "operations": json.dumps(f.operations)})
    return Drawn(sh.finish(), count, truth, ambiguous)


def devis_saas(f, rng: Random) -> Drawn:
    """An online invoicing tool's quote: the dark band, labelled cells, legal mentions at the foot or sideways."""
    return _document(f, rng, facture=False, house="band")


def devis_sidebar(f, rng: Random) -> Drawn:
    """A quote with the company and its legal mentions in a coloured sidebar down the left."""
    return _document(f, rng, facture=False, house="sidebar")


def devis_bare(f, rng: Random) -> Drawn:
    """A bare modern quote: large light title, « De » / client / works side by side, thin rules."""
    return _document(f, rng, facture=False, house="minimal")


def facture_saas(f, rng: Random) -> Drawn:
    return _document(f, rng, facture=True, house="band")


def facture_sidebar(f, rng: Random) -> Drawn:
    return _document(f, rng, facture=True, house="sidebar")


def facture_bare(f, rng: Random) -> Drawn:
    return _document(f, rng, facture=True, house="minimal")
