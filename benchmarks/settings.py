"""Settings for the HTTP benchmark server: the application's own settings plus a hello-world URL,
production-like (DEBUG off, persistent database connections), no tracking rate limit (one load
generator, one address: the counter is still written on every lookup, it just never refuses)."""

import os

from config.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "benchmarks.urls"
STORAGES["staticfiles"] = {  # noqa: F405 - no collectstatic manifest needed to render pages
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
DANVAN_RATE_LIMITS = {"track:ip": 10**9}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# As a gunicorn deployment runs (docs/operations.md): each worker keeps its connection instead of
# opening one per request. Only views that touch the database are affected (not hello-world).
# DB_CONN_MAX_AGE=0 in the environment measures the per-request connection instead. Health checks
# follow DB_CONN_HEALTH_CHECKS as in production (off by default; the round-3 results had them on).
if "DB_CONN_MAX_AGE" not in os.environ:
    DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
# Prepared statements for the hand-written lookups on hot public paths (danvan/core/prepared.py:
# the tracking lookup and the rate-limit counter): Django's own switch, off by default for
# transaction poolers; this server connects to PostgreSQL directly. DB_PREPARE_THRESHOLD=off in
# the environment measures without them.
if os.environ.get("DB_PREPARE_THRESHOLD", "5") != "off":
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = int(  # noqa: F405
        os.environ.get("DB_PREPARE_THRESHOLD", "5")
    )
