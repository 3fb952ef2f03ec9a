"""A daily check-in and its validation: every bad value is a clear error naming the field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from fractions import Fraction
from typing import Any

from taper.core.amounts import decimal_str
from taper.core.limits import (
    EARLIEST_DATE,
    MAX_DOSE_TIMES,
    MAX_NOTE_CHARS,
    MAX_NUMBER_CHARS,
    OutOfBounds,
    bounded_decimal,
    has_nul,
)
from taper.core.monitoring.rulebook import MonitoringRules
from taper.core.monitoring.symptoms import NONE, SEVERE
from taper.core.plan import Plan

FIELDS = frozenset({
    "date", "symptoms", "spasticity", "sleep_quality", "temperature_c", "temperature",
    "heart_rate", "doses_taken", "doses_due", "note",
})


class CheckInError(ValueError):
    """A check-in cannot be used; the message is "field.path: what is accepted"."""


@dataclass(frozen=True, slots=True)
class CheckIn:
    """One day's record. Symptoms not reported count as none (0)."""

    date: date
    position: int  # its place in the file: a later check-in for the same date amends
    symptoms: Mapping[str, int] = field(default_factory=dict)
    spasticity: int | None = None
    sleep_quality: int | None = None
    temperature_c: Fraction | None = None
    heart_rate: int | None = None
    doses_taken: tuple[time, ...] | None = None  # None: not recorded
    # The dose times already due when the check-in was made (a check-in at noon has not
    # missed the evening dose); None: all the day's scheduled times (the CLI's whole day).
    doses_due: tuple[time, ...] | None = None
    note: str = ""

    def severity(self, symptom_id: str) -> int:
        return self.symptoms.get(symptom_id, NONE)

    def measure(self, name: str) -> Fraction | None:
        """A reading by its rule name: `symptom.<id>`, temperature_c, heart_rate, spasticity."""
        if name.startswith("symptom."):
            return Fraction(self.severity(name.removeprefix("symptom.")))
        value = {"temperature_c": self.temperature_c, "heart_rate": self.heart_rate,
                 "spasticity": self.spasticity}[name]
        return None if value is None else Fraction(value)


def _integer(value: Any, where: str, low: int, high: int, what: str) -> int:
    if type(value) is int and low <= value <= high:  # the common case, without a Fraction
        return value
    accepted = f"{where}: must be a whole number {low}-{high} ({what})"
    try:
        number = bounded_decimal(value, Decimal(low), Decimal(high), places=0)
    except OutOfBounds:
        raise CheckInError(f"{accepted}, got {_shown(value)}") from None
    return int(number)


def _shown(value: Any) -> str:
    """A refused value as the message repeats it: short, so a megabyte is not echoed."""
    text = str(value)
    return text if len(text) <= MAX_NUMBER_CHARS else text[:MAX_NUMBER_CHARS] + "…"


# The widest a reading may be before its plausible range is checked (the rulebook's range
# then names what is accepted): -100 to 1000 holds any °C or °F reading and any rate.
_READING_LOW, _READING_HIGH = Decimal(-1000), Decimal(1000)


def _number(value: Any, where: str) -> Fraction:
    if isinstance(value, bool | float) or not isinstance(value, str | int | Decimal):
        raise CheckInError(f'{where}: must be a number such as "37.2"')
    try:
        return Fraction(bounded_decimal(value, _READING_LOW, _READING_HIGH))
    except OutOfBounds:
        raise CheckInError(f'{where}: must be a number such as "37.2"') from None


def _temperature(data: Mapping[str, Any], where: str, rules: MonitoringRules) -> Fraction | None:
    if "temperature_c" in data and "temperature" in data:
        raise CheckInError(f"{where}.temperature: give temperature_c or temperature, not both")
    if "temperature_c" in data:
        field_name = "temperature_c"
        celsius = _number(data["temperature_c"], f"{where}.temperature_c")
    elif "temperature" in data:
        reading, field_name = data["temperature"], "temperature"
        if (not isinstance(reading, Mapping) or reading.get("unit") not in ("C", "F")
                or set(reading) - {"value", "unit"}):
            raise CheckInError(
                f'{where}.temperature: must be {{"value": "101.2", "unit": "F"}} (unit C or F)')
        celsius = _number(reading.get("value"), f"{where}.temperature.value")
        if reading["unit"] == "F":
            celsius = (celsius - 32) * Fraction(5, 9)  # exact; shown rounded to 0.1 °C
    else:
        return None
    plausible = rules.ranges["temperature_c"]
    if celsius not in plausible:
        raise CheckInError(
            f"{where}.{field_name}: {decimal_str(plausible.low)}-{decimal_str(plausible.high)} °C"
            " is accepted; check the reading and its unit")
    return celsius


def _time(value: Any, where: str) -> time:
    try:
        parsed = time.fromisoformat(value) if isinstance(value, str) and len(value) == 5 else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise CheckInError(f'{where}: must be a dose time as "HH:MM", got {_shown(repr(value))}')
    return parsed


def _times(data: Mapping[str, Any], name: str, where: str) -> tuple[time, ...] | None:
    """A list of distinct dose times ("HH:MM"), or None when the field is absent."""
    doses = data.get(name)
    if doses is None:
        return None
    if not isinstance(doses, list) or len(doses) > MAX_DOSE_TIMES:
        raise CheckInError(f'{where}.{name}: must be a list of dose times such as ["08:00"]'
                           f" (at most {MAX_DOSE_TIMES})")
    times = tuple(_time(t, f"{where}.{name}[{i}]") for i, t in enumerate(doses))
    if len(set(times)) != len(times):
        raise CheckInError(f"{where}.{name}: a dose time is listed twice")
    return times


def parse_checkin(data: Any, position: int, rules: MonitoringRules, today: date) -> CheckIn:
    """Validate one check-in (a JSON object) against the catalogue, the scales and today."""
    where = f"checkins[{position}]"
    if not isinstance(data, Mapping):
        raise CheckInError(f"{where}: must be an object with at least a date")
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        accepted = ", ".join(sorted(FIELDS))
        raise CheckInError(f"{where}.{_shown(unknown[0])}: unknown field; accepted: {accepted}")
    if "date" not in data:
        raise CheckInError(f"{where}.date: required (YYYY-MM-DD)")
    try:
        day = date.fromisoformat(data["date"]) if isinstance(data["date"], str) else None
    except ValueError:
        day = None
    if day is None:
        raise CheckInError(
            f"{where}.date: must be a date as YYYY-MM-DD, got {_shown(repr(data['date']))}")
    if day < EARLIEST_DATE:
        raise CheckInError(f"{where}.date: must be {EARLIEST_DATE} or later")
    if day > today:
        raise CheckInError(
            f"{where}.date: {day} is after today ({today}); a check-in records a day begun")
    symptoms = data.get("symptoms", {})
    if not isinstance(symptoms, Mapping):
        raise CheckInError(f'{where}.symptoms: must be an object such as {{"anxiety": 2}}')
    levels = ", ".join(f"{i} {label}" for i, label in enumerate(rules.severity_labels))
    severities: dict[str, int] = {}
    known = {s.id for s in rules.symptoms}
    for symptom_id, value in symptoms.items():
        if symptom_id not in known:
            raise CheckInError(
                f"{where}.symptoms.{_shown(symptom_id)}: unknown symptom; `taper symptoms` lists the ids")
        severities[symptom_id] = _integer(
            value, f"{where}.symptoms.{symptom_id}", NONE, SEVERE, levels)

    def scale(name: str, what: str) -> int | None:
        if data.get(name) is None:
            return None
        r = rules.ranges[name]
        return _integer(data[name], f"{where}.{name}", int(r.low), int(r.high), what)

    taken = _times(data, "doses_taken", where)
    due = _times(data, "doses_due", where)
    note = data.get("note", "")
    if not isinstance(note, str):
        raise CheckInError(f"{where}.note: must be text")
    if len(note) > MAX_NOTE_CHARS:
        raise CheckInError(f"{where}.note: must be at most {MAX_NOTE_CHARS} characters")
    if has_nul(note):
        raise CheckInError(f"{where}.note: must not contain a NUL character")
    return CheckIn(
        date=day,
        position=position,
        symptoms=severities,
        spasticity=scale("spasticity", "0 none to 10 worst"),
        sleep_quality=scale("sleep_quality", "0 terrible to 10 excellent"),
        temperature_c=_temperature(data, where, rules),
        heart_rate=scale("heart_rate", "beats a minute"),
        doses_taken=taken,
        doses_due=due,
        note=note,
    )


def parse_checkins(
    items: Sequence[Any], rules: MonitoringRules, today: date
) -> tuple[CheckIn, ...]:
    """Every check-in in file order; duplicates by date are kept (see `effective`)."""
    return tuple(parse_checkin(item, i, rules, today) for i, item in enumerate(items))


def effective(checkins: Iterable[CheckIn]) -> tuple[CheckIn, ...]:
    """One check-in per date, sorted: a later one in the file amends an earlier one."""
    latest: dict[date, CheckIn] = {}
    for c in sorted(checkins, key=lambda c: c.position):
        latest[c.date] = c  # the first is kept in the input; the amendment is the one used
    return tuple(latest[d] for d in sorted(latest))


def check_doses_against_plan(checkins: Iterable[CheckIn], plan: Plan) -> None:
    """Every recorded dose time must be one the plan schedules on that day."""
    for c in checkins:
        scheduled = scheduled_times(plan, c.date)
        for name, times in (("doses_taken", c.doses_taken), ("doses_due", c.doses_due)):
            for i, t in enumerate(times or ()):
                if t not in scheduled:
                    listed = ", ".join(s.strftime("%H:%M") for s in scheduled) or "none"
                    raise CheckInError(
                        f"checkins[{c.position}].{name}[{i}]: {t.strftime('%H:%M')} is not a"
                        f" dose time of the plan on {c.date} (dose times: {listed})")


def scheduled_times(plan: Plan, day: date) -> tuple[time, ...]:
    """The dose times the plan schedules on a day (the regimen's before it starts)."""
    if day < plan.start_date:
        return tuple(d.time for d in plan.baseline if d.mg > 0)
    step = plan.step_on(day)
    return () if step is None else tuple(d.time for d in step.doses if d.mg > 0)
