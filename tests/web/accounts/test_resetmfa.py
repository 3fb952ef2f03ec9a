"""`taper resetmfa EMAIL`: a lost phone; the person sets up again at the next login."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.web.test_cli import taper


@pytest.mark.hazard("HZ-141")
def test_resetmfa_removes_the_devices_and_says_so(tmp_path: Path) -> None:
    made = taper("adduser", "doc@example.org", "--role", "clinician", tmp_path=tmp_path,
                 TAPER_PASSWORD="a-long-password-1")
    assert made.returncode == 0, made.stderr
    enrol = ("from taper.cli.web import setup_django; setup_django();"
             "from django_otp.plugins.otp_totp.models import TOTPDevice;"
             "from taper.web.clinic.models import User;"
             "TOTPDevice.objects.create(user=User.objects.get(), name='app', confirmed=True)")
    env = {"PYTHONPATH": str(Path(__file__).resolve().parents[3] / "src"),
           "TAPER_DATA_DIR": str(tmp_path / "data"), "TAPER_DEBUG": "1"}
    subprocess.run([sys.executable, "-c", enrol], env=env, check=True, timeout=120)
    reset = taper("resetmfa", "DOC@example.org", tmp_path=tmp_path)
    assert reset.returncode == 0 and "1 device(s) removed" in reset.stderr
    again = taper("resetmfa", "doc@example.org", tmp_path=tmp_path)
    assert again.returncode == 0 and "nothing changed" in again.stderr


def test_resetmfa_of_an_unknown_address_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = taper("resetmfa", "nobody@example.org", tmp_path=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "EMAIL:" in result.stderr
