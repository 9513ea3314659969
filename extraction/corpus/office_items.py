"""The ``office`` family's item tables and totals (see ``office_facts``), as a company types them
in a spreadsheet or a word processor.

The products either get « Marque » / « Modèle » (or « Réf. ») columns of their own with a short
designation, or are written out in a sentence inside the designation cell (« Fourniture et pose
d'une pompe à chaleur air/eau de marque DAIKIN, modèle …, COP 4,5 »); quantities and units sit
in columns of their own; the totals are a small grid (vertical or in one row) or a sentence
(« Le montant total s'élève à 12 345,67 € TTC »); the CEE mention names the obligé and the prime.
"""
from __future__ import annotations

from dataclasses import dataclass
from random import Random

from .documents import _dec, _merge_product_truth
from .facts import OPERATION_TITLES, DossierFacts
from .heldout_facts import brands_truth
from .letters import INSULANTS
from .office_facts import money, quantity_text, rate_text
from .office_grid import grid, keep
from .sheet import Sheet
from .wording import fmt_number

WHERE = {"BAR-EN-101": "des combles perdus", "BAR-EN-102": "des murs par l'intérieur", "BAR-EN-103": "du plancher bas"}
HEAT_KINDS = {"BAR-TH-171": "une pompe à chaleur air/eau", "BAR-TH-172": "une pompe à chaleur géothermique sol/eau",
              "BAR-TH-148": "un chauffe-eau thermodynamique", "BAR-TH-112": "un poêle à granulés de bois",
              "BAR-TH-113": "une chaudière biomasse à granulés", "BAR-TH-143": "un système solaire combiné"}

# Item grid layouts: the columns (key, title, weight, align) and whether products have columns of their own.
LAYOUTS = [
    ([("designation", "Désignation", 5.0, "left"), ("brand", "Marque", 1.5, "left"), ("model", "Modèle", 2.0, "left"),
      ("qty", "Qté", 0.8, "right"), ("unit", "Unité", 0.8, "center"), ("pu", "PU HT", 1.3, "right"),
      ("total", "Total HT", 1.4, "right")], True),
    ([("model", "Réf.", 1.8, "left"), ("designation", "Désignation des travaux", 5.5, "left"), ("qty", "Quantité", 1.0, "right"),
      ("unit", "U", 0.6, "center"), ("pu", "Prix unitaire HT", 1.4, "right"), ("total", "Montant HT", 1.4, "right")], True),
    ([("designation", "Description", 6.5, "left"), ("qty", "Qté", 0.8, "right"), ("unit", "Unité", 0.8, "center"),
      ("pu", "P.U. HT", 1.3, "right"), ("total", "Montant HT", 1.4, "right")], False),
    ([("n", "N°", 0.5, "center"), ("designation", "Libellé", 6.0, "left"), ("unit", "U.", 0.6, "center"),
      ("qty", "Quantité", 1.0, "right"), ("pu", "Prix unitaire", 1.3, "right"), ("tva", "TVA", 0.7, "center"),
      ("total", "Total HT", 1.4, "right")], False),
]


@dataclass
class ItemGrid:
    """The item rows chosen for a document, and the truth of the products they print."""

    columns: list[tuple[str, str, float, str]]
    rows: list[dict[str, str | list[str]]]
    truth: dict
    ambiguous: list[str]

    def draw(self, sh: Sheet, y: float) -> float:
        columns = [(title, weight, align) for _, title, weight, align in self.columns]
        rows = [[row.get(key, "") for key, _, _, _ in self.columns] for row in self.rows]
        shrink = {k for k, (key, *_) in enumerate(self.columns) if key in ("brand", "model")}
        return grid(sh, y, columns, rows, shrink=shrink) + 10


def _upper(brand: str, rng: Random) -> str:
    return brand.upper() if rng.random() < 0.5 else brand


def _sentence(p, rng: Random) -> tuple[str, dict]:
    """The product written out in one sentence, with its performance."""
    brand, truth = keep(_upper(p.brand, rng)), {}
    reference = keep(p.reference)
    if hasattr(p, "designation"):  # an accessory
        return f"{p.designation} {rng.choice(['de marque', 'marque'])} {brand}, {rng.choice(['référence', 'modèle', 'réf.'])} " \
               f"{reference}", truth
    opening = rng.choice(["Fourniture et pose d'", "Fourniture, pose et mise en service d'", "Mise en place d'"])
    if p.resistance is not None:
        material = INSULANTS.get(p.brand, "isolant").lower()
        r = fmt_number(p.resistance)
        text = (f"Isolation {WHERE[p.operation]} : fourniture et pose d'un isolant en {material} de marque {brand}, "
                f"référence {reference}, épaisseur {p.thickness_mm} mm, résistance thermique R = {r} m².K/W")
        truth["resistance_thermique"] = _dec(p.resistance)
    elif p.operation in ("BAR-TH-171", "BAR-TH-172"):
        text = (f"{opening}{HEAT_KINDS[p.operation]} de marque {brand}, modèle {reference}, COP {fmt_number(p.cop)}, "
                f"ETAS {p.etas} % {rng.choice(['(chauffage à moyenne température)', '', '(régime 35 °C)'])}".rstrip()
                + f", pour une surface chauffée de {fmt_number(p.surface, 0)} m²")
        truth.update(etas=_dec(p.etas), cop=_dec(p.cop), surface_m2=_dec(p.surface))
    elif p.cop is not None:
        text = (f"{opening}{HEAT_KINDS.get(p.operation, 'un équipement')} de marque {brand}, modèle {reference}, "
                f"COP de {fmt_number(p.cop)} selon la norme EN 16147")
        truth["cop"] = _dec(p.cop)
    else:
        text = (f"{opening}{HEAT_KINDS.get(p.operation, 'un équipement')} de marque {brand}, modèle {reference}, "
                f"efficacité énergétique saisonnière (ETAS) de {p.etas} %")
        truth["etas"] = _dec(p.etas)
    if rng.random() < 0.5:
        text += f" (fiche {p.operation})"
    return text + ".", truth


def _short(p, rng: Random) -> tuple[list[str], dict]:
    """A short designation beside « Marque » / « Modèle » columns, the performance on a line of its own."""
    truth: dict = {}
    if hasattr(p, "designation"):
        return [p.designation], truth
    if p.resistance is not None:
        r = fmt_number(p.resistance)
        lines = [rng.choice([f"Isolation {WHERE[p.operation]}", f"Isolant {INSULANTS.get(p.brand, 'isolant').lower()}"]),
                 rng.choice([f"Épaisseur {p.thickness_mm} mm – R = {r} m².K/W", f"R = {r} m².K/W (ép. {p.thickness_mm} mm)"])]
        truth["resistance_thermique"] = _dec(p.resistance)
    elif p.operation in ("BAR-TH-171", "BAR-TH-172"):
        lines = [OPERATION_TITLES[p.operation], f"COP : {fmt_number(p.cop)} – ETAS : {p.etas} %",
                 f"Surface chauffée : {fmt_number(p.surface, 0)} m²"]
        truth.update(etas=_dec(p.etas), cop=_dec(p.cop), surface_m2=_dec(p.surface))
    elif p.cop is not None:
        lines = [OPERATION_TITLES[p.operation], f"COP = {fmt_number(p.cop)}"]
        truth["cop"] = _dec(p.cop)
    else:
        lines = [OPERATION_TITLES[p.operation], f"Efficacité saisonnière ETAS = {p.etas} %"]
        truth["etas"] = _dec(p.etas)
    if rng.random() < 0.4:
        lines.append(f"Opération {p.operation}")
    return lines, truth


def item_grid(f: DossierFacts, rng: Random, amount_style: str) -> ItemGrid:
    """The rows of the items: products, accessories, labour; the products' truth."""
    columns, product_columns = rng.choice(LAYOUTS)
    items = list(f.products) + list(f.extra.get("accessories", []))
    rows, truths = [], []
    for k, item in enumerate(items, 1):
        if product_columns:
            lines, truth = _short(item, rng)
            row: dict = {"designation": lines, "brand": _upper(item.brand, rng), "model": item.reference}
            if not any(key == "brand" for key, *_ in columns):  # the brand goes into the designation
                row["designation"] = [f"{lines[0]} – {keep(_upper(item.brand, rng))}"] + lines[1:]
        else:
            text, truth = _sentence(item, rng)
            row = {"designation": text}
        if item.unit == "m²" and getattr(item, "resistance", None) is not None:
            truth["surface_m2"] = _dec(item.quantity)
        truths.append(truth)
        unit = "m²" if item.unit == "m²" else rng.choice(["u", "U", "unité", "pce"])
        row.update(n=str(k), qty=quantity_text(item.quantity, item.unit), unit=unit,
                   pu=money(item.unit_price, amount_style), total=money(item.total_ht, amount_style), tva=f"{rate_text(f.tva_rate)} %")
        rows.append(row)
    if f.extra.get("labour_only"):
        ht = f.extra["labour_only"]
        text = rng.choice(["Main d'œuvre", "Main d'œuvre : dépose, pose, raccordements", "Forfait pose et mise en service",
                           "Déplacement, installation et nettoyage du chantier"])
        rows.append({"n": str(len(rows) + 1), "designation": text, "qty": "1", "unit": rng.choice(["forfait", "ft", "ens."]),
                     "pu": money(ht, amount_style), "total": money(ht, amount_style), "tva": f"{rate_text(f.tva_rate)} %"})
    merged, ambiguous = _merge_product_truth(truths)
    merged.update(brands_truth(f))
    return ItemGrid(columns, rows, merged, ambiguous)


# ---------------------------------------------------------------------------- totals

def totals_block(f: DossierFacts, rng: Random, amount_style: str, *, with_prime: bool) -> tuple[callable, dict]:
    """The totals as a vertical grid on the right, a one-row grid, or a sentence; the prime
    (and what is left to pay) when ``with_prime``. Returns the block and its truth."""
    m = lambda value: money(value, amount_style)  # noqa: E731
    truth = {"montant_ht": _dec(f.total_ht), "montant_tva": _dec(f.total_tva), "montant_ttc": _dec(f.total_ttc)}
    if with_prime:
        truth["prime_cee"] = _dec(f.prime)
    rate = rate_text(f.tva_rate)
    rows = [(rng.choice(["Total HT", "TOTAL HT", "Montant HT", "Total H.T."]), m(f.total_ht)),
            (rng.choice([f"TVA {rate} %", f"TVA ({rate} %)", f"T.V.A. {rate}%"]), m(f.total_tva)),
            (rng.choice(["Total TTC", "TOTAL TTC", "Montant TTC", "Total T.T.C."]), m(f.total_ttc))]
    if with_prime:
        rows += [(rng.choice(["Prime CEE", f"Prime CEE {f.oblige}", "Prime énergie (CEE)", "Déduction prime CEE"]),
                  money(-f.prime, amount_style) if rng.random() < 0.6 else m(f.prime)),
                 (rng.choice(["Net à payer", "NET À PAYER", "Reste à charge", "Reste à payer"]), m(f.net_a_payer))]
    style = rng.choice(["vertical", "vertical", "row", "sentence"])

    def vertical(sh: Sheet, y: float) -> float:
        width = min(250, (sh.right - sh.left) * 0.45)
        strong = {2} | ({len(rows) - 1} if with_prime else set())
        return grid(sh, y, [("", 1.4, "left"), ("", 1.0, "right")], [list(r) for r in rows], x=sh.right - width,
                    width=width, header=False, strong=strong) + 10

    def one_row(sh: Sheet, y: float) -> float:
        columns = [(name, 1.0, "right") for name, _ in rows]
        return grid(sh, y, columns, [[value for _, value in rows]]) + 10

    def sentence(sh: Sheet, y: float) -> float:
        return sh.paragraph(sh.left, y + sh.base_size, text, sh.right - sh.left) + 8

    text = rng.choice([
        f"Le montant total des travaux s'élève à {m(f.total_ttc)} TTC, soit {m(f.total_ht)} HT et {m(f.total_tva)} de TVA "
        f"au taux de {rate} %.",
        f"Montant HT : {m(f.total_ht)} – TVA {rate} % : {m(f.total_tva)} – Montant TTC : {m(f.total_ttc)}.",
    ])
    if with_prime:
        text += rng.choice([f" Déduction faite de la prime CEE de {m(f.prime)}, le reste à votre charge est de "
                                f"{m(f.net_a_payer)}.",
                                f" Après déduction de la prime énergie ({m(f.prime)}), le net à payer est de {m(f.net_a_payer)}."])
    return {"vertical": vertical, "row": one_row, "sentence": sentence}[style], truth


def cee_mention(f: DossierFacts, rng: Random, amount_style: str, *, with_amount: bool) -> str:
    """The mention a CEE quote must carry: the works give rise to certificates, the obligé, the prime."""
    codes = ", ".join(f.operations)
    amount = money(f.prime, amount_style)
    who = f.oblige
    if with_amount:
        return rng.choice([
            f"Les travaux objet du présent document donnent lieu à la délivrance de certificats d'économies d'énergie "
            f"(opération{'s' if len(f.operations) > 1 else ''} {codes}). Dans le cadre du dispositif des CEE, {who} "
            f"contribue à leur financement sous forme de prime d'un montant de {amount}.",
            f"Ces travaux (fiche{'s' if len(f.operations) > 1 else ''} {codes}) sont éligibles aux certificats d'économies "
            f"d'énergie : {who} vous verse une prime de {amount}, déduite du montant à payer.",
        ])
    return (f"Les travaux objet du présent document donnent lieu à la délivrance de certificats d'économies d'énergie "
            f"({codes}) par {who} ; le montant de la prime est précisé dans le courrier d'engagement qui vous a été remis.")
