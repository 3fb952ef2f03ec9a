"""The load bench's opt-in trace (TAPER_BENCH_TRACE=1, bench/worker_trace.py): the workers'
lines are summarised per size, the check-ins told apart by their action, then removed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _line(action: str | None, **spent: float) -> str:
    row = {"path": "/api/patients/1/checkins" if action else "/today/", "method": "POST",
           "action": action, "ms": 10.0, "cpu_ms": 8.0, "cpu_wait_ms": 1.0, "begin_ms": 0.0,
           "commit_ms": 0.5, "chain_head_ms": 0.1, "gc_ms": 0.0, "full_gcs": 0}
    return json.dumps({**row, **spent})


def test_the_trace_names_each_kind_of_check_in_and_its_waits(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sys.path.insert(0, str(BENCH))
    try:
        import load_bench
    finally:
        sys.path.remove(str(BENCH))
    monkeypatch.setenv("TAPER_DATA_DIR", str(tmp_path))
    folder = tmp_path / "trace"
    folder.mkdir()
    (folder / "1.jsonl").write_text("\n".join(
        [_line("proceed", begin_ms=float(i)) for i in range(99)]
        + [_line("hold", begin_ms=103.0), _line(None, gc_ms=70.0, full_gcs=1)]) + "\n")
    (folder / "2.jsonl").write_text(_line(None, gc_ms=150.0, full_gcs=1) + "\n")

    found = dict(load_bench._traced())

    assert found["check-ins' actions"] == "proceed 99, hold 1"  # reads are not check-ins
    assert found["check-ins' wait at BEGIN (SQLite's write lock)"] == (
        "median 50.0, p95 95.0, p99 103.0, max 103.0 ms")
    assert found["full garbage collections, all requests"] == "2 in 102 requests, 70–150 ms each"
    assert list(folder.iterdir()) == []  # the next size starts afresh
