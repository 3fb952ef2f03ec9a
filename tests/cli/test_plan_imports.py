"""`taper plan --format json` loads only what planning needs (issue 17): a whole process is
measured in bench/ against `python3 -c pass`; here, without timing, which modules it loads."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from taper.cli import terminal_columns

ROOT = Path(__file__).resolve().parents[2]
NOT_FOR_PLANNING = (
    # the web, the monitoring engine, the PK model and the export libraries
    "django", "taper.web", "taper.core.monitoring", "taper.core.pk", "reportlab", "fhir",
    "taper.exports",  # every format (pdf, ics, fhir, …) and even the export options
    # the request schema: the plain reader is the one used (ADR 0021)
    "pydantic", "pydantic_core", "taper.contract.request_schema",
    # what lazy imports keep out: each was milliseconds of start-up (docs/performance.md)
    "importlib.resources", "shutil", "zlib", "bz2", "lzma", "pathlib", "hashlib",
)


def loaded_by(args: list[str], **env: str) -> tuple[int, str, list[str]]:
    """Run `taper ARGS` in a fresh interpreter: exit status, standard error, sys.modules."""
    code = ("import io, json, sys, contextlib\n"
            "from taper.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
            f"    status = main({args!r})\n"
            "sys.__stdout__.write(json.dumps([status, out.getvalue(), sorted(sys.modules)]))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **env})
    assert "Traceback" not in run.stderr, run.stderr
    status, out, modules = json.loads(run.stdout)
    if status == 0:
        assert json.loads(out)["steps"]
    return status, run.stderr, modules


def test_a_json_plan_loads_neither_the_web_nor_monitoring_nor_the_exports() -> None:
    status, _, loaded = loaded_by(["plan", str(ROOT / "examples" / "diarist.json"), "--format", "json"])
    assert status == 0
    assert "taper.core.planner" in loaded  # it did plan
    assert "taper.contract.request" in loaded  # with the plain reader
    assert [m for m in loaded if m.startswith(NOT_FOR_PLANNING)] == []


@pytest.mark.hazard("HZ-201")
def test_a_bad_request_exits_2_naming_the_field_without_pydantic(tmp_path: Path) -> None:
    data = json.loads((ROOT / "examples" / "diarist.json").read_text())
    data["products"][1]["divisible_into"] = 3
    (tmp_path / "bad.json").write_text(json.dumps(data))
    status, err, loaded = loaded_by(["plan", str(tmp_path / "bad.json"), "--format", "json"])
    assert (status, err) == (2, "taper plan: products[1].divisible_into: must be 1, 2 or 4\n")
    assert [m for m in loaded if m.startswith(NOT_FOR_PLANNING)] == []


@pytest.mark.parametrize("columns", [None, "73", "0", "-5", "wide", "200"])
def test_help_is_as_wide_as_shutil_would_make_it(monkeypatch: pytest.MonkeyPatch,
                                                 columns: str | None) -> None:
    """The CLI's help formatter reads the width itself (shutil is not loaded); the same way."""
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert terminal_columns() == shutil.get_terminal_size().columns


@pytest.mark.hazard("HZ-224")
def test_a_warm_cache_spares_the_toml_parser_and_a_cold_one_answers_the_same(tmp_path: Path) -> None:
    """The first run parses the drug's TOML and keeps the parse; the next loads no `tomllib`
    (nor `string`, which only the parser needed) and plans the same."""
    diarist = ["plan", str(ROOT / "examples" / "diarist.json"), "--format", "json"]
    cache = str(tmp_path / "cache")
    plans = []
    for _ in range(2):
        code = ("import io, json, sys, contextlib\n"
                "from taper.cli import main\n"
                "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
                f"    main({diarist!r})\n"
                "sys.__stdout__.write(json.dumps([out.getvalue(), sorted(sys.modules)]))\n")
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=120, check=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT / "src"),
                                  "TAPER_CACHE_DIR": cache})
        plans.append(json.loads(run.stdout))
    (cold, cold_modules), (warm, warm_modules) = plans
    assert "tomllib" in cold_modules
    assert [m for m in warm_modules if m.startswith(("tomllib", "string"))] == []
    assert json.loads(warm) == json.loads(cold)


def test_a_cache_that_cannot_be_written_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("in the way")
    status, err, _ = loaded_by(["plan", str(ROOT / "examples" / "diarist.json"), "--format", "json"],
                               TAPER_CACHE_DIR=str(tmp_path / "file" / "cache"))
    assert (status, err) == (0, "")
