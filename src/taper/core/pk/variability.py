"""Between-subject variability: virtual patients drawn log-normally around the typical one.

Published coefficients of variation (CV, %) become the standard deviation of log(θ) by
ω² = ln(1 + CV²), exact for a log-normal; each parameter varies independently (the
papers report no correlations we could use). The caller passes a seeded Generator: the
core never makes its own randomness, so the same seed always gives the same band.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from taper.core.pk.curve import Patients
from taper.core.pk.model import Floats, PkModel

BAND_PERCENTILES = (5.0, 95.0)


def log_sd(cv_percent: float) -> float:
    """ω for a log-normal parameter with this coefficient of variation."""
    cv = cv_percent / 100
    return float(np.sqrt(np.log1p(cv * cv)))


def typical_patient(model: PkModel) -> Patients:
    def one(x: float) -> Floats:
        return np.array([x], dtype=np.float64)

    return Patients(one(model.ka_per_h), one(model.cl_l_per_h), one(model.v_l))


def sample_patients(model: PkModel, count: int, rng: np.random.Generator) -> Patients:
    """`count` virtual patients; the typical values are the medians."""
    if count < 1:
        raise ValueError("count must be at least 1")
    bsv = model.variability

    def draw(typical: float, cv_percent: float) -> Floats:
        eta = rng.standard_normal(count) * log_sd(cv_percent)
        return typical * np.exp(eta)

    # Always draw all three, in a fixed order, so one parameter's CV never shifts another's.
    return Patients(
        draw(model.ka_per_h, bsv.ka_percent),
        draw(model.cl_l_per_h, bsv.cl_percent),
        draw(model.v_l, bsv.v_percent),
    )


@dataclass(frozen=True, slots=True)
class Band:
    """The 5th and 95th percentile across virtual patients at each point."""

    low: Floats
    high: Floats


def band_of(values: Floats) -> Band:
    """Percentiles across patients (axis 0) of a (P, points) array."""
    low, high = np.percentile(values, BAND_PERCENTILES, axis=0)
    return Band(np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64))
