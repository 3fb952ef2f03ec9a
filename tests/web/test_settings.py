"""Settings: SQLite tuned for production, check --deploy clean, secrets required, docs complete."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from taper.web import settings as production
from taper.web.env import envbool, envchoice, envsecret

ROOT = Path(__file__).resolve().parents[2]


def test_sqlite_is_tuned_as_a_production_database(tmp_path: Path, django_db_blocker: Any) -> None:
    """Read the PRAGMAs back from a real connection made with the production options.

    It runs whatever the configured database is: SQLite is the default in production.
    """
    from django.db.backends.sqlite3.base import DatabaseWrapper

    config = {**production.sqlite_database(tmp_path / "t.sqlite3"), "TIME_ZONE": None,
              "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True,
              "ATOMIC_REQUESTS": False}
    wrapper = DatabaseWrapper(config, alias="pragma-check")
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            def pragma(name: str) -> object:
                return cursor.execute(f"PRAGMA {name}").fetchone()[0]
            assert pragma("journal_mode") == "wal"
            assert pragma("synchronous") == 2  # FULL
            assert pragma("busy_timeout") == 5000
            assert pragma("foreign_keys") == 1
            assert pragma("cache_size") == -32768  # KiB
        assert wrapper.transaction_mode == "IMMEDIATE"
    finally:
        wrapper.close()


def test_the_configured_database_is_the_tuned_sqlite_unless_database_url_is_set() -> None:
    if os.environ.get("DATABASE_URL") or os.environ.get("DATABASE_URL_FILE"):
        assert connection.vendor == "postgresql"
    else:
        assert connection.vendor == "sqlite"
        assert settings.DATABASES["default"]["OPTIONS"] == production.sqlite_database(
            Path("x"))["OPTIONS"]


def test_argon2_hashes_passwords_in_production() -> None:
    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_there_are_no_model_changes_without_a_migration(db: None) -> None:
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def _django(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("TAPER_", "DJANGO_", "DATABASE_URL"))}
    clean.update(PYTHONPATH=str(ROOT / "src"), TAPER_DATA_DIR=str(tmp_path), **env)
    return subprocess.run([sys.executable, "-m", "taper.web.manage", *args], env=clean,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.hazard("HZ-085")
def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_text("a-production-key-" + "Zq7w" * 15)
    run = _django(["check", "--deploy", "--fail-level", "WARNING"],
                  {"TAPER_SECRET_KEY_FILE": str(key), "TAPER_ALLOWED_HOSTS": "taper.example.org",
                   "TAPER_SITE_URL": "https://taper.example.org"},
                  tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout


@pytest.mark.hazard("HZ-085")
def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    run = _django(["check"], {}, tmp_path)
    assert run.returncode != 0
    assert "TAPER_SECRET_KEY: required in production" in run.stderr
    assert not (tmp_path / "secret_key.txt").exists()


def test_debug_mode_makes_a_key_in_the_data_folder(tmp_path: Path) -> None:
    run = _django(["check"], {"TAPER_DEBUG": "1"}, tmp_path)
    assert run.returncode == 0, run.stderr
    assert len((tmp_path / "secret_key.txt").read_text()) >= 50


@pytest.mark.parametrize("value", ["maybe", "2", "enabled"])
def test_a_mistyped_boolean_stops_the_start_naming_the_variable(monkeypatch: pytest.MonkeyPatch,
                                                               value: str) -> None:
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("TAPER_DEBUG", value)
    with pytest.raises(ImproperlyConfigured, match="TAPER_DEBUG"):
        envbool("TAPER_DEBUG")


def test_alert_emails_leave_from_the_background_sender_in_production() -> None:
    assert production.ALERT_EMAIL == "background" and settings.ALERT_EMAIL == "request"


def test_a_mistyped_choice_stops_the_start_naming_the_variable_and_the_choices(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("TAPER_ALERT_EMAIL", " Request ")
    assert envchoice("TAPER_ALERT_EMAIL", ("background", "request"), "background") == "request"
    monkeypatch.setenv("TAPER_ALERT_EMAIL", "threaded")
    with pytest.raises(ImproperlyConfigured, match="TAPER_ALERT_EMAIL: must be one of background, request"):
        envchoice("TAPER_ALERT_EMAIL", ("background", "request"), "background")


def test_a_secret_is_read_from_its_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "s").write_text("from-a-file\n")
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "s"))
    assert envsecret("X_SECRET") == "from-a-file"


def test_every_environment_variable_is_documented() -> None:
    source = "\n".join(p.read_text() for p in (ROOT / "src/taper/web").glob("*.py"))
    names = set(re.findall(r'env(?:bool|choice|int|list|secret)\("([A-Z_]+)"', source))
    names |= set(re.findall(r'environ\.get\("([A-Z_]+)"', source))
    secrets = {n for n in re.findall(r'envsecret\("([A-Z_]+)"', source)}
    names |= {f"{n}_FILE" for n in secrets}
    doc = (ROOT / "docs/web.md").read_text()
    missing = sorted(n for n in names if f"`{n}`" not in doc)
    assert len(names) > 10 and missing == []
