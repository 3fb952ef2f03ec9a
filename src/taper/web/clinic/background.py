"""A background worker: one daemon thread per process, fed by a bounded queue.

The thread starts lazily, on the first job, so each gunicorn worker (forked from the master)
starts its own; a child forked from a process with a worker gets a fresh, empty one. Each job
runs with its own database connection, closed afterwards, and an exception is logged, never
allowed to end the thread. A job still queued when the process exits is lost: hand over only
work that something else picks up again (an alert left unsent is sent by `taper sendalerts`).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import connections

log = logging.getLogger(__name__)
T = TypeVar("T")


class Worker(Generic[T]):
    """Runs `job(item)` for each submitted item, one after the other, off the caller's thread."""

    def __init__(self, name: str, job: Callable[[T], object], maxsize: int) -> None:
        self.name, self._job, self._maxsize = name, job, maxsize
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        """A new, idle worker (at start, and in a forked child: the parent's thread is not there)."""
        self._lock = threading.Lock()
        self._queue: queue.Queue[T] = queue.Queue(self._maxsize)
        self._thread: threading.Thread | None = None
        self._pending = 0
        self._changed = threading.Condition()

    def submit(self, item: T) -> bool:
        """Queue `item`, starting the thread if need be; False, at once, if the queue is full."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
        with self._changed:
            self._pending += 1
        try:
            self._queue.put_nowait(item)
        except queue.Full:
            self._finished()
            return False
        return True

    def wait_idle(self, timeout: float) -> bool:
        """True once every submitted job has finished; False if `timeout` seconds pass first."""
        with self._changed:
            return self._changed.wait_for(lambda: self._pending == 0, timeout)

    def _finished(self) -> None:
        with self._changed:
            self._pending -= 1
            self._changed.notify_all()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                self._job(item)
            except Exception:  # a job's failure must not end the thread
                log.exception("%s: a background job failed (%r)", self.name, item)
            finally:
                try:
                    connections.close_all()  # this thread's connections only
                except Exception:
                    log.exception("%s: closing the database connection failed", self.name)
                self._finished()
