"""Per step: the drop in trough, peak and mean, and the longest gap between doses."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

import pytest

from taper.core.pk.steps import longest_gap, percent_change
from taper.core.pk.view import PkParameters, run_pk
from taper.core.plan import Plan

from .conftest import AFTERNOON, CHEVILLARD, EVENING, MORNING, build_plan, dose, doses

GAPS = {
    "three a day": ({MORNING: 20, AFTERNOON: 20, EVENING: 20}, (EVENING, MORNING, 12.0)),
    "morning and evening": ({MORNING: 10, EVENING: 10}, (EVENING, MORNING, 12.0)),
    "late night": ({time(7): 5, time(13): 5, time(23, 30): 5}, (time(13), time(23, 30), 10.5)),
    "evening only": ({EVENING: 5}, (EVENING, EVENING, 24.0)),
}


@pytest.mark.parametrize(("pattern", "expected"), GAPS.values(), ids=GAPS.keys())
def test_the_longest_gap_wraps_past_midnight(pattern: dict, expected: tuple) -> None:
    assert longest_gap(list(doses(pattern))) == expected


@pytest.mark.hazard("HZ-064")
def test_the_level_at_the_end_of_the_longest_gap_matches_the_curve(diarist_plan: Plan) -> None:
    view = run_pk(diarist_plan, PkParameters(CHEVILLARD))
    for step in view.steps:
        gap = step.longest_gap
        assert gap is not None and step.end_date is not None
        day = (step.end_date - diarist_plan.start_date).days  # 4 days in: steady state
        hour = 24 * day + gap.before.hour + gap.before.minute / 60
        on_curve = view.typical_ng_ml[round(hour * 12)]
        assert gap.end_ng_ml == pytest.approx(on_curve, rel=1e-3)
        assert gap.end_ng_ml >= step.trough_ng_ml


def test_with_three_even_doses_the_overnight_gap_ends_at_the_trough(diarist_plan: Plan) -> None:
    baseline = run_pk(diarist_plan, PkParameters(CHEVILLARD)).baseline
    assert baseline is not None and baseline.longest_gap is not None
    assert baseline.longest_gap.hours == 12.0
    assert baseline.longest_gap.end_ng_ml == pytest.approx(baseline.trough_ng_ml)


def test_the_mean_falls_by_exactly_the_dose_cut(diarist_plan: Plan) -> None:
    view = run_pk(diarist_plan, PkParameters(CHEVILLARD))
    for step, planned in zip(view.steps, diarist_plan.steps, strict=True):
        assert planned.change_percent is not None
        assert step.mean_change_percent == pytest.approx(float(planned.change_percent), abs=1e-3)


def test_cutting_the_afternoon_dose_moves_the_trough_less_than_the_mean(
    diarist_plan: Plan,
) -> None:
    first = run_pk(diarist_plan, PkParameters(CHEVILLARD)).steps[0]
    assert first.trough_change_percent is not None and first.mean_change_percent is not None
    assert -first.trough_change_percent < -first.mean_change_percent


def test_the_first_step_is_compared_with_the_baseline(diarist_plan: Plan) -> None:
    view = run_pk(diarist_plan, PkParameters(CHEVILLARD))
    assert view.baseline is not None and view.baseline.daily_mg == 60
    assert view.steps[0].peak_change_percent == pytest.approx(
        percent_change(view.steps[0].peak_ng_ml, view.baseline.peak_ng_ml)
    )


def test_a_plan_from_nothing_has_no_change_for_its_first_step() -> None:
    plan = build_plan({}, [(3, {EVENING: 5}), (3, {MORNING: 5, EVENING: 5})], stop=False)
    view = run_pk(plan, PkParameters(CHEVILLARD))
    assert view.baseline is None and view.steps[0].trough_change_percent is None
    assert view.steps[1].mean_change_percent == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("now", "before", "change"), [(50, 100, -50.0), (3, 2, 50.0), (1, 0, None)]
)
def test_percent_change(now: float, before: float, change: float | None) -> None:
    assert percent_change(now, before) == change


def test_a_titration_from_zero_doses_has_no_baseline_row() -> None:
    plan = replace(build_plan({}, [(3, {EVENING: 5})], stop=False), baseline=(dose(EVENING, 0),))
    view = run_pk(plan, PkParameters(CHEVILLARD))
    assert view.baseline is None and view.typical_ng_ml[0] == 0.0
