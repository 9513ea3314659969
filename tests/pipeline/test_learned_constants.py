"""A layout's constants: the values its verdicts taught the same on every document (the issuer's
name and SIRET), read again on the next documents whatever a scan did to their letters."""
from __future__ import annotations

from dataclasses import replace

import pytest

from extraction.learning.constants import as_constant, constant_differs, constants_of, holds
from extraction.types import FieldSpec, FieldValue
from tests.pipeline.test_learned_spots import _learned, sentence_page
from tests.pipeline.test_learning import correct, ingest, letter_facture, value_of


def spot(constant: str | None, count: int = 1, absent: bool = False) -> dict:
    return {"constant": constant, "count": count, "absent": absent, "relation": "left", "anchor": "", "page": 1,
            "bbox": None, "offset": None, "corrections": 0}


def test_a_constant_takes_two_documents_and_every_verdict_agreeing():
    assert constants_of([spot("HABITATSUD", 2)]) == [("HABITATSUD", 2)]
    # two spots of the field (the letterhead, the footer) taught the same name: they add up
    assert constants_of([spot("HABITATSUD"), spot("Habitatsud")]) == [("HABITATSUD", 2)]
    assert constants_of([spot("HABITATSUD", 1)]) == []  # one document: the issuer's name or the recipient's?
    assert constants_of([spot("Adrien Thomas"), spot("Chantal Vincent")]) == []  # a recipient: another each time
    assert constants_of([spot("HABITATSUD", 3), spot(None, 1)]) == []  # a spot whose verdicts taught two values
    assert constants_of([spot("HABITATSUD", 2), spot(None, 5, absent=True)]) == [("HABITATSUD", 2)]
    # a cadre template two obligés share: each one's name after its own heading
    assert constants_of([spot("Cofidis Énergie", 2), spot("Combustibles Moreau", 8)]) == [
        ("Combustibles Moreau", 8), ("Cofidis Énergie", 2)]
    assert constant_differs("HABITATSUD", "Chantal Vincent") and not constant_differs("HABITATSUD", "Habitatsud")
    assert not constant_differs(None, "HABITATSUD")  # a spot that varied stays without a constant


def test_a_reading_holds_the_constant_word_for_word_or_on_a_scan_a_letter_or_two_away():
    assert holds("Département CEE — Cofidis Énergie Partenaires", "string", "Cofidis Énergie Partenaires", fuzzy=False)
    assert not holds("HABITATSUP", "string", "HABITATSUD", fuzzy=False)  # a text layer prints what it prints
    assert holds("HABITATSUP", "string", "HABITATSUD", fuzzy=True)
    assert holds("HABTATNOEOR HuGO", "string", "Habitatnord", fuzzy=True)
    assert holds("Expert Perin", "string", "Expert Perrin", fuzzy=True)
    assert not holds("Expert Bernard", "string", "Expert Perrin", fuzzy=True)  # another company
    assert not holds("ECO", "string", "EGO", fuzzy=True)  # too short to tell a misreading from another word
    assert holds("35475305900086", "siret", "95475305900086", fuzzy=True)
    assert not holds("35475305900086", "siret", "95475305900086", fuzzy=False)
    assert not holds("35475305911186", "siret", "95475305900086", fuzzy=True)  # four digits: another SIRET
    obliges = [("Combustibles Moreau", 8), ("Cofidis Énergie Partenaires", 2)]
    read = FieldValue("Département CEE — Cofidis Énergie Partenaires", "", 0.8)
    assert as_constant(read, "string", obliges, fuzzy=False) == "Cofidis Énergie Partenaires"
    read = FieldValue("Cofidis Énergie Partenaires", "", 0.8)
    assert as_constant(read, "string", obliges, fuzzy=True) is None  # already the constant: nothing to do
    read = FieldValue("Total Énergies Marketing", "", 0.8)
    assert as_constant(read, "string", obliges, fuzzy=True) is None


def scanned(pages):
    return [replace(page, source="ocr:tesseract") for page in pages]


def _read(pages, spec: FieldSpec, generic: str | None):
    from extraction.learning.apply import read_learned_spots

    values = {}
    if generic is not None:
        word = next(w for w in pages[0].words if w.text == generic.split()[0])
        values[spec.name] = FieldValue(generic, generic, 0.6, page=1, bbox=word.bbox)
    return read_learned_spots(1, pages, [spec], values).get(spec.name)


NAME = FieldSpec("raison_sociale_installateur", "Raison sociale", "string")
SIRET = FieldSpec("siret_installateur", "SIRET", "siret")


def test_on_a_scan_a_garbled_issuer_name_or_siret_is_read_as_the_layouts_constant(monkeypatch):
    page = scanned(sentence_page("HABITATSUP", "12 rue des Artisans 69007 Lyon", "SIRET : 35475305900086"))
    _learned(monkeypatch, page, {"raison_sociale_installateur": [spot("HABITATSUD", 2)],
                                 "siret_installateur": [spot("95475305900086", 3)]})
    found = _read(page, NAME, "HABITATSUP")
    assert found.value == "HABITATSUD" and found.confidence > 0.6
    assert _read(page, SIRET, "35475305900086").value == "95475305900086"


def test_a_missed_issuer_name_is_the_constant_where_a_line_of_the_page_holds_it(monkeypatch):
    page = scanned(sentence_page("Devis n° D-12", "Expert Perin - 4 rue Haute 03100 Montluçon"))
    _learned(monkeypatch, page, {"raison_sociale_installateur": [spot("Expert Perrin", 2)]})
    found = _read(page, NAME, None)
    assert (found.value, found.page) == ("Expert Perrin", 1)
    other = scanned(sentence_page("Devis n° D-12", "Isolation Martel - 4 rue Haute 03100 Montluçon"))
    _learned(monkeypatch, other, {"raison_sociale_installateur": [spot("Expert Perrin", 2)]})
    assert _read(other, NAME, None) is None  # the page does not print it: nothing invented


def test_another_reading_gives_way_to_the_constant_the_page_prints(monkeypatch):
    page = scanned(sentence_page("ÉNERGIES PERRIN", "SIRET : 89126493900077", "Magasin partenaire SIRET 83295159400031"))
    _learned(monkeypatch, page, {"raison_sociale_installateur": [spot("ÉNERGIES PERRIN", 2)],
                                 "siret_installateur": [spot("89126493900077", 2)]})
    assert _read(page, NAME, "PERRIN").value == "ÉNERGIES PERRIN"  # a part of the name
    assert _read(page, SIRET, "83295159400031").value == "89126493900077"  # the store's SIRET beside it
    # a page that does not print it keeps what it read
    page = scanned(sentence_page("RÉNOVATION MARTIN", "SIRET : 73282932000074"))
    _learned(monkeypatch, page, {"raison_sociale_installateur": [spot("ÉNERGIES PERRIN", 2)]})
    assert _read(page, NAME, "RÉNOVATION MARTIN").value == "RÉNOVATION MARTIN"


def test_a_part_of_the_issuers_name_is_its_name_where_the_page_prints_the_issuers_siret(monkeypatch):
    from extraction.learning import apply
    from extraction.learning.selectors import KnownLayout

    def read_with_issuer(lines: tuple[str, ...], issuer: str):
        page = scanned(sentence_page(*lines))
        _learned(monkeypatch, page, {"raison_sociale_installateur": [spot("ÉNERGIES PERRIN", 2)]})
        (layout,) = apply.known_layouts(1)
        monkeypatch.setattr(apply, "known_layouts",
                            lambda type_id: [KnownLayout(layout.pk, issuer, layout.shape, layout.features, layout.spots)])
        return _read(page, NAME, "PERRIN").value

    # the scan lost « ÉNERGIES » of the footer « ÉNERGIES PERRIN - EURL au capital de 50 000 € »
    footer = ("PERRIN - EURL au capital de 50 000 €", "SIRET : 566 086 419 10065")
    assert read_with_issuer(footer, "56608641910065") == "ÉNERGIES PERRIN"
    assert read_with_issuer(footer[:1], "56608641910065") == "PERRIN"  # no SIRET printed: maybe another Perrin


def test_a_text_layer_or_a_single_document_keeps_what_it_read(monkeypatch):
    page = sentence_page("HABITATSUP", "12 rue des Artisans 69007 Lyon")
    _learned(monkeypatch, page, {"raison_sociale_installateur": [spot("HABITATSUD", 2)]})
    assert _read(page, NAME, "HABITATSUP").value == "HABITATSUP"  # born digital: another company's name
    page = scanned(page)
    _learned(monkeypatch, page, {"raison_sociale_installateur": [spot("HABITATSUD", 1)]})
    assert _read(page, NAME, "HABITATSUP").value == "HABITATSUP"


def test_a_document_printing_another_issuers_siret_keeps_its_reading(monkeypatch):
    from extraction.learning import apply
    from extraction.learning.selectors import KnownLayout

    page = scanned(sentence_page("Expert Perin", "SIRET : 73282932000074"))
    _learned(monkeypatch, page, {"raison_sociale_installateur": [spot("Expert Perrin", 2)]})
    (layout,) = apply.known_layouts(1)
    monkeypatch.setattr(apply, "known_layouts",
                        lambda type_id: [KnownLayout(layout.pk, "95475305900086", layout.shape, layout.features, layout.spots)])
    assert _read(page, NAME, "Expert Perin").value == "Expert Perin"


def test_a_client_company_s_siret_read_first_does_not_hide_the_issuer_s_printed_below(monkeypatch):
    """A store's quote to an SCI, scanned: the client's SIRET is the first one the page prints,
    the issuer's footer below it came out garbled (« 6795) 7940900039 »). The layout's issuer is
    printed all the same: its constants are read (retail dev 1589: the client's SIRET and the
    logo's « PCT » were the installer's)."""
    from extraction.learning import apply
    from extraction.learning.fingerprint import prints_siret
    from extraction.learning.selectors import KnownLayout

    def read(lines: tuple[str, ...], spec: FieldSpec, generic: str):
        page = scanned(sentence_page(*lines))
        _learned(monkeypatch, page, {"raison_sociale_installateur": [spot("CONFORTCONFORT", 2)],
                                     "siret_installateur": [spot("67957940900039", 2)]})
        (layout,) = apply.known_layouts(1)
        monkeypatch.setattr(apply, "known_layouts", lambda type_id: [
            KnownLayout(layout.pk, "67957940900039", layout.shape, layout.features, layout.spots)])
        return _read(page, spec, generic).value

    quote = ("PCT Agence CONFORTCONFORT Rouen", "Informations client SCI du Moulin SIRET 91083748300056",
             "RCS Bastia 679 579 409 - SIRET 6795) 7940900039 - N° TVA")
    assert read(quote, SIRET, "91083748300056") == "67957940900039"
    assert read(quote, NAME, "PCT") == "CONFORTCONFORT"
    # another company's quote, printing only its own client's SIRET: its reading stays
    assert read(quote[:2], SIRET, "91083748300056") == "91083748300056"
    assert prints_siret(scanned(sentence_page("SIRET 679 579 409 00039")), "67957940900039")
    assert not prints_siret(scanned(sentence_page("SIRET 679 579 409 00038")), "67957940900039")
    assert not prints_siret(scanned(sentence_page("N° 1679579409000391")), "67957940900039")


@pytest.mark.django_db
def test_verdicts_teach_a_constant_while_they_agree(tmp_path, validator, administrator, client):
    from django.urls import reverse

    from extraction.models import LearnedFieldLocation

    first = ingest(tmp_path, "f1.pdf", letter_facture("F-1", "Ginette Guyot", "4 rue Haute", "03100 Montluçon", "10 550,00"))
    second = ingest(tmp_path, "f2.pdf", letter_facture("F-2", "Paul Martin", "18 avenue Foch", "75016 Paris", "9 120,00"))
    assert value_of(first, "siret_installateur") == "73282932000074"
    for document, name, total in ((first, "Ginette Guyot", "10550.00"), (second, "Paul Martin", "9120.00")):
        correct(document["id"], "siret_installateur", "73282932000074", validator)
        correct(document["id"], "beneficiaire_nom", name, validator)
        correct(document["id"], "montant_ttc", total, validator)
    sirets = LearnedFieldLocation.objects.filter(schema__name="siret_installateur", absent=False)
    assert {row.constant for row in sirets} == {"73282932000074"} and sum(row.count for row in sirets) == 2
    names = LearnedFieldLocation.objects.filter(schema__name="beneficiaire_nom", absent=False)
    assert {row.constant for row in names} <= {None, "Ginette Guyot", "Paul Martin"}
    assert names.exists() and constants_of([{"constant": row.constant, "count": row.count, "absent": row.absent}
                                           for row in names]) == []
    amounts = LearnedFieldLocation.objects.filter(schema__name="montant_ttc", absent=False)
    assert amounts.exists() and all(row.constant is None for row in amounts)  # numbers change from one document to the next
    client.force_login(administrator)  # the administrator sees it, and can switch the location off
    response = client.get(reverse("admin:extraction_learnedfieldlocation_changelist"), {"q": "73282932000074"})
    assert response.status_code == 200 and "Valeur constante" in response.content.decode()
    assert f"/{sirets[0].pk}/change/" in response.content.decode()
