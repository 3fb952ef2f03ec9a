"""The pharmacy summary (SPEC P7, X3): per product, the quantity for the whole plan and per
refill period, the date first needed, and the directions in pharmacy form. One page.

`render` gives a PDF (shrunk to fit one page); `render_text` the same content as plain text
for a fax cover or an e-prescription note. Quantities follow taper.exports.supply; where
the planner has computed `plan.supply`, its whole-plan totals and dates are shown.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from html import escape

from reportlab.platypus import KeepInFrame, Paragraph, SimpleDocTemplate, Spacer

from taper.core.amounts import decimal_str
from taper.core.knowledge import DrugKnowledge
from taper.core.plan import Plan, SupplyLine
from taper.core.products import Liquid, Product, describe
from taper.exports.options import ExportOptions
from taper.exports.pdf.page import MARGIN, STYLES, footer_canvas, page_size
from taper.exports.supply import ProductSupply, supply
from taper.exports.words import units_words

RULE = (
    "Quantities: tablet parts taken in each period, added exactly and rounded up to whole "
    "tablets; each period on its own (cut parts are not carried over), so periods may add "
    "up to a little more than the whole plan. Liquids in exact mL."
)


@dataclass(frozen=True, slots=True)
class DispenseLine:
    """One product as the pharmacy needs it."""

    supply: ProductSupply
    total: Fraction  # the whole plan's quantity (the planner's, when it gave one)
    first_needed: date
    directions: tuple[str, ...]


def amount(product: Product, units: Fraction) -> str:
    """ "83 tablets", "¾ tablet", "90 mL"."""
    if isinstance(product, Liquid):
        return f"{decimal_str(units)} mL"
    words = units_words(units) if units.denominator != 1 else str(units.numerator)
    return f"{words} {product.form}{'' if units <= 1 else 's'}"


def directions(plan: Plan, product: Product) -> tuple[str, ...]:
    """Per step that uses the product: the dates and what to take of it at each time."""
    lines = []
    for step in plan.steps:
        parts = []
        for dose in sorted(step.doses, key=lambda d: d.time):
            units = sum(
                (p.units for p in dose.composition.pieces if p.product_id == product.id),
                Fraction(0),
            )
            if units:
                parts.append(f"{amount(product, units)} at {dose.time:%H:%M}")
        if parts:
            lines.append(
                f"{step.start_date.isoformat()} to {step.end_date.isoformat()}: take "
                f"{', '.join(parts)} by mouth daily"
            )
    return tuple(lines)


def dispense_lines(plan: Plan, period_days: int) -> tuple[DispenseLine, ...]:
    """Every product the plan uses, with the planner's totals where it computed them."""
    planned: dict[str, SupplyLine] = {s.product_id: s for s in plan.supply}
    found = []
    for s in supply(plan, period_days):
        line = planned.get(s.product.id)
        found.append(
            DispenseLine(
                supply=s,
                total=line.units if line else s.total,
                first_needed=line.first_needed if line else s.first_needed,
                directions=directions(plan, s.product),
            )
        )
    return tuple(found)


def _lines(plan: Plan, drug: DrugKnowledge, options: ExportOptions) -> list[tuple[str, str]]:
    """The summary as (style, text) lines, shared by the PDF and the text version."""
    out = [("title", f"Pharmacy summary: {drug.name}")]
    if options.patient_name:
        out.append(("body", f"Patient: {options.patient_name}"))
    out.append(("body", f"Plan version {options.plan_version}: {options.approval_status}."))
    if plan.steps:
        out.append(
            (
                "body",
                f"Plan from {plan.steps[0].start_date.isoformat()} to "
                f"{plan.steps[-1].end_date.isoformat()}; dose times in {plan.timezone}. "
                f"Refill period: {options.period_days} days.",
            )
        )
    for line in dispense_lines(plan, options.period_days):
        product = line.supply.product
        out.append(("h2", f"{drug.name} {describe(product)} [{product.id}]"))
        out.append(
            (
                "body",
                f"Dispense {amount(product, line.total)} for the whole plan; "
                f"first needed {line.first_needed.isoformat()}, "
                f"last needed {line.supply.last_needed.isoformat()}.",
            )
        )
        periods = "; ".join(
            f"{p.start.isoformat()} to {p.end.isoformat()}: {amount(product, p.units)}"
            for p in line.supply.periods
        )
        out.append(("body", f"Per {options.period_days}-day period: {periods}."))
        out.append(("body", "Sig:"))
        out += [("small", f"  {d}") for d in line.directions]
    out.append(("small", RULE))
    out.append(("small", f"Made {options.generated_on.isoformat()}."))
    return out


def render_text(plan: Plan, drug: DrugKnowledge, options: ExportOptions) -> bytes:
    """The summary as plain UTF-8 text."""
    text = []
    for style, line in _lines(plan, drug, options):
        text.append(line.upper() if style == "title" else line)
        if style in ("title", "h2"):
            text.append("-" * len(line))
    return ("\n".join(text) + "\n").encode("utf-8")


def render(plan: Plan, drug: DrugKnowledge, options: ExportOptions) -> bytes:
    """The summary as a one-page PDF (long plans are shrunk to fit the page)."""
    out = io.BytesIO()
    size = page_size(plan.timezone)
    doc = SimpleDocTemplate(
        out, pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + 6, title=f"Pharmacy summary: {drug.name}", author="Taper",
    )  # fmt: skip
    flow = [Paragraph(escape(text), STYLES[style]) for style, text in _lines(plan, drug, options)]
    frame = KeepInFrame(doc.width, doc.height - 12, [*flow, Spacer(1, 1)], mode="shrink")
    footer = (
        f"{drug.name} pharmacy summary · plan version {options.plan_version} · "
        f"{options.approval_status}"
    )
    doc.build([frame], canvasmaker=footer_canvas(footer))
    return out.getvalue()
