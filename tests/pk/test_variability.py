"""The band: seeded, reproducible, around the typical patient."""

from __future__ import annotations

import math

import numpy as np
import pytest

from taper.core.pk.curve import concentration_chunks
from taper.core.pk.schedule import dose_schedule
from taper.core.pk.variability import band_of, log_sd, sample_patients
from taper.core.pk.view import PkParameters, run_pk
from taper.core.plan import Plan

from .conftest import CHEVILLARD, IMBERT


@pytest.mark.hazard("HZ-066")
def test_the_same_seed_gives_the_same_band(diarist_plan: Plan) -> None:
    params = PkParameters(IMBERT)
    one = run_pk(diarist_plan, params, rng=np.random.default_rng(42), patients=200)
    two = run_pk(diarist_plan, params, rng=np.random.default_rng(42), patients=200)
    assert one.band is not None and two.band is not None
    np.testing.assert_array_equal(one.band.low, two.band.low)
    np.testing.assert_array_equal(one.band.high, two.band.high)
    assert one.steps[3].trough_band == two.steps[3].trough_band


def test_another_seed_gives_another_band(diarist_plan: Plan) -> None:
    params = PkParameters(IMBERT)
    one = run_pk(diarist_plan, params, rng=np.random.default_rng(1), patients=200)
    two = run_pk(diarist_plan, params, rng=np.random.default_rng(2), patients=200)
    assert one.band is not None and two.band is not None
    assert not np.array_equal(one.band.high, two.band.high)


def test_the_band_surrounds_the_typical_steady_state(diarist_plan: Plan) -> None:
    view = run_pk(diarist_plan, PkParameters(CHEVILLARD), rng=np.random.default_rng(3))
    for step in view.steps:
        assert step.mean_band is not None
        assert step.mean_band[0] < step.mean_ng_ml < step.mean_band[1]


def test_no_generator_means_no_band(diarist_plan: Plan) -> None:
    view = run_pk(diarist_plan, PkParameters(CHEVILLARD))
    assert view.band is None and view.patients == 0 and view.steps[0].trough_band is None


@pytest.mark.parametrize(("cv", "omega"), [(0, 0.0), (27, 0.2652), (86, 0.7441)])
def test_cv_becomes_a_log_normal_sd(cv: float, omega: float) -> None:
    assert log_sd(cv) == pytest.approx(omega, abs=1e-4)


def test_sampled_parameters_have_the_published_median_and_spread() -> None:
    cohort = sample_patients(IMBERT, 20_000, np.random.default_rng(0))
    assert np.median(cohort.cl_l_per_h) == pytest.approx(11.6, rel=0.02)
    cv = math.sqrt(math.exp(np.log(cohort.ka_per_h).std() ** 2) - 1)
    assert cv == pytest.approx(0.44, abs=0.02)


def test_zero_variability_gives_the_typical_patient() -> None:
    cohort = sample_patients(
        CHEVILLARD.with_clearance(8.0), 3, np.random.default_rng(0)
    )
    np.testing.assert_allclose(cohort.ka_per_h, 2.23)  # Chevillard reports no BSV on ka


@pytest.mark.parametrize("count", [1, 2, 20, 1000])
def test_the_band_matches_numpys_percentile(count: int) -> None:
    values = np.random.default_rng(count).lognormal(size=(7, count))
    band = band_of(values)
    low, high = np.percentile(values, [5, 95], axis=-1)
    np.testing.assert_allclose(band.low, low, rtol=1e-12)
    np.testing.assert_allclose(band.high, high, rtol=1e-12)


def test_a_float32_band_agrees_with_float64(diarist_plan: Plan) -> None:
    cohort = sample_patients(CHEVILLARD, 300, np.random.default_rng(5))
    schedule = dose_schedule(diarist_plan)
    wide, narrow = (
        np.concatenate([band_of(c).high for c in chunks])
        for chunks in (
            concentration_chunks(cohort, schedule, 30, dtype=np.float64),
            concentration_chunks(cohort, schedule, 30, dtype=np.float32),
        )
    )
    np.testing.assert_allclose(narrow, wide, rtol=1e-4, atol=1e-3)
