"""Fixed-window rate limits shared by every process, and a 429 page.

The counters live in Redis when `DANVAN_RATELIMIT_REDIS_URL` is set (REDIS_URL; one script per
hit: INCR, and EXPIRE on a window's first hit, atomically), else in the database (one upsert). Both
count the same windows the same way; only where the count is kept differs. Every process of an
instance must count in the same place (DANVAN_RATELIMIT_REDIS_PREFIX separates instances or
test runs that share one Redis).
Keys never hold a raw IP address or contact: `client_key` and `contact_key` store a salted hash.
"""

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from django.shortcuts import render
from django.utils import timezone

from danvan.core import prepared
from danvan.core.models import RateLimitBucket
from danvan.core.tick import tick_hook

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Limit:
    """At most `count` hits per `window` for one key, under `scope` (the key's prefix)."""

    scope: str
    count: int
    window: timedelta


SUBMIT_PER_IP = Limit("submit:ip", 5, timedelta(hours=1))
SUBMIT_PER_CONTACT = Limit("submit:contact", 3, timedelta(days=1))
TRACK_PER_IP = Limit("track:ip", 30, timedelta(minutes=10))
KEEP_BUCKETS_FOR = timedelta(days=1)
# A Redis counter outlives its window by this much (clocks of several web nodes may differ).
REDIS_SLACK_SECONDS = 60


def _digest(kind: str, value: str) -> str:
    salt = (getattr(settings, "DANVAN_RATELIMIT_SALT", "") or settings.SECRET_KEY).encode()
    return hmac.new(salt, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def client_key(request) -> str:
    """A salted hash of the client's address (REMOTE_ADDR; put a trusted proxy in front)."""
    return _digest("ip", request.META.get("REMOTE_ADDR", ""))


def contact_key(value: str) -> str:
    """A salted hash of a phone number or e-mail address (digits only / lower case)."""
    value = (value or "").strip().lower()
    if "@" not in value:
        value = "".join(ch for ch in value if ch.isdigit())
    return _digest("contact", value)


def window_start(now: dt.datetime, window: timedelta) -> dt.datetime:
    seconds = int(window.total_seconds())
    elapsed = int((now - EPOCH).total_seconds())
    return EPOCH + timedelta(seconds=elapsed - elapsed % seconds)


def seconds_left(window: timedelta, *, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    end = window_start(now, window) + window
    return max(1, int((end - now).total_seconds()) + 1)


def _upsert_sql(table: str) -> str:
    # One atomic upsert (PostgreSQL, SQLite ≥ 3.35): every public lookup pays this, so one round
    # trip instead of five (begin, select, update, select, commit).
    source = "VALUES (%s, %s, 1)"
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # The counter's commit does not wait for its WAL flush (synchronous_commit off for this
        # one statement's transaction only): a flush costs milliseconds on a busy disk, and a
        # crash of PostgreSQL can lose at most the last ~0.6 s of hits, never corrupt a count.
        # Only outside a transaction: inside one, the setting would hold for the caller's own
        # writes too, and those must wait for the flush.
        source = (
            "SELECT %s, %s::timestamptz, 1 "
            "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit"
        )
    # The table name comes from the model; the values are passed as parameters.
    return (
        f"INSERT INTO {table} (key, window_start, count) {source} "
        f"ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + 1 "
        "RETURNING count"
    )


def _db_count(key: str, start: dt.datetime) -> int:
    rows = prepared.fetch_all(
        _upsert_sql(RateLimitBucket._meta.db_table),
        [key, connection.ops.adapt_datetimefield_value(start)],
    )
    return rows[0][0]


_redis_scripts: dict = {}

# INCR, and EXPIRE on the first hit of a window, as one script: atomic (a counter never lives on
# without its expiry, concurrent hits each get their own count) and one command per hit.
_COUNT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


def _redis():
    """The counting script bound to this URL's Redis (one connection pool per process), or None."""
    url = getattr(settings, "DANVAN_RATELIMIT_REDIS_URL", "")
    if not url:
        return None
    script = _redis_scripts.get(url)
    if script is None:
        import redis  # the 'redis' extra; only needed when the counters live in Redis

        script = _redis_scripts[url] = redis.Redis.from_url(url).register_script(_COUNT_SCRIPT)
    return script


def _forget_clients(**_kwargs) -> None:
    _redis_scripts.clear()


setting_changed.connect(_forget_clients, dispatch_uid="danvan.core.ratelimit")


def _redis_count(script, key: str, start: dt.datetime, window: timedelta, now) -> int:
    prefix = getattr(settings, "DANVAN_RATELIMIT_REDIS_PREFIX", "danvan:ratelimit:")
    name = f"{prefix}{key}:{int((start - EPOCH).total_seconds())}"
    ttl = int((start + window - now).total_seconds()) + REDIS_SLACK_SECONDS
    return int(script(keys=[name], args=[ttl]))


def backend() -> str:
    """Where the counters are kept: "redis" or "database"."""
    return "redis" if getattr(settings, "DANVAN_RATELIMIT_REDIS_URL", "") else "database"


def hit(*, key: str, limit: int, window: timedelta, now: dt.datetime | None = None) -> bool:
    """Count one hit for `key` in the current window; False when it goes over `limit`."""
    now = now or timezone.now()
    start = window_start(now, window)
    client = _redis()
    count = _redis_count(client, key, start, window, now) if client else _db_count(key, start)
    return count <= limit


def check_then_read(limit: Limit, value: str, sql: str, params: list) -> tuple[bool, list[tuple]]:
    """`check(limit, value)`, then the rows of the read-only `sql` when the hit is allowed.

    Where the counters are in PostgreSQL both go in one statement (a round trip fewer on a page
    the public can call at will); there `sql` is read even when the hit is refused, and its rows
    are dropped. Elsewhere (Redis, SQLite) the count comes first and a refused hit reads nothing.
    """
    if _redis() is not None or connection.vendor != "postgresql":
        if not check(limit, value):
            return False, []
        return True, prepared.fetch_all(sql, params)
    start = window_start(timezone.now(), limit.window)
    # The caller's statement is fixed SQL of its own module; the values are parameters.
    combined = (
        f"WITH hit AS ({_upsert_sql(RateLimitBucket._meta.db_table)}) "  # noqa: S608
        "SELECT hit.count, q.* FROM hit "
        f"LEFT JOIN (SELECT TRUE AS present, s.* FROM ({sql}) s) q ON TRUE"
    )
    rows = prepared.fetch_all(
        combined,
        [f"{limit.scope}:{value}", connection.ops.adapt_datetimefield_value(start), *params],
    )
    if rows[0][0] > allowed(limit):
        return False, []
    return True, [row[2:] for row in rows if row[1] is not None]


def allowed(limit: Limit) -> int:
    """The number of hits `limit` allows per window: its default, or the instance's setting
    `DANVAN_RATE_LIMITS` ("track:ip=300,submit:ip=20"), e.g. behind a shared NAT."""
    return getattr(settings, "DANVAN_RATE_LIMITS", {}).get(limit.scope, limit.count)


def check(limit: Limit, value: str) -> bool:
    """Count a hit of `limit` for an already-hashed `value`; False when over the limit."""
    return hit(key=f"{limit.scope}:{value}", limit=allowed(limit), window=limit.window)


def too_many_requests(request, limit: Limit):
    """The Vietnamese 429 page, with Retry-After in seconds."""
    wait = seconds_left(limit.window)
    response = render(
        request, "portal/429.html", {"retry_minutes": max(1, (wait + 59) // 60)}, status=429
    )
    response["Retry-After"] = str(wait)
    return response


def refuse_if_over(request, limit: Limit, value: str | None = None):
    """Return a 429 response if this hit goes over `limit` (by client address by default)."""
    if check(limit, value if value is not None else client_key(request)):
        return None
    return too_many_requests(request, limit)


@tick_hook("core.prune_rate_limits")
def prune(*, now=None) -> int:
    """Delete buckets whose window started more than a day ago; returns 0 (no task enqueued)."""
    now = now or timezone.now()
    RateLimitBucket.objects.filter(window_start__lt=now - KEEP_BUCKETS_FOR).delete()
    return 0
