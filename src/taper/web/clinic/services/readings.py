"""Stored check-ins read back as the engine's readings, cheaply (issue 17).

Every check-in is assessed against its recent history, about thirty stored rows, and each
row was parsed when it was entered. `stored_readings` gives exactly what the engine's
parser (`parse_checkins`) gives for the same rows: a row in the plain shape the web stores
(whole numbers in range, known symptoms, dose times as "HH:MM", a short note, no
temperature) is read directly; any other row — a temperature, a symptom the catalogue no
longer lists, a date after today, anything odd — goes through the parser itself, so a row
the parser would refuse is refused with the parser's own words
(tests/web/test_stored_readings.py compares the two on generated rows).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from typing import Any

from taper.core.limits import EARLIEST_DATE, MAX_DOSE_TIMES, MAX_NOTE_CHARS, has_nul
from taper.core.monitoring.checkin import CheckIn, parse_checkin
from taper.core.monitoring.rulebook import MonitoringRules
from taper.core.monitoring.symptoms import NONE, SEVERE

# The fields read directly; a row with any other (a temperature) goes to the parser.
PLAIN = frozenset({"date", "symptoms", "spasticity", "sleep_quality", "heart_rate",
                   "doses_taken", "doses_due", "note"})
SCALES = ("spasticity", "sleep_quality", "heart_rate")


class _Odd(Exception):
    """A value the direct reading leaves to the parser."""


def stored_readings(items: Sequence[Any], rules: MonitoringRules, today: date
                    ) -> tuple[CheckIn, ...]:
    """`parse_checkins(items, rules, today)`, reading plain rows directly."""
    known = frozenset(s.id for s in rules.symptoms)
    bounds = {name: (int(rules.ranges[name].low), int(rules.ranges[name].high))
              for name in SCALES if name in rules.ranges}
    return tuple(_plain(item, i, known, bounds, today) or parse_checkin(item, i, rules, today)
                 for i, item in enumerate(items))


def _plain(data: Any, position: int, known: frozenset[str],
           bounds: dict[str, tuple[int, int]], today: date) -> CheckIn | None:
    """The reading of a plain row, as parse_checkin makes it; None for any other row."""
    if type(data) is not dict or not data.keys() <= PLAIN:
        return None
    text = data.get("date")
    if type(text) is not str:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    if not EARLIEST_DATE <= day <= today:
        return None
    symptoms = data.get("symptoms", {})
    if type(symptoms) is not dict:
        return None
    for symptom, level in symptoms.items():
        if symptom not in known or type(level) is not int or not NONE <= level <= SEVERE:
            return None
    scales: dict[str, int | None] = {}
    for name in SCALES:
        value = data.get(name)
        if value is not None:
            low_high = bounds.get(name)
            if low_high is None or type(value) is not int or not low_high[0] <= value <= low_high[1]:
                return None
        scales[name] = value
    try:
        taken, due = _times(data.get("doses_taken")), _times(data.get("doses_due"))
    except _Odd:
        return None
    note = data.get("note", "")
    if type(note) is not str or len(note) > MAX_NOTE_CHARS or has_nul(note):
        return None
    return CheckIn(date=day, position=position, symptoms=dict(symptoms),
                   spasticity=scales["spasticity"], sleep_quality=scales["sleep_quality"],
                   heart_rate=scales["heart_rate"], doses_taken=taken, doses_due=due, note=note)


def _times(value: Any) -> tuple[time, ...] | None:
    """Distinct dose times "HH:MM" as the parser reads them; None if absent; _Odd else."""
    if value is None:
        return None
    if type(value) is not list or len(value) > MAX_DOSE_TIMES:
        raise _Odd
    times = []
    for text in value:
        if type(text) is not str or len(text) != 5:
            raise _Odd
        try:
            times.append(time.fromisoformat(text))
        except ValueError:
            raise _Odd from None
    if len(set(times)) != len(times):
        raise _Odd
    return tuple(times)
