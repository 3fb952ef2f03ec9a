"""Test settings: production settings with a throwaway data folder and a test-only key.

DATABASE_URL, when set (the PostgreSQL harness), is honoured as in production.
"""

import os
import tempfile

os.environ.setdefault("TAPER_DATA_DIR", tempfile.mkdtemp(prefix="taper-test-"))
os.environ.setdefault("TAPER_SECRET_KEY", "test-only-" + "k9Xq" * 15)
os.environ.setdefault("TAPER_SITE_URL", "https://taper.example.org")
os.environ.pop("TAPER_DEBUG", None)
os.environ.pop("TAPER_DEMO", None)

from taper.web.settings import *  # noqa: F403

# `taper serve` collects the static files before WhiteNoise starts; tests start it without.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
SECURE_SSL_REDIRECT = False  # the test client speaks plain http
# Argon2 is first in production (tests/web/test_settings.py checks it); MD5 keeps tests fast.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Alert e-mails in the request, so a test sees them when its check-in returns; the tests of
# the background sender (test_alerts.py) switch it on, on committed data.
ALERT_EMAIL = "request"

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not Django's in-memory test database: the concurrency tests need WAL, the busy
    # timeout and IMMEDIATE transactions across threads, as in production.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
