"""Django settings: every value from the environment through the fail-loud readers in env.py.

Three modes: production (the default: a secret key is required and cookies, HSTS and the
redirect to https are on), demo (`taper serve --demo`: plain http on localhost, a key made
into the data folder) and debug (TAPER_DEBUG=1). Every variable is listed in docs/web.md.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from taper.web.env import (
    data_dir,
    envbool,
    envchoice,
    envint,
    envlist,
    envphone,
    envsecret,
    envurl,
    envzone,
    generated_secret,
)
from taper.web.ops.logs import logging_config

DATA_DIR = data_dir(os.environ.get("TAPER_DATA_DIR") or str(Path.cwd() / "data"))
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
# Retention (docs/retention.md): days after a taper ends before `taper purge` deletes the
# record; 0 (the default) keeps every record for ever.
RETENTION_DAYS = envint("TAPER_RETENTION_DAYS", 0, low=0)
# The plan builder's time zone when a patient has none, listed first in its search (issue 15).
TAPER_DEFAULT_TIME_ZONE = envzone("TAPER_DEFAULT_TIME_ZONE", "UTC")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",  # the API docs page then uses its vendored Swagger UI files, not a CDN
    "taper.web.clinic",
    "taper.web.ops",
    "taper.web.records",  # a patient's whole record; retention and legal hold
    "taper.web.accounts",
    "taper.web.carers",  # a patient's carers (issue 14 item 9)
    "taper.web.messaging",  # secure messages with the clinic (issue 15 item 5)
    "taper.web.staff",  # managing accounts: invitations, links, deactivation, moves
    "taper.web.reminders",  # e-mail reminders, the web app manifest and offline use
]

MIDDLEWARE = [
    "taper.web.ops.logs.RequestLogMiddleware",  # first: times the whole request
    "taper.web.clinic.responses.ApiErrorsAsJson",  # outermost: sees every error under /api
    "taper.web.clinic.responses.NoStore",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # /static/ (TAPER_SERVE_STATIC=0: the proxy's)
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # the browser's language (Accept-Language)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    "taper.web.clinic.language.PatientLanguage",  # a patient's own choice; clinicians: English
    "taper.web.clinic.audit.middleware.AuditMiddleware",  # needs request.user; sees 403/404s
    "django.contrib.messages.middleware.MessageMiddleware",
    "taper.web.accounts.middleware.SessionGuard",  # idle logoff, then the second factor
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
        "taper.web.accounts.context.session",
        "taper.web.messaging.context.unread",
    ]},
}]


# Persistent connections (issue 17): a worker keeps its connection for this many seconds
# instead of opening one per request (on SQLite that was the WAL set-up and four fsyncs,
# about 16 ms a request); each request first checks the kept connection still answers.
CONN_MAX_AGE = envint("TAPER_DB_CONN_MAX_AGE", 600, low=0)


def sqlite_database(path: Path) -> dj_database_url.DBConfig:
    """SQLite as a production database: WAL, a busy timeout, immediate write transactions
    queued on a file lock (taper.web.db.sqlite3, issue 17), the pragmas set once per
    connection (`init_command`), the connection kept."""
    return {
        # Django's SQLite back end; its writers wait on a file lock, not SQLite's busy
        # handler's sleeps (docs/performance.md, "Stop 14: the check-in's tail").
        "ENGINE": "taper.web.db.sqlite3",
        "NAME": str(path),
        "CONN_MAX_AGE": CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the busy
            # timeout instead of one failing with "database is locked" half-way through.
            "transaction_mode": "IMMEDIATE",
            "timeout": 5,  # seconds; sqlite3 sets busy_timeout from it
            # synchronous=FULL: WAL syncs at every commit, so an acknowledged check-in or
            # approval survives a power cut, not only a crash of the process (issue 16).
            # A 32 MiB page cache per connection (SQLite's default is 2 MiB): a check-in
            # reads a month of one patient's history from a file of millions of rows.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                            " PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768",
        },
    }


def url_database(url: str) -> dj_database_url.DBConfig:
    """A database from DATABASE_URL (PostgreSQL in production), its connection kept."""
    database = dj_database_url.parse(url, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)
    if "postgresql" in database["ENGINE"]:
        # No statement may hold a worker (and its locks) longer than this (issue 16).
        _timeout = envint("TAPER_DB_STATEMENT_TIMEOUT_MS", 10000)
        database.setdefault("OPTIONS", {})["options"] = f"-c statement_timeout={_timeout}"
    return database


_database_url = envsecret("DATABASE_URL")
if _database_url:
    DATABASES = {"default": url_database(_database_url)}
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
# One account however its address is typed (ALICE@x is alice@x), and the client's own
# address, read from a proxy's header only when a trusted proxy sent the request.
AXES_USERNAME_CALLABLE = "taper.web.accounts.client.lockout_username"
AXES_CLIENT_IP_CALLABLE = "taper.web.accounts.client.client_ip"
# Addresses or networks of the reverse proxies in front (e.g. "10.0.0.5, 10.1.0.0/16");
# only a request from one of them has its client-address header believed.
TRUSTED_PROXIES = envlist("TAPER_TRUSTED_PROXIES", [])
CLIENT_IP_HEADER = "HTTP_" + (os.environ.get("TAPER_CLIENT_IP_HEADER") or "X-Forwarded-For"
                              ).strip().upper().replace("-", "_")
# Requests per window (seconds) before a 429, counted in the database (accounts.throttle).
# Policy, not a clinical fact: generous for a person, tight for a script.
THROTTLES = {
    "register": (10, 3600),  # self-registration attempts per client address
    "reset": (10, 3600),  # password-reset requests per client address
    "reset_address": (3, 3600),  # reset e-mails per address (beyond: no e-mail, same page)
    "token": (20, 600),  # invalid invitation or calendar-feed tokens per client address
}
# The second factor (TOTP, django-otp): "required" for clinicians and administrators (the
# default in production), or "optional" (demo and debug). Patients may always opt in.
MFA = envchoice("TAPER_MFA", ("required", "optional"), "required" if PRODUCTION else "optional")
OTP_TOTP_ISSUER = "Taper"
# Logoff after inactivity, enforced on the server; a page warns a little before.
IDLE_MINUTES = envint("TAPER_IDLE_MINUTES", 30, low=1)  # clinicians and administrators
PATIENT_IDLE_MINUTES = envint("TAPER_PATIENT_IDLE_MINUTES", 30, low=1)
IDLE_WARNING_SECONDS = 120
PASSWORD_RESET_TIMEOUT = envint("TAPER_PASSWORD_RESET_MINUTES", 60, low=5) * 60

# Django's database sessions, their read on every page written once as SQL (issue 17).
SESSION_ENGINE = "taper.web.accounts.sessions"
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
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # a load balancer probes over plain http
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
# Required in production: an alert must never link to localhost (issue 16).
SITE_URL = envurl("TAPER_SITE_URL", None if PRODUCTION else "http://localhost:8000")
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

# Patient pages in English and Spanish (docs/web.md "Languages"): a patient's own choice
# (their settings page), else the browser's Accept-Language; clinician pages stay English.
# The catalogue is src/taper/web/locale/es/LC_MESSAGES/django.po, compiled at install.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
TIME_ZONE = "UTC"  # stored instants; each patient's day is reckoned in their own zone
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
SERVE_STATIC = envbool("TAPER_SERVE_STATIC", True)  # off when a proxy serves data/static
# WhiteNoise serves the collected files (`taper serve` collects them first) from memory-mapped
# paths with cache headers, before sessions or the database; in debug it finds them in the apps.
if not SERVE_STATIC:
    MIDDLEWARE.remove("whitenoise.middleware.WhiteNoiseMiddleware")
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# One JSON line per request (route, status, duration, user id) and per warning; or plain text.
LOG_FORMAT = envchoice("TAPER_LOG_FORMAT", ("json", "text"), "json")
LOGGING = logging_config(LOG_FORMAT)
# Django's request lines name the path: token paths are redacted first (issue 16), even where
# the handler's own filter (NoPaths) would not see them.
LOGGING["filters"]["redact_tokens"] = {"()": "taper.web.redact.RedactTokens"}
for _name in ("django.request", "django.server", "django.security"):
    LOGGING["loggers"].setdefault(_name, {})["filters"] = ["redact_tokens"]
