"""One FHIR Dosage per step and dose time; instruction text made from the same structure.

The structure is the source of truth: `text` and `patientInstruction` are rendered from
the Dosage dict itself (not from the plan), so they cannot disagree with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from fractions import Fraction
from typing import Any

from taper.core.amounts import decimal_str
from taper.core.plan import Plan, ScheduledDose, TaperStep
from taper.exports.fhir.ids import UCUM, quantity_value
from taper.exports.words import dose_words


def dosages(plan: Plan) -> list[dict[str, Any]]:
    """Every step's doses, in plan order then time order."""
    found = []
    for step in plan.steps:
        for dose in sorted(step.doses, key=lambda d: d.time):
            if dose.mg > 0:
                found.append(dosage(plan, step, dose))
    return found


def dosage(plan: Plan, step: TaperStep, dose: ScheduledDose) -> dict[str, Any]:
    """The Dosage for one dose time during one step."""
    structured: dict[str, Any] = {
        "sequence": step.index,
        "timing": {
            "repeat": {
                "boundsPeriod": {
                    "start": step.start_date.isoformat(),
                    "end": step.end_date.isoformat(),
                },
                "frequency": 1,
                "period": 1,
                "periodUnit": "d",
                "timeOfDay": [dose.time.strftime("%H:%M:%S")],
            }
        },
        "route": {"text": "by mouth"},
        "doseAndRate": [
            {
                "doseQuantity": {
                    "value": quantity_value(dose.mg),
                    "unit": "mg",
                    "system": UCUM,
                    "code": "mg",
                }
            }
        ],
    }
    pieces = dose_words(dose, plan.products)
    return {
        "sequence": structured["sequence"],
        "text": text(structured, pieces, plan.timezone),
        "patientInstruction": patient_instruction(structured, pieces),
        **{k: v for k, v in structured.items() if k != "sequence"},
    }


@dataclass(frozen=True, slots=True)
class DosageLine:
    """What a Dosage says, read back from its structure."""

    step: int
    start: date
    end: date
    at: time
    mg: Fraction


def read(d: dict[str, Any]) -> DosageLine:
    """The structured fields of a Dosage (the round trip's way back)."""
    repeat = d["timing"]["repeat"]
    (at,) = repeat["timeOfDay"]
    (dose_and_rate,) = d["doseAndRate"]
    value = dose_and_rate["doseQuantity"]["value"]
    return DosageLine(
        step=int(d["sequence"]),
        start=date.fromisoformat(str(repeat["boundsPeriod"]["start"])),
        end=date.fromisoformat(str(repeat["boundsPeriod"]["end"])),
        at=time.fromisoformat(str(at)),
        mg=Fraction(Decimal(str(value))),
    )


def text(d: dict[str, Any], pieces: str, timezone: str) -> str:
    """The prescriber-facing text: "Step 3, 2026-12-11 to 2026-12-15: 15 mg at 08:00 …"."""
    line = read(d)
    return (
        f"Step {line.step}, {line.start.isoformat()} to {line.end.isoformat()}: "
        f"{decimal_str(line.mg)} mg by mouth at {line.at:%H:%M} ({timezone}) daily: {pieces}"
    )


def patient_instruction(d: dict[str, Any], pieces: str) -> str:
    """The patient's words: "Take ¾ × 20 mg tablet (15 mg) at 08:00 every day from … to …"."""
    line = read(d)
    return (
        f"Take {pieces} ({decimal_str(line.mg)} mg) at {line.at:%H:%M} every day "
        f"from {_long_date(line.start)} to {_long_date(line.end)}."
    )


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"  # "1 December 2026": no zero padding, unambiguous


def steps_from_dosages(
    items: list[dict[str, Any]],
) -> list[tuple[int, date, date, dict[time, Fraction]]]:
    """Group Dosages back into steps: (index, first day, last day, {time: mg})."""
    steps: dict[int, tuple[date, date, dict[time, Fraction]]] = {}
    for item in items:
        line = read(item)
        start, end, doses = steps.setdefault(line.step, (line.start, line.end, {}))
        if (start, end) != (line.start, line.end):
            raise ValueError(f"dosageInstruction: step {line.step} has two date ranges")
        doses[line.at] = line.mg
    return [(i, s, e, d) for i, (s, e, d) in sorted(steps.items())]
