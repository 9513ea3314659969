"""Benchmark: the installer API under concurrent load, on a real server (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cee_d CEE_VAR_DIR=/tmp/cee_d \
        .venv/bin/python manage.py seed_demo --dossiers 100000 --installers 200     # once, a few minutes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cee_d CEE_VAR_DIR=/tmp/cee_d \
        .venv/bin/python bench/api_load.py [--clients 16] [--requests 60] [--workers 4] \
        [--upload-clients 20] [--files 200] [--plans]

Starts ``gunicorn cee.wsgi -w 4`` (sync workers, as the README's deployment section
recommends for a 2-core machine: while one worker waits on PostgreSQL another uses the core)
on loopback against ``DATABASE_URL`` (production settings: DEBUG off, persistent
connections), warms every worker up, gives each simulated client the token of its own
installer company (the busiest companies of the seed), then measures:

1. ``GET /api/v1/dossiers/`` (first page, 25 rows with operations, missing documents,
   rule failures and payment state) for one client alone, then under ``--clients``
   concurrent clients;
2. the same list filtered (status, fiche, search, creation dates, ordering, page 3);
3. ``--upload-clients`` concurrent clients uploading ``--files`` distinct PDFs in total
   (one file per request, each with its Idempotency-Key) into draft dossiers made for the
   run; then counts the Document rows and the stored files: none may be lost or doubled
   (``--files 0`` skips it).

Each list client is a process of its own (no GIL shared between clients, so the client side
does not inflate the server's latencies) sending its requests back to back over
``http.client``; a latency is the full HTTP round trip on loopback seen by the client, from
sending the request to reading the last byte of the answer (connection included: gunicorn's
sync workers close it after each answer, as behind a proxy that does not keep upstream
connections alive).

Prints p50 / p95 / p99 / max latency (ms) and requests per second per scenario, and the CPU
time per request of the server (gunicorn), of PostgreSQL (the server's connections) and of
the clients: figures that do not depend on what else runs on the machine, unlike latencies.
With N closed-loop clients on C cores a request waits about N × (their sum) / C, so the
latencies are only comparable on a quiet machine (the load is printed with each figure).
Also prints the plan and time PostgreSQL takes for each list request of the scenarios
(EXPLAIN ANALYZE; ``--plans`` for the whole plans). Target: list p95 ≤ 100 ms. The run's
dossiers, files and tokens are removed at the end; the seed stays.
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
DEFAULT_WORKERS = 4  # gunicorn sync workers for this 2-core machine (see the README, Deploying)


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
        "SITE_URL": "http://127.0.0.1",
        "DB_CONN_MAX_AGE": "60",
        "API_THROTTLE_RATE": "1000000/min",  # measure the API, not the throttle
        "LOG_LEVEL": "WARNING",
    }
    command = [
        str(ROOT / ".venv/bin/gunicorn"), "cee.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}",
        "--threads", "1", "--timeout", "120", "--log-level", "warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def wait_until_up(base: str, token: str, timeout: float = 60) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            response = requests.get(base + "/api/v1/dossiers/", headers={"Authorization": f"Token {token}"}, timeout=5)
            if response.status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit("le serveur n'a pas démarré")


def process_cpu_seconds(pid: int) -> tuple[int, float] | None:
    """(parent pid, user + system CPU seconds) of a process (Linux /proc), None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(master_pid: int) -> float:
    """CPU time of the gunicorn master and its workers."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            found = process_cpu_seconds(int(entry))
            if found and (int(entry) == master_pid or found[0] == master_pid):
                total += found[1]
    return total


def database_backend_cpu() -> dict[int, float]:
    """CPU time of each PostgreSQL backend serving this database, but this process's own: the
    server's workers' persistent connections (PostgreSQL on this machine; empty otherwise)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'"
        )
        pids = [pid for (pid,) in cursor.fetchall()]
    return {pid: found[1] for pid in pids if (found := process_cpu_seconds(pid))}


class CpuMeter:
    """The CPU time spent during a scenario's measured requests by the server (gunicorn) and by
    PostgreSQL for it: figures that do not depend on what else the machine runs, unlike the
    latencies. (A backend that closes during the scenario is missed: the server keeps its
    connections DB_CONN_MAX_AGE seconds.)"""

    def __init__(self, master_pid: int):
        self.master_pid = master_pid

    def start(self) -> None:
        self.server_started = server_cpu_seconds(self.master_pid)
        self.database_started = database_backend_cpu()

    def stop(self) -> None:
        self.server = server_cpu_seconds(self.master_pid) - self.server_started
        self.database = sum(
            seconds - self.database_started.get(pid, 0.0) for pid, seconds in database_backend_cpu().items()
        )


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples) or [float("nan")]  # no answer at all: the errors say why

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]

    return {"n": len(samples), "p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99), "max": ordered[-1],
            "mean": statistics.fmean(ordered)}


def report(name: str, latencies: list[float], seconds: float, errors: int) -> dict:
    stats = percentiles(latencies)
    print(
        f"{name:<38} n={stats['n']:>5}  p50={stats['p50']:7.1f} ms  p95={stats['p95']:7.1f} ms  "
        f"p99={stats['p99']:7.1f} ms  max={stats['max']:7.1f} ms  {stats['n'] / seconds:7.1f} req/s  erreurs={errors}"
    )
    return stats


def report_scenario(name: str, result, meter: CpuMeter) -> dict:
    stats = report(name, result.latencies, result.seconds, result.errors)
    done = max(len(result.latencies), 1)
    server, database, clients = (seconds * 1000 / done for seconds in (meter.server, meter.database, result.client_cpu))
    print(
        f"  → CPU par requête : serveur (gunicorn) {server:.1f} ms, PostgreSQL {database:.1f} ms, clients {clients:.1f} ms "
        f"(total {server + database + clients:.1f} ms : au plus {1000 * os.cpu_count() / (server + database + clients):.0f} req/s "
        f"sur {os.cpu_count()} cœurs) ; charge de la machine {os.getloadavg()[0]:.2f}"
    )
    return stats


class ScenarioResult:
    """Latencies (ms) of a scenario's measured requests, its wall time, its errors and the CPU
    time the clients themselves spent (s)."""

    def __init__(self, latencies: list[float], seconds: float, errors: int, client_cpu: float):
        self.latencies, self.seconds, self.errors, self.client_cpu = latencies, seconds, errors, client_cpu


def _list_client(port: int, token: str, paths: list[str], count: int, barrier, results) -> None:
    """One simulated integration, in a process of its own (no GIL shared with the other
    clients): one HTTP/1.1 connection (reopened when the server closes it, as gunicorn's sync
    workers do after each response), its requests back to back, each timed from sending it to
    its last byte read."""
    import http.client
    import json

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}

    def get(path: str) -> tuple[int, bytes]:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()

    try:
        for warm in range(3):
            get(paths[warm % len(paths)])
    finally:
        barrier.wait()  # the others start even if this client cannot
    cpu = time.process_time()
    latencies, errors = [], 0
    try:
        for n in range(count):
            started = time.perf_counter()
            status, body = get(paths[n % len(paths)])
            latencies.append((time.perf_counter() - started) * 1000)
            if status != 200 or "results" not in json.loads(body):
                errors += 1
    except (OSError, http.client.HTTPException, ValueError) as error:
        print(f"client : {error!r}", file=sys.stderr)
        errors += count - len(latencies)
    results.put((latencies, errors, time.process_time() - cpu))


def run_clients(
    port: int, tokens: list[str], paths_for_client, requests_per_client: int, meter: CpuMeter | None = None,
) -> ScenarioResult:
    """Each client (a process) has its own connection and token and sends its requests back to
    back; they start together, after three requests each to warm up (not measured)."""
    import multiprocessing

    from django.db import connection

    connection.close()  # the clients are forked from this process: they must not share its connection
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(tokens) + 1)
    results = context.Queue()
    clients = [
        context.Process(target=_list_client, args=(port, token, paths_for_client(index), requests_per_client, barrier, results))
        for index, token in enumerate(tokens)
    ]
    for client in clients:
        client.start()
    barrier.wait()
    if meter:
        meter.start()
    started = time.perf_counter()
    collected = [results.get() for _ in clients]
    seconds = time.perf_counter() - started
    if meter:
        meter.stop()
    for client in clients:
        client.join()
    return ScenarioResult(
        [latency for latencies, _, _ in collected for latency in latencies], seconds,
        sum(errors for _, errors, _ in collected), sum(cpu for _, _, cpu in collected),
    )


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


def explain_list_queries(token: str, paths: list[str], full: bool) -> None:
    """The plan PostgreSQL runs (EXPLAIN ANALYZE) for each list request of the scenarios: the
    page query is captured from the request itself, served in this process."""
    from django.db import connection
    from django.test import Client

    if connection.vendor != "postgresql":
        return
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    print("Plans de la requête de liste (EXPLAIN ANALYZE ; --plans pour les plans complets) :")
    for path in paths:
        captured = []

        def capture(execute, sql, params, many, context):
            if 'FROM "dossiers_dossier"' in sql:
                captured.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            response = client.get(path)
        if response.status_code != 200 or not captured:
            print(f"    {path} : statut {response.status_code}, pas de requête de liste")
            continue
        sql, params = captured[-1]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + sql, params)
            plan = [line for (line,) in cursor.fetchall()]
        scans = sorted({line.split("  (")[0].strip().removeprefix("->  ") for line in plan if " on dossiers_dossier" in line})
        timing = next(line for line in plan if line.startswith("Execution Time"))
        print(f"    {path:<58} {timing.split(': ')[1]:>10}  {' ; '.join(scans)}")
        if full:
            for line in plan:
                print("        " + line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=60, help="requêtes mesurées par client et par scénario")
    parser.add_argument("--upload-clients", type=int, default=20)
    parser.add_argument("--files", type=int, default=200, help="0 : pas de scénario d'envoi")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="processus gunicorn")
    parser.add_argument("--plans", action="store_true", help="plans complets des requêtes de liste")
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

    companies, tokens, token_rows = prepare_tokens(max(args.clients, args.upload_clients if args.files else 0, 2 * args.workers))
    sizes = [company.n for company in companies[: args.clients]]
    print(f"{args.clients} clients, un installateur chacun ({min(sizes)}–{max(sizes)} dossiers par installateur), "
          f"gunicorn -w {args.workers}")
    explain_list_queries(tokens[0], ["/api/v1/dossiers/"] + ["/api/v1/dossiers/" + q for q in FILTERED_QUERIES], args.plans)

    port = free_port()
    server = start_server(port, args.workers)
    meter = CpuMeter(server.pid)
    dossier_ids: list[int] = []
    ok = True
    try:
        wait_until_up(f"http://127.0.0.1:{port}", tokens[0])
        # Every worker warm (its first requests load the URLs, open its connection…) before
        # anything is measured: twice as many clients as workers, a few requests each.
        run_clients(port, tokens[: 2 * args.workers], lambda i: ["/api/v1/dossiers/"], 3)
        alone = run_clients(port, tokens[:1], lambda i: ["/api/v1/dossiers/"], args.requests, meter)
        report_scenario("GET /dossiers/ 1re page (1 client seul)", alone, meter)
        first = run_clients(port, tokens[: args.clients], lambda i: ["/api/v1/dossiers/"], args.requests, meter)
        stats_first = report_scenario(f"GET /dossiers/ 1re page ({args.clients} clients)", first, meter)
        filtered = run_clients(
            port, tokens[: args.clients],
            lambda i: ["/api/v1/dossiers/" + q for q in FILTERED_QUERIES[i % len(FILTERED_QUERIES):] + FILTERED_QUERIES],
            args.requests, meter,
        )
        stats_filtered = report_scenario(f"GET /dossiers/ filtrée ({args.clients} clients)", filtered, meter)
        for name, stats in (("1re page", stats_first), ("filtrée", stats_filtered)):
            verdict = "atteint" if stats["p95"] <= TARGET_P95_MS else "MANQUÉ"
            print(f"Objectif p95 ≤ {TARGET_P95_MS:.0f} ms ({name}) : {verdict}")
        ok = first.errors == 0 and filtered.errors == 0
        if args.files:
            meter.start()
            _stats, dossier_ids = upload_scenario(f"http://127.0.0.1:{port}", tokens[: args.upload_clients], args.files)
            meter.stop()
            print(f"  → CPU du serveur (gunicorn) : {meter.server * 1000 / (args.files + args.upload_clients):.1f} ms par requête")
            ok = check_uploads(dossier_ids, args.files) and ok
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        cleanup(dossier_ids, token_rows)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
