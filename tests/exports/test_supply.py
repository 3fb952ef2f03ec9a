"""Quantities to dispense: whole tablets rounded up per period, liquids exact."""

from __future__ import annotations

from datetime import date
from fractions import Fraction as F

import pytest
from export_plans import TAB20_QUARTERS, diarist_plan
from hypothesis import given
from hypothesis import strategies as st

from taper.exports.supply import supply


def test_the_diarist_needs_his_20_mg_tablets_from_day_one(diarist) -> None:
    (line,) = supply(diarist, 28)
    # 5 days each of 2¾, 2½, 2¼, 2, 1¾, 1½, 1¼, 1, ¾, ½, ¼ tablets = 82.5 → 83 tablets.
    assert line.product is TAB20_QUARTERS and line.total == 83
    assert (line.first_needed, line.last_needed) == (date(2026, 12, 1), date(2027, 1, 24))


@pytest.mark.hazard("HZ-047")
def test_periods_are_rounded_up_on_their_own(diarist) -> None:
    (line,) = supply(diarist, 28)
    # Days 1–28: 5 × (2¾+2½+2¼+2+1¾) + 3 × 1½ = 56.25 + 4.5 = 60.75 → 61.
    assert [(p.start, p.end, p.units) for p in line.periods] == [
        (date(2026, 12, 1), date(2026, 12, 28), F(61)),
        (date(2026, 12, 29), date(2027, 1, 24), F(22)),  # 21.75 → 22; ends with the plan
    ]


def test_liquid_is_counted_in_exact_millilitres(mixed) -> None:
    tablets, liquid = supply(mixed, 28)
    assert tablets.product.id == "tab10" and liquid.product.id == "sol1"
    # The 5 mg parts: steps at 55, 45, 35, 25, 15 and 5 mg/day each use 5 mL a day for 3 days.
    assert liquid.total == F(6 * 3 * 5)


@pytest.mark.hazard("HZ-047")
@given(st.integers(min_value=1, max_value=60))
def test_periods_cover_the_whole_plan_and_never_fall_short(period_days: int) -> None:
    plan = diarist_plan()
    (line,) = supply(plan, period_days)
    assert sum(p.units for p in line.periods) >= line.total
    assert line.periods[0].start == plan.start_date
    assert all(
        b.start - a.end == date(2000, 1, 2) - date(2000, 1, 1)
        for a, b in zip(line.periods, line.periods[1:], strict=False)
    )


def test_a_period_of_zero_days_is_refused(diarist) -> None:
    with pytest.raises(ValueError, match="period_days"):
        supply(diarist, 0)
