"""`taper serve` (migrate, then gunicorn) and `taper adduser`: thin over the web services.

Django is imported only when one of these runs, so `taper plan` starts as fast as before.
"""

from __future__ import annotations

import argparse
import os
import sys
from getpass import getpass
from pathlib import Path
from typing import Any

from taper.cli.errors import UsageError

ROLES = ("clinician", "patient", "admin")


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    if name == "serve":
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", default="8000", help="port to listen on (default 8000)")
        parser.add_argument("--workers", default="2", help="gunicorn worker processes")
        parser.add_argument("--demo", action="store_true",
                            help="seed a demo clinic once and allow plain http on localhost")
    else:
        parser.add_argument("email", help="the new account's email address (the login)")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--clinician", metavar="EMAIL", help="a patient's clinician")
        parser.add_argument("--name", default="", help="a patient's name (default: from the email)")
        parser.add_argument("--timezone", default="UTC", help="a patient's IANA time zone")


def setup_django(demo: bool = False) -> None:
    """Configure Django from the environment and apply migrations; bad settings → UsageError."""
    if demo:
        os.environ["TAPER_DEMO"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taper.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import call_command

    try:
        django.setup()
        call_command("migrate", interactive=False, verbosity=0)
    except ImproperlyConfigured as exc:
        raise UsageError(str(exc)) from None


def _number(text: str, flag: str, low: int, high: int) -> int:
    if not text.isdigit() or not low <= int(text) <= high:
        raise UsageError(f"{flag}: must be a whole number {low}-{high}, got {text!r}")
    return int(text)


def run(args: argparse.Namespace) -> int:
    return serve(args) if args.command == "serve" else adduser(args)


def serve(args: argparse.Namespace) -> int:
    port = _number(args.port, "--port", 1, 65535)
    workers = _number(args.workers, "--workers", 1, 64)
    setup_django(demo=args.demo)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    if not settings.DEBUG:
        call_command("collectstatic", interactive=False, verbosity=0)
    _compile_translations([Path(p) for p in settings.LOCALE_PATHS])
    if args.demo:
        from taper.web.clinic.demo import seed_demo

        accounts = seed_demo()
        if accounts:
            print("DEMO DATA — made-up people, not for real use. Passwords are shown only now:")
            for email, password in accounts:
                print(f"  {email:<32} {password}")
    connections.close_all()  # workers are forked; each opens its own connection
    print(f"Taper at http://{args.host}:{port}/  (data in {settings.DATA_DIR})", flush=True)
    _gunicorn(f"{args.host}:{port}", workers, str(settings.DATA_DIR / "gunicorn.ctl"))
    return 0


def _compile_translations(folders: list[Path]) -> None:
    """The catalogues compiled when their .po is newer (as `make run` does), or a warning:
    without them the Spanish pages fall back to English (docs/web.md "Languages")."""
    import shutil
    import subprocess

    for po in (po for folder in folders for po in folder.glob("*/LC_MESSAGES/django.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        try:
            if shutil.which("msgfmt") is None:
                raise OSError("msgfmt not found (Debian: apt-get install gettext)")
            subprocess.run(["msgfmt", "--check", "-o", str(mo), str(po)], check=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"warning: {po.parent.parent.name} pages stay English: cannot compile {po}: {exc}",
                  file=sys.stderr)


def _gunicorn(bind: str, workers: int, control: str) -> None:
    from gunicorn.app.base import BaseApplication

    from taper.web.wsgi import application

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            # The control socket goes in the data folder too: nothing is written elsewhere.
            # No gunicorn access log: it prints paths (a feed's or an invitation's secret is
            # in its path); the app logs one line per request without them (taper.web.ops.logs).
            # Gunicorn's own error lines still go through RedactingLogger (issue 16).
            options = {"bind": bind, "workers": workers, "control_socket": control,
                       "logger_class": "taper.web.access_log.RedactingLogger"}
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    Server().run()


def adduser(args: argparse.Namespace) -> int:
    password = os.environ.get("TAPER_PASSWORD") or _prompt()
    setup_django()
    from taper.web.clinic import services

    try:
        user = services.add_user(email=args.email, role=args.role, password=password,
                                 clinician_email=args.clinician, name=args.name,
                                 timezone=args.timezone)
    except services.ServiceError as exc:
        raise UsageError(str(exc) if exc.field != "email" else f"EMAIL: {exc.message}") from None
    print(f"Added {user.role} {user.email}")
    return 0


def _prompt() -> str:
    if not sys.stdin.isatty():
        raise UsageError("TAPER_PASSWORD: set it, or run in a terminal to be asked for a password")
    first = getpass("Password: ")
    if getpass("The same password again: ") != first:
        raise UsageError("password: the two passwords are not the same")
    return first
