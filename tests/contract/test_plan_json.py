"""Reading a stored plan back: each distinct dose is read once, and a copy that differs in
anything the reader looks at is read (and refused) on its own, with its own path."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from taper.contract.errors import ContractError
from taper.contract.plan_json import plan_from_json, plan_to_json
from taper.contract.request import parse_plan_request
from taper.core.planner import make_plan

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "diarist.json"


def stored() -> dict[str, Any]:
    plan = make_plan(parse_plan_request(json.loads(EXAMPLE.read_text("utf-8"))))
    data: dict[str, Any] = json.loads(json.dumps(plan_to_json(plan)))
    return data


def repeated(data: dict[str, Any]) -> tuple[int, int]:
    """A step and a dose whose exact copy appears in an earlier step."""
    first: dict[str, int] = {}
    for i, step in enumerate(data["steps"]):
        for j, dose in enumerate(step["doses"]):
            text = json.dumps(dose, sort_keys=True)
            if text in first and first[text] < i:
                return i, j
            first.setdefault(text, i)
    raise AssertionError("the example repeats no dose")


def test_a_stored_plan_reads_back_equal_with_repeated_doses_shared() -> None:
    data = stored()
    plan = make_plan(parse_plan_request(json.loads(EXAMPLE.read_text("utf-8"))))
    assert plan_from_json(data) == plan
    i, j = repeated(data)
    again = plan_from_json(data)
    dose = again.steps[i].doses[j]
    assert any(d is dose for s in again.steps[:i] for d in s.doses)  # read once, shared


@pytest.mark.parametrize(("change", "field", "message"), [
    (lambda d: d["pieces"][0].update(product="nope"), "pieces[0].product", "unknown product 'nope'"),
    (lambda d: d.update(mg=True), "mg", "must be a number"),
    (lambda d: d.update(time="25:00"), "time", 'must be "HH:MM"'),
    (lambda d: d.update(mg=str(int(d["mg"]) + 1) if d["mg"].isdigit() else d["mg"] + "1"),
     "pieces", "not the"),
])
def test_a_broken_copy_of_a_dose_read_earlier_is_refused_at_its_own_path(
        change: Any, field: str, message: str) -> None:
    data = stored()
    i, j = repeated(data)
    broken = copy.deepcopy(data)
    change(broken["steps"][i]["doses"][j])
    with pytest.raises(ContractError) as caught:
        plan_from_json(broken)
    assert caught.value.field == f"steps[{i}].doses[{j}].{field}"
    assert message in caught.value.message


def test_a_true_is_not_taken_for_the_one_read_earlier() -> None:
    """1 == True in Python: the reader's memory of a dose must not accept a bool for a 1."""
    data = stored()
    data["products"] = [{"id": "one", "form": "tablet", "strength_mg": "1", "divisible_into": 1}]
    data["baseline"] = []
    for step in data["steps"][:2]:
        step["doses"] = [{"time": "08:00", "mg": 1, "pieces": [{"product": "one", "tablets": 1}]}]
    data["steps"] = data["steps"][:2]
    assert plan_from_json(data).steps[1].doses[0].mg == 1
    data["steps"][1]["doses"][0]["pieces"][0]["tablets"] = True
    with pytest.raises(ContractError) as caught:
        plan_from_json(data)
    assert caught.value.field == "steps[1].doses[0].pieces[0].tablets"
