"""Settings for danvan: one file, driven by environment variables (see docs/operations.md)."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DANVAN_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("DANVAN_REQUIRE_SECRET_KEY", False):
        raise RuntimeError("SECRET_KEY must be set in production")
    SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105 - development default only
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "danvan.core",
    "danvan.org",
    "danvan.plans",
    "danvan.petitions",
    "danvan.reception",
    "danvan.portal",
    "danvan.reports",
    "ninja",  # serves Swagger/Redoc from its static files (no CDN)
    "danvan.api",
    "danvan.webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "danvan.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "danvan.core.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "danvan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "danvan.core.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'danvan.sqlite3'}"),
        conn_max_age=int(env_str("DB_CONN_MAX_AGE", "0")),
        # A persistent connection checked with a round trip before each request's first query
        # (off, as Django has it: after a database restart one request per process fails).
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web server and the worker share one SQLite file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file, not Django's shared-cache in-memory database: there SQLite locks per
    # table and fails at once (SQLITE_LOCKED) instead of waiting, so concurrency tests that
    # pass in production would fail only in tests.
    # One file per process, so two test runs at once do not share (and break) one database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test_danvan_{os.getpid()}.sqlite3")}
elif env_str("DB_PREPARE_THRESHOLD", ""):
    # Prepared statements for the hand-written lookups on hot public paths (`core.prepared`):
    # only with direct connections or a pooler that keeps them (PgBouncer ≥ 1.21 with
    # max_prepared_statements). Off by default, as Django has it.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = int(
        env_str("DB_PREPARE_THRESHOLD", "")
    )
# A read replica (PostgreSQL streaming replication) for dashboards, reports and exports: reads
# inside `core.db_router.reading_from_replica()` go there; everything else to the primary.
if env_str("REPLICA_DATABASE_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("REPLICA_DATABASE_URL", ""),
        conn_max_age=int(env_str("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", False),
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["danvan.core.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env_bool("DANVAN_TESTING", False):
    # Tests create many users; a slow hash only costs time there.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failed logins (django-axes), per username and IP.
AXES_FAILURE_LIMIT = int(env_str("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env_str("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "danvan" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    # Several web nodes share uploaded files through S3-compatible storage (MinIO, Viettel
    # Cloud, …) when DANVAN_S3_BUCKET is set (pip install 'danvan[s3]'); else the local disk.
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env_str("DANVAN_S3_BUCKET", ""),
                "endpoint_url": env_str("DANVAN_S3_ENDPOINT_URL", "") or None,
                "region_name": env_str("DANVAN_S3_REGION", "") or None,
                "default_acl": None,
                "querystring_auth": True,  # files are private: signed, expiring links
                "file_overwrite": False,
            },
        }
        if env_str("DANVAN_S3_BUCKET", "")
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("DANVAN_TESTING", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "danvan@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)

# Plan tasks: remind the lead agency this many days before a deadline (and again when overdue).
DANVAN_TASK_REMINDER_DAYS_BEFORE = int(env_str("DANVAN_TASK_REMINDER_DAYS_BEFORE", "3"))

# Sealed denouncer identities: Fernet keys, newest first (generate one with
# `manage.py generate_seal_key`). Without them a key derived from SECRET_KEY is used, which is
# refused when DANVAN_REQUIRE_SEAL_KEYS is on (production).
DANVAN_SEAL_KEYS = env_list("DANVAN_SEAL_KEYS", [])
DANVAN_REQUIRE_SEAL_KEYS = env_bool("DANVAN_REQUIRE_SEAL_KEYS", False)
# Key for the hashes used to match petitioners across cases (not rotated with the seal keys).
DANVAN_MATCH_KEY = env_str("DANVAN_MATCH_KEY", "")
# A petition from at least this many people is a mass petition (đông người). DOMAIN.md §A: the
# TT 04/2021 headcount was not found (UNSURE); 5 is where representatives become required (S15).
DANVAN_MASS_PETITION_MIN = int(env_str("DANVAN_MASS_PETITION_MIN", "5"))

# Petitions: remind the handling officer this many days before a statutory deadline (again on
# the day; the agency's leaders once overdue).
DANVAN_PETITION_REMINDER_DAYS_BEFORE = int(env_str("DANVAN_PETITION_REMINDER_DAYS_BEFORE", "3"))
# Adapter for SMS/e-mail to citizens: ConsoleGateway prints (masked); LocmemGateway keeps an
# outbox for tests. A real gateway implements danvan.petitions.messaging.MessageGateway.
DANVAN_MESSAGE_GATEWAY = env_str(
    "DANVAN_MESSAGE_GATEWAY", "danvan.petitions.messaging.ConsoleGateway"
)

# Which province this instance serves (official code, vietnam-provinces): 92 = Cần Thơ.
DANVAN_PROVINCE_CODE = int(env_str("DANVAN_PROVINCE_CODE", "92"))

# API v1 (docs/api.md): personal tokens' default and longest lifetime, requests per minute per
# token (or per signed-in user).
DANVAN_API_TOKEN_DAYS = int(env_str("DANVAN_API_TOKEN_DAYS", "90"))
DANVAN_API_TOKEN_MAX_DAYS = int(env_str("DANVAN_API_TOKEN_MAX_DAYS", "365"))
DANVAN_API_RATE_PER_MINUTE = int(env_str("DANVAN_API_RATE_PER_MINUTE", "120"))
# Webhooks: attempts before a delivery is given up, first retry delay (doubles each time),
# request timeout, and whether receivers on private/loopback addresses are allowed (intranets).
DANVAN_WEBHOOK_MAX_ATTEMPTS = int(env_str("DANVAN_WEBHOOK_MAX_ATTEMPTS", "8"))
DANVAN_WEBHOOK_BACKOFF_SECONDS = int(env_str("DANVAN_WEBHOOK_BACKOFF_SECONDS", "30"))
DANVAN_WEBHOOK_TIMEOUT_SECONDS = float(env_str("DANVAN_WEBHOOK_TIMEOUT_SECONDS", "10"))
DANVAN_WEBHOOK_ALLOW_PRIVATE = env_bool("DANVAN_WEBHOOK_ALLOW_PRIVATE", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Reports (DOMAIN.md §H). A reporting month runs from this day of the previous month to the day
# before it in the month itself: 15 → "15/12 to 14/1" (circulars built on Nghị định 09/2019;
# UNSURE, provinces set their own: 1 gives calendar months). Allowed 1–28.
DANVAN_REPORT_CUTOFF_DAY = int(env_str("DANVAN_REPORT_CUTOFF_DAY", "15"))
# Report documents and record exports longer than this many days, or lists longer than this
# many rows, are built by the background worker with a progress page instead of in the request.
DANVAN_REPORT_SYNC_MAX_DAYS = int(env_str("DANVAN_REPORT_SYNC_MAX_DAYS", "190"))
DANVAN_EXPORT_SYNC_MAX_ROWS = int(env_str("DANVAN_EXPORT_SYNC_MAX_ROWS", "5000"))
# Rate limits per window, by scope, overriding the defaults in danvan/core/ratelimit.py:
# "track:ip=300,submit:ip=20" (e.g. a commune office whose citizens share one address).
DANVAN_RATE_LIMITS = {
    scope.strip(): int(count)
    for scope, _sep, count in (
        item.partition("=") for item in env_list("DANVAN_RATE_LIMITS", []) if "=" in item
    )
}
# A background task still running after this many seconds is taken to have lost its worker and
# is put back for another one (core.tick.requeue_stale_tasks). Longer than the longest job.
DANVAN_TASK_LEASE_SECONDS = int(env_str("DANVAN_TASK_LEASE_SECONDS", "1800"))
# A cache shared by every web node (Redis) when REDIS_URL is set (pip install 'danvan[redis]');
# otherwise each process keeps its own. Nothing relies on the cache for correctness: sessions
# and locks live in the database.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("REDIS_URL", ""),
        }
        if env_str("REDIS_URL", "")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Rate-limit counters (danvan/core/ratelimit.py): in Redis when REDIS_URL is set (one atomic
# INCR+EXPIRE per hit instead of a database write), otherwise in the database. Same windows and
# limits either way; every process of an instance must use the same place.
DANVAN_RATELIMIT_REDIS_URL = env_str("REDIS_URL", "")
