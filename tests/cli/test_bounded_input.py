"""`taper plan` refuses every attack value of issue 16 with exit 2 and one line naming the field."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.cli.test_plan_cli import run

ATTACKS = [
    (("current_doses", 0, "mg"), "1e99999999", "current_doses[0].mg: must be a number from 0 to 1000"),
    (("current_doses", 0, "mg"), "Infinity", "current_doses[0].mg: must be a number"),
    (("current_doses", 0, "mg"), "NaN", "current_doses[0].mg: must be a number"),
    (("current_doses", 0, "mg"), "1e308", "current_doses[0].mg: must be a number"),
    (("current_doses", 0, "mg"), "1000000", "current_doses[0].mg: must be a number"),
    (("current_doses", 0, "mg"), "1000.0001", "current_doses[0].mg: must be a number"),
    (("products", 0, "strength_mg"), "1e-9", "products[0].strength_mg: must be a number from 0.01"),
    (("products", 0, "strength_mg"), "0.0099", "products[0].strength_mg: must be a number from 0.01"),
    (("products", 0, "strength_mg"), "inf", "products[0].strength_mg: must be a number"),
    (("strategy", "step_days"), 10**9, "strategy.step_days: must be at most 365"),
    (("strategy", "step_days"), 100000, "strategy.step_days: must be at most 365"),
    (("strategy", "step_days"), 366, "strategy.step_days: must be at most 365"),
    (("start_date",), "0001-01-01", "start_date: must be a date from 2000-01-01 to 2099-12-31"),
    (("start_date",), "9999-12-31", "start_date: must be a date from 2000-01-01"),
    (("start_date",), "2100-01-01", "start_date: must be a date from 2000-01-01"),
    (("start_date",), "1999-12-31", "start_date: must be a date from 2000-01-01"),
    (("products", 0, "label"), "a\x00b", "products[0].label: must not contain a NUL"),
    (("products", 0, "label"), "x" * 201, "products[0].label: must be at most 200 characters"),
]


def _with(request: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(request)
    changed["products"][0] = {"id": "tab20", "form": "tablet", "strength_mg": "20",
                              "divisible_into": 4, "label": "20 mg tablet"}
    where = changed
    for key in path[:-1]:
        where = where[key]
    where[path[-1]] = value
    return changed


@pytest.mark.hazard("HZ-120")
@pytest.mark.hazard("HZ-121")
@pytest.mark.hazard("HZ-122")
@pytest.mark.parametrize(("path", "value", "message"), ATTACKS,
                         ids=[f"{'.'.join(map(str, a[0]))}={str(a[1])[:12]}" for a in ATTACKS])
def test_each_attack_value_exits_2_with_one_line_naming_the_field(
        tmp_path, capsys, diarist_request, path: tuple[Any, ...], value: Any, message: str) -> None:
    code, out, err = run(tmp_path, capsys, _with(diarist_request, path, value))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err, err


@pytest.mark.hazard("HZ-121")
@pytest.mark.parametrize(("start", "days"), [("2099-12-31", 5), ("2000-01-01", 365)])
def test_the_edges_of_the_window_are_accepted(tmp_path, capsys, diarist_request, start: str,
                                              days: int) -> None:
    request = _with(diarist_request, ("start_date",), start)
    request["strategy"] = {"kind": "fixed_mg", "step_mg": "30", "step_days": days}
    code, _, err = run(tmp_path, capsys, request)
    assert code == 0, err


@pytest.mark.hazard("HZ-121")
def test_a_plan_longer_than_five_years_is_refused_naming_step_days(
        tmp_path, capsys, diarist_request) -> None:
    request = _with(diarist_request, ("strategy",), {"kind": "fixed_mg", "step_mg": "5",
                                                     "step_days": 365})
    code, _, err = run(tmp_path, capsys, request)
    assert code == 2 and "strategy.step_days: the plan would last more than 1825 days" in err


@pytest.mark.hazard("HZ-122")
def test_products_too_fine_to_plan_are_refused_at_once(tmp_path, capsys, diarist_request) -> None:
    request = _with(diarist_request, ("products",), [
        {"id": "liq", "form": "liquid", "mg_per_ml": "0.01", "measure_step_ml": "0.01",
         "min_volume_ml": "0.01"}])
    request.pop("reduce_order", None)
    code, _, err = run(tmp_path, capsys, request)
    assert code == 2 and "products: these products together make amounts in steps of" in err
