"""Realise one dose from the products at hand: pieces that add up exactly, at least cost.

The cost (SPEC P4), compared in this order:
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

from taper.core.plan import Composition, Piece
from taper.core.products import Liquid, Product, Solid

Cost = tuple[int, int, int, int, tuple[tuple[int, Fraction], ...]]


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


def exact_option(index: int, product: Product, amount: Fraction) -> Option | None:
    """The one way to make exactly `amount` from this product alone, if there is one."""
    if isinstance(product, Liquid):
        ml = amount / product.mg_per_ml
        return Option(index, ml, amount, 1, 0) if product.measurable(ml) else None
    units = amount / product.strength_mg
    if (units * product.divisible_into).denominator != 1:
        return None
    whole = units.numerator // units.denominator
    split = 0 if units.denominator == 1 else 1
    return Option(index, units, amount, whole + split, split)


def cost(chosen: Sequence[Option], previous: frozenset[str], products: Sequence[Product]) -> Cost:
    things = sum(o.things for o in chosen)
    switches = sum(1 for o in chosen if previous and products[o.index].id not in previous)
    splits = sum(o.split for o in chosen)
    order = tuple(sorted((o.index, -o.units) for o in chosen))
    return (things, len(chosen), switches, splits, order)


def _as_composition(chosen: Sequence[Option], products: Sequence[Product]) -> Composition:
    ordered = sorted(chosen, key=lambda o: o.index)
    return Composition(tuple(Piece(products[o.index].id, o.units, o.mg) for o in ordered))


def compose(
    amount: Fraction,
    products: Sequence[Product],
    previous: frozenset[str] = frozenset(),
) -> Composition | None:
    """The least-cost pieces that add up to `amount` exactly, or None if none exist."""
    return _compose(Fraction(amount), tuple(products), previous)


@lru_cache(maxsize=65536)
def _compose(
    amount: Fraction, products: tuple[Product, ...], previous: frozenset[str]
) -> Composition | None:
    if amount == 0:
        return Composition(())
    if amount < 0:
        return None
    # Solids first, liquids last (the cost still uses each product's listed index), so the
    # last product can be settled in one step: only the exact remainder can finish a dose.
    order = sorted(range(len(products)), key=lambda i: isinstance(products[i], Liquid))
    # suffix_grain[j]: every amount the products from order[j] on can make is a multiple of
    # it. A remainder that is not cannot be finished, which prunes most of the search at once.
    suffix_grain = [Fraction(0)] * (len(order) + 1)
    for j in range(len(order) - 1, -1, -1):
        suffix_grain[j] = fraction_gcd([granule(products[order[j]]), suffix_grain[j + 1]])
    best: list[Option] | None = None
    best_cost: Cost | None = None
    chosen: list[Option] = []

    def search(j: int, remaining: Fraction, things: int) -> None:
        nonlocal best, best_cost
        if remaining == 0:
            c = cost(chosen, previous, products)
            if best_cost is None or c < best_cost:
                best, best_cost = list(chosen), c
            return
        if j == len(order) or (remaining / suffix_grain[j]).denominator != 1:
            return
        if best_cost is not None and things + 1 > best_cost[0]:
            return  # at least one more thing is needed, and that is already worse
        i = order[j]
        if j == len(order) - 1:
            candidates: Iterator[Option] = iter(
                [o for o in (exact_option(i, products[i], remaining),) if o is not None])
        else:
            candidates = options(i, products[i], remaining)
        for option in candidates:
            if best_cost is not None and things + option.things > best_cost[0]:
                continue
            chosen.append(option)
            search(j + 1, remaining - option.mg, things + option.things)
            chosen.pop()
        search(j + 1, remaining, things)

    search(0, amount, 0)
    return None if best is None else _as_composition(best, products)


def compose_exhaustively(
    amount: Fraction,
    products: Sequence[Product],
    previous: frozenset[str] = frozenset(),
) -> Composition | None:
    """The reference: try every combination of every product, no pruning. Tests only."""
    per_product = [[None, *options(i, p, amount)] for i, p in enumerate(products)]
    best: list[Option] | None = None
    best_cost: Cost | None = None

    def walk(i: int, chosen: list[Option], total: Fraction) -> None:
        nonlocal best, best_cost
        if i == len(per_product):
            if total == amount:
                c = cost(chosen, previous, products)
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
    composition: Composition, products: Sequence[Product], previous: frozenset[str] = frozenset()
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
    return cost(chosen, previous, products)
