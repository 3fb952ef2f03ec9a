"""Django settings: every value from the environment through the fail-loud readers in env.py.

Three modes: production (the default: a secret key is required and cookies, HSTS and the
redirect to https are on), demo (`taper serve --demo`: plain http on localhost, a key made
into the data folder) and debug (TAPER_DEBUG=1). Every variable is listed in docs/web.md.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from taper.web.env import envbool, envchoice, envint, envlist, envphone, envsecret, generated_secret

DATA_DIR = Path(os.environ.get("TAPER_DATA_DIR") or Path.cwd() / "data").resolve()
DEBUG = envbool("TAPER_DEBUG")
DEMO = envbool("TAPER_DEMO")  # set by `taper serve --demo`
PRODUCTION = not (DEBUG or DEMO)

_key = envsecret("TAPER_SECRET_KEY")
if _key is None and PRODUCTION:
    raise ImproperlyConfigured(
        "TAPER_SECRET_KEY: required in production; set TAPER_SECRET_KEY or TAPER_SECRET_KEY_FILE "
        "(a long random string, e.g. from `python -c 'import secrets; print(secrets.token_urlsafe(50))'`),"
        " or run `taper serve --demo` / TAPER_DEBUG=1 to use a key generated into the data folder")
SECRET_KEY = _key or generated_secret(DATA_DIR)

ALLOWED_HOSTS = envlist("TAPER_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("TAPER_CSRF_TRUSTED_ORIGINS", [])
SELF_REGISTRATION = envbool("TAPER_SELF_REGISTRATION")
INVITATION_DAYS = envint("TAPER_INVITATION_DAYS", 7, low=1)
# API tokens: requests a token may make per fixed window (a minute); more answer 429.
TOKEN_RATE_LIMIT = envint("TAPER_TOKEN_RATE_LIMIT", 120, low=1)
TOKEN_RATE_WINDOW_SECONDS = 60

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "ninja",  # the API docs page then uses its vendored Swagger UI files, not a CDN
    "taper.web.clinic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "taper.web.clinic.audit.middleware.AuditMiddleware",  # needs request.user; sees 403/404s
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "taper.web.urls"
WSGI_APPLICATION = "taper.web.wsgi.application"
AUTH_USER_MODEL = "clinic.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "taper.web.clinic.context.site",
    ]},
}]


def sqlite_database(path: Path) -> dict[str, Any]:
    """SQLite as a production database: WAL, a busy timeout, immediate write transactions."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the busy
            # timeout instead of one failing with "database is locked" half-way through.
            "transaction_mode": "IMMEDIATE",
            "timeout": 5,  # seconds; sqlite3 sets busy_timeout from it
            # A 32 MiB page cache per connection (SQLite's default is 2 MiB): a check-in
            # reads a month of one patient's history from a file of millions of rows.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                            " PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768",
        },
    }


_database_url = envsecret("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(
        _database_url, conn_max_age=600, conn_health_checks=True)}
else:
    DATABASES = {"default": sqlite_database(DATA_DIR / "taper.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # reads hashes made before a switch
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # counts failures and refuses while locked out
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("TAPER_LOGIN_FAILURES", 5, low=1)
AXES_COOLOFF_TIME = timedelta(minutes=envint("TAPER_LOCKOUT_MINUTES", 15, low=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "clinic/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"

SESSION_COOKIE_AGE = envint("TAPER_SESSION_HOURS", 12, low=1) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Plain http on localhost is what demo and debug runs have; production gets every header.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and envbool("TAPER_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a load balancer probes over plain http
SECURE_HSTS_SECONDS = envint("TAPER_HSTS_SECONDS", 31536000) if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
BEHIND_PROXY = envbool("TAPER_BEHIND_PROXY")  # also: the audit trail's client address
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline script or style anywhere: the one script (the plan preview) is a static file.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": [SELF], "script-src": [SELF], "style-src": [SELF], "img-src": [SELF],
    "connect-src": [SELF], "form-action": [SELF], "frame-ancestors": [NONE],
    "base-uri": [SELF], "object-src": [NONE],
}}

# Alerts to clinicians (docs/web.md "Alerts"): printed to the console in debug and demo
# runs, sent by SMTP in production. TAPER_SITE_URL makes the links in them.
SITE_URL = (os.environ.get("TAPER_SITE_URL") or "http://localhost:8000").rstrip("/")
EMAIL_BACKEND = ("django.core.mail.backends.console.EmailBackend" if not PRODUCTION else
                 "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("TAPER_EMAIL_HOST") or "localhost"
EMAIL_PORT = envint("TAPER_EMAIL_PORT", 587, low=1)
EMAIL_HOST_USER = os.environ.get("TAPER_EMAIL_USER") or ""
EMAIL_HOST_PASSWORD = envsecret("TAPER_EMAIL_PASSWORD") or ""
EMAIL_USE_TLS = envbool("TAPER_EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10  # seconds: a stuck mail server must not hold a check-in for long
DEFAULT_FROM_EMAIL = os.environ.get("TAPER_EMAIL_FROM") or "taper@localhost"
# A check-in's alert e-mail: "background" (a sender thread in each worker process, so the
# patient's answer never waits for the mail server) or "request" (sent in the request after
# commit; the tests use it). Unsent alerts are left to `taper sendalerts` either way.
ALERT_EMAIL = envchoice("TAPER_ALERT_EMAIL", ("background", "request"), "background")
# The number the emergency message offers to call (tap-to-call), set per deployment: 112
# (EU and most GSM phones), 911 (US, Canada), 999 (UK), 000 (Australia) ... (HZ-189).
TAPER_EMERGENCY_NUMBER = envphone("TAPER_EMERGENCY_NUMBER", "112")

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"  # stored instants; each patient's day is reckoned in their own zone
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
SERVE_STATIC = envbool("TAPER_SERVE_STATIC", True)  # off when a proxy serves data/static

LOGGING = {
    "version": 1, "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
