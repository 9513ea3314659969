"""The ``retail`` family's attestation sur l'honneur and cadre de contribution (see ``retail_facts``).

- The attestation as the energy supplier hands it out: a fillable PDF form, filled in and sent
  without flattening (the values live in the form's text fields, the ticks in its check boxes);
  the signatures pasted as images where the parties signed (a viewer's « Remplir et signer »).
- The attestation typed in a word processor from the programme's model: labels with dotted
  leaders and the values typed after them, « [X] » boxes, « Fait à …, le … », the two parties'
  boxes signed in ink, the professional's with its company stamp.
- The energy supplier's offer (« Offre Coup de pouce Chauffage / Isolation », « Prime Énergie »):
  the customer's account references (N° client, contract, PDL / PCE) as distractors, the offer's
  date, the prime per operation, the acceptance before the quote is signed.
- The programme's partner contract summary: the supplier and its partner (the retailer or the
  franchise), the partner's number, then the dossier's offer: beneficiary, works, prime, date.
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from random import Random

from .documents import Drawn, _dec, _iso
from .facts import OPERATION_TITLES, DossierFacts, content_random
from .ink import image_signature, sign
from .network_forms import _truth as ah_truth
from .retail_facts import beneficiary_truth_name, customer_name, date_text, money, representative
from .sheet import PAGE_H, PAGE_W, Sheet

GREY = (0.4, 0.4, 0.43)
SUPPLIER_COLOURS = [(0.0, 0.35, 0.65), (0.0, 0.5, 0.35), (0.8, 0.3, 0.0), (0.35, 0.15, 0.55)]


def _latin(text: str) -> str:
    """What a form field's standard font can show."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("’", "'").replace("–", "-")
    return text.encode("latin-1", "replace").decode("latin-1")


def _ah_truth(f: DossierFacts) -> dict:
    truth = ah_truth(f)
    truth["beneficiaire_nom"] = beneficiary_truth_name(f)
    return truth


def _ah_date(f: DossierFacts) -> dt.date:
    return f.date_fin_travaux + dt.timedelta(days=Random(f"{f.reference}|retail-ah").randint(0, 6))


def attestation_formulaire(f: DossierFacts, rng: Random) -> Drawn:
    """The programme's fillable attestation, filled in, not flattened."""
    sh = Sheet(rng)
    p, c = f.beneficiary, f.installer
    truth = _ah_truth(f)
    colour = rng.choice(SUPPLIER_COLOURS)
    style = rng.choice(["slash", "slash", "dash"])
    form = sh.canvas.acroForm
    entity = f.extra.get("entity")
    sh.rect(0, 0, PAGE_W, 54, stroke=False, fill_rgb=colour)
    sh.text(sh.left, 28, f.oblige, 14, "bold", color=(1, 1, 1))
    sh.text(sh.left, 44, f.extra.get("oblige_service", ""), sh.base_size - 1, color=(0.9, 0.92, 0.95))
    sh.text(sh.right, 28, "Formulaire AH – v2025.2", 8, align="right", color=(1, 1, 1))
    sh.text(PAGE_W / 2, 80, "ATTESTATION SUR L'HONNEUR", 16, "bold", align="center")
    sh.text(PAGE_W / 2, 94, "Opération d'économies d'énergie – à compléter par le bénéficiaire et le professionnel", 8, "italic",
            align="center", color=GREY)
    y = 112
    count = [0]

    def field(label: str, value: str, x: float, width: float, label_w: float) -> None:
        count[0] += 1
        sh.text(x, y + 11, label, sh.base_size - 1.5)
        form.textfield(name=f"champ_{count[0]:02d}", value=_latin(value), x=x + label_w, y=PAGE_H - y - 16, width=width - label_w,
                       height=17, fontName="Helvetica", fontSize=9, borderWidth=0.6, borderColor=None,
                       fillColor=None, textColor=None, forceBorder=True)

    def section(title: str) -> None:
        nonlocal y
        y += 10
        sh.rect(sh.left, y, sh.right - sh.left, 16, stroke=False, fill_gray=0.9)
        sh.text(sh.left + 5, y + 11.5, title, sh.base_size - 0.5, "bold", color=colour)
        y += 24

    full = sh.right - sh.left
    half = (full - 12) / 2
    section("1. Le bénéficiaire")
    if entity:
        field("Raison sociale", entity[0], sh.left, full, 120)
        y += 24
        field("Représentée par", f"{p.first_name} {p.last_name.upper()} ({entity[2]})", sh.left, full, 120)
    else:
        field("Nom", p.last_name.upper(), sh.left, half, 60)
        field("Prénom", p.first_name, sh.left + half + 12, half, 60)
    y += 24
    field("Adresse des travaux", p.street, sh.left, full, 120)
    y += 24
    field("Code postal", p.postal_code, sh.left, half, 80)
    field("Commune", p.city, sh.left + half + 12, half, 60)
    y += 24
    field("Téléphone", p.phone, sh.left, half, 80)
    field("Courriel", p.email, sh.left + half + 12, half, 60)
    y += 26
    section("2. L'opération")
    field("Fiche(s) d'opération", ", ".join(f.operations), sh.left, full, 120)
    y += 24
    field("Date d'engagement", date_text(f.date_signature, style), sh.left, half, 110)
    field("Date d'achèvement", date_text(f.date_fin_travaux, style), sh.left + half + 12, half, 110)
    y += 24
    field("N° de la facture", f.facture_number, sh.left, half, 110)
    y += 26
    if Random(f"{f.reference}|retail-age").random() < 0.85:
        sh.text(sh.left, y + 9, "Le bâtiment est existant depuis plus de 2 ans à la date d'engagement de l'opération :", sh.base_size - 1)
        x = sh.left + 20
        for k, (word, ticked) in enumerate([("Oui", f.batiment_plus_de_2_ans), ("Non", not f.batiment_plus_de_2_ans)]):
            form.checkbox(name=f"age_{word.lower()}", x=x + k * 70, y=PAGE_H - y - 28, size=11, checked=ticked, buttonStyle="check",
                          borderWidth=0.8)
            sh.text(x + k * 70 + 15, y + 25, word, sh.base_size - 1)
        truth["batiment_plus_de_2_ans"] = "true" if f.batiment_plus_de_2_ans else "false"
        y += 36
    section("3. Le professionnel")
    field("Raison sociale", c.name, sh.left, full, 120)
    y += 24
    field("SIRET", c.siret, sh.left, half, 60)
    field("Ville", c.city, sh.left + half + 12, half, 60)
    y += 28
    section("4. Signatures")
    y = sh.paragraph(sh.left, y + 2, "Le bénéficiaire et le professionnel attestent sur l'honneur l'exactitude des informations "
                     "ci-dessus, la réalisation de l'opération à l'adresse indiquée et l'absence d'autre demande de certificats "
                     "d'économies d'énergie pour cette opération.", full, sh.base_size - 1.8) + 2
    field("Fait à", p.city, sh.left, half, 50)
    field("Le", date_text(_ah_date(f), style), sh.left + half + 12, half, 50)
    y += 30
    ink = Random(f"{f.reference}|retail-ah-ink")
    for k, (title, signed) in enumerate([("Signature du bénéficiaire", f.ah_signed_beneficiary),
                                         ("Signature et cachet du professionnel", f.ah_signed_installer)]):
        x = sh.left + k * (half + 12)
        sh.text(x, y, title, sh.base_size - 1, "bold")
        sh.rect(x, y + 5, half, 70)
        if signed:
            saved, sh.rng = sh.rng, ink
            image_signature(sh, x + 20, y + 18, half - 60, 42)
            sh.rng = saved
    sh.text(PAGE_W / 2, PAGE_H - 20, f"{f.oblige} – formulaire à retourner complété et signé – page 1/1", 7, align="center", color=GREY)
    truth["signature_beneficiaire"] = "true" if f.ah_signed_beneficiary else "false"
    truth["signature_installateur"] = "true" if f.ah_signed_installer else "false"
    return Drawn(sh.finish(), 1, truth)


def attestation_saisie(f: DossierFacts, rng: Random) -> Drawn:
    """The programme's model typed in a word processor, values after dotted leaders, signed in ink."""
    sh = Sheet(rng)
    p, c = f.beneficiary, f.installer
    truth = _ah_truth(f)
    style = rng.choice(["slash", "long", "dash"])
    ink = f.extra.get("ink", {})
    glyphs = sh.fonts.regular.startswith("DejaVu") and rng.random() < 0.5
    on, off = ("☒", "☐") if glyphs else ("[X]", "[ ]")
    sh.text(sh.left, 46, f.oblige.upper(), sh.base_size + 1, "bold")
    sh.text(sh.right, 46, f"Réf. programme : {f.extra.get('oblige_service', '')}", sh.base_size - 2, align="right", color=GREY)
    sh.text(PAGE_W / 2, 86, "ATTESTATION SUR L'HONNEUR", 15, "bold", align="center")
    sh.text(PAGE_W / 2, 101, "(à remplir en lettres capitales)", 8, "italic", align="center")
    ops = " ; ".join(f"{op} – {OPERATION_TITLES[op]}" for op in f.operations)
    name = customer_name(f, rng) if rng.random() < 0.5 else f"{p.last_name.upper()} {p.first_name}"
    if f.extra.get("entity"):
        name = f"{f.extra['entity'][0]}, {representative(f)}"
    rows = [("Nom et prénom / raison sociale du bénéficiaire", name), ("Adresse des travaux", p.street),
            ("Code postal et commune", f"{p.postal_code} {p.city.upper()}"), ("Téléphone", p.phone),
            ("Opération(s) réalisée(s)", ops), ("Date d'engagement (signature du devis)", date_text(f.date_signature, style)),
            ("Date de fin des travaux", date_text(f.date_fin_travaux, style)), ("Facture n°", f.facture_number),
            ("Entreprise ayant réalisé les travaux", c.name), ("N° SIRET de l'entreprise", c.siret)]
    y = 130
    label_w = 215
    for label, value in rows:
        size = sh.base_size - 0.5
        while size > 6 and sh.width(label, size) > label_w - 8:
            size -= 0.25
        sh.text(sh.left, y, label, size)
        x = sh.left + label_w
        sh.canvas.setDash(1, 2)
        sh.hline(y + 2, x, sh.right, width=0.5, gray=0.5)
        sh.canvas.setDash()
        lines = sh.wrap(value, sh.right - x - 4, sh.base_size, "bold")
        for k, line in enumerate(lines):
            sh.text(x + 4, y - 1 + k * (sh.base_size + 3), line, sh.base_size, "bold", color=(0.05, 0.05, 0.3))
        y += max(1, len(lines)) * (sh.base_size + 3) + 10
    if Random(f"{f.reference}|retail-age").random() < 0.8:
        value = f.batiment_plus_de_2_ans
        y += 4
        sh.text(sh.left, y, f"{on if value else off} Le logement est achevé depuis plus de 2 ans à la date d'engagement", sh.base_size)
        sh.text(sh.left, y + sh.base_size + 5, f"{off if value else on} Le logement est achevé depuis moins de 2 ans", sh.base_size)
        truth["batiment_plus_de_2_ans"] = "true" if value else "false"
        y += 2 * sh.base_size + 14
    y = sh.paragraph(sh.left, y + 6, "Nous attestons sur l'honneur que les informations ci-dessus sont exactes, que l'opération a été "
                     "réalisée et achevée à l'adresse indiquée et qu'elle ne fait pas l'objet d'une autre demande de certificats "
                     "d'économies d'énergie. Toute fausse déclaration expose son auteur aux sanctions de l'article 441-1 du code "
                     "pénal.", sh.right - sh.left, sh.base_size - 1) + 8
    sh.text(sh.left, y, f"Fait à {p.city}, le {date_text(_ah_date(f), style)}", sh.base_size)
    y += 22
    half = (sh.right - sh.left - 14) / 2
    stamp = [c.name.upper()[:26], f"{c.postal_code} {c.city.upper()}"[:26], f"SIRET {c.siret}"] if ink.get("stamp_installer") else None
    for k, (title, signed) in enumerate([("Le bénéficiaire", f.ah_signed_beneficiary), ("Le professionnel (signature et cachet)",
                                                                                         f.ah_signed_installer)]):
        x = sh.left + k * (half + 14)
        sh.text(x, y, title, sh.base_size - 0.5, "bold")
        sh.rect(x, y + 6, half, 90)
        if signed:
            sign(sh, x + 6, y + 14, half - 12, 74, stamp_lines=stamp if k == 1 else None)
    sh.text(PAGE_W / 2, PAGE_H - 22, "Modèle d'attestation du programme – 1 exemplaire à conserver par chaque partie", 7, "italic",
            align="center", color=GREY)
    truth["signature_beneficiaire"] = "true" if f.ah_signed_beneficiary else "false"
    truth["signature_installateur"] = "true" if f.ah_signed_installer else "false"
    return Drawn(sh.finish(), 1, truth)


# ---------------------------------------------------------------------------- cadre de contribution

def _shares(f: DossierFacts) -> list[Decimal]:
    weights = [p.total_ht for p in f.products]
    total = sum(weights, Decimal(0)) or Decimal(1)
    shares = [(f.prime * w / total).quantize(Decimal("0.01")) for w in weights[:-1]]
    return shares + [f.prime - sum(shares, Decimal(0))]


def _cadre_truth(f: DossierFacts) -> dict:
    return {"date_cadre": _iso(f.date_cadre), "nom_oblige": f.oblige, "montant_prime": _dec(f.prime),
            "beneficiaire_nom": beneficiary_truth_name(f), "operations": json.dumps(f.operations)}


def _offer_name(f: DossierFacts) -> str:
    heat = any(op.startswith("BAR-TH-17") or op == "BAR-TH-113" for op in f.operations)
    return "Offre Coup de pouce Chauffage" if heat else "Offre Prime Énergie Isolation"


def cadre_coup_de_pouce(f: DossierFacts, rng: Random) -> Drawn:
    """The energy supplier's offer, addressed to its customer, with the customer's account references."""
    sh, values = Sheet(rng), content_random(rng)
    p, c, r = f.beneficiary, f.installer, f.extra["retail"]
    colour = rng.choice(SUPPLIER_COLOURS)
    amount, style = rng.choice(["space_eur", "dot_eur", "prefix"]), rng.choice(["slash", "long"])
    sh.rect(sh.left, 30, 150, 40, stroke=False, fill_rgb=colour)
    sh.text(sh.left + 75, 55, f.oblige.split()[0].upper(), 15, "bold", align="center", color=(1, 1, 1))
    sh.text(sh.right, 40, f.extra.get("oblige_service", ""), sh.base_size, "bold", align="right", color=colour)
    sh.text(sh.right, 54, "Service clients : 09 70 " + f"{values.randint(10, 99)} {values.randint(10, 99)} {values.randint(10, 99)}",
            sh.base_size - 2, align="right")
    refs = [("Vos références", ""), ("N° client", r["customer"]), ("N° de contrat", r["contract"]),
            ("PDL" if values.random() < 0.5 else "PCE", r["pdl"] if values.random() < 0.5 else r["pce"]),
            ("Référence de l'offre", f"OCP-{f.date_cadre:%y%m}-{values.randint(10000, 99999)}")]
    y = 100
    for k, (label, value) in enumerate(refs):
        sh.text(sh.left, y + k * (sh.base_size + 3), f"{label}{' : ' + value if value else ''}", sh.base_size - 1,
                "bold" if k == 0 else "regular")
    lines = [customer_name(f, rng), p.street, f"{p.postal_code} {p.city.upper()}"]
    if f.extra.get("entity"):
        lines.insert(1, representative(f))
    for k, line in enumerate(lines):
        sh.text(320, 110 + k * (sh.base_size + 3), line, sh.base_size + 0.5)
    y = 200
    sh.text(sh.right, y, f"Le {date_text(f.date_cadre, style)}", sh.base_size, align="right")
    y += 26
    sh.text(sh.left, y, f"Objet : votre {_offer_name(f)}", sh.base_size + 2, "bold", color=colour)
    y += 22
    text = (f"Madame, Monsieur,\n\nDans le cadre du dispositif des Certificats d'Économies d'Énergie, {f.oblige} contribue à "
            f"vos travaux de rénovation réalisés par notre partenaire {c.name} ({c.postal_code} {c.city}). Nous avons le plaisir "
            f"de vous proposer la prime suivante, sous réserve de l'éligibilité de votre opération :")
    for part in text.split("\n"):
        y = sh.paragraph(sh.left, y, part, sh.right - sh.left, sh.base_size) if part else y + 4
    y += 8
    cols = [("Opération", 0.55), ("Fiche", 0.2), ("Montant de la prime", 0.25)]
    x = sh.left
    width = sh.right - sh.left
    sh.rect(sh.left, y, width, 16, fill_rgb=colour, stroke=False)
    for title, share in cols:
        sh.text(x + 4, y + 11.5, title, sh.base_size - 1, "bold", color=(1, 1, 1))
        x += width * share
    y += 16
    for product, share in zip(f.products, _shares(f)):
        x = sh.left
        for text_value, part in zip([OPERATION_TITLES[product.operation], product.operation, money(share, amount)], cols):
            sh.text(x + 4, y + 12, text_value, sh.base_size - 0.5)
            x += width * part[1]
        sh.hline(y + 17, width=0.3, gray=0.7)
        y += 17
    sh.text(sh.left + 4, y + 14, "Total de votre prime", sh.base_size, "bold")
    sh.text(sh.right - 4, y + 14, money(f.prime, amount), sh.base_size + 1, "bold", align="right")
    y += 34
    y = sh.paragraph(sh.left, y, "Important : pour bénéficier de cette offre, vous devez l'accepter AVANT de signer le devis de "
                     "votre professionnel. La prime vous sera versée par virement dans un délai de 8 semaines après réception du "
                     "dossier complet (devis signé, facture, attestation sur l'honneur).", sh.right - sh.left, sh.base_size - 1) + 14
    sh.text(sh.left, y, "Bon pour acceptation de l'offre, le ........................", sh.base_size - 0.5)
    sh.text(sh.right - 150, y, "Signature du client", sh.base_size - 0.5)
    if f.devis_signed:
        saved, sh.rng = sh.rng, Random(f"{f.reference}|retail-cadre-ink")
        sign(sh, sh.right - 160, y + 8, 150, 40, kind="vector")
        sh.rng = saved
    legal = (f"{f.oblige} – société anonyme – fournisseur d'énergie soumis aux obligations d'économies d'énergie (articles L. 221-1 "
             "et suivants du code de l'énergie). Offre non cumulable avec une autre offre CEE pour la même opération.")
    yy = PAGE_H - 44
    for line in sh.wrap(legal, sh.right - sh.left, 6.8):
        sh.text(sh.left, yy, line, 6.8, color=GREY)
        yy += 9
    return Drawn(sh.finish(), 1, _cadre_truth(f))


def cadre_contrat(f: DossierFacts, rng: Random) -> Drawn:
    """The programme's partner contract summary with the dossier's offer."""
    sh, values = Sheet(rng), content_random(rng)
    p, c, r = f.beneficiary, f.installer, f.extra["retail"]
    amount, style = rng.choice(["space_eur", "dot_eur", "prefix", "nbsp"]), rng.choice(["slash", "dash", "long"])
    colour = rng.choice(SUPPLIER_COLOURS)
    sh.text(sh.left, 50, "CONTRAT DE PARTENARIAT CEE", 15, "bold", color=colour)
    sh.text(sh.left, 66, f"Récapitulatif de l'offre {rng.choice(['Prime Énergie', 'Coup de pouce', 'de contribution'])}",
            sh.base_size + 1, "bold")
    sh.hline(76, width=1.2, gray=0.2)
    partner = r["sign"] if r["channel"] != "fournisseur" else c.name
    blocks = [("Entre", [f.oblige, f"{f.extra.get('oblige_service', '')}", f"SIREN {f.oblige_siret[:9]}"]),
              ("Et le partenaire", [f"{partner} – réseau partenaire n° P-{values.randint(1000, 9999)}", c.name, f"SIRET {c.siret}"])]
    y = 98
    half = (sh.right - sh.left - 14) / 2
    for k, (title, lines) in enumerate(blocks):
        x = sh.left + k * (half + 14)
        sh.rect(x, y, half, 64, fill_gray=0.96, stroke=False)
        sh.text(x + 6, y + 13, title, sh.base_size - 1.5, "bold", color=GREY)
        for n, line in enumerate(lines):
            sh.text(x + 6, y + 28 + n * (sh.base_size + 2), line, sh.base_size - (0 if n == 0 else 1), "bold" if n == 0 else "regular")
    y += 84
    rows = [("Date d'émission de l'offre", date_text(f.date_cadre, style)),
            ("Référence partenaire du dossier", f"{r['order'][:6]}-{values.randint(100, 999)}"),
            ("N° client du bénéficiaire", r["customer"]),
            ("Bénéficiaire", customer_name(f, rng)), ("Adresse des travaux", f"{p.street}, {p.postal_code} {p.city}"),
            ("Opération(s)", ", ".join(f"{op} ({OPERATION_TITLES[op]})" for op in f.operations)),
            ("Montant de la prime CEE", money(f.prime, amount)),
            ("Mode de versement", rng.choice(["déduction sur la facture du partenaire", "virement au bénéficiaire"]))]
    for label, value in rows:
        sh.text(sh.left, y, label, sh.base_size - 0.5, color=GREY)
        lines = sh.wrap(value, sh.right - sh.left - 200, sh.base_size, "bold")
        for k, line in enumerate(lines):
            sh.text(sh.left + 200, y + k * (sh.base_size + 2), line, sh.base_size, "bold")
        y += max(1, len(lines)) * (sh.base_size + 2) + 9
        sh.hline(y - sh.base_size, width=0.3, gray=0.8)
    y += 10
    clauses = [f"Article 1 – {f.oblige} s'engage à verser la prime indiquée ci-dessus, dans le cadre de son rôle actif et incitatif, "
               "pour l'opération décrite, réalisée par le partenaire ou son sous-traitant qualifié RGE.",
               "Article 2 – L'offre doit être émise avant l'engagement de l'opération (signature du devis). Elle est valable 6 mois.",
               "Article 3 – Le partenaire transmet le dossier complet (devis, facture, attestation sur l'honneur signée) dans les 3 mois "
               "suivant la fin des travaux."]
    for text in clauses:
        y = sh.paragraph(sh.left, y, text, sh.right - sh.left, sh.base_size - 1.2) + 5
    sh.text(PAGE_W / 2, PAGE_H - 22, f"{f.oblige} – contrat cadre partenaires – page 1/1", 7, align="center", color=GREY)
    return Drawn(sh.finish(), 1, _cadre_truth(f))
