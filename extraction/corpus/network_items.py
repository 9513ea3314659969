"""The ``network`` family's item table (see ``network_facts``): the lines of a quote or an invoice
grouped in lots (« Lot 1 – Isolation des combles », « LOT N° 2 : DÉPOSE – ÉVACUATION »), each lot
closed by its subtotal, the CEE products written over several lines of their designation (brand
and model in the first, the performance in the next), accessories with their own brands, priced
lines that are no CEE operation (dépose, évacuation des déchets, échafaudage, main d'œuvre), article
codes in a reference column; rows are blocks the pager places, so the table runs over pages.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from random import Random

from .documents import _dec, _merge_product_truth
from .facts import DossierFacts
from .heldout_facts import brands_truth
from .letters import INSULANTS
from .network_facts import SiteLine
from .office_facts import money, quantity_text, rate_text
from .office_grid import keep, wrap_words
from .sheet import PAGE_H, Sheet
from .wording import fmt_number

LOT_TITLES = {"BAR-EN-101": "Isolation des combles perdus", "BAR-EN-102": "Isolation des murs", "BAR-EN-103": "Isolation du plancher bas",
              "BAR-TH-171": "Chauffage – pompe à chaleur", "BAR-TH-172": "Chauffage – géothermie",
              "BAR-TH-148": "Production d'eau chaude sanitaire", "BAR-TH-112": "Chauffage au bois",
              "BAR-TH-113": "Chaufferie biomasse", "BAR-TH-143": "Solaire thermique"}
HEAT_NAMES = {"BAR-TH-171": "Pompe à chaleur air/eau", "BAR-TH-172": "Pompe à chaleur géothermique sol/eau",
              "BAR-TH-148": "Chauffe-eau thermodynamique", "BAR-TH-112": "Poêle à granulés", "BAR-TH-113": "Chaudière à granulés",
              "BAR-TH-143": "Système solaire combiné"}
WHERE = {"BAR-EN-101": "des combles perdus", "BAR-EN-102": "des murs par l'intérieur", "BAR-EN-103": "du plancher bas sur vide sanitaire"}
SITE_DETAILS = ["Y compris protection des ouvrages existants et des accès", "Selon DTU en vigueur et préconisations du fabricant",
                "Y compris chargement, transport et frais de mise en décharge", "Bordereau de suivi des déchets remis au client",
                "Nettoyage du chantier en fin d'intervention", "Prestation non éligible aux CEE"]
SPECS = {
    "insulation": "Isolant conforme à la norme NF EN 13162, certifié ACERMI, classement de réaction au feu Euroclasse A1, "
                  "mis en œuvre en une couche continue sans tassement, y compris repérage et protection des points singuliers, "
                  "pose de piges de contrôle d'épaisseur tous les 10 m² et fiche d'identification du chantier affichée en "
                  "partie commune des combles.",
    "heat": "Comprenant : l'unité extérieure sur supports, le module hydraulique intérieur avec circulateur à haute efficacité, "
            "la régulation avec sonde extérieure et thermostat d'ambiance, le vase d'expansion, les organes de sécurité, le "
            "remplissage et la purge du circuit, les essais et la mise en service, la remise de la notice et du certificat de "
            "conformité au client.",
}
# Column sets: (key, title, weight, align).
COLUMNS = [
    [("code", "Réf.", 1.1, "left"), ("designation", "Désignation", 5.4, "left"), ("qty", "Qté", 0.8, "right"),
     ("unit", "U.", 0.6, "center"), ("pu", "P.U. HT", 1.2, "right"), ("total", "Montant HT", 1.3, "right")],
    [("n", "N°", 0.6, "left"), ("designation", "Désignation des ouvrages", 5.6, "left"), ("qty", "Quantité", 0.9, "right"),
     ("unit", "Unité", 0.7, "center"), ("pu", "Prix unit. HT", 1.2, "right"), ("tva", "TVA %", 0.7, "center"),
     ("total", "Total HT", 1.3, "right")],
    [("designation", "Description", 6.2, "left"), ("qty", "Qté", 0.8, "right"), ("pu", "PU HT", 1.2, "right"),
     ("discount", "Remise", 0.8, "center"), ("total", "Total HT €", 1.3, "right")],
]


@dataclass
class Row:
    kind: str  # "lot", "item" or "subtotal"
    cells: dict
    amount: Decimal = Decimal(0)


class ItemTable:
    """The rows of a document's table, how it looks, and the truth of the products it prints."""

    def __init__(self, f: DossierFacts, rng: Random, amount_style: str):
        self.rng, self.amount_style = rng, amount_style
        self.columns = rng.choice(COLUMNS)
        self.look = rng.choice(["band", "ruled", "plain"])
        self.fill = rng.choice([(0.16, 0.33, 0.55), (0.1, 0.45, 0.35), (0.55, 0.2, 0.2), (0.3, 0.3, 0.3)])
        self.currency = rng.random() < 0.3
        self.lots = rng.random() < 0.85
        self.specs = rng.random() < 0.7  # the product's full specification under its designation
        self.pad = rng.choice([2.0, 5.0, 8.0])  # space under each row: some software airs its tables out
        self.rows, truths = self._rows(f)
        merged, self.ambiguous = _merge_product_truth(truths)
        merged.update(brands_truth(f))
        self.truth = merged

    def m(self, value: Decimal) -> str:
        return money(value, self.amount_style, currency=self.currency)

    # -- rows
    def _groups(self, f: DossierFacts) -> list[tuple[str, list]]:
        rng = self.rng
        groups: dict[str, list] = {}
        for p in f.products:
            groups.setdefault(LOT_TITLES[p.operation], []).append(p)
        first = next(iter(groups))
        groups[first] += list(f.extra.get("accessories", []))
        site = [s for s in f.extra.get("site_lines", []) if s.lot == "site"]
        labour = [s for s in f.extra.get("site_lines", []) if s.lot == "labour"]
        if f.extra.get("labour_only"):
            labour.append(SiteLine(rng.choice(["Main d'œuvre : pose, raccordements, mise en service", "Forfait pose et mise en service",
                                               "Installation, réglages et essais"]), Decimal(1), "forfait", f.extra["labour_only"], "labour"))
        ordered = list(groups.items())
        if site:
            title = rng.choice(["Travaux préparatoires", "Dépose – évacuation", "Installation de chantier et dépose"])
            ordered.insert(0 if rng.random() < 0.4 else len(ordered), (title, site))
        if labour:
            ordered.append((rng.choice(["Main d'œuvre et mise en service", "Prestations de pose", "Main d'œuvre"]), labour))
        return ordered

    def _rows(self, f: DossierFacts) -> tuple[list[Row], list[dict]]:
        rng = self.rng
        heading = rng.choice(["Lot {n} – {t}", "LOT N° {n} : {T}", "{n}. {T}", "Lot {n} : {t}"])
        subtotal = rng.choice(["Sous-total lot {n}", "Total lot {n} HT", "Sous-total {t}", "Sous-total HT lot {n} – {t}"])
        rows, truths, number = [], [], 0
        for n, (title, items) in enumerate(self._groups(f), 1):
            if self.lots:
                rows.append(Row("lot", {"text": heading.format(n=n, t=title, T=title.upper())}))
            lot_total = Decimal(0)
            for k, item in enumerate(items, 1):
                number += 1
                lines, truth = self._designation(item)
                if truth is not None:
                    truths.append(truth)
                unit = item.unit if item.unit != "u" else rng.choice(["u", "U", "pce", "ens"])
                rows.append(Row("item", {"designation": lines, "qty": quantity_text(item.quantity, item.unit if item.unit != "h" else "u"),
                                         "unit": {"forfait": rng.choice(["Ft", "forf.", "ens"])}.get(unit, unit),
                                         "pu": self.m(item.unit_price), "total": self.m(item.total_ht), "tva": rate_text(f.tva_rate),
                                         "discount": "–", "n": f"{n}.{k}" if self.lots else str(number),
                                         "code": self._code(item, number)}, item.total_ht))
                lot_total += item.total_ht
            if self.lots and rng.random() < 0.85:
                rows.append(Row("subtotal", {"text": subtotal.format(n=n, t=title), "total": self.m(lot_total)}))
        return rows, truths

    def _code(self, item, number: int) -> str:
        stem = "".join(ch for ch in getattr(item, "brand", item.designation if hasattr(item, "designation") else "ART").upper()
                       if ch.isalpha())[:3] or "ART"
        return f"{stem}{number:03d}"

    def _designation(self, item) -> tuple[list[tuple[str, str]], dict | None]:
        """The lines of an item's designation (style, text) and the truth of a CEE product (None
        for the other lines)."""
        rng = self.rng
        if isinstance(item, SiteLine):
            lines = [("regular", item.designation)]
            if rng.random() < 0.7:
                lines.append(("italic", rng.choice(SITE_DETAILS)))
            return lines, None
        brand = keep(item.brand.upper() if rng.random() < 0.5 else item.brand)
        reference = keep(item.reference)
        if hasattr(item, "designation"):  # an accessory
            return [("regular", rng.choice([f"{item.designation} {brand} {reference}",
                                             f"{item.designation} – marque {brand}, réf. {reference}"]))], {}
        truth: dict = {}
        if item.resistance is not None:
            material = INSULANTS.get(item.brand, "Isolant")
            r = fmt_number(item.resistance)
            lines = [("bold", rng.choice([f"Isolation {WHERE[item.operation]} – {material} {brand} {reference}",
                                          f"Fourniture et pose de {material.lower()} {brand} {reference}"])),
                     ("regular", rng.choice([f"Épaisseur {item.thickness_mm} mm – R = {r} m².K/W",
                                             f"Résistance thermique certifiée : {r} m².K/W (ép. {item.thickness_mm} mm)"]))]
            if rng.random() < 0.5:
                lines.append(("regular", f"Certificat ACERMI n° {rng.randint(1, 20):02d}/{rng.randint(1, 200):03d}/"
                                         f"{rng.randint(100, 1999)}"))
            truth.update(resistance_thermique=_dec(item.resistance), surface_m2=_dec(item.quantity))
        else:
            name = HEAT_NAMES[item.operation]
            lines = [("bold", rng.choice([f"{name} {brand} {reference}", f"Fourniture et pose : {name.lower()} {brand} {reference}"]))]
            if item.operation in ("BAR-TH-171", "BAR-TH-172"):
                lines += [("regular", f"Puissance calorifique nominale : {rng.choice([6, 8, 11, 14, 16])} kW"),
                          ("regular", rng.choice([f"COP {fmt_number(item.cop)} à +7/+35 °C – ETAS {item.etas} %",
                                                  f"Efficacité énergétique saisonnière : {item.etas} % – COP : {fmt_number(item.cop)}"])),
                          ("regular", rng.choice([f"Surface chauffée : {fmt_number(item.surface, 0)} m²",
                                                  f"Pour un logement de {fmt_number(item.surface, 0)} m² habitables chauffés"]))]
                truth.update(etas=_dec(item.etas), cop=_dec(item.cop), surface_m2=_dec(item.surface))
            elif item.cop is not None:
                lines.append(("regular", f"COP de {fmt_number(item.cop)} mesuré selon EN 16147 – capacité {rng.choice([200, 250, 270])} L"))
                truth["cop"] = _dec(item.cop)
            else:
                lines.append(("regular", rng.choice([f"Efficacité énergétique saisonnière (ETAS) : {item.etas} %",
                                                     f"ETAS = {item.etas} %"])))
                truth["etas"] = _dec(item.etas)
            lines.append(("italic", rng.choice(["Garantie constructeur 5 ans pièces", "Mise en service par station agréée",
                                                "Classe énergétique A++"])))
        if self.specs:
            lines.append(("regular", SPECS["insulation" if item.resistance is not None else "heat"]))
        if rng.random() < 0.5:
            lines.append(("regular", rng.choice(["Pose conforme au DTU et aux préconisations du fabricant, marquage CE",
                                                 "Y compris fixations, raccordements et accessoires de mise en œuvre",
                                                 "Fiche technique et notice remises au client à la réception"])))
        if rng.random() < 0.6:
            lines.append(("italic", f"Opération {item.operation} éligible aux CEE"))
        return lines, truth

    # -- drawing
    def _widths(self, sh: Sheet) -> list[float]:
        scale = (sh.right - sh.left) / sum(w for _, _, w, _ in self.columns)
        return [w * scale for _, _, w, _ in self.columns]

    def head(self, sh: Sheet, y: float) -> float:
        size = sh.base_size - 1
        height = size + 9
        if self.look == "band":
            sh.rect(sh.left, y, sh.right - sh.left, height, stroke=False, fill_rgb=self.fill)
        else:
            sh.rect(sh.left, y, sh.right - sh.left, height, fill_gray=0.88)
        x = sh.left
        for (_, title, _, align), w in zip(self.columns, self._widths(sh)):
            colour = (1, 1, 1) if self.look == "band" else (0, 0, 0)
            tx = x + 3 if align == "left" else x + w - 3 if align == "right" else x + w / 2
            sh.text(tx, y + size + 3, title, size, "bold", align=align, color=colour)
            x += w
        return y + height + 2

    def row_block(self, row: Row):
        def draw(sh: Sheet, y: float) -> float:
            size = sh.base_size - (1 if self.pad < 5 else 0)
            leading = size * 1.28
            widths = self._widths(sh)
            if row.kind == "lot":
                sh.rect(sh.left, y, sh.right - sh.left, leading + 4, stroke=False, fill_gray=0.93)
                sh.text(sh.left + 3, y + size + 2, row.cells["text"], size, "bold")
                return y + leading + 6
            if row.kind == "subtotal":
                sh.text(sh.right - widths[-1] - 6, y + size + 1, row.cells["text"], size, "bold", align="right")
                sh.text(sh.right - 3, y + size + 1, row.cells["total"], size, "bold", align="right")
                sh.hline(y + 2, sh.right - widths[-1], sh.right, width=0.4, gray=0.4)
                return y + leading + 6
            lines: list[tuple[str, str]] = []
            k = [key for key, *_ in self.columns].index("designation")
            for style, text in row.cells["designation"]:
                lines += [(style, part) for part in wrap_words(sh, text, widths[k] - 6, size, style)]
            x = sh.left
            for (key, _, _, align), w in zip(self.columns, widths):
                if key == "designation":
                    for n, (style, part) in enumerate(lines):
                        sh.text(x + 3, y + size + 1 + n * leading, part, size, style)
                else:
                    tx = x + 3 if align == "left" else x + w - 3 if align == "right" else x + w / 2
                    sh.text(tx, y + size + 1, str(row.cells.get(key, "")), size, align=align)
                if self.look == "ruled":
                    _rule(sh, x, y, y + len(lines) * leading + 3 + self.pad)
                x += w
            if self.look == "ruled":
                _rule(sh, x, y, y + len(lines) * leading + 3 + self.pad)
            bottom = y + len(lines) * leading + 3 + self.pad
            if self.look != "plain":
                sh.hline(bottom, width=0.3, gray=0.6)
            return bottom + 2
        return draw

    def carried(self, sh: Sheet, y: float, way: str, amount: Decimal) -> float:
        """« À reporter » under the last row of a page, « Report » over the first of the next."""
        size = sh.base_size - 0.5
        text = self.carry_words[0 if way == "out" else 1]
        sh.rect(sh.right - 210, y + 2, 210, size + 8, fill_gray=0.95)
        sh.text(sh.right - 205, y + size + 5, text, size, "bold")
        sh.text(sh.right - 4, y + size + 5, self.m(amount), size, "bold", align="right")
        return y + size + 14

    @property
    def carry_words(self) -> tuple[str, str]:
        return {"band": ("À reporter", "Report"), "ruled": ("Total à reporter HT", "Report HT"),
                "plain": ("À reporter", "Reporté")}[self.look]

    def blocks(self) -> list[tuple]:
        return [(self.row_block(row), row.amount) for row in self.rows]


def _rule(sh: Sheet, x: float, top: float, bottom: float) -> None:
    """A column's vertical rule."""
    sh.canvas.setLineWidth(0.3)
    sh.canvas.line(x, PAGE_H - top, x, PAGE_H - bottom)
