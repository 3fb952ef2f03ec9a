"""A hold extends the current step and moves every later step; no reduction comes earlier."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taper.core.monitoring.shift import PlanChange, hold_plan
from taper.core.plan import Plan, PlanWarning, SupplyLine
from tests.monitoring.plans import diarist_plan, taper_plan


@pytest.mark.hazard("HZ-021")
def test_a_hold_extends_the_current_step_and_shifts_the_rest() -> None:
    plan = diarist_plan()
    held, change = hold_plan(plan, date(2026, 12, 7), 3)
    assert held.steps[1].end_date == date(2026, 12, 13)  # step 2 was 12-06..12-10
    assert held.steps[2].start_date == date(2026, 12, 14)
    assert held.stop_date == date(2027, 1, 28)
    assert (change.step, change.next_change_was, change.next_change_now) == (
        2, date(2026, 12, 11), date(2026, 12, 14))
    assert held.warnings[-1].code == "held"
    assert held.steps[0] == plan.steps[0]


@pytest.mark.hazard("HZ-021")
def test_a_hold_before_the_start_delays_the_whole_plan() -> None:
    held, change = hold_plan(diarist_plan(), date(2026, 11, 29), 2)
    assert held.start_date == held.steps[0].start_date == date(2026, 12, 3)
    assert change.next_change_now == date(2026, 12, 3)


def test_a_hold_after_the_stop_changes_nothing() -> None:
    plan = diarist_plan()
    assert hold_plan(plan, date(2027, 2, 1), 2)[0] is plan


def test_a_hold_cannot_be_negative() -> None:
    with pytest.raises(ValueError, match="days"):
        hold_plan(diarist_plan(), date(2026, 12, 7), -1)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    start = date(2026, 12, 1) + timedelta(days=draw(st.integers(0, 30)))
    n = draw(st.integers(1, 11))
    daily = list(range(60 - 5 * 1, 60 - 5 * (n + 1), -5))
    lengths = draw(st.lists(st.integers(1, 9), min_size=n, max_size=n))
    return taper_plan(start, daily, lengths)


def _dose(plan: Plan, day: date) -> Fraction:
    if day < plan.start_date:
        return Fraction(60)
    step = plan.step_on(day)
    return Fraction(0) if step is None else step.daily_mg


@pytest.mark.hazard("HZ-021")
@given(plans(), st.integers(-5, 120), st.integers(0, 10))
def test_a_hold_never_moves_a_reduction_earlier(plan: Plan, offset: int, days: int) -> None:
    today = plan.start_date + timedelta(days=offset)
    held, _ = hold_plan(plan, today, days)
    assert [s.daily_mg for s in held.steps] == [s.daily_mg for s in plan.steps]
    for old, new in zip(plan.steps, held.steps, strict=True):
        assert new.start_date >= old.start_date
    for i in range(1, len(held.steps)):  # still contiguous
        assert held.steps[i].start_date == held.steps[i - 1].end_date + timedelta(days=1)
    for k in range(-3, 140):
        d = plan.start_date + timedelta(days=k)
        assert _dose(held, d) >= _dose(plan, d)  # never less on any day: nothing sped up
    if plan.step_on(today) is not None and days:
        assert sum(s.days for s in held.steps) == sum(s.days for s in plan.steps) + days


# ------------------------------------------------------------- the whole change at its edges
# The diarist's plan: step 1 (55 mg) 1-5 Dec, step 2 (50 mg) 6-10 Dec, step 3 from 11 Dec;
# the last step (5 mg) 20-24 Jan, stop date 25 Jan.
def held_warning(days: int, on: date, step: int | None) -> PlanWarning:
    return PlanWarning(
        "held",
        f"Held {days} day(s) on {on.isoformat()}: later steps start {days} day(s) later."
        " Supply counts were made before the hold; the current dose is needed"
        f" for {days} more day(s).",
        step, {"days": str(days), "on": on.isoformat()})


@pytest.mark.hazard("HZ-021")
def test_a_hold_inside_a_step_says_what_moved_and_warns_in_full() -> None:
    plan = diarist_plan()
    held, change = hold_plan(plan, date(2026, 12, 7), 3)
    assert change == PlanChange(2, 3, date(2026, 12, 11), date(2026, 12, 14))
    assert held.warnings == (*plan.warnings, held_warning(3, date(2026, 12, 7), 2))
    assert held.start_date == plan.start_date


@pytest.mark.hazard("HZ-021")
def test_a_hold_on_the_first_day_extends_step_one_and_keeps_the_start() -> None:
    plan = diarist_plan()
    held, change = hold_plan(plan, plan.start_date, 2)
    assert change == PlanChange(1, 2, date(2026, 12, 6), date(2026, 12, 8))
    assert held.start_date == held.steps[0].start_date == date(2026, 12, 1)
    assert held.steps[0].end_date == date(2026, 12, 7)
    assert held.warnings[-1] == held_warning(2, plan.start_date, 1)


@pytest.mark.hazard("HZ-021")
def test_a_hold_the_day_before_the_start_moves_the_start_and_names_no_step() -> None:
    plan = diarist_plan()
    held, change = hold_plan(plan, date(2026, 11, 30), 2)
    assert change == PlanChange(None, 2, date(2026, 12, 1), date(2026, 12, 3))
    assert held.start_date == date(2026, 12, 3)
    assert held.warnings[-1] == held_warning(2, date(2026, 11, 30), None)


@pytest.mark.hazard("HZ-021")
def test_a_hold_of_no_days_changes_no_date_and_adds_no_warning() -> None:
    plan = diarist_plan()
    held, change = hold_plan(plan, date(2026, 12, 7), 0)
    assert change == PlanChange(2, 0, date(2026, 12, 11), date(2026, 12, 11))
    assert held == plan


@pytest.mark.hazard("HZ-021")
@pytest.mark.parametrize("today", [date(2027, 1, 25), date(2027, 2, 1)],
                         ids=["on-the-stop-date", "after-it"])
def test_a_hold_on_or_after_the_stop_date_changes_nothing_at_all(today: date) -> None:
    plan = diarist_plan()
    held, change = hold_plan(plan, today, 2)
    assert held is plan
    assert change == PlanChange(None, 0, None, None)


@pytest.mark.hazard("HZ-021")
def test_in_the_last_step_the_next_change_is_the_stop() -> None:
    held, change = hold_plan(diarist_plan(), date(2027, 1, 24), 2)
    assert change == PlanChange(11, 2, date(2027, 1, 25), date(2027, 1, 27))
    assert held.stop_date == date(2027, 1, 27)


@pytest.mark.hazard("HZ-021")
def test_without_a_stop_date_the_last_step_has_no_next_change_and_the_others_do() -> None:
    endless = replace(diarist_plan(), stop_date=None)
    held, change = hold_plan(endless, date(2027, 1, 22), 2)
    assert change == PlanChange(11, 2, None, None)
    assert held.stop_date is None
    assert held.steps[-1].end_date == date(2027, 1, 26)
    held, change = hold_plan(endless, date(2026, 12, 7), 2)
    assert change == PlanChange(2, 2, date(2026, 12, 11), date(2026, 12, 13))
    assert held.stop_date is None


def test_a_negative_hold_is_refused_with_the_fields_name() -> None:
    with pytest.raises(ValueError, match=r"^days: a hold can only delay \(0 or more days\)$"):
        hold_plan(diarist_plan(), date(2026, 12, 7), -1)


@pytest.mark.hazard("HZ-021")
def test_supply_dates_from_the_moved_boundary_on_move_and_earlier_ones_stay() -> None:
    # Held 3 days on 7 Dec: the boundary is 11 Dec, the first day of the next step.
    lines = (
        SupplyLine("a", Fraction(10), date(2026, 12, 1), date(2026, 12, 10)),  # all before
        SupplyLine("b", Fraction(3), date(2026, 12, 11), date(2026, 12, 11)),  # on it
        SupplyLine("c", Fraction(7, 2), date(2026, 12, 10), date(2027, 1, 24), 2,
                   Fraction(5)),  # across it
    )
    plan = replace(diarist_plan(), supply=lines)
    held, _ = hold_plan(plan, date(2026, 12, 7), 3)
    assert held.supply == (
        lines[0],
        SupplyLine("b", Fraction(3), date(2026, 12, 14), date(2026, 12, 14)),
        SupplyLine("c", Fraction(7, 2), date(2026, 12, 10), date(2027, 1, 27), 2, Fraction(5)),
    )
    before, _ = hold_plan(plan, date(2026, 11, 30), 1)  # not started: from the start date on
    assert [(s.first_needed, s.last_needed) for s in before.supply] == [
        (date(2026, 12, 2), date(2026, 12, 11)), (date(2026, 12, 12), date(2026, 12, 12)),
        (date(2026, 12, 11), date(2027, 1, 25))]
