"""classify_text / classify_pages / segment_pages with the document types' hints (fixture data)."""
from random import Random

import pytest
from faker import Faker

from extraction.classification import classify_pages, classify_text, segment_pages
from extraction.corpus.evaluate import load_hints
from extraction.corpus.facts import make_dossier
from extraction.corpus.generate import _draw, _merge
from extraction.corpus.issuers import assign_installer, document_random, make_pool
from extraction.engines.text_layer import read_text_layer
from extraction.types import PageContent

from .pages import page


@pytest.fixture(scope="module")
def hints():
    return load_hints()


DEVIS = """ECO RENOV HABITAT
12 rue des Lilas 69100 Villeurbanne
DEVIS N° D2024-0153
Date : 12/03/2024  Validité de l'offre : 3 mois
Isolation des combles perdus – BAR-EN-101
Total HT 4 500,00 €  TVA 5,5 % 247,50 €  Total TTC 4 747,50 €
Bon pour accord, le 20/03/2024"""

FACTURE = """ECO RENOV HABITAT
FACTURE N° F2024-0042
Date de facture : 15/04/2024
Suivant devis n° D2024-0153 accepté le 20/03/2024
Total TTC 4 747,50 €  Prime CEE - 1 500,00 €  Net à payer 3 247,50 €
Pénalités de retard : trois fois le taux d'intérêt légal"""

AH = """ATTESTATION SUR L'HONNEUR
CADRE A – Identification du bénéficiaire
Je soussigné atteste sur l'honneur que les travaux ont été réalisés.
Référence de la facture : F2024-0042 ; devis accepté le 20/03/2024
Date d'engagement de l'opération : 20/03/2024
Signature du bénéficiaire   Signature du professionnel"""


@pytest.mark.parametrize("text, expected", [(DEVIS, "devis"), (FACTURE, "facture"), (AH, "attestation_honneur")])
def test_documents_that_quote_each_other_are_told_apart_by_their_title(hints, text, expected):
    result = classify_text(text, hints)
    assert result.code == expected
    assert result.confidence >= 0.8


def test_ocr_without_accents_and_with_a_typo_still_classifies(hints):
    text = "AVIS D'IMPOT 2024\nIMPOT SUR LES REVENUS de l'annee 2023\nRevenu fiscal de referense : 25 115\nNombre de parts : 2"
    assert classify_text(text, hints).code == "avis_imposition"


def test_case_does_not_matter(hints):
    assert classify_text(FACTURE.lower(), hints).code == "facture"


def test_nothing_recognisable_is_autre(hints):
    result = classify_text("Liste de courses\npain, lait, oeufs", hints)
    assert result.code == "autre"
    assert 0 <= result.confidence <= 1


def test_empty_text_is_autre(hints):
    assert classify_text("", hints).code == "autre"


def test_confidence_grows_with_the_margin_over_the_second_type(hints):
    clear = classify_text(FACTURE, hints)
    mixed = classify_text("Facture\nDevis n° 12 bon pour accord validité de l'offre", hints)
    assert clear.confidence > mixed.confidence


def test_hints_may_add_types_and_keywords(hints):
    custom = dict(hints, contrat_entretien={"title_keywords": {"contrat d'entretien": 12}, "keywords": {"entretien annuel": 3}})
    assert classify_text("CONTRAT D'ENTRETIEN\nEntretien annuel de la chaudière", custom).code == "contrat_entretien"


def _text_page(number, text):
    rows = [(0.08, 0.05 + 0.03 * i, line) for i, line in enumerate(text.splitlines())]
    return page(rows, number=number)


def test_pages_give_first_page_cues(hints):
    pages = [_text_page(1, DEVIS), _text_page(2, "Conditions générales\nLes travaux sont garantis.\nPage 2/2")]
    first, second = classify_pages(pages, hints)
    assert first.title_code == "devis" and first.starts_document
    assert second.page_of == (2, 2) and second.continues_document and not second.starts_document


def _devis_on_two_pages_then(facture: str) -> list:
    return [
        _text_page(1, DEVIS + "\nPage 1/2"),
        _text_page(2, "Conditions générales de vente\nGarantie décennale.\nPage 2/2"),
        _text_page(3, facture),
        _text_page(4, AH),
    ]


def test_a_multi_document_file_is_segmented_at_titles(hints):
    pages = _devis_on_two_pages_then(FACTURE)
    segments = segment_pages(pages, hints)
    assert [(s.code, s.pages) for s in segments] == [("devis", [1, 2]), ("facture", [3]), ("attestation_honneur", [4])]


# A title set beside a subtitle is read on the same line as it (a text layer or an OCR line
# joins what lies at the same height), after it.
FACTURE_TITLE_BESIDE = """ECO RENOV HABITAT
Rénovation énergétique FACTURE
Référence F2024-0042  Facturé le 15/04/2024
Total TTC 4 747,50 €  Prime CEE déduite - 1 500,00 €  Reste à charge 3 247,50 €"""


def test_a_title_in_capitals_that_ends_a_top_line_is_a_title(hints):
    (result,) = classify_pages([_text_page(1, FACTURE_TITLE_BESIDE)], hints)
    assert result.title_code == "facture" and result.starts_document
    # words in capitals after lowercase ones are a title only when they are a type's title
    (quoted,) = classify_pages([_text_page(1, "Rénovation énergétique ECO RENOV\n" + AH)], hints)
    assert quoted.title_code == "attestation_honneur"


# A quote then its invoice written as letters (letters dev seed 7313, a scan): neither page has a
# title line; each names itself in a subject line longer than a title, after the recipient.
DEVIS_LETTER = """Éco Bâtiment
20 ter place Anatole France
83000 TOULON
Madame Édith Collet
145 route de Verdun
50100 Cherbourg-en-Cotentin
Fait à Toulon, le 13 juillet 2024
Objet : Devis estimatif n°DEV-2024-04354 - isolation de combles ou de toitures, isolation d'un plancher
Madame, Monsieur,
Suite à notre visite technique du 23 juin 2024, nous avons le plaisir de vous adresser notre proposition.
Total HT 13 573,35 EUR
Signature du client, précédée de la mention « Bon pour accord »"""

FACTURE_LETTER = """Éco Bâtiment
20 ter place Anatole France — 83000 Toulon
Mme COLLET Édith
145 route de Verdun
50100 CHERBOURG-EN-COTENTIN
Toulon, le Lundi 23 Septembre 2024
Objet : Facture n°FA-2024-09358 - isolation de combles ou de toitures, isolation d'un plancher
Madame, Monsieur,
Facture relative à notre devis n° DEV-2024-04354, pour les travaux réalisés à votre domicile.
Désignation Quantité P.U. HT Total HT
Total TTC 14 319,88 €
La prime accordée par HEXAGAZ DISTRIBUTION SAS d'un montant de 4 354,71 € a été déduite du montant à régler."""


def test_a_letter_names_itself_in_its_subject_line(hints):
    pages = [_text_page(1, DEVIS_LETTER), _text_page(2, FACTURE_LETTER), _text_page(3, AH)]
    results = classify_pages(pages, hints)
    assert [r.title_code for r in results] == ["devis", "facture", "attestation_honneur"]
    segments = segment_pages(pages, hints, results)
    assert [(s.code, s.pages) for s in segments] == [("devis", [1]), ("facture", [2]), ("attestation_honneur", [3])]


def test_a_page_after_the_last_numbered_page_starts_another_document(hints):
    # no title at all and a type recognised with a small margin: only the numbering of the
    # page before (« Page 2/2 ») says the quote is complete
    facture = "ECO RENOV HABITAT\nRéférence F2024-0042  Facturé le 15/04/2024\nTotal TTC 4 747,50 €  Net à payer 3 247,50 €"
    pages = _devis_on_two_pages_then(facture)
    results = classify_pages(pages, hints)
    assert results[2].classification.code == "facture" and results[2].classification.confidence < 0.8
    assert results[1].ends_document and not results[0].ends_document
    segments = segment_pages(pages, hints, results)
    assert [(s.code, s.pages) for s in segments] == [("devis", [1, 2]), ("facture", [3]), ("attestation_honneur", [4])]


# A store's quote heads its client's block « Facturé à » above its own title, as its invoice does.
DEVIS_BILLED_TO = """Agence Thermi'Services Bordeaux
Objet : Pompe à chaleur de type air/eau
Facturé à
M. GUILLAUME Isaac
157 impasse du Stade
22000 Saint-Brieuc
Devis n° Date du devis
202502423 25/03/2025
Total HT 13 050,19 €  TVA 5,5 % 717,76 €  Total TTC 13 767,95 €
Bon pour accord, date et signature du client
Page 1/1"""


def test_a_block_billed_to_is_no_invoice_title(hints):
    assert classify_text(DEVIS_BILLED_TO, hints).code == "devis"
    first, = classify_pages([_text_page(1, DEVIS_BILLED_TO)], hints)
    assert first.title_code == "devis"
    segments = segment_pages([_text_page(1, DEVIS_BILLED_TO), _text_page(2, FACTURE), _text_page(3, AH)], hints)
    assert [(s.code, s.pages) for s in segments] == [("devis", [1]), ("facture", [2]), ("attestation_honneur", [3])]


def test_a_title_after_the_last_numbered_page_starts_another_document_of_the_same_type(hints):
    # two invoices in a row: the first says it is complete (« Page 1/1 »), the second's title opens another
    second = FACTURE.replace("F2024-0042", "F2024-0043")
    pages = [_text_page(1, FACTURE + "\nPage 1/1"), _text_page(2, second), _text_page(3, "Conditions générales\nGarantie décennale.")]
    segments = segment_pages(pages, hints)
    assert [(s.code, s.pages) for s in segments] == [("facture", [1]), ("facture", [2, 3])]


def test_a_page_numbered_beyond_the_document_before_it_does_not_continue_it(hints):
    # the attestation's « 4/4 » (the scanner's numbering, or the form's page in its model) after a
    # one-page invoice: the invoice cannot be on its fourth page
    pages = _devis_on_two_pages_then(FACTURE)
    pages[3] = _text_page(4, "Modèle type — à remplir\n4/4\n" + AH)
    results = classify_pages(pages, hints)
    assert results[3].page_of == (4, 4) and results[3].continues_document
    assert [(s.code, s.pages) for s in segment_pages(pages, hints, results)] == [
        ("devis", [1, 2]), ("facture", [3]), ("attestation_honneur", [4])]
    # the last page of a document numbered with it goes on continuing it
    pages = [_text_page(1, DEVIS + "\nPage 1/2"), _text_page(2, "Conditions générales de vente\nPage 2/2")]
    assert [(s.code, s.pages) for s in segment_pages(pages, hints)] == [("devis", [1, 2])]


# A scanned two-page quote whose title the scan lost (« DIAUK »): its first page, the obligé's
# mentions and the lots' start, reads as a cadre de contribution; its second, the totals, as a
# quote (network dev 1460).
QUOTE_PAGE_1 = """CLIM SERVICES
Chauffage - Sanitaire - Climatisation
DIAUK
Mme LECOMTE Constance
Prime versée par Groupe Néréa Délégation : 715,94 € déduite du montant TTC
Les travaux objet du présent devis (fiche BAR-TH-171) donnent lieu à la délivrance de certificats d'économies d'énergie.
Groupe Néréa Délégation, partenaire du dispositif, contribue à leur financement dans le cadre de son rôle actif et incitatif.
Description Qté PU HT Remise Total €
Pompe à chaleur air/eau Viessmann 1 - 12539,68
Page 1 sur 2"""
QUOTE_PAGE_2 = """CLIM SERVICES
Devis n° DEV-2025-03611 du 01.05.2025 (suite)
Description Qté PU HT Remise Total HT €
Main d'œuvre d'installation 9 60,00 - 540,00
Montant total HT 14889,68 €
Montant total TTC 15708,61 €
Déduction prime énergie - 715,94 €
NET À PAYER 14992,67 €
Acompte de 30 % à la commande, solde à la fin des travaux.
Le client reconnaît avoir pris connaissance des conditions générales de vente.
Signature du client précédée de la mention « Bon pour accord »
Bon pour accord le 01/05/2025"""


@pytest.mark.parametrize("numbering", ["Pace 2 sur 2", ""])
def test_the_page_after_page_1_of_2_continues_its_document(hints, numbering):
    pages = [_text_page(1, QUOTE_PAGE_1), _text_page(2, QUOTE_PAGE_2 + "\n" + numbering)]
    results = classify_pages(pages, hints)
    assert results[0].classification.code != "devis" and results[1].classification.code == "devis"
    assert [(s.code, s.pages) for s in segment_pages(pages, hints, results)] == [("devis", [1, 2])]


# A scanned quote whose title OCR glued to the recipient's town (« 31000 TOULOUSE Devis n DV252276 »):
# its first page, the lots and « NET À PAYER », reads as an invoice; the next one says it carries
# it on, without any page numbering (network dev 1475).
TITLELESS_QUOTE = """THERMISERVICES
79 impasse de Bretagne — 24000 Périgueux
Madame Suzanne DESCAMPS
81 bis quai Anatole France
31000 TOULOUSE Devis n DV252276
Date 13/05/2025
Validité 90 jours
Réf. Désignation Qté -U. PU. Montant HT
GI10003 Système solaire combiné Giordano SSC Ecosol 300 1 11 819,09 € 11 819,09 €
TOTAL HT 14 740,09 €
Total TTC 15 550,79 €
Prime CEE Ouest Certificats Énergie SAS - 4 188,08 €
NET À PAYER 11 362,71 €"""
QUOTE_SUITE = """Devis n° DV252276 du 13/05/2025 (suite)
Opération réalisée dans le cadre du dispositif des Certificats d'Économies d'Énergie
Montant de la prime CEE : 4 188,08 €
Paiement : 40 % à la signature, solde à réception.
Cachet et signature de l'entreprise Signature du client
précédée de la mention « Bon pour accord »
Bon pour accord le 01/06/2025"""


def test_a_page_that_says_it_carries_on_the_one_before_continues_its_document(hints):
    pages = [_text_page(1, TITLELESS_QUOTE), _text_page(2, QUOTE_SUITE)]
    results = classify_pages(pages, hints)
    assert results[0].classification.code == "facture" and results[1].title_code == "devis"
    assert results[1].continues_document and not results[1].starts_document
    assert [(s.code, s.pages) for s in segment_pages(pages, hints, results)] == [("devis", [1, 2])]
    # a « (suite) » further down the page, in its body, is no such cue
    body = _text_page(2, "DEVIS N° DV252277\nClient : M. Martin\nObjet : isolation\nLot 1\nLot 2 (suite)")
    assert not classify_pages([body], hints)[0].continues_document


def test_an_unrecognised_page_after_the_last_numbered_page_stays_with_the_document(hints):
    pages = [
        _text_page(1, DEVIS + "\nPage 1/1"),
        _text_page(2, "Plan de situation\nCroquis des combles"),
    ]
    assert [(s.code, s.pages) for s in segment_pages(pages, hints)] == [("devis", [1, 2])]


def test_the_files_of_installers_that_reuse_their_templates_are_cut_at_each_document(hints):
    # devis, facture and attestation of one installer's templates in one PDF, for every
    # installer of a few pools: facture_grid's title sits beside its subtitle, a devis may end
    # on « Page 2/2 » (issue 13: 3 of these 16 files lost their facture page before)
    wrong = []
    for seed in range(7300, 7304):
        pool = make_pool(seed, 4, letters=False)
        for k, installer in enumerate(pool.installers):
            rng = Random(seed * 10 + k)
            fake = Faker("fr_FR")
            fake.seed_instance(seed)
            facts = make_dossier(rng, fake, k + 1)
            assign_installer(facts, installer)
            drawn = [(code, *_draw(code, facts, document_random(pool, installer, facts, code)))
                     for code in ("devis", "facture", "attestation_honneur")]
            pages = [PageContent(p.number, p.text, p.words, p.width, p.height)
                     for p in read_text_layer(_merge([d.pdf for _, d, _ in drawn]))]
            expected, first = [], 1
            for code, d, _ in drawn:
                expected.append((code, list(range(first, first + d.pages))))
                first += d.pages
            got = [(s.code, s.pages) for s in segment_pages(pages, hints)]
            if got != expected:
                wrong.append((seed, [template for _, _, template in drawn], got))
    assert not wrong


AH_WITH_LOGO = """CERTIFICATS Imprimé CEE — AH / 2
D'ÉCONOMIES D'ÉNERGIE À conserver par le bénéficiaire
ATTESTATION SUR L'HONNEUR
de réalisation d'une opération d'économies d'énergie
1. Identité du bénéficiaire
Nom ROSSI Prénom : Victoire
Date d'engagement (signature du devis) : 18/03/2025
Signature du bénéficiaire Cachet et signature de l'entreprise"""


def test_the_schemes_logo_is_no_certificates_title(hints):
    """« CERTIFICATS / D'ÉCONOMIES D'ÉNERGIE », a form's logo read first on a scan: the title is the
    attestation's, the certificate gets no title weight from the logo."""
    result = classify_text(AH_WITH_LOGO, hints)
    assert result.code == "attestation_honneur"
    assert result.scores["certificat_rge"] == 0.0
    assert result.scores["attestation_honneur"] >= 20


# A store's invoice photographed (OCR as read): its title cut in letters, « Réf. devis », and its
# general conditions quoting « la signature du présent devis », « Bon pour accord ».
STORE_INVOICE_SCAN = """ue
pa ie le
Magasin Logis Brico Saint-Quentin (n° 0062) FACTU R E
Centre commercial Les Arcades
LOG Î S E RICO e | 02100 Saint-Quentin N° 202409447
|
Tél. 04 05 19 13 49 - du lundi au samedi 9h-19h
TVA magasin : FR59700457429
Réf. devis N° de commande.
202403330 9611559292 131 place Lamartine
Réf. Désignation se __ Qt Unité PuHT Remise % TVA % Montant NT
63007598 Isolation d'un plancher - Saint-Gobain Weber 61,50 my 92,08 0 55 5:662,92
weber.therm XM ultra 22
R= 3,05 m2 K/W - épaisseur 320 mm - Certifié ACERMI
Base HT Taux Montant TVA | Total HT 3.762,51 EUR
5.762,51 EUR 5,5 % 316,94 EUR TVA 5,5% 316,94 EUR
Total TTC - 6.079,45 EUR
Prime CEE Ondéa Énergies SAS -1.057,21 EUR
Reste à payer 5.022,24 EUR |
RGE : Qualibat n° E-E413006.
Conditions générales de vente et de pose (extrait)
Art. 1 - Commande. Là commande est ferme à la Signature du présent devis Par le client, précédée de la mention « Bon Pour accord ». Un acompte peut être
demandé à là tommañde ; le solde est exigible à {à fin de la pose.
Art. 2 - Droit de rétractation. En cas de vente hors: établissement, le <lient dispose d'un délai de quatorze Jours pour se rétracter, au moyen du formulaire
ci-déssous ou de toute déclaration dénuée d'ambiguité adressée au magasin.
Art: 3 - Délais, Les délais de pose Sont donnés à’ titre indicatif : un retard ne peut donner lieu-à annulation de la commande ni à indemnité, sauf retard"""


def test_a_title_a_scan_cut_in_letters_is_the_title(hints):
    assert classify_text(STORE_INVOICE_SCAN, hints).code == "facture"


def test_a_title_a_scan_cut_in_its_middle_is_the_title(hints):
    """« ATTEST ATION SUR L'HONNEUR DE RÉALISATION »: a délégataire's attestation, the scan cut its
    title's first word in two halves (network dev 1477: read as a devis after « Date d'acceptation
    du devis »)."""
    text = """France Éco-Délégation Réf. dossier : CEE-2024-462401
Cellule Dossiers CEE
ATTEST ATION SUR L'HONNEUR DE RÉALISATION |
Nom et prénom du bénéficiaire MORENO Denise
Entreprise (raison sociale) Isoconcept
Date d'acceptation du devis : 14/05/24
Dte de fin des travaux 23-06-24
N° de facture 202400673
Signature du bénéficiaire Signature et cachet du professionnel"""
    assert classify_text(text, hints).code == "attestation_honneur"
    assert classify_pages([_text_page(1, text)], hints)[0].title_code == "attestation_honneur"


# An obligé's convention whose scan lost most of its words of the scheme (« prime », « contribution »)
# but its title; it mentions the attestation the beneficiary will sign (office dev 1430).
CONVENTION_SCAN = """Alterna Énergie
Convention n° 2022-34360
CONVENTION D'INCITATION AUX ÉCONOMIES D'ÉNERGIE
ENTRE LES SOUSSIGNÉS : La société Alterna Énergie, ci-après dénommée « l'Obligé »
ET : M. DELAHAYE Marc, demeurant 79 quai de la Gare, 01000 Bourg-en-Bresse, ci-après dénommé(e) « le Bénéficiaire »
Article 1 — Objet
Les travaux seront réalisés par l'entreprise ISO' EXPERT, titulaire d'une qualification RGE.
Article 3 - Engagements du Bénéficiaire
Le Bénéficiaire s'engage à signer la présente convention avant l'acceptation du devis, à fournir la facture des travaux et
l'attestation sur l'honneur signée.
Fait en deux exemplaires à Paris, le 17/06/2023"""


def test_a_convention_titled_so_is_a_cadre_not_the_attestation_it_mentions(hints):
    assert classify_text(CONVENTION_SCAN, hints).code == "cadre_contribution"


# an obligé's e-mail printed from a webmail (office dev 1436): its subject after the sender's tag
# names it, and the documents it asks for afterwards are none of its own type
OBLIGE_EMAIL = """Messagerie - Claire Martin
[ALTERGIE SAS] Engagement de prime - CEE-412275
De : Service Primes - ALTERGIE SAS <primes@altergie.fr>
Date : 3 mars 2025 à 09:12
À : Claire Martin <claire.martin@example.fr>
Objet : [ALTERGIE SAS] Engagement de prime - CEE-412275
Bonjour Claire,
Nous confirmons que ALTERGIE SAS, dans le cadre du dispositif des certificats d'économies d'énergie,
prendra à sa charge 1 250,00 EUR pour l'opération suivante : isolation de combles (BAR-EN-101).
Une fois les travaux terminés, transmettez-nous la facture et l'attestation sur l'honneur signée par vous et
par l'entreprise. Cordialement,"""


def test_an_obliges_email_is_a_cadre_not_the_documents_it_asks_for(hints):
    result = classify_text(OBLIGE_EMAIL, hints)
    assert result.code == "cadre_contribution"
    assert result.scores["attestation_honneur"] < 3


def test_a_reply_to_an_email_keeps_its_subject_after_the_tags(hints):
    reply = OBLIGE_EMAIL.replace("Objet : [ALTERGIE SAS]", "Objet : RE : TR : [ALTERGIE SAS]")
    assert classify_text(reply.split("\n", 2)[2], hints).code == "cadre_contribution"


def test_an_attestation_keeps_its_own_name_in_its_text(hints):
    text = AH + "\nLa présente attestation sur l'honneur est jointe à la facture."
    assert classify_text(text, hints).code == "attestation_honneur"
