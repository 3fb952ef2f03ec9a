"""A hold extends the current step and moves every later step; no reduction comes earlier."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taper.core.monitoring.shift import hold_plan
from taper.core.plan import Plan
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
