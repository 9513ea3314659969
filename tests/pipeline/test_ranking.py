"""The learned ranking of candidates: trained on validated documents, versioned, measured
against the rule-based order, used only where it chooses better."""
from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from extraction import feedback
from extraction.extractors.candidates import Candidate
from extraction.models import EngineConfig, ExtractedField, ModelMetric, RankingModel
from extraction.ranking import BASELINE_ENGINE, ENGINE, apply, training
from extraction.ranking.training import Example, train_field
from extraction.types import FieldSpec, Word
from tests.pipeline.test_learning import ingest, positioned_pdf

pytestmark = pytest.mark.django_db

SPEC = FieldSpec("date_facture", "Date de facture", "date", {}, "", False)


def candidates(right: str, wrong: str) -> list[Candidate]:
    """The rules' order is wrong: a labelled date (the due date) outscores the dateline."""
    return [
        Candidate(wrong, wrong, 0.9, 1, [Word(wrong, (0.1, 0.6, 0.2, 0.62))], "right"),
        Candidate(right, right, 0.6, 1, [Word(right, (0.6, 0.1, 0.8, 0.12))], "dateline"),
    ]


def examples(n: int) -> list[Example]:
    return [Example(k, "facture", f"2024-05-{k + 1:02d}", candidates(f"2024-05-{k + 1:02d}", f"2024-07-{k + 1:02d}"))
            for k in range(n)]


def test_a_ranking_trained_on_validated_documents_reorders_candidates_the_rules_got_wrong():
    result = train_field("date_facture", examples(12), lambda example: SPEC)

    assert (result.version, result.is_active) == (1, True)
    assert result.model.f1 == 1.0 and result.rules.f1 == 0.0  # on the 3 documents held out of its training
    new = candidates("2025-01-15", "2025-03-01")
    assert training.choose_value(SPEC, new).value == "2025-03-01"  # the rules' choice
    apply.active_ranker()(SPEC, new)
    assert training.choose_value(SPEC, new).value == "2025-01-15"
    metrics = {m.engine: m for m in ModelMetric.objects.filter(field_name="date_facture", engine_version="v1")}
    assert (metrics[ENGINE].f1, metrics[BASELINE_ENGINE].f1, metrics[ENGINE].sample_size) == (1.0, 0.0, 3)
    assert metrics[ENGINE].task == EngineConfig.Task.EXTRACTION


def test_each_training_is_a_new_version_and_only_one_that_beats_the_rules_is_used():
    train_field("date_facture", examples(12), lambda example: SPEC)
    # the rules are right on every document now: the new version does no better, none is used
    agreeing = [Example(k, "facture", f"2024-07-{k + 1:02d}", candidates(f"2024-05-{k + 1:02d}", f"2024-07-{k + 1:02d}"))
                for k in range(12)]
    second = train_field("date_facture", agreeing, lambda example: SPEC)

    assert second.version == 2 and not second.is_active
    assert list(RankingModel.objects.values_list("version", "is_active")) == [(2, False), (1, False)]
    assert apply.active_ranker() is None  # the rule-based order, at no cost


def test_too_few_validated_documents_train_nothing():
    result = train_field("date_facture", examples(training.MIN_DOCUMENTS - 1), lambda example: SPEC)
    assert result.version is None and "8 au moins" in result.skipped
    assert not RankingModel.objects.exists()


def test_a_version_trained_on_other_columns_is_not_used(monkeypatch):
    train_field("date_facture", examples(12), lambda example: SPEC)
    RankingModel.objects.update(feature_names=["score"])
    apply._loaded.clear()
    new = candidates("2025-01-15", "2025-03-01")
    apply.active_ranker()(SPEC, new)
    assert training.choose_value(SPEC, new).value == "2025-03-01"


def invoice_with_two_totals(number: str, ttc: str, net: str) -> bytes:
    return positioned_pdf([
        (60, 60, "ISOLATION CONFORT SARL"),
        (60, 230, f"FACTURE N° {number}"),
        (60, 248, "Date de facture : 12/05/2024"),
        (60, 300, f"Total TTC : {ttc} €"),
        (60, 330, f"Rappel acompte, Total TTC : {net} €"),
    ])


def test_train_ranker_reads_the_validated_documents_and_prints_each_fields_figures(tmp_path, validator, monkeypatch):
    monkeypatch.setattr(training, "MIN_DOCUMENTS", 4)
    for k, (ttc, net) in enumerate([("10 550,00", "8 550,00"), ("9 120,00", "7 000,00"), ("8 000,00", "6 500,00"),
                                    ("7 310,50", "5 310,50"), ("6 000,00", "4 000,00")]):
        document = ingest(tmp_path, f"f{k}.pdf", invoice_with_two_totals(f"F-{k}", ttc, net))
        field = ExtractedField.objects.select_related("schema", "document__document_type", "dossier").get(
            document_id=document["id"], schema__name="montant_ttc")
        feedback.correct_field(field, ttc.replace(" ", "").replace(",", "."), validator)  # equal: a confirmation
    out = io.StringIO()

    call_command("train_ranker", "--champ", "montant_ttc", stdout=out)

    text = out.getvalue()
    assert "Lecture des documents validés : 5/5" in text
    assert "montant_ttc v1" in text and "contre" in text and "pour les règles" in text
    assert list(RankingModel.objects.values_list("field_name", "version")) == [("montant_ttc", 1)]
    assert ModelMetric.objects.filter(field_name="montant_ttc", engine=ENGINE, engine_version="v1", sample_size=1).exists()


def test_the_dashboard_shows_each_versions_figures_beside_the_rules(client, validator):
    train_field("date_facture", examples(12), lambda example: SPEC)
    cache.clear()
    client.force_login(validator)

    html = client.get(reverse("admin:index")).content.decode()

    section = html[html.index("Métriques des modèles"):]
    assert "<code>date_facture</code>" in section and "v1" in section
    assert "1,000" in section or "1.000" in section


def test_training_is_scheduled_every_night():
    from django.utils.timezone import localtime
    from django_q.models import Schedule

    from extraction.schedules import ensure_schedules

    ensure_schedules()
    ensure_schedules()
    schedule = Schedule.objects.get(func="extraction.ranking.tasks.train_rankers_task")
    assert (schedule.schedule_type, schedule.repeats, localtime(schedule.next_run).hour) == (Schedule.DAILY, -1, 2)
