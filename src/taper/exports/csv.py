"""CSV: the schedule (one row per day per dose time) and the journal of check-ins (SPEC X3).

UTF-8 with a byte-order mark so spreadsheet programs read "¾" correctly; CRLF rows as
RFC 4180 has them. Amounts are exact decimal text, never a float.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import time

from taper.core.amounts import decimal_str
from taper.core.knowledge import DrugKnowledge
from taper.core.monitoring.checkin import CheckIn, effective, scheduled_times
from taper.core.monitoring.symptoms import Symptom
from taper.core.plan import Plan
from taper.exports.options import ExportOptions
from taper.exports.readings import celsius_text, check_catalogue, times_text
from taper.exports.schedule import dose_rows
from taper.exports.words import dose_words

SCHEDULE_COLUMNS = (
    "date", "time", "timezone", "step", "dose_mg", "pieces", "pieces_mg", "daily_mg",
    "plan_version", "approval",
)  # fmt: skip
# The journal's columns around one `<symptom id>_0_3` column per catalogue symptom.
JOURNAL_COLUMNS_BEFORE = ("date",)
JOURNAL_COLUMNS_AFTER = (
    "spasticity_0_10", "sleep_quality_0_10", "temperature_c", "heart_rate",
    "doses_taken", "doses_planned", "note",
)  # fmt: skip
# A cell starting with one of these is run as a formula by spreadsheet programs (CSV
# injection, OWASP); free text from a check-in is prefixed with ' so it stays text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render(plan: Plan, drug: DrugKnowledge, options: ExportOptions) -> bytes:
    """The schedule: one row per day per dose time, with pieces in words and exact mg."""
    rows = [
        {
            "date": row.day.isoformat(),
            "time": f"{row.time:%H:%M}",
            "timezone": plan.timezone,
            "step": row.step.index,
            "dose_mg": decimal_str(row.dose.mg),
            "pieces": dose_words(row.dose, plan.products),
            "pieces_mg": " + ".join(decimal_str(p.mg) for p in row.dose.composition.pieces),
            "daily_mg": decimal_str(row.step.daily_mg),
            "plan_version": options.plan_version,
            "approval": _text(options.approval_status),
        }
        for row in dose_rows(plan)
    ]
    return _write(SCHEDULE_COLUMNS, rows)


def journal_columns(symptoms: Sequence[Symptom]) -> tuple[str, ...]:
    """The journal's header: the catalogue's symptoms in catalogue order, 0-3 each."""
    return (*JOURNAL_COLUMNS_BEFORE, *(f"{s.id}_0_3" for s in symptoms), *JOURNAL_COLUMNS_AFTER)


def journal_csv(
    checkins: Iterable[CheckIn], symptoms: Sequence[Symptom], plan: Plan | None = None
) -> bytes:
    """The journal: one row per date (amendments applied, `effective`), sorted by date.

    An empty cell is no answer: a symptom not reported (it counts as none), a scale or
    vital not taken, doses not recorded; "none" is doses recorded and none taken.
    `doses_planned` are the plan's dose times that day when a plan is given (empty
    otherwise). ValueError for a reported symptom not in the catalogue.
    """
    rows = []
    for c in effective(checkins):
        check_catalogue(c, symptoms)
        row: dict[str, object] = {
            "date": c.date.isoformat(),
            "spasticity_0_10": _cell(c.spasticity),
            "sleep_quality_0_10": _cell(c.sleep_quality),
            "temperature_c": "" if c.temperature_c is None else celsius_text(c.temperature_c),
            "heart_rate": _cell(c.heart_rate),
            "doses_taken": _times(c.doses_taken),
            "doses_planned": "" if plan is None else _times(scheduled_times(plan, c.date)),
            "note": _text(c.note),
        }
        for s in symptoms:
            row[f"{s.id}_0_3"] = _cell(c.symptoms.get(s.id))
        rows.append(row)
    return _write(journal_columns(symptoms), rows)


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _times(times: Sequence[time] | None) -> str:
    if times is None:
        return ""
    return times_text(times) if times else "none"


def _text(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _write(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")
