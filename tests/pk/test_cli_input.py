"""`taper pk` hands a plan document to plan_from_json and a request to the planner, and
turns their errors into exit status 2. The contract and planner modules arrive with
another branch, so small fakes stand in for them here."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from taper.cli import main
from taper.cli import pk as pk_cli
from taper.core.plan import Plan
from taper.knowledge.pk import PkKnowledge

from .conftest import CHEVILLARD, RENAL


class ContractError(ValueError):
    pass


class PlanError(ValueError):
    pass


@pytest.fixture
def fake_contract(monkeypatch: pytest.MonkeyPatch, diarist_plan: Plan) -> list[str]:
    """Fake taper.contract.* and taper.core.planner; returns the calls they saw."""
    calls: list[str] = []

    def parse_plan_request(data: Any) -> Any:
        calls.append("parse_plan_request")
        if data.get("strategy") is None:
            raise ContractError("strategy: required")
        return types.SimpleNamespace(data=data, creatinine_clearance_ml_min=data.get("crcl"))

    def make_plan(request: Any) -> Plan:
        calls.append("make_plan")
        if request.data["strategy"] == "impossible":
            raise PlanError("strategy.step_mg: larger than the dose")
        return diarist_plan

    def plan_from_json(data: Any) -> Plan:
        calls.append("plan_from_json")
        return diarist_plan

    modules = {
        "taper.contract": {},
        "taper.contract.errors": {"ContractError": ContractError},
        "taper.contract.request": {"parse_plan_request": parse_plan_request},
        "taper.contract.plan_json": {"plan_from_json": plan_from_json},
        "taper.core.planner": {"make_plan": make_plan, "PlanError": PlanError},
    }
    for name, attrs in modules.items():
        module = types.ModuleType(name)
        module.__dict__.update(attrs)
        module.__path__ = []  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, name, module)
    knowledge = PkKnowledge((CHEVILLARD,), "chevillard-2017", RENAL)
    monkeypatch.setattr(pk_cli, "knowledge_of", lambda drug_id: knowledge)
    return calls


def write(tmp_path: Path, doc: dict[str, Any]) -> str:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc))
    return str(path)


def test_a_plan_document_is_read_not_replanned(fake_contract: list[str], tmp_path: Path) -> None:
    assert main(["pk", write(tmp_path, {"steps": []}), "--patients", "0"]) == 0
    assert fake_contract == ["plan_from_json"]


def test_a_request_is_planned_and_its_crcl_used(
    fake_contract: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = {"strategy": "fixed", "crcl": 40}
    assert main(["pk", write(tmp_path, doc), "--patients", "0"]) == 0
    assert fake_contract == ["parse_plan_request", "make_plan"]
    assert "Creatinine clearance 40 mL/min" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("doc", "message"),
    [({"drug": "baclofen"}, "strategy: required"),
     ({"strategy": "impossible"}, "strategy.step_mg: larger than the dose")],
    ids=["contract error", "plan error"],
)
def test_request_errors_exit_2_naming_the_field(
    doc: dict[str, Any], message: str, fake_contract: list[str], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["pk", write(tmp_path, doc)]) == 2
    assert capsys.readouterr().err.strip() == f"taper pk: {message}"


def test_a_toml_request_is_read_as_toml(fake_contract: list[str], tmp_path: Path) -> None:
    path = tmp_path / "request.toml"
    path.write_text('strategy = "fixed"\ncrcl = 60\n')
    assert main(["pk", str(path), "--patients", "0"]) == 0
    assert fake_contract == ["parse_plan_request", "make_plan"]


def test_standard_input_is_read_for_a_dash(
    fake_contract: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(read=lambda: '{"steps": []}'))
    assert main(["pk", "-", "--patients", "0", "-o", "/dev/null"]) == 0
    assert fake_contract == ["plan_from_json"]
