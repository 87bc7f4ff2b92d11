"""Fixed, hand-written statements on hot public paths, prepared once per connection where the
deployment allows prepared statements.

Planning costs PostgreSQL more than running these small lookups (measured: the tracking view's
statement 0.35 ms of server CPU planned each time, 0.04 ms prepared). Django turns prepared
statements off by default so that transaction poolers (PgBouncer before 1.21, or without
`max_prepared_statements`) keep working, and turns them back on with the database's OPTIONS
`{"prepare_threshold": N}`: the same switch decides here. With it on, only the statements sent
through `fetch_all` are prepared (the ORM keeps client-side binding); with it off, or on SQLite,
`fetch_all` is a plain cursor execute.
"""

import functools

from django.db import connection


@functools.cache
def _prepared_cursor_class():
    import psycopg  # only with PostgreSQL

    class PreparedCursor(psycopg.Cursor):
        """Server-side binding; every statement prepared (psycopg keeps them per connection)."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparedCursor


def _prepared_cursor():
    """A cursor wrapped as Django wraps its own (query log, error translation)."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = _prepared_cursor_class()(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)


def allowed() -> bool:
    """Whether this connection allows prepared statements (see the module); connects if needed.
    psycopg prepares nothing on a connection whose prepare_threshold is None, Django's default."""
    if connection.vendor != "postgresql":
        return False
    connection.ensure_connection()
    return connection.connection.prepare_threshold is not None


def _kept_cursor():
    """One prepared cursor per database connection, kept for its life (a psycopg cursor runs any
    number of statements); a new connection gets a new one."""
    kept = getattr(connection, "_danvan_prepared_cursor", None)
    if kept is None or kept.connection is not connection.connection or kept.closed:
        kept = _prepared_cursor_class()(connection.connection)
        connection._danvan_prepared_cursor = kept
    return kept


def fetch_all(sql: str, params: list) -> list[tuple]:
    """The rows of `sql`, prepared on this connection when allowed.

    Prepared statements run on a kept cursor, without Django's per-call cursor wrapper (which
    cost about as much CPU as the statement itself; measured in docs/performance.md) but with
    what it does that matters here: the broken-transaction check and Django's error classes.
    Where queries are being logged (DEBUG, tests counting them) or wrapped, the wrapper is used."""
    connection.close_if_health_check_failed()  # before connecting, as Django's cursor() does
    if not allowed():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    if connection.queries_logged or connection.execute_wrappers:
        with _prepared_cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        cursor = _kept_cursor()
        cursor.execute(sql, params)
        return cursor.fetchall()
