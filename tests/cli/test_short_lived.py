"""`taper plan`, run as the whole process, ends it itself once its output is flushed (issue 17):
the output is whole, the status is the command's, exit handlers still run, and a caller of
`main([...])` keeps its process and its garbage collector."""

from __future__ import annotations

import gc
import io
import json
import os
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from taper.cli import main

ROOT = Path(__file__).resolve().parents[2]
DIARIST = str(ROOT / "examples" / "diarist.json")


def console(args: list[str], before: str = "") -> subprocess.CompletedProcess[str]:
    """Run `taper ARGS` as the console script does: main() with no argv, from sys.argv."""
    code = (f"import sys\n{before}\nsys.argv = ['taper', *{args!r}]\n"
            "from taper.cli import main\nsys.exit(main())\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as usual
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env={**env, "PYTHONPATH": str(ROOT / "src")})


def in_process(args: list[str]) -> tuple[int, str]:
    with redirect_stdout(io.StringIO()) as out:
        status = main(args)
    return status, out.getvalue()


@pytest.mark.hazard("HZ-225")
@pytest.mark.parametrize("form", ["json", "table"])
def test_the_whole_output_is_written_with_the_command_s_status(tmp_path: Path, form: str) -> None:
    """Every byte the command wrote reaches the pipe and the file, whatever the format: a
    schedule cut short would lose its last steps."""
    expected = in_process(["plan", DIARIST, "--format", form])[1]
    assert len(expected) > 1000  # a whole schedule, as main([...]) writes it
    run = console(["plan", DIARIST, "--format", form])
    assert (run.returncode, run.stdout, run.stderr) == (0, expected, "")
    written = tmp_path / "plan.out"
    run = console(["plan", DIARIST, "--format", form, "-o", str(written)])
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")
    assert written.read_text(encoding="utf-8") == expected


def test_a_refused_request_still_exits_2_with_its_message(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.json")
    run = console(["plan", missing, "--format", "json"])
    assert run.returncode == 2
    assert run.stderr == f"taper plan: REQUEST: cannot read {missing!r}: no such file\n"


@pytest.mark.hazard("HZ-225")
def test_exit_handlers_still_run() -> None:
    """Coverage, or an export library, registers something to run at exit: then the process
    ends as usual, and the handler runs."""
    run = console(["plan", DIARIST, "--format", "json"],
                  before="import atexit\natexit.register(lambda: print('handler ran', file=sys.stderr))")
    assert (run.returncode, run.stderr) == (0, "handler ran\n")
    assert json.loads(run.stdout)["steps"]


def test_the_process_is_ended_by_the_command_not_by_the_interpreter() -> None:
    """The other side of the test above: with no handler, the interpreter's own end (which
    runs a module's __del__ and flushes what is left) never happens."""
    before = ("class Goodbye:\n"
              "    def __del__(self): print('torn down', file=sys.stderr)\n"
              "sys.modules['goodbye'] = Goodbye()")
    run = console(["plan", DIARIST, "--format", "json"], before=before)
    assert (run.returncode, run.stderr) == (0, "")
    run = console(["drugs"], before=before)  # not a short-lived command: ends as usual
    assert (run.returncode, run.stderr) == (0, "torn down\n")


def test_a_caller_of_main_keeps_its_process_and_its_collector() -> None:
    assert gc.isenabled()
    status, out = in_process(["plan", DIARIST, "--format", "json"])
    assert status == 0
    assert json.loads(out)["steps"]
    assert gc.isenabled()
