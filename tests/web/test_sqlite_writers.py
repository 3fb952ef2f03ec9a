"""SQLite's writers queue on a file lock (taper.web.db.sqlite3, issue 17; docs/performance.md
"Stop 14: the check-in's tail"): held from BEGIN to COMMIT or ROLLBACK, never longer, and
never a new way to fail (past the busy timeout SQLite's own lock decides, as before)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from taper.web import settings as production
from taper.web.db.sqlite3.base import DatabaseWrapper


def _wrapper(path: Path, **options: Any) -> DatabaseWrapper:
    config = production.sqlite_database(path)
    config = {**config, "OPTIONS": {**config["OPTIONS"], **options}, "TIME_ZONE": None,
              "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True,
              "ATOMIC_REQUESTS": False}
    return DatabaseWrapper(config, alias="writers-check")


def _taken_by_someone(path: str) -> bool:
    """Whether another open file description could not take the lock now."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@contextmanager
def _transaction(wrapper: DatabaseWrapper) -> Iterator[None]:
    """A write transaction as transaction.atomic begins one on SQLite."""
    wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        yield
    finally:
        wrapper.set_autocommit(True)


@pytest.mark.hazard("HZ-206")
def test_production_sqlite_uses_the_queued_back_end_and_keeps_its_options() -> None:
    config = production.sqlite_database(Path("/tmp/x.sqlite3"))
    assert config["ENGINE"] == "taper.web.db.sqlite3"
    assert config["ENGINE"].endswith("sqlite3")  # what the tools and tests look for
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    if connection.vendor == "sqlite":  # the suite's own database is made by it too
        assert isinstance(connections["default"], DatabaseWrapper)


@pytest.mark.hazard("HZ-206")
def test_the_lock_is_held_from_begin_to_commit(tmp_path: Path, django_db_blocker: Any) -> None:
    wrapper = _wrapper(tmp_path / "t.sqlite3")
    lock = str(tmp_path / "t.sqlite3-writers")
    try:
        with django_db_blocker.unblock():
            with wrapper.cursor() as cursor:
                cursor.execute("CREATE TABLE t (n INTEGER)")
            assert not _taken_by_someone(lock)  # not while reading or in autocommit
            with _transaction(wrapper):
                assert _taken_by_someone(lock)
                with wrapper.cursor() as cursor:
                    cursor.execute("INSERT INTO t VALUES (1)")
                assert _taken_by_someone(lock)
                wrapper.commit()
                assert not _taken_by_someone(lock)  # released at COMMIT, not later
            with wrapper.cursor() as cursor:
                assert cursor.execute("SELECT count(*) FROM t").fetchone()[0] == 1
    finally:
        wrapper.close()


@pytest.mark.hazard("HZ-206")
def test_the_lock_is_released_at_rollback_and_at_close(tmp_path: Path, django_db_blocker: Any) -> None:
    wrapper = _wrapper(tmp_path / "t.sqlite3")
    lock = str(tmp_path / "t.sqlite3-writers")
    try:
        with django_db_blocker.unblock():
            with _transaction(wrapper):
                assert _taken_by_someone(lock)
                wrapper.rollback()
                assert not _taken_by_someone(lock)
            wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            assert _taken_by_someone(lock)
            wrapper.close()  # a worker's connection dropped mid-transaction
            assert not _taken_by_someone(lock)
    finally:
        wrapper.close()


@pytest.mark.hazard("HZ-206")
def test_a_writer_waits_for_the_file_lock_only_as_long_as_sqlite_would(
        tmp_path: Path, django_db_blocker: Any) -> None:
    """Someone else holds the file lock (not SQLite's): past the timeout the writer goes on
    to SQLite, which is free, so the transaction runs; the lock file never fails a write."""
    wrapper = _wrapper(tmp_path / "t.sqlite3", timeout=0)
    lock = str(tmp_path / "t.sqlite3-writers")
    other = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(other, fcntl.LOCK_EX)
    try:
        with django_db_blocker.unblock():
            with _transaction(wrapper):
                with wrapper.cursor() as cursor:
                    cursor.execute("CREATE TABLE t (n INTEGER)")
                wrapper.commit()
        fcntl.flock(other, fcntl.LOCK_UN)
        assert not _taken_by_someone(lock)  # and it did not take it afterwards either
    finally:
        os.close(other)
        wrapper.close()


@pytest.mark.hazard("HZ-206")
def test_a_write_outside_a_transaction_holds_the_lock_for_its_statement_only(
        tmp_path: Path, django_db_blocker: Any) -> None:
    """An autocommit write (an API token's batch is one) queues as a transaction does; a
    read does not. A SQL function reports, from inside the statement, whether it is held."""
    wrapper = _wrapper(tmp_path / "t.sqlite3")
    lock = str(tmp_path / "t.sqlite3-writers")
    try:
        with django_db_blocker.unblock():
            with wrapper.cursor() as cursor:
                cursor.execute("CREATE TABLE t (n INTEGER)")
                cursor.execute("INSERT INTO t VALUES (0)")
            wrapper.connection.create_function("held", 0, lambda: int(_taken_by_someone(lock)))
            with wrapper.cursor() as cursor:
                cursor.execute("  update t SET n = held()")
                assert not _taken_by_someone(lock)  # released once the statement is done
                assert cursor.execute("SELECT n FROM t").fetchone()[0] == 1
                assert cursor.execute("SELECT held()").fetchone()[0] == 0  # a read
                cursor.executemany("INSERT INTO t VALUES (held())", [(), ()])
                assert cursor.execute("SELECT sum(n) FROM t").fetchone()[0] == 3
                assert not _taken_by_someone(lock)
    finally:
        wrapper.close()


@pytest.mark.hazard("HZ-206")
def test_a_lock_file_that_cannot_be_opened_leaves_sqlite_to_queue_writers(
        tmp_path: Path, django_db_blocker: Any) -> None:
    (tmp_path / "t.sqlite3-writers").mkdir()  # not a file this process can open to write
    wrapper = _wrapper(tmp_path / "t.sqlite3")
    try:
        with django_db_blocker.unblock():
            with _transaction(wrapper):
                with wrapper.cursor() as cursor:
                    cursor.execute("CREATE TABLE t (n INTEGER)")
                wrapper.commit()
            with wrapper.cursor() as cursor:
                assert cursor.execute("SELECT count(*) FROM t").fetchone()[0] == 0
    finally:
        wrapper.close()


def test_the_lock_file_takes_the_database_files_permissions(
        tmp_path: Path, django_db_blocker: Any) -> None:
    database = tmp_path / "t.sqlite3"
    database.touch(mode=0o640)
    database.chmod(0o640)
    wrapper = _wrapper(database)
    try:
        with django_db_blocker.unblock(), _transaction(wrapper):
            wrapper.rollback()
        assert (tmp_path / "t.sqlite3-writers").stat().st_mode & 0o777 == 0o640 & ~_umask()
    finally:
        wrapper.close()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_an_in_memory_database_has_no_lock_file(django_db_blocker: Any) -> None:
    wrapper = _wrapper(Path(":memory:"))
    try:
        with django_db_blocker.unblock():
            assert wrapper.writers_lock_path() is None
            with _transaction(wrapper):
                with wrapper.cursor() as cursor:
                    cursor.execute("CREATE TABLE t (n INTEGER)")
                wrapper.commit()
    finally:
        wrapper.close()


@pytest.mark.parametrize("mode", ["DEFERRED", "EXCLUSIVE"])
def test_only_immediate_transactions_take_it(tmp_path: Path, django_db_blocker: Any, mode: str) -> None:
    wrapper = _wrapper(tmp_path / "t.sqlite3", transaction_mode=mode)
    try:
        with django_db_blocker.unblock(), _transaction(wrapper):
            assert not _taken_by_someone(str(tmp_path / "t.sqlite3-writers"))
            wrapper.rollback()
    finally:
        wrapper.close()
