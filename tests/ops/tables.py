"""Every table of a database, row for row, read with the engine's own driver (not Django), so
a restored copy is compared as the database holds it."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from taper.web.ops.backup import _pg_env

Rows = dict[str, list[tuple[Any, ...]]]


def sqlite_rows(path: Path) -> Rows:
    with closing(sqlite3.connect(path)) as db:
        names = sorted(r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"))
        return {n: sorted(db.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}


def pg_connect(settings_dict: dict[str, Any], dbname: str | None = None) -> psycopg.Connection[Any]:
    env = _pg_env(settings_dict)
    params = {"dbname": dbname or env.get("PGDATABASE"), "user": env.get("PGUSER"),
              "password": env.get("PGPASSWORD"), "host": env.get("PGHOST"),
              "port": env.get("PGPORT")}
    return psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True)


def pg_rows(settings_dict: dict[str, Any], dbname: str | None = None) -> Rows:
    with pg_connect(settings_dict, dbname) as db:
        names = sorted(r[0] for r in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))
        return {n: sorted(db.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(n)))
                          .fetchall(), key=repr) for n in names}


def rows_of(settings_dict: dict[str, Any]) -> Rows:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return sqlite_rows(Path(settings_dict["NAME"]))
    return pg_rows(settings_dict)
