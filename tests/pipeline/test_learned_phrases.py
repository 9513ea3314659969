"""Label phrases learned from corrections: the words printed before a value that belong to
another value (a street, a person's name, the installer's name) never become a label."""
from __future__ import annotations

import pytest

from extraction.learning.phrases import is_label_phrase, learned_phrases
from extraction.models import FieldSchema, LearnedFieldLocation, LearnedLabelPhrase


def test_words_of_an_address_a_civility_or_another_fields_value_are_no_label():
    assert not is_label_phrase("quai jules ferry")  # the street over the town in a recipient block
    assert not is_label_phrase("bis route des roses")
    assert not is_label_phrase("mme boulay philippine")  # the declarant's name over the address
    # the installer's name on the item line before the surface
    assert not is_label_phrase("isolation", ["ISOLATION CONFORT SARL", "2500.00"])
    assert is_label_phrase("participation chauffage accordee", ["ISOLATION CONFORT SARL", "2500.00"])
    assert is_label_phrase("demeurant", ["Ginette GUYOT", "4 rue Haute"])
    # the works named on the item line before a surface: on another letter « ISO' ISOLATION »
    # (letters dev seed 7312: the label « isolation » cut the company's name to « ISO' »)
    assert not is_label_phrase("isolation")
    assert not is_label_phrase("isolation de combles perdus")
    assert is_label_phrase("surface d isolation")


@pytest.mark.django_db
def test_phrases_learned_off_values_before_the_rule_are_not_used_as_labels(settings):
    settings.CEE_LEARNED_PHRASE_MIN_COUNT = 2
    ville = FieldSchema.objects.get(document_type__code="devis", name="beneficiaire_ville")
    LearnedLabelPhrase.objects.create(schema=ville, phrase="impasse du stade", count=3)
    LearnedLabelPhrase.objects.create(schema=ville, phrase="ville", count=2)
    assert learned_phrases(ville.document_type_id) == {"beneficiaire_ville": ["ville"]}


@pytest.mark.django_db
def test_a_correction_after_another_fields_value_teaches_no_phrase(tmp_path, validator):
    from tests.pipeline.test_learning import correct, ingest, positioned_pdf

    def letter(number: str, amount: str) -> bytes:
        # the premium printed after the installer's name, as a sentence would
        return positioned_pdf([(60, 60, f"FACTURE N° {number}"), (60, 80, "Date de facture : 12/05/2024"),
                               (60, 100, "Montant HT : 10 000,00 €"), (60, 120, f"Solaire Chauffage Durand {amount} €")])

    first = ingest(tmp_path, "p1.pdf", letter("F-1", "2 500,00"))
    correct(first["id"], "raison_sociale_installateur", "Solaire Chauffage Durand", validator)
    correct(first["id"], "prime_cee", "2 500,00", validator)
    assert not LearnedLabelPhrase.objects.filter(schema__name="prime_cee").exists()
    # The layout still learns where the premium sits.
    assert LearnedFieldLocation.objects.filter(schema__name="prime_cee", anchor="solaire chauffage durand").exists()
