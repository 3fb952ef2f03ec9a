"""From a step's target to a total the products can make, and the words when they differ.

The pace is a ceiling (issue 13): a prescriber's "cut 10 %" or "cut 5 mg" is the most a
step may cut, not a figure to round around. A generated step takes the smallest makeable
total at or above its target and below the previous total; only when there is none does
it cut more, and says so. An explicit list is rounded to the gentle side the same way;
a listed total that cannot be made below the step before merges with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from taper.core.amount_sets import AmountSets
from taper.core.amounts import decimal_str
from taper.core.knowledge import SourcedAmount
from taper.core.plan import PlanWarning
from taper.core.products import Product, describe

How = Literal["exact", "higher", "lower", "same", "none"]


@dataclass(frozen=True, slots=True)
class Realised:
    """The total a step takes and how it relates to what was asked."""

    total: Fraction | None  # None, or 0: nothing makeable below the previous total
    how: How


def realise_pace(target: Fraction, prev: Fraction, sets: AmountSets) -> Realised:
    """The gentlest makeable total in [target, prev); else the largest below the target."""
    within = sets.lowest_day_total_from(target, prev)
    if within is not None:
        return Realised(within, "exact" if within == target else "higher")
    below = sets.highest_day_total_below(target, target)
    return Realised(below, "none" if not below else "lower")


def realise_listed(target: Fraction, prev: Fraction, sets: AmountSets) -> Realised:
    """A listed total: itself, the nearest makeable above it, the previous (merge), or below.

    A listed dose is never turned into a stop: when the only total below is 0, the step
    before is held instead, and the plan stops where the list says 0 (slower, never faster).
    """
    if target >= prev:
        return Realised(prev, "same")  # an earlier step was made lower than listed
    found = realise_pace(target, prev, sets)
    return Realised(prev, "same") if found.how == "none" else found


def mg(value: Fraction) -> str:
    """Exact words for an amount; every target is a finite decimal (decimal inputs only)."""
    return f"{decimal_str(value)} mg"


def dose_adjusted(number: int, target: Fraction, made: Fraction, prev: Fraction) -> PlanWarning:
    side = "higher" if made > target else "lower"
    reason = (f"the products cannot make {mg(target)}" if made > target else
              f"the products cannot make {mg(target)} or any dose between it and "
              f"the {mg(prev)} a day before")
    return PlanWarning(
        "dose_adjusted",
        f"Step {number}: {mg(made)} a day instead of {mg(target)}: {reason}, so the step takes "
        f"the nearest {side} dose they can make.",
        step=number,
        details={"requested_mg": decimal_str(target), "made_mg": decimal_str(made),
                 "side": side},
    )


def steps_merged(number: int, target: Fraction, prev: Fraction, days: int) -> PlanWarning:
    return PlanWarning(
        "steps_merged",
        f"Step {number} lasts {days} days longer: the next listed dose, {mg(target)} a day, "
        f"cannot be made, nor any dose between it and this step's {mg(prev)} a day, so the "
        "two are one step.",
        step=number,
        details={"requested_mg": decimal_str(target), "made_mg": decimal_str(prev)},
    )


def cut_larger(
    number: int | None, target: Fraction, prev: Fraction, made: Fraction, fix: Product | None,
    listed: bool = False,
) -> PlanWarning:
    """The products force a cut beyond the pace; `number` None means the cut is the stop."""
    where = f"Step {number}" if number is not None else "The stop"
    to = f"the cut is to {mg(made)} a day" if made else f"the plan stops from {mg(prev)} a day"
    remedy = ("a liquid or a compounded strength would allow the requested cut." if fix is None
              else f"a {describe(fix)} ({fix.id}) would allow the requested cut.")
    details = {
        "requested_cut_mg": decimal_str(prev - target), "actual_cut_mg": decimal_str(prev - made),
        "target_mg": decimal_str(target), "realised_mg": decimal_str(made),
        "previous_mg": decimal_str(prev),
    }
    if fix is not None:
        details["product"] = fix.id
        details["product_strength"] = describe(fix)
    if number is None:
        details["about"] = "stop"
    return PlanWarning(
        "cut_larger_than_requested",
        f"{where}: {'the list' if listed else 'the pace'} asks for a cut of at most "
        f"{mg(prev - target)} (to {mg(target)} a day), but these products cannot make a dose "
        f"between that and {mg(prev)}, so {to} (a cut of {mg(prev - made)}); {remedy}",
        step=number,
        details=details,
    )


def cannot_go_lower(
    number: int, prev: Fraction, limit: SourcedAmount, fix: Product | None,
) -> PlanWarning:
    """The products make nothing below `prev`, too high to stop from: the plan holds there."""
    basis = f"policy: {limit.fact.reason}" if limit.fact.is_policy else f"source: {limit.fact.source}"
    remedy = ("a liquid or a compounded strength would let it go on." if fix is None
              else f"a {describe(fix)} ({fix.id}) would let it go on.")
    details = {"previous_mg": decimal_str(prev), "stop_limit_mg": decimal_str(limit.mg)}
    if fix is not None:
        details["product"] = fix.id
        details["product_strength"] = describe(fix)
    return PlanWarning(
        "cannot_go_lower",
        f"Step {number}: the plan does not stop. These products cannot make any daily dose "
        f"between 0 and {mg(prev)}, and a plan may stop only from {mg(limit.mg)} a day or less "
        f"({basis}), so the plan stays at {mg(prev)} a day from step {number}; {remedy}",
        step=number,
        details=details,
    )
