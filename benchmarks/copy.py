"""Streaming COPY of model rows into PostgreSQL.

Rows are tuples in the order of the columns the caller names (`Table(model, columns)`); every
other column takes the model field's default, appended to each row as one constant tuple. Ids are
handed out up front so children can point at parents, and sequences are moved past them
afterwards. Each table of a bulk load streams through a COPY on a connection of its own
(`BulkLoad.stream`), so PostgreSQL ingests every table while Python makes the rows, and nothing is
held back: memory stays flat whatever the number of rows.
"""

import datetime as dt
import json
import threading
import time
from collections.abc import Iterable, Sequence
from contextlib import suppress

from django.db import connection, models
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

# Connections that vacuum and rebuild indexes after a load, each one job at a time: two keep
# both cores busy (no parallel workers on top).
INDEX_WORKERS = 2


def index_memory(definition: str) -> str:
    """maintenance_work_mem for one index build. B-tree sorts in memory; a GIN build flushes its
    in-memory accumulator when full, and a bigger one is slower when keys are many and distinct
    (jsonb match keys of 1M petitions: 16 MB 8.9 s, 64 MB 11.6 s, 1 GB 17.8 s), while trigrams
    (few keys, long lists) want the default (64 MB 43 s, 16 MB 59 s)."""
    if " USING gin " in definition:
        return "64MB" if "gin_trgm_ops" in definition else "16MB"
    return "256MB"


def new_connection():
    """A psycopg connection to Django's database, with Django's adapters, outside its wrapper."""
    params = connection.get_connection_params()
    return connection.Database.connect(**params)


def _copy_text(value):
    """A default as COPY's text format wants it (JSON dumped; datetimes written once)."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


class Table:
    """One model's table, the columns its rows give, and a block of ids handed out in order.

    A row is a tuple of the values of `columns` (attnames) in that order. JSON columns take JSON
    text, dates and datetimes may be given as ISO strings (the generator's day tables)."""

    def __init__(self, model: type[models.Model], columns: Sequence[str] = ("id",)):
        self.model = model
        self.name = model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{self.name}: no column {sorted(unknown)}")
        self.columns = tuple(columns)
        rest = [f for name, f in fields.items() if name not in self.columns]
        self.tail = tuple(_copy_text(self._default(f)) for f in rest)
        names = [fields[name].column for name in self.columns] + [f.column for f in rest]
        quoted = ", ".join(f'"{c}"' for c in names)
        self.sql = f'COPY "{self.name}" ({quoted}) FROM STDIN'
        self.next_id = self._max_id() + 1

    def _default(self, field):
        if field.primary_key:
            raise ValueError(f"{self.name}: rows must give the primary key")
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return timezone.now()
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        if isinstance(field, models.CharField | models.TextField):
            return ""
        raise ValueError(f"{self.name}: rows must give {field.attname} (no default)")

    def _max_id(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{self.name}"')
            return cursor.fetchone()[0]

    def take_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def copy(self, rows: Iterable[tuple]) -> int:
        """COPY `rows` on Django's connection (small tables); returns how many were written."""
        raw = connection.connection  # psycopg 3
        tail = self.tail
        with raw.cursor() as cursor:
            with cursor.copy(self.sql) as copy:
                write = copy.write_row
                for row in rows:
                    write(row + tail)
            return cursor.rowcount


def reset_sequence(model: type[models.Model]) -> None:
    """Move the id sequence of `model`'s table past the ids handed out."""
    name = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f'(SELECT COALESCE(MAX(id), 1) FROM "{name}"))',
            [name],
        )


class Stream:
    """A COPY into one table, open on a connection of its own while rows are written to it.
    `write(row)` takes a tuple of the table's columns; psycopg formats it in C and sends it in
    32 kB blocks, which the table's server process ingests while the next rows are made."""

    def __init__(self, table: Table, settings: Sequence[str] = ()):
        self.table = table
        self.conn = new_connection()
        self.conn.execute("SET session_replication_role = replica")  # no FK triggers
        for setting in settings:
            self.conn.execute(setting)
        self.cursor = self.conn.cursor()
        # Blocks are sent from a thread of psycopg's, through a queue: when this table's server
        # process falls behind (a GIN index merging its pending list), Python goes on making
        # rows for the other tables instead of waiting.
        writer = QueuedLibpqWriter(self.cursor)
        self._copy_block = self.cursor.copy(table.sql, writer=writer)
        self._copy = self._copy_block.__enter__()
        write_row, tail = self._copy.write_row, table.tail
        self.write = (lambda row: write_row(row + tail)) if tail else write_row

    def close(self, error: BaseException | None = None) -> int:
        """End the COPY and commit (or abandon it on `error`); returns the rows written."""
        try:
            if error is None:
                self._copy_block.__exit__(None, None, None)
                self.conn.commit()
                return self.cursor.rowcount
            return 0
        finally:
            self.conn.close()  # an unfinished COPY is rolled back with its connection


class BulkLoad:
    """Load fast, the usual PostgreSQL bulk-load recipe: the tables' secondary indexes are
    dropped and foreign-key triggers skipped while the rows stream in; then, on a pool of
    connections, each table is vacuumed (visibility map, statistics) and its indexes rebuilt,
    the longest first. Unique and primary-key indexes stay, so ids and codes are still checked
    on the way in, and so do the indexes named in `keep` (built as the rows arrive, by the
    tables' own server processes, instead of after them)."""

    def __init__(self, models_: list[type[models.Model]], keep: Sequence[str] = ()):
        self.tables = [m._meta.db_table for m in models_]
        self.streams: list[Stream] = []
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}  # per vacuum and index build
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT i.tablename, i.indexname, i.indexdef, x.indexprs IS NOT NULL
                   FROM pg_indexes i
                   JOIN pg_class c ON c.relname = i.indexname
                   JOIN pg_index x ON x.indexrelid = c.oid
                   WHERE i.tablename = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary""",
                [self.tables],
            )
            self.indexes = [i for i in cursor.fetchall() if i[1] not in keep]
            for _table, name, _definition, _expr in self.indexes:
                cursor.execute(f'DROP INDEX "{name}"')

    def stream(self, table: Table, settings: Sequence[str] = ()) -> Stream:
        stream = Stream(table, settings)
        self.streams.append(stream)
        return stream

    def close_streams(self, error: BaseException | None = None) -> None:
        for stream in self.streams:
            try:
                count = stream.close(error)
            except BaseException as exc:  # the others still need closing
                error = error or exc
            else:
                name = stream.table.name
                self.counts[name] = self.counts.get(name, 0) + count
        self.streams = []
        if error is not None:
            raise error

    def abandon(self, error: BaseException) -> None:
        """After a failure: drop the streams' unfinished COPYs and put the indexes back, so the
        schema is left whole."""
        with suppress(BaseException):  # the caller raises `error` itself
            self.close_streams(error)
        with connection.cursor() as cursor:
            for _table, _name, definition, _expr in self.indexes:
                cursor.execute(definition)

    def finish(self) -> None:
        """Vacuum and analyse each table, rebuild its indexes and analyse again where an index is
        on an expression, on a pool of connections (INDEX_WORKERS)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, pg_relation_size(oid) FROM pg_class WHERE relname = ANY(%s)",
                [self.tables],
            )
            size = dict(cursor.fetchall())
        # Per table: VACUUM ANALYZE while it has no secondary index (a GIN index would be scanned
        # whole), then its index builds (they do not lock each other out), then ANALYZE again if
        # an expression index needs statistics. The job with the longest estimated way to the
        # end goes first: a trigram (GIN) build costs about ten times a B-tree of its table.
        builds: dict[str, list] = {t: [] for t in self.tables}
        reanalyse = set()
        for table, name, definition, expression in self.indexes:
            cost = size.get(table, 0) * (10 if " USING gin " in definition else 1)
            builds[table].append((cost, name, definition))
            if expression:
                reanalyse.add(table)
        ready = [
            (size.get(t, 0) + max((c for c, _n, _d in builds[t]), default=0), "vacuum", t, t, "")
            for t in self.tables
        ]
        left = {t: len(builds[t]) for t in self.tables}
        lock = threading.Condition()
        running = [0]
        errors: list[BaseException] = []

        def take():
            with lock:
                while not ready and running[0] and not errors:
                    lock.wait()
                if errors or not ready:
                    return None
                running[0] += 1
                job = max(ready)
                ready.remove(job)
                return job

        def done(job, error=None):
            _cost, kind, table, _name, _sql = job
            with lock:
                running[0] -= 1
                if error is not None:
                    errors.append(error)
                elif kind == "vacuum":
                    ready.extend((c, "index", table, n, d) for c, n, d in builds[table])
                elif kind == "index":
                    left[table] -= 1
                    if not left[table] and table in reanalyse:
                        ready.append((0, "analyse", table, table, ""))
                lock.notify_all()

        statements = {
            "vacuum": lambda job: f'VACUUM ANALYZE "{job[2]}"',
            "index": lambda job: job[4],
            "analyse": lambda job: f'ANALYZE "{job[2]}"',
        }

        def worker():
            with new_connection() as conn:
                conn.autocommit = True
                conn.execute("SET max_parallel_maintenance_workers = 0")
                while job := take():
                    started = time.perf_counter()
                    try:
                        memory = index_memory(job[4]) if job[1] == "index" else "256MB"
                        conn.execute(f"SET maintenance_work_mem = '{memory}'")
                        conn.execute(statements[job[1]](job))
                    except BaseException as exc:  # raised by the caller
                        done(job, exc)
                        return
                    label = job[3] if job[1] == "index" else f"{job[1]} {job[2]}"
                    self.seconds[label] = round(time.perf_counter() - started, 2)
                    done(job)

        threads = [threading.Thread(target=worker) for _ in range(INDEX_WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
