"""Backup and restore of the clinic's database, taken while the server runs.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies a consistent snapshot in
one step, whatever other connections write meanwhile; the copy is itself a SQLite file.
PostgreSQL: `pg_dump --format=custom` reads one snapshot (a repeatable-read transaction);
`pg_restore` puts it back. A backup is written beside its name and renamed when complete, so
a failed one leaves no half-written file; an existing file is never overwritten.

A restore refuses a target that holds any record unless forced, and says what it replaced.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
# Tables `migrate` fills by itself: a freshly migrated database holds no record.
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class Outcome:
    engine: str  # "sqlite" or "postgresql"
    path: Path
    tables: int
    rows: int

    def line(self, verb: str) -> str:
        size = self.path.stat().st_size
        return (f"{verb} {self.path} ({self.engine}, {size:,} bytes): "
                f"{self.rows:,} rows in {self.tables} tables")


def engine_of(settings_dict: dict[str, Any]) -> str:
    engine = str(settings_dict["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"DATABASE_URL: backups cover SQLite and PostgreSQL, not {engine}")


# --- backup -----------------------------------------------------------------------------------

# A backup made into a folder: taper-20261204-021500Z.sqlite3 or .pgdump (the UTC time it began).
NAMED = re.compile(r"^taper-(\d{8}-\d{6})Z\.(sqlite3|pgdump)$")


def dated_name(settings_dict: dict[str, Any], at: datetime) -> str:
    suffix = "sqlite3" if engine_of(settings_dict) == "sqlite" else "pgdump"
    return f"taper-{at.astimezone(UTC):%Y%m%d-%H%M%S}Z.{suffix}"


def prune(folder: Path, keep_days: int, at: datetime, spare: Path) -> list[Path]:
    """Remove the backups this command named in `folder` made more than `keep_days` days
    before `at` (by the time in their names; other files are never touched), never `spare`."""
    removed = []
    for path in sorted(folder.iterdir()):
        match = NAMED.match(path.name)
        if match is None or path == spare or not path.is_file():
            continue
        made = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        if made < at - timedelta(days=keep_days):
            path.unlink()
            removed.append(path)
    return removed


def backup(path: Path, settings_dict: dict[str, Any]) -> Outcome:
    """Write a consistent copy of the database to `path` (which must not exist yet)."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"PATH: {path} already exists; give a new file name "
                          "(a backup never overwrites another)")
    if not path.parent.is_dir():
        raise BackupError(f"PATH: the folder {path.parent} does not exist")
    engine = engine_of(settings_dict)
    partial = path.with_name(path.name + ".partial")
    try:
        if engine == "sqlite":
            _sqlite_backup(Path(settings_dict["NAME"]), partial)
        else:
            _pg_dump(settings_dict, partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    tables, rows = (_sqlite_counts(path) if engine == "sqlite" else _pg_counts(settings_dict))
    return Outcome(engine, path, tables, rows)


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.exists():
        raise BackupError(f"database: {source} does not exist (has `taper serve` run here?)")
    with closing(sqlite3.connect(source, timeout=30)) as src, \
            closing(sqlite3.connect(target)) as dst:
        src.backup(dst)  # pages=-1: the whole file in one step, from one read snapshot
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
    if check != "ok":
        raise BackupError(f"backup: the copy failed SQLite's integrity check ({check})")


def _pg_program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name}: not found on PATH; install PostgreSQL's client programs, the "
                          "same major version as the server (Debian: apt-get install postgresql-client)")
    return found


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for the configured database (the password never on a command line)."""
    options = settings_dict.get("OPTIONS") or {}
    values = {
        "PGDATABASE": settings_dict.get("NAME"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGHOST": settings_dict.get("HOST") or options.get("host"),
        "PGPORT": settings_dict.get("PORT") or options.get("port"),
        "PGSSLMODE": options.get("sslmode"),
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update({k: str(v) for k, v in values.items() if v not in (None, "")})
    return env


def _run(command: list[str], settings_dict: dict[str, Any]) -> None:
    done = subprocess.run(command, env=_pg_env(settings_dict), capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        lines = [x for x in done.stderr.strip().splitlines() if x.strip()] or ["no message"]
        raise BackupError(f"{Path(command[0]).name}: failed: {lines[0]}")


def _pg_dump(settings_dict: dict[str, Any], target: Path) -> None:
    _run([_pg_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
          f"--file={target}"], settings_dict)


# --- restore ----------------------------------------------------------------------------------

def kind_of(path: Path) -> str:
    try:
        with open(path, "rb") as file:
            head = file.read(16)
    except FileNotFoundError:
        raise BackupError(f"PATH: {path} does not exist") from None
    except OSError as exc:
        raise BackupError(f"PATH: cannot read {path} ({exc.strerror})") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"PATH: {path} is not a Taper backup (neither a SQLite file nor a pg_dump "
                      "custom-format archive)")


def restore(path: Path, settings_dict: dict[str, Any], *, force: bool = False) -> Outcome:
    """Replace the configured database with the backup at `path`.

    Refuses a database holding any record unless `force`; the server should be stopped.
    """
    path = Path(path)
    kind, engine = kind_of(path), engine_of(settings_dict)
    if kind != engine:
        raise BackupError(f"PATH: {path} is a {kind} backup but the configured database is "
                          f"{engine}; restore it where it came from, or set DATABASE_URL")
    tables, rows = (_sqlite_counts(Path(settings_dict["NAME"])) if engine == "sqlite"
                    else _pg_counts(settings_dict))
    if rows and not force:
        raise BackupError(f"database: it holds {rows:,} records in {tables} tables; restoring "
                          "would replace them all. Stop the server, take a backup of it, and "
                          "run again with --force")
    if engine == "sqlite":
        _sqlite_restore(path, Path(settings_dict["NAME"]))
    else:
        extra = sorted(_pg_tables(settings_dict) - _dump_tables(path, settings_dict))
        if extra:  # --clean drops only what the dump holds: these would stay, half a newer schema
            raise BackupError(f"database: it has tables the backup does not ({', '.join(extra[:3])}"
                              f"{'…' if len(extra) > 3 else ''}), so it is newer than the backup; "
                              "restore into a new, empty database (createdb) instead")
        _run([_pg_program("pg_restore"), "--clean", "--if-exists", "--no-owner",
              "--no-privileges", "--single-transaction", "--exit-on-error",
              f"--dbname={settings_dict['NAME']}", str(path)], settings_dict)
    tables, rows = (_sqlite_counts(Path(settings_dict["NAME"])) if engine == "sqlite"
                    else _pg_counts(settings_dict))
    return Outcome(engine, path, tables, rows)


def _dump_tables(path: Path, settings_dict: dict[str, Any]) -> set[str]:
    done = subprocess.run([_pg_program("pg_restore"), "--list", str(path)], capture_output=True,
                          text=True, check=False, env=_pg_env(settings_dict))
    if done.returncode != 0:
        raise BackupError(f"PATH: pg_restore cannot read {path} ({done.stderr.strip()[:200]})")
    return set(re.findall(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", done.stdout, re.M))


def _pg_tables(settings_dict: dict[str, Any]) -> set[str]:
    with _pg_connect(settings_dict) as db:
        return {r[0] for r in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}


def _sqlite_restore(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source, timeout=30)) as src:
        check = src.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"PATH: {source} fails SQLite's integrity check ({check})")
        target.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(target, timeout=30)) as dst:
            src.backup(dst)  # page by page into the live file, under its write lock
            dst.execute("PRAGMA journal_mode=WAL")


# --- counting (a freshly migrated database holds no record) ------------------------------------

def _sqlite_counts(path: Path) -> tuple[int, int]:
    if not path.exists():
        return 0, 0
    with closing(sqlite3.connect(path, timeout=30)) as db:
        names = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        rows = sum(db.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]
                   for n in names if n not in BOOKKEEPING)
    return len(names), rows


def _pg_connect(settings_dict: dict[str, Any]) -> Any:
    import psycopg
    from psycopg.conninfo import make_conninfo

    env = _pg_env(settings_dict)
    params = {"dbname": env.get("PGDATABASE"), "user": env.get("PGUSER"),
              "password": env.get("PGPASSWORD"), "host": env.get("PGHOST"),
              "port": env.get("PGPORT"), "sslmode": env.get("PGSSLMODE")}
    try:
        return psycopg.connect(make_conninfo(**{k: v for k, v in params.items() if v}))
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "no message"
        raise BackupError(f"database: cannot connect ({first})") from None


def _pg_counts(settings_dict: dict[str, Any]) -> tuple[int, int]:
    from psycopg import sql

    with _pg_connect(settings_dict) as db:
        names = [r[0] for r in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
        rows = 0
        for name in names:
            if name not in BOOKKEEPING:
                count = db.execute(sql.SQL("SELECT count(*) FROM {}").format(
                    sql.Identifier(name))).fetchone()
                rows += count[0] if count else 0
    return len(names), rows
