"""`taper backup PATH` and `taper restore PATH [--force]`: thin over taper.web.ops.backup.

Neither applies migrations: a backup copies the database as it is, and a restore puts back
what the backup holds (`taper serve` migrates it when it next starts).
"""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from pathlib import Path

from taper.cli.errors import UsageError


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    if name == "backup":
        parser.add_argument("path", metavar="PATH",
                            help="a new file, or a folder: then the file is named "
                                 "taper-YYYYMMDD-HHMMSSZ.sqlite3 (or .pgdump) by the UTC time")
        parser.add_argument("--keep-days", metavar="N",
                            help="with a folder: after a good backup, remove the ones this "
                                 "command named there more than N days ago (other files stay)")
        parser.epilog = ("Safe while the server runs. SQLite: the online backup API (the copy is "
                         "a SQLite file). PostgreSQL: pg_dump --format=custom (needs pg_dump on "
                         "PATH). Never overwrites a file.")
    else:
        parser.add_argument("path", metavar="PATH", help="a file made by `taper backup`")
        parser.add_argument("--force", action="store_true",
                            help="replace a database that already holds records")
        parser.epilog = ("Stop the server first. Refuses a database holding any record unless "
                         "--force. PostgreSQL: pg_restore (needs it on PATH).")


def run(args: argparse.Namespace) -> int:
    folder = Path(args.path).is_dir() if args.command == "backup" else False
    keep = getattr(args, "keep_days", None)
    if keep is not None and (not keep.isdigit() or not 1 <= int(keep) <= 36500):
        raise UsageError(f"--keep-days: must be a whole number of days 1-36500, got {keep!r}")
    if keep is not None and not folder:
        raise UsageError("--keep-days: works only when PATH is a folder of backups")
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
            at = datetime.now(UTC)
            path = Path(args.path)
            target = path / backup.dated_name(settings_dict, at) if folder else path
            print(backup.backup(target, settings_dict).line("Backed up to"))
            for old in backup.prune(path, int(keep), at, target) if keep else []:
                print(f"Removed {old} (older than {keep} days)")
        else:
            print(backup.restore(Path(args.path), settings_dict, force=args.force)
                  .line("Restored from"))
    except backup.BackupError as exc:
        raise UsageError(str(exc)) from None
    return 0
