"""Reading documents of online invoicing tools, délégataires' platforms and e-signature services:
« N° D-000113 » without a colon, products on a designation's grey second line (« Marque : Atlantic –
Réf. : Alfea Excellia A.I. 11 » item after item, « Proclima · Tescon No.1 »), a performance line
under the model (« ETAS 159 % · COP 4,66 »), the signature service's header above the letterhead,
« Signé électroniquement par … » in a name's place, « Nom | Prénom(s) » over their values, couples
(« M. et Mme TESSIER Marguerite et Anne-Laure »), the regulatory wording with its values inside
(« La société X, SIRET … », « Date d'engagement de l'opération (acceptation du devis) : … ») and an
RGE body's e-mail (« … a accordé à l'entreprise X (SIRET …) »). Pages are written here the way such
documents look (the platform family of the corpus draws them too).
"""
import dataclasses
import json

import pytest

from extraction.corpus.evaluate import load_specs
from extraction.extractors.names import first_person
from extraction.fields import extract_fields
from extraction.reading import fixture_reading_data

from .pages import page


@pytest.fixture(scope="module")
def specs():
    return load_specs()


def read(pages, specs, doc_type: str) -> dict:
    return {name: v.value for name, v in extract_fields(pages, specs[doc_type], fixture_reading_data(doc_type)).items()}


HEAD = [(0.06, 0.02, "Oodrive Sign · Enveloppe n° 40601142-6063-2318-C702-B89FD2028596"),
        (0.10, 0.057, "SOLUTIONS MARTIN"), (0.80, 0.057, "DEVIS"),
        (0.10, 0.071, "115 rue Lamartine · 92100 Boulogne-Billancourt"),
        (0.10, 0.084, "03 02 28 21 02 · contact@solutionsmartin.fr"), (0.80, 0.084, "N° D-000113")]
TABLE = [(0.08, 0.40, "Désignation"), (0.50, 0.40, "Qté"), (0.56, 0.40, "Unité"), (0.64, 0.40, "PU HT"),
         (0.76, 0.40, "TVA"), (0.86, 0.40, "Total HT")]


def _item(y: float, designation: str, quantity: str, unit: str, price: str, total: str) -> list:
    return [(0.08, y, designation), (0.50, y, quantity), (0.56, y, unit), (0.64, y, price), (0.76, y, "10 %"),
            (0.86, y, total)]


def test_the_number_after_its_sign_and_the_letterhead_under_the_signature_service(specs):
    got = read([page(HEAD)], specs, "devis")
    assert got["numero_devis"] == "D-000113"
    assert got["raison_sociale_installateur"] == "SOLUTIONS MARTIN"


def test_each_item_names_its_product_on_its_second_line(specs):
    rows = HEAD + TABLE
    rows += _item(0.42, "Pompe à chaleur air/eau", "1", "u", "9 602,01 €", "9 602,01 €")
    rows += [(0.08, 0.435, "Marque : Atlantic – Réf. : Alfea Excellia A.I. 11"),
             (0.08, 0.45, "ETAS 159 % · COP 4,66 · Surface chauffée 166 m²")]
    rows += _item(0.47, "Socle anti-vibratile", "3", "u", "49,00 €", "147,00 €")
    rows += [(0.08, 0.485, "Marque : Sauermann – Réf. : Si-SOC 600")]
    rows += _item(0.50, "Bande adhésive d'étanchéité", "116,00", "m²", "2,00 €", "232,00 €")
    rows += [(0.08, 0.515, "Proclima · Tescon No.1")]
    got = read([page(rows)], specs, "devis")
    assert json.loads(got["marque"]) == ["Atlantic", "Sauermann", "Proclima"]
    assert json.loads(got["reference_produit"]) == ["Alfea Excellia A.I. 11", "Si-SOC 600", "Tescon No.1"]


@pytest.mark.parametrize("known", [False, True])  # True: a validator's learned product put Adey in the lexicon
def test_a_scan_reads_the_middle_dot_between_a_brand_and_its_model_as_a_dash(specs, known):
    rows = HEAD + TABLE
    rows += _item(0.50, "Filtre anti-boues magnétique", "1", "u", "162,00 €", "162,00 €")
    rows += [(0.08, 0.515, "Adey - MagnaClean Pro2"),
             (0.08, 0.535, "Main d'œuvre - pose, raccordements et mise en service")]
    reading = fixture_reading_data("devis")
    if known:
        reading = dataclasses.replace(reading, brands=(*reading.brands, ("Adey", ())))
    got = {name: v.value for name, v in extract_fields([page(rows, conf=0.9)], specs["devis"], reading).items()}
    assert json.loads(got["marque"]) == ["Adey"]
    assert json.loads(got["reference_produit"]) == ["MagnaClean Pro2"]


def test_a_stores_article_code_set_off_by_a_scans_table_rule_is_no_brand(specs):
    rows = HEAD + TABLE
    rows += _item(0.42, "Bande adhésive d'étanchéité", "116,00", "m²", "2,00 €", "232,00 €")
    rows += [(0.08, 0.435, "Proclima · Tescon No.1")]
    # OCR reads the table's rule between the code and the designation column as « | »
    rows += [(0.08, 0.45, "SRV-EVAC | Dépose et évacuation de l'ancien équipement / déchets"),
             (0.08, 0.465, "SRV-DEPL | Frais de déplacement technicien")]
    got = read([page(rows)], specs, "devis")
    assert json.loads(got["marque"]) == ["Proclima"]
    assert json.loads(got["reference_produit"]) == ["Tescon No.1"]


def test_a_performance_line_under_the_model_is_not_the_model(specs):
    rows = HEAD + TABLE + _item(0.42, "Pompe à chaleur géothermique sol/eau", "1", "u", "14 323,80 €", "14 323,80 €")
    rows += [(0.08, 0.435, "Mitsubishi Electric Ecodan PUZ-SWM80VAA"),
             (0.08, 0.45, "ETAS 184 % · COP 4,88 · Surface chauffée 146 m²")]
    got = read([page(rows)], specs, "devis")
    assert json.loads(got["reference_produit"]) == ["Ecodan PUZ-SWM80VAA"]


def test_a_web_forms_names_under_their_labels_and_its_electronic_signatures(specs):
    rows = [(0.10, 0.02, "06/03/2023 11:12 Attestation sur l'honneur – Watt'Incitation"),
            (0.10, 0.182, "1. Bénéficiaire"), (0.10, 0.214, "Nom"), (0.50, 0.214, "Prénom(s)"),
            (0.10, 0.235, "LEFÈVRE"), (0.50, 0.235, "Honoré"),
            (0.10, 0.60, "Le bénéficiaire"), (0.50, 0.60, "Le professionnel"),
            (0.10, 0.625, "Signé électroniquement par Honoré Lefèvre"), (0.50, 0.625, "Signé par SOLUTIONS MARTIN")]
    got = read([page(rows)], specs, "attestation_honneur")
    assert got["beneficiaire_nom"] == "Honoré LEFÈVRE"


def test_the_regulatory_wording_gives_the_professional_and_the_engagement_date(specs):
    rows = [(0.08, 0.20, "Fiche(s) d'opération standardisée(s) : BAR-TH-172 (Pompe à chaleur). Date d'engagement de l'opération"),
            (0.08, 0.215, "(acceptation du devis) : 2024-06-06. Date d'achèvement des travaux : 2024-07-06."),
            (0.08, 0.30, "C. Professionnel"),
            (0.08, 0.32, "La société ÉCOSERVICES, SIRET 78186365900053, dont le siège est situé 71 ter rue Henri Rolland,"),
            (0.08, 0.335, "42000 Saint-Étienne, atteste avoir réalisé l'opération ci-dessus conformément aux exigences de la fiche.")]
    got = read([page(rows)], specs, "attestation_honneur")
    assert got["date_engagement"] == "2024-06-06"
    assert got["raison_sociale_installateur"] == "ÉCOSERVICES"


def test_an_rge_bodys_email_names_the_company_before_its_siret(specs):
    rows = [(0.08, 0.05, "Messagerie – contact@ecoservices.fr"),
            (0.08, 0.08, "Votre certificat de qualification QualiPAC n° QPAC/2021/131649"),
            (0.08, 0.20, "Nous avons le plaisir de vous informer que la commission d'attribution a accordé à l'entreprise"),
            (0.08, 0.215, "ÉCOSERVICES (SIRET 78186365900053)"),
            (0.08, 0.23, "la qualification QualiPAC assortie de la mention RGE, sous le numéro QPAC/2021/131649.")]
    got = read([page(rows)], specs, "certificat_rge")
    assert got["raison_sociale"] == "ÉCOSERVICES"


@pytest.mark.parametrize("couple, person", [
    ("M. et Mme TESSIER Marguerite et Anne-Laure", "TESSIER Marguerite"),
    ("Stéphane et Sophie BERTIN", "Stéphane BERTIN"),
    ("Paul DURAND et Sophie MARTIN", "Paul DURAND"),
    ("DUPONT Jean", "DUPONT Jean"),
    ("Martin et Fils", "Martin et Fils"),
    # a scan's speck before the civility (office dev 1436: « Ë M. et Mme BONNIN Renée » gave « Ë M. BONNIN »)
    ("Ë M. et Mme BONNIN Renée", "M. et Mme BONNIN Renée"),
    ("Y M. DUPONT Jean", "M. DUPONT Jean"),
    ("A Madame LEROY", "Madame LEROY"),
    # civilities a scan misread (retail dev 1586): « rn » for « m », « M et » run into one word
    ("Monsieur et Madarne Théophile Martins", "Monsieur et Madame Théophile Martins"),
    ("Met Mme GUICHARD Bernadette", "M. et Mme GUICHARD Bernadette"),
    ("Monsieyr DURAND Paul", "Monsieur DURAND Paul"),
    ("Metz Jean", "Metz Jean"),
    ("Marne Jean", "Marne Jean"),
])
def test_a_couple_names_its_first_person(couple, person):
    assert first_person(couple) == person


def test_a_sidebars_logo_letter_and_sender_card_are_not_the_client(specs):
    """A sidebar's logo letter over the company's name, a « De » card with the seller's address and SIRET
    beside « Adressé à »: the company is the name under the letter, the client the card addressed to."""
    rows = [(0.05, 0.06, "É"), (0.60, 0.06, "Facture"), (0.05, 0.085, "N° FAC000521"),
            (0.05, 0.104, "ÉNERGIENORD"), (0.60, 0.104, "Date d'émission"), (0.75, 0.104, "14 juin 2023"),
            (0.30, 0.179, "De"), (0.30, 0.194, "THERMIQUE DES ALPES"), (0.30, 0.211, "72 rue Jules Ferry"),
            (0.30, 0.227, "16000 Angoulême"), (0.30, 0.243, "SIRET 75655400200060"),
            (0.30, 0.284, "Adressé à"), (0.65, 0.284, "Adresse d'intervention"),
            (0.30, 0.299, "Madame Adélaïde Guillot"), (0.65, 0.299, "Identique à l'adresse du client"),
            (0.30, 0.316, "153 ter rue Marcel Pagnol"), (0.30, 0.332, "87000 Limoges")]
    got = read([page(rows)], specs, "facture")
    assert got["raison_sociale_installateur"] == "ÉNERGIENORD"
    assert (got["beneficiaire_adresse"], got["beneficiaire_ville"]) == ("153 ter rue Marcel Pagnol", "Limoges")


def test_a_monogram_before_the_letterhead_and_a_file_name_after_the_number(specs):
    rows = [(0.06, 0.05, "CF Concept Fontaine"), (0.80, 0.05, "DEVIS"),
            (0.06, 0.08, "02 07 42 85 54 · contact@conceptfontaine.fr"), (0.80, 0.08, "N° DV257132"),
            (0.06, 0.50, "Document Devis DV257132.pdf")]
    got = read([page(rows)], specs, "devis")
    assert got["raison_sociale_installateur"] == "Concept Fontaine"
    assert got["numero_devis"] == "DV257132"


def test_an_offers_issue_date_is_the_cadres_date(specs):
    rows = [(0.06, 0.05, "Ecodelta Certificats SAS"), (0.60, 0.05, "Engagement de contribution"),
            (0.06, 0.20, "Numéro de dossier"), (0.40, 0.20, "PRM-2501-67016"),
            (0.06, 0.22, "Offre émise le"), (0.40, 0.22, "03/01/2025"),
            (0.06, 0.24, "Acceptée par le bénéficiaire le"), (0.40, 0.24, "06/01/2025")]
    got = read([page(rows)], specs, "cadre_contribution")
    assert got["date_cadre"] == "2025-01-03"


def test_a_line_under_an_item_that_is_all_a_brand_and_its_model(specs):
    rows = HEAD + TABLE + _item(0.42, "Support mural anti-vibratile", "1", "u", "327,00 €", "327,00 €")
    rows += [(0.08, 0.435, "Sauermann Silent 400")]
    rows += _item(0.46, "Mise en service", "1", "forfait", "120,00 €", "120,00 €")
    rows += [(0.08, 0.475, "Délai 3 semaines")]
    got = read([page(rows)], specs, "devis")
    assert json.loads(got["marque"]) == ["Sauermann"]
    assert json.loads(got["reference_produit"]) == ["Silent 400"]


def test_the_works_address_beside_the_clients_is_the_operations(specs):
    """« Client » (name and home address) beside « Adresse d'intervention » (street and town only): the
    beneficiary is the client, the address where the works are."""
    rows = [(0.06, 0.05, "Renov Habitat"), (0.70, 0.05, "Facture"), (0.70, 0.07, "N° F2025-1391"),
            (0.30, 0.20, "Client"), (0.65, 0.20, "Adresse d'intervention"),
            (0.30, 0.221, "Monsieur Nicolas Bénard-Ségalen"), (0.65, 0.221, "43 ter allée des Cerisiers"),
            (0.30, 0.233, "27 route Jules Ferry"), (0.65, 0.233, "28000 Chartres"),
            (0.30, 0.245, "26000 Valence")]
    got = read([page(rows)], specs, "facture")
    assert got["beneficiaire_nom"] == "Monsieur Nicolas Bénard-Ségalen"
    assert (got["beneficiaire_adresse"], got["beneficiaire_code_postal"], got["beneficiaire_ville"]) == \
        ("43 ter allée des Cerisiers", "28000", "Chartres")


def test_legal_mentions_printed_down_the_margin_stay_out_of_the_page_lines(specs):
    """A sidebar's legal mentions turned a quarter: each word a tall narrow box at the same left edge.
    They make a line of their own (its SIRET still read), not pieces of the client's block."""
    from extraction.types import Word
    from extraction.extractors.layout import build_lines

    mentions = "CONFORT SOLUTIONS – SAS au capital de 5 000 € – SIRET 352 317 127 10052".split()
    y, sideways = 0.15, []
    for text in mentions:
        height = 0.004 * len(text) + 0.002
        sideways.append(Word(text, (0.035, y, 0.045, y + height), 1.0))
        y += height + 0.002
    rows = [(0.30, 0.205, "CLIENT"), (0.65, 0.205, "LIEU DES TRAVAUX"),
            (0.30, 0.22, "Olivier CHAUVEAU"), (0.65, 0.22, "4 place Paul Bert"),
            (0.30, 0.235, "180 bis rue Lamartine"), (0.65, 0.235, "10000 TROYES"),
            (0.30, 0.249, "67000 Strasbourg")]
    base = page(rows)
    sheet = type(base)(base.number, base.text, base.words + sideways, base.width, base.height, base.source)
    lines = build_lines(sheet.words, sheet)
    assert [w.text for w in lines[-1].words] == mentions
    assert all(w.bbox[0] > 0.1 for line in lines[:-1] for w in line.words)
    got = read([sheet], specs, "facture")
    assert got["beneficiaire_nom"] == "Olivier CHAUVEAU"
    assert (got["beneficiaire_adresse"], got["beneficiaire_ville"]) == ("4 place Paul Bert", "TROYES")
    assert got["siret_installateur"] == "35231712710052"


def test_a_brand_and_its_model_split_by_a_slash_and_a_letterhead_with_a_label_word(specs):
    rows = HEAD + TABLE + _item(0.42, "Pompe à chaleur géothermique sol/eau", "1", "u", "12 690,69 €", "12 690,69 €")
    rows += [(0.08, 0.435, "Produit : Atlantic / Alfea Excellia A.I. 11")]
    got = read([page(rows)], specs, "devis")
    assert json.loads(got["reference_produit"]) == ["Alfea Excellia A.I. 11"]
    cadre = [(0.06, 0.043, "Rénoval Primes Énergie"), (0.60, 0.043, "Engagement de contribution"),
             (0.06, 0.093, "Récapitulatif de votre engagement")]
    assert read([page(cadre)], specs, "cadre_contribution")["nom_oblige"] == "Rénoval Primes Énergie"
    letter = [(0.06, 0.05, "T THERMIISOLATION"), (0.80, 0.05, "DEVIS")]
    assert read([page(letter)], specs, "devis")["raison_sociale_installateur"] == "THERMIISOLATION"


def test_an_obliges_online_offer_and_an_invoice_naming_its_quote_are_told_from_a_quote():
    from extraction.classification import classify_text
    from extraction.corpus.evaluate import load_hints

    offer = ("Kelvin Primes SAS Espace bénéficiaire\nProposition de prime énergie\nOffre n° Date de l'offre Valable jusqu'au\n"
             "PRM-2306-55114 18 juin 2023 16 septembre 2023\nSimulation de prime\nPrime CEE totale 2 511,28 €\n"
             "Votre devis ne doit pas être signé avant l'acceptation de la présente offre : la date d'engagement de "
             "l'opération est la date de signature du devis.\nSignature électronique de Alain DIAS")
    assert classify_text(offer, load_hints()).code == "cadre_contribution"
    invoice = ("Iso Alpes\nF actu re contact@isoalpes.fr\nNuméro de facture 202506302\nDate d'émission 3 octobre 2025\n"
               "Date d'échéance 18 octobre 2025\nDevis d'origine DV256472\nDescription Qté Unité Prix unitaire TVA Montant HT\n"
               "Total HT 3 447,33 EUR\nTotal TTC 3 636,93 EUR\nAcompte de 40 % versé le 22 septembre 2025 - 1 454,77 EUR\n"
               "Reste à charge TTC 799,34 EUR")
    assert classify_text(invoice, load_hints()).code == "facture"


def test_the_signature_services_certificate_page_belongs_to_the_document_it_signed():
    from extraction.classification import segment_pages
    from extraction.corpus.evaluate import load_hints

    quote = page(HEAD + [(0.08, 0.30, "Objet : Pompe à chaleur air/eau (BAR-TH-171)"), (0.60, 0.70, "Total HT"),
                         (0.80, 0.70, "10 779,00 €"), (0.08, 0.80, "Bon pour accord – signature du client")])
    proof = page([(0.06, 0.02, "Docusign Envelope ID: 80603D83-69D7-CDAB-46FD-E951A1D6BA63"),
                  (0.06, 0.08, "Certificat de signature"),
                  (0.06, 0.10, "Généré par Docusign – ce document fait partie intégrante du document signé"),
                  (0.06, 0.12, "Document Devis D-000113.pdf"), (0.06, 0.20, "Signataire 1 : Honoré Lefèvre"),
                  (0.06, 0.22, "Signé le 23/01/2023 16:48:49 (heure de Paris)")], number=2)
    assert [(s.code, s.pages) for s in segment_pages([quote, proof], load_hints())] == [("devis", [1, 2])]


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("angle", [90, -90])
def test_a_real_pdfs_margin_printed_sideways_reads_as_words_with_either_text_layer(tmp_path, specs, engine, angle):
    """The same margin in a real PDF (reportlab, the text turned a quarter either way): pdfium
    gives each character its own box one under the other; they make words again, not a letter per
    line cutting the client's block apart."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from extraction.corpus.reading import pdf_pages
    from extraction.extractors.layout import page_lines

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    sheet.setFont("Helvetica", 7)
    sheet.saveState()
    if angle == 90:
        sheet.translate(24, 160)
    else:
        sheet.translate(24, height - 160)
    sheet.rotate(angle)
    sheet.drawString(0, 0, "CONFORT SOLUTIONS – SAS au capital de 5 000 € – SIRET 352 317 127 10052")
    sheet.restoreState()
    sheet.setFont("Helvetica", 10)
    for x, y, text in [(170, 160, "CLIENT"), (380, 160, "LIEU DES TRAVAUX"), (170, 174, "Olivier CHAUVEAU"),
                       (380, 174, "4 place Paul Bert"), (170, 188, "180 bis rue Lamartine"), (380, 188, "10000 TROYES"),
                       (170, 202, "67000 Strasbourg"), (170, 100, "FACTURE N° FA-2025-0117 du 12/03/2025")]:
        sheet.drawString(x, height - y, text)
    sheet.save()
    path = tmp_path / "facture.pdf"
    path.write_bytes(buffer.getvalue())
    (got_page,) = pdf_pages(path, engine=engine)
    single = [w.text for w in got_page.words if len(w.text) == 1 and w.text.isalpha()]
    assert len(single) <= 2  # « à »-like words only, no letters one per box
    assert all(w.bbox[0] > 0.1 for line in page_lines(got_page)[:-1] for w in line.words)
    got = read([got_page], specs, "facture")
    assert got["beneficiaire_nom"] == "Olivier CHAUVEAU"
    assert got["siret_installateur"] == "35231712710052"


def test_a_label_and_its_colon_closing_a_line_of_running_text_take_the_value_opening_the_next(specs):
    # platform dev 1530: a platform's attestation runs its operation's facts on in one paragraph
    rows = [(0.06, 0.20, "ATTESTATION SUR L'HONNEUR"),
            (0.06, 0.25, "Fiche(s) d'opération standardisée(s) : BAR-EN-101 (Isolation de combles ou de toitures). Date"),
            (0.06, 0.262, "d'engagement de l'opération : 15/08/2025. Date d'achèvement des travaux : 01/09/2025. Référence de la facture :"),
            (0.06, 0.274, "202502285."),
            (0.06, 0.30, "Je soussigné(e) Monsieur Noël Martel, demeurant au 64 cours Pasteur, 37000 Tours, atteste sur l'honneur")]
    assert read([page(rows)], specs, "attestation_honneur")["reference_facture"] == "202502285"


def test_an_iso_date_below_the_word_facture_is_no_invoice_number(specs):
    # platform dev 1530: « … · Facture » closing a line of the legal mentions, the due date in ISO form below
    rows = [(0.06, 0.05, "Facture"), (0.06, 0.07, "N° 202308038"), (0.60, 0.07, "Date d'émission 2023-10-06"),
            (0.06, 0.80, "Catégorie de l'opération : prestation de services · Option pour le paiement de la TVA"),
            (0.06, 0.812, "d'après les débits : non · SIREN du client : non applicable (particulier) · Facture"),
            (0.06, 0.824, "émise au format Factur-X (EN 16931)."),
            (0.06, 0.836, "Échéance : 2023-11-05. Pénalités de retard : trois fois le taux d'intérêt légal ;")]
    assert read([page(rows)], specs, "facture")["numero_facture"] == "202308038"


# platform dev 1529: a quote scanned, its logo above the name read as noise and its title first
SIDEBAR_SCAN = [(0.33, 0.04, "Devis"), (0.33, 0.07, "N° D-005741"), (0.03, 0.06, "#7"),
                (0.03, 0.10, "RENOV CONCEPT"), (0.33, 0.10, "Date du devis 01/06/2025"),
                (0.03, 0.14, "69 route Émile Zola - 83000 Toulon"),
                (0.03, 0.155, "04 08 55 63 48 - contact@renovconcept.fr - SIRET 675 590 434 000 30"),
                (0.55, 0.20, "Monsieur Philippe Martin"), (0.55, 0.215, "99 allée du Lavoir"),
                (0.55, 0.23, "04000 DIGNE-LES-BAINS"), (0.55, 0.245, "philippe.81@gmail.com")]


def test_the_words_that_spell_the_companys_mail_domain_name_it(specs):
    assert read([page(SIDEBAR_SCAN, conf=0.9)], specs, "devis")["raison_sociale_installateur"] == "RENOV CONCEPT"


def test_a_domain_spelt_inside_a_sentence_or_a_mailbox_providers_names_no_company(specs):
    rows = [(0.33, 0.04, "Devis"), (0.33, 0.07, "N° D-005741"), (0.03, 0.06, "#7"),
            (0.03, 0.14, "69 route Émile Zola - 83000 Toulon"),
            (0.03, 0.155, "04 08 55 63 48 - renov.concept@gmail.com"),
            (0.55, 0.20, "Monsieur Philippe Martin"), (0.55, 0.215, "GMAIL"),
            (0.03, 0.60, "ELMY verse une prime CEE de 450,00 € (www.elmy.fr)")]
    assert read([page(rows, conf=0.9)], specs, "devis").get("raison_sociale_installateur") in (None, "")


def test_a_companys_registration_in_brackets_after_its_name_is_no_part_of_it(specs):
    # platform dev 1530: a qualification body's e-mail
    rows = [(0.06, 0.05, "Messagerie – contact@ouestmorel.fr"),
            (0.06, 0.08, "Votre certificat de qualification Qualibat n° E-E536808"),
            (0.06, 0.20, "Nous avons le plaisir de vous informer que la commission d'attribution a accordé à"),
            (0.06, 0.215, "l'entreprise"), (0.06, 0.23, "Ouest Morel (SIRET 53534423810096)"),
            (0.06, 0.245, "la qualification Qualibat assortie de la mention RGE, sous le numéro E-E536808."),
            (0.06, 0.26, "Cette qualification est valable du 20 août 2022 au 19 août 2026 pour les domaines de")]
    assert read([page(rows)], specs, "certificat_rge")["raison_sociale"] == "Ouest Morel"


def test_a_sidebars_heading_reads_the_number_under_it_not_the_item_tables_rows(specs):
    # platform dev 1531: « QUALIFICATION RGE » / « QualiPAC » / « N° QPAC/2022/907655 » in the sidebar,
    # the item table's rows at its right
    rows = [(0.331, 0.33, "Désignation"), (0.60, 0.33, "Qté"), (0.66, 0.33, "PU HT"), (0.85, 0.33, "Total HT"),
            (0.034, 0.365, "QUALIFICATION RGE"),
            (0.331, 0.371, "Pompe à chaleur géothermique"), (0.60, 0.371, "1 u"), (0.66, 0.371, "10 254,22 €"),
            (0.85, 0.371, "10 254,22 €"),
            (0.034, 0.385, "QualiPAC"), (0.331, 0.386, "sol/eau"),
            (0.034, 0.40, "N° QPAC/2022/907655"), (0.331, 0.40, "Produit : Daikin / EHVX08S26E6V")]
    assert read([page(rows)], specs, "facture")["rge_numero"] == "QPAC/2022/907655"


def test_a_scanned_sentence_attestation_reads_its_beneficiary_and_its_wrapped_date(specs):
    # platform dev 1529: « démeurant » (a scan's stray accent), and « Date d'engagement de
    # l'opération (acceptation du devis) : » closing its line, the date opening the next
    rows = [(0.30, 0.05, "ATTESTATION SUR L'HONNEUR"), (0.06, 0.12, "A. Identification de l'opération"),
            (0.06, 0.15, "Fiche(s) d'opération standardisée(s) : BAR-TH-148 (Chauffe-eau thermodynamique à accumulation). "
                         "Date d'engagement de l'opération (acceptation du devis) :"),
            (0.06, 0.165, "2025-06-13. Date d'achèvement des travaux : 2025-07-04. Référence de la facture : 202506656."),
            (0.06, 0.20, "B. Bénéficiaire"),
            (0.06, 0.22, "Je soussigné(e) Monsieur Philippe de Saint-Aubin, démeurant au 99 allée du Lavoir, 04000 "
                         "Digne-les-Bains, adresse à laquelle")]
    got = read([page(rows, conf=0.9)], specs, "attestation_honneur")
    assert got["date_engagement"] == "2025-06-13"
    assert (got["beneficiaire_adresse"], got["beneficiaire_ville"]) == ("99 allée du Lavoir", "Digne-les-Bains")
