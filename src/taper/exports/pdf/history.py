"""The check-in history beside the dose chart (web app): a chart of the day's symptom
ratings added up, on the dose chart's date axis, and a table of every check-in as recorded.

The sum of ratings is a picture of the trend, not a validated score: the decisions are the
monitoring engine's, which looks at each symptom against its own rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle

from taper.core.monitoring.checkin import CheckIn, effective
from taper.core.monitoring.symptoms import SEVERE, Symptom
from taper.core.plan import Plan
from taper.exports.pdf.chart import plan_span
from taper.exports.pdf.sections import GRID, p, short_date
from taper.exports.readings import SEVERITY, celsius_text, times_text

_LEFT, _BOTTOM, _TOP_PAD, _RIGHT_PAD = 36.0, 28.0, 10.0, 10.0  # as the dose chart's


def history_span(
    plan: Plan, checkins: Sequence[CheckIn], monitoring: tuple[date, date] | None = None
) -> tuple[date, date]:
    """The plan's dates widened to take in every check-in and the monitoring period's last
    day (check-ins go on after the last dose); both charts share this axis."""
    first, end = plan_span(plan)
    days = [c.date for c in checkins] + ([monitoring[1]] if monitoring else [])
    return min([first, *days]), max([end, *days])


def burden(checkin: CheckIn) -> int:
    """The day's symptom ratings (0–3 each) added up."""
    return sum(checkin.symptoms.values())


def burden_chart(
    checkins: Sequence[CheckIn],
    symptoms: Sequence[Symptom],
    span: tuple[date, date],
    width: float,
    height: float = 110.0,
) -> Drawing:
    """One bar per check-in day, its height the sum of the day's symptom ratings."""
    drawing = Drawing(width, height)
    days = effective(checkins)
    first, end = span
    span_days = max((end - first).days + 1, 1)
    top = float(max([SEVERE * 2, *(burden(c) for c in days)]))
    plot_w, plot_h = width - _LEFT - _RIGHT_PAD, height - _BOTTOM - _TOP_PAD
    bar = max(plot_w / span_days * 0.8, 1.0)

    def x(day: date) -> float:
        return _LEFT + plot_w * (day - first).days / span_days

    for level in (0, int(top // 2), int(top)):
        y = _BOTTOM + plot_h * level / top
        drawing.add(Line(_LEFT, y, _LEFT + plot_w, y, strokeColor=colors.lightgrey))
        drawing.add(String(_LEFT - 4, y - 3, f"{level}", fontSize=7, textAnchor="end"))
    drawing.add(String(4, _BOTTOM + plot_h + 2, "symptom ratings added up", fontSize=7))
    for c in days:
        h = plot_h * burden(c) / top
        drawing.add(Rect(x(c.date), _BOTTOM, bar, max(h, 0.8), fillColor=colors.darkorange,
                         strokeColor=None))  # fmt: skip
    drawing.add(String(_LEFT, _BOTTOM - 12, f"{first:%d %b}", fontSize=7))
    drawing.add(
        String(_LEFT + plot_w, _BOTTOM - 12, f"{end:%d %b %Y}", fontSize=7, textAnchor="end")
    )
    drawing.add(Line(_LEFT, _BOTTOM, _LEFT + plot_w, _BOTTOM))
    drawing.add(Line(_LEFT, _BOTTOM, _LEFT, _BOTTOM + plot_h))
    return drawing


def _symptoms_text(checkin: CheckIn, symptoms: Sequence[Symptom]) -> str:
    rated = [f"{escape(s.wording)}: {SEVERITY[checkin.symptoms[s.id]]}"
             for s in symptoms if checkin.symptoms.get(s.id)]  # fmt: skip
    return "; ".join(rated) or "none"


def _or_dash(value: object) -> str:
    return "–" if value is None else str(value)


# A table row cannot break across pages, so a long note is cut short in its row and given in
# full below the table, where it wraps across as many pages as it needs (issue 16).
NOTE_IN_ROW = 200


def _excerpt(note: str) -> str:
    return note if len(note) <= NOTE_IN_ROW else note[:NOTE_IN_ROW].rstrip() + "… (in full below)"


def long_notes(checkins: Sequence[CheckIn]) -> list[Flowable]:
    """The notes too long for their row, in full, oldest first."""
    long = [c for c in effective(checkins) if len(c.note) > NOTE_IN_ROW]
    if not long:
        return []
    return [p("Notes in full", "h2"),
            *(p(f"<b>{short_date(c.date)}</b>: {escape(c.note)}", "small") for c in long)]


def history_table(
    checkins: Sequence[CheckIn], symptoms: Sequence[Symptom], plan: Plan, width: float
) -> Table:
    """Every check-in day (amendments applied), oldest first, with what was recorded."""
    head = ["Date", "Step", "Symptoms above none", "Sum", "Stiffness 0–10", "Sleep 0–10",
            "°C", "Pulse", "Doses taken"]  # fmt: skip
    rows: list[list[object]] = [[p(h, "cell") for h in head]]
    for c in effective(checkins):
        step = plan.step_on(c.date)
        doses = "–" if c.doses_taken is None else (times_text(c.doses_taken) or "none")
        note = f"<br/><i>{escape(_excerpt(c.note))}</i>" if c.note else ""
        rows.append([
            short_date(c.date), "before" if step is None and c.date < plan.start_date
            else _or_dash(step and step.index), p(_symptoms_text(c, symptoms) + note, "cell"),
            str(burden(c)), _or_dash(c.spasticity), _or_dash(c.sleep_quality),
            "–" if c.temperature_c is None else celsius_text(c.temperature_c),
            _or_dash(c.heart_rate), p(doses, "cell"),
        ])  # fmt: skip
    rest = width - 314
    table = Table(rows, repeatRows=1, colWidths=[58, 30, rest, 26, 40, 36, 32, 32, 60])
    table.setStyle(TableStyle(GRID))
    return table


def checkin_history(
    plan: Plan,
    checkins: Sequence[CheckIn],
    symptoms: Sequence[Symptom],
    width: float,
    monitoring: tuple[date, date] | None = None,
) -> list[Flowable]:
    """The heading, the ratings chart on the dose chart's axis, the caveat and the table."""
    span = history_span(plan, checkins, monitoring)
    return [
        p("Check-in history", "h2"),
        burden_chart(checkins, symptoms, span, width),
        p("Each bar adds up the day's symptom ratings (0 none to 3 severe each). It shows the "
          "trend; it is not a score. Decisions come from each symptom's own rules.", "small"),
        history_table(checkins, symptoms, plan, width),
        *long_notes(checkins),
    ]  # fmt: skip
