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
from itertools import combinations_with_replacement, islice

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
        spread = _best_spread(candidates, grains, reduce_order, previous, falling, sets)
        if spread is not None:
            break
    else:
        spread = _greedy(grains, reduce_order, sets)
    if falling and previous is not None and any(
            v > previous.get(t, Fraction(0)) for t, v in spread.items()):
        # The even spreads near the mean all raise a dose time (or bring a dropped one back,
        # e.g. when 0 is far from the mean): search every spread under the previous amounts.
        capped = _capped(grains, reduce_order, sets, previous)
        if capped is not None:
            return capped
    return spread


def _capped(
    grains: int, order: Sequence[time], sets: AmountSets, previous: Mapping[time, Fraction]
) -> Allocation | None:
    """The most even spread in which no dose time takes more than before, if one exists.

    Dose time by dose time in the reduce order, the makeable amount nearest its share of an
    even "water level" under the caps, keeping the rest reachable by the dose times left
    (bit sets of reachable sums); ties to the smaller amount, so the first is cut first.
    """
    caps = [_in_grains(previous.get(t, _ZERO), sets.grain, True) for t in order]  # each >= 0
    allowed = [sets.per_dose & ((1 << (c + 1)) - 1) for c in caps]
    reach = [0] * len(order) + [1]  # reach[i]: the sums the dose times from i on can make
    for i in range(len(order) - 1, -1, -1):
        reach[i] = _sum_sets(reach[i + 1], allowed[i], sets.size)  # no bit above size
    if not reach[0] >> grains & 1:
        return None
    values = []
    remaining = grains
    for i in range(len(order)):
        share = min(Fraction(caps[i]), _level(remaining, caps[i:]))
        fits = [c for c in range(min(caps[i], remaining) + 1)
                if allowed[i] >> c & 1 and reach[i + 1] >> (remaining - c) & 1]
        choice = min(fits, key=lambda c: (abs(c - share), c))
        values.append(choice)
        remaining -= choice
    return {t: sets.mg(v) for t, v in zip(order, values, strict=True)}


def _level(total: int, caps: Sequence[int]) -> Fraction:
    """The even share L with sum(min(cap, L)) == total (water filling under the caps)."""
    left = Fraction(total)
    ordered = sorted(caps)
    for n, cap in enumerate(ordered):
        share = left / (len(ordered) - n)
        if cap >= share:
            return share
        left -= cap
    return Fraction(ordered[-1]) if ordered else Fraction(0)


def _near(bits: int, mean: Fraction, width: int, top: int) -> list[int]:
    """Up to `width` makeable amounts at or below the mean and `width` above it (at most
    `top`), in increasing order."""
    # Bounded ranges, not open-ended loops: a scan stops at 0 and at `top` (the mean is at
    # most `top`: it is a share of it).
    below = islice((n for n in range(int(mean), -1, -1) if bits >> n & 1), width)
    above = islice((n for n in range(int(mean) + 1, top + 1) if bits >> n & 1), width)
    return [*reversed(list(below)), *above]


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
        _in_grains(previous.get(t, _ZERO), sets.grain, falling) for t in order]
    # The most even spread (amounts q and q + 1) is the unique least sum of squares; when it
    # can be made and reverses nothing, no other combination can beat it: skip the search.
    q, r = divmod(grains, len(order))
    if sets.per_dose >> q & 1 and (r == 0 or sets.per_dose >> (q + 1) & 1):
        even = (q,) * (len(order) - r) + (q + 1,) * r
        if before is None or all(
                (v <= b) if falling else (v >= b) for v, b in zip(even, before, strict=True)):
            return _assign(even, order, sets)
    best: tuple[int, ...] | None = None
    best_key: tuple[int, int, int, tuple[int, ...]] | None = None
    present = set(candidates)
    # All but the last amount are chosen; the last is what remains, if it is a candidate and
    # keeps the tuple sorted. Ties go to the lexicographically first tuple, as they did when
    # every combination was listed in order.
    for head in combinations_with_replacement(candidates, len(order) - 1):
        last = grains - sum(head)
        if last not in present or (head and last < head[-1]):
            continue
        combo = (*head, last)
        if before is None:
            reversals = 0
        elif falling:
            reversals = sum(1 for v, b in zip(combo, before, strict=True) if v > b)
        else:
            reversals = sum(1 for v, b in zip(combo, before, strict=True) if v < b)
        key = (reversals, combo[-1] - combo[0], sum(v * v for v in combo), combo)
        if best_key is None or key < best_key:
            best, best_key = combo, key
    return None if best is None else _assign(best, order, sets)


_ZERO = Fraction(0)


def _in_grains(value: Fraction, grain: Fraction, floor: bool) -> int:
    """floor (or ceil) of value / grain in integers: no Fraction built per dose time."""
    num, den = value.numerator * grain.denominator, value.denominator * grain.numerator
    return num // den if floor else -(-num // den)


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
