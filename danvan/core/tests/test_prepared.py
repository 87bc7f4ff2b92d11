"""core.prepared: statements prepared on a kept cursor where the connection allows it, with
Django's broken-transaction check and error classes; a plain cursor elsewhere."""

import pytest
from django.db import DatabaseError, ProgrammingError, connection, transaction
from django.db.transaction import TransactionManagementError

from danvan.core import prepared

pytestmark = pytest.mark.django_db

POSTGRES = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


@pytest.fixture
def preparing(monkeypatch):
    """The connection as a deployment with DB_PREPARE_THRESHOLD has it."""
    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "prepare_threshold", 5)


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_without_prepared_statements_it_is_a_plain_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert prepared.fetch_all("SELECT %s + 1", [41]) == [(42,)]
    if connection.vendor == "postgresql":
        assert connection.connection.prepare_threshold is None
        assert not any("+ 1" in s for s in prepared_statements())


@POSTGRES
def test_it_prepares_on_one_kept_cursor_and_a_new_connection_gets_a_new_one(preparing):
    assert prepared.fetch_all("SELECT %s::int * 2", [21]) == [(42,)]
    kept = connection._danvan_prepared_cursor
    assert prepared.fetch_all("SELECT %s::int * 2", [5]) == [(10,)]
    assert connection._danvan_prepared_cursor is kept
    assert any("* 2" in s for s in prepared_statements())
    kept.close()  # e.g. closed by an error elsewhere
    assert prepared.fetch_all("SELECT %s::int * 2", [6]) == [(12,)]
    assert connection._danvan_prepared_cursor is not kept


@POSTGRES
def test_errors_are_djangos_and_a_broken_transaction_is_refused(preparing):
    with pytest.raises(ProgrammingError), transaction.atomic():
        prepared.fetch_all("SELECT no_such_column FROM core_user WHERE id = %s", [1])
    with transaction.atomic():
        with pytest.raises(DatabaseError), transaction.atomic(savepoint=False):
            prepared.fetch_all("SELECT 1 / %s::int", [0])
        with pytest.raises(TransactionManagementError):
            prepared.fetch_all("SELECT %s::int", [1])
    assert prepared.fetch_all("SELECT %s::int", [1]) == [(1,)]


@POSTGRES
def test_queries_are_counted_while_they_are_logged(preparing, django_assert_num_queries):
    with django_assert_num_queries(2):
        prepared.fetch_all("SELECT %s::int", [1])
        prepared.fetch_all("SELECT %s::int", [2])
