"""The regimen a plan starts from: dose times in a named zone, each with its amount (SPEC P1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from fractions import Fraction


@dataclass(frozen=True, slots=True)
class DoseTime:
    """One dose at a local wall-clock time ("08:00" in the regimen's zone)."""

    time: time
    mg: Fraction


@dataclass(frozen=True, slots=True)
class Regimen:
    """The current doses, the day the plan starts and the zone its clock times are in."""

    doses: tuple[DoseTime, ...]
    start_date: date
    timezone: str

    @property
    def daily_mg(self) -> Fraction:
        return sum((d.mg for d in self.doses), Fraction(0))

    @property
    def times(self) -> tuple[time, ...]:
        return tuple(d.time for d in self.doses)
