"""Settings for the HTTP benchmark server: the application's own settings plus a hello-world URL,
production-like (DEBUG off), no tracking rate limit (one load generator, one address)."""

from config.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "benchmarks.urls"
STORAGES["staticfiles"] = {  # noqa: F405 - no collectstatic manifest needed to render pages
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
DANVAN_RATE_LIMITS = {"track:ip": 10**9}
LOGGING = {"version": 1, "disable_existing_loggers": False}
