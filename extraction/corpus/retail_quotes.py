"""The ``retail`` family's devis and factures (see ``retail_facts`` for the family and its seeds).

Three houses:

- the store's document (portrait): the shop sign in a logo block with the store or agency (its
  address, phone, opening hours, its own VAT number) at the top left, the document's word and
  number at the top right, the numbers grid (order, customer, store, seller, loyalty card) and
  the « Informations client » / « Livraison / pose chez » boxes on the right; the header comes
  again on every page; the registered office in the footer with « Page 1/2 »;
- the spreadsheet export (A4 landscape): cells and grid lines everywhere, the title row, the
  numbers in a four-column grid, an EAN column in the item table, the title row and the
  table's head repeated on each page, the file's name and « Page 1 / 2 » at the foot;
- the energy supplier's works partner (portrait): the programme's coloured band
  (« Programme … – installateur partenaire »), the partner's identity on the left, the
  customer's energy account (N° client, PDL / PCE, contract) and the works address on the right.
"""
from __future__ import annotations

from random import Random

from .documents import Drawn
from .office_facts import siren_of
from .retail_blocks import (GREY, Doc, LandscapeSheet, acceptance, closing_truth, customer_boxes, grid, item_rows, lay_out, mentions,
                            numbers, page_height, row_block, scratch, table_head, totals)
from .sheet import PAGE_W, Sheet
from .wording import fmt_siret


def legal_line(doc: Doc, truth: dict) -> str:
    c = doc.f.installer
    capital = f"{c.capital:,}".replace(",", " ")
    text = (f"{c.name} – {c.legal_form} au capital de {capital} € – Siège social : {c.street}, {c.postal_code} {c.city} – "
            f"RCS {c.rcs_city} {siren_of(c.siret)} – SIRET {fmt_siret(c.siret, ['spaced', 'plain', 'groups'][doc.wording % 3])} – "
            f"N° TVA intracommunautaire {c.tva}")
    if doc.rge == "footer":
        text += f" – Qualification RGE {c.rge_body} n° {c.rge_numero}"
        truth["rge_numero"] = c.rge_numero
    return text


class Pages:
    """The page chrome of one house."""

    def __init__(self, doc: Doc, truth: dict, colour: tuple[float, float, float]):
        self.doc, self.colour = doc, colour
        self.legal = legal_line(doc, truth)

    # -- shared
    def footer(self, sh: Sheet, page: int, pages: int) -> None:
        doc = self.doc
        height = page_height(sh)
        size = 6.4
        lines = sh.wrap(self.legal, sh.right - sh.left, size)
        for k, line in enumerate(lines):
            sh.text((sh.left + sh.right) / 2, height - 30 - (len(lines) - 1 - k) * (size + 2), line, size, align="center", color=GREY)
        sh.text(sh.right, height - 16, doc.page_style.format(p=page, n=pages), 7.5, align="right")
        if doc.house == "tableur":
            sh.text(sh.left, height - 16, f"{doc.word.lower().split()[0]}_{doc.number}.xlsx – {doc.retail['sign']}", 7, color=GREY)

    def bottom(self, sh: Sheet) -> float:
        return page_height(sh) - 58

    def first(self, sh: Sheet) -> float:
        return {"magasin": self.store_top, "tableur": self.sheet_top, "partenaire": self.band_top}[self.doc.house](sh, 1)

    def following(self, sh: Sheet, page: int) -> float:
        return {"magasin": self.store_top, "tableur": self.sheet_top, "partenaire": self.band_top}[self.doc.house](sh, page)

    # -- the store
    def store_top(self, sh: Sheet, page: int) -> float:
        doc, r, c = self.doc, self.doc.retail, self.doc.f.installer
        sign = r["sign"] if r["channel"] != "fournisseur" else c.name
        sh.rect(sh.left, 30, 128, 44, stroke=False, fill_rgb=self.colour)
        size = 17
        while size > 8 and sh.width(sign.upper(), size, "bold") > 118:
            size -= 0.5
        sh.text(sh.left + 64, 58, sign.upper(), size, "bold", align="center", color=(1, 1, 1))
        zone, postal, city = r["store"]
        where = "Magasin" if r["channel"] == "magasin" else "Agence"
        lines = [f"{where} {sign} {city}" + (f" (n° {r['store_no']})" if r["channel"] == "magasin" else ""), zone, f"{postal} {city}",
                 f"Tél. {r['store_phone']} – du lundi au samedi 9h-19h"]
        if r["channel"] == "magasin" and doc.wording % 2:
            lines.append(f"TVA magasin : {r['store_tva']}")
        for k, line in enumerate(lines):
            sh.text(sh.left + 138, 38 + k * (sh.base_size + 1.5), line, sh.base_size - (0.5 if k == 0 else 2), "bold" if k == 0 else "regular")
        sh.text(sh.right, 46, doc.word, 18 if len(doc.word) < 10 else 13, "bold", align="right", color=self.colour)
        sh.text(sh.right, 62, f"N° {doc.number}", sh.base_size + 1, "bold", align="right")
        if page > 1:
            sh.text(sh.right, 76, f"{doc.name} – suite", sh.base_size - 2, align="right", color=GREY)
        return 104

    # -- the spreadsheet export
    def sheet_top(self, sh: Sheet, page: int) -> float:
        doc = self.doc
        sh.rect(sh.left, 24, sh.right - sh.left, 22, fill_gray=0.92)
        sh.text(sh.left + 5, 39, f"{doc.word} N° {doc.number}", sh.base_size + 2, "bold")
        sh.text(sh.right - 5, 39, f"{doc.retail['sign']} – export du {doc.d(doc.doc_date)}", sh.base_size - 1.5, align="right")
        return 56

    # -- the energy supplier's partner
    def band_top(self, sh: Sheet, page: int) -> float:
        doc, f = self.doc, self.doc.f
        sh.rect(0, 18, PAGE_W, 40, stroke=False, fill_rgb=self.colour)
        sh.text(sh.left, 36, f.extra.get("oblige_service", ""), sh.base_size + 3, "bold", color=(1, 1, 1))
        sh.text(sh.left, 50, f"un programme {f.oblige} – installateur partenaire agréé", sh.base_size - 2, color=(0.9, 0.92, 0.95))
        sh.text(sh.right, 36, doc.word, 15, "bold", align="right", color=(1, 1, 1))
        sh.text(sh.right, 50, f"N° {doc.number}", sh.base_size - 0.5, "bold", align="right", color=(1, 1, 1))
        return 76


def _issuer_block(doc: Doc, x: float) -> callable:
    c = doc.f.installer

    def draw(sh: Sheet, y: float) -> float:
        lines = [(c.name, "bold"), (c.street, "regular"), (f"{c.postal_code} {c.city}", "regular"), (f"Tél. {c.phone} – {c.email}", "regular"),
                 (f"SIRET {fmt_siret(c.siret, 'spaced')} – TVA {c.tva}", "regular")]
        for k, (line, style) in enumerate(lines):
            sh.text(x, y + 10 + k * (sh.base_size + 2), line, sh.base_size - (0 if k == 0 else 1.5), style)
        return y + 12 + len(lines) * (sh.base_size + 2)
    return draw


def _side_by_side(left, right) -> callable:
    def draw(sh: Sheet, y: float) -> float:
        return max(left(sh, y), right(sh, y)) + 8
    return draw


def _document(f, rng: Random, *, facture: bool, house: str) -> Drawn:
    sh = LandscapeSheet(rng) if house == "tableur" else Sheet(rng)
    doc = Doc(f, rng, facture, house)
    colour = rng.choice([(0.0, 0.45, 0.25), (0.85, 0.35, 0.0), (0.05, 0.25, 0.55), (0.6, 0.05, 0.15), (0.15, 0.15, 0.15)])
    truth: dict = {"date_facture" if facture else "date_devis": doc.doc_date.isoformat(),
                   "numero_facture" if facture else "numero_devis": doc.number}
    cells = numbers(doc, truth)
    pages = Pages(doc, truth, colour)
    rows, products, ambiguous = item_rows(doc)
    truth.update(products)
    width = sh.right - sh.left
    if house == "magasin":
        box_w = width * 0.46
        blocks = [_side_by_side(grid(doc, sh.left, width - box_w - 14, cells), customer_boxes(doc, sh.right - box_w, box_w, truth))]
    elif house == "tableur":
        box_w = width * 0.3
        blocks = [_side_by_side(grid(doc, sh.left, width - box_w - 14, cells, columns=4), customer_boxes(doc, sh.right - box_w, box_w, truth))]
    else:
        box_w = width * 0.5
        left = _issuer_block(doc, sh.left)
        blocks = [_side_by_side(left, customer_boxes(doc, sh.right - box_w, box_w, truth)), grid(doc, sh.left, width, cells, columns=4)]
    subject = f"Objet : {' + '.join(p.title for p in f.products)}"

    def subject_block(s: Sheet, y: float) -> float:
        return s.paragraph(s.left, y + s.base_size, subject, s.right - s.left, s.base_size, "bold") + 2
    blocks.append(subject_block)
    after = [totals(doc, truth)] + mentions(doc, truth) + [acceptance(doc, truth)]
    head = table_head(doc)
    row_blocks = [row_block(doc, row) for row in rows]
    count = lay_out(scratch(sh), pages, blocks, head, row_blocks, after, 1)
    count = lay_out(sh, pages, blocks, head, row_blocks, after, count)
    closing_truth(f, truth)
    return Drawn(sh.finish(), count, truth, ambiguous)


def devis_magasin(f, rng: Random) -> Drawn:
    """A DIY store's installation quote: sign and store at the top, numbers grid, client boxes on the right."""
    return _document(f, rng, facture=False, house="magasin")


def devis_tableur(f, rng: Random) -> Drawn:
    """The quote exported from a spreadsheet, A4 landscape, with an EAN column."""
    return _document(f, rng, facture=False, house="tableur")


def devis_partenaire(f, rng: Random) -> Drawn:
    """An energy supplier's works partner's quote under the programme's band."""
    return _document(f, rng, facture=False, house="partenaire")


def facture_magasin(f, rng: Random) -> Drawn:
    return _document(f, rng, facture=True, house="magasin")


def facture_tableur(f, rng: Random) -> Drawn:
    return _document(f, rng, facture=True, house="tableur")


def facture_partenaire(f, rng: Random) -> Drawn:
    return _document(f, rng, facture=True, house="partenaire")
