"""`taper adduser` and `taper serve`: thin over the services; bad input is one line, exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from taper.web.clinic.demo import seed_demo
from taper.web.clinic.models import Decision, PlanVersion, Role, User

ROOT = Path(__file__).resolve().parents[2]


def taper(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The real command in a fresh process, on its own SQLite in tmp_path (never DATABASE_URL)."""
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("TAPER_", "DJANGO_", "DATABASE_URL"))}
    clean.update({"PYTHONPATH": str(ROOT / "src"), "TAPER_DATA_DIR": str(tmp_path / "data"),
                  "TAPER_DEBUG": "1", **env})
    return subprocess.run([sys.executable, "-m", "taper", *args], env=clean, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


def test_adduser_adds_a_clinician_then_a_patient_of_theirs(tmp_path: Path) -> None:
    first = taper("adduser", "doc@example.org", "--role", "clinician", tmp_path=tmp_path,
                  TAPER_PASSWORD="a-long-password-1")
    assert first.returncode == 0 and "Added clinician doc@example.org" in first.stdout
    second = taper("adduser", "pat@example.org", "--role", "patient", "--clinician",
                   "doc@example.org", "--timezone", "Europe/Paris", tmp_path=tmp_path,
                   TAPER_PASSWORD="a-long-password-2")
    assert second.returncode == 0, second.stderr
    assert (tmp_path / "data" / "taper.sqlite3").exists()


@pytest.mark.parametrize(("args", "env", "says"), [
    (["not-an-email", "--role", "admin"], {"TAPER_PASSWORD": "a-long-password-1"}, "EMAIL:"),
    (["p@example.org", "--role", "patient", "--clinician", "no@example.org"],
     {"TAPER_PASSWORD": "a-long-password-1"}, "clinician: no clinician"),
    (["a@example.org", "--role", "admin"], {"TAPER_PASSWORD": "123"}, "password:"),
    (["a@example.org", "--role", "admin"], {}, "TAPER_PASSWORD:"),
], ids=["bad-email", "unknown-clinician", "weak-password", "no-password-no-terminal"])
def test_adduser_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str],
                                                  env: dict[str, str], says: str) -> None:
    run = taper("adduser", *args, tmp_path=tmp_path, **env)
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and says in run.stderr


def test_adduser_in_production_without_a_key_says_so_in_one_line(tmp_path: Path) -> None:
    run = taper("adduser", "a@example.org", "--role", "admin", tmp_path=tmp_path,
                TAPER_DEBUG="0", TAPER_PASSWORD="a-long-password-1")
    assert run.returncode == 2 and "TAPER_SECRET_KEY: required" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("port", ["0", "http", "70000"])
def test_serve_refuses_a_bad_port_before_doing_anything(tmp_path: Path, port: str) -> None:
    run = taper("serve", "--port", port, tmp_path=tmp_path)
    assert run.returncode == 2 and "--port: must be a whole number 1-65535" in run.stderr
    assert not (tmp_path / "data").exists()


def test_the_demo_clinic_is_made_once(db: None) -> None:
    accounts = seed_demo()
    assert accounts is not None and len(accounts) == 3
    assert all(password.startswith("demo-") for _, password in accounts)
    assert User.objects.filter(role=Role.PATIENT).count() == 2
    assert Decision.objects.count() == 14
    assert PlanVersion.objects.filter(origin="hold").count() == 1  # Kim's moderate anxiety today
    assert seed_demo() is None


def test_taper_plan_does_not_import_django(tmp_path: Path) -> None:
    code = ("import sys; from taper.cli import main; main(['drugs']);"
            " print('DJANGO', any(m.startswith('django') for m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, timeout=60)
    assert "DJANGO False" in run.stdout
