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
            "clauses_skipped": spot.clauses_skipped, "words_skipped": spot.words_skipped}


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
