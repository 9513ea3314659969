"""Reading a learned layout's spots on the next document: boxes registered against the page,
anchors borrowed from other layouts."""
from __future__ import annotations

import pytest

from extraction.learning import apply
from extraction.learning.selectors import KnownLayout
from extraction.learning.spots import locate
from extraction.types import FieldSpec, FieldValue, PageContent, Word

pytestmark = pytest.mark.django_db  # whether learning is on is an engine setting


def placed_page(lines: list[str], dx: float = 0.0, dy: float = 0.0, source: str = "text_layer") -> list[PageContent]:
    """One page whose lines are written word after word, 0.03 apart, the whole page moved by
    (dx, dy) as a scanner feeds it."""
    words = []
    for row, text in enumerate(lines):
        x, top = 0.08 + dx, 0.1 + 0.03 * row + dy
        for token in text.split():
            width = 0.009 * len(token)
            words.append(Word(token, (x, top, x + width, top + 0.012)))
            x += width + 0.006
    return [PageContent(1, "\n".join(lines), words, 595, 842, source)]


def learned(pages: list[PageContent], truths: dict[str, tuple[str, str]], count: int = 1) -> KnownLayout:
    """The layout taught by the verdicts ``truths`` (field name -> (data type, value)) on ``pages``."""
    layout = KnownLayout(1, "", "portrait", frozenset())
    for name, (data_type, value) in truths.items():
        spot = locate(pages, data_type, value)
        layout.spots[name] = [{"fingerprint_id": 1, "schema__name": name, "absent": False, "page": spot.page,
                               "bbox": list(spot.bbox), "relation": spot.relation, "anchor": " ".join(spot.anchor),
                               "offset": spot.offset, "count": count, "value_words": spot.value_words,
                               "followed_by": spot.followed_by, "clauses_skipped": spot.clauses_skipped,
                               "words_skipped": spot.words_skipped}]
    return layout


def letterhead(name: str, street: str, siret: str, number: str) -> list[str]:
    return [name, street, f"SIRET : {siret}", "", f"Devis n° {number}"]


SPECS = [FieldSpec("raison_sociale_installateur", "Raison sociale", "string"),
         FieldSpec("siret_installateur", "SIRET", "siret"),
         FieldSpec("numero_devis", "Numéro", "string")]


def test_a_box_is_read_where_the_anchors_moved_on_a_shifted_scan_and_as_learned_on_a_born_digital_page(monkeypatch):
    teaching = placed_page(letterhead("Iso' Bâtiment", "12 rue des Lilas 69007 Lyon", "732 829 320 00074", "D-1"))
    layout = learned(teaching, {"raison_sociale_installateur": ("string", "Iso' Bâtiment"),
                                "siret_installateur": ("siret", "73282932000074"),
                                "numero_devis": ("string", "D-1")})
    assert layout.spots["raison_sociale_installateur"][0]["relation"] == "none"
    monkeypatch.setattr(apply, "matching_layout", lambda type_id, pages: (layout, 0.9))
    monkeypatch.setattr(apply, "type_anchors", lambda type_id: {})

    # The scanned page is fed one line higher: at the learned box lies the street line.
    scan = placed_page(letterhead("Habitat Confort", "4 rue Haute 03100 Montluçon", "552 100 554 00013", "D-2"),
                       dx=0.012, dy=-0.03, source="ocr:tesseract")
    values = apply.read_learned_spots(1, scan, SPECS, {})
    assert values["raison_sociale_installateur"].value == "Habitat Confort"
    assert values["siret_installateur"].value == "55210055400013"

    # On a born-digital page the anchors move with the values between them, never the page:
    # a letterhead stays where it was learned though the heading under it moved down.
    letter = placed_page(["Habitat Confort", "4 rue Haute 03100 Montluçon", "", "SIRET : 552 100 554 00013",
                          "", "Devis n° D-2"])
    assert apply.read_learned_spots(1, letter, SPECS, {})["raison_sociale_installateur"].value == "Habitat Confort"


def test_operation_codes_read_at_a_spot_join_those_the_extractor_read(monkeypatch):
    teaching = placed_page(["Opération CEE : BAR-EN-101", "Montant HT : 1 000,00 €"])
    layout = learned(teaching, {"operations": ("cee_code", '["BAR-EN-101"]')})
    layout.spots["operations"][0]["corrections"] = 1  # the extractor's reading was corrected there
    monkeypatch.setattr(apply, "matching_layout", lambda type_id, pages: (layout, 0.9))
    monkeypatch.setattr(apply, "type_anchors", lambda type_id: {})

    # Two products: the learned line holds the first one's code, the extractor read both.
    page = placed_page(["Opération CEE : BAR-EN-101", "Opération CEE : BAR-EN-103", "Montant HT : 2 000,00 €"])
    generic = FieldValue('["BAR-EN-101", "BAR-EN-103"]', "BAR-EN-101 BAR-EN-103", 0.8)
    values = apply.read_learned_spots(1, page, [FieldSpec("operations", "Opérations", "cee_code")],
                                      {"operations": generic})
    assert values["operations"].value == '["BAR-EN-101", "BAR-EN-103"]'


def test_an_anchor_borrowed_from_another_layout_does_not_read_another_fields_value(monkeypatch):
    teaching = placed_page(["Devis n° D-1", "Fait à Lyon, le 12/03/2024"])
    borrowed = learned(teaching, {"date_signature": ("date", "2024-03-12")}).spots["date_signature"]
    assert (borrowed[0]["relation"], borrowed[0]["anchor"]) == ("clause", "fait a")
    monkeypatch.setattr(apply, "matching_layout", lambda type_id, pages: (None, 0.1))
    monkeypatch.setattr(apply, "type_anchors", lambda type_id: {"date_signature": [{**borrowed[0], "fingerprint_id": 2}]})
    specs = [FieldSpec("date_devis", "Date du devis", "date"), FieldSpec("date_signature", "Date de signature", "date")]

    # An unsigned devis of another layout: its dateline is the devis's date, read by the extractor.
    page = placed_page(["DEVIS D-7", "Fait à Valence, le 05/02/2024"])
    values = apply.read_learned_spots(1, page, specs, {"date_devis": FieldValue("2024-02-05", "05/02/2024", 0.9)})
    assert "date_signature" not in values
    # A date no other field holds is still filled from the borrowed anchor.
    values = apply.read_learned_spots(1, page, specs, {"date_devis": FieldValue("2024-01-20", "20/01/2024", 0.9)})
    assert values["date_signature"].value == "2024-02-05"


def test_a_name_under_its_heading_starts_left_of_the_learned_box_after_a_shorter_civility():
    from extraction.learning.spots import read_at

    teaching = placed_page(["Client :", "Madame Thérèse MARTIN", "4 rue Haute"])
    spot = learned(teaching, {"beneficiaire_nom": ("string", "Thérèse MARTIN")}).spots["beneficiaire_nom"][0]
    assert (spot["relation"], spot["anchor"]) == ("above", "client")
    # « M. » is narrower than « Madame »: the first name starts left of where « Thérèse » was
    page = placed_page(["Client :", "M. Jacques BERTIN", "78 ter quai de la Liberté"])
    assert read_at(page, "string", spot).value == "Jacques BERTIN"


def test_a_name_in_a_learned_box_starts_left_of_it_after_a_shorter_civility():
    from extraction.learning.spots import read_at

    teaching = placed_page(["Madame Thérèse MARTIN", "4 rue Haute", "03100 Montluçon"])
    spot = learned(teaching, {"beneficiaire_nom": ("string", "Thérèse MARTIN")}).spots["beneficiaire_nom"][0]
    assert spot["relation"] == "none"
    page = placed_page(["M. Jacques BERTIN", "78 ter quai de la Liberté", "04000 Digne-les-Bains"])
    assert read_at(page, "string", spot).value == "Jacques BERTIN"


def test_a_text_read_at_a_spot_in_another_shape_than_taught_is_another_line(monkeypatch):
    """The recipient block moved up on this letter: the learned box of the name holds the
    street. A name was taught (letters only): a text opening with a house number is refused."""
    from extraction.learning.shapes import with_shape

    teaching = placed_page(["Objet : devis", "", "", "", "", "Madame Thérèse MARTIN", "4 rue Haute", "03100 Montluçon"])
    layout = learned(teaching, {"beneficiaire_nom": ("string", "Thérèse MARTIN")})
    assert layout.spots["beneficiaire_nom"][0]["relation"] == "none"
    layout.spots["beneficiaire_nom"][0]["value_shapes"] = with_shape([], "Thérèse MARTIN")
    monkeypatch.setattr(apply, "matching_layout", lambda type_id, pages: (layout, 0.9))
    monkeypatch.setattr(apply, "type_anchors", lambda type_id: {})
    specs = [FieldSpec("beneficiaire_nom", "Bénéficiaire", "string")]

    moved = placed_page(["Objet : devis", "", "", "", "M. Jacques BERTIN", "7 boulevard des Roses", "04000 Digne-les-Bains"])
    assert "beneficiaire_nom" not in apply.read_learned_spots(1, moved, specs, {})
    in_place = placed_page(["Objet : devis", "", "", "", "", "M. Jacques BERTIN", "7 boulevard des Roses",
                            "04000 Digne-les-Bains"])
    assert apply.read_learned_spots(1, in_place, specs, {})["beneficiaire_nom"].value == "Jacques BERTIN"


def test_an_identifier_read_by_ocr_is_read_again_in_the_numbering_the_layout_taught(monkeypatch):
    from extraction.learning.shapes import with_shape

    teaching = placed_page(["Facture n° FAC001388", "Total TTC : 1 200,00 €"])
    layout = learned(teaching, {"numero_facture": ("string", "FAC001388")})
    layout.spots["numero_facture"][0]["value_shapes"] = with_shape(with_shape([], "FAC001388"), "FAC008085")
    monkeypatch.setattr(apply, "matching_layout", lambda type_id, pages: (layout, 0.9))
    monkeypatch.setattr(apply, "type_anchors", lambda type_id: {})
    specs = [FieldSpec("numero_facture", "Numéro", "string")]

    scan = placed_page(["Facture n° FACO09358", "Total TTC : 1 500,00 €"], source="ocr:tesseract")
    assert apply.read_learned_spots(1, scan, specs, {})["numero_facture"].value == "FAC009358"
    # the extractor's own reading of it too
    generic = {"numero_facture": FieldValue("FACO09358", "FACO09358", 0.89, page=1, bbox=scan[0].words[2].bbox)}
    assert apply.read_learned_spots(1, scan, specs, generic)["numero_facture"].value == "FAC009358"
    # a round glyph read twice, the extractor having made the letter a digit (« FACO008085 »
    # extracted « FAC0008085 », retail dev 1589): read again from the word as the scan read it
    doubled = placed_page(["Facture n° FACO008085", "Total TTC : 1 500,00 €"], source="ocr:tesseract")
    generic = {"numero_facture": FieldValue("FAC0008085", "FACO008085", 0.38, page=1, bbox=doubled[0].words[2].bbox)}
    assert apply.read_learned_spots(1, doubled, specs, generic)["numero_facture"].value == "FAC008085"


def test_an_identifier_of_another_numbering_is_not_read_as_the_layouts(monkeypatch):
    """A template two installers print (software sold to many): the layout taught FAC001388;
    the next document's installer numbers its invoices 202505911. Its text layer is what the
    document says, and a scan's nine digits are not three OCR slips (was « ZOZ505911 », letters
    seed 7311 with shared templates)."""
    from extraction.learning.shapes import in_numbering, in_numbering_as_read, with_shape

    teaching = placed_page(["Facture n° FAC001388", "Total TTC : 1 200,00 €"])
    layout = learned(teaching, {"numero_facture": ("string", "FAC001388")})
    layout.spots["numero_facture"][0]["value_shapes"] = with_shape([], "FAC001388")
    monkeypatch.setattr(apply, "matching_layout", lambda type_id, pages: (layout, 0.9))
    monkeypatch.setattr(apply, "type_anchors", lambda type_id: {})
    specs = [FieldSpec("numero_facture", "Numéro", "string")]

    for source in ("text_layer", "ocr:tesseract"):
        other = placed_page(["Facture n° 202505911", "Total TTC : 1 500,00 €"], source=source)
        generic = {"numero_facture": FieldValue("202505911", "202505911", 0.9, page=1, bbox=other[0].words[2].bbox)}
        assert apply.read_learned_spots(1, other, specs, generic)["numero_facture"].value == "202505911", source
    # a text layer's look-alike is the document's own character
    born_digital = placed_page(["Facture n° FACO09358", "Total TTC : 1 500,00 €"])
    generic = {"numero_facture": FieldValue("FACO09358", "FACO09358", 0.9, page=1, bbox=born_digital[0].words[2].bbox)}
    assert apply.read_learned_spots(1, born_digital, specs, generic)["numero_facture"].value == "FACO09358"
    assert in_numbering("202505911", ["AAA999999"]) == "202505911"
    assert in_numbering("FACO09358", ["AAA999999"]) == "FAC009358"
    # a round glyph read twice: one of the pair is too many; any other extra character stays
    assert in_numbering("FACO000307", ["AAA999999"]) == "FAC000307"
    assert in_numbering("FAC0003077", ["AAA999999"]) == "FAC0003077"
    assert in_numbering_as_read("FAC0008085", "FACO008085", ["AAA999999"]) == "FAC008085"
    assert in_numbering_as_read("FAC0003077", "FAC0003077", ["AAA999999"]) == "FAC0003077"
    assert in_numbering_as_read("FAC0003077", "FAC 0003077", ["AAA999999"]) == "FAC0003077"


def test_an_identifier_read_by_ocr_opens_with_the_head_of_the_layouts_numbering(monkeypatch):
    """Two verdicts taught invoice numbers opening « F- »; a scan reads « E-244733 » (or
    « r-250390 »): one character of the head misread, read again as the layout prints it. Not on
    a text layer, not where the head is two characters away, nor a head one verdict taught on a
    layout only loosely like the document's."""
    from extraction.learning.shapes import value_head, with_head, with_shape

    teaching = placed_page(["ATTESTATION", "Référence de la facture : F-238411"])
    layout = learned(teaching, {"reference_facture": ("string", "F-238411")}, count=2)
    spot = layout.spots["reference_facture"][0]
    spot.update(value_shapes=with_shape([], "F-238411"), value_head="F-")
    monkeypatch.setattr(apply, "matching_layout", lambda type_id, pages: (layout, 0.9))
    monkeypatch.setattr(apply, "type_anchors", lambda type_id: {})
    specs = [FieldSpec("reference_facture", "Référence de la facture", "string")]

    def read(number: str, source: str = "ocr:tesseract", generic: bool = False) -> str | None:
        page = placed_page(["ATTESTATION", f"Référence de la facture : {number}"], source=source)
        values = {"reference_facture": FieldValue(number, number, 0.9, page=1, bbox=page[0].words[-1].bbox)} if generic else {}
        found = apply.read_learned_spots(1, page, specs, values).get("reference_facture")
        return found.value if found else None

    assert read("E-244733") == "F-244733"
    assert read("r-250390", generic=True) == "F-250390"  # the extractor's own reading too
    assert read("E-244733", source="text_layer") == "E-244733"
    assert read("EX-244733") == "EX-244733"
    # another numbering, one letter of the head away: « QE/26616 » on a certificate whose layout's one
    # verdict taught « QB/2021/250797 » (retail dev 1566) is not re-headed
    spot.update(value_shapes=with_shape([], "QB/2021/250797"), value_head="QB/")
    assert read("QE/26616", generic=True) == "QE/26616" and read("QE/2022/301144", generic=True) == "QB/2022/301144"
    spot.update(value_shapes=with_shape([], "F-238411"), value_head="F-")
    spot["count"] = 1  # one document taught it: on the same template (a close match), enough
    assert read("E-244733") == "F-244733"
    monkeypatch.setattr(apply, "matching_layout", lambda type_id, pages: (layout, 0.3))  # a looser match: not
    assert read("E-244733") == "E-244733"
    # one document of this layout, another of the type's layouts (the template's scan learned apart
    # from its born-digital copies) taught the same head: two documents
    other = KnownLayout(2, "", "portrait", frozenset(), {"reference_facture": [{**spot, "fingerprint_id": 2}]})
    monkeypatch.setattr(apply, "known_layouts", lambda type_id: [layout, other])
    assert read("E-244733") == "F-244733"
    assert (value_head("FA-2024-00988"), value_head("F-244733"), value_head("202505911"), value_head("Paul Martin")) == (
        "FA-", "F-", "", "")
    assert with_head("EA-2024-00988", "FA-") == "FA-2024-00988" and with_head("E244733", "F") == "E244733"


def test_a_number_read_at_a_spot_is_followed_by_the_unit_taught_there():
    """A surface was taught under « Isolation » followed by m2; on another letter the word is the
    company's name and the number under it a postal code (letters dev seed 7312: 14000.00 m²
    read from « 14000 Caen » filled the surface the extractor had missed)."""
    from extraction.learning.spots import read_at

    teaching = placed_page(["Isolation", "126,00 m2 x 48,23 €"])
    spot = learned(teaching, {"surface_m2": ("decimal", "126.00")}).spots["surface_m2"][0]
    assert (spot["relation"], spot["followed_by"]) == ("above", "m2")
    assert read_at(placed_page(["Isolation", "93,50 m2 x 51,00 €"]), "decimal", spot).value == "93.50"
    assert read_at(placed_page(["Isolation", "93,50 m? x 51,00 €"], source="ocr:tesseract"), "decimal", spot).value == "93.50"
    assert read_at(placed_page(["Isolation", "14000 Caen - 01 64 24 39 14"]), "decimal", spot) is None


def test_on_a_scan_whose_ocr_misread_a_spots_anchor_the_value_is_read_in_the_spots_box(monkeypatch):
    lines = ["ATTESTATION SUR L'HONNEUR", "Date d'engagement 07/05/2024 Date d'achèvement 24/05/2024"]
    layout = learned(placed_page(lines), {"date_achevement": ("date", "2024-05-24")})
    assert layout.spots["date_achevement"][0]["anchor"] == "date d achevement"
    monkeypatch.setattr(apply, "type_anchors", lambda type_id: {})
    specs = [FieldSpec("date_achevement", "Date d'achèvement", "date")]
    # the same template photographed: OCR read « Dale dci » for « Date d'achèvement », the values stand where printed
    misread = {"d'achèvement": "dci", "07/05/2024": "07/07/2024", "24/05/2024": "24/07/2024"}
    taught = placed_page(lines)[0].words
    words = [Word(misread.get(w.text, "Dale" if k == 6 else w.text), w.bbox) for k, w in enumerate(taught)]
    assert " ".join(w.text for w in words[3:]) == "Date d'engagement 07/07/2024 Dale dci 24/07/2024"
    for score, source, expected in ((0.9, "ocr:tesseract", "2024-07-24"),
                                    (0.3, "ocr:tesseract", None),  # a looser match: not the same template's box
                                    (0.9, "text_layer", None)):  # a text layer prints its anchor
        monkeypatch.setattr(apply, "matching_layout", lambda type_id, pages, score=score: (layout, score))
        got = apply.read_learned_spots(1, [PageContent(1, "", words, 595, 842, source)], specs, {})
        assert (got["date_achevement"].value if "date_achevement" in got else None) == expected


def test_a_value_read_in_a_spots_box_for_its_unread_anchor_does_not_overrule_a_reading_never_corrected(monkeypatch):
    """A certificate's dates taught after the domain's words (another domain on the next one): the
    box of the teaching document's row is another row here; the extractor, never corrected on
    the layout, keeps its date. Where its readings were corrected, the box's value replaces it."""
    lines = ["CERTIFICAT", "Chauffe-eau thermodynamique 04/05/2023"]
    layout = learned(placed_page(lines), {"date_debut_validite": ("date", "2023-05-04")})
    monkeypatch.setattr(apply, "type_anchors", lambda type_id: {})
    monkeypatch.setattr(apply, "matching_layout", lambda type_id, pages: (layout, 0.9))
    specs = [FieldSpec("date_debut_validite", "Début", "date")]
    scan = placed_page(["CERTIFICAT", "Pompe à chaleur air/eau split 19/11/2021", "Chauffe-eau solaire 04/05/2023"],
                      source="ocr:tesseract")
    right = next(w for w in scan[0].words if w.text == "04/05/2023")
    generic = {"date_debut_validite": FieldValue("2023-05-04", "04/05/2023", 0.8, page=1, bbox=right.bbox)}
    assert apply.read_learned_spots(1, scan, specs, dict(generic))["date_debut_validite"].value == "2023-05-04"
    assert apply.read_learned_spots(1, scan, specs, {})["date_debut_validite"].value == "2021-11-19"  # fills a miss
    layout.spots["date_debut_validite"][0]["corrections"] = 1
    assert apply.read_learned_spots(1, scan, specs, dict(generic))["date_debut_validite"].value == "2021-11-19"


def test_a_header_box_whose_anchor_ocr_misread_is_read_where_learned_when_the_lines_below_moved_up(monkeypatch):
    """The invoice's number after « Facture n° »: on the next scan of the template OCR misread the
    label (« Fadlure »), and two item lines fewer moved the totals and the footer up. The box,
    moved as those anchors moved, holds nothing; where it was learned, the page did not move, it
    holds the number."""
    def facture(number: str, items: list[str], label: str = "Facture") -> list[PageContent]:
        pages = placed_page(["PRO LEFEVRE", f"{label} n° {number}", "", "Désignation", *items, "Total HT 100,00",
                             "Total TTC 110,00", "Conditions de règlement : 30 jours"], source="ocr:tesseract")
        # the number in a cell of its own, right of its label
        pages[0].words[:] = [Word(w.text, (w.bbox[0] + 0.1, w.bbox[1], w.bbox[2] + 0.1, w.bbox[3]))
                             if w.text == number else w for w in pages[0].words]
        return pages

    teaching = facture("202502950", ["Article un", "Article deux", "Article trois"])
    layout = learned(teaching, {"numero_facture": ("string", "202502950"), "montant_ht": ("decimal", "100.00"),
                                "montant_ttc": ("decimal", "110.00"), "conditions": ("string", "30 jours")})
    assert layout.spots["numero_facture"][0]["anchor"] == "facture no"
    monkeypatch.setattr(apply, "matching_layout", lambda type_id, pages: (layout, 0.9))
    monkeypatch.setattr(apply, "type_anchors", lambda type_id: {})
    specs = [FieldSpec("numero_facture", "Numéro", "string")]
    scan = facture("202503117", ["Article un"], label="Fadlure")
    assert apply.read_learned_spots(1, scan, specs, {})["numero_facture"].value == "202503117"


def test_a_box_read_for_an_anchor_ocr_garbled_leaves_the_garbled_anchor_out(monkeypatch):
    lines = ["ATTESTATION SUR L'HONNEUR", "Code postal : 73000 Commune : Chambéry"]
    layout = learned(placed_page(lines), {"beneficiaire_ville": ("string", "Chambéry")})
    assert layout.spots["beneficiaire_ville"][0]["anchor"] == "commune"
    monkeypatch.setattr(apply, "type_anchors", lambda type_id: {})
    monkeypatch.setattr(apply, "matching_layout", lambda type_id, pages: (layout, 0.9))
    specs = [FieldSpec("beneficiaire_ville", "Commune", "string")]
    scan = placed_page(["ATTESTATION SUR L'HONNEUR", "Code postal : 79000 Conmunee Niort"], source="ocr:tesseract")
    assert apply.read_learned_spots(1, scan, specs, {})["beneficiaire_ville"].value == "Niort"


def test_a_box_read_for_an_anchor_a_scan_once_misread_does_not_overrule_a_name_read_elsewhere(monkeypatch):
    """The layout taught the name after « Nom » six times, and once after « Nos » (OCR's misreading,
    the extractor corrected there). On the next scan « Nom » gives the surname alone (part of the
    extractor's reading) and « Nos » is nowhere: its box holds the section's heading. The
    extractor's « Nath Leclerc », read at no spot, stands: a box read for a lost anchor fills a
    field, it does not overrule one as the words before a value do."""
    scan = placed_page(["ATTESTATION SUR L'HONNEUR", "B - Bénéficiaire de l'opération",
                        "Nom : Leclerc Prénom : Nath"], source="ocr:tesseract")
    words = {w.text: w.bbox for w in scan[0].words}
    layout = KnownLayout(1, "", "portrait", frozenset())
    spot = {"fingerprint_id": 1, "schema__name": "beneficiaire_nom", "absent": False, "page": 1, "relation": "left",
            "bbox": [0.128, 0.13, 0.3, 0.142], "offset": [0.05, 0, 0.2, 0], "value_words": 4, "followed_by": "",
            "clauses_skipped": 0, "words_skipped": 0}
    layout.spots["beneficiaire_nom"] = [{**spot, "anchor": "nom", "count": 6, "corrections": 0},
                                        {**spot, "anchor": "nos", "count": 1, "corrections": 1}]
    reads = {"nom": [(FieldValue("Leclerc", "Leclerc", 0.0, 1, words["Leclerc"]), False)],
             "nos": [(None, False), (FieldValue("Bénéficiaire de l'opération", "Bénéficiaire de l'opération", 0.0, 1,
                                                words["Bénéficiaire"]), True)]}
    monkeypatch.setattr(apply, "_spot_reads", lambda layout, score, spot, *args: iter(reads[spot["anchor"]]))
    monkeypatch.setattr(apply, "matching_layout", lambda type_id, pages: (layout, 0.9))
    monkeypatch.setattr(apply, "type_anchors", lambda type_id: {})
    generic = FieldValue("Nath Leclerc", "Leclerc Nath", 0.7, page=1,
                         bbox=(words["Leclerc"][0], words["Leclerc"][1], words["Nath"][2], words["Nath"][3]))
    specs = [FieldSpec("beneficiaire_nom", "Nom", "string")]
    assert apply.read_learned_spots(1, scan, specs, {"beneficiaire_nom": generic})["beneficiaire_nom"].value == "Nath Leclerc"


def test_an_anchor_a_scan_misread_one_middle_word_of_is_still_found_where_it_was_learned(monkeypatch):
    """« Livraison / pose chez » over the client's name on a store's invoice, read « Livraison / 2
    chez » on the next document's photo (retail dev 1589): an anchor of three words or more, its
    first and last spelt right, is found near where it was learned. Not on a text layer, nor a
    two-word anchor, nor far from the learned place."""
    teaching = placed_page(["Facture FAC008085", "Livraison pose chez", "M. et Mme TEXIER Anastasie",
                            "25 place Jules Ferry", "02100 Saint-Quentin"])
    layout = learned(teaching, {"beneficiaire_nom": ("string", "TEXIER Anastasie")}, count=2)
    assert layout.spots["beneficiaire_nom"][0]["anchor"] == "livraison pose chez"
    monkeypatch.setattr(apply, "matching_layout", lambda type_id, pages: (layout, 0.9))
    monkeypatch.setattr(apply, "type_anchors", lambda type_id: {})
    specs = [FieldSpec("beneficiaire_nom", "Nom", "string")]
    # the block one line lower: the learned box holds the anchor's line
    lines = ["Facture FAC008092", "Commande 8420752122", "Livraison 2 chez", "M. et Mme GILLES Alexandre",
             "90 bis avenue de Verdun", "66000 Perpignan"]

    scan = placed_page(lines, source="ocr:tesseract")
    assert apply.read_learned_spots(1, scan, specs, {})["beneficiaire_nom"].value == "GILLES Alexandre"
    assert apply.read_learned_spots(1, placed_page(lines), specs, {}).get("beneficiaire_nom") is None
    far = placed_page(["Facture FAC008092", "", "", "", "", "Livraison 2 chez", "M. et Mme GILLES Alexandre"],
                      source="ocr:tesseract")
    assert "beneficiaire_nom" not in apply.read_learned_spots(1, far, specs, {})


def test_an_identifier_read_at_a_spot_with_a_mark_ocr_misread_is_read_in_the_layouts_numbering(monkeypatch):
    """« FA:2025-00390 » where the layout prints FA-2025-00390 (office dev 1443): the colon fails
    the invoice number's ``value_regex``, the field was left empty; the spot's taught shape reads
    the mark again. Letters and digits are as they were (« FAX2025-00390 » is not taken)."""
    from extraction.learning.shapes import in_numbering, with_shape

    teaching = placed_page(["Facture", "N° facture : FA-2025-00311", "Total TTC : 1 200,00 €"])
    layout = learned(teaching, {"numero_facture": ("string", "FA-2025-00311")}, count=2)
    layout.spots["numero_facture"][0]["value_shapes"] = with_shape([], "FA-2025-00311")
    monkeypatch.setattr(apply, "matching_layout", lambda type_id, pages: (layout, 0.9))
    monkeypatch.setattr(apply, "type_anchors", lambda type_id: {})
    regex = r"^(?=[A-Z0-9\-/_.]{4,})([A-Z0-9][A-Z0-9\-/_.]*\d)"
    specs = [FieldSpec("numero_facture", "Numéro", "string", hints={"value_regex": regex})]

    scan = placed_page(["Facture", "N° facture : FA:2025-00390", "Total TTC : 1 500,00 €"], source="ocr:tesseract")
    assert apply.read_learned_spots(1, scan, specs, {})["numero_facture"].value == "FA-2025-00390"
    assert in_numbering("FA:2025-00390", ["AA-9999-99999"]) == "FA-2025-00390"
    assert in_numbering("FA-2025:00390", ["AA-9999-99999"]) == "FA-2025-00390"
    assert in_numbering("FAX2025-00390", ["AA-9999-99999"]) == "FAX2025-00390"
