"""Realise one dose from the products at hand: pieces that add up exactly, at least cost.

Two costs (SPEC P4, issue 13; docs/adr/0004-composer-cost.md). The default, "tablets_first",
compares in this order:
0. liquid volume in mL: tablets make what they can, a liquid only the part they cannot
   (a liquid measure counted as "one thing" poured whole doses as litres of solution);
then, as "fewest_items" (the old cost, kept as an option) does from its first criterion:
1. things to take: each whole tablet counts one, a part of a tablet one, a liquid measure one
   (so 1¾ tablets is two things: one whole and one part);
2. distinct products;
3. products not used at this dose time in the step before ("stay with what you know");
4. split tablets (a whole tablet is easier and more exact than a part);
5. the order the products were listed in (the caller's preference), which makes the
   choice unique, so the composer and the exhaustive reference must agree exactly.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import gcd
from typing import Literal

from taper.core.plan import Composition, Piece
from taper.core.products import Liquid, Product, Solid

CostName = Literal["tablets_first", "fewest_items"]
COSTS: tuple[CostName, ...] = ("tablets_first", "fewest_items")
# (liquid mL, things, products, switches, splits, listed order); liquid mL is 0 under fewest_items
Cost = tuple[Fraction, int, int, int, int, tuple[tuple[int, Fraction], ...]]


@dataclass(frozen=True, slots=True)
class Option:
    """One way to use one product in a dose: `units` tablets or mL, worth `mg`."""

    index: int
    units: Fraction
    mg: Fraction
    things: int
    split: int


def granule(product: Product) -> Fraction:
    """The smallest amount a product adds: a tablet part, or one step of the measure."""
    if isinstance(product, Liquid):
        return product.mg_per_ml * product.measure_step_ml
    return product.strength_mg / product.divisible_into


def fraction_gcd(values: Sequence[Fraction]) -> Fraction:
    """The largest amount every value is a whole multiple of."""
    num = 0
    den = 1
    for v in values:
        den = den * v.denominator // gcd(den, v.denominator)
    for v in values:
        num = gcd(num, v.numerator * (den // v.denominator))
    return Fraction(num, den)


def options(index: int, product: Product, limit: Fraction) -> Iterator[Option]:
    """Every non-empty way to use the product for at most `limit` mg, largest first."""
    if isinstance(product, Solid):
        part = product.strength_mg / product.divisible_into
        for k in range(int(limit / part), 0, -1):
            units = Fraction(k, product.divisible_into)
            whole = units.numerator // units.denominator
            split = 0 if units.denominator == 1 else 1
            yield Option(index, units, part * k, whole + split, split)
    else:
        top = limit / product.mg_per_ml
        if product.max_volume_ml is not None:
            top = min(top, product.max_volume_ml)
        step = product.measure_step_ml
        for k in range(int(top / step), 0, -1):
            ml = step * k
            if ml < product.min_volume_ml:
                break
            yield Option(index, ml, ml * product.mg_per_ml, 1, 0)


def cost(
    chosen: Sequence[Option], previous: frozenset[str], products: Sequence[Product],
    how: CostName = "tablets_first",
) -> Cost:
    volume = sum((o.units for o in chosen if isinstance(products[o.index], Liquid)), Fraction(0))
    things = sum(o.things for o in chosen)
    switches = sum(1 for o in chosen if previous and products[o.index].id not in previous)
    splits = sum(o.split for o in chosen)
    order = tuple(sorted((o.index, -o.units) for o in chosen))
    return (volume if how == "tablets_first" else Fraction(0), things, len(chosen), switches,
            splits, order)


def _as_composition(chosen: Sequence[Option], products: Sequence[Product]) -> Composition:
    ordered = sorted(chosen, key=lambda o: o.index)
    return Composition(tuple(Piece(products[o.index].id, o.units, o.mg) for o in ordered))


def compose(
    amount: Fraction,
    products: Sequence[Product],
    previous: frozenset[str] = frozenset(),
    how: CostName = "tablets_first",
) -> Composition | None:
    """The least-cost pieces that add up to `amount` exactly, or None if none exist."""
    return _compose(Fraction(amount), tuple(products), previous, how)


@dataclass(frozen=True, slots=True)
class _OnGrid:
    """One product on the common grid of whole grains, so the search adds integers."""

    index: int
    size: int  # grains one tablet part or one measuring step adds
    parts_per_whole: int  # divisible_into for a solid; 0 for a liquid (one measure)
    lowest: int  # fewest parts or steps in one use (a liquid's smallest volume)
    highest: int | None  # most steps in one measure (a liquid's largest volume), if bounded

    def things_and_split(self, k: int) -> tuple[int, int]:
        if self.parts_per_whole == 0:
            return 1, 0
        whole, part = divmod(k, self.parts_per_whole)
        return whole + (part > 0), int(part > 0)


def _on_grid(index: int, product: Product, grain: Fraction) -> _OnGrid:
    size = int(granule(product) / grain)
    if isinstance(product, Solid):
        return _OnGrid(index, size, product.divisible_into, 1, None)
    step = product.measure_step_ml
    lowest = -((-product.min_volume_ml) // step)
    highest = None if product.max_volume_ml is None else int(product.max_volume_ml // step)
    return _OnGrid(index, size, 0, int(lowest), highest)


def _piece(product: Product, k: int) -> Piece:
    if isinstance(product, Solid):
        units = Fraction(k, product.divisible_into)
        return Piece(product.id, units, units * product.strength_mg)
    ml = k * product.measure_step_ml
    return Piece(product.id, ml, ml * product.mg_per_ml)


@lru_cache(maxsize=256)
def _table(
    products: tuple[Product, ...], how: CostName
) -> tuple[Fraction, list[_OnGrid], list[int], list[int]]:
    """What the search needs of the products, built once per product set, not per dose."""
    grain = fraction_gcd([granule(p) for p in products])
    # Under fewest_items solids first, liquids last; under tablets_first the reverse (the
    # volume, its first criterion, is then known early). The cost still uses each product's
    # listed index. The last product is settled in one step: only the exact remainder fits.
    liquid_last = how == "fewest_items"
    order = [_on_grid(i, products[i], grain) for i in sorted(
        range(len(products)), key=lambda i: isinstance(products[i], Liquid) == liquid_last)]
    # suffix[j]: every amount the products from order[j] on can make is a multiple of it. A
    # remainder that is not cannot be finished, which prunes most of the search at once.
    suffix = [0] * (len(order) + 1)
    for j in range(len(order) - 1, -1, -1):
        suffix[j] = gcd(order[j].size, suffix[j + 1])
    # Volume in whole "drops" (the gcd of the measuring steps), so the search adds integers:
    # what one step of each product adds (0 for a solid, and for all under fewest_items).
    liquids = [p.measure_step_ml for p in products if isinstance(p, Liquid)]
    drop = fraction_gcd(liquids) if liquids else Fraction(1)
    step_ml = [int(p.measure_step_ml / drop) if isinstance(p, Liquid) and how == "tablets_first"
               else 0 for p in products]
    return grain, order, suffix, step_ml


@lru_cache(maxsize=65536)
def _compose(
    amount: Fraction, products: tuple[Product, ...], previous: frozenset[str],
    how: CostName = "tablets_first",
) -> Composition | None:
    if not products:
        return None
    return _search(amount, products, previous, _table(products, how))


class Composer:
    """The composer for one product set and cost, memoised per (dose, previous products).

    A planner makes one per plan: the product tables are built once and the products are
    not hashed again for every dose (hashing exact Fractions is most of a small search).
    """

    def __init__(self, products: Sequence[Product], how: CostName = "tablets_first") -> None:
        self.products = tuple(products)
        self.table = _table(self.products, how) if self.products else None
        self.memo: dict[tuple[Fraction, frozenset[str]], Composition | None] = {}

    def __call__(self, amount: Fraction, previous: frozenset[str] = frozenset()) -> Composition | None:
        key = (amount, previous)
        if key not in self.memo:
            self.memo[key] = None if self.table is None else _search(
                amount, self.products, previous, self.table)
        return self.memo[key]


def _search(
    amount: Fraction, products: tuple[Product, ...], previous: frozenset[str],
    table: tuple[Fraction, list[_OnGrid], list[int], list[int]],
) -> Composition | None:
    if amount == 0:
        return Composition(())
    if amount < 0:
        return None
    grain, order, suffix, step_ml = table
    grains = amount / grain
    if grains.denominator != 1:
        return None
    switch = [1 if previous and p.id not in previous else 0 for p in products]
    best: list[tuple[int, int]] | None = None
    best_cost: tuple[int, int, int, int, int, tuple[tuple[int, int], ...]] | None = None
    chosen: list[tuple[int, int, int, int]] = []  # (index, k, things, split)

    def search(j: int, remaining: int, things: int, volume: int) -> None:
        nonlocal best, best_cost
        if remaining == 0:
            c = (volume, things, len(chosen), sum(switch[i] for i, _, _, _ in chosen),
                 sum(s for _, _, _, s in chosen), tuple(sorted((i, -k) for i, k, _, _ in chosen)))
            if best_cost is None or c < best_cost:
                best, best_cost = [(i, k) for i, k, _, _ in chosen], c
            return
        if j == len(order) or remaining % suffix[j]:
            return
        # Volume and things only grow along a branch, and at least one more thing is needed:
        # a branch whose (volume, things + 1) is already worse than the best cannot win.
        if best_cost is not None and (volume, things + 1) > best_cost[:2]:
            return
        g = order[j]
        top = remaining // g.size if g.highest is None else min(remaining // g.size, g.highest)
        # Under tablets_first the liquids come first, smallest measure first: the first dose
        # the tablets can finish has the least volume, and every larger measure is cut off.
        ascending = step_ml[g.index] > 0
        if j == len(order) - 1:
            exact = remaining // g.size
            counts = range(exact, exact - 1, -1) if (
                remaining % g.size == 0 and g.lowest <= exact <= top) else range(0)
        elif ascending:
            search(j + 1, remaining, things, volume)
            counts = range(g.lowest, top + 1)
        else:
            counts = range(top, g.lowest - 1, -1)
        for k in counts:
            t, split = g.things_and_split(k)
            v = volume + k * step_ml[g.index]
            if best_cost is not None and (v, things + t) > best_cost[:2]:
                if ascending and v > best_cost[0]:
                    break  # the volume only grows from here
                continue
            chosen.append((g.index, k, t, split))
            search(j + 1, remaining - k * g.size, things + t, v)
            chosen.pop()
        if not ascending:
            search(j + 1, remaining, things, volume)

    search(0, int(grains), 0, 0)
    if best is None:
        return None
    return Composition(tuple(_piece(products[i], k) for i, k in sorted(best)))


def compose_exhaustively(
    amount: Fraction,
    products: Sequence[Product],
    previous: frozenset[str] = frozenset(),
    how: CostName = "tablets_first",
) -> Composition | None:
    """The reference: try every combination of every product, no pruning. Tests only."""
    per_product = [[None, *options(i, p, amount)] for i, p in enumerate(products)]
    best: list[Option] | None = None
    best_cost: Cost | None = None

    def walk(i: int, chosen: list[Option], total: Fraction) -> None:
        nonlocal best, best_cost
        if i == len(per_product):
            if total == amount:
                c = cost(chosen, previous, products, how)
                if best_cost is None or c < best_cost:
                    best, best_cost = list(chosen), c
            return
        for option in per_product[i]:
            if option is None:
                walk(i + 1, chosen, total)
            else:
                walk(i + 1, [*chosen, option], total + option.mg)

    walk(0, [], Fraction(0))
    return None if best is None else _as_composition(best, products)


def composition_cost(
    composition: Composition, products: Sequence[Product], previous: frozenset[str] = frozenset(),
    how: CostName = "tablets_first",
) -> Cost:
    """The cost of a given composition, to compare two answers in tests."""
    index = {p.id: i for i, p in enumerate(products)}
    chosen = []
    for piece in composition.pieces:
        i = index[piece.product_id]
        product = products[i]
        if isinstance(product, Liquid):
            chosen.append(Option(i, piece.units, piece.mg, 1, 0))
        else:
            whole = piece.units.numerator // piece.units.denominator
            split = 0 if piece.units.denominator == 1 else 1
            chosen.append(Option(i, piece.units, piece.mg, whole + split, split))
    return cost(chosen, previous, products, how)
