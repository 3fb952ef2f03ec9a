"""`make mutate`'s "tests added, nothing else changed" rerun (scripts/mutate.py).

A run where only new test files appeared checks again only the mutants no test killed. The
decision and the reset are what keep a score honest: a changed module, data file or test must
start afresh, and a kill or a reviewed equivalent must not be checked again. Tested on a
fake repository and work folder (no mutmut run).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from importlib.metadata import version
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "mutate.py"
MODULE = "src/taper/core/monitoring/basis.py"
KEYS = {"killed": 1, "survived": 0, "no_tests": 33, "timeout": 36, "equivalent": 0,
        "unchecked": None}


@pytest.fixture
def mutate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """scripts/mutate.py pointed at a fake repository under tmp_path, after one run of MODULE
    whose work folder holds a copy of the code, the data, one test file and mutmut's verdicts."""
    spec = importlib.util.spec_from_file_location("mutate_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "mutate_script", script)
    spec.loader.exec_module(script)
    repo = tmp_path / "repo"
    monkeypatch.setattr(script, "ROOT", repo)
    monkeypatch.setattr(script, "WORK", repo / "build" / "mutate")
    monkeypatch.setattr(script, "EQUIVALENTS", repo / "equivalents.toml")
    files = {MODULE: "def f():\n    return 1\n",
             "src/taper/knowledge/monitoring_rules/rules.toml": "x = 1\n",
             "tests/monitoring/test_old.py": "def test_old():\n    pass\n"}
    work = script.work_folder(MODULE)
    for folder in (repo, work):
        for name, text in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text)
    (repo / "equivalents.toml").write_text(
        '[[mutant]]\nid = "m.equivalent"\nline = "return 2"\nreason = "reviewed"\n')
    meta = work / "mutants" / f"{MODULE}.meta"
    meta.parent.mkdir(parents=True)
    meta.write_text(json.dumps({"exit_code_by_key": {f"m.{k}": c for k, c in KEYS.items()}}))
    (work / script.INPUTS_MARKER).write_text(script.inputs_key(MODULE, work))
    return script


def add_test(script: ModuleType) -> None:
    (script.ROOT / "tests/monitoring/test_new.py").write_text("def test_new():\n    pass\n")


def test_a_new_test_file_alone_is_a_rerun(mutate: ModuleType) -> None:
    assert not mutate.only_tests_added(MODULE)  # nothing new: no rerun
    add_test(mutate)
    assert mutate.only_tests_added(MODULE)


@pytest.mark.parametrize("changed", [MODULE, "src/taper/knowledge/monitoring_rules/rules.toml",
                                     "tests/monitoring/test_old.py"])
def test_any_other_change_starts_afresh(mutate: ModuleType, changed: str) -> None:
    add_test(mutate)
    path = mutate.ROOT / changed
    path.write_text(path.read_text() + "# changed\n")
    assert not mutate.only_tests_added(MODULE)


def test_a_new_data_file_starts_afresh(mutate: ModuleType) -> None:
    add_test(mutate)
    (mutate.ROOT / "src/taper/knowledge/monitoring_rules/more.toml").write_text("y = 2\n")
    assert not mutate.only_tests_added(MODULE)


def test_another_mutmut_starts_afresh(mutate: ModuleType) -> None:
    add_test(mutate)
    marker = mutate.work_folder(MODULE) / mutate.INPUTS_MARKER
    marker.write_text(marker.read_text().replace(f"mutmut-{version('mutmut')}:", "mutmut-0.0:"))
    assert not mutate.only_tests_added(MODULE)


def test_no_earlier_run_is_no_rerun(mutate: ModuleType) -> None:
    add_test(mutate)
    (mutate.work_folder(MODULE) / mutate.INPUTS_MARKER).unlink()
    assert not mutate.only_tests_added(MODULE)


def test_the_rerun_checks_again_only_what_no_test_killed(mutate: ModuleType) -> None:
    add_test(mutate)
    work = mutate.work_folder(MODULE)
    assert mutate.rerun_not_killed(MODULE) == 2  # the survivor and the one with no tests
    codes = json.loads((work / "mutants" / f"{MODULE}.meta").read_text())["exit_code_by_key"]
    assert codes == {"m.killed": 1, "m.survived": None, "m.no_tests": None, "m.timeout": 36,
                     "m.equivalent": 0, "m.unchecked": None}
    assert (work / "tests/monitoring/test_new.py").exists()  # the new test is run
    # the work folder now stands for the repository as it is: a further rerun needs new tests
    assert (work / mutate.INPUTS_MARKER).read_text() == mutate.inputs_key(MODULE)
    assert not mutate.only_tests_added(MODULE)
