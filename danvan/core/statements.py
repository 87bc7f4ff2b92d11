"""Statements of one fixed queryset shape, compiled once per WHERE clause.

A call site that always builds its queryset the same way (the same columns, annotations and
ordering) and varies only the filter values and the slice gets the same SQL text every time the
compiled WHERE clause and the slice are the same. `ShapeCache` compiles the whole statement the
first time and afterwards compiles only the WHERE clause for its parameters, about a tenth of
the ORM's work (the busiest list, the petitions inbox, spent longer compiling its page than the
database spent answering it). The ORM stays the one definition of the query.
"""

import re

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import QuerySet

_PLACEHOLDER = re.compile(r"%s")


class ShapeCache:
    """One per call site (see the module docstring): never share one between code paths that
    build different columns, annotations or orderings."""

    def __init__(self, size: int = 512):
        self.size = size
        self._entries: dict[tuple, tuple[str, tuple, tuple]] = {}

    def sql_with_params(self, qs: QuerySet) -> tuple[str, tuple]:
        """`qs.query.sql_with_params()`, from the cache when the shape was seen. Raises
        EmptyResultSet as the ORM does for a filter that matches nothing."""
        query = qs.query
        try:
            where, where_params = query.get_compiler(qs.db).compile(query.where)
        except FullResultSet:
            where, where_params = "", ()
        key = (qs.db, where, query.low_mark, query.high_mark)
        entry = self._entries.get(key)
        if entry is not None:
            sql, head, tail = entry
            return sql, (*head, *where_params, *tail)
        sql, params = query.sql_with_params()
        params = tuple(params)
        # Cached only where the WHERE clause sits once in the statement and its parameters
        # can be located by counting the placeholders before it.
        if where and "%%" not in sql and sql.count(where) == 1 and len(self._entries) < self.size:
            before = len(_PLACEHOLDER.findall(sql[: sql.index(where)]))
            n = len(where_params)
            if tuple(params[before : before + n]) == tuple(where_params):
                self._entries[key] = (sql, params[:before], params[before + n :])
        return sql, params


def plain_rows(qs: QuerySet, shapes: ShapeCache | None = None) -> list[tuple]:
    """The rows of a `values_list` queryset read with a plain cursor, as tuples in the order the
    queryset names its columns: Django's per-value converters cost more than the query itself
    over tens of thousands of grouped rows. Only for columns the driver returns as Python wants
    them (SQLite returns dates as text: the caller converts). `shapes`: the call site's
    `ShapeCache`, if any."""
    try:
        sql, params = shapes.sql_with_params(qs) if shapes else qs.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        if tuple(c[0] for c in cursor.description) != tuple(qs._fields):
            raise ValueError("columns out of the queryset's order")
        return cursor.fetchall()


_GROUP_BY_ORDINALS = re.compile(r" GROUP BY (\d+(?:, \d+)*)$")


def grouping_sets_rows(qs: QuerySet, sets: list[tuple[str, ...]]) -> list[tuple] | None:
    """The rows of `qs` grouped by each of `sets` in one statement (PostgreSQL's GROUPING SETS:
    one scan of the table however many groupings), or None where that is not possible (another
    database, or a statement that does not end in a plain GROUP BY): the caller then groups once
    per set.

    `qs` is a `values_list` of key columns and aggregates, grouped by all its keys, e.g.
    `tasks.values("a", "b", "s").annotate(n=Count("*")).values_list("a", "b", "s", "n")`; each set
    names some of its keys. In a row, a key outside the row's set is None, so keys must be NOT
    NULL columns for the caller to tell the sets apart."""
    if connections[qs.db].vendor != "postgresql":
        return None
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:
        return []
    match = _GROUP_BY_ORDINALS.search(sql)
    fields = list(qs._fields)
    if match is None or "%%" in sql:
        return None
    keys = fields[: len(match.group(1).split(", "))]
    if match.group(1) != ", ".join(str(i) for i in range(1, len(keys) + 1)):
        return None
    if any(name not in keys for names in sets for name in names):
        raise ValueError("a grouping set names a column the queryset does not group by")
    clause = ", ".join(
        "(" + ", ".join(str(keys.index(name) + 1) for name in names) + ")" for names in sets
    )
    with connections[qs.db].cursor() as cursor:
        cursor.execute(f"{sql[: match.start()]} GROUP BY GROUPING SETS ({clause})", params)
        return cursor.fetchall()
