"""A stored plan's doses read once per process (issue 17): the plan read back is the one
each dose read on its own gives, field by field, whatever plans the process read before."""

from __future__ import annotations

import copy
import json
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings

from taper.contract import plan_json
from taper.contract.plan_json import _plain, _product, _scheduled, plan_from_json, plan_to_json
from taper.core.plan import Plan
from tests.core.test_properties import plans


def as_stored(plan: Plan) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(plan_to_json(plan)))
    return data


def each_dose_on_its_own(data: dict[str, Any]) -> list[list[Any]]:
    """The slow reading the shared one replaces: `_scheduled` on every dose."""
    products = [_product(p, f"products[{i}]") for i, p in enumerate(data["products"])]
    by_id = {p.id: p for p in products}
    return [[_scheduled(d, f"steps[{i}].doses[{j}]", by_id) for j, d in enumerate(s["doses"])]
            for i, s in enumerate(data["steps"])]


def assert_read_back(plan: Plan, data: dict[str, Any]) -> None:
    read = plan_from_json(data)
    assert read == plan
    for name in Plan.__dataclass_fields__:
        assert getattr(read, name) == getattr(plan, name), name
    alone = each_dose_on_its_own(data)
    for step, doses in zip(read.steps, alone, strict=True):
        assert step.doses == tuple(doses)
        for shared, own in zip(step.doses, doses, strict=True):
            assert (shared.time, shared.mg, shared.composition) == (own.time, own.mg,
                                                                    own.composition)


@pytest.mark.hazard("HZ-205")
@settings(max_examples=60, deadline=None)
@given(plans())
def test_a_planner_s_plan_reads_back_field_by_field_after_any_other(plan: Plan) -> None:
    # The products' ids repeat across examples ("s0", "liq") with other strengths: a
    # dose read for one catalogue must not be served for another.
    assert_read_back(plan, as_stored(plan))
    assert_read_back(plan, as_stored(plan))  # the second reading from the process's memory


@pytest.mark.hazard("HZ-205")
def test_the_same_dose_of_another_product_of_the_same_id_reads_its_own_mg() -> None:
    dose = {"time": "08:00", "mg": "10", "pieces": [{"product": "t", "tablets": "1", "mg": "10"}]}
    data = {"drug": "baclofen", "start_date": "2027-01-04", "baseline": [],
            "products": [{"id": "t", "form": "tablet", "strength_mg": "10", "divisible_into": 1}],
            "steps": [{"step": 1, "start_date": "2027-01-04", "end_date": "2027-01-10",
                       "daily_mg": "10", "doses": [dose]}]}
    assert plan_from_json(data).steps[0].doses[0].composition.pieces[0].mg == 10
    other = copy.deepcopy(data)
    other["products"][0]["strength_mg"] = "5"  # the same dose text, a 5 mg tablet
    other["steps"][0]["doses"][0] = {**dose, "mg": "5",
                                     "pieces": [{"product": "t", "tablets": "1", "mg": "5"}]}
    assert plan_from_json(other).steps[0].doses[0].mg == 5
    same_text = copy.deepcopy(data)
    same_text["products"][0]["strength_mg"] = "5"  # dose says 10 mg of one 5 mg tablet
    try:
        plan_from_json(same_text)
    except plan_json.ContractError as exc:
        assert exc.field == "steps[0].doses[0].pieces" and "not the 10 mg stated" in exc.message
    else:
        raise AssertionError("a dose read for a 10 mg tablet was served for a 5 mg one")


class Looks:
    """A value whose repr passes for the text "10"."""

    def __repr__(self) -> str:
        return "'10'"


def test_only_json_values_are_keyed_by_their_repr() -> None:
    plain = {"time": "08:00", "mg": "10", "pieces": [{"product": "t", "tablets": "1"}]}
    assert _plain(plain)
    assert _plain({"time": "08:00", "mg": 1, "x": None, "y": 1.5, "z": True, "pieces": []})
    for odd in ({"time": "08:00", "mg": Looks()},
                {"time": "08:00", "mg": Fraction(10)},
                {"time": "08:00", "pieces": [{"product": "t", "tablets": Looks()}]},
                {"time": "08:00", "pieces": ["t"]},
                {"time": "08:00", "pieces": ({"product": "t"},)},
                {1: "08:00"},
                {"time": "08:00", "pieces": [{1: "t"}]},
                ["08:00"]):
        assert not _plain(odd), odd


def test_the_process_s_memory_of_doses_is_bounded(monkeypatch: Any) -> None:
    monkeypatch.setattr(plan_json, "DOSE_CACHE_SIZE", 3)
    monkeypatch.setattr(plan_json, "_doses", {})
    data = {"drug": "baclofen", "start_date": "2027-01-04", "baseline": [],
            "products": [{"id": "t", "form": "tablet", "strength_mg": "5", "divisible_into": 1}],
            "steps": [{"step": i + 1, "start_date": "2027-01-04", "end_date": "2027-01-10",
                       "daily_mg": str(5 * (i + 1)),
                       "doses": [{"time": "08:00", "mg": str(5 * (i + 1)), "pieces": [
                           {"product": "t", "tablets": str(i + 1)}]}]} for i in range(5)]}
    read = plan_from_json(data)
    assert [s.doses[0].mg for s in read.steps] == [5, 10, 15, 20, 25]
    assert 1 <= len(plan_json._doses) <= 3


def test_a_broken_baseline_dose_is_refused_at_its_own_path_after_a_good_copy() -> None:
    dose = {"time": "08:00", "mg": "10", "pieces": [{"product": "t", "tablets": "1", "mg": "10"}]}
    data = {"drug": "baclofen", "start_date": "2027-01-04", "baseline": [dose],
            "products": [{"id": "t", "form": "tablet", "strength_mg": "10", "divisible_into": 1}],
            "steps": [{"step": 1, "start_date": "2027-01-04", "end_date": "2027-01-10",
                       "daily_mg": "10", "doses": [dose]}]}
    read = plan_from_json(data)
    assert read.baseline[0] is read.steps[0].doses[0]  # one reading shared
    broken = copy.deepcopy(data)
    broken["baseline"] = [dose, {**dose, "mg": "15"}]
    try:
        plan_from_json(broken)
    except plan_json.ContractError as exc:
        assert exc.field == "baseline[1].pieces" and "not the 15 mg stated" in exc.message
    else:
        raise AssertionError("a broken baseline dose was read")
