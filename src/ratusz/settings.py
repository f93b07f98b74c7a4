"""Django settings for ratusz. Every value comes from a declared RATUSZ_* setting (see config.py)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from ratusz import config

BASE_DIR = Path(__file__).resolve().parent
HOME = config.home()

_DEV_SECRET = "ratusz-development-key-not-for-production"
SECRET_KEY = config.get("RATUSZ_SECRET_KEY") or _DEV_SECRET
DEBUG = config.flag("RATUSZ_DEBUG")
PRODUCTION = config.flag("RATUSZ_PRODUCTION")
if PRODUCTION and (SECRET_KEY == _DEV_SECRET or DEBUG):
    raise ImproperlyConfigured(
        "RATUSZ_PRODUCTION=1 needs RATUSZ_SECRET_KEY set to a long random value and RATUSZ_DEBUG=0."
    )


def _derived_key(purpose: str) -> str:
    return hashlib.sha256(f"{purpose}:{SECRET_KEY}".encode()).hexdigest()


PSEUDONYM_KEY = config.get("RATUSZ_PSEUDONYM_KEY") or _derived_key("pseudonym")
TOKEN_KEY = config.get("RATUSZ_TOKEN_KEY") or _derived_key("token")

ALLOWED_HOSTS = [h.strip() for h in config.get("RATUSZ_ALLOWED_HOSTS").split(",") if h.strip()]
if not PRODUCTION:
    ALLOWED_HOSTS += ["testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "ratusz.registry",
    "ratusz.collect",
    "ratusz.metrics",
    "ratusz.language",
    "ratusz.voting",
    "ratusz.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ratusz.urls"
WSGI_APPLICATION = "ratusz.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_db_url = config.get("RATUSZ_DATABASE_URL") or f"sqlite:///{HOME / 'ratusz.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import or collection writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # Each test process gets its own database, so parallel runs on one server do not collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_ratusz_{os.getpid()}"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The ballot page's rate limits are counted in the database (ratusz.voting.ratelimit), shared by all workers.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", "Polski"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing folder
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Computed rankings and peer groups are cached (ratusz.metrics.views); a folder shares them between workers.
if config.get("RATUSZ_CACHE_DIR"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": config.get("RATUSZ_CACHE_DIR"),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

# Background jobs: Django 6 tasks with the database backend (worker: `ratusz-manage db_worker`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Django 6.1 mailers (EMAIL_BACKEND/EMAIL_HOST… are deprecated): send with mail.mailers.default.
if config.get("RATUSZ_EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": config.get("RATUSZ_EMAIL_HOST"),
                "port": int(config.get("RATUSZ_EMAIL_PORT")),
                "username": config.get("RATUSZ_EMAIL_USER"),
                "password": config.get("RATUSZ_EMAIL_PASSWORD"),
                "use_tls": config.flag("RATUSZ_EMAIL_TLS"),
                "timeout": 30,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = config.get("RATUSZ_EMAIL_FROM")
BASE_URL = config.get("RATUSZ_BASE_URL")

LOGIN_URL = "/admin/login/"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"ratusz": {"level": "INFO"}},
}
