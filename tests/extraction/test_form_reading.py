"""Reading official and printed forms: the regulatory attestation's dotted leader lines and
check boxes, certificates listing their domains, the tax office's pages, obligés' offers.

The pages are built from rows of text (``tests/extraction/pages.py``) the way a text layer
reports such forms: a value printed on its dots is one word with them (« ....DUPONT.... »).
"""
import pytest

from extraction.corpus.evaluate import load_specs
from extraction.fields import extract_fields
from extraction.reading import fixture_reading_data

from .pages import CHAR_W, page


@pytest.fixture(scope="module")
def specs():
    return load_specs()


def read(specs, document_type: str, rows) -> dict:
    result = extract_fields([page(rows)], specs[document_type], fixture_reading_data(document_type))
    return {name: value.value for name, value in result.items()}


def test_values_printed_on_dotted_leaders_are_read_without_the_dots(specs):
    rows = [
        (0.30, 0.08, "ATTESTATION SUR L'HONNEUR"),
        (0.08, 0.14, "A / Identification du bénéficiaire"),
        (0.08, 0.18, "Adresse des travaux : ..............................12 rue des Lilas......"),
        (0.08, 0.21, "Code postal : ..........69100..."), (0.50, 0.21, "Ville : ..................Villeurbanne..."),
        (0.08, 0.26, "B / Identification du professionnel"),
        (0.08, 0.29, "Raison sociale : ..............................THERMI CONFORT..."),
        (0.08, 0.34, "C / Caractéristiques de l'opération"),
        (0.08, 0.37, "Référence de la facture : ………………………FA-2024-0815……"),
    ]
    got = read(specs, "attestation_honneur", rows)
    assert got["beneficiaire_adresse"] == "12 rue des Lilas"
    assert got["beneficiaire_ville"] == "Villeurbanne"
    assert got["raison_sociale_installateur"] == "THERMI CONFORT"
    assert got["reference_facture"] == "FA-2024-0815"


def test_a_name_printed_in_two_fields_is_read_given_name_and_surname(specs):
    rows = [
        (0.30, 0.08, "ATTESTATION SUR L'HONNEUR"),
        (0.08, 0.14, "A / IDENTIFICATION DU BÉNÉFICIAIRE"),
        (0.08, 0.18, "Nom : ....................PIRES..."), (0.50, 0.18, "Prénom : ................Christine..."),
        (0.08, 0.21, "Adresse des travaux : ..............................12 rue des Lilas......"),
    ]
    assert read(specs, "attestation_honneur", rows)["beneficiaire_nom"] == "Christine PIRES"


def test_a_name_in_two_fields_read_by_ocr_with_specks_of_their_leaders(specs):
    """A scan's OCR keeps a speck of the leader after « Prénom : » as a word of its own, and dots and
    dashes on the values (« -LACOMBE. », « . », « -Claire. »)."""
    rows = [
        (0.30, 0.08, "ATTESTATION SUR L'HONNEUR"),
        (0.08, 0.14, "A / Identification du bénéficiaire de l'opération"),
        (0.08, 0.18, "Nom :"), (0.29, 0.18, "-LACOMBE."), (0.52, 0.18, "Prénom :"), (0.60, 0.18, "."),
        (0.73, 0.18, "-Claire."),
        (0.08, 0.21, "Adresse des travaux :"), (0.48, 0.21, "158 boulevard de la Liberté."),
    ]
    result = extract_fields([page(rows, conf=0.9)], specs["attestation_honneur"], fixture_reading_data("attestation_honneur"))
    assert result["beneficiaire_nom"].value == "Claire LACOMBE"


def test_a_name_under_its_two_column_labels_a_form_row_apart_is_read(specs):
    """An obligé's web form printed: « Nom » and « Prénom(s) » over the values, the row a line
    and a half below the labels (platform dev 1510 scan: « Prénom(s) » read for the name)."""
    rows = [
        (0.30, 0.06, "Attestation sur l'honneur"), (0.05, 0.16, "1. Bénéficiaire"),
        (0.05, 0.20, "Nom"), (0.50, 0.20, "Prénom(s)"),
        (0.06, 0.232, "LAROCHE"), (0.51, 0.232, "Stéphanie"),
        (0.05, 0.27, "Adresse des travaux"), (0.06, 0.30, "49 impasse du Général de Gaulle"),
    ]
    result = extract_fields([page(rows, conf=0.9)], specs["attestation_honneur"], fixture_reading_data("attestation_honneur"))
    assert result["beneficiaire_nom"].value == "Stéphanie LAROCHE"


def test_the_first_declarant_of_a_table_of_declarants_is_read_with_its_given_name(specs):
    rows = [
        (0.08, 0.06, "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES"),
        (0.08, 0.10, "SITUATION DE L'IMPÔT SUR LE REVENU 2024"),
        (0.35, 0.20, "Déclarant 1"), (0.62, 0.20, "Déclarant 2"),
        (0.10, 0.23, "Nom"), (0.35, 0.23, "MARTIN"), (0.62, 0.23, "MARTIN"),
        (0.10, 0.26, "Prénom(s)"), (0.35, 0.26, "Sylvie"), (0.62, 0.26, "Marc"),
        (0.10, 0.29, "Date de naissance"), (0.35, 0.29, "12/04/1971"), (0.62, 0.29, "03/09/1969"),
    ]
    assert read(specs, "avis_imposition", rows)["declarant_nom"] == "Sylvie MARTIN"


def test_a_ticked_box_drawn_before_its_answer_goes_with_the_nearer_answer(specs):
    # the empty boxes are drawn, not text: only the X of the ticked one is read, between « oui » and « non »
    rows = [
        (0.30, 0.08, "ATTESTATION SUR L'HONNEUR"),
        (0.08, 0.20, "Le logement est achevé depuis plus de 2 ans :"), (0.60, 0.20, "oui"), (0.66, 0.20, "X non"),
    ]
    assert read(specs, "attestation_honneur", rows)["batiment_plus_de_2_ans"] == "false"
    rows[-2:] = [(0.60, 0.20, "X oui"), (0.70, 0.20, "non")]
    assert read(specs, "attestation_honneur", rows)["batiment_plus_de_2_ans"] == "true"


def test_the_rge_categories_listed_under_a_centred_heading_are_the_domains(specs):
    # bullets from the margin, the date each category was granted in a column of its own, a footnote after
    rows = [
        (0.30, 0.08, "CERTIFICAT DE QUALIFICATION"),
        (0.08, 0.40, "Code"), (0.16, 0.40, "Qualification(s) en cours de validité"), (0.80, 0.40, "Date d'attribution*"),
        (0.08, 0.43, "5212"), (0.16, 0.43, "Installation de pompes à chaleur"), (0.80, 0.43, "12/03/2023"),
        (0.34, 0.50, "Catégories de travaux RGE couvertes"), (0.80, 0.50, "Date d'attribution"),
        (0.08, 0.53, "o Pompe à chaleur : chauffage"), (0.80, 0.53, "12/03/2023"),
        (0.08, 0.56, "o Chauffe-eau thermodynamique"), (0.80, 0.56, "12/03/2023"),
        (0.08, 0.60, "* ou du plus récent renouvellement"),
    ]
    got = read(specs, "certificat_rge", rows)["domaines"]
    assert got == '["Pompe à chaleur : chauffage", "Chauffe-eau thermodynamique"]'


def test_an_obliges_form_names_it_in_its_logo_and_gives_the_total_of_its_primes(specs):
    # the reference set above the logo's name; the form says « notre société », never the name, in its text
    rows = [
        (0.62, 0.045, "Réf. dossier : OB-2025-00412"),
        (0.08, 0.06, "ENERGIE OUEST"), (0.62, 0.065, "Date : 14/02/2025"),
        (0.25, 0.12, "CONTRAT DE PARTENARIAT"),
        (0.08, 0.18, "Vos coordonnées"), (0.10, 0.195, "LEROY Paul"), (0.10, 0.21, "8 rue des Tanneurs"),
        (0.10, 0.225, "35000 Rennes"),
        (0.08, 0.26, "Dans le cadre de l'offre Prime Ouest, notre société contribue au financement de vos travaux."),
        (0.08, 0.30, "Code opération"), (0.25, 0.30, "Intitulé"), (0.80, 0.30, "Prime (€)"),
        (0.08, 0.32, "BAR-EN-101"), (0.25, 0.32, "Isolation de combles ou de toitures"), (0.80, 0.32, "1 200,00"),
        (0.08, 0.34, "BAR-EN-103"), (0.25, 0.34, "Isolation d'un plancher"), (0.80, 0.34, "800,00"),
        (0.25, 0.36, "Prime totale"), (0.80, 0.36, "2 000,00 €"),
    ]
    got = read(specs, "cadre_contribution", rows)
    assert (got["nom_oblige"], got["montant_prime"], got["beneficiaire_nom"]) == ("ENERGIE OUEST", "2000.00", "LEROY Paul")


def test_the_year_closing_the_address_label_is_no_part_of_the_address(specs):
    rows = [
        (0.08, 0.06, "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES"),
        (0.08, 0.10, "SITUATION DE L'IMPÔT SUR LE REVENU 2024"),
        (0.10, 0.30, "Adresse au 1er janvier 2024 :"), (0.35, 0.30, "123 place des Vignes, 21000 DIJON"),
    ]
    assert read(specs, "avis_imposition", rows)["adresse"] == "123 place des Vignes"


def test_a_siren_printed_with_its_nic_after_it_is_the_siret(specs):
    rows = [
        (0.30, 0.08, "CERTIFICAT DE QUALIFICATION"),
        (0.08, 0.20, "Forme juridique :"), (0.25, 0.20, "SAS"),
        (0.08, 0.22, "Siren :"), (0.25, 0.22, "705 750 438"), (0.40, 0.22, "00081"),
        (0.08, 0.24, "Code NACE :"), (0.25, 0.24, "4329A"),
    ]
    assert read(specs, "certificat_rge", rows)["siret"] == "70575043800081"


def centred(y: float, text: str, axis: float = 0.5) -> tuple[float, float, str]:
    """A run centred on ``axis``, as a certificate's framed page prints its lines."""
    return (axis - len(text) * CHAR_W / 2, y, text)


def test_a_framed_attestation_reads_its_centred_holder_and_the_domains_in_brackets(specs):
    # « délivrée à » over a wider centred name; the qualifications centred under a sentence, each
    # with the body's code and label, the RGE domain in brackets; the dates side by side after them
    rows = [
        centred(0.10, "QUALIBAT"), centred(0.15, "ATTESTATION DE QUALIFICATION"), centred(0.20, "délivrée à"),
        centred(0.225, "HABITAT FONTAINE"), centred(0.25, "66 place Victor Hugo – 59000 LILLE"),
        centred(0.275, "SIRET 954 035 572 00047"),
        centred(0.38, "pour les qualifications suivantes, avec la mention RGE :"),
        centred(0.41, "7132 – Isolation thermique par l'intérieur (technicité supérieure) (Isolation des murs et planchers bas)"),
        centred(0.44, "7131 – Isolation thermique par l'intérieur (Isolation du toit)"),
        centred(0.50, "Date d'attribution : 21 juillet 2023", 0.345),
        centred(0.50, "Date d'échéance : 20 juillet 2027", 0.655),
        centred(0.55, "Qualification n° E-E556965"),
    ]
    got = read(specs, "certificat_rge", rows)
    assert got["raison_sociale"] == "HABITAT FONTAINE"
    assert got["domaines"] == '["Isolation des murs et planchers bas", "Isolation du toit"]'
    assert (got["date_debut_validite"], got["date_fin_validite"]) == ("2023-07-21", "2027-07-20")


def test_a_short_centred_domain_is_read_whole_and_the_dates_after_it_are_no_domain(specs):
    rows = [
        centred(0.10, "QUALIPAC"), centred(0.15, "CERTIFICAT DE QUALIFICATION « RGE »"), centred(0.20, "délivrée à"),
        centred(0.225, "CLIMISOLATION"), centred(0.25, "44 bis chemin du Château – 02100 SAINT-QUENTIN"),
        centred(0.38, "pour les qualifications suivantes, avec la mention RGE :"),
        centred(0.41, "Pompe à chaleur : chauffage"),
        centred(0.45, "Date d'attribution : 11 mai 2023", 0.345), centred(0.45, "Date d'échéance : 10 mai 2027", 0.655),
    ]
    got = read(specs, "certificat_rge", rows)
    assert (got["raison_sociale"], got["domaines"]) == ("CLIMISOLATION", '["Pompe à chaleur : chauffage"]')


def test_the_holder_without_a_label_is_the_name_over_its_centred_address_not_the_body(specs):
    # Certibat: the body's logo on the left between the holder's centred lines, no « Raison sociale »
    rows = [
        (0.06, 0.06, "RGE"), (0.82, 0.06, "Édité le : 25/02/2022"),
        centred(0.08, "RENOV CONCEPT"), (0.06, 0.095, "CERTIBAT"), centred(0.095, "18 avenue Marcel Pagnol"),
        (0.06, 0.11, "Rénovation énergétique"), centred(0.125, "11100 Narbonne"),
        centred(0.14, "SIRET : 518 671 771 00013"),
        centred(0.20, "Est certifié conformément :"),
        centred(0.30, "pour son activité de :"),
        centred(0.33, "ISOLATION DES MURS ET PLANCHERS BAS"), centred(0.36, "ISOLATION DU TOIT"),
    ]
    got = read(specs, "certificat_rge", rows)
    assert got["raison_sociale"] == "RENOV CONCEPT"
    assert got["domaines"] == '["ISOLATION DES MURS ET PLANCHERS BAS", "ISOLATION DU TOIT"]'


def test_the_rge_after_the_domains_label_is_part_of_it(specs):
    rows = [
        (0.08, 0.10, "Raison sociale : RENOV SERVICES"),
        (0.08, 0.40, "Domaine(s) de travaux RGE :"), (0.08, 0.43, "- Pompe à chaleur : chauffage"),
        (0.08, 0.46, "- Chauffe-eau thermodynamique"),
    ]
    got = read(specs, "certificat_rge", rows)["domaines"]
    assert got == '["Pompe à chaleur : chauffage", "Chauffe-eau thermodynamique"]'


def test_the_domains_labels_sentence_wrapped_over_the_list_is_no_domain(specs):
    rows = [
        (0.30, 0.10, "CERTIFICAT DE QUALIFICATION"), (0.30, 0.15, "ÉCOCONCEPT"),
        (0.08, 0.24, "Qualit'EnR atteste que l'entreprise ci-dessus est titulaire de la qualification QualiPAC,"),
        (0.08, 0.26, "assortie de la mention RGE « Reconnu Garant de l'Environnement », pour les domaines"),
        (0.08, 0.28, "de travaux suivants :"),
        (0.30, 0.31, "Pompe à chaleur : chauffage"),
        (0.30, 0.36, "N° de qualification QPAC/2021/843833"),
    ]
    assert read(specs, "certificat_rge", rows)["domaines"] == '["Pompe à chaleur : chauffage"]'


def test_a_label_opening_a_line_left_of_the_domains_ends_them(specs):
    """« [N° de qualification … » under the centred domain (a scan glued the box's edge): the line
    starts left of the list, with the number's label."""
    rows = [
        (0.30, 0.10, "CERTIFICAT DE QUALIFICATION"), (0.30, 0.15, "CLIM SERVICES"),
        (0.08, 0.26, "assortie de la mention RGE, pour les domaines de travaux suivants :"),
        (0.34, 0.30, "Pompe à chaleur : chauffage"),
        (0.30, 0.33, "[N° de qualification QPAC/2021/886525"),
        (0.30, 0.36, "Date d'attribution 05/06/2021"),
    ]
    result = extract_fields([page(rows, conf=0.9)], specs["certificat_rge"], fixture_reading_data("certificat_rge"))
    assert result["domaines"].value == '["Pompe à chaleur : chauffage"]'


def test_a_signature_title_beside_a_stamp_is_no_domain_and_ocr_lowers_the_bracketed_one(specs):
    # a scan: the stamp « QUALIFICATION » at the bottom left, « Le Président » far right under it;
    # OCR read the bracketed domain's capital as a small letter
    rows = [
        centred(0.10, "QUALIBAT"), centred(0.20, "délivrée à"), centred(0.225, "NORD MARTIN"),
        centred(0.34, "pour les qualifications suivantes, avec la mention RGE :"),
        centred(0.36, "7131 - Isolation thermique par l'intérieur (isolation du toit)"),
        centred(0.44, "Date d'attribution : 22 août 2021", 0.345), centred(0.44, "Date d'échéance : 21 août 2025", 0.655),
        (0.09, 0.80, "QUALIFICATION"), (0.80, 0.83, "Le Président"),
    ]
    assert read(specs, "certificat_rge", rows)["domaines"] == '["Isolation du toit"]'


def test_a_scans_speck_over_the_window_address_is_no_name(specs):
    rows = [
        (0.12, 0.03, "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES"),
        (0.54, 0.150, "-"), (0.55, 0.165, "M RENAUD ALFRED"), (0.55, 0.18, "99 QUAI DU PARC"),
        (0.55, 0.195, "82000 MONTAUBAN"),
        (0.11, 0.21, "Avis d'impôt 2023"), (0.11, 0.24, "IMPÔT SUR LE REVENU - sur les revenus de l'année 2022"),
    ]
    assert read(specs, "avis_imposition", rows)["declarant_nom"] == "M RENAUD ALFRED"


def test_the_bodys_own_address_block_over_the_holders_is_passed_over(specs):
    rows = [
        (0.08, 0.05, "QUALIBAT"), (0.08, 0.065, "55 avenue Kléber"), (0.08, 0.08, "75016 PARIS"),
        centred(0.15, "CERTIFICAT DE QUALIFICATION"),
        (0.55, 0.22, "THERMI HABITAT"), (0.55, 0.235, "12 rue des Forges"), (0.55, 0.25, "03100 Montluçon"),
    ]
    assert read(specs, "certificat_rge", rows)["raison_sociale"] == "THERMI HABITAT"


def test_comb_fields_give_their_characters_one_per_box(specs):
    # a Cerfa-like form: the postal code and the dates typed one character per box, the date's
    # slashes printed between the boxes; the installer's address holds another postal code
    rows = [
        (0.30, 0.08, "ATTESTATION SUR L'HONNEUR"),
        (0.08, 0.15, "1. Identité du bénéficiaire"),
        (0.09, 0.20, "Adresse des travaux : 75 allée Henri Rolland"),
        (0.09, 0.22, "Code postal : 4 6 0 0 0"), (0.50, 0.22, "Commune : Cahors"),
        (0.09, 0.24, "Téléphone : 0 6 1 4 3 3 3 5 4 8"),
        (0.08, 0.35, "2. Identité du professionnel"),
        (0.09, 0.38, "Raison sociale : Thermnord"),
        (0.09, 0.40, "N° SIRET : 6 3 5 3 0 3 1 7 5 1 0 0 3 0"),
        (0.09, 0.42, "Adresse : 3 ter route des Mimosas 37000 Tours"),
        (0.08, 0.48, "3. OPÉRATION RÉALISÉE"),
        (0.09, 0.53, "Date d'engagement (signature du devis) : 1 3 / 0 2 / 2 0 2 4"),
        (0.09, 0.56, "Date de fin de l'opération : 1 9 / 0 3 / 2 0 2 4"),
    ]
    got = read(specs, "attestation_honneur", rows)
    assert got["beneficiaire_code_postal"] == "46000"
    assert (got["date_engagement"], got["date_achevement"]) == ("2024-02-13", "2024-03-19")
    assert got["siret_installateur"] == "63530317510030"


def test_values_typed_a_little_off_their_labels_line_are_read_with_their_labels(specs):
    # the printer's feed put each typed value a few points above its label: the text layer makes
    # it a line of its own, between two lines of labels
    rows = [
        (0.30, 0.08, "ATTESTATION SUR L'HONNEUR"),
        (0.08, 0.15, "1. Identité du bénéficiaire"),
        (0.175, 0.170, "WEBER"), (0.599, 0.170, "Pauline"),
        (0.094, 0.177, "Nom :"), (0.50, 0.177, "Prénom :"),
        (0.29, 0.194, "163 ter cours du Parc"),
        (0.094, 0.202, "Adresse des travaux :"),
        (0.094, 0.219, "Code postal : 4 0 1 0 0"), (0.50, 0.219, "Commune : Dax"),
        (0.08, 0.34, "2. PROFESSIONNEL AYANT RÉALISÉ L'OPÉRATION"),
        (0.25, 0.363, "ÉCO SOLUTIONS"),
        (0.094, 0.371, "Raison sociale :"),
        (0.195, 0.413, "35 chemin des Mimosas 73000 Chambéry"),
        (0.094, 0.421, "Adresse :"),
        (0.33, 0.557, "FAC006526"),
        (0.094, 0.564, "Référence de la facture :"),
    ]
    got = read(specs, "attestation_honneur", rows)
    assert got["beneficiaire_nom"] == "Pauline WEBER"
    assert got["beneficiaire_adresse"] == "163 ter cours du Parc"
    assert got["raison_sociale_installateur"] == "ÉCO SOLUTIONS"
    assert got["reference_facture"] == "FAC006526"


def test_a_longer_label_than_the_known_one_is_read_to_its_colon(specs):
    rows = [
        (0.30, 0.08, "ATTESTATION SUR L'HONNEUR"),
        (0.08, 0.15, "1. Identité du bénéficiaire"),
        (0.09, 0.20, "Adresse de réalisation de l'opération : 75 allée Henri Rolland"),
        (0.09, 0.22, "Code postal : 4 6 0 0 0"), (0.50, 0.22, "Commune : Cahors"),
        (0.08, 0.35, "2. Identité du professionnel"),
        (0.09, 0.38, "Raison sociale : Thermnord"),
        (0.09, 0.42, "Adresse : 3 ter route des Mimosas 37000 Tours"),
    ]
    assert read(specs, "attestation_honneur", rows)["beneficiaire_adresse"] == "75 allée Henri Rolland"


def test_comb_fields_read_by_ocr_with_the_boxes_sides_are_read_without_them(specs):
    # Tesseract reads the sides of the boxes as « | », apart or glued to the digits they frame, or
    # as a character between two digits (« [I[3]/[0]2]/[2101214] » for 13/02/2024, as it read a real scan)
    rows = [
        (0.30, 0.08, "ATTESTATION SUR L'HONNEUR"),
        (0.08, 0.15, "1. Identité du bénéficiaire"),
        (0.09, 0.20, "Adresse des travaux : 75 allée Henri Rolland"),
        (0.09, 0.22, "Code postal : | 4 | 6 | 0 | 0 | 0 |"), (0.50, 0.22, "Commune : Cahors"),
        (0.08, 0.35, "2. Identité du professionnel"),
        (0.09, 0.42, "Adresse : 3 ter route des Mimosas 37000 Tours"),
        (0.08, 0.48, "3. OPÉRATION RÉALISÉE"),
        (0.09, 0.53, "Date d'engagement (signature du devis) : [I[3]/[0]2]/[2101214]"),
        (0.09, 0.56, "Date d'achèvement des travaux : |1|9|/|0|3|/|2|0|2|4|"),
    ]
    result = extract_fields([page(rows, conf=0.9)], specs["attestation_honneur"], fixture_reading_data("attestation_honneur"))
    got = {name: value.value for name, value in result.items()}
    assert got["beneficiaire_code_postal"] == "46000"
    assert (got["date_engagement"], got["date_achevement"]) == ("2024-02-13", "2024-03-19")


def test_the_domains_a_sentence_announces_are_the_list_at_its_margin_not_under_the_label(specs):
    """The label ends a line of running text and the list starts at the paragraph's margin
    below it, bulleted (a body's e-mail, platform dev 1510) or centred (network dev 1460)."""
    mail = [
        (0.08, 0.10, "[Qualibat] Votre attestation de qualification"),
        (0.08, 0.30, "Nous avons le plaisir de vous informer que la commission d'attribution a accordé à l'entreprise"),
        (0.08, 0.32, "CONFORT CONCEPT (SIRET 84375171000081)"),
        (0.08, 0.36, "Cette qualification est valable du 2023-11-22 au 2027-11-21 pour les domaines de travaux"),
        (0.08, 0.38, "suivants :"),
        (0.10, 0.42, "– Isolation du toit"),
        (0.08, 0.46, "Vous trouverez votre certificat en pièce jointe ; il est également disponible dans votre espace"),
        (0.08, 0.48, "entreprise. Votre fiche apparaîtra dans l'annuaire France Rénov' sous 48 heures."),
    ]
    assert read(specs, "certificat_rge", mail)["domaines"] == '["Isolation du toit"]'
    certificate = [
        (0.30, 0.10, "CERTIFICAT DE QUALIFICATION"), (0.40, 0.15, "THERMIQUE MARTIN"),
        (0.08, 0.24, "Qualit'EnR atteste que l'entreprise ci-dessus est titulaire de la qualification Qualisol, assortie de la"),
        (0.08, 0.26, "mention RGE « Reconnu Garant de l'Environnement », pour les domaines de travaux suivants :"),
        (0.36, 0.30, "Chauffage et/ou eau chaude solaire"),
        (0.15, 0.36, "N° de qualification"), (0.50, 0.36, "QE/386680"),
    ]
    assert read(specs, "certificat_rge", certificate)["domaines"] == '["Chauffage et/ou eau chaude solaire"]'
    # the colon wrapped alone onto the next line (network dev 1476)
    wrapped = certificate[:2] + [
        (0.08, 0.24, "Qualit'EnR atteste que l'entreprise ci-dessus est titulaire de la qualification QualiPAC, assortie de"),
        (0.08, 0.26, "la mention RGE « Reconnu Garant de l'Environnement », pour les domaines de travaux suivants"),
        (0.08, 0.275, ":"), (0.37, 0.29, "Pompe à chaleur : chauffage"),
        (0.08, 0.33, "N° de qualification QPAC/2023/376617")]
    assert read(specs, "certificat_rge", wrapped)["domaines"] == '["Pompe à chaleur : chauffage"]'


def test_the_sentence_after_a_table_of_qualifications_lists_no_domain(specs):
    """« … valent reconnaissance « Reconnu Garant de l'Environnement » pour les » / « domaines de
    travaux listés ci-dessus. »: the label opens a sentence's line, the words after it are no
    domain (they open with no capital, as every domain does; letters dev 1310)."""
    rows = [
        (0.30, 0.10, "CERTIFICAT DE QUALIFICATION"), (0.08, 0.16, "RENOV ISOLATION"),
        (0.08, 0.30, "Code"), (0.18, 0.30, "Qualification"), (0.85, 0.30, "Mention"),
        (0.08, 0.32, "7132"), (0.18, 0.32, "Isolation des murs et planchers bas"), (0.86, 0.32, "RGE"),
        (0.08, 0.36, "Période de validité : du 07/06/23 au 06/06/2027"),
        (0.08, 0.42, "Les qualifications portant la mention RGE valent reconnaissance « Reconnu Garant de l'Environnement » pour les"),
        (0.08, 0.44, "domaines de travaux listés ci-dessus."),
    ]
    assert read(specs, "certificat_rge", rows)["domaines"] == '["Isolation des murs et planchers bas"]'


def test_the_installers_name_is_no_beneficiarys_name(specs):
    """A scan lost the beneficiary's « Nom » (« Non ROGER Prénom Michèle ») and the section number
    of « 3. Le professionnel »: « Raison sociale THERMCONFORT », a label of a company's beneficiary
    too, is the installer's name, which no beneficiary bears (retail dev 1577)."""
    rows = [(0.08, 0.08, "ATTESTATION SUR L'HONNEUR"), (0.08, 0.14, "1. Le bénéficiaire"),
            (0.08, 0.17, "Non ROGER"), (0.45, 0.17, "Prénom Michèle"),
            (0.08, 0.20, "Adresse des travaux 60 chemin de la Liberté"),
            (0.08, 0.30, "gLe professionnel"), (0.08, 0.33, "Raison sociale THERMCONFORT"),
            (0.08, 0.36, "SIRET 54522182210052"), (0.45, 0.36, "Ville Besançon")]
    got = read(specs, "attestation_honneur", rows)
    assert got.get("raison_sociale_installateur") == "THERMCONFORT"
    assert got.get("beneficiaire_nom") != "THERMCONFORT"


@pytest.mark.parametrize("text, heading", [("gLe professionnel", True), ("3.Le professionnel", True),
                                           ("3. Le professionnel", True), ("Le professionnel", False),
                                           ("iPhone Le professionnel", False)])
def test_a_section_number_a_scan_glued_to_the_heading_still_numbers_it(text, heading):
    from extraction.extractors.layout import build_lines
    from extraction.extractors.sections import section_heading

    (line,) = build_lines(page([(0.08, 0.30, text)]).words)
    assert section_heading(line) is heading
