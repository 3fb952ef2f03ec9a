"""The planner on clinical examples, and its guard rails."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction as F

import pytest

from taper.core.planner import PlanError
from taper.core.products import Liquid, Solid
from taper.core.strategies import (
    FixedMgStrategy,
    PercentStrategy,
    StepsStrategy,
    TitrateStrategy,
)
from tests.core.planning import doses_by_step, plan

TAB20Q = Solid("tab20", F(20), 4)
TAB20H = Solid("tab20", F(20), 2)
TAB10 = Solid("tab10", F(10), 2)
TAB5 = Solid("tab5", F(5), 1)
SOL1 = Liquid("sol1", F(1), F(1, 10), F(1, 2))
TID = {"08:00": 20, "14:00": 20, "20:00": 20}


def diarist():
    return plan(TID, (TAB20Q, TAB5), FixedMgStrategy(F(5), 5), order=("14:00", "08:00", "20:00"))


@pytest.mark.hazard("HZ-001")
def test_diarist_taper_is_reproduced_exactly() -> None:
    assert doses_by_step(diarist()) == [
        "20/15/20", "15/15/20", "15/15/15", "15/10/15", "10/10/15", "10/10/10",
        "10/5/10", "5/5/10", "5/5/5", "5/-/5", "-/-/5",
    ]


def test_diarist_20_mg_day_is_quarter_quarter_half_of_one_tablet() -> None:
    step = diarist().steps[7]
    assert [str(d.composition.pieces[0].units) for d in step.doses] == ["1/4", "1/4", "1/2"]
    assert {p.product_id for d in step.doses for p in d.composition.pieces} == {"tab20"}


def test_diarist_dates_supply_and_stop() -> None:
    p = diarist()
    assert p.steps[0].start_date == date(2026, 12, 1)
    assert p.stop_date == date(2027, 1, 25)
    assert [(s.product_id, s.units) for s in p.supply] == [("tab20", F(83))]
    assert p.warnings == ()


def test_percent_taper_finishes_on_liquid() -> None:
    p = plan({"08:00": 10, "20:00": 10}, (TAB10, SOL1), PercentStrategy(F(10), 14, F(1)))
    last = p.steps[-1]
    assert last.daily_mg == F(1)
    assert {x.product_id for d in last.doses for x in d.composition.pieces} == {"sol1"}
    assert all(s.change_mg < 0 for s in p.steps)
    assert p.stop_date == last.end_date + timedelta(days=1)


def test_percent_cuts_shrink_as_the_dose_falls() -> None:
    p = plan({"08:00": 30, "20:00": 30}, (SOL1,), PercentStrategy(F(10), 7, F(2)))
    cuts = [-s.change_mg for s in p.steps[:-1]]
    assert cuts == sorted(cuts, reverse=True)


def test_label_titration_reaches_target_in_3_day_steps() -> None:
    p = plan({"08:00": 0, "14:00": 0, "20:00": 0}, (TAB10, TAB5), TitrateStrategy(F(60)))
    assert [s.daily_mg for s in p.steps] == [15, 30, 45, 60]
    assert all(s.days == 3 for s in p.steps)
    assert p.stop_date is None and p.direction == "titrate"


@pytest.mark.hazard("HZ-004")
def test_titration_above_label_maximum_needs_a_reason() -> None:
    with pytest.raises(PlanError, match=r"strategy\.target_daily_mg: 100 mg a day is above"):
        plan({"08:00": 0, "20:00": 0}, (TAB10,), TitrateStrategy(F(100)))


@pytest.mark.hazard("HZ-004")
def test_override_with_reason_allows_and_says_so() -> None:
    p = plan({"08:00": 0, "20:00": 0}, (TAB10,), TitrateStrategy(F(100), 3, F(10)),
             override=("100", "Inpatient, supervised, per SmPC hospital ceiling"))
    assert p.steps[-1].daily_mg == 100
    assert max(s.daily_mg for s in p.steps) <= 100
    assert "label_maximum_overridden" in {w.code for w in p.warnings}


@pytest.mark.hazard("HZ-005")
def test_explicit_stop_from_a_high_dose_is_refused() -> None:
    with pytest.raises(PlanError, match=r"strategy.daily_mg\[2\]: stopping from 40 mg"):
        plan(TID, (TAB20Q,), StepsStrategy((F(50), F(40), F(0)), 7))


@pytest.mark.hazard("HZ-005")
def test_generated_taper_steps_down_to_the_stop_limit_first() -> None:
    p = plan(TID, (TAB20Q,), FixedMgStrategy(F(20), 7))
    assert [s.daily_mg for s in p.steps] == [40, 20, 5]
    assert "stop_limited" in {w.code for w in p.warnings}


@pytest.mark.hazard("HZ-005")
def test_products_that_cannot_make_a_single_step_are_an_error_naming_a_fix() -> None:
    with pytest.raises(PlanError, match=r"products: .* would allow the requested cut"):
        plan({"08:00": 20}, (Solid("tab20", F(20), 1),), FixedMgStrategy(F(10), 7))


@pytest.mark.hazard("HZ-200")
def test_products_that_cannot_reach_a_safe_stop_hold_the_lowest_step_naming_a_fix() -> None:
    p = plan(TID, (TAB20H,), FixedMgStrategy(F(10), 7))
    assert [s.daily_mg for s in p.steps] == [50, 40, 30, 20, 10] and p.stop_date is None
    last = p.warnings[-1]
    assert last.code == "cannot_go_lower" and last.step == 5
    assert last.details["product"] == "sol1" and "does not stop" in last.message


@pytest.mark.hazard("HZ-200")
def test_one_step_above_the_stop_limit_is_held_not_stopped() -> None:
    p = plan({"08:00": 10}, (Solid("tab10", F(10), 2),), FixedMgStrategy(F(5), 7))
    assert [s.daily_mg for s in p.steps] == [5] and p.stop_date is not None  # 5 mg: may stop
    held = plan({"08:00": 20}, (Solid("tab20", F(20), 2),), FixedMgStrategy(F(5), 7))
    assert [s.daily_mg for s in held.steps] == [10] and held.stop_date is None


def test_cut_larger_than_requested_names_the_product_that_would_fix_it() -> None:
    p = plan(TID, (TAB20Q,), FixedMgStrategy(F(5, 2), 7))
    warning = next(w for w in p.warnings if w.code == "cut_larger_than_requested")
    assert warning.step == 1 and "liquid" in warning.message


@pytest.mark.hazard("HZ-008")
def test_explicit_step_that_cannot_be_made_is_adjusted_to_the_gentle_side_with_a_warning() -> None:
    p = plan(TID, (TAB20Q,), StepsStrategy((F(52), F(45)), 7))
    assert [s.daily_mg for s in p.steps] == [55, 45]  # 55 is the nearest above 52, below 60
    assert p.stop_date is None
    assert [(w.code, w.step, w.details["side"]) for w in p.warnings] == [
        ("dose_adjusted", 1, "higher")]
    assert p.warnings[0].message.startswith("Step 1: 55 mg a day instead of 52 mg")


@pytest.mark.parametrize(("crcl", "fragment"), [(45, "one half"), (25, "two thirds")])
def test_renal_impairment_brings_the_sources_advice(crcl: int, fragment: str) -> None:
    p = plan(TID, (TAB20Q,), FixedMgStrategy(F(5), 5), crcl=crcl)
    renal = next(w for w in p.warnings if w.code == "renal_impairment")
    assert fragment in renal.message and renal.details["source"]


def test_start_date_before_today_is_flagged() -> None:
    p = plan(TID, (TAB20Q,), FixedMgStrategy(F(5), 5), today=date(2026, 12, 2))
    assert "start_in_past" in {w.code for w in p.warnings}


def test_current_dose_above_label_maximum_is_flagged_not_refused() -> None:
    p = plan({"08:00": 30, "14:00": 30, "20:00": 30}, (TAB10,), FixedMgStrategy(F(10), 7))
    assert "above_label_maximum" in {w.code for w in p.warnings}


def test_reduce_order_cuts_the_first_listed_time_first() -> None:
    p = plan({"08:00": 10, "20:00": 10}, (TAB10,), FixedMgStrategy(F(5), 7), order=("20:00",))
    assert doses_by_step(p)[0] == "10/5"


def test_default_order_cuts_midday_first_and_keeps_the_evening_dose() -> None:
    p = plan(TID, (TAB20Q,), FixedMgStrategy(F(5), 5))
    rows = doses_by_step(p)
    assert rows[0] == "20/15/20" and rows[-1] == "-/-/5"


def test_slower_pace_at_low_doses() -> None:
    from taper.core.strategies import SlowerAtLowDoses

    p = plan(TID, (TAB20Q,), FixedMgStrategy(F(5), 5, SlowerAtLowDoses(F(20), 14)))
    assert [s.days for s in p.steps if s.daily_mg < 20] == [14, 14, 14]
    assert all(s.days == 5 for s in p.steps if s.daily_mg >= 20)


def test_reduce_order_naming_an_unknown_time_is_an_error() -> None:
    with pytest.raises(PlanError, match="reduce_order: 09:00"):
        plan(TID, (TAB20Q,), FixedMgStrategy(F(5), 5), order=("09:00",))


def test_second_drug_plans_from_its_own_data() -> None:
    p = plan({"08:00": 5, "20:00": 5}, (Solid("d2", F(2), 2), Solid("d5", F(5), 2)),
             FixedMgStrategy(F(1), 14), drug="diazepam")
    assert p.drug_id == "diazepam" and p.steps[-1].daily_mg <= 1


@pytest.mark.hazard("HZ-004")
def test_titration_never_passes_a_target_the_products_cannot_make() -> None:
    p = plan({"08:00": 0, "14:00": 0, "20:00": 0}, (TAB10,), TitrateStrategy(F(62)))
    assert [s.daily_mg for s in p.steps] == [15, 30, 45, 60]
    assert "target_not_makeable" in {w.code for w in p.warnings}
