"""Reading a cadre de contribution written as a partnership convention (parties named in the
preamble, « Fait en deux exemplaires à …, le … ») or as a printed e-mail (De / Envoyé / À /
Objet headers). The documents are written here with reportlab as such conventions and mails
are printed, and read back through the PDF text layer, as the pipeline does."""
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extraction.corpus.evaluate import load_specs
from extraction.corpus.reading import pdf_pages
from extraction.extractors.layout import page_lines
from extraction.extractors.parties import contract_parties, mail_correspondents
from extraction.extractors.zones import dateline_words
from extraction.fields import extract_fields
from extraction.reading import fixture_reading_data

from .pages import page

MM = 72 / 25.4


@pytest.fixture(scope="module")
def specs():
    return load_specs()["cadre_contribution"]


def printed(tmp_path, name: str, runs: list[tuple[float, float, str]]) -> list:
    path = tmp_path / f"{name}.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for x, y, text in runs:
        pdf.setFont("Helvetica", 9)
        pdf.drawString(x * MM, A4[1] - y * MM, text)
    pdf.save()
    return pdf_pages(path)


def read(specs, pages) -> dict:
    result = extract_fields(pages, specs, fixture_reading_data("cadre_contribution"))
    return {name: value.value for name, value in result.items()}


CONVENTION = [
    (20, 15, "CONVENTION DE PARTENARIAT CEE"),
    (20, 30, "ENTRE LES SOUSSIGNÉS :"),
    (20, 36, "La société Hexagaz Distribution SA, au capital de 2 000 000 €, dont le siège est situé 4 place"),
    (20, 40, "Bellecour, 69002 Lyon, représentée par M. Paul Roche, ci-après dénommée « l'Obligé »,"),
    (150, 45, "D'UNE PART,"),
    (20, 50, "ET :"),
    (20, 56, "Monsieur Bernard LAMBERT, né le 3 mars 1961, demeurant 8 impasse des Tilleuls, 21000 Dijon,"),
    (20, 60, "ci-après désigné « le Bénéficiaire »,"),
    (150, 65, "D'AUTRE PART,"),
    (20, 72, "IL A ÉTÉ CONVENU CE QUI SUIT :"),
    (20, 80, "Article 1 – Objet de la convention"),
    (20, 85, "L'Obligé accompagne le Bénéficiaire dans la réalisation d'une isolation des combles (BAR-EN-101)."),
    (20, 93, "Article 2 – Engagements de l'Obligé"),
    (20, 98, "L'Obligé versera au Bénéficiaire une prime d'un montant de 1 250,00 €."),
    (20, 106, "Article 3 – Validité"),
    (20, 111, "L'offre est valable jusqu'au 30/09/2025."),
    (20, 125, "Fait en deux exemplaires originaux à Dijon, le 14 mars 2025"),
    (20, 135, "Pour l'Obligé"), (120, 135, "Le Bénéficiaire"),
]


def test_convention_parties_and_signing_date(tmp_path, specs):
    got = read(specs, printed(tmp_path, "convention", CONVENTION))
    assert got["nom_oblige"] == "Hexagaz Distribution SA"
    assert got["beneficiaire_nom"] == "Monsieur Bernard LAMBERT"
    assert got["date_cadre"] == "2025-03-14"
    assert got["montant_prime"] == "1250.00"


MAIL = [
    (20, 12, "Confirmation de votre prime énergie"),
    (20, 22, "De :"), (45, 22, "Pôle Primes – Hexagaz Distribution <primes@hexagaz.example>"),
    (20, 27, "Envoyé :"), (45, 27, "mardi 4 février 2025 09:31"),
    (20, 32, "À :"), (45, 32, "Lucie Fabre <lucie.fabre@example.org>"),
    (20, 37, "Objet :"), (45, 37, "Confirmation de votre prime énergie"),
    (20, 50, "Madame,"),
    (20, 58, "Nous vous confirmons que Hexagaz Distribution vous versera, pour l'isolation de vos combles, une prime de 2"),
    (20, 62, "480,15 € dès réception de votre facture (opération BAR-EN-101)."),
    (20, 75, "Bien cordialement,"),
    (20, 80, "Pôle Primes"),
    (20, 84, "Hexagaz Distribution"),
]


def test_printed_mail_headers(tmp_path, specs):
    got = read(specs, printed(tmp_path, "mail", MAIL))
    assert got["nom_oblige"] == "Hexagaz Distribution"
    assert got["beneficiaire_nom"] == "Lucie Fabre"
    assert got["date_cadre"] == "2025-02-04"
    assert got["montant_prime"] == "2480.15"


def test_parties_of_a_preamble_without_quotes():
    lines = page_lines(page([
        (0.1, 0.10, "Entre : SARL Dubois Énergie, immatriculée au RCS de Tours, ci-après dénommée le Délégataire,"),
        (0.1, 0.13, "Et : Mme Claire Petit, domiciliée 3 rue Haute, 37000 Tours, ci-après « le Client »."),
    ]))
    parties = {p.role: " ".join(w.text for w in p.words) for p in contract_parties([(1, lines)])}
    assert parties == {"delegataire": "SARL Dubois Énergie", "client": "Mme Claire Petit"}


def test_signing_place_and_copies_as_dateline():
    lines = page_lines(page([(0.1, 0.8, "Fait à Lyon, en double exemplaire, le 5 mai 2025")]))
    assert [" ".join(w.text for w in words) for _, words in dateline_words(lines)] == ["5 mai 2025"]


def test_scanned_preamble_with_a_speck_and_a_misread_article(specs):
    """OCR of a scan: a speck « e » before the name, « le Bénéficiaire » read « je Bénéficiaire »."""
    got = read(specs, [page([
        (0.1, 0.10, "ENTRE LES SOUSSIGNÉS :"),
        (0.1, 0.13, "La société Thermogaz Ouest, représentée par son gérant, ci-après dénommée « l'Obligé »,"),
        (0.1, 0.16, "ET :"),
        (0.1, 0.18, "e"),
        (0.1, 0.20, "Joseph HUET, demeurant 29 quai Jules Ferry, 83000 Toulon, ci-après dénommé « je Bénéficiaire »,"),
        (0.7, 0.23, "D'AUTRE PART,"),
    ])])
    assert got["nom_oblige"] == "Thermogaz Ouest"
    assert got["beneficiaire_nom"] == "Joseph HUET"


def test_parties_named_inline_in_one_sentence():
    lines = page_lines(page([
        (0.1, 0.10, "La présente convention est conclue entre la société Picardie Fioul Services (ci-après « l'Obligé »)"),
        (0.1, 0.12, "et M. Hugo Carpentier, demeurant 2 rue Neuve, 80000 Amiens (ci-après « le Bénéficiaire »)."),
    ]))
    parties = {p.role: " ".join(w.text for w in p.words) for p in contract_parties([(1, lines)])}
    assert parties == {"oblige": "Picardie Fioul Services", "beneficiaire": "M. Hugo Carpentier"}


def test_mail_headers_without_addresses():
    """Outlook prints the display names only; a header needs the other one beside it."""
    lines = page_lines(page([
        (0.1, 0.05, "De : Primes Énergie – Picardie Fioul Services"),
        (0.1, 0.07, "Envoyé : lundi 3 mars 2025 10:12"),
        (0.1, 0.09, "À : 'Hugo Carpentier'"),
        (0.1, 0.11, "Objet : votre prime"),
    ]))
    got = {role: " ".join(w.text for w in words) for role, words in mail_correspondents(lines).items()}
    assert got == {"sender": "Primes Énergie – Picardie Fioul Services", "recipient": "Hugo Carpentier"}
    letter = page_lines(page([(0.1, 0.05, "À : M. Hugo Carpentier"), (0.1, 0.07, "Objet : votre prime")]))
    assert mail_correspondents(letter) == {}


def test_article_headings_and_articles_are_no_obliges(tmp_path, specs):
    """Without a preamble: « Article 3 – Durée » under a line ending with « l'Obligé », or the
    « Le » of « Le Bénéficiaire » beside « Pour l'Obligé », is no name."""
    got = read(specs, printed(tmp_path, "articles", [
        (20, 80, "Article 2 – Engagements du Bénéficiaire"),
        (20, 85, "Le Bénéficiaire s'engage à ne pas valoriser cette opération auprès d'un autre obligé."),
        (20, 93, "Article 3 – Durée"),
        (20, 98, "La convention prend effet à sa signature, contrôles par un organisme mandaté par l'Obligé"),
        (20, 102, "ou par l'administration."),
        (20, 125, "Fait en deux exemplaires à Dijon, le 14 mars 2025"),
        (20, 135, "Pour l'Obligé"), (120, 135, "Le Bénéficiaire"),
    ]))
    assert got.get("nom_oblige") not in ("Le", "Article 3 – Durée")
