"""The ``software`` family's item tables (see ``software``): rows in lots with numbered lines,
products inside long designations with grey sub-lines, columns in several orders, and a table
that goes on over a page break with « À reporter » / « Report » lines."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from random import Random

from .documents import _dec, _merge_product_truth
from .facts import OPERATION_TITLES, DossierFacts
from .heldout_facts import brands_truth
from .letters import INSULANTS
from .sheet import PAGE_H, Sheet
from .software_facts import WHITE, Look, money, rate_text
from .wording import fmt_number

GREY = (0.42, 0.42, 0.42)
BOTTOM = PAGE_H - 100  # the legal footer below


@dataclass
class Row:
    """A line of the item table: a lot's heading, an item, or a lot's subtotal."""

    kind: str
    num: str = ""
    lines: list[tuple[str, str]] = field(default_factory=list)  # (text, tone: bold | regular | grey | product)
    cells: dict[str, str] = field(default_factory=dict)
    ht: Decimal = Decimal("0")
    break_before: bool = False


COLUMN_SETS = [
    [("num", "N°", 0.6, "left"), ("designation", "Désignation", 5.2, "left"), ("qty", "Qté", 0.9, "right"),
     ("unit", "U", 0.6, "center"), ("pu", "PU HT", 1.3, "right"), ("remise", "Remise", 0.9, "right"),
     ("total", "Total HT", 1.4, "right"), ("tva", "TVA", 0.8, "right")],
    [("num", "Réf.", 0.7, "left"), ("designation", "Désignation", 5.6, "left"), ("qty", "Quantité", 1.1, "right"),
     ("unit", "Unité", 0.8, "center"), ("pu", "Prix unit. HT", 1.4, "right"), ("total", "Montant HT", 1.5, "right")],
    [("designation", "Description", 5.8, "left"), ("tva", "TVA", 0.8, "right"), ("qty", "Qté", 0.9, "right"),
     ("unit", "U.", 0.6, "center"), ("pu", "P.U. HT", 1.3, "right"), ("total", "Total HT", 1.4, "right")],
    [("num", "#", 0.6, "left"), ("designation", "Désignation des ouvrages", 5.6, "left"), ("unit", "Unité", 0.8, "center"),
     ("qty", "Qté", 0.9, "right"), ("pu", "PU HT €", 1.3, "right"), ("tva", "% TVA", 0.8, "right"),
     ("total", "Montant HT €", 1.5, "right")],
]
WHERE = {"BAR-EN-101": "des combles perdus", "BAR-EN-102": "des murs par l'intérieur", "BAR-EN-103": "du plancher bas"}


# ---------------------------------------------------------------------------- items

def _designation(p, rng: Random) -> tuple[list[tuple[str, str]], dict]:
    """A product as a software's article: a bold title, the product with its performance, grey
    sub-lines (certification, the fiche)."""
    truth: dict = {}
    brand = p.brand.upper() if rng.random() < 0.5 else p.brand
    if hasattr(p, "designation"):  # an accessory
        return [(p.designation, "regular"), (f"{brand}\n{p.reference}", "product")], truth
    mention = rng.choice([f"Opération {p.operation} – {OPERATION_TITLES[p.operation]}", f"Travaux éligibles CEE – fiche {p.operation}",
                          f"Conforme à la fiche d'opération standardisée {p.operation}"])
    facts_of = Random(p.reference)  # numbers that belong to the product, the same on every document
    if p.resistance is not None:
        material = INSULANTS.get(p.brand, "Isolant").lower()
        lines = [(rng.choice([f"Fourniture et pose d'isolant en {material}", f"Isolation {WHERE[p.operation]}",
                              f"Isolation thermique {WHERE[p.operation]} – {material}"]), "bold")]
        r = fmt_number(p.resistance)
        style = rng.randrange(3)
        if style == 0:
            lines += [(f"{brand}\n{p.reference}", "product"), (f"ép. {p.thickness_mm} mm – R = {r} m².K/W", "regular")]
        elif style == 1:
            lines += [(f"Marque : {brand} –\nRéf. {p.reference}", "product"), (f"Épaisseur {p.thickness_mm} mm", "regular"),
                      (f"Résistance thermique R={r} m².K/W", "grey")]
        else:
            lines += [(f"Isolant {brand}\n{p.reference}", "product"),
                      (f"en {p.thickness_mm} mm, résistance thermique {r} m².K/W", "regular")]
        if rng.random() < 0.7:
            lines.append((f"Certificat ACERMI n° {facts_of.randint(2, 21):02d}/{facts_of.randint(1, 200):03d}/"
                          f"{facts_of.randint(100, 1999)}", "grey"))
        truth["resistance_thermique"] = _dec(p.resistance)
    elif p.operation in ("BAR-TH-171", "BAR-TH-172"):
        kind = "air/eau" if p.operation.endswith("171") else "géothermique sol/eau"
        lines = [(f"Pompe à chaleur {kind}", "bold"), (f"{brand}\n{p.reference}", "product")]
        if rng.random() < 0.5:
            lines.append((f"ETAS {p.etas} % – COP {fmt_number(p.cop)} (+7/+35 °C)", "regular"))
        else:
            lines += [(f"Efficacité énergétique saisonnière (ηs) : {p.etas} %", "regular"),
                      (f"Coefficient de performance à +7/+35 °C : {fmt_number(p.cop)}", "regular")]
        if rng.random() < 0.4:
            lines.append((f"Puissance nominale {facts_of.randint(6, 16)} kW – SCOP {fmt_number(p.cop + Decimal('0.4'))}", "grey"))
        lines.append((rng.choice([f"Surface chauffée : {fmt_number(p.surface, 0)} m²",
                                  f"Pour une surface chauffée de {fmt_number(p.surface, 0)} m²"]), "regular"))
        truth.update(etas=_dec(p.etas), cop=_dec(p.cop), surface_m2=_dec(p.surface))
    elif p.cop is not None:
        lines = [("Chauffe-eau thermodynamique", "bold"), (f"{brand}\n{p.reference}", "product"),
                 (f"COP {fmt_number(p.cop)} selon EN 16147 (air extérieur à 7 °C)", "regular")]
        truth["cop"] = _dec(p.cop)
    else:
        lines = [(OPERATION_TITLES[p.operation], "bold"), (f"{brand}\n{p.reference}", "product"),
                 (rng.choice([f"ETAS : {p.etas} %", f"Efficacité énergétique saisonnière {p.etas} %"]), "regular")]
        truth["etas"] = _dec(p.etas)
    lines.append((mention, "grey"))
    return lines, truth


def _quantity(value: Decimal, unit: str) -> str:
    return fmt_number(value, 2 if unit == "m²" else 0)


def item_rows(sh: Sheet, f: DossierFacts, look: Look) -> tuple[list[Row], dict, list[str]]:
    """The table's rows in lots (one per operation, then the annexes), numbered ``1.1``…, and
    the truth of the products they name."""
    rng = sh.rng
    lots = rng.random() < 0.7
    subtotals = lots and rng.random() < 0.5
    remise = rng.choice(["0,00 %", "", "-"])
    groups: list[tuple[str, list]] = [(OPERATION_TITLES[p.operation], [p]) for p in f.products]
    groups[0][1].extend(f.extra.get("accessories", []))
    annexes = []
    if f.extra.get("labour_only"):
        annexes.append(("labour", f.extra["labour_only"], f.tva_rate))
    if f.extra.get("other_rate_line"):
        annexes.append(f.extra["other_rate_line"])
    if annexes:
        groups.append((rng.choice(["Prestations complémentaires", "Main d'œuvre et divers", "Travaux annexes"]), annexes))
    rows, truths, flat = [], [], 0
    for k, (title, items) in enumerate(groups, 1):
        if lots:
            heading = f"{'LOT ' if rng.random() < 0.5 else ''}{k} – {title.upper()}"
            rows.append(Row("section", str(k), [(heading, "bold")]))
        lot_ht = Decimal("0")
        for j, item in enumerate(items, 1):
            flat += 1
            num = f"{k}.{j}" if lots else str(flat)
            if isinstance(item, tuple):  # labour or a line at another rate
                text, ht, rate = item
                if text == "labour":
                    text = rng.choice(["Main d'œuvre – pose et mise en œuvre", "Forfait déplacement et mise en service",
                                       "Dépose de l'existant, pose et nettoyage du chantier"])
                cells = {"qty": "1", "unit": rng.choice(["ens", "forfait", "F"]), "pu": money(ht, look.amount, currency=False),
                         "total": money(ht, look.amount, currency=False), "tva": f"{rate_text(rate)} %", "remise": remise}
                rows.append(Row("item", num, [(text, "regular")], cells, ht))
                lot_ht += ht
                continue
            lines, truth = _designation(item, rng)
            if item.unit == "m²" and getattr(item, "resistance", None) is not None:
                truth["surface_m2"] = _dec(item.quantity)
            truths.append(truth)
            cells = {"qty": _quantity(item.quantity, item.unit), "unit": item.unit if item.unit == "m²" else rng.choice(["U", "u", "pce"]),
                     "pu": money(item.unit_price, look.amount, currency=False),
                     "total": money(item.total_ht, look.amount, currency=False), "tva": f"{rate_text(f.tva_rate)} %",
                     "remise": remise}
            rows.append(Row("item", num, lines, cells, item.total_ht))
            lot_ht += item.total_ht
        if subtotals:
            rows.append(Row("subtotal", str(k), [(f"Sous-total lot {k}", "bold")], {"total": money(lot_ht, look.amount)}))
    items = [r for r in rows if r.kind == "item"]
    if len(items) >= 2 and rng.random() < 0.3:  # the table goes on over the page
        items[len(items) // 2].break_before = True
    merged, ambiguous = _merge_product_truth(truths)
    merged.update(brands_truth(f))
    return rows, merged, ambiguous


class ItemTable:
    """Draws the rows under a header, carrying the running total over page breaks (« Report »)."""

    def __init__(self, sh: Sheet, columns: list, look: Look, carried_label: tuple[str, str]):
        self.sh, self.columns, self.look = sh, columns, look
        self.size = sh.base_size - 1
        self.leading = self.size * 1.3
        scale = (sh.right - sh.left) / sum(c[2] for c in columns)
        self.widths = [c[2] * scale for c in columns]
        self.carried_label = carried_label  # (« À reporter », « Report »)

    def _designation_width(self) -> float:
        return next(w for c, w in zip(self.columns, self.widths) if c[0] == "designation") - 8

    def _lines(self, row: Row) -> list[tuple[str, str]]:
        """The designation's lines wrapped to the column; a product line (« brand\nreference ») on
        one line when it fits, else broken where the article's text breaks it, never inside the reference."""
        out, width = [], self._designation_width()
        for text, tone in row.lines:
            style = {"bold": "bold", "grey": "italic"}.get(tone, "regular")
            joined = text.replace(" –\n", " – ").replace("\n", " ")
            parts = [joined] if self.sh.width(joined, self.size, style) <= width else text.split("\n")
            for part in parts:
                out.extend((line, tone) for line in self.sh.wrap(part, width, self.size, style))
        return out

    def height(self, row: Row) -> float:
        return (len(self._lines(row)) if row.kind == "item" else 1) * self.leading + 6

    def header_height(self) -> float:
        return self.leading + 8

    def pages(self, y: float, rows: list[Row], top: float) -> tuple[int, float]:
        """How many page breaks the rows need from ``y``, and the y where they end."""
        y += self.header_height()
        breaks = 0
        for row in rows:
            if row.break_before or y + self.height(row) > BOTTOM - 20:
                breaks += 1
                y = top + self.header_height() + self.leading + 6
            y += self.height(row)
        return breaks, y

    def draw(self, y: float, rows: list[Row], new_page) -> float:
        """Draw the table; ``new_page()`` closes the page and returns the y to go on at."""
        y = self._header(y)
        running = Decimal("0")
        for row in rows:
            if row.break_before or y + self.height(row) > BOTTOM - 20:
                self._carry(y, self.carried_label[0], running)
                y = self._header(new_page())
                y = self._carry(y, self.carried_label[1], running)
            y = self._row(y, row)
            running += row.ht
        return y + 6

    def _header(self, y: float) -> float:
        sh = self.sh
        h = self.header_height()
        sh.rect(sh.left, y, sh.right - sh.left, h, stroke=False, fill_rgb=self.look.accent)
        x = sh.left
        for (_, title, _, align), w in zip(self.columns, self.widths):
            self._cell(x, y + self.size + 3, w, title, align, "bold", WHITE)
            x += w
        return y + h

    def _carry(self, y: float, text: str, running: Decimal) -> float:
        sh = self.sh
        sh.text(sh.right - 120, y + self.size + 3, text, self.size, "bold", align="right")
        sh.text(sh.right - 4, y + self.size + 3, money(running, self.look.amount), self.size, "bold", align="right")
        sh.hline(y + self.leading + 5, gray=0.6, width=0.4)
        return y + self.leading + 6

    def _row(self, y: float, row: Row) -> float:
        sh, size = self.sh, self.size
        if row.kind == "section":
            sh.rect(sh.left, y, sh.right - sh.left, self.leading + 4, fill_gray=0.9, stroke=False)
            sh.text(sh.left + 4, y + size + 2, row.lines[0][0], size, "bold")
            return y + self.leading + 6
        if row.kind == "subtotal":
            sh.text(sh.right - 120, y + size + 3, row.lines[0][0], size, "bold", align="right")
            sh.text(sh.right - 4, y + size + 3, row.cells["total"], size, "bold", align="right")
            return y + self.leading + 6
        x = sh.left
        for (key, _, _, align), w in zip(self.columns, self.widths):
            if key == "designation":
                for k, (text, tone) in enumerate(self._lines(row)):
                    style = {"bold": "bold", "grey": "italic"}.get(tone, "regular")
                    sh.text(x + 4, y + size + 3 + k * self.leading, text, size, style, color=GREY if tone == "grey" else (0, 0, 0))
            else:
                self._cell(x, y + size + 3, w, row.num if key == "num" else row.cells.get(key, ""), align, "regular")
            x += w
        height = self.height(row)
        sh.hline(y + height, gray=0.8, width=0.3)
        return y + height

    def _cell(self, x: float, y: float, w: float, text: str, align: str, style: str, color=(0, 0, 0)) -> None:
        sh = self.sh
        if align == "right":
            sh.text(x + w - 4, y, text, self.size, style, align="right", color=color)
        elif align == "center":
            sh.text(x + w / 2, y, text, self.size, style, align="center", color=color)
        else:
            sh.text(x + 4, y, text, self.size, style, color=color)
