"""Benchmark: the installer API under concurrent load, on a real server (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cee_d CEE_VAR_DIR=/tmp/cee_d \
        .venv/bin/python manage.py seed_demo --dossiers 100000 --installers 200     # once, a few minutes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cee_d CEE_VAR_DIR=/tmp/cee_d \
        .venv/bin/python bench/api_load.py [--clients 16] [--requests 60] [--upload-clients 20] [--files 200]

Starts ``gunicorn cee.wsgi -w 2`` on loopback against ``DATABASE_URL`` (production settings:
DEBUG off, persistent connections), gives each simulated client the token of its own
installer company (the busiest companies of the seed), then measures:

1. ``GET /api/v1/dossiers/`` (first page, 25 rows with operations, missing documents,
   rule failures and payment state) for one client alone, then under ``--clients``
   concurrent clients;
2. the same list filtered (status, fiche, search, creation dates, ordering, page 3);
3. ``--upload-clients`` concurrent clients uploading ``--files`` distinct PDFs in total
   (one file per request, each with its Idempotency-Key) into draft dossiers made for the
   run; then counts the Document rows and the stored files: none may be lost or doubled.

Prints p50 / p95 / p99 / max latency (ms) and requests per second per scenario, the server's
CPU time per request (independent of what else runs on the machine, unlike latencies; with
N concurrent clients and W workers a request waits about N / W times its service time), the
machine's load, and the query plan of the list's main query. Target: list p95 ≤ 100 ms. The run's dossiers, files and
tokens are removed at the end; the seed stays.
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cee.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

FILTERED_QUERIES = [
    "?status=awaiting_documents",
    "?status=ready_for_review&status=in_review",
    "?operation=BAR-TH-171",
    "?search=dupont",
    "?created_after=2025-01-01&created_before=2025-06-30",
    "?ordering=-submitted_at&page=3",
    "?status=paid&ordering=premium_eur",
]
TARGET_P95_MS = 100.0


def setup_django():
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DB_CONN_MAX_AGE": "60",
        "API_THROTTLE_RATE": "1000000/min",  # measure the API, not the throttle
        "LOG_LEVEL": "WARNING",
    }
    command = [
        str(ROOT / ".venv/bin/gunicorn"), "cee.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}",
        "--threads", "1", "--timeout", "120", "--log-level", "warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def wait_until_up(base: str, timeout: float = 60) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/api/v1/dossiers/", timeout=2).status_code in (401, 403):
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit("le serveur n'a pas démarré")


def server_cpu_seconds(master_pid: int) -> float:
    """User + system CPU time of the gunicorn master and its workers (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ppid = int(fields[1])
        if int(entry) == master_pid or ppid == master_pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


class ServerCpu:
    """Counts the server's CPU time spent during a scenario, per request: a figure that does
    not depend on what else the machine is running, unlike the latencies."""

    def __init__(self, master_pid: int):
        self.master_pid = master_pid

    def __enter__(self):
        self.started = server_cpu_seconds(self.master_pid)
        return self

    def __exit__(self, *exc):
        self.seconds = server_cpu_seconds(self.master_pid) - self.started

    def per_request_ms(self, requests_done: int) -> float:
        return self.seconds * 1000 / max(requests_done, 1)


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]

    return {"n": len(ordered), "p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99), "max": ordered[-1],
            "mean": statistics.fmean(ordered)}


def report(name: str, latencies: list[float], seconds: float, errors: int) -> dict:
    stats = percentiles(latencies)
    print(
        f"{name:<38} n={stats['n']:>5}  p50={stats['p50']:7.1f} ms  p95={stats['p95']:7.1f} ms  "
        f"p99={stats['p99']:7.1f} ms  max={stats['max']:7.1f} ms  {stats['n'] / seconds:7.1f} req/s  erreurs={errors}"
    )
    return stats


def run_clients(base: str, tokens: list[str], paths_for_client, requests_per_client: int) -> tuple[list[float], float, int]:
    """Each client (thread) has its own keep-alive session and token and sends its requests
    back to back; returns the latencies (ms), the wall time and the error count."""
    import requests

    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    barrier = threading.Barrier(len(tokens))

    def client(index: int):
        nonlocal errors
        session = requests.Session()
        session.headers["Authorization"] = f"Token {tokens[index]}"
        paths = paths_for_client(index)
        for warm in range(3):
            session.get(base + paths[warm % len(paths)])
        barrier.wait()
        mine, failed = [], 0
        for n in range(requests_per_client):
            started = time.perf_counter()
            response = session.get(base + paths[n % len(paths)])
            mine.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200 or "results" not in response.json():
                failed += 1
        with lock:
            latencies.extend(mine)
            errors += failed

    started = time.perf_counter()
    with ThreadPoolExecutor(len(tokens)) as pool:
        list(pool.map(client, range(len(tokens))))
    return latencies, time.perf_counter() - started, errors


def prepare_tokens(count: int):
    """Tokens for the ``count`` installer companies with the most dossiers."""
    from django.db.models import Count

    from accounts.models import Installer, Role, User
    from accounts.tokens import issue_token

    companies = list(
        Installer.objects.annotate(n=Count("dossiers")).filter(users__role=Role.INSTALLER).order_by("-n").distinct()[:count]
    )
    if len(companies) < count:
        raise SystemExit(f"{len(companies)} installateurs avec un utilisateur : il en faut {count} (seed_demo --installers).")
    tokens, rows = [], []
    for company in companies:
        user = User.objects.filter(installer=company, role=Role.INSTALLER, is_active=True).order_by("pk").first()
        token, key = issue_token(user, "bench api_load")
        tokens.append(key)
        rows.append(token)
    return companies, tokens, rows


def sample_pdfs(count: int) -> list[bytes]:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    run = uuid.uuid4().hex[:8]
    out = []
    for index in range(count):
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, pagesize=A4)
        pdf.setFont("Helvetica-Bold", 18)
        pdf.drawString(60, 780, f"FACTURE N° BENCH-{run}-{index:04d}")
        pdf.setFont("Helvetica", 11)
        pdf.drawString(60, 750, "Isolation des combles perdus — BAR-EN-101 — 90 m²")
        pdf.drawString(60, 732, f"Montant TTC : {1000 + index},00 €")
        pdf.showPage()
        pdf.save()
        out.append(buffer.getvalue())
    return out


def upload_scenario(base: str, tokens: list[str], files: int) -> tuple[dict, list[int]]:
    import requests

    clients = len(tokens)
    pdfs = sample_pdfs(files)
    dossier_ids = []
    for token in tokens:
        response = requests.post(
            base + "/api/v1/dossiers/", json={"beneficiary_name": "Bench api_load"},
            headers={"Authorization": f"Token {token}", "Idempotency-Key": uuid.uuid4().hex}, timeout=30,
        )
        response.raise_for_status()
        dossier_ids.append(response.json()["id"])

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(index: int):
        session = requests.Session()
        session.headers["Authorization"] = f"Token {tokens[index]}"
        mine = pdfs[index::clients]
        barrier.wait()
        for number, content in enumerate(mine):
            started = time.perf_counter()
            response = session.post(
                f"{base}/api/v1/dossiers/{dossier_ids[index]}/documents/",
                files={"files": (f"facture-{index:02d}-{number:03d}.pdf", content, "application/pdf")},
                headers={"Idempotency-Key": uuid.uuid4().hex}, timeout=120,
            )
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    seconds = time.perf_counter() - started
    errors = sum(n for code, n in statuses.items() if code != 201)
    stats = report(f"POST documents ({clients} clients, {files} fichiers)", latencies, seconds, errors)
    print(f"  → statuts HTTP : {dict(sorted(statuses.items()))}")
    return stats, dossier_ids


def check_uploads(dossier_ids: list[int], expected: int) -> bool:
    from django.core.files.storage import default_storage

    from documents.models import Document

    documents = Document.objects.filter(dossier_id__in=dossier_ids)
    rows = documents.count()
    hashes = documents.values("sha256").distinct().count()
    names = set(documents.values_list("file", flat=True))
    stored = set()
    for dossier_id in dossier_ids:
        folder = f"dossiers/{dossier_id}"
        if default_storage.exists(folder):
            stored |= {f"{folder}/{name}" for name in default_storage.listdir(folder)[1]}
    ok = rows == hashes == len(stored) == expected and names == stored
    print(
        f"Vérification : {rows} lignes Document, {hashes} empreintes distinctes, {len(stored)} fichiers stockés "
        f"(attendu {expected}) ; fichiers et lignes identiques : {names == stored} → {'OK' if ok else 'ÉCHEC'}"
    )
    return ok


def cleanup(dossier_ids: list[int], token_rows) -> None:
    from django.core.files.storage import default_storage

    from dossiers.models import Dossier

    for dossier in Dossier.objects.filter(pk__in=dossier_ids):
        for document in dossier.documents.all():
            if document.file:
                default_storage.delete(document.file.name)
        dossier.delete()
    for token in token_rows:
        token.delete()


def explain_list_query(company) -> None:
    from django.db import connection

    from accounts.models import Role
    from dossiers.installer_selectors import installer_dossier_list

    user = company.users.filter(role=Role.INSTALLER).first()
    queryset = installer_dossier_list(user).order_by("-created_at", "-id")[:25]
    if connection.vendor == "postgresql":
        plan = queryset.explain(analyze=True)
        print("Plan de la requête de liste (première page) :")
        for line in plan.splitlines():
            print("    " + line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=60, help="requêtes mesurées par client et par scénario")
    parser.add_argument("--upload-clients", type=int, default=20)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="processus gunicorn")
    args = parser.parse_args()

    setup_django()
    from django.db import connection

    from dossiers.models import Dossier

    total = Dossier.objects.count()
    print(f"Base : {connection.vendor} {connection.settings_dict['NAME']} — {total} dossiers, "
          f"{os.cpu_count()} cœurs, charge de la machine {os.getloadavg()[0]:.2f} (avant le test)")
    if total < 100_000:
        print("Attention : moins de 100 000 dossiers (lancez seed_demo --dossiers 100000 --installers 200).")
    if connection.vendor == "postgresql":
        # The state a production database is in (autovacuum): planner statistics fresh and the
        # visibility map set after a bulk seed, so index-only scans skip the heap.
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM (ANALYZE) dossiers_dossier, dossiers_dossieroperation, dossiers_operation, "
                "rules_ruleresult, billing_invoice, accounts_apitoken, documents_document"
            )

    companies, tokens, token_rows = prepare_tokens(max(args.clients, args.upload_clients))
    sizes = [company.n for company in companies[: args.clients]]
    print(f"{args.clients} clients, un installateur chacun ({min(sizes)}–{max(sizes)} dossiers par installateur)")
    explain_list_query(companies[0])

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port, args.workers)
    dossier_ids: list[int] = []
    ok = True
    try:
        wait_until_up(base)
        alone = run_clients(base, tokens[:1], lambda i: ["/api/v1/dossiers/"], args.requests)
        report("GET /dossiers/ 1re page (1 client seul)", *alone)
        with ServerCpu(server.pid) as cpu:
            first = run_clients(base, tokens[: args.clients], lambda i: ["/api/v1/dossiers/"], args.requests)
        stats_first = report(f"GET /dossiers/ 1re page ({args.clients} clients)", *first)
        print(f"  → CPU du serveur (gunicorn) : {cpu.per_request_ms(len(first[0]) + 3 * args.clients):.1f} ms par requête")
        with ServerCpu(server.pid) as cpu:
            filtered = run_clients(
                base, tokens[: args.clients],
                lambda i: ["/api/v1/dossiers/" + q for q in FILTERED_QUERIES[i % len(FILTERED_QUERIES):] + FILTERED_QUERIES],
                args.requests,
            )
        stats_filtered = report(f"GET /dossiers/ filtrée ({args.clients} clients)", *filtered)
        print(f"  → CPU du serveur (gunicorn) : {cpu.per_request_ms(len(filtered[0]) + 3 * args.clients):.1f} ms par requête")
        print(f"Charge de la machine pendant le test : {os.getloadavg()[0]:.2f} (pour {os.cpu_count()} cœurs)")
        for name, stats in (("1re page", stats_first), ("filtrée", stats_filtered)):
            verdict = "atteint" if stats["p95"] <= TARGET_P95_MS else "MANQUÉ"
            print(f"Objectif p95 ≤ {TARGET_P95_MS:.0f} ms ({name}) : {verdict}")
        with ServerCpu(server.pid) as cpu:
            _stats, dossier_ids = upload_scenario(base, tokens[: args.upload_clients], args.files)
        print(f"  → CPU du serveur (gunicorn) : {cpu.per_request_ms(args.files + args.upload_clients):.1f} ms par requête")
        ok = check_uploads(dossier_ids, args.files) and first[2] == 0 and filtered[2] == 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        cleanup(dossier_ids, token_rows)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
