"""The same plan gives the same bytes in any process: compared with stored golden files, in
this process and in fresh ones with other hash seeds (set or dict order leaking into an export
would show up as a different order of events, resources or properties)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from golden_render import GOLDEN, NAMES, render

HERE = Path(__file__).parent
SRC = HERE.parents[1] / "src"


@pytest.mark.parametrize("name", NAMES)
def test_this_process_renders_the_golden_bytes(name: str) -> None:
    assert render(name) == (GOLDEN / name).read_bytes(), (
        f"{name} differs from tests/exports/golden/{name}; if the change is intended, read the "
        "diff and run tests/exports/golden_render.py --write")


@pytest.mark.parametrize("seed", ["0", "1", "4242"])
def test_other_processes_with_other_hash_seeds_render_the_golden_bytes(seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": os.pathsep.join([str(SRC)])}
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import golden_render as g; "
        "sys.stdout.buffer.write(b'\\0'.join(g.render(n) for n in g.NAMES))"
    )
    done = subprocess.run([sys.executable, "-c", script, str(HERE)], env=env,
                          capture_output=True, check=True)
    rendered = done.stdout.split(b"\0")
    assert len(rendered) == len(NAMES)
    for name, data in zip(NAMES, rendered, strict=True):
        assert data == (GOLDEN / name).read_bytes(), f"{name} with PYTHONHASHSEED={seed}"
