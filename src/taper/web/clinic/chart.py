"""The patient page's chart: the daily dose per step above, symptom burden, spasticity and
sleep below, on one date axis. Server-rendered SVG (no script, no CDN); the same numbers go
in a table beside it for screen readers and for anyone who reads tables better.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from taper.core.plan import Plan
from taper.exports.words import mg_words

WIDTH, LEFT, RIGHT = 720, 56, 16
DOSE_TOP, DOSE_H, GAP, SCORE_H = 16, 120, 40, 120
SCORE_TOP = DOSE_TOP + DOSE_H + GAP
HEIGHT = SCORE_TOP + SCORE_H + 28
SERIES = (  # name, label, stroke pattern (told apart without colour)
    ("burden", "Symptom burden (ratings added up)", ""),
    ("spasticity", "Spasticity (0–10)", "6 3"),
    ("sleep", "Sleep quality (0–10)", "2 3"),
)


@dataclass(frozen=True)
class DayRow:
    day: date
    daily: str
    burden: int | None
    spasticity: int | None
    sleep: int | None


def _daily_on(plan: Plan, day: date) -> Fraction:
    if day < plan.start_date:
        return sum((d.mg for d in plan.baseline), Fraction(0))
    step = plan.step_on(day)
    return Fraction(0) if step is None else step.daily_mg


def _effective(checkins: Iterable[Any]) -> dict[date, dict[str, Any]]:
    """One check-in a day: a later one for the same date amends."""
    return {c.date: c.data for c in sorted(checkins, key=lambda c: (c.date, c.pk))}


def chart(plan: Plan, checkins: Iterable[Any]) -> dict[str, Any]:
    """The SVG's shapes and the table's rows for a plan and the patient's check-ins."""
    days = _effective(checkins)
    last = plan.stop_date or (plan.steps[-1].end_date if plan.steps else plan.start_date)
    first = min([plan.start_date - timedelta(days=1), *days])
    end = max([last, *days])
    span = max((end - first).days, 1)
    plot_w = WIDTH - LEFT - RIGHT

    def x(day: date) -> float:
        return round(LEFT + plot_w * (day - first).days / span, 1)

    top_mg = max([_daily_on(plan, first + timedelta(days=i)) for i in range(span + 1)]
                 + [Fraction(1)])

    def y_mg(mg: Fraction) -> float:
        return round(DOSE_TOP + DOSE_H * (1 - float(mg / top_mg)), 1)

    dose: list[tuple[float, float]] = []
    previous = None
    for i in range(span + 1):
        day = first + timedelta(days=i)
        mg = _daily_on(plan, day)
        if mg != previous:
            if previous is not None:
                dose.append((x(day), y_mg(previous)))
            dose.append((x(day), y_mg(mg)))
            previous = mg
    dose.append((x(end), y_mg(previous or Fraction(0))))

    rows = [DayRow(d, mg_words(_daily_on(plan, d)),
                   sum(int(v) for v in data.get("symptoms", {}).values()),
                   data.get("spasticity"), data.get("sleep_quality"))
            for d, data in sorted(days.items())]
    top_score = max([10, *(r.burden or 0 for r in rows)])

    def y_score(value: int) -> float:
        return round(SCORE_TOP + SCORE_H * (1 - value / top_score), 1)

    lines = []
    for name, label, dash in SERIES:
        points = [(x(r.day), y_score(getattr(r, name))) for r in rows
                  if getattr(r, name) is not None]
        lines.append({"name": name, "label": label, "dash": dash,
                      "points": " ".join(f"{a},{b}" for a, b in points),
                      "dots": points})
    ticks = [first + timedelta(days=round(span * k / 4)) for k in range(5)]
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT,
        "dose_top": DOSE_TOP, "dose_bottom": DOSE_TOP + DOSE_H,
        "score_top": SCORE_TOP, "score_bottom": SCORE_TOP + SCORE_H,
        "dose_points": " ".join(f"{a},{b}" for a, b in dose), "top_mg": mg_words(top_mg),
        "top_score": top_score, "lines": lines, "rows": rows,
        "ticks": [(x(t), t) for t in ticks], "label_y": SCORE_TOP + SCORE_H + 18,
        "first": first, "end": end,
    }
