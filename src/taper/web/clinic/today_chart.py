"""Today's chart, drawn for a phone: the daily dose over the whole plan as steps, today as
a line, each check-in as a dot. The viewBox is as wide as a phone's column (360), so 13-unit
labels are at least 12 px at 390 px (tests/browser/test_phone.py measures it)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from taper.core.plan import Plan
from taper.exports.words import mg_words
from taper.web.clinic.wording import day_words

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 360, 190, 62, 12, 22, 150


def _daily_on(plan: Plan, day: date) -> Fraction:
    if day < plan.start_date:
        return sum((d.mg for d in plan.baseline), Fraction(0))
    step = plan.step_on(day)
    return Fraction(0) if step is None else step.daily_mg


# The dose line of a plan between two days is the same all day for everyone who sees it:
# kept per plan object (plans are immutable and parsed once per version: clinic/lean.py),
# so Today does not walk the plan day by day on every visit (issue 17).
_lines: dict[tuple[int, date, date], tuple[Plan, Fraction, str]] = {}
LINES_KEPT = 256


def _line(plan: Plan, first: date, last: date, span: int) -> tuple[Fraction, str]:
    """The highest daily dose and the polyline's points, from `first` to `last`."""
    key = (id(plan), first, last)
    kept = _lines.get(key)
    if kept is not None and kept[0] is plan:  # the same object, not a new one at its address
        return kept[1], kept[2]
    top = max([_daily_on(plan, first + timedelta(days=i)) for i in range(span + 1)]
              + [Fraction(1)])

    def x(day: date) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span, 1)

    def y(mg: Fraction) -> float:
        return round(TOP + (BOTTOM - TOP) * (1 - float(mg / top)), 1)

    points: list[tuple[float, float]] = []
    previous: Fraction | None = None
    for i in range(span + 1):
        day = first + timedelta(days=i)
        mg = _daily_on(plan, day)
        if mg != previous:
            if previous is not None:
                points.append((x(day), y(previous)))
            points.append((x(day), y(mg)))
            previous = mg
    points.append((x(last), y(previous or Fraction(0))))
    line = " ".join(f"{a},{b}" for a, b in points)
    if len(_lines) >= LINES_KEPT:
        _lines.clear()
    _lines[key] = (plan, top, line)  # holding the plan keeps its id from being reused
    return top, line


def today_chart(plan: Plan, checkin_days: Iterable[date], today: date) -> dict[str, Any]:
    """The shapes of the chart and its words (title, description) for one plan."""
    first = min(plan.start_date - timedelta(days=1), today)
    last = max(plan.stop_date or (plan.steps[-1].end_date if plan.steps else plan.start_date),
               today)
    span = max((last - first).days, 1)
    top, points = _line(plan, first, last, span)

    def x(day: date) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span, 1)

    dots = sorted({x(d) for d in checkin_days if first <= d <= last})
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "top": TOP,
        "bottom": BOTTOM, "points": points,
        "today_x": x(today), "dots": dots, "top_mg": mg_words(top),
        # The drawing's numbers as the page writes them (never localised: "62.5", not
        # "62,5"), and the dots as one piece of markup: a loop of 30-180 circles in the
        # template was a sixth of Today's rendering (stop 14).
        "svg": _numbers(x(today)), "dots_svg": _dots(dots),
        "first": f"{first.day} {day_words(first).split()[2]}",
        "last": f"{last.day} {day_words(last).split()[2]}", "label_y": BOTTOM + 22,
        "description": _("Your daily dose from %(first)s to %(last)s, highest %(top)s; "
                         "today is %(today)s; %(checkins)s.") % {
            "first": day_words(first), "last": day_words(last), "top": mg_words(top),
            "today": day_words(today),
            "checkins": ngettext("%(n)d day with a check-in", "%(n)d days with a check-in",
                                 len(dots)) % {"n": len(dots)}},
    }


def _numbers(today_x: float) -> dict[str, str]:
    """The chart's coordinates as text, the same characters `{% localize off %}` wrote."""
    return {"width": str(WIDTH), "height": str(HEIGHT), "left": str(LEFT),
            "right": str(WIDTH - RIGHT), "bottom": str(BOTTOM), "today_x": str(today_x),
            "label_x": str(LEFT - 6), "top_label_y": str(TOP + 5), "today_top": str(TOP - 10),
            "today_label_y": str(TOP - 12), "label_y": str(BOTTOM + 22)}


def _dots(dots: list[float]) -> SafeString:
    """One circle a check-in day; only numbers computed here go into the markup."""
    return mark_safe("".join(  # floats formatted by str(): no outside text goes in
        f'<circle cx="{dx}" cy="{BOTTOM - 6}" r="4" fill="currentColor" class="checkin-dot"/>'
        for dx in dots))
