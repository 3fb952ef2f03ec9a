"""From a regimen, the products at hand and a strategy to a dated, exact plan (SPEC P1–P7).

Each step's daily total follows the pace as a ceiling (core/pace.py): the smallest makeable
total at or above the target and below the previous step (in a titration, the largest at or
below the target). The total is then spread across the dose times (no dose time rises on
the way down unless no spread without it exists) and each dose composed from the products.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from fractions import Fraction

from taper.core.amount_sets import AmountSets, amount_sets
from taper.core.amounts import decimal_str
from taper.core.composer import Composer, fraction_gcd, granule
from taper.core.distribution import default_reduce_order, distribute
from taper.core.knowledge import Fact
from taper.core.limits import MAX_GRAINS, MAX_PLAN_DAYS
from taper.core.pace import (
    cannot_go_lower,
    cut_larger,
    dose_adjusted,
    mg,
    realise_listed,
    realise_pace,
    steps_merged,
)
from taper.core.plan import Composition, Plan, PlanWarning, ScheduledDose, TaperStep
from taper.core.products import Product
from taper.core.request import PlanRequest
from taper.core.strategies import (
    FixedMgStrategy,
    PercentStrategy,
    StepsStrategy,
    TitrateStrategy,
)
from taper.core.suggest import product_for_cut, product_making_cut
from taper.core.supply import supply_for

MAX_STEPS = 1000  # a plan longer than this is a mistake in the request, not a taper


class PlanError(ValueError):
    """The plan would be unsafe or impossible to print; names the field at fault."""

    def __init__(self, field: str, message: str, product: Product | None = None) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.product = product  # a catalogue product that would make the request possible


@dataclass
class _State:
    """What the loop carries from one step to the next."""

    total: Fraction
    allocation: dict[time, Fraction]
    used: dict[time, frozenset[str]]
    day: date
    steps: list[TaperStep] = field(default_factory=list)
    warnings: list[PlanWarning] = field(default_factory=list)
    composer: Composer = field(default_factory=lambda: Composer(()))


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
    top = max(regimen.daily_mg, ceiling) if titrating else regimen.daily_mg
    _check_grain(request.products, top)
    sets = amount_sets(request.products, len(times), top)
    state = _State(
        total=regimen.daily_mg,
        allocation={d.time: d.mg for d in regimen.doses},
        used={},
        day=regimen.start_date,
        composer=Composer(request.products, request.composition),
    )
    baseline = []
    for dose in regimen.doses:
        composition = state.composer(dose.mg) or Composition(())
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
    if isinstance(strategy, PercentStrategy) and 0 < state.total <= strategy.final_mg:
        raise PlanError("strategy.final_mg", (
            f"the current {mg(state.total)} a day is already at or below the final dose of "
            f"{mg(strategy.final_mg)} a day, so there is nothing to taper; to stop from here, "
            'give the steps [0] (a prescriber\'s decision)'))
    listed = state.total  # the list's previous value (the current dose for the first)
    for i in range(1, MAX_STEPS + 1):
        prev = state.total
        number = len(state.steps) + 1  # the step this target becomes (merges renumber)
        target = _taper_target(strategy, prev, i)
        if target is None:
            return None  # an explicit list that ends without a stop: hold the last dose
        if explicit:
            if target >= listed:
                raise PlanError(f"strategy.daily_mg[{i - 1}]",
                                f"{mg(target)} is not below the previous {mg(listed)} a day")
            listed = target
        if target <= 0:
            if prev <= limit.mg:
                return _stop(state)
            if explicit:
                raise PlanError(f"strategy.daily_mg[{i - 1}]", (
                    f"stopping from {mg(prev)} a day is not allowed; a plan may stop only "
                    f"from {mg(limit.mg)} a day or less ({_basis(limit.fact)}). Add lower steps."
                ))
            state.warnings.append(PlanWarning(
                "stop_limited",
                f"Step {number}: the plan does not stop from {mg(prev)} a day: it steps down to "
                f"at most {mg(limit.mg)} a day first ({_basis(limit.fact)}).",
                step=number,
            ))
            target = limit.mg
        found = (realise_listed if explicit else realise_pace)(target, prev, sets)
        realised = found.total
        if found.how == "same":
            if state.steps:
                days = strategy.step_days  # only a listed step merges: no slower pace
                _extend_last(state, days)
                state.warnings.append(steps_merged(number - 1, target, prev, days))
                continue
            realised = None  # no step to hold yet
        if realised is None or realised <= 0:
            fix = product_making_cut(request, len(order), target, prev)
            if prev <= limit.mg:
                state.warnings.append(cut_larger(None, target, prev, Fraction(0), fix, explicit))
                return _stop(state)
            if state.steps:  # the best plan these products allow: hold, never a faster stop
                state.warnings.append(cannot_go_lower(state.steps[-1].index, prev, limit, fix))
                return None
            raise PlanError("products", (
                f"these products cannot make any daily dose between 0 and {mg(prev)}, and a "
                f"plan may stop only from {mg(limit.mg)} a day or less; "
                f"{product_for_cut(request, len(order), target, prev)}"
            ), fix)
        if explicit and found.how != "exact":
            state.warnings.append(dose_adjusted(number, target, realised, prev))
        elif found.how == "lower":
            fix = product_making_cut(request, len(order), target, prev)
            state.warnings.append(cut_larger(number, target, prev, realised, fix))
        _add_step(request, sets, order, state, number, realised, target,
                  _step_days(strategy, realised), falling=True)
    raise PlanError("strategy", f"the plan would need more than {MAX_STEPS} steps")


def _stop(state: _State) -> date:
    """The stop date; a plan that stops before any step says so (never a silent plan)."""
    if not state.steps:
        state.warnings.append(PlanWarning(
            "stop_at_start",
            f"The stop: this plan has no steps. From the first day, {state.day:%a} "
            f"{state.day.day} {state.day:%b}, no more doses: the current {mg(state.total)} a "
            "day is already as low as the strategy goes. Check this is what the prescriber "
            "intends.",
            details={"about": "stop", "previous_mg": decimal_str(state.total)},
        ))
    return state.day


def _extend_last(state: _State, days: int) -> None:
    last = state.steps[-1]
    end = last.end_date + timedelta(days=days)
    state.steps[-1] = TaperStep(
        index=last.index, start_date=last.start_date, end_date=end, daily_mg=last.daily_mg,
        doses=last.doses, previous_daily_mg=last.previous_daily_mg,
        target_daily_mg=last.target_daily_mg,
    )
    state.day = end + timedelta(days=1)


def _taper_target(
    strategy: PercentStrategy | FixedMgStrategy | StepsStrategy, prev: Fraction, number: int
) -> Fraction | None:
    if isinstance(strategy, FixedMgStrategy):
        return max(prev - strategy.step_mg, Fraction(0))
    if isinstance(strategy, PercentStrategy):
        if prev <= strategy.final_mg:
            return Fraction(0)  # at the final dose: the stop
        return max(prev * (1 - strategy.percent / 100), strategy.final_mg)
    if number > len(strategy.daily_mg):
        return None
    return strategy.daily_mg[number - 1]


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
            last = len(state.steps) or None  # None: no step at all, the current dose stays
            state.warnings.append(PlanWarning(
                "target_not_makeable",
                (f"Step {last}: " if last else "No step: ") +
                f"these products cannot make a daily dose between {mg(prev)} and the target of "
                f"{mg(goal)}; the plan stays at {mg(prev)}.",
                step=last,
            ))
            return None
        _add_step(request, sets, order, state, number, realised, target, days)
        if realised >= goal:  # else the next pass says the goal cannot be made
            return None
    raise PlanError("strategy", f"the plan would need more than {MAX_STEPS} steps")


def _add_step(
    request: PlanRequest, sets: AmountSets, order: tuple[time, ...], state: _State,
    number: int, total: Fraction, target: Fraction, days: int, falling: bool = False,
) -> None:
    allocation = distribute(total, order, sets, state.allocation, falling)
    if falling:
        _warn_rises(state, number, total, allocation)
    doses = []
    for t in sorted(allocation):
        amount = allocation[t]
        if amount == 0:
            continue
        composition = state.composer(amount, state.used[t])  # the composer memoises
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


def _warn_rises(state: _State, number: int, total: Fraction, allocation: dict[time, Fraction]) -> None:
    """`distribute` lets a dose time rise only when no spread without it exists; say so."""
    for t in sorted(allocation):
        before = state.allocation[t]  # every dose time has an amount, 0 once dropped
        if allocation[t] <= before:
            continue
        what = (f"the {t:%H:%M} dose comes back ({mg(allocation[t])})" if before == 0 else
                f"the {t:%H:%M} dose rises from {mg(before)} to {mg(allocation[t])}")
        state.warnings.append(PlanWarning(
            "dose_time_rises",
            f"Step {number}: {what}, because these products cannot make {mg(total)} a day "
            "without it; check the spread with the prescriber.",
            step=number,
            details={"time": f"{t:%H:%M}", "before_mg": decimal_str(before),
                     "after_mg": decimal_str(allocation[t])},
        ))


def _basis(fact: Fact) -> str:
    return f"policy: {fact.reason}" if fact.is_policy else f"source: {fact.source}"
