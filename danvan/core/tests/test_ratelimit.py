"""The shared rate-limit counter: one upsert (database) or one INCR+EXPIRE (Redis) per hit,
refusal over the limit, the same fixed windows in both places, atomic under concurrent hits, and
the PostgreSQL shortcut (no wait for the WAL flush) taken only when no caller's transaction is
open."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from danvan.core import ratelimit
from danvan.core.models import RateLimitBucket
from danvan.core.tests.redis_limiter import limiter, redis_limiter

__all__ = ["limiter", "redis_limiter"]  # fixtures, used by name

pytestmark = pytest.mark.django_db

WINDOW = dt.timedelta(minutes=10)


def test_hits_over_the_limit_are_refused_per_key(limiter):
    assert all(ratelimit.hit(key="a", limit=3, window=WINDOW) for _ in range(3))
    assert not ratelimit.hit(key="a", limit=3, window=WINDOW)
    assert not ratelimit.hit(key="a", limit=3, window=WINDOW)
    assert ratelimit.hit(key="b", limit=3, window=WINDOW)
    assert ratelimit.backend() == limiter


def test_the_windows_are_fixed_and_the_same_in_both_places(limiter):
    start = ratelimit.window_start(timezone.now(), WINDOW) + WINDOW  # the next window's start
    last_second = start + WINDOW - dt.timedelta(microseconds=1)
    assert ratelimit.hit(key="w", limit=2, window=WINDOW, now=start)
    assert ratelimit.hit(key="w", limit=2, window=WINDOW, now=last_second)
    assert not ratelimit.hit(key="w", limit=2, window=WINDOW, now=last_second)
    assert ratelimit.hit(key="w", limit=2, window=WINDOW, now=start + WINDOW)  # a new window
    assert ratelimit.hit(key="w", limit=2, window=WINDOW, now=start + WINDOW)
    assert not ratelimit.hit(key="w", limit=2, window=WINDOW, now=start + WINDOW)
    assert ratelimit.hit(key="w", limit=1, window=WINDOW, now=start - WINDOW)  # the one before


def test_the_database_counter_writes_a_bucket_and_redis_none(limiter):
    ratelimit.hit(key="where", limit=5, window=WINDOW)
    assert RateLimitBucket.objects.filter(key="where").exists() == (limiter == "database")


def test_a_redis_counter_expires_with_its_window(redis_limiter, settings):
    now = timezone.now()
    ratelimit.hit(key="ttl", limit=5, window=WINDOW, now=now)
    [name] = redis_limiter.keys(settings.DANVAN_RATELIMIT_REDIS_PREFIX + "ttl:*")
    left = (ratelimit.window_start(now, WINDOW) + WINDOW - now).total_seconds()
    assert left <= redis_limiter.ttl(name) <= left + ratelimit.REDIS_SLACK_SECONDS + 1
    assert int(redis_limiter.get(name)) == 1


def test_concurrent_redis_hits_are_each_counted_once(redis_limiter):
    results, threads = [], []
    lock = threading.Lock()

    def one():
        allowed = ratelimit.hit(key="race", limit=10, window=WINDOW)
        with lock:
            results.append(allowed)

    threads = [threading.Thread(target=one) for _ in range(25)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 15 + [True] * 10


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
@pytest.mark.django_db(transaction=True)
def test_a_callers_transaction_keeps_its_synchronous_commit(settings):
    settings.DANVAN_RATELIMIT_REDIS_URL = ""

    def setting():
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    with transaction.atomic():
        ratelimit.hit(key="inside", limit=5, window=WINDOW)
        assert setting() == "on"
    ratelimit.hit(key="outside", limit=5, window=WINDOW)
    assert setting() == "on"  # the shortcut held for the counter's own statement only
