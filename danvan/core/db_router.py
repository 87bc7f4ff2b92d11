"""Reads that may be a little behind the primary (dashboards, reports, exports) go to a read
replica when one is configured (`REPLICA_DATABASE_URL`); every write, and every read outside
`reading_from_replica()`, goes to the primary."""

import contextvars
from contextlib import contextmanager

from django.conf import settings

_replica = contextvars.ContextVar("danvan_read_replica", default=False)
REPLICA = "replica"


@contextmanager
def reading_from_replica():
    """Within this block, ORM reads use the replica (if there is one)."""
    token = _replica.set(True)
    try:
        yield
    finally:
        _replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _replica.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
