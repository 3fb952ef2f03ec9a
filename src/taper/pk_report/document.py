"""The JSON document of a pharmacokinetic view. Doses stay exact strings; levels are floats."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from taper.core.amounts import decimal_str
from taper.core.pk.steps import StepExposure
from taper.core.pk.view import PkView

LEVEL_PLACES = 2  # ng/mL: a model's output, not a measurement; more digits would mislead


def _level(x: float | None) -> float | None:
    return None if x is None else round(x, LEVEL_PLACES)


def _percent(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


def _band(pair: tuple[float, float] | None) -> list[float | None] | None:
    return None if pair is None else [_level(pair[0]), _level(pair[1])]


def _day(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def step_document(step: StepExposure) -> dict[str, Any]:
    gap = step.longest_gap
    return {
        "step": step.index,
        "start_date": _day(step.start_date),
        "end_date": _day(step.end_date),
        "daily_mg": decimal_str(step.daily_mg),
        "trough_ng_ml": _level(step.trough_ng_ml),
        "peak_ng_ml": _level(step.peak_ng_ml),
        "mean_ng_ml": _level(step.mean_ng_ml),
        "trough_change_percent": _percent(step.trough_change_percent),
        "peak_change_percent": _percent(step.peak_change_percent),
        "mean_change_percent": _percent(step.mean_change_percent),
        "longest_gap": None
        if gap is None
        else {
            "after": gap.after.strftime("%H:%M"),
            "before": gap.before.strftime("%H:%M"),
            "hours": round(gap.hours, 2),
            "end_ng_ml": _level(gap.end_ng_ml),
        },
        "band_5_95": {
            "trough_ng_ml": _band(step.trough_band),
            "peak_ng_ml": _band(step.peak_band),
            "mean_ng_ml": _band(step.mean_band),
        },
    }


def _series(values: np.ndarray[Any, np.dtype[np.float64]]) -> list[float]:
    return [round(float(v), LEVEL_PLACES) for v in values]


def view_document(
    view: PkView, *, drug_id: str, timezone: str, seed: int | None
) -> dict[str, Any]:
    """The whole view as a JSON-ready dict (hours from `first_day` 00:00 local, 24 h days)."""
    model = view.model
    return {
        "disclaimer": view.disclaimer,
        "drug": drug_id,
        "model": {
            "id": model.id,
            "source": model.source,
            "ka_per_h": model.ka_per_h,
            "cl_l_per_h": round(model.cl_l_per_h, 4),
            "v_l": model.v_l,
            "half_life_h": round(model.half_life_h, 2),
        },
        "creatinine_clearance_ml_min": view.crcl_ml_min,
        "clearance_factor": round(view.clearance_factor, 4),
        "variability": {"patients": view.patients, "seed": seed, "percentiles": [5, 95]},
        "units": {"concentration": "ng/mL", "time": "hours"},
        "baseline": None if view.baseline is None else step_document(view.baseline),
        "steps": [step_document(s) for s in view.steps],
        "curve": {
            "first_day": view.first_day.isoformat(),
            "timezone": timezone,
            "hours_from": "local midnight of first_day, 24-hour days (daylight saving ignored)",
            "resolution_minutes": view.resolution_minutes,
            "step_start_hours": [float(h) for h in view.step_start_hours],
            "hours": [round(float(h), 4) for h in view.hours],
            "typical_ng_ml": _series(view.typical_ng_ml),
            "p05_ng_ml": None if view.band is None else _series(view.band.low),
            "p95_ng_ml": None if view.band is None else _series(view.band.high),
        },
    }
