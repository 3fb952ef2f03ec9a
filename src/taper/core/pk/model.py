"""One-compartment oral model: first-order absorption and elimination, doses superposed.

C(t) = D·ka / (V·(ka − ke)) · (e^(−ke·t) − e^(−ka·t)) for one dose D given at t = 0, with
the apparent CL/F and V/F the published population models report (bioavailability is
folded into them, so F never appears). Amounts in mg, volumes in L: mg/L × 1000 = ng/mL.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]

NG_ML_PER_MG_L = 1000.0
# ka = ke makes the formula 0/0. Sampled patients can land there; nudging ka by a relative
# 1e-6 keeps the limit's value to about six digits instead of dividing by zero.
_SAME_RATE = 1e-6


@dataclass(frozen=True, slots=True)
class Variability:
    """Between-subject variability as published: coefficients of variation in percent."""

    ka_percent: float = 0.0
    cl_percent: float = 0.0
    v_percent: float = 0.0


@dataclass(frozen=True, slots=True)
class PkModel:
    """A published population model: typical apparent parameters and their variability."""

    id: str
    ka_per_h: float
    cl_l_per_h: float  # CL/F, as published
    v_l: float  # V/F, as published
    variability: Variability = Variability()
    source: str = ""
    title: str = ""

    def __post_init__(self) -> None:
        for name in ("ka_per_h", "cl_l_per_h", "v_l"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a positive number, got {value}")

    @property
    def ke_per_h(self) -> float:
        return self.cl_l_per_h / self.v_l

    @property
    def half_life_h(self) -> float:
        return math.log(2) * self.v_l / self.cl_l_per_h

    @property
    def tmax_h(self) -> float:
        """Time of the peak after a single dose: ln(ka/ke)/(ka − ke)."""
        ka, ke = self.ka_per_h, self.ke_per_h
        if abs(ka - ke) <= _SAME_RATE * ka:
            return 1 / ka
        return math.log(ka / ke) / (ka - ke)

    def with_clearance(self, cl_l_per_h: float) -> PkModel:
        """The same model with another clearance (kidney function)."""
        return PkModel(
            self.id, self.ka_per_h, cl_l_per_h, self.v_l, self.variability, self.source,
            self.title,
        )


def separated_ka(ka: Floats, ke: Floats) -> Floats:
    """ka, moved off ke where they (nearly) coincide: see _SAME_RATE."""
    close = np.abs(ka - ke) <= _SAME_RATE * ka
    return np.where(close, ka * (1 + 2 * _SAME_RATE), ka)


def concentration_ng_ml(
    model: PkModel, dose_times_h: Floats, dose_mg: Floats, times_h: Floats
) -> Floats:
    """The concentration at each time: every dose superposed, one at a time (the reference)."""
    ke = np.array([model.ke_per_h])
    ka = separated_ka(np.array([model.ka_per_h]), ke)
    scale = NG_ML_PER_MG_L * ka[0] / (model.v_l * (ka[0] - ke[0]))
    out = np.zeros_like(times_h, dtype=np.float64)
    for t_dose, mg in zip(dose_times_h, dose_mg, strict=True):
        if mg == 0:
            continue
        start = int(np.searchsorted(times_h, t_dose, side="left"))
        dt = times_h[start:] - t_dose
        out[start:] += mg * scale * (np.exp(-ke[0] * dt) - np.exp(-ka[0] * dt))
    return out
