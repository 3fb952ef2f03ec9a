"""A chart of the daily dose across the plan, drawn with ReportLab graphics.

Coordinates are floats: this is a picture of the exact doses, never a source of them.
"""

from __future__ import annotations

from datetime import date

from reportlab.graphics.shapes import Drawing, Line, PolyLine, String
from reportlab.lib import colors

from taper.core.amounts import decimal_str
from taper.core.plan import Plan

_LEFT, _BOTTOM, _TOP_PAD, _RIGHT_PAD = 36.0, 28.0, 10.0, 10.0


def _tick_step(top: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500):
        if top / step <= 8:
            return step
    return 1000


def plan_span(plan: Plan) -> tuple[date, date]:
    """The chart's dates: the first step's first day to the stop (or the last step's end)."""
    return plan.steps[0].start_date, plan.stop_date or plan.steps[-1].end_date


def dose_chart(
    plan: Plan, width: float, height: float = 170.0, span: tuple[date, date] | None = None
) -> Drawing:
    """The daily dose (mg) as a step line from the first day to the stop (or last step).

    `span` widens the date axis (to line it up with the check-in chart under it).
    """
    drawing = Drawing(width, height)
    if not plan.steps:
        return drawing
    first, end = span or plan_span(plan)
    span_days = max((end - first).days + 1, 1)
    top = float(
        max(max(s.daily_mg for s in plan.steps), max(s.previous_daily_mg for s in plan.steps))
    )
    top = top or 1.0
    plot_w, plot_h = width - _LEFT - _RIGHT_PAD, height - _BOTTOM - _TOP_PAD

    def x(day: date) -> float:
        return _LEFT + plot_w * (day - first).days / span_days

    def y(mg: float) -> float:
        return _BOTTOM + plot_h * mg / top

    tick = _tick_step(top)
    for mg in range(0, int(top) + 1, tick):
        drawing.add(Line(_LEFT, y(mg), _LEFT + plot_w, y(mg), strokeColor=colors.lightgrey))
        drawing.add(String(_LEFT - 4, y(mg) - 3, f"{mg}", fontSize=7, textAnchor="end"))
    drawing.add(String(4, _BOTTOM + plot_h + 2, "mg/day", fontSize=7))
    before = y(float(plan.steps[0].previous_daily_mg))
    # The dose before the plan from the axis's first day (check-ins may start earlier), then
    # the cut on the first day.
    points: list[float] = [x(min(first, plan.steps[0].start_date)), before]
    if first < plan.steps[0].start_date:
        points += [x(plan.steps[0].start_date), before]
    for step in plan.steps:
        after = step.end_date.toordinal() + 1
        points += [x(step.start_date), y(float(step.daily_mg))]
        points += [x(date.fromordinal(after)), y(float(step.daily_mg))]
    if plan.stop_date is not None:
        points += [x(plan.stop_date), y(0.0)]
    drawing.add(PolyLine(points, strokeColor=colors.darkblue, strokeWidth=1.8))
    labelled = plan.steps[:: max(1, len(plan.steps) // 6)]
    for step in labelled:
        drawing.add(Line(x(step.start_date), _BOTTOM, x(step.start_date), _BOTTOM - 3))
        label = f"{step.start_date:%d %b}"
        drawing.add(
            String(x(step.start_date), _BOTTOM - 12, label, fontSize=7, textAnchor="middle")
        )
    last = plan.steps[-1]
    drawing.add(
        String(
            _LEFT + plot_w,
            _BOTTOM - 22,
            f"last step {decimal_str(last.daily_mg)} mg/day until {last.end_date:%d %b %Y}",
            fontSize=7,
            textAnchor="end",
        )
    )
    drawing.add(Line(_LEFT, _BOTTOM, _LEFT + plot_w, _BOTTOM))
    drawing.add(Line(_LEFT, _BOTTOM, _LEFT, _BOTTOM + plot_h))
    return drawing
