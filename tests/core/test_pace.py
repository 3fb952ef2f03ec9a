"""Issue 13 on clinical examples: the pace is a ceiling, lists round gently, nothing silent."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction as F

import pytest

from taper.contract.plan_json import plan_from_json, plan_to_json
from taper.core.monitoring.pacing import daily_mg_on
from taper.core.planner import PlanError
from taper.core.products import Liquid, Solid
from taper.core.strategies import FixedMgStrategy, PercentStrategy, StepsStrategy, TitrateStrategy
from tests.core.planning import doses_by_step, plan

TAB20Q = Solid("tab20", F(20), 4)
TAB10H = Solid("tab10", F(10), 2)
TAB5 = Solid("tab5", F(5), 1)
SOL1 = Liquid("sol1", F(1), F(1, 10), F(1, 2))
BID = {"08:00": 20, "20:00": 20}
TID = {"08:00": 20, "14:00": 20, "20:00": 20}


def first_total(percent: int) -> F:
    return plan(BID, (TAB5,), PercentStrategy(F(percent), 7, F(5))).steps[0].daily_mg


@pytest.mark.hazard("HZ-007")
@pytest.mark.parametrize(("percent", "expected"), [
    pytest.param(25, 30, id="at: 25 % asks for 30, which can be made"),
    pytest.param(20, 35, id="inside: 20 % asks for 32, the gentlest makeable is 35, not 30"),
    pytest.param(12, 35, id="outside: 12 % asks for 35.2; nothing at or above it below 40"),
    pytest.param(26, 30, id="outside: 26 % asks for 29.6; 30 cuts less than asked"),
])
def test_the_pace_is_a_ceiling_at_its_boundary(percent: int, expected: int) -> None:
    assert first_total(percent) == expected


@pytest.mark.hazard("HZ-007")
def test_a_cut_larger_than_asked_states_both_cuts_and_the_product_that_would_make_it() -> None:
    p = plan(TID, (TAB20Q,), FixedMgStrategy(F(5, 2), 7))
    assert (p.steps[0].target_daily_mg, p.steps[0].daily_mg) == (F(115, 2), 55)
    w = next(w for w in p.warnings if w.code == "cut_larger_than_requested")
    assert w.step == 1
    assert (w.details["requested_cut_mg"], w.details["actual_cut_mg"]) == ("2.5", "5")
    assert w.details["product"] and "would allow the requested cut" in w.message
    assert "cut of at most 2.5 mg (to 57.5 mg a day)" in w.message and "cut of 5 mg" in w.message


@pytest.mark.hazard("HZ-008")
def test_a_valid_list_whose_steps_become_equal_merges_them_and_is_not_refused() -> None:
    p = plan({"08:00": 5, "14:00": 5, "20:00": 5}, (TAB5,),
             StepsStrategy((F(10), F(15, 2), F(5), F(0)), 7))
    assert [(s.daily_mg, s.days) for s in p.steps] == [(10, 7), (5, 14)]
    assert p.stop_date == date(2026, 12, 1) + timedelta(days=21)
    assert [(w.code, w.step) for w in p.warnings] == [("dose_adjusted", 2), ("steps_merged", 2)]
    adjusted = p.warnings[0]
    assert adjusted.details["side"] == "lower"
    assert adjusted.message.startswith("Step 2: 5 mg a day instead of 7.5 mg")


@pytest.mark.hazard("HZ-008")
def test_dose_adjusted_is_on_each_step_it_concerns_with_the_right_side() -> None:
    p = plan(TID, (TAB20Q,), StepsStrategy((F(52), F(45), F(33)), 7))
    assert [s.daily_mg for s in p.steps] == [55, 45, 35]
    assert [(w.code, w.step, w.details["side"]) for w in p.warnings] == [
        ("dose_adjusted", 1, "higher"), ("dose_adjusted", 3, "higher")]
    assert "35 mg a day instead of 33 mg: the products cannot make 33 mg" in p.warnings[1].message
    assert "nearest higher dose" in p.warnings[1].message


@pytest.mark.hazard("HZ-008")
def test_a_list_that_does_not_fall_is_still_refused_naming_the_entry() -> None:
    with pytest.raises(PlanError, match=r"strategy\.daily_mg\[1\]: 10 mg is not below the previous"):
        plan(TID, (TAB20Q,), StepsStrategy((F(10), F(10)), 7))


@pytest.mark.hazard("HZ-011")
@pytest.mark.parametrize(("doses", "refused"), [
    pytest.param({"08:00": 5}, True, id="at the final dose"),
    pytest.param({"08:00": 2}, True, id="below the final dose"),
    pytest.param({"08:00": 10}, False, id="above the final dose"),
])
def test_a_percent_taper_already_at_its_final_dose_is_refused(doses: dict, refused: bool) -> None:
    strategy = PercentStrategy(F(10), 7, F(5))
    if refused:
        with pytest.raises(PlanError, match=r"strategy\.final_mg: the current .* nothing to taper"):
            plan(doses, (TAB5, SOL1), strategy)
    else:
        assert plan(doses, (TAB5, SOL1), strategy).steps


@pytest.mark.hazard("HZ-011")
def test_a_plan_that_stops_at_once_says_so() -> None:
    p = plan({"08:00": 5}, (TAB5,), StepsStrategy((F(0),), 7))
    assert p.steps == () and p.stop_date == date(2026, 12, 1)
    (w,) = p.warnings
    assert (w.code, w.step, w.details["about"]) == ("stop_at_start", None, "stop")
    assert "Tue 1 Dec" in w.message and "no more doses" in w.message


@pytest.mark.hazard("HZ-011")
def test_a_stop_forced_by_the_products_is_a_warning_about_the_stop_not_a_missing_step() -> None:
    p = plan({"08:00": 10}, (TAB5,), PercentStrategy(F(10), 7, F(0)))
    assert [s.daily_mg for s in p.steps] == [5]
    stop = [w for w in p.warnings if w.code == "cut_larger_than_requested"][-1]
    assert stop.step is None and stop.details["about"] == "stop"
    assert stop.message.startswith("The stop:") and "stops from 5 mg a day" in stop.message


@pytest.mark.hazard("HZ-009")
def test_a_dose_time_rises_only_when_no_split_without_it_exists_and_says_why() -> None:
    liquid = Liquid("sol2", F(2), F(1), F(4))  # smallest measure 4 mL: 8 mg
    p = plan({"08:00": 5, "20:00": 5}, (TAB20Q, liquid), PercentStrategy(F(20), 7, F(5)))
    assert p.steps[0].daily_mg == 8 and doses_by_step(p)[0] in ("8/-", "-/8")
    (rise,) = [w for w in p.warnings if w.code == "dose_time_rises"]
    assert rise.step == 1 and rise.details["before_mg"] == "5" and rise.details["after_mg"] == "8"
    assert "cannot make 8 mg a day without it" in rise.message


def test_each_step_carries_its_target_beside_the_made_total_in_json() -> None:
    data = plan_to_json(plan(BID, (TAB5,), PercentStrategy(F(20), 7, F(5))))
    assert (data["steps"][0]["target_mg"], data["steps"][0]["daily_mg"]) == ("32", "35")
    assert plan_from_json(data).steps[0].target_daily_mg == 32


@pytest.mark.hazard("HZ-012")
@pytest.mark.parametrize(("keep_days", "bottles", "discard"), [
    pytest.param(None, 2, "0", id="no use-within: 2 bottles of 100 mL for 140 mL"),
    pytest.param(20, 2, "0", id="use within 20 days: the first bottle is empty on day 20"),
    pytest.param(19, 2, "5", id="use within 19 days: its last 5 mL go"),
    pytest.param(14, 2, "30", id="use within 14 days: the first bottle's last 30 mL go"),
    pytest.param(7, 4, "195", id="use within 7 days: a bottle a week, 65 mL of three go"),
])
def test_liquid_supply_counts_bottles_and_what_is_discarded_after_opening(
    keep_days: int | None, bottles: int, discard: str,
) -> None:
    liquid = Liquid("sol5", F(1), F(1, 2), F(1), bottle_ml=F(100),
                    use_within_days_after_opening=keep_days)
    p = plan({"08:00": 5, "20:00": 5}, (liquid,), StepsStrategy((F(5),), 28))
    (line,) = p.supply
    assert line.units == 140 and line.bottles == bottles  # 5 mL a day for 28 days
    assert str(line.discard_ml) == discard


@pytest.mark.hazard("HZ-004")
@pytest.mark.parametrize(("goal", "refused"), [(40, True), (45, True), (50, False)])
def test_a_titration_goal_at_or_below_the_current_dose_is_refused(goal: int, refused: bool) -> None:
    current = {"08:00": 15, "14:00": 15, "20:00": 15}
    strategy = TitrateStrategy(F(goal), 3, F(5))
    if refused:
        with pytest.raises(PlanError, match=r"strategy\.target_daily_mg: .* is not above the current"):
            plan(current, (TAB5,), strategy)
    else:
        assert [s.daily_mg for s in plan(current, (TAB5,), strategy).steps] == [50]


@pytest.mark.hazard("HZ-004")
@pytest.mark.parametrize(("goal", "refused"), [(20, True), (24, True), (25, False)])
def test_a_titration_the_products_cannot_start_is_refused(goal: int, refused: bool) -> None:
    tab25 = Solid("tab25", F(25), 1)
    zero = {"08:00": 0, "20:00": 0}
    if refused:
        with pytest.raises(PlanError, match=r"products: these products cannot make any daily dose"):
            plan(zero, (tab25,), TitrateStrategy(F(goal)))
    else:
        assert [s.daily_mg for s in plan(zero, (tab25,), TitrateStrategy(F(goal))).steps] == [25]


def test_the_dose_in_force_before_the_plan_is_the_regimens_exactly() -> None:
    p = plan({"08:00": 20, "14:00": F(35, 2), "20:00": 20}, (TAB20Q, SOL1),
             FixedMgStrategy(F(5), 7))
    start = date(2026, 12, 1)
    assert daily_mg_on(p, start - timedelta(days=1)) == F(115, 2)
    assert daily_mg_on(p, start - timedelta(days=400)) == F(115, 2)
    assert daily_mg_on(p, start) == p.steps[0].daily_mg == F(105, 2)
    assert p.stop_date is not None and daily_mg_on(p, p.stop_date) == 0
    held = plan(TID, (TAB20Q,), StepsStrategy((F(50), F(40)), 7))
    assert daily_mg_on(held, held.steps[-1].end_date + timedelta(days=30)) == 40


@pytest.mark.hazard("HZ-008")
def test_a_listed_dose_that_cannot_be_made_above_zero_holds_the_step_before_instead_of_stopping(
) -> None:
    p = plan({"08:00": 5, "20:00": 5}, (TAB5,), StepsStrategy((F(5), F(5, 2), F(1), F(0)), 7))
    assert [(s.daily_mg, s.days) for s in p.steps] == [(5, 21)]
    assert p.stop_date == date(2026, 12, 22)  # where the list says 0, not two weeks early
    assert [(w.code, w.step) for w in p.warnings] == [("steps_merged", 1), ("steps_merged", 1)]
    assert p.warnings[0].message.startswith("Step 1 lasts 7 days longer: the next listed dose, "
                                            "2.5 mg a day, cannot be made")
