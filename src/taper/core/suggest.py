"""Name a product that would let a step be cut no more than the pace asks (SPEC P6)."""

from __future__ import annotations

from fractions import Fraction

from taper.core.amount_sets import amount_sets
from taper.core.composer import fraction_gcd, granule
from taper.core.limits import MAX_GRAINS
from taper.core.products import Liquid, Product, Solid, describe
from taper.core.request import PlanRequest


def _same(a: Product, b: Product) -> bool:
    if isinstance(a, Liquid) and isinstance(b, Liquid):
        return a.mg_per_ml == b.mg_per_ml and a.measure_step_ml >= b.measure_step_ml
    if isinstance(a, Solid) and isinstance(b, Solid):
        return a.strength_mg == b.strength_mg and a.divisible_into >= b.divisible_into
    return False


def product_for_cut(request: PlanRequest, dose_times: int, target: Fraction, prev: Fraction) -> str:
    """Plain words: which catalogue product would make a dose in [target, prev)."""
    product = product_making_cut(request, dose_times, target, prev)
    if product is None:
        return "a liquid or a compounded strength would allow the requested cut."
    return f"a {describe(product)} ({product.id}) would allow the requested cut."


def product_making_cut(
    request: PlanRequest, dose_times: int, target: Fraction, prev: Fraction
) -> Product | None:
    """The catalogue product that would make a daily dose in [target, prev), if any."""
    limit = max(request.regimen.daily_mg, prev)
    best: tuple[tuple[Fraction, int, int], Product] | None = None
    for rank, candidate in enumerate(request.drug.catalogue):
        if any(_same(held, candidate) for held in request.products):
            continue
        together = (*request.products, candidate)
        if limit / fraction_gcd([granule(p) for p in together]) > MAX_GRAINS:
            continue  # too fine a grid to search (taper.core.limits)
        sets = amount_sets(together, dose_times, limit)
        reachable = sets.lowest_day_total_from(target, prev)
        if reachable is None or reachable <= 0:
            continue
        # Nearest the requested dose first; on a tie a liquid, which the seeds recommend for
        # small final steps (SPEC "Stopping"), then the catalogue's order.
        key = (reachable - target, 0 if isinstance(candidate, Liquid) else 1, rank)
        if best is None or key < best[0]:
            best = (key, candidate)
    return None if best is None else best[1]
