"""Commits that do not wait for the disk (``unflushed_commits``, ``unflushed_transaction``): only
the transactions begun inside the block, with no savepoint or statement of their own."""
from __future__ import annotations

import pytest
from django.db import connection, transaction

from extraction.pipeline.runner import unflushed_commits, unflushed_transaction

pytestmark = [
    pytest.mark.django_db(transaction=True),  # real outermost transactions, not the test's own
    pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's"),
]


def synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def test_a_transaction_begun_inside_the_block_commits_without_waiting_and_adds_no_savepoint():
    executed = []
    with connection.execute_wrapper(lambda execute, sql, *args: executed.append(sql) or execute(sql, *args)):
        with unflushed_commits():
            with transaction.atomic():  # the outermost block: a transaction, no savepoint
                assert synchronous_commit() == "off"
            with transaction.atomic():  # each transaction begun in the block
                assert synchronous_commit() == "off"
            assert synchronous_commit() == "on"  # autocommit: left as it is
    assert not [sql for sql in executed if "SAVEPOINT" in sql]
    assert synchronous_commit() == "on"


def test_a_transaction_already_open_keeps_waiting_for_the_disk():
    with transaction.atomic():
        with unflushed_transaction():
            assert synchronous_commit() == "on"
        with unflushed_commits(), transaction.atomic():
            assert synchronous_commit() == "on"


def test_an_unflushed_transaction_is_one_transaction_and_the_setting_ends_with_it():
    with unflushed_transaction():
        assert synchronous_commit() == "off"
        with unflushed_transaction():  # nested: a savepoint of the same transaction
            assert synchronous_commit() == "off"
    assert synchronous_commit() == "on"
    with unflushed_transaction():
        pass  # no statement: nothing is sent
    assert synchronous_commit() == "on"
