"""Classification on documents written as real ones are (issue 13): an obligé's letter is a cadre
de contribution although it speaks of the devis; documents that are none of the dossier's types
(another kind of tax document, an insurance certificate) stay ``autre``; real documents keep
the type their expected.json gives."""
import json
from pathlib import Path

import pytest

from extraction.classification import classify_text
from extraction.corpus import CorpusOptions, generate_corpus
from extraction.corpus.evaluate import load_hints
from extraction.corpus.reading import pdf_pages

REAL = Path(__file__).resolve().parents[3] / "shared/testdata/real/documents"


@pytest.fixture(scope="module")
def hints():
    return load_hints()


OBLIGE_LETTER = """HEXAGAZ DISTRIBUTION SAS
Service Primes Énergie
Mme GUYOT Ginette
12 rue des Acacias
03100 Montluçon
Paris, le 3 mars 2025
Objet : Votre projet de rénovation énergétique
Madame, Monsieur,
Dans le cadre du dispositif des certificats d'économies d'énergie, HEXAGAZ DISTRIBUTION SAS s'engage à
contribuer financièrement à vos travaux d'isolation des combles (BAR-EN-101).
Notre contribution s'élève à 940,34 €. Cette proposition doit être acceptée avant la signature du devis
de votre professionnel."""

INSURANCE = """AXA France IARD
ATTESTATION D'ASSURANCE
Responsabilité civile décennale – exercice 2025
Nous soussignés, AXA France IARD, attestons que l'entreprise ECO HABITAT SARL, SIRET 732 829 320 00074,
est titulaire d'un contrat d'assurance police n° 1234567 garantissant la responsabilité décennale
pour les activités : isolation thermique, pose de pompes à chaleur.
La présente attestation est valable du 01/01/2025 au 31/12/2025. Le montant de la prime est à la charge de l'assuré."""

TAX_OTHER = """Direction générale des finances publiques
AVIS D'IMPÔT 2024 TAXES FONCIÈRES
Propriétaire : M. DUPONT Jean
Adresse du bien : 3 allée des Tilleuls 69003 Lyon
Taxe foncière sur les propriétés bâties : 1 234 €"""


PARTNERSHIP_FORM = """Réf. : OB-2025-00412
ENERGIE OUEST
Date : 14/02/2025
CONTRAT DE PARTENARIAT - PRIME ÉNERGIE
Le bénéficiaire des travaux
M. LEROY Paul
8 rue des Tanneurs
35000 Rennes
ENERGIE OUEST contribue au financement de vos travaux par le versement d'une prime, détaillée ci-dessous.
Code opération Intitulé Prime (€)
BAR-TH-171 Pompe à chaleur air/eau 2 500,00
Prime totale 2 500,00 €
La prime est versée après réception du dossier : facture, attestation sur l'honneur signée par le bénéficiaire.
Pour ENERGIE OUEST Le bénéficiaire"""


def test_an_obliges_letter_is_a_cadre_de_contribution(hints):
    result = classify_text(OBLIGE_LETTER, hints)
    assert result.code == "cadre_contribution", result.scores


def test_an_obliges_partnership_form_asking_for_the_attestation_is_a_cadre_de_contribution(hints):
    result = classify_text(PARTNERSHIP_FORM, hints)
    assert result.code == "cadre_contribution", result.scores


@pytest.mark.parametrize("text", [INSURANCE, TAX_OTHER])
def test_documents_of_other_kinds_stay_autre(hints, text):
    result = classify_text(text, hints)
    assert result.code == "autre", result.scores


def test_the_letters_family_is_classified_born_digital(hints, tmp_path):
    generate_corpus(tmp_path, CorpusOptions(dossiers=6, seed=1314, family="letters", scanned_ratio=0.0, multi_doc_ratio=0.0))
    wrong = []
    for f in json.loads((tmp_path / "manifest.json").read_text())["files"]:
        text = "\n".join(p.text for p in pdf_pages(tmp_path / f["file"]))
        for doc in f["documents"]:
            code = classify_text(text, hints).code
            if code != doc["type"]:
                wrong.append((f["file"], doc["type"], code))
    assert not wrong


@pytest.mark.parametrize("name,expected", [
    ("dossierfacile__tax-document.pdf", "autre"),  # a FranceConnect income statement, not an avis
    ("oca-edi__akretion_france-test.pdf", "facture"),  # an invoice written in English
    ("oca-edi__bouygues_telecom-test.pdf", "facture"),  # expected.json counts the telecom bill a facture
    ("factur-x__invoice_EN16931.pdf", "facture"),
    ("siade-staging__exemple-ademe-rge-certificat_qualibat.pdf", "certificat_rge"),
])
def test_real_documents_with_a_text_layer(hints, name, expected):
    path = REAL / name
    if not path.exists():
        pytest.skip("real documents not available")
    text = "\n".join(p.text for p in pdf_pages(path))
    assert classify_text(text, hints).code == expected


# An energy supplier's offer letter scanned: the table of operations lost to the OCR, « attestation
# sur l'honneur » named among the documents to send back.
SUPPLIER_OFFER_SCANNED = """Programme Volténa Rénov'
Service clients : 09 70355453
Vos références
N° client : CL768246398 VIDAL CAPUCINE
Le 6 juillet 2024
Objet : votre Offre Prime Énergie Isolation
Madame, Monsieur,
Dans le cadre du dispositif des Certificats d'Économies d'Énergie, Volténa Énergie SA
Contribue à vos travaux de rénovation réalisés par notre Partenaire Habitat Lefèvre (56100
Lorient). Nous avons le plaisir de vous Proposer la prime Suivante, sous réserve de l'éligibilité
os de
Total de votre prime 308,06 EUR
Important pour bénéficier de cette offre, vous devez l'accepter AVANT de signer le devis de votre
professionnel. La prime vous sera versée par virement dans un délai de 8 semaines après réception du
dossier complet (devis Signé, facture, attestation sur l'honneur).
Bon pour acceptation de 2 Signature du client
Volténa Énergie SA - société anonyme - fournisseur d'énergie soumis aux obligations d'économies d'énergie (articles
"""


def test_an_energy_suppliers_offer_letter_read_by_ocr_is_a_cadre_de_contribution(hints):
    assert classify_text(SUPPLIER_OFFER_SCANNED, hints).code == "cadre_contribution"


# A photographed office form: OCR cut the title's last letters off (« ATTESTATI ON »), and the
# form names the quote twice (« acceptation du devis »).
FORM_WITH_TAIL_CUT_TITLE = """CERTIFICATS Modèle type — à remplir
D'ÉCONOMIES D'ÉNERGIE À conserver par le bénéficiaire
ATTESTATI ON SUR L'HONNEUR
de réalisation d'une opération d'économies d'énergie
1. BÉNÉFICIAIRE DE TE OPÉRATION
Nom : BOUTIN Prénom : Eugène
Adresse des travaux : 36 allée de l'Église
Code postal : 40100 Commune : Dax
Téléphone : 0776452761
Vous êtes : propriétaire occupant [1] propriétaire bailleur [ locataire
Raison sociale : THERMIHABITAT
N° SIRET : 6173976330005?
3. OPÉRATION RÉALISÉE
Fiche d'opération standardisée : BAR-EN-101 Isolation de combles ou de toitures
Fiche d'opération standardisée : BAR-EN-103 Isolation d'un plancher
pate d'engagement de l'opération (acceptation du devis) : 21/07/2024
pate d'achèvement des travaux : 11/08/2024
Nous ättestons sur l'honneur l'exactitude des informations pol rtées sur le présent formulaire et que l'opération n'a pas fait l'objet,
pour les mêmes travaux, d'une autre deman! de de certificats d'économies d'én ergie. Toute fausse déclaration est passible des
sanctions prévuès par la loi.
Faità Dax le 11/08/2024
Signature du bénéficiaire (précédée de «luet approuvéSipnature et cachet du professionnel
1/1
"""


# An installer's invoice whose title line goes on with its date, and whose body quotes the
# obligé's contribution in the very words of a cadre de contribution.
INVOICE_WITH_A_LONG_TITLE_LINE = """Soluconfort
S Énergies renouvelables
46 bis impasse Lamartine, 30000 Nîmes
Tél. 04 55 54 33 67 – contact@soluconfort.fr
Qualification RGE Qualibat n° E-E238325
M. MARTIN Roland
117 ter allée du Stade
29200 Brest
FACTURE N° FA-2024-03298 Émise le 29.03.2024
Échéance : 29.03.2024 – N° client : C69736 – Votre conseiller : S. Carvalho
Chantier : Isolation de combles ou de toitures
Référence devis : DV240648 du 09.02.2024 – accepté le 15.02.2024
Travaux réalisés du 24.03.2024 au 26.03.2024
Opération réalisée dans le cadre du dispositif des Certificats d'Économies d'Énergie
Montant de la prime CEE : 2139,01 €
Reste à charge : 8414,83 €
Les travaux objet du présent document (fiche BAR-EN-101) donnent lieu à la délivrance de certificats d'économies d'énergie. Valoréna Énergie, en sa qualité de
délégataire d'obligations du dispositif, contribue à leur financement dans le cadre de son rôle actif et incitatif, sous réserve de l'éligibilité du dossier.
Description Qté PU HT Remise Total HT €
Fourniture et pose de laine minérale KNAUF INSULATION Unifit 035 158,00 42,63 – 6735,54
"""


def test_a_title_opening_a_long_line_in_capitals_names_the_document(hints):
    assert classify_text(INVOICE_WITH_A_LONG_TITLE_LINE, hints).code == "facture"


# An obligé's agreement with the household, photographed: a « convention de partenariat » whose
# articles name the attestation sur l'honneur and the devis (OCR text as read).
PARTNERSHIP_CONVENTION_SCAN = """Groupe Pétrolier Laurentin Convention n° 2021-15913
CONVENTION DE PARTENARIAT
Disposi des certfcats d'économies d'énergie (aricles L. 2211 Et suivants du Code de l'énergie)
ENTRE LES SOUSSIGNÉS :
dote 8 quai de 33300 au registre du
commerce et des sociétés sous le numéro 401 076 195, représentée par son Re CEE, ci-après
D'UNE PART,
Monsieur Lucas BOURDON, demeurant 121 impasse de la Liberté, 09000 Foix, ci-après dénommé(e) « le Bénéficiaire »,
D'AUTRE PART,
IL A ÉTÉ CONVENU CE QUI SUIT :
Article 1 - Objet
La présente convention a pour objet de définir les dans le cadre de son ôk act
le Bénéficiaire dans la réalisation de l'opération d': d'énergie suivante BAR-TH-113 Chaudière -lle,
Les travaux seront réalisés par l'entreprise Habitat Bâtiment, titulaire d'une qualification RGE.
Article 2 - Contribution de l'Obligé
En contrepartie des certificats d'économies d'énergie obtenus, l'Obligé versera au Bénéficiaire une prime d'un montant de 1 783,16 €; par
virement, dans un délai de 60 jours après réception du dossier complet.
Article 3 - Engagements du Bénéficiaire
Le Bénéficiaire s'engage à Signer la présente Convention avant l'acceptation du devis, à fournir la facture des travaux et l'attestation Sur
l'honneur signée, et à ne pas valoriser cette opération auprès d'un autre obligé.
Fait en deux exemplaires à Foix, le 8 mars 2024
Pour l'Obligé Le Bénéficiaire
« Lu et approuvé »
"""


def test_a_partnership_convention_is_a_cadre_de_contribution(hints):
    assert classify_text(PARTNERSHIP_CONVENTION_SCAN, hints).code == "cadre_contribution"


def test_a_scanned_title_whose_last_letters_the_ocr_cut_off_still_names_the_document(hints):
    assert classify_text(FORM_WITH_TAIL_CUT_TITLE, hints).code == "attestation_honneur"
    # a title's first word followed by a short word is no cut word of another type
    assert classify_text("DEVIS N° 12\nIsolation de combles\nTotal TTC 1 200,00 €", hints).code == "devis"


def test_a_scanned_title_cut_in_two_by_the_ocr_still_names_the_document(hints):
    text = """Ouest Certificats Énergie SAS
Gestion des dossiers
Réf. dossier : CEE-2024-656606
ATT ESTATION SUR L'HONNEUR DE RÉALISATION
Certificats d'économies d'énergie - opération standardisée
Nom et prénom du bénéficiaire BRETON Zoé
Adresse des travaux 47 cours des Acacias
Entreprise (raison sociale) Pro Martin
Date d'acceptation du devis 26/08/24
Date de fin des travaux 04-10-24
N° de facture FA-2024-02960
Signature du bénéficiaire : Cachet et signature de l'entreprise
"""
    assert classify_text(text, hints).code == "attestation_honneur"
