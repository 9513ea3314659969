"""Signatures and stamps read from ink (extraction.extractors.signatures): in born-digital PDFs
from the drawing objects in the signature zones, on scans and photos from the page image."""
import io
import json
from pathlib import Path
from random import Random

import pypdfium2 as pdfium
import pytest

from extraction.corpus import CorpusOptions, generate_corpus
from extraction.corpus.ink import sign
from extraction.corpus.reading import ink_sources, pdf_pages, read_pages, tesseract_available
from extraction.corpus.sheet import Sheet
from extraction.extractors.signatures import InkSource, detect_signatures, find_zones, pdf_page_drawings

REAL = Path(__file__).resolve().parents[3] / "shared/testdata/real/documents"


def attestation_pdf(ink: dict[str, str | None], *, framed: bool = True) -> bytes:
    """A page with the two signature labels side by side; ``ink``: role -> kind drawn or None."""
    sh = Sheet(Random(7))
    sh.text(sh.left, 80, "ATTESTATION SUR L'HONNEUR", 16, "bold")
    sh.paragraph(sh.left, 110, "Je soussigné atteste sur l'honneur que les travaux ont été réalisés. " * 3,
                 sh.right - sh.left)
    for k, (label, role) in enumerate([("Signature du bénéficiaire", "beneficiaire"),
                                       ("Cachet et signature du professionnel", "installateur")]):
        x = sh.left + k * 260
        sh.text(x + 4, 300, label, style="bold")
        if framed:
            sh.rect(x, 288, 250, 100)
        if ink[role]:
            sign(sh, x + 8, 310, 220, 70, kind=ink[role],
                 stamp_lines=["SARL EXEMPLE", "69100 VILLEURBANNE"] if ink[role] == "image" and role == "installateur" else None)
    sh.text(sh.left, 420, "Fait à Lyon, le 12/05/2025")
    return sh.finish()


def _read(pdf: bytes, *, scanned: bool = False):
    path = io.BytesIO(pdf)
    document = pdfium.PdfDocument(path)
    try:
        if scanned:
            image = document[0].render(scale=200 / 72).to_pil().convert("L")
            from extraction.corpus.reading import ocr_image

            page = ocr_image(image, 1, dpi=200)
            return detect_signatures([page], {1: InkSource(image=image)})
        drawings = pdf_page_drawings(document[0])
    finally:
        document.close()
    from extraction.engines.text_layer import read_text_layer

    (layer,) = read_text_layer(pdf)
    from extraction.types import PageContent

    page = PageContent(1, layer.text, layer.words, layer.width, layer.height, "text_layer")
    return detect_signatures([page], {1: InkSource(drawings=drawings)})


@pytest.mark.parametrize("beneficiary,installer", [("vector", "image"), (None, "initials"), ("image", None), (None, None)])
def test_born_digital_signatures_are_the_ink_in_each_zone(beneficiary, installer):
    values = _read(attestation_pdf({"beneficiaire": beneficiary, "installateur": installer}))
    assert values["signature_beneficiaire"].value == ("true" if beneficiary else "false")
    assert values["signature_installateur"].value == ("true" if installer else "false")
    assert all(v.confidence >= 0.9 for v in values.values())  # a born-digital zone is clear


def test_a_frame_around_an_empty_zone_is_not_a_signature():
    values = _read(attestation_pdf({"beneficiaire": None, "installateur": None}, framed=True))
    assert {v.value for v in values.values()} == {"false"}


def test_zones_come_from_the_labels_side_by_side():
    (page,) = pdf_pages_from(attestation_pdf({"beneficiaire": None, "installateur": None}))
    zones = find_zones(page)
    assert [z.role for z in zones] == ["beneficiaire", "installateur"]
    assert zones[0].bbox[2] <= zones[1].label_box[0]  # the beneficiary's zone stops at the next label


def test_a_box_drawn_under_a_label_is_its_zone_also_left_of_the_label():
    """A label centred over its box, the installer's initials at the box's left edge, left of
    where the label begins (office dev 1420: the beneficiary's long label running into the
    installer's garbled its first word, and the zone began at « cachet »): the box drawn under
    the label is where the ink counts."""
    def page(initials: bool) -> bytes:
        sh = Sheet(Random(3))
        sh.text(sh.left, 80, "ATTESTATION SUR L'HONNEUR", 16, "bold")
        sh.text(sh.left, 300, "Signature du bénéficiaire", style="bold")
        sh.text(sh.left + 290, 300, "Cachet du professionnel", style="bold")
        sh.rect(sh.left, 308, 205, 90)
        sh.rect(sh.left + 215, 308, 250, 90)
        sign(sh, sh.left + 8, 320, 150, 60, kind="vector")
        if initials:
            sign(sh, sh.left + 216, 318, 30, 30, kind="vector")
        return sh.finish()

    signed, unsigned = _read(page(True)), _read(page(False))
    assert signed["signature_installateur"].value == "true"
    assert unsigned["signature_installateur"].value == "false"
    assert signed["signature_beneficiaire"].value == unsigned["signature_beneficiaire"].value == "true"


def pdf_pages_from(pdf: bytes):
    from extraction.engines.text_layer import read_text_layer
    from extraction.types import PageContent

    return [PageContent(p.number, p.text, p.words, p.width, p.height, "text_layer") for p in read_text_layer(pdf)]


@pytest.mark.skipif(not tesseract_available(), reason="Tesseract is not installed")
@pytest.mark.parametrize("beneficiary,installer", [("vector", None), (None, "image")])
def test_scanned_signatures_are_dark_pixels_that_are_not_words_or_frames(beneficiary, installer):
    values = _read(attestation_pdf({"beneficiaire": beneficiary, "installateur": installer}), scanned=True)
    assert values["signature_beneficiaire"].value == ("true" if beneficiary else "false")
    assert values["signature_installateur"].value == ("true" if installer else "false")


def _check_corpus(root: Path, files) -> int:
    checked = 0
    for f in files:
        doc = f["documents"][0]
        if doc["type"] != "attestation_honneur":
            continue
        pages = read_pages(root / f["file"])
        values = detect_signatures(pages, ink_sources(root / f["file"], pages))
        for name in ("signature_beneficiaire", "signature_installateur"):
            assert values[name].value == doc["fields"][name], (f["file"], name, values[name])
            checked += 1
    return checked


def test_generated_attestations_born_digital_both_families(tmp_path):
    checked = 0
    for family, seed in (("letters", 1305), ("classic", 77)):
        root = tmp_path / family
        generate_corpus(root, CorpusOptions(dossiers=6, seed=seed, family=family, scanned_ratio=0.0, multi_doc_ratio=0.0))
        checked += _check_corpus(root, json.loads((root / "manifest.json").read_text())["files"])
    assert checked >= 20


@pytest.mark.slow
@pytest.mark.skipif(not tesseract_available(), reason="Tesseract is not installed")
def test_generated_attestations_scanned_and_photographed(tmp_path):
    generate_corpus(tmp_path, CorpusOptions(dossiers=5, seed=1306, family="letters", scanned_ratio=1.0, multi_doc_ratio=0.0,
                                            photo_ratio=0.5))
    files = [f for f in json.loads((tmp_path / "manifest.json").read_text())["files"]
             if f["documents"][0]["type"] == "attestation_honneur"]
    assert _check_corpus(tmp_path, files) >= 8


@pytest.mark.parametrize("name", ["siade-staging__exemple-ademe-rge-certificat_qualibat.pdf",
                                  "oca-edi__bouygues_telecom-test.pdf", "factur-x__invoice_EN16931.pdf"])
def test_real_documents_without_signature_zones_give_no_signature(name):
    """Real documents (none of those in ../shared/testdata has a signature zone of a beneficiary
    or a professional) yield no signature field rather than a guess from their drawings."""
    path = REAL / name
    if not path.exists():
        pytest.skip("real documents not available")
    pages = pdf_pages(path)
    assert sum(len(p.words) for p in pages) > 50
    assert detect_signatures(pages, ink_sources(path, pages)) == {}


def test_stamps_are_images_without_a_text_layer():
    sh = Sheet(Random(3))
    sh.text(sh.left, 100, "Cachet de l'entreprise", style="bold")
    sign(sh, sh.left, 110, 220, 70, kind="vector", stamp_lines=["ECO HABITAT", "SIRET 12345678900011"])
    pdf = sh.finish()
    (page,) = pdf_pages_from(pdf)
    assert "ECO HABITAT" not in page.text
    values = _read(pdf)
    assert values["signature_installateur"].value == "true"


def test_a_sentence_speaking_of_a_signature_is_not_a_signature_zone():
    sh = Sheet(Random(5))
    sh.text(sh.left, 100, "Les travaux ont été engagés après la signature du devis par le client et l'entreprise.")
    (page,) = pdf_pages_from(sh.finish())
    assert find_zones(page) == []


def test_a_box_headed_le_beneficiaire_beside_a_signature_label_is_a_zone():
    # the regulatory attestation's two boxes: « Le bénéficiaire » | « Le professionnel – cachet et signature »
    sh = Sheet(Random(5))
    sh.text(sh.left + 6, 600, "Le bénéficiaire", style="bold")
    sh.text(sh.left + 260, 600, "Le professionnel – cachet et signature", style="bold")
    (page,) = pdf_pages_from(sh.finish())
    assert [z.role for z in find_zones(page)] == ["beneficiaire", "installateur"]


@pytest.mark.parametrize("drop", [12, -12])
@pytest.mark.parametrize("installer", ["Le professionnel (signature et cachet)", "Le professionnel"])
def test_a_box_headed_le_beneficiaire_a_tilted_scan_read_on_another_line_than_its_neighbour_is_a_zone(drop, installer):
    """A tilted scan reads « Le bénéficiaire » and « Le professionnel (signature et cachet) » (or
    « Le professionnel » alone) beside it on two lines: still the two boxes, the first up to the other's head."""
    sh = Sheet(Random(5))
    sh.text(sh.left + 6, 600, "Le bénéficiaire", style="bold")
    sh.text(sh.left + 260, 600 + drop, installer, style="bold")
    (page,) = pdf_pages_from(sh.finish())
    zones = find_zones(page)
    assert sorted(z.role for z in zones) == ["beneficiaire", "installateur"]
    beneficiary = next(z for z in zones if z.role == "beneficiaire")
    installer = next(z for z in zones if z.role == "installateur")
    assert beneficiary.bbox[2] < installer.label_box[0]


def test_le_beneficiaire_alone_is_no_signature_zone():
    sh = Sheet(Random(5))
    sh.text(sh.left + 6, 600, "Le bénéficiaire", style="bold")
    (page,) = pdf_pages_from(sh.finish())
    assert find_zones(page) == []


def test_an_electronic_signature_is_read_from_its_wording_in_the_zone():
    """Yousign / DocuSign / Universign print who signed in the zone, no ink: signed; a document sent
    for signature and not signed yet says so: not signed. Without any drawing to look at."""
    sh = Sheet(Random(5))
    sh.text(sh.left + 6, 600, "Signature du bénéficiaire", style="bold")
    sh.text(sh.left + 260, 600, "Cachet et signature du professionnel", style="bold")
    sh.text(sh.left + 6, 625, "Signé électroniquement par Honoré Lefèvre")
    sh.text(sh.left + 6, 640, "le 14/03/2025 à 10:42 – Yousign")
    sh.text(sh.left + 260, 625, "En attente de signature")
    (page,) = pdf_pages_from(sh.finish())
    values = detect_signatures([page], {})
    assert values["signature_beneficiaire"].value == "true"
    assert values["signature_installateur"].value == "false"
    assert values["signature_installateur"].confidence >= 0.6  # a finding, not a doubt


def test_two_party_heads_alone_on_their_line_are_the_signature_boxes():
    """A web form's last page: « Le bénéficiaire » and « Le professionnel » side by side (the word
    « signature » is in the section's title), each over its electronic signature."""
    sh = Sheet(Random(5))
    sh.text(sh.left, 560, "4. Déclaration et signature", style="bold")
    sh.text(sh.left + 6, 600, "Le bénéficiaire", style="bold")
    sh.text(sh.left + 260, 600, "Le professionnel", style="bold")
    sh.text(sh.left + 6, 625, "Signé électroniquement par Honoré Lefèvre")
    sh.text(sh.left + 260, 625, "Signé par SOLUTIONS MARTIN")
    sh.text(sh.left, 700, "Le bénéficiaire et le professionnel attestent l'exactitude des informations.")
    (page,) = pdf_pages_from(sh.finish())
    assert [z.role for z in find_zones(page)] == ["beneficiaire", "installateur"]
    values = detect_signatures([page], {})
    assert (values["signature_beneficiaire"].value, values["signature_installateur"].value) == ("true", "true")


def test_a_certificate_signature_box_as_acrobat_draws_it_signs_the_zone():
    """A PDF signed with a certificate in Acrobat shows « Signature numérique de X » / « Signé
    numériquement par X » with the date in the signature field's box: no ink, but signed."""
    sh = Sheet(Random(5))
    sh.text(sh.left + 6, 600, "Signature du bénéficiaire", style="bold")
    sh.text(sh.left + 260, 600, "Signature du professionnel", style="bold")
    sh.text(sh.left + 6, 625, "Signature numérique de Honoré Lefèvre")
    sh.text(sh.left + 6, 640, "Date : 2025.03.14 10:22:31 +01'00'")
    sh.text(sh.left + 260, 625, "Signé numériquement par SOLUTIONS MARTIN")
    (page,) = pdf_pages_from(sh.finish())
    values = detect_signatures([page], {})
    assert (values["signature_beneficiaire"].value, values["signature_installateur"].value) == ("true", "true")


def test_a_signature_box_gives_the_signers_name_without_its_wording():
    from extraction.extractors.trims import after_e_signature
    from extraction.types import Word

    words = [Word(t, (0, 0, 0.1, 0.01), 1.0) for t in "Signé numériquement par SOLUTIONS MARTIN".split()]
    assert [w.text for w in after_e_signature(words)] == ["SOLUTIONS", "MARTIN"]


def test_a_scribble_ocr_read_as_a_tall_doubtful_word_signs_a_zone_with_little_ink():
    """A photo's thin, light strokes leave little ink once the paper's grain is taken away (« some
    ink, too little to tell »); OCR reading the scribble as a tall doubtful word (« TON » at 0.34,
    five lines high) says it is a signature. A printed word, or no such word, does not."""
    from PIL import Image, ImageDraw

    from extraction.extractors.signatures import Zone, ink_in_image
    from extraction.types import Word

    image = Image.new("L", (1000, 1400), 255)
    ImageDraw.Draw(image).line([(620, 960), (644, 984)], fill=60, width=1)  # what is left of the strokes
    printed = [Word(text, (0.1 + 0.08 * k, 0.2, 0.17 + 0.08 * k, 0.211), 0.95)
               for k, text in enumerate(["Le", "bénéficiaire", "atteste", "sur", "l'honneur", "que", "les", "travaux"])]
    label = [Word("Signature", (0.52, 0.63, 0.58, 0.641), 0.96), Word("professionnel", (0.6, 0.63, 0.69, 0.641), 0.96)]
    zone = Zone("installateur", 1, "signature professionnel", (0.5, 0.625, 0.98, 0.76), (0.52, 0.63, 0.69, 0.641))
    assert ink_in_image(image, printed + label, zone).signed is False
    scribble = Word("TON", (0.6, 0.66, 0.75, 0.715), 0.34)
    assert ink_in_image(image, printed + label + [scribble], zone).signed is True
    assert ink_in_image(image, printed + label + [Word("TON", (0.6, 0.66, 0.75, 0.672), 0.34)], zone).signed is False
    assert ink_in_image(image, printed + label + [Word("TON", scribble.bbox, 0.9)], zone).signed is False
