"""From a regimen, the products at hand and a strategy to a dated, exact plan (SPEC P1–P7).

Each step's daily total is the makeable total nearest the strategy's target among those
strictly below the previous step (above it in a titration); ties go to the gentler dose.
The total is then spread across the dose times and each dose composed from the products.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from fractions import Fraction

from taper.core.amount_sets import AmountSets, amount_sets
from taper.core.amounts import decimal_str
from taper.core.composer import compose, fraction_gcd, granule
from taper.core.distribution import default_reduce_order, distribute
from taper.core.knowledge import Fact
from taper.core.limits import MAX_GRAINS, MAX_PLAN_DAYS
from taper.core.plan import Composition, Plan, PlanWarning, ScheduledDose, TaperStep
from taper.core.products import Product
from taper.core.request import PlanRequest
from taper.core.strategies import (
    FixedMgStrategy,
    PercentStrategy,
    StepsStrategy,
    TitrateStrategy,
)
from taper.core.suggest import product_for_cut
from taper.core.supply import supply_for

MAX_STEPS = 1000  # a plan longer than this is a mistake in the request, not a taper


class PlanError(ValueError):
    """The plan would be unsafe or impossible to print; names the field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def mg(value: Fraction) -> str:
    """Exact words for an amount; every target is a finite decimal (decimal inputs only)."""
    return f"{decimal_str(value)} mg"


@dataclass
class _State:
    """What the loop carries from one step to the next."""

    total: Fraction
    allocation: dict[time, Fraction]
    used: dict[time, frozenset[str]]
    day: date
    steps: list[TaperStep] = field(default_factory=list)
    warnings: list[PlanWarning] = field(default_factory=list)


def make_plan(request: PlanRequest) -> Plan:
    """The whole schedule, or PlanError when it would be unsafe or impossible."""
    regimen = request.regimen
    times = regimen.times
    if len(set(times)) != len(times):
        raise PlanError("current_doses", "each dose time may appear only once")
    if not times:
        raise PlanError("current_doses", "at least one dose time is needed")
    if not request.products:
        raise PlanError("products", "at least one product is needed")
    order = _reduce_order(times, request.reduce_order)
    titrating = isinstance(request.strategy, TitrateStrategy)
    ceiling = _ceiling(request)
    top = max(regimen.daily_mg, ceiling if titrating else Fraction(0))
    _check_grain(request.products, top)
    sets = amount_sets(request.products, len(times), top)
    state = _State(
        total=regimen.daily_mg,
        allocation={d.time: d.mg for d in regimen.doses},
        used={},
        day=regimen.start_date,
    )
    baseline = []
    for dose in regimen.doses:
        composition = compose(dose.mg, request.products) or Composition(())
        baseline.append(ScheduledDose(dose.time, dose.mg, composition))
        state.used[dose.time] = composition.product_ids
    state.warnings.extend(_opening_warnings(request, ceiling))
    if titrating:
        stop = _titrate(request, sets, order, state, ceiling)
    else:
        stop = _taper(request, sets, order, state)
    return Plan(
        drug_id=request.drug.id,
        direction="titrate" if titrating else "taper",
        start_date=regimen.start_date,
        timezone=regimen.timezone,
        baseline=tuple(baseline),
        steps=tuple(state.steps),
        stop_date=stop,
        warnings=tuple(state.warnings),
        supply=supply_for(state.steps, request.products),
        products=request.products,
    )


def _reduce_order(times: tuple[time, ...], given: tuple[time, ...] | None) -> tuple[time, ...]:
    """The caller's order first, then any dose time they left out in the default order."""
    if given is None:
        return default_reduce_order(times)
    unknown = [t for t in given if t not in times]
    if unknown:
        raise PlanError("reduce_order", f"{unknown[0]:%H:%M} is not one of the dose times")
    if len(set(given)) != len(given):
        raise PlanError("reduce_order", "each dose time may appear only once")
    rest = [t for t in default_reduce_order(times) if t not in given]
    return (*given, *rest)


def _ceiling(request: PlanRequest) -> Fraction:
    override = request.max_daily_override
    if override is not None:
        if not override.reason.strip():
            raise PlanError("max_daily_mg_override.reason", "a written reason is required")
        return override.mg
    return request.drug.max_daily.mg


def _opening_warnings(request: PlanRequest, ceiling: Fraction) -> list[PlanWarning]:
    drug = request.drug
    warnings = []
    label_max = drug.max_daily.mg
    if request.max_daily_override is not None and request.max_daily_override.mg > label_max:
        warnings.append(PlanWarning(
            "label_maximum_overridden",
            f"Doses up to {mg(ceiling)} a day are allowed above the label maximum of "
            f"{mg(label_max)}; reason given: {request.max_daily_override.reason}",
            details={"label_max_mg": decimal_str(label_max), "source": drug.max_daily.fact.source},
        ))
    if request.regimen.daily_mg > ceiling:
        warnings.append(PlanWarning(
            "above_label_maximum",
            f"The current {mg(request.regimen.daily_mg)} a day is above the label maximum of "
            f"{mg(label_max)} a day ({drug.max_daily.fact.statement})",
            details={"source": drug.max_daily.fact.source},
        ))
    crcl = request.creatinine_clearance_ml_min
    if crcl is not None:
        band = drug.renal_band(crcl)
        if band is not None:
            warnings.append(PlanWarning(
                "renal_impairment",
                f"Creatinine clearance {decimal_str(crcl)} mL/min: {band.advice}",
                details={"source": band.fact.source, "statement": band.fact.statement},
            ))
    today = request.today
    if today is not None and request.regimen.start_date < today:
        warnings.append(PlanWarning(
            "start_in_past",
            f"The plan starts on {request.regimen.start_date.isoformat()}, before today "
            f"({today.isoformat()}); check the dates before giving it to the patient.",
        ))
    if list(request.regimen.times) != sorted(request.regimen.times):
        warnings.append(PlanWarning(
            "dose_times_unordered",
            "The dose times were not given in clock order; they are shown in clock order.",
        ))
    return warnings


def _step_days(strategy: PercentStrategy | FixedMgStrategy | StepsStrategy, total: Fraction) -> int:
    slower = None if isinstance(strategy, StepsStrategy) else strategy.slower
    if slower is not None and total < slower.below_mg:
        return int(slower.step_days)
    return strategy.step_days


def _taper(
    request: PlanRequest, sets: AmountSets, order: tuple[time, ...], state: _State
) -> date | None:
    strategy = request.strategy
    assert not isinstance(strategy, TitrateStrategy)
    limit = request.drug.final_step_max_daily
    explicit = isinstance(strategy, StepsStrategy)
    for number in range(1, MAX_STEPS + 1):
        prev = state.total
        target = _taper_target(strategy, prev, number)
        if target is None:
            return None  # an explicit list that ends without a stop: hold the last dose
        where = f"strategy.daily_mg[{number - 1}]" if explicit else "strategy"
        if explicit and target >= prev:
            raise PlanError(where, f"{mg(target)} is not below the previous {mg(prev)} a day")
        if target <= 0:
            if prev <= limit.mg:
                return state.day
            if explicit:
                raise PlanError(where, (
                    f"stopping from {mg(prev)} a day is not allowed; a plan may stop only "
                    f"from {mg(limit.mg)} a day or less ({_basis(limit.fact)}). Add lower steps."
                ))
            state.warnings.append(PlanWarning(
                "stop_limited",
                f"The plan does not stop from {mg(prev)} a day: it steps down to at most "
                f"{mg(limit.mg)} a day first ({_basis(limit.fact)}).",
                step=number,
            ))
            target = limit.mg
        realised = _realise_down(target, prev, sets)
        if realised is None or realised == 0:
            if prev <= limit.mg:
                _warn_cut(request, sets, state, number, target, prev, Fraction(0))
                return state.day
            suggestion = product_for_cut(request, len(order), target, prev)
            raise PlanError("products", (
                f"these products cannot make any daily dose between 0 and {mg(prev)}, and a "
                f"plan may stop only from {mg(limit.mg)} a day or less; {suggestion}"
            ))
        if explicit and realised != target:
            state.warnings.append(PlanWarning(
                "dose_adjusted",
                f"Step {number}: {mg(target)} a day cannot be made from these products; "
                f"the nearest lower dose that can is {mg(realised)}.",
                step=number,
                details={"requested_mg": decimal_str(target)},
            ))
        if sets.lowest_day_total_from(target, prev) is None:
            _warn_cut(request, sets, state, number, target, prev, realised)
        _add_step(request, sets, order, state, number, realised, target,
                  _step_days(strategy, realised), falling=True)
    raise PlanError("strategy", f"the plan would need more than {MAX_STEPS} steps")


def _taper_target(
    strategy: PercentStrategy | FixedMgStrategy | StepsStrategy, prev: Fraction, number: int
) -> Fraction | None:
    if isinstance(strategy, FixedMgStrategy):
        return max(prev - strategy.step_mg, Fraction(0))
    if isinstance(strategy, PercentStrategy):
        target = prev * (1 - strategy.percent / 100)
        if target < strategy.final_mg:
            return strategy.final_mg if prev > strategy.final_mg else Fraction(0)
        return target
    if number > len(strategy.daily_mg):
        return None
    return strategy.daily_mg[number - 1]


def _realise_down(target: Fraction, prev: Fraction, sets: AmountSets) -> Fraction | None:
    """The makeable total nearest the target, strictly below prev; ties to the higher."""
    low = sets.highest_day_total_below(prev, target)
    high = sets.lowest_day_total_from(target, prev)
    if low is None or low == 0:
        return high if high is not None else low
    if high is None:
        return low
    return high if high - target <= target - low else low


def _warn_cut(
    request: PlanRequest, sets: AmountSets, state: _State, number: int,
    target: Fraction, prev: Fraction, realised: Fraction,
) -> None:
    suggestion = product_for_cut(request, sets.dose_times, target, prev)
    state.warnings.append(PlanWarning(
        "cut_larger_than_requested",
        f"Step {number}: the pace asks for about {mg(target)} a day, but these products "
        f"cannot make a dose between that and {mg(prev)}, so the cut is to {mg(realised)}; "
        f"{suggestion}",
        step=number,
        details={"realised_mg": decimal_str(realised), "previous_mg": decimal_str(prev)},
    ))


def _titrate(
    request: PlanRequest, sets: AmountSets, order: tuple[time, ...], state: _State,
    ceiling: Fraction,
) -> date | None:
    strategy = request.strategy
    assert isinstance(strategy, TitrateStrategy)
    label = request.drug.titration
    goal = strategy.target_daily_mg
    if goal > ceiling:
        raise PlanError("strategy.target_daily_mg", (
            f"{mg(goal)} a day is above the maximum of {mg(ceiling)} a day "
            f"({_basis(request.drug.max_daily.fact)}); a prescriber may set "
            "max_daily_mg_override with a written reason"
        ))
    if goal <= state.total:
        raise PlanError("strategy.target_daily_mg", (
            f"{mg(goal)} a day is not above the current {mg(state.total)} a day"
        ))
    increment = strategy.increment_per_dose_mg or (label.increment_per_dose_mg if label else None)
    days = strategy.step_days or (label.step_days if label else None)
    if increment is None or days is None:
        raise PlanError("strategy", (
            f"{request.drug.name} has no label titration schedule in the knowledge base; "
            "give increment_per_dose_mg and step_days"
        ))
    k = len(order)
    for number in range(1, MAX_STEPS + 1):
        prev = state.total
        if prev == 0 and label is not None and strategy.increment_per_dose_mg is None:
            target = label.initial_per_dose_mg * k
        else:
            target = prev + increment * k
        target = min(target, goal)
        # The largest makeable total up to this step's target; if the products cannot make
        # one, the next makeable total above, but never above the prescriber's goal.
        top = min(target, ceiling)
        realised = sets.highest_day_total_below(top + sets.grain, top)
        if realised is None or realised <= prev:
            realised = sets.lowest_day_total_from(prev + sets.grain, min(goal, ceiling) + sets.grain)
            if realised is not None and realised > min(goal, ceiling):
                realised = None  # the grid's next total lies beyond the goal or the ceiling
        if realised is None:
            if prev == 0:
                raise PlanError("products", (
                    f"these products cannot make any daily dose up to {mg(min(goal, ceiling))}"))
            state.warnings.append(PlanWarning(
                "target_not_makeable",
                f"These products cannot make a daily dose between {mg(prev)} and the target of "
                f"{mg(goal)}; the plan stays at {mg(prev)}.",
                step=number - 1,
            ))
            return None
        _add_step(request, sets, order, state, number, realised, target, days, falling=False)
        if target == goal or realised >= goal:
            return None
    raise PlanError("strategy", f"the plan would need more than {MAX_STEPS} steps")


def _add_step(
    request: PlanRequest, sets: AmountSets, order: tuple[time, ...], state: _State,
    number: int, total: Fraction, target: Fraction, days: int, falling: bool,
) -> None:
    allocation = distribute(total, order, sets, state.allocation, falling)
    doses = []
    for t in sorted(allocation):
        amount = allocation[t]
        if amount == 0:
            continue
        composition = compose(amount, request.products, state.used.get(t, frozenset()))
        assert composition is not None and composition.mg == amount
        doses.append(ScheduledDose(t, amount, composition))
        state.used[t] = composition.product_ids
    end = state.day + timedelta(days=days - 1)
    if (end - request.regimen.start_date).days >= MAX_PLAN_DAYS:
        # Technical, not clinical (taper.core.limits): every export must be able to print it.
        raise PlanError("strategy.step_days", (
            f"the plan would last more than {MAX_PLAN_DAYS} days; use shorter or fewer steps"))
    state.steps.append(TaperStep(
        index=number, start_date=state.day, end_date=end, daily_mg=total,
        doses=tuple(doses), previous_daily_mg=state.total, target_daily_mg=target,
    ))
    state.total = total
    state.allocation = allocation
    state.day = end + timedelta(days=1)


def _check_grain(products: tuple[Product, ...], top: Fraction) -> None:
    """Refuse products whose common smallest part is too fine for the doses (limits.py)."""
    grain = fraction_gcd([granule(p) for p in products])
    if top / grain > MAX_GRAINS:
        raise PlanError("products", (
            f"these products together make amounts in steps of {decimal_str(grain)} mg, too fine "
            f"to plan up to {mg(top)} a day; leave out a product or use a coarser measure"))


def _basis(fact: Fact) -> str:
    return f"policy: {fact.reason}" if fact.is_policy else f"source: {fact.source}"
