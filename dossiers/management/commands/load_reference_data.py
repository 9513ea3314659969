"""Load the reference fixtures in dependency order, without undoing administrators' edits.

Rows are matched by natural key (or by id where the fixture gives one). A row missing from
the database is created; a row nobody changed since the last load is brought to the
fixture's version; a row an administrator edited in the admin since (a rule deactivated, a
price changed, a hint added) is kept as they left it and reported — ``--force`` replaces it
with the fixture's version. What was last loaded is remembered per row
(``dossiers.ReferenceDataRow``: a digest of the row as read back after loading).
"""
from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import BaseCommand, call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from dossiers.models import ReferenceDataRow

# Order matters: later files refer to rows of earlier ones by natural key.
REFERENCE_FIXTURES = [
    "document_types.json",
    "operations.json",
    "operation_requirements.json",
    "field_schemas.json",
    "phrase_patterns.json",
    "product_brands.json",
    "climate_zones.json",
    "precarity_ceilings.json",
    "rejection_reasons.json",
    "engine_configs.json",
    "price_lists.json",
    "rules.json",
]


@dataclass
class FileReport:
    name: str
    created: int = 0
    updated: int = 0
    kept: list[str] = field(default_factory=list)
    forced: list[str] = field(default_factory=list)


def _row_key(row: dict, instance) -> str:
    if "pk" in row:
        return json.dumps(row["pk"])
    return json.dumps(list(instance.natural_key()), ensure_ascii=False)


def _digest(instance, fields: list[str]) -> str:
    """SHA-256 of ``fields`` of ``instance`` as the serializer writes them (natural keys)."""
    data = serializers.serialize("python", [instance], fields=fields, use_natural_foreign_keys=True)[0]["fields"]
    text = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _current(model, pk):
    return model._default_manager.filter(pk=pk).first() if pk is not None else None


def load_fixture(path: Path, *, force: bool) -> FileReport:
    """Load one fixture file (see the module docstring); returns what happened to its rows."""
    report = FileReport(path.name)
    rows = json.loads(path.read_text(encoding="utf-8"))
    parsed = list(serializers.deserialize("json", json.dumps(rows), handle_forward_references=True))
    labels = {type(item.object)._meta.label_lower for item in parsed}
    stored_digests = {
        (label, key): (pk, digest)
        for pk, label, key, digest in ReferenceDataRow.objects.filter(model_label__in=labels)
        .values_list("pk", "model_label", "key", "digest")
    }
    to_load, plans = [], []
    for row, item in zip(rows, parsed):
        model = type(item.object)
        label = model._meta.label_lower
        key = _row_key(row, item.object)
        fields = list(row.get("fields", {}))
        existing = _current(model, item.object.pk)
        before = _digest(existing, fields) if existing is not None else None
        stored = stored_digests.get((label, key), (None, None))[1]
        if existing is not None and stored is not None and before != stored:
            if not force:
                report.kept.append(f"{label} {key}")
                continue
            report.forced.append(f"{label} {key}")
        to_load.append(row)
        plans.append((model, label, key, fields, before))
    if not to_load:
        return report
    with tempfile.TemporaryDirectory() as folder:
        filtered = Path(folder) / path.name
        filtered.write_text(json.dumps(to_load, ensure_ascii=False), encoding="utf-8")
        call_command("loaddata", str(filtered), verbosity=0)
    # Read every loaded row back (ids resolved now that every row exists) and remember it.
    reloaded = serializers.deserialize("json", json.dumps(to_load), handle_forward_references=True)
    new_records, changed_records = [], []
    for (model, label, key, fields, before), item in zip(plans, reloaded):
        after = _digest(model._default_manager.get(pk=item.object.pk), fields)
        if before is None:
            report.created += 1
        elif after != before:
            report.updated += 1
        record_pk, stored = stored_digests.get((label, key), (None, None))
        if record_pk is None:
            new_records.append(ReferenceDataRow(model_label=label, key=key, digest=after))
        elif stored != after:
            changed_records.append(ReferenceDataRow(pk=record_pk, digest=after, loaded_at=timezone.now()))
    ReferenceDataRow.objects.bulk_create(new_records)
    if changed_records:  # bulk_update does not apply auto_now: loaded_at is set above
        ReferenceDataRow.objects.bulk_update(changed_records, ["digest", "loaded_at"])
    return report


def _fixture_layout(label: str) -> tuple[list[str], bool]:
    """The fields the reference fixtures give for model ``label`` and whether rows carry ids."""
    folder = Path(settings.BASE_DIR) / "fixtures"
    rows = [row for name in REFERENCE_FIXTURES if (folder / name).exists()
            for row in json.loads((folder / name).read_text(encoding="utf-8")) if row["model"] == label]
    if not rows:
        raise ValueError(f"{label} n'est pas une donnée de référence.")
    return list(dict.fromkeys(name for row in rows for name in row.get("fields", {}))), "pk" in rows[0]


def remember_as_loaded(instance) -> None:
    """Record ``instance`` as the reference loader's own version of its row, as if the
    fixture had loaded it as it is now (for upgrades of databases loaded before this record
    existed, and for tests)."""
    label = instance._meta.label_lower
    fields, by_id = _fixture_layout(label)
    key = _row_key({"pk": instance.pk} if by_id else {}, instance)
    ReferenceDataRow.objects.update_or_create(model_label=label, key=key, defaults={"digest": _digest(instance, fields)})


def edited_since_loaded(record: ReferenceDataRow) -> bool | None:
    """Whether the row ``record`` describes was changed since the loader wrote it (None: the
    row no longer exists)."""
    model = apps.get_model(record.model_label)
    key = json.loads(record.key)
    manager = model._default_manager
    try:
        instance = manager.get_by_natural_key(*key) if isinstance(key, list) else manager.get(pk=key)
    except model.DoesNotExist:
        return None
    fields, _ = _fixture_layout(record.model_label)
    return _digest(instance, fields) != record.digest


class Command(BaseCommand):
    help = (
        "Charge les données de référence (fiches, types de documents, schémas de champs, règles, prix…) "
        "sans écraser ce qu'un administrateur a modifié dans l'admin (--force pour le remplacer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Remplacer aussi les lignes modifiées dans l'admin par la version des fichiers de référence.",
        )

    def handle(self, *args, **options):
        folder = Path(settings.BASE_DIR) / "fixtures"
        present = [folder / name for name in REFERENCE_FIXTURES if (folder / name).exists()]
        missing = [name for name in REFERENCE_FIXTURES if not (folder / name).exists()]
        verbosity = options["verbosity"]
        if missing and verbosity > 1:
            self.stdout.write(f"Fichiers absents ignorés : {', '.join(missing)}")
        with transaction.atomic():
            reports = [load_fixture(path, force=options["force"]) for path in present]
        for report in reports:
            if verbosity > 1 or (verbosity > 0 and (report.created or report.updated or report.kept or report.forced)):
                self.stdout.write(
                    f"{report.name} : {report.created} ligne(s) créée(s), {report.updated} mise(s) à jour, "
                    f"{len(report.kept)} conservée(s) telle(s) que modifiée(s) dans l'admin"
                    + (f", {len(report.forced)} remplacée(s) (--force)" if report.forced else "")
                )
            for key in report.kept:
                if verbosity > 0:
                    self.stdout.write(f"  conservée (modifiée dans l'admin) : {key}")
        kept = sum(len(report.kept) for report in reports)
        if kept and verbosity > 0:
            self.stdout.write(self.style.WARNING(
                f"{kept} ligne(s) modifiée(s) dans l'admin conservée(s) ; "
                "`load_reference_data --force` les remplacerait par la version des fichiers."
            ))
