"""Builders for planner tests: requests from short keyword arguments."""

from __future__ import annotations

from datetime import date, time
from fractions import Fraction as F

import pytest

from taper.core.plan import Plan
from taper.core.planner import PlanError, make_plan
from taper.core.products import Product
from taper.core.regimen import DoseTime, Regimen
from taper.core.request import MaxDoseOverride, PlanRequest
from taper.core.strategies import Strategy
from taper.knowledge import load_drug


def clock(text: str) -> time:
    return time.fromisoformat(text)


def request(
    doses: dict[str, int | str],
    products: tuple[Product, ...],
    strategy: Strategy,
    *,
    start: date = date(2026, 12, 1),
    order: tuple[str, ...] | None = None,
    override: tuple[str, str] | None = None,
    crcl: int | None = None,
    today: date | None = None,
    drug: str = "baclofen",
) -> PlanRequest:
    return PlanRequest(
        drug=load_drug(drug),
        regimen=Regimen(tuple(DoseTime(clock(t), F(mg)) for t, mg in doses.items()), start,
                        "America/New_York"),
        products=products,
        strategy=strategy,
        reduce_order=None if order is None else tuple(clock(t) for t in order),
        max_daily_override=None if override is None else MaxDoseOverride(F(override[0]),
                                                                          override[1]),
        creatinine_clearance_ml_min=None if crcl is None else F(crcl),
        today=today,
    )


def plan(*args: object, **kwargs: object) -> Plan:
    return make_plan(request(*args, **kwargs))  # type: ignore[arg-type]



def refusal(*args: object, **kwargs: object) -> tuple[str, str, object]:
    """The planner's refusal of `plan(...)`: its field, its words and the product it names
    (the message is always "field: words")."""
    with pytest.raises(PlanError) as caught:
        plan(*args, **kwargs)
    error = caught.value
    assert str(error) == f"{error.field}: {error.message}"
    return error.field, error.message, error.product

def doses_by_step(p: Plan) -> list[str]:
    """Each step as "08:00/14:00/20:00" amounts, "-" for a dropped dose time."""
    times = sorted(d.time for d in p.baseline)
    rows = []
    for step in p.steps:
        by_time = {d.time: d.mg for d in step.doses}
        rows.append("/".join(str(by_time[t]) if t in by_time else "-" for t in times))
    return rows
