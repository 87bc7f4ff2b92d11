"""Streaming COPY of model rows into PostgreSQL: rows are dicts produced lazily, columns not given
take the model field's default, ids are allocated up front so children can point at parents, and
sequences are moved past them afterwards. Memory stays flat whatever the number of rows."""

import json
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection, models
from django.utils import timezone


class Table:
    """One model's table, its columns and defaults, and a block of ids handed out in order."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.name = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.defaults = {}
        for field in self.fields:
            if field.primary_key:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                self.defaults[field.attname] = timezone.now()
            elif field.has_default():
                self.defaults[field.attname] = field.get_default()
            elif field.null:
                self.defaults[field.attname] = None
            elif isinstance(field, models.CharField | models.TextField):
                self.defaults[field.attname] = ""
        self.next_id = self._max_id() + 1

    def _max_id(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{self.name}"')
            return cursor.fetchone()[0]

    def take_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def _spec(self) -> list[tuple[str, object, bool]]:
        return [
            (f.attname, self.defaults.get(f.attname), isinstance(f, models.JSONField))
            for f in self.fields
        ]

    def copy(self, rows: Iterable[dict]) -> int:
        """COPY `rows` (each with its "id") into the table; returns how many were written.
        Values go to psycopg's row writer (formatted in C); JSON columns are dumped first."""
        count = 0
        spec = self._spec()
        names = [name for name, _default, _json in spec]
        defaults = [default for _name, default, _json in spec]
        json_positions = [i for i, (_n, _d, is_json) in enumerate(spec) if is_json]
        columns = ", ".join(f'"{c}"' for c in self.columns)
        raw = connection.connection  # psycopg 3
        with (
            raw.cursor() as cursor,
            cursor.copy(f'COPY "{self.name}" ({columns}) FROM STDIN') as copy,
        ):
            for row in rows:
                get = row.get
                values = list(map(get, names, defaults))
                for i in json_positions:
                    if values[i] is not None:
                        values[i] = json.dumps(values[i], ensure_ascii=False)
                copy.write_row(values)
                count += 1
        return count

    def reset_sequence(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                f'(SELECT COALESCE(MAX(id), 1) FROM "{self.name}"))',
                [self.name],
            )


@contextmanager
def bulk_load(models_: list[type[models.Model]]):
    """Load fast: drop the tables' secondary indexes and skip foreign-key triggers while the
    rows stream in, then rebuild the indexes once (the usual PostgreSQL bulk-load recipe).
    Unique and primary-key indexes stay, so ids and codes are still checked on the way in."""
    tables = [m._meta.db_table for m in models_]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
               JOIN pg_class c ON c.relname = i.indexname
               JOIN pg_index x ON x.indexrelid = c.oid
               WHERE i.tablename = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary""",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET session_replication_role = replica")  # no FK triggers (superuser)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
            for _name, definition in indexes:
                cursor.execute(definition)
