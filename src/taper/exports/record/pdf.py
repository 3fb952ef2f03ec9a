"""The whole record as a document a person can read, beside the FHIR Bundle: who, every
plan version with its steps, every check-in row as entered, every decision's words, the
follow-ups and the doses marked as taken. Page furniture as the plan report's (ReportLab).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table, TableStyle

from taper.core.amounts import decimal_str
from taper.exports.pdf.page import MARGIN, footer_canvas, page_size
from taper.exports.pdf.sections import GRID, p
from taper.exports.readings import SEVERITY, celsius_text, times_text
from taper.exports.record.model import CheckInRow, PatientRecord, VersionRow

STATUS_WORDS = {
    "draft": "a draft, not yet reviewed", "approved": "approved, not started yet",
    "active": "in use", "changed": "replaced by a newer version", "completed": "finished",
    "stopped": "stopped", "withdrawn": "withdrawn before use",
}  # fmt: skip
ACTION_WORDS = {
    "proceed": "Carry on with the plan", "hold": "Stay on the current dose for now",
    "contact_prescriber": "Contact your prescriber", "emergency": "Emergency advice given",
}  # fmt: skip


def _day(day: date) -> str:
    """Dates in words ("Fri 4 Dec 2026"): never a bare number a reader could misread."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def _local(at: datetime, zone: str) -> str:
    local = at.astimezone(ZoneInfo(zone))
    return f"{_day(local.date())}, {local:%H:%M}"


def _table(rows: list[list[object]], widths: list[float]) -> Table:
    table = Table(rows, repeatRows=1, colWidths=widths)
    table.setStyle(TableStyle(GRID))
    return table


def _version(v: VersionRow, record: PatientRecord, width: float) -> list[Flowable]:
    drug = record.drug_names.get(v.drug_id, v.drug_id)
    head = (f"{escape(drug)} plan {v.plan_id}, version {v.number}: "
            f"{STATUS_WORDS.get(v.status, v.status)}")
    lines = [f"Made {_local(v.created_at, record.timezone)}"
             + (f" by {escape(v.created_by)}" if v.created_by else "") + "."]
    if v.approved_by and v.approved_at:
        lines.append(f"Approved by {escape(v.approved_by)}, "
                     f"{_local(v.approved_at, record.timezone)}."
                     + (f" {escape(v.approval_note)}" if v.approval_note else ""))
    for e in v.events:
        lines.append(f"{_local(e.at, record.timezone)}: {escape(e.kind)}"
                     + (f" ({escape(e.note)})" if e.note else ""))
    if v.end_reason:
        lines.append(f"Ended: {escape(v.end_reason)}")
    rows: list[list[object]] = [[p(h, "cell") for h in ("Step", "From", "To", "Daily dose")]]
    for step in v.plan.steps:
        rows.append([str(step.index), _day(step.start_date), _day(step.end_date),
                     f"{decimal_str(step.daily_mg)} mg"])
    return [p(head, "h2"), *(p(line, "small") for line in lines), Spacer(1, 4),
            _table(rows, [40, (width - 40) / 3, (width - 40) / 3, (width - 40) / 3])]


def _symptoms(row: CheckInRow, record: PatientRecord) -> str:
    names = {s.id: s.wording for s in record.symptoms}
    rated = [f"{escape(names.get(k, k))}: {SEVERITY[v]}"
             for k, v in row.checkin.symptoms.items() if v]  # fmt: skip
    return "; ".join(rated) or "none"


def _checkins(record: PatientRecord, width: float) -> list[Flowable]:
    if not record.checkins:
        return [p("Check-ins", "h2"), p("No check-ins recorded.")]
    head = ["Day", "Entered", "Symptoms", "Stiffness 0–10", "Sleep 0–10", "°C", "Pulse",
            "Doses taken"]  # fmt: skip
    rows: list[list[object]] = [[p(h, "cell") for h in head]]
    for row in record.checkins:
        c = row.checkin
        note = f"<br/><i>{escape(c.note)}</i>" if c.note else ""
        again = "<br/>(a correction)" if row.amends_id is not None else ""
        rows.append([
            p(_day(c.date), "cell"), p(_local(row.created_at, record.timezone) + again, "cell"),
            p(_symptoms(row, record) + note, "cell"),
            "–" if c.spasticity is None else str(c.spasticity),
            "–" if c.sleep_quality is None else str(c.sleep_quality),
            "–" if c.temperature_c is None else celsius_text(c.temperature_c),
            "–" if c.heart_rate is None else str(c.heart_rate),
            p("–" if c.doses_taken is None else (times_text(c.doses_taken) or "none"), "cell"),
        ])  # fmt: skip
    rest = width - 342
    return [p("Check-ins", "h2"), _table(rows, [62, 70, rest, 50, 36, 30, 38, 56])]


def _decisions(record: PatientRecord, width: float) -> list[Flowable]:
    if not record.decisions:
        return []
    rows: list[list[object]] = [[p(h, "cell") for h in ("When", "What Taper said", "Seen")]]
    for d in record.decisions:
        seen = "–" if d.acknowledged_at is None else _local(d.acknowledged_at, record.timezone)
        rows.append([p(_local(d.created_at, record.timezone), "cell"),
                     p(f"<b>{ACTION_WORDS.get(d.action, escape(d.action))}</b><br/>"
                       f"{escape(d.message)}", "cell"), p(seen, "cell")])
    return [p("After each check-in", "h2"), _table(rows, [90, width - 180, 90])]


def _other(record: PatientRecord) -> list[Flowable]:
    found: list[Flowable] = []
    if record.followups:
        found.append(p("Follow-ups", "h2"))
        for f in record.followups:
            at = "" if f.time is None else f" at {f.time:%H:%M}"
            found.append(p(f"{_day(f.date)}{at}" + (f": {escape(f.note)}" if f.note else "")))
    if record.doses_taken:
        found.append(p("Doses you marked as taken", "h2"))
        by_day: dict[date, list[str]] = {}
        for d in record.doses_taken:
            by_day.setdefault(d.date, []).append(f"{d.time:%H:%M}")
        for day, times in by_day.items():
            found.append(p(f"{_day(day)}: {', '.join(times)}", "small"))
    return found


def render_pdf(record: PatientRecord) -> bytes:
    """The record as a PDF; the same rows give the same bytes."""
    out = io.BytesIO()
    size = page_size(record.timezone)
    made = _local(record.generated_at, record.timezone)
    doc = SimpleDocTemplate(out, pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN + 6,
                            title=f"Health record of {record.name}", author="Taper")
    width = size[0] - 2 * MARGIN
    story: list[Flowable] = [
        p(f"Health record of {escape(record.name)}", "title"),
        p(f"Everything Taper keeps about you, as of {made}. The same record comes as a FHIR "
          "file that another health record system can read."),
        p(f"E-mail: {escape(record.email)}. Times are shown in your own time zone."
          + (f" Your clinician: {escape(record.clinician)}." if record.clinician else "")),
    ]
    for v in record.versions:
        story += _version(v, record, width)
    if not record.versions:
        story.append(p("No plans recorded."))
    story += [*_checkins(record, width), *_decisions(record, width), *_other(record)]
    doc.build(story, canvasmaker=footer_canvas(f"Health record of {record.name} · made {made}"))
    return out.getvalue()
