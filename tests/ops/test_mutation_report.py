"""The mutation report speaks for the code as it is (docs/quality/mutation.json).

An entry is made by `make mutate` for one core module; when the module's code changes
afterwards, its score says nothing about the new code. That happened once: `messages.py`
gained the Spanish day names after its run, and run again it had 14 survivors. A changed
test or data file only makes the tests stronger, so only the module's own code is compared.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("mutate_report", ROOT / "scripts" / "mutate.py")
assert spec is not None and spec.loader is not None
mutate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mutate)
REPORT = json.loads((ROOT / "docs" / "quality" / "mutation.json").read_text("utf-8"))
ENTRIES = {entry["path"]: entry for entry in REPORT["modules"]}


@pytest.mark.parametrize("module", sorted(mutate.TARGETS))
def test_each_core_module_s_entry_is_of_its_code_as_it_is(module: str) -> None:
    entry = ENTRIES.get(module)
    assert entry is not None, f"{module}: no entry; run `make mutate MODULES={module}`"
    assert entry.get("code") == mutate.code_key(module), (
        f"{module} changed since its mutation run; run `make mutate MODULES={module}`")
    assert entry.get("complete", True), (
        f"{module}: its run stopped before the end; run `make mutate MODULES={module}` again")


def test_the_code_key_is_the_module_s_bytes_alone(tmp_path: Path) -> None:
    module = "src/taper/core/monitoring/basis.py"
    for root in (tmp_path / "a", tmp_path / "b"):
        (root / module).parent.mkdir(parents=True)
        (root / module).write_text("x = 1\n")
    assert mutate.code_key(module, tmp_path / "a") == mutate.code_key(module, tmp_path / "b")
    (tmp_path / "b" / module).write_text("x = 2\n")
    assert mutate.code_key(module, tmp_path / "a") != mutate.code_key(module, tmp_path / "b")
