"""Yes/no statements (the AH's « bâtiment existant depuis plus de 2 ans ») and the devis's
prior technical visit date, read from located words with the fixture schemas."""
import pytest

from extraction.corpus.evaluate import load_specs
from extraction.fields import extract_fields
from extraction.types import FieldSpec

from .pages import page


@pytest.fixture(scope="module")
def specs():
    return load_specs()


def building_age(specs, *rows):
    """The AH's building-age answer on a page of (x, y, text) rows; None when not found."""
    result = extract_fields([page(list(rows))], specs["attestation_honneur"])
    found = result.get("batiment_plus_de_2_ans")
    return found.value if found else None


@pytest.mark.parametrize("text, expected", [
    ("☒ Le bâtiment est existant depuis plus de 2 ans", "true"),
    ("☑ Le logement est achevé depuis plus de deux ans à la date d'engagement", "true"),
    ("[X] Logement achevé depuis plus de deux ans", "true"),
    ("X construit depuis plus de 2 ans à la date d'engagement des travaux", "true"),
    ("☒ L'habitation est achevee depuis plus de 2 ans", "true"),
    ("☐ Le bâtiment est existant depuis plus de 2 ans", "false"),
    ("□ Maison achevée depuis plus de deux ans", "false"),
    ("[ ] Le bâtiment est construit depuis plus de 2 ans à la date d'engagement des travaux", "false"),
])
def test_a_box_before_the_statement_gives_the_answer(specs, text, expected):
    assert building_age(specs, (0.08, 0.5, text)) == expected


@pytest.mark.parametrize("answer, expected", [
    ("☒ Oui ☐ Non", "true"), ("☐ OUI ☒ NON", "false"), ("[X] oui [ ] non", "true"),
    ("Oui ☐ Non ☒", "false"), ("Oui", "true"), ("NON", "false"),
])
def test_a_oui_non_answer_after_the_question(specs, answer, expected):
    question = "Bâtiment résidentiel existant depuis plus de 2 ans à la date d'engagement de l'opération :"
    assert building_age(specs, (0.08, 0.5, f"{question} {answer}")) == expected


def test_boxes_left_empty_or_both_ticked_give_no_answer(specs):
    question = "Bâtiment résidentiel existant depuis plus de 2 ans à la date d'engagement de l'opération :"
    assert building_age(specs, (0.08, 0.5, f"{question} ☐ Oui ☐ Non")) is None
    assert building_age(specs, (0.08, 0.5, f"{question} ☒ Oui ☒ Non")) is None


@pytest.mark.parametrize("answer, expected", [
    ("D oui [] non", "true"), ("☐ Oui Q Non", "false"), ("Oui ☐ Non Ø", "false"), ("XI OUI □ NON", "true"),
])
def test_a_tick_the_ocr_read_as_a_letter_answers_beside_an_empty_box(specs, answer, expected):
    """A scanned form: the ticked box came out as a letter or two (« D »), the other as an empty box."""
    question = "Le bâtiment est existant depuis plus de 2 ans à la date d'engagement :"
    assert building_age(specs, (0.08, 0.5, f"{question} {answer}")) == expected


def test_an_empty_box_alone_is_no_answer_for_the_other(specs):
    question = "Le bâtiment est existant depuis plus de 2 ans à la date d'engagement :"
    assert building_age(specs, (0.08, 0.5, f"{question} Oui ☐ Non")) is None
    assert building_age(specs, (0.08, 0.5, f"{question} Oui ☐ Non (joindre un justificatif)")) is None
    assert building_age(specs, (0.08, 0.5, f"{question} [] oui C non")) is None  # the C may be the empty box


def test_the_answer_may_sit_on_the_line_below_the_question(specs):
    assert building_age(specs, (0.08, 0.5, "Logement existant depuis plus de deux ans :"),
                        (0.08, 0.513, "☐ Oui ☒ Non")) == "false"


def test_a_printed_statement_without_a_box_is_true(specs):
    assert building_age(specs, (0.08, 0.5, "Le logement a été construit depuis plus de 2 ans à la date d'engagement.")) == "true"
    assert building_age(specs, (0.08, 0.5, "Les travaux sont réalisés dans un bâtiment existant depuis plus de deux ans.")) == "true"


def test_a_statement_wrapped_over_two_lines_keeps_its_box(specs):
    ticked = building_age(specs, (0.08, 0.5, "☒ Le bâtiment objet des travaux est achevé depuis plus de"),
                          (0.10, 0.512, "deux ans à la date d'engagement de l'opération"))
    empty = building_age(specs, (0.08, 0.5, "☐ Le bâtiment objet des travaux est achevé depuis"),
                         (0.10, 0.512, "plus de deux ans à la date d'engagement de l'opération"))
    assert (ticked, empty) == ("true", "false")


@pytest.mark.parametrize("text, expected", [
    ("Bâtiment existant depuis plus de deux anis à la date d'engagement . ☐ oui ☒ non", "false"),
    ("—Le-logement-est-achevé-depuis-pius-de 2 aus + ☒ oui ☐ non", "true"),
    ("Le logement est achevé depuis plus de 2ans : ☒ oui ☐ non", "true"),
    ("Le logement est achevé depuis ptus de 2 ans : ☐ oui ☒ non", "false"),
])
def test_a_struck_scanned_statement_with_short_words_misread(specs, text, expected):
    """A form's frame edge through the line: « plus » read « ptus », « ans » read « anis », a
    number glued to its unit; the phrase's first word and its number as printed."""
    assert building_age(specs, (0.08, 0.5, text)) == expected


def test_on_a_garbled_line_only_a_box_answers(specs):
    """The line the scan garbled enough to misread the phrase's words may have lost the ticked
    box too (« {oui | ET Tor »: the other answer unreadable): a bare answer, or the sentence
    alone, says nothing there."""
    assert building_age(specs, (0.08, 0.5, "Le logement est achevé depuis ptus de 2 ans {oui ET Tor")) is None
    assert building_age(specs, (0.08, 0.5, "Le logement est achevé depuis ptus de 2 ans")) is None
    assert building_age(specs, (0.08, 0.5, "Le logement est achevé depuis plus de 2 ans : oui")) == "true"


def test_a_phrase_with_its_number_or_its_first_word_misread_is_another_sentence(specs):
    assert building_age(specs, (0.08, 0.5, "Le logement est achevé depuis plus de 3 ans : ☒ oui ☐ non")) is None
    assert building_age(specs, (0.08, 0.5, "Le logement est achevé dès plus de 2 mois : ☒ oui ☐ non")) is None


def test_a_denial_is_false(specs):
    assert building_age(specs, (0.08, 0.5, "Le logement n'est pas achevé depuis plus de 2 ans.")) == "false"


def test_no_statement_no_value(specs):
    assert building_age(specs, (0.08, 0.3, "ATTESTATION SUR L'HONNEUR"), (0.08, 0.5, "Nom : Jean Dupont"),
                        (0.08, 0.53, "Date d'engagement : 12/03/2025")) is None


def test_another_sentence_with_the_same_words_is_not_the_statement(specs):
    assert building_age(specs, (0.08, 0.5, "Garantie de plus de 2 ans sur la pose et les fournitures.")) is None


def test_the_statement_reader_is_a_hint_any_boolean_field_can_use():
    spec = FieldSpec("residence_principale", "Résidence principale", "boolean",
                     {"labels": ["résidence principale"], "statement": {"subject": ["logement"]}})
    p = page([(0.08, 0.4, "☐ Le logement est une résidence principale")])
    assert extract_fields([p], [spec])["residence_principale"].value == "false"


@pytest.mark.parametrize("rows, expected", [
    ([(0.08, 0.2, "Date du devis : 12/03/2025"), (0.08, 0.23, "Date de la visite technique : 05/03/2025")], "2025-03-05"),
    ([(0.08, 0.2, "Devis du 12 mars 2025"), (0.08, 0.23, "Visite technique préalable réalisée le 4 mars 2025")], "2025-03-04"),
    ([(0.08, 0.2, "Date : 12/03/2025"), (0.08, 0.23, "Visite préalable du 01/03/2025")], "2025-03-01"),
    ([(0.08, 0.2, "Date de visite"), (0.40, 0.2, "Date du devis"), (0.08, 0.215, "28/02/2025"), (0.40, 0.215, "12/03/2025")],
     "2025-02-28"),
    ([(0.08, 0.2, "Date : 12/03/2025"), (0.08, 0.23, "Visite sur site effectuée le 03.03.2025")], "2025-03-03"),
])
def test_the_prior_visit_date_of_a_devis(specs, rows, expected):
    result = extract_fields([page(rows)], specs["devis"])
    assert result["date_visite_technique"].value == expected
    assert result["date_devis"].value == "2025-03-12"  # the visit is not taken for the devis date


def test_a_devis_mentioning_a_visit_without_its_date_has_no_visit_date(specs):
    rows = [(0.08, 0.2, "Devis n° D-2025-001 du 12/03/2025"),
            (0.08, 0.25, "Madame, suite à notre visite technique, nous avons le plaisir de vous adresser notre"),
            (0.08, 0.262, "proposition pour les travaux suivants.")]
    result = extract_fields([page(rows)], specs["devis"])
    assert "date_visite_technique" not in result
    assert result["date_devis"].value == "2025-03-12"


@pytest.mark.parametrize("answer, expected", [("F1 où O Non", "true"), ("PA oi Ü Non", "true"), ("(| Non", None)])
def test_the_one_answer_read_beside_its_empty_box_is_not_the_forms(specs, answer, expected):
    """Retail dev 1581 scans: « ✓ Oui ☐ Non » read with its ticked answer garbled (« F1 où ») or lost;
    « Non » has its box, empty, before it: the form answered the other, or nothing is known."""
    question = "Le bâtiment est existant depuis plus de 2 ans à la date d'engagement de l'opération :"
    assert building_age(specs, (0.08, 0.5, question), (0.094, 0.513, answer)) == expected


def test_an_empty_box_read_as_a_letter_beside_the_ticked_alternative(specs):
    assert building_age(specs, (0.08, 0.5, "[1 Le logement est achevé depuis plus de 2 ans à la date d'engagement"),
                        (0.081, 0.517, "X] Le logement est achevé depuis moins de 2 ans")) == "false"
