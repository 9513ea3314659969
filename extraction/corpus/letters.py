"""The held-out ``letters`` family: devis, factures, attestations and obligés' letters written as
letters (see ``heldout_facts`` for what the family is and which seeds to measure on).

A letterhead, the recipient block without a label, a dateline (``Versailles, le 17 mai 2025``),
an ``Objet :`` line, values inside sentences, products named inside the item designations,
the legal mentions (SIRET, RCS, capital) in a footer, and signature zones holding ink only.
"""
from __future__ import annotations

from random import Random

from .documents import Drawn, Style, _dec, _iso, _merge_product_truth, building_age_statement
from .facts import OPERATION_TITLES, DossierFacts
from .heldout_facts import brands_truth, fmt_date_words, fmt_quantity, products_of
from .ink import sign
from .sheet import PAGE_H, PAGE_W, Sheet, table
from .wording import fmt_amount, fmt_number, fmt_siret

INSULANTS = {"Isover": "Laine de verre", "Knauf Insulation": "Laine minérale", "Rockwool": "Laine de roche",
             "URSA": "Laine de verre", "Actis": "Isolant mince multicouche", "Soprema": "Fibre de bois",
             "Saint-Gobain Weber": "Système d'isolation par l'extérieur"}


def _person_name(f: DossierFacts, rng: Random) -> str:
    p = f.beneficiary
    long = "Madame" if p.civility == "Mme" else "Monsieur"
    return rng.choice([f"{p.civility} {p.last_name.upper()} {p.first_name}", f"{long} {p.first_name} {p.last_name}",
                       f"{p.civility} {p.first_name} {p.last_name.upper()}", f"{p.last_name.upper()} {p.first_name}"])


def _beneficiary_truth(f: DossierFacts) -> dict:
    p = f.beneficiary
    return {"beneficiaire_nom": f"{p.first_name} {p.last_name}", "beneficiaire_adresse": p.street,
            "beneficiaire_code_postal": p.postal_code, "beneficiaire_ville": p.city}


def _ops(f: DossierFacts) -> str:
    import json

    return json.dumps(f.operations)


def letterhead(sh: Sheet, f: DossierFacts, st: Style, *, siret: bool) -> float:
    """The issuer's name and contact lines at the top: a logo block on the left, or a centred
    name over one line of address. Returns the y below."""
    rng, c = sh.rng, f.installer
    if rng.random() < 0.5:
        initials = "".join(w[0] for w in c.name.replace("'", " ").split()[:2]).upper()
        sh.rect(sh.left, 36, 46, 46, fill_gray=rng.choice([0.2, 0.35, 0.5]), stroke=False)
        sh.text(sh.left + 23, 66, initials, 18, "bold", align="center", color=(1, 1, 1))
        x, y = sh.left + 58, 46
        sh.text(x, y, c.name, sh.base_size + 5, "bold")
        y += sh.base_size + 8
        lines = [c.street, f"{c.postal_code} {c.city.upper()}", f"{rng.choice(['Tél.', 'Tel :', '☎'])} {c.phone} – {c.email}"]
        if siret:
            lines.append(f"SIRET {fmt_siret(c.siret, st.siret)}")
        for line in lines:
            sh.text(x, y, line, sh.base_size - 1)
            y += sh.base_size + 2
        return y + 10
    sh.text(PAGE_W / 2, 50, c.name, sh.base_size + 8, "bold", align="center")
    line = f"{c.street} – {c.postal_code} {c.city} – {c.phone}"
    sh.text(PAGE_W / 2, 66, line, sh.base_size - 1, align="center")
    y = 66 + sh.base_size + 2
    if siret:
        sh.text(PAGE_W / 2, y, f"{c.email} – SIRET : {fmt_siret(c.siret, st.siret)}", sh.base_size - 1, align="center")
        y += sh.base_size + 2
    sh.hline(y + 2, gray=0.5)
    return y + 14


def legal_footer(sh: Sheet, f: DossierFacts, st: Style, *, siret: bool, rge: bool = False) -> dict:
    """Legal mentions at the foot of the page; returns the truth they carry."""
    c = f.installer
    siren = f"{c.siret[:3]} {c.siret[3:6]} {c.siret[6:9]}"
    parts = [f"{c.legal_form} au capital de {c.capital:,} €".replace(",", " ")]
    parts.append(f"SIRET {fmt_siret(c.siret, st.siret)}" if siret else f"SIREN {siren}")
    parts += [f"RCS {c.rcs_city} {siren}", f"N° TVA intracom. {c.tva}"]
    truth = {}
    if rge:
        parts.append(f"Qualification RGE {c.rge_body} n° {c.rge_numero}")
        truth["rge_numero"] = c.rge_numero
    if sh.rng.random() < 0.5:
        parts.append("Assurance décennale " + sh.rng.choice(["MAAF Pro", "AXA", "SMABTP", "MMA Entreprise"]))
    size = sh.base_size - 2.5
    y = PAGE_H - 40
    sh.hline(y - 9, gray=0.7, width=0.4)
    for line in sh.wrap(" – ".join(parts), sh.right - sh.left, size):
        sh.text(PAGE_W / 2, y, line, size, align="center", color=(0.3, 0.3, 0.3))
        y += size + 2
    return truth


def recipient_block(sh: Sheet, f: DossierFacts, y: float) -> float:
    """The beneficiary as a letter's recipient: no label most of the time."""
    rng, p = sh.rng, f.beneficiary
    x = PAGE_W * rng.choice([0.52, 0.55, 0.58])
    heading = rng.choice([None, None, None, "Client", "Maître d'ouvrage", "Adresse des travaux", "Lieu du chantier"])
    if heading:
        sh.text(x, y, heading + rng.choice(["", " :"]), sh.base_size - 1, "italic")
        y += sh.base_size + 3
    for line in [_person_name(f, rng), p.street, f"{p.postal_code} {p.city.upper() if rng.random() < 0.6 else p.city}"]:
        sh.text(x, y, line, sh.base_size + 0.5)
        y += sh.base_size + 3.5
    return y


def dateline(sh: Sheet, city: str, date, y: float, *, right: bool | None = None) -> float:
    rng = sh.rng
    text = f"{rng.choice(['', 'Fait à '])}{city}, le {fmt_date_words(date, rng)}"
    if right if right is not None else rng.random() < 0.6:
        sh.text(sh.right, y, text, align="right")
    else:
        sh.text(sh.left, y, text)
    return y + sh.base_size + 14


def _designation(p, rng: Random) -> tuple[list[str], dict]:
    """An item as installers write it: the product inside the wording, its performance after."""
    truth: dict = {}
    brand = p.brand.upper() if rng.random() < 0.5 else p.brand
    if hasattr(p, "designation"):  # an accessory
        return [f"{p.designation} {brand} {p.reference}"], truth
    code = rng.choice([f" – fiche {p.operation}", f" ({p.operation})", f" – opération CEE {p.operation}"])
    if p.resistance is not None:
        kind = INSULANTS.get(p.brand, "Isolant")
        first = f"{rng.choice([kind, 'Isolant', 'Fourniture et pose isolant'])} {brand} {p.reference} {p.thickness_mm} mm, " \
                f"résistance thermique R = {fmt_number(p.resistance)} m².K/W"
        lines = [first, f"{OPERATION_TITLES[p.operation]}{code}"]
        truth["resistance_thermique"] = _dec(p.resistance)
    elif p.operation in ("BAR-TH-171", "BAR-TH-172"):
        lines = [f"Pompe à chaleur {'air/eau' if p.operation.endswith('171') else 'géothermique'} {brand} {p.reference}{code}",
                 f"Efficacité énergétique saisonnière ETAS {p.etas} % – COP {fmt_number(p.cop)} à +7/+35 °C"]
        truth.update(etas=_dec(p.etas), cop=_dec(p.cop))
        if p.surface is not None:
            lines.append(f"Pour un logement de {fmt_number(p.surface, 0)} m² chauffés")
            truth["surface_m2"] = _dec(p.surface)
    elif p.cop is not None:
        lines = [f"Chauffe-eau thermodynamique {brand} {p.reference}, COP de {fmt_number(p.cop)} selon EN 16147{code}"]
        truth["cop"] = _dec(p.cop)
    else:
        what = OPERATION_TITLES[p.operation]
        lines = [f"{what} {brand} {p.reference}{code}", f"Efficacité énergétique saisonnière : {p.etas} %"]
        truth["etas"] = _dec(p.etas)
    return lines, truth


def items(sh: Sheet, f: DossierFacts, st: Style, y: float) -> tuple[float, dict, list[str]]:
    """The item table: designations with the products in them, and the surface as a quantity."""
    rng = sh.rng
    qty_in_text = rng.random() < 0.45
    rows, truths = [], []
    for p in products_of(f):
        lines, truth = _designation(p, rng)
        money = fmt_amount(p.total_ht, st.amount, currency=False)
        unit_price = fmt_amount(p.unit_price, st.amount, currency=False)
        if p.unit == "m²" and getattr(p, "resistance", None) is not None:
            truth["surface_m2"] = _dec(p.quantity)
        if qty_in_text:
            lines.append(f"{fmt_quantity(p.quantity, p.unit) if p.unit == 'm²' else fmt_number(p.quantity, 0) + ' u'} × {unit_price} €")
            rows.append([lines, money])
        else:
            rows.append([lines, fmt_quantity(p.quantity, p.unit), unit_price, money])
        truths.append(truth)
    labour = f.extra.get("labour_only")
    if labour:
        text = rng.choice(["Main d'œuvre et mise en œuvre", "Dépose, évacuation et pose", "Forfait déplacement et mise en service"])
        money = fmt_amount(labour, st.amount, currency=False)
        rows.append([[text], money] if qty_in_text else [[text], "1", money, money])
    columns = ([("Désignation", 7, "left"), ("Montant HT", 2, "right")] if qty_in_text else
               [("Désignation", 6, "left"), ("Quantité", 1.6, "right"), ("P.U. HT", 1.6, "right"), ("Total HT", 1.8, "right")])
    y = table(sh, y, columns, rows, grid=rng.random() < 0.6, header_fill=rng.choice([None, 0.9, 0.8]))
    merged, ambiguous = _merge_product_truth(truths)
    merged.update(brands_truth(f))
    return y, merged, ambiguous


def totals(sh: Sheet, f: DossierFacts, st: Style, y: float, *, facture: bool) -> tuple[float, dict]:
    rng = sh.rng
    rate = fmt_number(f.tva_rate, 1 if f.tva_rate % 1 else 0)
    rows = [(rng.choice(["Total HT", "Montant total HT", "Total hors taxes"]), f.total_ht),
            (rng.choice([f"TVA {rate} %", f"TVA au taux de {rate} %", f"T.V.A. ({rate} %)"]), f.total_tva),
            (rng.choice(["Total TTC", "Montant TTC", "Total toutes taxes comprises"]), f.total_ttc)]
    truth = {"montant_ht": _dec(f.total_ht), "montant_tva": _dec(f.total_tva), "montant_ttc": _dec(f.total_ttc)}
    x = sh.right - 220
    for name, value in rows:
        sh.text(x, y, name, style="bold" if "TTC" in name or "toutes" in name else "regular")
        sh.text(sh.right - 4, y, fmt_amount(value, st.amount), align="right")
        y += sh.base_size + 5
    y += 8
    amount = fmt_amount(f.prime, st.amount)
    if facture:
        sentence = rng.choice([
            f"La prime accordée par {f.oblige} d'un montant de {amount} a été déduite du montant à régler.",
            f"Prime CEE versée par {f.oblige} et déduite de la présente facture : {amount}.",
            f"Le montant de la prime s'élève à {amount} ; elle a été déduite par {f.oblige}.",
        ])
        truth["prime_cee"] = _dec(f.prime)
        y = sh.paragraph(sh.left, y, sentence, sh.right - sh.left) + 2
        sh.text(sh.right - 4, y, f"Net à payer : {fmt_amount(f.net_a_payer, st.amount)}", style="bold", align="right")
        y += sh.base_size + 10
    elif rng.random() < 0.6:
        sentence = rng.choice([
            f"Le montant de la prime CEE s'élève à {amount} et sera déduit de votre facture.",
            f"Dans le cadre du dispositif CEE, {f.oblige} vous accorde une prime de {amount}.",
        ])
        y = sh.paragraph(sh.left, y, sentence, sh.right - sh.left) + 8
    return y, truth


def _number_line(f: DossierFacts, facture: bool, rng: Random) -> str:
    number = f.facture_number if facture else f.devis_number
    word = "Facture" if facture else rng.choice(["Devis", "Proposition", "Devis estimatif"])
    return rng.choice([f"{word} n° {number}", f"{word.upper()} N° {number}", f"{word} n°{number}"])


def devis_letter(f: DossierFacts, rng: Random, *, facture: bool = False) -> Drawn:
    sh, st = Sheet(rng), Style.pick(rng)
    siret_in_header = rng.random() < 0.35
    y = letterhead(sh, f, st, siret=siret_in_header)
    y = max(y, 120)
    y = recipient_block(sh, f, y + 10) + 14
    doc_date = f.date_facture if facture else f.date_devis
    truth: dict = {"date_facture" if facture else "date_devis": _iso(doc_date),
                   "numero_facture" if facture else "numero_devis": f.facture_number if facture else f.devis_number}
    y = dateline(sh, f.installer.city, doc_date, y)
    works = ", ".join(OPERATION_TITLES[op].lower() for op in f.operations)
    if rng.random() < 0.5:
        sh.text(sh.left, y, f"Objet : {_number_line(f, facture, rng)} – {works}", style="bold")
    else:
        sh.text(sh.left, y, f"Objet : {works[0].upper() + works[1:]}", style="bold")
        y += sh.base_size + 4
        sh.text(sh.left, y, _number_line(f, facture, rng))
    y += sh.base_size + 12
    sh.text(sh.left, y, "Madame, Monsieur,")
    y += sh.base_size + 6
    if facture:
        intro = f"Facture relative à notre devis n° {f.devis_number}, pour les travaux réalisés à votre domicile."
        y = sh.paragraph(sh.left, y, intro, sh.right - sh.left) + 2
        sh.text(sh.left, y, f"{rng.choice(['Achèvement des travaux', 'Travaux terminés le', 'Fin de chantier'])} : "
                            f"{fmt_date_words(f.date_fin_travaux, rng)}")
        truth["date_fin_travaux"] = _iso(f.date_fin_travaux)
        y += sh.base_size + 10
    else:
        if f.date_visite_technique and rng.random() < 0.6:
            intro = (f"Suite à notre visite technique du {fmt_date_words(f.date_visite_technique, rng)}, nous avons le plaisir "
                     "de vous adresser notre proposition pour les travaux suivants :")
            truth["date_visite_technique"] = _iso(f.date_visite_technique)
        else:
            intro = "Nous vous remercions de votre demande et vous prions de trouver ci-dessous notre meilleure offre :"
        y = sh.paragraph(sh.left, y, intro, sh.right - sh.left) + 8
    y, product_truth, ambiguous = items(sh, f, st, y)
    truth.update(product_truth)
    y, totals_truth = totals(sh, f, st, y + 6, facture=facture)
    truth.update(totals_truth)
    if facture:
        sh.text(sh.left, y, rng.choice(["Règlement à réception de facture.", "Paiement par virement sous 30 jours."]),
                sh.base_size - 1, "italic")
    else:
        y = _bon_pour_accord(sh, f, y + 4, truth)
    truth.update(legal_footer(sh, f, st, siret=not siret_in_header or rng.random() < 0.5, rge=facture and rng.random() < 0.8))
    truth.update(_beneficiary_truth(f))
    truth.update({"siret_installateur": f.installer.siret, "raison_sociale_installateur": f.installer.name,
                  "operations": _ops(f)})
    return Drawn(sh.finish(), 1, truth, ambiguous)


def _bon_pour_accord(sh: Sheet, f: DossierFacts, y: float, truth: dict) -> float:
    """The client's acceptance zone: a framed box, ink and a handwritten date when signed."""
    rng = sh.rng
    y = min(y, PAGE_H - 160)
    width = (sh.right - sh.left) / 2 - 10
    x = sh.left if rng.random() < 0.5 else sh.left + width + 20
    title = rng.choice(["Bon pour accord", "Date et signature du client précédées de la mention « Bon pour accord »",
                        "Signature du client, précédée de la mention « Bon pour accord »"])
    lines = sh.wrap(title, width - 8, sh.base_size - 1)
    sh.rect(x, y, width, 90)
    for k, line in enumerate(lines):
        sh.text(x + 4, y + 11 + k * (sh.base_size + 1), line, sh.base_size - 1, "bold")
    if f.extra.get("ink", {}).get("devis", True) and f.devis_signed:
        top = y + 14 + len(lines) * (sh.base_size + 1)
        if rng.random() < 0.7:
            sh.text(x + 6, top + 6, rng.choice(["Bon pour accord", "bon pour accord", "BPA"]), sh.base_size + 1, "italic",
                    color=(0.05, 0.1, 0.45))
            sh.text(x + 6, top + 20, f"le {f.date_signature.strftime(rng.choice(['%d/%m/%y', '%d/%m/%Y']))}",
                    sh.base_size + 1, "italic", color=(0.05, 0.1, 0.45))
            truth["date_signature"] = _iso(f.date_signature)
        sign(sh, x + width * 0.45, top, width * 0.5, 90 - (top - y) - 4)
    return y + 100


# ---------------------------------------------------------------------------- attestation sur l'honneur

def attestation_letter(f: DossierFacts, rng: Random) -> Drawn:
    """The attestation written as sentences, with two framed signature zones holding ink only."""
    sh, st = Sheet(rng), Style.pick(rng)
    p, c = f.beneficiary, f.installer
    y = 56
    sh.text(PAGE_W / 2, y, rng.choice(["ATTESTATION SUR L'HONNEUR", "Attestation sur l'honneur"]), 16, "bold", align="center")
    y += 20
    ops = " ; ".join(f"{op} « {OPERATION_TITLES[op]} »" for op in f.operations)
    y = sh.paragraph(sh.left, y, f"Opération(s) d'économies d'énergie : {ops}", sh.right - sh.left, sh.base_size - 0.5) + 10
    sh.text(sh.left, y, "A / Le bénéficiaire", style="bold")
    y += sh.base_size + 6
    name = _person_name(f, rng)
    sentence = (f"Je soussigné(e) {name}, demeurant {p.street}, {p.postal_code} {p.city}, atteste sur l'honneur que "
                f"les travaux ont été engagés le {fmt_date_words(f.date_signature, rng)} et achevés le "
                f"{fmt_date_words(f.date_fin_travaux, rng)}, qu'ils ont fait l'objet de la facture n° {f.facture_number} "
                "et que je n'ai pas bénéficié pour cette opération d'une autre aide au titre des certificats d'économies d'énergie.")
    y = sh.paragraph(sh.left, y, sentence, sh.right - sh.left) + 8
    truth = {**_beneficiary_truth(f), "operations": _ops(f), "date_engagement": _iso(f.date_signature),
             "date_achevement": _iso(f.date_fin_travaux), "reference_facture": f.facture_number,
             "siret_installateur": c.siret, "raison_sociale_installateur": c.name}
    y = building_age_statement(sh, f, y, truth, "attestation_letter")
    sh.text(sh.left, y, "B / Le professionnel", style="bold")
    y += sh.base_size + 6
    sentence = (f"L'entreprise {c.name}, {c.street}, {c.postal_code} {c.city}, immatriculée sous le SIRET "
                f"{fmt_siret(c.siret, st.siret)}, atteste avoir réalisé l'opération décrite ci-dessus.")
    y = sh.paragraph(sh.left, y, sentence, sh.right - sh.left) + 10
    sh.text(sh.left, y, f"Fait à {p.city}, le {fmt_date_words(f.date_fin_travaux, rng) if rng.random() < 0.7 else '…………'}")
    y += sh.base_size + 12
    signature_zones(sh, f, y, truth)
    return Drawn(sh.finish(), 1, truth)


def signature_zones(sh: Sheet, f: DossierFacts, y: float, truth: dict) -> float:
    """Two zones side by side (or one above the other): the label, a frame or a dotted line, ink."""
    rng = sh.rng
    y = min(y, PAGE_H - 150)
    half = (sh.right - sh.left) / 2
    labels = [rng.choice(["Signature du bénéficiaire", "Signature du client", "Le bénéficiaire (signature)"]),
              rng.choice(["Cachet et signature du professionnel", "Signature de l'entreprise", "Signature du professionnel",
                          "Cachet de l'entreprise"])]
    signed = [f.ah_signed_beneficiary, f.ah_signed_installer]
    framed = rng.random() < 0.6
    for k, (text, is_signed) in enumerate(zip(labels, signed)):
        x = sh.left + k * (half + 6)
        sh.text(x + 4, y, text, sh.base_size - 0.5, "bold")
        if framed:
            sh.rect(x, y - sh.base_size - 4, half - 6, 100)
        if is_signed:
            stamp = None
            if k == 1 and f.extra.get("ink", {}).get("stamp_installer"):
                c = f.installer
                stamp = [c.name.upper()[:26], f"{c.postal_code} {c.city.upper()}"[:26], f"SIRET {c.siret}"]
            sign(sh, x + 8, y + 10, half - 24, 70, stamp_lines=stamp)
    truth["signature_beneficiaire"] = "true" if signed[0] else "false"
    truth["signature_installateur"] = "true" if signed[1] else "false"
    return y + 100


# ---------------------------------------------------------------------------- the obligé's letter

def cadre_letter(f: DossierFacts, rng: Random) -> Drawn:
    """A cadre de contribution as the obligé writes it: its letterhead, the beneficiary as the
    recipient, a dateline, the offer in sentences."""
    sh, st = Sheet(rng), Style.pick(rng)
    service = f.extra.get("oblige_service", "Service CEE")
    sh.text(sh.left, 50, f.oblige, sh.base_size + 7, "bold", color=rng.choice([(0.6, 0.1, 0.1), (0.1, 0.3, 0.6), (0, 0, 0)]))
    sh.text(sh.left, 66, service, sh.base_size - 1, "italic")
    sh.text(sh.left, 78, rng.choice(["Tour Pacific – 11 cours Valmy – 92800 Puteaux", "BP 40112 – 69511 Vaulx-en-Velin Cedex",
                                     "12 avenue de l'Europe – 67300 Schiltigheim"]), sh.base_size - 1.5)
    y = recipient_block(sh, f, 130) + 14
    y = dateline(sh, rng.choice(["Paris", "Puteaux", "Lyon", "Strasbourg"]), f.date_cadre, y)
    subject = rng.choice(["Votre prime énergie pour vos travaux de rénovation",
                          "Proposition de contribution financière – certificats d'économies d'énergie",
                          "Cadre de contribution CEE", "Votre offre « Prime Éco Travaux »"])
    sh.text(sh.left, y, f"Objet : {subject}", style="bold")
    y += sh.base_size + 14
    sh.text(sh.left, y, "Madame, Monsieur,")
    y += sh.base_size + 8
    amount = fmt_amount(f.prime, st.amount)
    works = " et ".join(f"{op} « {OPERATION_TITLES[op]} »" for op in f.operations)
    paragraphs = [
        f"Dans le cadre du dispositif des certificats d'économies d'énergie (CEE), {f.oblige} s'engage à contribuer "
        f"financièrement à votre projet de travaux : opération {works}.",
        rng.choice([f"Le montant de notre contribution s'élève à {amount}, versée après réalisation des travaux et "
                    "réception du dossier complet.",
                    f"Notre prime, d'un montant de {amount}, vous sera versée par virement une fois les travaux achevés."]),
        "Cette proposition doit être acceptée avant la signature du devis de l'entreprise qui réalisera les travaux. "
        "Le professionnel doit être titulaire d'une qualification RGE.",
        "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
    ]
    for text in paragraphs:
        y = sh.paragraph(sh.left, y, text, sh.right - sh.left) + 8
    sh.text(sh.right - 160, y + 6, service, sh.base_size - 0.5)
    if rng.random() < 0.5:
        sign(sh, sh.right - 170, y + 14, 160, 50)
    size = sh.base_size - 2.5
    sh.text(PAGE_W / 2, PAGE_H - 36, f"{f.oblige} – SIRET {fmt_siret(f.oblige_siret, st.siret)} – www.primes-energie.example",
            size, align="center", color=(0.35, 0.35, 0.35))
    truth = {"date_cadre": _iso(f.date_cadre), "nom_oblige": f.oblige, "montant_prime": _dec(f.prime),
             "beneficiaire_nom": f"{f.beneficiary.first_name} {f.beneficiary.last_name}", "operations": _ops(f)}
    return Drawn(sh.finish(), 1, truth)


def facture_letter(f: DossierFacts, rng: Random) -> Drawn:
    return devis_letter(f, rng, facture=True)

