"""The extract stage's ranker: the active version of each field's learned ranking, loaded once
per process (and again only when a newer version becomes active)."""
from __future__ import annotations

import io

import joblib

from ..extractors.candidates import Candidate
from ..models import RankingModel
from ..pipeline.hints import learning_on, read_once
from ..types import FieldSpec
from .features import FEATURE_NAMES
from .training import rankable, rescore

_loaded: dict[str, tuple[int, object]] = {}  # field name -> (version, model), for the process


def active_versions() -> dict[str, int]:
    """The version used for each field name (one query per pipeline run)."""
    return read_once(("ranking_versions",), lambda: dict(
        RankingModel.objects.filter(is_active=True).values_list("field_name", "version")))


def _model(name: str, version: int):
    known = _loaded.get(name)
    if known is not None and known[0] == version:
        return known[1]
    row = RankingModel.objects.filter(field_name=name, version=version).values_list("payload", "feature_names").first()
    model = None
    if row is not None and list(row[1]) == list(FEATURE_NAMES):  # trained on other columns: not used
        model = joblib.load(io.BytesIO(bytes(row[0])))
    _loaded[name] = (version, model)
    return model


def active_ranker():
    """The ranker the extract stage passes to ``extract_fields``; None when no field has an
    active version or learning is off (the rule-based order, at no cost)."""
    if not learning_on():
        return None
    versions = active_versions()
    if not versions:
        return None

    def rank(spec: FieldSpec, candidates: list[Candidate]) -> None:
        version = versions.get(spec.name)
        if version is None or not rankable(spec):
            return
        model = _model(spec.name, version)
        if model is not None:
            rescore(model, candidates, spec.validation_pattern)

    return rank
