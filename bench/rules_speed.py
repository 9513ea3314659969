"""Benchmark of the rule engine. Prints its figures; not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cee_bench .venv/bin/python bench/rules_speed.py

1. Rule evaluations per second: the full active fixture rule set against the context of a
   realistic BAR-TH-171 dossier (every document present, lookups resolved), one process,
   parsing cached (the compiled closures are reused, as in production). Each evaluation
   includes rendering the result's message and the JSON of the values read.
2. Re-running the rules of one dossier after a field correction, database writes included:
   ``run_rules_for_dossier(dossier, changed_fields={"facture.date_facture"})`` and a full
   re-run, median and 90th percentile over repeated corrections.

The database is migrated and the reference data loaded (idempotent); the benchmark dossier
is created in a transaction that is rolled back at the end.
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cee.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.DEBUG = False  # as in production: no per-query debug logging

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from dossiers.models import Dossier  # noqa: E402
from dossiers.workflow.rules_run import cumac_for_operation, run_rules_for_dossier  # noqa: E402
from rules import engine, selectors  # noqa: E402
from rules.context import OPERATIONS, build_dossier_context, for_operation, public_values  # noqa: E402


def main(seconds: float = 3.0, corrections: int = 60) -> None:
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    from tests.rules.builders import dossier_with_documents, field

    print(f"Base : {connection.vendor} ({connection.settings_dict['NAME']})")
    with transaction.atomic():
        dossier = dossier_with_documents()
        run_rules_for_dossier(dossier)

        # 1. evaluations per second ------------------------------------------------------------
        context = build_dossier_context(dossier)
        for entry in context[OPERATIONS]:
            cumac_for_operation(dossier, entry, context)
        context.update(public_values(context, resolve=True))  # lookups computed once, as in a run
        planned = [engine.plan(rule) for rule in selectors.active_rules()]
        runs = [(item, entry, for_operation(context, entry)) for item in planned for entry in engine.runs_for(item, context)]
        today = timezone.localdate()  # as run_rules_for_dossier: one "today" per run
        statuses: dict[str, int] = {}
        for item, entry, values in runs:
            status = engine.evaluate_planned(item, values, operation_entry=entry, today=today).status
            statuses[status] = statuses.get(status, 0) + 1
        evaluations = 0
        start = time.perf_counter()
        deadline = start + seconds
        while time.perf_counter() < deadline:
            for item, entry, values in runs:
                engine.evaluate_planned(item, values, operation_entry=entry, today=today)
            evaluations += len(runs)
        elapsed = time.perf_counter() - start
        print(f"Règles actives : {len(planned)} ; évaluations par passage sur ce dossier : {len(runs)} {statuses}")
        rate = f"{evaluations / elapsed:,.0f}".replace(",", " ")
        print(f"Évaluations par seconde (un processus, analyse en cache) : {rate}")

        # 2. re-run after a correction -----------------------------------------------------------
        target = field(dossier, "facture.date_facture")
        partial, full, partial_cpu, full_cpu = [], [], [], []
        for index in range(corrections):
            target.status = "corrected"
            target.corrected_value = "2025-10-01" if index % 2 else "2025-11-21"
            target.save(update_fields=["status", "corrected_value"])
            begin, cpu = time.perf_counter(), time.process_time()
            run_rules_for_dossier(dossier, changed_fields={"facture.date_facture"})
            partial.append((time.perf_counter() - begin) * 1000)
            partial_cpu.append((time.process_time() - cpu) * 1000)
            begin, cpu = time.perf_counter(), time.process_time()
            run_rules_for_dossier(dossier)
            full.append((time.perf_counter() - begin) * 1000)
            full_cpu.append((time.process_time() - cpu) * 1000)

        def summary(samples):
            ordered = sorted(samples)
            return f"médiane {statistics.median(ordered):.1f} ms, p90 {ordered[int(len(ordered) * 0.9) - 1]:.1f} ms"

        print(f"Relance après correction (règles lisant facture.date_facture, écritures comprises) : {summary(partial)}"
              f" ; temps CPU de ce processus {summary(partial_cpu)}")
        print(f"Relance complète de toutes les règles du dossier (écritures comprises) : {summary(full)}"
              f" ; temps CPU de ce processus {summary(full_cpu)}")
        begin, cpu = time.perf_counter(), time.process_time()
        for _ in range(corrections):
            Dossier.objects.get(pk=dossier.pk)
        print(f"Étalon : une lecture Dossier.objects.get() = {(time.perf_counter() - begin) * 1000 / corrections:.2f} ms"
              f" (CPU {(time.process_time() - cpu) * 1000 / corrections:.2f} ms)")
        print(f"Charge de la machine (load average 1 min) : {os.getloadavg()[0]:.2f} pour {os.cpu_count()} cœurs")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
