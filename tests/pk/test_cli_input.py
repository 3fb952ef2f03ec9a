"""`taper pk` reads a plan document as it is and plans a request (using its CrCl), through
the same loader as `taper plan`; bad documents exit 2 naming the field."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from taper.cli import main

ROOT = Path(__file__).resolve().parents[2]
DIARIST = json.loads((ROOT / "examples" / "diarist.json").read_text())


def write(tmp_path: Path, doc: dict[str, Any], name: str = "in.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return str(path)


def test_a_plan_document_gives_the_same_view_as_its_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", write(tmp_path, DIARIST), "--format", "json"]) == 0
    plan_doc = json.loads(capsys.readouterr().out)
    assert main(["pk", write(tmp_path, plan_doc, "plan.json"), "--patients", "0",
                 "--format", "json"]) == 0
    from_plan = json.loads(capsys.readouterr().out)
    assert main(["pk", write(tmp_path, DIARIST), "--patients", "0", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["steps"] == from_plan["steps"]


def test_a_request_is_planned_and_its_crcl_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = {**DIARIST, "creatinine_clearance_ml_min": 40}
    assert main(["pk", write(tmp_path, doc), "--patients", "0"]) == 0
    assert "Creatinine clearance 40 mL/min" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("change", "message"),
    [({"strategy": None}, "strategy: "),
     ({"strategy": {"kind": "steps", "daily_mg": ["50", "0"], "step_days": 7}},
      "strategy.daily_mg[1]: stopping from 50 mg")],
    ids=["contract error", "plan error"],
)
def test_request_errors_exit_2_naming_the_field(
    change: dict[str, Any], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["pk", write(tmp_path, {**DIARIST, **change})]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"taper pk: {message}") and err.count("\n") == 1


def test_a_toml_request_is_read_as_toml(tmp_path: Path) -> None:
    path = tmp_path / "request.toml"
    path.write_text(
        'drug = "baclofen"\nstart_date = "2026-12-01"\ntimezone = "Europe/London"\n'
        'products = ["tab10"]\ncurrent_doses = [{time = "08:00", mg = "10"}]\n'
        'strategy = {kind = "fixed_mg", step_mg = "5", step_days = 7}\n')
    assert main(["pk", str(path), "--patients", "0", "-o", str(tmp_path / "out.txt")]) == 0
    assert "10" in (tmp_path / "out.txt").read_text()


def test_standard_input_is_read_for_a_dash() -> None:
    result = subprocess.run([sys.executable, "-m", "taper", "pk", "-", "--patients", "0"],
                            input=json.dumps(DIARIST), capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "not a measurement" in result.stdout
