"""Days since the last reduction and the expected withdrawal window (SPEC M4)."""

from __future__ import annotations

from datetime import date

import pytest

from taper.core.monitoring.rulebook import MonitoringRules
from taper.core.monitoring.timeline import timeline
from taper.core.plan import Plan


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
