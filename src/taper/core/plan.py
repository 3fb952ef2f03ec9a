"""A plan: dated steps, each dose realised as concrete pieces that add up exactly."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from fractions import Fraction
from typing import Literal

from taper.core.products import Product

Direction = Literal["taper", "titrate"]


@dataclass(frozen=True, slots=True)
class Piece:
    """Part of one dose from one product: `units` tablets (e.g. 3/4) or mL of a liquid."""

    product_id: str
    units: Fraction
    mg: Fraction


@dataclass(frozen=True, slots=True)
class Composition:
    """The pieces for one dose time; their mg always sum to the dose."""

    pieces: tuple[Piece, ...]

    @property
    def mg(self) -> Fraction:
        return sum((p.mg for p in self.pieces), Fraction(0))

    @property
    def product_ids(self) -> frozenset[str]:
        return frozenset(p.product_id for p in self.pieces)


@dataclass(frozen=True, slots=True)
class ScheduledDose:
    """What to take at one dose time during a step."""

    time: time
    mg: Fraction
    composition: Composition


@dataclass(frozen=True, slots=True)
class TaperStep:
    """A run of identical days: [start_date, end_date], both inclusive."""

    index: int  # 1-based, in plan order
    start_date: date
    end_date: date
    daily_mg: Fraction
    doses: tuple[ScheduledDose, ...]  # only the dose times with a dose this step
    previous_daily_mg: Fraction
    target_daily_mg: Fraction  # what the strategy asked for before realisation

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @property
    def change_mg(self) -> Fraction:
        return self.daily_mg - self.previous_daily_mg

    @property
    def change_percent(self) -> Fraction | None:
        """Change from the previous step as a percentage of it (negative for a cut)."""
        if self.previous_daily_mg == 0:
            return None
        return self.change_mg * 100 / self.previous_daily_mg


@dataclass(frozen=True, slots=True)
class PlanWarning:
    """A guard rail that fired: a stable code, plain words, and the step it concerns."""

    code: str
    message: str
    step: int | None = None
    details: Mapping[str, str] = field(default_factory=dict)

    @property
    def words(self) -> str:
        """The message naming its step once, for tables and pages (never the code)."""
        if self.step is None or self.message.startswith(f"Step {self.step}"):
            return self.message
        return f"Step {self.step}: {self.message}"


@dataclass(frozen=True, slots=True)
class SupplyLine:
    """How much of one product the whole plan needs, and from when."""

    product_id: str
    units: Fraction  # whole tablets/capsules/packets, or mL for a liquid
    first_needed: date
    last_needed: date
    bottles: int | None = None  # a liquid sold in bottles: how many to have
    discard_ml: Fraction | None = None  # mL thrown away: past use-within, or too little left


@dataclass(frozen=True, slots=True)
class Plan:
    """The realised schedule. `stop_date` is the first day with no dose (None: no stop)."""

    drug_id: str
    direction: Direction
    start_date: date
    timezone: str
    baseline: tuple[ScheduledDose, ...]  # the regimen before the first step (mg only known)
    steps: tuple[TaperStep, ...]
    stop_date: date | None
    warnings: tuple[PlanWarning, ...]
    supply: tuple[SupplyLine, ...]
    products: tuple[Product, ...]

    def product(self, product_id: str) -> Product:
        return next(p for p in self.products if p.id == product_id)

    def step_on(self, day: date) -> TaperStep | None:
        """The step in force on a day, or None before the plan or after the stop."""
        for step in self.steps:
            if step.start_date <= day <= step.end_date:
                return step
        return None

    def days(self) -> Iterator[tuple[date, TaperStep]]:
        """Every day of the plan with its step, in order."""
        for step in self.steps:
            for offset in range(step.days):
                yield step.start_date + timedelta(days=offset), step
