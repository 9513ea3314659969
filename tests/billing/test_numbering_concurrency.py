"""Gap-free invoice numbering under concurrent creation, on a real PostgreSQL server."""
from __future__ import annotations

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from accounts.roles import sync_role_groups
from billing.models import Invoice
from dossiers.workflow.invoicing import create_invoice_for_dossier
from tests.factories import AdministratorFactory

from .conftest import make_approved_dossier

THREADS = 8
PER_THREAD = 10


@pytest.fixture
def committed_reference_data():
    """A transactional test flushes the database afterwards: put the reference data and the
    role groups back so the tests that follow find them."""
    yield
    sync_role_groups()
    call_command("load_reference_data", verbosity=0)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every writer on one file lock, so there is no concurrent numbering to prove; "
    "the row lock (SELECT … FOR UPDATE) this test exercises only exists on PostgreSQL.",
)
@pytest.mark.django_db(transaction=True)
def test_parallel_threads_get_consecutive_numbers_without_gap_or_duplicate(committed_reference_data):
    administrator = AdministratorFactory()
    dossiers = [make_approved_dossier() for _ in range(THREADS * PER_THREAD)]
    batches = [dossiers[i::THREADS] for i in range(THREADS)]
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def invoice_batch(batch):
        try:
            start.wait()
            for dossier in batch:
                create_invoice_for_dossier(dossier, user=administrator, issue_date=datetime.date(2026, 6, 1))
        except BaseException as exc:  # reported below, in the main thread
            errors.append(exc)
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=invoice_batch, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    invoices = Invoice.objects.filter(year=2026)
    sequences = sorted(invoices.values_list("sequence", flat=True))
    assert sequences == list(range(1, THREADS * PER_THREAD + 1))
    assert sorted(invoices.values_list("number", flat=True)) == [f"FAC-2026-{n:06d}" for n in range(1, 81)]
    assert invoices.values("dossier").distinct().count() == THREADS * PER_THREAD
