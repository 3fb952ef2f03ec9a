"""Real `taper serve` processes on the test database, for the several-servers test."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests

ROOT = Path(__file__).resolve().parents[2]
KEY = "two-servers-" + "Zq7w" * 14


def database_url(settings_dict: dict[str, Any]) -> str:
    options = settings_dict.get("OPTIONS") or {}
    host = settings_dict.get("HOST") or options.get("host") or ""
    port = settings_dict.get("PORT") or options.get("port") or ""
    user = quote(settings_dict.get("USER") or "")
    password = f":{quote(settings_dict['PASSWORD'])}" if settings_dict.get("PASSWORD") else ""
    return (f"postgres://{user}{password}@/{quote(settings_dict['NAME'])}"
            f"?host={quote(str(host))}&port={port}")


def server_env(settings_dict: dict[str, Any], data: Path, **extra: str) -> dict[str, str]:
    """Demo mode without its seed: plain http on localhost and e-mails printed to the
    process's standard output, where the test counts them; one shared key and database."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TAPER_", "DJANGO_", "DATABASE_URL"))}
    env.update({"PYTHONPATH": str(ROOT / "src"), "TAPER_DATA_DIR": str(data), "TAPER_DEMO": "1",
                "TAPER_SECRET_KEY": KEY, "DATABASE_URL": database_url(settings_dict),
                "PYTHONUNBUFFERED": "1", **extra})
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    name: str
    env: dict[str, str]
    out: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        Path(self.env["TAPER_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
        with open(self.out, "wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "taper", "serve", "--port", str(self.port), "--workers", "2"],
                env=self.env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def wait_ready(self, limit: float = 120) -> None:
        """Until /readyz says ready (the database answers, nothing to migrate)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self.output()
            try:
                if requests.get(f"{self.url}/readyz", timeout=5).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{self.name} not ready: {self.output()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn: a graceful stop
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def output(self) -> str:
        return self.out.read_text("utf-8", "replace") if self.out.exists() else ""


def logged_in(base: str, email: str, password: str) -> tuple[requests.Session, int]:
    """A browser's login: the form's CSRF token, then the POST; the session and the status."""
    browser = requests.Session()
    form = browser.get(f"{base}/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token, form.text[:300]
    answer = browser.post(f"{base}/login/", timeout=30, allow_redirects=False, data={
        "csrfmiddlewaretoken": token.group(1), "username": email, "password": password})
    return browser, answer.status_code
