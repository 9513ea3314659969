"""Benchmark: born-digital pages per second through the ``ingest`` command, one worker.

    .venv/bin/python bench/pipeline_throughput.py [--dossiers 100] [--seed 7] [--profile]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cee_bench .venv/bin/python bench/pipeline_throughput.py

Generates a born-digital corpus (``extraction.corpus.generate_corpus``, no scans; not
timed), then runs ``manage.py ingest FILES --json`` once per dossier, in this one process,
exactly as a user would: ingest checks, storage, text layer, page images, split,
classification, extraction, operations, completeness and rules, with every database
write, DEBUG off as in a production worker. Prints pages/s, documents/s, the process's
CPU per page and, with a local PostgreSQL, its backend's CPU per page, the machine's load, and the time per stage (from
the StageRun rows; stage durations include waiting for the CPU on a busy machine).

Without DATABASE_URL it uses a fresh SQLite database and media folder in a temporary
CEE_VAR_DIR; with it, the database is migrated and reference data loaded (use a scratch one).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(work: Path) -> None:
    os.environ.setdefault("CEE_VAR_DIR", str(work / "var"))
    os.environ["MEDIA_ROOT"] = str(work / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cee.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def database_server_cpu(connection) -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend, when the server runs
    on this machine (read from /proc); None otherwise."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="cProfile the ingest runs, print the top functions")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cee-bench-pipeline-"))
    setup_django(work)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from extraction.corpus import CorpusOptions, generate_corpus
    from extraction.models import StageRun

    # A production worker runs with DJANGO_DEBUG=false (README): no query log kept in memory.
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}")

    started = time.perf_counter()
    corpus = work / "corpus"
    manifest = generate_corpus(corpus, CorpusOptions(dossiers=args.dossiers, seed=args.seed, scanned_ratio=0.0))
    print(f"corpus: {len(manifest['files'])} files for {args.dossiers} dossiers in {time.perf_counter() - started:.1f} s (not timed)")

    by_dossier: dict[str, list[str]] = defaultdict(list)
    pages = documents = 0
    for entry in manifest["files"]:
        by_dossier[entry["dossier"]].append(str(corpus / entry["file"]))
        documents += len(entry["documents"])
        pages += sum(len(d["pages"]) for d in entry["documents"])

    first_run = StageRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    profiler = cProfile.Profile() if args.profile else None
    errors = 0
    load_before = os.getloadavg()[0]
    server_before = database_server_cpu(connection)
    cpu_before = time.process_time()
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    for files in by_dossier.values():
        out = io.StringIO()
        try:
            call_command("ingest", *files, "--json", stdout=out, stderr=io.StringIO())
        except Exception as error:  # a refused file: counted, the run goes on
            errors += 1
            print(f"  {files[0]}: {error}")
        for line in out.getvalue().splitlines():
            errors += "error" in json.loads(line)
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    server_after = database_server_cpu(connection)

    print(f"ingested: {len(by_dossier)} dossiers, {documents} documents, {pages} pages, {errors} file error(s)")
    print(f"wall time: {elapsed:.1f} s  (process CPU {cpu:.1f} s = {1000 * cpu / pages:.1f} ms/page)")
    if server_before is not None and server_after is not None:
        print(f"database server CPU (this session's backend): {1000 * (server_after - server_before) / pages:.1f} ms/page")
    print(f"load average: {load_before:.2f} before, {os.getloadavg()[0]:.2f} after, on {os.cpu_count()} CPUs "
          "(wall and CPU times stretch with it)")
    print(f"THROUGHPUT: {pages / elapsed:.1f} pages/s, {documents / elapsed:.1f} documents/s (target ≥ 15 pages/s)")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

    per_stage: dict[str, list[int]] = defaultdict(list)
    for stage, duration in StageRun.objects.filter(pk__gt=first_run).values_list("stage", "duration_ms"):
        per_stage[stage].append(duration or 0)
    print("time per stage (sum over the run, share of wall time, mean per run):")
    for stage, durations in sorted(per_stage.items(), key=lambda item: -sum(item[1])):
        total = sum(durations) / 1000
        print(f"  {stage:<10} {total:7.1f} s  {100 * total / elapsed:5.1f} %  {sum(durations) / len(durations):7.1f} ms × {len(durations)}")
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
