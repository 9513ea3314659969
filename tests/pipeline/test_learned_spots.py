"""Reading at a learned spot, as pure functions of the pages (no database)."""
from __future__ import annotations

from extraction.learning.spots import locate, read_at
from extraction.types import PageContent, Word


def sentence_page(*lines: str) -> list[PageContent]:
    """One page whose lines are written word after word at a fixed pitch (a born-digital letter)."""
    words = []
    for row, text in enumerate(lines):
        x = 0.08
        for token in text.split():
            width = 0.009 * len(token)
            words.append(Word(token, (x, 0.2 + 0.03 * row, x + width, 0.212 + 0.03 * row)))
            x += width + 0.006
    return [PageContent(1, "\n".join(lines), words, 595, 842)]


def spot_data(spot) -> dict:
    return {"page": spot.page, "bbox": list(spot.bbox), "relation": spot.relation, "anchor": " ".join(spot.anchor),
            "offset": spot.offset, "value_words": spot.value_words, "followed_by": spot.followed_by,
            "clauses_skipped": spot.clauses_skipped, "words_skipped": spot.words_skipped,
            "values_skipped": spot.values_skipped}


def attestation(name: str, street: str, postal_code: str, city: str) -> list[PageContent]:
    return sentence_page("ATTESTATION SUR L'HONNEUR",
                         f"Je soussigné(e) {name}, demeurant {street}, {postal_code} {city}, atteste sur l'honneur",
                         "que les travaux ont été achevés.")


def test_a_value_after_another_value_in_a_sentence_is_anchored_on_the_clause_that_opens_them():
    first = attestation("COHEN Gilles", "155 ter route du Château", "20000", "Ajaccio")
    postal = locate(first, "string", "20000")
    town = locate(first, "string", "Ajaccio")
    # not the street's last words ("route du chateau"): those are the next document's value
    assert (postal.relation, postal.anchor, postal.clauses_skipped, postal.words_skipped) == ("clause", ("demeurant",), 1, 0)
    assert (town.relation, town.anchor, town.clauses_skipped, town.words_skipped) == ("clause", ("demeurant",), 1, 1)

    second = attestation("MICHEL Renée", "65 impasse des Roses", "74000", "Annecy")
    assert read_at(second, "string", spot_data(postal)).value == "74000"
    assert read_at(second, "string", spot_data(town)).value == "Annecy"


def test_a_value_right_after_its_label_keeps_the_label_as_anchor():
    first = attestation("COHEN Gilles", "155 ter route du Château", "20000", "Ajaccio")
    street = locate(first, "string", "155 ter route du Château")
    assert (street.relation, street.anchor) == ("left", ("demeurant",))
    second = attestation("MICHEL Renée", "65 impasse des Roses", "74000", "Annecy")
    assert read_at(second, "string", spot_data(street)).value == "65 impasse des Roses"


def test_a_name_read_at_a_learned_spot_leaves_the_civilities_out():
    first = sentence_page("Déclarant :", "M. OU MME LEMAÎTRE ALPHONSE")
    spot = locate(first, "string", "LEMAÎTRE ALPHONSE")
    second = sentence_page("Déclarant :", "M. OU MME DURAND PAUL")
    assert read_at(second, "string", spot_data(spot)).value == "DURAND PAUL"


def recipient_letter(name: str, street: str, town: str) -> list[PageContent]:
    return sentence_page("Maître d'ouvrage :", name, street, town, "Objet : votre devis")


def test_a_name_is_not_the_anchor_of_the_address_under_it():
    first = recipient_letter("Madame Virginie MENARD", "65 route Lamartine", "84000 Avignon")
    street = locate(first, "string", "65 route Lamartine", other_values=["Virginie Menard", "84000", "Avignon"])
    # the next document prints another name: the heading over the block is the anchor
    assert (street.relation, street.anchor) == ("above", ("maitre", "d", "ouvrage"))
    second = recipient_letter("Monsieur Aimé DE OLIVEIRA", "12 rue des Lilas", "29200 Brest")
    assert read_at(second, "string", spot_data(street)).value == "12 rue des Lilas"


def test_a_confirmed_value_printed_twice_is_located_where_the_extractor_read_it():
    pages = sentence_page("Travaux terminés le 12/06/2024", "Facture du 12/06/2024")
    invoice_date = pages[0].words[-1]
    spot = locate(pages, "date", "2024-06-12", extracted_at=(1, invoice_date.bbox))
    assert spot.anchor == ("facture", "du")
    assert locate(pages, "date", "2024-06-12").anchor == ("travaux", "termines")


def _learned(monkeypatch, pages, spots: dict[str, list[dict]], similarity: float = 1.0):
    """The learning's reads replaced by one layout holding ``spots``, the pages' own words (or
    about ``similarity`` of them: a looser match, as a scan of the template)."""
    from extraction.learning import apply
    from extraction.learning.fingerprint import layout_features, page_shape
    from extraction.learning.selectors import KnownLayout

    features = layout_features(pages)
    layout = KnownLayout(1, "", page_shape(pages), frozenset(features[:round(len(features) * similarity)]), spots)
    monkeypatch.setattr(apply, "learning_on", lambda: True)
    monkeypatch.setattr(apply, "known_layouts", lambda type_id: [layout])
    monkeypatch.setattr(apply, "type_anchors", lambda type_id: {})


def _read_value(pages, name: str, data_type: str, generic: str | None):
    from extraction.learning.apply import read_learned_spots
    from extraction.types import FieldSpec, FieldValue

    values = {} if generic is None else {name: FieldValue(generic, generic, 0.5)}
    labels = {"montant_ttc": {"total ttc": 1}, "etas": {"etas": 1}, "cop": {"cop": 1}}.get(name, {})  # as the hints say
    return read_learned_spots(1, pages, [FieldSpec(name, name, data_type, hints={"labels": labels})], values).get(name)


def _read(pages, name: str, data_type: str, generic: str | None):
    found = _read_value(pages, name, data_type, generic)
    return found.value if found else None


def test_a_learned_spot_overrules_the_extractor_only_where_verdicts_corrected_it(monkeypatch):
    taught = sentence_page("Facture n° F-1", "Total TTC : 1 200,00 €", "Acompte versé : 200,00 €")
    spot = {**spot_data(locate(taught, "decimal", "1200.00")), "absent": False, "count": 2}
    page = sentence_page("Facture n° F-2", "Total TTC : 1 500,00 €", "Acompte versé : 300,00 €")

    # both verdicts confirmed what the extractor read: it reads this layout right, a spot cannot do better
    _learned(monkeypatch, page, {"montant_ttc": [{**spot, "corrections": 0}]})
    assert _read(page, "montant_ttc", "decimal", "300.00") == "300.00"
    assert _read(page, "montant_ttc", "decimal", None) == "1500.00"  # what it missed is filled
    agreeing = _read_value(page, "montant_ttc", "decimal", "1500.00")  # read at the spot too: surer
    assert agreeing.value == "1500.00" and agreeing.confidence > 0.5

    _learned(monkeypatch, page, {"montant_ttc": [{**spot, "corrections": 2}]})
    assert _read(page, "montant_ttc", "decimal", "300.00") == "1500.00"
    # it misread one document of three, and the spot held the value on all three: the spot is surer
    _learned(monkeypatch, page, {"montant_ttc": [{**spot, "count": 3, "corrections": 1}]})
    assert _read(page, "montant_ttc", "decimal", "300.00") == "1500.00"


def test_a_field_taught_absent_drops_a_value_only_where_the_extractor_was_marked_wrong_for_it(monkeypatch):
    page = sentence_page("Facture n° F-2", "Efficacité énergétique saisonnière ETAS : 137 %")
    absent = {"absent": True, "count": 3, "relation": "none", "anchor": "", "page": None, "bbox": None}
    # three invoices of the installer had no heat pump: the extractor rightly read no ETAS on them
    _learned(monkeypatch, page, {"etas": [{**absent, "corrections": 0}]})
    assert _read(page, "etas", "decimal", "137") == "137"

    # it read one where the template prints none, three times
    _learned(monkeypatch, page, {"etas": [{**absent, "corrections": 3}]})
    assert _read(page, "etas", "decimal", "137") is None


def test_a_company_name_is_not_located_inside_its_e_mail_address():
    first = sentence_page("THERMÉNERGIES", "12 rue de la Paix 75002 Paris", "contact@thermenergies.fr")
    spot = locate(first, "string", "Therménergies")
    assert spot.bbox == first[0].words[0].bbox
    only_email = sentence_page("Écrivez-nous : contact@thermenergies.fr")
    assert locate(only_email, "string", "Therménergies") is None


def test_spots_that_read_the_same_value_add_their_verdicts(monkeypatch):
    taught = sentence_page("Facture n° F-1", "Total TTC : 1 200,00 €", "Net à payer : 1 200,00 €", "Réglé : 200,00 €")
    net = [w for w in taught[0].words if w.text == "200,00"][1]  # the second line's amount
    spots = [{**spot_data(spot), "absent": False, "count": 1, "corrections": 1}
             for spot in (locate(taught, "decimal", "1200.00"), locate(taught, "decimal", "1200.00", extracted_at=(1, net.bbox)))]
    assert [s["anchor"] for s in spots] == ["total ttc", "net a payer"]
    page = sentence_page("Facture n° F-2", "Total TTC : 1 500,00 €", "Net à payer : 1 500,00 €", "Réglé : 300,00 €")
    # a loose match (a scan): one verdict alone does not overrule the extractor, two that read one value do
    _learned(monkeypatch, page, {"montant_ttc": spots}, similarity=0.35)
    assert _read(page, "montant_ttc", "decimal", "300.00") == "1500.00"
    _learned(monkeypatch, page, {"montant_ttc": spots[:1]}, similarity=0.35)
    assert _read(page, "montant_ttc", "decimal", "300.00") == "300.00"


def test_an_amount_after_a_rate_or_another_amount_is_anchored_on_the_label_before_them():
    tax = locate(sentence_page("Total HT : 5 461,29 €", "TVA au taux de 5,5 % 300,37 EUR"), "decimal", "300.37")
    assert (tax.relation, tax.anchor, tax.values_skipped) == ("left", ("tva", "au", "taux", "de"), 1)
    # the next invoice: more items above, another rate, a thousands separator
    page = sentence_page("Pose", "Total HT : 5 128,00 €", "TVA au taux de 20 % 1 025,60 EUR")
    assert read_at(page, "decimal", spot_data(tax)).value == "1025.60"

    # a currency is not a label: « EUR » is the end of the amount before
    total = locate(sentence_page("Prix unitaire : 120,00 EUR 240,00 EUR"), "decimal", "240.00")
    assert (total.anchor, total.values_skipped) == (("prix", "unitaire"), 1)
    assert read_at(sentence_page("Prix unitaire : 99,00 EUR 1 188,00 EUR"), "decimal", spot_data(total)).value == "1188.00"


def test_an_anchor_of_the_types_other_layouts_overrules_a_reading_the_types_verdicts_corrected(monkeypatch):
    from extraction.learning import apply
    from extraction.learning.selectors import KnownLayout

    taught = attestation("COHEN Gilles", "155 ter route du Château", "20000", "Ajaccio")
    town = {**spot_data(locate(taught, "string", "Ajaccio")), "absent": False, "count": 2}
    page = attestation("MICHEL Renée", "65 impasse des Roses", "74000", "Annecy")

    def learned(corrections: int):
        # two other installers' attestations (nothing like this page's layout) taught the town twice each
        layouts = [KnownLayout(pk, "", "portrait", frozenset({f"other{pk}@0,0"}),
                               {"beneficiaire_ville": [{**town, "corrections": corrections}]}) for pk in (1, 2)]
        monkeypatch.setattr(apply, "learning_on", lambda: True)
        monkeypatch.setattr(apply, "known_layouts", lambda type_id: layouts)
        monkeypatch.setattr(apply, "type_anchors", lambda type_id: {
            "beneficiaire_ville": [{**town, "corrections": corrections, "fingerprint_id": pk} for pk in (1, 2)]})

    # the extractor read the installer's town on every attestation taught: its reading is not trusted
    learned(corrections=2)
    assert _read(page, "beneficiaire_ville", "string", "AVIGNON") == "Annecy"
    # it was confirmed there: left alone
    learned(corrections=0)
    assert _read(page, "beneficiaire_ville", "string", "AVIGNON") == "AVIGNON"
    assert _read(page, "beneficiaire_ville", "string", None) == "Annecy"


def test_a_value_read_at_a_spot_above_the_fields_max_value_is_not_taken(monkeypatch):
    """An OCR reading « 3.668.441 € » of a premium of 3 668,44 € found at the learned spot neither
    fills the field nor overrules the extractor: the spot respects the field's max_value hint."""
    from extraction.learning.apply import read_learned_spots
    from extraction.types import FieldSpec, FieldValue

    taught = sentence_page("Cadre de contribution", "Montant de la prime CEE : 977,28 €")
    spot = {**spot_data(locate(taught, "decimal", "977.28")), "absent": False, "count": 3, "corrections": 3}
    misread = sentence_page("Cadre de contribution", "Montant de la prime CEE : 3.668.441 €")
    _learned(monkeypatch, misread, {"montant_prime": [spot]})
    capped = FieldSpec("montant_prime", "Montant de la prime CEE", "decimal", hints={"max_value": 50000})
    assert read_learned_spots(1, misread, [capped], {}).get("montant_prime") is None
    generic = {"montant_prime": FieldValue("3668.44", "3 668,44", 0.6)}
    assert read_learned_spots(1, misread, [capped], generic)["montant_prime"].value == "3668.44"
    # without the hint the spot's reading is taken as before
    plain = FieldSpec("montant_prime", "Montant de la prime CEE", "decimal")
    assert read_learned_spots(1, misread, [plain], {})["montant_prime"].value == "3668441.00"


def test_an_ocr_reading_at_a_spot_above_the_fields_max_value_is_read_again_as_the_extractor_reads_it(monkeypatch):
    """Read by OCR, « 3.668.441 € » at the learned spot is 3 668,44 € whose comma was read as a
    dot and a speck as a digit: repaired as the extractor repairs its candidates, not dropped."""
    from dataclasses import replace

    from extraction.learning.apply import read_learned_spots
    from extraction.types import FieldSpec

    taught = sentence_page("Cadre de contribution", "Montant de la prime CEE : 977,28 €")
    spot = {**spot_data(locate(taught, "decimal", "977.28")), "absent": False, "count": 3, "corrections": 3}
    printed = sentence_page("Cadre de contribution", "Montant de la prime CEE : 3.668.441 €")[0]
    scanned = [replace(printed, words=[replace(w, conf=0.83) for w in printed.words], source="ocr:tesseract")]
    _learned(monkeypatch, scanned, {"montant_prime": [spot]})
    capped = FieldSpec("montant_prime", "Montant de la prime CEE", "decimal", hints={"max_value": 50000})
    assert read_learned_spots(1, scanned, [capped], {})["montant_prime"].value == "3668.44"


def test_a_spot_overrules_a_value_the_extractor_read_where_no_spot_of_the_layout_is(monkeypatch):
    """On the teaching attestation the extractor read the town after « demeurant » and was
    confirmed; on the next one it takes the installer's stamp for the recipient: the spot's
    value wins. Where it reads at the spot itself, its reading stands as before."""
    from extraction.types import FieldValue

    taught = attestation("COHEN Gilles", "155 ter route du Château", "20000", "Ajaccio")
    spot = {**spot_data(locate(taught, "string", "Ajaccio")), "absent": False, "count": 1, "corrections": 0}
    page = sentence_page("ATTESTATION SUR L'HONNEUR",
                         "Je soussigné(e) MICHEL Renée, demeurant 65 impasse des Roses, 74000 Annecy, atteste sur l'honneur",
                         "que les travaux ont été achevés.", "Cachet : ISOLEO 26000 VALENCE")
    _learned(monkeypatch, page, {"beneficiaire_ville": [spot]})
    stamp = next(w for w in page[0].words if w.text == "VALENCE")
    from extraction.learning.apply import read_learned_spots
    from extraction.types import FieldSpec

    specs = [FieldSpec("beneficiaire_ville", "Ville", "string")]
    elsewhere = {"beneficiaire_ville": FieldValue("VALENCE", "VALENCE", 0.67, page=1, bbox=stamp.bbox)}
    assert read_learned_spots(1, page, specs, elsewhere)["beneficiaire_ville"].value == "Annecy"
    town = next(w for w in page[0].words if w.text.startswith("Annecy"))
    at_spot = {"beneficiaire_ville": FieldValue("ANNECY-LE-VIEUX", "ANNECY-LE-VIEUX", 0.67, page=1, bbox=town.bbox)}
    assert read_learned_spots(1, page, specs, at_spot)["beneficiaire_ville"].value == "ANNECY-LE-VIEUX"


def test_a_corrected_value_printed_twice_is_located_after_the_fields_configured_label():
    """A correction says which value, not where: of the two places printing the date, the one
    after a label of the field (« Date de facture ») is the invoice's date, not the end of works."""
    pages = sentence_page("Travaux terminés le 12/06/2024", "Date de facture : 12/06/2024")
    labels = [("date", "de", "facture"), ("facture", "du")]
    assert locate(pages, "date", "2024-06-12", labels=labels).anchor == ("date", "de", "facture")
    assert locate(pages, "date", "2024-06-12").anchor == ("travaux", "termines")  # without: the first place


def test_a_number_at_a_spot_does_not_overrule_the_extractors_number_read_elsewhere(monkeypatch):
    from extraction.learning.apply import read_learned_spots
    from extraction.types import FieldSpec, FieldValue

    taught = sentence_page("Isolant résistance 7,20 m2", "Surface : 7,20 m2")
    spot = {**spot_data(locate(taught, "decimal", "7.20")), "absent": False, "count": 1, "corrections": 0}
    assert spot["anchor"] == "isolant resistance"
    page = sentence_page("Isolant résistance 7,20 m2", "Surface : 147,00 m2")
    _learned(monkeypatch, page, {"surface_m2": [spot]})
    surface = next(w for w in page[0].words if w.text == "147,00")
    generic = {"surface_m2": FieldValue("147.00", "147,00", 0.6, page=1, bbox=surface.bbox)}
    assert read_learned_spots(1, page, [FieldSpec("surface_m2", "Surface", "decimal")], generic)["surface_m2"].value == "147.00"


def test_an_anchor_printed_in_two_columns_is_read_where_it_was_learned():
    """« Adresse : » heads the issuer's address and the client's on one line: the client's, learned
    in the right column, is read there."""
    def two_columns(issuer: str, client: str) -> list[PageContent]:
        words, x = [], 0.08
        for token in f"Adresse : {issuer}".split():
            words.append(Word(token, (x, 0.2, x + 0.009 * len(token), 0.212)))
            x += 0.009 * len(token) + 0.006
        x = 0.55
        for token in f"Adresse : {client}".split():
            words.append(Word(token, (x, 0.2, x + 0.009 * len(token), 0.212)))
            x += 0.009 * len(token) + 0.006
        return [PageContent(1, "", words, 595, 842)]

    spot = spot_data(locate(two_columns("156 bis place Gambetta", "49 quai Paul Bert"), "string", "49 quai Paul Bert"))
    assert spot["anchor"] == "adresse"
    assert read_at(two_columns("12 rue Haute", "7 avenue Foch"), "string", spot).value == "7 avenue Foch"


def test_a_value_printed_twice_is_not_located_after_the_label_of_another_field_holding_it():
    # an invoice issued the day its works ended: the end of the works is the date after « au »
    # (where the next invoice prints its own end date), not the one after « Date d'émission »
    pages = sentence_page("Facture N° FAC008344 Date d'émission 2024-09-28",
                          "Date de réalisation des travaux : du 2024-09-24 au 2024-09-28")
    assert locate(pages, "date", "2024-09-28").anchor == ("date", "d", "emission")
    spot = locate(pages, "date", "2024-09-28", foreign_labels=[("date", "d", "emission")])
    assert spot.bbox[1] > 0.22 and spot.anchor != ("date", "d", "emission")
    later = sentence_page("Facture N° FAC009001 Date d'émission 2024-11-02",
                          "Date de réalisation des travaux : du 2024-10-14 au 2024-10-17")
    assert read_at(later, "date", spot_data(spot)).value == "2024-10-17"


def test_a_heading_over_a_value_is_a_label_only_when_it_is_all_its_cell_holds():
    title = sentence_page("IMPÔT SUR LES REVENUS de l'année 2022", "DESCHAMPS LAURENT")
    assert locate(title, "string", "DESCHAMPS LAURENT").anchor == ("impot", "sur", "les", "revenus")
    assert not locate(title, "string", "DESCHAMPS LAURENT").anchor_alone  # a title: no label phrase learned
    heading = sentence_page("Maître d'ouvrage", "DESCHAMPS LAURENT")
    spot = locate(heading, "string", "DESCHAMPS LAURENT")
    assert spot.relation == "above" and spot.anchor_alone


def test_on_a_scan_a_total_after_its_confirmed_label_overrules_the_number_the_extractor_read_elsewhere(monkeypatch):
    """The layout's verdicts only ever confirmed the extractor's total after « Total HT »; on a scan
    of it, OCR noise made the extractor take 171 from « BAR-TH-171 »: the spot's total wins there,
    not on a text layer (where the words before a number are those of another one too often), nor
    for a number outside the totals."""
    from dataclasses import replace as replaced

    from extraction.learning.apply import read_learned_spots
    from extraction.types import FieldSpec, FieldValue

    taught = sentence_page("Opération BAR-TH-171", "Total HT ) 9 100,00 €")
    spot = {**spot_data(locate(taught, "decimal", "9100.00")), "absent": False, "count": 2, "corrections": 0}
    assert spot["anchor"] == "total ht"
    from extraction.corpus.evaluate import load_specs

    specs = [spec for spec in load_specs()["devis"] if spec.name in ("montant_ht", "montant_tva", "montant_ttc")]
    for source, expected in (("ocr:tesseract", "11849.32"), ("text_layer", "171.00")):
        page = [replaced(sentence_page("Opération BAR-TH-171", "Total HT ) 11 849,32 €")[0], source=source)]
        _learned(monkeypatch, page, {"montant_ht": [spot]})
        code = next(w for w in page[0].words if w.text == "BAR-TH-171")
        generic = {"montant_ht": FieldValue("171.00", "171", 0.5, page=1, bbox=code.bbox)}
        assert read_learned_spots(1, page, specs, generic)["montant_ht"].value == expected
    # not a number outside the totals: the efficiency after its label is as often the COP beside it
    taught = sentence_page("Efficacité énergétique saisonnière 126 %", "ETAS : 126 %")
    spot = {**spot_data(locate(taught, "decimal", "126")), "absent": False, "count": 2, "corrections": 0}
    page = [replaced(sentence_page("Efficacité énergétique saisonnière COP 3,22", "ETAS : 115 %")[0], source="ocr:tesseract")]
    _learned(monkeypatch, page, {"etas": [spot]})
    etas = next(w for w in page[0].words if w.text == "115")
    generic = {"etas": FieldValue("115.00", "115", 0.5, page=1, bbox=etas.bbox)}
    assert read_learned_spots(1, page, [FieldSpec("etas", "ETAS", "decimal")], generic)["etas"].value == "115.00"


def test_a_text_read_at_a_spot_out_of_the_fields_shape_is_not_taken(monkeypatch):
    """An invoice of the layout printed its RGE number after « Qualification » ; the next prints a
    sentence there: no RGE number (the field's value_regex, as the extractor's candidates pass it)."""
    from extraction.corpus.evaluate import load_specs
    from extraction.learning.apply import read_learned_spots

    taught = sentence_page("Qualification QPAC/2022/172421", "Total TTC 1 000,00 €")
    spot = {**spot_data(locate(taught, "string", "QPAC/2022/172421")), "absent": False, "count": 1, "corrections": 1}
    assert spot["anchor"] == "qualification"
    spec = next(s for s in load_specs()["facture"] if s.name == "rge_numero")
    for line, expected in (("Qualification QB/2023/55123", "QB/2023/55123"), ("Qualification Pose réalisée le 17", None)):
        page = sentence_page(line, "Total TTC 2 000,00 €")
        _learned(monkeypatch, page, {"rge_numero": [spot]})
        got = read_learned_spots(1, page, [spec], {})
        assert (got["rge_numero"].value if "rge_numero" in got else None) == expected


def test_a_field_the_layouts_documents_went_without_is_filled_only_after_one_of_its_labels(monkeypatch):
    """One devis of the layout printed its surface under « Qté », another had none: a « 1 » under
    « Qté » on the next is no surface; a number after « Surface chauffée » is."""
    from extraction.corpus.evaluate import load_specs
    from extraction.learning.apply import read_learned_spots

    spec = next(s for s in load_specs()["devis"] if s.name == "surface_m2")
    absent = {"absent": True, "count": 1, "corrections": 0, "relation": "none", "page": None, "bbox": None, "anchor": ""}
    under_qte = sentence_page("Qté Désignation", "87,00")
    qte = {**spot_data(locate(under_qte, "decimal", "87.00")), "absent": False, "count": 1, "corrections": 0}
    heated = sentence_page("Surface chauffée 87,00 m2")
    labelled_spot = {**spot_data(locate(heated, "decimal", "87.00")), "absent": False, "count": 1, "corrections": 0}
    assert (qte["relation"], qte["anchor"], labelled_spot["anchor"]) == ("above", "qte designation", "surface chauffee")
    page = sentence_page("Qté Désignation", "1,00")
    _learned(monkeypatch, page, {"surface_m2": [absent, qte]})
    assert "surface_m2" not in read_learned_spots(1, page, [spec], {})
    _learned(monkeypatch, page, {"surface_m2": [qte]})  # a number after words that are no label of it: neither
    assert "surface_m2" not in read_learned_spots(1, page, [spec], {})
    page = sentence_page("Surface chauffée 112,00 m2")
    _learned(monkeypatch, page, {"surface_m2": [absent, labelled_spot]})
    assert read_learned_spots(1, page, [spec], {})["surface_m2"].value == "112.00"
    in_a_sentence = sentence_page("Pompe à chaleur pour une surface chauffée de 87,00 m2")
    sentence_spot = {**spot_data(locate(in_a_sentence, "decimal", "87.00")), "absent": False, "count": 1, "corrections": 0}
    page = sentence_page("Pompe à chaleur pour une surface chauffée de 96,00 m2")
    _learned(monkeypatch, page, {"surface_m2": [sentence_spot]})
    assert read_learned_spots(1, page, [spec], {})["surface_m2"].value == "96.00"


def test_a_siret_ocr_read_at_a_spot_with_a_wrong_luhn_key_is_not_taken(monkeypatch):
    from dataclasses import replace as replaced

    from extraction.learning.apply import read_learned_spots
    from extraction.types import FieldSpec, FieldValue

    taught = sentence_page("SIRET : 89493314210056")
    spot = {**spot_data(locate(taught, "siret", "89493314210056")), "absent": False, "count": 1, "corrections": 1}
    spec = FieldSpec("siret_installateur", "SIRET", "siret")
    for digits, expected in (("80493314210056", "89493314210056"), ("73282932000074", "73282932000074")):
        page = [replaced(sentence_page(f"SIRET : {digits}", "RCS Lyon 894 933 142")[0], source="ocr:tesseract")]
        _learned(monkeypatch, page, {"siret_installateur": [spot]})
        generic = {"siret_installateur": FieldValue("89493314210056", "894 933 142 10056", 0.5, page=1,
                                                    bbox=page[0].words[-1].bbox)}
        assert read_learned_spots(1, page, [spec], generic)["siret_installateur"].value == expected


def test_a_number_is_read_after_another_layouts_anchor_only_where_that_anchor_is_one_of_its_labels(monkeypatch):
    from extraction.learning import apply

    heading = sentence_page("Efficacité énergétique", "4,10")
    over = {**spot_data(locate(heading, "decimal", "4.10")), "absent": False, "count": 2, "corrections": 0}
    labelled_spot = {**spot_data(locate(sentence_page("COP : 4,10"), "decimal", "4.10")), "absent": False, "count": 2,
                     "corrections": 0}
    assert (over["relation"], over["anchor"], labelled_spot["anchor"]) == ("above", "efficacite", "cop")
    monkeypatch.setattr(apply, "learning_on", lambda: True)
    monkeypatch.setattr(apply, "known_layouts", lambda type_id: [])
    for spot, page, expected in ((over, sentence_page("Efficacité énergétique", "5 ans"), None),
                                 (labelled_spot, sentence_page("COP : 3,80"), "3.80")):
        monkeypatch.setattr(apply, "type_anchors", lambda type_id, spot=spot: {"cop": [{**spot, "fingerprint_id": 9}]})
        assert _read(page, "cop", "decimal", None) == expected


def test_a_number_after_its_label_is_read_before_the_next_labels_colons_on_its_line():
    def totals(ht: str, tva: str, ttc: str) -> list[PageContent]:
        return sentence_page("DEVIS N° D-1", f"Montant HT : {ht} € - TVA 5,5 % : {tva} € - Montant TTC : {ttc} €.")

    taught = totals("1 000,00", "55,00", "1 055,00")
    spot = locate(taught, "decimal", "1000.00")
    assert (spot.relation, spot.anchor) == ("left", ("montant", "ht"))
    assert read_at(totals("4 206,13", "231,34", "4 437,47"), "decimal", spot_data(spot)).value == "4206.13"


def identity_form(last_name: str, first_name: str) -> list[PageContent]:
    """A form's identity line in two cells: « Nom : X » on the left, « Prénom : Y » further right."""
    words = []

    def put(text: str, x: float, y: float) -> None:
        for token in text.split():
            width = 0.009 * len(token)
            words.append(Word(token, (x, y, x + width, y + 0.012)))
            x += width + 0.006

    put("1. BÉNÉFICIAIRE DE L'OPÉRATION", 0.10, 0.15)
    put(f"Nom : {last_name}", 0.10, 0.18)
    put(f"Prénom : {first_name}", 0.45, 0.18)
    put("Adresse des travaux : 60 avenue Henri Rolland", 0.10, 0.21)
    return [PageContent(1, "", words, 595, 842)]


def test_a_spot_reading_part_of_the_extractors_name_does_not_overrule_it(monkeypatch):
    """Taught where the name ran across the first name's label (« LÉGER Prénom : Daniel »), the
    spot after « Nom » reads the surname alone on the next form: the extractor's reading, which
    holds it and the first name, stands."""
    spot = locate(identity_form("LÉGER", "Daniel"), "string", "Daniel Léger")
    assert (spot.relation, spot.anchor, spot.value_words) == ("left", ("nom",), 4)
    page = identity_form("SALMON", "Grégoire")
    assert read_at(page, "string", spot_data(spot)).value == "SALMON"
    _learned(monkeypatch, page, {"beneficiaire_nom": [{**spot_data(spot), "absent": False, "count": 3,
                                                       "corrections": 1}]})
    assert _read(page, "beneficiaire_nom", "string", "Grégoire SALMON") == "Grégoire SALMON"
    assert _read(page, "beneficiaire_nom", "string", "Prénom") == "SALMON"  # not a part of it: overruled as before
    assert _read(page, "beneficiaire_nom", "string", None) == "SALMON"  # what it missed is filled


def test_a_spot_reading_part_of_the_extractors_name_backs_it_against_another_spot(monkeypatch):
    """The layout's forms taught the surname after « Nom » three times, and once a company's name
    after « Raison sociale » on the beneficiary's line; on the next form that label is only the
    installer's, lower: the spot that read the surname backs the extractor's whole name against it."""
    from extraction.learning.apply import read_learned_spots
    from extraction.types import FieldSpec, FieldValue

    def form(last_name: str, first_name: str, beneficiary_company: str = "") -> list[PageContent]:
        page = identity_form(last_name, first_name)[0]
        words = list(page.words)
        x = 0.10
        for token in f"Raison sociale : {beneficiary_company}".split() if beneficiary_company else ():
            words.append(Word(token, (x + 0.45, 0.195, x + 0.45 + 0.009 * len(token), 0.207)))
            x += 0.009 * len(token) + 0.006
        x = 0.10
        for token in "3. LE PROFESSIONNEL Raison sociale : Thermsolutions".split():
            words.append(Word(token, (x, 0.50, x + 0.009 * len(token), 0.512)))
            x += 0.009 * len(token) + 0.006
        return [PageContent(1, "", words, 595, 842)]

    by_name = locate(form("LÉGER", "Daniel"), "string", "Daniel Léger")
    by_company = locate(form("", "", "SCI Pichon"), "string", "SCI Pichon")
    assert by_company.anchor == ("raison", "sociale") and by_company.bbox[1] < 0.3
    page = form("SALMON", "Grégoire")
    _learned(monkeypatch, page, {"beneficiaire_nom": [
        {**spot_data(by_name), "absent": False, "count": 3, "corrections": 0},
        {**spot_data(by_company), "absent": False, "count": 1, "corrections": 0}]})
    assert read_at(page, "string", spot_data(by_company)).value == "Thermsolutions"
    name_words = [w for w in page[0].words if w.text in ("SALMON", "Grégoire")]
    generic = FieldValue("Grégoire SALMON", "Grégoire SALMON", 0.8, page=1,
                         bbox=(name_words[0].bbox[0], name_words[0].bbox[1], name_words[-1].bbox[2], name_words[-1].bbox[3]))
    spec = FieldSpec("beneficiaire_nom", "Nom", "string")
    assert read_learned_spots(1, page, [spec], {"beneficiaire_nom": generic})["beneficiaire_nom"].value == "Grégoire SALMON"

    # taught only on the company's form: the spot reads the installer's name, which no beneficiary bears
    _learned(monkeypatch, page, {"beneficiaire_nom": [{**spot_data(by_company), "absent": False, "count": 1,
                                                       "corrections": 0}]})
    installer = FieldValue("Thermsolutions", "Thermsolutions", 0.9, page=1)
    distinct = FieldSpec("beneficiaire_nom", "Nom", "string", hints={"distinct_from": ["raison_sociale_installateur"]})
    specs = [distinct, FieldSpec("raison_sociale_installateur", "Raison sociale", "string")]
    values = {"beneficiaire_nom": generic, "raison_sociale_installateur": installer}
    assert read_learned_spots(1, page, specs, dict(values))["beneficiaire_nom"].value == "Grégoire SALMON"
    assert read_learned_spots(1, page, [spec, specs[1]], dict(values))["beneficiaire_nom"].value == "Thermsolutions"


def recipient_block(name: str, street: str, town: str, speck: bool = False) -> list[PageContent]:
    """A letterhead on the left, the recipient's block on the right without a label; on a scan,
    a speck of dust just above the street, inside its box."""
    words = []

    def put(text: str, x: float, y: float, height: float = 0.012) -> None:
        for token in text.split():
            width = 0.009 * len(token)
            words.append(Word(token, (x, y, x + width, y + height), 0.9))
            x += width + 0.006

    put("ISOLEO SARL", 0.08, 0.10)
    put(name, 0.50, 0.10)
    put(street, 0.50, 0.115)
    put(town, 0.50, 0.13)
    if speck:
        put(".", 0.57, 0.1128, 0.0014)
    return [PageContent(1, "", words, 595, 842, "ocr:tesseract")]


def test_a_box_spot_reads_past_a_specks_line_to_the_value():
    taught = recipient_block("M. Paul MARTIN", "18 avenue Foch", "75016 Paris")
    spot = locate(taught, "string", "18 avenue Foch", other_values=["Paul Martin", "75016", "Paris"])
    assert spot.relation == "none"
    page = recipient_block("M. Guy LEMONNIER", "74 chemin des Tilleuls", "59000 LILLE", speck=True)
    assert read_at(page, "string", spot_data(spot)).value == "74 chemin des Tilleuls"


def _sidebar_page(client_street: str | None, works_street: str) -> list[PageContent]:
    """A sidebar's heading at the left margin, level with the street of the works' address on the
    right; on some documents the client's street, in the middle column, is on that line too."""
    words = []

    def put(text: str, x: float, y: float) -> None:
        for token in text.split():
            width = 0.009 * len(token)
            words.append(Word(token, (x, y, x + width, y + 0.012), 0.95))
            x += width + 0.006

    put("INFORMATIONS LÉGALES", 0.04, 0.215)
    put("Adressé à", 0.35, 0.185)
    put("Adresse du chantier", 0.62, 0.185)
    if client_street:
        put(client_street, 0.35, 0.215)
    put(works_street, 0.62, 0.215)
    return [PageContent(1, "", words, 595, 842, "ocr:tesseract")]


def test_words_far_nearer_a_left_anchor_than_the_learned_value_are_no_reading_of_it():
    spot = locate(_sidebar_page(None, "126 allée du Château"), "string", "126 allée du Château")
    assert (spot.relation, spot.anchor) == ("left", ("informations", "legales"))
    assert read_at(_sidebar_page(None, "8 rue Haute"), "string", spot_data(spot)).value == "8 rue Haute"
    assert read_at(_sidebar_page("4 rue du Lavoir", "136 boulevard des Vignes"), "string", spot_data(spot)) is None


def test_on_a_scan_a_vat_after_the_learned_label_does_not_overrule_totals_that_add_up(monkeypatch):
    """The layout's one-rate devis taught the VAT after « TVA » (one number on, the rate); the next
    has two rates and a « Total TVA »: the extractor's totals add up, the second rate's tax after
    « TVA 10 % » does not overrule them."""
    from dataclasses import replace as replaced

    from extraction.corpus.evaluate import load_specs
    from extraction.learning.apply import read_learned_spots
    from extraction.types import FieldValue

    taught = sentence_page("Total HT 4 000,00 €", "TVA 5,5 % 220,00 €", "TOTAL TTC 4 220,00 €")
    spot = {**spot_data(locate(taught, "decimal", "220.00")), "absent": False, "count": 3, "corrections": 0}
    assert (spot["anchor"], spot["values_skipped"]) == ("tva", 1)
    page = [replaced(sentence_page("Total HT 4 588,30 €", "TVA 5,5 % 246,09 €", "TVA 10 % 11,40 €",
                                   "Total TVA 257,49 €", "TOTAL TTC 4 845,79 €")[0], source="ocr:tesseract")]
    _learned(monkeypatch, page, {"montant_tva": [spot]})
    specs = [spec for spec in load_specs()["devis"] if spec.name in ("montant_ht", "montant_tva", "montant_ttc")]
    box = {w.text: w.bbox for w in page[0].words}
    generic = {"montant_ht": FieldValue("4588.30", "4 588,30", 0.8, page=1, bbox=box["588,30"]),
               "montant_tva": FieldValue("257.49", "257,49", 0.8, page=1, bbox=box["257,49"]),
               "montant_ttc": FieldValue("4845.79", "4 845,79", 0.8, page=1, bbox=box["845,79"])}
    assert read_learned_spots(1, page, specs, dict(generic))["montant_tva"].value == "257.49"
    del generic["montant_ttc"]  # nothing to check the sum with: the confirmed spot's reading stands as before
    assert read_learned_spots(1, page, specs, dict(generic))["montant_tva"].value == "246.09"


def _qualifications(*rows: tuple[str, str, str]) -> list[PageContent]:
    """A certificate's table: « Domaine », « Attribuée le » and « Valable jusqu'au » headings over
    one row per qualification."""
    words = []

    def write(text: str, x: float, y: float) -> None:
        for token in text.split():
            words.append(Word(token, (x, y, x + 0.009 * len(token), y + 0.012)))
            x += 0.009 * len(token) + 0.006

    write("Domaine", 0.08, 0.2)
    write("Attribuée le", 0.4, 0.2)
    write("Valable jusqu'au", 0.6, 0.2)
    for row, (domain, start, end) in enumerate(rows, 1):
        write(domain, 0.08, 0.2 + 0.03 * row)
        write(start, 0.4, 0.2 + 0.03 * row)
        write(end, 0.6, 0.2 + 0.03 * row)
    return [PageContent(1, "", words, 595, 842)]


def test_a_date_under_a_learned_column_heading_does_not_overrule_the_row_the_extractor_read(monkeypatch):
    """The teaching certificates held the RGE qualification in the table's second row; the next
    one holds it in the first, where the extractor read its date (and it read the column right on
    one of the two teaching certificates): the learned row does not overrule it — unless the
    extractor never read that column right on the layout."""
    from extraction.learning.apply import read_learned_spots
    from extraction.types import FieldSpec, FieldValue

    taught = _qualifications(("Menuiseries PVC", "07/12/2019", "06/12/2023"),
                             ("Pompe à chaleur", "28/06/2021", "27/06/2025"))
    spot = {**spot_data(locate(taught, "date", "2025-06-27")), "absent": False, "count": 2}
    assert spot["relation"] == "above"
    page = _qualifications(("Pompe à chaleur", "29/06/2022", "28/06/2026"),
                           ("Menuiseries PVC", "07/12/2019", "06/12/2023"))
    date = next(w for w in page[0].words if w.text == "28/06/2026")
    specs = [FieldSpec("date_fin_validite", "Fin de validité", "date")]
    generic = {"date_fin_validite": FieldValue("2026-06-28", "28/06/2026", 0.75, page=1, bbox=date.bbox)}

    _learned(monkeypatch, page, {"date_fin_validite": [{**spot, "corrections": 1}]})
    assert read_learned_spots(1, page, specs, dict(generic))["date_fin_validite"].value == "2026-06-28"
    _learned(monkeypatch, page, {"date_fin_validite": [{**spot, "corrections": 2}]})
    assert read_learned_spots(1, page, specs, dict(generic))["date_fin_validite"].value == "2023-12-06"
