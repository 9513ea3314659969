"""Server time of the validators' screens on a large database: the queue and the review screen.

Usage (on a database seeded with ``manage.py seed_demo --dossiers 100000``)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cee_f CEE_VAR_DIR=/tmp/cee_f \\
        .venv/bin/python bench/review_speed.py [--requests 50]

Each page is requested in-process with Django's test Client (middleware, view, queries,
template rendering; no network, no static files), logged in as a validator, with DEBUG off.
Three warm-up requests, then ``--requests`` timed ones; prints median and p95 wall time in
milliseconds, the median CPU time of this process (the Python side alone, less sensitive to
a busy machine), the number of SQL queries of one request, and the machine's load average. Targets: queue p95 ≤ 150 ms,
review screen p95 ≤ 250 ms.

The review screen is measured on a dossier of the queue whose fields come from 5 documents,
about 60 extracted fields in all (the most urgent one found). Opening it claims it for the
bench validator; it is released at the end.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cee.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from documents.models import Document  # noqa: E402
from dossiers.review import services as review  # noqa: E402
from dossiers.models import Dossier, DossierStatus  # noqa: E402
from dossiers.review.queue import QUEUE_STATUSES  # noqa: E402
from extraction.models import ExtractedField  # noqa: E402

BENCH_VALIDATOR = "bench-validateur@cee.local"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(client: Client, url: str, data: dict | None, requests: int) -> tuple[float, float, float, int, int]:
    """(median ms, p95 ms, median CPU ms of this process, queries of one request, response bytes).

    Wall time is what a validator waits for (the database's work included); the process's
    CPU time is the Python side alone, which a busy machine inflates much less.
    """
    for _ in range(3):
        response = client.get(url, data or {})
        assert response.status_code == 200, (url, response.status_code)
    timings, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, data or {})
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    return (statistics.median(timings), percentile(timings, 0.95), statistics.median(cpu), len(captured),
            len(response.content))


def review_candidate() -> Dossier | None:
    """A dossier ready for review whose fields come from 5 documents, as close to 60 fields as
    there is (its photos and sizing note, which carry no field, come on top)."""
    rows = (
        ExtractedField.objects.filter(dossier__status=DossierStatus.READY_FOR_REVIEW, dossier__assigned_to__isnull=True)
        .values("dossier")
        .annotate(documents=Count("document", distinct=True), fields=Count("pk"))
        .filter(documents=5, fields__gte=55, fields__lte=70)
        .order_by()
    )
    best = min(rows, key=lambda row: (abs(row["fields"] - 60), row["dossier"]), default=None)
    return Dossier.objects.get(pk=best["dossier"]) if best else None


def spaced(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    settings.DEBUG = False

    validator, created = User.objects.get_or_create(
        email=BENCH_VALIDATOR, defaults={"role": Role.VALIDATOR, "first_name": "Banc", "last_name": "Mesure"}
    )
    if created:
        validator.set_unusable_password()
        validator.save()
    client = Client()
    client.force_login(validator)

    print(f"Base : {connection.vendor} « {connection.settings_dict['NAME']} »")
    queue_size = Dossier.objects.filter(status__in=QUEUE_STATUSES).count()
    print(f"Volumes : {spaced(Dossier.objects.count())} dossiers ({spaced(queue_size)} dans la file), "
          f"{spaced(Document.objects.count())} documents, {spaced(ExtractedField.objects.count())} champs extraits")
    print(f"Mesure : {args.requests} requêtes par page, Client Django en processus (temps serveur, sans réseau), DEBUG off\n")

    queue = reverse("admin:dossiers_dossier_changelist")
    pages = [
        ("File : première page", queue, None, 150),
        ("File : filtrée (fiche + confiance + règles KO)", queue,
         {"fiche": "BAR-TH-171", "confiance": "high", "regles": "0"}, 150),
        ("File : filtrée (validateur non assigné, soumis 30 j)", queue,
         {"validateur": "aucun", "soumis_du": "2000-01-01"}, 150),
        ("File : recherche bénéficiaire", queue, {"q": "martin"}, 150),
        ("File : page 20", queue, {"p": "20"}, 150),
    ]
    dossier = review_candidate()
    if dossier is None:
        sys.exit("Aucun dossier de la file n'a 5 documents et ~60 champs : lancez d'abord "
                 "« manage.py seed_demo --dossiers 100000 ».")
    documents = dossier.documents.count()
    fields = dossier.fields.count()
    review_url = reverse("admin:dossiers_dossier_review", args=[dossier.pk])
    pages.append((f"Revue {dossier.reference} ({documents} documents dont 5 lus, {fields} champs)", review_url, None, 250))

    load = os.getloadavg()[0]
    print(f"Charge de la machine au départ : {load:.1f} sur {os.cpu_count()} cœurs\n")
    print(f"{'page':<62} {'médiane':>9} {'p95':>9} {'CPU méd.':>9} {'cible p95':>9} {'requêtes':>9} {'taille':>7}")
    try:
        for label, url, data, target in pages:
            median, p95, cpu, queries, size = measure(client, url, data, args.requests)
            verdict = "ok" if p95 <= target else "au-delà"
            print(f"{label:<62} {median:>7.1f}ms {p95:>7.1f}ms {cpu:>7.1f}ms {target:>7}ms {queries:>9} "
                  f"{size / 1024:>5.0f}Ko  {verdict}")
        print(f"\nCharge de la machine à la fin : {os.getloadavg()[0]:.1f} sur {os.cpu_count()} cœurs")
    finally:
        dossier.refresh_from_db()
        if dossier.status == DossierStatus.IN_REVIEW and dossier.assigned_to_id == validator.pk:
            review.release(dossier, validator)


if __name__ == "__main__":
    main()
