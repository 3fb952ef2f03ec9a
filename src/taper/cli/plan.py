"""`taper plan REQUEST`: the schedule as a table, JSON or an export format."""

from __future__ import annotations

import argparse
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING

from taper.cli.documents import load_plan, write_output
from taper.cli.errors import UsageError

if TYPE_CHECKING:
    from taper.core.plan import Plan

# Imports are inside the functions that need them: `taper plan --format json` loads only the
# reader, the planner and the JSON writer (issue 17; tests/cli/test_plan_imports.py).
# taper.exports.options.MAX_MONITORING_DAYS, written here for the help text because the
# exports package costs start-up; test_plan_cli.py checks that the two are the same.
MAX_MONITORING_DAYS = 90

EXPORTS = ("pdf", "ics", "csv", "fhir", "pharmacy", "pharmacy-text")


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    parser.epilog = ("The drug's data file is parsed once and the parse kept in $TAPER_CACHE_DIR "
                     "(else $XDG_CACHE_HOME/taper, else ~/.cache/taper), used only while the "
                     "file's bytes are unchanged; TAPER_CACHE_DIR=off turns it off.")
    parser.add_argument("request", metavar="REQUEST",
                        help="planning request: a JSON or TOML file, or - for standard input")
    parser.add_argument("--format", choices=("table", "json", *EXPORTS), default="table",
                        help="output format (default: table)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument("--plan-version", type=int, default=1, metavar="N",
                        help="version shown on exports and used as the calendar SEQUENCE")
    parser.add_argument("--approved-by", metavar="TEXT",
                        help='approval shown on exports ("Dr A. Jones on 2026-11-30"); '
                        'without it, exports say "not reviewed by a prescriber"')
    parser.add_argument("--dose-in-titles", action="store_true",
                        help="put the dose in calendar event titles (off: no health details)")
    parser.add_argument("--period-days", type=int, default=28, metavar="N",
                        help="refill period for the pharmacy summary (default 28)")
    parser.add_argument("--monitoring-days", default="0", metavar="N",
                        help="days of daily check-ins from the stop date on, shown in the table, "
                        f"PDF, calendar and FHIR CarePlan (0 to {MAX_MONITORING_DAYS}; "
                        "default 0: none)")


def monitoring_days(text: str) -> int:
    """--monitoring-days as a whole number in the exports' bound; one line naming it if not."""
    message = f"--monitoring-days: a whole number of days from 0 to {MAX_MONITORING_DAYS}"
    try:
        days = int(text.strip(), 10)
    except ValueError:
        raise UsageError(f"{message}, not {text!r}") from None
    if not 0 <= days <= MAX_MONITORING_DAYS:
        raise UsageError(f"{message}, not {days}")
    return days


def run(args: argparse.Namespace) -> int:
    args.monitoring_days = monitoring_days(str(args.monitoring_days))  # before any work
    plan = load_plan(args.request, today=date.today()).plan  # noqa: DTZ011 (the CLI is where the clock is read)
    if args.format == "json":
        import json

        from taper.contract.plan_json import plan_to_json

        write_output(json.dumps(plan_to_json(plan), indent=2) + "\n", args.output)
    elif args.format == "table":
        write_output(table(plan, args.monitoring_days), args.output)
    else:
        write_output(export(plan, args), args.output)
    return 0


def export(plan: Plan, args: argparse.Namespace) -> bytes:
    """One of the export formats, through the same registry the web app uses."""
    from taper.exports import render
    from taper.exports.options import ExportOptions
    from taper.knowledge import load_drug

    try:
        options = ExportOptions(
            generated_on=date.today(),  # noqa: DTZ011 (the CLI reads the clock)
            approval=None if args.approved_by is None else f"approved by {args.approved_by}",
            plan_version=args.plan_version,
            show_dose_in_titles=args.dose_in_titles,
            period_days=args.period_days,
            monitoring_days=args.monitoring_days,
        )
    except ValueError as exc:
        raise UsageError(f"--{str(exc).split(':')[0].replace('_', '-')}: "
                         f"{str(exc).split(':', 1)[-1].strip()}") from None
    if args.format in ("pdf", "pharmacy") and args.output in (None, "-"):
        raise UsageError(f"--output: a {args.format} file is binary; give -o FILE")
    return render(args.format, plan, load_drug(plan.drug_id), options)


def table(plan: Plan, monitoring_days: int = 0) -> str:
    from taper.core.amounts import decimal_str, rounded_str
    from taper.core.products import Liquid
    from taper.exports.schedule import monitoring_period  # the table's only: not for --format json
    from taper.exports.words import dose_words

    products = {p.id: p for p in plan.products}
    times = sorted({d.time for d in plan.baseline} | {d.time for s in plan.steps for d in s.doses})
    lines = [f"{plan.drug_id} {plan.direction} from {_total(plan)} mg/day, "
             f"starting {plan.start_date.isoformat()} ({plan.timezone})", ""]
    header = ["step", "dates", "mg/day", "change", *[f"{t:%H:%M}" for t in times]]
    rows: list[list[str]] = []
    for step in plan.steps:
        change = step.change_percent
        cells = [
            str(step.index),
            f"{step.start_date:%Y-%m-%d} – {step.end_date:%Y-%m-%d} ({step.days} d)",
            decimal_str(step.daily_mg),
            "" if change is None else f"{rounded_str(change, 1)} %",
        ]
        by_time = {d.time: d for d in step.doses}
        for t in times:
            dose = by_time.get(t)
            if dose is None:
                cells.append("–")
            else:
                cells.append(f"{decimal_str(dose.mg)} mg: {dose_words(dose, plan.products)}")
        rows.append(cells)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    lines.append("")
    if plan.stop_date is not None:
        lines.append(f"First day with no dose: {plan.stop_date.isoformat()}")
        period = monitoring_period(plan, monitoring_days)
        if period is not None:
            lines.append(f"Keep checking in daily from {period[0].isoformat()} to "
                         f"{period[1].isoformat()} (monitoring period)")
    else:
        lines.append("The last step continues until a prescriber changes the plan.")
    if plan.supply:
        lines.append("")
        lines.append("Supply for the whole plan:")
        for s in plan.supply:
            product = products[s.product_id]
            unit = "mL" if isinstance(product, Liquid) else product.form + "s"
            bottles = "" if s.bottles is None else (
                f" in {s.bottles} bottle{'s' if s.bottles != 1 else ''}, of which "
                f"{decimal_str(s.discard_ml or Fraction(0))} mL is discarded after opening")
            lines.append(f"  {s.product_id}: {decimal_str(s.units)} {unit}{bottles}, "
                         f"first needed {s.first_needed.isoformat()}")
    if plan.warnings:
        lines.append("")
        lines.append("Warnings:")
        for w in plan.warnings:
            lines.append(f"  {w.words}")
    return "\n".join(lines) + "\n"


def _total(plan: Plan) -> str:
    from taper.core.amounts import decimal_str

    return decimal_str(sum((d.mg for d in plan.baseline), Fraction(0)))


