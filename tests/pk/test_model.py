"""The model against its closed forms (issue 7, analytic checks)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from taper.core.pk.curve import Patients
from taper.core.pk.model import PkModel, concentration_ng_ml
from taper.core.pk.steps import steady_state
from taper.core.pk.variability import typical_patient

from .conftest import AFTERNOON, CHEVILLARD, EVENING, IMBERT, MORNING, doses

MODELS = pytest.mark.parametrize("model", [CHEVILLARD, IMBERT], ids=lambda m: m.id)


REGIMENS = {
    "5 mg at night": {EVENING: 5},
    "diarist 60 mg": {MORNING: 20, AFTERNOON: 20, EVENING: 20},
    "uneven 35 mg": {MORNING: 10, AFTERNOON: 5, EVENING: 20},
    "quarter tablets 7.5 mg": {MORNING: Fraction(5, 2), EVENING: 5},
}


@pytest.mark.hazard("HZ-061")
@MODELS
@pytest.mark.parametrize("pattern", REGIMENS.values(), ids=REGIMENS.keys())
def test_steady_state_mean_is_daily_dose_over_clearance(model: PkModel, pattern: dict) -> None:
    daily_mg = float(sum(pattern.values()))
    ss = steady_state(typical_patient(model), doses(pattern))
    assert ss.mean[0] == pytest.approx(daily_mg / (model.cl_l_per_h * 24) * 1000, rel=1e-4)


@MODELS
def test_steady_state_mean_of_the_diarist_start(model: PkModel) -> None:
    ss = steady_state(typical_patient(model), doses({MORNING: 20, AFTERNOON: 20, EVENING: 20}))
    assert ss.mean[0] == pytest.approx(60 / (model.cl_l_per_h * 24) * 1000, rel=1e-4)


@pytest.mark.parametrize(
    ("model", "half_life_h"), [(CHEVILLARD, 3.856), (IMBERT, 4.350)], ids=["chevillard", "imbert"]
)
def test_half_life_is_ln2_v_over_cl(model: PkModel, half_life_h: float) -> None:
    assert model.half_life_h == pytest.approx(half_life_h, abs=1e-3)


@MODELS
def test_half_life_shows_in_the_curve(model: PkModel) -> None:
    late = np.array([48.0, 48.0 + model.half_life_h])
    c = concentration_ng_ml(model, np.array([0.0]), np.array([10.0]), late)
    assert c[1] / c[0] == pytest.approx(0.5, rel=1e-6)


@MODELS
def test_single_dose_peaks_at_the_analytic_tmax(model: PkModel) -> None:
    ka, ke = model.ka_per_h, model.ke_per_h
    times = np.arange(0, 12, 1 / 3600)
    c = concentration_ng_ml(model, np.array([0.0]), np.array([20.0]), times)
    assert times[np.argmax(c)] == pytest.approx(math.log(ka / ke) / (ka - ke), abs=1 / 3600)
    assert model.tmax_h == pytest.approx(math.log(ka / ke) / (ka - ke))


@MODELS
def test_two_half_doses_equal_one_full_dose(model: PkModel) -> None:
    times = np.linspace(0, 48, 2000)
    halves = concentration_ng_ml(model, np.array([6.0, 6.0]), np.array([10.0, 10.0]), times)
    full = concentration_ng_ml(model, np.array([6.0]), np.array([20.0]), times)
    np.testing.assert_allclose(halves, full, rtol=1e-12, atol=1e-12)


@MODELS
def test_a_dose_later_is_the_same_curve_shifted(model: PkModel) -> None:
    times = np.linspace(0, 48, 4801)
    early = concentration_ng_ml(model, np.array([0.0]), np.array([20.0]), times)
    late = concentration_ng_ml(model, np.array([6.0]), np.array([20.0]), times)
    np.testing.assert_allclose(late[600:], early[:-600], rtol=1e-9, atol=1e-9)
    assert not late[:600].any()


def test_equal_absorption_and_elimination_rates_stay_finite() -> None:
    model = PkModel("same-rates", ka_per_h=0.2, cl_l_per_h=10.0, v_l=50.0)
    c = concentration_ng_ml(model, np.array([0.0]), np.array([10.0]), np.array([5.0]))
    # the limit: D·k·t·e^(−kt)/V in mg/L
    assert c[0] == pytest.approx(10 * 0.2 * 5 * math.exp(-1) / 50 * 1000, rel=1e-4)


def test_steady_state_is_reached_by_many_patients_at_once() -> None:
    cohort = Patients(np.array([2.23, 1.64]), np.array([8.0, 11.6]), np.array([44.5, 72.8]))
    ss = steady_state(cohort, doses({MORNING: 10, EVENING: 10}))
    np.testing.assert_allclose(ss.mean, [20 / 8.0 / 24 * 1000, 20 / 11.6 / 24 * 1000], rtol=1e-4)


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
def test_a_parameter_must_be_positive(bad: float) -> None:
    with pytest.raises(ValueError, match="cl_l_per_h"):
        PkModel("bad", 1.0, bad, 10.0)


@MODELS
def test_a_five_minute_steady_state_grid_keeps_the_peak_within_half_a_percent(
    model: PkModel,
) -> None:
    regimen = doses({MORNING: 20, AFTERNOON: 20, EVENING: 20})
    fine = steady_state(typical_patient(model), regimen)
    coarse = steady_state(typical_patient(model), regimen, minutes=5)
    assert coarse.peak[0] == pytest.approx(fine.peak[0], rel=5e-3)
    assert coarse.trough[0] == fine.trough[0]
