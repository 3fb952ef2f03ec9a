"""Issue 13's rules against brute force on small product sets (Hypothesis).

The oracle here shares no code with the planner: it lists every amount the products can
make by trying every count of every product, and every daily total by adding those up.
"""

from __future__ import annotations

from datetime import date, time
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taper.core.composer import COSTS, compose_exhaustively
from taper.core.plan import Plan
from taper.core.planner import PlanError, make_plan
from taper.core.products import Liquid, Product, Solid
from taper.core.regimen import DoseTime, Regimen
from taper.core.request import PlanRequest
from taper.core.strategies import FixedMgStrategy, PercentStrategy, SlowerAtLowDoses, StepsStrategy
from taper.knowledge import load_drug

BACLOFEN = load_drug("baclofen")
LIMIT = BACLOFEN.final_step_max_daily.mg
PLAN_WIDE = {"label_maximum_overridden", "above_label_maximum", "renal_impairment",
             "start_in_past", "dose_times_unordered"}

# A first solid that can make 5 mg a day (so few cases are refused), then at most one more
# solid and one liquid: small enough to list every amount by brute force.
reaching = st.sampled_from([(5, 1), (10, 2), (20, 4)]).map(lambda t: Solid("s0", F(t[0]), t[1]))
small_solids = st.builds(lambda mg, d: Solid("s1", F(mg), d), st.sampled_from([5, 10, 20]),
                         st.sampled_from([1, 2, 4]))
small_liquids = st.builds(lambda c: Liquid("liq", F(c), F(1, 2), F(1)), st.sampled_from([1, 2]))
small_sets = st.tuples(reaching, st.lists(small_solids, max_size=1),
                       st.lists(small_liquids, max_size=1)).map(lambda t: (t[0], *t[1], *t[2]))
clocks = st.lists(st.sampled_from([8, 14, 20]), min_size=1, max_size=3, unique=True).map(
    lambda hs: tuple(time(h) for h in sorted(hs)))
paces = st.one_of(
    st.builds(FixedMgStrategy, st.sampled_from([F(1), F(5, 2), F(5), F(15, 2)]),
              st.integers(1, 7), st.one_of(st.none(), st.builds(
                  SlowerAtLowDoses, st.sampled_from([F(10), F(20)]), st.integers(8, 14)))),
    st.builds(PercentStrategy, st.sampled_from([F(5), F(10), F(20), F(30)]), st.integers(1, 7),
              st.sampled_from([F(0), F(1), F(5, 2)])),
)


def doses_makeable(products: tuple[Product, ...], limit: F) -> set[F]:
    """Every amount one dose can be, by trying every count of every product."""
    amounts = {F(0)}
    for p in products:
        if isinstance(p, Solid):
            part = p.strength_mg / p.divisible_into
            uses = [part * k for k in range(int(limit / part) + 1)]
        else:
            top = int(limit / p.mg_per_ml / p.measure_step_ml)
            uses = [F(0)] + [p.mg_per_ml * p.measure_step_ml * k for k in range(top + 1)
                             if p.measure_step_ml * k >= p.min_volume_ml]
        amounts = {a + u for a in amounts for u in uses if a + u <= limit}
    return amounts


def totals_makeable(per_dose: set[F], dose_times: int, limit: F) -> set[F]:
    totals = {F(0)}
    for _ in range(dose_times):
        totals = {a + b for a in totals for b in per_dose if a + b <= limit}
    return totals


@st.composite
def cases(draw: st.DrawFn, strategies: st.SearchStrategy) -> tuple[Plan, PlanRequest]:
    products = draw(small_sets)
    clock = draw(clocks)
    per_dose = F(draw(st.sampled_from([5, 10, 15, 20])))
    request = PlanRequest(
        drug=BACLOFEN,
        regimen=Regimen(tuple(DoseTime(t, per_dose) for t in clock), date(2027, 3, 1), "UTC"),
        products=products, strategy=draw(strategies), composition=draw(st.sampled_from(COSTS)))
    try:
        return make_plan(request), request
    except PlanError as exc:
        # Documented refusals: no safe stop reachable, a percent taper already at its final
        # dose, or a list whose first dose is not below the current one.
        assert exc.field in ("products", "strategy.final_mg") or (
            exc.field == "strategy.daily_mg[0]" and (
                "is not below" in exc.message or "stopping from" in exc.message)), exc
        return draw(st.nothing())


def oracle(request: PlanRequest) -> tuple[set[F], set[F]]:
    top = request.regimen.daily_mg
    per_dose = doses_makeable(request.products, top)
    return per_dose, totals_makeable(per_dose, len(request.regimen.doses), top)


PROPERTY = settings(max_examples=80, deadline=None)


def _on(plan: Plan, code: str, step: int) -> list:
    return [w for w in plan.warnings if w.code == code and w.step == step]


@pytest.mark.hazard("HZ-007")
@PROPERTY
@given(cases(paces))
def test_the_pace_is_a_ceiling(case: tuple[Plan, PlanRequest]) -> None:
    plan, request = case
    _, totals = oracle(request)
    prev = request.regimen.daily_mg
    for step in plan.steps:
        target, made = step.target_daily_mg, step.daily_mg
        between = {t for t in totals if target <= t < prev}
        if _on(plan, "cut_larger_than_requested", step.index):
            assert not between  # no gentler total existed
            assert made == max(t for t in totals if t < target)
        else:
            assert target <= made < prev
            assert made == min(between)  # no makeable total lies between target and made
        prev = made


@pytest.mark.hazard("HZ-008")
@PROPERTY
@given(st.data())
def test_explicit_lists_round_to_the_gentle_side_and_are_never_refused_for_merging(
    data: st.DataObject,
) -> None:
    products = data.draw(small_sets)
    clock = data.draw(clocks)
    current = F(10) * len(clock)
    halves = data.draw(st.lists(st.integers(1, int(current * 2) - 1), min_size=1, max_size=5,
                                unique=True))
    listed = tuple(F(h, 2) for h in sorted(halves, reverse=True))
    request = PlanRequest(BACLOFEN, Regimen(tuple(DoseTime(t, F(10)) for t in clock),
                                            date(2027, 3, 1), "UTC"),
                          products, StepsStrategy(listed, 7))
    try:
        plan = make_plan(request)
    except PlanError as exc:
        raise AssertionError(f"a valid list was refused: {exc}") from exc
    _, totals = oracle(request)
    assert len({s.daily_mg for s in plan.steps}) == len(plan.steps)  # equal steps merged
    if not any(w.details.get("about") == "stop" for w in plan.warnings):
        assert sum(s.days for s in plan.steps) == 7 * len(listed)  # every listed step's days
    for step in plan.steps:
        prev = step.previous_daily_mg
        gentle = {t for t in totals if step.target_daily_mg <= t < prev}
        expected = min(gentle) if gentle else max(t for t in totals if t < step.target_daily_mg)
        assert step.daily_mg == expected
        adjusted = _on(plan, "dose_adjusted", step.index)
        assert bool(adjusted) == (step.daily_mg != step.target_daily_mg)
        for w in adjusted:
            side = "higher" if step.daily_mg > step.target_daily_mg else "lower"
            assert w.details["side"] == side and f"nearest {side} dose" in w.message


def _no_rise_split(total: F, caps: list[F], per_dose: set[F]) -> bool:
    """True when some spread of `total` gives no dose time more than its cap."""
    sums = {F(0)}
    for cap in caps:
        sums = {s + a for s in sums for a in per_dose if a <= cap and s + a <= total}
    return total in sums


# Rises happen when a liquid's smallest measure is large and 0 is far from an even share:
# wider sets than above, four dose times at most.
rise_sets = st.tuples(
    reaching,
    st.lists(st.builds(lambda mg, d: Solid("s1", F(mg), d), st.sampled_from([10, 20, 25]),
                       st.sampled_from([1, 2, 4])), max_size=1),
    st.lists(st.builds(lambda c, lo: Liquid("liq", F(c), F(1, 2), F(lo, 2)),
                       st.sampled_from([1, 2, 5]), st.integers(2, 10)), max_size=1),
).map(lambda t: (t[0], *t[1], *t[2]))


@st.composite
def rise_cases(draw: st.DrawFn) -> tuple[Plan, PlanRequest]:
    clock = tuple(time(h) for h in sorted(draw(st.lists(st.sampled_from([6, 12, 16, 21]),
                                                        min_size=2, max_size=4, unique=True))))
    per_dose = F(draw(st.sampled_from([5, 10, 15])))
    request = PlanRequest(
        drug=BACLOFEN,
        regimen=Regimen(tuple(DoseTime(t, per_dose) for t in clock), date(2027, 3, 1), "UTC"),
        products=draw(rise_sets), strategy=draw(paces))
    try:
        return make_plan(request), request
    except PlanError as exc:
        assert exc.field in ("products", "strategy.final_mg"), exc
        return draw(st.nothing())


@pytest.mark.hazard("HZ-009")
@settings(max_examples=100, deadline=None)
@given(rise_cases())
def test_no_dose_time_rises_or_returns_unless_no_split_without_it_exists(
    case: tuple[Plan, PlanRequest],
) -> None:
    plan, request = case
    per_dose, _ = oracle(request)
    before = {d.time: d.mg for d in plan.baseline}
    for step in plan.steps:
        now = {d.time: d.mg for d in step.doses}
        risen = {t for t, amount in now.items() if amount > before.get(t, F(0))}
        named = {w.details["time"] for w in _on(plan, "dose_time_rises", step.index)}
        assert named == {f"{t:%H:%M}" for t in risen}
        if risen:
            caps = [before.get(t, F(0)) for t in before]
            assert not _no_rise_split(step.daily_mg, caps, per_dose)
        before = {t: now.get(t, F(0)) for t in before}


@pytest.mark.hazard("HZ-011")
@PROPERTY
@given(cases(st.one_of(paces, st.builds(StepsStrategy, st.sampled_from(
    [(F(0),), (F(5), F(0)), (F(5, 2), F(0))]), st.integers(1, 7)))))
def test_warnings_name_a_step_that_exists_and_no_plan_is_silent(
    case: tuple[Plan, PlanRequest],
) -> None:
    plan, _ = case
    for w in plan.warnings:
        if w.step is None:
            assert w.code in PLAN_WIDE or w.details.get("about") == "stop", w
        else:
            assert 1 <= w.step <= len(plan.steps), w
            assert w.message.startswith(f"Step {w.step}"), w
    if not plan.steps:
        assert any(w.details.get("about") == "stop" for w in plan.warnings)


@pytest.mark.hazard("HZ-010")
@settings(max_examples=40, deadline=None)
@given(cases(paces))
def test_every_dose_is_composed_at_least_cost_against_exhaustive_search(
    case: tuple[Plan, PlanRequest],
) -> None:
    plan, request = case
    used = {d.time: d.composition.product_ids for d in plan.baseline}
    for step in plan.steps:
        for dose in step.doses:
            best = compose_exhaustively(dose.mg, request.products, used.get(dose.time, frozenset()),
                                        request.composition)
            assert dose.composition == best
            used[dose.time] = dose.composition.product_ids
