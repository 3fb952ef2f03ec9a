"""Django's SQLite back end, with write transactions queued on a file lock (issue 17).

Every write transaction begins IMMEDIATE (settings.sqlite_database): it takes SQLite's one
write lock at BEGIN. A second writer that finds the lock taken does not wait for it to be
released: SQLite's busy handler sleeps and tries again after 1, 2, 5, 10, 15, 20, 25, 25 ms…
so a writer that comes second waits until the next try after the first commits, 33 or 103 ms
into the wait for a check-in that held the lock 10 ms (docs/performance.md, "Stop 14").

Here a writer first takes an exclusive `flock` on a file beside the database
(`<database>-writers`), held from BEGIN to COMMIT or ROLLBACK (or, for a write statement
outside a transaction, such as an API token's batch, for that statement); a second writer polls that
lock every `POLL` seconds, so it begins within a fraction of a millisecond of the first
one's end. The file lock only orders the writers: SQLite's own lock still guards the data,
and after `timeout` seconds (the option SQLite's busy timeout is set from) a writer stops
waiting for the file and lets SQLite decide, as before (so a writer behind one that holds
the lock that long fails after twice the timeout, not once); so does a writer that cannot open
the file (made by another user). Nothing is stored in the file; it takes the database
file's permissions.
"""

from __future__ import annotations

import fcntl
import os
import time
from typing import Any

from django.db.backends.sqlite3 import base

POLL = 0.0003  # seconds between two tries of a taken file lock


def _mode_of(database: str) -> int:
    """The lock file's permissions: the database file's (read and write bits), else 0o600."""
    try:
        return os.stat(database).st_mode & 0o666
    except OSError:
        return 0o600


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class _QueuedCursor(base.SQLiteCursorWrapper):
    """A cursor whose writes outside a transaction (autocommit: one statement, e.g. an API
    token's batch) queue on the writers' file lock too, for that statement only."""

    wrapper: DatabaseWrapper

    def execute(self, query: str, params: Any = None) -> Any:
        if not self._alone_writing(query):
            return super().execute(query, params)
        self.wrapper._take_writers_lock()
        try:
            return super().execute(query, params)
        finally:
            self.wrapper._release_writers_lock()

    def executemany(self, query: str, param_list: Any) -> Any:
        if not self._alone_writing(query):
            return super().executemany(query, param_list)
        self.wrapper._take_writers_lock()
        try:
            return super().executemany(query, param_list)
        finally:
            self.wrapper._release_writers_lock()

    def _alone_writing(self, query: str) -> bool:
        """A write statement that is its own transaction (none is open)."""
        return (not self.connection.in_transaction
                and query.lstrip()[:7].upper().startswith(WRITES))


class DatabaseWrapper(base.DatabaseWrapper):
    """SQLite's wrapper; write transactions take the writers' file lock first."""

    _writer_fd: int | None = None
    _writing = False

    def writers_lock_path(self) -> str | None:
        """The lock file beside a database file; None for an in-memory database."""
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}-writers"

    def _take_writers_lock(self) -> None:
        path = self.writers_lock_path()
        if path is None or getattr(self, "transaction_mode", None) != "IMMEDIATE":
            return
        if self._writer_fd is None:
            try:
                self._writer_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC,
                                          _mode_of(self.settings_dict["NAME"]))
            except OSError:
                return  # e.g. made by another user: SQLite's busy handler alone, as before
        deadline = time.monotonic() + float(self.settings_dict["OPTIONS"].get("timeout", 5))
        while True:
            try:
                fcntl.flock(self._writer_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return  # SQLite's busy timeout decides from here
                time.sleep(POLL)
                continue
            self._writing = True
            return

    def _release_writers_lock(self) -> None:
        if self._writing and self._writer_fd is not None:
            self._writing = False
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)

    def create_cursor(self, name: str | None = None) -> Any:
        cursor = self.connection.cursor(factory=_QueuedCursor)
        cursor.wrapper = self
        return cursor

    def _start_transaction_under_autocommit(self) -> None:
        self._take_writers_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private in the stubs
        except BaseException:
            self._release_writers_lock()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]  # private in the stubs
        finally:
            self._release_writers_lock()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]  # private in the stubs
        finally:
            self._release_writers_lock()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]  # private in the stubs
        finally:
            if self._writer_fd is not None:  # closing the file releases its lock
                os.close(self._writer_fd)
                self._writer_fd, self._writing = None, False
