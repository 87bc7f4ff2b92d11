"""The shared rate-limit counter: one upsert per hit, refusal over the limit, and the PostgreSQL
shortcut (no wait for the WAL flush) taken only when no caller's transaction is open."""

import datetime as dt

import pytest
from django.db import connection, transaction

from danvan.core import ratelimit

pytestmark = pytest.mark.django_db

WINDOW = dt.timedelta(minutes=10)


def test_hits_over_the_limit_are_refused_per_key():
    assert all(ratelimit.hit(key="a", limit=3, window=WINDOW) for _ in range(3))
    assert not ratelimit.hit(key="a", limit=3, window=WINDOW)
    assert ratelimit.hit(key="b", limit=3, window=WINDOW)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
@pytest.mark.django_db(transaction=True)
def test_a_callers_transaction_keeps_its_synchronous_commit():
    def setting():
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    with transaction.atomic():
        ratelimit.hit(key="inside", limit=5, window=WINDOW)
        assert setting() == "on"
    ratelimit.hit(key="outside", limit=5, window=WINDOW)
    assert setting() == "on"  # the shortcut held for the counter's own statement only
