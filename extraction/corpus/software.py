"""The ``software`` family's devis and factures, as artisans' estimating and invoicing software
prints them (see ``software_facts`` for the family and its seeds).

A coloured header band or a two-column header (the issuer with its logo initials, a document
box top-right: number, date, validity or due date, client code), the client in a framed box
(« Adressé à », « Destinataire », « Facturé à »), sometimes a second box for the works site,
an item table in lots with numbered lines (« 1 », « 1.1 ») whose columns change order and
names, the products inside long designations with grey sub-lines (ACERMI, the fiche), one VAT
rate per line, a recap with the CEE prime as a negative line or a deduction paragraph, payment
terms, a « Bon pour accord » box with ink, « Page 1/2 » and the legal footer (capital, SIRET,
RCS, APE, VAT number, decennial insurance, RGE). Long tables go on over a page with « Report ».
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from random import Random

from .documents import Drawn, _dec, _iso
from .facts import OPERATION_TITLES, DossierFacts, content_random
from .ink import sign
from .sheet import PAGE_H, PAGE_W, Sheet
from .software_facts import WHITE, Look, amounts, client_name, date_text, money, month_text, rate_text
from .software_items import BOTTOM, COLUMN_SETS, ItemTable, item_rows
from .wording import fmt_siret


# ---------------------------------------------------------------------------- header and boxes

def _initials(name: str) -> str:
    return "".join(w[0] for w in name.replace("'", " ").replace("-", " ").split()[:2]).upper()


def header(sh: Sheet, f: DossierFacts, look: Look, title: str, box: list[tuple[str, str]], truth: dict) -> float:
    """The issuer (a coloured band, or logo initials and a block on the left) and the document
    box on the right; returns the y below both."""
    rng, c = sh.rng, f.installer
    lines = [c.street, f"{c.postal_code} {c.city}", f"{rng.choice(['Tél.', 'Tél :', 'T.'])} {c.phone}", c.email]
    if rng.random() < 0.4:
        lines.append(f"SIRET : {fmt_siret(c.siret, look.siret)}")
    if rng.random() < 0.3:
        lines.append(f"RGE {c.rge_body} n° {c.rge_numero}")
        truth["rge_numero"] = c.rge_numero
    if rng.random() < 0.5:  # the band across the page
        sh.rect(0, 0, PAGE_W, 66, stroke=False, fill_rgb=look.accent)
        sh.text(sh.left, 32, c.name, sh.base_size + 8, "bold", color=WHITE)
        sh.text(sh.left, 48, rng.choice(["Isolation – Chauffage – Énergies renouvelables", "Rénovation énergétique de l'habitat",
                                          "Plâtrerie – Isolation – Menuiserie", "Chauffage – Climatisation – Plomberie"]),
                sh.base_size - 1, "italic", color=WHITE)
        sh.text(sh.right, 44, title, 22, "bold", align="right", color=WHITE)
        y_left, y_box = 88, 84
    else:
        sh.rect(sh.left, 34, 44, 44, stroke=False, fill_rgb=look.accent)
        sh.text(sh.left + 22, 62, _initials(c.name), 16, "bold", align="center", color=WHITE)
        sh.text(sh.left + 54, 50, c.name, sh.base_size + 5, "bold")
        y_left, y_box = 92, 36
    for line in lines:
        sh.text(sh.left, y_left, line, sh.base_size - 1)
        y_left += sh.base_size + 2
    return max(y_left, document_box(sh, look, title, box, y_box)) + 14


def document_box(sh: Sheet, look: Look, title: str, rows: list[tuple[str, str]], y: float) -> float:
    """The framed box top-right: a title cell (« DEVIS N° … » or the word alone), then label / value rows."""
    rng = sh.rng
    width, x = 215, sh.right - 215
    row_h = sh.base_size + 6
    if rng.random() < 0.5:
        heading, rows = f"{title} N° {rows[0][1]}", rows[1:]
    else:
        heading = title
    sh.rect(x, y, width, row_h + 4, fill_gray=0.88)
    sh.text(x + 6, y + sh.base_size + 3, heading, sh.base_size + 1, "bold")
    y += row_h + 4
    for name, value in rows:
        sh.rect(x, y, width, row_h)
        sh.text(x + 6, y + sh.base_size + 1, name, sh.base_size - 1)
        sh.text(x + width - 6, y + sh.base_size + 1, value, sh.base_size - 0.5, "bold", align="right")
        y += row_h
    return y


def framed_box(sh: Sheet, x: float, y: float, width: float, title: str, lines: list[str]) -> float:
    """A box with a shaded title strip (« Adressé à », « Chantier ») and its lines; returns the y below."""
    strip = sh.base_size + 6
    height = strip + len(lines) * (sh.base_size + 3) + 8
    sh.rect(x, y, width, height)
    sh.rect(x, y, width, strip, fill_gray=0.9)
    sh.text(x + 6, y + sh.base_size + 1, title, sh.base_size - 0.5, "bold")
    yy = y + strip + sh.base_size + 2
    for k, line in enumerate(lines):
        sh.text(x + 8, yy, line, sh.base_size + (0.5 if k == 0 else 0), "bold" if k == 0 else "regular")
        yy += sh.base_size + 3
    return y + height


def client_boxes(sh: Sheet, f: DossierFacts, y: float, *, facture: bool) -> float:
    """The client's box on the right, and sometimes the works site's on the left (same address)."""
    rng, p = sh.rng, f.beneficiary
    titles = ["Adressé à", "Destinataire", "Client"] + (["Facturé à"] if facture else [])
    lines = [client_name(f, rng), p.street, f"{p.postal_code} {p.city.upper() if rng.random() < 0.6 else p.city}"]
    if rng.random() < 0.4:
        lines.append(f"Tél. {p.phone}")
    bottom = framed_box(sh, sh.right - 240, y, 240, rng.choice(titles), lines)
    if rng.random() < 0.45:
        site = [p.street, f"{p.postal_code} {p.city}"]
        if rng.random() < 0.5:
            site.insert(0, rng.choice(["Maison individuelle", "Résidence principale"]))
        bottom = max(bottom, framed_box(sh, sh.left, y, 220, rng.choice(["Chantier", "Adresse des travaux", "Lieu d'intervention"]),
                                        site))
    return bottom + 16


# ---------------------------------------------------------------------------- recap, mentions, footer

def recap_height(sh: Sheet, f: DossierFacts, *, devis: bool) -> float:
    rows = 6 + len(amounts(f).rates)
    return rows * (sh.base_size + 6) + 90 + (110 if devis else 0)


def recap(sh: Sheet, f: DossierFacts, look: Look, y: float, prime: str) -> tuple[float, dict]:
    """Totals on the right (a VAT table on the left on some), the prime as a negative line or
    a deduction paragraph (``prime``: line | paragraph | none)."""
    rng, a = sh.rng, amounts(f)
    truth = {"montant_ht": _dec(a.ht), "montant_tva": _dec(a.tva), "montant_ttc": _dec(a.ttc)}
    rows = [(rng.choice(["Total HT", "Total H.T.", "Montant HT"]), money(a.ht, look.amount), False)]
    if rng.random() < 0.35:  # the VAT per rate in a table of its own
        yy = y
        for k, text in enumerate(["Taux", "Base HT", "Montant TVA"]):
            sh.text(sh.left + k * 80, yy, text, sh.base_size - 1, "bold")
        for rate, base, vat in a.rates:
            yy += sh.base_size + 4
            for k, text in enumerate([f"{rate_text(rate)} %", money(base, look.amount), money(vat, look.amount)]):
                sh.text(sh.left + k * 80, yy, text, sh.base_size - 1)
        rows.append(("Total TVA", money(a.tva, look.amount), False))
    else:
        rows += [(f"TVA {rate_text(rate)} %", money(vat, look.amount), False) for rate, _, vat in a.rates]
        if len(a.rates) > 1:
            rows.append(("Total TVA", money(a.tva, look.amount), False))
    ttc = money(a.ttc, look.amount) + (" TTC" if look.amount == "plain_dot" and rng.random() < 0.5 else "")
    rows.append((rng.choice(["Total TTC", "TOTAL TTC", "Montant TTC"]), ttc, True))
    if prime == "line":
        name = rng.choice([f"Prime CEE {f.oblige}", "Aide Coup de pouce", "Remise CEE", f"Prime énergie ({f.oblige})",
                           "Déduction prime CEE"])
        rows += [(name, money(-a.prime, look.amount), False),
                 (rng.choice(["Net à payer", "Reste à charge", "NET À PAYER", "Reste à payer TTC"]), money(a.net, look.amount), True)]
        truth["prime_cee"] = _dec(a.prime)
    widest = max(sh.width(name, style="bold") + sh.width(value, style="bold") for name, value, _ in rows)
    x = min(sh.right - 230, sh.right - widest - 24)
    for name, value, strong in rows:
        if strong:
            sh.rect(x - 4, y - sh.base_size - 2, sh.right - x + 4, sh.base_size + 6, fill_gray=0.9, stroke=False)
        sh.text(x, y, name, style="bold" if strong else "regular")
        sh.text(sh.right - 4, y, value, style="bold" if strong else "regular", align="right")
        y += sh.base_size + 6
    y += 6
    if prime == "paragraph":
        service = f.extra.get("oblige_service", "")
        text = rng.choice([
            f"Montant de la prime CEE versée par {f.oblige} dans le cadre de l'offre {service} : {money(a.prime, look.amount)}. "
            f"Ce montant est déduit du total TTC ; reste à votre charge : {money(a.net, look.amount)}.",
            f"Les travaux ouvrent droit à une prime énergie de {money(a.prime, look.amount)} accordée par {f.oblige}, "
            f"déduite de la présente. Reste à charge du client : {money(a.net, look.amount)}.",
        ])
        y = sh.paragraph(sh.left, y, text, sh.right - sh.left, sh.base_size - 0.5) + 6
        truth["prime_cee"] = _dec(a.prime)
    return y, truth


def payment_terms(sh: Sheet, f: DossierFacts, look: Look, y: float, *, facture: bool) -> float:
    rng = sh.rng
    a = amounts(f)
    if facture:
        terms = rng.choice(["Conditions de règlement : à réception de facture, par virement ou chèque.",
                            "Règlement à 30 jours date de facture. Pas d'escompte pour paiement anticipé."])
        terms += " Pénalités de retard : trois fois le taux d'intérêt légal ; indemnité forfaitaire de recouvrement : 40 €."
    else:
        deposit = (a.net if a.net > 0 else a.ttc) * Decimal("0.3")
        terms = rng.choice([f"Conditions de règlement : acompte de 30 % à la commande, soit {money(deposit, look.amount)}, "
                            "solde à la fin des travaux.",
                            "Acompte de 30 % à la commande, solde à réception de facture. Mode de règlement : virement, chèque."])
    y = sh.paragraph(sh.left, y, terms, sh.right - sh.left, sh.base_size - 1.5)
    if rng.random() < 0.6:
        values = content_random(rng)
        iban = "FR76 " + " ".join(f"{values.randint(0, 9999):04d}" for _ in range(5)) + f" {values.randint(100, 999)}"
        sh.text(sh.left, y, f"IBAN : {iban} – BIC : {values.choice(['CCBPFRPPLYO', 'AGRIFRPP839', 'CMCIFR2A', 'BNPAFRPPXXX'])}",
                sh.base_size - 1.5)
        y += sh.base_size + 2
    return y + 8


def bon_pour_accord(sh: Sheet, f: DossierFacts, y: float, truth: dict) -> float:
    """The client's acceptance box, with ink and a handwritten date when signed."""
    rng = sh.rng
    width = 250
    x = sh.right - width
    title = rng.choice(["Bon pour accord", "Date et signature précédées de la mention « Bon pour accord »",
                        "Signature du client précédée de la mention manuscrite « Bon pour accord »"])
    sh.rect(x, y, width, 96)
    lines = sh.wrap(title, width - 10, sh.base_size - 1, "bold")
    for k, line in enumerate(lines):
        sh.text(x + 5, y + 11 + k * (sh.base_size + 1), line, sh.base_size - 1, "bold")
    if rng.random() < 0.5:
        sh.text(sh.left, y + 11, "Devis reçu avant l'exécution des travaux.", sh.base_size - 1.5, "italic")
        sh.text(sh.left, y + 24, "Le client déclare accepter les conditions générales.", sh.base_size - 1.5, "italic")
    if f.extra.get("ink", {}).get("devis", True) and f.devis_signed:
        top = y + 14 + len(lines) * (sh.base_size + 1)
        if rng.random() < 0.7:
            written = f.date_signature.strftime(rng.choice(["%d/%m/%y", "%d/%m/%Y", "%d.%m.%Y"]))
            sh.text(x + 8, top + 8, f"{rng.choice(['Bon pour accord', 'bon pour accord'])} le {written}", sh.base_size + 1,
                    "italic", color=(0.05, 0.1, 0.45))
            truth["date_signature"] = _iso(f.date_signature)
        sign(sh, x + width * 0.4, top + 12, width * 0.55, 96 - (top - y) - 14)
    return y + 104


def footer(sh: Sheet, f: DossierFacts, look: Look, page: int, pages: int, *, rge: bool) -> None:
    """The legal mentions and the page number, at the foot of every page."""
    c = f.installer
    values = Random(c.siret)  # the company's own numbers, the same on each of its documents
    siren = f"{c.siret[:3]} {c.siret[3:6]} {c.siret[6:9]}"
    capital = f"{c.capital:,}".replace(",", " ")
    lines = [f"{c.name} – {c.legal_form} au capital de {capital} € – {c.street}, {c.postal_code} {c.city}",
             f"SIRET {fmt_siret(c.siret, look.siret)} – RCS {c.rcs_city} {siren} – APE {values.choice(['4329A', '4322B', '4321A', '4399C'])}"
             f" – TVA intracom. {c.tva}",
             f"Assurance décennale {values.choice(['SMABTP', 'MAAF Pro', 'AXA France IARD', 'MMA IARD', 'L’Auxiliaire'])} – "
             f"contrat n° {values.randint(10**6, 10**8)} – couverture : France métropolitaine"]
    if rge:
        lines.append(f"Entreprise qualifiée RGE – {c.rge_body} n° {c.rge_numero}")
    size = sh.base_size - 2.5
    y = PAGE_H - 30 - len(lines) * (size + 2)
    sh.hline(y - size - 2, gray=0.6, width=0.4)
    for line in lines:
        sh.text(PAGE_W / 2, y, line, size, align="center", color=(0.3, 0.3, 0.3))
        y += size + 2
    sh.text(sh.right, PAGE_H - 18, f"Page {page}/{pages}", size)


def conditions_page(sh: Sheet, f: DossierFacts) -> None:
    y = 60
    sh.text(sh.left, y, "CONDITIONS GÉNÉRALES DE VENTE", sh.base_size + 3, "bold")
    y += 26
    for k, text in enumerate([
        "Le présent devis est valable trois mois à compter de sa date d'émission. Toute commande implique l'acceptation "
        "sans réserve des présentes conditions.",
        "Droit de rétractation : pour un contrat conclu hors établissement, le client dispose d'un délai de quatorze jours "
        "à compter de la signature.",
        f"Les travaux ouvrent droit à une prime au titre des certificats d'économies d'énergie, versée par {f.oblige} "
        "sous réserve de la conformité du dossier et de la qualification RGE de l'entreprise.",
        "Les travaux sont réalisés conformément aux DTU en vigueur. La garantie décennale couvre les ouvrages réalisés.",
        "Réserve de propriété : les fournitures restent la propriété de l'entreprise jusqu'au paiement intégral du prix.",
    ], 1):
        y = sh.paragraph(sh.left, y, f"Article {k} – {text}", sh.right - sh.left, sh.base_size - 0.5) + 8


# ---------------------------------------------------------------------------- devis and facture

def devis_software(f: DossierFacts, rng: Random, *, facture: bool = False) -> Drawn:
    sh, look = Sheet(rng), Look.pick(rng)
    c, values = f.installer, content_random(rng)
    doc_date = f.date_facture if facture else f.date_devis
    number = f.facture_number if facture else f.devis_number
    truth: dict = {"date_facture" if facture else "date_devis": _iso(doc_date),
                   "numero_facture" if facture else "numero_devis": number}
    code = f"{rng.choice(['C', 'CLI', '411'])}{values.randint(10, 9999):04d}"
    if facture:
        due = doc_date + dt.timedelta(days=30)
        box = [("Facture N°", number), ("Date", date_text(doc_date, look.date, rng)),
               ("Échéance", date_text(due, look.date, rng) if rng.random() < 0.7 else "À réception"), ("Code client", code)]
    else:
        validity = rng.choice(["3 mois", "90 jours", f"jusqu'au {date_text(doc_date + dt.timedelta(days=90), look.date, rng)}"])
        box = [("Devis N°", number), ("Date", date_text(doc_date, look.date, rng)), ("Validité", validity), ("Code client", code)]
    y = header(sh, f, look, "FACTURE" if facture else "DEVIS", box, truth)
    y = client_boxes(sh, f, max(y, 150), facture=facture)
    works = " + ".join(OPERATION_TITLES[op].lower() for op in f.operations)
    sh.text(sh.left, y, f"{rng.choice(['Objet', 'Chantier', 'Affaire'])} : {works[0].upper() + works[1:]}", style="bold")
    y += sh.base_size + 6
    notes = []
    if facture:
        notes.append(f"Suivant devis n° {f.devis_number} du {date_text(f.date_devis, look.date, rng)}")
        truth["numero_devis"] = f.devis_number
        notes.append(rng.choice([f"Date de réalisation des travaux : {date_text(f.date_fin_travaux, look.date, rng)}",
                                 f"Fin des travaux le {date_text(f.date_fin_travaux, look.date, rng)}",
                                 f"Travaux réalisés du {date_text(f.date_debut_travaux, look.date, rng)} au "
                                 f"{date_text(f.date_fin_travaux, look.date, rng)}"]))
        truth["date_fin_travaux"] = _iso(f.date_fin_travaux)
    else:
        if f.date_visite_technique and rng.random() < 0.5:
            notes.append(rng.choice([f"Visite technique réalisée le {date_text(f.date_visite_technique, look.date, rng)}",
                                     f"Date de la visite préalable : {date_text(f.date_visite_technique, look.date, rng)}"]))
            truth["date_visite_technique"] = _iso(f.date_visite_technique)
        if rng.random() < 0.4:
            notes.append(f"Début des travaux envisagé : {month_text(f.date_debut_travaux)}")
    for note in notes:
        sh.text(sh.left, y, note, sh.base_size - 0.5)
        y += sh.base_size + 4
    y += 6
    rows, product_truth, ambiguous = item_rows(sh, f, look)
    truth.update(product_truth)
    table = ItemTable(sh, rng.choice(COLUMN_SETS), look, rng.choice([("À reporter", "Report"), ("Total à reporter", "Report")]))
    prime = "line" if rng.random() < 0.65 else ("paragraph" if facture or rng.random() < 0.6 else "none")
    rge = rng.random() < 0.75
    breaks, end = table.pages(y, rows, 70)
    tail_break = end + recap_height(sh, f, devis=not facture) > BOTTOM
    conditions = rng.random() < 0.3
    pages = 1 + breaks + tail_break + conditions

    def new_page() -> float:
        footer(sh, f, look, sh.page, pages, rge=rge)
        sh.new_page()
        sh.text(sh.left, 46, f"{'Facture' if facture else 'Devis'} n° {number} (suite)", sh.base_size - 1, "italic")
        return 70

    y = table.draw(y, rows, new_page)
    if tail_break:
        y = new_page()
    y, totals_truth = recap(sh, f, look, y + 8, prime)
    truth.update(totals_truth)
    y = payment_terms(sh, f, look, y, facture=facture)
    if not facture:
        bon_pour_accord(sh, f, y, truth)
    if conditions:
        footer(sh, f, look, sh.page, pages, rge=rge)
        sh.new_page()
        conditions_page(sh, f)
    footer(sh, f, look, sh.page, pages, rge=rge)
    if rge:
        truth["rge_numero"] = c.rge_numero
    p = f.beneficiary
    truth.update({"beneficiaire_nom": f"{p.first_name} {p.last_name}", "beneficiaire_adresse": p.street,
                  "beneficiaire_code_postal": p.postal_code, "beneficiaire_ville": p.city,
                  "siret_installateur": c.siret, "raison_sociale_installateur": c.name,
                  "operations": json.dumps(f.operations)})
    return Drawn(sh.finish(), sh.page, truth, ambiguous)


def facture_software(f: DossierFacts, rng: Random) -> Drawn:
    return devis_software(f, rng, facture=True)
