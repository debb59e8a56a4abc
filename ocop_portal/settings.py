"""Settings of the OCOP portal.

Everything that differs between machines comes from the environment (see `.env.example`).
Without any variable set, the portal runs on the embedded default: SQLite, no Redis, Celery tasks
run in-process. Production sets `DATABASE_URL`, `REDIS_URL`, `DJANGO_SECRET_KEY` and friends.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A `.env` file beside manage.py fills in variables that the environment does not set.
# DJANGO_ENV_FILE names another file; an empty value reads none.
ENV_FILE = env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The embedded default that `make run` starts: one machine, plain http on loopback, SQLite, tasks
# in-process, and the pages a user really gets (Vietnamese 403/404/500, not debug pages).
EMBEDDED = env.bool("DJANGO_EMBEDDED", default=False) and not DEBUG
LOCAL = DEBUG or EMBEDDED
# The demo accounts publish their password: created only when asked for (`make run` asks).
DEMO_DATA = env.bool("DJANGO_DEMO_DATA", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY and EMBEDDED:
    # A key of this machine's own, made on the first run and kept beside manage.py (not in git).
    key_file = Path(env.str("DJANGO_SECRET_KEY_FILE", default=str(BASE_DIR / ".secret_key")))
    try:
        # Created readable by its owner only, and only once (two processes starting together).
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w", encoding="utf-8") as new_key:
            new_key.write(secrets.token_urlsafe(50))
    SECRET_KEY = key_file.read_text(encoding="utf-8").strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY chưa được đặt. Khi DJANGO_DEBUG=False, hãy đặt biến môi trường "
            "DJANGO_SECRET_KEY (ít nhất 50 ký tự ngẫu nhiên). "
            "(DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.)"
        )
    SECRET_KEY = "django-insecure-embedded-default-only-for-debug"  # noqa: S105

# This machine's own names: the hosts of the embedded default and of debug.
_LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=list(_LOOPBACK) if LOCAL else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
if EMBEDDED and (env.str("REDIS_URL", default="") or not set(ALLOWED_HOSTS) <= set(_LOOPBACK)
                 or not env.str("DATABASE_URL", default="sqlite:").startswith("sqlite:")):
    # The embedded mode turns off HTTPS-only cookies and HSTS and prints e-mail: one machine
    # only, never a server that others reach.
    raise ImproperlyConfigured(
        "DJANGO_EMBEDDED=True chỉ dùng để chạy thử trên một máy (SQLite, không Redis, chỉ "
        "127.0.0.1/localhost). Máy chủ chính thức: bỏ DJANGO_EMBEDDED và đặt DJANGO_SECRET_KEY, "
        "DJANGO_ALLOWED_HOSTS, DATABASE_URL, REDIS_URL.")

INSTALLED_APPS = [
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "django_celery_beat",
    "ocop_portal",
    "subjects",
    "products",
    "communications",
    "targets",
    "catalogue",
    "api",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ocop_portal.middleware.ReviewNoticeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "ocop_portal.middleware.PrivatePagesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes comes last so that it sees the outcome of the login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ocop_portal.urls"
WSGI_APPLICATION = "ocop_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ocop_portal.context_processors.portal",
            ],
        },
    },
]

# Database: a SQLite file unless DATABASE_URL says otherwise.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "ocop_portal.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out account before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "ocop_portal.backends.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 60 * 60)

# Failed logins: five wrong passwords lock the account for fifteen minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Lock the account, not the address: a district office works behind one shared public address,
# and one mistyping colleague must not lock out the whole office.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False

# Vietnamese first; dates read dd/mm/yyyy (see ocop_portal/formats/vi/formats.py).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["ocop_portal.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end libraries come from the npm registry (package.json) and are served by the portal
# itself, so that it works on an intranet without internet.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("vendor/tom-select", BASE_DIR / "node_modules" / "tom-select" / "dist"),
    ("vendor/flatpickr", BASE_DIR / "node_modules" / "flatpickr" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if LOCAL
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In debug, the embedded default and tests, whitenoise serves straight from the finders;
# production runs collectstatic.
WHITENOISE_USE_FINDERS = LOCAL
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Redis: the Celery broker and the shared cache. Without REDIS_URL, tasks run in-process.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ocop",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# A task whose worker process dies is put back on the queue at once instead of being lost.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Every task has limits (the tasks set tighter ones): past the soft limit a task marks its record
# failed with the reason; the hard limit kills it.
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_TIME_LIMIT = 11 * 60
# Redis redelivers a task not acknowledged within the visibility timeout (a killed worker): it
# must outlast the longest hard limit (the import, 16 minutes), or a slow task would run twice.
# A broker that is down is noticed within seconds, so that a request never hangs on it.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 20 * 60, "socket_connect_timeout": 3,
                                   "socket_timeout": 5, "max_retries": 1}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Task modules outside the apps' tasks.py, which autodiscovery does not find.
CELERY_IMPORTS = ["products.imports.tasks", "ocop_portal.tasks"]
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "daily-certificate-check": {
        "task": "products.tasks.certificates_check_expiry",
        "schedule": crontab(hour=6, minute=30),
    },
    "monthly-report": {
        "task": "targets.tasks.monthly_report_for_previous_month",
        "schedule": crontab(day_of_month=1, hour=7, minute=0),
    },
    # Jobs that waited for the queue (the broker was down) or stalled (a killed worker).
    "requeue-jobs": {
        "task": "ocop_portal.tasks.requeue_jobs_task",
        "schedule": crontab(minute="*/5"),
    },
    "purge-downloads": {
        "task": "ocop_portal.tasks.download_purge_task",
        "schedule": crontab(hour=3, minute=15),
    },
}


def _reminder_crontab(text: str):
    """REMINDER_CRONTAB: five cron fields "minute hour day-of-month month day-of-week" in
    Asia/Ho_Chi_Minh; empty turns the reminder e-mails off."""
    if not text.strip():
        return None
    fields = text.split()
    try:
        if len(fields) != 5:
            raise ValueError("cần đúng 5 trường")
        minute, hour, day_of_month, month_of_year, day_of_week = fields
        return crontab(minute=minute, hour=hour, day_of_month=day_of_month,
                       month_of_year=month_of_year, day_of_week=day_of_week)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"REMINDER_CRONTAB={text!r} không hợp lệ ({error}): hãy ghi 5 trường \"phút giờ "
            "ngày tháng thứ\", ví dụ \"0 7 * * 1\" (07:00 thứ Hai hằng tuần).") from error


# The reminder e-mails of each person's "Việc cần làm" (ocop_portal.reminders): weekly, Monday
# 07:00, unless set.
REMINDER_CRONTAB = env.str("REMINDER_CRONTAB", default="0 7 * * 1")
_reminder_schedule = _reminder_crontab(REMINDER_CRONTAB)
if _reminder_schedule is not None:
    CELERY_BEAT_SCHEDULE["todo-reminders"] = {
        "task": "ocop_portal.tasks.reminders_send_task",
        "schedule": _reminder_schedule,
    }
# A list export or an appendix up to this many rows is made while the user waits; a longer one
# is made in the background, with a progress bar (ocop_portal.downloads).
EXPORT_INLINE_ROWS = env.int("EXPORT_INLINE_ROWS", default=2000)

# E-mail: console in the embedded default; SMTP in production through EMAIL_URL.
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if LOCAL else "smtp://localhost:25"
)
EMAIL_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_HOST = EMAIL_CONFIG.get("EMAIL_HOST", "localhost")
EMAIL_PORT = EMAIL_CONFIG.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = EMAIL_CONFIG.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = EMAIL_CONFIG.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = EMAIL_CONFIG.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = EMAIL_CONFIG.get("EMAIL_USE_SSL", False)
# `filemail:////var/spool/ocop-mail` writes each message to a file there (a server with no mail).
if EMAIL_CONFIG.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = EMAIL_CONFIG["EMAIL_FILE_PATH"]
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="ocop@backan.gov.vn")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who receives the province office's notices (certificate expiry) and the monthly report.
PROVINCE_OFFICE_EMAILS = env.list("PROVINCE_OFFICE_EMAILS", default=[])
REPORT_RECIPIENTS = env.list("REPORT_RECIPIENTS", default=[])

# Content-Security-Policy (django-csp): every script, style, image and font from the portal
# itself (the vendored Bootstrap and Chart.js included), no inline script, no plugins, no
# framing, and forms posting only here. Bootstrap's icons in its CSS are data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

# Security with debug off: secure cookies, HSTS, SSL redirect (turn off when a proxy does it).
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not LOCAL:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
    if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
    },
}

if not REDIS_URL:
    # The in-process "memory://" transport has no host; kombu would warn about it on every task.
    LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}

# The province and the plan the portal is set up for.
PROVINCE_CODE = "06"

# django-filter: an empty choice in a list filter reads "Tất cả" (all), not "---------".
FILTERS_EMPTY_CHOICE_LABEL = "Tất cả"

# The REST API (api/): session or personal token, the portal's own scopes, pages of 50, the lists'
# django-filter filters, throttled per user and per address, errors in Vietnamese.
API_THROTTLE_RATES = {
    "user": "1200/hour",
    "anon": "60/hour",
    # Asking for a token checks a password: slower still (django-axes locks the account too).
    "token_create": "10/minute",
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.UserThrottle", "api.throttling.AnonThrottle"],
    "DEFAULT_THROTTLE_RATES": API_THROTTLE_RATES,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.portal_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Cổng OCOP Bắc Kạn",
    "DESCRIPTION": ("Sản phẩm, chủ thể, đánh giá và giấy chứng nhận, tin bài và số liệu chỉ tiêu "
                    "của Chương trình OCOP tỉnh Bắc Kạn, trong phạm vi của từng vai trò."),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "EvaluationKindEnum": "products.models.EvaluationKind",
        "MediaKindEnum": "communications.models.MediaKind",
    },
}

# The public pages (catalogue, certificate check): requests per client address, "count/period"
# with the period s, m or h; past it a 429 page (catalogue.throttle).
CATALOGUE_RATE = env.str("CATALOGUE_RATE", default="60/m")
VERIFY_RATE = env.str("VERIFY_RATE", default="30/m")

# The public address printed in the certificates' QR codes (https://ocop.backan.gov.vn); empty:
# the address the request came in on.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="")
