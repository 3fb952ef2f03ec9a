"""`taper backup PATH` and `taper restore PATH [--force]`: thin over taper.web.ops.backup.

Neither applies migrations: a backup copies the database as it is, and a restore puts back
what the backup holds (`taper serve` migrates it when it next starts).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from taper.cli.errors import UsageError


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    if name == "backup":
        parser.add_argument("path", metavar="PATH",
                            help="the new backup file (must not exist; e.g. a dated name)")
        parser.epilog = ("Safe while the server runs. SQLite: the online backup API (the copy is "
                         "a SQLite file). PostgreSQL: pg_dump --format=custom (needs pg_dump on "
                         "PATH).")
    else:
        parser.add_argument("path", metavar="PATH", help="a file made by `taper backup`")
        parser.add_argument("--force", action="store_true",
                            help="replace a database that already holds records")
        parser.epilog = ("Stop the server first. Refuses a database holding any record unless "
                         "--force. PostgreSQL: pg_restore (needs it on PATH).")


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taper.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise UsageError(str(exc)) from None
    from django.db import connections

    from taper.web.ops import backup

    settings_dict = connections["default"].settings_dict
    connections.close_all()
    try:
        if args.command == "backup":
            print(backup.backup(Path(args.path), settings_dict).line("Backed up to"))
        else:
            print(backup.restore(Path(args.path), settings_dict, force=args.force)
                  .line("Restored from"))
    except backup.BackupError as exc:
        raise UsageError(str(exc)) from None
    return 0
