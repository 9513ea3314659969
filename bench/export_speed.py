"""Benchmark: export 100 000 dossiers with their operations to CSV and to XLSX (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cee_e CEE_VAR_DIR=/tmp/cee_e \
        .venv/bin/python bench/export_speed.py [--dossiers 100000] [--seeder auto|demo|builtin]

Prepares the database once (migrate, reference data, then seeds until it holds at least
``--dossiers`` dossiers: with ``manage.py seed_demo`` when present, else with a minimal bulk
seeder below), then runs each export in its own subprocess, through the same code as the
admin and the ``export`` command (``dossiers.backoffice.exports.export_to_file``), and prints for each:
rows written, wall time, time to the first CSV chunk, and peak RSS — the child's own
``ru_maxrss`` and the parent's ``RUSAGE_CHILDREN`` reading. Targets: CSV ≤ 20 s,
XLSX ≤ 60 s, peak RSS ≤ 300 MB.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cee.settings")

TARGETS = {"csv": 20.0, "xlsx": 60.0}
RSS_TARGET_MB = 300.0


def setup_django():
    import django

    django.setup()


# --- child: one export ---------------------------------------------------------------------

def run_child(fmt: str, out: str) -> None:
    setup_django()
    from dossiers.backoffice.exports import get_export
    from dossiers.backoffice.exports.writers import RowCounter, csv_chunks, write_xlsx
    from dossiers.models import Dossier

    export = get_export("dossiers")
    started = time.perf_counter()
    first_chunk = None
    rows = RowCounter(export.rows(Dossier.objects.all()))
    if fmt == "csv":
        with open(out, "w", encoding="utf-8", newline="") as handle:
            for index, chunk in enumerate(csv_chunks(export, rows)):
                if index == 1 and first_chunk is None:
                    first_chunk = time.perf_counter() - started
                handle.write(chunk)
    else:
        write_xlsx(export, rows, out)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "rows": rows.count, "seconds": seconds, "first_chunk_seconds": first_chunk,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "bytes": os.path.getsize(out),
    }))


# --- parent: prepare, then measure ------------------------------------------------------------

def builtin_seed(missing: int) -> None:
    """Bulk-insert ``missing`` approved dossiers, each with a timeline and one or two operations."""
    import datetime
    import random
    from decimal import Decimal

    from django.db import transaction

    from accounts.models import Installer
    from dossiers.models import Dossier, DossierOperation, DossierStatus, Operation, Timeline

    rng = random.Random(2026)
    installer, _ = Installer.objects.get_or_create(siret="73282932000074", defaults={"name": "Bench Rénovation SAS"})
    operations = list(Operation.objects.filter(code__in=["BAR-TH-171", "BAR-EN-101", "BAR-EN-102", "BAR-TH-148"]))
    start = Dossier.objects.filter(reference__startswith="BENCH-").count()
    batch = 5000
    for offset in range(0, missing, batch):
        size = min(batch, missing - offset)
        with transaction.atomic():
            dossiers = []
            plans = []
            for i in range(size):
                n = start + offset + i
                chosen = rng.sample(operations, rng.choice([1, 1, 2]))
                amounts = [(op, Decimal(rng.randint(5000, 150000)), Decimal(rng.choice([1, 1, 5]))) for op in chosen]
                total = sum(kwh * coef for _, kwh, coef in amounts)
                dossiers.append(Dossier(
                    reference=f"BENCH-{n:07d}", installer=installer, beneficiary_name=f"Bénéficiaire {n}",
                    works_postal_code="69003", works_city="Lyon", status=DossierStatus.APPROVED,
                    total_kwh_cumac=total, premium_eur=(total / 1000 * Decimal("7.8")).quantize(Decimal("0.01")),
                    confidence_score=Decimal("0.912"),
                ))
                plans.append(amounts)
            Dossier.objects.bulk_create(dossiers, batch_size=1000)
            day = datetime.date(2025, 6, 1)
            Timeline.objects.bulk_create([Timeline(dossier=d, date_signature=day, date_fin_travaux=day) for d in dossiers], batch_size=1000)
            DossierOperation.objects.bulk_create(
                [DossierOperation(dossier=d, operation=op, kwh_cumac=kwh, coefficient=coef, status="valid")
                 for d, amounts in zip(dossiers, plans) for op, kwh, coef in amounts],
                batch_size=2000,
            )
        print(f"  seeded {offset + size} / {missing}", flush=True)


def prepare(wanted: int, seeder: str) -> None:
    setup_django()
    from django.core.management import call_command

    from dossiers.models import Dossier

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    have = Dossier.objects.count()
    if have >= wanted:
        print(f"database already holds {have} dossiers")
    else:
        seed(wanted, have, seeder)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics after a bulk load


def seed(wanted: int, have: int, seeder: str) -> None:
    from django.core.management import call_command, get_commands

    use_demo = seeder == "demo" or (seeder == "auto" and "seed_demo" in get_commands())
    started = time.perf_counter()
    if use_demo:
        print(f"seeding with seed_demo --dossiers {wanted} (had {have})", flush=True)
        call_command("seed_demo", dossiers=wanted)
    else:
        print(f"seeding {wanted - have} dossiers with the built-in bulk seeder", flush=True)
        builtin_seed(wanted - have)
    print(f"seeded in {time.perf_counter() - started:.0f} s")


def measure(fmt: str, folder: str) -> dict:
    out = os.path.join(folder, f"dossiers.{fmt}")
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, __file__, "--child", fmt, "--out", out], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"{fmt} export failed:\n{completed.stderr}")
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = wall
    result["children_maxrss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--seeder", choices=["auto", "demo", "builtin"], default="auto")
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--child", choices=["csv", "xlsx"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child, args.out)
        return

    prepare(args.dossiers, args.seeder)
    from django.db import connection

    from dossiers.models import Dossier, DossierOperation

    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}; "
          f"{Dossier.objects.count()} dossiers, {DossierOperation.objects.count()} operations")
    connection.close()
    with tempfile.TemporaryDirectory(prefix="cee-export-bench-") as folder:
        for fmt in args.formats.split(","):
            r = measure(fmt, folder)
            first = f", first chunk after {r['first_chunk_seconds']:.2f} s" if r.get("first_chunk_seconds") else ""
            verdict = "OK" if r["seconds"] <= TARGETS[fmt] and r["maxrss_mb"] <= RSS_TARGET_MB else "OVER TARGET"
            print(
                f"{fmt.upper():4} {r['rows']:>7} rows  export {r['seconds']:6.1f} s (process wall {r['wall_seconds']:.1f} s, "
                f"process CPU {r['cpu_seconds']:.1f} s"
                f"{first})  peak RSS {r['maxrss_mb']:.0f} MB (RUSAGE_CHILDREN so far {r['children_maxrss_mb']:.0f} MB)  "
                f"{r['bytes'] / 1e6:.1f} MB file  target ≤ {TARGETS[fmt]:.0f} s / ≤ {RSS_TARGET_MB:.0f} MB: {verdict}",
                flush=True,
            )


if __name__ == "__main__":
    main()
