"""Invariants of every plan, over random regimens, products and strategies (Hypothesis)."""

from __future__ import annotations

from datetime import date, time, timedelta
from fractions import Fraction as F
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taper.core.plan import Plan
from taper.core.planner import PlanError, make_plan
from taper.core.products import Liquid, Solid
from taper.core.regimen import DoseTime, Regimen
from taper.core.request import PlanRequest
from taper.core.strategies import FixedMgStrategy, PercentStrategy, StepsStrategy
from taper.knowledge import load_drug

BACLOFEN = load_drug("baclofen")

solids = st.builds(
    lambda i, mg, d: Solid(f"s{i}", F(mg), d),
    st.integers(0, 3), st.sampled_from([5, 10, 15, 20, 25]), st.sampled_from([1, 2, 4]),
)
liquids = st.builds(
    lambda c, step, lo: Liquid("liq", F(c), F(step, 10), F(step * lo, 10)),
    st.sampled_from([1, 2, 5]), st.sampled_from([1, 5, 10]), st.integers(1, 5),
)
product_sets = st.tuples(st.lists(solids, min_size=1, max_size=3, unique_by=lambda p: p.id),
                         st.lists(liquids, max_size=1)).map(lambda t: tuple(t[0] + t[1]))
times = st.lists(st.integers(6, 22), min_size=1, max_size=4, unique=True).map(
    lambda hs: tuple(time(h) for h in sorted(hs)))
tapers = st.one_of(
    st.builds(FixedMgStrategy, st.sampled_from([F(5, 2), F(5), F(10)]), st.integers(1, 14)),
    st.builds(PercentStrategy, st.sampled_from([F(5), F(10), F(25)]), st.integers(1, 14),
              st.sampled_from([F(0), F(1), F(5, 2), F(5)])),
    st.builds(StepsStrategy, st.just((F(45), F(30), F(20), F(10), F(5), F(0))), st.just(7)),
)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    products = draw(product_sets)
    clock = draw(times)
    per_dose = draw(st.sampled_from([5, 10, 15, 20]))
    request = PlanRequest(
        drug=BACLOFEN,
        regimen=Regimen(tuple(DoseTime(t, F(per_dose)) for t in clock), date(2027, 3, 1),
                        "America/New_York"),
        products=products,
        strategy=draw(tapers),
    )
    try:
        return make_plan(request)
    except PlanError as exc:
        # Only the documented refusals are allowed: products that cannot reach a safe stop,
        # or an explicit list that is not below the current dose or stops from too high.
        assert exc.field == "products" or exc.field.startswith("strategy.daily_mg["), exc
        return draw(st.nothing())


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


@pytest.mark.hazard("HZ-001")
@PROPERTY
@given(plans())
def test_every_instruction_adds_up(plan: Plan) -> None:
    for step in plan.steps:
        assert sum(d.mg for d in step.doses) == step.daily_mg
        for dose in step.doses:
            assert dose.composition.mg == dose.mg > 0


@pytest.mark.hazard("HZ-002")
@PROPERTY
@given(plans())
def test_every_piece_can_be_made(plan: Plan) -> None:
    for step in plan.steps:
        for dose in step.doses:
            for piece in dose.composition.pieces:
                product = plan.product(piece.product_id)
                if isinstance(product, Liquid):
                    assert product.measurable(piece.units)
                else:
                    assert (piece.units * product.divisible_into).denominator == 1
                    assert piece.mg == piece.units * product.strength_mg


@pytest.mark.hazard("HZ-005")
@PROPERTY
@given(plans())
def test_doses_only_fall_and_stop_only_from_a_low_dose(plan: Plan) -> None:
    previous = sum(d.mg for d in plan.baseline)
    for step in plan.steps:
        assert step.daily_mg < previous
        previous = step.daily_mg
    if plan.stop_date is not None:
        assert previous <= BACLOFEN.final_step_max_daily.mg


@pytest.mark.hazard("HZ-003")
@PROPERTY
@given(plans())
def test_dates_are_contiguous_calendar_days(plan: Plan) -> None:
    day = plan.start_date
    for step in plan.steps:
        assert step.start_date == day and step.end_date >= step.start_date
        day = step.end_date + timedelta(days=1)
    if plan.stop_date is not None:
        assert plan.stop_date == day


@PROPERTY
@given(plans())
def test_supply_covers_every_dose(plan: Plan) -> None:
    needed: dict[str, F] = {}
    for _day, step in plan.days():
        for dose in step.doses:
            for piece in dose.composition.pieces:
                needed[piece.product_id] = needed.get(piece.product_id, F(0)) + piece.units
    supplied = {s.product_id: s.units for s in plan.supply}
    assert set(needed) == set(supplied)
    for pid, units in needed.items():
        assert units <= supplied[pid] < units + 1


@pytest.mark.hazard("HZ-003")
def test_dose_times_stay_on_the_wall_clock_across_a_daylight_saving_change() -> None:
    from tests.core.planning import plan

    p = plan({"08:00": 20, "14:00": 20, "20:00": 20}, (Solid("tab20", F(20), 4),),
             FixedMgStrategy(F(5), 5), start=date(2027, 3, 10))
    zone = ZoneInfo(p.timezone)
    offsets = set()
    for day, step in p.days():
        for dose in step.doses:
            moment = datetime_at(day, dose.time, zone)
            assert (moment.hour, moment.minute) == (dose.time.hour, dose.time.minute)
            offsets.add(moment.utcoffset())
    assert len(offsets) == 2  # the plan really crosses the change (14 March 2027)
    assert p.steps[0].end_date == date(2027, 3, 14)  # a 5-day step is 5 calendar days


def datetime_at(day: date, clock: time, zone: ZoneInfo):
    from datetime import datetime

    return datetime.combine(day, clock, tzinfo=zone)


@st.composite
def titrations(draw: st.DrawFn) -> tuple[Plan, F]:
    from taper.core.strategies import TitrateStrategy

    goal = F(draw(st.integers(5, 80)))
    request = PlanRequest(
        drug=BACLOFEN,
        regimen=Regimen(tuple(DoseTime(t, F(0)) for t in draw(times)), date(2027, 3, 1), "UTC"),
        products=draw(product_sets),
        strategy=TitrateStrategy(goal),
    )
    try:
        return make_plan(request), goal
    except PlanError as exc:
        assert exc.field == "products", exc
        return draw(st.nothing())


@pytest.mark.hazard("HZ-004")
@PROPERTY
@given(titrations())
def test_titration_rises_and_never_passes_the_goal(case: tuple[Plan, F]) -> None:
    plan, goal = case
    previous = F(0)
    for step in plan.steps:
        assert previous < step.daily_mg <= goal <= BACLOFEN.max_daily.mg
        assert sum(d.composition.mg for d in step.doses) == step.daily_mg
        previous = step.daily_mg
