"""The held-out ``letters`` family's administrative forms: the avis d'imposition (one or two
declarants, the address block without a label) and RGE certificates in the manner of Qualibat,
Qualit'EnR, Qualifelec and Certibat (holder block, number, ``valable du … au …``, domains)."""
from __future__ import annotations

from decimal import Decimal
from random import Random

from .documents import Drawn, Style, _dec, _iso
from .facts import DossierFacts
from .heldout_facts import fmt_date_words
from .ink import stamp
from .sheet import PAGE_W, Sheet, table
from .wording import fmt_amount, fmt_date, fmt_number, fmt_siret


def _int_fr(value: int) -> str:
    return f"{value:,}".replace(",", " ")


# ---------------------------------------------------------------------------- avis d'imposition

def avis_two_declarants(f: DossierFacts, rng: Random) -> Drawn:
    """An avis laid out like the DGFiP's: references on the left, the household's address block
    on the right (``M. ou Mme NOM Prénom``), declarants in two columns, the figures in a box."""
    sh, st = Sheet(rng), Style.pick(rng)
    p = f.beneficiary
    spouse = f.extra.get("spouse") and f.declarant2
    sh.text(sh.left, 44, "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES", sh.base_size - 1.5, "bold")
    sh.text(sh.left, 56, f"SIP de {p.city.upper()}", sh.base_size - 1.5)
    sh.text(sh.left, 90, f"AVIS D'IMPÔT {f.annee_revenus + 1}", 15, "bold")
    sh.text(sh.left, 106, f"IMPÔT SUR LES REVENUS de l'année {f.annee_revenus}", sh.base_size, "bold")
    x, y = PAGE_W * 0.56, 92
    if spouse:
        household = rng.choice([f"M. OU MME {p.last_name.upper()} {p.first_name.upper()}",
                                f"{p.civility.upper()} {p.last_name.upper()} {p.first_name.upper()}"])
    else:
        household = f"{p.civility.upper()} {p.last_name.upper()} {p.first_name.upper()}"
    for line in [household, p.street.upper(), f"{p.postal_code} {p.city.upper()}"]:
        sh.text(x, y, line, sh.base_size + 0.5)
        y += sh.base_size + 3
    y = 170
    sh.text(sh.left, y, "Vos références", style="bold")
    y += sh.base_size + 6
    columns = [("", 3, "left"), ("Déclarant 1", 3, "left")] + ([("Déclarant 2", 3, "left")] if spouse else [])
    rows = [["Numéro fiscal", str(rng.randint(10**12, 10**13 - 1))] + ([str(rng.randint(10**12, 10**13 - 1))] if spouse else []),
            ["Nom", p.last_name.upper()] + ([p.last_name.upper() if rng.random() < 0.7 else "MARTIN"] if spouse else []),
            ["Prénom", p.first_name] + ([f.declarant2] if spouse else [])]
    y = table(sh, y, columns, rows, grid=rng.random() < 0.5, header_fill=None) + 10
    sh.text(sh.left, y, f"Référence de l'avis : {rng.randint(10**12, 10**13 - 1)}", sh.base_size - 0.5)
    y += 30
    box = [("Revenu fiscal de référence", f"{_int_fr(f.revenu_fiscal)} €" if rng.random() < 0.5 else _int_fr(f.revenu_fiscal)),
           ("Nombre de parts", fmt_number(f.nombre_parts, 2)),
           ("Situation de famille", "Marié(e)" if spouse else rng.choice(["Célibataire", "Divorcé(e)", "Veuf(ve)"])),
           ("Impôt sur le revenu net", fmt_amount(Decimal(f.revenu_fiscal) * Decimal("0.03"), st.amount))]
    sh.rect(sh.left, y - 12, sh.right - sh.left, len(box) * (sh.base_size + 8) + 10)
    for name, value in box:
        sh.text(sh.left + 8, y, name)
        sh.text(sh.right - 8, y, value, style="bold", align="right")
        y += sh.base_size + 8
    truth = {"declarant_nom": f"{p.first_name} {p.last_name}", "annee_revenus": str(f.annee_revenus),
             "revenu_fiscal_reference": str(f.revenu_fiscal), "nombre_parts": _dec(f.nombre_parts), "adresse": p.street}
    return Drawn(sh.finish(), 1, truth)


# ---------------------------------------------------------------------------- RGE certificates

def _rge_truth(f: DossierFacts) -> dict:
    c = f.installer
    return {"rge_numero": c.rge_numero, "siret": c.siret, "raison_sociale": c.name, "date_debut_validite": _iso(c.rge_start),
            "date_fin_validite": _iso(c.rge_end), "domaines": ", ".join(c.domains)}


def _holder(sh: Sheet, f: DossierFacts, st: Style, x: float, y: float) -> float:
    c = f.installer
    for k, line in enumerate([c.name, c.street, f"{c.postal_code} {c.city.upper()}", f"SIRET : {fmt_siret(c.siret, st.siret)}"]):
        sh.text(x, y, line, sh.base_size + (2 if k == 0 else 0), "bold" if k == 0 else "regular")
        y += sh.base_size + (6 if k == 0 else 3)
    return y


def rge_qualibat(f: DossierFacts, rng: Random) -> Drawn:
    sh, st = Sheet(rng), Style.pick(rng)
    c = f.installer
    sh.text(sh.left, 52, c.rge_body.upper(), 24, "bold", color=(0.0, 0.3, 0.6))
    sh.text(sh.right, 48, f"Certificat n° {c.rge_numero}", sh.base_size + 1, "bold", align="right")
    sh.text(sh.right, 62, f"délivré le {fmt_date(c.rge_start, st.date)}", sh.base_size - 1, align="right")
    y = 110
    sh.text(PAGE_W / 2, y, "CERTIFICAT DE QUALIFICATION", 16, "bold", align="center")
    y += 30
    sh.text(sh.left, y, "attribué à", sh.base_size - 0.5, "italic")
    y = _holder(sh, f, st, sh.left, y + sh.base_size + 6) + 18
    codes = {"Isolation du toit": "7131", "Isolation des murs et planchers bas": "7132", "Pompe à chaleur : chauffage": "5211",
             "Chauffe-eau thermodynamique": "5411", "Chauffage et/ou eau chaude au bois": "5311", "Chaudière bois": "5312",
             "Chauffage et/ou eau chaude solaire": "8611"}
    rows = [[codes.get(d, "9999"), d, "RGE"] for d in c.domains]
    y = table(sh, y, [("Code", 1, "left"), ("Qualification", 6, "left"), ("Mention", 1.2, "center")], rows) + 14
    validity = rng.choice([f"Valable du {fmt_date(c.rge_start, st.date)} au {fmt_date(c.rge_end, st.date)}",
                           f"Période de validité : du {fmt_date_words(c.rge_start, rng)} au {fmt_date_words(c.rge_end, rng)}"])
    sh.text(sh.left, y, validity, style="bold")
    y += 40
    sh.paragraph(sh.left, y, "Les qualifications portant la mention RGE valent reconnaissance « Reconnu Garant de "
                 "l'Environnement » pour les domaines de travaux listés ci-dessus.", sh.right - sh.left, sh.base_size - 1.5)
    truth = _rge_truth(f)
    truth["domaines"] = ", ".join(c.domains)
    return Drawn(sh.finish(), 1, truth)


def rge_qualitenr(f: DossierFacts, rng: Random) -> Drawn:
    """Qualit'EnR's attestation: the holder and the validity in one sentence."""
    sh, st = Sheet(rng), Style.pick(rng)
    c = f.installer
    sh.text(PAGE_W / 2, 60, "Qualit'EnR", 26, "bold", align="center", color=(0.9, 0.45, 0.0))
    sh.text(PAGE_W / 2, 80, "Association pour la qualité des installations d'énergies renouvelables", sh.base_size - 1.5,
            "italic", align="center")
    y = 130
    sh.text(PAGE_W / 2, y, f"ATTESTATION DE QUALIFICATION {c.rge_body.upper()}", 14, "bold", align="center")
    y += 34
    sentence = (f"Qualit'EnR atteste que l'entreprise {c.name}, {c.street} {c.postal_code} {c.city}, SIRET "
                f"{fmt_siret(c.siret, st.siret)}, est titulaire de la qualification {c.rge_body} sous le numéro "
                f"{c.rge_numero}, valable du {fmt_date(c.rge_start, st.date)} au {fmt_date(c.rge_end, st.date)}.")
    y = sh.paragraph(sh.left + 10, y, sentence, sh.right - sh.left - 20, sh.base_size + 0.5) + 16
    sh.text(sh.left + 10, y, "Domaines de travaux couverts (mention RGE) :", style="bold")
    y += sh.base_size + 6
    for d in c.domains:
        sh.text(sh.left + 24, y, f"• {d}")
        y += sh.base_size + 4
    y += 30
    stamp(sh, sh.right - 170, y, 150, 60, ["QUALIT'ENR", "LE PRÉSIDENT"])
    return Drawn(sh.finish(), 1, _rge_truth(f))


def rge_qualifelec(f: DossierFacts, rng: Random) -> Drawn:
    sh, st = Sheet(rng), Style.pick(rng)
    c = f.installer
    sh.rect(sh.left, 36, sh.right - sh.left, 40, fill_gray=0.85, stroke=False)
    sh.text(sh.left + 10, 62, "QUALIFELEC", 20, "bold", color=(0.1, 0.2, 0.5))
    sh.text(sh.right - 10, 62, "Certificat de qualification", sh.base_size + 1, align="right")
    y = 110
    rows = [["Numéro", c.rge_numero], ["Entreprise", c.name], ["Adresse", f"{c.street}, {c.postal_code} {c.city}"],
            ["SIRET", fmt_siret(c.siret, st.siret)],
            ["Validité", f"du {fmt_date(c.rge_start, st.date)} au {fmt_date(c.rge_end, st.date)}"],
            ["Domaines RGE", ", ".join(c.domains)]]
    y = table(sh, y, [("Rubrique", 2, "left"), ("", 6, "left")], rows, header_fill=None) + 20
    sh.paragraph(sh.left, y, "Le présent certificat est délivré sous réserve du respect des règles de qualification. "
                 "Il peut être vérifié sur qualifelec.fr.", sh.right - sh.left, sh.base_size - 1.5)
    return Drawn(sh.finish(), 1, _rge_truth(f))


def rge_certibat(f: DossierFacts, rng: Random) -> Drawn:
    sh, st = Sheet(rng), Style.pick(rng)
    c = f.installer
    sh.text(sh.left, 56, "CERTIBAT", 22, "bold", color=(0.55, 0.0, 0.2))
    sh.text(sh.left, 72, "Organisme certificateur accrédité COFRAC", sh.base_size - 1.5, "italic")
    y = 120
    sh.text(PAGE_W / 2, y, "CERTIFICAT RGE", 16, "bold", align="center")
    y += 30
    sh.text(sh.left, y, f"N° de certificat : {c.rge_numero}", style="bold")
    y += sh.base_size + 14
    sh.text(sh.left, y, "Titulaire", style="bold")
    y = _holder(sh, f, st, sh.left, y + sh.base_size + 6) + 12
    sh.text(sh.left, y, f"Date d'émission : {fmt_date(c.rge_start, st.date)}")
    sh.text(PAGE_W / 2, y, f"Date d'expiration : {fmt_date(c.rge_end, st.date)}")
    y += sh.base_size + 18
    sh.text(sh.left, y, "Domaines certifiés", style="bold")
    y += sh.base_size + 5
    sh.paragraph(sh.left, y, ", ".join(c.domains), sh.right - sh.left)
    return Drawn(sh.finish(), 1, _rge_truth(f))


def rge_by_body(f: DossierFacts, rng: Random) -> Drawn:
    """The certificate of the body that qualified the installer."""
    body = f.installer.rge_body
    if body == "Qualibat":
        return rge_qualibat(f, rng)
    if body == "Qualifelec":
        return rge_qualifelec(f, rng)
    if body == "Certibat":
        return rge_certibat(f, rng)
    return rge_qualitenr(f, rng)
