"""How generated documents write things: date, amount and SIRET formats, and label wordings.

The wording pools are wider than the extraction hints on purpose (``Date de création``,
``Montant global TTC``, ``Sous-total``…): a corpus drawn with a new seed then measures how
the extractor copes with wordings nobody tuned it on.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from random import Random

MONTH_NAMES = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
               "novembre", "décembre"]
NBSP = "\u00a0"

DATE_STYLES = ["slash", "slash", "slash", "dash", "dot", "short", "long", "long", "long_cap"]
AMOUNT_STYLES = ["fr", "fr", "fr", "fr_eur", "fr_nospace", "fr_dot", "fr_nbsp", "fr_bare", "en"]
SIRET_STYLES = ["spaced", "spaced", "plain", "dots", "groups"]


def fmt_date(d: dt.date, style: str) -> str:
    if style == "slash":
        return d.strftime("%d/%m/%Y")
    if style == "dash":
        return d.strftime("%d-%m-%Y")
    if style == "dot":
        return d.strftime("%d.%m.%Y")
    if style == "short":
        return d.strftime("%d/%m/%y")
    day = "1er" if d.day == 1 else str(d.day)
    month = MONTH_NAMES[d.month - 1]
    if style == "long_cap":
        day = "1er" if d.day == 1 else f"{d.day:02d}"
        month = month.capitalize()
    return f"{day} {month} {d.year}"


def _group(integer: int, sep: str) -> str:
    text = f"{integer:,}".replace(",", "\x00")
    return text.replace("\x00", sep)


def fmt_amount(value: Decimal, style: str, currency: bool = True) -> str:
    value = Decimal(value).quantize(Decimal("0.01"))
    negative = value < 0
    value = abs(value)
    integer = int(value)
    cents = f"{int((value - integer) * 100):02d}"
    if style == "fr_eur":
        text, symbol = f"{_group(integer, ' ')},{cents}", " EUR"
    elif style == "fr_nospace":
        text, symbol = f"{integer},{cents}", " €"
    elif style == "fr_dot":
        text, symbol = f"{_group(integer, '.')},{cents}", " €"
    elif style == "fr_nbsp":
        text, symbol = f"{_group(integer, NBSP)},{cents}", NBSP + "€"
    elif style == "fr_bare":
        text, symbol = f"{_group(integer, ' ')},{cents}", " €"
    elif style == "en":
        text, symbol = f"{_group(integer, ',')}.{cents}", " €"
    elif style == "fr_dot_eur":  # 1.234,56 EUR (software exports)
        text, symbol = f"{_group(integer, '.')},{cents}", " EUR"
    elif style == "plain_dot":  # 1234.56 € (software printing the machine figure)
        text, symbol = f"{integer}.{cents}", " €"
    else:
        text, symbol = f"{_group(integer, ' ')},{cents}", " €"
    if negative:
        text = "- " + text
    return text + (symbol if currency else "")


def fmt_number(value: Decimal, decimals: int = 2, comma: bool = True) -> str:
    text = f"{Decimal(value):.{decimals}f}"
    return text.replace(".", ",") if comma else text


def fmt_siret(siret: str, style: str) -> str:
    if style == "plain":
        return siret
    if style == "dots":
        return f"{siret[:3]}.{siret[3:6]}.{siret[6:9]}.{siret[9:]}"
    if style == "groups":
        return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:12]} {siret[12:]}"
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"


# Label pools. Each key is a concept; generated documents pick one wording per document.
LABELS: dict[str, list[str]] = {
    "numero_devis": ["Devis n°", "Devis N°", "N° de devis", "Numéro de devis", "Devis numéro", "Réf. devis",
                     "Référence du devis", "Proposition n°", "Offre n°", "N° devis"],
    "date_devis": ["Date", "Date du devis", "Date d'émission", "Établi le", "Émis le", "Date de l'offre",
                   "Date de création", "Édité le", "Date d'établissement"],
    "date_visite": ["Date de la visite technique", "Visite technique préalable réalisée le", "Visite préalable du",
                    "Date de visite", "Date de la visite préalable", "Visite technique effectuée le", "Visite sur site le",
                    "Visite du logement réalisée le"],
    "date_visite_header": ["Date de visite", "Visite technique", "Visite préalable", "Date de la visite"],
    "age_question": ["Bâtiment résidentiel existant depuis plus de 2 ans à la date d'engagement de l'opération",
                     "Bâtiment existant depuis plus de deux ans", "Logement achevé depuis plus de 2 ans à la date d'engagement",
                     "Bâtiment construit depuis plus de 2 ans à la date d'engagement des travaux",
                     "Le bâtiment a plus de 2 ans à la date d'engagement"],
    "age_statement": ["Le bâtiment est existant depuis plus de 2 ans",
                      "Le logement est achevé depuis plus de deux ans à la date d'engagement de l'opération",
                      "Le bâtiment a été construit depuis plus de 2 ans à la date d'engagement des travaux",
                      "Les travaux sont réalisés dans un bâtiment résidentiel existant depuis plus de deux ans",
                      "La maison est achevée depuis plus de 2 ans", "Le logement a été achevé il y a plus de deux ans"],
    "date_signature": ["Date d'acceptation", "Date de signature", "Accepté le", "Signé le", "Date de l'accord",
                       "Bon pour accord le", "Date d'acceptation du devis"],
    "numero_facture": ["Facture n°", "Facture N°", "N° de facture", "Numéro de facture", "Facture numéro",
                       "N° facture", "Réf. facture", "Référence facture"],
    "date_facture": ["Date", "Date de facture", "Date de la facture", "Date de facturation", "Facturé le",
                     "Date d'émission", "Émise le", "Date facture"],
    "date_fin_travaux": ["Date de fin des travaux", "Fin des travaux", "Travaux achevés le", "Travaux réalisés le",
                         "Date d'achèvement des travaux", "Date de réalisation", "Travaux terminés le",
                         "Date d'intervention", "Date de fin de chantier"],
    "siret": ["SIRET", "N° SIRET", "Siret", "SIRET :", "Numéro SIRET", "N° de SIRET"],
    "raison_sociale": ["Raison sociale", "Dénomination", "Entreprise", "Nom de l'entreprise", "Société",
                       "Dénomination sociale"],
    "client_anchor": ["Client", "CLIENT", "Bénéficiaire", "BÉNÉFICIAIRE", "Adressé à", "Destinataire",
                      "Maître d'ouvrage", "Facturé à", "Coordonnées du client", "Client :", "Le bénéficiaire"],
    "nom": ["Nom", "Nom du client", "Nom du bénéficiaire", "Nom et prénom", "Nom / Prénom", "Bénéficiaire", "Client"],
    "adresse": ["Adresse", "Adresse des travaux", "Adresse du chantier", "Lieu des travaux", "Adresse du bénéficiaire",
                "Adresse de réalisation", "Adresse du logement"],
    "code_postal": ["Code postal", "CP", "C.P."],
    "ville": ["Ville", "Commune", "Localité"],
    "cp_ville": ["CP / Ville", "Code postal / Ville", "CP Ville", "Code postal et ville"],
    "total_ht": ["Total HT", "Montant HT", "Total H.T.", "Total hors taxes", "Montant total HT", "Total net HT",
                 "Prix total HT", "Sous-total HT", "Montant hors taxes"],
    "tva": ["TVA {rate} %", "TVA ({rate}%)", "Montant TVA", "Total TVA", "TVA à {rate} %", "Dont TVA {rate} %",
            "T.V.A. {rate} %", "Montant de la TVA"],
    "total_ttc": ["Total TTC", "Montant TTC", "Total T.T.C.", "Montant total TTC", "Total toutes taxes comprises",
                  "Montant global TTC", "Total général TTC", "Prix total TTC"],
    "prime": ["Prime CEE", "Prime énergie CEE", "Déduction prime CEE", "Prime CEE déduite", "Aide CEE",
              "Montant de la prime CEE", "Prime Coup de pouce", "Prime CEE versée par {oblige}"],
    "net": ["Net à payer", "Reste à payer", "Reste à charge", "Montant restant dû", "Net à payer TTC"],
    "marque": ["Marque", "Marque", "Fabricant", "Marque du produit", "Constructeur"],
    "reference": ["Référence", "Modèle", "Réf.", "Référence produit", "Référence commerciale", "Modèle"],
    "surface_iso": ["Surface isolée", "Surface d'isolant", "Surface", "Surface traitée", "Surface posée",
                    "Superficie isolée"],
    "surface_chauffee": ["Surface chauffée", "Surface habitable", "Surface chauffée du logement", "Superficie"],
    "resistance": ["Résistance thermique R", "Résistance thermique", "R =", "Résistance thermique totale",
                   "Valeur R"],
    "etas": ["ETAS", "Efficacité énergétique saisonnière", "Efficacité énergétique saisonnière (ETAS)",
             "Etas", "Efficacité saisonnière"],
    "cop": ["COP", "Coefficient de performance", "COP nominal", "Coefficient de performance (COP)"],
    "rge": ["N° RGE", "Qualification RGE n°", "Certificat RGE n°", "Numéro RGE", "RGE n°",
            "N° de qualification"],
    "ref_facture": ["Référence de la facture", "N° de facture", "Numéro de facture", "Référence facture",
                    "Facture n°", "Réf. de la facture"],
    "date_engagement": ["Date d'engagement de l'opération", "Date d'engagement", "Date d'acceptation du devis",
                        "Date de signature du devis", "Date d'engagement des travaux"],
    "date_achevement": ["Date d'achèvement de l'opération", "Date d'achèvement", "Date de fin des travaux",
                        "Date d'achèvement des travaux", "Travaux achevés le"],
    "sig_beneficiaire": ["Signature du bénéficiaire", "Signature du client", "Signature bénéficiaire"],
    "sig_installateur": ["Signature et cachet du professionnel", "Signature du professionnel",
                         "Cachet et signature de l'entreprise", "Signature de l'entreprise",
                         "Signature de l'installateur"],
    "date_cadre": ["Date", "Fait le", "Date d'émission", "Date du document", "Établi le", "Date de la proposition"],
    "oblige": ["Obligé", "Nom de l'obligé", "Obligé / délégataire", "Partenaire obligé", "Société obligée",
               "Délégataire"],
    "montant_prime": ["Montant de la prime", "Prime CEE", "Montant de la prime CEE", "Montant de l'aide",
                      "Prime énergie", "Montant de la contribution", "Incitation financière"],
    "rge_numero": ["N° de certificat", "Certificat n°", "Numéro de certificat", "N° de qualification",
                   "Numéro de qualification", "Référence du certificat"],
    "domaines": ["Domaine(s) de travaux", "Domaines", "Domaine de qualification", "Domaines qualifiés",
                 "Domaines de compétence"],
    "declarant": ["Déclarant 1", "Nom du déclarant", "Déclarant", "Nom des déclarants", "Contribuable"],
    "rfr": ["Revenu fiscal de référence", "Montant du revenu fiscal de référence", "Revenu fiscal de référence (RFR)"],
    "parts": ["Nombre de parts", "Nb de parts", "Nombre de parts fiscales"],
}


def label(rng: Random, key: str, **values) -> str:
    return rng.choice(LABELS[key]).format(**values)
