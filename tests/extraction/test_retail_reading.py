"""Reading the documents of home-improvement retailers and energy suppliers' CEE programmes: the
supplier's offer letter naming its obligé in a sentence (« …, Hexaly Énergies contribue à vos
travaux »), a partner contract's articles (« Article 1 – Lumina Énergie SA s'engage à verser… »),
and qualification certificates as a table with « Attribuée le » and « Valable jusqu'au »
columns. Pages are written here the way such documents look (the retail family of the corpus
draws them too)."""
import json

import pytest

from extraction.corpus.evaluate import load_specs
from extraction.corpus.generate import CorpusOptions, generate_corpus
from extraction.corpus.reading import pdf_pages
from extraction.extractors.layout import page_lines
from extraction.fields import DocumentLayout, _all_stop_labels, extract_fields, field_candidates
from extraction.reading import fixture_reading_data

from .pages import page


@pytest.fixture(scope="module")
def specs():
    return load_specs()


def read(rows, specs, doc_type: str) -> dict:
    return {name: v.value for name, v in extract_fields([page(rows)], specs[doc_type], fixture_reading_data(doc_type)).items()}


def test_the_supplier_offer_names_the_oblige_contributing_to_the_works(specs):
    rows = [(0.08, 0.04, "Coup de pouce Hexaly"), (0.08, 0.06, "HEXALY"), (0.50, 0.06, "Service clients : 09 70 63 10 58"),
            (0.08, 0.10, "Vos références"), (0.08, 0.12, "N° client : CL878283703"), (0.55, 0.12, "M. et Mme Robert FERNANDES"),
            (0.08, 0.25, "Le 9 septembre 2024"), (0.08, 0.28, "Objet : votre Offre Prime Énergie Isolation"),
            (0.08, 0.32, "Dans le cadre du dispositif des Certificats d'Économies d'Énergie, Hexaly Énergies contribue à vos travaux"),
            (0.08, 0.335, "de rénovation réalisés par notre partenaire Habitat Dépôt Installation (49000 Angers).")]
    assert read(rows, specs, "cadre_contribution")["nom_oblige"] == "Hexaly Énergies"


def test_an_article_heading_is_not_part_of_the_oblige_committing_itself(specs):
    rows = [(0.08, 0.04, "CONTRAT DE PARTENARIAT CEE"), (0.08, 0.06, "Récapitulatif de l'offre Coup de pouce"),
            (0.08, 0.10, "Entre"), (0.50, 0.10, "Et le partenaire"),
            (0.08, 0.20, "Date d'émission de l'offre"), (0.40, 0.20, "13 septembre 2025"),
            (0.08, 0.40, "Article 1 – Lumina Énergie SA s'engage à verser la prime indiquée ci-dessus, dans le cadre de son"),
            (0.08, 0.415, "rôle actif et incitatif, pour l'opération décrite.")]
    assert read(rows, specs, "cadre_contribution")["nom_oblige"] == "Lumina Énergie SA"


def test_a_qualification_tables_dates_under_attribuee_le_and_valable_jusquau(specs):
    rows = [(0.08, 0.04, "CERTIFICAT DE QUALIFICATION"), (0.08, 0.06, "QUALIBAT N° E-E779774"),
            (0.08, 0.08, "Édité le 10/03/2025"),
            (0.08, 0.20, "Code"), (0.177, 0.20, "Libellé"), (0.443, 0.20, "Domaine RGE"), (0.691, 0.20, "Attribuée le"),
            (0.807, 0.20, "Valable jusqu'au"),
            (0.08, 0.22, "7131"), (0.177, 0.22, "Isolation thermique par soufflage"), (0.443, 0.22, "Isolation du toit"),
            (0.691, 0.22, "19 avril 2023"), (0.807, 0.22, "18 avril 2027")]
    got = read(rows, specs, "certificat_rge")
    assert (got["date_debut_validite"], got["date_fin_validite"]) == ("2023-04-19", "2027-04-18")


@pytest.mark.parametrize("dash", ["—", "_"])  # (« _ »: a scan's reading of the empty cell's dash)
def test_a_qualification_tables_rge_row_under_two_rows_without_the_mention_gives_the_dates(specs, dash):
    rows = [(0.08, 0.04, "CERTIFICAT DE QUALIFICATION"), (0.08, 0.06, "QUALIBAT N° E-E861074"),
            (0.08, 0.20, "Code"), (0.177, 0.20, "Libellé"), (0.443, 0.20, "Domaine RGE"), (0.691, 0.20, "Attribuée le"),
            (0.807, 0.20, "Valable jusqu'au"),
            (0.08, 0.22, "4111"), (0.177, 0.22, "Plâtrerie – cloisons sèches"), (0.447, 0.22, dash),
            (0.691, 0.22, "22/05/2020"), (0.807, 0.22, "21/05/2024"),
            (0.08, 0.24, "QualiPV 36"), (0.177, 0.24, "Photovoltaïque < 36 kVA"), (0.447, 0.24, dash),
            (0.691, 0.24, "26/09/2020"), (0.807, 0.24, "25/09/2024"),
            (0.08, 0.26, "7141"), (0.177, 0.26, "Isolation thermique par l'intérieur"), (0.443, 0.26, "Isolation des murs"),
            (0.691, 0.26, "25/10/2022"), (0.807, 0.26, "24/10/2026")]
    got = read(rows, specs, "certificat_rge")
    assert (got["date_debut_validite"], got["date_fin_validite"]) == ("2022-10-25", "2026-10-24")
    assert json.loads(got["domaines"]) == ["Isolation des murs"]


STORE_TABLE = [(0.074, 0.40, "Réf."), (0.177, 0.40, "Désignation"), (0.62, 0.40, "Qté"), (0.66, 0.40, "Unité"),
               (0.70, 0.40, "PU HT"), (0.77, 0.40, "Remise %"), (0.83, 0.40, "TVA %"), (0.88, 0.40, "Montant HT")]


def _row(y, code, designation, qty, unit, price, discount, total):
    return [(0.074, y, code), (0.177, y, designation), (0.62, y, qty), (0.66, y, unit), (0.70, y, price),
            (0.77, y, discount), (0.83, y, "5,5"), (0.88, y, total)]


def test_a_stores_article_codes_and_service_codes_are_no_products(specs):
    """« Réf. » holds the store's codes: EAN-like numbers for the goods, « SRV-MES », « POSE » for
    the services; the products are the brands' models in the designations."""
    rows = [(0.08, 0.04, "Magasin Bricoval Nantes (n° 0369)"), (0.70, 0.04, "DEVIS")] + STORE_TABLE
    rows += _row(0.42, "62923556", "Chaudière Okofen Pellematic Compact 16", "1", "u", "17 588,09", "0", "17 588,09")
    rows += _row(0.44, "88965215", "Thermostat Frisquet Eco Radio System Visio", "2", "u", "288,78", "5", "548,68")
    rows += _row(0.46, "SRV-PROT", "Protection des sols et du mobilier", "1", "forfait", "236,00", "0", "236,00")
    rows += _row(0.48, "SRV-MES", "Mise en service et réglages", "1", "forfait", "100,00", "0", "100,00")
    rows += _row(0.50, "POSE", "Forfait pose et main d'œuvre", "1", "forfait", "293,34", "0", "293,34")
    got = read(rows, specs, "devis")
    assert json.loads(got["reference_produit"]) == ["Pellematic Compact 16", "Eco Radio System Visio"]


def test_a_service_code_alone_under_ref_on_a_scan_is_no_product(specs):
    """retail dev 1586: the scan ran « SRV-DEPL » into its designation and read the goods' article
    numbers as no values; « POSE », alone left under « Réf. », is the fitting's code, no product."""
    from extraction.extractors.candidates import Candidate
    from extraction.extractors.field_hints import _Hints
    from extraction.extractors.multiple import choose_many
    from extraction.fields import _choose
    from extraction.types import Word

    def candidate(value, y, how, score):
        return Candidate(value, value, score, 1, [Word(value, (0.16, y, 0.40, y + 0.012), 0.95)], how)

    spec = next(s for s in specs["devis"] if s.name == "reference_produit")
    found = [candidate("Comblissimo", 0.42, "lexicon", 0.85), candidate("Nuos Plus 250", 0.48, "lexicon", 0.85),
             candidate("POSE", 0.57, "column", 0.38)]
    chosen = choose_many(found, _Hints.from_spec(spec), _choose)
    assert json.loads(chosen.value) == ["Comblissimo", "Nuos Plus 250"]


def test_a_range_named_after_its_brand_keeps_its_lower_case_word(specs):
    """« Steico Steico zell », « Steico Steico flex 036 »: the range bears the brand's name, its
    lower-case word ending the designation is the model's (not « Isover Comblissimo soufflé »)."""
    rows = [(0.08, 0.04, "Programme Ondéa Habitat"), (0.70, 0.04, "DEVIS")] + STORE_TABLE
    rows += _row(0.42, "71553965", "Isolation de combles – Steico Steico zell", "74,50", "m²", "52,36", "0", "3 900,82")
    rows += _row(0.44, "64667603", "Panneau fibre de bois Steico Steico flex 036", "7", "rouleau", "13,09", "0", "91,63")
    rows += _row(0.46, "43553965", "Isolant Isover Comblissimo soufflé", "74,50", "m²", "22,36", "0", "1 665,82")
    got = read(rows, specs, "devis")
    assert json.loads(got["reference_produit"]) == ["Steico zell", "Steico flex 036", "Comblissimo"]


def test_two_article_numbers_of_one_length_are_no_products(specs):
    """Two goods only, the service's code run into its designation (« SRV-DEPL Frais de
    déplacement technicien »): the two eight-digit numbers under « Réf. » are still the store's."""
    rows = [(0.08, 0.04, "Programme Ondéa Habitat"), (0.70, 0.04, "DEVIS")] + STORE_TABLE
    rows += _row(0.42, "63007598", "Isolation d'un plancher – Saint-Gobain Weber weber.therm XM ultra 22", "61,50", "m²",
                 "92,08", "0", "5 662,92")
    rows += _row(0.44, "50409218", "Écran sous-toiture Actis Boost'R 10", "2", "rouleau", "5,33", "10", "9,59")
    rows += [(0.074, 0.46, "SRV-DEPL Frais de déplacement technicien"), (0.62, 0.46, "1"), (0.66, 0.46, "forfait"),
             (0.70, 0.46, "90,00"), (0.77, 0.46, "0"), (0.83, 0.46, "5,5"), (0.88, 0.46, "90,00")]
    got = read(rows, specs, "devis")
    assert "63007598" not in json.loads(got["reference_produit"])
    assert "Boost'R 10" in json.loads(got["reference_produit"])


def test_a_model_under_its_designation_after_the_stores_code(specs):
    """The text layer runs the code into the designation (« 22674010 Système solaire combiné –
    Giordano »); the model opens the designation's next line, under the designation, not the code."""
    header = [(0.151, 0.40, "Désignation") if text == "Désignation" else (x, y, text) for x, y, text in STORE_TABLE]
    rows = [(0.08, 0.04, "Magasin Bricoval Le Mans (n° 0117)"), (0.70, 0.04, "PROPOSITION COMMERCIALE")] + header
    rows += [(0.074, 0.42, "22674010 Système solaire combiné – Giordano"), (0.62, 0.42, "1"), (0.66, 0.42, "u"),
             (0.70, 0.42, "9.601,81"), (0.77, 0.42, "0"), (0.83, 0.42, "5,5"), (0.88, 0.42, "9.601,81"),
             (0.151, 0.435, "SSC Ecosol 300"), (0.151, 0.45, "Efficacité énergétique saisonnière ETAS 123 %")]
    got = read(rows, specs, "devis")
    assert json.loads(got["reference_produit"]) == ["SSC Ecosol 300"]
    assert json.loads(got["marque"]) == ["Giordano"]


def test_a_forms_numbered_sections_tell_the_clients_town_from_the_professionals(specs, tmp_path):
    """The programme's attestation form (the retail family's, a real PDF): « Ville Angers » under
    « 3. Le professionnel », « Commune Angoulême » under « 1. Le bénéficiaire »: each party's
    fields come from its own section, whatever the column."""
    generate_corpus(tmp_path, CorpusOptions(dossiers=1, seed=1551, family="retail", scanned_ratio=0.0, multi_doc_ratio=0.0))
    pages = pdf_pages(tmp_path / "dossier_0001" / "attestation_honneur.pdf", engine="pdfium")
    assert "3. Le professionnel" in pages[0].text and "Ville Angers" in pages[0].text
    got = {name: v.value for name, v in extract_fields(pages, specs["attestation_honneur"],
                                                        fixture_reading_data("attestation_honneur")).items()}
    assert got["beneficiaire_ville"] == "Angoulême"
    assert got["raison_sociale_installateur"] == "Habitat Dépôt Installation"


def test_a_company_filling_the_form_is_read_beside_its_wording(specs):
    rows = [(0.08, 0.04, "LUMINA ÉNERGIE SA"), (0.50, 0.04, "Réf. programme : Éco-prime Lumina"),
            (0.08, 0.08, "ATTESTATION SUR L'HONNEUR"),
            (0.08, 0.14, "Nom et prénom / raison sociale du bénéficiaire"), (0.50, 0.14, "GILLET Charlotte"),
            (0.08, 0.30, "Entreprise ayant réalisé les travaux"), (0.50, 0.30, "RENOVISOLATION"),
            (0.08, 0.32, "N° SIRET de l'entreprise"), (0.50, 0.32, "55961914310013")]
    assert read(rows, specs, "attestation_honneur")["raison_sociale_installateur"] == "RENOVISOLATION"


def test_a_cadres_date_alone_in_its_line_and_the_total_of_its_primes(specs):
    """« Le 9 septembre 2024 » alone, with no town, dates the offer; « Total de votre prime » sums
    the table's rows, one per operation."""
    rows = [(0.08, 0.04, "Coup de pouce Hexaly"), (0.08, 0.10, "Vos références"),
            (0.55, 0.12, "M. et Mme Robert FERNANDES"), (0.08, 0.22, "Le 9 septembre 2024"),
            (0.08, 0.25, "Objet : votre Offre Prime Énergie Isolation"),
            (0.08, 0.30, "Opération"), (0.50, 0.30, "Fiche"), (0.70, 0.30, "Montant de la prime"),
            (0.08, 0.32, "Isolation de combles ou de toitures"), (0.50, 0.32, "BAR-EN-101"), (0.70, 0.32, "EUR 951,51"),
            (0.08, 0.34, "Chauffe-eau thermodynamique à accumulation"), (0.50, 0.34, "BAR-TH-148"), (0.70, 0.34, "EUR 1 927,42"),
            (0.08, 0.36, "Total de votre prime"), (0.70, 0.36, "EUR 2 878,93"),
            (0.08, 0.45, "Le 14/03/2025 à 10:42, votre conseiller vous a appelé.")]
    got = read(rows, specs, "cadre_contribution")
    assert (got["date_cadre"], got["montant_prime"]) == ("2024-09-09", "2878.93")


def test_a_stores_quote_gives_the_works_address_under_livraison_pose_chez(specs):
    """« Facturé à » the client's home, « Livraison / pose chez » the works: the beneficiary's address is
    where the works are."""
    rows = [(0.08, 0.04, "Magasin Habitat Dépôt Troyes (n° 0367)"), (0.70, 0.04, "DEVIS"),
            (0.08, 0.12, "N° de devis"), (0.30, 0.12, "Date du devis"), (0.60, 0.12, "Facturé à"),
            (0.08, 0.14, "D0367-24-004744"), (0.30, 0.14, "06/02/2024"), (0.60, 0.15, "M. Thibault POULAIN"),
            (0.08, 0.17, "N° de commande"), (0.30, 0.17, "N° client"), (0.60, 0.17, "134 boulevard Pasteur"),
            (0.08, 0.19, "4967797510"), (0.30, 0.19, "CL115446075"), (0.60, 0.19, "89000 Auxerre"),
            (0.60, 0.24, "Livraison / pose chez"), (0.60, 0.26, "M. Thibault POULAIN"), (0.60, 0.28, "23 rue des Cerisiers"),
            (0.60, 0.30, "68100 MULHOUSE"), (0.08, 0.34, "Objet : Chaudière biomasse individuelle")]
    got = read(rows, specs, "devis")
    assert (got["beneficiaire_adresse"], got["beneficiaire_code_postal"], got["beneficiaire_ville"]) == \
        ("23 rue des Cerisiers", "68100", "MULHOUSE")


def test_the_name_after_a_label_naming_a_person_or_a_company(specs):
    rows = [(0.08, 0.04, "ALIZÉE GAZ & ÉLECTRICITÉ"), (0.08, 0.08, "ATTESTATION SUR L'HONNEUR"),
            (0.08, 0.14, "Nom et prénom / raison sociale du bénéficiaire"), (0.50, 0.14, "GUYOT Maryse"),
            (0.08, 0.16, "Adresse des travaux"), (0.50, 0.16, "67 quai Lamartine")]
    assert read(rows, specs, "attestation_honneur")["beneficiaire_nom"] == "GUYOT Maryse"


@pytest.fixture(scope="module")
def retail_certificates(tmp_path_factory):
    root = tmp_path_factory.mktemp("retail")
    generate_corpus(root, CorpusOptions(dossiers=8, seed=1551, family="retail", scanned_ratio=0.0, multi_doc_ratio=0.0))
    return root


@pytest.mark.parametrize("dossier, text, domains", [
    # a table whose « Domaine RGE » column says « — » for a qualification without the mention
    ("dossier_0008", "E2 Électricité générale – installations —", ["Chauffage et/ou eau chaude solaire"]),
    # two RGE rows, the first one's wording wrapped onto lines of its own, the dates run into the cell
    ("dossier_0005", "en combles perdus (technicité", ["Isolation du toit", "Isolation des murs et planchers bas"]),
    # a card per qualification, each with its « Mention RGE : … »
    ("dossier_0001", "Mention RGE : Isolation du toit", ["Isolation du toit", "Chauffe-eau thermodynamique"]),
])
def test_a_certificates_rge_domains_among_its_other_qualifications(specs, retail_certificates, dossier, text, domains):
    pages = pdf_pages(retail_certificates / dossier / "certificat_rge.pdf", engine="pdfium")
    assert text in pages[0].text
    got = extract_fields(pages, specs["certificat_rge"], fixture_reading_data("certificat_rge"))
    assert json.loads(got["domaines"].value) == domains


def test_a_certificate_cards_period_line_gives_the_validity(specs, retail_certificates):
    """« Du 26 novembre 2022 au 25 novembre 2026 » alone on its line under each qualification's
    card, two RGE cards sharing it: the qualification's validity, not the date the page was issued
    (« Délivrée le 07/08/2024 »)."""
    pages = pdf_pages(retail_certificates / "dossier_0001" / "certificat_rge.pdf", engine="pdfium")
    assert "Délivrée le 07/08/2024" in pages[0].text
    got = extract_fields(pages, specs["certificat_rge"], fixture_reading_data("certificat_rge"))
    assert (got["date_debut_validite"].value, got["date_fin_validite"].value) == ("2022-11-26", "2026-11-25")


def test_a_company_client_without_who_represents_it_and_a_long_co_ownership_name(specs):
    rows = [(0.08, 0.04, "ATTESTATION SUR L'HONNEUR"),
            (0.08, 0.14, "Nom et prénom / raison sociale du bénéficiaire"),
            (0.50, 0.14, "SCI Les Tilleuls, représentée par Mme Christine Roux")]
    assert read(rows, specs, "attestation_honneur")["beneficiaire_nom"] == "SCI Les Tilleuls"
    rows = [(0.08, 0.04, "Offre Prime Énergie"), (0.08, 0.10, "Bénéficiaire :"),
            (0.30, 0.10, "Syndicat des copropriétaires de la Résidence Les Cèdres")]
    assert read(rows, specs, "cadre_contribution")["beneficiaire_nom"] == "Syndicat des copropriétaires de la Résidence Les Cèdres"


def test_a_siret_wrapped_by_a_centred_footer_and_a_prime_after_its_currency(specs):
    rows = [(0.08, 0.04, "FACTURE N° F0152-24-039262"), (0.08, 0.06, "Date : 12/03/2025"),
            (0.08, 0.50, "Énergie SA. Volténa Énergie SA vous versera une prime de EUR 4 366,97 après validation du dossier."),
            (0.08, 0.94, "Bricoval Pose & Services – SAS au capital de 150 000 € – Siège social : 83 bis impasse Henri Rolland,"
                         " – SIRET 974 395"),
            (0.34, 0.952, "360 100 71 – N° TVA intracommunautaire FR09974395360")]
    got = read(rows, specs, "facture")
    assert got["siret_installateur"] == "97439536010071"
    assert got["prime_cee"] == "4366.97"


def test_a_stores_fitting_code_under_ref_is_no_product(specs, tmp_path):
    """The supplier's partner quote (the retail family's, a real PDF): « POSE » under « Réf. » for the
    fitting's row, the products' rows holding no code: the store's code for the fitting, not a product."""
    generate_corpus(tmp_path, CorpusOptions(dossiers=12, seed=1554, family="retail", scanned_ratio=0.0, multi_doc_ratio=0.0))
    pages = pdf_pages(tmp_path / "dossier_0001" / "devis.pdf", engine="pdfium")
    assert "POSE Forfait pose" in pages[0].text
    got = extract_fields(pages, specs["devis"], fixture_reading_data("devis"))
    assert json.loads(got["reference_produit"].value) == ["Ecodan Hydrobox EHST20D", "Kit 0020256"]


def test_the_companys_siret_is_the_one_its_legal_mentions_register(specs):
    """The store's SIRET in the header's grid of numbers, the installing company's in the footer with
    its RCS and VAT numbers: the company's SIREN is printed again there."""
    rows = [(0.08, 0.04, "Magasin Habitat Dépôt Niort (n° 0110)"), (0.70, 0.04, "FACTURE"),
            (0.08, 0.10, "N° client"), (0.25, 0.10, "N° de magasin"), (0.45, 0.10, "Vendeur"), (0.60, 0.10, "SIRET"),
            (0.08, 0.12, "CL803024424"), (0.25, 0.12, "0110"), (0.45, 0.12, "V353"), (0.60, 0.12, "SIRET 483 952 081 00097"),
            (0.08, 0.94, "Habitat Dépôt Services Habitat — SAS au capital de 150 000 € — Siège social : 121 route de la Paix,"),
            (0.08, 0.955, "79000 Niort — RCS Niort 964 410 054 — SIRET 964 410 054 000 65 — N° TVA intracommunautaire FR19964410054")]
    assert read(rows, specs, "facture")["siret_installateur"] == "96441005400065"


def test_a_dash_ocr_read_as_letters_in_the_domain_column_is_no_domain(specs, retail_certificates):
    from dataclasses import replace

    pages = pdf_pages(retail_certificates / "dossier_0008" / "certificat_rge.pdf", engine="pdfium")
    # the « — » of the row without the RGE mention, as a scan's OCR reads it
    line = next(line for line in page_lines(pages[0]) if "Électricité générale" in line.text)
    dash = line.words[-1] if line.words[-1].text == "—" else next(w for w in reversed(line.words) if w.text == "—")
    words = [replace(w, text="Se") if w is dash else w for w in pages[0].words]
    page = replace(pages[0], words=words, text=pages[0].text.replace("installations —", "installations Se"))
    got = extract_fields([page], specs["certificat_rge"], fixture_reading_data("certificat_rge"))
    assert json.loads(got["domaines"].value) == ["Chauffage et/ou eau chaude solaire"]


@pytest.mark.parametrize("dossier, text, dates", [
    # the table's first row is a qualification without the RGE mention (« — » in its « Domaine RGE » cell)
    ("dossier_0008", "E2 Électricité générale – installations —", ("2023-06-05", "2027-06-04")),
    # the first card says « Qualification sans mention RGE » over its own period
    ("dossier_0007", "Qualification sans mention RGE", ("2023-09-19", "2027-09-18")),
])
def test_a_certificates_dates_are_its_rge_qualifications(specs, retail_certificates, dossier, text, dates):
    pages = pdf_pages(retail_certificates / dossier / "certificat_rge.pdf", engine="pdfium")
    assert text in pages[0].text
    got = extract_fields(pages, specs["certificat_rge"], fixture_reading_data("certificat_rge"))
    assert (got["date_debut_validite"].value, got["date_fin_validite"].value) == dates


def test_a_siret_label_ending_a_centred_footers_line_gives_the_number_opening_the_next(specs):
    footer = "Bricoval Services Habitat – SASU – Siège social : 09000 Foix – RCS Foix 544 937 428 – SIRET"
    rest = "54493742800024 – N° TVA FR01544937428 – RGE Qualit'EnR n° QE/337997"
    rows = [(0.30, 0.04, "Magasin Bricoval Le Mans (n° 0117)"), (0.30, 0.10, "PROPOSITION COMMERCIALE N° D0117-24-087720"),
            (0.08, 0.30, "Réf. Désignation Qté Montant HT"),
            ((1 - len(footer) * 0.0085) / 2, 0.949, footer), ((1 - len(rest) * 0.0085) / 2, 0.961, rest)]
    assert read(rows, specs, "devis")["siret_installateur"] == "54493742800024"


def test_a_domain_the_text_layer_joined_to_its_granting_date_is_read_without_it(specs):
    rows = [(0.40, 0.047, "CERTIFICAT DE QUALIFICATION"), (0.08, 0.062, "QUALIFELEC N° QF-23682"),
            (0.08, 0.13, "Entreprise : Domicéo Installation"), (0.08, 0.199, "Qualifications détenues"),
            (0.08, 0.225, "Code"), (0.13, 0.225, "Libellé"), (0.30, 0.225, "Domaine RGE"), (0.72, 0.225, "Attribuée le"),
            (0.86, 0.225, "Valable jusqu'au"),
            (0.08, 0.246, "7141"), (0.13, 0.246, "Isolation"), (0.30, 0.246, "Isolation des murs et planchers bas 18/09/2023"),
            (0.86, 0.246, "17/09/2027"),
            (0.08, 0.281, "2111"), (0.13, 0.281, "Maçonnerie"), (0.30, 0.281, "—"), (0.72, 0.281, "23/11/2021"),
            (0.86, 0.281, "22/11/2025"),
            (0.08, 0.307, "La mention RGE « Reconnu Garant de l'Environnement » s'applique aux seules qualifications")]
    assert json.loads(read(rows, specs, "certificat_rge")["domaines"]) == ["Isolation des murs et planchers bas"]


def test_a_domain_after_the_end_of_the_libelle_the_text_layer_ran_into_its_cell(specs):
    rows = [(0.40, 0.047, "CERTIFICAT DE QUALIFICATION"), (0.08, 0.062, "QUALIBAT N° E-E431161"),
            (0.082, 0.225, "Code"), (0.183, 0.225, "Libellé"), (0.444, 0.225, "Domaine RGE"),
            (0.76, 0.225, "Attribuée le"), (0.88, 0.225, "Valable jusqu'au"),
            (0.082, 0.268, "7141"), (0.183, 0.268, "Isolation intérieure des murs"),
            (0.444, 0.268, "Isolation des murs et planchers bas"), (0.76, 0.268, "27/03/2021"),
            (0.88, 0.268, "26/03/2025"),
            (0.183, 0.282, "et planchers bas"),
            (0.076, 0.329, "La mention RGE « Reconnu Garant de l'Environnement » s'applique aux seules qualifications")]
    assert json.loads(read(rows, specs, "certificat_rge")["domaines"]) == ["Isolation des murs et planchers bas"]


def _store_header(labels: tuple[str, ...], values: tuple[str, ...], title: str, number: str) -> list:
    xs = (0.30, 0.45, 0.60, 0.75)
    rows = [(0.08, 0.04, "Agence ÉNERGIE OUEST Lyon"), (0.80, 0.04, title), (0.80, 0.055, f"N° {number}"),
            (0.08, 0.06, "2 Centre commercial Les Arcades"), (0.08, 0.075, "69003 Lyon")]
    rows += [(x, 0.11, label) for x, label in zip(xs, labels)]
    rows += [(x, 0.125, value) for x, value in zip(xs, values)]
    rows += [(0.08, 0.20, "Objet : Chaudière biomasse individuelle")]
    return rows


def test_a_documents_date_beside_its_number_in_a_row_of_values_whose_labels_a_scan_garbled(specs):
    """A store's header grid (« Devis n° | Date du devis | N° client | Agence ») over its row of
    values: where a scan garbled the labels (« pr Das DE »), the date opening the cell right of
    the document's number is its date; not another date of the row, nor one where the labels read."""
    garbled = ("pr", "Das DE", "cas", "Agence")
    got = read(_store_header(garbled, ("DV-2599399", "16/03/25", "759964001", "Lyon"), "DEVIS", "DV-2599399"),
               specs, "devis")
    assert (got.get("numero_devis"), got.get("date_devis")) == ("DV-2599399", "2025-03-16")
    # the number's cell followed by another cell than a date: no date
    got = read(_store_header(garbled, ("DV-2599399", "759964001", "16/03/25", "Lyon"), "DEVIS", "DV-2599399"),
               specs, "devis")
    assert got.get("date_devis") is None
    got = read(_store_header(("Facture n°", "Date de facture", "Échéance", "Agence"),
                             ("FA-2024-05136", "23/05/2024", "22/06/2024", "Lyon"), "FACTURE", "FA-2024-05136"),
               specs, "facture")
    assert got.get("date_facture") == "2024-05-23"
    got = read(_store_header(garbled, ("FA-2024-05136", "23/05/2024", "22/06/2024", "Lyon"), "FACTURE", "FA-2024-05136"),
               specs, "facture")
    assert got.get("date_facture") == "2024-05-23"


def test_a_party_ending_a_sentences_line_in_the_general_terms_heads_no_value(specs):
    """« … elles sont transmises au financeur et à » / « l'installateur, Vous disposez d'un droit
    d'accès et de rectification. »: the installer carried on from the line above, after a comma a
    scan read before a capital, is no label of the installer's name."""
    rows = [(0.08, 0.02, "DEVIS ESTIMATIF"), (0.70, 0.02, "N° D0209-25-024845")] + STORE_TABLE
    rows += _row(0.42, "41919893", "Isolation des murs - Rockwool Rockmur 032", "144,50", "m²", "117,42", "0", "16 967,19")
    rows += [(0.08, 0.70, "Art. 6 — Données personnelles. Les données collectées sont nécessaires au traitement de la commande et du"),
             (0.08, 0.712, "dossier de prime : elles sont transmises au financeur et à"),
             (0.08, 0.724, "l'installateur, Vous disposez d'un droit d'accès et de rectification."),
             (0.08, 0.95, "Maisonéa Installation - SAS au capital de 1 200 000 € - RCS Ajaccio 996 579 108")]
    assert read(rows, specs, "devis").get("raison_sociale_installateur") == "Maisonéa Installation"
    spec = next(s for s in specs["devis"] if s.name == "raison_sociale_installateur")
    candidates = field_candidates(spec, DocumentLayout.of([page(rows)]), _all_stop_labels(specs["devis"]),
                                  reading=fixture_reading_data("devis"))
    assert not [c.value for c in candidates if "disposez" in c.value]


def test_a_word_opening_a_parenthesis_in_a_designation_is_no_label(specs):
    """« Forfait pose et main d'œuvre » / « (installateur qualifié RGE) » over the totals' header
    « Base HT Taux … »: « Taux » is no installer's name (retail dev 1578)."""
    rows = [(0.08, 0.02, "FACTURE N° FA-2025-0412")] + STORE_TABLE
    rows += _row(0.42, "POSE", "Forfait pose et main d'œuvre", "1", "forfait", "956,84", "0", "956,84")
    rows += [(0.177, 0.435, "(installateur qualifié RGE)"),
             (0.10, 0.46, "Base HT"), (0.179, 0.46, "Taux"), (0.25, 0.46, "Montant TVA"), (0.70, 0.46, "Total HT 956,84 EUR")]
    spec = next(s for s in specs["facture"] if s.name == "raison_sociale_installateur")
    candidates = field_candidates(spec, DocumentLayout.of([page(rows)]), _all_stop_labels(specs["facture"]),
                                  reading=fixture_reading_data("facture"))
    assert not [c.value for c in candidates if c.value == "Taux"]


@pytest.mark.parametrize("footer_y", [0.935, 0.80])
def test_the_installer_is_the_legal_mentions_company_not_the_programmes_sponsor(specs, footer_y):
    """« Un programme Volténa Énergie SA — installateur partenaire agréé » under the programme's name
    heads a store's quote; its legal mention, « Logis Brico Services Habitat — SASU au capital de … »
    (a dash between the name and its form), names the installer, also above a long page's last lines
    — and where a scan misread « capital » (« cäpital »), which the legal mention's pattern needs."""
    rows = [(0.11, 0.02, "Programme Volténa Rénov'"), (0.70, 0.02, "DEVIS ESTIMATIF"),
            (0.11, 0.043, "Un programme Volténa Énergie SA — installateur partenaire agréé"),
            (0.70, 0.06, "N° D0080-25-098572")] + STORE_TABLE
    rows += _row(0.42, "41919893", "Isolation des murs - Rockwool Rockmur 032", "144,50", "m²", "117,42", "0", "16 967,19")
    for capital in ("capital", "cäpital"):
        mention = f"Logis Brico Services Habitat — SASU au {capital} de 1 200 € — RCS Metz 456 427 848"
        got = read(rows + [(0.08, footer_y, mention), (0.08, 0.985, "Page 1 sur 1")], specs, "devis")
        assert got.get("raison_sociale_installateur") == "Logis Brico Services Habitat"


@pytest.mark.parametrize("reference, kept", [
    ("Comblissimo.", "Comblissimo"),  # retail dev 1586: the model ending the designation's sentence
    ("Vario KM Duplex.", "Vario KM Duplex"),
    ("Alfea Excellia A.I.", "Alfea Excellia A.I."),
    ("Tescon No.1", "Tescon No.1"),
    ("Duo+", "Duo+"),
])
def test_a_reference_ending_a_sentence_loses_its_full_stop_not_its_own_dots(reference, kept):
    from extraction.extractors.products import without_full_stop

    assert without_full_stop(reference) == kept


def test_a_networks_name_on_a_scan_is_no_brand_a_letter_off(specs):
    """retail dev 1586: « Thermi'Services Pau », the agency of a network, under « Agence »: its
    first part is one letter off the brand Thermia, yet a piece of a word is no brand's slip."""
    rows = [(0.08, 0.04, "Thermi'Services Sud"), (0.70, 0.04, "FACTURE"),
            (0.08, 0.20, "Agence"), (0.30, 0.20, "N° d'affaire"), (0.08, 0.215, "Thermi'Services Pau"),
            (0.30, 0.215, "36171175")] + STORE_TABLE
    rows += _row(0.42, "62923556", "Pompe à chaleur Viessmann Vitocal 150-A 10 kW", "1", "u", "9 588,09", "0", "9 588,09")
    got = {name: v.value for name, v in extract_fields([page(rows, conf=0.9)], specs["facture"],
                                                       fixture_reading_data("facture")).items()}
    assert [b.lower() for b in json.loads(got["marque"])] == ["viessmann"]
