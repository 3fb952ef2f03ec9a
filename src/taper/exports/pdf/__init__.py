"""The PDF report (SPEC X1): step table, chart, red-flag card, day-by-day calendar, and
the education content, with the plan version, approval status and page number on every
page. Given check-ins (the web app), their history follows the dose chart on the same
date axis, through the monitoring period after the last dose when there is one (a note
after the day-by-day calendar gives its dates). ReportLab (docs/adr/0010-pdf-library.md).
"""

from __future__ import annotations

import io

from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer

from taper.core.knowledge import DrugKnowledge
from taper.core.plan import Plan
from taper.exports.options import ExportOptions
from taper.exports.pdf.care import guidance, never_stop, red_flag_card, source_numbers
from taper.exports.pdf.chart import dose_chart
from taper.exports.pdf.history import checkin_history, history_span
from taper.exports.pdf.page import MARGIN, STYLES, footer_canvas, page_size
from taper.exports.pdf.sections import (
    approval_box,
    calendar,
    monitoring_note,
    p,
    step_table,
    summary,
    warnings,
)  # fmt: skip
from taper.exports.schedule import monitoring_period
from taper.knowledge.education import load_education


def footer(plan: Plan, drug: DrugKnowledge, options: ExportOptions) -> str:
    """The line on every page: drug, plan version, approval status, date made."""
    return (
        f"{drug.name} plan · version {options.plan_version} · {options.approval_status} · "
        f"made {options.generated_on:%d %b %Y}"
    )


def render(plan: Plan, drug: DrugKnowledge, options: ExportOptions) -> bytes:
    """The report; KeyError when there is no education content (no red-flag card) for the drug."""
    education = load_education(drug.id)
    numbers = source_numbers(education)
    out = io.BytesIO()
    size = page_size(plan.timezone)
    doc = SimpleDocTemplate(
        out,
        pagesize=size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 6,
        title=f"{drug.name} plan, version {options.plan_version}",
        author="Taper",
        subject=options.approval_status,
    )
    width = size[0] - 2 * MARGIN
    history: list[Flowable] = []
    span = None
    monitoring = monitoring_period(plan, options.monitoring_days)
    if options.checkins and plan.steps:
        span = history_span(plan, options.checkins, monitoring)
        history = checkin_history(plan, options.checkins, options.symptoms, width, monitoring)
    story: list[Flowable] = [
        Paragraph(f"{drug.name}: your dose plan", STYLES["title"]),
        approval_box(options),
        Spacer(1, 6),
        *summary(plan, drug, options),
        Spacer(1, 6),
        never_stop(education, numbers),
        *warnings(plan),
        p("Steps", "h2"),
        step_table(plan, width),
        p("Daily dose across the plan", "h2"),
        dose_chart(plan, width, span=span),
        *history,
        red_flag_card(education, numbers),
        PageBreak(),
        *calendar(plan, width),
        *monitoring_note(monitoring),
        *guidance(education, numbers),
    ]
    doc.build(story, canvasmaker=footer_canvas(footer(plan, drug, options)))
    return out.getvalue()
