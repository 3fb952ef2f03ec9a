"""Days since the last reduction and the expected withdrawal window (SPEC M4)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from taper.core.monitoring.basis import Basis
from taper.core.monitoring.rulebook import MonitoringRules
from taper.core.monitoring.timeline import Timeline, last_reduction, reductions, timeline
from taper.core.plan import Plan
from tests.monitoring.plans import taper_plan


@pytest.mark.parametrize(
    ("today", "days", "window"),
    [(date(2026, 11, 30), None, None), (date(2026, 12, 1), 0, "early"),
     (date(2026, 12, 3), 2, "early"), (date(2026, 12, 4), 3, "peak"),
     (date(2026, 12, 6), 0, "early"), (date(2027, 1, 24), 4, "peak"),
     (date(2027, 2, 2), 8, "protracted")],
    ids=["before", "day-of-first-cut", "48-72h", "72h", "next-cut", "last-step", "after-stop"],
)
def test_days_since_the_last_reduction_and_window(
    plan: Plan, rules: MonitoringRules, today: date, days: int | None, window: str | None
) -> None:
    tl = timeline(plan, today, rules)
    assert (tl.days_since_reduction, tl.window) == (days, window)
    assert tl.basis.rule == "timeline" and tl.basis.inputs["days_since_reduction"] == days


def test_the_windows_cover_every_day_without_overlap(rules: MonitoringRules) -> None:
    for day in range(0, 400):
        assert sum(w.contains(day) for w in rules.timeline) == 1


# ------------------------------------------------------------- the whole timeline at its edges
@pytest.mark.hazard("HZ-232")
def test_the_timeline_in_full_with_its_windows_fact(plan: Plan, rules: MonitoringRules) -> None:
    peak = rules.window_for(3)
    assert peak is not None
    assert timeline(plan, date(2026, 12, 9), rules) == Timeline(
        date(2026, 12, 6), 3, "peak", Basis.of("timeline", peak.fact, {
            "today": "2026-12-09", "last_reduction": "2026-12-06",
            "days_since_reduction": 3, "window": "peak"}))
    assert timeline(plan, date(2026, 11, 30), rules) == Timeline(
        None, None, None, Basis.of("timeline", rules.timeline_fact, {
            "today": "2026-11-30", "last_reduction": None, "days_since_reduction": None,
            "window": None}))


@pytest.mark.hazard("HZ-232")
def test_the_stop_date_is_the_last_reduction_of_a_taper_only(plan: Plan,
                                                             rules: MonitoringRules) -> None:
    assert reductions(plan)[-2:] == (date(2027, 1, 20), date(2027, 1, 25))
    assert last_reduction(plan, date(2027, 1, 25)) == date(2027, 1, 25)
    assert last_reduction(plan, date(2027, 1, 24)) == date(2027, 1, 20)
    rising = replace(plan, direction="titration")
    assert date(2027, 1, 25) not in reductions(rising)


def test_a_step_that_keeps_the_dose_is_not_a_reduction() -> None:
    flat = taper_plan(date(2026, 12, 1), [55, 55, 50], 5)  # 6 Dec keeps 55 mg: no cut
    assert reductions(flat) == (date(2026, 12, 1), date(2026, 12, 11), date(2026, 12, 16))
