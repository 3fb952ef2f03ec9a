"""The background worker: jobs run off the caller's thread, a failing job does not end it, a
full queue refuses at once, and a forked child (a gunicorn worker) starts its own thread.
"""

from __future__ import annotations

import os
import threading

import pytest

from taper.web.clinic.background import Worker


@pytest.mark.hazard("HZ-118")
def test_a_failing_job_is_logged_and_the_next_one_still_runs(caplog: pytest.LogCaptureFixture) -> None:
    done: list[tuple[int, str]] = []

    def job(n: int) -> None:
        if n == 1:
            raise RuntimeError("mail server on fire")
        done.append((n, threading.current_thread().name))

    worker = Worker("test-worker", job, maxsize=10)
    assert worker.submit(1) and worker.submit(2)
    assert worker.wait_idle(60)
    assert done == [(2, "test-worker")]
    assert "test-worker: a background job failed (1)" in caplog.text
    assert "mail server on fire" in caplog.text


@pytest.mark.hazard("HZ-117")
def test_a_full_queue_refuses_at_once_instead_of_waiting() -> None:
    busy, release, done = threading.Event(), threading.Event(), []

    def job(n: int) -> None:
        busy.set()
        release.wait(60)
        done.append(n)

    worker = Worker("test-worker", job, maxsize=1)
    assert worker.submit(1) and busy.wait(60)  # 1 is running, the queue is empty
    assert worker.submit(2)  # queued
    assert not worker.submit(3)  # full: refused, not waited for
    release.set()
    assert worker.wait_idle(60) and done == [1, 2]


@pytest.mark.hazard("HZ-118")
def test_a_forked_child_starts_its_own_thread_and_inherits_no_queue() -> None:
    ran: list[int] = []
    worker = Worker("test-worker", ran.append, maxsize=10)
    assert worker.submit(1) and worker.wait_idle(60)  # the parent's thread is running
    pid = os.fork()
    if pid == 0:  # the child: report through the exit code only
        fresh = worker._thread is None and worker._pending == 0 and worker._queue.empty()
        worked = worker.submit(2) and worker.wait_idle(60) and ran == [1, 2]
        os._exit(0 if fresh and worked else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert ran == [1]
