"""A recorded daily check-in as plain data (SPEC M1), for the journal CSV and FHIR.

The web app keeps check-ins in its database; it hands them to the exports as these
dataclasses or as plain dicts with the same keys (`CheckIn.from_mapping`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# SPEC M1: symptoms by domain, each rated none/mild/moderate/severe.
SYMPTOM_DOMAINS = ("physical", "psychological", "cognitive", "sleep")
SEVERITY = ("none", "mild", "moderate", "severe")
# Patient-rated spasticity NRS 0–10 (Farrar 2008); Sleep Quality Scale 0–10 (Snyder 2018).
SCALE_0_10 = range(0, 11)


@dataclass(frozen=True, slots=True)
class CheckIn:
    """One day's check-in; everything but the day is optional."""

    day: date
    symptoms: Mapping[str, int] = field(default_factory=dict)  # domain -> severity 0–3
    spasticity: int | None = None
    sleep_quality: int | None = None
    temperature_c: Decimal | None = None
    heart_rate_bpm: int | None = None
    doses_taken: int | None = None
    doses_planned: int | None = None
    note: str = ""
    recorded_at: datetime | None = None  # timezone-aware

    def __post_init__(self) -> None:
        for domain, severity in self.symptoms.items():
            if domain not in SYMPTOM_DOMAINS:
                raise ValueError(f"symptoms.{domain}: domain must be one of {SYMPTOM_DOMAINS}")
            if severity not in range(len(SEVERITY)):
                raise ValueError(f"symptoms.{domain}: severity must be 0, 1, 2 or 3")
        for name in ("spasticity", "sleep_quality"):
            value = getattr(self, name)
            if value is not None and value not in SCALE_0_10:
                raise ValueError(f"{name}: must be a whole number from 0 to 10")
        if self.recorded_at is not None and self.recorded_at.utcoffset() is None:
            raise ValueError("recorded_at: must carry a time zone")
        if isinstance(self.temperature_c, float):
            raise ValueError("temperature_c: must be exact (a Decimal or a string)")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> CheckIn:
        """From a plain dict: ISO date strings, numbers as str/int/Decimal."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"{sorted(unknown)[0]}: not a check-in field")
        values = dict(data)
        if isinstance(values.get("day"), str):
            values["day"] = date.fromisoformat(values["day"])
        if isinstance(values.get("recorded_at"), str):
            values["recorded_at"] = datetime.fromisoformat(values["recorded_at"])
        if values.get("temperature_c") is not None:
            values["temperature_c"] = Decimal(str(values["temperature_c"]))
        return cls(**values)


def as_checkin(value: CheckIn | Mapping[str, Any]) -> CheckIn:
    """A CheckIn, whether given one or a dict."""
    return value if isinstance(value, CheckIn) else CheckIn.from_mapping(value)
