"""Keeps docs/hazards.md, the tests and the mutation report honest with each other.

A hazard counts as verified only when every test its row names exists where the row says,
carries the hazard's marker, and (for the core's controls) the mutation report shows that the
tests of the module implementing the control kill its mutants.
"""

from __future__ import annotations

import ast
import json
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HAZARD_ROW = re.compile(r"^\|\s*(HZ-\d{3})\s*\|(.*)\|\s*$", re.MULTILINE)


def rows() -> dict[str, list[str]]:
    """Each hazard with the names in its "verified by" cell."""
    found: dict[str, list[str]] = {}
    for hazard, rest in HAZARD_ROW.findall((ROOT / "docs" / "hazards.md").read_text("utf-8")):
        assert hazard not in found, f"{hazard} is listed twice"
        found[hazard] = re.findall(r"`([^`]+)`", rest.split("|")[-1])
    return found


def listed_hazards() -> set[str]:
    return set(rows())


def test_files() -> list[Path]:
    return sorted((ROOT / "tests").rglob("test_*.py"))


def tests_by_file() -> dict[Path, dict[str, set[str]]]:
    """Every test function (or class) in each file, with the hazards it is marked with."""
    out: dict[Path, dict[str, set[str]]] = {}
    for path in test_files():
        tree = ast.parse(path.read_text("utf-8"))
        tests: dict[str, set[str]] = {}
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            marks = tests.setdefault(node.name, set())
            for deco in node.decorator_list:
                if isinstance(deco, ast.Call) and ast.unparse(deco.func).endswith("mark.hazard"):
                    marks |= {a.value for a in deco.args
                              if isinstance(a, ast.Constant) and isinstance(a.value, str)}
        out[path] = tests
    return out


def marked_hazards() -> dict[str, list[str]]:
    """Every hazard id named in a @pytest.mark.hazard(...) decorator, with its tests."""
    found: dict[str, list[str]] = {}
    for path, tests in tests_by_file().items():
        for name, marks in tests.items():
            for hazard in marks:
                found.setdefault(hazard, []).append(f"{path.name}::{name}")
    return found


def resolve(name: str, previous_file: Path | None,
            tests: dict[Path, dict[str, set[str]]]) -> tuple[list[tuple[Path, str]], Path | None]:
    """The (file, test) pairs a name in a row stands for: `test_x`, `file.py::test_x`,
    `tests/dir/file.py` (every test in it) or `tests/dir/file.py::test_x`. A bare test name
    after a qualified one is looked up in that file first, as the rows write them."""
    file_part, _, test_part = name.partition("::")
    if file_part.endswith(".py"):
        files = [p for p in tests if p.as_posix().endswith("/" + file_part.removeprefix("./"))]
        if test_part and len(files) > 1:  # two folders hold a test_cli.py: the one with the test
            files = [p for p in files if test_part in tests[p]]
        assert len(files) == 1, f"`{name}`: {len(files)} test files match {file_part}"
        if not test_part:
            return [(files[0], t) for t in tests[files[0]] if t.startswith("test_")], files[0]
        return [(files[0], test_part)], files[0]
    if previous_file is not None and name in tests[previous_file]:
        return [(previous_file, name)], previous_file
    return [(p, name) for p in tests if name in tests[p]], previous_file


def test_every_hazard_names_tests_that_exist_and_carry_its_marker() -> None:
    tests = tests_by_file()
    problems = []
    for hazard, names in rows().items():
        if not names:
            problems.append(f"{hazard}: no test named in its row")
        previous: Path | None = None
        for name in names:
            try:
                found, previous = resolve(name, previous, tests)
            except AssertionError as error:
                problems.append(f"{hazard}: {error}")
                continue
            if not found or any(t not in tests[p] for p, t in found):
                problems.append(f"{hazard}: `{name}` is not a test in tests/")
            elif not any(hazard in tests[p][t] for p, t in found):
                problems.append(f"{hazard}: `{name}` is not marked @pytest.mark.hazard({hazard!r})")
    assert problems == [], "\n".join(problems)


def test_every_hazard_has_a_verifying_test() -> None:
    missing = sorted(listed_hazards() - set(marked_hazards()))
    assert missing == [], f"hazards with no test marked @pytest.mark.hazard: {missing}"


def test_every_marked_hazard_is_in_the_log() -> None:
    unknown = sorted(set(marked_hazards()) - listed_hazards())
    assert unknown == [], f"tests name hazards missing from docs/hazards.md: {unknown}"


def test_the_mutation_report_shows_each_controls_module_meets_its_goal() -> None:
    """A hazard's verifying tests must kill the mutants of the code of its control."""
    controls = tomllib.loads((ROOT / "docs" / "quality" / "hazard-controls.toml").read_text("utf-8"))
    report = json.loads((ROOT / "docs" / "quality" / "mutation.json").read_text("utf-8"))
    entries = {m["path"]: m for m in report["modules"]}
    names = rows()
    tests = tests_by_file()
    problems = []
    for hazard, control in controls.items():
        if hazard not in names:
            problems.append(f"{hazard}: not in docs/hazards.md")
            continue
        previous: Path | None = None
        verifying: set[Path] = set()
        for name in names[hazard]:
            found, previous = resolve(name, previous, tests)
            verifying |= {p for p, _ in found}
        for module in control["modules"]:
            entry = entries.get(module)
            if entry is None:
                problems.append(f"{hazard}: {module} is not in mutation.json (make mutate)")
                continue
            used = [ROOT / t for t in entry["tests"]]
            outside = sorted(str(p.relative_to(ROOT)) for p in verifying
                             if not any(p.is_relative_to(u) for u in used))
            if outside == sorted(str(p.relative_to(ROOT)) for p in verifying):
                problems.append(f"{hazard}: none of its tests were run against {module}")
            counted = entry["mutants"] - entry["equivalent"]
            assert entry["score"] == (round(entry["killed"] / counted, 4) if counted else 1.0)
            if entry["score"] < control["goal"]:
                survivors = ", ".join(s["id"] for s in entry["survived"])
                problems.append(f"{hazard}: {module} scores {entry['score']} < {control['goal']}"
                                f" (survivors: {survivors})")
    assert problems == [], "\n".join(problems)
