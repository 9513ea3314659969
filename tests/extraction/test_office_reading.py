"""Reading devis and factures typed in a word processor or a spreadsheet: the client named in a
sentence (« Devis établi pour Madame WEBER Pauline, résidant … »), the totals written in one
(« s'élève à 4 075,13 € TTC, soit 3 704,66 € HT et 370,47 € de TVA »), a « Marque » / « Modèle »
column with one product a row, a brand the lexicon does not know introduced by « de marque »,
and the words of running text that are no labels (« le montant de la prime est précisé dans le
courrier… », « Règlement à 30 jours »). Pages are written here the way such documents look.
"""
import json

import pytest

from extraction.corpus.evaluate import load_specs
from extraction.fields import extract_fields
from extraction.reading import fixture_reading_data

from .pages import page


@pytest.fixture(scope="module")
def specs():
    return load_specs()


def read(pages, specs, doc_type: str) -> dict:
    return {name: v.value for name, v in extract_fields(pages, specs[doc_type], fixture_reading_data(doc_type)).items()}


LETTERHEAD = [(0.08, 0.05, "ÉCO SOLUTIONS"), (0.08, 0.065, "35 chemin des Mimosas"), (0.08, 0.08, "73000 Chambéry"),
              (0.08, 0.095, "SIRET : 895 475 465 00087")]


@pytest.mark.parametrize("sentence, name, street, postal, town", [
    ("Devis établi pour Madame WEBER Pauline, résidant 163 ter cours du Parc, 40100 Dax, concernant :",
     "WEBER Pauline", "163 ter cours du Parc", "40100", "Dax"),
    ("Facture établie à l'attention de Inès SEGUIN, domicilié(e) au 12 place du Stade, 33000 BORDEAUX, concernant :",
     "Inès SEGUIN", "12 place du Stade", "33000", "BORDEAUX"),
])
def test_the_client_named_in_a_sentence_is_the_beneficiary(specs, sentence, name, street, postal, town):
    doc_type = "devis" if sentence.startswith("Devis") else "facture"
    rows = LETTERHEAD + [(0.08, 0.16, f"{doc_type.upper()} N° 2025-031"), (0.08, 0.20, sentence),
                         (0.08, 0.24, "Nature des travaux : Isolation de combles ou de toitures")]
    got = read([page(rows)], specs, doc_type)
    assert got["beneficiaire_nom"].endswith(name)
    assert (got["beneficiaire_adresse"], got["beneficiaire_code_postal"], got["beneficiaire_ville"]) == (street, postal, town)


def test_a_client_sentence_whose_postal_code_a_scan_lost_still_names_the_client_and_street(specs):
    """A skewed scan's line lost « 54000 » to the table beside it: « …, demeurant 180 bis allée
    Gambetta, Nancy, pour les travaux suivants » still names the client and the street; the
    postal code and the town, without their code, are not guessed."""
    sentence = ("Proposition établie pour Mme BAUDRY Alexandria, demeurant 180 bis allée Gambetta, Nancy, "
                "pour les travaux suivants")
    rows = LETTERHEAD + [(0.08, 0.16, "DEVIS"), (0.08, 0.20, sentence),
                         (0.08, 0.24, "Objet : Isolation de combles ou de toitures")]
    got = read([page(rows, conf=0.9)], specs, "devis")
    assert got["beneficiaire_nom"].endswith("BAUDRY Alexandria")
    assert got["beneficiaire_adresse"] == "180 bis allée Gambetta"
    assert got.get("beneficiaire_code_postal") in (None, "")
    # with its code, as before; a code OCR garbled (« 5400O ») is no town
    got = read([page(LETTERHEAD + [(0.08, 0.20, sentence.replace("Gambetta, Nancy", "Gambetta, 54000 Nancy"))])],
               specs, "devis")
    assert (got["beneficiaire_code_postal"], got["beneficiaire_ville"]) == ("54000", "Nancy")
    got = read([page(LETTERHEAD + [(0.08, 0.20, sentence.replace("Gambetta, Nancy", "Gambetta, 5400O Nancy"))])],
               specs, "devis")
    assert "5400O" not in (got.get("beneficiaire_ville") or "")


def test_totals_written_in_a_sentence(specs):
    rows = LETTERHEAD + [
        (0.08, 0.16, "DEVIS N° DV245653"),
        (0.08, 0.30, "Le montant total des travaux s'élève à 4 075,13 € TTC, soit 3 704,66 € HT et 370,47 € de TVA au taux de"),
        (0.08, 0.315, "10 %."),
    ]
    got = read([page(rows)], specs, "devis")
    assert (got["montant_ttc"], got["montant_ht"], got["montant_tva"]) == ("4075.13", "3704.66", "370.47")


def test_a_label_inside_running_text_reads_no_value_below(specs):
    rows = LETTERHEAD + [
        (0.08, 0.16, "FACTURE N° F-232086"),
        (0.08, 0.40, "Les travaux donnent lieu à la délivrance de certificats d'économies d'énergie par ELMY Énergies ; le"),
        (0.08, 0.415, "montant de la prime est précisé dans le courrier d'engagement qui vous a été remis."),
        (0.08, 0.43, "Règlement à 30 jours, par chèque ou virement."),
        (0.08, 0.445, "En cas de retard, pénalités au taux de 3 fois le taux d'intérêt légal et indemnité de 40 €."),
    ]
    got = read([page(rows)], specs, "facture")
    assert got.get("prime_cee") in (None, ""), got["prime_cee"]


def test_every_row_of_a_brand_and_model_column_is_a_product(specs):
    rows = LETTERHEAD + [
        (0.08, 0.16, "DEVIS N° D2025-1113"),
        (0.08, 0.30, "Désignation"), (0.45, 0.30, "Marque"), (0.58, 0.30, "Modèle"), (0.80, 0.30, "Qté"),
        (0.88, 0.30, "Total HT"),
        (0.08, 0.32, "Chaudière biomasse individuelle"), (0.45, 0.32, "Okofen"), (0.58, 0.32, "Pellematic Compact 16"),
        (0.80, 0.32, "1"), (0.88, 0.32, "14 129,61 €"),
        (0.08, 0.335, "Efficacité saisonnière ETAS = 88 %"),
        (0.08, 0.35, "Plots anti-vibratiles"), (0.45, 0.35, "PONTICELLI"), (0.58, 0.35, "PPL 100"),
        (0.80, 0.35, "2"), (0.88, 0.35, "392,00 €"),
        (0.08, 0.365, "Déplacement et nettoyage du chantier"), (0.80, 0.365, "1"), (0.88, 0.365, "599,52 €"),
        (0.60, 0.40, "Total H.T."), (0.88, 0.40, "15 121,13 €"),
        (0.08, 0.45, "Devis valable 3 mois à compter de sa date d'établissement."),
    ]
    got = read([page(rows)], specs, "devis")
    assert [b.lower() for b in json.loads(got["marque"])] == ["okofen", "ponticelli"]
    assert json.loads(got["reference_produit"]) == ["Pellematic Compact 16", "PPL 100"]


def test_a_brand_introduced_by_de_marque_is_read_though_unknown(specs):
    rows = LETTERHEAD + [
        (0.08, 0.16, "DEVIS N° 2025-044"),
        (0.08, 0.30, "Description"), (0.70, 0.30, "Qté"), (0.84, 0.30, "Montant HT"),
        (0.08, 0.32, "Écran de sous-toiture HPV de marque Zolvex, réf. Tecto-Vent 90"), (0.70, 0.32, "105,00"),
        (0.84, 0.32, "210,00 €"),
    ]
    got = read([page(rows)], specs, "devis")
    assert json.loads(got["marque"]) == ["Zolvex"]
    assert json.loads(got["reference_produit"]) == ["Tecto-Vent 90"]


def test_a_brand_introduced_by_marque_that_opens_a_longer_brand_of_the_lexicon_is_read(specs):
    """« marque DELTA, » where the lexicon knows « Delta Dore »: the lexicon does not read it
    (its name goes on with « Dore »), so it is a brand the designation introduces."""
    rows = LETTERHEAD + [
        (0.08, 0.16, "DEVIS N° 2025-046"),
        (0.08, 0.30, "Libellé"), (0.70, 0.30, "Quantité"), (0.84, 0.30, "Total HT"),
        (0.08, 0.32, "Isolant laine de verre de marque Isover, référence IBR Revêtu 320"), (0.70, 0.32, "92,00"),
        (0.84, 0.32, "4 644,00 €"),
        (0.08, 0.35, "Écran de sous-toiture HPV marque DELTA, référence Delta-Vent N"), (0.70, 0.35, "92,00"),
        (0.84, 0.35, "644,00 €"),
    ]
    got = read([page(rows)], specs, "devis")
    assert [b.lower() for b in json.loads(got["marque"])] == ["isover", "delta"]
    assert json.loads(got["reference_produit"]) == ["IBR Revêtu 320", "Delta-Vent N"]
    rows[-4:-2] = [(0.08, 0.35, "Thermostat d'ambiance de marque Delta Dore, modèle Tybox 5100"), (0.70, 0.35, "1")]
    got = read([page(rows)], specs, "devis")
    assert [b.lower() for b in json.loads(got["marque"])] == ["isover", "delta dore"]  # the lexicon's


def test_a_brand_introduced_by_marque_ending_the_designations_line_opens_the_next(specs):
    rows = LETTERHEAD + [
        (0.08, 0.16, "DEVIS N° 2025-047"),
        (0.089, 0.30, "Réf."), (0.179, 0.30, "Désignation"), (0.70, 0.30, "Qté"), (0.84, 0.30, "Total HT"),
        (0.089, 0.649, "FIS002"), (0.179, 0.649, "Support mural de groupe extérieur – marque"), (0.70, 0.649, "3 pce"),
        (0.84, 0.649, "150,00"),
        (0.179, 0.664, "FISCHER, réf. SMG 450"),
    ]
    got = read([page(rows)], specs, "devis")
    assert [b.lower() for b in json.loads(got["marque"])] == ["fischer"]
    assert json.loads(got["reference_produit"]) == ["SMG 450"]


def test_a_model_on_the_designations_next_line_and_no_resistance_as_a_model(specs):
    rows = LETTERHEAD + [
        (0.08, 0.16, "DEVIS N° 2025-045"),
        (0.08, 0.30, "Libellé"), (0.70, 0.30, "Quantité"), (0.84, 0.30, "Total HT"),
        (0.08, 0.32, "Écran de sous-toiture HPV marque Zolvex, modèle"), (0.70, 0.32, "43,00"), (0.84, 0.32, "86,00 €"),
        (0.08, 0.335, "Tecto-Vent 90"),
        (0.08, 0.36, "Isolant laine de verre de marque Verrasol"), (0.70, 0.36, "157,50"), (0.84, 0.36, "14 540,40 €"),
        (0.08, 0.375, "R = 7,50 m².K/W (ép. 350 mm)"),
    ]
    got = read([page(rows)], specs, "devis")
    assert json.loads(got["reference_produit"]) == ["Tecto-Vent 90"]


def test_a_label_with_its_qualifier_reads_the_value_after_the_colon_below(specs):
    rows = LETTERHEAD + [
        (0.08, 0.16, "FACTURE N° F-2025-0412"),
        (0.08, 0.40, "Montant de la prime CEE versée par Antargaz Energies dans le cadre de l'offre Prime Énergie"),
        (0.08, 0.415, "Antargaz : 2 860,01 €. Ce montant est déduit du total TTC ; reste à votre charge : 15 172,74 €."),
    ]
    got = read([page(rows)], specs, "facture")
    assert got["prime_cee"] == "2860.01"


def test_a_vat_recap_under_the_reference_column_is_no_product(specs):
    rows = LETTERHEAD + [
        (0.08, 0.16, "DEVIS N° DV-2025-0140"),
        (0.08, 0.30, "Réf."), (0.20, 0.30, "Désignation"), (0.80, 0.30, "Qté"), (0.88, 0.30, "Total HT"),
        (0.08, 0.32, "1.1"), (0.20, 0.32, "Pompe à chaleur air/eau VIESSMANN Vitocal 250-A"), (0.80, 0.32, "1"),
        (0.88, 0.32, "9 430,51 €"),
        (0.08, 0.36, "Taux"), (0.20, 0.36, "Base HT"), (0.40, 0.36, "Montant TVA"), (0.60, 0.36, "Total HT"),
        (0.88, 0.36, "9 430,51 €"),
        (0.08, 0.375, "5,5 %"), (0.20, 0.375, "9 430,51 €"), (0.40, 0.375, "518,68 €"), (0.60, 0.375, "Total TVA"),
        (0.88, 0.375, "518,68 €"),
    ]
    got = read([page(rows)], specs, "devis")
    assert json.loads(got["reference_produit"]) == ["Vitocal 250-A"]


def test_what_the_totals_sentence_closes_is_no_product_of_the_reference_column(specs):
    """A table whose « Réf. » column is its left margin, its rows run into one cell by the text
    layer: under the totals' sentence, « Validité du devis : 1 mois. » lines up with the column."""
    rows = LETTERHEAD + [
        (0.08, 0.16, "DEVIS N° DEV-2025-03740"),
        (0.08, 0.30, "Réf."), (0.24, 0.30, "Désignation des travaux"), (0.62, 0.30, "Quantité"),
        (0.75, 0.30, "Prix"), (0.86, 0.30, "Montant"),
        (0.08, 0.32, "Supafil Loft 045 Isolation des murs par l'intérieur –"),
        (0.62, 0.32, "102,00 m²"), (0.75, 0.32, "138,59 €"), (0.86, 0.32, "14 136,18 €"),
        (0.24, 0.335, "KNAUF INSULATION"),
        (0.08, 0.36, "Montant HT : 14 136,18 € – TVA 10 % : 1 413,62 € – Montant TTC : 15 549,80 €."),
        (0.08, 0.38, "Groupe Pétrolier Laurentin vous verse une prime de 1 692,72 €."),
        (0.08, 0.40, "Validité du devis : 1 mois."),
    ]
    got = read([page(rows)], specs, "devis")
    assert json.loads(got["reference_produit"]) == ["Supafil Loft 045"]


def test_a_brand_in_the_model_column_is_the_product_line_of_the_brand_column(specs):
    rows = LETTERHEAD + [
        (0.08, 0.16, "FACTURE N° 202507873"),
        (0.08, 0.30, "Désignation"), (0.34, 0.30, "Marque"), (0.53, 0.30, "Modèle"), (0.72, 0.30, "Qté"),
        (0.86, 0.30, "Total HT"),
        (0.08, 0.32, "Isolant laine minérale"), (0.34, 0.32, "KNAUF INSULATION"), (0.53, 0.32, "Supafil Loft 045"),
        (0.72, 0.32, "102,00 m²"), (0.86, 0.32, "14 136,18 €"),
        (0.08, 0.34, "Isolant fibre de bois"), (0.34, 0.34, "Soprema"), (0.53, 0.34, "Pavatex Isolair"),
        (0.72, 0.34, "157,00 m²"), (0.86, 0.34, "4 992,60 €"),
    ]
    got = read([page(rows)], specs, "facture")
    assert [b.lower() for b in json.loads(got["marque"])] == ["knauf insulation", "soprema"]
    assert json.loads(got["reference_produit"]) == ["Supafil Loft 045", "Pavatex Isolair"]


def test_a_vat_recap_right_under_an_empty_reference_column_is_no_product(specs):
    """The « Réf. » column left empty, the designation run under it: the VAT recap's « Taux » is
    the first word the column meets."""
    rows = LETTERHEAD + [
        (0.08, 0.16, "DEVIS N° 202503731"),
        (0.08, 0.30, "Réf."), (0.20, 0.30, "Désignation"), (0.62, 0.30, "Quantité"), (0.76, 0.30, "Prix"),
        (0.86, 0.30, "Montant HT"),
        (0.08, 0.32, "Isolation des combles perdus"), (0.62, 0.32, "46,00"), (0.76, 0.32, "66,57"),
        (0.86, 0.32, "3.062,22"),
        (0.20, 0.335, "Saint-Gobain Weber weber.therm XM ultra 22"),
        (0.08, 0.37, "Taux"), (0.16, 0.37, "Base HT"), (0.30, 0.37, "Montant TVA"), (0.62, 0.37, "Total HT"),
        (0.80, 0.37, "3.062,22 EUR"),
    ]
    got = read([page(rows, conf=0.9)], specs, "devis")
    assert json.loads(got["reference_produit"]) == ["weber.therm XM ultra 22"]


def test_a_column_heading_alone_right_of_another_is_no_value(specs):
    """A scan's skew took « Qté … Montant HT » to a line of their own: « Désignation » right of
    « Réf. » is no product reference."""
    rows = LETTERHEAD + [
        (0.08, 0.16, "FACTURE N° FAC002161"),
        (0.08, 0.30, "Réf."), (0.20, 0.30, "Désignation"),
        (0.62, 0.314, "Qté"), (0.70, 0.314, "U."), (0.86, 0.314, "Montant HT"),
        (0.20, 0.33, "Fourniture et pose : pompe à chaleur air/eau VIESSMANN"), (0.70, 0.33, "1 ens"),
        (0.86, 0.33, "12539,68"),
        (0.20, 0.345, "Vitocal 200-A AWO-M-E-AC 201.B10"),
    ]
    got = read([page(rows, conf=0.9)], specs, "facture")
    assert json.loads(got["reference_produit"]) == ["Vitocal 200-A AWO-M-E-AC 201.B10"]


def test_a_stamps_word_at_the_margin_is_no_label_of_the_signatorys_title(specs):
    """The body's round stamp prints « QUALIFICATION » at the left margin, level with « Le
    Président » at the right one: the text layer puts them on one line, far apart."""
    rows = [(0.40, 0.09, "QUALIT'ENR"), (0.30, 0.15, "ATTESTATION DE QUALIFICATION"), (0.45, 0.19, "délivrée à"),
            (0.40, 0.23, "RÉNOVATION LEFÈVRE"), (0.30, 0.27, "50 ter impasse Carnot – 86000 POITIERS"),
            (0.20, 0.34, "pour les qualifications suivantes, avec la mention RGE :"),
            (0.30, 0.37, "Chauffage et/ou eau chaude solaire"),
            (0.30, 0.42, "valable du 19 août 2023 au 18 août 2027"),
            (0.10, 0.83, "QUALIFICATIO"), (0.81, 0.83, "Le Président")]
    got = read([page(rows)], specs, "certificat_rge")
    assert json.loads(got["domaines"]) == ["Chauffage et/ou eau chaude solaire"]


def test_a_brand_in_capitals_under_marque_stays_a_brand(tmp_path):
    """The office family's invoice (a real PDF): « Marque » over SOPREMA, SOPREMA, DELTA; DELTA is
    a brand written in capitals, not a seller's code word."""
    import json as _json

    from extraction.corpus.evaluate import load_specs
    from extraction.corpus.generate import CorpusOptions, generate_corpus
    from extraction.corpus.reading import pdf_pages

    generate_corpus(tmp_path, CorpusOptions(dossiers=20, seed=1400, family="office", scanned_ratio=0.0, multi_doc_ratio=0.2))
    pages = pdf_pages(tmp_path / "dossier_0020" / "facture.pdf", engine="pdfium")
    assert "DELTA Delta-Vent N" in pages[0].text
    got = extract_fields(pages, load_specs()["facture"], fixture_reading_data("facture"))
    assert {m.lower() for m in _json.loads(got["marque"].value)} == {"soprema", "delta"}


def test_a_model_opening_the_designation_with_its_brand_after_a_dash(specs):
    """« TERRA Vario 35 Isolant laine de verre – URSA »: a seller's software prints the model first,
    then the product's kind, then the brand; a designation with no model before its kind names none."""
    rows = LETTERHEAD + [
        (0.08, 0.16, "DEVIS N° DV-2025-118"),
        (0.08, 0.30, "Désignation"), (0.62, 0.30, "Qté"), (0.72, 0.30, "PU HT"), (0.86, 0.30, "Total HT"),
        (0.08, 0.32, "Yutaki S RWM-4.0NE Pompe à chaleur de type air/eau – Hitachi"), (0.62, 0.32, "1 u"),
        (0.72, 0.32, "9 221,81 €"), (0.86, 0.32, "9 221,81 €"),
        (0.08, 0.34, "Calypso 200 L Chauffe-eau thermodynamique – Atlantic"), (0.62, 0.34, "1 u"),
        (0.72, 0.34, "3 382,61 €"), (0.86, 0.34, "3 382,61 €"),
        (0.08, 0.36, "Isolation des combles perdus – URSA"), (0.62, 0.36, "60,00 m²"),
        (0.72, 0.36, "90,59 €"), (0.86, 0.36, "5 435,40 €"),
    ]
    got = read([page(rows)], specs, "devis")
    assert json.loads(got["reference_produit"]) == ["Yutaki S RWM-4.0NE", "Calypso 200 L"]
    assert [b.lower() for b in json.loads(got["marque"])] == ["hitachi", "atlantic", "ursa"]


def test_a_labelled_model_named_by_its_size_keeps_it_a_thickness_does_not(specs):
    rows = LETTERHEAD + [
        (0.08, 0.16, "FACTURE N° F-2025-077"),
        (0.08, 0.30, "Désignation"), (0.70, 0.30, "Qté"), (0.84, 0.30, "Total HT"),
        (0.08, 0.32, "Piges de repérage d'épaisseur marque Isocomble, référence Pige 40 cm"), (0.70, 0.32, "29,00"),
        (0.84, 0.32, "58,00 €"),
        (0.08, 0.34, "Isolant ISOVER GR 32 Revêtu Kraft 140 mm, R = 4,8 m².K/W"), (0.70, 0.34, "72,92"),
        (0.84, 0.34, "5 043,88 €"),
    ]
    got = read([page(rows)], specs, "facture")
    assert json.loads(got["reference_produit"]) == ["Pige 40 cm", "GR 32 Revêtu Kraft"]


def test_under_marque_a_brand_run_into_its_model_and_the_conditions_below_add_no_brand(specs):
    """The text layer runs the « Marque » cell into the « Modèle » one (« VIESSMANN Vitocal 200-A »):
    the brand is the lexicon's; a sentence across the page under the table ends the column."""
    rows = LETTERHEAD + [
        (0.08, 0.16, "FACTURE N° FA-2025-0412"),
        (0.097, 0.39, "Désignation"), (0.419, 0.39, "Marque"), (0.516, 0.39, "Modèle"), (0.652, 0.39, "Qté"),
        (0.839, 0.39, "Total HT"),
        (0.097, 0.41, "Pompe à chaleur eau/eau"), (0.419, 0.41, "VIESSMANN Vitocal 200-A"), (0.652, 0.41, "1 u"),
        (0.839, 0.41, "10 306,22 €"),
        (0.55, 0.48, "TOTAL HT"), (0.827, 0.48, "10 306,22 €"),
        (0.092, 0.63, "En cas de retard de paiement, pénalités au taux de 3 fois le taux d'intérêt légal"),
        (0.092, 0.645, "Indemnité de 40 €. Pas d'escompte pour paiement anticipé."),
    ]
    got = read([page(rows)], specs, "facture")
    assert json.loads(got["marque"]) == ["Viessmann"]


def test_a_brand_a_scan_misread_in_the_marque_column_is_the_brand_once(specs):
    rows = LETTERHEAD + [
        (0.08, 0.16, "DEVIS N° D2023-9754"),
        (0.062, 0.30, "Désignation"), (0.33, 0.30, "Marque"), (0.45, 0.30, "Modèle"), (0.62, 0.30, "Qté"),
        (0.88, 0.30, "Total HT"),
        (0.066, 0.33, "Isolation des combles perdus"), (0.33, 0.33, "Rockwoo!"), (0.45, 0.33, "Rockplus Kraft"),
        (0.62, 0.33, "84,00 m2"), (0.88, 0.33, "1 944,60 €"),
        (0.068, 0.38, "Piges de repérage d'épaisseur"), (0.33, 0.38, "Isocomble"), (0.45, 0.38, "Pige 40 cm"),
        (0.62, 0.38, "40"), (0.88, 0.38, "159,00 €"),
    ]
    got = read([page(rows, conf=0.9)], specs, "devis")
    assert [b.lower() for b in json.loads(got["marque"])] == ["rockwool", "isocomble"]


def test_the_model_opening_the_row_before_a_designation_ended_by_its_brand(specs):
    """A « Réf. » column holding the maker's model, the designation ending with the brand after a
    dash; the model's power (« 12 kW ») is part of it."""
    rows = LETTERHEAD + [
        (0.08, 0.16, "FACTURE N° 2023-0711"),
        (0.072, 0.392, "Réf."), (0.20, 0.392, "Désignation des travaux"), (0.60, 0.392, "Quantité"),
        (0.88, 0.392, "Montant HT"),
        (0.072, 0.428, "Aquarea T-CAP 12 kW Pompe à chaleur de type air/eau – Panasonic"), (0.60, 0.428, "1 unité"),
        (0.88, 0.428, "15 217,89 €"),
        (0.072, 0.477, "BA 2760"), (0.20, 0.477, "Disconnecteur – Watts"), (0.60, 0.477, "3 u"), (0.88, 0.477, "1 134,00 €"),
    ]
    got = read([page(rows)], specs, "facture")
    assert json.loads(got["reference_produit"]) == ["Aquarea T-CAP 12 kW", "BA 2760"]


@pytest.mark.parametrize("first, second", [
    ("contribue à leur financement sous forme de prime d'un", "montant de 4 406,86 €."),
    ("contribue à leur financement sous forme de prime d'un montant de", "4 406,86 €."),
])
def test_a_premium_whose_sentence_runs_on_to_the_next_line(specs, first, second):
    rows = LETTERHEAD + [
        (0.08, 0.16, "FACTURE N° 2023-0712"),
        (0.067, 0.466, "Les travaux objet du présent document donnent lieu à la délivrance de certificats"),
        (0.067, 0.481, f"d'économies d'énergie. Dans le cadre du dispositif des CEE, Ekwateur SAS {first}"),
        (0.067, 0.495, second),
        (0.067, 0.543, "En cas de retard de paiement, indemnité forfaitaire pour frais de recouvrement de 40 €."),
    ]
    assert read([page(rows)], specs, "facture")["prime_cee"] == "4406.86"


def test_what_adds_no_brand_and_what_ends_a_column():
    from extraction.extractors.columns import runs_into
    from extraction.extractors.layout import page_lines
    from extraction.extractors.multiple import _no_other_brand

    brands = [("viessmann",), ("atlantic",)]
    assert _no_other_brand("VIESSMANN Vitocal 200-A", brands)
    assert _no_other_brand("EHVX08S26E6V", brands)
    assert not _no_other_brand("Zolvex", brands)  # a brand the lexicon does not know joins the list
    assert _no_other_brand("Rockwoo!", [("rockwool",)])  # a scan's slip in the brand the lexicon found
    assert not _no_other_brand("Rockplus", [("rockwool",)])
    lines = page_lines(page([(0.092, 0.30, "Indemnité de 40 €. Pas d'escompte pour paiement anticipé."),
                             (0.097, 0.32, "Pompe à chaleur"), (0.419, 0.32, "Atlantic"), (0.652, 0.32, "1 u")]))
    assert runs_into(lines[0], 0.419)
    assert not runs_into(lines[1], 0.419)


def test_a_brand_after_the_dash_is_a_brand_where_the_table_writes_known_brands_so(specs):
    """« Capot de spot isolant – HESTIA »: the lexicon does not know HESTIA; the table writes
    ISOVER, which it knows, in the same place: the document's convention names the maker."""
    rows = LETTERHEAD + [
        (0.08, 0.16, "FACTURE N° FA-2025-0087"),
        (0.089, 0.35, "Réf."), (0.218, 0.35, "Désignation des travaux"), (0.607, 0.35, "Quantité U"),
        (0.757, 0.35, "Prix"), (0.838, 0.35, "Montant"),
        (0.089, 0.40, "IBR Nu 300"), (0.218, 0.40, "Isolant laine de verre – ISOVER"), (0.632, 0.40, "44,50 m²"),
        (0.761, 0.40, "34,66 €"), (0.862, 0.40, "1 542,37 €"),
        (0.218, 0.413, "R = 7,10 m².K/W (ép. 200 mm)"),
        (0.089, 0.48, "Capot LED 1"), (0.218, 0.48, "Capot de spot isolant – HESTIA"), (0.666, 0.48, "1 U"),
        (0.761, 0.48, "71,00 €"), (0.862, 0.48, "71,00 €"),
        (0.218, 0.50, "Fourniture et pose – Main d'œuvre"), (0.666, 0.50, "1 ft"),
        (0.761, 0.50, "480,00 €"), (0.862, 0.50, "480,00 €"),
    ]
    got = read([page(rows)], specs, "facture")
    assert [b.lower() for b in json.loads(got["marque"])] == ["isover", "hestia"]


def test_a_word_after_a_dash_is_no_brand_where_no_known_brand_is_written_so(specs):
    rows = LETTERHEAD + [
        (0.08, 0.16, "FACTURE N° FA-2025-0088"),
        (0.089, 0.35, "Désignation"), (0.607, 0.35, "Quantité"), (0.838, 0.35, "Montant"),
        (0.089, 0.40, "Isolant ISOVER IBR Nu 300"), (0.632, 0.40, "44,50 m²"), (0.862, 0.40, "1 542,37 €"),
        (0.089, 0.42, "Raccordement électrique – Forfait"), (0.632, 0.42, "1 ft"), (0.862, 0.42, "210,00 €"),
    ]
    got = read([page(rows)], specs, "facture")
    assert [b.lower() for b in json.loads(got["marque"])] == ["isover"]


def test_a_model_opening_the_designation_whose_brand_wraps_onto_the_next_line(specs):
    rows = LETTERHEAD + [
        (0.08, 0.16, "DEVIS N° DV-2025-119"),
        (0.072, 0.316, "Réf."), (0.203, 0.316, "Désignation des travaux"), (0.656, 0.316, "Qté"),
        (0.852, 0.316, "Montant HT"),
        (0.072, 0.35, "Alfea Excellia A.I. 11 Pompe à chaleur de type eau/eau –"), (0.656, 0.35, "1 u"),
        (0.852, 0.35, "10 801,07 €"),
        (0.203, 0.364, "ATLANTIC"),
        (0.203, 0.378, "COP : 3,40 – ETAS : 164 %"),
    ]
    got = read([page(rows)], specs, "devis")
    assert json.loads(got["reference_produit"]) == ["Alfea Excellia A.I. 11"]


def test_a_brand_a_scan_misread_after_de_marque_is_the_lexicons_brand_once(specs):
    """« de marque Rockwoo!, référence Rockplus Kraft » on a scan: the lexicon's Rockwool, not
    also a brand « Rockwoo! » the designation introduces (office dev 1420)."""
    rows = LETTERHEAD + [
        (0.08, 0.16, "DEVIS N° D2025-1187"),
        (0.08, 0.30, "Description"), (0.70, 0.30, "Qté"), (0.84, 0.30, "Montant HT"),
        (0.08, 0.32, "Isolation des combles perdus par soufflage d'un"), (0.70, 0.32, "84,00"), (0.84, 0.32, "1 944,60 €"),
        (0.08, 0.34, "isolant en laine de roche de marque Rockwoo!, référence"),
        (0.08, 0.36, "Rockplus Kraft, épaisseur 240 mm, résistance thermique R = 7 m².K/W"),
    ]
    got = read([page(rows, conf=0.9)], specs, "devis")
    assert [b.lower() for b in json.loads(got["marque"])] == ["rockwool"]
    assert json.loads(got["reference_produit"]) == ["Rockplus Kraft"]


@pytest.mark.parametrize("client", ["M. et Mme SEGUIN Sébastien", "Madame BOUVET Christelle"])
def test_a_clients_surname_that_is_a_brand_after_a_label_is_no_product(specs, client):
    """« Client   M. et Mme SEGUIN Sébastien »: Seguin and Bouvet are brands of the lexicon, and
    the surnames of clients; after a civility the word names a person (office dev 1420, 1421)."""
    rows = LETTERHEAD + [
        (0.08, 0.16, "FACTURE N° F-234291"),
        (0.08, 0.20, "Client"), (0.30, 0.20, client),
        (0.08, 0.22, "Adresse des travaux"), (0.30, 0.22, "139 cours Henri Rolland"),
        (0.08, 0.30, "Réf."), (0.20, 0.30, "Désignation des travaux"), (0.70, 0.30, "Quantité"), (0.84, 0.30, "Montant HT"),
        (0.08, 0.32, "Acoustifit 037"), (0.20, 0.32, "Isolant laine minérale – Knauf Insulation"), (0.70, 0.32, "156,00"),
        (0.84, 0.32, "4 202,64 €"),
    ]
    got = read([page(rows)], specs, "facture")
    assert json.loads(got["marque"]) == ["Knauf Insulation"]
    assert json.loads(got["reference_produit"]) == ["Acoustifit 037"]


def test_a_surname_the_document_gives_after_a_civility_is_no_brand_where_it_stands_alone(specs):
    """« M. et Mme SEGUIN Constance et Sophie » in the client block, then « Signé par Constance
    Seguin » under the signature: the client's name wherever it stands (platform dev 1511)."""
    rows = LETTERHEAD + [
        (0.08, 0.16, "DEVIS N° D-2024-0412"),
        (0.50, 0.20, "M. et Mme SEGUIN Constance et Sophie"), (0.50, 0.22, "19 rue Jules Ferry"),
        (0.08, 0.30, "Désignation"), (0.70, 0.30, "Qté"), (0.84, 0.30, "Montant HT"),
        (0.08, 0.32, "Capteurs solaires Viessmann Vitosol 200-FM SSC"), (0.70, 0.32, "2"), (0.84, 0.32, "2 400,00 €"),
        (0.08, 0.34, "Installation et mise en service"), (0.70, 0.34, "1"), (0.84, 0.34, "600,00 €"),
        (0.60, 0.60, "Signé par Constance Seguin"),
    ]
    got = read([page(rows)], specs, "devis")
    assert json.loads(got["marque"]) == ["Viessmann"]
    assert json.loads(got["reference_produit"]) == ["Vitosol 200-FM SSC"]


def test_the_clients_signature_box_asking_for_the_date_gives_the_signature_date(specs):
    """« Le maître d'ouvrage » / « (date, signature et mention « Bon pour accord ») » over the
    client's « le 10/02/2023 » on a quote's last page (office dev 1430)."""
    rows = [(0.07, 0.024, "BATI PLUS"), (0.715, 0.031, "Devis n° 202300963 (suite)"),
            (0.07, 0.07, "Fait à Strasbourg, le 25.01.2023"),
            (0.07, 0.10, "L'entreprise"), (0.51, 0.10, "Le maître d'ouvrage"),
            (0.51, 0.12, "(date, signature et mention « Bon pour accord »)"),
            (0.62, 0.15, "le 10/02/2023")]
    assert read([page(rows)], specs, "devis").get("date_signature") == "2023-02-10"


@pytest.mark.parametrize("printed, expected", [("86 %", "86.00"), ("6 %", None), ("147 %", "147.00"), ("17 %", None)])
def test_an_etas_a_scan_lost_a_digit_of_is_no_value(specs, printed, expected):
    rows = [(0.07, 0.05, "ISO OUEST"), (0.07, 0.10, "FACTURE N° F2025-8536"),
            (0.07, 0.30, f"Chaudière biomasse Froling T4e 20 – ETAS {printed} – classe 5")]
    assert read([page(rows, conf=0.9)], specs, "facture").get("etas") == expected


def test_a_model_name_ending_in_a_number_beside_the_quantity_column_is_no_quantity(specs):
    # office dev 1437: « weber.therm XM ultra 22 » runs up to the « Qté » column, « 85,50 » under it
    rows = LETTERHEAD + [(0.08, 0.16, "DEVIS N° 202506641"), (0.08, 0.20, "Objet : Isolation d'un plancher (BAR-EN-103)"),
                         (0.072, 0.345, "Désignation"), (0.404, 0.345, "Marque"), (0.503, 0.345, "Modèle"),
                         (0.646, 0.345, "Qté"), (0.694, 0.345, "Unité"), (0.758, 0.345, "PU HT"), (0.841, 0.345, "Total HT"),
                         (0.072, 0.365, "Isolant sous plancher"), (0.404, 0.365, "Weber"), (0.525, 0.365, "XM ultra 22"),
                         (0.646, 0.365, "85,50"), (0.694, 0.365, "m²"), (0.758, 0.365, "83,61 €"), (0.841, 0.365, "7 148,66 €")]
    assert read([page(rows)], specs, "devis")["surface_m2"] == "85.50"


def test_the_lines_under_an_item_tables_total_or_a_sentence_across_it_are_no_products(specs):
    # office dev 1437: the reference and the designation in one run, the total right of the « Réf. »
    # column, the dateline under it; a quote's totals in a sentence across the « Modèle » column
    # and the signature boxes' heads below
    invoice = LETTERHEAD + [
        (0.08, 0.16, "FACTURE N° FA-2025-03505"),
        (0.081, 0.373, "Réf."), (0.33, 0.373, "Désignation des travaux"), (0.55, 0.373, "Quantité"),
        (0.65, 0.373, "Prix unitaire"), (0.80, 0.373, "Montant HT"),
        (0.081, 0.407, "weber.therm XM ultra 22 Isolation du plancher bas – WEBER"), (0.55, 0.407, "85,50 m²"),
        (0.65, 0.407, "83,61 €"), (0.80, 0.407, "7 148,66 €"), (0.33, 0.42, "Épaisseur 300 mm – R = 3,10"),
        (0.33, 0.44, "Main d'œuvre, pose"), (0.55, 0.44, "1 ft"), (0.65, 0.44, "899,77 €"), (0.80, 0.44, "899,77 €"),
        (0.55, 0.472, "TOTAL HT"), (0.80, 0.472, "8 048,43 €"), (0.55, 0.511, "TOTAL TTC"), (0.80, 0.511, "8 491,09 €"),
        (0.076, 0.541, "Les travaux objet du présent document donnent lieu à la délivrance de certificats"),
        (0.076, 0.588, "Conditions de paiement : à réception de la facture."),
        (0.076, 0.604, "En cas de retard de paiement, pénalités au taux de 3 fois le taux d'intérêt légal."),
        (0.076, 0.62, "Entreprise titulaire de la qualification RGE Qualibat n° E-E449781, valable jusqu'au 13/02/2026."),
        (0.076, 0.635, "Pas d'escompte pour paiement anticipé, indemnité forfaitaire pour frais de recouvrement."),
        (0.076, 0.649, "Assurance décennale : SMABTP, contrat n° 43581124, couvrant les travaux réalisés en France."),
        (0.076, 0.689, "Fait à Dijon, le 28 mai 2025")]
    assert "Fait à Dijon" not in (read([page(invoice)], specs, "facture").get("reference_produit") or "")
    quote = LETTERHEAD + [
        (0.08, 0.16, "DEVIS N° 202506641"),
        (0.072, 0.345, "Désignation"), (0.404, 0.345, "Marque"), (0.503, 0.345, "Modèle"), (0.646, 0.345, "Qté"),
        (0.758, 0.345, "PU HT"), (0.841, 0.345, "Total HT"),
        (0.072, 0.365, "Isolant sous plancher Weber XM ultra 22"), (0.646, 0.365, "85,50 m²"), (0.758, 0.365, "83,61 €"),
        (0.841, 0.365, "7 148,66 €"),
        (0.07, 0.45, "Le montant total des travaux s'élève à 8 491,09 € TTC, soit 8 048,43 € HT et 442,66 € de TVA."),
        (0.07, 0.60, "Cachet de l'entreprise"), (0.49, 0.60, "Le client")]
    assert "Le" not in json.loads(read([page(quote)], specs, "devis").get("reference_produit") or "[]")
