"""A monitoring check-in's readings as export text, shared by the journal CSV and FHIR.

Check-ins are `taper.core.monitoring.checkin.CheckIn` (parsed and validated by
`parse_checkins`); the symptom catalogue is the drug's `MonitoringRules.symptoms`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import time
from fractions import Fraction

from taper.core.amounts import decimal_str, is_terminating, rounded_str
from taper.core.monitoring.checkin import CheckIn
from taper.core.monitoring.symptoms import Symptom

# SPEC M1: severity 0-3. The monitoring rules hold the same labels (a test compares them).
SEVERITY = ("none", "mild", "moderate", "severe")


def celsius_text(value: Fraction) -> str:
    """A temperature in °C: exact decimal text; a °F reading's repeating decimal to 0.01 °C."""
    return decimal_str(value) if is_terminating(value) else rounded_str(value, 2)


def times_text(times: Iterable[time]) -> str:
    """Dose times as "08:00 14:00"."""
    return " ".join(f"{t:%H:%M}" for t in times)


def check_catalogue(checkin: CheckIn, symptoms: Sequence[Symptom]) -> None:
    """ValueError when the check-in reports a symptom the catalogue lacks (it would be lost)."""
    known = {s.id for s in symptoms}
    missing = sorted(set(checkin.symptoms) - known)
    if missing:
        raise ValueError(
            f"check-in {checkin.date}: symptom {missing[0]!r} is not in the catalogue given")
