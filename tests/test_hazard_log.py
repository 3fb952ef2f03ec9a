"""Keeps docs/hazards.md and the tests honest with each other."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HAZARD_ROW = re.compile(r"^\|\s*(HZ-\d{3})\s*\|", re.MULTILINE)


def listed_hazards() -> set[str]:
    return set(HAZARD_ROW.findall((ROOT / "docs" / "hazards.md").read_text("utf-8")))


def marked_hazards() -> dict[str, list[str]]:
    """Every hazard id named in a @pytest.mark.hazard(...) decorator, with its tests."""
    found: dict[str, list[str]] = {}
    for path in (ROOT / "tests").rglob("test_*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            for deco in node.decorator_list:
                call = deco if isinstance(deco, ast.Call) else None
                if call is None or not ast.unparse(call.func).endswith("mark.hazard"):
                    continue
                for arg in call.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.setdefault(arg.value, []).append(f"{path.name}::{node.name}")
    return found


def test_the_hazard_log_lists_hazards() -> None:
    assert len(listed_hazards()) >= 5


def test_every_hazard_has_a_verifying_test() -> None:
    missing = sorted(listed_hazards() - set(marked_hazards()))
    assert missing == [], f"hazards with no test marked @pytest.mark.hazard: {missing}"


def test_every_marked_hazard_is_in_the_log() -> None:
    unknown = sorted(set(marked_hazards()) - listed_hazards())
    assert unknown == [], f"tests name hazards missing from docs/hazards.md: {unknown}"
