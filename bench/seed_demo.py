"""Benchmark of ``seed_demo`` at scale: wall and CPU time, rows written, machine load.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cee_bench CEE_VAR_DIR=/tmp/bench \
        .venv/bin/python bench/seed_demo.py --dossiers 100000 --installers 200

Resets the demo dossiers of the database it points at, then seeds ``--dossiers`` of them.
Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cee.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--installers", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from dossiers.backoffice.demo.accounts import demo_dossiers
    from documents.models import Document
    from accounts.models import Activity
    from dossiers.models import DossierOperation
    from extraction.models import ExtractedField

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    load_before = os.getloadavg()
    wall = time.monotonic()
    cpu = time.process_time()
    out = StringIO()
    call_command("seed_demo", "--reset", "--dossiers", str(args.dossiers), "--installers", str(args.installers), stdout=out)
    wall = time.monotonic() - wall
    cpu = time.process_time() - cpu
    dossiers = demo_dossiers()
    counts = {
        "dossiers": dossiers.count(),
        "operations": DossierOperation.objects.filter(dossier__in=dossiers).count(),
        "documents": Document.objects.filter(dossier__in=dossiers).count(),
        "extracted fields": ExtractedField.objects.filter(dossier__in=dossiers).count(),
        "activity entries": Activity.objects.filter(dossier__in=dossiers).count(),
    }
    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
    print(f"load average before: {load_before[0]:.1f} / {load_before[1]:.1f} / {load_before[2]:.1f} on {os.cpu_count()} CPUs;"
          f" after: {os.getloadavg()[0]:.1f}")
    print(f"seed_demo --reset --dossiers {args.dossiers} --installers {args.installers}: {wall:.0f} s wall, "
          f"{cpu:.0f} s CPU in this process, peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")
    for name, count in counts.items():
        print(f"  {name:<17} {count:>10}  ({count / wall:,.0f} rows/s)")
    print("command output (last lines):")
    print("\n".join(out.getvalue().splitlines()[-9:-6]))


if __name__ == "__main__":
    main()
