"""Kidney function: the renally cleared part of clearance scales with creatinine clearance.

Baclofen leaves mostly unchanged in urine (about 70 %), and its renal clearance follows
creatinine clearance (SPEC, pharmacokinetics; Wuis 1989). So, as in Dettli's method,

    CL(CrCl) = CL · ((1 − f) + f · min(CrCl / CrCl_ref, 1))

with f the renal fraction and CrCl_ref the clearance of the average adult the published
model describes. Both come from the drug's data with their sources (the reference is a
project policy: the published models do not report one). A CrCl above the reference is
treated as the reference: the model must not predict a lower level than the average adult
on the strength of an extrapolation (understating exposure is the harmful direction).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from taper.core.pk.model import PkModel


@dataclass(frozen=True, slots=True)
class RenalScaling:
    """The renally cleared fraction and the creatinine clearance it is relative to."""

    renal_fraction: float
    reference_crcl_ml_min: float

    def __post_init__(self) -> None:
        if not 0 <= self.renal_fraction <= 1:
            raise ValueError("renal_fraction must be between 0 and 1")
        if not (math.isfinite(self.reference_crcl_ml_min) and self.reference_crcl_ml_min > 0):
            raise ValueError("reference_crcl_ml_min must be positive")

    def clearance_factor(self, crcl_ml_min: float | None) -> float:
        """CL(CrCl) / CL: 1 at or above the reference, 1 − f with no kidney function."""
        if crcl_ml_min is None:
            return 1.0
        if not (math.isfinite(crcl_ml_min) and crcl_ml_min >= 0):
            raise ValueError("creatinine clearance must be a non-negative number (mL/min)")
        relative = min(crcl_ml_min / self.reference_crcl_ml_min, 1.0)
        return (1 - self.renal_fraction) + self.renal_fraction * relative


def for_kidney_function(
    model: PkModel, renal: RenalScaling | None, crcl_ml_min: float | None
) -> PkModel:
    """The model with its clearance scaled to a creatinine clearance (None: unchanged)."""
    if crcl_ml_min is None:
        return model
    if renal is None:
        raise ValueError("this drug's data gives no renal scaling")
    return model.with_clearance(model.cl_l_per_h * renal.clearance_factor(crcl_ml_min))
