"""Static files in production: WhiteNoise serves the collected files before sessions, the
database or the audit trail; TAPER_SERVE_STATIC=0 leaves /static/ to the proxy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command
from django.test import Client

from tests.ops.servers import ROOT


def test_the_app_serves_collected_static_files_with_cache_headers(db: None) -> None:
    call_command("collectstatic", interactive=False, verbosity=0)
    answer = Client().get("/static/taper/app.css")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/css")
    assert "max-age" in answer["Cache-Control"]
    assert b"".join(answer.streaming_content)  # type: ignore[attr-defined]


def test_with_serve_static_off_the_middleware_is_not_there(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TAPER_", "DJANGO_"))}
    env.update({"PYTHONPATH": str(ROOT / "src"), "TAPER_DATA_DIR": str(tmp_path),
                "TAPER_SECRET_KEY": "k" * 60,
                "TAPER_SITE_URL": "https://taper.example.org",
                "DJANGO_SETTINGS_MODULE": "taper.web.settings"})
    code = "from django.conf import settings as s; print([m for m in s.MIDDLEWARE if 'white' in m])"
    on = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    off = subprocess.run([sys.executable, "-c", code], env={**env, "TAPER_SERVE_STATIC": "0"},
                         capture_output=True, text=True)
    assert on.stdout.strip() == "['whitenoise.middleware.WhiteNoiseMiddleware']", on.stderr
    assert off.stdout.strip() == "[]", off.stderr
