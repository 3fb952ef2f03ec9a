"""Which amounts the products can make, as bit sets on a common grid.

Every amount a set of products can make is a whole multiple of one grain (the gcd of a
tablet part and a liquid's measuring step, in mg). Bit n of a set means "n grains can be
made". Python's big integers make sums of sets cheap: shifting and or-ing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from taper.core.composer import fraction_gcd, granule
from taper.core.products import Liquid, Product


@dataclass(frozen=True, slots=True)
class AmountSets:
    """One dose's makeable amounts and each day's makeable totals, up to `limit_mg`."""

    grain: Fraction
    size: int  # bits 0..size
    per_dose: int  # bit set of amounts for one dose time
    per_day: int  # bit set of daily totals over `dose_times` dose times
    dose_times: int

    def index(self, mg: Fraction) -> Fraction:
        return mg / self.grain

    def mg(self, index: int) -> Fraction:
        return index * self.grain

    def highest_day_total_below(self, high: Fraction, at_most: Fraction) -> Fraction | None:
        """The largest makeable daily total t with t < high and t <= at_most."""
        # per_day holds no bit above `size`, and always bit 0 (no dose at all is makeable):
        # a top at or above 0 always finds a total.
        top = min(_ceil(high / self.grain) - 1, (at_most / self.grain).__floor__())
        if top < 0:
            return None
        masked = self.per_day & ((1 << (top + 1)) - 1)
        return self.mg(masked.bit_length() - 1)

    def lowest_day_total_from(self, low: Fraction, below: Fraction) -> Fraction | None:
        """The smallest makeable daily total t with low <= t < below."""
        first = max(0, _ceil(low / self.grain))
        last = min(self.size, _ceil(below / self.grain) - 1)
        if first > last:
            return None
        window = (self.per_day >> first) & ((1 << (last - first + 1)) - 1)
        if window == 0:
            return None
        return self.mg(first + (window & -window).bit_length() - 1)


def _ceil(value: Fraction) -> int:
    return -((-value.numerator) // value.denominator)


def amount_sets(products: Sequence[Product], dose_times: int, limit_mg: Fraction) -> AmountSets:
    """The makeable amounts for these products, for a day of `dose_times` doses."""
    return _amount_sets(tuple(products), dose_times, Fraction(limit_mg))


@lru_cache(maxsize=256)
def _amount_sets(products: tuple[Product, ...], dose_times: int, limit_mg: Fraction) -> AmountSets:
    grain = fraction_gcd([granule(p) for p in products])
    size = int(limit_mg / grain)
    per_dose = 1  # only 0 so far
    for product in products:  # each set is truncated to bits 0..size where it is made
        per_dose = _add_product(per_dose, product, grain, size)
    per_day = 1
    for _ in range(dose_times):
        per_day = _sum_sets(per_day, per_dose, size)
    return AmountSets(grain, size, per_dose, per_day, dose_times)


def _add_product(bits: int, product: Product, grain: Fraction, size: int) -> int:
    """Amounts makeable with the set so far plus any use of one more product."""
    if isinstance(product, Liquid):
        # One measure of the liquid, any measurable volume, or none.
        step = int(granule(product) / grain)
        first = _ceil(product.min_volume_ml / product.measure_step_ml)
        last = size // step
        if product.max_volume_ml is not None:
            last = min(last, int(product.max_volume_ml / product.measure_step_ml))
        volumes = 1  # none of it
        for k in range(first, last + 1):
            volumes |= 1 << (k * step)
        return _sum_sets(bits, volumes, size)
    # Any number of tablet parts: close the set under adding one part. Doubling the shift
    # each round covers 0..2^r - 1 parts after r rounds.
    step = int(granule(product) / grain)
    mask = (1 << (size + 1)) - 1
    result = bits
    shift = step
    while shift <= size:
        result |= (result << shift) & mask
        shift *= 2
    return result


def _sum_sets(a: int, b: int, size: int) -> int:
    """{x + y : x in a, y in b}, truncated to size.

    Works run by run: a run of L consecutive amounts in `a` starting at s adds
    (b smeared over L places) << s, and smearing takes log2(L) shifts. Makeable amounts come
    in long runs (a liquid's volumes, a grid of tablet parts), so this is a few dozen shifts
    where adding bit by bit would be thousands.
    """
    mask = (1 << (size + 1)) - 1
    if a.bit_count() > b.bit_count():
        a, b = b, a
    result = 0
    while a:
        start = (a & -a).bit_length() - 1
        tail = a >> start
        length = ((tail + 1) & ~tail).bit_length() - 1
        a &= ~(((1 << length) - 1) << start)
        smeared, covered = b, 1
        while covered < length:
            shift = min(covered, length - covered)
            smeared |= (smeared << shift) & mask
            covered += shift
        result |= (smeared << start) & mask
    return result
