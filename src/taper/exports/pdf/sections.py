"""The plan's parts of the PDF: approval, summary, warnings, step table, tickable calendar."""

from __future__ import annotations

from datetime import date
from html import escape

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from taper.core.amounts import decimal_str, rounded_str
from taper.core.knowledge import DrugKnowledge
from taper.core.plan import Plan, TaperStep
from taper.exports.options import ExportOptions
from taper.exports.pdf.page import STYLES
from taper.exports.schedule import dose_times
from taper.exports.words import dose_words, mg_words

GRID = [
    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("FONTSIZE", (0, 0), (-1, -1), 8.5),
]
# ZapfDingbats holds its glyphs at their Unicode dingbat code points: U+274F is an empty
# square with a shadow, the box a person ticks when the dose is taken.
TICK_BOX = '<font name="ZapfDingbats">\u274f</font>'


def p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(text, STYLES[style])


def approval_box(options: ExportOptions) -> Table:
    """Approval status, boxed; red when no prescriber has reviewed the plan."""
    if options.is_approved:
        text = f"<b>Plan version {options.plan_version}: {escape(options.approval_status)}.</b>"
        colour = colors.darkgreen
    else:
        text = (
            f"<b>Plan version {options.plan_version}: {escape(options.approval_status)}.</b> "
            "Show it to your prescriber before you follow it."
        )
        colour = colors.darkred
    box = Table([[p(text)]], colWidths=["100%"])
    box.setStyle(
        TableStyle([("BOX", (0, 0), (-1, -1), 1.5, colour), ("PADDING", (0, 0), (-1, -1), 6)])
    )
    return box


def summary(plan: Plan, drug: DrugKnowledge, options: ExportOptions) -> list[Flowable]:
    """Who, what, when: the start, the doses from and to, the stop, the zone."""
    if not plan.steps:
        return [p("This plan has no steps.")]
    first, last = plan.steps[0], plan.steps[-1]
    stop = (
        f"The last dose is on {long_date(last.end_date)}. From {long_date(plan.stop_date)} "
        "there is no dose."
        if plan.stop_date
        else f"The last step runs until {long_date(last.end_date)}."
    )
    lines = [
        f"From <b>{decimal_str(first.previous_daily_mg)} mg</b> a day to "
        f"<b>{decimal_str(last.daily_mg)} mg</b> a day in {len(plan.steps)} steps, "
        f"starting {long_date(first.start_date)}. {stop}",
        f"Times are local clock times in {escape(plan.timezone)}.",
    ]
    if options.patient_name:
        lines.insert(0, f"For: <b>{escape(options.patient_name)}</b>")
    return [p(line) for line in lines]


def warnings(plan: Plan) -> list[Flowable]:
    """The guard rails that fired when the plan was made, in the planner's words."""
    if not plan.warnings:
        return []
    items = [
        p(f"• {escape(w.words)}") for w in plan.warnings
    ]
    return [p("Warnings", "h2"), *items]


def _change(step: TaperStep) -> str:
    percent = step.change_percent
    mg = f"{decimal_str(step.change_mg)} mg"
    return mg if percent is None else f"{mg} ({rounded_str(percent)} %)"


def long_date(day: date) -> str:
    """ "Tuesday 1 December 2026": weekday and month in words, so no date is misread."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def step_table(plan: Plan, width: float) -> Table:
    """One row per step: dates, daily dose, change, and each dose time's pieces in words."""
    times = dose_times(plan)
    head: list[object] = ["Step", "Dates", "Days", "Per day", "Change"]
    rows: list[list[object]] = [head + [f"{t:%H:%M}" for t in times]]
    for step in plan.steps:
        by_time = {d.time: d for d in step.doses if d.mg > 0}
        rows.append(
            [
                str(step.index),
                p(f"{short_date(step.start_date)} – {short_date(step.end_date)}", "cell"),
                str(step.days),
                f"{decimal_str(step.daily_mg)} mg",
                _change(step),
                *(
                    p(
                        f"{dose_words(by_time[t], plan.products)} ({mg_words(by_time[t].mg)})",
                        "cell",
                    )
                    if t in by_time
                    else "none"
                    for t in times
                ),
            ]
        )
    rest = (width - 262) / max(len(times), 1)
    table = Table(rows, repeatRows=1, colWidths=[28, 105, 28, 40, 61, *([rest] * len(times))])
    table.setStyle(TableStyle(GRID))
    return table


def calendar(plan: Plan, width: float) -> list[Flowable]:
    """Day by day, a box to tick for every dose; a line between steps."""
    times = dose_times(plan)
    rows: list[list[object]] = [["Date", "Step", *(f"{t:%H:%M}" for t in times), "Per day"]]
    style = list(GRID)
    for n, (day, step) in enumerate(plan.days(), start=1):
        by_time = {d.time: d for d in step.doses if d.mg > 0}
        cells = [
            p(f"{TICK_BOX} {dose_words(by_time[t], plan.products)}", "cell")
            if t in by_time
            else "none"
            for t in times
        ]
        rows.append(
            [f"{day:%a %d %b %Y}", str(step.index), *cells, f"{decimal_str(step.daily_mg)} mg"]
        )
        if day == step.start_date and step.index > 1:
            style.append(("LINEABOVE", (0, n), (-1, n), 1.2, colors.black))
    if plan.stop_date is not None:
        stop = plan.stop_date
        rows.append([f"{stop:%a} {short_date(stop)}", "", *(["no dose"] * len(times)), "0 mg"])
    rest = (width - 160) / max(len(times), 1)
    table = Table(rows, repeatRows=1, colWidths=[82, 32, *([rest] * len(times)), 46])
    table.setStyle(TableStyle(style))
    return [p("Day by day: tick each dose when you take it", "h2"), table, Spacer(1, 6)]


def monitoring_note(period: tuple[date, date] | None) -> list[Flowable]:
    """After the calendar: check-ins go on after the last dose, from the stop date to the
    period's last day (HZ-104); nothing when the plan has no monitoring period."""
    if period is None:
        return []
    first, last = period
    days = (last - first).days + 1
    return [
        p("After the last dose: keep checking in", "h2"),
        p(f"Keep checking in daily from <b>{long_date(first)}</b> to <b>{long_date(last)}</b> "
          f"({days} day{'s' if days != 1 else ''}), even though there is no dose left to "
          "take. For anything new or worse, see the red-flag card and “If symptoms are new "
          "or worse”."),
    ]  # fmt: skip
