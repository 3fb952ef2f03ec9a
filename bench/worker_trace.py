"""A gunicorn config file for `make bench`'s load part, only with TAPER_BENCH_TRACE=1
(docs/performance.md, "Stop 14: the check-in's tail"): each worker writes one JSON line per
request to $TAPER_DATA_DIR/trace/<pid>.jsonl with its wall time, its CPU, its time runnable
but waiting for a CPU, its waits at BEGIN (SQLite's write lock) and for the audit chain's
head (PostgreSQL's row lock), its COMMIT, its garbage collections, and a check-in's action.
The product is not changed: its functions are wrapped in the worker, after it loads the app.
"""

from __future__ import annotations

import gc
import json
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any


def _run_delay_ns() -> int:
    """Time this thread has spent runnable, waiting for a CPU (/proc/thread-self/schedstat)."""
    return int(Path("/proc/thread-self/schedstat").read_text().split()[1])


def post_worker_init(worker: Any) -> None:
    from django.db import connections
    from django.db.backends.base import base as generic

    from taper.web.clinic.audit import chain

    spent: dict[str, float] = {}
    began = [0.0]

    def collected(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            spent["gc_ms"] += (time.perf_counter() - began[0]) * 1000
            spent["full_gcs"] += info.get("generation") == 2

    gc.callbacks.append(collected)

    def timed(owner: Any, name: str, key: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[key] += (time.perf_counter() - start) * 1000
        setattr(owner, name, wrapper)

    wrapper = type(connections["default"])  # the configured back end: taper.web.db.sqlite3's
    if hasattr(wrapper, "_start_transaction_under_autocommit"):  # waits for its file lock too
        timed(wrapper, "_start_transaction_under_autocommit", "begin_ms")
    timed(generic.BaseDatabaseWrapper, "_commit", "commit_ms")
    timed(chain, "_locked_head", "chain_head_ms")
    folder = Path(os.environ["TAPER_DATA_DIR"]) / "trace"
    folder.mkdir(exist_ok=True)
    out = (folder / f"{os.getpid()}.jsonl").open("a", buffering=1)
    app = worker.wsgi

    def traced(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        for key in ("begin_ms", "commit_ms", "chain_head_ms", "gc_ms", "full_gcs"):
            spent[key] = 0
        wall, cpu, queued = time.perf_counter(), time.process_time(), _run_delay_ns()
        body = b"".join(app(environ, start_response))
        action = None
        if environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"].endswith("/checkins"):
            try:
                action = (json.loads(body).get("decision") or {}).get("action")
            except ValueError:
                action = "?"
        out.write(json.dumps({
            "path": environ["PATH_INFO"], "method": environ["REQUEST_METHOD"], "action": action,
            "ms": (time.perf_counter() - wall) * 1000, "cpu_ms": (time.process_time() - cpu) * 1000,
            "cpu_wait_ms": (_run_delay_ns() - queued) / 1e6, **spent}) + "\n")
        return [body]

    worker.wsgi = traced
