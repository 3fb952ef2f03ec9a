"""How long a SQLite writer waits for the other's write lock (issue 17, docs/performance.md
"Stop 14: the check-in's tail"). Run by hand: `python bench/writer_wait.py`.

Two processes, each opening the production SQLite settings (settings.sqlite_database) on
one database file, each running write transactions that hold the lock `HOLD` seconds (a
sleep: the figure does not depend on the machine's load) with a short pause between them.
Each records how long it waited to begin, once with Django's own SQLite back end (SQLite's
busy handler: sleeps of 1, 2, 5, 10, 15, 20, 25 ms… between tries) and once with Taper's
(taper.web.db.sqlite3: a file lock polled every 0.3 ms). A wait can be no shorter than
what is left of the other's transaction (at most HOLD); beyond that it is the back end's.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOLD = 0.010  # seconds a transaction holds the write lock (about a check-in's CPU)
PAUSE = 0.004  # at most this long between two transactions of one process
COUNT = 300  # transactions per process
ENGINES = {"Django's (busy handler)": "django.db.backends.sqlite3",
           "Taper's (file lock)": "taper.web.db.sqlite3"}


def writer(path: str, engine: str, seed: int) -> None:
    """One process: COUNT write transactions; prints the waits to begin, in ms (JSON)."""
    sys.path.insert(0, str(ROOT / "src"))
    from django.conf import settings

    from taper.web.settings import sqlite_database

    database = {**sqlite_database(Path(path)), "ENGINE": engine}
    settings.configure(DATABASES={"default": database}, USE_TZ=True)
    import django

    django.setup()
    from django.db import connection, transaction

    rng = random.Random(seed)
    waits = []
    for i in range(COUNT):
        began = time.perf_counter()
        with transaction.atomic():
            waits.append((time.perf_counter() - began) * 1000)
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO t (who, n) VALUES (%s, %s)", [seed, i])
            time.sleep(HOLD)
        time.sleep(rng.uniform(0, PAUSE))
    print(json.dumps(waits))


def measure(engine: str) -> list[float]:
    with tempfile.TemporaryDirectory(prefix="taper-writers-") as folder:
        path = str(Path(folder) / "w.sqlite3")
        import sqlite3

        with sqlite3.connect(path) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE t (who INTEGER, n INTEGER)")
        env = {**os.environ, "TAPER_DEBUG": "1", "TAPER_DATA_DIR": folder}  # settings import
        env.pop("DATABASE_URL", None)
        runs = [subprocess.Popen([sys.executable, __file__, "--writer", path, engine, str(seed)],
                                 stdout=subprocess.PIPE, text=True, env=env) for seed in (1, 2)]
        waits: list[float] = []
        for run in runs:
            out, _ = run.communicate()
            waits += json.loads(out)
    return waits


def summary(waits: list[float]) -> str:
    waited = sorted(w for w in waits if w > 0.5)
    every = sorted(waits)

    def pick(values: list[float], q: float) -> float:
        return values[min(len(values) - 1, int(q * len(values)))]
    return (f"{len(waited)} of {len(every)} waited; of those median {statistics.median(waited):.1f} ms,"
            f" p95 {pick(waited, .95):.1f}, max {waited[-1]:.1f}; all: p95 {pick(every, .95):.1f},"
            f" p99 {pick(every, .99):.1f} ms" if waited else f"none of {len(every)} waited")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--writer"]:
        writer(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        print(f"2 processes × {COUNT} write transactions holding the lock {HOLD * 1000:.0f} ms:")
        for label, engine in ENGINES.items():
            print(f"  {label}: {summary(measure(engine))}")
