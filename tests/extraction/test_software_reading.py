"""Reading devis and factures as artisans' estimating and invoicing software prints them (Obat,
Batappli, EBP, Tolteck…): lots of numbered lines, a designation over several lines with the
product's performance under it, the works' period « du … au … », the prime deducted from the
total. Each reader is checked on pages written here the way such documents look.
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


def test_the_performance_under_a_model_is_not_part_of_its_name(specs):
    rows = [(0.08, 0.30, "Réf."), (0.16, 0.30, "Désignation"), (0.60, 0.30, "Quantité"), (0.86, 0.30, "Montant HT"),
            (0.08, 0.33, "1.1"), (0.16, 0.33, "Chauffe-eau thermodynamique"), (0.62, 0.33, "1 u"), (0.86, 0.33, "2.889,43"),
            (0.16, 0.345, "ARISTON Nuos Plus 250"),
            (0.16, 0.36, "COP 2,76 selon EN 16147 (air extérieur à 7 °C)"),
            (0.08, 0.39, "1.2"), (0.16, 0.39, "Pompe à chaleur air/eau"), (0.62, 0.39, "1 u"), (0.86, 0.39, "9.120,00"),
            (0.16, 0.405, "Daikin Altherma 3 H HT ETBH16"),
            (0.16, 0.42, "ETAS 187 % – COP 3,38 (+7/+35 °C)"),
            (0.08, 0.45, "1.3"), (0.16, 0.45, "Chaudière à granulés"), (0.62, 0.45, "1 u"), (0.86, 0.45, "14.120,00"),
            (0.16, 0.465, "OKOFEN Pellematic Compact 16"),
            (0.16, 0.48, "Efficacité énergétique saisonnière 81 %")]
    got = read([page(rows)], specs, "devis")
    assert json.loads(got["reference_produit"]) == ["Nuos Plus 250", "Altherma 3 H HT ETBH16", "Pellematic Compact 16"]


def test_a_model_ends_before_the_title_of_the_next_lot(specs):
    rows = [(0.10, 0.30, "Description"), (0.56, 0.30, "TVA"), (0.64, 0.30, "Qté"), (0.76, 0.30, "P.U. HT"), (0.86, 0.30, "Total HT"),
            (0.10, 0.33, "Déflecteur de chevrons"), (0.55, 0.33, "5,5 %"), (0.62, 0.33, "41,50 m²"), (0.86, 0.33, "373,50"),
            (0.10, 0.345, "Knauf Insulation Déflecteur DR 45"),
            (0.10, 0.36, "LOT 2 – PRESTATIONS COMPLÉMENTAIRES"),
            (0.10, 0.38, "Thermostat connecté"), (0.55, 0.38, "5,5 %"), (0.65, 0.38, "3 pce"), (0.86, 0.38, "1 416,00"),
            (0.10, 0.395, "TADO V3+ Smart"),
            (0.10, 0.41, "3 – TRAVAUX ANNEXES")]
    got = read([page(rows)], specs, "devis")
    assert json.loads(got["reference_produit"]) == ["Déflecteur DR 45", "V3+ Smart"]


def test_a_model_code_wrapped_in_capitals_is_no_lots_title(specs):
    rows = [(0.08, 0.366, "Pompe à chaleur air/eau MITSUBISHI ELECTRIC Ecodan Zubadan"), (0.65, 0.366, "1"),
            (0.86, 0.366, "14 938,41"),
            (0.08, 0.380, "PUD-SHWM120 (BAR-TH-171)"),
            (0.08, 0.393, "Efficacité énergétique saisonnière ETAS 167 % – COP 3,35 à +7/+35 °C")]
    got = read([page(rows)], specs, "facture")
    assert json.loads(got["reference_produit"]) == ["Ecodan Zubadan PUD-SHWM120"]


def test_a_labelled_reference_does_not_run_into_the_next_labelled_line(specs):
    rows = [(0.11, 0.30, "Pompe à chaleur air/eau"), (0.86, 0.30, "9 800,00"),
            (0.11, 0.324, "Fabricant : Daikin – Référence : EHVX08S26E6V"),
            (0.11, 0.340, "Superficie : 134 m²"),
            (0.11, 0.356, "ETAS : 161 %"),
            (0.11, 0.38, "Chauffe-eau thermodynamique"), (0.86, 0.38, "2 900,00"),
            (0.11, 0.39, "Marque : Thermor – Modèle : Aéromax 5 200 L"),
            (0.11, 0.406, "Coefficient de performance : 3,32")]
    got = read([page(rows)], specs, "facture")
    assert json.loads(got["reference_produit"]) == ["EHVX08S26E6V", "Aéromax 5 200 L"]


def test_a_capital_m_inside_a_model_is_no_metre(specs):
    rows = [(0.10, 0.33, "Pompe à chaleur air/eau"), (0.55, 0.33, "5,5 %"), (0.65, 0.33, "1 u"), (0.86, 0.33, "13.709,42"),
            (0.10, 0.345, "Hitachi Yutaki M RASM-5VRE"),
            (0.10, 0.36, "ETAS 124 % – COP 4,69 (+7/+35 °C)")]
    got = read([page(rows)], specs, "devis")
    assert json.loads(got["reference_produit"]) == ["Yutaki M RASM-5VRE"]


def test_a_reference_labelled_after_its_brand_is_read(specs):
    rows = [(0.10, 0.33, "Isolation des combles perdus"), (0.62, 0.33, "74,00 m²"), (0.86, 0.33, "4 288,30"),
            (0.10, 0.345, "Marque : SOPREMA – Réf. Efigreen Duo+"),
            (0.10, 0.36, "Pompe à chaleur air/eau"), (0.65, 0.36, "1 u"), (0.86, 0.36, "9 800,00"),
            (0.10, 0.375, "Atlantic, modèle : Alféa Extensa A.I. 6")]
    got = read([page(rows)], specs, "devis")
    assert json.loads(got["reference_produit"]) == ["Efigreen Duo+", "Alféa Extensa A.I. 6"]


@pytest.mark.parametrize("header", [
    [(0.08, 0.30, "Réf."), (0.16, 0.30, "Désignation"), (0.60, 0.30, "Quantité"), (0.86, 0.30, "Montant HT")],
    [(0.08, 0.30, "Réf. Désignation"), (0.60, 0.30, "Quantité Unité Prix unit. HT Montant HT")],  # run together
])
def test_a_lots_title_under_the_line_number_column_is_no_product_reference(specs, header):
    rows = header + [
        (0.08, 0.32, "LOT 1 – ISOLATION DES COMBLES PERDUS"),
        (0.08, 0.34, "1.1"), (0.16, 0.34, "Isolation des combles perdus"), (0.62, 0.34, "74,00 m²"), (0.86, 0.34, "4 288,30"),
        (0.16, 0.355, "Marque : SOPREMA – Réf. Efigreen Duo+"),
        (0.16, 0.37, "Résistance thermique R=7,05 m².K/W")]
    got = read([page(rows)], specs, "facture")
    assert json.loads(got["reference_produit"]) == ["Efigreen Duo+"]


@pytest.mark.parametrize("number", ["1.1", "11"])  # « 11 »: a scan lost the dot
def test_the_rows_number_under_the_reference_column_is_no_product_reference(specs, number):
    header = [(0.08, 0.30, "Réf."), (0.16, 0.30, "Désignation"), (0.60, 0.30, "Quantité"), (0.86, 0.30, "Montant HT")]
    rows = header + [
        (0.08, 0.34, number), (0.16, 0.34, "Isolation des combles perdus"), (0.62, 0.34, "93,00 m²"), (0.86, 0.34, "3 832,53"),
        (0.16, 0.355, "Isolant ACTIS Triso Laine"),
        (0.16, 0.37, "en 240 mm, résistance thermique 7,20 m².K/W")]
    got = read([page(rows, conf=0.9)], specs, "devis")
    assert json.loads(got["reference_produit"]) == ["Triso Laine"]


def test_the_temperatures_a_cop_is_measured_at_are_not_the_cop(specs):
    rows = [(0.13, 0.41, "Pompe à chaleur air/eau"), (0.55, 0.41, "1 U"), (0.86, 0.41, "14.961,46"),
            (0.13, 0.426, "VIESSMANN Vitocal 200-A AWO-M-E-AC 201.B10"),
            (0.13, 0.441, "Efficacité énergétique saisonnière (ηs) : 163 %"),
            (0.13, 0.455, "Coefficient de performance à +7/+35 °C : 3,90")]
    assert read([page(rows)], specs, "devis")["cop"] == "3.90"


@pytest.mark.parametrize("period, end", [("du 3 avril 2024 au 5 avril 2024", "2024-04-05"),
                                         ("du 27/05/2024 au 02/06/2024", "2024-06-02"),
                                         ("du 1er Août 2024 au 3 août 2024", "2024-08-03")])
def test_works_done_from_one_date_to_another_end_on_the_second(specs, period, end):
    rows = [(0.08, 0.22, "Suivant devis n° DV243040 du 2 mars 2024"),
            (0.08, 0.235, f"Travaux réalisés {period}")]
    assert read([page(rows)], specs, "facture")["date_fin_travaux"] == end


def test_a_line_number_is_no_surface_when_the_unit_column_comes_before_the_quantity(specs):
    rows = [(0.10, 0.364, "#"), (0.14, 0.364, "Désignation des ouvrages"), (0.545, 0.364, "Unité"), (0.626, 0.364, "Qté"),
            (0.70, 0.364, "PU HT €"), (0.85, 0.364, "Montant HT €"),
            (0.10, 0.41, "1.1 Isolation du plancher bas"), (0.56, 0.41, "m²"), (0.61, 0.41, "37,00"),
            (0.71, 0.41, "91,28"), (0.85, 0.41, "3.377,36"),
            (0.14, 0.425, "SOPREMA Efigreen Duo+")]
    assert read([page(rows)], specs, "devis").get("surface_m2") in (None, "37.00")


def test_the_coup_de_pouce_aid_deducted_from_the_total_is_the_prime(specs):
    rows = [(0.55, 0.60, "Total TTC"), (0.80, 0.60, "4.625,09 EUR"),
            (0.55, 0.62, "Aide Coup de pouce"), (0.80, 0.62, "- 3.535,64 EUR"),
            (0.55, 0.64, "NET À PAYER"), (0.80, 0.64, "1.089,45 EUR")]
    assert read([page(rows)], specs, "facture")["prime_cee"] == "3535.64"


def test_an_insulations_acermi_certificate_is_no_rge_number(specs):
    rows = [(0.13, 0.40, "1.1 Isolation des combles perdus"), (0.62, 0.40, "74,00 m²"), (0.86, 0.40, "4 288,30"),
            (0.13, 0.415, "Marque : SOPREMA – Réf. Efigreen Duo+"),
            (0.13, 0.43, "Résistance thermique R=7,05 m².K/W"),
            (0.13, 0.445, "Certificat ACERMI n° 08/181/598")]
    assert "rge_numero" not in read([page(rows)], specs, "facture")


@pytest.mark.parametrize("mark", ["/", "|"])
def test_a_forms_next_section_heading_is_no_value_of_a_label_whose_value_was_not_read(specs, mark):
    """A scanned attestation whose address OCR lost on its dotted leader: the heading of the form's
    next section under « Adresse de l'opération : » (« C | Caractéristiques… », the band's edge read
    as a bar) is no address."""
    rows = [(0.1, 0.13, "A / Identification du bénéficiaire de l'opération"),
            (0.1, 0.16, "Nom : BLANC"), (0.5, 0.16, "Prénom : Julien"),
            (0.1, 0.19, "Adresse de l'opération :"),
            (0.1, 0.22, f"C {mark} Caractéristiques de l'opération"),
            (0.1, 0.25, "Référence de la fiche : BAR-EN-102")]
    got = read([page(rows, conf=0.9)], specs, "attestation_honneur")
    assert got.get("beneficiaire_adresse") is None
    assert "BLANC" in got["beneficiaire_nom"].upper()
