"""Spread a daily total across the dose times (SPEC P5).

As evenly as the products allow; where it cannot be even, the larger amounts go to the
dose times last in the reduce order, so the first in that order is cut first. A dose
time whose amount is zero is dropped for that step. Among even spreads, one that never
raises a dose time during a taper (or lowers one during a titration) is preferred, so a
patient is never told to take more at 08:00 on the way down.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import time
from fractions import Fraction
from itertools import combinations_with_replacement

from taper.core.amount_sets import AmountSets, _sum_sets

Allocation = dict[time, Fraction]


def default_reduce_order(times: Sequence[time]) -> tuple[time, ...]:
    """The middle-of-day doses first (in clock order), then the first, the last dose last."""
    ordered = sorted(times)
    if len(ordered) <= 2:
        return tuple(ordered)
    return (*ordered[1:-1], ordered[0], ordered[-1])


def distribute(
    total: Fraction,
    reduce_order: Sequence[time],
    sets: AmountSets,
    previous: Mapping[time, Fraction] | None = None,
    falling: bool = True,
) -> Allocation:
    """Amounts per dose time that sum to `total`; `total` must be a makeable daily total."""
    k = len(reduce_order)
    target = sets.index(total)
    if target.denominator != 1:
        raise ValueError(f"{total} mg is not on the products' grid")
    grains = int(target)
    for width in (3, 6, 12):
        candidates = _near(sets.per_dose, Fraction(grains, k), width, grains)
        best = _best_spread(candidates, grains, reduce_order, previous, falling, sets)
        if best is not None:
            return best
    return _greedy(grains, reduce_order, sets)


def _near(bits: int, mean: Fraction, width: int, top: int) -> list[int]:
    """Up to `width` makeable amounts at or below the mean and `width` above it."""
    below: list[int] = []
    n = min(int(mean), top)
    while n >= 0 and len(below) < width:
        if bits >> n & 1:
            below.append(n)
        n -= 1
    above: list[int] = []
    n = int(mean) + 1
    while n <= top and len(above) < width:
        if bits >> n & 1:
            above.append(n)
        n += 1
    return sorted(below + above)


def _assign(values: Sequence[int], order: Sequence[time], sets: AmountSets) -> Allocation:
    # Smallest amounts to the dose times first in the reduce order.
    return {t: sets.mg(v) for t, v in zip(order, sorted(values), strict=True)}


def _best_spread(
    candidates: list[int],
    grains: int,
    order: Sequence[time],
    previous: Mapping[time, Fraction] | None,
    falling: bool,
    sets: AmountSets,
) -> Allocation | None:
    # Work in whole grains: combinations come out sorted, so combo[i] goes to order[i].
    # Previous amounts in whole grains; one off the grid (a regimen the products cannot make)
    # is rounded so that the integer comparison below gives the same answer.
    before = None if not previous else [
        _floor_or_ceil(previous.get(t, Fraction(0)) / sets.grain, falling) for t in order]
    best: tuple[int, ...] | None = None
    best_key: tuple[int, int, int] | None = None
    for combo in combinations_with_replacement(candidates, len(order)):
        if sum(combo) != grains:
            continue
        if before is None:
            reversals = 0
        elif falling:
            reversals = sum(1 for v, b in zip(combo, before, strict=True) if v > b)
        else:
            reversals = sum(1 for v, b in zip(combo, before, strict=True) if v < b)
        key = (reversals, combo[-1] - combo[0], sum(v * v for v in combo))
        if best_key is None or key < best_key:
            best, best_key = combo, key
    return None if best is None else _assign(best, order, sets)


def _floor_or_ceil(value: Fraction, floor: bool) -> int:
    # v > x  <=>  v > floor(x), and v < x  <=>  v < ceil(x), for an integer v.
    return value.numerator // value.denominator if floor else -(-value.numerator // value.denominator)


def _greedy(grains: int, order: Sequence[time], sets: AmountSets) -> Allocation:
    """A feasible, nearly even spread when no even one is near the mean (rare grids)."""
    k = len(order)
    folds = [1]
    for _ in range(k):
        folds.append(_sum_sets(folds[-1], sets.per_dose, sets.size))
    values: list[int] = []
    remaining = grains
    for left in range(k, 0, -1):
        mean = Fraction(remaining, left)
        fits = [
            c for c in range(remaining + 1)
            if sets.per_dose >> c & 1 and folds[left - 1] >> (remaining - c) & 1
        ]
        choice = min(fits, key=lambda c: (abs(c - mean), -c))
        values.append(choice)
        remaining -= choice
    return _assign(values, order, sets)
