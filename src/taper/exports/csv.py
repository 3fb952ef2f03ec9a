"""CSV: the schedule (one row per day per dose time) and the journal of check-ins (SPEC X3).

UTF-8 with a byte-order mark so spreadsheet programs read "¾" correctly; CRLF rows as
RFC 4180 has them. Amounts are exact decimal text, never a float.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from taper.core.amounts import decimal_str
from taper.core.knowledge import DrugKnowledge
from taper.core.plan import Plan
from taper.exports.checkin import SYMPTOM_DOMAINS, CheckIn, as_checkin
from taper.exports.options import ExportOptions
from taper.exports.schedule import dose_rows
from taper.exports.words import dose_words

SCHEDULE_COLUMNS = (
    "date", "time", "timezone", "step", "dose_mg", "pieces", "pieces_mg", "daily_mg",
    "plan_version", "approval",
)  # fmt: skip
JOURNAL_COLUMNS = (
    "date", "recorded_at",
    *(f"symptoms_{d}_0_3" for d in SYMPTOM_DOMAINS),
    "spasticity_0_10", "sleep_quality_0_10", "temperature_c", "heart_rate_bpm",
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


def journal_csv(checkins: Iterable[CheckIn | Mapping[str, Any]]) -> bytes:
    """The journal: one row per check-in, in the order given; empty cells for no answer."""
    rows = []
    for value in checkins:
        c = as_checkin(value)
        row: dict[str, object] = {
            "date": c.day.isoformat(),
            "recorded_at": c.recorded_at.isoformat() if c.recorded_at else "",
            "spasticity_0_10": _cell(c.spasticity),
            "sleep_quality_0_10": _cell(c.sleep_quality),
            "temperature_c": _cell(c.temperature_c),
            "heart_rate_bpm": _cell(c.heart_rate_bpm),
            "doses_taken": _cell(c.doses_taken),
            "doses_planned": _cell(c.doses_planned),
            "note": _text(c.note),
        }
        for domain in SYMPTOM_DOMAINS:
            row[f"symptoms_{domain}_0_3"] = _cell(c.symptoms.get(domain))
        rows.append(row)
    return _write(JOURNAL_COLUMNS, rows)


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _text(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _write(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")
