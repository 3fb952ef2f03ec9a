"""The whole-plan curve: the fast engine against plain superposition, linearity, steady state."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from fractions import Fraction

import numpy as np
import pytest

from taper.core.pk.curve import Patients, concentration_chunks, grid_hours
from taper.core.pk.model import PkModel, concentration_ng_ml
from taper.core.pk.schedule import clock_hours, dose_schedule
from taper.core.pk.steps import steady_state
from taper.core.pk.variability import sample_patients, typical_patient
from taper.core.pk.view import PkParameters, run_pk
from taper.core.plan import Plan

from .conftest import CHEVILLARD, IMBERT, build_plan, diarist_pattern, dose


def every_dose(plan: Plan, baseline_days: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """Each dose's hour and mg, with the baseline taken for `baseline_days` before day 0."""
    times, mg = [], []
    for back in range(baseline_days, 0, -1):
        for d in plan.baseline:
            times.append(-24.0 * back + clock_hours(d.time))
            mg.append(float(d.mg))
    for day, step in plan.days():
        for d in step.doses:
            times.append(24.0 * (day - plan.start_date).days + clock_hours(d.time))
            mg.append(float(d.mg))
    return np.array(times), np.array(mg)


def engine(model: PkModel, plan: Plan, minutes: int = 5) -> np.ndarray:
    chunks = concentration_chunks(typical_patient(model), dose_schedule(plan), minutes)
    return np.concatenate([c[:, 0] for c in chunks])


@pytest.mark.hazard("HZ-065")
@pytest.mark.parametrize("model", [CHEVILLARD, IMBERT], ids=lambda m: m.id)
def test_the_fast_curve_equals_plain_superposition(model: PkModel, diarist_plan: Plan) -> None:
    schedule = dose_schedule(diarist_plan)
    hours = grid_hours(schedule, 5)
    expected = concentration_ng_ml(model, *every_dose(diarist_plan), hours)
    np.testing.assert_allclose(engine(model, diarist_plan), expected, rtol=1e-9, atol=1e-9)


@pytest.mark.hazard("HZ-065")
def test_the_fast_curve_is_exact_for_each_virtual_patient(diarist_plan: Plan) -> None:
    cohort = sample_patients(IMBERT, 5, np.random.default_rng(7))
    schedule = dose_schedule(diarist_plan)
    fast = np.concatenate(list(concentration_chunks(cohort, schedule, 15))).T
    for p in range(cohort.count):
        one = PkModel("p", cohort.ka_per_h[p], cohort.cl_l_per_h[p], cohort.v_l[p])
        slow = concentration_ng_ml(
            one, *every_dose(diarist_plan, 60), grid_hours(schedule, 15)
        )
        np.testing.assert_allclose(fast[p], slow, rtol=1e-7, atol=1e-7)


def test_doses_off_the_grid_are_placed_at_their_clock_time() -> None:
    from datetime import time

    plan = build_plan({}, [(3, {time(7, 3): 10, time(21, 58): 10})])
    hours = grid_hours(dose_schedule(plan), 5)
    expected = concentration_ng_ml(CHEVILLARD, *every_dose(plan), hours)
    np.testing.assert_allclose(engine(CHEVILLARD, plan), expected, rtol=1e-9, atol=1e-9)


def test_doubling_every_dose_doubles_every_concentration(diarist_plan: Plan) -> None:
    doubled = replace(
        diarist_plan,
        baseline=tuple(dose(d.time, d.mg * 2) for d in diarist_plan.baseline),
        steps=tuple(
            replace(s, doses=tuple(dose(d.time, d.mg * 2) for d in s.doses))
            for s in diarist_plan.steps
        ),
    )
    np.testing.assert_allclose(
        engine(IMBERT, doubled), 2 * engine(IMBERT, diarist_plan), rtol=1e-12
    )
    single = run_pk(diarist_plan, PkParameters(IMBERT))
    double = run_pk(doubled, PkParameters(IMBERT))
    for a, b in zip(single.steps, double.steps, strict=True):
        assert b.trough_ng_ml == pytest.approx(2 * a.trough_ng_ml)
        assert b.peak_ng_ml == pytest.approx(2 * a.peak_ng_ml)


def test_the_plan_starts_at_the_baseline_steady_state(diarist_plan: Plan) -> None:
    view = run_pk(diarist_plan, PkParameters(CHEVILLARD))
    first_morning = 8 * 12  # 08:00 on day 0 at 5-minute resolution
    assert view.baseline is not None
    assert view.typical_ng_ml[first_morning] == pytest.approx(view.baseline.trough_ng_ml)


def test_a_long_step_settles_on_its_steady_state() -> None:
    pattern = diarist_pattern(40)
    plan = build_plan(diarist_pattern(60), [(10, pattern)])
    curve = engine(CHEVILLARD, plan, 1)
    last_day = curve[9 * 1440 : 10 * 1440]
    ss = steady_state(typical_patient(CHEVILLARD), plan.steps[0].doses)
    assert ss.hours.size == 1441  # the dose times are whole minutes: one point per minute
    np.testing.assert_allclose(last_day, ss.ng_ml[0, :1440], rtol=1e-6)


def test_the_day_after_a_cut_lies_between_the_two_steady_states() -> None:
    plan = build_plan(diarist_pattern(60), [(10, diarist_pattern(30))])
    model = PkModel("slow", 1.0, 3.0, 90.0)  # half-life about 21 h, so the approach shows
    first_day = engine(model, plan, 60)[9:24]  # from the first changed dose (08:00) on
    before = steady_state(typical_patient(model), plan.baseline).ng_ml[0]
    after = steady_state(typical_patient(model), plan.steps[0].doses).ng_ml[0]
    hourly = slice(9 * 60, 1440, 60)
    assert np.all(first_day < before[hourly]) and np.all(first_day > after[hourly])


def test_after_the_stop_the_level_falls_towards_zero(diarist_plan: Plan) -> None:
    view = run_pk(diarist_plan, PkParameters(CHEVILLARD))
    assert diarist_plan.stop_date is not None
    stop_hour = 24 * (diarist_plan.stop_date - diarist_plan.start_date).days
    after = view.typical_ng_ml[view.hours >= stop_hour]
    assert np.all(np.diff(after) <= 0) and after[-1] < 0.05
    assert view.hours[-1] == pytest.approx(stop_hour + 48 - 5 / 60)


def test_steps_start_where_the_plan_says(diarist_plan: Plan) -> None:
    view = run_pk(diarist_plan, PkParameters(CHEVILLARD))
    assert view.step_start_hours[1] == 24 * 5
    assert diarist_plan.steps[1].start_date == diarist_plan.start_date + timedelta(days=5)


def test_exact_doses_stay_exact_in_the_result(diarist_plan: Plan) -> None:
    view = run_pk(diarist_plan, PkParameters(CHEVILLARD))
    assert [s.daily_mg for s in view.steps] == [Fraction(mg) for mg in range(55, 0, -5)]
    assert all(isinstance(s.daily_mg, Fraction) for s in view.steps)


def test_many_patients_share_one_grid(diarist_plan: Plan) -> None:
    cohort = Patients(np.array([2.23, 2.23]), np.array([8.0, 16.0]), np.array([44.5, 44.5]))
    chunks = list(concentration_chunks(cohort, dose_schedule(diarist_plan), 30))
    curve = np.concatenate(chunks).T
    assert curve.shape == (2, 48 * dose_schedule(diarist_plan).days)
    assert curve[1].mean() == pytest.approx(curve[0].mean() / 2, rel=0.02)
