"""Templates of the documents of a CEE dossier, several visually different layouts per type.

Each template draws one document from a dossier's facts and returns the PDF bytes and the
ground truth: the canonical values (SPEC 4b) of the fields the document really prints.
Layouts differ the way installers' documents do: letterhead or centred header, client block
under a heading or labelled lines or a two-column form, tables or ``label : value`` lines,
values right of or below their labels, totals in a box, in lines or in a horizontal table,
dates and amounts in several formats.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from random import Random

from .facts import OPERATION_TITLES, DossierFacts, Product, content_random, side_random
from .sheet import PAGE_H, PAGE_W, Sheet, table
from .wording import AMOUNT_STYLES, DATE_STYLES, LABELS, SIRET_STYLES, fmt_amount, fmt_date, fmt_number, fmt_siret, label


@dataclass
class Drawn:
    pdf: bytes
    pages: int
    fields: dict[str, str]
    ambiguous: list[str] = field(default_factory=list)  # fields the truth cannot pin down (two products)
    # the type the truth gives the document when it is not the one it stands in for: « autre » for the
    # online « justificatif de revenus imposables » (a substitute for the avis, classified other, as the
    # real documents' catalogue does: ../shared/testdata/real/documents/expected.json)
    type: str | None = None


@dataclass
class Style:
    date: str
    amount: str
    siret: str

    @classmethod
    def pick(cls, rng: Random) -> "Style":
        return cls(rng.choice(DATE_STYLES), rng.choice(AMOUNT_STYLES), rng.choice(SIRET_STYLES))


def _iso(d) -> str:
    return d.isoformat()


def _dec(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):f}"


def _upper_name(f: DossierFacts, rng: Random, civility: bool = True) -> str:
    p = f.beneficiary
    forms = [
        f"{p.civility} {p.first_name} {p.last_name.upper()}",
        f"{p.civility} {p.last_name.upper()} {p.first_name}",
        f"{p.first_name} {p.last_name}",
        f"{'Monsieur' if p.civility == 'M.' else 'Madame'} {p.first_name} {p.last_name}",
        f"{p.last_name.upper()} {p.first_name}",
    ]
    return rng.choice(forms if civility else forms[2:])


def _city_line(f: DossierFacts, rng: Random) -> str:
    p = f.beneficiary
    return f"{p.postal_code} {p.city.upper() if rng.random() < 0.5 else p.city}"


def _beneficiary_truth(f: DossierFacts) -> dict[str, str]:
    p = f.beneficiary
    return {
        "beneficiaire_nom": f"{p.first_name} {p.last_name}",
        "beneficiaire_adresse": p.street,
        "beneficiaire_code_postal": p.postal_code,
        "beneficiaire_ville": p.city,
    }


def _company_truth(f: DossierFacts, prefix: str = "_installateur") -> dict[str, str]:
    return {f"siret{prefix}": f.installer.siret, f"raison_sociale{prefix}": f.installer.name}


def _ops_truth(f: DossierFacts) -> dict[str, str]:
    return {"operations": json.dumps(f.operations)}


def _visit_printed(f: DossierFacts, side: Random) -> bool:
    """Whether a devis mentions the prior site visit: most insulation devis (a condition of the
    fiche), a few others."""
    insulation = any(op.startswith("BAR-EN") for op in f.operations)
    return f.date_visite_technique is not None and side.random() < (0.85 if insulation else 0.3)


def visit_line(sh: Sheet, f: DossierFacts, st: Style, x: float, y: float, truth: dict, template: str) -> float:
    """``Visite préalable du 04/03/2025`` / ``Date de la visite technique : …`` on its own line, or nothing."""
    side = side_random(f, template)
    if not _visit_printed(f, side):
        return y
    wording = side.choice(LABELS["date_visite"])
    date = fmt_date(f.date_visite_technique, st.date)
    sh.text(x, y, f"{wording} {date}" if wording.endswith((" le", " du")) else f"{wording} : {date}")
    truth["date_visite_technique"] = _iso(f.date_visite_technique)
    return y + sh.base_size + 5


def visit_heading(f: DossierFacts, st: Style, truth: dict, template: str) -> tuple[str, str] | None:
    """A (short header, date) pair for a row of labels with their values below, or None."""
    side = side_random(f, template)
    if not _visit_printed(f, side):
        return None
    truth["date_visite_technique"] = _iso(f.date_visite_technique)
    return side.choice(LABELS["date_visite_header"]), fmt_date(f.date_visite_technique, st.date)


def building_age_statement(sh: Sheet, f: DossierFacts, y: float, truth: dict, template: str) -> float:
    """The attestation's « bâtiment existant depuis plus de 2 ans » (most of them print it): a
    question answered Oui/Non, a statement with its box, or the bare statement (only when true),
    across the page width. Box glyphs (☒ ☐) need a font that has them; else [X] / [ ]."""
    side = side_random(f, template + "-age")
    if side.random() >= 0.75:
        return y
    value = f.batiment_plus_de_2_ans
    glyphs = sh.fonts.regular.startswith("DejaVu") and side.random() < 0.6
    on, off = ("☒", "☐") if glyphs else ("[X]", "[ ]")
    style = side.choice(["question", "question", "box", "box", "sentence"])
    if style == "sentence" and not value:
        style = "box"
    if style == "question":
        yes, no = (on, off) if value else (off, on)
        answer = side.choice([f"{yes} Oui {no} Non", f"{yes} OUI {no} NON", f"Oui {yes} Non {no}",
                              "Oui" if value else "Non"])
        text = f"{side.choice(LABELS['age_question'])} : {answer}"
    elif style == "box":
        text = f"{on if value else off} {side.choice(LABELS['age_statement'])}"
    else:
        text = side.choice(LABELS["age_statement"]) + "."
    truth["batiment_plus_de_2_ans"] = "true" if value else "false"
    return sh.paragraph(sh.left, y, text, sh.right - sh.left) + 6


# ---------------------------------------------------------------------------- shared blocks

def letterhead(sh: Sheet, f: DossierFacts, st: Style, y: float, *, siret: bool, centred: bool = False) -> float:
    c = f.installer
    size = sh.rng.choice([15, 16, 18])
    x = PAGE_W / 2 if centred else sh.left
    align = "center" if centred else "left"
    sh.text(x, y, c.name, size, "bold", align=align, color=(0.1, 0.2, 0.45) if sh.rng.random() < 0.5 else (0, 0, 0))
    y += size + 4
    lines = [c.street, f"{c.postal_code} {c.city}", f"Tél : {c.phone}" if sh.rng.random() < 0.7 else f"Tél. {c.phone}", c.email]
    if siret:
        lines.append(f"{label(sh.rng, 'siret')} : {fmt_siret(c.siret, st.siret)}".replace(": :", ":"))
    sh.extra_truth = {}
    if sh.rng.random() < 0.5:
        lines.append(f"RGE {c.rge_body} n° {c.rge_numero}")
        sh.extra_truth["rge_numero"] = c.rge_numero
    for line in lines:
        sh.text(x, y, line, sh.base_size - 0.5, align=align)
        y += sh.base_size + 3
    return y


def legal_footer(sh: Sheet, f: DossierFacts, st: Style, *, siret: bool = True, page_of: tuple[int, int] | None = None) -> None:
    c = f.installer
    siren = f"{c.siret[:3]} {c.siret[3:6]} {c.siret[6:9]}"
    parts = [f"{c.name} – {c.legal_form} au capital de {c.capital:,} €".replace(",", " "), f"RCS {c.rcs_city} {siren}"]
    if siret:
        parts.append(f"SIRET {fmt_siret(c.siret, st.siret)}")
    parts.append(f"TVA intracommunautaire {c.tva}")
    if sh.rng.random() < 0.5:
        parts.append(f"Code APE {sh.rng.choice(['4329A', '4322B', '4391B', '4399C'])}")
    text = " – ".join(parts)
    y = PAGE_H - 46
    sh.hline(y - 10, gray=0.6)
    size = sh.base_size - 2
    for line in sh.wrap(text, sh.right - sh.left, size):
        sh.text(PAGE_W / 2, y, line, size, align="center")
        y += size + 2
    if page_of:
        sh.text(sh.right, PAGE_H - 22, f"Page {page_of[0]}/{page_of[1]}", size, align="right")


def client_block_heading(sh: Sheet, f: DossierFacts, x: float, y: float, *, boxed: bool) -> float:
    """A heading (``Client``, ``Adressé à``…) then name, street, ``CP VILLE`` on the lines below."""
    rng = sh.rng
    anchor = label(rng, "client_anchor")
    lines = [_upper_name(f, rng), f.beneficiary.street, _city_line(f, rng)]
    if rng.random() < 0.4:
        lines.append(f"Tél : {f.beneficiary.phone}")
    if boxed:
        sh.rect(x - 8, y - 14, sh.right - x + 8, (len(lines) + 1) * (sh.base_size + 4) + 14)
    sh.text(x, y, anchor, sh.base_size + 0.5, "bold")
    y += sh.base_size + 5
    for line in lines:
        sh.text(x, y, line)
        y += sh.base_size + 4
    return y


def client_block_labelled(sh: Sheet, f: DossierFacts, x: float, y: float, *, heading: bool, label_width: float | None = None) -> float:
    """``Nom : …``, ``Adresse : …``, ``Code postal : …`` lines (or ``CP / Ville``)."""
    rng = sh.rng
    p = f.beneficiary
    if heading:
        sh.text(x, y, rng.choice(["BÉNÉFICIAIRE", "Bénéficiaire des travaux", "CLIENT", "Informations client",
                                  "Identification du bénéficiaire"]), sh.base_size + 0.5, "bold")
        y += sh.base_size + 6
    rows = [(label(rng, "nom"), _upper_name(f, rng)), (label(rng, "adresse"), p.street)]
    if rng.random() < 0.5:
        rows.append((label(rng, "cp_ville"), _city_line(f, rng)))
    else:
        rows.append((label(rng, "code_postal"), p.postal_code))
        rows.append((label(rng, "ville"), p.city.upper() if rng.random() < 0.4 else p.city))
    if rng.random() < 0.5:
        rows.append(("Téléphone", p.phone))
    for name, value in rows:
        if label_width:
            sh.text(x, y, f"{name} :" if rng.random() < 0.8 else name)
            sh.text(x + label_width, y, value)
        else:
            end = sh.text(x, y, f"{name} : ")
            sh.text(end + 2, y, value)
        y += sh.base_size + 4
    return y


def product_lines(sh: Sheet, p: Product, st: Style, with_code: bool = True) -> tuple[list[str], dict[str, str]]:
    """The description of a line item, with the fiche's technical mentions, and their truth."""
    rng = sh.rng
    lines = [p.title + (f" – fiche {p.operation}" if with_code and rng.random() < 0.5 else "")]
    if with_code and not lines[0].endswith(p.operation):
        lines.append(rng.choice([f"Opération CEE {p.operation}", f"Fiche {p.operation}", f"Code opération : {p.operation}",
                                 f"({p.operation})"]))
    truth = {"marque": p.brand, "reference_produit": p.reference}
    marque, ref = label(rng, "marque"), label(rng, "reference")
    combined = f"{marque} : {p.brand} – {ref} : {p.reference}"
    if rng.random() < 0.5 and len(combined) <= 46:
        lines.append(combined)
    else:
        lines.append(f"{marque} : {p.brand}")
        lines.append(f"{ref} : {p.reference}")
    if p.resistance is not None:
        lines.append(f"Épaisseur {p.thickness_mm} mm")
        r_label = label(rng, "resistance")
        sep = " " if r_label.endswith("=") else (" = " if r_label.endswith(" R") else " : ")
        lines.append(f"{r_label}{sep}{fmt_number(p.resistance)} m².K/W")
        truth["resistance_thermique"] = _dec(p.resistance)
    if p.surface is not None:
        key = "surface_iso" if p.resistance is not None else "surface_chauffee"
        lines.append(f"{label(rng, key)} : {fmt_number(p.surface, 2 if p.surface % 1 else 0)} m²")
        truth["surface_m2"] = _dec(p.surface)
    if p.etas is not None:
        lines.append(f"{label(rng, 'etas')} : {p.etas} %")
        truth["etas"] = _dec(p.etas)
    if p.cop is not None:
        lines.append(f"{label(rng, 'cop')} : {fmt_number(p.cop)}")
        truth["cop"] = _dec(p.cop)
    return lines, truth


def _merge_product_truth(truths: list[dict[str, str]]) -> tuple[dict[str, str], list[str]]:
    """One value per technical field; a field two products give differently is ambiguous."""
    merged: dict[str, str] = {}
    ambiguous: list[str] = []
    for truth in truths:
        for key, value in truth.items():
            if key in merged and merged[key] != value:
                ambiguous.append(key)
            merged.setdefault(key, value)
    for key in ambiguous:
        merged.pop(key, None)
    return merged, sorted(set(ambiguous))


def items_rows(sh: Sheet, f: DossierFacts, st: Style, *, unit_column: bool) -> tuple[list[list], dict[str, str], list[str]]:
    rows, truths = [], []
    for p in f.products:
        desc, truth = product_lines(sh, p, st)
        truths.append(truth)
        qty = fmt_number(p.quantity, 2 if p.unit == "m²" else 0)
        row = [desc, qty] + ([p.unit] if unit_column else []) + [fmt_amount(p.unit_price, st.amount, currency=False),
                                                                  fmt_amount(p.total_ht, st.amount, currency=False)]
        rows.append(row)
    labour = f.extra.get("labour_ht")
    if labour:
        row = [["Main d'œuvre, pose et mise en service" if sh.rng.random() < 0.5 else "Forfait pose et déplacement"], "1"]
        row += (["forfait"] if unit_column else []) + [fmt_amount(labour, st.amount, currency=False), fmt_amount(labour, st.amount, currency=False)]
        rows.append(row)
    merged, ambiguous = _merge_product_truth(truths)
    return rows, merged, ambiguous


def _totals_rows(sh: Sheet, f: DossierFacts, *, prime: bool, net: bool) -> tuple[list[tuple[str, Decimal]], dict[str, str]]:
    """The totals a devis or facture prints (label wording drawn per document), and their truth."""
    rng = sh.rng
    rate = fmt_number(f.tva_rate, 1 if f.tva_rate % 1 else 0)
    rows = [(label(rng, "total_ht"), f.total_ht), (label(rng, "tva", rate=rate), f.total_tva), (label(rng, "total_ttc"), f.total_ttc)]
    truth = {"montant_ht": _dec(f.total_ht), "montant_tva": _dec(f.total_tva), "montant_ttc": _dec(f.total_ttc)}
    if prime:
        rows.append((label(rng, "prime", oblige=f.oblige), -f.prime))
        truth["prime_cee"] = _dec(f.prime)
        if net:
            rows.append((label(rng, "net"), f.net_a_payer))
    return rows, truth


def totals_box(sh: Sheet, f: DossierFacts, st: Style, y: float, *, prime: bool, net: bool, x_label: float | None = None) -> tuple[float, dict[str, str]]:
    """Totals right-aligned in a box: label on the left, amount at the right margin."""
    rows, truth = _totals_rows(sh, f, prime=prime, net=net)
    x_label = x_label or sh.right - 230
    for name, value in rows:
        style = "bold" if "TTC" in name.upper() or name.startswith(("Net", "Reste")) else "regular"
        sh.text(x_label, y, name, style=style)
        sh.text(sh.right - 4, y, fmt_amount(value, st.amount), style=style, align="right")
        y += sh.base_size + 6
    return y, truth


def totals_lines(sh: Sheet, f: DossierFacts, st: Style, x: float, y: float, *, prime: bool, net: bool) -> tuple[float, dict[str, str]]:
    """Totals as ``label : amount`` lines."""
    rows, truth = _totals_rows(sh, f, prime=prime, net=net)
    for name, value in rows:
        end = sh.text(x, y, f"{name} : ")
        sh.text(end + 3, y, fmt_amount(value, st.amount))
        y += sh.base_size + 5
    return y, truth


def totals_horizontal(sh: Sheet, f: DossierFacts, st: Style, y: float, *, prime: bool, net: bool) -> tuple[float, dict[str, str]]:
    rng = sh.rng
    rate = fmt_number(f.tva_rate, 1 if f.tva_rate % 1 else 0)
    columns = [(label(rng, "total_ht"), 1, "right"), (label(rng, "tva", rate=rate), 1, "right"), (label(rng, "total_ttc"), 1, "right")]
    values = [fmt_amount(f.total_ht, st.amount), fmt_amount(f.total_tva, st.amount), fmt_amount(f.total_ttc, st.amount)]
    truth = {"montant_ht": _dec(f.total_ht), "montant_tva": _dec(f.total_tva), "montant_ttc": _dec(f.total_ttc)}
    if prime:
        columns.append((label(rng, "prime", oblige="").replace(" versée par", "").strip(), 1, "right"))
        values.append(fmt_amount(-f.prime, st.amount))
        truth["prime_cee"] = _dec(f.prime)
        if net:
            columns.append((label(rng, "net"), 1, "right"))
            values.append(fmt_amount(f.net_a_payer, st.amount))
    y = table(sh, y, columns, [values], grid=True)
    return y, truth


def signature_area(sh: Sheet, x: float, y: float, title: str, *, signed: bool, name: str, date_text: str | None,
                   mention: bool = True, width: float = 200) -> float:
    rng = sh.rng
    sh.text(x, y, title, style="bold")
    y0 = y + sh.base_size + 4
    if rng.random() < 0.4:
        sh.text(x, y0, "(précédée de la mention « Lu et approuvé »)", sh.base_size - 2, "italic")
        y0 += sh.base_size + 2
    if signed:
        yy = y0 + 2
        if mention:
            sh.text(x + 4, yy + 8, "Lu et approuvé", sh.base_size, "italic", color=(0.05, 0.1, 0.45))
            yy += sh.base_size + 4
        if date_text:
            sh.text(x + 4, yy + 8, f"Le {date_text}", sh.base_size, "italic", color=(0.05, 0.1, 0.45))
            yy += sh.base_size + 4
        sh.text(x + 4, yy + 8, name, sh.base_size, "italic", color=(0.05, 0.1, 0.45))
        sh.scribble(x + 10, yy + 12, min(width - 30, 120), 26)
    return y0 + 80


# ---------------------------------------------------------------------------- devis and facture

def _title(sh: Sheet, text: str, y: float, *, centred: bool, size: float | None = None) -> float:
    size = size or sh.rng.choice([16, 18, 20])
    sh.text(PAGE_W / 2 if centred else sh.left, y, text, size, "bold", align="center" if centred else "left")
    return y + size + 8


def _conditions_page(sh: Sheet, f: DossierFacts, st: Style, kind: str, page_of: tuple[int, int]) -> None:
    sh.new_page()
    y = 60
    sh.text(sh.left, y, "Conditions générales" + (" de vente" if sh.rng.random() < 0.5 else ""), sh.base_size + 3, "bold")
    y += 24
    paragraphs = [
        "Les travaux sont réalisés conformément aux règles de l'art et aux documents techniques unifiés en vigueur.",
        "Le délai de rétractation est de quatorze jours à compter de la signature du présent document pour tout "
        "contrat conclu hors établissement.",
        "Les travaux ouvrent droit à une prime au titre du dispositif des certificats d'économies d'énergie, "
        f"versée par {f.oblige}, sous réserve de la conformité du dossier.",
        "En cas de retard de paiement, des pénalités égales à trois fois le taux d'intérêt légal seront appliquées, "
        "ainsi qu'une indemnité forfaitaire pour frais de recouvrement de 40 euros.",
        "Garantie décennale souscrite auprès de " + sh.rng.choice(["AXA France", "MAAF Assurances", "SMABTP", "Allianz"]) + ".",
    ]
    for para in paragraphs:
        y = sh.paragraph(sh.left, y, para, sh.right - sh.left) + 8
    legal_footer(sh, f, st, page_of=page_of)


def devis_classic(f: DossierFacts, rng: Random, *, facture: bool = False) -> Drawn:
    sh, st = Sheet(rng), Style.pick(rng)
    two_pages = rng.random() < 0.3
    page_of = (1, 2) if two_pages else ((1, 1) if rng.random() < 0.3 else None)
    y = letterhead(sh, f, st, 50, siret=rng.random() < 0.5)
    client_block_heading(sh, f, PAGE_W * rng.choice([0.55, 0.58, 0.6]), 70, boxed=rng.random() < 0.5)
    y = max(y, 150) + 20
    truth: dict[str, str] = {}
    number = f.facture_number if facture else f.devis_number
    doc_date = f.date_facture if facture else f.date_devis
    word = "FACTURE" if facture else rng.choice(["DEVIS", "DEVIS", "Devis", "DEVIS ESTIMATIF"])
    if rng.random() < 0.5:
        y = _title(sh, f"{word} N° {number}", y, centred=False)
    else:
        y = _title(sh, word, y, centred=False)
        sh.text(sh.left, y, f"{label(rng, 'numero_facture' if facture else 'numero_devis')} : {number}")
        y += sh.base_size + 5
    sh.text(sh.left, y, f"{label(rng, 'date_facture' if facture else 'date_devis')} : {fmt_date(doc_date, st.date)}")
    y += sh.base_size + 5
    truth["numero_facture" if facture else "numero_devis"] = number
    truth["date_facture" if facture else "date_devis"] = _iso(doc_date)
    if not facture:
        y = visit_line(sh, f, st, sh.left, y, truth, "devis_classic")
    if facture:
        if rng.random() < 0.85:
            sh.text(sh.left, y, f"{label(rng, 'date_fin_travaux')} : {fmt_date(f.date_fin_travaux, st.date)}")
            truth["date_fin_travaux"] = _iso(f.date_fin_travaux)
            y += sh.base_size + 5
        sh.text(sh.left, y, f"Suivant devis n° {f.devis_number} accepté le {fmt_date(f.date_signature, st.date)}")
        y += sh.base_size + 5
        if rng.random() < 0.7:
            sh.text(sh.left, y, f"{label(rng, 'rge')} : {f.installer.rge_numero}")
            truth["rge_numero"] = f.installer.rge_numero
            y += sh.base_size + 5
    else:
        sh.text(sh.left, y, rng.choice(["Validité de l'offre : 3 mois", "Devis valable 30 jours", "Durée de validité : 90 jours"]))
        y += sh.base_size + 5
    sh.text(sh.left, y, f"Réf. client : C{content_random(rng).randint(1000, 99999)}")
    y += sh.base_size + 12
    rows, tech, ambiguous = items_rows(sh, f, st, unit_column=True)
    truth.update(tech)
    y = table(sh, y, [("Désignation", 6, "left"), ("Qté", 1.1, "right"), ("Unité", 1, "center"), ("P.U. HT", 1.6, "right"),
                      ("Total HT", 1.8, "right")], rows, grid=rng.random() < 0.7)
    y += 10
    y, totals = totals_box(sh, f, st, y, prime=facture or rng.random() < 0.3, net=facture and rng.random() < 0.8)
    if not facture:
        totals.pop("prime_cee", None)
    truth.update(totals)
    y += 14
    if facture:
        sh.text(sh.left, y, f"Date d'échéance : {fmt_date(f.date_facture, st.date)} – Règlement par virement")
        y += 24
    else:
        sig_title = rng.choice(["Bon pour accord", "Bon pour accord du client", "Acceptation du devis"])
        sh.text(sh.left, y, sig_title, style="bold")
        y += sh.base_size + 6
        date_label = label(rng, "date_signature")
        if f.devis_signed:
            sh.text(sh.left, y, f"{date_label} : {fmt_date(f.date_signature, st.date)}")
            truth["date_signature"] = _iso(f.date_signature)
            sh.text(sh.left + 4, y + 18, "Lu et approuvé", style="italic", color=(0.05, 0.1, 0.45))
            sh.scribble(sh.left + 130, y + 8)
        else:
            sh.text(sh.left, y, f"{date_label} : ....../....../..........")
        y += 60
    truth.update(_company_truth(f))
    truth.update(_beneficiary_truth(f))
    truth.update(_ops_truth(f))
    if facture:
        truth.update(sh.extra_truth)
    legal_footer(sh, f, st, page_of=page_of)
    if two_pages:
        _conditions_page(sh, f, st, "facture" if facture else "devis", (2, 2))
    return Drawn(sh.finish(), 2 if two_pages else 1, truth, ambiguous)


def devis_form(f: DossierFacts, rng: Random, *, facture: bool = False) -> Drawn:
    sh, st = Sheet(rng), Style.pick(rng)
    title = "FACTURE" if facture else rng.choice(["PROPOSITION COMMERCIALE", "DEVIS", "OFFRE DE PRIX", "PROPOSITION DE PRIX"])
    y = _title(sh, title, 55, centred=True)
    truth: dict[str, str] = {}
    mid = (sh.left + sh.right) / 2
    # two framed columns: the company on the left, the beneficiary on the right
    top = y + 10
    c = f.installer
    sh.text(sh.left + 6, top, rng.choice(["ENTREPRISE", "L'entreprise", "Émetteur", "Installateur", "Prestataire"]), style="bold")
    yl = top + sh.base_size + 6
    for name, value in [(label(rng, "raison_sociale"), c.name), ("Adresse", c.street), ("", f"{c.postal_code} {c.city}"),
                        (label(rng, "siret").rstrip(" :"), fmt_siret(c.siret, st.siret)), ("Tél.", c.phone)]:
        sh.text(sh.left + 6, yl, f"{name} : {value}" if name else value, sh.base_size - 0.5)
        yl += sh.base_size + 3
    yr = client_block_labelled(sh, f, mid + 10, top, heading=True)
    bottom = max(yl, yr) + 4
    sh.rect(sh.left, top - 14, mid - sh.left - 6, bottom - top + 14)
    sh.rect(mid + 4, top - 14, sh.right - mid - 4, bottom - top + 14)
    y = bottom + 22
    # labels in a row, values on the line below
    number = f.facture_number if facture else f.devis_number
    doc_date = f.date_facture if facture else f.date_devis
    heads = [(label(rng, "numero_facture" if facture else "numero_devis"), number),
             (label(rng, "date_facture" if facture else "date_devis"), fmt_date(doc_date, st.date))]
    truth["numero_facture" if facture else "numero_devis"] = number
    truth["date_facture" if facture else "date_devis"] = _iso(doc_date)
    if facture:
        heads.append((label(rng, "date_fin_travaux"), fmt_date(f.date_fin_travaux, st.date)))
        truth["date_fin_travaux"] = _iso(f.date_fin_travaux)
    else:
        # three columns at most: a long label would run into its neighbour
        heads.append(visit_heading(f, st, truth, "devis_form") or ("Validité", "3 mois"))
    col_w = (sh.right - sh.left) / len(heads)
    for i, (name, value) in enumerate(heads):
        sh.text(sh.left + i * col_w, y, name, style="bold")
        sh.text(sh.left + i * col_w, y + sh.base_size + 5, value)
    y += 2 * sh.base_size + 24
    # technical section as labelled lines
    sh.text(sh.left, y, rng.choice(["Caractéristiques techniques", "Détail de l'opération", "Description des travaux"]), style="bold")
    y += sh.base_size + 6
    truths = []
    for p in f.products:
        desc, tech = product_lines(sh, p, st)
        truths.append(tech)
        for line in desc:
            sh.text(sh.left + 10, y, line)
            y += sh.base_size + 3
        y += 4
    tech, ambiguous = _merge_product_truth(truths)
    truth.update(tech)
    y += 6
    rows = [[p.title, fmt_number(p.quantity, 2 if p.unit == "m²" else 0), fmt_amount(p.unit_price, st.amount),
             fmt_amount(p.total_ht, st.amount)] for p in f.products]
    if f.extra.get("labour_ht"):
        rows.append(["Main d'œuvre", "1", fmt_amount(f.extra["labour_ht"], st.amount), fmt_amount(f.extra["labour_ht"], st.amount)])
    y = table(sh, y, [("Désignation", 5, "left"), ("Quantité", 1.3, "right"), ("Prix unitaire HT", 2, "right"),
                      ("Montant HT", 2, "right")], rows, header_fill=0.92)
    y += 8
    y, totals = totals_lines(sh, f, st, sh.left, y, prime=facture, net=facture and rng.random() < 0.7)
    truth.update(totals)
    y += 12
    if facture:
        sh.text(sh.left, y, f"Entreprise titulaire de la qualification {c.rge_body} RGE n° {c.rge_numero}")
        truth["rge_numero"] = c.rge_numero
    else:
        if f.devis_signed:
            sh.text(sh.left, y, f"{label(rng, 'date_signature')} : {fmt_date(f.date_signature, st.date)}")
            truth["date_signature"] = _iso(f.date_signature)
        else:
            sh.text(sh.left, y, f"{label(rng, 'date_signature')} :")
        sh.text(mid + 10, y, "Signature du client", style="bold")
        if f.devis_signed:
            sh.scribble(mid + 20, y + 10)
    truth.update(_company_truth(f))
    truth.update(_beneficiary_truth(f))
    truth.update(_ops_truth(f))
    if rng.random() < 0.5:
        legal_footer(sh, f, st, siret=rng.random() < 0.5)
    return Drawn(sh.finish(), 1, truth, ambiguous)


def devis_letter(f: DossierFacts, rng: Random, *, facture: bool = False) -> Drawn:
    sh, st = Sheet(rng), Style.pick(rng)
    long_date = Style(rng.choice(["long", "long_cap", "slash"]), st.amount, st.siret)
    y = letterhead(sh, f, st, 45, siret=False, centred=True)
    sh.hline(y + 2)
    y += 26
    client_block_heading(sh, f, PAGE_W * 0.56, y, boxed=False)
    number = f.facture_number if facture else f.devis_number
    doc_date = f.date_facture if facture else f.date_devis
    sh.text(sh.left, y, f"{f.installer.city}, le {fmt_date(doc_date, long_date.date)}")
    y += 90
    word = "Facture" if facture else rng.choice(["Devis", "Proposition"])
    truth: dict[str, str] = {}
    if word == "Proposition":
        sh.text(sh.left, y, f"{label(rng, 'numero_devis')} : {number}", sh.base_size + 2, "bold")
        y += sh.base_size + 6
        sh.text(sh.left, y, f"{label(rng, 'date_devis')} : {fmt_date(doc_date, long_date.date)}")
    else:
        sh.text(sh.left, y, f"{word} n° {number} du {fmt_date(doc_date, long_date.date)}", sh.base_size + 3, "bold")
    truth["numero_facture" if facture else "numero_devis"] = number
    truth["date_facture" if facture else "date_devis"] = _iso(doc_date)
    y += sh.base_size + 10
    ops = ", ".join(f.operations)
    sh.text(sh.left, y, f"Objet : {OPERATION_TITLES[f.operations[0]].lower()} – opération(s) CEE {ops}")
    y += sh.base_size + 10
    if facture:
        sh.text(sh.left, y, f"{label(rng, 'date_fin_travaux')} : {fmt_date(f.date_fin_travaux, long_date.date)}")
        truth["date_fin_travaux"] = _iso(f.date_fin_travaux)
        y += sh.base_size + 8
        intro = (f"{'Madame' if f.beneficiary.civility == 'Mme' else 'Monsieur'}, veuillez trouver ci-dessous la facture des "
                 f"travaux réalisés à votre domicile conformément au devis n° {f.devis_number}.")
    else:
        visit = visit_heading(f, long_date, truth, "devis_letter")
        visited = f" du {visit[1]}" if visit else ""
        intro = (f"{'Madame' if f.beneficiary.civility == 'Mme' else 'Monsieur'}, suite à notre visite technique{visited}, "
                 "nous avons le plaisir de vous adresser notre proposition pour les travaux suivants.")
    y = sh.paragraph(sh.left, y, intro, sh.right - sh.left) + 8
    rows, tech, ambiguous = items_rows(sh, f, st, unit_column=False)
    truth.update(tech)
    y = table(sh, y, [("Description", 6, "left"), ("Qté", 1, "right"), ("Prix unitaire", 1.8, "right"),
                      ("Prix HT", 1.8, "right")], rows, grid=False, header_fill=0.9)
    y += 10
    y, totals = totals_horizontal(sh, f, st, y, prime=facture and rng.random() < 0.8, net=facture and rng.random() < 0.6)
    truth.update(totals)
    y += 16
    if facture:
        if rng.random() < 0.6:
            sh.text(sh.left, y, f"{label(rng, 'rge')} : {f.installer.rge_numero}")
            truth["rge_numero"] = f.installer.rge_numero
            y += sh.base_size + 6
        sh.text(sh.left, y, "Facture payable à réception. Pas d'escompte pour paiement anticipé.")
    else:
        if f.devis_signed:
            sh.text(sh.left, y, f"Bon pour accord, le {fmt_date(f.date_signature, long_date.date)}")
            truth["date_signature"] = _iso(f.date_signature)
            sh.scribble(sh.left + 220, y - 14)
        else:
            sh.text(sh.left, y, "Bon pour accord, le ..................")
    truth.update(_company_truth(f))
    truth.update(_beneficiary_truth(f))
    truth.update(_ops_truth(f))
    if facture:
        truth.update(sh.extra_truth)
    legal_footer(sh, f, st)
    return Drawn(sh.finish(), 1, truth, ambiguous)


def devis_grid(f: DossierFacts, rng: Random, *, facture: bool = False) -> Drawn:
    """A spreadsheet-like layout: framed sender/recipient cells, a reference row as a table,
    a technical table (characteristic | value) and a totals grid with a payment line."""
    sh, st = Sheet(rng), Style.pick(rng)
    c, p = f.installer, f.beneficiary
    truth: dict[str, str] = {}
    word = "FACTURE" if facture else rng.choice(["DEVIS", "DEVIS DE TRAVAUX", "OFFRE DE PRIX"])
    sh.rect(sh.right - 170, 38, 170, 30, fill_gray=0.15)
    sh.text(sh.right - 85, 58, word, 15, "bold", align="center", color=(1, 1, 1))
    sh.text(sh.left, 50, c.name, 14, "bold")
    sh.text(sh.left, 64, rng.choice(["Rénovation énergétique", "Chauffage – Isolation – Énergies renouvelables",
                                      "Artisan RGE"]), sh.base_size - 1, "italic")
    mid = (sh.left + sh.right) / 2
    top = 100
    sender = [rng.choice(["Émetteur", "De :", "Expéditeur"]), f"{c.street}", f"{c.postal_code} {c.city}",
              f"{label(rng, 'siret').rstrip(' :')} : {fmt_siret(c.siret, st.siret)}", f"N° TVA : {c.tva}"]
    recipient = [rng.choice(["Destinataire", "Adressé à", "Facturé à" if facture else "Client"]), _upper_name(f, rng),
                 p.street, _city_line(f, rng)]
    height = (max(len(sender), len(recipient)) + 1) * (sh.base_size + 4)
    sh.rect(sh.left, top - 12, mid - sh.left - 8, height)
    sh.rect(mid + 8, top - 12, sh.right - mid - 8, height)
    for i, line in enumerate(sender):
        sh.text(sh.left + 6, top + i * (sh.base_size + 4), line, style="bold" if i == 0 else "regular")
    for i, line in enumerate(recipient):
        sh.text(mid + 14, top + i * (sh.base_size + 4), line, style="bold" if i == 0 else "regular")
    y = top + height + 10
    number = f.facture_number if facture else f.devis_number
    doc_date = f.date_facture if facture else f.date_devis
    columns = [(rng.choice(["Numéro", "N° de pièce", "Référence"]), 2, "left"),
               (rng.choice(["Date", "Date d'édition", "Émis le"]) if not facture else rng.choice(["Date", "Date de facture", "Facturé le"]), 2, "left"),
               ("Client n°", 1.5, "left")]
    values = [number, fmt_date(doc_date, st.date), f"C{content_random(rng).randint(1000, 99999)}"]
    if facture:
        columns.insert(2, (label(rng, "date_fin_travaux"), 2.5, "left"))
        values.insert(2, fmt_date(f.date_fin_travaux, st.date))
        truth["date_fin_travaux"] = _iso(f.date_fin_travaux)
    else:
        columns.insert(2, ("Validité", 1.5, "left"))
        values.insert(2, rng.choice(["1 mois", "3 mois", "90 jours"]))
        visit = visit_heading(f, st, truth, "devis_grid")
        if visit:
            columns.insert(2, (visit[0], 2, "left"))
            values.insert(2, visit[1])
    y = table(sh, y, columns, [values], header_fill=0.85)
    truth["numero_facture" if facture else "numero_devis"] = number
    truth["date_facture" if facture else "date_devis"] = _iso(doc_date)
    y += 8
    rate = fmt_number(f.tva_rate, 1 if f.tva_rate % 1 else 0)
    rows = []
    for n, prod in enumerate(f.products, 1):
        rows.append([f"L{n}", [prod.title, f"Fiche {prod.operation}"], fmt_number(prod.quantity, 2 if prod.unit == "m²" else 0),
                     fmt_amount(prod.unit_price, st.amount, currency=False), f"{rate} %", fmt_amount(prod.total_ht, st.amount, currency=False)])
    if f.extra.get("labour_ht"):
        labour = f.extra["labour_ht"]
        rows.append([f"L{len(rows) + 1}", "Pose et mise en service", "1", fmt_amount(labour, st.amount, currency=False),
                     f"{rate} %", fmt_amount(labour, st.amount, currency=False)])
    y = table(sh, y, [("Réf.", 0.8, "left"), ("Désignation", 5, "left"), ("Qté", 1, "right"), ("PU HT", 1.6, "right"),
                      ("TVA", 1, "right"), ("Montant HT", 1.8, "right")], rows, header_fill=0.85)
    y += 8
    tech_rows, truths = [], []
    for prod in f.products:
        desc, tech = product_lines(sh, prod, st, with_code=False)
        truths.append(tech)
        for line in desc[1:]:
            if " : " in line and " – " not in line:
                name, value = line.split(" : ", 1)
                tech_rows.append([name, value])
            elif " – " in line:
                for part in line.split(" – "):
                    name, _, value = part.partition(" : ")
                    tech_rows.append([name, value])
            else:
                tech_rows.append([line, ""])
    tech, ambiguous = _merge_product_truth(truths)
    truth.update(tech)
    y = table(sh, y, [(rng.choice(["Caractéristique", "Critère technique", "Performance"]), 3, "left"), ("Valeur", 3, "left")],
              tech_rows, header_fill=0.93)
    y += 8
    totals, totals_truth = _totals_rows(sh, f, prime=facture, net=facture)
    truth.update(totals_truth)
    x0 = sh.right - 250
    for name, value in totals:
        sh.rect(x0, y - sh.base_size - 2, 150, sh.base_size + 7)
        sh.rect(x0 + 150, y - sh.base_size - 2, 100, sh.base_size + 7)
        sh.text(x0 + 4, y, name)
        sh.text(sh.right - 4, y, fmt_amount(value, st.amount), align="right")
        y += sh.base_size + 7
    y += 16
    if facture:
        sh.text(sh.left, y, rng.choice(["Total à régler à réception de facture.", "Règlement par virement sous 30 jours."]))
        y += sh.base_size + 6
        if rng.random() < 0.6:
            sh.text(sh.left, y, f"Qualification RGE {c.rge_body} n° {c.rge_numero}")
            truth["rge_numero"] = c.rge_numero
    else:
        sh.text(sh.left, y, rng.choice(["Date et signature du client, précédées de « Bon pour accord »",
                                        "Bon pour accord (date et signature)"]), style="bold")
        y += sh.base_size + 8
        if f.devis_signed:
            sh.text(sh.left + 4, y, f"Le {fmt_date(f.date_signature, st.date)}, bon pour accord", style="italic",
                    color=(0.05, 0.1, 0.45))
            truth["date_signature"] = _iso(f.date_signature)
            sh.scribble(sh.left + 220, y - 12)
    truth.update(_company_truth(f))
    truth.update(_beneficiary_truth(f))
    truth.update(_ops_truth(f))
    legal_footer(sh, f, st, siret=False)
    return Drawn(sh.finish(), 1, truth, ambiguous)


def facture_grid(f, rng):
    return devis_grid(f, rng, facture=True)


def facture_classic(f, rng):
    return devis_classic(f, rng, facture=True)


def facture_form(f, rng):
    return devis_form(f, rng, facture=True)


def facture_letter(f, rng):
    return devis_letter(f, rng, facture=True)


# ---------------------------------------------------------------------------- attestation sur l'honneur

def _ah_common_rows(f: DossierFacts, rng: Random, st: Style) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]], dict]:
    p, c = f.beneficiary, f.installer
    ops = " ; ".join(f"{op} – {OPERATION_TITLES[op]}" for op in f.operations)
    beneficiary = [(label(rng, "nom"), _upper_name(f, rng)), (label(rng, "adresse"), p.street)]
    if rng.random() < 0.5:
        beneficiary.append((label(rng, "cp_ville"), f"{p.postal_code} {p.city}"))
    else:
        beneficiary += [(label(rng, "code_postal"), p.postal_code), (label(rng, "ville"), p.city)]
    operation = [("Opération(s)" if rng.random() < 0.5 else "Référence de la fiche", ops),
                 (label(rng, "date_engagement"), fmt_date(f.date_signature, st.date)),
                 (label(rng, "date_achevement"), fmt_date(f.date_fin_travaux, st.date)),
                 (label(rng, "ref_facture"), f.facture_number)]
    professional = [(label(rng, "raison_sociale"), c.name), (label(rng, "siret").rstrip(" :"), fmt_siret(c.siret, st.siret)),
                    ("Adresse", f"{c.street}, {c.postal_code} {c.city}")]
    truth = {**_beneficiary_truth(f), **_ops_truth(f), "date_engagement": _iso(f.date_signature),
             "date_achevement": _iso(f.date_fin_travaux), "reference_facture": f.facture_number,
             **_company_truth(f)}
    return beneficiary, operation, professional, truth


_AH_INTRO = ("Je soussigné(e), bénéficiaire de l'opération d'économies d'énergie, atteste sur l'honneur que les travaux "
             "décrits ci-dessous ont été réalisés à l'adresse indiquée et que je n'ai pas bénéficié, pour cette même "
             "opération, d'une autre aide au titre du dispositif des certificats d'économies d'énergie.")


def _ah_signatures(sh: Sheet, f: DossierFacts, st: Style, y: float, truth: dict) -> float:
    rng = sh.rng
    mid = (sh.left + sh.right) / 2
    p = f.beneficiary
    date_text = fmt_date(f.date_fin_travaux, st.date)
    sh.text(sh.left, y, f"Fait à {p.city}, le {date_text if f.ah_signed_beneficiary else '....................'}")
    y += sh.base_size + 14
    signature_area(sh, sh.left, y, label(rng, "sig_beneficiaire"), signed=f.ah_signed_beneficiary,
                   name=f"{p.first_name} {p.last_name}", date_text=None, width=mid - sh.left)
    bottom = signature_area(sh, mid + 10, y, label(rng, "sig_installateur"), signed=f.ah_signed_installer,
                            name=rng.choice(["Le gérant", "Pour l'entreprise", "Le responsable technique"]) + f" – {f.installer.name}",
                            date_text=None, mention=False, width=sh.right - mid)
    truth["signature_beneficiaire"] = "true" if f.ah_signed_beneficiary else "false"
    truth["signature_installateur"] = "true" if f.ah_signed_installer else "false"
    return bottom


def ah_lines(f: DossierFacts, rng: Random) -> Drawn:
    sh, st = Sheet(rng), Style.pick(rng)
    y = _title(sh, rng.choice(["ATTESTATION SUR L'HONNEUR", "Attestation sur l'honneur"]), 55, centred=True)
    sh.text(PAGE_W / 2, y, "Opération d'économies d'énergie – dispositif des certificats d'économies d'énergie", sh.base_size - 1,
            "italic", align="center")
    y += 24
    beneficiary, operation, professional, truth = _ah_common_rows(f, rng, st)
    y = sh.paragraph(sh.left, y, _AH_INTRO, sh.right - sh.left, sh.base_size - 0.5) + 10
    for heading, rows in [("CADRE A – Identification du bénéficiaire", beneficiary), ("Opération réalisée", operation),
                          ("CADRE B – Identification du professionnel", professional)]:
        sh.text(sh.left, y, heading, style="bold")
        y += sh.base_size + 7
        for name, value in rows:
            end = sh.text(sh.left + 10, y, f"{name} : ")
            sh.text(end + 2, y, value)
            y += sh.base_size + 5
        y += 8
    y = building_age_statement(sh, f, y, truth, "ah_lines")
    _ah_signatures(sh, f, st, y + 6, truth)
    return Drawn(sh.finish(), 1, truth)


def ah_table(f: DossierFacts, rng: Random) -> Drawn:
    sh, st = Sheet(rng), Style.pick(rng)
    y = _title(sh, "ATTESTATION SUR L'HONNEUR", 60, centred=rng.random() < 0.5)
    beneficiary, operation, professional, truth = _ah_common_rows(f, rng, st)
    y = sh.paragraph(sh.left, y + 4, _AH_INTRO, sh.right - sh.left, sh.base_size - 1) + 10
    label_w = 190
    for heading, rows in [("Le bénéficiaire", beneficiary), ("L'opération", operation), ("Le professionnel", professional)]:
        sh.rect(sh.left, y - sh.base_size - 2, sh.right - sh.left, sh.base_size + 8, fill_gray=0.9)
        sh.text(sh.left + 4, y + 1, heading, style="bold")
        y += sh.base_size + 10
        for name, value in rows:
            sh.text(sh.left + 4, y, name)
            sh.text(sh.left + label_w, y, value)
            sh.hline(y + 5, gray=0.75, width=0.3)
            y += sh.base_size + 9
        y += 6
    y = building_age_statement(sh, f, y + 4, truth, "ah_table")
    _ah_signatures(sh, f, st, y + 8, truth)
    return Drawn(sh.finish(), 1, truth)


def ah_below(f: DossierFacts, rng: Random) -> Drawn:
    sh, st = Sheet(rng), Style.pick(rng)
    y = _title(sh, "Attestation sur l'honneur", 55, centred=True, size=18)
    sh.text(PAGE_W / 2, y, "à remplir par le bénéficiaire et le professionnel", sh.base_size - 1, "italic", align="center")
    y += 26
    beneficiary, operation, professional, truth = _ah_common_rows(f, rng, st)
    col_w = (sh.right - sh.left) / 2
    for heading, rows in [("Bénéficiaire", beneficiary), ("Opération", operation), ("Professionnel", professional)]:
        sh.text(sh.left, y, heading.upper(), style="bold")
        sh.hline(y + 4)
        y += sh.base_size + 12
        for i in range(0, len(rows), 2):
            pair = rows[i:i + 2]
            height = 1
            for k, (name, value) in enumerate(pair):
                sh.text(sh.left + k * col_w, y, name, sh.base_size - 1, "bold")
                for n, part in enumerate(sh.wrap(value, col_w - 14)):
                    sh.text(sh.left + k * col_w, y + (n + 1) * (sh.base_size + 3), part)
                    height = max(height, n + 1)
            y += (height + 1) * (sh.base_size + 3) + 8
        y += 4
    y = sh.paragraph(sh.left, y, _AH_INTRO, sh.right - sh.left, sh.base_size - 1.5) + 12
    y = building_age_statement(sh, f, y, truth, "ah_below")
    _ah_signatures(sh, f, st, y, truth)
    return Drawn(sh.finish(), 1, truth)


# ---------------------------------------------------------------------------- cadre de contribution

def _cadre_truth(f: DossierFacts) -> dict[str, str]:
    return {"date_cadre": _iso(f.date_cadre), "nom_oblige": f.oblige,
            "beneficiaire_nom": f"{f.beneficiary.first_name} {f.beneficiary.last_name}",
            "montant_prime": _dec(f.prime), "operations": json.dumps(f.operations)}


_CADRE_TEXT = ("{oblige} contribue, dans le cadre du dispositif des certificats d'économies d'énergie, au financement "
               "des travaux ci-dessous par le versement d'une prime. Cette contribution traduit le rôle actif et "
               "incitatif de {oblige} dans la réalisation de l'opération, préalablement à son engagement.")


def cadre_letter(f: DossierFacts, rng: Random) -> Drawn:
    sh, st = Sheet(rng), Style.pick(rng)
    sh.text(sh.left, 50, f.oblige, 16, "bold", color=(0.6, 0.1, 0.1))
    sh.text(sh.left, 68, "Programme de primes énergie", sh.base_size - 1, "italic")
    y = _title(sh, rng.choice(["CADRE DE CONTRIBUTION", "Cadre de contribution CEE", "Document de contribution"]), 110, centred=True)
    sh.text(sh.left, y, f"{label(rng, 'date_cadre')} : {fmt_date(f.date_cadre, st.date)}")
    y += sh.base_size + 10
    y = sh.paragraph(sh.left, y, _CADRE_TEXT.format(oblige=f.oblige), sh.right - sh.left) + 10
    rows = [(label(rng, "oblige"), f.oblige), (label(rng, "nom"), _upper_name(f, rng)),
            ("Adresse des travaux", f"{f.beneficiary.street}, {f.beneficiary.postal_code} {f.beneficiary.city}"),
            ("Opération(s)", ", ".join(f"{op} ({OPERATION_TITLES[op]})" for op in f.operations)),
            (label(rng, "montant_prime"), fmt_amount(f.prime, st.amount))]
    for name, value in rows:
        end = sh.text(sh.left, y, f"{name} : ", style="bold")
        sh.text(end + 2, y, value)
        y += sh.base_size + 7
    y += 20
    sh.text(sh.left, y, "Le bénéficiaire reconnaît avoir pris connaissance du présent cadre avant la signature du devis.")
    return Drawn(sh.finish(), 1, _cadre_truth(f))


def cadre_form(f: DossierFacts, rng: Random) -> Drawn:
    sh, st = Sheet(rng), Style.pick(rng)
    y = _title(sh, "Cadre de contribution", 60, centred=False)
    sh.text(sh.right, 60, fmt_date(f.date_cadre, st.date), align="right")
    sh.text(sh.right - sh.width(fmt_date(f.date_cadre, st.date)) - 8, 60, "Date :", align="right")
    y += 6
    label_w = 170
    rows = [("Partenaire obligé" if rng.random() < 0.5 else label(rng, "oblige"), f.oblige),
            ("SIRET de l'obligé", fmt_siret(f.oblige_siret, st.siret)),
            (label(rng, "nom"), _upper_name(f, rng)),
            ("Opération(s) concernée(s)", " / ".join(f.operations)),
            (label(rng, "montant_prime"), fmt_amount(f.prime, st.amount))]
    for name, value in rows:
        sh.text(sh.left, y, name)
        sh.text(sh.left + label_w, y, value)
        sh.hline(y + 5, gray=0.8, width=0.3)
        y += sh.base_size + 10
    y += 10
    sh.paragraph(sh.left, y, _CADRE_TEXT.format(oblige=f.oblige), sh.right - sh.left, sh.base_size - 0.5)
    return Drawn(sh.finish(), 1, _cadre_truth(f))


def cadre_two_columns(f: DossierFacts, rng: Random) -> Drawn:
    sh, st = Sheet(rng), Style.pick(rng)
    y = _title(sh, "CADRE DE CONTRIBUTION AU FINANCEMENT DES TRAVAUX", 55, centred=True, size=14)
    mid = (sh.left + sh.right) / 2
    sh.text(sh.left, y + 6, "L'obligé", style="bold")
    sh.text(sh.left, y + 6 + sh.base_size + 5, f.oblige)
    sh.text(sh.left, y + 6 + 2 * (sh.base_size + 5), f"SIRET : {fmt_siret(f.oblige_siret, st.siret)}")
    sh.text(mid, y + 6, "Le bénéficiaire", style="bold")
    sh.text(mid, y + 6 + sh.base_size + 5, _upper_name(f, rng))
    sh.text(mid, y + 6 + 2 * (sh.base_size + 5), f"{f.beneficiary.street}, {f.beneficiary.postal_code} {f.beneficiary.city}")
    y += 80
    y = sh.paragraph(sh.left, y, _CADRE_TEXT.format(oblige=f.oblige), sh.right - sh.left) + 10
    y = table(sh, y, [("Opération", 2, "left"), ("Intitulé", 4, "left"), (label(rng, "montant_prime"), 2, "right")],
              [[op, OPERATION_TITLES[op], fmt_amount(f.prime, st.amount) if i == 0 else ""] for i, op in enumerate(f.operations)])
    y += 16
    sh.text(sh.left, y, f"Fait le {fmt_date(f.date_cadre, st.date)}")
    truth = _cadre_truth(f)
    return Drawn(sh.finish(), 1, truth)


# ---------------------------------------------------------------------------- certificat RGE

def _rge_truth(f: DossierFacts) -> dict[str, str]:
    c = f.installer
    return {"rge_numero": c.rge_numero, "siret": c.siret, "raison_sociale": c.name,
            "date_debut_validite": _iso(c.rge_start), "date_fin_validite": _iso(c.rge_end), "domaines": ", ".join(c.domains)}


def rge_certificate(f: DossierFacts, rng: Random) -> Drawn:
    sh, st = Sheet(rng), Style.pick(rng)
    c = f.installer
    body = c.rge_body
    sh.text(PAGE_W / 2, 60, body.upper(), 22, "bold", align="center", color=(0.1, 0.35, 0.2))
    y = _title(sh, rng.choice(["CERTIFICAT DE QUALIFICATION", "Certificat RGE", "Attestation de qualification"]), 100, centred=True)
    sh.text(PAGE_W / 2, y, "Reconnu Garant de l'Environnement", sh.base_size + 1, "italic", align="center")
    y += 30
    rows = [(label(rng, "rge_numero"), c.rge_numero), (label(rng, "raison_sociale"), c.name),
            (label(rng, "siret").rstrip(" :"), fmt_siret(c.siret, st.siret)), ("Adresse", f"{c.street} {c.postal_code} {c.city}"),
            (label(rng, "domaines"), ", ".join(c.domains))]
    for name, value in rows:
        end = sh.text(sh.left + 20, y, f"{name} : ", style="bold")
        sh.text(end + 2, y, value)
        y += sh.base_size + 9
    y += 10
    style = rng.random()
    if style < 0.5:
        sh.text(sh.left + 20, y, f"Valable du {fmt_date(c.rge_start, st.date)} au {fmt_date(c.rge_end, st.date)}", style="bold")
    else:
        sh.text(sh.left + 20, y, f"Date de début de validité : {fmt_date(c.rge_start, st.date)}")
        y += sh.base_size + 7
        sh.text(sh.left + 20, y, f"{rng.choice(['Date de fin de validité', 'Valable jusqu’au', 'Date d’expiration'])} : {fmt_date(c.rge_end, st.date)}")
    y += 40
    sh.paragraph(sh.left + 20, y, "Organisme de qualification accrédité par le COFRAC. La qualification est délivrée pour les "
                 "domaines de travaux mentionnés ci-dessus.", sh.right - sh.left - 40, sh.base_size - 1)
    return Drawn(sh.finish(), 1, _rge_truth(f))


def rge_table(f: DossierFacts, rng: Random) -> Drawn:
    sh, st = Sheet(rng), Style.pick(rng)
    c = f.installer
    y = _title(sh, f"Certificat de qualification {c.rge_body}", 60, centred=False, size=16)
    sh.text(sh.left, y, f"{label(rng, 'rge_numero')} : {c.rge_numero}", style="bold")
    y += 24
    sh.text(sh.left, y, "Entreprise qualifiée", style="bold")
    y += sh.base_size + 5
    for line in [c.name, f"{c.street}", f"{c.postal_code} {c.city}", f"SIRET : {fmt_siret(c.siret, st.siret)}"]:
        sh.text(sh.left, y, line)
        y += sh.base_size + 4
    y += 14
    y = table(sh, y, [(label(rng, "domaines").replace("(s)", ""), 5, "left"), ("Début de validité", 2, "center"),
                      ("Fin de validité", 2, "center")],
              [[", ".join(c.domains), fmt_date(c.rge_start, st.date), fmt_date(c.rge_end, st.date)]])
    y += 20
    sh.paragraph(sh.left, y, "Certificat RGE – Reconnu Garant de l'Environnement. Ce certificat atteste que l'entreprise "
                 "répond aux exigences du référentiel de qualification.", sh.right - sh.left, sh.base_size - 1)
    truth = _rge_truth(f)
    return Drawn(sh.finish(), 1, truth)


# ---------------------------------------------------------------------------- avis d'imposition

def _avis_truth(f: DossierFacts) -> dict[str, str]:
    p = f.beneficiary
    return {"declarant_nom": f"{p.first_name} {p.last_name}", "annee_revenus": str(f.annee_revenus),
            "revenu_fiscal_reference": str(f.revenu_fiscal), "nombre_parts": _dec(f.nombre_parts), "adresse": p.street}


def _int_fr(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def avis_dgfip(f: DossierFacts, rng: Random) -> Drawn:
    sh, st = Sheet(rng), Style.pick(rng)
    p = f.beneficiary
    sh.text(sh.left, 45, "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES", sh.base_size - 1, "bold")
    sh.text(sh.left, 58, f"Centre des finances publiques de {p.city}", sh.base_size - 1)
    y = _title(sh, f"AVIS D'IMPÔT {f.annee_revenus + 1}", 95, centred=False, size=16)
    sh.text(sh.left, y, f"IMPÔT SUR LES REVENUS de l'année {f.annee_revenus}", style="bold")
    y += 26
    x = PAGE_W * 0.55
    sh.text(x, 95, label(rng, "declarant"), style="bold")
    sh.text(x, 95 + sh.base_size + 5, f"{p.last_name.upper()} {p.first_name}")
    sh.text(x, 95 + 2 * (sh.base_size + 5), p.street.upper())
    sh.text(x, 95 + 3 * (sh.base_size + 5), f"{p.postal_code} {p.city.upper()}")
    y = max(y, 170)
    sh.text(sh.left, y, f"Numéro fiscal : {rng.randint(10**12, 10**13 - 1)}")
    sh.text(PAGE_W * 0.55, y, f"Référence de l'avis : {rng.randint(10**12, 10**13 - 1)}")
    y += 30
    y = table(sh, y, [("Vos références", 4, "left"), ("", 2, "right")],
              [["Situation de famille", rng.choice(["Marié(e)", "Célibataire", "Pacsé(e)", "Divorcé(e)"])],
               [label(rng, "parts"), fmt_number(f.nombre_parts, 2)],
               [label(rng, "rfr"), f"{_int_fr(f.revenu_fiscal)} €"],
               ["Revenu brut global", f"{_int_fr(int(f.revenu_fiscal * 1.1))} €"]])
    y += 16
    sh.text(sh.left, y, f"Montant de votre impôt : {fmt_amount(Decimal(f.revenu_fiscal) * Decimal('0.04'), st.amount)}")
    truth = _avis_truth(f)
    truth["declarant_nom"] = f"{p.first_name} {p.last_name}"
    return Drawn(sh.finish(), 1, truth)


def avis_simple(f: DossierFacts, rng: Random) -> Drawn:
    sh, st = Sheet(rng), Style.pick(rng)
    p = f.beneficiary
    y = _title(sh, rng.choice(["Avis d'imposition", "AVIS D'IMPOSITION", "Avis de situation déclarative à l'impôt sur le revenu"]),
               60, centred=True, size=15)
    sh.text(PAGE_W / 2, y, "Direction générale des finances publiques – impots.gouv.fr", sh.base_size - 1, align="center")
    y += 30
    rows = [("Année des revenus", str(f.annee_revenus)), (label(rng, "declarant"), f"{p.last_name.upper()} {p.first_name}"),
            ("Adresse", f"{p.street} {p.postal_code} {p.city}"), (label(rng, "parts"), fmt_number(f.nombre_parts, 1 if f.nombre_parts % 1 else 0)),
            (label(rng, "rfr"), f"{_int_fr(f.revenu_fiscal)} €")]
    for name, value in rows:
        end = sh.text(sh.left, y, f"{name} : ")
        sh.text(end + 2, y, value, style="bold")
        y += sh.base_size + 8
    return Drawn(sh.finish(), 1, _avis_truth(f))


# ---------------------------------------------------------------------------- note de dimensionnement

def note_dimensionnement(f: DossierFacts, rng: Random) -> Drawn:
    sh, st = Sheet(rng), Style.pick(rng)
    p = f.products[0]
    y = _title(sh, "NOTE DE DIMENSIONNEMENT", 60, centred=True)
    sh.text(PAGE_W / 2, y, "Pompe à chaleur – calcul des déperditions", sh.base_size, "italic", align="center")
    y += 30
    values = content_random(rng)  # the house's figures, not the layout
    base_temp, deperditions = values.choice([-2, -4, -5, -7, -9, -10]), values.randint(5, 14)
    rows = [("Surface chauffée", f"{p.surface or values.randint(70, 160)} m²"), ("Volume chauffé", f"{values.randint(180, 420)} m³"),
            ("Température de base", f"{base_temp} °C"), ("Déperditions calculées", f"{deperditions} kW"),
            ("Puissance calorifique de l'équipement", f"{deperditions + values.randint(0, 3)} kW"),
            ("Taux de couverture", f"{values.randint(95, 120)} %"), ("Équipement", f"{p.brand} {p.reference}")]
    y = table(sh, y, [("Paramètre", 4, "left"), ("Valeur", 3, "left")], [list(r) for r in rows])
    return Drawn(sh.finish(), 1, {})


TEMPLATES = {
    "devis": [devis_classic, devis_form, devis_letter, devis_grid],
    "facture": [facture_classic, facture_form, facture_letter, facture_grid],
    "attestation_honneur": [ah_lines, ah_table, ah_below],
    "cadre_contribution": [cadre_letter, cadre_form, cadre_two_columns],
    "certificat_rge": [rge_certificate, rge_table],
    "avis_imposition": [avis_dgfip, avis_simple],
    "note_dimensionnement": [note_dimensionnement],
}
