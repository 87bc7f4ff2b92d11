"""The PostgreSQL path of the XLSX import's saving: one INSERT per batch, sent in pipeline mode.

Each batch of checked one-off rows is one statement that draws the tasks' ids from the table's
sequence, inserts the tasks and their coordinating agencies (columns and defaults read from
Task._meta, as the model would save them). In pipeline mode the client sends it and goes on
reading the file while the server inserts, so reading and saving overlap on two cores. The
foreign keys of the two tables are checked at the end of each statement (SET CONSTRAINTS …
IMMEDIATE, set back to deferred when done) instead of all together at commit, so that work
overlaps too; the constraints themselves are untouched. Everything runs in the caller's
transaction.
"""

from contextlib import ExitStack

import psycopg
from django.db import connection
from django.db.models import CharField, TextField

from danvan.plans.models import Task
from danvan.plans.xlsx_rows import TaskRow


def _sql_type(field) -> str:
    # Text goes in as text: assigning it to varchar(n) checks the length (a cast would cut it).
    return "text" if isinstance(field, CharField | TextField) else field.db_type(connection)


def _foreign_keys(cursor, table: str) -> list[str]:
    constraints = connection.introspection.get_constraints(cursor, table)
    return sorted(name for name, c in constraints.items() if c["foreign_key"])


class PipelinedTaskInserts:
    """Saves batches of one-off TaskRows. Use it as a context manager: leaving it waits for the
    server (raising its error, if any) and defers the foreign keys again. `pause()` leaves
    pipeline mode, so that other queries can run (the next batch enters it again)."""

    def __init__(self, plan):
        self.plan = plan
        self.stack: ExitStack | None = None
        self.keys = ""  # the foreign keys made immediate, once the first batch is sent
        self.sql = ""
        self.constants: list = []

    def __enter__(self) -> "PipelinedTaskInserts":
        return self

    def __exit__(self, *exc_info) -> None:
        if exc_info[0] is not None:
            if self.stack is not None:  # the transaction is failing: nothing to wait for
                stack, self.stack = self.stack, None
                stack.__exit__(*exc_info)
            return
        self.pause()
        if self.keys:
            with connection.cursor() as cursor:
                cursor.execute(f"SET CONSTRAINTS {self.keys} DEFERRED")

    def insert(self, rows: list[TaskRow]) -> None:
        if not rows:
            return
        if self.stack is None:
            self._open(rows[0])
        with connection.wrap_database_errors:  # as Django's own cursor raises them
            # Never a named prepared statement: PgBouncer's transaction pooling may hand the
            # next import another server connection (docs/scaling.md).
            self.cursor.execute(self.sql, self._params(rows), prepare=False)

    def pause(self) -> None:
        """Leave pipeline mode, waiting for every statement sent (raising the server's error)."""
        if self.stack is not None:
            stack, self.stack = self.stack, None
            with connection.wrap_database_errors:
                stack.close()

    def _open(self, sample: TaskRow) -> None:
        if not self.keys:
            through = Task.coordinating_agencies.through._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)",
                    [Task._meta.db_table, Task._meta.pk.column],
                )
                (self.sequence,) = cursor.fetchone()
                names = _foreign_keys(cursor, Task._meta.db_table) + _foreign_keys(cursor, through)
                self.keys = ", ".join(connection.ops.quote_name(name) for name in names)
                cursor.execute(f"SET CONSTRAINTS {self.keys} IMMEDIATE")
            self._prepare(sample)
        raw = connection.connection
        self.stack = ExitStack()
        self.cursor = self.stack.enter_context(psycopg.Cursor(raw))
        self.stack.enter_context(raw.pipeline())

    def _prepare(self, sample: TaskRow) -> None:
        """The statement, and which row values (in which order) feed its arrays."""
        meta = Task._meta
        quote = connection.ops.quote_name
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        # A row's own values: its fields (related objects by key), its content, its search text.
        self.row_fields = [meta.get_field(name) for name in sample.fields]
        varying = [*self.row_fields, meta.get_field("content"), meta.get_field("search_text")]
        position = {f.attname: i for i, f in enumerate(varying)}
        arrays = ", ".join(f"%b::{_sql_type(f)}[]" for f in varying)
        names = ", ".join(f"v{i}" for i in range(len(varying)))
        selected = []
        for field in fields:
            if field.attname in position:
                selected.append(f"r.v{position[field.attname]}")
            else:
                # One value for the batch (created_at too), as the model's default gives it.
                selected.append(f"%s::{_sql_type(field)}")
                self.constants.append(field)
        m2m = Task.coordinating_agencies.field
        through = Task.coordinating_agencies.through._meta
        # Identifiers come from Task._meta (quoted); every value is a parameter.
        self.sql = (
            f"WITH r AS (SELECT nextval(%s::regclass) AS id, u.* FROM unnest({arrays})"  # noqa: S608
            f" WITH ORDINALITY AS u({names}, ord)),"
            f" t AS (INSERT INTO {quote(meta.db_table)}"
            f" ({', '.join(quote(f.column) for f in [meta.pk, *fields])})"
            f" SELECT r.id, {', '.join(selected)} FROM r ORDER BY r.ord)"
            f" INSERT INTO {quote(through.db_table)}"
            f" ({quote(m2m.m2m_column_name())}, {quote(m2m.m2m_reverse_name())})"
            " SELECT r.id, l.agency FROM unnest(%b::bigint[], %b::bigint[]) AS l(ord, agency)"
            " JOIN r ON r.ord = l.ord"
        )

    def _params(self, rows: list[TaskRow]) -> list:
        columns = [[] for _ in range(len(self.row_fields) + 2)]
        content, search = columns[-2], columns[-1]
        # A related object goes in by its key (read as a plain attribute, not through .pk).
        keys = [f.target_field.attname if f.is_relation else None for f in self.row_fields]
        named = list(zip(columns, [f.name for f in self.row_fields], keys, strict=False))
        content_key = Task._meta.get_field("content").target_field.attname
        agency_key = Task.coordinating_agencies.field.target_field.attname
        link_rows, link_agencies = [], []
        holder = _SearchHolder()
        for number, row in enumerate(rows, start=1):
            fields = row.fields
            for column, name, key in named:
                value = fields[name]
                column.append(value if key is None else getattr(value, key))
            content.append(getattr(row.content, content_key))
            search.append(holder.search_text_of(fields))
            for agency in row.coordinating:
                link_rows.append(number)
                link_agencies.append(getattr(agency, agency_key))
        constants = []
        for field in self.constants:
            constants.append(self.plan.pk if field.attname == "plan_id" else field.get_default())
        return [
            self.sequence,
            *columns,
            *constants,
            link_rows or None,
            link_agencies or None,
        ]


class _SearchHolder:
    """Task's own search-text rule (SearchableMixin.refresh_search_text) on plain values."""

    SEARCH_FIELDS = Task.SEARCH_FIELDS

    def search_text_of(self, fields: dict) -> str:
        for name in self.SEARCH_FIELDS:
            setattr(self, name, fields[name])
        Task.refresh_search_text(self)
        return self.search_text
