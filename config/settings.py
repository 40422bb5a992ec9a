"""Settings for the whole project, read from the environment.

Every value has a safe local default: an SQLite file, tasks run eagerly, e-mail to the console,
DEBUG off unless asked for. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY and ALLOWED_HOSTS.
Values are parsed strictly: DEBUG=maybe is an error, not False.
"""

import datetime
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from environs import Env

BASE_DIR = Path(__file__).resolve().parent.parent

env = Env()
env.read_env(BASE_DIR / ".env", recurse=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for local work)."
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # First, so that its ready() runs before any other app imports its forms.
    "config.apps.ProjectConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "treebeard",
    "django_filters",
    "simple_history",
    "axes",
    "auditlog",
    "accounts",
    "communes",
    "dialogues",
    "feedback",
    "reports",
    "obligations",
    "public",
    # Its system checks: the cache it counts in must count atomically.
    "django_ratelimit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A body larger than any form accepts is refused before it is read (config/uploads.py).
    "config.uploads.RequestSizeLimitMiddleware",
    # A long form posted after the login expired is kept for after the next login.
    "accounts.stash.StashPostMiddleware",
    # Every page needs a login unless its view says otherwise (@login_not_required).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A session ends after SESSION_ABSOLUTE_HOURS even while in use.
    "accounts.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change kept by django-simple-history and django-auditlog.
    "simple_history.middleware.HistoryRequestMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Writes refused access (403) to the audit log.
    "accounts.middleware.AuditRefusalMiddleware",
    # Login throttling; django-axes wants to be last.
    "axes.middleware.AxesMiddleware",
]

# A Server-Timing header on every response (time in the app and in SQL, the number of queries),
# for the benchmark (`make bench`). Off in production, where the middleware is not even installed;
# first when on, so that it measures every other middleware too.
SERVER_TIMING = env.bool("SERVER_TIMING", default=False)
if SERVER_TIMING:
    MIDDLEWARE.insert(0, "config.middleware.ServerTimingMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.nav_section",
            ],
            # {% load filter_fields %}: the list pages' filter bars (see config/filter_fields.py).
            "libraries": {"filter_fields": "config.filter_fields"},
        },
    },
]

# Database: an SQLite file ignored by git unless DATABASE_URL says otherwise.
DATABASES = {
    "default": env.dj_db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: compiling costs tens of milliseconds on a page's queries and never pays back here.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Users
AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out username before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UnitAwareModelBackend",
]
# Login throttling: after this many failures a username is locked out from that address.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language, time and formats
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
# dd/mm/yyyy in both languages, see config/formats/.
FORMAT_MODULE_PATH = ["config.formats"]

# Static files are served by the app itself (WhiteNoise): no CDN, it works on an intranet.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files live outside the static path and are served only through views that check scope.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Uploads: a body over config.uploads.REQUEST_MAX_MB is refused before it is read; a file over
# 1 MB goes to a temporary file rather than memory; the form fields besides the files may hold
# 2.5 MB (Django's default, said here so it is not changed by accident).
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The opinion entry form saves up to 200 rows of 11 fields in one post (feedback.forms.MAX_ROWS;
# a test keeps the two in step); Django's default of 1,000 fields stopped it at about 90 rows.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2500

# Working days an agency has to answer a forwarded opinion, unless its field or agency says else.
OPINION_ANSWER_DAYS = env.int("OPINION_ANSWER_DAYS", default=15)
# Reminders that a monthly quota of the rules (obligations) is not yet met go out this many days
# before the month ends, today included. A lead time of ours, not a number of the rules.
COMPLIANCE_REMINDER_DAYS = env.int("COMPLIANCE_REMINDER_DAYS", default=5)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Redis: when REDIS_URL is set it is Celery's broker and the cache; without it tasks run eagerly
# in the web process and the cache is local memory. There is no result backend: the app never
# reads a task's result (the report row says how it went).
REDIS_URL = env.str("REDIS_URL", default="")
# A request that queues a task or reads the cache waits at most this long for Redis (seconds):
# with Redis down or hung the request still answers, and the row left waiting is queued later.
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.5)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="tiepxuc"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
            },
        }
    }
    # Django's own RedisCache counts with Redis's atomic INCR, which is what the rate limit of the
    # public pages needs; django-ratelimit only lists the django-redis package as supported.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Without Redis the rate limit of the public pages counts per process (local memory): good
    # enough for one machine's development, which django-ratelimit warns about.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Publishing tries once, briefly: no retry loop holds a request while the broker is away.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Work that must not be lost: a task is acknowledged only once done, and given back to the queue
# if its worker dies; each worker process takes one task at a time.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A province's quarterly report takes about 30 s (docs/benchmarks.md); past the limit the render
# is stopped and the report is tried again later, then reported as failed.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=80)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
# WeasyPrint keeps memory: a worker process is replaced once it holds this much (KiB) or after
# this many tasks.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=600_000)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=50)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
# An unacknowledged task comes back after this long if its worker vanished without a word
# (longer than a task may run, CELERY_TASK_TIME_LIMIT). Connecting and each command wait at most
# REDIS_TIMEOUT, once, so that queueing never holds a request.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=100),
    "socket_connect_timeout": REDIS_TIMEOUT,
    "socket_timeout": REDIS_TIMEOUT,
    # Connecting is tried once (no retry loop with pauses); the worker has its own, endless one.
    "max_retries": 0,
}
# Autodiscovery only reads tasks.py; the reminders live in their own module.
CELERY_IMPORTS = ["reports.tasks_reminders"]
# Crontab times are Vietnam's (CELERY_TIMEZONE). Every job is safe to run again: nothing is sent
# twice and a report already made is left alone.
CELERY_BEAT_SCHEDULE = {
    "requeue-stuck-reports": {"task": "reports.requeue_stuck_reports", "schedule": 20.0},
    "remind-upcoming-sessions": {
        "task": "reports.remind_upcoming_sessions",
        # Hourly in office hours, so a session scheduled at short notice is caught the same day.
        "schedule": crontab(minute=0, hour="7-17"),
    },
    "remind-opinions": {"task": "reports.remind_opinions", "schedule": crontab(minute=30, hour=7)},
    "remind-missing-minutes": {
        "task": "reports.remind_missing_minutes",
        "schedule": crontab(minute=0, hour=8),
    },
    "remind-quota-shortfalls": {
        "task": "reports.remind_quota_shortfalls",
        "schedule": crontab(minute=15, hour=8),
    },
    # Residents' personal data past the retention period (feedback/personal.py), at night.
    "erase-expired-personal-data": {
        "task": "feedback.erase_expired_personal_data",
        "schedule": crontab(minute=15, hour=2),
    },
}
# Residents' names, phones and addresses in opinions are erased this many years after the opinion
# was closed (Luật Bảo vệ dữ liệu cá nhân: kept no longer than needed).
PERSONAL_DATA_RETENTION_YEARS = env.int("PERSONAL_DATA_RETENTION_YEARS", default=5)
# A report still queued after this many seconds is sent to the queue again (its message may have
# been lost with the broker); one left "rendering" is sent again once CELERY_TASK_TIME_LIMIT has
# passed (its worker died). With beat every 20 s, waiting reports are made within 2 minutes of a
# worker or the broker coming back (scripts/faults.py measures it).
REPORT_REQUEUE_AFTER_SECONDS = env.int("REPORT_REQUEUE_AFTER_SECONDS", default=60)
# The public pages (public/http.py): kept in the cache this long (seconds; publishing or
# withdrawing anything empties it at once), marked for a proxy to keep this long, and a client
# asking more often than this gets 429 (counted per REMOTE_ADDR: behind a proxy, a limit per
# client is the proxy's to keep, or this one counts the proxy as one client).
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=300)
PUBLIC_MAX_AGE = env.int("PUBLIC_MAX_AGE", default=120)
PUBLIC_RATE_LIMIT = env.str("PUBLIC_RATE_LIMIT", default="120/m")
# With the cache (Redis) down the pages still answer, unthrottled, rather than refuse everyone.
RATELIMIT_FAIL_OPEN = True

# The rules in force, the holiday list and the fields, kept in the cache (config/reference.py):
# emptied on every change, and kept this long at most.
REFERENCE_CACHE_SECONDS = env.int("REFERENCE_CACHE_SECONDS", default=600)
# Absolute links in e-mails and calendar feeds.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# E-mail: printed to the console unless EMAIL_URL names a server (smtp://user:pass@host:587).
if env.str("EMAIL_URL", default=""):
    globals().update(env.dj_email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="tiepxuc@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Sessions: they end after SESSION_IDLE_MINUTES without a request, and after
# SESSION_ABSOLUTE_HOURS whatever happens (accounts.middleware.SessionLifetimeMiddleware keeps
# both). Django gives a new session key at every login.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_ABSOLUTE_HOURS = env.int("SESSION_ABSOLUTE_HOURS", default=10)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Transport: cookies are Secure outside DEBUG; HSTS and the HTTPS redirect are on in production
# (SECURE_SSL_REDIRECT=1 when the app itself sees plain HTTP from the outside).
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("BEHIND_TLS_PROXY", default=False):
    # The proxy terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy: everything comes from the app itself and no script is inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The audit log keeps who changed what, and from which address; nobody edits it in the app.
AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports every step of every PDF at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
