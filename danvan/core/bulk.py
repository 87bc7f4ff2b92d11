"""Bulk writes of prepared rows: PostgreSQL's COPY (formatted in C by psycopg), inside the
caller's transaction. Used where thousands of derived rows are written at once (the dashboard's
rollups)."""

from collections.abc import Iterable, Sequence

from django.db import connection


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """COPY `rows` (values in `columns` order) into `table`. PostgreSQL only."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
