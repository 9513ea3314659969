"""Training and measuring the learned ranking on the validated documents.

The validators' verdicts give each reviewed field its true value (confirmed: the extracted
value; corrected: the correction; marked wrong: none of the candidates). The document's
candidates are read again from its pages, as the extract stage reads them, and each is
labelled by whether it holds the true value. One classifier per field name (a field shared by
several document types, ``beneficiaire_nom``, learns from all of them), trained on three
validated documents in four and measured on the fourth against the rule-based order; the
version is used at extraction time only where it chose better, then refitted on all of them.
"""
from __future__ import annotations

import dataclasses
import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

import joblib
from django.db import transaction
from django.db.models import Max

from documents.models import Document, DocumentType

from ..extractors.candidates import Candidate
from ..extractors.field_hints import _Hints
from ..extractors.labels import DocumentLayout
from ..extractors.signatures import FIELDS as SIGNATURE_FIELDS
from ..fields import choice_candidates, choose_value, stop_labels_of
from ..learning.services import document_pages
from ..models import EngineConfig, ExtractedField, FieldStatus, ModelMetric, RankingModel
from ..pipeline.hints import field_specs
from ..scores import FieldCounts
from ..pipeline.reading import document_reading_data
from . import BASELINE_ENGINE, ENGINE
from .features import FEATURE_NAMES, candidate_rows

MIN_DOCUMENTS = 8  # fewer validated documents of a field: the rule-based order stays
HELD_OUT_EVERY = 4  # one validated document in four measures the version


@dataclass
class Example:
    """One validated document's candidates for one field."""

    document_id: int
    type_code: str
    truth: str | None  # None: the document does not carry the field (or none of its values is right)
    candidates: list[Candidate]
    validation_pattern: str = ""

    @property
    def labels(self) -> list[int]:
        return [int(self.truth is not None and same(c.value, self.truth)) for c in self.candidates]


@dataclass
class Counts(FieldCounts):
    """A version's (or the rules') choices on held-out documents against the validators' values."""

    right: int = 0
    documents: int = 0

    def add(self, chosen: str | None, truth: str | None) -> None:
        self.documents += 1
        hit = chosen is not None and truth is not None and same(chosen, truth)
        self.right += int(hit or (chosen is None and truth is None))
        self.tp += int(hit)
        self.fp += int(chosen is not None and not hit)
        self.fn += int(truth is not None and not hit)


@dataclass
class FieldResult:
    field_name: str
    documents: int
    examples: int = 0
    version: int | None = None
    is_active: bool = False
    model: Counts = field(default_factory=Counts)
    rules: Counts = field(default_factory=Counts)
    skipped: str = ""


_CIVILITIES = {"m", "mme", "mlle", "monsieur", "madame", "mademoiselle", "mr", "ou", "et"}


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
    return sorted(w for w in re.findall(r"[a-z0-9]+", folded) if w not in _CIVILITIES)


def same(value: str, truth: str) -> bool:
    """Equal values; texts compared on their words, without case, accents, civility or order
    (« M. OU MME LEMAÎTRE ALPHONSE » is « Alphonse Lemaître »)."""
    return value == truth or (bool(_words(truth)) and _words(value) == _words(truth))


def _truth(status: str, value: str, corrected_value: str) -> str | None:
    if status == FieldStatus.CONFIRMED:
        return value or None
    if status == FieldStatus.CORRECTED:
        return corrected_value or None
    return None


def validated_examples(field_names: set[str] | None = None, progress=None) -> dict[str, list[Example]]:
    """The candidates of every reviewed field of the validated documents, by field name;
    ``progress(done, total)`` is called after each document."""
    reviewed = (ExtractedField.objects.exclude(status=FieldStatus.UNREVIEWED)
                .filter(document__document_type__isnull=False)
                .values_list("document_id", "schema__name", "status", "value", "corrected_value"))
    if field_names:
        reviewed = reviewed.filter(schema__name__in=field_names)
    truths: dict[int, dict[str, str | None]] = defaultdict(dict)
    for document_id, name, status, value, corrected in reviewed.order_by("document_id"):
        truths[document_id][name] = _truth(status, value, corrected)
    examples: dict[str, list[Example]] = defaultdict(list)
    documents = Document.objects.filter(pk__in=list(truths)).select_related("document_type").order_by("pk")
    total = len(truths)
    for done, document in enumerate(documents, start=1):
        for name, example in _document_examples(document, truths[document.pk]).items():
            examples[name].append(example)
        if progress:
            progress(done, total)
    return examples


def _document_examples(document, truths: dict[str, str | None]) -> dict[str, Example]:
    pages = document_pages(document)
    if not pages:
        return {}
    specs = [spec for _, spec in field_specs(document.document_type)]
    layout = DocumentLayout.of(pages)
    stops = stop_labels_of(specs)
    reading = document_reading_data(document.document_type)
    found = {}
    for spec in specs:
        if spec.name not in truths or not rankable(spec):
            continue
        candidates = choice_candidates(spec, layout, stops, reading)
        if candidates:
            found[spec.name] = Example(document.pk, document.document_type.code, truths[spec.name], candidates,
                                       spec.validation_pattern)
    return found


def rankable(spec) -> bool:
    """A single-valued field read from candidates (lists, ink signatures and scanned CEE codes
    have their own readers)."""
    hints = _Hints.from_spec(spec)
    return not (hints.multiple or hints.list_items or hints.scan or spec.name in SIGNATURE_FIELDS.values())


def fit(examples: list[Example]):
    """A classifier of candidates (right value or not) trained on ``examples``."""
    from sklearn.ensemble import GradientBoostingClassifier

    rows, labels = [], []
    for example in examples:
        rows.extend(candidate_rows(example.candidates, example.validation_pattern))
        labels.extend(example.labels)
    model = GradientBoostingClassifier(n_estimators=80, max_depth=3, learning_rate=0.1, random_state=0)
    model.fit(rows, labels)
    return model


def rescore(model, candidates: list[Candidate], validation_pattern: str = "") -> None:
    """Each candidate's score becomes the model's probability that it holds the right value."""
    probabilities = model.predict_proba(candidate_rows(candidates, validation_pattern))[:, 1]
    for candidate, probability in zip(candidates, probabilities):
        candidate.score = float(probability)


def _chosen(spec_of, example: Example, model=None) -> str | None:
    candidates = [dataclasses.replace(c) for c in example.candidates]
    if model is not None:
        rescore(model, candidates, example.validation_pattern)
    value = choose_value(spec_of(example), candidates)
    return value.value if value is not None else None


def train_field(name: str, examples: list[Example], spec_of) -> FieldResult:
    """Train, measure and store a new version of ``name``'s ranking (not stored when the
    documents are too few or all of one kind)."""
    result = FieldResult(name, len(examples))
    result.examples = sum(len(e.candidates) for e in examples)
    labels = [label for e in examples for label in e.labels]
    if len(examples) < MIN_DOCUMENTS:
        result.skipped = f"{len(examples)} document(s) validé(s), {MIN_DOCUMENTS} au moins"
        return result
    if not any(labels) or all(labels):
        result.skipped = "aucun candidat juste" if not any(labels) else "aucun candidat faux"
        return result
    train = [e for i, e in enumerate(examples) if i % HELD_OUT_EVERY != HELD_OUT_EVERY - 1]
    held_out = [e for i, e in enumerate(examples) if i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1]
    train_labels = [label for e in train for label in e.labels]
    if any(train_labels) and not all(train_labels):
        model = fit(train)
        for example in held_out:
            result.model.add(_chosen(spec_of, example, model), example.truth)
            result.rules.add(_chosen(spec_of, example), example.truth)
    # used only where it chose better than the rules on documents it did not learn from
    result.is_active = result.model.documents > 0 and result.model.f1 > result.rules.f1
    _store(result, fit(examples))
    return result


def _store(result: FieldResult, model) -> None:
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    with transaction.atomic():
        latest = RankingModel.objects.filter(field_name=result.field_name).aggregate(v=Max("version"))["v"] or 0
        result.version = latest + 1
        RankingModel.objects.filter(field_name=result.field_name, is_active=True).update(is_active=False)
        RankingModel.objects.create(field_name=result.field_name, version=result.version, payload=buffer.getvalue(),
                                    feature_names=list(FEATURE_NAMES), documents=result.documents,
                                    examples=result.examples, is_active=result.is_active)
        for engine, counts in ((ENGINE, result.model), (BASELINE_ENGINE, result.rules)):
            if counts.documents:
                ModelMetric.objects.create(
                    task=EngineConfig.Task.EXTRACTION, field_name=result.field_name, engine=engine,
                    engine_version=f"v{result.version}", accuracy=round(counts.right / counts.documents, 4),
                    precision=round(counts.precision, 4), recall=round(counts.recall, 4), f1=round(counts.f1, 4),
                    sample_size=counts.documents)


def train_rankers(field_names: set[str] | None = None, progress=None) -> list[FieldResult]:
    """A new version of the ranking of every field with enough validated documents, measured
    and stored; returns each field's result (``skipped`` says why one was not trained)."""
    examples = validated_examples(field_names, progress)
    specs = {}
    for document_type in DocumentType.objects.filter(code__in={e.type_code for es in examples.values() for e in es}):
        for _, spec in field_specs(document_type):
            specs[(document_type.code, spec.name)] = spec

    def spec_of(example: Example):
        return specs[(example.type_code, name_of[id(example)])]

    name_of = {id(e): name for name, es in examples.items() for e in es}
    return [train_field(name, examples[name], spec_of) for name in sorted(examples)]
