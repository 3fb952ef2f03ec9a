"""Mutation testing of the clinical core with mutmut, one module at a time (`make mutate`).

For each module it copies the package, the module's fast tests and what they read into
build/mutate/<module>/, runs `mutmut run` there at low priority, and merges the module's
counts into docs/quality/mutation.json:

    {"modules": [{"path", "mutants", "killed", "equivalent", "score", ...}]}

score = killed / (mutants - equivalent). Timeouts count as killed (the mutant never
finished); "no tests" and survivors do not. Equivalent mutants (ones that cannot change
behaviour) are listed by hand, each with its reason and the mutated line, in
docs/quality/equivalent-mutants.toml; an entry whose line no longer matches the mutant of
that id is stale and stops the run, so a renumbering never hides a survivor.

Incremental: a module is run again only when its inputs changed, i.e. the sha256 of the
module, its tests, the clinical data files and the mutmut version differ from the `inputs`
stored with its entry. `--modules a.py,b.py` (make mutate MODULES=...) picks modules,
`--force` reruns them whatever the hashes say.

Resumable: `--budget SECONDS` (make mutate BUDGET=...) stops a module's run after that long and
keeps what was checked, with `complete: false` and `not_checked` in its entry (its score then
counts the unchecked mutants as not killed: a lower bound). The next run of that module, with
its inputs unchanged, carries on from there instead of starting again; a change to its inputs,
or `--force`, starts it afresh.

Tests added, nothing else changed: when the only change since a module's last run is new test
files (its code, the clinical data, the tool and every test file it ran are as they were), the
new tests are copied into its work folder and only the mutants no test killed (survivors,
"no tests", not checked; not those reviewed as equivalent) are run again, with every test; a
kill stands, since the test that made it is unchanged. Any other change starts afresh
(`--force` also rechecks the equivalents).

Timeouts: a mutant whose tests run longer than TIMEOUT_MULTIPLIER times their clean time (plus
a second) on the wall clock, or twice that in CPU time, is stopped and counted as a timeout
(mutmut's default is 15: one looping mutant then held a worker for minutes).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORE = "src/taper/core"
REPORT = ROOT / "docs" / "quality" / "mutation.json"
EQUIVALENTS = ROOT / "docs" / "quality" / "equivalent-mutants.toml"
WORK = ROOT / "build" / "mutate"

# Each core module and the fast tests that guard it (the core's own tests, never the web's).
MONITORING_TESTS = ("tests/monitoring",)
PLANNING_TESTS = ("tests/core",)
TARGETS: dict[str, tuple[str, ...]] = {
    f"{CORE}/composer.py": PLANNING_TESTS,
    f"{CORE}/planner.py": PLANNING_TESTS,
    f"{CORE}/distribution.py": PLANNING_TESTS,
    f"{CORE}/amount_sets.py": PLANNING_TESTS,
    # strategies.py is not listed: it holds frozen dataclasses only, and mutmut mutates
    # function bodies, so it makes no mutant there (its rules are planner.py's).
    **{
        f"{CORE}/monitoring/{name}.py": MONITORING_TESTS
        for name in ("baseline", "basis", "checkin", "history", "messages", "pacing", "redflags",
                     "rulebook", "shift", "suggestions", "symptoms", "timeline")
    },
}
# Read by the tests but not mutated: copied into each work folder.
SUPPORT = ("tests/__init__.py", "tests/conftest.py", "tests/profile.py", "examples")
KILLED = {"killed", "timeout", "caught by type check"}
# mutmut's exit codes that decide a mutant (killed, survived, no tests, timeout, type check);
# any other (an interrupted or cut-short check) is set back to "not checked" before a resume.
CONCLUSIVE = {0, 1, 3, 5, 33, 36, 37, 24, -24, 152, 255}
INPUTS_MARKER = "inputs.key"  # the inputs a work folder's results belong to
# A mutant's tests may take this many times their clean time (wall clock; twice in CPU time)
# before it counts as a timeout. Under a load of 3 per core a surviving mutant's full run
# takes about 3x its clean time; a loop that never ends is stopped after 5x, not 15x.
TIMEOUT_MULTIPLIER = 5
# mutmut's exit codes that leave a mutant not killed: survived, no tests
NOT_KILLED = {0, 33}


def sha256_of(paths: list[Path], root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_key(module: str, root: Path = ROOT) -> str:
    """What a module's result depends on: its code, its tests, the clinical data, the tool.

    A change elsewhere in the core (a module it calls) is not in the key: `--force` reruns.
    A run keys its result on the copies in its work folder, i.e. on exactly what it tested.
    """
    files = [root / module, *(root / "src" / "taper" / "knowledge").rglob("*.toml")]
    for folder in TARGETS[module]:
        files += [p for p in (root / folder).rglob("*.py")]
    return f"mutmut-{version('mutmut')}:" + sha256_of(files, root)


def code_key(module: str, root: Path = ROOT) -> str:
    """The module's own code alone (its entry is stale when this changes)."""
    return sha256_of([root / module], root)


def load_equivalents() -> dict[str, dict[str, str]]:
    """id -> {"line", "reason"}; every entry must give both."""
    data = tomllib.loads(EQUIVALENTS.read_text("utf-8"))
    found: dict[str, dict[str, str]] = {}
    for entry in data.get("mutant", []):
        missing = [k for k in ("id", "line", "reason") if not str(entry.get(k, "")).strip()]
        if missing:
            raise SystemExit(f"{EQUIVALENTS.name}: an entry lacks {', '.join(missing)}: {entry}")
        found[entry["id"]] = {"line": entry["line"].strip(), "reason": entry["reason"]}
    return found


def prepare(module: str) -> Path:
    work = work_folder(module)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "web", "*.pyc")
    shutil.copytree(ROOT / "src" / "taper", work / "src" / "taper", ignore=ignore)
    for item in (*SUPPORT, *TARGETS[module]):
        source = ROOT / item
        if source.is_dir():
            shutil.copytree(source, work / item, ignore=ignore)
        else:
            (work / item).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, work / item)
    write_config(work, module)
    return work


def write_config(work: Path, module: str) -> None:
    """mutmut's and pytest's settings for a module's work folder."""
    tests = ", ".join(json.dumps(t) for t in TARGETS[module])
    (work / "pyproject.toml").write_text(
        "[tool.mutmut]\n"
        'source_paths = ["src"]\n'
        f"only_mutate = [{json.dumps(module)}]\n"
        f"pytest_add_cli_args_test_selection = [{tests}]\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-p", "no:django", "-x", "-q", '
        '"--hypothesis-seed=0"]\n'
        "use_git_change_detection = false\n"
        f"timeout_multiplier = {TIMEOUT_MULTIPLIER}\n"
        'also_copy = ["examples"]\n'
        "\n[tool.pytest.ini_options]\n"
        'pythonpath = ["."]\n'
        'addopts = "--strict-markers"\n'
        'markers = ["hazard(id): verifies a hazard control", "browser: browser test", '
        '"exhaustive: slow exhaustive comparison"]\n',
        "utf-8",
    )


def statuses(work: Path, module: str) -> dict[str, str]:
    from mutmut.stats import status_by_exit_code

    meta = json.loads((work / "mutants" / f"{module}.meta").read_text("utf-8"))
    return {key: status_by_exit_code[code] for key, code in meta["exit_code_by_key"].items()}


def mutated_line(work: Path, mutant: str) -> str:
    """The added line(s) of a mutant's diff, as `mutmut show` prints it."""
    shown = subprocess.run([sys.executable, "-m", "mutmut", "show", mutant], cwd=work,
                           capture_output=True, text=True, check=True).stdout
    return "\n".join(line[1:].strip() for line in shown.splitlines()
                     if line.startswith("+") and not line.startswith("+++"))


def work_folder(module: str) -> Path:
    return WORK / module.removeprefix(f"{CORE}/").removesuffix(".py").replace("/", ".")


def resumable(module: str) -> bool:
    """A stopped run of this module whose inputs have not changed since: carry it on."""
    work = work_folder(module)
    marker = work / INPUTS_MARKER
    return ((work / "mutants").is_dir() and marker.exists()
            and marker.read_text("utf-8") == inputs_key(module))


def test_files(folder: Path, module: str) -> dict[str, bytes]:
    """Every test file the module's run uses, under `folder` (the repository or a work folder)."""
    found: dict[str, bytes] = {}
    for item in TARGETS[module]:
        for path in (folder / item).rglob("*.py"):
            found[str(path.relative_to(folder))] = path.read_bytes()
    return found


def only_tests_added(module: str) -> bool:
    """Since this module's last run (complete or not): the same code, clinical data and tool,
    every test file it ran unchanged, and at least one new test file."""
    work = work_folder(module)
    if not (work / "mutants").is_dir() or not (work / INPUTS_MARKER).exists():
        return False
    code = [ROOT / module, *(ROOT / "src" / "taper" / "knowledge").rglob("*.toml")]
    copies = [work / p.relative_to(ROOT) for p in code]
    if not all(c.exists() for c in copies) or sha256_of(copies, work) != sha256_of(code, ROOT):
        return False
    if not (work / INPUTS_MARKER).read_text("utf-8").startswith(f"mutmut-{version('mutmut')}:"):
        return False
    old, new = test_files(work, module), test_files(ROOT, module)
    return all(new.get(name) == body for name, body in old.items()) and len(new) > len(old)


def rerun_not_killed(module: str) -> int:
    """Copy the new tests into the module's work folder and set back to "not checked" every
    mutant no test killed (but those reviewed as equivalent), so that the next mutmut run
    checks only those; returns how many."""
    work = work_folder(module)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for item in TARGETS[module]:
        shutil.copytree(ROOT / item, work / item, ignore=ignore, dirs_exist_ok=True)
    write_config(work, module)  # the settings as they are now (a new timeout rechecks timeouts)
    meta_path = work / "mutants" / f"{module}.meta"
    meta = json.loads(meta_path.read_text("utf-8"))
    codes = meta["exit_code_by_key"]
    reviewed = load_equivalents()  # a reviewed equivalent cannot be killed: not rerun
    again = [k for k, c in codes.items() if c in NOT_KILLED and k not in reviewed]
    for key in again:
        codes[key] = None
    meta_path.write_text(json.dumps(meta), "utf-8")
    (work / INPUTS_MARKER).write_text(inputs_key(module), "utf-8")
    return len(again)


def forget_interrupted(work: Path, module: str) -> int:
    """Set back to "not checked" the mutants whose check a stop cut short (neither killed nor
    survived), so that the resumed run checks them again; returns how many."""
    meta_path = work / "mutants" / f"{module}.meta"
    meta = json.loads(meta_path.read_text("utf-8"))
    codes = meta["exit_code_by_key"]
    cut_short = [k for k, c in codes.items() if c is not None and c not in CONCLUSIVE]
    for key in cut_short:
        codes[key] = None
    meta_path.write_text(json.dumps(meta), "utf-8")
    return len(cut_short)


def stop(mutmut: subprocess.Popen[str]) -> tuple[str, str]:
    """Stop a run as Ctrl-C does: mutmut stops its workers and saves its verdicts. A SIGINT
    that lands while it waits on a worker can be lost, so it is sent again; at worst the run
    is terminated, and only the checks in flight are lost (set back before a resume)."""
    for _ in range(3):
        mutmut.send_signal(signal.SIGINT)
        try:
            return mutmut.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            continue
    mutmut.terminate()
    return mutmut.communicate()


def run_module(module: str, jobs: int, equivalents: dict[str, dict[str, str]],
               budget: int | None = None, earlier_seconds: int = 0) -> dict[str, Any]:
    """Run (or carry on) mutmut over one module; after `budget` seconds stop it (SIGINT, as
    Ctrl-C does) and keep what it checked: the next run resumes from there."""
    if resumable(module):
        work = work_folder(module)
        forget_interrupted(work, module)
    elif only_tests_added(module):
        work = work_folder(module)
        forget_interrupted(work, module)
        print(f"{module}: only tests were added; checking again the {rerun_not_killed(module)} "
              "mutants not killed")
    else:
        work = prepare(module)
        (work / INPUTS_MARKER).write_text(inputs_key(module), "utf-8")
        earlier_seconds = 0
    started = time.monotonic()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DJANGO_SETTINGS_MODULE")}
    with subprocess.Popen(["nice", "-n", "10", sys.executable, "-m", "mutmut", "run",
                           "--max-children", str(jobs)], cwd=work, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          # a shell's background job ignores SIGINT: let mutmut hear the stop
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
                          ) as mutmut:
        try:
            out, err = mutmut.communicate(timeout=budget)
        except subprocess.TimeoutExpired:
            out, err = stop(mutmut)
        else:
            if mutmut.returncode != 0:
                sys.stderr.write(out[-4000:] + err[-4000:])
                raise SystemExit(f"mutmut failed on {module} (exit {mutmut.returncode})")
    forget_interrupted(work, module)
    return score(module, work, equivalents,
                 earlier_seconds + round(time.monotonic() - started))


def score(module: str, work: Path, equivalents: dict[str, dict[str, str]],
          seconds: int) -> dict[str, Any]:
    """The module's entry from the results in its work folder and the reviewed equivalents."""
    found = statuses(work, module)
    prefix = module.removeprefix("src/").removesuffix(".py").replace("/", ".") + "."
    equivalent, stale = [], []
    for name, entry in equivalents.items():
        if not name.startswith(prefix):
            continue
        if name not in found or mutated_line(work, name) != entry["line"]:
            stale.append(name)
        elif found[name] in KILLED:
            stale.append(f"{name} (killed: not equivalent)")
        else:
            equivalent.append(name)
    if stale:
        raise SystemExit(f"{EQUIVALENTS.name}: stale entries for {module}: {', '.join(stale)}")
    killed = sorted(k for k, s in found.items() if s in KILLED)
    not_checked = sorted(k for k, s in found.items() if s == "not checked")
    survived = sorted(k for k, s in found.items()
                      if s not in KILLED and s != "not checked" and k not in equivalent)
    counted = len(found) - len(equivalent)
    return {
        "path": module,
        "mutants": len(found),
        "killed": len(killed),
        "equivalent": len(equivalent),
        # an unchecked mutant counts as not killed: a partial run's score is a lower bound
        "score": round(len(killed) / counted, 4) if counted else 1.0,
        "complete": not not_checked,
        # counted as killed; listed so that a review can see each is a loop, not a slow run
        "timeouts": [{"id": k, "line": mutated_line(work, k)}
                     for k in sorted(k for k, s in found.items() if s == "timeout")],
        "not_checked": len(not_checked),
        "survived": [{"id": k, "status": found[k], "line": mutated_line(work, k)} for k in survived],
        "equivalent_ids": sorted(equivalent),
        "tests": list(TARGETS[module]),
        "seconds": seconds,
        "inputs": inputs_key(module, work),  # the copies it tested
        # the module's own code as tested: tests/ops/test_mutation_report.py fails when the
        # module changed since (its score no longer speaks for it)
        "code": code_key(module, work),
    }


def write_entry(entry: dict[str, Any] | None) -> None:
    """Merge one module's entry into the report as it is now (another run may have written),
    each equivalent mutant with its reason from the reviewed list."""
    report = json.loads(REPORT.read_text("utf-8")) if REPORT.exists() else {"modules": []}
    by_path = {m["path"]: m for m in report["modules"]}
    if entry is not None:
        by_path[entry["path"]] = entry
    equivalents = load_equivalents()
    for module in by_path.values():
        module["equivalent_mutants"] = [
            {"id": key, **equivalents[key]} for key in module.get("equivalent_ids", [])
            if key in equivalents]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    merged = {"modules": [by_path[p] for p in sorted(by_path)]}
    REPORT.write_text(json.dumps(merged, indent=1, ensure_ascii=False) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", default="", help="comma-separated paths (default: every core module)")
    parser.add_argument("--force", action="store_true", help="run even if nothing changed")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--budget", type=int, default=None,
                        help="stop each module's run after this many seconds and keep its "
                             "results; the next run resumes it (a partial entry has "
                             "complete: false)")
    parser.add_argument("--rescore", action="store_true",
                        help="recount the last run's results with the equivalents as listed now")
    args = parser.parse_args(argv)
    chosen = [m.strip() for m in args.modules.split(",") if m.strip()] or list(TARGETS)
    unknown = [m for m in chosen if m not in TARGETS]
    if unknown:
        print(f"--modules: not a core module: {', '.join(unknown)} (accepted: {', '.join(TARGETS)})",
              file=sys.stderr)
        return 2
    equivalents = load_equivalents()
    report = json.loads(REPORT.read_text("utf-8")) if REPORT.exists() else {"modules": []}
    by_path = {m["path"]: m for m in report["modules"]}
    for module in chosen:
        if args.rescore:  # after editing the equivalents: no new run, the last one's results
            old = by_path.get(module)
            if old is None or not (work_folder(module) / "mutants").is_dir():
                print(f"{module}: no results to rescore", file=sys.stderr)
                return 2
            write_entry(score(module, work_folder(module), equivalents, old["seconds"]))
            continue
        old = by_path.get(module, {})
        unchanged = old.get("inputs") == inputs_key(module)
        if not args.force and unchanged and old.get("complete", True):
            print(f"{module}: unchanged, kept")
            continue
        if args.force:
            shutil.rmtree(work_folder(module), ignore_errors=True)  # from scratch
        carried = unchanged or only_tests_added(module)  # the run goes on: its time adds up
        entry = run_module(module, args.jobs, equivalents, args.budget,
                           old.get("seconds", 0) if carried else 0)
        by_path[module] = entry
        left = "" if entry["complete"] else (
            f"; stopped before the end, {entry['not_checked']} not checked yet: "
            "run again to resume")
        print(f"{module}: {entry['killed']}/{entry['mutants'] - entry['equivalent']} killed "
              f"(score {entry['score']}, {entry['equivalent']} equivalent, {entry['seconds']} s"
              f"{left})")
        write_entry(entry)
    write_entry(None)  # the reasons as reviewed now
    return 0


if __name__ == "__main__":
    sys.exit(main())
