"""The rate-limit counters in a real Redis (127.0.0.1:6379 unless DANVAN_TEST_REDIS_URL says
otherwise), under a key prefix of their own so parallel test runs never share a count.

Skipped when no Redis answers, except in CI (CI is set), where a missing Redis fails the test."""

import os
import uuid

import pytest

REDIS_URL = os.environ.get("DANVAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_or_skip():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a Redis at {REDIS_URL}: {exc}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    return client


@pytest.fixture
def redis_limiter(settings):
    """Counters in Redis for this test; yields the client (to look at the keys)."""
    client = redis_or_skip()
    prefix = f"danvan-test:{uuid.uuid4().hex}:"
    settings.DANVAN_RATELIMIT_REDIS_URL = REDIS_URL
    settings.DANVAN_RATELIMIT_REDIS_PREFIX = prefix
    yield client
    keys = list(client.scan_iter(match=prefix + "*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(params=["database", "redis"])
def limiter(request, settings):
    """Each test that takes it runs with the counters in the database, then in Redis."""
    if request.param == "redis":
        request.getfixturevalue("redis_limiter")
    else:
        settings.DANVAN_RATELIMIT_REDIS_URL = ""
    return request.param
