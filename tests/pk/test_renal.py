"""Kidney function: a lower creatinine clearance never lowers the modelled exposure."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taper.core.pk.renal import RenalScaling, for_kidney_function
from taper.core.pk.steps import steady_state
from taper.core.pk.variability import typical_patient

from .conftest import CHEVILLARD, EVENING, IMBERT, MORNING, RENAL, doses

crcl = st.floats(min_value=0, max_value=250, allow_nan=False)


@pytest.mark.hazard("HZ-063")
@given(lower=crcl, higher=crcl)
def test_a_lower_crcl_never_lowers_exposure(lower: float, higher: float) -> None:
    lower, higher = sorted((lower, higher))
    regimen = doses({MORNING: 10, EVENING: 10})
    worse = steady_state(typical_patient(for_kidney_function(IMBERT, RENAL, lower)), regimen)
    better = steady_state(typical_patient(for_kidney_function(IMBERT, RENAL, higher)), regimen)
    assert worse.mean[0] >= better.mean[0] * (1 - 1e-12)
    assert worse.trough[0] >= better.trough[0] * (1 - 1e-12)


@pytest.mark.parametrize(
    ("crcl_ml_min", "factor"),
    [(100, 1.0), (140, 1.0), (65, 0.755), (40, 0.58), (15, 0.405), (0, 0.3)],
    ids=["reference", "above reference", "mild", "moderate", "severe", "none"],
)
def test_clearance_keeps_the_non_renal_part(crcl_ml_min: float, factor: float) -> None:
    assert RENAL.clearance_factor(crcl_ml_min) == pytest.approx(factor)


@pytest.mark.hazard("HZ-063")
def test_exposure_rises_as_clearance_falls() -> None:
    regimen = doses({MORNING: 10, EVENING: 10})
    means = [
        steady_state(typical_patient(for_kidney_function(CHEVILLARD, RENAL, c)), regimen).mean[0]
        for c in (100, 65, 40, 15)
    ]
    assert means == sorted(means) and means[-1] / means[0] == pytest.approx(1 / 0.405, rel=1e-4)


def test_no_crcl_leaves_the_model_as_published() -> None:
    assert for_kidney_function(CHEVILLARD, None, None) is CHEVILLARD


def test_a_crcl_without_renal_data_is_refused() -> None:
    with pytest.raises(ValueError, match="renal"):
        for_kidney_function(CHEVILLARD, None, 50.0)


@pytest.mark.parametrize("bad", [-1.0, float("nan")])
def test_a_negative_crcl_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="creatinine clearance"):
        RenalScaling(0.7, 100.0).clearance_factor(bad)
