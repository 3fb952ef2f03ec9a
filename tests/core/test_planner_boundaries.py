"""The planner's taper rules and guard rails at their boundaries, read in full (issue 19).

Each test checks the whole outcome at, just inside and just outside a threshold: the steps
(dates, totals, doses), the warnings with their step, wording and details, and an error's
field, message and product, so that a mutant of planner.py changes what a test reads.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction as F

import pytest

from taper.core.plan import Plan
from taper.core.planner import MAX_STEPS
from taper.core.products import Liquid, Solid
from taper.core.strategies import FixedMgStrategy, PercentStrategy, StepsStrategy
from tests.core.planning import plan, refusal

TAB20Q = Solid("tab20", F(20), 4)
TAB20 = Solid("tab20", F(20), 1)
TAB10 = Solid("tab10", F(10), 2)
TAB5 = Solid("tab5", F(5), 1)
TAB1 = Solid("t1", F(1), 1)
DROPS = Liquid("drops", F(1), F(1, 100), F(1, 100))  # 0.01 mg a measure
TID = {"08:00": 20, "14:00": 20, "20:00": 20}
STOP_POLICY = (
    "policy: No source gives a dose from which stopping is safe. 5 mg a day is the smallest "
    "standard tablet and the last step the forum diarist took (seed 003); below it the seeds "
    "advise liquid or compounded steps. A prescriber may write an explicit plan.")


def warnings(p: Plan) -> list[tuple[str, int | None, str, dict[str, str]]]:
    return [(w.code, w.step, w.message, dict(w.details)) for w in p.warnings]


def stop_at_start(current: str) -> tuple[str, None, str, dict[str, str]]:
    return ("stop_at_start", None,
            "The stop: this plan has no steps. From the first day, Tue 1 Dec, no more doses: "
            f"the current {current} mg a day is already as low as the strategy goes. Check this "
            "is what the prescriber intends.", {"about": "stop", "previous_mg": current})


@pytest.mark.hazard("HZ-011")
def test_a_list_that_stops_at_once_from_the_stop_limit_says_so_in_full() -> None:
    p = plan({"08:00": 5}, (TAB5,), StepsStrategy((F(0),), 7))
    assert p.steps == () and p.stop_date == date(2026, 12, 1)
    assert warnings(p) == [stop_at_start("5")]


@pytest.mark.hazard("HZ-011")
def test_a_percent_taper_from_nothing_is_a_stop_at_start_not_a_refusal() -> None:
    p = plan({"08:00": 0}, (TAB5,), PercentStrategy(F(10), 7, F(1)))
    assert p.steps == () and p.stop_date == date(2026, 12, 1)
    assert warnings(p) == [stop_at_start("0")]


@pytest.mark.hazard("HZ-011")
def test_a_percent_taper_at_its_final_dose_is_refused_and_just_above_it_is_planned() -> None:
    assert refusal({"08:00": 1}, (TAB1,), PercentStrategy(F(10), 7, F(1))) == (
        "strategy.final_mg",
        "the current 1 mg a day is already at or below the final dose of 1 mg a day, so there "
        "is nothing to taper; to stop from here, give the steps [0] (a prescriber's decision)",
        None)
    p = plan({"08:00": 1}, (Solid("t1", F(1), 2),), PercentStrategy(F(50), 7, F(1, 2)))
    assert [(s.daily_mg, s.start_date, s.end_date) for s in p.steps] == [
        (F(1, 2), date(2026, 12, 1), date(2026, 12, 7))]
    assert p.stop_date == date(2026, 12, 8) and p.warnings == ()


@pytest.mark.hazard("HZ-005")
def test_an_explicit_stop_above_the_limit_is_refused_naming_the_entry_and_the_policy() -> None:
    assert refusal({"08:00": 20}, (TAB10,), StepsStrategy((F(10), F(0)), 7)) == (
        "strategy.daily_mg[1]",
        f"stopping from 10 mg a day is not allowed; a plan may stop only from 5 mg a day or "
        f"less ({STOP_POLICY}). Add lower steps.", None)
    at_limit = plan({"08:00": 20}, (TAB10,), StepsStrategy((F(10), F(5), F(0)), 7))
    assert [s.daily_mg for s in at_limit.steps] == [10, 5]
    assert at_limit.stop_date == date(2026, 12, 15) and at_limit.warnings == ()


def test_a_list_that_does_not_fall_names_its_entry() -> None:
    assert refusal({"08:00": 20}, (TAB10,), StepsStrategy((F(10), F(10)), 7)) == (
        "strategy.daily_mg[1]", "10 mg is not below the previous 10 mg a day", None)


@pytest.mark.hazard("HZ-005")
def test_a_generated_taper_steps_to_the_limit_first_saying_so_with_the_policy() -> None:
    p = plan(TID, (TAB20Q,), FixedMgStrategy(F(20), 7))
    assert [(s.index, s.daily_mg, s.target_daily_mg) for s in p.steps] == [
        (1, 40, 40), (2, 20, 20), (3, 5, 5)]
    assert warnings(p) == [(
        "stop_limited", 3,
        f"Step 3: the plan does not stop from 20 mg a day: it steps down to at most 5 mg a day "
        f"first ({STOP_POLICY}).", {})]
    assert p.stop_date == date(2026, 12, 22)


@pytest.mark.hazard("HZ-005")
@pytest.mark.parametrize("strategy", [FixedMgStrategy(F(10), 7), StepsStrategy((F(10), F(0)), 7)])
def test_products_that_cannot_make_a_first_step_are_refused_with_the_product_that_would(
        strategy: FixedMgStrategy | StepsStrategy) -> None:
    field, message, product = refusal({"08:00": 20}, (TAB20,), strategy)
    assert (field, message) == (
        "products", "these products cannot make any daily dose between 0 and 20 mg, and a plan "
        "may stop only from 5 mg a day or less; a 1 mg/mL liquid (sol1) would allow the "
        "requested cut.")
    assert isinstance(product, Liquid) and product.id == "sol1"


@pytest.mark.hazard("HZ-011")
def test_a_first_listed_step_nothing_can_make_at_the_stop_limit_is_the_stop() -> None:
    p = plan({"08:00": 5}, (TAB5,), StepsStrategy((F(2), F(0)), 7))
    assert p.steps == () and p.stop_date == date(2026, 12, 1)
    assert warnings(p) == [(
        "cut_larger_than_requested", None,
        "The stop: the list asks for a cut of at most 3 mg (to 2 mg a day), but these products "
        "cannot make a dose between that and 5 mg, so the plan stops from 5 mg a day (a cut of "
        "5 mg); a 1 mg/mL liquid (sol1) would allow the requested cut.",
        {"requested_cut_mg": "3", "actual_cut_mg": "5", "target_mg": "2", "realised_mg": "0",
         "previous_mg": "5", "product": "sol1", "product_strength": "1 mg/mL liquid",
         "about": "stop"}), stop_at_start("5")]


def test_a_taper_of_exactly_the_most_steps_is_planned_and_one_more_is_refused() -> None:
    most = plan({"08:00": F(MAX_STEPS, 100)}, (DROPS,), FixedMgStrategy(F(1, 100), 1))
    assert len(most.steps) == MAX_STEPS - 1  # the last pass is the stop
    assert most.steps[-1].daily_mg == F(1, 100) and most.warnings == ()
    assert most.stop_date == most.steps[-1].end_date + timedelta(days=1)
    assert refusal({"08:00": F(MAX_STEPS + 1, 100)}, (DROPS,), FixedMgStrategy(F(1, 100), 1)) == (
        "strategy", "the plan would need more than 1000 steps", None)


def test_a_plan_of_exactly_the_most_days_is_planned_and_a_day_more_is_refused() -> None:
    p = plan({"08:00": 20}, (TAB10,), StepsStrategy((F(10),), 5 * 365))
    assert [(s.start_date, s.end_date) for s in p.steps] == [(date(2026, 12, 1), date(2031, 11, 29))]
    assert p.stop_date is None
    assert refusal({"08:00": 20}, (TAB10,), StepsStrategy((F(10),), 5 * 365 + 1)) == (
        "strategy.step_days", "the plan would last more than 1825 days; use shorter or fewer steps",
        None)


def test_products_at_the_finest_grid_are_planned_and_finer_are_refused() -> None:
    fine = Liquid("l", F(1), F(1, 1000), F(1, 1000))  # 0.001 mg: 20 000 parts of 20 mg
    p = plan({"08:00": 20}, (fine,), FixedMgStrategy(F(5), 5))
    assert [s.daily_mg for s in p.steps] == [15, 10, 5]
    assert refusal({"08:00": F(20001, 1000)}, (fine,), FixedMgStrategy(F(5), 5)) == (
        "products", "these products together make amounts in steps of 0.001 mg, too fine to plan "
        "up to 20.001 mg a day; leave out a product or use a coarser measure", None)


@pytest.mark.hazard("HZ-009")
def test_a_dropped_dose_time_that_comes_back_is_named_in_full() -> None:
    capped = Liquid("l3", F(1), F(1), F(1), max_volume_ml=F(3))  # at most 3 mg a dose
    p = plan({"08:00": 0, "20:00": 10}, (Solid("t10", F(10)), capped), StepsStrategy((F(8),), 7))
    assert [(d.time.hour, d.mg) for d in p.steps[0].doses] == [(8, 3), (20, 3)]
    assert warnings(p)[1] == (
        "dose_time_rises", 1,
        "Step 1: the 08:00 dose comes back (3 mg), because these products cannot make 6 mg a day "
        "without it; check the spread with the prescriber.",
        {"time": "08:00", "before_mg": "0", "after_mg": "3"})
    assert [w.code for w in p.warnings] == ["dose_adjusted", "dose_time_rises"]


@pytest.mark.hazard("HZ-009")
def test_a_dose_time_that_rises_is_named_in_full_and_one_that_falls_is_not() -> None:
    liquid = Liquid("sol2", F(2), F(1), F(4))  # smallest measure 4 mL: 8 mg
    p = plan({"08:00": 5, "20:00": 5}, (TAB20Q, liquid), PercentStrategy(F(20), 7, F(5)))
    assert [[(d.time.hour, d.mg) for d in s.doses] for s in p.steps] == [[(20, 8)], [(20, 5)]]
    rises = [w for w in warnings(p) if w[0] == "dose_time_rises"]
    assert rises == [(
        "dose_time_rises", 1,
        "Step 1: the 20:00 dose rises from 5 mg to 8 mg, because these products cannot make 8 mg "
        "a day without it; check the spread with the prescriber.",
        {"time": "20:00", "before_mg": "5", "after_mg": "8"})]
