"""The configuration a pipeline run reads is kept between runs while its content does not
change, on PostgreSQL and on SQLite (the embedded default): an edit is seen by the next run."""
import pytest

from extraction.models import LearnedProduct, PhrasePattern
from extraction.pipeline.hints import configuration_fingerprint, configuration_read_once, read_once

pytestmark = pytest.mark.django_db


def test_the_fingerprint_changes_with_a_pattern_edit_and_a_learned_product_only():
    before = configuration_fingerprint()
    assert before is not None and configuration_fingerprint() == before
    pattern = PhrasePattern.objects.first()
    pattern.pattern += " encore"
    pattern.save()
    edited = configuration_fingerprint()
    assert edited != before
    LearnedProduct.objects.create(brand="Zolvex", reference="Tecto-Vent 90")
    assert configuration_fingerprint() != edited


def test_a_read_is_kept_for_the_next_run_until_the_configuration_changes():
    calls = []

    def load():
        calls.append(1)
        return len(calls)

    with configuration_read_once():
        assert read_once(("test_key",), load) == 1
    with configuration_read_once():
        assert read_once(("test_key",), load) == 1  # nothing changed: not read again
    pattern = PhrasePattern.objects.first()
    pattern.is_active = not pattern.is_active
    pattern.save()
    with configuration_read_once():
        assert read_once(("test_key",), load) == 2
